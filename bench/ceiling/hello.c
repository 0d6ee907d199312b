/*
 * The FastCGI ceiling: a bare libfcgi responder with the same process and
 * thread counts as easyshifts serve, answering every request with the same
 * body as /healthz. Usage: hello SOCKET WORKERS THREADS
 */
#include <fcgiapp.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static int listen_fd;

static void *serve(void *arg)
{
	static const char reply[] = "Status: 200 OK\r\nContent-Type: application/json\r\n"
				    "Content-Length: 15\r\n\r\n{\"status\":\"ok\"}";
	FCGX_Request req;

	(void)arg;
	FCGX_InitRequest(&req, listen_fd, 0);
	for (;;) {
		int rc;

		/*
		 * No accept mutex: with kept-alive connections, FCGX_Accept_r
		 * blocks reading the next request, and a mutex around it would
		 * serialise every thread. Linux accept() is thread safe.
		 */
		rc = FCGX_Accept_r(&req);
		if (rc < 0)
			break;
		FCGX_PutStr(reply, sizeof(reply) - 1, req.out);
		FCGX_Finish_r(&req);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	int workers, threads, i;

	if (argc != 4) {
		fprintf(stderr, "usage: hello SOCKET WORKERS THREADS\n");
		return 2;
	}
	workers = atoi(argv[2]);
	threads = atoi(argv[3]);
	FCGX_Init();
	unlink(argv[1]);
	listen_fd = FCGX_OpenSocket(argv[1], 1024);
	if (listen_fd < 0)
		return 1;
	chmod(argv[1], 0666);
	for (i = 0; i < workers; i++) {
		if (fork() == 0) {
			pthread_t *t = calloc((size_t)threads, sizeof(*t));
			int j;

			prctl(PR_SET_PDEATHSIG, SIGKILL);
			for (j = 0; j < threads; j++)
				pthread_create(&t[j], NULL, serve, NULL);
			for (j = 0; j < threads; j++)
				pthread_join(t[j], NULL);
			_exit(0);
		}
	}
	signal(SIGTERM, SIG_DFL);
	while (wait(NULL) > 0)
		;
	return 0;
}
