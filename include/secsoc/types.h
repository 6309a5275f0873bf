/*
 * types.h - fixed-width types and bit helpers shared by every layer.
 *
 * Kernel-style names (u32, BIT, GENMASK, FIELD_GET) so that models and
 * drivers read like their Linux and QEMU counterparts.
 */
#ifndef SECSOC_TYPES_H
#define SECSOC_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t s8;
typedef int16_t s16;
typedef int32_t s32;
typedef int64_t s64;

#define BIT(n) (1U << (n))
#define BIT_ULL(n) (1ULL << (n))
/* Bits h..l inclusive, as in <linux/bits.h>. */
#define GENMASK(h, l) ((~0U << (l)) & (~0U >> (31 - (h))))
#define GENMASK_ULL(h, l) ((~0ULL << (l)) & (~0ULL >> (63 - (h))))
/* Field helpers; the mask must be a constant with contiguous bits. */
#define FIELD_SHIFT(mask) ((unsigned)__builtin_ctzll(mask))
#define FIELD_GET(mask, reg) (((reg) & (mask)) >> FIELD_SHIFT(mask))
#define FIELD_PREP(mask, val) (((u64)(val) << FIELD_SHIFT(mask)) & (mask))

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#define SECSOC_PRINTF(f, a) __attribute__((format(printf, f, a)))

#endif /* SECSOC_TYPES_H */
