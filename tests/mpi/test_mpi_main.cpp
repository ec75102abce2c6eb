// GoogleTest main for tests run under mpirun: every rank runs every test; the process
// exit code is non-zero on any rank that failed, so mpirun reports the failure.
#include <gtest/gtest.h>

#include "engine/comm/mpi_session.h"

salient::comm::MpiSession* g_mpi = nullptr;

int main(int argc, char** argv) {
  salient::comm::MpiSession mpi(&argc, &argv);
  g_mpi = &mpi;
  ::testing::InitGoogleTest(&argc, argv);
  if (mpi.rank() != 0) {
    // Only rank 0 prints progress; failures are printed by every rank.
    auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
    delete listeners.Release(listeners.default_result_printer());
  }
  return RUN_ALL_TESTS();
}
