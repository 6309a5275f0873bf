/*
 * json.c - the streaming JSON writer (see include/secsoc/json.h).
 *
 * Owns commas, nesting, indentation and string escaping, so that callers
 * (run report, `info --json`, trace writer) never build JSON by hand. Values
 * are written as soon as they are given; nothing is buffered here. Misuse
 * (closing more than was opened, nesting deeper than JSON_DEPTH_MAX, a key
 * at the top level) is a programming error and aborts with a message.
 *
 * Layout: compact mode writes no whitespace at all; pretty mode puts every
 * member on its own line indented by two spaces per level, and empty
 * containers stay "{}"/"[]". Nothing follows the top-level value (not even
 * a newline): the caller ends the line.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

#include <secsoc/json.h>

static void __attribute__((noreturn)) json_fatal(const char *what)
{
	fprintf(stderr, "secsoc: json writer misuse: %s\n", what);
	abort();
}

static void json_indent(struct json_writer *w)
{
	int i;

	fputc('\n', w->out);
	for (i = 0; i < w->depth; i++)
		fputs("  ", w->out);
}

/*
 * Everything a member needs before its value: the comma after the previous
 * sibling, the newline and indentation, and the key. first[d - 1] belongs to
 * the container at depth d; the top level (depth 0) holds one value and no
 * key.
 */
static void json_member(struct json_writer *w, const char *key)
{
	if (w->depth == 0) {
		if (key)
			json_fatal("a key at the top level");
		return;
	}
	if (!w->first[w->depth - 1])
		fputc(',', w->out);
	w->first[w->depth - 1] = false;
	if (w->pretty)
		json_indent(w);
	if (key) {
		json_write_escaped(w->out, key);
		fputs(w->pretty ? ": " : ":", w->out);
	}
}

/**
 * json_init - start writing one JSON document to @out
 * @w: the writer state (caller storage)
 * @out: the stream; the writer never closes it
 * @pretty: indent with two spaces per level instead of compact output
 */
void json_init(struct json_writer *w, FILE *out, bool pretty)
{
	int i;

	w->out = out;
	w->depth = 0;
	w->pretty = pretty;
	for (i = 0; i < JSON_DEPTH_MAX; i++)
		w->first[i] = true;
}

static void json_open(struct json_writer *w, const char *key, char open)
{
	json_member(w, key);
	if (w->depth >= JSON_DEPTH_MAX)
		json_fatal("nesting deeper than JSON_DEPTH_MAX");
	fputc(open, w->out);
	w->depth++;
	w->first[w->depth - 1] = true;
}

static void json_close(struct json_writer *w, char close)
{
	if (w->depth <= 0)
		json_fatal("closing a container that was never opened");
	w->depth--;
	if (w->pretty && !w->first[w->depth])
		json_indent(w);
	fputc(close, w->out);
}

/**
 * json_object_begin - open an object
 * @w: the writer
 * @key: member name inside an object; NULL inside arrays and at the top level
 */
void json_object_begin(struct json_writer *w, const char *key)
{
	json_open(w, key, '{');
}

/** json_object_end - close the innermost object */
void json_object_end(struct json_writer *w)
{
	json_close(w, '}');
}

/**
 * json_array_begin - open an array
 * @w: the writer
 * @key: member name inside an object; NULL inside arrays and at the top level
 */
void json_array_begin(struct json_writer *w, const char *key)
{
	json_open(w, key, '[');
}

/** json_array_end - close the innermost array */
void json_array_end(struct json_writer *w)
{
	json_close(w, ']');
}

/**
 * json_string - write a string member or element, escaped
 * @w: the writer
 * @key: member name, or NULL for an array element
 * @val: the string (well-formed UTF-8 passes through, other bytes >= 0x80
 *       become \ufffd); NULL writes null
 */
void json_string(struct json_writer *w, const char *key, const char *val)
{
	json_member(w, key);
	json_write_escaped(w->out, val);
}

/**
 * json_u64 - write an unsigned integer member or element
 * @w: the writer
 * @key: member name, or NULL for an array element
 * @val: the value, written in full (readers may round above 2^53)
 */
void json_u64(struct json_writer *w, const char *key, u64 val)
{
	json_member(w, key);
	fprintf(w->out, "%" PRIu64, val);
}

/**
 * json_s64 - write a signed integer member or element
 * @w: the writer
 * @key: member name, or NULL for an array element
 * @val: the value
 */
void json_s64(struct json_writer *w, const char *key, s64 val)
{
	json_member(w, key);
	fprintf(w->out, "%" PRId64, val);
}

/**
 * json_double - write a floating-point member or element
 * @w: the writer
 * @key: member name, or NULL for an array element
 * @val: the value with 17 significant digits (round-trips exactly);
 *       NaN and infinities have no JSON form and are written as null
 */
void json_double(struct json_writer *w, const char *key, double val)
{
	json_member(w, key);
	if (isfinite(val))
		fprintf(w->out, "%.17g", val);
	else
		fputs("null", w->out);
}

/**
 * json_bool - write true or false
 * @w: the writer
 * @key: member name, or NULL for an array element
 * @val: the value
 */
void json_bool(struct json_writer *w, const char *key, bool val)
{
	json_member(w, key);
	fputs(val ? "true" : "false", w->out);
}

/**
 * json_null - write null
 * @w: the writer
 * @key: member name, or NULL for an array element
 */
void json_null(struct json_writer *w, const char *key)
{
	json_member(w, key);
	fputs("null", w->out);
}

/*
 * Length of the well-formed UTF-8 sequence at @p (Unicode Table 3-7), or 0
 * if there is none: a stray continuation byte, C0/C1 and F5..FF (overlongs
 * and beyond U+10FFFF), E0 80..9F and F0 80..8F (overlong), ED A0..BF
 * (surrogates), F4 90..BF (beyond U+10FFFF), or a sequence cut short. The
 * string ends in NUL, which is no continuation byte, so reading stops there.
 */
static unsigned int utf8_sequence_len(const unsigned char *p)
{
	unsigned char lo = 0x80, hi = 0xbf;
	unsigned int len, i;

	if (p[0] < 0x80)
		return 1;
	if (p[0] < 0xc2 || p[0] > 0xf4)
		return 0;
	len = p[0] < 0xe0 ? 2 : p[0] < 0xf0 ? 3 : 4;
	if (p[0] == 0xe0)
		lo = 0xa0;
	else if (p[0] == 0xed)
		hi = 0x9f;
	else if (p[0] == 0xf0)
		lo = 0x90;
	else if (p[0] == 0xf4)
		hi = 0x8f;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((p[i] & 0xc0) != 0x80)
			return 0;
	return len;
}

/*
 * Copy the UTF-8 sequence at @p (first byte >= 0x80) or, if it is not
 * well-formed, write U+FFFD for its first byte alone. Return: bytes consumed.
 */
static unsigned int json_write_utf8(FILE *out, const unsigned char *p)
{
	unsigned int len = utf8_sequence_len(p);

	if (!len) {
		fputs("\\ufffd", out);
		return 1;
	}
	fwrite(p, 1, len, out);
	return len;
}

/**
 * json_write_escaped - write @s as a quoted JSON string literal
 * @out: the stream
 * @s: the string; NULL writes null
 *
 * Escapes the quote, the backslash and every control character below 0x20
 * (\n, \r and \t by name, the rest as \u00XX). Well-formed UTF-8 is
 * copied unchanged, so text stays readable; every byte that is not part of
 * a well-formed sequence (strings from a device tree are arbitrary bytes)
 * becomes \ufffd, so the output is always valid JSON.
 */
void json_write_escaped(FILE *out, const char *s)
{
	const unsigned char *p;

	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (p = (const unsigned char *)s; *p; ) {
		if (*p >= 0x80) {
			p += json_write_utf8(out, p);
			continue;
		}
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			if (*p < 0x20)
				fprintf(out, "\\u%04x", *p);
			else
				fputc(*p, out);
		}
		p++;
	}
	fputc('"', out);
}
