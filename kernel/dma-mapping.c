/*
 * dma-mapping.c - the streaming and coherent DMA API (dma-mapping.h) over
 * the normal world's memory. Owns the table of live streaming mappings and
 * the mapping counters.
 *
 * With no IOMMU a bus address is the physical address, so mapping is pure
 * bookkeeping, in the spirit of CONFIG_DMA_API_DEBUG: every live mapping
 * (one per sg entry) sits in an open-addressing hash table keyed by bus
 * address and length, so an unmap finds its map in O(1) however many are
 * live; deletion shifts the probe chain back instead of leaving
 * tombstones, so the table never degrades. The table is twice
 * DMA_MAPPINGS_MAX, so it is at most half full. kmem_init() and
 * kmem_exit() reset it (kmem_internal.h).
 *
 * Coherent (and write-combined) memory is alloc_pages_exact() memory,
 * zeroed; the counters count its allocations.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/dma-mapping.h>
#include <secsoc/sim.h>

#include "kmem_internal.h"

#define DMA_HASH_BITS 17
#define DMA_HASH_SIZE (1U << DMA_HASH_BITS)
#define DMA_HASH_MASK (DMA_HASH_SIZE - 1)
#define DMA_DIR_ANY 0xffu	/* find(): match any direction */

_Static_assert(DMA_HASH_SIZE >= 2 * DMA_MAPPINGS_MAX, "the table stays at most half full");

struct dma_map_entry {
	dma_addr_t addr;
	u64 size;
	u8 dir;
	u32 gen;		/* live while equal to table_gen */
};

/*
 * A reset forgets every entry by moving on to a new generation: clearing
 * the 3 MiB table at each shutdown that left a mapping behind was a tenth
 * of each schedule the explorer ran.
 */
static struct dma_map_entry table[DMA_HASH_SIZE];
static u32 table_gen = 1;
static struct dma_mapping_stats stats;

static const char *const dir_names[] = {
	[DMA_BIDIRECTIONAL] = "DMA_BIDIRECTIONAL",
	[DMA_TO_DEVICE] = "DMA_TO_DEVICE",
	[DMA_FROM_DEVICE] = "DMA_FROM_DEVICE",
	[DMA_NONE] = "DMA_NONE",
};

static const char *dir_name(unsigned int dir)
{
	return dir < ARRAY_SIZE(dir_names) ? dir_names[dir] : "(bad direction)";
}

static const char *devname(const struct device *dev)
{
	return dev && dev_name(dev) ? dev_name(dev) : "(no device)";
}

static bool dir_valid(enum dma_data_direction dir)
{
	return dir == DMA_BIDIRECTIONAL || dir == DMA_TO_DEVICE || dir == DMA_FROM_DEVICE;
}

/** dma_mapping_reset - see kmem_internal.h */
void dma_mapping_reset(void)
{
	/* Backward-shift deletion leaves no tombstones: no live mapping, empty table. */
	if (stats.live && !++table_gen) {
		memset(table, 0, sizeof(table));
		table_gen = 1;
	}
	stats = (struct dma_mapping_stats){ 0 };
}

/* ---- the table ---- */

static bool slot_used(u32 i)
{
	return table[i].gen == table_gen;
}

static u32 slot_home(dma_addr_t addr, u64 size)
{
	u64 h = (addr ^ (size * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;

	return (u32)(h >> (64 - DMA_HASH_BITS));
}

/* The slot of a live mapping (@dir or DMA_DIR_ANY), or -1. */
static int slot_find(dma_addr_t addr, u64 size, unsigned int dir)
{
	for (u32 i = slot_home(addr, size); slot_used(i); i = (i + 1) & DMA_HASH_MASK) {
		const struct dma_map_entry *e = &table[i];

		if (e->addr == addr && e->size == size && (dir == DMA_DIR_ANY || e->dir == dir))
			return (int)i;
	}
	return -1;
}

/* Record a mapping; the caller made sure there is room. */
static void slot_insert(dma_addr_t addr, u64 size, enum dma_data_direction dir)
{
	u32 i = slot_home(addr, size);

	while (slot_used(i))
		i = (i + 1) & DMA_HASH_MASK;
	table[i] = (struct dma_map_entry){ addr, size, (u8)dir, table_gen };
	stats.live++;
	stats.maps++;
}

/* Remove slot @i, moving later entries of its probe chain back into the hole. */
static void slot_remove(u32 i)
{
	u32 j = i;

	for (;;) {
		u32 k;

		j = (j + 1) & DMA_HASH_MASK;
		if (!slot_used(j))
			break;
		k = slot_home(table[j].addr, table[j].size);
		/* Entry j may move to i unless its home lies cyclically in (i, j]. */
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;
		table[i] = table[j];
		i = j;
	}
	table[i].gen = 0;
	stats.live--;
	stats.unmaps++;
}

/* Undo one mapping; no live match is a violation naming @dev and the address. */
static void unmap_one(const char *fn, struct device *dev, dma_addr_t addr, u64 size,
		      enum dma_data_direction dir)
{
	int slot = slot_find(addr, size, dir);
	int other = slot < 0 ? slot_find(addr, size, DMA_DIR_ANY) : -1;
	bool mapped = slot >= 0;

	always(mapped, "%s(%s): no live mapping of %#llx (+%#llx) %s%s%s", fn, devname(dev),
	       (unsigned long long)addr, (unsigned long long)size, dir_name(dir),
	       other >= 0 ? "; it was mapped " : "",
	       other >= 0 ? dir_name(table[other].dir) : "");
	if (mapped)
		slot_remove((u32)slot);
}

/* Does [@pa, @pa + @len) lie in kernel memory? */
static bool kernel_range(phys_addr_t pa, u64 len)
{
	phys_addr_t base;
	u64 size;

	kmem_range(&base, &size);
	return len && pa - base < size && len <= size - (pa - base);
}

/* ---- streaming mappings ---- */

/** dma_map_single - see dma-mapping.h */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir)
{
	phys_addr_t pa;

	if (!dir_valid(dir) || !virt_addr_valid(ptr) || stats.live == DMA_MAPPINGS_MAX)
		return DMA_MAPPING_ERROR;
	pa = virt_to_phys(ptr);
	if (!kernel_range(pa, size))
		return DMA_MAPPING_ERROR;
	slot_insert(pa, size, dir);
	return pa;
}

/** dma_unmap_single - see dma-mapping.h; must match a live dma_map_single() */
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir)
{
	unmap_one("dma_unmap_single", dev, addr, size, dir);
}

/** dma_mapping_error - see dma-mapping.h */
int dma_mapping_error(struct device *dev, dma_addr_t addr)
{
	return addr == DMA_MAPPING_ERROR ? -ENOMEM : 0;
}

/* Map @nents entries: the count, or -EINVAL (bad request) / -ENOMEM (table full). */
static int map_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	if (!dir_valid(dir) || nents <= 0)
		return -EINVAL;
	for_each_sg(sgl, sg, nents, i) {
		always(sg, "dma_map_sg(%s): %d entries asked, the list has %d", devname(dev),
		       nents, i);
		if (!sg || !kernel_range(sg->phys, sg->length))
			return -EINVAL;
	}
	if ((u64)nents > DMA_MAPPINGS_MAX - stats.live)
		return -ENOMEM;
	for_each_sg(sgl, sg, nents, i) {
		sg->dma_address = sg->phys;
		sg->dma_length = sg->length;
		slot_insert(sg->dma_address, sg->dma_length, dir);
	}
	return nents;
}

/** dma_map_sg - see dma-mapping.h; entries are never merged, so it returns @nents */
int dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
	       enum dma_data_direction dir)
{
	int ret = map_sg(dev, sgl, nents, dir);

	return ret < 0 ? 0 : ret;
}

/** dma_unmap_sg - see dma-mapping.h; each entry must match a live mapping */
void dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir)
{
	struct scatterlist *sg;
	int i;

	for_each_sg(sgl, sg, nents, i) {
		always(sg, "dma_unmap_sg(%s): %d entries given, the list has %d", devname(dev),
		       nents, i);
		if (!sg)
			return;
		unmap_one("dma_unmap_sg", dev, sg->dma_address, sg->dma_length, dir);
	}
}

/** dma_map_sgtable - see dma-mapping.h */
int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	int ret = map_sg(dev, sgt->sgl, (int)sgt->orig_nents, dir);

	if (ret < 0)
		return ret;
	sgt->nents = (unsigned int)ret;
	return 0;
}

/** dma_unmap_sgtable - see dma-mapping.h */
void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir)
{
	dma_unmap_sg(dev, sgt->sgl, (int)sgt->orig_nents, dir);
}

/* ---- coherent memory ---- */

static void *coherent_alloc(size_t size, dma_addr_t *handle, gfp_t gfp)
{
	void *p = alloc_pages_exact(size, gfp | __GFP_ZERO);

	*handle = p ? virt_to_phys(p) : DMA_MAPPING_ERROR;
	if (p)
		stats.coherent++;
	return p;
}

static void coherent_free(const char *fn, struct device *dev, size_t size, void *cpu_addr,
			  dma_addr_t handle)
{
	bool match;

	if (!cpu_addr)
		return;
	match = virt_addr_valid(cpu_addr) && virt_to_phys(cpu_addr) == handle;
	always(match, "%s(%s): handle %#llx is not the bus address of %p", fn, devname(dev),
	       (unsigned long long)handle, cpu_addr);
	if (match && kmem_free_pages_exact(fn, cpu_addr, size))
		stats.coherent--;
}

/** dma_alloc_coherent - see dma-mapping.h; *@handle is DMA_MAPPING_ERROR on failure */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp)
{
	return coherent_alloc(size, handle, gfp);
}

/** dma_free_coherent - see dma-mapping.h; NULL is ignored, as in Linux */
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle)
{
	coherent_free("dma_free_coherent", dev, size, cpu_addr, handle);
}

/** dma_alloc_wc - see dma-mapping.h */
void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp)
{
	return coherent_alloc(size, handle, gfp);
}

/** dma_free_wc - see dma-mapping.h */
void dma_free_wc(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle)
{
	coherent_free("dma_free_wc", dev, size, cpu_addr, handle);
}

/** dma_mapping_stats - see dma-mapping.h; maps/unmaps count sg entries one by one */
struct dma_mapping_stats dma_mapping_stats(void)
{
	return stats;
}
