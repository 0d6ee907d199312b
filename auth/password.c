#include "auth/password.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <string.h>
#include <time.h>

#include "base/errors.h"

#define OPSLIMIT crypto_pwhash_OPSLIMIT_INTERACTIVE
#define MEMLIMIT crypto_pwhash_MEMLIMIT_INTERACTIVE

static pthread_once_t once = PTHREAD_ONCE_INIT;
static sem_t slots;
static char dummy_hash[PASSWORD_HASH_MAX];

static void password_setup(void)
{
	char random_password[33];

	sem_init(&slots, 0, PASSWORD_MAX_PARALLEL);
	randombytes_buf(random_password, 32);
	random_password[32] = '\0';
	if (crypto_pwhash_str(dummy_hash, random_password, 32, OPSLIMIT, MEMLIMIT))
		dummy_hash[0] = '\0';
}

/* Waits for one of the hashing slots; false after PASSWORD_WAIT_S. */
static bool slot_take(void)
{
	struct timespec deadline;

	pthread_once(&once, password_setup);
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += PASSWORD_WAIT_S;
	for (;;) {
		if (!sem_timedwait(&slots, &deadline))
			return true;
		if (errno != EINTR)
			return false;
	}
}

int password_hash(const char *password, char out[PASSWORD_HASH_MAX])
{
	int rc;

	if (!slot_take())
		return ES_EUNAVAIL;
	rc = crypto_pwhash_str(out, password, strlen(password), OPSLIMIT, MEMLIMIT);
	sem_post(&slots);
	return rc ? ES_ENOMEM : 0;
}

int password_verify(const char *hash, const char *password, bool *match)
{
	bool ok;

	*match = false;
	if (!slot_take())
		return ES_EUNAVAIL;
	if (hash && *hash) {
		ok = crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
	} else {
		/* the same work as a real check; its outcome does not matter */
		volatile int discard = crypto_pwhash_str_verify(dummy_hash, password, strlen(password));

		(void)discard;
		ok = false;
	}
	sem_post(&slots);
	*match = ok;
	return 0;
}
