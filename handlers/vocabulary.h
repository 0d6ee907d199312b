#ifndef ES_HANDLERS_VOCABULARY_H
#define ES_HANDLERS_VOCABULARY_H

#include <stddef.h>

/*
 * The domain's word lists, NULL-ended, in the order of their SQL twins
 * es_worker_roles(), es_shift_parts() and es_weekdays() (sql/002_shifts.sql),
 * which the database checks with. Weekdays start on Monday (ISO order).
 */
extern const char *const vocabulary_worker_roles[];
extern const char *const vocabulary_shift_parts[];
extern const char *const vocabulary_weekdays[];

/* The number of words in a NULL-ended list. */
size_t vocabulary_count(const char *const *list);
/* The position of word in list, -1 when it is not there (or NULL). */
int vocabulary_index(const char *const *list, const char *word);

#endif
