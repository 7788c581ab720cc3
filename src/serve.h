/* serve.h: the pre-forked FastCGI server, or one CGI request. */
#ifndef SERVE_H
#define SERVE_H

#include "req.h"

struct serve_opts {
	const char	*listen;	/* "unix:PATH", "HOST:PORT" or NULL */
	int		 workers;	/* pre-forked workers, default 2 */
	unsigned	 max_requests;	/* recycle a worker after this many; 0 = never */
	const char	*socket_group;	/* chgrp the unix socket to this group, or NULL */
};

/*
 * The program's callbacks. worker_init runs in each worker after fork
 * (open the database there, never before fork); it returns 0, or -1 to
 * make the worker exit. handle serves one request read through io.
 * worker_fini runs when a worker leaves.
 *
 * handle() owns the request: it declares a struct req, calls req_parse()
 * with an arena of its own (create it with arena_new() in worker_init and
 * arena_reset() it before handle() returns), calls req_send() and then
 * buf_free()s r.head and r.body. serve_run() finishes the FastCGI request
 * (FCGX_Finish_r) only after handle() has returned, so nothing that handle
 * copied into its arena dangles; io is valid only during that call.
 * handle() runs with SIGTERM/SIGINT blocked, so a request is never cut
 * short by a stop signal.
 */
struct serve_app {
	int	 (*worker_init)(void *ud);
	void	 (*handle)(const struct req_io *io, void *ud);
	void	 (*worker_fini)(void *ud);
	void	*ud;
};

/*
 * Run the program. With opts->listen set, bind it (a unix socket gets
 * mode 0660; a TCP address must be loopback), fork opts->workers workers
 * that accept and serve, restart any worker that dies (logged; with a
 * backoff from 100 ms to 10 s while workers die within 2 s of starting),
 * recycle a worker after opts->max_requests requests, and on SIGTERM,
 * SIGINT or SIGUSR1 stop accepting, let workers finish their request
 * (SIGKILL after 30 s), remove the socket and return 0. Without listen,
 * if fd 0 is a FastCGI listening socket (spawn-fcgi), serve on it the
 * same way; otherwise serve exactly one CGI request from the environment
 * and stdio (a failing worker_init then answers 500 and returns 1).
 * SIGPIPE is ignored while serving. Returns 0, or 1 on a startup error
 * (already logged). Workers never return from this function.
 */
int	 serve_run(const struct serve_opts *opts, const struct serve_app *app);

#endif /* SERVE_H */
