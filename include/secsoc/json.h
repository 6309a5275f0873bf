/*
 * json.h - a streaming JSON writer (no DOM), used by the run report, the
 * trace writer and `info --json`. It tracks nesting and commas so callers
 * only say what to write, and it escapes every string.
 */
#ifndef SECSOC_JSON_H
#define SECSOC_JSON_H

#include <stdio.h>

#include <secsoc/types.h>

#define JSON_DEPTH_MAX 16

struct json_writer {
	FILE *out;
	int depth;
	bool first[JSON_DEPTH_MAX];	/* no member written yet at this depth */
	bool pretty;
};

void json_init(struct json_writer *w, FILE *out, bool pretty);
/* Containers; @key is NULL inside arrays and at the top level. */
void json_object_begin(struct json_writer *w, const char *key);
void json_object_end(struct json_writer *w);
void json_array_begin(struct json_writer *w, const char *key);
void json_array_end(struct json_writer *w);
/* Members (or array elements when @key is NULL). */
void json_string(struct json_writer *w, const char *key, const char *val);
void json_u64(struct json_writer *w, const char *key, u64 val);
void json_s64(struct json_writer *w, const char *key, s64 val);
void json_double(struct json_writer *w, const char *key, double val);
void json_bool(struct json_writer *w, const char *key, bool val);
void json_null(struct json_writer *w, const char *key);
/**
 * json_write_escaped - write @s as a quoted JSON string literal; well-formed
 * UTF-8 passes through, each byte of an ill-formed sequence becomes \ufffd
 */
void json_write_escaped(FILE *out, const char *s);

#endif /* SECSOC_JSON_H */
