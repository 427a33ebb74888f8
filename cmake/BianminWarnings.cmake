# Every target of ours builds -Wall -Wextra clean; CI makes warnings errors.
function(bianmin_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
    -Wnon-virtual-dtor -Wconversion -Wno-sign-conversion)
  if(BIANMIN_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
