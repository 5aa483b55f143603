# hz_embed(TARGET_NAME OUT_C GROUP FILES...)
# Generates OUT_C holding every file as a byte array plus a table
#   const HzEmbedded hz_embedded_<GROUP>[] = {{"name", data, size}, ..., {0}};
# so the binary carries them and needs no files beside it at run time.
function(hz_embed target out group)
  set(files ${ARGN})
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DGROUP=${group} "-DFILES=${files}"
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${files} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${group}"
    VERBATIM) # keeps the ;-separated FILES list one argument when there are several files
  add_custom_target(${target} DEPENDS ${out})
endfunction()
