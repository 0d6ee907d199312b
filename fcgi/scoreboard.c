#include "fcgi/scoreboard.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/errors.h"

int scoreboard_create(const char *path, struct scoreboard **out, int *fd, struct strbuf *err)
{
	const char *step = "open";
	struct scoreboard *sb;
	void *p;
	int f, saved;

	f = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (f < 0)
		goto fail;
	step = "lock";
	if (flock(f, LOCK_EX | LOCK_NB)) {
		if (errno == EWOULDBLOCK) {
			strbuf_addf(err, "scoreboard_path: %s is in use by another easyshifts serve",
				    path);
			close(f);
			return ES_ECONFLICT;
		}
		goto out_close;
	}
	step = "resize";
	if (fchmod(f, 0640) || ftruncate(f, 0) || ftruncate(f, sizeof(*sb)))
		goto out_close;
	step = "map";
	p = mmap(NULL, sizeof(*sb), PROT_READ | PROT_WRITE, MAP_SHARED, f, 0);
	if (p == MAP_FAILED)
		goto out_close;
	sb = p;
	sb->version = SB_VERSION;
	sb->size = sizeof(*sb);
	__atomic_store_n(&sb->magic, SB_MAGIC, __ATOMIC_RELEASE);
	*out = sb;
	*fd = f;
	return 0;
out_close:
	saved = errno;
	close(f);
	errno = saved;
fail:
	strbuf_addf(err, "scoreboard_path: %s %s: %s", step, path, strerror(errno));
	return ES_EIO;
}

void scoreboard_remove(struct scoreboard *sb, int fd, const char *path)
{
	unlink(path);
	munmap(sb, sizeof(*sb));
	close(fd);
}

int scoreboard_snapshot(const char *path, struct scoreboard **out, struct strbuf *err)
{
	struct scoreboard *copy;
	struct stat st;
	void *p;
	int f, rc;

	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0 && errno == ENOENT) {
		strbuf_addf(err, "%s does not exist: easyshifts serve is not running with this "
			    "scoreboard_path", path);
		return ES_ENOTFOUND;
	}
	if (f < 0) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		return ES_EIO;
	}
	/* the master holds an exclusive lock while it runs */
	if (!flock(f, LOCK_SH | LOCK_NB)) {
		strbuf_addf(err, "%s: no easyshifts serve holds it (left over from a crash)", path);
		rc = ES_ENOTFOUND;
		goto out_close;
	}
	if (fstat(f, &st) || st.st_size != (off_t)sizeof(*copy)) {
		strbuf_addf(err, "%s: not a scoreboard of this version of easyshifts", path);
		rc = ES_EINVAL;
		goto out_close;
	}
	p = mmap(NULL, sizeof(*copy), PROT_READ, MAP_SHARED, f, 0);
	if (p == MAP_FAILED) {
		strbuf_addf(err, "%s: %s", path, strerror(errno));
		rc = ES_EIO;
		goto out_close;
	}
	copy = malloc(sizeof(*copy));
	if (!copy)
		abort();
	memcpy(copy, p, sizeof(*copy));
	munmap(p, sizeof(*copy));
	if (copy->magic != SB_MAGIC || copy->version != SB_VERSION || copy->size != sizeof(*copy)) {
		strbuf_addf(err, "%s: not a scoreboard of this version of easyshifts", path);
		free(copy);
		rc = ES_EINVAL;
		goto out_close;
	}
	*out = copy;
	rc = 0;
out_close:
	close(f);
	return rc;
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
