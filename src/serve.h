/* serve.h: the pre-forked FastCGI server, or one CGI request. */
#ifndef SERVE_H
#define SERVE_H

#include "req.h"

struct serve_opts {
	const char	*listen;	/* "unix:PATH", "HOST:PORT" or NULL */
	int		 workers;	/* pre-forked workers, default 2 */
	unsigned	 max_requests;	/* recycle a worker after this many; 0 = never */
};

/*
 * The program's callbacks. worker_init runs in each worker after fork
 * (open the database there, never before fork); it returns 0, or -1 to
 * make the worker exit. handle serves one request read through io.
 * worker_fini runs when a worker leaves.
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
 * that accept and serve, restart any worker that dies, and on SIGTERM or
 * SIGINT stop accepting, let workers finish their request, remove the
 * socket and return 0. Without listen, if fd 0 is a FastCGI listening
 * socket (spawn-fcgi), serve on it the same way; otherwise serve exactly
 * one CGI request from the environment and stdio. Returns 0, or 1 on a
 * startup error (already logged).
 */
int	 serve_run(const struct serve_opts *opts, const struct serve_app *app);

#endif /* SERVE_H */
