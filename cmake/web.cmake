# The web UI (web/): `npm ci` when node_modules is missing or older than package-lock.json,
# `vite build` into build/web, gzip of every hashed asset, and the embedding of the result
# as hz_embedded_web (util/embed.h). Runs only when a file under web/ changed.
find_program(HZ_NPM npm REQUIRED)
find_program(HZ_NODE node REQUIRED)
find_program(HZ_GZIP gzip REQUIRED)
set(HZ_WEB_SRC ${CMAKE_SOURCE_DIR}/web)
set(HZ_WEB_OUT ${CMAKE_BINARY_DIR}/web)
set(HZ_WEB_C ${CMAKE_BINARY_DIR}/embedded_web.c)
set(HZ_WEB_MODULES_STAMP ${HZ_WEB_SRC}/node_modules/.package-lock.json)

file(GLOB_RECURSE HZ_WEB_INPUTS CONFIGURE_DEPENDS ${HZ_WEB_SRC}/src/* ${HZ_WEB_SRC}/public/*)
list(APPEND HZ_WEB_INPUTS ${HZ_WEB_SRC}/index.html ${HZ_WEB_SRC}/vite.config.js ${HZ_WEB_SRC}/package.json)

# npm ci rewrites node_modules/.package-lock.json, so its age says whether node_modules
# matches the committed lock file.
add_custom_command(
  OUTPUT ${HZ_WEB_MODULES_STAMP}
  COMMAND ${HZ_NPM} ci --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${HZ_WEB_MODULES_STAMP}
  DEPENDS ${HZ_WEB_SRC}/package-lock.json
  WORKING_DIRECTORY ${HZ_WEB_SRC}
  COMMENT "npm ci in web/ (node_modules missing or older than package-lock.json)"
  VERBATIM)

add_custom_command(
  OUTPUT ${HZ_WEB_C}
  COMMAND ${CMAKE_COMMAND} -DNODE=${HZ_NODE} -DGZIP=${HZ_GZIP} -DSRC=${HZ_WEB_SRC} -DOUT_DIR=${HZ_WEB_OUT}
          -DOUT_C=${HZ_WEB_C} -DEMBED_RUN=${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
          -P ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake
  DEPENDS ${HZ_WEB_MODULES_STAMP} ${HZ_WEB_INPUTS} ${HZ_WEB_SRC}/package-lock.json
          ${CMAKE_SOURCE_DIR}/cmake/web_build.cmake ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
  COMMENT "Building and embedding the web UI (vite build)"
  VERBATIM)
