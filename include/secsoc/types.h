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
#include <endian.h>

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
#define DIV_ROUND_UP(n, d) (((n) + (d) - 1) / (d))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

/* Kernel-style address and little-endian types (drivers, descriptors). */
typedef u64 phys_addr_t;
typedef u64 dma_addr_t;
typedef u16 __le16;
typedef u32 __le32;
typedef u64 __le64;
#define cpu_to_le16(x) htole16(x)
#define cpu_to_le32(x) htole32(x)
#define cpu_to_le64(x) htole64(x)
#define le16_to_cpu(x) le16toh(x)
#define le32_to_cpu(x) le32toh(x)
#define le64_to_cpu(x) le64toh(x)

#define SECSOC_PRINTF(f, a) __attribute__((format(printf, f, a)))

#endif /* SECSOC_TYPES_H */
