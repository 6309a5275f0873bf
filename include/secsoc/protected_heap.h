/*
 * protected_heap.h - protected dma-buf heaps: memory the normal world can
 * allocate, share and hand to devices and to the TEE, but never read or
 * write with a CPU. docs/heaps.md, "Protected heaps", is the reference.
 *
 * Three layers, as in Linux's drivers/tee/tee_heap.c:
 *
 * - a *pool* hands out physically contiguous ranges of protected memory
 *   (alloc/free/stats/destroy). Two exist: the static carve-out
 *   (carveout_pool_create(): a region the TEE protected at boot) and the
 *   secure-video pool (secure_video_pool_create(): normal memory the TEE
 *   protects on demand, in a few growing and shrinking windows, each one
 *   TZC region);
 * - the *protected exporter* (drivers/heaps/protected.c) turns a pool into
 *   a dma-heap whose buffers refuse every CPU access with -EPERM, refuse
 *   at attach time (-EBUSY) a device whose bus ID (NSAID) the secure world
 *   does not let reach protected memory, and map as one sg entry whose bus
 *   address is the physical address;
 * - the TEE driver (drivers/tee/tee_drv.c) creates the pools and heaps at
 *   probe and asks the exporter whether a dma-buf is one of its protected
 *   buffers when a client registers it as shared memory (tee_shm.h).
 *
 * The page-granular range allocator both pools use (struct pa_ranges)
 * lives in drivers/heaps/carveout_pool.c: sorted, coalesced free extents
 * and best fit, so an allocation never fails while a free range of its
 * size exists.
 */
#ifndef SECSOC_PROTECTED_HEAP_H
#define SECSOC_PROTECTED_HEAP_H

#include <secsoc/dma-buf.h>
#include <secsoc/dma-heap.h>
#include <secsoc/tee.h>
#include <secsoc/tzc400.h>

/* ---- pools ---- */

struct protected_pool;

/* What a pool holds, for checkers (invariant 7) and the heap benchmark. */
struct protected_pool_stats {
	u64 allocations;		/* live ranges handed out */
	u64 allocated_bytes;		/* their bytes */
	u64 protected_bytes;		/* memory the pool keeps protected */
	u64 free_bytes;			/* protected and not handed out */
	u64 largest_free;		/* the largest free range (no window growth counted) */
	unsigned int windows;		/* secure-video: open windows (TZC regions); else 0 */
	u64 failures;			/* allocations refused */
	u64 assigns, releases;		/* secure-video: successful TEE calls */
};

struct protected_pool_ops {
	/* @size: page aligned, not 0. Return: 0 with *@pa set, or -ENOMEM. */
	int (*alloc)(struct protected_pool *pool, size_t size, phys_addr_t *pa);
	/* Give back a range alloc() returned, whole. */
	void (*free)(struct protected_pool *pool, phys_addr_t pa, size_t size);
	void (*stats)(const struct protected_pool *pool, struct protected_pool_stats *st);
	/* Nothing may be allocated any more. */
	void (*destroy)(struct protected_pool *pool);
};

struct protected_pool {
	const struct protected_pool_ops *ops;
};

#define CARVEOUT_POOL_SIZE_MAX (1ULL << 30)	/* 1 GiB: its extent table is size/8 KiB */

/**
 * carveout_pool_create - a pool over the carve-out [@base, @base + @size),
 * which the TEE protected at boot
 *
 * Page granular, best fit over sorted and coalesced free extents; its
 * extent table holds the worst case (every other page free), so an
 * allocation fails only when no free range of its size exists.
 *
 * Return: the pool, ERR_PTR(-EINVAL) for an empty or unaligned range or
 * one larger than CARVEOUT_POOL_SIZE_MAX, ERR_PTR(-ENOMEM).
 */
struct protected_pool *carveout_pool_create(phys_addr_t base, u64 size);

#define SECURE_VIDEO_GRANULE (64 * 1024)	/* windows grow and shrink by this */
#define SECURE_VIDEO_WINDOWS_MAX 8		/* the TZC-400's regions 1..8 at most */
#define SECURE_VIDEO_BUFFERS_MAX 4096		/* live allocations */

/*
 * How the secure-video pool reaches the TEE's protected-memory service:
 * a fast SMC (TEE_SMC_PROTMEM_*) from the CPU the caller runs on.
 */
typedef void (*protmem_smc_fn)(u32 func, u32 a1, u32 a2, u32 a3, struct arm_smccc_res *res);

/**
 * secure_video_pool_create - a pool of normal memory that the TEE protects
 * on demand (docs/heaps.md, "The secure-video pool")
 * @smc: the SMC conduit
 *
 * Buffers are carved from windows; a window grows in place by
 * SECURE_VIDEO_GRANULE steps (alloc_pages_at() + TEE_SMC_PROTMEM_ASSIGN),
 * a new window is opened elsewhere only when no window can grow, and
 * granules at a window's ends go back (TEE_SMC_PROTMEM_RELEASE, which
 * scrubs them, then free_pages_exact()) as soon as they are free: a pool
 * without buffers holds no window. A buffer is at most what one assign
 * moves (0xffff0000 bytes); larger ones are -ENOMEM.
 *
 * Return: the pool, or ERR_PTR(-EINVAL) for a NULL @smc, ERR_PTR(-ENOMEM).
 */
struct protected_pool *secure_video_pool_create(protmem_smc_fn smc);

/* ---- the page-granular range allocator of both pools (carveout_pool.c) ---- */

struct pa_extent {
	phys_addr_t start;
	u64 size;
};

/* Free ranges, sorted by address, never adjacent (coalesced), at most @max. */
struct pa_ranges {
	struct pa_extent *ext;
	unsigned int nr, max;
	u64 free_bytes;
};

/** pa_ranges_init - an empty set with room for @max extents. Return: 0 or -ENOMEM */
int pa_ranges_init(struct pa_ranges *r, unsigned int max);
/** pa_ranges_destroy - release the table (the ranges are forgotten) */
void pa_ranges_destroy(struct pa_ranges *r);
/**
 * pa_ranges_add - make [@start, @start + @size) free, merging with its
 * neighbours
 *
 * Return: true; false, with an always() violation and nothing changed, when
 * the range is empty, overlaps a free range (a double free) or needs an
 * extent past the limit.
 */
bool pa_ranges_add(struct pa_ranges *r, phys_addr_t start, u64 size);
/**
 * pa_ranges_alloc - best fit: the smallest free range that holds @size
 * (the lowest such on a tie), taken from its start
 *
 * Return: true with *@pa set, or false when no free range is large enough.
 */
bool pa_ranges_alloc(struct pa_ranges *r, u64 size, phys_addr_t *pa);
/**
 * pa_ranges_take - take exactly [@start, @start + @size), which must lie in
 * one free range
 *
 * Return: true, or false (nothing changed) when it does not, or splitting
 * that range needs an extent past the limit.
 */
bool pa_ranges_take(struct pa_ranges *r, phys_addr_t start, u64 size);
/** pa_ranges_find - the free range that holds @pa, or NULL */
const struct pa_extent *pa_ranges_find(const struct pa_ranges *r, phys_addr_t pa);
/** pa_ranges_largest - the size of the largest free range (0 when none) */
u64 pa_ranges_largest(const struct pa_ranges *r);

/* ---- the protected exporter (drivers/heaps/protected.c) ---- */

#define PROTECTED_HEAPS_MAX 8		/* live protected heaps, removed ones included */

struct protected_heap;

struct protected_heap_stats {
	u64 heaps;			/* live, removed ones with buffers left included */
	u64 buffers;			/* live protected dma-bufs */
	u64 bytes;			/* their bytes */
	u64 attachments;		/* live attachments of them */
	u64 refused_attach;		/* attaches refused with -EBUSY */
	u64 refused_cpu;		/* CPU accesses refused with -EPERM */
};

/**
 * protected_device_nsaid - the NSAID @dev's accesses to protected memory
 * carry: its node's `secsoc,protected-nsaid` (a device with a protected
 * mode, such as the GPU), else its `secsoc,nsaid`, else that of the DMA
 * controller its first `dmas` entry names (a BAM's as the SoC layer
 * configured it, default 1)
 *
 * Return: 0..15, or -ENODEV when @dev has neither (it cannot be granted
 * protected memory).
 */
int protected_device_nsaid(const struct device *dev);

/**
 * protected_heap_add - offer @pool as the dma-heap @name
 * @pool: taken over: destroyed with the heap (or here, on failure)
 * @acc: copied; who may attach
 * @owner: an opaque token protected_dma_buf_range() matches (the TEE device)
 *
 * Return: the heap, or an ERR_PTR of dma_heap_add() (-EINVAL for a bad or
 * taken name, -EBUSY), -ENOSPC past PROTECTED_HEAPS_MAX, -ENOMEM.
 */
struct protected_heap *protected_heap_add(const char *name, struct protected_pool *pool,
					  const struct soc_protected_access *acc, const void *owner);
/**
 * protected_heap_remove - unregister the heap: it can no longer be found,
 * opened or allocated from (allocations through files still open fail with
 * -EINVAL, as Linux's TEE heap after its backend went away); live buffers
 * stay valid, and the pool is destroyed after the last of them
 */
void protected_heap_remove(struct protected_heap *ph);
/** protected_heap_dma_heap - the dma-heap behind @ph */
struct dma_heap *protected_heap_dma_heap(const struct protected_heap *ph);

/** is_protected_dma_buf - was @dmabuf exported by a protected heap? */
bool is_protected_dma_buf(const struct dma_buf *dmabuf);
/**
 * protected_dma_buf_range - the physical range of @dmabuf if it is a
 * protected buffer of a heap added with @owner
 *
 * Return: true with *@pa and *@size set, else false.
 */
bool protected_dma_buf_range(const struct dma_buf *dmabuf, const void *owner, phys_addr_t *pa,
			     u64 *size);

/**
 * protected_heap_pool_stats - the pool figures of the registered protected
 * heap @name
 *
 * Return: 0, or -ENOENT.
 */
int protected_heap_pool_stats(const char *name, struct protected_pool_stats *st);
/** protected_heap_stats - live protected heaps, buffers and attachments (invariant 7) */
struct protected_heap_stats protected_heap_stats(void);

#endif /* SECSOC_PROTECTED_HEAP_H */
