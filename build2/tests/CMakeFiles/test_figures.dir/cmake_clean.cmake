file(REMOVE_RECURSE
  "CMakeFiles/test_figures.dir/unit/test_figures.c.o"
  "CMakeFiles/test_figures.dir/unit/test_figures.c.o.d"
  "test_figures"
  "test_figures.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_figures.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
