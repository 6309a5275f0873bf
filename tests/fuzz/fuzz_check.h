/*
 * fuzz_check.h - how the libFuzzer harnesses that boot a kernel report a
 * broken expectation: abort with a message (libFuzzer then saves the
 * input), on the first always() violation, and when something is left
 * after every driver was removed (invariant 7); and the hashing and
 * pattern helpers their checks share.
 */
#ifndef SECSOC_FUZZ_CHECK_H
#define SECSOC_FUZZ_CHECK_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/dma-mapping.h>
#include <secsoc/io.h>
#include <secsoc/sim.h>
#include <secsoc/slab.h>

/** fuzz_fail - print "@harness: <message>" and abort */
static inline void __attribute__((noreturn, format(printf, 2, 3)))
fuzz_fail(const char *harness, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "%s: ", harness);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	abort();
}

/** fuzz_check_violations - fuzz_fail() on the first always() violation of @s */
static inline void fuzz_check_violations(const char *harness, const struct sim *s)
{
	const struct sim_violation *v;

	if (!sim_violation_count(s))
		return;
	v = sim_violation(s, 0);
	fuzz_fail(harness, "always() failed at %s (%s, step %llu): %s", v->where, v->actor,
		  (unsigned long long)v->step, v->msg);
}

/**
 * fuzz_check_released - once every driver is removed: no kernel memory,
 * DMA mapping, coherent buffer or ioremap may be left
 */
static inline void fuzz_check_released(const char *harness)
{
	struct kmem_stats mem = kmem_stats();
	struct dma_mapping_stats maps = dma_mapping_stats();

	if (mem.objects || mem.pages || maps.live || maps.coherent || ioremap_count())
		fuzz_fail(harness, "left after removing every driver: %llu objects, %llu pages, "
			  "%llu mappings, %llu coherent buffers, %u ioremaps",
			  (unsigned long long)mem.objects, (unsigned long long)mem.pages,
			  (unsigned long long)maps.live, (unsigned long long)maps.coherent,
			  ioremap_count());
}

/*
 * fuzz_window_hash - a hash of the 16 bytes at @p, never 0: harnesses keep
 * the hashes of every 16-byte window of a secret, so that finding any of
 * them in memory the normal world can read is one table lookup per byte.
 */
static inline u64 fuzz_window_hash(const u8 *p)
{
	u64 a, b, h;

	memcpy(&a, p, 8);
	memcpy(&b, p + 8, 8);
	h = a * 0x9e3779b97f4a7c15ULL ^ ((b * 0xc2b2ae3d27d4eb4fULL) << 31 |
					  (b * 0xc2b2ae3d27d4eb4fULL) >> 33);
	return (h ^ h >> 29) | 1;
}

/** fuzz_fill - fill @p with @n xorshift64 bytes from the (non-zero) state @x */
static inline void fuzz_fill(u8 *p, size_t n, u64 x)
{
	for (size_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		p[i] = (u8)(x >> 24);
	}
}

#endif /* SECSOC_FUZZ_CHECK_H */
