// The templates of launch/, embedded at configure time (engine/launch/launch_templates.cpp.in)
// so that an installed binary renders scripts without the source tree.
#pragma once

namespace salient::launch {

extern const char* const kSlurmTemplate;   ///< launch/slurm.sbatch.in
extern const char* const kPbsTemplate;     ///< launch/pbs.sh.in
extern const char* const kMpirunTemplate;  ///< launch/mpirun.sh.in

}  // namespace salient::launch
