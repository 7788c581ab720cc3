/* driver.c: standalone main() for fuzz targets built without libFuzzer. */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FILE_MAX	(1024 * 1024)	/* larger seed files are cut */
#define INPUT_MAX	(64 * 1024)	/* mutated inputs never grow beyond */
#define RUNS_DEFAULT	2000		/* mutations without -t or -n */

struct input {
	uint8_t	*data;
	size_t	 len;
};

struct corpus {
	struct input	*v;
	size_t		 n, cap;
};

/* Bytes that matter to the parsers under test, for inserts. */
static const uint8_t interesting[] = {
	'%', '&', '=', '+', ';', ' ', '"', '\\', '/', ':', '<', '>', '{',
	'}', '\n', '\r', '\t', '\0', 0x7f, 0x80, 0xbf, 0xc0, 0xc3, 0xe0,
	0xed, 0xf0, 0xf4, 0xff, '0', '9', 'a', 'f', 'F', 'z',
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

/* xorshift64*: deterministic for a given seed. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

static size_t
rng_below(size_t n)
{
	return n == 0 ? 0 : (size_t)(rng() % n);
}

static void *
xalloc(size_t n)
{
	void *p = malloc(n == 0 ? 1 : n);

	if (p == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(99);
	}
	return p;
}

static void
corpus_add(struct corpus *c, uint8_t *data, size_t len)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->v = realloc(c->v, c->cap * sizeof(*c->v));
		if (c->v == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(99);
		}
	}
	c->v[c->n].data = data;
	c->v[c->n].len = len;
	c->n++;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Load every regular file of dir, in name order. Returns 0 or -1. */
static int
load_dir(struct corpus *c, const char *dir)
{
	DIR *d;
	struct dirent *de;
	struct stat sb;
	char **names = NULL, path[4096];
	size_t n = 0, cap = 0, i, len;
	uint8_t *buf;
	FILE *f;

	if ((d = opendir(dir)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((names = realloc(names, cap * sizeof(*names))) ==
			    NULL) {
				fprintf(stderr, "out of memory\n");
				exit(99);
			}
		}
		len = strlen(de->d_name);
		names[n] = xalloc(len + 1);
		memcpy(names[n], de->d_name, len + 1);
		n++;
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
		    names[i]) >= sizeof(path) ||
		    stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
		    (f = fopen(path, "rb")) == NULL) {
			free(names[i]);
			continue;
		}
		buf = xalloc(FILE_MAX);
		len = fread(buf, 1, FILE_MAX, f);
		fclose(f);
		corpus_add(c, buf, len);
		free(names[i]);
	}
	free(names);
	return 0;
}

/* Apply one random mutation to buf (len bytes, room for INPUT_MAX). */
static size_t
mutate(uint8_t *buf, size_t len, const struct corpus *c)
{
	const struct input *o;
	size_t pos, n, from;

	switch (rng_below(7)) {
	case 0:		/* flip a bit */
		if (len > 0)
			buf[rng_below(len)] ^= (uint8_t)(1u << rng_below(8));
		break;
	case 1:		/* set a byte */
		if (len > 0)
			buf[rng_below(len)] = (uint8_t)rng();
		break;
	case 2:		/* insert an interesting byte */
	case 3:
		if (len < INPUT_MAX) {
			pos = rng_below(len + 1);
			memmove(buf + pos + 1, buf + pos, len - pos);
			buf[pos] = interesting[rng_below(sizeof(interesting))];
			len++;
		}
		break;
	case 4:		/* delete a run */
		if (len > 0) {
			pos = rng_below(len);
			n = 1 + rng_below(len - pos < 8 ? len - pos : 8);
			memmove(buf + pos, buf + pos + n, len - pos - n);
			len -= n;
		}
		break;
	case 5:		/* duplicate a run */
		if (len > 0) {
			pos = rng_below(len);
			n = 1 + rng_below(len - pos < 16 ? len - pos : 16);
			if (len + n <= INPUT_MAX) {
				memmove(buf + pos + n, buf + pos, len - pos);
				len += n;
			}
		}
		break;
	default:	/* splice: our prefix, another input's suffix */
		if (c->n == 0)
			break;
		o = &c->v[rng_below(c->n)];
		pos = rng_below(len + 1);
		from = rng_below(o->len + 1);
		n = o->len - from;
		if (pos + n > INPUT_MAX)
			n = INPUT_MAX - pos;
		memcpy(buf + pos, o->data + from, n);
		len = pos + n;
		break;
	}
	return len;
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-t SECONDS] [-n RUNS] [-s SEED] "
	    "CORPUS_DIR...\n"
	    "Replays every corpus file, then runs seeded mutations of them "
	    "until RUNS\nor SECONDS (default %d runs). Prints TAP.\n",
	    prog, RUNS_DEFAULT);
}

int
main(int argc, char *argv[])
{
	struct corpus c = { NULL, 0, 0 };
	const char *name = strrchr(argv[0], '/');
	unsigned long long runs = 0, done = 0, total;
	double secs = 0, start, limit;
	uint8_t *buf, *input;
	size_t i, len, k, nmut;
	char *end;
	int ch;

	name = name != NULL ? name + 1 : argv[0];
	while ((ch = getopt(argc, argv, "n:s:t:")) != -1) {
		errno = 0;
		switch (ch) {
		case 'n':
			runs = strtoull(optarg, &end, 10);
			break;
		case 's':
			rng_state = strtoull(optarg, &end, 10);
			if (rng_state == 0)
				rng_state = 1;
			break;
		case 't':
			secs = strtod(optarg, &end);
			break;
		default:
			usage(name);
			return 2;
		}
		if (errno != 0 || *end != '\0' || end == optarg) {
			usage(name);
			return 2;
		}
	}
	if (optind == argc) {
		usage(name);
		return 2;
	}
	if (runs == 0 && secs <= 0)
		runs = RUNS_DEFAULT;

	printf("1..1\n");
	fflush(stdout);
	for (i = (size_t)optind; i < (size_t)argc; i++)
		if (load_dir(&c, argv[i]) != 0) {
			printf("not ok 1 - %s: cannot read %s: %s\n", name,
			    argv[i], strerror(errno));
			return 1;
		}

	/* Every seed as it is, each in its own exact-size copy. */
	for (i = 0; i < c.n; i++) {
		input = xalloc(c.v[i].len);
		memcpy(input, c.v[i].data, c.v[i].len);
		LLVMFuzzerTestOneInput(input, c.v[i].len);
		free(input);
	}
	LLVMFuzzerTestOneInput((const uint8_t *)"", 0);
	total = c.n + 1;

	/* Then mutations, until RUNS or SECONDS, whichever comes first. */
	buf = xalloc(INPUT_MAX);
	start = now_s();
	limit = secs > 0 ? start + secs : 0;
	for (done = 0; runs == 0 || done < runs; done++) {
		if (limit > 0 && (done & 63) == 0 && now_s() >= limit)
			break;
		len = 0;
		if (c.n > 0) {
			i = rng_below(c.n);
			len = c.v[i].len < INPUT_MAX ? c.v[i].len : INPUT_MAX;
			memcpy(buf, c.v[i].data, len);
		}
		nmut = 1 + rng_below(8);
		for (k = 0; k < nmut; k++)
			len = mutate(buf, len, &c);
		/* An exact-size copy lets ASan see reads past the end. */
		input = xalloc(len);
		memcpy(input, buf, len);
		LLVMFuzzerTestOneInput(input, len);
		free(input);
	}
	total += done;
	free(buf);
	for (i = 0; i < c.n; i++)
		free(c.v[i].data);
	free(c.v);
	printf("ok 1 - %s: %llu inputs\n", name, total);
	return 0;
}
