/*
 * system.c - the "system" dma-buf heap, after Linux's
 * drivers/dma-buf/heaps/system_heap.c: zeroed pages of the normal world's
 * memory (slab.h) in chunks of 1 MiB, 64 KiB and 4 KiB, one sg entry per
 * chunk, and the buffer ops that share them. Owns the heap, registered at
 * boot by its initcall, and its buffers.
 *
 * The model is coherent and has no IOMMU, which shapes three ops:
 * - begin/end_cpu_access are absent: Linux syncs the mapped attachments
 *   there, and here there is nothing to sync (the core returns 0);
 * - mmap maps the buffer's pages one by one (a callback per page), or in
 *   one piece when the chunks happen to be physically contiguous;
 * - vmap needs one kernel virtual range and the model has no MMU to build
 *   one from scattered chunks (Linux vmap()s the pages), so it gives the
 *   linear map when the chunks are contiguous and -EINVAL otherwise
 *   (docs/heaps.md).
 */
#include <errno.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>

/* Chunk orders, largest first (1 MiB and 64 KiB suit IOMMU page sizes). */
static const unsigned int orders[] = { 8, 4, 0 };

struct system_heap_buffer {
	struct dma_heap *heap;
	struct sg_table sg_table;	/* one entry per chunk, in allocation order */
	unsigned long len;
	bool contiguous;		/* the chunks form one physical range */
};

/* A chunk, while the buffer is being put together. */
struct system_heap_chunk {
	struct list_head list;
	void *virt;
	size_t size;
};

static struct dma_heap *system_heap;

/* ---- pages ---- */

/* Give the chunks, the table and @buffer back. */
static void buffer_free(struct system_heap_buffer *buffer)
{
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(buffer->sg_table.sgl, sg, buffer->sg_table.orig_nents, i)
		free_pages_exact(sg_virt(sg), sg->length);
	sg_free_table(&buffer->sg_table);
	kfree(buffer);
}

/*
 * The largest chunk that fits in @size, of an order at most @max_order
 * (so chunks never grow), zeroed; a failed order falls back to the next.
 */
static void *alloc_largest_available(unsigned long size, unsigned int max_order,
				     unsigned int *order)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(orders); i++) {
		void *virt;

		if (size < (PAGE_SIZE << orders[i]) || orders[i] > max_order)
			continue;
		virt = alloc_pages_exact(PAGE_SIZE << orders[i], GFP_KERNEL | __GFP_ZERO);
		if (virt) {
			*order = orders[i];
			return virt;
		}
	}
	return NULL;
}

/* The chunks of @len bytes on @chunks, @nr of them; -ENOMEM when memory runs out. */
static int alloc_chunks(struct list_head *chunks, unsigned long len, unsigned int *nr)
{
	unsigned int max_order = orders[0];

	for (*nr = 0; len; (*nr)++) {
		struct system_heap_chunk *c;
		unsigned int order;

		if (*nr == SG_MAX_ENTRIES)
			return -ENOMEM;
		c = kmalloc(sizeof(*c), GFP_KERNEL);
		if (!c)
			return -ENOMEM;
		c->virt = alloc_largest_available(len, max_order, &order);
		if (!c->virt) {
			kfree(c);
			return -ENOMEM;
		}
		c->size = PAGE_SIZE << order;
		max_order = order;
		list_add_tail(&c->list, chunks);
		len -= c->size;
	}
	return 0;
}

/* Give back the chunks on @chunks, pages and all. */
static void chunks_free(struct list_head *chunks)
{
	struct system_heap_chunk *c, *tmp;

	list_for_each_entry_safe(c, tmp, chunks, list) {
		free_pages_exact(c->virt, c->size);
		list_del_init(&c->list);
		kfree(c);
	}
}

/* Move the @nr chunks on @chunks into @buffer's sg table; -ENOMEM leaves them there. */
static int chunks_to_table(struct system_heap_buffer *buffer, struct list_head *chunks,
			   unsigned int nr)
{
	struct system_heap_chunk *c, *tmp;
	struct scatterlist *sg;
	phys_addr_t next = 0;

	if (sg_alloc_table(&buffer->sg_table, nr, GFP_KERNEL))
		return -ENOMEM;
	sg = buffer->sg_table.sgl;
	buffer->contiguous = true;
	list_for_each_entry_safe(c, tmp, chunks, list) {
		sg_set_buf(sg, c->virt, (unsigned int)c->size);
		buffer->contiguous &= !next || sg_phys(sg) == next;
		next = sg_phys(sg) + c->size;
		sg = sg_next(sg);
		list_del_init(&c->list);
		kfree(c);
	}
	return 0;
}

/* ---- buffer ops ---- */

/* Each attachment maps its own copy of the table: the bus addresses are its device's. */
static int system_heap_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attachment)
{
	struct system_heap_buffer *buffer = dmabuf->priv;
	struct sg_table *table = kzalloc(sizeof(*table), GFP_KERNEL);
	struct scatterlist *from, *to;
	unsigned int i;

	if (!table)
		return -ENOMEM;
	if (sg_alloc_table(table, buffer->sg_table.orig_nents, GFP_KERNEL)) {
		kfree(table);
		return -ENOMEM;
	}
	to = table->sgl;
	for_each_sg(buffer->sg_table.sgl, from, buffer->sg_table.orig_nents, i) {
		to->phys = from->phys;
		to->length = from->length;
		to = sg_next(to);
	}
	attachment->priv = table;
	return 0;
}

static void system_heap_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attachment)
{
	struct sg_table *table = attachment->priv;

	sg_free_table(table);
	kfree(table);
}

static struct sg_table *system_heap_map_dma_buf(struct dma_buf_attachment *attachment,
						enum dma_data_direction direction)
{
	struct sg_table *table = attachment->priv;
	int ret = dma_map_sgtable(attachment->dev, table, direction);

	return ret ? ERR_PTR(ret) : table;
}

static void system_heap_unmap_dma_buf(struct dma_buf_attachment *attachment,
				      struct sg_table *table, enum dma_data_direction direction)
{
	dma_unmap_sgtable(attachment->dev, table, direction);
}

/* The physical address of page @pgoff of @buffer (a chunk walk). */
static phys_addr_t buffer_page_phys(const struct system_heap_buffer *buffer, u64 pgoff)
{
	u64 off = pgoff << PAGE_SHIFT;
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(buffer->sg_table.sgl, sg, buffer->sg_table.orig_nents, i) {
		if (off < sg->length)
			return sg_phys(sg) + off;
		off -= sg->length;
	}
	always(false, "system heap: page %llu past a %lu-byte buffer",
	       (unsigned long long)pgoff, buffer->len);
	return 0;
}

/* @pgoff counts from the start of the buffer (the file), vm_pgoff included. */
static phys_addr_t system_heap_vma_page_phys(struct vm_area_struct *vma, u64 pgoff)
{
	return buffer_page_phys(vma->vm_private_data, pgoff);
}

static int system_heap_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct system_heap_buffer *buffer = dmabuf->priv;

	if (buffer->contiguous) {
		vma->phys = sg_phys(buffer->sg_table.sgl) + (vma->vm_pgoff << PAGE_SHIFT);
		return 0;
	}
	vma->vm_private_data = buffer;
	vma->page_phys = system_heap_vma_page_phys;
	return 0;
}

static int system_heap_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct system_heap_buffer *buffer = dmabuf->priv;

	/* No MMU to gather scattered chunks into one range: see the file comment. */
	if (!buffer->contiguous)
		return -EINVAL;
	*map = (struct iosys_map){ .vaddr = sg_virt(buffer->sg_table.sgl) };
	return 0;
}

static void system_heap_dma_buf_release(struct dma_buf *dmabuf)
{
	struct system_heap_buffer *buffer = dmabuf->priv;
	struct dma_heap *heap = buffer->heap;

	buffer_free(buffer);
	/* Last: it may free the heap. */
	dma_heap_buffer_release(heap);
}

static const struct dma_buf_ops system_heap_buf_ops = {
	.attach = system_heap_attach,
	.detach = system_heap_detach,
	.map_dma_buf = system_heap_map_dma_buf,
	.unmap_dma_buf = system_heap_unmap_dma_buf,
	.mmap = system_heap_mmap,
	.vmap = system_heap_vmap,
	.release = system_heap_dma_buf_release,
};

/* ---- the heap ---- */

static struct dma_buf *system_heap_allocate(struct dma_heap *heap, unsigned long len,
					    u32 fd_flags, u64 heap_flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(exp_info);
	struct system_heap_buffer *buffer;
	struct dma_buf *dmabuf;
	LIST_HEAD(chunks);
	unsigned int nr;
	int ret;

	buffer = kzalloc(sizeof(*buffer), GFP_KERNEL);
	if (!buffer)
		return ERR_PTR(-ENOMEM);
	buffer->heap = heap;
	buffer->len = len;
	ret = alloc_chunks(&chunks, len, &nr);
	if (!ret)
		ret = chunks_to_table(buffer, &chunks, nr);
	if (ret) {
		chunks_free(&chunks);
		kfree(buffer);
		return ERR_PTR(ret);
	}
	exp_info.exp_name = dma_heap_get_name(heap);
	exp_info.ops = &system_heap_buf_ops;
	exp_info.size = len;
	exp_info.flags = (int)fd_flags;
	exp_info.priv = buffer;
	dmabuf = dma_buf_export(&exp_info);
	if (IS_ERR(dmabuf))
		buffer_free(buffer);
	return dmabuf;
}

static const struct dma_heap_ops system_heap_ops = {
	.allocate = system_heap_allocate,
};

static int system_heap_init(struct kernel *k, struct secsoc_error *err)
{
	struct dma_heap_export_info exp_info = {
		.name = "system",
		.ops = &system_heap_ops,
	};

	system_heap = dma_heap_add(&exp_info);
	if (IS_ERR(system_heap)) {
		int ret = (int)PTR_ERR(system_heap);

		system_heap = NULL;
		return ret;
	}
	return 0;
}

static void system_heap_exit(struct kernel *k)
{
	dma_heap_remove(system_heap);
	system_heap = NULL;
}

const struct kernel_initcall system_heap_initcall = {
	.name = "system_heap",
	.init = system_heap_init,
	.exit = system_heap_exit,
};
