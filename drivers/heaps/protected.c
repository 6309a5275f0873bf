/*
 * protected.c - the protected dma-buf exporter (protected_heap.h) shared by
 * the carve-out heap and the secure-video heap: it turns a pool of
 * protected memory into a dma-heap and owns the buffers it exports.
 *
 * The rules (docs/heaps.md, "Protected heaps"):
 * - CPU access is refused with -EPERM: mmap, vmap, begin_cpu_access and
 *   end_cpu_access (so DMA_BUF_IOCTL_SYNC too). The buffer exists; the
 *   caller may not touch it with a CPU.
 * - attach refuses with -EBUSY a device that cannot reach protected
 *   memory (Vetter's rule): one whose NSAID the secure world's
 *   `secsoc,protected-access` list does not name, or that has no NSAID.
 * - a mapping is one sg entry (pools hand out contiguous ranges) whose
 *   bus address is the physical address, built per attachment, with no
 *   CPU sync; no kernel pointer to protected memory is ever formed.
 * - release gives the range back to the pool; the heap, and so its pool,
 *   live until the last buffer went (each buffer holds a heap reference,
 *   given back with dma_heap_buffer_release()).
 *
 * It owns the protected heaps' bookkeeping (struct protected_heap), the
 * buffers and their per-attachment sg tables, all kmalloc'd.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <secsoc/bam.h>
#include <secsoc/bug.h>
#include <secsoc/err.h>
#include <secsoc/kernel.h>
#include <secsoc/protected_heap.h>
#include <secsoc/sim.h>

struct protected_heap {
	struct dma_heap *heap;
	struct protected_pool *pool;	/* destroyed when the heap's last reference goes */
	struct soc_protected_access acc;
	const void *owner;
	bool removed;			/* no new buffers */
	char name[DMA_HEAP_NAME_MAX];
	struct list_head node;		/* on prot.heaps while registered */
};

/* One exported buffer: a contiguous range of its heap's pool. */
struct protected_buffer {
	struct protected_heap *ph;
	struct dma_heap *heap;		/* holds a reference on it until its release */
	phys_addr_t pa;
	size_t size;
};

static struct {
	struct list_head heaps;		/* registered */
	unsigned int nr_heaps;
	struct protected_heap_stats st;
} prot = { .heaps = LIST_HEAD_INIT(prot.heaps) };

/* ---- who may reach protected memory ---- */

/* A DMA controller's NSAID: a BAM's as the SoC layer configured it, else its property. */
static int controller_nsaid(const struct dt_node *np)
{
	struct kernel *k = kernel_current();
	struct soc_bam *sb = k ? soc_bam_of(k->soc, np) : NULL;
	u32 v;

	if (sb && sb->bam)
		return (int)bam_config(sb->bam)->nsaid;
	if (!dt_prop_u32(np, "secsoc,nsaid", &v, NULL) && v < TZC400_NSAID_MAX)
		return (int)v;
	return -ENODEV;
}

int protected_device_nsaid(const struct device *dev)
{
	const struct dt_node *np = dev ? dev->of_node : NULL;
	struct dt_phandle_args args;
	u32 v;

	if (!np)
		return -ENODEV;
	/* A device with a protected mode reaches protected memory only in it. */
	if (!dt_prop_u32(np, "secsoc,protected-nsaid", &v, NULL) ||
	    !dt_prop_u32(np, "secsoc,nsaid", &v, NULL))
		return v < TZC400_NSAID_MAX ? (int)v : -ENODEV;
	if (dt_parse_phandle_with_args(np, "dmas", "#dma-cells", 0, &args, NULL))
		return -ENODEV;
	return controller_nsaid(args.np);
}

/* ---- buffer operations ---- */

static int prot_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	const struct protected_buffer *buf = dmabuf->priv;
	int nsaid = protected_device_nsaid(attach->dev);
	struct sg_table *sgt;

	if (nsaid < 0 || !buf->ph->acc.nsaid[nsaid]) {
		prot.st.refused_attach++;
		return -EBUSY;
	}
	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt || sg_alloc_table(sgt, 1, GFP_KERNEL)) {
		kfree(sgt);
		return -ENOMEM;
	}
	/* Set by hand: sg_set_buf() would want a kernel pointer, which protected memory lacks. */
	sgt->sgl[0].phys = buf->pa;
	sgt->sgl[0].length = (unsigned int)buf->size;
	sgt->sgl[0].dma_address = buf->pa;
	sgt->sgl[0].dma_length = (unsigned int)buf->size;
	attach->priv = sgt;
	prot.st.attachments++;
	return 0;
}

static void prot_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	struct sg_table *sgt = attach->priv;

	sg_free_table(sgt);
	kfree(sgt);
	attach->priv = NULL;
	prot.st.attachments--;
}

/* No IOMMU and no CPU cache maintenance: the bus address is the physical one. */
static struct sg_table *prot_map(struct dma_buf_attachment *attach,
				 enum dma_data_direction dir)
{
	if (dir == DMA_NONE)
		return ERR_PTR(-EINVAL);
	return attach->priv;
}

static void prot_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
		       enum dma_data_direction dir)
{
	WARN_ON(sgt != attach->priv);
}

static int prot_refuse_cpu(void)
{
	prot.st.refused_cpu++;
	return -EPERM;
}

static int prot_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return prot_refuse_cpu();
}

static int prot_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	return prot_refuse_cpu();
}

static int prot_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	return prot_refuse_cpu();
}

static int prot_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	return prot_refuse_cpu();
}

static void prot_release(struct dma_buf *dmabuf)
{
	struct protected_buffer *buf = dmabuf->priv;
	struct protected_pool *pool = buf->ph->pool;
	struct dma_heap *heap = buf->heap;

	pool->ops->free(pool, buf->pa, buf->size);
	prot.st.buffers--;
	prot.st.bytes -= buf->size;
	kfree(buf);
	dma_heap_buffer_release(heap);	/* may free the heap, its pool and ph */
}

static const struct dma_buf_ops protected_buf_ops = {
	.attach = prot_attach,
	.detach = prot_detach,
	.map_dma_buf = prot_map,
	.unmap_dma_buf = prot_unmap,
	.release = prot_release,
	.begin_cpu_access = prot_begin_cpu_access,
	.end_cpu_access = prot_end_cpu_access,
	.mmap = prot_mmap,
	.vmap = prot_vmap,
};

bool is_protected_dma_buf(const struct dma_buf *dmabuf)
{
	return dmabuf && dmabuf->ops == &protected_buf_ops;
}

bool protected_dma_buf_range(const struct dma_buf *dmabuf, const void *owner, phys_addr_t *pa,
			     u64 *size)
{
	const struct protected_buffer *buf;

	if (!is_protected_dma_buf(dmabuf))
		return false;
	buf = dmabuf->priv;
	if (buf->ph->owner != owner)
		return false;
	*pa = buf->pa;
	*size = buf->size;
	return true;
}

/* ---- the heap ---- */

static struct dma_buf *prot_export(struct protected_heap *ph, struct protected_buffer *buf,
				   u32 fd_flags)
{
	struct dma_buf_export_info info = { .exp_name = ph->name, .ops = &protected_buf_ops,
					    .size = buf->size, .flags = (int)fd_flags,
					    .priv = buf };
	struct dma_buf *dmabuf = dma_buf_export(&info);

	if (IS_ERR(dmabuf))
		return dmabuf;
	prot.st.buffers++;
	prot.st.bytes += buf->size;
	return dmabuf;
}

static struct dma_buf *prot_allocate(struct dma_heap *heap, unsigned long len, u32 fd_flags,
				     u64 heap_flags)
{
	struct protected_heap *ph = dma_heap_get_drvdata(heap);
	struct protected_buffer *buf;
	struct dma_buf *dmabuf;
	int ret;

	if (ph->removed)
		return ERR_PTR(-EINVAL);	/* the backend went away */
	if (len > UINT_MAX)			/* one sg entry holds the buffer */
		return ERR_PTR(-ENOMEM);
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return ERR_PTR(-ENOMEM);
	/* The framework took the buffer's heap reference before calling this. */
	*buf = (struct protected_buffer){ .ph = ph, .heap = heap, .size = len };
	ret = ph->pool->ops->alloc(ph->pool, len, &buf->pa);
	if (ret) {
		kfree(buf);
		return ERR_PTR(ret);
	}
	dmabuf = prot_export(ph, buf, fd_flags);
	if (IS_ERR(dmabuf)) {
		ph->pool->ops->free(ph->pool, buf->pa, buf->size);
		kfree(buf);
	}
	return dmabuf;
}

/* The heap's last reference: no buffer is left, the pool goes with it. */
static void prot_heap_release(struct dma_heap *heap)
{
	struct protected_heap *ph = dma_heap_get_drvdata(heap);

	ph->pool->ops->destroy(ph->pool);
	prot.st.heaps--;
	kfree(ph);
}

static const struct dma_heap_ops protected_heap_ops = {
	.allocate = prot_allocate,
	.release = prot_heap_release,
};

/* A new protected heap registered with the dma-heap core, or an ERR_PTR. */
static struct protected_heap *prot_heap_new(const char *name, struct protected_pool *pool,
					    const struct soc_protected_access *acc, const void *owner)
{
	struct dma_heap_export_info info = { .name = name, .ops = &protected_heap_ops };
	struct protected_heap *ph;

	if (!name || strlen(name) >= DMA_HEAP_NAME_MAX)
		return ERR_PTR(-EINVAL);
	if (prot.nr_heaps == PROTECTED_HEAPS_MAX)
		return ERR_PTR(-ENOSPC);
	ph = kzalloc(sizeof(*ph), GFP_KERNEL);
	if (!ph)
		return ERR_PTR(-ENOMEM);
	*ph = (struct protected_heap){ .pool = pool, .acc = *acc, .owner = owner };
	strcpy(ph->name, name);
	info.priv = ph;
	ph->heap = dma_heap_add(&info);
	if (IS_ERR(ph->heap)) {
		long ret = PTR_ERR(ph->heap);

		kfree(ph);
		return ERR_PTR(ret);
	}
	return ph;
}

struct protected_heap *protected_heap_add(const char *name, struct protected_pool *pool,
					  const struct soc_protected_access *acc, const void *owner)
{
	struct protected_heap *ph = prot_heap_new(name, pool, acc, owner);

	if (IS_ERR(ph)) {
		pool->ops->destroy(pool);
		return ph;
	}
	list_add_tail(&ph->node, &prot.heaps);
	prot.nr_heaps++;
	prot.st.heaps++;
	return ph;
}

/*
 * Unlinked here rather than at its release: the list then only ever holds
 * heaps of the running kernel (the TEE driver is removed at every kernel
 * shutdown), even when an abandoned run leaves buffers, and so the heap,
 * behind in memory that kmem_exit() forgot.
 */
void protected_heap_remove(struct protected_heap *ph)
{
	ph->removed = true;
	list_del_init(&ph->node);
	prot.nr_heaps--;
	dma_heap_remove(ph->heap);	/* drops the registration's reference */
}

struct dma_heap *protected_heap_dma_heap(const struct protected_heap *ph)
{
	return ph->heap;
}

int protected_heap_pool_stats(const char *name, struct protected_pool_stats *st)
{
	struct protected_heap *ph;

	list_for_each_entry(ph, &prot.heaps, node) {
		if (!strcmp(ph->name, name)) {
			ph->pool->ops->stats(ph->pool, st);
			return 0;
		}
	}
	return -ENOENT;
}

struct protected_heap_stats protected_heap_stats(void)
{
	return prot.st;
}
