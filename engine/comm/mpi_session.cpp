#include "engine/comm/mpi_session.h"

#include <unistd.h>

#include <array>

namespace salient::comm {
namespace {

std::string host_name() {
  std::array<char, 256> name{};
  if (gethostname(name.data(), name.size() - 1) != 0) return "unknown-host";
  return name.data();
}

}  // namespace

MpiSession::MpiSession(int* argc, char*** argv) : host_(host_name()) {
  int provided = 0;
  SALIENT_MPI_CHECK(MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided));
  // Errors come back as codes so SALIENT_MPI_CHECK can report them with host and rank.
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  SALIENT_MPI_CHECK(MPI_Comm_rank(MPI_COMM_WORLD, &rank_));
  SALIENT_MPI_CHECK(MPI_Comm_size(MPI_COMM_WORLD, &size_));
  MPI_Comm host_comm = MPI_COMM_NULL;
  SALIENT_MPI_CHECK(MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &host_comm));
  SALIENT_MPI_CHECK(MPI_Comm_rank(host_comm, &local_rank_));
  SALIENT_MPI_CHECK(MPI_Comm_size(host_comm, &local_size_));
  MPI_Comm_free(&host_comm);
}

MpiSession::~MpiSession() {
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (!finalized) MPI_Finalize();
}

std::string mpi_library_version() {
  std::array<char, MPI_MAX_LIBRARY_VERSION_STRING> text{};
  int length = 0;
  MPI_Get_library_version(text.data(), &length);
  std::string version(text.data(), static_cast<std::size_t>(length));
  // Open MPI appends repository and release date after the first comma.
  if (const auto comma = version.find(','); comma != std::string::npos) version.resize(comma);
  while (!version.empty() && (version.back() == '\n' || version.back() == ' ')) version.pop_back();
  return version;
}

void throw_mpi_error(int code, const char* call, const char* file, int line) {
  std::array<char, MPI_MAX_ERROR_STRING> text{};
  int length = 0;
  MPI_Error_string(code, text.data(), &length);
  int rank = -1;
  int initialized = 0;
  MPI_Initialized(&initialized);
  if (initialized) MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  throw Error(fmt::format("MPI error on host {} rank {}: {} failed: {} [{}:{}]", host_name(), rank, call,
                          std::string(text.data(), static_cast<std::size_t>(length)), file, line));
}

}  // namespace salient::comm
