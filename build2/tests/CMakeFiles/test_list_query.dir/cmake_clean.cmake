file(REMOVE_RECURSE
  "CMakeFiles/test_list_query.dir/unit/test_list_query.c.o"
  "CMakeFiles/test_list_query.dir/unit/test_list_query.c.o.d"
  "test_list_query"
  "test_list_query.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_list_query.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
