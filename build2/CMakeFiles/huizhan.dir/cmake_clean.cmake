file(REMOVE_RECURSE
  "CMakeFiles/huizhan.dir/src/main.c.o"
  "CMakeFiles/huizhan.dir/src/main.c.o.d"
  "huizhan"
  "huizhan.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/huizhan.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
