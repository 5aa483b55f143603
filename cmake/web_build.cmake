# Script mode, run by cmake/web.cmake: vite build into OUT_DIR, gzip -9 beside every hashed
# asset (assets/*), then OUT_C holding every file (plain and .gz) named by its path.
#
# The result is kept in web/node_modules/.cache/huizhan-web/KEY, KEY the SHA-256 of every
# input (web/src, web/public, index.html, the vite config, package.json and its lock, these
# scripts): a second build directory (make asan after make test) or a rebuild after a change
# that was undone copies it instead of running vite again. npm ci empties the cache with
# node_modules; the two newest entries are kept.
set(CACHE_ROOT ${SRC}/node_modules/.cache/huizhan-web)
file(GLOB_RECURSE inputs ${SRC}/src/* ${SRC}/public/*)
list(APPEND inputs ${SRC}/index.html ${SRC}/vite.config.js ${SRC}/package.json ${SRC}/package-lock.json
  ${CMAKE_CURRENT_LIST_FILE} ${EMBED_RUN})
list(SORT inputs)
set(sums "")
foreach(f ${inputs})
  file(SHA256 ${f} h)
  file(RELATIVE_PATH rel ${SRC} ${f})
  string(APPEND sums "${rel} ${h}\n")
endforeach()
string(SHA256 key "${sums}")
set(CACHED ${CACHE_ROOT}/${key})

if(EXISTS ${CACHED}/embedded_web.c)
  message(STATUS "web UI unchanged: copied from ${CACHED}")
  file(REMOVE_RECURSE ${OUT_DIR})
  file(COPY ${CACHED}/web/ DESTINATION ${OUT_DIR})
  file(COPY_FILE ${CACHED}/embedded_web.c ${OUT_C} ONLY_IF_DIFFERENT)
  return()
endif()

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

# Into the cache: written under a temporary name and renamed when whole, so a build
# running beside this one never copies half an entry.
if(IS_DIRECTORY ${SRC}/node_modules)
  string(RANDOM LENGTH 8 tag)
  set(tmp ${CACHE_ROOT}/tmp-${tag})
  file(MAKE_DIRECTORY ${tmp})
  file(COPY ${OUT_DIR}/ DESTINATION ${tmp}/web)
  file(COPY_FILE ${OUT_C} ${tmp}/embedded_web.c)
  file(RENAME ${tmp} ${CACHED} RESULT renamed)
  if(NOT renamed EQUAL 0)
    file(REMOVE_RECURSE ${tmp})
  endif()
  # the two newest entries stay (the build before a change, and after it)
  file(GLOB entries LIST_DIRECTORIES true ${CACHE_ROOT}/*)
  set(dated "")
  foreach(e ${entries})
    get_filename_component(base ${e} NAME)
    if(base MATCHES "^[0-9a-f]+$") # not another build's entry still being written (tmp-*)
      file(TIMESTAMP ${e} t "%Y%m%d%H%M%S")
      list(APPEND dated "${t}|${e}")
    endif()
  endforeach()
  list(SORT dated ORDER DESCENDING)
  list(LENGTH dated n)
  if(n GREATER 2)
    list(SUBLIST dated 2 -1 old)
    foreach(o ${old})
      string(REGEX REPLACE "^[^|]*\\|" "" o "${o}")
      file(REMOVE_RECURSE ${o})
    endforeach()
  endif()
endif()
