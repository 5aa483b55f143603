file(REMOVE_RECURSE
  "CMakeFiles/test_bulletin_doc.dir/unit/test_bulletin_doc.c.o"
  "CMakeFiles/test_bulletin_doc.dir/unit/test_bulletin_doc.c.o.d"
  "test_bulletin_doc"
  "test_bulletin_doc.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_bulletin_doc.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
