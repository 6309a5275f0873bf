/*
 * dma-buf.h - buffer sharing between drivers and processes, with the
 * shapes and names of <linux/dma-buf.h> and <uapi/linux/dma-buf.h>.
 *
 * An exporter (a heap) describes its memory through struct dma_buf_ops;
 * importers (devices) attach and map it to get the bus addresses they may
 * use; processes hold it through a file descriptor. As in Linux:
 *
 * - the buffer's reference count is its file's: dma_buf_fd() installs the
 *   file in a process, dma_buf_get() takes a reference from an fd,
 *   dma_buf_put() drops one, and release() runs at the last one;
 * - map_dma_buf, unmap_dma_buf and release are mandatory (a WARN and
 *   -EINVAL at export otherwise); the CPU ops are optional, and their
 *   absence is how an exporter refuses CPU access (-EINVAL from the core);
 * - attach is where an exporter refuses a device that cannot reach its
 *   memory (-EBUSY);
 * - misuse Linux survives with a WARN (a put of NULL, detaching from the
 *   wrong buffer, a release while attachments remain) is a WARN here too
 *   (bug.h), never a crash.
 *
 * No reservation objects or fences yet: the model's importers are
 * synchronous. The "reservation lock" of the map calls is therefore a
 * no-op; dma_buf_map_attachment_unlocked() is the entry point drivers use.
 *
 * Every live buffer and attachment is counted (dma_buf_stats()), so a run
 * can prove it released everything (invariant 7).
 */
#ifndef SECSOC_DMA_BUF_H
#define SECSOC_DMA_BUF_H

#include <secsoc/device.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/file.h>
#include <secsoc/list.h>
#include <secsoc/scatterlist.h>

struct dma_buf;
struct dma_buf_attachment;

#define DMA_BUF_NAME_LEN 32
#define DMA_BUFS_MAX 65536		/* live buffers */
#define DMA_BUF_ATTACHMENTS_MAX 16	/* per buffer */

/* A kernel virtual mapping (<linux/iosys-map.h>; system memory only). */
struct iosys_map {
	void *vaddr;
	bool is_null;
};

struct dma_buf_ops {
	/* Optional: refuse @attach->dev with -EBUSY if it cannot reach the memory. */
	int (*attach)(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
	void (*detach)(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);
	/* Mandatory: the bus addresses @attach->dev uses, mapped for @dir. */
	struct sg_table *(*map_dma_buf)(struct dma_buf_attachment *attach,
					enum dma_data_direction dir);
	void (*unmap_dma_buf)(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir);
	/* Mandatory: the last reference went away. */
	void (*release)(struct dma_buf *dmabuf);
	/* Optional CPU access (absent: begin/end return 0, mmap/vmap -EINVAL). */
	int (*begin_cpu_access)(struct dma_buf *dmabuf, enum dma_data_direction dir);
	int (*end_cpu_access)(struct dma_buf *dmabuf, enum dma_data_direction dir);
	int (*mmap)(struct dma_buf *dmabuf, struct vm_area_struct *vma);
	int (*vmap)(struct dma_buf *dmabuf, struct iosys_map *map);
	void (*vunmap)(struct dma_buf *dmabuf, struct iosys_map *map);
};

struct dma_buf {
	size_t size;
	struct file *file;
	const struct dma_buf_ops *ops;
	void *priv;				/* the exporter's */
	const char *exp_name;			/* the exporter, e.g. the heap's name */
	char name[DMA_BUF_NAME_LEN];		/* DMA_BUF_SET_NAME; empty by default */
	struct list_head attachments;
	unsigned int nr_attachments;
	unsigned int vmapping_counter;
	struct iosys_map vmap_ptr;
	u64 ino;				/* unique id, as the inode number */
	struct list_head list_node;		/* all live buffers */
};

struct dma_buf_attachment {
	struct dma_buf *dmabuf;
	struct device *dev;
	struct list_head node;
	struct sg_table *sgt;			/* cached mapping, if any */
	enum dma_data_direction dir;		/* of the cached mapping */
	void *priv;				/* the exporter's */
};

struct dma_buf_export_info {
	const char *exp_name;
	const struct dma_buf_ops *ops;
	size_t size;
	int flags;				/* O_* flags of the file */
	void *priv;
};

#define DEFINE_DMA_BUF_EXPORT_INFO(name)					\
	struct dma_buf_export_info name = { .exp_name = __func__ }

struct dma_buf_stats {
	u64 live;			/* buffers not yet released */
	u64 attachments;		/* live attachments, all buffers */
	u64 mappings;			/* attachments with a live sg mapping */
	u64 exported, released;		/* totals */
};

/**
 * dma_buf_export - a new buffer with one reference (its file's)
 *
 * Return: the buffer, or ERR_PTR(-EINVAL) with a WARN when @info lacks
 * priv, ops, map_dma_buf, unmap_dma_buf or release, or has size 0;
 * ERR_PTR(-ENOMEM) past DMA_BUFS_MAX or when memory ran out.
 */
struct dma_buf *dma_buf_export(const struct dma_buf_export_info *info);

/**
 * dma_buf_fd - install @dmabuf's file in @p's fd table, taking over the
 * caller's reference
 * @flags: O_CLOEXEC or 0
 *
 * Return: the fd, -EINVAL for a NULL buffer, -EMFILE.
 */
int dma_buf_fd(struct process *p, struct dma_buf *dmabuf, unsigned int flags);

/**
 * dma_buf_get - the buffer behind @fd of @p, with a new reference
 *
 * Return: the buffer, ERR_PTR(-EBADF) for a bad fd, ERR_PTR(-EINVAL) for
 * a file that is not a dma-buf.
 */
struct dma_buf *dma_buf_get(struct process *p, int fd);
/** get_dma_buf - take another reference on @dmabuf */
void get_dma_buf(struct dma_buf *dmabuf);
/**
 * dma_buf_put - drop a reference; a WARN, and nothing else, for NULL or a
 * buffer already released (a double put, a use after the last put: every
 * entry point below looks the buffer up among the live ones first)
 */
void dma_buf_put(struct dma_buf *dmabuf);
/** is_dma_buf_file - is @f a dma-buf's file? */
bool is_dma_buf_file(const struct file *f);

/**
 * dma_buf_attach - attach @dev to @dmabuf
 *
 * Return: the attachment, ERR_PTR(-EINVAL) with a WARN for a NULL
 * argument, ERR_PTR(-ENOMEM) past DMA_BUF_ATTACHMENTS_MAX, or the
 * exporter's attach() error (-EBUSY: @dev cannot reach the memory).
 */
struct dma_buf_attachment *dma_buf_attach(struct dma_buf *dmabuf, struct device *dev);
/**
 * dma_buf_detach - undo dma_buf_attach(); unmaps a mapping left in place.
 * A WARN, and nothing done, when @attach does not belong to @dmabuf.
 */
void dma_buf_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach);

/**
 * dma_buf_map_attachment - the sg table of bus addresses for @attach's device
 *
 * A second map in the same direction returns the cached table.
 *
 * Return: the table, ERR_PTR(-EINVAL) with a WARN for NULL, ERR_PTR(-EBUSY)
 * when a mapping in another direction is live, ERR_PTR(-ENOMEM) when the
 * exporter returned NULL, or the exporter's error.
 */
struct sg_table *dma_buf_map_attachment(struct dma_buf_attachment *attach,
					enum dma_data_direction dir);
struct sg_table *dma_buf_map_attachment_unlocked(struct dma_buf_attachment *attach,
						 enum dma_data_direction dir);
/** dma_buf_unmap_attachment - undo the map; a WARN if @sgt is not the live mapping */
void dma_buf_unmap_attachment(struct dma_buf_attachment *attach, struct sg_table *sgt,
			      enum dma_data_direction dir);
void dma_buf_unmap_attachment_unlocked(struct dma_buf_attachment *attach,
				       struct sg_table *sgt, enum dma_data_direction dir);

/** dma_buf_begin_cpu_access - the exporter's op, 0 without one; -EINVAL for NULL */
int dma_buf_begin_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir);
/** dma_buf_end_cpu_access - as dma_buf_begin_cpu_access() */
int dma_buf_end_cpu_access(struct dma_buf *dmabuf, enum dma_data_direction dir);

/**
 * dma_buf_vmap - a kernel mapping, reference-counted: the exporter's vmap
 * runs for the first user only
 *
 * Return: 0, -EINVAL for NULL or without a vmap op, or its error.
 */
int dma_buf_vmap(struct dma_buf *dmabuf, struct iosys_map *map);
/** dma_buf_vunmap - drop a vmap reference; a WARN when @map is not the buffer's mapping */
void dma_buf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map);

/*
 * Userspace ABI (<uapi/linux/dma-buf.h>), reached through sys_ioctl() and
 * sys_mmap() on a dma-buf fd: SYNC brackets CPU access of an mmap; flags
 * outside DMA_BUF_SYNC_VALID_FLAGS_MASK, or without READ or WRITE, are
 * -EINVAL. mmap runs the exporter's op (-EINVAL without one, or past the
 * end of the buffer). llseek answers SEEK_END/SEEK_SET with offset 0 only
 * (the buffer's size, or 0), else -EINVAL.
 */
struct dma_buf_sync {
	u64 flags;
};

#define DMA_BUF_SYNC_READ (1ULL << 0)
#define DMA_BUF_SYNC_WRITE (2ULL << 0)
#define DMA_BUF_SYNC_RW (DMA_BUF_SYNC_READ | DMA_BUF_SYNC_WRITE)
#define DMA_BUF_SYNC_START (0ULL << 2)
#define DMA_BUF_SYNC_END (1ULL << 2)
#define DMA_BUF_SYNC_VALID_FLAGS_MASK (DMA_BUF_SYNC_RW | DMA_BUF_SYNC_END)

#define DMA_BUF_BASE 'b'
#define DMA_BUF_IOCTL_SYNC _IOW(DMA_BUF_BASE, 0, struct dma_buf_sync)
#define DMA_BUF_SET_NAME_B _IOW(DMA_BUF_BASE, 1, u64)

/** dma_buf_stats - live buffers, attachments and mappings (invariant 7) */
struct dma_buf_stats dma_buf_stats(void);

/**
 * dma_buf_core_init - start empty, at every kernel boot (see
 * file_core_init(): what a previous kernel left is forgotten, not freed)
 */
void dma_buf_core_init(void);

#endif /* SECSOC_DMA_BUF_H */
