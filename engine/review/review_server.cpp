#include "engine/review/review_server.h"

#include <fmt/format.h>
#include <httplib.h>

#include <array>
#include <nlohmann/json.hpp>
#include <random>

#include "salient/check.h"

namespace salient::review {
namespace {

using nlohmann::json;

constexpr std::size_t kLargestBody = 1 << 20;

bool same_token(const std::string& given, const std::string& token) {
  if (given.size() != token.size()) return false;
  unsigned char difference = 0;
  for (std::size_t i = 0; i < token.size(); ++i) difference |= static_cast<unsigned char>(given[i] ^ token[i]);
  return difference == 0;
}

void send_error(httplib::Response& response, int status, const std::string& reason) {
  response.status = status;
  response.set_content(json{{"error", reason}}.dump(), "application/json");
}

std::int64_t position_of(const httplib::Request& request) {
  const std::string text = request.matches[1];
  if (text.size() > 12) throw RequestError(400, fmt::format("'{}' is not an image position", text));
  return std::stoll(text);
}

std::string annotator_of(const httplib::Request& request) {
  const auto name = request.get_param_value("annotator");
  if (!valid_annotator(name)) {
    throw RequestError(400,
                       fmt::format("'{}' is not an annotator's name (1 to 40 letters, digits, '.', '_', '-')", name));
  }
  return name;
}

// Runs @p answer, turning a refused request into its status and reason.
template <typename Answer>
httplib::Server::Handler guarded(Answer answer) {
  return [answer](const httplib::Request& request, httplib::Response& response) {
    try {
      answer(request, response);
    } catch (const RequestError& error) {
      send_error(response, error.status(), error.what());
    } catch (const std::exception& error) {
      send_error(response, 500, error.what());
    }
  };
}

}  // namespace

std::string new_token() {
  std::random_device source;  // /dev/urandom on Linux
  std::string token;
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", source());
  return token;
}

ReviewServer::ReviewServer(ReviewRound& round, ServerOptions options)
    : round_(round), options_(std::move(options)), server_(std::make_unique<httplib::Server>()) {
  SALIENT_CHECK(options_.token.size() >= 16, "the review server needs a token of at least 16 characters");
  auto& server = *server_;
  server.set_payload_max_length(kLargestBody);
  server.set_default_headers({{"Cache-Control", "no-store"},
                              {"X-Content-Type-Options", "nosniff"},
                              {"Referrer-Policy", "no-referrer"},
                              {"X-Frame-Options", "DENY"}});
  server.set_pre_routing_handler([this](const httplib::Request& request, httplib::Response& response) {
    const std::string given =
        request.has_param("token") ? request.get_param_value("token") : request.get_header_value("X-Salient-Token");
    if (same_token(given, options_.token)) return httplib::Server::HandlerResponse::Unhandled;
    send_error(response, 403, "missing or wrong token: open the address `salient review` printed");
    return httplib::Server::HandlerResponse::Handled;
  });
  server.Get("/", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(review_page(), "text/html; charset=utf-8");
  });
  server.Get("/summary", guarded([this](const httplib::Request&, httplib::Response& response) {
               response.set_content(round_.summary_html(), "text/html; charset=utf-8");
             }));
  server.Get("/api/round", guarded([this](const httplib::Request&, httplib::Response& response) {
               response.set_content(round_.round_json(), "application/json");
             }));
  server.Get("/api/queue", guarded([this](const httplib::Request& request, httplib::Response& response) {
               response.set_content(round_.queue_json(annotator_of(request)), "application/json");
             }));
  server.Get("/api/next", guarded([this](const httplib::Request& request, httplib::Response& response) {
               std::int64_t after = -1;
               if (request.has_param("after")) {
                 const auto text = request.get_param_value("after");
                 if (text.empty() || text.size() > 12 || text.find_first_not_of("-0123456789") != std::string::npos) {
                   throw RequestError(400, fmt::format("'{}' is not a position", text));
                 }
                 after = std::stoll(text);
               }
               response.set_content(round_.next_json(annotator_of(request), after), "application/json");
             }));
  server.Get(R"(/api/image/(\d+))", guarded([this](const httplib::Request& request, httplib::Response& response) {
               response.set_content(round_.image_json(position_of(request), annotator_of(request)), "application/json");
             }));
  server.Put(R"(/api/image/(\d+))", guarded([this](const httplib::Request& request, httplib::Response& response) {
               round_.save(position_of(request), annotator_of(request), request.body);
               response.set_content(json{{"saved", true}}.dump(), "application/json");
             }));
  server.Get(R"(/api/image/(\d+)/xray\.png)",
             guarded([this](const httplib::Request& request, httplib::Response& response) {
               response.set_content(round_.xray_png(position_of(request)), "image/png");
             }));
  server.Get(R"(/api/image/(\d+)/saliency\.png)",
             guarded([this](const httplib::Request& request, httplib::Response& response) {
               response.set_content(round_.saliency_png(position_of(request)), "image/png");
             }));
}

ReviewServer::~ReviewServer() = default;

int ReviewServer::bind() {
  const int port = options_.port == 0 ? server_->bind_to_any_port(options_.listen)
                                      : (server_->bind_to_port(options_.listen, options_.port) ? options_.port : -1);
  SALIENT_CHECK(port > 0, "cannot listen on {}:{} (in use, or not an address of this machine)", options_.listen,
                options_.port);
  return port;
}

void ReviewServer::serve() { server_->listen_after_bind(); }

void ReviewServer::stop() { server_->stop(); }

}  // namespace salient::review
