#include "handlers/vocabulary.h"

#include <string.h>

const char *const vocabulary_worker_roles[] = {
	"crew_chief", "stagehand", "forklift_operator", "truck_driver", "general", NULL,
};

const char *const vocabulary_shift_parts[] = { "morning", "noon", "evening", NULL };

const char *const vocabulary_weekdays[] = {
	"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", NULL,
};

size_t vocabulary_count(const char *const *list)
{
	size_t n = 0;

	while (list[n])
		n++;
	return n;
}

int vocabulary_index(const char *const *list, const char *word)
{
	int i;

	for (i = 0; word && list[i]; i++)
		if (!strcmp(list[i], word))
			return i;
	return -1;
}
