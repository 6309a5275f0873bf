/*
 * fuzz_input.h - the byte-program reader the libFuzzer harnesses share:
 * an input is consumed a few bytes at a time, and running off its end
 * reads zeros, so every input is a valid program.
 */
#ifndef SECSOC_FUZZ_INPUT_H
#define SECSOC_FUZZ_INPUT_H

#include <stddef.h>

#include <secsoc/types.h>

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

struct input {
	const unsigned char *p;
	size_t left;
};

/* The next @bytes (at most 4) bytes, little-endian; zeros past the end. */
static inline u32 take(struct input *in, unsigned int bytes)
{
	u32 v = 0;

	for (unsigned int i = 0; i < bytes && in->left; i++, in->left--)
		v |= (u32)*in->p++ << (8 * i);
	return v;
}

#endif /* SECSOC_FUZZ_INPUT_H */
