CMakeFiles/hzcore.dir/embedded_migrations.c.o: \
 /work/wt/figs/build2/embedded_migrations.c /usr/include/stdc-predef.h \
 /work/wt/figs/src/util/embed.h \
 /usr/lib/gcc/x86_64-linux-gnu/12/include/stddef.h
