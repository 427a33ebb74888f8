# Fuzz targets are plain files defining LLVMFuzzerTestOneInput.
#
# With BIANMIN_FUZZ=ON (clang) each becomes a libFuzzer binary with ASan and
# UBSan. Without it each is still built and run by ctest through a small
# replay driver (tests/fuzz/replay_main.cpp) that feeds the seed corpus and a
# bounded number of deterministic mutations, so a target never rots.
function(bianmin_fuzz_target name source)
  cmake_parse_arguments(F "" "CORPUS" "LIBS" ${ARGN})
  if(BIANMIN_FUZZ)
    add_executable(${name} ${source})
    target_compile_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -g)
    target_link_options(${name} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(${name} PRIVATE ${F_LIBS})
  else()
    add_executable(${name} ${source} ${PROJECT_SOURCE_DIR}/tests/fuzz/replay_main.cpp)
    target_link_libraries(${name} PRIVATE ${F_LIBS})
    bianmin_warnings(${name})
    if(BIANMIN_TESTS)
      add_test(NAME ${name} COMMAND ${name} ${F_CORPUS})
      set_tests_properties(${name} PROPERTIES LABELS fuzz-replay TIMEOUT 120)
    endif()
  endif()
endfunction()

if(BIANMIN_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "BIANMIN_FUZZ needs clang: CC=clang-14 CXX=clang++-14")
  endif()
  # Instrument every library for coverage and sanitizers; only the fuzz
  # binaries link the libFuzzer main.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
