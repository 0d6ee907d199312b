#ifndef ES_MIGRATE_H
#define ES_MIGRATE_H

/*
 * Applies dir/NNN_*.sql in order, each in its own transaction, under an
 * advisory lock so two runs at once take turns; each applied file is
 * recorded in schema_migrations, so a second run is a no-op. Prints one line
 * per applied file to stdout. Returns 0, ES_EUNAVAIL (cannot connect),
 * ES_EIO (cannot read dir) or ES_EDB (a migration failed: nothing of it stays).
 */
int migrate_run(const char *conninfo, const char *dir);

#endif
