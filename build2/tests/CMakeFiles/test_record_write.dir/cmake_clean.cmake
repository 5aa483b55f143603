file(REMOVE_RECURSE
  "CMakeFiles/test_record_write.dir/unit/test_record_write.c.o"
  "CMakeFiles/test_record_write.dir/unit/test_record_write.c.o.d"
  "test_record_write"
  "test_record_write.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_record_write.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
