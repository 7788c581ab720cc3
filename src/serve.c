/* serve.c: the pre-forked FastCGI server, or one CGI request. */
#include "config.h"

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <netinet/in.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <fcgiapp.h>

#include "kw.h"
#include "req.h"
#include "serve.h"

#define WORKERS_DEFAULT	2
#define WORKERS_MAX	256
#define BACKLOG		128
#define GRACE_MS	30000	/* SIGKILL workers still busy after this */
#define QUICK_MS	2000	/* a worker dying sooner counts as a crash loop */
#define BACKOFF_MAX_MS	10000
#define EXIT_INIT	3	/* worker_init failed */
#define EXIT_ACCEPT	4	/* the listening socket keeps failing */

/* Set by the SIGTERM/SIGINT/SIGUSR1 handler, in parent and workers. */
static volatile sig_atomic_t stopping;

static const int stop_signals[] = { SIGTERM, SIGINT, SIGUSR1 };
#define NSTOP	(sizeof(stop_signals) / sizeof(stop_signals[0]))

struct slot {
	pid_t		 pid;		/* -1 when not running */
	long long	 started;	/* monotonic ms */
	long long	 respawn_at;	/* monotonic ms, when pid == -1 */
	unsigned	 quick;		/* consecutive quick deaths */
};

/* Saved process state, restored before serve_run() returns. */
struct saved {
	struct sigaction	 stop[NSTOP];
	struct sigaction	 chld;
	sigset_t		 mask;
};

static void
on_stop(int sig)
{
	(void)sig;
	stopping = 1;
	FCGX_ShutdownPending();
}

/* Only there so that SIGCHLD interrupts ppoll() in the supervisor. */
static void
on_chld(int sig)
{
	(void)sig;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
ms_to_ts(long long ms, struct timespec *ts)
{
	if (ms < 0)
		ms = 0;
	ts->tv_sec = (time_t)(ms / 1000);
	ts->tv_nsec = (long)(ms % 1000) * 1000000;
}

static int
set_nonblock_cloexec(int fd)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0 ||
	    (fl = fcntl(fd, F_GETFD)) < 0 ||
	    fcntl(fd, F_SETFD, fl | FD_CLOEXEC) < 0)
		return -1;
	return 0;
}

/* ---- listening sockets --------------------------------------------------- */

/*
 * Bind a unix socket at path with mode 0660 (and group, if set). A stale
 * socket file is replaced; a live one (another server answers) or any
 * other file is an error. Returns the fd or -1 (logged).
 */
static int
listen_unix(const char *path, const char *group)
{
	struct sockaddr_un sun;
	struct stat sb;
	struct group *gr;
	mode_t old;
	int fd = -1, probe = -1, bound = 0, rc;

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (*path == '\0' || strlen(path) >= sizeof(sun.sun_path)) {
		kw_logx("unix socket path empty or too long: %s", path);
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path) + 1);

	if (lstat(path, &sb) == 0) {
		if (!S_ISSOCK(sb.st_mode)) {
			kw_logx("%s exists and is not a socket", path);
			goto fail;
		}
		if ((probe = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
			kw_logx("socket: %s", strerror(errno));
			goto fail;
		}
		rc = connect(probe, (struct sockaddr *)&sun, sizeof(sun));
		close(probe);
		if (rc == 0) {
			kw_logx("%s: another server is listening there", path);
			goto fail;
		}
		if (unlink(path) != 0 && errno != ENOENT) {
			kw_logx("unlink %s: %s", path, strerror(errno));
			goto fail;
		}
	}

	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0) {
		kw_logx("socket: %s", strerror(errno));
		goto fail;
	}
	/* Created 0660 from the start: no window with a wider mode. */
	old = umask(0117);
	rc = bind(fd, (struct sockaddr *)&sun, sizeof(sun));
	umask(old);
	if (rc != 0) {
		kw_logx("bind %s: %s", path, strerror(errno));
		goto fail;
	}
	bound = 1;
	if (chmod(path, 0660) != 0) {
		kw_logx("chmod %s: %s", path, strerror(errno));
		goto fail;
	}
	if (group != NULL) {
		if ((gr = getgrnam(group)) == NULL) {
			kw_logx("unknown group %s", group);
			goto fail;
		}
		if (chown(path, (uid_t)-1, gr->gr_gid) != 0) {
			kw_logx("chgrp %s %s: %s", group, path,
			    strerror(errno));
			goto fail;
		}
	}
	if (listen(fd, BACKLOG) != 0 || set_nonblock_cloexec(fd) != 0) {
		kw_logx("listen %s: %s", path, strerror(errno));
		goto fail;
	}
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	if (bound)
		unlink(path);
	return -1;
}

static int
is_loopback(const struct sockaddr *sa)
{
	const struct sockaddr_in *in4;
	const struct sockaddr_in6 *in6;

	if (sa->sa_family == AF_INET) {
		in4 = (const struct sockaddr_in *)(const void *)sa;
		return (ntohl(in4->sin_addr.s_addr) >> 24) == 127;
	}
	if (sa->sa_family == AF_INET6) {
		in6 = (const struct sockaddr_in6 *)(const void *)sa;
		return IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr);
	}
	return 0;
}

/*
 * Bind HOST:PORT ("127.0.0.1:9000", "[::1]:9000", "localhost:9000").
 * Every address the host resolves to must be loopback: the FastCGI
 * socket is for nginx on this machine only. Returns the fd or -1.
 */
static int
listen_tcp(const char *spec)
{
	struct addrinfo hints, *res = NULL, *ai;
	const char *colon = strrchr(spec, ':');
	char host[256];
	size_t hlen;
	long long port;
	int fd = -1, one = 1, rc;

	if (colon == NULL || kw_parse_int(colon + 1, 1, 65535, &port) != 0) {
		kw_logx("--listen %s: expected unix:PATH or HOST:PORT", spec);
		return -1;
	}
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']') {
		spec++;
		hlen -= 2;
	}
	if (hlen == 0 || hlen >= sizeof(host) || strncmp(spec, "*", hlen) == 0) {
		kw_logx("--listen: a loopback host is required");
		return -1;
	}
	memcpy(host, spec, hlen);
	host[hlen] = '\0';

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, colon + 1, &hints, &res)) != 0) {
		kw_logx("--listen %s: %s", host, gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai != NULL; ai = ai->ai_next)
		if (!is_loopback(ai->ai_addr)) {
			kw_logx("--listen %s: refusing a non-loopback address",
			    host);
			goto fail;
		}
	if ((fd = socket(res->ai_family, SOCK_STREAM, 0)) < 0) {
		kw_logx("socket: %s", strerror(errno));
		goto fail;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 ||
	    listen(fd, BACKLOG) != 0 || set_nonblock_cloexec(fd) != 0) {
		kw_logx("bind/listen %s: %s", host, strerror(errno));
		goto fail;
	}
	freeaddrinfo(res);
	return fd;
fail:
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	return -1;
}

/* ---- workers ------------------------------------------------------------- */

/*
 * A worker: accept and serve until told to stop or recycled. The stop
 * signals are blocked except while waiting in ppoll(), so a request is
 * never interrupted: a SIGTERM that arrives while serving takes effect
 * when the worker next waits. The listening socket is non-blocking, so
 * a worker that loses the race for a connection returns to ppoll().
 * Never returns.
 */
static void
worker_main(int lfd, const struct serve_opts *o, const struct serve_app *app,
    const sigset_t *waitmask, pid_t parent)
{
	FCGX_Request rq;
	struct req_io io = req_io_fcgx;
	struct pollfd pfd;
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	unsigned served = 0, fails = 0;
	int rc, status = 0;

#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
	if (getppid() != parent)
		_exit(0);
	if (app->worker_init != NULL && app->worker_init(app->ud) != 0) {
		kw_logx("worker initialisation failed");
		_exit(EXIT_INIT);
	}
	FCGX_InitRequest(&rq, lfd, FCGI_FAIL_ACCEPT_ON_INTR);
	io.ud = &rq;

	while (!stopping &&
	    (o->max_requests == 0 || served < o->max_requests)) {
		/* A kept-alive connection (fastcgi_keep_conn) comes first. */
		pfd.fd = rq.ipcFd >= 0 ? rq.ipcFd : lfd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		if (ppoll(&pfd, 1, NULL, waitmask) < 0) {
			if (errno == EINTR)
				continue;
			kw_logx("poll: %s", strerror(errno));
			status = EXIT_ACCEPT;
			break;
		}
		if ((rc = FCGX_Accept_r(&rq)) < 0) {
			if (rc == -EAGAIN || rc == -EWOULDBLOCK ||
			    rc == -EINTR || rc == -ECONNABORTED)
				continue;
			kw_logx("FCGX_Accept_r failed: %s", rc > -9000 ?
			    strerror(-rc) : "protocol error");
			if (++fails >= 10) {
				status = EXIT_ACCEPT;
				break;
			}
			nanosleep(&pause, NULL);
			continue;
		}
		fails = 0;
		served++;
		app->handle(&io, app->ud);
		FCGX_Finish_r(&rq);
	}
	FCGX_Free(&rq, 1);
	if (app->worker_fini != NULL)
		app->worker_fini(app->ud);
	fflush(stderr);
	_exit(status);
}

/* Fork a worker into s. Returns 0, or -1 if fork failed (logged). */
static int
spawn(struct slot *s, int lfd, const struct serve_opts *o,
    const struct serve_app *app, const sigset_t *waitmask)
{
	pid_t pid, parent = getpid();

	fflush(NULL);
	if ((pid = fork()) < 0) {
		kw_logx("fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0)
		worker_main(lfd, o, app, waitmask, parent);
	s->pid = pid;
	s->started = now_ms();
	return 0;
}

/* Collect exited workers; in the running phase schedule respawns. */
static size_t
reap(struct slot *slots, size_t n, int running)
{
	struct slot *s;
	long long now, delay;
	size_t i, nreaped = 0;
	pid_t pid;
	int st;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		for (s = NULL, i = 0; i < n; i++)
			if (slots[i].pid == pid)
				s = &slots[i];
		if (s == NULL)
			continue;
		nreaped++;
		s->pid = -1;
		now = now_ms();
		if (!running) {
			if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
				kw_logx("worker %ld ended with %s %d while "
				    "stopping", (long)pid, WIFSIGNALED(st) ?
				    "signal" : "status", WIFSIGNALED(st) ?
				    WTERMSIG(st) : WEXITSTATUS(st));
			continue;
		}
		/* A clean exit while running is a recycled worker. */
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
			s->quick = 0;
			s->respawn_at = now;
			continue;
		}
		if (now - s->started < QUICK_MS)
			s->quick++;
		else
			s->quick = 0;
		delay = 0;
		if (s->quick > 0) {
			delay = 100LL << (s->quick > 7 ? 7 : s->quick - 1);
			if (delay > BACKOFF_MAX_MS)
				delay = BACKOFF_MAX_MS;
		}
		s->respawn_at = now + delay;
		if (WIFSIGNALED(st))
			kw_logx("worker %ld killed by signal %d; restarting "
			    "in %lld ms", (long)pid, WTERMSIG(st), delay);
		else
			kw_logx("worker %ld exited with status %d; "
			    "restarting in %lld ms", (long)pid,
			    WEXITSTATUS(st), delay);
	}
	return nreaped;
}

/*
 * The supervisor: keep n workers running until a stop signal, then stop
 * them (SIGTERM, SIGKILL after GRACE_MS) and return once all are gone.
 */
static void
supervise(int lfd, const struct serve_opts *o, const struct serve_app *app,
    int n, const sigset_t *waitmask)
{
	struct slot *slots;
	struct timespec ts;
	long long now, next, deadline;
	size_t i, live;

	slots = xcalloc((size_t)n, sizeof(*slots));
	for (i = 0; i < (size_t)n; i++) {
		slots[i].pid = -1;
		slots[i].respawn_at = 0;
	}

	while (!stopping) {
		reap(slots, (size_t)n, 1);
		now = now_ms();
		next = -1;
		for (i = 0; i < (size_t)n && !stopping; i++) {
			if (slots[i].pid != -1)
				continue;
			if (slots[i].respawn_at <= now) {
				if (spawn(&slots[i], lfd, o, app,
				    waitmask) == 0)
					continue;
				slots[i].respawn_at = now + 1000;
			}
			if (next < 0 || slots[i].respawn_at - now < next)
				next = slots[i].respawn_at - now;
		}
		if (stopping)
			break;
		/* Sleep until a signal (SIGCHLD, SIGTERM) or a respawn. */
		ms_to_ts(next, &ts);
		ppoll(NULL, 0, next < 0 ? NULL : &ts, waitmask);
	}

	/* Stop: workers finish their request and leave. */
	for (i = 0; i < (size_t)n; i++)
		if (slots[i].pid != -1)
			kill(slots[i].pid, SIGTERM);
	deadline = now_ms() + GRACE_MS;
	for (;;) {
		reap(slots, (size_t)n, 0);
		for (live = 0, i = 0; i < (size_t)n; i++)
			if (slots[i].pid != -1)
				live++;
		if (live == 0)
			break;
		if ((now = now_ms()) >= deadline) {
			kw_logx("%zu workers still busy; killing them", live);
			for (i = 0; i < (size_t)n; i++)
				if (slots[i].pid != -1 &&
				    kill(slots[i].pid, SIGKILL) == 0)
					waitpid(slots[i].pid, NULL, 0);
			break;
		}
		ms_to_ts(deadline - now, &ts);
		ppoll(NULL, 0, &ts, waitmask);
	}
	free(slots);
}

/* ---- signals --------------------------------------------------------------- */

/* Install the handlers (no SA_RESTART) and block the signals they
 * handle; *waitmask gets the mask to wait with. */
static void
signals_setup(struct saved *sv, sigset_t *waitmask)
{
	struct sigaction sa;
	sigset_t block;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sigemptyset(&block);
	sa.sa_handler = on_stop;
	for (i = 0; i < NSTOP; i++) {
		sigaddset(&sa.sa_mask, stop_signals[i]);
		sigaddset(&block, stop_signals[i]);
	}
	sa.sa_flags = 0;
	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &sv->stop[i]);
	sa.sa_handler = on_chld;
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, &sv->chld);
	sigaddset(&block, SIGCHLD);

	sigprocmask(SIG_BLOCK, &block, &sv->mask);
	*waitmask = sv->mask;
	for (i = 0; i < NSTOP; i++)
		sigdelset(waitmask, stop_signals[i]);
	sigdelset(waitmask, SIGCHLD);
}

static void
signals_restore(const struct saved *sv)
{
	size_t i;

	for (i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sv->stop[i], NULL);
	sigaction(SIGCHLD, &sv->chld, NULL);
	sigprocmask(SIG_SETMASK, &sv->mask, NULL);
}

/* ---- entry ----------------------------------------------------------------- */

/* One request from the CGI environment and stdio. */
static int
serve_cgi(const struct serve_app *app)
{
	static const char fail[] = "Status: 500 Internal Server Error\r\n"
	    "Content-Type: text/plain; charset=utf-8\r\n"
	    "Content-Security-Policy: default-src 'none'; "
	    "frame-ancestors 'none'\r\n"
	    "X-Content-Type-Options: nosniff\r\n"
	    "Cache-Control: no-store\r\n\r\n"
	    "500 Internal Server Error\n";

	if (app->worker_init != NULL && app->worker_init(app->ud) != 0) {
		kw_logx("initialisation failed");
		req_io_cgi.write(NULL, fail, sizeof(fail) - 1);
		return 1;
	}
	app->handle(&req_io_cgi, app->ud);
	if (app->worker_fini != NULL)
		app->worker_fini(app->ud);
	fflush(stdout);
	return 0;
}

int
serve_run(const struct serve_opts *opts, const struct serve_app *app)
{
	struct saved sv;
	struct sigaction ign, oldpipe;
	sigset_t waitmask;
	const char *unix_path = NULL;
	int lfd = -1, n, rc;

	/* A client that went away must not kill the process. */
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGPIPE, &ign, &oldpipe);

	if ((rc = FCGX_Init()) != 0) {
		kw_logx("FCGX_Init failed (%d)", rc);
		rc = 1;
		goto out;
	}

	/* The configuration decides first; FCGX_IsCGI() only without it. */
	if (opts->listen != NULL) {
		if (strncmp(opts->listen, "unix:", 5) == 0) {
			unix_path = opts->listen + 5;
			lfd = listen_unix(unix_path, opts->socket_group);
		} else
			lfd = listen_tcp(opts->listen);
		if (lfd < 0) {
			unix_path = NULL;
			rc = 1;
			goto out;
		}
	} else if (FCGX_IsCGI()) {
		rc = serve_cgi(app);
		goto out;
	} else {
		/* spawn-fcgi and friends: fd 0 is the listening socket. */
		lfd = 0;
		if (set_nonblock_cloexec(lfd) != 0) {
			kw_logx("fd 0: %s", strerror(errno));
			rc = 1;
			goto out;
		}
	}

	n = opts->workers > 0 ? opts->workers : WORKERS_DEFAULT;
	if (n > WORKERS_MAX)
		n = WORKERS_MAX;
	stopping = 0;
	signals_setup(&sv, &waitmask);
	supervise(lfd, opts, app, n, &waitmask);
	signals_restore(&sv);
	rc = 0;
out:
	if (lfd > 0)
		close(lfd);
	if (unix_path != NULL)
		unlink(unix_path);
	sigaction(SIGPIPE, &oldpipe, NULL);
	return rc;
}
