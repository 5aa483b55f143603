file(REMOVE_RECURSE
  "CMakeFiles/hz_embedded_migrations"
  "embedded_migrations.c"
)

# Per-language clean rules from dependency scanning.
foreach(lang )
  include(CMakeFiles/hz_embedded_migrations.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
