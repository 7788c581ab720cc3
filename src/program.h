/* program.h: what the portal and the exchange share: the command line,
 * and each worker's database connection and request arena. */
#ifndef PROGRAM_H
#define PROGRAM_H

#include "arena.h"
#include "db.h"
#include "req.h"
#include "serve.h"

struct program {
	const char		*name;		/* "portal", for messages */
	struct serve_opts	 serve;
	const char		*db_path;
	const char		*templates;
	const char		*base_url;
	struct req_limits	 limits;
	struct db		*db;		/* per worker, opened after fork */
	struct arena		*arena;		/* per worker, reset per request */
};

/*
 * Fill p from the environment (KEEPWORD_DB, KEEPWORD_TEMPLATES,
 * KEEPWORD_BASE_URL) and then from the command line: --listen, --workers,
 * --db, --templates, --base-url, --socket-group, --help. about is the
 * line --help prints after the usage. Returns -1 to go on serving, or the
 * exit code: 0 after --help, 2 after a usage error (already printed).
 */
int		 program_args(struct program *p, const char *name,
		    const char *about, int argc, char *argv[]);

/*
 * Set up a worker after fork: its arena and its database connection.
 * A database that cannot be opened is not fatal: program_db() tries
 * again on each request, and pages answer 503 meanwhile, so /health
 * tells the truth and the service recovers by itself. Returns 0, or -1
 * when memory runs out.
 */
int		 program_worker_init(struct program *p);

/* The worker's database, opened now if it was not yet; NULL if it cannot
 * be opened (logged). */
struct db	*program_db(struct program *p);

/* Close the database and free the arena. */
void		 program_worker_fini(struct program *p);

#endif /* PROGRAM_H */
