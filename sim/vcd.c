/*
 * vcd.c - the Value Change Dump writer (IEEE 1364-2005 §18; see
 * include/secsoc/trace.h), for signals viewed in GTKWave.
 *
 * Owns the variable table, identifier codes and the "current value" of
 * every variable. Variables are declared first; the header (scopes grouped
 * by name, $dumpvars with every variable at 0) is written at the first
 * value change or at close, after which vcd_var refuses new variables.
 * The header carries no wall-clock date so that identical runs produce
 * identical files. Changes that keep a value are dropped, and "#t" is only
 * written when time advances; time going backwards is a programming error.
 *
 * All vcd_* calls accept a NULL writer and then do nothing.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/trace.h>

#ifndef SECSOC_VERSION
#define SECSOC_VERSION "unknown"	/* compiled outside CMake */
#endif

#define VCD_NAME_MAX 64
#define VCD_PATH_MAX 256
#define VCD_ID_FIRST '!'
#define VCD_ID_CHARS ('~' - '!' + 1)	/* printable ASCII */
#define VCD_ID_MAX 4

struct vcd_signal {
	char scope[VCD_NAME_MAX];
	char name[VCD_NAME_MAX];
	char id[VCD_ID_MAX];
	unsigned int width;
	u64 value;
};

struct vcd {
	FILE *out;
	char path[VCD_PATH_MAX];		/* "" for a caller's stream */
	bool header_done;
	u64 last_ns;			/* time of the latest vcd_change */
	u64 written_ns;			/* time of the last "#t" line */
	unsigned int nvars;
	struct vcd_signal vars[VCD_VARS_MAX];
};

static void __attribute__((noreturn)) vcd_fatal(const char *what, u64 a, u64 b)
{
	fprintf(stderr, "secsoc: VCD writer misuse: %s (%" PRIu64 ", %" PRIu64 ")\n", what, a, b);
	abort();
}

/* Copy a name, replacing whitespace and non-printable bytes, which VCD cannot hold. */
static void vcd_sanitise(char *dst, const char *src)
{
	size_t i;

	for (i = 0; src[i] && i < VCD_NAME_MAX - 1; i++)
		dst[i] = src[i] > ' ' && src[i] <= '~' ? src[i] : '_';
	dst[i] = '\0';
}

/* Identifier code of variable @n: base-94 digits of printable ASCII. */
static void vcd_make_id(char *id, unsigned int n)
{
	unsigned int i = 0;

	do {
		id[i++] = (char)(VCD_ID_FIRST + n % VCD_ID_CHARS);
		n = n / VCD_ID_CHARS;
	} while (n && i < VCD_ID_MAX - 1);
	id[i] = '\0';
}

/**
 * vcd_open_stream - start a VCD on an already open stream
 * @out: the stream; vcd_close flushes it but does not close it
 *
 * Return: the writer (freed by vcd_close). Allocation failure aborts.
 */
struct vcd *vcd_open_stream(FILE *out)
{
	struct vcd *v = calloc(1, sizeof(*v));

	if (!v) {
		fprintf(stderr, "secsoc: out of memory for the VCD writer\n");
		abort();
	}
	v->out = out;
	return v;
}

/**
 * vcd_open - start a VCD file
 * @path: the file; "-" is stdout
 * @err: filled with an input error naming @path if it cannot be created
 *
 * Return: the writer, or NULL.
 */
struct vcd *vcd_open(const char *path, struct secsoc_error *err)
{
	FILE *f = trace_file_open(path, "VCD", err);
	struct vcd *v;

	if (!f)
		return NULL;
	v = vcd_open_stream(f);
	snprintf(v->path, sizeof(v->path), "%s", path);
	return v;
}

/**
 * vcd_var - declare a wire of @width bits in module @scope
 * @v: the writer
 * @scope: module name (variables of one scope are grouped)
 * @name: variable name; whitespace becomes '_'
 * @width: 1..64 bits; anything else is a programming error
 *
 * Return: a handle for vcd_change, or -1 once the header has been written
 * or VCD_VARS_MAX is reached.
 */
int vcd_var(struct vcd *v, const char *scope, const char *name, unsigned int width)
{
	struct vcd_signal *s;

	if (!v || v->header_done || v->nvars == VCD_VARS_MAX)
		return -1;
	if (width < 1 || width > 64)
		vcd_fatal("variable width out of 1..64", width, v->nvars);
	s = &v->vars[v->nvars];
	vcd_sanitise(s->scope, scope);
	vcd_sanitise(s->name, name);
	vcd_make_id(s->id, v->nvars);
	s->width = width;
	s->value = 0;
	return (int)v->nvars++;
}

static void vcd_write_value(FILE *out, const struct vcd_signal *s)
{
	int bit;

	if (s->width == 1) {
		fprintf(out, "%c%s\n", s->value ? '1' : '0', s->id);
		return;
	}
	fputc('b', out);
	for (bit = 63; bit > 0 && !(s->value >> bit); bit--)
		;
	for (; bit >= 0; bit--)
		fputc(s->value >> bit & 1 ? '1' : '0', out);
	fprintf(out, " %s\n", s->id);
}

/* $scope ... $upscope for every scope, in order of first declaration. */
static void vcd_write_scopes(struct vcd *v)
{
	unsigned int i, j, k;

	for (i = 0; i < v->nvars; i++) {
		for (k = 0; k < i && strcmp(v->vars[k].scope, v->vars[i].scope); k++)
			;
		if (k < i)
			continue;	/* scope already written */
		fprintf(v->out, "$scope module %s $end\n", v->vars[i].scope);
		for (j = i; j < v->nvars; j++) {
			const struct vcd_signal *s = &v->vars[j];

			if (!strcmp(s->scope, v->vars[i].scope))
				fprintf(v->out, "$var wire %u %s %s $end\n", s->width, s->id,
					s->name);
		}
		fputs("$upscope $end\n", v->out);
	}
}

static void vcd_write_header(struct vcd *v)
{
	unsigned int i;

	fputs("$date secsoc $end\n"
	      "$version secsoc " SECSOC_VERSION " $end\n"
	      "$timescale 1ns $end\n", v->out);
	vcd_write_scopes(v);
	fputs("$enddefinitions $end\n#0\n$dumpvars\n", v->out);
	for (i = 0; i < v->nvars; i++)
		vcd_write_value(v->out, &v->vars[i]);
	fputs("$end\n", v->out);
	v->header_done = true;
}

/**
 * vcd_change - @var takes @value at @ts_ns
 * @v: the writer
 * @var: a handle from vcd_var; -1 (a variable that could not be declared)
 *       is ignored, any other unknown handle is a programming error
 * @ts_ns: modelled ns; must not be earlier than the previous change
 * @value: the new value, truncated to the variable's width
 */
void vcd_change(struct vcd *v, int var, u64 ts_ns, u64 value)
{
	struct vcd_signal *s;

	if (!v || var == -1)
		return;
	if (var < 0 || (unsigned int)var >= v->nvars)
		vcd_fatal("unknown variable handle", (u64)var, v->nvars);
	if (!v->header_done)
		vcd_write_header(v);
	if (ts_ns < v->last_ns)
		vcd_fatal("time went backwards", ts_ns, v->last_ns);
	v->last_ns = ts_ns;
	s = &v->vars[var];
	if (s->width < 64)
		value &= (1ULL << s->width) - 1;
	if (value == s->value)
		return;
	if (ts_ns > v->written_ns) {
		fprintf(v->out, "#%" PRIu64 "\n", ts_ns);
		v->written_ns = ts_ns;
	}
	s->value = value;
	vcd_write_value(v->out, s);
}

/**
 * vcd_close - write the header if no change came, flush and free
 * @v: the writer (NULL is allowed)
 * @err: filled with an internal error naming the file if writing failed
 *
 * Return: 0, or -EIO if any write failed.
 */
int vcd_close(struct vcd *v, struct secsoc_error *err)
{
	int ret;

	if (!v)
		return 0;
	if (!v->header_done)
		vcd_write_header(v);
	ret = trace_file_close(v->out, v->path[0] ? v->path : NULL, "VCD", err);
	free(v);
	return ret;
}
