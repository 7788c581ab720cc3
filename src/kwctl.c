/* kwctl.c: the Keepword administration command line. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "account.h"
#include "arena.h"
#include "auth.h"
#include "clock.h"
#include "db.h"
#include "export.h"
#include "import.h"
#include "kw.h"
#include "org.h"
#include "party.h"
#include "review.h"
#include "token.h"
#include "xmlin.h"

#ifndef KW_STATEDIR
#define KW_STATEDIR	"/var/lib/keepword"
#endif

#define EXIT_USAGE	2
#define DEMO_PASSWORD	"keepword-demo"

/* What every command gets. */
struct ctl {
	const char	*path;
	struct db	*db;
	struct arena	*arena;
};

struct cmd {
	const char	*name;		/* "org add" */
	const char	*usage;		/* arguments */
	const char	*help;		/* one line */
	int		(*run)(struct ctl *, int, char **);
};

static void
say_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An error message for the operator on stderr, prefixed "kwctl: ". */
static void
say_err(const char *fmt, ...)
{
	va_list ap;

	fputs("kwctl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* A friendlier phrase for a core status. */
static const char *
why(enum kw_status st)
{
	switch (st) {
	case KW_BADREQ:
		return "invalid value";
	case KW_NOTFOUND:
		return "not found";
	case KW_FORBIDDEN:
		return "not allowed";
	case KW_CONFLICT:
		return "already exists or conflicts with existing data";
	case KW_BUSY:
		return "database busy, try again";
	default:
		return kw_status_str(st);
	}
}

static void
cmd_usage(FILE *f, const struct cmd *c)
{
	fprintf(f, "usage: kwctl [-d DBFILE] %s%s%s\n  %s\n", c->name,
	    *c->usage != '\0' ? " " : "", c->usage, c->help);
}

/* 1 if argv (after the command words) asks for --help. */
static int
wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return 1;
	return 0;
}

/*
 * Read one line (the password) from stdin into a malloc'd string
 * without its newline; echo is off when stdin is a terminal. NULL on
 * EOF or error.
 */
static char *
read_password(const char *prompt)
{
	struct termios old, quiet;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int tty = isatty(STDIN_FILENO);

	if (tty) {
		fprintf(stderr, "%s", prompt);
		if (tcgetattr(STDIN_FILENO, &old) == 0) {
			quiet = old;
			quiet.c_lflag &= ~(tcflag_t)ECHO;
			(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		} else
			tty = 0;
	}
	n = getline(&line, &cap, stdin);
	if (tty) {
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	}
	if (n < 0) {
		free(line);
		return NULL;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return line;
}

/* Free a password after wiping it. */
static void
free_password(char *pw)
{
	if (pw == NULL)
		return;
	explicit_bzero(pw, strlen(pw));
	free(pw);
}

static int
cmd_init(struct ctl *c, int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return EXIT_USAGE;
	printf("database %s ready (schema version %d)\n", c->path,
	    db_user_version(c->db));
	return 0;
}

static int
cmd_org_add(struct ctl *c, int argc, char **argv)
{
	long long id;
	enum kw_status st;

	if (argc != 2)
		return EXIT_USAGE;
	if ((st = org_create(c->db, NULL, argv[1], &id)) != KW_OK) {
		say_err("org add \"%s\": %s", argv[1], why(st));
		return 1;
	}
	printf("org %lld \"%s\" created\n", id, argv[1]);
	return 0;
}

static int
cmd_user_add(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "org", required_argument, NULL, 'o' },
		{ "email", required_argument, NULL, 'e' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "operator", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	const char *orgname = NULL, *email = NULL, *name = NULL;
	enum user_role role = USER_MEMBER;
	struct org org;
	char *pw = NULL;
	long long id;
	enum kw_status st;
	int ch, operator = 0, ret = 1;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o':
			orgname = optarg;
			break;
		case 'e':
			email = optarg;
			break;
		case 'n':
			name = optarg;
			break;
		case 'r':
			if (strcmp(optarg, "admin") == 0)
				role = USER_ADMIN;
			else if (strcmp(optarg, "member") == 0)
				role = USER_MEMBER;
			else
				return EXIT_USAGE;
			break;
		case 'O':
			operator = 1;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc || orgname == NULL || email == NULL || name == NULL)
		return EXIT_USAGE;
	if ((st = org_by_name(c->db, c->arena, orgname, &org)) != KW_OK) {
		say_err("org \"%s\": %s", orgname, why(st));
		goto out;
	}
	if ((pw = read_password("Password: ")) == NULL) {
		say_err("no password on standard input");
		goto out;
	}
	st = user_create(c->db, NULL, org.id, email, name, role, pw, &id);
	if (st == KW_BADREQ)
		say_err("user add: invalid email or name, or a password "
		    "shorter than %d or longer than %d bytes",
		    AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
	else if (st == KW_CONFLICT)
		say_err("user add: %s is already in use", email);
	else if (st != KW_OK)
		say_err("user add: %s", why(st));
	if (st != KW_OK)
		goto out;
	if (operator && (st = user_set_operator(c->db, NULL, id, 1)) !=
	    KW_OK) {
		say_err("user add: cannot make an operator: %s", why(st));
		goto out;
	}
	printf("user %lld <%s> created in \"%s\" as %s%s\n", id, email,
	    org.name, user_role_name(role), operator ? ", operator" : "");
	ret = 0;
out:
	free_password(pw);
	return ret;
}

static int
cmd_user_passwd(struct ctl *c, int argc, char **argv)
{
	struct user u;
	char *pw = NULL;
	enum kw_status st;
	int ret = 1;

	if (argc != 2)
		return EXIT_USAGE;
	if ((st = user_by_email(c->db, c->arena, argv[1], &u)) != KW_OK) {
		say_err("user %s: %s", argv[1], why(st));
		goto out;
	}
	if ((pw = read_password("New password: ")) == NULL) {
		say_err("no password on standard input");
		goto out;
	}
	if ((st = user_set_password(c->db, NULL, u.id, pw)) != KW_OK) {
		if (st == KW_BADREQ)
			say_err("user passwd: the password must be %d to %d "
			    "bytes", AUTH_PASSWORD_MIN, AUTH_PASSWORD_MAX);
		else
			say_err("user passwd: %s", why(st));
		goto out;
	}
	printf("password of <%s> changed; their sessions were ended\n",
	    u.email);
	ret = 0;
out:
	free_password(pw);
	return ret;
}

/* The id of the user with email who must be of org; 0 if email NULL. */
static int
owner_lookup(struct ctl *c, const char *email, const struct org *org,
    long long *id)
{
	struct user u;

	*id = 0;
	if (email == NULL)
		return 0;
	if (user_by_email(c->db, c->arena, email, &u) != KW_OK) {
		say_err("owner %s: no such user", email);
		return -1;
	}
	if (u.org_id != org->id || !u.active) {
		say_err("owner %s: not an active user of \"%s\"", email,
		    org->name);
		return -1;
	}
	*id = u.id;
	return 0;
}

static int
cmd_account_add(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "title", required_argument, NULL, 't' },
		{ "buyer", required_argument, NULL, 'b' },
		{ "supplier", required_argument, NULL, 's' },
		{ "cadence", required_argument, NULL, 'c' },
		{ "start", required_argument, NULL, 'S' },
		{ "buyer-owner", required_argument, NULL, 'B' },
		{ "supplier-owner", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	const char *title = NULL, *bname = NULL, *sname = NULL;
	const char *start = NULL, *bowner = NULL, *sowner = NULL;
	struct org buyer, supplier;
	char today[16];
	time_t t;
	long long bo, so, id;
	enum kw_status st;
	int ch, cadence = CADENCE_QUARTERLY;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 't':
			title = optarg;
			break;
		case 'b':
			bname = optarg;
			break;
		case 's':
			sname = optarg;
			break;
		case 'c':
			if ((cadence = account_cadence_parse(optarg)) < 0) {
				say_err("cadence must be monthly, quarterly, "
				    "half-yearly or yearly");
				return EXIT_USAGE;
			}
			break;
		case 'S':
			start = optarg;
			break;
		case 'B':
			bowner = optarg;
			break;
		case 'P':
			sowner = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc || title == NULL || bname == NULL || sname == NULL)
		return EXIT_USAGE;
	if (start != NULL && clock_parse_date(start, &t) != 0) {
		say_err("--start must be a date YYYY-MM-DD");
		return EXIT_USAGE;
	}
	if (start == NULL) {
		clock_date(clock_now(), today, sizeof(today));
		start = today;
	}
	if ((st = org_by_name(c->db, c->arena, bname, &buyer)) != KW_OK) {
		say_err("buyer \"%s\": %s", bname, why(st));
		return 1;
	}
	if ((st = org_by_name(c->db, c->arena, sname, &supplier)) != KW_OK) {
		say_err("supplier \"%s\": %s", sname, why(st));
		return 1;
	}
	if (buyer.id == supplier.id) {
		say_err("the buyer and the supplier must be different orgs");
		return 1;
	}
	if (owner_lookup(c, bowner, &buyer, &bo) != 0 ||
	    owner_lookup(c, sowner, &supplier, &so) != 0)
		return 1;
	if ((st = account_create(c->db, NULL, title, buyer.id, supplier.id,
	    (enum account_cadence)cadence, start, bo, so, &id)) != KW_OK) {
		say_err("account add \"%s\": %s", title, why(st));
		return 1;
	}
	printf("account %lld \"%s\" created (%s buys from %s)\n", id, title,
	    buyer.name, supplier.name);
	return 0;
}

static int
cmd_backup(struct ctl *c, int argc, char **argv)
{
	enum kw_status st;

	if (argc != 2)
		return EXIT_USAGE;
	if ((st = db_backup(c->db, argv[1])) != KW_OK) {
		say_err("backup to %s failed: %s", argv[1], st == KW_CONFLICT ?
		    "the file exists" : why(st));
		return 1;
	}
	printf("backup written to %s (integrity_check ok)\n", argv[1]);
	return 0;
}

/* The org called name into *org; -1 (said) if there is none. */
static int
org_named(struct ctl *c, const char *name, struct org *org)
{
	enum kw_status st;

	if ((st = org_by_name(c->db, c->arena, name, org)) != KW_OK) {
		say_err("org \"%s\": %s", name, why(st));
		return -1;
	}
	return 0;
}

static int
cmd_org_identifier(struct ctl *c, int argc, char **argv)
{
	struct org org;
	int scheme;
	enum kw_status st;

	if (argc != 3 && argc != 4)
		return EXIT_USAGE;
	if ((scheme = kw_name_index(party_scheme_names, argv[2])) < 0) {
		say_err("scheme must be GLN, DUNS, VAT or LEI");
		return EXIT_USAGE;
	}
	if (org_named(c, argv[1], &org) != 0)
		return 1;
	st = party_id_set(c->db, NULL, org.id, (enum party_scheme)scheme,
	    argc == 4 ? argv[3] : NULL);
	if (st == KW_BADREQ)
		say_err("org identifier: \"%s\" is not a valid %s",
		    argv[3], argv[2]);
	else if (st == KW_CONFLICT)
		say_err("org identifier: %s", argc == 4 ?
		    "that is the current value already" : "there is none");
	else if (st != KW_OK)
		say_err("org identifier: %s", why(st));
	if (st != KW_OK)
		return 1;
	printf("org \"%s\": %s %s\n", org.name, argv[2],
	    argc == 4 ? "recorded" : "removed");
	return 0;
}

/* export_sink write: to stdout. */
static int
write_stdout(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

static int
cmd_export(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "since", required_argument, NULL, 's' },
		{ "review", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const struct export_sink out = { write_stdout, NULL };
	long long since = 0, review = 0, acct;
	enum kw_status st;
	int ch;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (kw_parse_int(optarg, 0, INT64_MAX, &since) != 0)
				return EXIT_USAGE;
			break;
		case 'r':
			if (kw_parse_int(optarg, 1, INT64_MAX, &review) != 0)
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind != argc - 1 || (since != 0 && review != 0) ||
	    kw_parse_int(argv[optind], 1, INT64_MAX, &acct) != 0)
		return EXIT_USAGE;
	st = review != 0 ?
	    export_review(c->db, c->arena, NULL, acct, review, &out, NULL) :
	    export_ledger(c->db, c->arena, NULL, acct, since, &out, NULL);
	if (fflush(stdout) != 0 && st == KW_OK)
		st = KW_INTERNAL;
	if (st == KW_BADREQ)
		say_err("export: change %lld is beyond the latest one", since);
	else if (st != KW_OK)
		say_err("export: %s %lld: %s", review != 0 ? "review" :
		    "account", review != 0 ? review : acct, why(st));
	return st == KW_OK ? 0 : 1;
}

static int
cmd_token_add(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "scope", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	char secret[TOKEN_SECRET_SIZE];
	const char *name = NULL;
	long long *accts, id;
	struct org org;
	int ch, scope = TOKEN_READ, i, n;
	enum kw_status st;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n':
			name = optarg;
			break;
		case 's':
			if ((scope = kw_name_index(token_scope_names,
			    optarg)) < 0)
				return EXIT_USAGE;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (name == NULL || argc - optind < 2)
		return EXIT_USAGE;
	if (org_named(c, argv[optind], &org) != 0)
		return 1;
	n = argc - optind - 1;
	accts = arena_xcalloc(c->arena, (size_t)n, sizeof(*accts));
	for (i = 0; i < n; i++)
		if (kw_parse_int(argv[optind + 1 + i], 1, INT64_MAX,
		    &accts[i]) != 0)
			return EXIT_USAGE;
	st = token_create(c->db, NULL, org.id, name, (enum token_scope)scope,
	    accts, (size_t)n, &id, secret);
	if (st != KW_OK) {
		say_err("token add: %s", st == KW_BADREQ ? "a bad name, or an "
		    "account the org is not party to" : why(st));
		return 1;
	}
	/* The token alone on stdout, for scripts; it is not kept. */
	printf("%s\n", secret);
	fprintf(stderr, "kwctl: token %lld of \"%s\" (%s); it is shown only "
	    "this once\n", id, org.name, token_scope_names[scope]);
	sodium_memzero(secret, sizeof(secret));
	return 0;
}

static int
cmd_token_list(struct ctl *c, int argc, char **argv)
{
	struct token *list;
	struct org org;
	size_t i, j, n;
	enum kw_status st;

	if (argc != 2)
		return EXIT_USAGE;
	if (org_named(c, argv[1], &org) != 0)
		return 1;
	if ((st = token_list(c->db, c->arena, org.id, &list, &n)) != KW_OK) {
		say_err("token list: %s", why(st));
		return 1;
	}
	for (i = 0; i < n; i++) {
		printf("%lld\t%s\t%s\t%s\t%s\taccounts", list[i].id,
		    list[i].name, token_scope_names[list[i].scope],
		    *list[i].last_used_at != '\0' ? list[i].last_used_at :
		    "never used", *list[i].revoked_at != '\0' ? "revoked" :
		    "in force");
		for (j = 0; j < list[i].naccounts; j++)
			printf(" %lld", list[i].accounts[j].id);
		putchar('\n');
	}
	return 0;
}

static int
cmd_token_revoke(struct ctl *c, int argc, char **argv)
{
	struct org org;
	long long id;
	enum kw_status st;

	if (argc != 3 || kw_parse_int(argv[2], 1, INT64_MAX, &id) != 0)
		return EXIT_USAGE;
	if (org_named(c, argv[1], &org) != 0)
		return 1;
	if ((st = token_revoke(c->db, NULL, org.id, id)) != KW_OK) {
		say_err("token revoke: %s", st == KW_CONFLICT ?
		    "revoked already" : why(st));
		return 1;
	}
	printf("token %lld of \"%s\" revoked\n", id, org.name);
	return 0;
}

/*
 * Read file path ("-": standard input) into a malloc'd buffer *out of
 * *len bytes: at most XMLIN_MAX + 1, so that a larger file is refused by
 * its size without being read whole. Returns 0, or -1 (errno set).
 */
static int
read_file(const char *path, char **out, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = XMLIN_MAX + 1, n;
	char *buf;

	*out = NULL;
	*len = 0;
	if (f == NULL)
		return -1;
	buf = xmalloc(cap);
	n = fread(buf, 1, cap, f);
	if (ferror(f)) {
		free(buf);
		if (f != stdin)
			fclose(f);
		return -1;
	}
	if (f != stdin)
		fclose(f);
	*out = buf;
	*len = n;
	return 0;
}

/* The actor of kwctl import --as WHO: a user by email (contains '@'),
 * else an organisation by name (its side acts). */
static int
import_actor(struct ctl *c, const char *who, struct user *u)
{
	struct org org;
	enum kw_status st;

	memset(u, 0, sizeof(*u));
	if (strchr(who, '@') != NULL) {
		if ((st = user_by_email(c->db, c->arena, who, u)) != KW_OK ||
		    !u->active) {
			say_err("import: user %s: %s", who, st != KW_OK ?
			    why(st) : "deactivated");
			return -1;
		}
		return 0;
	}
	if ((st = org_by_name(c->db, c->arena, who, &org)) != KW_OK) {
		say_err("import: org \"%s\": %s", who, why(st));
		return -1;
	}
	u->org_id = org.id;
	u->org_name = org.name;
	return 0;
}

static int
cmd_import(struct ctl *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as", required_argument, NULL, 'a' },
		{ "new", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const struct export_sink out = { write_stdout, NULL };
	struct import_report rep;
	struct user actor;
	const char *as = NULL;
	char *xml = NULL;
	long long acct = 0;
	size_t len, i;
	enum kw_status st;
	int ch, restore = 0;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			as = optarg;
			break;
		case 'n':
			restore = 1;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (restore ? (optind != argc - 1 || as != NULL) :
	    (optind != argc - 2 ||
	    kw_parse_int(argv[optind++], 1, INT64_MAX, &acct) != 0))
		return EXIT_USAGE;
	if (as != NULL && import_actor(c, as, &actor) != 0)
		return 1;
	if (read_file(argv[optind], &xml, &len) != 0) {
		say_err("import: %s: %s", argv[optind], strerror(errno));
		return 1;
	}
	st = import_document(c->db, c->arena, as != NULL ? &actor : NULL,
	    acct, xml, len, &rep);
	free(xml);
	if (import_report_write(&rep, &out) != KW_OK || fflush(stdout) != 0)
		say_err("import: the report could not be written");
	for (i = 0; i < rep.nerrors; i++)
		if (rep.errors[i].line > 0)
			say_err("import: line %ld: %s", rep.errors[i].line,
			    rep.errors[i].msg);
		else
			say_err("import: %s", rep.errors[i].msg);
	if (st != KW_OK) {
		say_err("import: %s: nothing was written", why(st));
		return 1;
	}
	fprintf(stderr, "kwctl: import: account %lld: %zu created, %zu "
	    "changed, %zu unchanged\n", rep.account_id, rep.created,
	    rep.changed, rep.unchanged);
	return 0;
}

static int
cmd_reviews_run(struct ctl *c, int argc, char **argv)
{
	struct review_report r = { 0, 0 };
	char today[16];
	enum kw_status st;

	(void)argv;
	if (argc != 1)
		return EXIT_USAGE;
	clock_date(clock_now(), today, sizeof(today));
	if ((st = review_open_due(c->db, c->arena, today, &r)) != KW_OK ||
	    (st = review_remind(c->db, c->arena, today, &r)) != KW_OK) {
		say_err("reviews run failed: %s", why(st));
		return 1;
	}
	printf("opened %zu review%s, %zu reminder%s\n", r.opened,
	    r.opened == 1 ? "" : "s", r.reminders,
	    r.reminders == 1 ? "" : "s");
	return 0;
}

/* The fixed demo data; see README.md. */
static const char *const demo_orgs[] = {
	"Northwind Foods", "Acme Packaging", "Bluefield Logistics",
	"Keepword Operations",
};

static const struct demo_user {
	const char	*org, *email, *name;
	enum user_role	 role;
	int		 operator;
} demo_users[] = {
	{ "Northwind Foods", "anna@northwind.example", "Anna Berg",
	  USER_ADMIN, 0 },
	{ "Northwind Foods", "ben@northwind.example", "Ben Okafor",
	  USER_MEMBER, 0 },
	{ "Acme Packaging", "carla@acme.example", "Carla Diaz",
	  USER_ADMIN, 0 },
	{ "Acme Packaging", "dev@acme.example", "Dev Patel",
	  USER_MEMBER, 0 },
	{ "Bluefield Logistics", "erik@bluefield.example", "Erik Lund",
	  USER_ADMIN, 0 },
	{ "Bluefield Logistics", "fay@bluefield.example", "Fay Moreau",
	  USER_MEMBER, 0 },
	{ "Keepword Operations", "ops@keepword.example", "Olga Petrov",
	  USER_ADMIN, 1 },
};

static const struct demo_account {
	const char	*title, *buyer, *supplier, *buyer_owner,
			*supplier_owner;
	int		 history;	/* fill in a year of history */
} demo_accounts[] = {
	{ "Northwind \xe2\x87\x84 Acme packaging supply", "Northwind Foods",
	  "Acme Packaging", "anna@northwind.example", "carla@acme.example",
	  1 },
	{ "Northwind \xe2\x87\x84 Bluefield freight", "Northwind Foods",
	  "Bluefield Logistics", "anna@northwind.example",
	  "erik@bluefield.example", 0 },
};

/* db/demo-history.sql, embedded by db/embed.sh. */
extern const char demo_history_sql[];

/* The people the demo history speaks of, in the order of temp.demo. */
static const char *const demo_history_people[] = {
	"anna@northwind.example", "ben@northwind.example",
	"carla@acme.example", "dev@acme.example",
};

/*
 * Give the new account acct a year of history ending today, in one
 * transaction: all of it or none.
 */
static enum kw_status
demo_history(struct ctl *c, long long acct)
{
	sqlite3 *h = db_handle(c->db);
	sqlite3_stmt *st = NULL;
	struct user u;
	char today[16];
	enum kw_status ret;
	size_t i;
	int rc;

	if ((ret = db_begin(c->db)) != KW_OK)
		return ret;
	rc = sqlite3_exec(h, "CREATE TEMP TABLE demo (acct INTEGER, "
	    "anna INTEGER, ben INTEGER, carla INTEGER, dev INTEGER, "
	    "today TEXT)", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(h, "INSERT INTO temp.demo "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL);
	ret = rc == SQLITE_OK ? KW_OK : db_status(rc);
	if (ret == KW_OK) {
		db_bind_int(st, 1, acct);
		for (i = 0; ret == KW_OK && i < 4; i++) {
			ret = user_by_email(c->db, c->arena,
			    demo_history_people[i], &u);
			db_bind_int(st, (int)i + 2, u.id);
		}
		clock_date(clock_now(), today, sizeof(today));
		db_bind_text(st, 6, today);
	}
	if (ret == KW_OK && (rc = sqlite3_step(st)) != SQLITE_DONE)
		ret = db_status(rc);
	sqlite3_finalize(st);
	if (ret == KW_OK)
		ret = db_run_script(c->db, "demo-history", demo_history_sql);
	if (ret == KW_OK && sqlite3_exec(h, "DROP TABLE temp.demo", NULL,
	    NULL, NULL) != SQLITE_OK)
		ret = KW_INTERNAL;
	if (ret == KW_OK)
		return db_commit(c->db);
	db_rollback(c->db);
	(void)sqlite3_exec(h, "DROP TABLE IF EXISTS temp.demo", NULL, NULL,
	    NULL);
	return ret;
}

/* 1 if an account titled title exists, 0 if not, -1 on error. */
static int
account_exists(struct ctl *c, const char *title)
{
	struct account *list;
	size_t i, n;

	if (account_list_all(c->db, c->arena, &list, &n) != KW_OK)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(list[i].title, title) == 0)
			return 1;
	return 0;
}

static int
cmd_demo(struct ctl *c, int argc, char **argv)
{
	const struct demo_user *du;
	const struct demo_account *da;
	struct org o, b, s;
	struct user u;
	char today[16];
	long long id, bo, so;
	size_t i, made = 0;
	enum kw_status st;
	int ex, history = 1;

	if (argc == 2 && strcmp(argv[1], "--no-history") == 0)
		history = 0;
	else if (argc != 1)
		return EXIT_USAGE;
	/* Each item is created only if absent, so a rerun completes an
	 * interrupted one and otherwise changes nothing. */
	for (i = 0; i < sizeof(demo_orgs) / sizeof(demo_orgs[0]); i++) {
		st = org_by_name(c->db, c->arena, demo_orgs[i], &o);
		if (st == KW_NOTFOUND) {
			st = org_create(c->db, NULL, demo_orgs[i], NULL);
			made++;
		}
		if (st != KW_OK) {
			say_err("demo: org \"%s\": %s", demo_orgs[i], why(st));
			return 1;
		}
	}
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++) {
		du = &demo_users[i];
		st = user_by_email(c->db, c->arena, du->email, &u);
		if (st == KW_NOTFOUND) {
			if ((st = org_by_name(c->db, c->arena, du->org, &o)) ==
			    KW_OK)
				st = user_create(c->db, NULL, o.id, du->email,
				    du->name, du->role, DEMO_PASSWORD, &id);
			if (st == KW_OK && du->operator)
				st = user_set_operator(c->db, NULL, id, 1);
			made++;
		}
		if (st != KW_OK) {
			say_err("demo: user %s: %s", du->email, why(st));
			return 1;
		}
	}
	clock_date(clock_now(), today, sizeof(today));
	for (i = 0; i < sizeof(demo_accounts) / sizeof(demo_accounts[0]);
	    i++) {
		da = &demo_accounts[i];
		if ((ex = account_exists(c, da->title)) < 0) {
			say_err("demo: cannot list accounts");
			return 1;
		}
		if (ex)
			continue;
		if (org_by_name(c->db, c->arena, da->buyer, &b) != KW_OK ||
		    org_by_name(c->db, c->arena, da->supplier, &s) != KW_OK ||
		    owner_lookup(c, da->buyer_owner, &b, &bo) != 0 ||
		    owner_lookup(c, da->supplier_owner, &s, &so) != 0) {
			say_err("demo: account \"%s\": parties missing",
			    da->title);
			return 1;
		}
		if ((st = account_create(c->db, NULL, da->title, b.id, s.id,
		    CADENCE_QUARTERLY, today, bo, so, &id)) != KW_OK ||
		    (history && da->history &&
		    (st = demo_history(c, id)) != KW_OK)) {
			say_err("demo: account \"%s\": %s", da->title,
			    why(st));
			return 1;
		}
		made++;
	}
	if (made == 0) {
		printf("demo data present in %s; nothing changed\n", c->path);
		return 0;
	}
	printf("demo data created in %s. Sign in with any of these "
	    "(password: %s):\n", c->path, DEMO_PASSWORD);
	for (i = 0; i < sizeof(demo_users) / sizeof(demo_users[0]); i++)
		printf("  %-26s %-12s %s, %s%s\n", demo_users[i].email,
		    demo_users[i].name, demo_users[i].org,
		    user_role_name(demo_users[i].role),
		    demo_users[i].operator ? ", operator" : "");
	return 0;
}

static const struct cmd cmds[] = {
	{ "init", "", "create the database if needed and migrate it",
	  cmd_init },
	{ "org add", "NAME", "create an organisation", cmd_org_add },
	{ "user add", "--org NAME --email E --name N [--role admin|member] "
	  "[--operator]", "create a user; the password is read from "
	  "standard input (one line)", cmd_user_add },
	{ "user passwd", "EMAIL", "set a user's password from standard input "
	  "and end their sessions", cmd_user_passwd },
	{ "account add", "--title T --buyer ORG --supplier ORG [--cadence C] "
	  "[--start YYYY-MM-DD] [--buyer-owner EMAIL] [--supplier-owner EMAIL]",
	  "open an account between a buyer and a supplier org "
	  "(cadence: monthly, quarterly (default), half-yearly, yearly)",
	  cmd_account_add },
	{ "demo", "[--no-history]", "create the demo organisations, users and "
	  "accounts if absent, the Acme account with a year of history "
	  "unless --no-history", cmd_demo },
	{ "org identifier", "NAME GLN|DUNS|VAT|LEI [VALUE]", "record the "
	  "identifier an org is known by in partner systems, or remove it "
	  "(no VALUE)", cmd_org_identifier },
	{ "export", "[--since SEQ | --review ID] ACCOUNT_ID", "write the "
	  "account's ledger as XML (urn:keepword:exchange:1) to standard "
	  "output: all of it, the records changed since change SEQ, or one "
	  "review", cmd_export },
	{ "import", "[--as EMAIL|ORG] ACCOUNT_ID FILE | --new FILE", "apply "
	  "an XML AccountLedgerSubmission (FILE, - for standard input) to "
	  "the account, as the system or the side of the user or org named; "
	  "or, with --new, restore an exported AccountLedger as a new "
	  "account. Writes an ImportReport; all records or none",
	  cmd_import },
	{ "token add", "--name N [--scope read|read-write] ORG ACCOUNT_ID...",
	  "issue an API token of ORG for partner systems, reaching the "
	  "accounts given (read only by default); it is printed once",
	  cmd_token_add },
	{ "token list", "ORG", "list ORG's API tokens: id, name, scope, last "
	  "use, state, accounts", cmd_token_list },
	{ "token revoke", "ORG ID", "revoke ORG's API token ID",
	  cmd_token_revoke },
	{ "reviews run", "", "open the reviews of ended periods and send "
	  "the review reminders due today (daily; idempotent)",
	  cmd_reviews_run },
	{ "backup", "FILE", "write an online backup to the new FILE and check "
	  "it with integrity_check", cmd_backup },
};

#define NCMDS	(sizeof(cmds) / sizeof(cmds[0]))

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kwctl [-d DBFILE] COMMAND [ARGS]\n"
	    "DBFILE defaults to $KEEPWORD_DB, else %s.\n"
	    "Commands (each accepts --help):\n", KW_STATEDIR "/keepword.db");
	for (i = 0; i < NCMDS; i++)
		fprintf(f, "  %s%s%s\n", cmds[i].name,
		    *cmds[i].usage != '\0' ? " " : "", cmds[i].usage);
}

/* The command named by one or two words; NULL if none. */
static const struct cmd *
find_cmd(const char *w1, const char *w2)
{
	size_t i, n = strlen(w1);

	for (i = 0; i < NCMDS; i++) {
		const char *name = cmds[i].name;

		if (strncmp(name, w1, n) != 0)
			continue;
		if (name[n] == '\0')
			return &cmds[i];
		if (name[n] == ' ' && w2 != NULL && strcmp(name + n + 1, w2) == 0)
			return &cmds[i];
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	static const struct option main_opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ctl c;
	const struct cmd *cmd;
	const char *env;
	enum kw_status st;
	int ch, words, ret = 1;

	memset(&c, 0, sizeof(c));
	kw_log_init("kwctl");
	if ((env = getenv("KEEPWORD_DB")) != NULL && *env != '\0')
		c.path = env;
	else
		c.path = KW_STATEDIR "/keepword.db";

	while ((ch = getopt_long(argc, argv, "+d:h", main_opts, NULL)) != -1) {
		switch (ch) {
		case 'd':
			c.path = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[0], "--help") == 0 || strcmp(argv[0], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if ((cmd = find_cmd(argv[0], argc > 1 ? argv[1] : NULL)) == NULL) {
		say_err("unknown command \"%s%s%s\"", argv[0],
		    argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
		usage(stderr);
		return EXIT_USAGE;
	}
	words = strchr(cmd->name, ' ') != NULL ? 2 : 1;
	/* Give the command its own argv with the last word as argv[0]. */
	argc -= words - 1;
	argv += words - 1;
	if (wants_help(argc, argv)) {
		cmd_usage(stdout, cmd);
		return 0;
	}

	if (auth_init() != 0)
		return 1;
	if ((c.arena = arena_new(64 * 1024, 0)) == NULL) {
		say_err("out of memory");
		return 1;
	}
	if ((st = db_open(c.path, &c.db)) != KW_OK) {
		say_err("cannot open database %s", c.path);
		goto out;
	}
	if ((st = db_migrate(c.db)) != KW_OK) {
		say_err("cannot migrate database %s", c.path);
		goto out;
	}
	if ((ret = cmd->run(&c, argc, argv)) == EXIT_USAGE)
		cmd_usage(stderr, cmd);
out:
	db_close(c.db);
	arena_free(c.arena);
	return ret;
}
