/* fuzz-tmpl.c: libFuzzer target: load any bytes as a template and render it. */
#include "config.h"

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "tmpl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Fixed files the input may include (created once, removed at exit). */
static const struct {
	const char	*path;
	const char	*text;
} files[] = {
	{ "inc.tmpl", "<TMPL_VAR name=\"a\">|<TMPL_LOOP name=\"M\">"
	    "<TMPL_VAR name=\"n\" fmt=\"url\"></TMPL_LOOP>" },
	{ "self.tmpl", "x<TMPL_IF name=\"deep\"><TMPL_INCLUDE "
	    "name=\"self.tmpl\"></TMPL_IF>" },
	{ "dir/leaf.tmpl", "leaf<TMPL_VAR name=\"empty\" default=\"d\">" },
	{ "dir/rel.tmpl", "<TMPL_INCLUDE name=\".../leaf.tmpl\">" },
};

static char	root[64];

static void
cleanup(void)
{
	char path[128];
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i].path);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/dir", root);
	rmdir(path);
	rmdir(root);
}

static const char *
fuzz_root(void)
{
	char path[128];
	size_t i;
	FILE *f;

	if (root[0] != '\0')
		return root;
	snprintf(root, sizeof(root), "/tmp/fuzz-tmpl.XXXXXX");
	if (mkdtemp(root) == NULL)
		abort();
	snprintf(path, sizeof(path), "%s/dir", root);
	if (mkdir(path, 0700) == -1)
		abort();
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i].path);
		if ((f = fopen(path, "w")) == NULL)
			abort();
		fputs(files[i].text, f);
		fclose(f);
	}
	atexit(cleanup);
	return root;
}

static int
fmt_upper(tmpl_buf *out, const char *s, size_t n, void *ud)
{
	size_t i;

	(void)ud;
	for (i = 0; i < n; i++)
		buf_putc(out, s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' :
		    s[i]);
	return n > 0 && s[0] == '!';	/* a value starting '!' fails */
}

/* Accepts the first 64 KiB, then fails. */
static int
sink_count(void *ud, const char *p, size_t n)
{
	size_t *total = ud;

	(void)p;
	*total += n;
	return *total > (64u << 10) ? -1 : 0;
}

/* Loops multiply work; keep the render of a mutated input cheap. */
static int
too_loopy(const uint8_t *d, size_t n)
{
	size_t i, count = 0;

	for (i = 0; i + 4 <= n; i++)
		if (strncasecmp((const char *)d + i, "loop", 4) == 0)
			count++;
	return count > 8;
}

static void
fill(tmpl_vars *v)
{
	tmpl_loop *l, *m;
	tmpl_vars *row;
	int i, j;

	tmpl_set_many(v, "a", "<a href=\"x\">&'", "empty", "", "zero", "0",
	    "js", "</script>\xe2\x80\xa8\\", "bang", "!x");
	tmpl_set_bool(v, "deep", 1);
	tmpl_add_loop(v, "E");
	l = tmpl_add_loop(v, "L");
	for (i = 0; i < 3; i++) {
		row = tmpl_loop_row(l);
		tmpl_set_int(row, "n", i);
		tmpl_setf(row, "s", "row %d", i);
		if (i == 1) {
			m = tmpl_add_loop(row, "M");
			for (j = 0; j < 2; j++)
				tmpl_set_int(tmpl_loop_row(m), "n", j);
			tmpl_set_bool(row, "stop", 1);
		}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	tmpl_env *env;
	tmpl_arena *a = NULL;
	tmpl_vars *v;
	const tmpl *t;
	tmpl_error err;
	tmpl_buf out;
	size_t total = 0;
	char line[1024];

	env = tmpl_env_new(fuzz_root(),
	    size > 0 && (data[0] & 1) ? TMPL_ENV_STRICT : 0);
	if (env == NULL)
		return 0;
	tmpl_env_add_fmt(env, "upper", fmt_upper, NULL);
	tmpl_env_set_limit(env, TMPL_LIMIT_INCLUDE_DEPTH, 8);
	tmpl_buf_init(&out, 1u << 20, 0);
	t = tmpl_from_string(env, "dir/fuzz", (const char *)data, size, &err);
	if (t == NULL) {
		tmpl_error_format(&err, line, sizeof(line));
		goto out;
	}
	if (too_loopy(data, size))
		goto out;
	if ((a = tmpl_arena_new(4096, 1u << 20)) == NULL ||
	    (v = tmpl_vars_new(a)) == NULL)
		goto out;
	fill(v);
	if (tmpl_render(t, v, &out, &err) != TMPL_OK)
		tmpl_error_format(&err, line, sizeof(line));
	tmpl_render_sink(t, v, sink_count, &total, &err);
	tmpl_render(t, NULL, &out, &err);
out:
	tmpl_buf_free(&out);
	tmpl_arena_free(a);
	tmpl_env_free(env);
	return 0;
}
