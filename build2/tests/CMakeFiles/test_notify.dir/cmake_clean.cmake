file(REMOVE_RECURSE
  "CMakeFiles/test_notify.dir/unit/test_notify.c.o"
  "CMakeFiles/test_notify.dir/unit/test_notify.c.o.d"
  "test_notify"
  "test_notify.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_notify.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
