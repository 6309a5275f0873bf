/*
 * dma-buf.c - the dma-buf core: export, reference counting through the
 * buffer's file, attachments and their cached sg mappings, CPU access
 * (begin/end, mmap, vmap) and the userspace ioctls, after Linux's
 * drivers/dma-buf/dma-buf.c (docs/dma-buf.md).
 *
 * Owns every struct dma_buf (kernel memory, on the live-buffer list until
 * its file's last reference goes) and every struct dma_buf_attachment.
 * The exporter owns the memory and decides everything about it through its
 * ops; the core only enforces the rules every exporter shares, and warns
 * (bug.h), as Linux does, where a caller breaks them and Linux survives.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/dma-buf.h>
#include <secsoc/err.h>
#include <secsoc/slab.h>

static LIST_HEAD(dma_bufs);
static struct dma_buf_stats dstats;
static u64 next_ino;

static const struct file_operations dma_buf_fops;

/** dma_buf_core_init - see dma-buf.h */
void dma_buf_core_init(void)
{
	INIT_LIST_HEAD(&dma_bufs);
	dstats = (struct dma_buf_stats){ 0 };
	next_ino = 0;
}

/* ---- export and release ---- */

/* What a valid export lacks, or NULL (Linux checks the same before exporting). */
static const char *export_info_lacks(const struct dma_buf_export_info *info)
{
	if (!info)
		return "info";
	if (!info->priv)
		return "priv";
	if (!info->ops)
		return "ops";
	if (!info->ops->map_dma_buf)
		return "map_dma_buf";
	if (!info->ops->unmap_dma_buf)
		return "unmap_dma_buf";
	if (!info->ops->release)
		return "release";
	if (!info->size)
		return "size";
	return NULL;
}

/** dma_buf_export - see dma-buf.h; @info is copied, its exp_name and ops borrowed */
struct dma_buf *dma_buf_export(const struct dma_buf_export_info *info)
{
	const char *lacks = export_info_lacks(info);
	struct dma_buf *dmabuf;
	struct file *f;

	if (WARN(lacks, "dma_buf_export: no %s", lacks))
		return ERR_PTR(-EINVAL);
	if (dstats.live >= DMA_BUFS_MAX)
		return ERR_PTR(-ENOMEM);
	dmabuf = kzalloc(sizeof(*dmabuf), GFP_KERNEL);
	if (!dmabuf)
		return ERR_PTR(-ENOMEM);
	f = anon_inode_getfile("dmabuf", &dma_buf_fops, dmabuf, (unsigned int)info->flags);
	if (IS_ERR(f)) {
		kfree(dmabuf);
		return ERR_PTR(PTR_ERR(f));
	}
	dmabuf->size = info->size;
	dmabuf->file = f;
	dmabuf->ops = info->ops;
	dmabuf->priv = info->priv;
	dmabuf->exp_name = info->exp_name ? info->exp_name : "";
	dmabuf->vmap_ptr.is_null = true;
	dmabuf->ino = ++next_ino;
	INIT_LIST_HEAD(&dmabuf->attachments);
	list_add_tail(&dmabuf->list_node, &dma_bufs);
	dstats.live++;
	dstats.exported++;
	return dmabuf;
}

/* Tear the live sg mapping of @attach down. */
static void attachment_unmap(struct dma_buf_attachment *attach)
{
	attach->dmabuf->ops->unmap_dma_buf(attach, attach->sgt, attach->dir);
	attach->sgt = NULL;
	attach->dir = DMA_NONE;
	dstats.mappings--;
}

/* Unlist and free @attach, unmapping what it left mapped. */
static void attachment_free(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (attach->sgt)
		attachment_unmap(attach);
	list_del_init(&attach->node);
	dmabuf->nr_attachments--;
	dstats.attachments--;
	if (dmabuf->ops->detach)
		dmabuf->ops->detach(dmabuf, attach);
	kfree(attach);
}

/* The last vmap user went: the exporter's vunmap, and no mapping left. */
static void vmap_drop(struct dma_buf *dmabuf)
{
	struct iosys_map map = dmabuf->vmap_ptr;

	if (dmabuf->ops->vunmap)
		dmabuf->ops->vunmap(dmabuf, &map);
	dmabuf->vmapping_counter = 0;
	dmabuf->vmap_ptr = (struct iosys_map){ .is_null = true };
}

/*
 * The file's last reference went. Linux BUGs on a live vmap and leaves
 * attachments dangling with a WARN; the model warns for both and undoes
 * them first, so the exporter's release() sees a buffer nobody uses.
 */
static void dma_buf_file_release(struct file *f)
{
	struct dma_buf *dmabuf = f->private_data;
	struct dma_buf_attachment *a, *n;

	if (WARN(dmabuf->vmapping_counter, "dma-buf %llu (%s) released while vmapped",
		 (unsigned long long)dmabuf->ino, dmabuf->exp_name))
		vmap_drop(dmabuf);
	if (WARN(!list_empty(&dmabuf->attachments),
		 "dma-buf %llu (%s) released with %u attachments",
		 (unsigned long long)dmabuf->ino, dmabuf->exp_name, dmabuf->nr_attachments))
		list_for_each_entry_safe(a, n, &dmabuf->attachments, node)
			attachment_free(dmabuf, a);
	dmabuf->ops->release(dmabuf);
	list_del_init(&dmabuf->list_node);
	dstats.live--;
	dstats.released++;
	kfree(dmabuf);
}

/* ---- references and fds ---- */

/*
 * A caller may still hold a pointer to a buffer whose last reference is
 * gone (a double put, a use after the last put). Linux would touch freed
 * memory; the model first looks the pointer up among the live buffers, so
 * the misuse is a WARN and nothing else. (A new buffer allocated at the
 * same address in between would pass: the check catches the immediate
 * misuse, not every one.)
 */
static bool dma_buf_live(const struct dma_buf *dmabuf)
{
	const struct dma_buf *b;

	if (!dmabuf)
		return false;
	list_for_each_entry(b, &dma_bufs, list_node)
		if (b == dmabuf)
			return true;
	return false;
}

/** dma_buf_fd - see dma-buf.h */
int dma_buf_fd(struct process *p, struct dma_buf *dmabuf, unsigned int flags)
{
	int fd;

	if (!dmabuf || !dmabuf->file)
		return -EINVAL;
	fd = get_unused_fd_flags(p, flags);
	if (fd < 0)
		return fd;
	fd_install(p, fd, dmabuf->file);
	return fd;
}

/** dma_buf_get - see dma-buf.h */
struct dma_buf *dma_buf_get(struct process *p, int fd)
{
	struct file *f = fget(p, fd);

	if (!f)
		return ERR_PTR(-EBADF);
	if (!is_dma_buf_file(f)) {
		fput(f);
		return ERR_PTR(-EINVAL);
	}
	return f->private_data;
}

/** get_dma_buf - see dma-buf.h; a WARN for NULL */
void get_dma_buf(struct dma_buf *dmabuf)
{
	if (WARN(!dma_buf_live(dmabuf), "%s of a NULL or released dma-buf", __func__))
		return;
	get_file(dmabuf->file);
}

/** dma_buf_put - see dma-buf.h */
void dma_buf_put(struct dma_buf *dmabuf)
{
	if (WARN(!dma_buf_live(dmabuf), "%s of a NULL or released dma-buf", __func__))
		return;
	fput(dmabuf->file);
}

/** is_dma_buf_file - see dma-buf.h */
bool is_dma_buf_file(const struct file *f)
{
	return f && f->f_op == &dma_buf_fops;
}

/* ---- attachments ---- */

/** dma_buf_attach - see dma-buf.h */
struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev)
{
	struct dma_buf_attachment *attach;
	int ret;

	if (WARN(!dma_buf_live(dmabuf) || !dev, "%s of a NULL or released dma-buf, or no device",
		 __func__))
		return ERR_PTR(-EINVAL);
	if (dmabuf->nr_attachments >= DMA_BUF_ATTACHMENTS_MAX)
		return ERR_PTR(-ENOMEM);
	attach = kzalloc(sizeof(*attach), GFP_KERNEL);
	if (!attach)
		return ERR_PTR(-ENOMEM);
	attach->dmabuf = dmabuf;
	attach->dev = dev;
	attach->dir = DMA_NONE;
	INIT_LIST_HEAD(&attach->node);
	if (dmabuf->ops->attach) {
		ret = dmabuf->ops->attach(dmabuf, attach);
		if (ret) {
			kfree(attach);
			return ERR_PTR(ret);
		}
	}
	list_add_tail(&attach->node, &dmabuf->attachments);
	dmabuf->nr_attachments++;
	dstats.attachments++;
	return attach;
}

/* Is @attach on @dmabuf's list? Looked up, never dereferenced: it may be stale. */
static bool attached_to(const struct dma_buf *dmabuf, const struct dma_buf_attachment *attach)
{
	const struct dma_buf_attachment *a;

	list_for_each_entry(a, &dmabuf->attachments, node)
		if (a == attach)
			return true;
	return false;
}

/** dma_buf_detach - see dma-buf.h */
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	if (WARN(!dma_buf_live(dmabuf) || !attached_to(dmabuf, attach),
		 "dma_buf_detach: attachment of another buffer, or a released buffer"))
		return;
	attachment_free(dmabuf, attach);
}

/**
 * dma_buf_map_attachment - see dma-buf.h; a direction other than
 * DMA_BIDIRECTIONAL, DMA_TO_DEVICE or DMA_FROM_DEVICE is a WARN and -EINVAL
 */
struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					enum dma_data_direction dir)
{
	struct sg_table *sgt;

	if (WARN_ON(!attach || !attach->dmabuf))
		return ERR_PTR(-EINVAL);
	if (WARN((unsigned int)dir > DMA_FROM_DEVICE, "map with direction %d", (int)dir))
		return ERR_PTR(-EINVAL);
	if (attach->sgt)
		return attach->dir == dir ? attach->sgt : ERR_PTR(-EBUSY);
	sgt = attach->dmabuf->ops->map_dma_buf(attach, dir);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	if (IS_ERR(sgt))
		return sgt;
	attach->sgt = sgt;
	attach->dir = dir;
	dstats.mappings++;
	return sgt;
}

/** dma_buf_map_attachment_unlocked - see dma-buf.h (no reservation lock to take) */
struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
						 enum dma_data_direction dir)
{
	return dma_buf_map_attachment(attach, dir);
}

/**
 * dma_buf_unmap_attachment - see dma-buf.h; @dir other than the mapping's
 * is a WARN too (as dma-debug reports it), and the mapping's is used
 */
void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir)
{
	if (WARN_ON(!attach || !attach->dmabuf || !sgt))
		return;
	if (WARN(sgt != attach->sgt, "unmap of a table that is not the live mapping"))
		return;
	WARN(dir != attach->dir, "unmap for direction %d of a mapping for %d", (int)dir,
	     (int)attach->dir);
	attachment_unmap(attach);
}

/** dma_buf_unmap_attachment_unlocked - see dma-buf.h */
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach,
				       struct sg_table *sgt, enum dma_data_direction dir)
{
	dma_buf_unmap_attachment(attach, sgt, dir);
}

/* ---- CPU access ---- */

/** dma_buf_begin_cpu_access - see dma-buf.h; NULL is a WARN too */
int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	if (WARN(!dma_buf_live(dmabuf), "%s of a NULL or released dma-buf", __func__))
		return -EINVAL;
	if (!dmabuf->ops->begin_cpu_access)
		return 0;
	return dmabuf->ops->begin_cpu_access(dmabuf, dir);
}

/** dma_buf_end_cpu_access - see dma-buf.h */
int dma_buf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	if (WARN(!dma_buf_live(dmabuf), "%s of a NULL or released dma-buf", __func__))
		return -EINVAL;
	if (!dmabuf->ops->end_cpu_access)
		return 0;
	return dmabuf->ops->end_cpu_access(dmabuf, dir);
}

/**
 * dma_buf_vmap - see dma-buf.h; @map is cleared first. NULL arguments, or
 * an exporter vmap() that succeeds without an address, are a WARN and
 * -EINVAL.
 */
int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct iosys_map ptr = { .is_null = true };
	int ret;

	if (WARN_ON(!map))
		return -EINVAL;
	*map = ptr;
	if (WARN(!dma_buf_live(dmabuf), "%s of a NULL or released dma-buf", __func__))
		return -EINVAL;
	if (!dmabuf->ops->vmap)
		return -EINVAL;
	if (dmabuf->vmapping_counter) {
		dmabuf->vmapping_counter++;
		*map = dmabuf->vmap_ptr;
		return 0;
	}
	ret = dmabuf->ops->vmap(dmabuf, &ptr);
	if (ret)
		return ret;
	if (WARN(!ptr.vaddr, "%s: vmap() gave no address", dmabuf->exp_name))
		return -EINVAL;
	ptr.is_null = false;
	dmabuf->vmap_ptr = ptr;
	dmabuf->vmapping_counter = 1;
	*map = ptr;
	return 0;
}

/** dma_buf_vunmap - see dma-buf.h; the last user's call runs the exporter's vunmap */
void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	if (WARN(!dma_buf_live(dmabuf) || !map, "%s of a NULL or released dma-buf, or no map",
		 __func__))
		return;
	if (WARN(!dmabuf->vmapping_counter || map->vaddr != dmabuf->vmap_ptr.vaddr,
		 "vunmap of a mapping dma-buf %llu does not have", (unsigned long long)dmabuf->ino))
		return;
	if (--dmabuf->vmapping_counter == 0)
		vmap_drop(dmabuf);
}

/* ---- the buffer's file: the userspace ABI ---- */

/* DMA_BUF_IOCTL_SYNC, with Linux's checks in Linux's order. */
static long dma_buf_ioctl_sync(struct dma_buf *dmabuf, u64 arg)
{
	struct dma_buf_sync sync;
	enum dma_data_direction dir;

	if (copy_from_user(&sync, arg, sizeof(sync)))
		return -EFAULT;
	if (sync.flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK)
		return -EINVAL;
	switch (sync.flags & DMA_BUF_SYNC_RW) {
	case DMA_BUF_SYNC_READ:
		dir = DMA_FROM_DEVICE;
		break;
	case DMA_BUF_SYNC_WRITE:
		dir = DMA_TO_DEVICE;
		break;
	case DMA_BUF_SYNC_RW:
		dir = DMA_BIDIRECTIONAL;
		break;
	default:
		return -EINVAL;
	}
	if (sync.flags & DMA_BUF_SYNC_END)
		return dma_buf_end_cpu_access(dmabuf, dir);
	return dma_buf_begin_cpu_access(dmabuf, dir);
}

/*
 * DMA_BUF_SET_NAME: @arg is the user address of a NUL-terminated name, read
 * as strndup_user(arg, DMA_BUF_NAME_LEN) does: -EFAULT if a byte before the
 * NUL is unmapped, -EINVAL without a NUL in DMA_BUF_NAME_LEN bytes. Since
 * Linux 5.15 a buffer may be renamed while attached.
 */
static long dma_buf_set_name(struct dma_buf *dmabuf, u64 arg)
{
	char name[DMA_BUF_NAME_LEN];

	for (unsigned int i = 0; i < DMA_BUF_NAME_LEN; i++) {
		if (copy_from_user(&name[i], arg + i, 1))
			return -EFAULT;
		if (!name[i]) {
			memcpy(dmabuf->name, name, i + 1);
			return 0;
		}
	}
	return -EINVAL;
}

static long dma_buf_ioctl(struct file *f, unsigned int cmd, u64 arg)
{
	struct dma_buf *dmabuf = f->private_data;

	switch (cmd) {
	case DMA_BUF_IOCTL_SYNC:
		return dma_buf_ioctl_sync(dmabuf, arg);
	case DMA_BUF_SET_NAME_B:
		return dma_buf_set_name(dmabuf, arg);
	default:
		return -ENOTTY;
	}
}

/* mmap of the fd: the exporter's op, never past the end of the buffer. */
static int dma_buf_mmap_internal(struct file *f, struct vm_area_struct *vma)
{
	struct dma_buf *dmabuf = f->private_data;
	u64 pages = (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
	u64 end = vma->vm_pgoff + pages;

	if (!dmabuf->ops->mmap)
		return -EINVAL;
	if (end < pages || end > dmabuf->size >> PAGE_SHIFT)
		return -EINVAL;
	return dmabuf->ops->mmap(dmabuf, vma);
}

/* Only the size can be learnt: SEEK_END or SEEK_SET, offset 0. */
static loff_t dma_buf_llseek(struct file *f, loff_t offset, int whence)
{
	struct dma_buf *dmabuf = f->private_data;

	if (offset != 0 || (whence != SEEK_END && whence != SEEK_SET))
		return -EINVAL;
	return whence == SEEK_END ? (loff_t)dmabuf->size : 0;
}

static const struct file_operations dma_buf_fops = {
	.release = dma_buf_file_release,
	.unlocked_ioctl = dma_buf_ioctl,
	.mmap = dma_buf_mmap_internal,
	.llseek = dma_buf_llseek,
};

/** dma_buf_stats - see dma-buf.h */
struct dma_buf_stats dma_buf_stats(void)
{
	return dstats;
}
