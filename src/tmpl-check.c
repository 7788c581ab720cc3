/* tmpl-check.c: load every template under a root and report the first error. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "tmpl.h"

static void
usage(FILE *f)
{
	fputs("usage: tmpl-check [-f FMT]... ROOT\n"
	    "Load every .tmpl file under ROOT (with its includes) as the\n"
	    "portal does at start-up; print the first error in the form\n"
	    "FILE:LINE:COL: error: MESSAGE [E_CODE] and exit 1, or exit 0.\n"
	    "  -f FMT  accept fmt=\"FMT\" (a formatter the application\n"
	    "          registers); may be repeated\n"
	    "  --help  show this text\n", f);
}

/* Stand-in for an application formatter: copies the value. */
static int
fmt_copy(tmpl_buf *out, const char *s, size_t n, void *ud)
{
	(void)ud;
	return tmpl_buf_append(out, s, n) != TMPL_OK;
}

int
main(int argc, char *argv[])
{
	tmpl_env *env = NULL;
	tmpl_error err;
	char line[2048];
	int c, rc = 1;

	if (argc == 2 && strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return 0;
	}
	/* Collect -f names first; the env needs the root to exist. */
	while ((c = getopt(argc, argv, "f:h")) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return 1;
	}
	if ((env = tmpl_env_new(argv[optind], 0)) == NULL) {
		fprintf(stderr, "tmpl-check: %s: %s\n", argv[optind],
		    errno != 0 ? strerror(errno) : "cannot open");
		goto out;
	}
	optind = 1;
	while ((c = getopt(argc, argv, "f:h")) != -1)
		if (c == 'f' && tmpl_env_add_fmt(env, optarg, fmt_copy,
		    NULL) != TMPL_OK) {
			fprintf(stderr, "tmpl-check: -f %s: invalid or "
			    "reserved formatter name\n", optarg);
			goto out;
		}
	if (tmpl_preload_dir(env, ".tmpl", &err) != TMPL_OK) {
		tmpl_error_format(&err, line, sizeof(line));
		fprintf(stderr, "%s\n", line);
		goto out;
	}
	rc = 0;
out:
	tmpl_env_free(env);
	return rc;
}
