#include "fcgi/scoreboard.h"

#include <string.h>
#include <sys/mman.h>

struct scoreboard *scoreboard_new(void)
{
	void *p = mmap(NULL, sizeof(struct scoreboard), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	memset(p, 0, sizeof(struct scoreboard));
	return p;
}

void scoreboard_free(struct scoreboard *sb)
{
	if (sb)
		munmap(sb, sizeof(*sb));
}

const char *scoreboard_state_name(int state)
{
	switch (state) {
	case SB_STARTING: return "starting";
	case SB_READY: return "ready";
	case SB_STOPPING: return "stopping";
	default: return "empty";
	}
}
