file(REMOVE_RECURSE
  "CMakeFiles/test_validate.dir/unit/test_validate.c.o"
  "CMakeFiles/test_validate.dir/unit/test_validate.c.o.d"
  "test_validate"
  "test_validate.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_validate.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
