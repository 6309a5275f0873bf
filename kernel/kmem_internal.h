/*
 * kmem_internal.h - hooks between the normal world's allocator
 * (kernel/slab.c) and the bookkeeping that lives and dies with it: the DMA
 * mapping table (kernel/dma-mapping.c) and the ioremap() table
 * (kernel/io.c). kmem_init() and kmem_exit() reset both, so one kernel's
 * leftovers never leak into the next boot's leak checks.
 */
#ifndef SECSOC_KERNEL_KMEM_INTERNAL_H
#define SECSOC_KERNEL_KMEM_INTERNAL_H

#include <secsoc/types.h>

/**
 * kmem_free_pages_exact - free_pages_exact() that says whether it freed
 * @fn: the API function the caller implements, named in a violation
 *
 * Return: true, or false after an always() violation (not a live
 * alloc_pages_exact() allocation of @size bytes).
 */
bool kmem_free_pages_exact(const char *fn, void *virt, size_t size);

/** dma_mapping_reset - forget every streaming mapping and zero the counters */
void dma_mapping_reset(void);
/** ioremap_reset - forget every ioremap() */
void ioremap_reset(void);

#endif /* SECSOC_KERNEL_KMEM_INTERNAL_H */
