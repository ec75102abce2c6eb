// `salient inspect POOL [--verify]`: what a pool holds and whether it is intact.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <iostream>

#include "engine/cli/commands.h"
#include "engine/runtime/progress_bar.h"
#include "salient/io/pool_inspect.h"

namespace salient::cli {
namespace {

struct InspectArguments {
  std::string pool;
  bool verify = false;
};

int run_inspect(const InspectArguments& arguments) {
  const io::Pool pool = io::Pool::open(arguments.pool);
  const io::PoolManifest& m = pool.manifest();
  io::PoolReport report;
  if (arguments.verify) {
    runtime::ProgressBar progress("images", pool.size());
    report = io::inspect_pool(pool, true, [&](std::int64_t done) { progress.update(done); });
    progress.finish();
  } else {
    report = io::inspect_pool(pool, false);
  }
  std::cout << fmt::format("pool      {}\n", arguments.pool)
            << fmt::format("images    {} of {}x{} {}, in {} shard(s) of {}\n", report.images, m.height, m.width,
                           io::pixel_type_name(m.pixel_type), report.shards, m.shard_size)
            << fmt::format("patients  {}\n", report.patients)
            << fmt::format("ROI       {} image(s) with a region ({:.1f}%), covering {:.2f}% of their pixels on average\n",
                           report.images_with_roi, 100.0 * static_cast<double>(report.images_with_roi) / static_cast<double>(report.images),
                           100.0 * report.mean_roi_fraction)
            << fmt::format("boxes     {}\n", report.boxes)
            << fmt::format("source    {}\n", m.source.empty() ? "-" : m.source)
            << fmt::format("{:<16} {:>9} {:>9} {:>9} {:>11}\n", "label", "positive", "negative", "unknown", "prevalence");
  for (const auto& label : report.labels) {
    const auto known = label.positive + label.negative;
    std::cout << fmt::format("{:<16} {:>9} {:>9} {:>9} {:>10.2f}%\n", label.name, label.positive, label.negative,
                             label.unknown, known ? 100.0 * static_cast<double>(label.positive) / static_cast<double>(known) : 0.0);
  }
  for (const auto& problem : report.problems) std::cout << "PROBLEM   " << problem << "\n";
  if (arguments.verify) {
    std::cout << (report.problems.empty() ? "verified  every image read, checksums match\n"
                                          : fmt::format("verified  {} problem(s) found\n", report.problems.size()));
  }
  return report.problems.empty() ? 0 : 1;
}

}  // namespace

void register_inspect(CLI::App& app, CommandContext& context) {
  auto arguments = std::make_shared<InspectArguments>();
  CLI::App* command = app.add_subcommand("inspect", "Describe a pool; with --verify, read every image and check it");
  command->add_option("pool", arguments->pool, "Pool directory")->required();
  command->add_flag("--verify", arguments->verify, "Read every image and compare checksums with the manifest");
  command->callback([arguments, &context] { context.exit_code = run_inspect(*arguments); });
}

}  // namespace salient::cli
