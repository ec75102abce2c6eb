// Batch scripts that start salient on a cluster: Slurm, PBS/Torque, or plain mpirun on
// machines without a scheduler. Rendered from the templates in launch/ (embedded in the
// binary), with the job's resources and salient's command line.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace salient::launch {

enum class Scheduler { slurm, pbs, mpirun };

/// "slurm", "pbs" or "mpirun"; throws salient::Error on any other name.
Scheduler parse_scheduler(const std::string& name);
const char* scheduler_name(Scheduler scheduler);

struct JobResources {
  int nodes = 1;
  int gpus_per_node = 0;   ///< 0: ranks compute on CPUs
  int tasks_per_node = 0;  ///< MPI ranks per node; 0: one per GPU (one per node without GPUs)
  int cpus_per_task = 0;   ///< CPU cores per rank; 0: the scheduler's default
  std::string time;        ///< wall-time limit, [D-]HH:MM:SS; empty: the queue's default
  std::string partition;   ///< Slurm partition or PBS queue; empty: the default
  std::string account;     ///< account to charge; empty: the user's default
  std::string job_name = "salient";
  std::string hostfile;  ///< mpirun only: the machines to start ranks on; empty: this one
};

/// Ranks on each node: JobResources::tasks_per_node, else the GPUs per node, else 1.
int ranks_per_node(const JobResources& resources);

/// Throws salient::Error naming the first setting a scheduler would reject: counts below 1
/// (below 0 for GPUs and CPUs), a time not of the form [D-]HH:MM:SS, names with spaces.
void check_resources(const JobResources& resources);

struct JobScriptRequest {
  Scheduler scheduler = Scheduler::slurm;
  JobResources resources;
  std::string title;                  ///< the script's first comment line
  std::string log_dir;                ///< where the scheduler (or mpirun) writes the job's output
  std::vector<std::string> command;   ///< salient's absolute path, then its arguments
};

/// The batch script for @p request.
std::string render_job_script(const JobScriptRequest& request);

/// Replaces every {{name}} in @p text by values.at(name), and leaves out every line that
/// holds a placeholder whose value is empty (an option the job does not set). Throws
/// salient::Error on a placeholder without a value.
std::string render_template(const std::string& text, const std::map<std::string, std::string>& values);

/// The command that submits @p script_path, to start once job @p after has ended in any
/// state (empty: at once): sbatch --parsable or qsub. Not for Scheduler::mpirun.
std::vector<std::string> submit_command(Scheduler scheduler, const std::string& script_path,
                                        const std::string& after);

/// The job id in what sbatch --parsable ("ID" or "ID;cluster") or qsub ("ID.server") printed;
/// throws salient::Error quoting the output when it holds none.
std::string submitted_job_id(Scheduler scheduler, const std::string& output);

}  // namespace salient::launch
