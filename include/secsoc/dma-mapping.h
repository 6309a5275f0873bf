/*
 * dma-mapping.h - the streaming and coherent DMA API of
 * <linux/dma-mapping.h>, over the normal world's memory (slab.h).
 *
 * The modelled SoC has no IOMMU and coherent interconnects, so a bus
 * address is the physical address and syncs have nothing to do. What the
 * API does do is bookkeeping: every live mapping is recorded, an unmap must
 * match a map (address, length, direction) or it is an always() violation,
 * and dma_mapping_stats() lets a run prove it unmapped everything
 * (invariant 7). At most DMA_MAPPINGS_MAX mappings live at once.
 */
#ifndef SECSOC_DMA_MAPPING_H
#define SECSOC_DMA_MAPPING_H

#include <secsoc/device.h>
#include <secsoc/scatterlist.h>
#include <secsoc/slab.h>

#define DMA_MAPPINGS_MAX 65536
#define DMA_MAPPING_ERROR (~(dma_addr_t)0)

enum dma_data_direction {
	DMA_BIDIRECTIONAL = 0,
	DMA_TO_DEVICE = 1,
	DMA_FROM_DEVICE = 2,
	DMA_NONE = 3,
};

struct dma_mapping_stats {
	u64 live;		/* streaming mappings (an sg list counts once per entry) */
	u64 coherent;		/* live coherent allocations */
	u64 maps, unmaps;	/* totals since kmem_init */
};

/**
 * dma_map_single - give @dev access to @size bytes of kernel memory at @ptr
 *
 * Return: the bus address, or DMA_MAPPING_ERROR (test with
 * dma_mapping_error()) for size 0, DMA_NONE, memory that is not kernel
 * memory, or too many live mappings.
 */
dma_addr_t dma_map_single(struct device *dev, void *ptr, size_t size,
			  enum dma_data_direction dir);
void dma_unmap_single(struct device *dev, dma_addr_t addr, size_t size,
		      enum dma_data_direction dir);
/** dma_mapping_error - did a map call fail? Return: -ENOMEM if so, else 0 */
int dma_mapping_error(struct device *dev, dma_addr_t addr);

/**
 * dma_map_sg - map the @nents entries of @sgl for @dev
 *
 * Sets sg_dma_address/sg_dma_len of each entry.
 * Return: the number of mapped entries, 0 on failure (nothing stays mapped).
 */
int dma_map_sg(struct device *dev, struct scatterlist *sgl, int nents,
	       enum dma_data_direction dir);
/** dma_unmap_sg - undo dma_map_sg(); @nents is the count passed to it */
void dma_unmap_sg(struct device *dev, struct scatterlist *sgl, int nents,
		  enum dma_data_direction dir);
/** dma_map_sgtable - map a table; sets sgt->nents. Return: 0, -EINVAL or -ENOMEM */
int dma_map_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir);
void dma_unmap_sgtable(struct device *dev, struct sg_table *sgt, enum dma_data_direction dir);

/**
 * dma_alloc_coherent - zeroed, page-aligned memory both the CPU and @dev use
 * @handle: set to the bus address
 *
 * Return: the CPU pointer, or NULL.
 */
void *dma_alloc_coherent(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp);
void dma_free_coherent(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle);
/* Write-combined memory (the BAM's descriptor FIFO): coherent in this model. */
void *dma_alloc_wc(struct device *dev, size_t size, dma_addr_t *handle, gfp_t gfp);
void dma_free_wc(struct device *dev, size_t size, void *cpu_addr, dma_addr_t handle);

/** dma_mapping_stats - live mappings and coherent allocations */
struct dma_mapping_stats dma_mapping_stats(void);

#endif /* SECSOC_DMA_MAPPING_H */
