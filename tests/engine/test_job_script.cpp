// Batch scripts of `salient launch`: the template rules (a line whose setting is empty is
// left out), the scripts for Slurm, PBS and mpirun from one set of resources, shell quoting,
// the submit commands with dependencies and the job ids read back, and bad resources.
#include <gtest/gtest.h>

#include <string>

#include "engine/launch/job_script.h"
#include "engine/runtime/child_process.h"
#include "support/expect_error.h"

namespace salient::launch {
namespace {

using testing::expect_error_naming;

bool has_line(const std::string& text, const std::string& line) {
  return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

JobScriptRequest two_nodes_of_four_gpus(Scheduler scheduler) {
  JobScriptRequest request;
  request.scheduler = scheduler;
  request.resources.nodes = 2;
  request.resources.gpus_per_node = 4;
  request.resources.time = "12:00:00";
  request.resources.partition = "gpu";
  request.resources.job_name = "cxr";
  request.title = "a study";
  request.log_dir = "/studies/cxr/logs";
  request.command = {"/opt/salient/bin/salient", "run", "--study", "/studies/cxr"};
  return request;
}

TEST(RenderTemplate, ReplacesPlaceholdersAndLeavesOutLinesWithAnEmptyValue) {
  const std::string text = "#X --a={{a}}\n#X --b={{b}}\nboth {{a}} {{a}}\nplain\n";
  EXPECT_EQ(render_template(text, {{"a", "1"}, {"b", ""}}), "#X --a=1\nboth 1 1\nplain\n");
  expect_error_naming([&] { render_template("{{c}}\n", {{"a", "1"}}); }, {"{{c}}"});
}

TEST(JobScript, SlurmAsksForOneTaskPerGpuAndStartsTheRanksWithSrun) {
  const std::string script = render_job_script(two_nodes_of_four_gpus(Scheduler::slurm));
  EXPECT_EQ(script.rfind("#!/bin/bash\n# a study\n", 0), 0u) << script;
  for (const char* line : {"#SBATCH --job-name=cxr", "#SBATCH --nodes=2", "#SBATCH --ntasks-per-node=4",
                           "#SBATCH --gpus-per-node=4", "#SBATCH --time=12:00:00", "#SBATCH --partition=gpu",
                           "#SBATCH --output=/studies/cxr/logs/slurm-%x-%j.out", "#SBATCH --requeue",
                           "srun --mpi=pmix --kill-on-bad-exit=1 /opt/salient/bin/salient run --study /studies/cxr"}) {
    EXPECT_TRUE(has_line(script, line)) << line << " in:\n" << script;
  }
  EXPECT_EQ(script.find("--account"), std::string::npos) << script;
  EXPECT_EQ(script.find("--cpus-per-task"), std::string::npos) << script;
}

TEST(JobScript, CpuRanksAskForNoGpus) {
  auto request = two_nodes_of_four_gpus(Scheduler::slurm);
  request.resources.gpus_per_node = 0;
  request.resources.tasks_per_node = 2;
  request.resources.cpus_per_task = 8;
  const std::string script = render_job_script(request);
  EXPECT_TRUE(has_line(script, "#SBATCH --ntasks-per-node=2")) << script;
  EXPECT_TRUE(has_line(script, "#SBATCH --cpus-per-task=8")) << script;
  EXPECT_EQ(script.find("gpus"), std::string::npos) << script;
}

TEST(JobScript, PbsAsksForNodesWithCoresAndGpusAndStartsEightRanks) {
  auto request = two_nodes_of_four_gpus(Scheduler::pbs);
  request.resources.cpus_per_task = 8;
  const std::string script = render_job_script(request);
  for (const char* line : {"#PBS -N cxr", "#PBS -l nodes=2:ppn=32:gpus=4", "#PBS -l walltime=12:00:00",
                           "#PBS -q gpu", "#PBS -r y", "flags=(-np 8 --map-by ppr:4:node --bind-to none)"}) {
    EXPECT_TRUE(has_line(script, line)) << line << " in:\n" << script;
  }
}

TEST(JobScript, MpirunQuotesPathsForTheShell) {
  auto request = two_nodes_of_four_gpus(Scheduler::mpirun);
  request.resources.partition.clear();
  request.resources.hostfile = "/home/me/my hosts";
  request.command = {"/opt/salient/bin/salient", "run", "--study", "/studies/a b"};
  request.log_dir = "/studies/a b/logs";
  const std::string script = render_job_script(request);
  EXPECT_TRUE(has_line(script, "hostfile='/home/me/my hosts'")) << script;
  EXPECT_NE(script.find("/opt/salient/bin/salient run --study '/studies/a b' 2>&1 | tee -a '/studies/a b/logs'/mpirun.log"),
            std::string::npos)
      << script;
}

TEST(JobScript, RejectsWhatASchedulerWouldReject) {
  auto request = two_nodes_of_four_gpus(Scheduler::slurm);
  request.resources.time = "2h";
  expect_error_naming([&] { render_job_script(request); }, {"--time '2h'", "HH:MM:SS"});
  request = two_nodes_of_four_gpus(Scheduler::slurm);
  request.resources.nodes = 0;
  expect_error_naming([&] { render_job_script(request); }, {"--nodes 0"});
  request = two_nodes_of_four_gpus(Scheduler::slurm);
  request.resources.hostfile = "hosts";
  expect_error_naming([&] { render_job_script(request); }, {"--hostfile", "mpirun"});
  expect_error_naming([] { parse_scheduler("lsf"); }, {"'lsf'", "slurm, pbs or mpirun"});
}

TEST(SubmitCommand, ChainsJobsWithAfterAnyDependencies) {
  EXPECT_EQ(submit_command(Scheduler::slurm, "/s/run.sh", ""), (std::vector<std::string>{"sbatch", "--parsable", "/s/run.sh"}));
  EXPECT_EQ(submit_command(Scheduler::slurm, "/s/run.sh", "41"),
            (std::vector<std::string>{"sbatch", "--parsable", "--dependency=afterany:41", "/s/run.sh"}));
  EXPECT_EQ(submit_command(Scheduler::pbs, "/s/run.sh", "7.pbs01"),
            (std::vector<std::string>{"qsub", "-W", "depend=afterany:7.pbs01", "/s/run.sh"}));
  EXPECT_EQ(submitted_job_id(Scheduler::slurm, "4242\n"), "4242");
  EXPECT_EQ(submitted_job_id(Scheduler::slurm, "4242;cluster-a\n"), "4242");
  EXPECT_EQ(submitted_job_id(Scheduler::pbs, "7.pbs01\n"), "7.pbs01");
  expect_error_naming([] { submitted_job_id(Scheduler::slurm, "sbatch: error: invalid partition\n"); },
                      {"sbatch", "invalid partition"});
}

TEST(ShellQuote, LeavesPlainWordsAndQuotesTheRest) {
  EXPECT_EQ(runtime::shell_quote("/a/b-c_d.e"), "/a/b-c_d.e");
  EXPECT_EQ(runtime::shell_quote("a b"), "'a b'");
  EXPECT_EQ(runtime::shell_quote("it's"), "'it'\\''s'");
  EXPECT_EQ(runtime::shell_quote(""), "''");
}

}  // namespace
}  // namespace salient::launch
