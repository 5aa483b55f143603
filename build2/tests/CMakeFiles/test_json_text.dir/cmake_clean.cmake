file(REMOVE_RECURSE
  "CMakeFiles/test_json_text.dir/unit/test_json_text.c.o"
  "CMakeFiles/test_json_text.dir/unit/test_json_text.c.o.d"
  "test_json_text"
  "test_json_text.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_json_text.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
