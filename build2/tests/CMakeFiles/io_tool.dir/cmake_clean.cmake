file(REMOVE_RECURSE
  "CMakeFiles/io_tool.dir/io/io_tool.c.o"
  "CMakeFiles/io_tool.dir/io/io_tool.c.o.d"
  "io_tool"
  "io_tool.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/io_tool.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
