# Generates build_info.cpp at every build, rewritten only when the git hash changes, so
# `salient --version` always names the commit it was built from.
set(SALIENT_BUILD_INFO_CPP "${PROJECT_BINARY_DIR}/generated/build_info.cpp")
add_custom_target(salient_build_info_stamp
  BYPRODUCTS "${SALIENT_BUILD_INFO_CPP}"
  COMMAND "${CMAKE_COMMAND}"
    -DSOURCE_DIR=${PROJECT_SOURCE_DIR}
    -DOUTPUT=${SALIENT_BUILD_INFO_CPP}
    -DSALIENT_VERSION=${PROJECT_VERSION}
    -DCUDA_COMPILED=$<BOOL:${SALIENT_WITH_CUDA}>
    -P "${PROJECT_SOURCE_DIR}/cmake/write_build_info.cmake"
  COMMENT "Recording the git hash"
  VERBATIM)
