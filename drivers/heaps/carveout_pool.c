/*
 * carveout_pool.c - the static protected carve-out as a pool
 * (protected_heap.h), and the page-granular range allocator (struct
 * pa_ranges) that it and the secure-video pool share.
 *
 * The carve-out is a reserved-memory region the TEE made secure-only at
 * boot; the pool only decides which part of it each buffer gets, it never
 * touches the memory (the normal world cannot). Free space is a table of
 * extents sorted by address and coalesced on free, searched best fit. The
 * table is sized for the worst fragmentation a page-granular region can
 * reach (every other page free: pages / 2 + 1 extents), so an allocation
 * fails only when no free range of its size exists - the guarantee the
 * issue asks for, proved by tests/unit/test_protected_heap.c.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/err.h>
#include <secsoc/protected_heap.h>
#include <secsoc/sim.h>
#include <secsoc/slab.h>

/* ---- struct pa_ranges ---- */

int pa_ranges_init(struct pa_ranges *r, unsigned int max)
{
	*r = (struct pa_ranges){ .max = max };
	/*
	 * Not zeroed: only the first @nr entries are ever read, and clearing a
	 * worst-case table at every boot was a fifth of each explored schedule.
	 */
	r->ext = kmalloc_array(max, sizeof(*r->ext), GFP_KERNEL);
	return r->ext ? 0 : -ENOMEM;
}

void pa_ranges_destroy(struct pa_ranges *r)
{
	kfree(r->ext);
	*r = (struct pa_ranges){ 0 };
}

/* The index of the first extent that starts at or after @pa. */
static unsigned int ranges_search(const struct pa_ranges *r, phys_addr_t pa)
{
	unsigned int lo = 0, hi = r->nr;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (r->ext[mid].start < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void ranges_remove_at(struct pa_ranges *r, unsigned int i)
{
	memmove(&r->ext[i], &r->ext[i + 1], (r->nr - i - 1) * sizeof(*r->ext));
	r->nr--;
}

static bool ranges_insert_at(struct pa_ranges *r, unsigned int i, phys_addr_t start, u64 size)
{
	if (r->nr == r->max)
		return false;
	memmove(&r->ext[i + 1], &r->ext[i], (r->nr - i) * sizeof(*r->ext));
	r->ext[i] = (struct pa_extent){ start, size };
	r->nr++;
	return true;
}

bool pa_ranges_add(struct pa_ranges *r, phys_addr_t start, u64 size)
{
	unsigned int i = ranges_search(r, start);
	struct pa_extent *prev = i ? &r->ext[i - 1] : NULL;
	struct pa_extent *next = i < r->nr ? &r->ext[i] : NULL;
	bool join_prev, join_next;

	if (size == 0 || start + size < start || (prev && prev->start + prev->size > start) ||
	    (next && start + size > next->start)) {
		always(false, "protected pool: freeing [0x%llx, +0x%llx), which is empty or "
		       "overlaps free memory (a double free?)", (unsigned long long)start,
		       (unsigned long long)size);
		return false;
	}
	join_prev = prev && prev->start + prev->size == start;
	join_next = next && start + size == next->start;
	if (join_prev && join_next) {
		prev->size += size + next->size;
		ranges_remove_at(r, i);
	} else if (join_prev) {
		prev->size += size;
	} else if (join_next) {
		next->start = start;
		next->size += size;
	} else if (!ranges_insert_at(r, i, start, size)) {
		always(false, "protected pool: more than %u free extents", r->max);
		return false;
	}
	r->free_bytes += size;
	return true;
}

/* Take [@start, @start + @size) out of extent @i, which holds it. */
static bool ranges_take_from(struct pa_ranges *r, unsigned int i, phys_addr_t start, u64 size)
{
	struct pa_extent *e = &r->ext[i];
	phys_addr_t end = e->start + e->size;

	if (start > e->start && start + size < end) {
		if (!ranges_insert_at(r, i + 1, start + size, end - start - size))
			return false;
		e = &r->ext[i];
		e->size = start - e->start;
	} else if (start > e->start) {
		e->size -= size;
	} else if (e->size == size) {
		ranges_remove_at(r, i);
	} else {
		e->start += size;
		e->size -= size;
	}
	r->free_bytes -= size;
	return true;
}

bool pa_ranges_alloc(struct pa_ranges *r, u64 size, phys_addr_t *pa)
{
	unsigned int best = r->nr;

	for (unsigned int i = 0; i < r->nr; i++)
		if (r->ext[i].size >= size && (best == r->nr || r->ext[i].size < r->ext[best].size))
			best = i;
	if (best == r->nr || size == 0)
		return false;
	*pa = r->ext[best].start;
	return ranges_take_from(r, best, *pa, size);
}

const struct pa_extent *pa_ranges_find(const struct pa_ranges *r, phys_addr_t pa)
{
	unsigned int i = ranges_search(r, pa + 1);	/* the first extent after @pa */

	if (!i || pa >= r->ext[i - 1].start + r->ext[i - 1].size)
		return NULL;
	return &r->ext[i - 1];
}

bool pa_ranges_take(struct pa_ranges *r, phys_addr_t start, u64 size)
{
	const struct pa_extent *e = pa_ranges_find(r, start);

	if (!e || size == 0 || size > e->start + e->size - start)
		return false;
	return ranges_take_from(r, (unsigned int)(e - r->ext), start, size);
}

u64 pa_ranges_largest(const struct pa_ranges *r)
{
	u64 largest = 0;

	for (unsigned int i = 0; i < r->nr; i++)
		largest = MAX(largest, r->ext[i].size);
	return largest;
}

/* ---- the carve-out pool ---- */

struct carveout_pool {
	struct protected_pool pool;
	phys_addr_t base;
	u64 size;
	struct pa_ranges free;
	u64 allocations, failures;
};

static struct carveout_pool *to_carveout(const struct protected_pool *pool)
{
	return container_of(pool, struct carveout_pool, pool);
}

static int carveout_alloc(struct protected_pool *pool, size_t size, phys_addr_t *pa)
{
	struct carveout_pool *cp = to_carveout(pool);

	if (!size || !IS_ALIGNED(size, PAGE_SIZE) || !pa_ranges_alloc(&cp->free, size, pa)) {
		cp->failures++;
		return -ENOMEM;
	}
	cp->allocations++;
	return 0;
}

static void carveout_free(struct protected_pool *pool, phys_addr_t pa, size_t size)
{
	struct carveout_pool *cp = to_carveout(pool);
	bool inside = pa >= cp->base && size <= cp->size && pa - cp->base <= cp->size - size;

	always(inside, "carve-out pool: freeing [0x%llx, +0x%zx), outside [0x%llx, +0x%llx)",
	       (unsigned long long)pa, size, (unsigned long long)cp->base,
	       (unsigned long long)cp->size);
	if (inside && pa_ranges_add(&cp->free, pa, size))
		cp->allocations--;
}

static void carveout_stats(const struct protected_pool *pool, struct protected_pool_stats *st)
{
	const struct carveout_pool *cp = to_carveout(pool);

	*st = (struct protected_pool_stats){
		.allocations = cp->allocations,
		.allocated_bytes = cp->size - cp->free.free_bytes,
		.protected_bytes = cp->size,
		.free_bytes = cp->free.free_bytes,
		.largest_free = pa_ranges_largest(&cp->free),
		.failures = cp->failures,
	};
}

static void carveout_destroy(struct protected_pool *pool)
{
	struct carveout_pool *cp = to_carveout(pool);

	always(cp->allocations == 0, "carve-out pool destroyed with %llu ranges allocated",
	       (unsigned long long)cp->allocations);
	pa_ranges_destroy(&cp->free);
	kfree(cp);
}

static const struct protected_pool_ops carveout_pool_ops = {
	.alloc = carveout_alloc,
	.free = carveout_free,
	.stats = carveout_stats,
	.destroy = carveout_destroy,
};

struct protected_pool *carveout_pool_create(phys_addr_t base, u64 size)
{
	struct carveout_pool *cp;

	if (!size || size > CARVEOUT_POOL_SIZE_MAX || !IS_ALIGNED(base, PAGE_SIZE) ||
	    !IS_ALIGNED(size, PAGE_SIZE) || base + size < base)
		return ERR_PTR(-EINVAL);
	cp = kzalloc(sizeof(*cp), GFP_KERNEL);
	if (!cp)
		return ERR_PTR(-ENOMEM);
	*cp = (struct carveout_pool){ .pool.ops = &carveout_pool_ops, .base = base, .size = size };
	/* The worst case: every other page free. */
	if (pa_ranges_init(&cp->free, (unsigned int)(size / PAGE_SIZE / 2 + 1))) {
		kfree(cp);
		return ERR_PTR(-ENOMEM);
	}
	pa_ranges_add(&cp->free, base, size);
	return &cp->pool;
}
