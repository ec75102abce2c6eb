#include "engine/launch/job_script.h"

#include <fmt/format.h>

#include <algorithm>
#include <regex>
#include <sstream>

#include "engine/launch/launch_templates.h"
#include "engine/runtime/child_process.h"
#include "salient/check.h"

namespace salient::launch {
namespace {

std::string count_or_empty(int count) { return count > 0 ? std::to_string(count) : std::string(); }

bool has_space(const std::string& text) { return text.find_first_of(" \t\n") != std::string::npos; }

const char* template_of(Scheduler scheduler) {
  switch (scheduler) {
    case Scheduler::slurm: return kSlurmTemplate;
    case Scheduler::pbs: return kPbsTemplate;
    case Scheduler::mpirun: return kMpirunTemplate;
  }
  return kMpirunTemplate;
}

}  // namespace

Scheduler parse_scheduler(const std::string& name) {
  if (name == "slurm") return Scheduler::slurm;
  if (name == "pbs") return Scheduler::pbs;
  if (name == "mpirun") return Scheduler::mpirun;
  throw Error(fmt::format("unknown scheduler '{}': slurm, pbs or mpirun", name));
}

const char* scheduler_name(Scheduler scheduler) {
  switch (scheduler) {
    case Scheduler::slurm: return "slurm";
    case Scheduler::pbs: return "pbs";
    case Scheduler::mpirun: return "mpirun";
  }
  return "mpirun";
}

int ranks_per_node(const JobResources& resources) {
  if (resources.tasks_per_node > 0) return resources.tasks_per_node;
  return resources.gpus_per_node > 0 ? resources.gpus_per_node : 1;
}

void check_resources(const JobResources& resources) {
  SALIENT_CHECK(resources.nodes >= 1, "--nodes {}: a job needs at least one node", resources.nodes);
  SALIENT_CHECK(resources.gpus_per_node >= 0, "--gpus-per-node {} is negative", resources.gpus_per_node);
  SALIENT_CHECK(resources.tasks_per_node >= 0, "--tasks-per-node {} is negative", resources.tasks_per_node);
  SALIENT_CHECK(resources.cpus_per_task >= 0, "--cpus-per-task {} is negative", resources.cpus_per_task);
  static const std::regex kTime(R"(^(\d+-)?\d{1,3}:\d{2}:\d{2}$)");
  SALIENT_CHECK(resources.time.empty() || std::regex_match(resources.time, kTime),
                "--time '{}': write the wall-time limit as [D-]HH:MM:SS", resources.time);
  SALIENT_CHECK(!resources.job_name.empty() && !has_space(resources.job_name),
                "--job-name '{}': a job name needs characters and no spaces", resources.job_name);
  SALIENT_CHECK(!has_space(resources.partition), "--partition '{}' holds a space", resources.partition);
  SALIENT_CHECK(!has_space(resources.account), "--account '{}' holds a space", resources.account);
}

std::string render_template(const std::string& text, const std::map<std::string, std::string>& values) {
  static const std::regex kPlaceholder(R"(\{\{([a-z_]+)\}\})");
  std::istringstream lines(text);
  std::string rendered;
  for (std::string line; std::getline(lines, line);) {
    std::string out;
    bool keep = true;
    auto rest = line.cbegin();
    for (std::sregex_iterator match(line.begin(), line.end(), kPlaceholder), end; match != end; ++match) {
      const std::string name = (*match)[1];
      const auto value = values.find(name);
      SALIENT_CHECK(value != values.end(), "the job template uses {{{{{}}}}}, which has no value", name);
      keep = keep && !value->second.empty();
      out.append(rest, (*match)[0].first).append(value->second);
      rest = (*match)[0].second;
    }
    out.append(rest, line.cend());
    if (keep) rendered += out + "\n";
  }
  return rendered;
}

std::string render_job_script(const JobScriptRequest& request) {
  const JobResources& resources = request.resources;
  check_resources(resources);
  SALIENT_CHECK(request.scheduler == Scheduler::mpirun || resources.hostfile.empty(),
                "--hostfile is for --scheduler mpirun: {} chooses the machines itself",
                scheduler_name(request.scheduler));
  const int tasks = ranks_per_node(resources);
  const int cpus_per_node = tasks * std::max(1, resources.cpus_per_task);
  std::vector<std::string> arguments(request.command.begin() + 1, request.command.end());
  const std::map<std::string, std::string> values{
      {"title", request.title},
      {"job_name", resources.job_name},
      {"nodes", std::to_string(resources.nodes)},
      {"ranks", std::to_string(resources.nodes * tasks)},
      {"tasks_per_node", std::to_string(tasks)},
      {"gpus_per_node", count_or_empty(resources.gpus_per_node)},
      {"cpus_per_task", count_or_empty(resources.cpus_per_task)},
      {"cpus_per_node", std::to_string(cpus_per_node)},
      {"pbs_gpus", resources.gpus_per_node > 0 ? fmt::format(":gpus={}", resources.gpus_per_node) : ""},
      {"time", resources.time},
      {"partition", resources.partition},
      {"account", resources.account},
      {"hostfile", resources.hostfile.empty() ? "" : runtime::shell_quote(resources.hostfile)},
      {"log_dir", request.scheduler == Scheduler::mpirun ? runtime::shell_quote(request.log_dir) : request.log_dir},
      {"salient", runtime::shell_quote(request.command.at(0))},
      {"arguments", runtime::shell_command_line(arguments)}};
  return render_template(template_of(request.scheduler), values);
}

std::vector<std::string> submit_command(Scheduler scheduler, const std::string& script_path,
                                        const std::string& after) {
  SALIENT_CHECK(scheduler != Scheduler::mpirun, "an mpirun script is run, not submitted");
  if (scheduler == Scheduler::slurm) {
    std::vector<std::string> command{"sbatch", "--parsable"};
    if (!after.empty()) command.push_back("--dependency=afterany:" + after);
    command.push_back(script_path);
    return command;
  }
  std::vector<std::string> command{"qsub"};
  if (!after.empty()) command.insert(command.end(), {"-W", "depend=afterany:" + after});
  command.push_back(script_path);
  return command;
}

std::string submitted_job_id(Scheduler scheduler, const std::string& output) {
  // sbatch --parsable prints "ID" or "ID;CLUSTER"; qsub prints "ID.SERVER" (the whole
  // string is the id PBS expects back in depend=).
  static const std::regex kSlurm(R"((?:^|\n)(\d+)(;\S+)?\s*$)");
  static const std::regex kPbs(R"((?:^|\n)(\d+(\.\S+)?)\s*$)");
  std::smatch match;
  const bool found = std::regex_search(output, match, scheduler == Scheduler::slurm ? kSlurm : kPbs);
  SALIENT_CHECK(found, "{} printed no job id: '{}'", scheduler == Scheduler::slurm ? "sbatch" : "qsub", output);
  return match[1];
}

}  // namespace salient::launch
