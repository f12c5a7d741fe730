# Helpers shared by every target.
#
# Torch headers cost ~20 s per translation unit; one precompiled header
# (nnc_pch) is built once and reused by every torch-using target.

# Sanitizer details (the flags themselves are set by NNC_SANITIZE in the top CMakeLists.txt).
if(NNC_SANITIZE)
  # UB aborts at the first report instead of printing and carrying on.
  add_compile_options(-fno-sanitize-recover=undefined)
  add_link_options(-fno-sanitize-recover=undefined)
  if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    # gcc's "built with ASan" macro (tests check it); clang 14 only has __has_feature.
    add_compile_definitions(__SANITIZE_ADDRESS__=1)
  endif()
endif()
if(NNC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "NNC_FUZZ needs clang (libFuzzer): configure with CC=clang CXX=clang++")
  endif()
  # Coverage instrumentation for libFuzzer in every library; fuzz/ links libFuzzer itself.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

add_library(nnc_pch OBJECT ${CMAKE_SOURCE_DIR}/cmake/pch.cpp)
target_link_libraries(nnc_pch PUBLIC ${TORCH_LIBRARIES} nnc_fmt)
target_include_directories(nnc_pch PUBLIC ${CMAKE_SOURCE_DIR}/src)
if(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  # clang (C++20) rejects torch/torch.h unless c10::IValue is complete first (LibTorch 1.13's
  # std::vector<IValue> members of forward-declared IValue); gcc's header stays as it was.
  target_precompile_headers(nnc_pch PRIVATE <ATen/core/ivalue.h>)
endif()
target_precompile_headers(nnc_pch PRIVATE ${CMAKE_SOURCE_DIR}/cmake/torch_pch.h)
set_target_properties(nnc_pch PROPERTIES POSITION_INDEPENDENT_CODE OFF)

# nnc_library(NAME TORCH|NOTORCH SOURCES ... DEPS ...)
function(nnc_library name kind)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${A_DEPS})
  target_compile_options(${name} PRIVATE -Wall -Wextra -Wno-unused-parameter)
  if(kind STREQUAL "TORCH")
    target_link_libraries(${name} PUBLIC ${TORCH_LIBRARIES})
    target_precompile_headers(${name} REUSE_FROM nnc_pch)
  endif()
endfunction()

# nnc_test(NAME SOURCES ... DEPS ... LABELS ...)
function(nnc_test name)
  cmake_parse_arguments(A "TORCH" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ${A_DEPS} GTest::gtest GTest::gtest_main)
  target_include_directories(${name} PRIVATE ${CMAKE_SOURCE_DIR}/tests)  # tests/support/
  if(A_TORCH)
    target_precompile_headers(${name} REUSE_FROM nnc_pch)
  endif()
  # unit: finishes in about a second (measured serially on the 2-core CI machine, libtorch's
  # ~0.5 s load included), the `ctest -L unit` loop; pass LABELS slow for longer ones.
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  # One ctest per executable: each process start loads libtorch (~1 s), so per-case
  # processes would cost more than the tests themselves.
  add_test(NAME ${name} COMMAND ${name} --gtest_brief=1)
  # A GTEST_SKIP (e.g. a data set that is not installed) makes ctest say Skipped, not Passed.
  set_tests_properties(${name} PROPERTIES LABELS "${A_LABELS}"
    ENVIRONMENT "NNC_SOURCE_DIR=${CMAKE_SOURCE_DIR};OMP_WAIT_POLICY=PASSIVE"
    SKIP_REGULAR_EXPRESSION "\\[  SKIPPED \\] [0-9]+ test")
endfunction()
