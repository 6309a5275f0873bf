/*
 * dma-heap.h - named allocators of dma-bufs, with the shapes and names of
 * <linux/dma-heap.h> and <uapi/linux/dma-heap.h>, plus the in-kernel find
 * and allocate API that the 2026 Panthor and earlier vendor series propose
 * (reference §1.1), without the lifetime bug the review found.
 *
 * Lifetimes: a heap is reference-counted. dma_heap_add() holds the
 * registration's reference, dma_heap_find() and every open file of
 * /dev/dma_heap/<name> hold one each, and every buffer a heap allocated
 * holds one until its release. dma_heap_remove() (which mainline lacks:
 * there heaps are permanent) unlinks the heap and its device node so that
 * it can no longer be found or opened, then drops the registration's
 * reference; ops and priv stay valid until the last reference goes, so
 * open fds, in-kernel users and live buffers never see a freed heap.
 *
 * The userspace ABI: a process opens /dev/dma_heap/<name> (sys_open(),
 * -ENOENT for an unknown or removed heap) and issues DMA_HEAP_IOCTL_ALLOC
 * with the checks of Linux in Linux's order (docs/heaps.md lists them),
 * including its tolerance of smaller and larger argument structs.
 */
#ifndef SECSOC_DMA_HEAP_H
#define SECSOC_DMA_HEAP_H

#include <secsoc/dma-buf.h>

struct dma_heap;

#define NUM_HEAP_MINORS 128
#define DMA_HEAP_NAME_MAX 64

struct dma_heap_ops {
	/* Mandatory: a buffer of @len bytes (page aligned, non-zero). */
	struct dma_buf *(*allocate)(struct dma_heap *heap, unsigned long len, u32 fd_flags,
				    u64 heap_flags);
	/*
	 * Optional: the heap's last reference went away (after
	 * dma_heap_remove()); the exporter frees what priv holds.
	 */
	void (*release)(struct dma_heap *heap);
};

struct dma_heap_export_info {
	const char *name;		/* also the node: /dev/dma_heap/<name> */
	const struct dma_heap_ops *ops;
	void *priv;
};

struct dma_heap_stats {
	u64 heaps;			/* live heaps, removed ones not yet freed included */
	u64 registered;			/* findable */
};

/*
 * Userspace ABI.
 */
struct dma_heap_allocation_data {
	u64 len;
	u32 fd;
	u32 fd_flags;
	u64 heap_flags;
};

#define DMA_HEAP_IOC_MAGIC 'H'
#define DMA_HEAP_IOCTL_ALLOC _IOWR(DMA_HEAP_IOC_MAGIC, 0x0, struct dma_heap_allocation_data)
#define DMA_HEAP_VALID_FD_FLAGS (O_CLOEXEC | O_ACCMODE)
#define DMA_HEAP_VALID_HEAP_FLAGS 0ULL

/**
 * dma_heap_add - register a heap and create /dev/dma_heap/<name>
 *
 * Return: the heap (one reference, the registration's); ERR_PTR(-EINVAL)
 * for a NULL or empty name, a name with '/' or longer than
 * DMA_HEAP_NAME_MAX - 1, missing ops or allocate, or a name already
 * registered; ERR_PTR(-EBUSY) when all NUM_HEAP_MINORS minors are taken;
 * ERR_PTR(-ENOMEM).
 */
struct dma_heap *dma_heap_add(const struct dma_heap_export_info *exp_info);
/**
 * dma_heap_remove - unregister @heap: no longer found or opened; it is
 * freed when its last reference (buffers, open files, finds) goes
 */
void dma_heap_remove(struct dma_heap *heap);

/** dma_heap_get_drvdata - the exporter's priv */
void *dma_heap_get_drvdata(struct dma_heap *heap);
/** dma_heap_get_name - the heap's name */
const char *dma_heap_get_name(struct dma_heap *heap);

/**
 * dma_heap_find - a registered heap by name, with a new reference
 *
 * Return: the heap, or NULL when no registered heap has that name.
 */
struct dma_heap *dma_heap_find(const char *name);
/** dma_heap_put - drop a reference from dma_heap_find(); NULL is a no-op */
void dma_heap_put(struct dma_heap *heap);

/**
 * dma_heap_buffer_alloc - allocate in the kernel
 * @len: page aligned up; 0 (or a length that wraps) is -EINVAL
 * @fd_flags: within DMA_HEAP_VALID_FD_FLAGS, else -EINVAL
 * @heap_flags: within DMA_HEAP_VALID_HEAP_FLAGS, else -EINVAL
 *
 * Return: the buffer (the caller frees it with dma_buf_put()), or an
 * ERR_PTR: the checks above, or the heap's allocate() error.
 */
struct dma_buf *dma_heap_buffer_alloc(struct dma_heap *heap, size_t len, u32 fd_flags,
				      u64 heap_flags);

/**
 * dma_heap_buffer_release - a buffer of @heap is gone: drop its heap reference
 *
 * Every buffer a heap's allocate() returns successfully holds a reference
 * on the heap, which the framework takes before it calls allocate(); the
 * dma-buf core knows nothing of heaps, so the exporter gives it back by
 * calling this from the buffer's dma_buf_ops.release, as its very last
 * step (it may run the heap's ops->release and free its priv). An
 * allocate() that fails must not call it: the framework drops the
 * reference itself then, so a buffer exported and put again on an
 * allocate() error path must not reach this call either.
 */
void dma_heap_buffer_release(struct dma_heap *heap);

/** dma_heap_stats - live and registered heaps (invariant 7) */
struct dma_heap_stats dma_heap_stats(void);

/**
 * dma_heap_core_init - start empty, at every kernel boot: the bookkeeping
 * of heaps a previous kernel never removed (reported by its shutdown) is
 * freed without calling their exporters, whose memory is gone
 */
void dma_heap_core_init(void);

#endif /* SECSOC_DMA_HEAP_H */
