# Interface targets that carry the project's compile flags; every salient target links them.
add_library(salient_options INTERFACE)
add_library(salient::options ALIAS salient_options)
target_compile_features(salient_options INTERFACE cxx_std_17)

if(SALIENT_ENABLE_ASAN)
  set(_salient_sanitizers -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_compile_options(salient_options INTERFACE $<$<COMPILE_LANGUAGE:CXX,C>:${_salient_sanitizers}>)
  target_link_options(salient_options INTERFACE ${_salient_sanitizers})
endif()

if(SALIENT_ENABLE_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SALIENT_ENABLE_FUZZ needs clang (libFuzzer): use the 'fuzz' preset")
  endif()
  # Coverage for the fuzzer everywhere; the fuzz targets add the libFuzzer main.
  set(_salient_fuzz_sanitizers -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined)
  target_compile_options(salient_options INTERFACE $<$<COMPILE_LANGUAGE:CXX,C>:${_salient_fuzz_sanitizers}>)
  target_link_options(salient_options INTERFACE -fsanitize=address,undefined)
endif()

add_library(salient_warnings INTERFACE)
add_library(salient::warnings ALIAS salient_warnings)
target_compile_options(salient_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wconversion
                            -Wno-sign-conversion>
  $<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=-Wall,-Wextra>)
