/*
 * vectors.h - known-answer test vectors stored as data files in
 * tests/vectors/ (format: tests/vectors/README.md).
 *
 * A file is a list of vectors. Each vector names its algorithm and source
 * and carries hex-encoded fields (key, iv, du, pt, ct, msg, md, mac, ...);
 * the loader checks the hex and keeps the bytes.
 */
#ifndef SECSOC_TEST_VECTORS_H
#define SECSOC_TEST_VECTORS_H

#include <stddef.h>

#include <secsoc/types.h>

#define VEC_FIELDS_MAX 8
#define VEC_NAME_MAX 48

struct vec_field {
	char name[16];
	u8 *data;
	size_t len;
};

struct vec {
	char alg[VEC_NAME_MAX];		/* e.g. "cbc(aes)", "sha256", "hmac(sha1)" */
	char source[VEC_NAME_MAX];	/* e.g. "SP800-38A F.2.1" */
	unsigned int line;		/* where the vector starts in its file */
	unsigned int nfields;
	struct vec_field fields[VEC_FIELDS_MAX];
	u64 repeat;			/* "repeat = N": msg is repeated N times (default 1) */
};

struct vec_file {
	unsigned int count;
	struct vec *vecs;
};

/**
 * vec_load - parse the vector file tests/vectors/@name (in the source tree)
 *
 * Fails the running cmocka test, naming file and line, on a syntax error.
 */
void vec_load(const char *name, struct vec_file *vf);
/** vec_load_path - vec_load() for a file given by path rather than by name */
void vec_load_path(const char *path, struct vec_file *vf);
/**
 * vec_parse_path - parse the vector file at @path into @vf
 *
 * Returns 0, or -1 with @vf empty and "path:line: what" in @err (@errlen
 * bytes); the core of vec_load_path(), callable on files meant to fail.
 */
int vec_parse_path(const char *path, struct vec_file *vf, char *err, size_t errlen);
void vec_free(struct vec_file *vf);
/** vec_get - field @name of @v, or NULL when absent */
const struct vec_field *vec_get(const struct vec *v, const char *name);
/** vec_expand - the message of @v with "repeat" applied (caller frees) */
u8 *vec_expand(const struct vec *v, const char *field, size_t *len);

#endif /* SECSOC_TEST_VECTORS_H */
