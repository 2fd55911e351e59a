# Fails when a source file differs from .clang-format, naming each one and the command that
# fixes it. Run by CTest as style/clang-format:
#   cmake -DCLANG_FORMAT=... -DSOURCE_DIR=... -P check_format.cmake
# The style is clang-format 14's (Debian 12): other versions format some constructs differently.
file(GLOB_RECURSE sources
    ${SOURCE_DIR}/core/*.h ${SOURCE_DIR}/core/*.cpp
    ${SOURCE_DIR}/ui/*.h ${SOURCE_DIR}/ui/*.cpp
    ${SOURCE_DIR}/app/*.h ${SOURCE_DIR}/app/*.cpp
    ${SOURCE_DIR}/tests/*.h ${SOURCE_DIR}/tests/*.cpp)
set(unformatted "")
foreach(source IN LISTS sources)
    execute_process(COMMAND ${CLANG_FORMAT} --dry-run --Werror ${source}
                    RESULT_VARIABLE status OUTPUT_QUIET ERROR_QUIET)
    if(NOT status EQUAL 0)
        file(RELATIVE_PATH relative ${SOURCE_DIR} ${source})
        list(APPEND unformatted ${relative})
    endif()
endforeach()
list(LENGTH sources checked)
if(unformatted)
    list(JOIN unformatted "\n  " listed)
    message(FATAL_ERROR "not formatted as .clang-format says:\n  ${listed}\n"
                        "fix with: ${CLANG_FORMAT} -i FILE (or git clang-format)")
endif()
message(STATUS "${checked} files formatted as .clang-format says")
