# Script mode, run by cmake/web.cmake: vite build into OUT_DIR, gzip -9 beside every hashed
# asset (assets/*), then OUT_C holding every file (plain and .gz) named by its path.
execute_process(
  COMMAND ${CMAKE_COMMAND} -E env HZ_WEB_OUT=${OUT_DIR} ${NODE} node_modules/vite/bin/vite.js build --logLevel warn
  WORKING_DIRECTORY ${SRC}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "vite build failed (${rc})")
endif()
file(GLOB hashed ${OUT_DIR}/assets/*)
foreach(f ${hashed})
  if(NOT f MATCHES "\\.gz$")
    execute_process(COMMAND ${GZIP} -9 -n -k -f ${f} RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "gzip ${f} failed")
    endif()
  endif()
endforeach()
file(GLOB_RECURSE FILES ${OUT_DIR}/*)
set(BASE ${OUT_DIR})
set(OUT ${OUT_C})
set(GROUP web)
include(${EMBED_RUN})
