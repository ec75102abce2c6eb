// The review page's HTTP server (cpp-httplib, Debian's libcpp-httplib-dev: one header and a
// small shared library, a thread per connection, no other dependency to build): the page
// itself (review_page.html, embedded in the binary: no build step, no file served from disk)
// and the JSON and PNG requests it makes (review_round.h).
//
// Every request must carry the token printed at start-up, as a `token` query parameter or an
// X-Salient-Token header, as Jupyter does: a page of another origin cannot read it, and
// another user of the machine cannot guess it. The server binds 127.0.0.1 unless told
// otherwise, and refuses with 400 any request whose position, annotator or body does not fit
// the round; nothing is written then.
#pragma once

#include <memory>
#include <string>

#include "engine/review/review_round.h"

namespace httplib {
class Server;
}

namespace salient::review {

struct ServerOptions {
  std::string listen = "127.0.0.1";
  int port = 8765;  ///< 0: any free port
  std::string token;
};

/// 32 hexadecimal digits from the operating system's random source.
std::string new_token();

/// The page, as embedded at build time.
const std::string& review_page();

class ReviewServer {
 public:
  ReviewServer(ReviewRound& round, ServerOptions options);
  ~ReviewServer();

  /// Binds the address and port; returns the port (the one chosen, for port 0). Throws
  /// salient::Error naming the address when it cannot.
  int bind();
  /// Serves until stop() is called (from another thread).
  void serve();
  void stop();
  const std::string& token() const { return options_.token; }

 private:
  ReviewRound& round_;
  ServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
};

}  // namespace salient::review
