file(REMOVE_RECURSE
  "libhzcore.a"
)
