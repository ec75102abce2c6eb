# Route compilations through ccache. The sloppiness settings let ccache reuse results
# for translation units built with the LibTorch precompiled header.
if(NOT SALIENT_ENABLE_CCACHE)
  return()
endif()
find_program(SALIENT_CCACHE_PROGRAM ccache)
if(NOT SALIENT_CCACHE_PROGRAM)
  message(STATUS "ccache not found: compiling without a cache")
  return()
endif()
set(_salient_launcher
  "${CMAKE_COMMAND}" -E env
  "CCACHE_SLOPPINESS=pch_defines,time_macros,include_file_mtime,include_file_ctime"
  "${SALIENT_CCACHE_PROGRAM}")
foreach(lang C CXX CUDA)
  if(NOT DEFINED CMAKE_${lang}_COMPILER_LAUNCHER)
    set(CMAKE_${lang}_COMPILER_LAUNCHER "${_salient_launcher}")
  endif()
endforeach()
message(STATUS "ccache: ${SALIENT_CCACHE_PROGRAM}")
