/*
 * slab.c - the normal world's memory (slab.h): a page allocator over the
 * managed range of modelled RAM, kmalloc() size classes on top of it, and
 * the linear map. Owns the managed range and all bookkeeping about it.
 *
 * - The range is the first "reg" entry of the first memory node minus
 *   every "reg" entry of every available child of /reserved-memory (a
 *   disabled region reserves nothing, as in Linux). Of the pieces left,
 *   the largest after shrinking to whole pages is managed (the lowest one
 *   on a tie), so the linear map stays one offset. On the default board
 *   that is 0xa0000000..0xc0000000 (512 MiB, above the TEE's memory).
 * - Pages: first fit over a sorted array of free extents, merged with
 *   their neighbours on free. Only a free that leaves a new hole adds an
 *   extent, so KMEM_EXTENTS_MAX bounds how fragmented the range may get;
 *   passing it is an always() violation (the pages are then leaked).
 *   alloc_pages_at() takes given pages out of the extent that holds them
 *   (as Linux's alloc_contig_range(); a protected heap grows its windows
 *   with it), and is refused rather than split an extent past the limit.
 * - kmalloc(): power-of-two classes of KMALLOC_MIN_ALIGN to
 *   KMALLOC_MAX_CACHE_SIZE bytes carved from 64 KiB slabs; an object is
 *   aligned to its class size. Each slab keeps a host-side bitmap of its
 *   free objects, so kmalloc()/kfree() are O(1) (a bounded word scan), a
 *   double free is caught exactly, and nothing stored in kernel memory
 *   (nor a device writing into freed memory) can corrupt the allocator.
 *   Slabs are kept once made: a slab whose objects are all freed stays on
 *   its class's partial list, its pages are never returned (so free_pages
 *   does not come back after kmalloc() churn; objects does). Larger
 *   requests take whole pages.
 * - A host-side word per page says what the page is (free, slab N, head
 *   of an N-page kmalloc() or alloc_pages_exact() allocation, tail N pages
 *   after its head), so kfree() finds the class or page count from the
 *   pointer alone and refuses anything that is not a live allocation.
 * - free_pages_exact() frees page by page, as Linux's does: any page-aligned
 *   sub-range of one or several adjacent alloc_pages_exact()/alloc_pages_at()
 *   allocations may be freed on its own (a protected heap shrinks its windows
 *   a granule at a time); what is left of an allocation on either side stays
 *   an allocation of its own. The whole range is checked before any page is
 *   freed, so a bad free frees nothing.
 *
 * Accounting (kmem_stats()): the requested size is not stored per object,
 * so object_bytes counts the class size of a small object and the whole
 * pages of a large one; pages counts the pages of large kmalloc() objects
 * (which are objects too) and of alloc_pages_exact(). kmalloc(0) returns a
 * real minimum-size object (there is no ZERO_SIZE_PTR), so callers that
 * test for NULL keep working.
 *
 * State is static: there is one normal-world kernel at a time.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bus.h>
#include <secsoc/dt.h>
#include <secsoc/list.h>
#include <secsoc/sim.h>
#include <secsoc/slab.h>

#include "kmem_internal.h"

#define SLAB_BYTES (64UL << 10)
#define SLAB_PAGES ((u32)(SLAB_BYTES / PAGE_SIZE))
#define KMALLOC_SHIFT_MIN 4		/* log2(KMALLOC_MIN_ALIGN) */
#define KMALLOC_SHIFT_MAX 12		/* log2(KMALLOC_MAX_CACHE_SIZE) */
#define KMALLOC_CLASSES (KMALLOC_SHIFT_MAX - KMALLOC_SHIFT_MIN + 1)
#define SLAB_MAP_WORDS (SLAB_BYTES / KMALLOC_MIN_ALIGN / 64)

_Static_assert(KMALLOC_MIN_ALIGN == 1 << KMALLOC_SHIFT_MIN, "KMALLOC_SHIFT_MIN");
_Static_assert(KMALLOC_MAX_CACHE_SIZE == 1 << KMALLOC_SHIFT_MAX, "KMALLOC_SHIFT_MAX");
_Static_assert(KMALLOC_MAX_CACHE_SIZE <= PAGE_SIZE, "an object never straddles slabs");

/* Page info: the kind of a page of the managed range, and its value. */
#define PI_KIND GENMASK(31, 28)
#define PI_VAL GENMASK(27, 0)		/* slab index; head: page count; tail: its offset */
#define PI(kind, val) ((u32)FIELD_PREP(PI_KIND, (kind)) | (u32)(val))

_Static_assert(BUS_RAM_SIZE_MAX / PAGE_SIZE <= PI_VAL, "a page count fits PI_VAL");

enum page_kind { PAGE_FREE, PAGE_SLAB, PAGE_KMALLOC, PAGE_EXACT, PAGE_TAIL };

static const char *const page_kind_names[] = {
	[PAGE_FREE] = "free memory",
	[PAGE_SLAB] = "a slab",
	[PAGE_KMALLOC] = "a large kmalloc() allocation",
	[PAGE_EXACT] = "an alloc_pages_exact() allocation",	/* or alloc_pages_at() */
	[PAGE_TAIL] = "inside a multi-page allocation",
};

struct kmem_extent {
	u32 start;			/* first page, counted from the range's base */
	u32 npages;
};

struct kmem_slab {
	struct list_head node;		/* on its class's partial list while not full */
	u8 *virt;
	unsigned int cls;
	u32 nfree;
	u32 hint;			/* no free object in the words below */
	u64 free_map[SLAB_MAP_WORDS];	/* bit set: object free */
};

struct kmem_piece {
	u64 start, end;
};

static struct kmem_state {
	bool ready;
	phys_addr_t base;
	u64 size;
	u8 *virt;			/* host pointer of base: the linear map */
	struct bus *bus;		/* told of every page handed out (bus_ram_touch()) */
	u32 nr_pages;
	u32 *page_info;			/* nr_pages words, PI() */
	u32 info_lo, info_hi;		/* entries [lo, hi) may be other than free */
	struct kmem_extent extents[KMEM_EXTENTS_MAX];
	unsigned int nr_extents;
	struct kmem_slab **slabs;	/* max_slabs entries; slabs are never freed */
	u32 nr_slabs, max_slabs;
	struct list_head partial[KMALLOC_CLASSES];
	struct kmem_stats stats;
} km;

/*
 * The page-info array of the last kernel, all free again, for the next
 * one of the same size: the explorer boots a kernel per schedule, and
 * clearing the few entries a run used beats clearing them all.
 */
static struct {
	u32 *info;
	u32 nr_pages;
} spare_info;

/* ---- the managed range ---- */

static int piece_cmp(const void *a, const void *b)
{
	const struct kmem_piece *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The available reserved-memory regions clipped to @mem, sorted; NULL if out of memory. */
static struct kmem_piece *reserved_in(const struct dt *dt, struct kmem_piece mem, unsigned int *n)
{
	const struct dt_node *rm = dt_find_path(dt, "/reserved-memory");
	const struct dt_node *c;
	struct kmem_piece *v;
	unsigned int max = 1;

	for (c = rm ? rm->child : NULL; c; c = c->sibling)
		max += c->nreg;
	v = malloc(max * sizeof(*v));
	if (!v)
		return NULL;
	*n = 0;
	for (c = rm ? rm->child : NULL; c; c = c->sibling) {
		for (unsigned int i = 0; dt_node_available(c) && i < c->nreg; i++) {
			u64 s = MAX(c->reg[i].addr, mem.start);
			u64 e = MIN(c->reg[i].addr + c->reg[i].size, mem.end);

			if (s < e)
				v[(*n)++] = (struct kmem_piece){ s, e };
		}
	}
	qsort(v, *n, sizeof(*v), piece_cmp);
	return v;
}

/* Keep [@start, @end) shrunk to whole pages in @best if it is larger. */
static void consider(struct kmem_piece *best, u64 start, u64 end)
{
	u64 s = ALIGN_UP(start, (u64)PAGE_SIZE);
	u64 e = end & ~(u64)(PAGE_SIZE - 1);

	if (e > s && e - s > best->end - best->start)
		*best = (struct kmem_piece){ s, e };
}

/* The largest page-aligned piece of the memory node the reserved regions leave. */
static int find_range(const struct dt *dt, struct kmem_piece *best, struct secsoc_error *err)
{
	const struct dt_node *mem = dt_memory_node(dt, 0);
	struct kmem_piece all, *rsv;
	unsigned int n;
	u64 cur;

	if (!mem || !mem->nreg)
		return input_error(err, "%s: no memory node (device_type = \"memory\") with a "
				   "'reg' for the kernel's memory", dt->source);
	all = (struct kmem_piece){ mem->reg[0].addr, mem->reg[0].addr + mem->reg[0].size };
	rsv = reserved_in(dt, all, &n);
	if (!rsv)
		return internal_error(err, "kmem: out of host memory reading /reserved-memory");
	*best = (struct kmem_piece){ 0, 0 };
	cur = all.start;
	for (unsigned int i = 0; i < n; i++) {
		if (rsv[i].start > cur)
			consider(best, cur, rsv[i].start);
		cur = MAX(cur, rsv[i].end);
	}
	consider(best, cur, all.end);
	free(rsv);
	if (best->end == best->start)
		return input_error(err, "node %s: no whole page of RAM is left for the kernel "
				   "after the reserved-memory regions", mem->path);
	return 0;
}

/* ---- pages ---- */

/*
 * Take [@first, @first + @n) out of free extent @i, which holds it. Return:
 * false if that would split the extent and no slot is left for the upper part.
 */
static bool extent_take(unsigned int i, u32 first, u32 n)
{
	struct kmem_extent *e = &km.extents[i];
	u32 end = e->start + e->npages;

	if (first > e->start && first + n < end) {
		if (km.nr_extents == KMEM_EXTENTS_MAX)
			return false;
		memmove(e + 2, e + 1, (km.nr_extents - i - 1) * sizeof(*e));
		km.nr_extents++;
		e[1] = (struct kmem_extent){ first + n, end - first - n };
		e->npages = first - e->start;
	} else if (first > e->start) {
		e->npages -= n;
	} else {
		e->start += n;
		e->npages -= n;
		if (!e->npages) {
			memmove(e, e + 1, (km.nr_extents - i - 1) * sizeof(*e));
			km.nr_extents--;
		}
	}
	km.stats.free_pages -= n;
	return true;
}

/* First fit: take @n pages from the first extent that holds them. */
static bool pages_alloc(u32 n, u32 *first)
{
	for (unsigned int i = 0; i < km.nr_extents; i++) {
		if (km.extents[i].npages < n)
			continue;
		*first = km.extents[i].start;
		return extent_take(i, *first, n);
	}
	km.stats.failures++;
	return false;
}

/* The index of the first free extent that starts at or after page @pg. */
static unsigned int extent_search(u32 pg)
{
	unsigned int lo = 0, hi = km.nr_extents;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (km.extents[mid].start < pg)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Take exactly [@first, @first + @n) if every page of it is free. */
static bool pages_take(u32 first, u32 n)
{
	unsigned int i = extent_search(first + 1);	/* the first extent after @first */

	if (!i || first + n > km.extents[i - 1].start + km.extents[i - 1].npages)
		return false;
	return extent_take(i - 1, first, n);
}

/* Give @n pages at @first back, merging with the free extents next to them. */
static void pages_release(u32 first, u32 n)
{
	struct kmem_extent *ext = km.extents;
	unsigned int lo = extent_search(first);
	bool prev, next;

	prev = lo > 0 && ext[lo - 1].start + ext[lo - 1].npages == first;
	next = lo < km.nr_extents && first + n == ext[lo].start;
	if (prev && next) {
		ext[lo - 1].npages += n + ext[lo].npages;
		memmove(&ext[lo], &ext[lo + 1], (km.nr_extents - lo - 1) * sizeof(*ext));
		km.nr_extents--;
	} else if (prev) {
		ext[lo - 1].npages += n;
	} else if (next) {
		ext[lo].start = first;
		ext[lo].npages += n;
	} else {
		always(km.nr_extents < KMEM_EXTENTS_MAX, "kmem: more than %d free extents; "
		       "%u pages at %#llx leaked", KMEM_EXTENTS_MAX, n,
		       (unsigned long long)(km.base + ((u64)first << PAGE_SHIFT)));
		if (km.nr_extents == KMEM_EXTENTS_MAX)
			return;
		memmove(&ext[lo + 1], &ext[lo], (km.nr_extents - lo) * sizeof(*ext));
		ext[lo] = (struct kmem_extent){ first, n };
		km.nr_extents++;
	}
	km.stats.free_pages += n;
}

/* Page @pg is @info; the only writer of km.page_info. */
static void page_info_set(u32 pg, u32 info)
{
	km.page_info[pg] = info;
	km.info_lo = MIN(km.info_lo, pg);
	km.info_hi = MAX(km.info_hi, pg + 1);
}

/* Every page of [@first, @first + @n) is @info (free pages, a slab's pages). */
static void pages_mark(u32 first, u32 n, u32 info)
{
	for (u32 i = 0; i < n; i++)
		page_info_set(first + i, info);
}

/* [@first, @first + @n) is one allocation of @kind: a head, then tails that point back. */
static void pages_mark_alloc(u32 first, u32 n, enum page_kind kind)
{
	page_info_set(first, PI(kind, n));
	for (u32 i = 1; i < n; i++)
		page_info_set(first + i, PI(PAGE_TAIL, i));
}

/*
 * Pages handed out may be written through the linear map, which the bus
 * does not see: tell it, so that a recycled RAM bank is zeroed there.
 */
static void pages_touch(u32 first, u32 n)
{
	bus_ram_touch(km.bus, km.base + ((u64)first << PAGE_SHIFT), (size_t)n << PAGE_SHIFT);
}

/* The taken pages become an allocation of @kind, counted in stats.pages. */
static void *pages_taken(u32 first, u32 n, enum page_kind kind, gfp_t gfp)
{
	u8 *p = km.virt + ((u64)first << PAGE_SHIFT);

	pages_touch(first, n);
	pages_mark_alloc(first, n, kind);
	km.stats.pages += n;
	if (gfp & __GFP_ZERO)
		memset(p, 0, (size_t)n << PAGE_SHIFT);
	return p;
}

/* A whole-page allocation of @kind, anywhere. */
static void *pages_get(size_t size, enum page_kind kind, gfp_t gfp)
{
	u64 n = size / PAGE_SIZE + !!(size % PAGE_SIZE);
	u32 first;

	if (n > km.nr_pages) {
		km.stats.failures++;
		return NULL;
	}
	if (!pages_alloc((u32)n, &first))
		return NULL;
	return pages_taken(first, (u32)n, kind, gfp);
}

static void pages_put(u32 first, u32 n)
{
	pages_mark(first, n, PI(PAGE_FREE, 0));
	pages_release(first, n);
	km.stats.pages -= n;
}

/* ---- freeing: what a pointer is ---- */

/* Freeing something that is not a live allocation: a violation naming it. */
static void SECSOC_PRINTF(3, 4) bad_free(const char *fn, const void *ptr, const char *fmt, ...)
{
	bool live_allocation = false;
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	always(live_allocation, "%s(%p): %s", fn, ptr, why);
}

/* The page of @ptr in the managed range; false (a violation) if it is not kernel memory. */
static bool page_of(const char *fn, const void *ptr, u32 *pg, u32 *info)
{
	if (!virt_addr_valid(ptr)) {
		bad_free(fn, ptr, "not kernel memory");
		return false;
	}
	*pg = (u32)(((uintptr_t)ptr - (uintptr_t)km.virt) >> PAGE_SHIFT);
	*info = km.page_info[*pg];
	return true;
}

/* Is @ptr the start of the page-allocation head @info of @kind? (a violation if not) */
static bool is_head(const char *fn, const void *ptr, u32 info, enum page_kind kind)
{
	enum page_kind k = FIELD_GET(PI_KIND, info);

	if (k != kind) {
		bad_free(fn, ptr, "points to %s", page_kind_names[k]);
		return false;
	}
	if ((uintptr_t)ptr & (PAGE_SIZE - 1)) {
		bad_free(fn, ptr, "points inside %s", page_kind_names[k]);
		return false;
	}
	return true;
}

/* ---- kmalloc size classes ---- */

static unsigned int kmalloc_class(size_t size)
{
	if (size <= KMALLOC_MIN_ALIGN)
		return 0;
	return (unsigned int)(64 - __builtin_clzll((u64)size - 1)) - KMALLOC_SHIFT_MIN;
}

static size_t class_size(unsigned int cls)
{
	return (size_t)1 << (cls + KMALLOC_SHIFT_MIN);
}

/* A new slab for @cls on its partial list; false when the pages ran out. */
static bool slab_new(unsigned int cls)
{
	u32 nobjs = (u32)(SLAB_BYTES / class_size(cls));
	struct kmem_slab *s;
	u32 first;

	/* km.slabs has room: slabs are never freed, so at most max_slabs fit the pages. */
	if (!pages_alloc(SLAB_PAGES, &first))
		return false;
	s = calloc(1, sizeof(*s));
	if (!s) {
		pages_release(first, SLAB_PAGES);
		km.stats.failures++;
		return false;
	}
	s->virt = km.virt + ((u64)first << PAGE_SHIFT);
	s->cls = cls;
	s->nfree = nobjs;
	memset(s->free_map, 0xff, nobjs / 64 * sizeof(u64));
	if (nobjs % 64)
		s->free_map[nobjs / 64] = (1ULL << (nobjs % 64)) - 1;
	pages_mark(first, SLAB_PAGES, PI(PAGE_SLAB, km.nr_slabs));
	km.slabs[km.nr_slabs++] = s;
	list_add(&s->node, &km.partial[cls]);
	return true;
}

static void *slab_alloc(unsigned int cls)
{
	struct kmem_slab *s;
	u32 w, obj;
	u8 *p;

	if (list_empty(&km.partial[cls]) && !slab_new(cls))
		return NULL;
	s = list_first_entry(&km.partial[cls], struct kmem_slab, node);
	for (w = s->hint; !s->free_map[w]; w++)
		;	/* nfree > 0: a free object lies at or after the hint */
	obj = w * 64 + (u32)__builtin_ctzll(s->free_map[w]);
	s->free_map[w] &= s->free_map[w] - 1;
	s->hint = w;
	if (!--s->nfree)
		list_del_init(&s->node);
	p = s->virt + obj * class_size(cls);
	/* Only the object's page: a slab's unused pages stay clean. */
	pages_touch((u32)((p - km.virt) >> PAGE_SHIFT), 1);
	return p;
}

static void slab_free(struct kmem_slab *s, const void *ptr)
{
	size_t size = class_size(s->cls);
	uintptr_t off = (uintptr_t)ptr - (uintptr_t)s->virt;
	u32 obj = (u32)(off / size), w = obj / 64;
	u64 bit = 1ULL << (obj % 64);

	if (off % size) {
		bad_free("kfree", ptr, "not the start of a %zu-byte object", size);
		return;
	}
	if (s->free_map[w] & bit) {
		bad_free("kfree", ptr, "already free (double free of a %zu-byte object)", size);
		return;
	}
	s->free_map[w] |= bit;
	if (!s->nfree++)
		list_add(&s->node, &km.partial[s->cls]);
	s->hint = MIN(s->hint, w);
	km.stats.objects--;
	km.stats.object_bytes -= size;
}

static bool kmem_ready(const char *fn, size_t size)
{
	always(km.ready, "%s(%zu) before kmem_init()", fn, size);
	return km.ready;
}

/** kmalloc - see slab.h; NULL (and a failure counted) when memory ran out */
void *kmalloc(size_t size, gfp_t gfp)
{
	unsigned int cls;
	void *p;

	if (!kmem_ready("kmalloc", size))
		return NULL;
	if (size > KMALLOC_MAX_CACHE_SIZE) {
		p = pages_get(size, PAGE_KMALLOC, gfp);
		if (p) {
			km.stats.objects++;
			km.stats.object_bytes += ALIGN_UP((u64)size, (u64)PAGE_SIZE);
		}
		return p;
	}
	cls = kmalloc_class(size);
	p = slab_alloc(cls);
	if (!p)
		return NULL;
	km.stats.objects++;
	km.stats.object_bytes += class_size(cls);
	if (gfp & __GFP_ZERO)
		memset(p, 0, size);
	return p;
}

/** kzalloc - kmalloc() zeroed */
void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

/** kmalloc_array - see slab.h; an overflowing size is refused without counting a failure */
void *kmalloc_array(size_t n, size_t size, gfp_t gfp)
{
	size_t bytes;

	if (__builtin_mul_overflow(n, size, &bytes))
		return NULL;
	return kmalloc(bytes, gfp);
}

/** kcalloc - see slab.h */
void *kcalloc(size_t n, size_t size, gfp_t gfp)
{
	return kmalloc_array(n, size, gfp | __GFP_ZERO);
}

/** kfree - see slab.h; anything but a live kmalloc() object is an always() violation */
void kfree(const void *ptr)
{
	u32 pg, info, n;

	if (!ptr || !page_of("kfree", ptr, &pg, &info))
		return;
	if (FIELD_GET(PI_KIND, info) == PAGE_SLAB) {
		slab_free(km.slabs[FIELD_GET(PI_VAL, info)], ptr);
		return;
	}
	if (!is_head("kfree", ptr, info, PAGE_KMALLOC))
		return;
	n = FIELD_GET(PI_VAL, info);
	pages_put(pg, n);
	km.stats.objects--;
	km.stats.object_bytes -= (u64)n << PAGE_SHIFT;
}

/** alloc_pages_exact - see slab.h; NULL for size 0 or when memory ran out */
void *alloc_pages_exact(size_t size, gfp_t gfp)
{
	if (!kmem_ready("alloc_pages_exact", size) || !size)
		return NULL;
	return pages_get(size, PAGE_EXACT, gfp);
}

/**
 * alloc_pages_at - see slab.h; NULL for a misaligned, empty or unmanaged
 * range, a page of it in use, or (rarely) a free-extent table too full to
 * split. A refusal is not counted in failures: the memory did not run out,
 * the caller asked for particular pages.
 */
void *alloc_pages_at(phys_addr_t pa, size_t size, gfp_t gfp)
{
	u64 off = pa - km.base;		/* below the base wraps: off >= km.size */

	if (!kmem_ready("alloc_pages_at", size) || !size || !IS_ALIGNED(pa | size, PAGE_SIZE) ||
	    off >= km.size || size > km.size - off)
		return NULL;
	if (!pages_take((u32)(off >> PAGE_SHIFT), (u32)(size >> PAGE_SHIFT)))
		return NULL;
	return pages_taken((u32)(off >> PAGE_SHIFT), (u32)(size >> PAGE_SHIFT), PAGE_EXACT, gfp);
}

/** kmem_free_pages_exact - see kmem_internal.h */
bool kmem_free_pages_exact(const char *fn, void *virt, size_t size)
{
	u64 want = size / PAGE_SIZE + !!(size % PAGE_SIZE);
	u32 pg, info, n;

	if (!page_of(fn, virt, &pg, &info) || !is_head(fn, virt, info, PAGE_EXACT))
		return false;
	n = FIELD_GET(PI_VAL, info);
	if (n != want) {
		bad_free(fn, virt, "a %u-page allocation freed with size %zu", n, size);
		return false;
	}
	pages_put(pg, n);
	return true;
}

/* The head of the allocation page @pg belongs to (@pg itself unless it is a tail). */
static u32 head_of(u32 pg)
{
	u32 info = km.page_info[pg];

	return FIELD_GET(PI_KIND, info) == PAGE_TAIL ? pg - (u32)FIELD_GET(PI_VAL, info) : pg;
}

/*
 * Does every page of [@pg, @pg + @n) belong to a page allocation? Walks
 * allocation by allocation; a violation names the first page that does not.
 */
static bool exact_range_live(const void *virt, u32 pg, u32 n)
{
	for (u32 p = pg; p < pg + n; ) {
		u32 head = head_of(p), info = km.page_info[head];
		enum page_kind k = FIELD_GET(PI_KIND, info);

		if (k != PAGE_EXACT) {
			bad_free("free_pages_exact", virt, "page %u of the range is %s", p - pg,
				 page_kind_names[k]);
			return false;
		}
		p = head + (u32)FIELD_GET(PI_VAL, info);
	}
	return true;
}

/* Free [@s, @e) of the allocation headed at @head; what is left on either side stays. */
static void exact_free_part(u32 head, u32 s, u32 e)
{
	u32 end = head + (u32)FIELD_GET(PI_VAL, km.page_info[head]);

	if (e < end)
		pages_mark_alloc(e, end - e, PAGE_EXACT);
	if (s > head)
		page_info_set(head, PI(PAGE_EXACT, s - head));
	pages_put(s, e - s);
}

/**
 * free_pages_exact - see slab.h; page by page, as in Linux: any page-aligned
 * sub-range of one or several adjacent page allocations. A range that is not
 * all live page allocations is an always() violation and frees nothing.
 */
void free_pages_exact(void *virt, size_t size)
{
	u64 n = size / PAGE_SIZE + !!(size % PAGE_SIZE);
	u32 pg, info;

	if (!page_of("free_pages_exact", virt, &pg, &info))
		return;
	if ((uintptr_t)virt & (PAGE_SIZE - 1)) {
		bad_free("free_pages_exact", virt, "not page aligned");
		return;
	}
	if (!n || n > km.nr_pages - pg) {
		bad_free("free_pages_exact", virt, "size %zu frees %s", size,
			 n ? "past the end of kernel memory" : "nothing");
		return;
	}
	if (!exact_range_live(virt, pg, (u32)n))
		return;
	for (u32 p = pg, e; p < pg + n; p = e) {
		u32 head = head_of(p);

		e = MIN(head + (u32)FIELD_GET(PI_VAL, km.page_info[head]), pg + (u32)n);
		exact_free_part(head, p, e);
	}
}

/* ---- the linear map ---- */

/** virt_addr_valid - see slab.h */
bool virt_addr_valid(const void *virt)
{
	return km.ready && (uintptr_t)virt - (uintptr_t)km.virt < km.size;
}

/** virt_to_phys - see slab.h; 0 (after the violation) for other pointers */
phys_addr_t virt_to_phys(const void *virt)
{
	bool kernel_memory = virt_addr_valid(virt);

	always(kernel_memory, "virt_to_phys(%p): not kernel memory", virt);
	return kernel_memory ? km.base + ((uintptr_t)virt - (uintptr_t)km.virt) : 0;
}

/** phys_to_virt - see slab.h; NULL (after the violation) for other addresses */
void *phys_to_virt(phys_addr_t pa)
{
	bool kernel_memory = km.ready && pa - km.base < km.size;

	always(kernel_memory, "phys_to_virt(%#llx): not kernel memory", (unsigned long long)pa);
	return kernel_memory ? km.virt + (pa - km.base) : NULL;
}

/* ---- set-up ---- */

/* An all-free page-info array of @nr_pages entries: the spare one if it fits. */
static u32 *page_info_alloc(u32 nr_pages)
{
	u32 *info = spare_info.info;

	if (info && spare_info.nr_pages == nr_pages) {
		spare_info.info = NULL;
		return info;
	}
	return calloc(nr_pages, sizeof(*info));
}

/* Keep the array of the kernel going away, cleared, as the spare. */
static void page_info_keep(void)
{
	if (!km.page_info)
		return;
	if (km.info_lo < km.info_hi)
		memset(&km.page_info[km.info_lo], 0,
		       (km.info_hi - km.info_lo) * sizeof(*km.page_info));
	free(spare_info.info);
	spare_info.info = km.page_info;
	spare_info.nr_pages = km.nr_pages;
}

static int kmem_setup(struct kmem_piece r, struct bus *bus, u8 *virt,
		      struct secsoc_error *err)
{
	km.bus = bus;
	km.base = r.start;
	km.size = r.end - r.start;
	km.virt = virt;
	km.nr_pages = (u32)(km.size >> PAGE_SHIFT);
	km.max_slabs = km.nr_pages / SLAB_PAGES + 1;
	km.page_info = page_info_alloc(km.nr_pages);
	km.info_lo = km.nr_pages;
	km.info_hi = 0;
	km.slabs = calloc(km.max_slabs, sizeof(*km.slabs));
	if (!km.page_info || !km.slabs) {
		kmem_exit();
		return internal_error(err, "kmem: out of host memory for the bookkeeping of "
				      "[%#llx, %#llx)", (unsigned long long)r.start,
				      (unsigned long long)r.end);
	}
	km.extents[0] = (struct kmem_extent){ 0, km.nr_pages };
	km.nr_extents = 1;
	km.stats.free_pages = km.nr_pages;
	for (unsigned int i = 0; i < KMALLOC_CLASSES; i++)
		INIT_LIST_HEAD(&km.partial[i]);
	km.ready = true;
	return 0;
}

/** kmem_init - see slab.h; re-initialises (abandoning everything) if already set up */
int kmem_init(struct bus *bus, const struct dt *dt, struct secsoc_error *err)
{
	struct kmem_piece r = { 0 };
	u8 *virt;
	int ret;

	kmem_exit();
	ret = find_range(dt, &r, err);
	if (ret)
		return ret;
	virt = bus_ram_linear_map(bus, r.start, r.end - r.start);
	if (!virt)
		return input_error(err, "%s: the kernel's memory [%#llx, %#llx) is not one RAM "
				   "bank on the bus", dt->source, (unsigned long long)r.start,
				   (unsigned long long)r.end);
	/* The bank's host mapping starts at its base: an unaligned base misaligns every object. */
	if ((uintptr_t)virt & (PAGE_SIZE - 1))
		return input_error(err, "node %s: RAM must start on a 4 KiB boundary for the "
				   "kernel's memory, not at %#llx", dt_memory_node(dt, 0)->path,
				   (unsigned long long)dt_memory_node(dt, 0)->reg[0].addr);
	return kmem_setup(r, bus, virt, err);
}

/** kmem_exit - see slab.h; also forgets the DMA mappings and ioremap()s */
void kmem_exit(void)
{
	for (u32 i = 0; i < km.nr_slabs; i++)
		free(km.slabs[i]);
	free(km.slabs);
	page_info_keep();
	memset(&km, 0, sizeof(km));
	dma_mapping_reset();
	ioremap_reset();
}

/** kmem_stats - see slab.h */
struct kmem_stats kmem_stats(void)
{
	return km.stats;
}

/** kmem_range - see slab.h; an empty range before kmem_init() */
void kmem_range(phys_addr_t *base, u64 *size)
{
	*base = km.base;
	*size = km.size;
}
