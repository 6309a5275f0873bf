/*
 * scatterlist.h - scatter-gather lists and tables, with the shapes and
 * names of <linux/scatterlist.h>.
 *
 * An entry names a piece of kernel memory by its physical address (what
 * Linux keeps as page + offset) and length, and, once mapped, the bus
 * address and length a device uses. A list ends at the entry marked with
 * sg_mark_end(); tables are one flat array (no chaining), at most
 * SG_MAX_ENTRIES entries.
 */
#ifndef SECSOC_SCATTERLIST_H
#define SECSOC_SCATTERLIST_H

#include <secsoc/slab.h>
#include <secsoc/types.h>

#define SG_MAX_ENTRIES 65536

struct scatterlist {
	phys_addr_t phys;		/* start of the piece in kernel memory */
	unsigned int length;
	dma_addr_t dma_address;		/* set by dma_map_sg() */
	unsigned int dma_length;
	bool end;			/* last entry of its list */
};

struct sg_table {
	struct scatterlist *sgl;
	unsigned int nents;		/* mapped entries (after dma_map_sgtable) */
	unsigned int orig_nents;	/* entries in the table */
};

#define sg_dma_address(sg) ((sg)->dma_address)
#define sg_dma_len(sg) ((sg)->dma_length)

/** sg_init_table - clear @nents entries and mark the last one as the end */
void sg_init_table(struct scatterlist *sgl, unsigned int nents);
/** sg_set_buf - point @sg at @buflen bytes of kernel memory at @buf */
void sg_set_buf(struct scatterlist *sg, const void *buf, unsigned int buflen);
/** sg_init_one - a one-entry list for @buf */
void sg_init_one(struct scatterlist *sg, const void *buf, unsigned int buflen);
/** sg_mark_end - make @sg the last entry of its list */
void sg_mark_end(struct scatterlist *sg);
/** sg_next - the entry after @sg, or NULL at the end */
struct scatterlist *sg_next(struct scatterlist *sg);
/** sg_nents - entries in the list starting at @sg */
unsigned int sg_nents(struct scatterlist *sg);
/** sg_virt - the kernel pointer of @sg's memory */
void *sg_virt(const struct scatterlist *sg);
/** sg_phys - the physical address of @sg's memory */
phys_addr_t sg_phys(const struct scatterlist *sg);

#define for_each_sg(sglist, sg, nr, __i)				\
	for ((__i) = 0, (sg) = (sglist); (__i) < (nr); (__i)++, (sg) = sg_next(sg))

/**
 * sg_alloc_table - allocate a table of @nents entries from kernel memory
 *
 * Return: 0, -EINVAL for 0 or more than SG_MAX_ENTRIES entries, -ENOMEM.
 */
int sg_alloc_table(struct sg_table *table, unsigned int nents, gfp_t gfp);
/** sg_free_table - release sg_alloc_table() memory */
void sg_free_table(struct sg_table *table);
/** sg_copy_to_buffer - copy up to @buflen bytes of the list's memory to @buf */
size_t sg_copy_to_buffer(struct scatterlist *sgl, unsigned int nents, void *buf, size_t buflen);
/** sg_copy_from_buffer - copy up to @buflen bytes of @buf into the list's memory */
size_t sg_copy_from_buffer(struct scatterlist *sgl, unsigned int nents, const void *buf,
			   size_t buflen);

#endif /* SECSOC_SCATTERLIST_H */
