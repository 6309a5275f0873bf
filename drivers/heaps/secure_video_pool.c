/*
 * secure_video_pool.c - the pool behind `protected,secure-video`
 * (protected_heap.h): normal memory that the TEE's protected-memory
 * service protects on demand, kept in a few windows of one TZC region each
 * (docs/heaps.md, "The secure-video pool").
 *
 * Why windows: the TZC-400 has 8 regions, and the secure world already
 * uses some, so the pool cannot protect each buffer on its own. A window
 * is a physically contiguous range, a whole number of SECURE_VIDEO_GRANULE
 * granules long, that the TEE protects as one region; buffers are carved
 * from it best fit. When no window has room:
 *   1. a window grows in place: the pool takes the free pages right next
 *      to it from the page allocator (alloc_pages_at(), above or below) and
 *      asks the TEE to assign them (TEE_SMC_PROTMEM_ASSIGN), which extends
 *      the window's region;
 *   2. only if no window can grow, a new window opens wherever the page
 *      allocator finds the pages, and the assign takes a new region (none
 *      left: -ENOMEM, and the pages go back).
 * A range that ends up touching two windows bridges them: the TEE merges
 * their regions and the pool merges its records.
 *
 * As soon as whole granules at a window's ends are free, they go back:
 * TEE_SMC_PROTMEM_RELEASE (the TEE scrubs them while still protected, then
 * shrinks or disables the region) and then free_pages_exact() on just
 * that sub-range. There is no cache of empty windows: a pool without
 * buffers holds no protected memory and no TZC region, so the normal
 * world gets its memory back at once and an idle system shows 0 windows.
 *
 * It owns its window records and the free extents inside the windows; the
 * protected memory itself is only ever named by physical address.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/err.h>
#include <secsoc/protected_heap.h>
#include <secsoc/sim.h>
#include <secsoc/slab.h>

#define SV_SMC_SIZE_MAX 0xfffff000ull	/* a3 of one protected-memory call */
/* The most one assign or release moves: whole granules that fit one call. */
#define SV_CALL_MAX (SV_SMC_SIZE_MAX / SECURE_VIDEO_GRANULE * SECURE_VIDEO_GRANULE)

struct sv_window {
	bool used;
	phys_addr_t base;
	u64 size;		/* a whole number of granules */
	u8 *virt;		/* the linear-map address of @base (the pages are the pool's) */
};

struct sv_pool {
	struct protected_pool pool;
	protmem_smc_fn smc;
	struct sv_window win[SECURE_VIDEO_WINDOWS_MAX];
	unsigned int nr_windows;
	struct pa_ranges free;	/* free space inside the windows */
	u64 allocations, allocated_bytes, failures, assigns, releases;
};

static struct sv_pool *to_sv(const struct protected_pool *pool)
{
	return container_of(pool, struct sv_pool, pool);
}

/* ---- the TEE's protected-memory service ---- */

/* Return: a0 of the call: TEE_SUCCESS or a TEE_ERROR_*. */
static u32 sv_smc(struct sv_pool *sp, u32 func, phys_addr_t pa, u64 size)
{
	struct arm_smccc_res res;

	if (size > SV_SMC_SIZE_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	sp->smc(func, (u32)(pa >> 32), (u32)pa, (u32)size, &res);
	return (u32)res.a0;
}

static bool sv_assign(struct sv_pool *sp, phys_addr_t pa, u64 size)
{
	bool ok = sv_smc(sp, TEE_SMC_PROTMEM_ASSIGN, pa, size) == TEE_SUCCESS;

	sp->assigns += ok;
	return ok;
}

/* ---- windows ---- */

static struct sv_window *sv_window_of(struct sv_pool *sp, phys_addr_t pa, u64 size)
{
	for (unsigned int i = 0; i < SECURE_VIDEO_WINDOWS_MAX; i++) {
		struct sv_window *w = &sp->win[i];

		if (w->used && pa >= w->base && size <= w->size && pa - w->base <= w->size - size)
			return w;
	}
	return NULL;
}

/* @w grew up to another window, or down to one: the TEE bridged them, so do we. */
static void sv_merge_neighbours(struct sv_pool *sp, struct sv_window *w)
{
	for (unsigned int i = 0; i < SECURE_VIDEO_WINDOWS_MAX; i++) {
		struct sv_window *o = &sp->win[i];

		if (!o->used || o == w)
			continue;
		if (o->base + o->size == w->base) {
			w->base = o->base;
			w->virt = o->virt;
		} else if (w->base + w->size != o->base) {
			continue;
		}
		w->size += o->size;
		o->used = false;
		sp->nr_windows--;
	}
}

/* New protected memory [@pa, @pa + @size) joined @w: it is free space of the window. */
static void sv_window_gained(struct sv_pool *sp, struct sv_window *w, phys_addr_t pa, u64 size)
{
	pa_ranges_add(&sp->free, pa, size);
	sv_merge_neighbours(sp, w);
}

/* The bytes @size needs beyond what is free at @w's top (@up) or bottom, in granules. */
static u64 sv_growth(const struct sv_pool *sp, const struct sv_window *w, u64 size, bool up)
{
	const struct pa_extent *e = pa_ranges_find(&sp->free, up ? w->base + w->size - 1 :
							    w->base);
	u64 have = e ? (up ? w->base + w->size - e->start : e->start + e->size - w->base) : 0;

	return ALIGN_UP(size - MIN(have, size), (u64)SECURE_VIDEO_GRANULE);
}

/* Grow @w in place by the pages right above (@up) or below it. */
static bool sv_grow(struct sv_pool *sp, struct sv_window *w, u64 size, bool up)
{
	u64 grow = sv_growth(sp, w, size, up);
	phys_addr_t pa = up ? w->base + w->size : w->base - grow;
	u8 *virt;

	if (!up && grow > w->base)
		return false;
	virt = alloc_pages_at(pa, grow, GFP_KERNEL);
	if (!virt)
		return false;
	if (!sv_assign(sp, pa, grow)) {
		free_pages_exact(virt, grow);
		return false;
	}
	if (!up) {
		w->base = pa;
		w->virt = virt;
	}
	w->size += grow;
	sv_window_gained(sp, w, pa, grow);
	return true;
}

/* A new window, wherever the page allocator has the room; the TEE gives it a region. */
static bool sv_open(struct sv_pool *sp, u64 size)
{
	u64 n = ALIGN_UP(size, (u64)SECURE_VIDEO_GRANULE);
	struct sv_window *w = NULL;
	u8 *virt;

	for (unsigned int i = 0; i < SECURE_VIDEO_WINDOWS_MAX && !w; i++)
		if (!sp->win[i].used)
			w = &sp->win[i];
	if (!w || !(virt = alloc_pages_exact(n, GFP_KERNEL)))
		return false;
	if (!sv_assign(sp, virt_to_phys(virt), n)) {
		free_pages_exact(virt, n);
		return false;
	}
	*w = (struct sv_window){ .used = true, .base = virt_to_phys(virt), .size = n,
				 .virt = virt };
	sp->nr_windows++;
	sv_window_gained(sp, w, w->base, n);
	return true;
}

/* Room for @size: a window grows, or else a new one opens. */
static bool sv_make_room(struct sv_pool *sp, u64 size)
{
	for (unsigned int i = 0; i < SECURE_VIDEO_WINDOWS_MAX; i++) {
		struct sv_window *w = &sp->win[i];

		if (w->used && (sv_grow(sp, w, size, true) || sv_grow(sp, w, size, false)))
			return true;
	}
	return sv_open(sp, size);
}

/*
 * Give [@pa, @pa + @n), free granules at an end of @w, back to the normal
 * world: the TEE scrubs and unprotects it first, then the pages go.
 */
static bool sv_give_back(struct sv_pool *sp, struct sv_window *w, phys_addr_t pa, u64 n)
{
	u8 *virt = w->virt + (pa - w->base);
	u32 ret = sv_smc(sp, TEE_SMC_PROTMEM_RELEASE, pa, n);

	/*
	 * Busy: the secure world still writes there (a buffer freed under a
	 * call the driver abandoned). Anything else is a bug. Either way the
	 * range stays protected free space of the window.
	 */
	always(ret == TEE_SUCCESS || ret == TEE_ERROR_BUSY, "secure-video pool: the TEE refused "
	       "to release [0x%llx, +0x%llx) of a window: 0x%x", (unsigned long long)pa,
	       (unsigned long long)n, ret);
	if (ret != TEE_SUCCESS)
		return false;
	sp->releases++;
	pa_ranges_take(&sp->free, pa, n);
	free_pages_exact(virt, n);
	if (pa == w->base) {
		w->base += n;
		w->virt += n;
	}
	w->size -= n;
	if (!w->size) {
		w->used = false;
		sp->nr_windows--;
	}
	return true;
}

/* Free granules at @w's top (@top) or bottom go back, one call's worth. Return: any went. */
static bool sv_shrink_end(struct sv_pool *sp, struct sv_window *w, bool top)
{
	phys_addr_t end = w->base + w->size;
	const struct pa_extent *e = pa_ranges_find(&sp->free, top ? end - 1 : w->base);
	u64 n = e ? (top ? end - e->start : e->start + e->size - w->base) : 0;

	n = MIN(n, SV_CALL_MAX) / SECURE_VIDEO_GRANULE * SECURE_VIDEO_GRANULE;
	return n && sv_give_back(sp, w, top ? end - n : w->base, n);
}

/* All whole free granules at @w's ends go back: its top, then its bottom. */
static void sv_shrink(struct sv_pool *sp, struct sv_window *w)
{
	while (w->used && sv_shrink_end(sp, w, true))
		;
	while (w->used && sv_shrink_end(sp, w, false))
		;
}

/* ---- pool operations ---- */

static int sv_alloc(struct protected_pool *pool, size_t size, phys_addr_t *pa)
{
	struct sv_pool *sp = to_sv(pool);

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) || size > SV_CALL_MAX ||
	    sp->allocations == SECURE_VIDEO_BUFFERS_MAX ||
	    (!pa_ranges_alloc(&sp->free, size, pa) &&
	     !(sv_make_room(sp, size) && pa_ranges_alloc(&sp->free, size, pa)))) {
		sp->failures++;
		return -ENOMEM;
	}
	sp->allocations++;
	sp->allocated_bytes += size;
	return 0;
}

static void sv_free(struct protected_pool *pool, phys_addr_t pa, size_t size)
{
	struct sv_pool *sp = to_sv(pool);
	struct sv_window *w = sv_window_of(sp, pa, size);

	always(w, "secure-video pool: freeing [0x%llx, +0x%zx), which no window holds",
	       (unsigned long long)pa, size);
	if (!w || !pa_ranges_add(&sp->free, pa, size))
		return;
	sp->allocations--;
	sp->allocated_bytes -= size;
	sv_shrink(sp, w);
}

static void sv_stats(const struct protected_pool *pool, struct protected_pool_stats *st)
{
	const struct sv_pool *sp = to_sv(pool);
	u64 protected_bytes = 0;

	for (unsigned int i = 0; i < SECURE_VIDEO_WINDOWS_MAX; i++)
		protected_bytes += sp->win[i].used ? sp->win[i].size : 0;
	*st = (struct protected_pool_stats){
		.allocations = sp->allocations,
		.allocated_bytes = sp->allocated_bytes,
		.protected_bytes = protected_bytes,
		.free_bytes = sp->free.free_bytes,
		.largest_free = pa_ranges_largest(&sp->free),
		.windows = sp->nr_windows,
		.failures = sp->failures,
		.assigns = sp->assigns,
		.releases = sp->releases,
	};
}

static void sv_destroy(struct protected_pool *pool)
{
	struct sv_pool *sp = to_sv(pool);

	always(sp->allocations == 0 && sp->nr_windows == 0, "secure-video pool destroyed with "
	       "%llu buffers and %u windows", (unsigned long long)sp->allocations,
	       sp->nr_windows);
	pa_ranges_destroy(&sp->free);
	kfree(sp);
}

static const struct protected_pool_ops secure_video_pool_ops = {
	.alloc = sv_alloc,
	.free = sv_free,
	.stats = sv_stats,
	.destroy = sv_destroy,
};

struct protected_pool *secure_video_pool_create(protmem_smc_fn smc)
{
	struct sv_pool *sp;

	if (!smc)
		return ERR_PTR(-EINVAL);
	sp = kzalloc(sizeof(*sp), GFP_KERNEL);
	if (!sp)
		return ERR_PTR(-ENOMEM);
	*sp = (struct sv_pool){ .pool.ops = &secure_video_pool_ops, .smc = smc };
	/* Each window's free space has at most one hole more than it has buffers. */
	if (pa_ranges_init(&sp->free, SECURE_VIDEO_BUFFERS_MAX + SECURE_VIDEO_WINDOWS_MAX)) {
		kfree(sp);
		return ERR_PTR(-ENOMEM);
	}
	return &sp->pool;
}
