#ifndef ES_MIGRATE_H
#define ES_MIGRATE_H

/*
 * Brings the database to the schema of dir, in one transaction under an
 * advisory lock, so two runs at once take turns and a failed run leaves
 * nothing behind:
 *   1. dir/functions/0N_*.sql: functions that read no table, the ones the
 *      migrations' CHECKs, DEFAULTs and data changes call
 *   2. dir/NNN_*.sql not yet recorded in schema_migrations, in order, each
 *      recorded by file name: tables, indexes, constraints, data changes
 *   3. the other dir/functions/NN_*.sql: functions, views and triggers that
 *      need the tables
 * The functions files hold only current versions (CREATE OR REPLACE) and
 * are applied on every run; a change they cannot make (a new return type,
 * a dropped view column) is a DROP in a numbered migration, as
 * dir/functions/00_*.sql says. A second run changes nothing but replaces
 * the functions with themselves. Prints one line per applied migration and
 * one for the functions to stdout, after the commit. Returns 0,
 * ES_EUNAVAIL (cannot connect), ES_EIO (cannot read dir or a file) or
 * ES_EDB (a statement failed, named on stderr; nothing of the run stays).
 */
int migrate_run(const char *conninfo, const char *dir);

#endif
