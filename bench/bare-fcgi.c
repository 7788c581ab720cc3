/* bare-fcgi.c: the benchmark baseline, a pre-forked libfcgi responder that answers every request with one file. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <fcgiapp.h>

#define WORKERS_MAX	256

static volatile sig_atomic_t stop;

static void
on_term(int sig)
{
	(void)sig;
	stop = 1;
	FCGX_ShutdownPending();
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: bare-fcgi --listen unix:PATH [--workers N] "
	    "[--socket-group GROUP] FILE\n");
}

/*
 * Read the whole of path into a new buffer. Returns the buffer (the
 * caller frees it) and sets *len, or NULL on error (already reported).
 */
static char *
slurp(const char *path, size_t *len)
{
	struct stat	 st;
	char		*p = NULL;
	size_t		 got = 0;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		fprintf(stderr, "bare-fcgi: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    st.st_size > INT_MAX) {
		fprintf(stderr, "bare-fcgi: %s: not a regular file of "
		    "at most 2 GiB\n", path);
		goto out;
	}
	if ((p = malloc((size_t)st.st_size + 1)) == NULL) {
		fprintf(stderr, "bare-fcgi: out of memory\n");
		goto out;
	}
	while (got < (size_t)st.st_size) {
		n = read(fd, p + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			fprintf(stderr, "bare-fcgi: %s: short read\n", path);
			free(p);
			p = NULL;
			goto out;
		}
		got += (size_t)n;
	}
	*len = got;
out:
	close(fd);
	return p;
}

/*
 * Create a listening unix socket at path with mode 0660, group group
 * (if not NULL). Returns the descriptor, or -1 on error (reported).
 */
static int
listen_unix(const char *path, const char *group)
{
	struct sockaddr_un	 sun;
	struct group		*gr;
	mode_t			 old;
	int			 fd;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		fprintf(stderr, "bare-fcgi: socket path too long: %s\n", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
		fprintf(stderr, "bare-fcgi: socket: %s\n", strerror(errno));
		return -1;
	}
	if (unlink(path) == -1 && errno != ENOENT) {
		fprintf(stderr, "bare-fcgi: %s: %s\n", path, strerror(errno));
		goto fail;
	}
	old = umask(0117);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		umask(old);
		fprintf(stderr, "bare-fcgi: bind %s: %s\n", path,
		    strerror(errno));
		goto fail;
	}
	umask(old);
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			fprintf(stderr, "bare-fcgi: no such group: %s\n", group);
			goto fail_unlink;
		}
		if (chown(path, (uid_t)-1, gr->gr_gid) == -1) {
			fprintf(stderr, "bare-fcgi: chgrp %s: %s\n", path,
			    strerror(errno));
			goto fail_unlink;
		}
	}
	if (listen(fd, 1024) == -1) {
		fprintf(stderr, "bare-fcgi: listen: %s\n", strerror(errno));
		goto fail_unlink;
	}
	return fd;
fail_unlink:
	unlink(path);
fail:
	close(fd);
	return -1;
}

/* Serve requests on lsock until told to stop; never returns. */
static void
worker(int lsock, const char *body, size_t len)
{
	FCGX_Request	 rq;
	char		 hdr[128], drain[4096];
	int		 hlen, rc, n;
	size_t		 off;

	if (FCGX_InitRequest(&rq, lsock, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
		_exit(1);
	hlen = snprintf(hdr, sizeof(hdr),
	    "Content-Type: text/html; charset=utf-8\r\n"
	    "Content-Length: %lu\r\n\r\n", (unsigned long)len);
	while (!stop) {
		rc = FCGX_Accept_r(&rq);
		if (rc < 0) {
			if (rc == -EINTR && !stop)
				continue;
			break;
		}
		/* Drain the request body, if any. */
		while (FCGX_GetStr(drain, sizeof(drain), rq.in) > 0)
			;
		FCGX_PutStr(hdr, hlen, rq.out);
		for (off = 0; off < len; off += (size_t)n) {
			n = len - off > 65536 ? 65536 : (int)(len - off);
			if (FCGX_PutStr(body + off, n, rq.out) != n)
				break;
		}
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
	_exit(0);
}

/* Fork one worker; returns its pid, or -1 (reported). */
static pid_t
spawn(int lsock, const char *body, size_t len)
{
	pid_t	 pid;

	if ((pid = fork()) == -1) {
		fprintf(stderr, "bare-fcgi: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0)
		worker(lsock, body, len);
	return pid;
}

int
main(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct sigaction	 sa;
	const char		*listen_arg = NULL, *group = NULL, *path;
	pid_t			 pids[WORKERS_MAX], pid;
	char			*body = NULL, *end;
	size_t			 len = 0;
	long			 n;
	int			 c, i, nworkers = 2, lsock = -1, alive, st;
	int			 rc = 1;

	while ((c = getopt_long(argc, argv, "l:w:g:h", opts, NULL)) != -1) {
		switch (c) {
		case 'l':
			listen_arg = optarg;
			break;
		case 'w':
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || end == optarg ||
			    n < 1 || n > WORKERS_MAX) {
				fprintf(stderr, "bare-fcgi: --workers: a number "
				    "from 1 to %d\n", WORKERS_MAX);
				return 1;
			}
			nworkers = (int)n;
			break;
		case 'g':
			group = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind + 1 != argc || listen_arg == NULL ||
	    strncmp(listen_arg, "unix:", 5) != 0) {
		usage(stderr);
		return 1;
	}
	path = listen_arg + 5;

	if ((body = slurp(argv[optind], &len)) == NULL)
		return 1;
	if (FCGX_Init() != 0) {
		fprintf(stderr, "bare-fcgi: FCGX_Init failed\n");
		goto out;
	}
	if ((lsock = listen_unix(path, group)) == -1)
		goto out;

	/* No SA_RESTART: a signal must interrupt a blocked accept(). */
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);

	for (i = 0; i < nworkers; i++)
		pids[i] = spawn(lsock, body, len);

	/* Supervise: restart a worker that dies until told to stop. */
	while (!stop) {
		pid = waitpid(-1, &st, 0);
		if (pid == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (i = 0; i < nworkers; i++)
			if (pids[i] == pid && !stop) {
				fprintf(stderr, "bare-fcgi: worker %ld "
				    "exited, restarting\n", (long)pid);
				pids[i] = spawn(lsock, body, len);
			}
	}

	/* Pass the signal on and wait for every worker. */
	for (i = 0; i < nworkers; i++)
		if (pids[i] > 0)
			kill(pids[i], SIGTERM);
	do {
		alive = 0;
		for (i = 0; i < nworkers; i++) {
			if (pids[i] <= 0)
				continue;
			if (waitpid(pids[i], &st, 0) == pids[i] ||
			    errno == ECHILD)
				pids[i] = -1;
			else
				alive = 1;
		}
	} while (alive);
	rc = 0;
out:
	if (lsock != -1) {
		close(lsock);
		unlink(path);
	}
	free(body);
	return rc;
}
