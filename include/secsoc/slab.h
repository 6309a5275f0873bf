/*
 * slab.h - the normal world's memory: a page allocator and kmalloc() over
 * modelled RAM, with the kernel's linear map (virt_to_phys/phys_to_virt).
 *
 * Everything a normal-world driver allocates lives in modelled RAM, as it
 * does on a real machine, so that any of it can be handed to a device by
 * DMA mapping (the locking series maps a kzalloc'd command element). The
 * managed range is the first memory node minus every reserved-memory
 * region; it is contiguous, so the linear map is one offset.
 *
 * CPU code reads and writes its own memory through the returned host
 * pointers (the linear map), not through the bus: kernel memory is never
 * protected, and routing every store through the TZC check would make the
 * model slow without catching anything. Devices always go through the bus.
 *
 * Every live allocation is counted (kmem_stats()), so a test or scenario
 * can prove that a run leaked nothing (invariant 7). Freeing something the
 * allocator did not hand out, or freeing twice, is an always() violation.
 */
#ifndef SECSOC_SLAB_H
#define SECSOC_SLAB_H

#include <secsoc/error.h>
#include <secsoc/types.h>

struct bus;
struct dt;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define KMALLOC_MAX_CACHE_SIZE 4096	/* larger requests take whole pages */
#define KMALLOC_MIN_ALIGN 16
#define KMEM_EXTENTS_MAX 4096		/* free-range bookkeeping limit */

/* GFP flags: accepted for the Linux signatures; the model never sleeps. */
typedef unsigned int gfp_t;
#define GFP_KERNEL 0x0u
#define GFP_NOWAIT 0x1u
#define GFP_ATOMIC 0x2u
#define __GFP_ZERO 0x100u

struct kmem_stats {
	u64 objects;		/* live kmalloc objects */
	u64 object_bytes;	/* bytes they take: the size class, whole pages if larger */
	u64 pages;		/* live pages, kmalloc slabs excluded */
	u64 free_pages;		/* pages left in the managed range */
	u64 failures;		/* allocations refused (out of memory) */
};

/**
 * kmem_init - manage the normal world's RAM of @dt
 * @bus: the bus whose RAM backs it (host pointers come from its banks)
 *
 * Return: 0, or -EINVAL naming the problem (no memory node, no RAM left
 * after the reserved regions).
 */
int kmem_init(struct bus *bus, const struct dt *dt, struct secsoc_error *err);
/** kmem_exit - forget the managed range (outstanding allocations are abandoned) */
void kmem_exit(void);
/** kmem_stats - the live allocations, for leak checks and reports */
struct kmem_stats kmem_stats(void);
/** kmem_range - the managed physical range [*base, *base + *size) */
void kmem_range(phys_addr_t *base, u64 *size);

void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
/** kmalloc_array - array of @n elements, not zeroed; NULL on overflow */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp);
/** kcalloc - zeroed array of @n elements; NULL on overflow */
void *kcalloc(size_t n, size_t size, gfp_t gfp);
/** kfree - release a kmalloc() object; NULL is ignored */
void kfree(const void *ptr);

/** alloc_pages_exact - @size bytes rounded up to whole pages, page aligned */
void *alloc_pages_exact(size_t size, gfp_t gfp);
/**
 * alloc_pages_at - allocate exactly the pages [@pa, @pa + @size), as Linux's
 * alloc_contig_range() does: a heap that must grow a physical range in place
 * asks for the pages next to it
 * @pa: page aligned, inside the managed range
 * @size: page aligned, not 0; the range must end inside the managed range
 *
 * Freed with free_pages_exact(), like alloc_pages_exact() memory.
 * Return: the linear-map pointer of @pa, or NULL when the range is
 * misaligned, empty or not all managed memory, or any page of it is in use.
 */
void *alloc_pages_at(phys_addr_t pa, size_t size, gfp_t gfp);
/**
 * free_pages_exact - release [@virt, @virt + @size) (@size rounded up to
 * whole pages) of alloc_pages_exact() or alloc_pages_at() memory
 *
 * Page by page, as in Linux: @virt must be page aligned, but the range may be
 * any part of one allocation, or span adjacent ones; what is left of an
 * allocation stays allocated. A range with a page that is not such memory is
 * an always() violation, and then nothing is freed.
 */
void free_pages_exact(void *virt, size_t size);

/** virt_to_phys - physical address of kernel memory @virt (asserted to be kernel memory) */
phys_addr_t virt_to_phys(const void *virt);
/** phys_to_virt - the linear-map pointer of @pa (asserted to be kernel memory) */
void *phys_to_virt(phys_addr_t pa);
/** virt_addr_valid - does @virt point into kernel memory? */
bool virt_addr_valid(const void *virt);

#endif /* SECSOC_SLAB_H */
