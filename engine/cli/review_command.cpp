// `salient review`: the expert's page for a human-in-the-loop round (engine/review/): the
// round's selected images with their saliency, labels and marked squares saved as they are
// made. It needs no GPU and loads no model: it reads the pool, the round's selection and
// the review maps that selecting the round wrote.
#include <fmt/format.h>
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <filesystem>
#include <optional>
#include <thread>

#include "engine/cli/commands.h"
#include "engine/cli/study_options.h"
#include "engine/review/review_server.h"
#include "engine/round/study_config.h"
#include "engine/round/study_labels.h"
#include "engine/round/study_lock.h"
#include "salient/check.h"
#include "salient/io/study_dir.h"

namespace salient::cli {
namespace {

struct ReviewArguments {
  std::string study;
  std::optional<std::uint32_t> round;
  std::string listen = "127.0.0.1";
  int port = 8765;
  std::string annotator;
  std::optional<std::int64_t> squares;
  std::int64_t lease_seconds = 120;
};

review::ReviewSetup setup_of(const ReviewArguments& arguments) {
  const auto config = round::load_study_config(study_config_path(arguments.study));
  const auto manifest = io::read_manifest(config.pool.directory);
  review::ReviewSetup setup;
  setup.study_dir = arguments.study;
  setup.round = arguments.round ? *arguments.round : round::awaiting_round(arguments.study, manifest);
  setup.pool_dir = config.pool.directory;
  setup.grid = config.training.options.rrr_grid;
  setup.squares = arguments.squares ? *arguments.squares : std::max<std::int64_t>(1, setup.grid * setup.grid / 4);
  setup.lease = std::chrono::seconds(arguments.lease_seconds);
  const auto selection = io::StudyDir(arguments.study).selection(setup.round);
  SALIENT_CHECK(std::filesystem::exists(selection), "round {} of '{}' has no selection ({})", setup.round,
                arguments.study, selection);
  for (const auto& image : round::read_selection_csv(selection)) setup.queue.push_back({image.id, image.index});
  return setup;
}

void review_round(const ReviewArguments& arguments) {
  SALIENT_CHECK(arguments.annotator.empty() || review::valid_annotator(arguments.annotator),
                "--annotator '{}' is not a name of 1 to 40 letters, digits, '.', '_' or '-'", arguments.annotator);
  const std::string config_path = study_config_path(arguments.study);
  SALIENT_CHECK(std::filesystem::exists(config_path), "'{}' is not a study: it has no {}", arguments.study,
                config_path);
  const auto lock = round::StudyLock::acquire(arguments.study, "review");
  review::ReviewRound round(setup_of(arguments));
  review::ReviewServer server(round, {arguments.listen, arguments.port, review::new_token()});
  // SIGINT and SIGTERM are taken by this thread with sigwait, so the server stops cleanly
  // between requests: every change it accepted is written already.
  sigset_t stopping;
  sigemptyset(&stopping);
  sigaddset(&stopping, SIGINT);
  sigaddset(&stopping, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stopping, nullptr);
  const int port = server.bind();
  std::thread serving([&server] { server.serve(); });
  const std::string host = arguments.listen == "0.0.0.0" ? "127.0.0.1" : arguments.listen;
  fmt::print(
      "salient review: round {} of '{}', {} images\n  http://{}:{}/?token={}{}\n"
      "every change is saved as it is made; Ctrl-C stops the server\n",
      round.round_number(), arguments.study, round.size(), host, port, server.token(),
      arguments.annotator.empty() ? "" : "&annotator=" + arguments.annotator);
  std::fflush(stdout);
  int signal_number = 0;
  sigwait(&stopping, &signal_number);
  server.stop();
  serving.join();
  fmt::print("salient review: stopped\n");
}

}  // namespace

void register_review(CLI::App& app, CommandContext&) {
  auto arguments = std::make_shared<ReviewArguments>();
  auto* command = app.add_subcommand(
      "review", "Serve the review page of a human-in-the-loop round: labels and saliency feedback, saved as made");
  command->add_option("--study", arguments->study, "study directory")->required();
  command->add_option("--round", arguments->round, "round to review (default: the round awaiting labels)");
  command->add_option("--listen", arguments->listen, "address to bind (default 127.0.0.1: this machine only)");
  command->add_option("--port", arguments->port, "port (0: any free port)")->check(CLI::Range(0, 65535));
  command->add_option("--annotator", arguments->annotator, "the annotator's name, put into the printed address");
  command
      ->add_option("--squares", arguments->squares,
                   "most salient squares of the grid offered per image (default: a quarter of the grid)")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--lease-seconds", arguments->lease_seconds,
                   "how long an opened image stays reserved for its annotator")
      ->check(CLI::PositiveNumber);
  command->callback([arguments] { review_round(*arguments); });
}

}  // namespace salient::cli
