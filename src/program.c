/* program.c: command line and per-worker state of the FastCGI programs. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kw.h"
#include "program.h"

static const char *
env_or(const char *name, const char *fallback)
{
	const char *v = getenv(name);

	return v != NULL && *v != '\0' ? v : fallback;
}

static void
usage(FILE *f, const struct program *p, const char *about)
{
	fprintf(f, "usage: %s [--listen unix:PATH|HOST:PORT] [--workers N] "
	    "[--db FILE]\n"
	    "       [--templates DIR] [--base-url URL] "
	    "[--socket-group GROUP]\n%s\n"
	    "Without --listen it serves one request as a CGI program.\n"
	    "Environment: KEEPWORD_DB, KEEPWORD_TEMPLATES, "
	    "KEEPWORD_BASE_URL.\n", p->name, about);
}

int
program_args(struct program *p, const char *name, const char *about,
    int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, 'l' },
		{ "workers", required_argument, NULL, 'w' },
		{ "db", required_argument, NULL, 'd' },
		{ "templates", required_argument, NULL, 't' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "socket-group", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long long n;
	int c;

	memset(p, 0, sizeof(*p));
	p->name = name;
	p->serve.workers = 2;
	p->serve.max_requests = 100000;
	req_limits_default(&p->limits);
	p->db_path = env_or("KEEPWORD_DB", KW_STATEDIR "/keepword.db");
	p->templates = env_or("KEEPWORD_TEMPLATES", KW_DATADIR "/templates");
	p->base_url = env_or("KEEPWORD_BASE_URL", "http://127.0.0.1:8080");

	while ((c = getopt_long(argc, argv, "l:w:d:t:b:g:h", opts,
	    NULL)) != -1) {
		switch (c) {
		case 'l':
			p->serve.listen = optarg;
			break;
		case 'w':
			if (kw_parse_int(optarg, 1, 256, &n) != 0) {
				fprintf(stderr, "%s: --workers: a number "
				    "from 1 to 256\n", name);
				return 2;
			}
			p->serve.workers = (int)n;
			break;
		case 'd':
			p->db_path = optarg;
			break;
		case 't':
			p->templates = optarg;
			break;
		case 'b':
			p->base_url = optarg;
			break;
		case 'g':
			p->serve.socket_group = optarg;
			break;
		case 'h':
			usage(stdout, p, about);
			return 0;
		default:
			usage(stderr, p, about);
			return 2;
		}
	}
	if (optind != argc) {
		usage(stderr, p, about);
		return 2;
	}
	return -1;
}

struct db *
program_db(struct program *p)
{
	enum kw_status st;

	if (p->db == NULL &&
	    (st = db_open(p->db_path, &p->db)) != KW_OK)
		kw_logx("cannot open database %s: %s", p->db_path,
		    kw_status_str(st));
	return p->db;
}

int
program_worker_init(struct program *p)
{
	if ((p->arena = arena_new(64 * 1024, 0)) == NULL)
		return -1;
	(void)program_db(p);
	return 0;
}

void
program_worker_fini(struct program *p)
{
	db_close(p->db);
	p->db = NULL;
	arena_free(p->arena);
	p->arena = NULL;
}
