/*
 * vectors.c - the loader for the known-answer vector files in tests/vectors/
 * (format: tests/vectors/README.md). It owns the parsed vectors and their
 * bytes. The parser is strict on purpose: a vector file is transcribed by
 * hand from a standard, so anything it does not understand is a typo to
 * report (file:line), never something to skip.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "helpers.h"
#include "vectors.h"

/* Largest field: a 512-byte XTS data unit doubled for headroom. */
#define VEC_DATA_MAX 1024
/* Long fields continue on indented lines, so a line never needs much. */
#define VEC_LINE_MAX 256
#define VEC_COUNT_MAX 256
#define VEC_REPEAT_MAX 100000000ULL
/* Bound on what vec_expand() allocates (one million 'a' fits easily). */
#define VEC_EXPAND_MAX (16u << 20)

/* Linux crypto API names: "cbc(aes)", "hmac(sha256)", "rfc4106(gcm(aes))". */
#define VEC_ALG_CHARS "abcdefghijklmnopqrstuvwxyz0123456789()-_"

/* The hex fields a vector may carry; "source" and "repeat" are separate. */
static const char *const vec_field_names[] = {
	"key", "iv", "pt", "ct", "msg", "md", "mac",
};
/* Duplicates are refused, so a vector can never have too many fields. */
_Static_assert(ARRAY_SIZE(vec_field_names) <= VEC_FIELDS_MAX, "VEC_FIELDS_MAX too small");

struct vec_parser {
	const char *path;
	unsigned int line;
	struct vec_file *vf;
	struct vec *cur;	/* the open vector, NULL between vectors */
	struct vec_field *last;	/* the hex field an indented line continues */
	bool repeat_seen;
	char *err;
	size_t errlen;
};

static int SECSOC_PRINTF(2, 3) vec_error(struct vec_parser *p, const char *fmt, ...)
{
	size_t n;
	va_list ap;

	n = (size_t)snprintf(p->err, p->errlen, "%s:%u: ", p->path, p->line);
	if (n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static bool vec_known_field(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(vec_field_names); i++)
		if (!strcmp(vec_field_names[i], name))
			return true;
	return false;
}

static int vec_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Append the bytes of @hex to @f, whose data stays non-NULL even when empty. */
static int vec_append_hex(struct vec_parser *p, struct vec_field *f, const char *hex)
{
	size_t n = strlen(hex), i;
	u8 *data;

	for (i = 0; i < n; i++)
		if (vec_hexval(hex[i]) < 0)
			return vec_error(p, "field '%s': '%c' is not a hex digit", f->name,
					 hex[i]);
	if (n % 2)
		return vec_error(p, "field '%s': odd number of hex digits (%zu)", f->name, n);
	if (f->len + n / 2 > VEC_DATA_MAX)
		return vec_error(p, "field '%s': more than %d bytes", f->name, VEC_DATA_MAX);
	data = realloc(f->data, f->len + n / 2 + 1);
	if (!data)
		return vec_error(p, "out of memory");
	f->data = data;
	for (i = 0; i < n; i += 2)
		f->data[f->len++] = (u8)(vec_hexval(hex[i]) << 4 | vec_hexval(hex[i + 1]));
	return 0;
}

static int vec_parse_repeat(struct vec_parser *p, const char *val)
{
	unsigned long long n;
	char *end;

	if (p->repeat_seen)
		return vec_error(p, "duplicate field 'repeat'");
	if (!isdigit((unsigned char)val[0]))
		return vec_error(p, "repeat '%s' is not a decimal number", val);
	errno = 0;
	n = strtoull(val, &end, 10);
	if (*end || errno)
		return vec_error(p, "repeat '%s' is not a decimal number", val);
	if (n < 1 || n > VEC_REPEAT_MAX)
		return vec_error(p, "repeat %llu out of range 1..%llu", n, VEC_REPEAT_MAX);
	p->cur->repeat = n;
	p->repeat_seen = true;
	return 0;
}

static int vec_parse_field(struct vec_parser *p, const char *name, const char *val)
{
	struct vec *v = p->cur;

	if (!v)
		return vec_error(p, "field '%s' outside a vector (missing [alg] line)", name);
	p->last = NULL;
	if (!strcmp(name, "source")) {
		if (v->source[0])
			return vec_error(p, "duplicate field 'source'");
		if (!val[0] || strlen(val) >= sizeof(v->source))
			return vec_error(p, "source must be 1..%zu characters",
					 sizeof(v->source) - 1);
		strcpy(v->source, val);
		return 0;
	}
	if (!strcmp(name, "repeat"))
		return vec_parse_repeat(p, val);
	if (!vec_known_field(name))
		return vec_error(p, "unknown field '%s'", name);
	if (vec_get(v, name))
		return vec_error(p, "duplicate field '%s'", name);
	/* Counted before decoding so that vec_free() frees it on an error. */
	p->last = &v->fields[v->nfields++];
	snprintf(p->last->name, sizeof(p->last->name), "%s", name);
	return vec_append_hex(p, p->last, val);
}

/* End the open vector: it must be complete. */
static int vec_close(struct vec_parser *p)
{
	struct vec *v = p->cur;
	const struct vec_field *msg;

	if (!v)
		return 0;
	p->cur = NULL;
	p->last = NULL;
	if (!v->source[0])
		return vec_error(p, "vector [%s] from line %u has no source", v->alg, v->line);
	if (!v->nfields)
		return vec_error(p, "vector [%s] from line %u has no data fields", v->alg,
				 v->line);
	if (!p->repeat_seen)
		return 0;
	msg = vec_get(v, "msg");
	if (!msg)
		return vec_error(p, "vector [%s] from line %u has repeat but no msg", v->alg,
				 v->line);
	if (msg->len * v->repeat > VEC_EXPAND_MAX)
		return vec_error(p, "vector [%s] from line %u: repeated msg is larger than %u "
				 "bytes", v->alg, v->line, VEC_EXPAND_MAX);
	return 0;
}

static int vec_open(struct vec_parser *p, char *s)
{
	struct vec_file *vf = p->vf;
	size_t n = strlen(s);
	struct vec *vecs;

	if (vec_close(p))
		return -1;
	if (n < 3 || s[n - 1] != ']')
		return vec_error(p, "malformed algorithm line '%s' (want [alg])", s);
	s[n - 1] = '\0';
	s++;
	if (strlen(s) >= VEC_NAME_MAX || s[strspn(s, VEC_ALG_CHARS)])
		return vec_error(p, "bad algorithm name '%s'", s);
	if (vf->count == VEC_COUNT_MAX)
		return vec_error(p, "more than %d vectors", VEC_COUNT_MAX);
	vecs = realloc(vf->vecs, (vf->count + 1) * sizeof(*vecs));
	if (!vecs)
		return vec_error(p, "out of memory");
	vf->vecs = vecs;
	p->cur = &vecs[vf->count++];
	memset(p->cur, 0, sizeof(*p->cur));
	strcpy(p->cur->alg, s);
	p->cur->line = p->line;
	p->cur->repeat = 1;
	p->repeat_seen = false;
	return 0;
}

static char *vec_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static int vec_parse_line(struct vec_parser *p, char *line)
{
	bool indented = isspace((unsigned char)line[0]);
	char *s = vec_trim(line), *eq;

	if (!*s)
		return vec_close(p);
	if (*s == '#')
		return 0;
	if (indented) {
		if (!p->last)
			return vec_error(p, "indented line does not continue a hex field");
		return vec_append_hex(p, p->last, s);
	}
	if (*s == '[')
		return vec_open(p, s);
	eq = strchr(s, '=');
	if (!eq)
		return vec_error(p, "expected 'name = value', '[alg]' or '# comment'");
	*eq = '\0';
	s = vec_trim(s);
	if (!*s)
		return vec_error(p, "field without a name");
	return vec_parse_field(p, s, vec_trim(eq + 1));
}

static int vec_parse_file(struct vec_parser *p, FILE *f)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	while (!ret && (n = getline(&line, &cap, f)) >= 0) {
		p->line++;
		if (n > VEC_LINE_MAX)
			ret = vec_error(p, "line longer than %d characters", VEC_LINE_MAX);
		else if (strlen(line) != (size_t)n)
			ret = vec_error(p, "NUL byte in line");
		else
			ret = vec_parse_line(p, line);
	}
	free(line);
	if (!ret && ferror(f))
		ret = vec_error(p, "read error");
	return ret ? ret : vec_close(p);
}

int vec_parse_path(const char *path, struct vec_file *vf, char *err, size_t errlen)
{
	struct vec_parser p = {
		.path = path, .vf = vf, .err = err, .errlen = errlen,
	};
	FILE *f;
	int ret;

	memset(vf, 0, sizeof(*vf));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	ret = vec_parse_file(&p, f);
	fclose(f);
	if (ret)
		vec_free(vf);
	return ret;
}

void vec_load_path(const char *path, struct vec_file *vf)
{
	char err[512];

	if (vec_parse_path(path, vf, err, sizeof(err)))
		fail_msg("%s", err);
}

void vec_load(const char *name, struct vec_file *vf)
{
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/vectors/%s", name);
	vec_load_path(test_src_path(rel), vf);
}

void vec_free(struct vec_file *vf)
{
	unsigned int i, j;

	for (i = 0; i < vf->count; i++)
		for (j = 0; j < vf->vecs[i].nfields; j++)
			free(vf->vecs[i].fields[j].data);
	free(vf->vecs);
	memset(vf, 0, sizeof(*vf));
}

const struct vec_field *vec_get(const struct vec *v, const char *name)
{
	unsigned int i;

	for (i = 0; i < v->nfields; i++)
		if (!strcmp(v->fields[i].name, name))
			return &v->fields[i];
	return NULL;
}

/* "repeat" multiplies msg only; any other field comes back as it is. */
u8 *vec_expand(const struct vec *v, const char *field, size_t *len)
{
	const struct vec_field *f = vec_get(v, field);
	u64 i, n = strcmp(field, "msg") ? 1 : v->repeat;
	u8 *buf;

	if (!f)
		fail_msg("vector [%s] at line %u has no field '%s'", v->alg, v->line, field);
	assert_true(f->len * n <= VEC_EXPAND_MAX);
	buf = malloc(f->len * n + 1);
	assert_non_null(buf);
	for (i = 0; i < n; i++)
		memcpy(buf + i * f->len, f->data, f->len);
	*len = f->len * n;
	return buf;
}
