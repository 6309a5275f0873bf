/*
 * panthor_bo.c - buffer objects of the Panthor-like GPU driver: dma-bufs
 * imported for the GPU (attach, map, one physical range since the modelled
 * GPU has no MMU), and the driver's own protected buffers allocated from
 * its protected heap (the protected firmware section, the groups'
 * protected suspend buffers), as the RFC imports them through PRIME.
 *
 * Owns every bo of a device, on ptdev->bos, so that remove can give back
 * whatever a client forgot (invariant 7).
 */
#include <errno.h>

#include <secsoc/bug.h>
#include <secsoc/err.h>

#include "drivers/gpu/panthor_internal.h"

/* The GPU address of @sgt if its entries form one physical range, else DMA_MAPPING_ERROR. */
static dma_addr_t sgt_contiguous(const struct sg_table *sgt, size_t size)
{
	dma_addr_t start = sg_dma_address(&sgt->sgl[0]), next = start;

	for (unsigned int i = 0; i < sgt->nents; i++) {
		if (sg_dma_address(&sgt->sgl[i]) != next)
			return DMA_MAPPING_ERROR;
		next += sg_dma_len(&sgt->sgl[i]);
	}
	return next - start >= size ? start : DMA_MAPPING_ERROR;
}

static int bo_map(struct panthor_bo *bo)
{
	bo->attach = dma_buf_attach(bo->dmabuf, bo->ptdev->dev);
	if (IS_ERR(bo->attach))
		return (int)PTR_ERR(bo->attach);
	bo->sgt = dma_buf_map_attachment_unlocked(bo->attach, DMA_BIDIRECTIONAL);
	if (IS_ERR(bo->sgt)) {
		dma_buf_detach(bo->dmabuf, bo->attach);
		return (int)PTR_ERR(bo->sgt);
	}
	bo->dma_addr = sgt_contiguous(bo->sgt, bo->size);
	if (bo->dma_addr == DMA_MAPPING_ERROR) {
		dev_warn(bo->ptdev->dev, "dma-buf of %zu bytes is not physically contiguous",
			 bo->size);
		dma_buf_unmap_attachment_unlocked(bo->attach, bo->sgt, DMA_BIDIRECTIONAL);
		dma_buf_detach(bo->dmabuf, bo->attach);
		return -EINVAL;
	}
	return 0;
}

int panthor_bo_import(struct panthor_device *ptdev, struct dma_buf *buf,
		      struct panthor_bo **out)
{
	struct panthor_bo *bo;
	unsigned long flags;
	int ret;

	if (!ptdev || !buf || !out)
		return -EINVAL;
	bo = kzalloc(sizeof(*bo), GFP_KERNEL);
	if (!bo)
		return -ENOMEM;
	*bo = (struct panthor_bo){ .ptdev = ptdev, .dmabuf = buf, .size = buf->size };
	get_dma_buf(buf);
	ret = bo_map(bo);
	if (ret) {
		dma_buf_put(buf);
		kfree(bo);
		return ret;
	}
	spin_lock_irqsave(&ptdev->bo_lock, flags);
	list_add_tail(&bo->node, &ptdev->bos);
	spin_unlock_irqrestore(&ptdev->bo_lock, flags);
	*out = bo;
	return 0;
}

/* Unmap, detach, drop the reference and free; @bo is off the list already. */
static void bo_free(struct panthor_bo *bo)
{
	dma_buf_unmap_attachment_unlocked(bo->attach, bo->sgt, DMA_BIDIRECTIONAL);
	dma_buf_detach(bo->dmabuf, bo->attach);
	dma_buf_put(bo->dmabuf);
	kfree(bo);
}

void panthor_bo_put(struct panthor_bo *bo)
{
	unsigned long flags;

	if (!bo)
		return;
	spin_lock_irqsave(&bo->ptdev->bo_lock, flags);
	list_del_init(&bo->node);
	spin_unlock_irqrestore(&bo->ptdev->bo_lock, flags);
	bo_free(bo);
}

u64 panthor_bo_dma_addr(const struct panthor_bo *bo)
{
	return bo->dma_addr;
}

size_t panthor_bo_size(const struct panthor_bo *bo)
{
	return bo->size;
}

/**
 * panthor_bo_alloc_protected - @size bytes from the device's protected heap,
 * imported for the GPU; the bo holds the only reference to the buffer
 *
 * Return: 0, -ENODEV without a protected heap, or the heap's or import's error.
 */
int panthor_bo_alloc_protected(struct panthor_device *ptdev, size_t size,
			       struct panthor_bo **out)
{
	int ret;

	if (!ptdev->protm_heap)
		return -ENODEV;
	ret = panthor_bo_alloc(ptdev, ptdev->protm_heap, size, out);
	if (!ret)
		(*out)->internal = true;
	return ret;
}

/** panthor_bo_alloc - see panthor.h */
int panthor_bo_alloc(struct panthor_device *ptdev, struct dma_heap *heap, size_t size,
		     struct panthor_bo **out)
{
	struct dma_buf *buf;
	int ret;

	if (!ptdev || !heap || !out)
		return -EINVAL;
	buf = dma_heap_buffer_alloc(heap, size, O_RDWR, 0);
	if (IS_ERR(buf))
		return (int)PTR_ERR(buf);
	ret = panthor_bo_import(ptdev, buf, out);
	dma_buf_put(buf);
	return ret;
}

/** panthor_bo_dma_buf - see panthor.h */
struct dma_buf *panthor_bo_dma_buf(const struct panthor_bo *bo)
{
	return bo->dmabuf;
}

/**
 * panthor_bo_release_all - at remove: free every bo left, warning about
 * those a client imported and never put (their pointers die with the device)
 */
void panthor_bo_release_all(struct panthor_device *ptdev)
{
	while (!list_empty(&ptdev->bos)) {
		struct panthor_bo *bo = list_first_entry(&ptdev->bos, struct panthor_bo, node);

		if (!bo->internal)
			dev_warn(ptdev->dev, "bo of %zu bytes still imported at remove", bo->size);
		list_del_init(&bo->node);
		bo_free(bo);
	}
}
