# Empty custom commands generated dependencies file for hz_embedded_migrations.
# This may be replaced when dependencies are built.
