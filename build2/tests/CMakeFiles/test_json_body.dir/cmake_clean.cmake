file(REMOVE_RECURSE
  "CMakeFiles/test_json_body.dir/unit/test_json_body.c.o"
  "CMakeFiles/test_json_body.dir/unit/test_json_body.c.o.d"
  "test_json_body"
  "test_json_body.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_json_body.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
