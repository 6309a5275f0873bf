/*
 * dma-heap.c - the dma-buf heap framework (dma-heap.h): registration by
 * name, the /dev/dma_heap/<name> nodes and their allocation ioctl, the
 * in-kernel find/allocate API, and every heap's reference count. Owns the
 * list of registered heaps and the minor numbers.
 *
 * Lifetimes (docs/heaps.md): a heap is freed when its last reference goes,
 * never before. The registration, each dma_heap_find(), each open file of
 * its node and each live buffer hold one. dma_heap_remove() takes the node
 * away first, then the heap off the list, then drops the registration's
 * reference, so after it nobody can find or open the heap, and whoever
 * still holds it keeps a heap whose ops and priv are valid: the lifetime
 * bug of the 2026 find/put patches (cdev_del() does not wait for open
 * files) cannot happen. The minor is given back with the heap's memory,
 * as a cdev's minor stays taken while files are open on it.
 *
 * The heap's bookkeeping is host memory, like the driver core's devices:
 * a heap registered at boot lives until kernel_shutdown(), after the
 * drivers' kernel memory has been checked (kmem_stats()); dma_heap_stats()
 * counts the heaps instead.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/sim.h>
#include <secsoc/slab.h>

#define DMA_HEAP_DEV_DIR "/dev/dma_heap/"
/* Linux's on-stack ioctl argument; larger user structs are kmalloc()ed. */
#define DMA_HEAP_IOCTL_STACK 128

_Static_assert(sizeof(DMA_HEAP_DEV_DIR) - 1 + DMA_HEAP_NAME_MAX <= DEVNODE_PATH_MAX,
	       "every heap's node path fits");
_Static_assert(sizeof(struct dma_heap_allocation_data) <= DMA_HEAP_IOCTL_STACK,
	       "the current argument struct fits on the stack");

struct dma_heap {
	char name[DMA_HEAP_NAME_MAX];
	char path[DEVNODE_PATH_MAX];	/* /dev/dma_heap/<name> */
	const struct dma_heap_ops *ops;
	void *priv;
	unsigned int minor;
	u64 refs;			/* registration, finds, open files, buffers */
	u64 buffers;			/* live buffers (part of refs) */
	bool registered;		/* on heap_list, node present */
	struct list_head list;
};

static LIST_HEAD(heap_list);
static struct dma_heap *minors[NUM_HEAP_MINORS];
static struct dma_heap_stats stats;

/* The commands the ioctl knows, indexed by _IOC_NR (Linux's dma_heap_ioctl_cmds). */
static const unsigned int dma_heap_ioctl_cmds[] = { DMA_HEAP_IOCTL_ALLOC };

/* ---- references ---- */

static void heap_get(struct dma_heap *heap)
{
	heap->refs++;
}

/* The last reference: the exporter's release, then the minor and the memory. */
static void heap_free(struct dma_heap *heap)
{
	always(!heap->buffers, "heap %s freed with %llu buffers", heap->name,
	       (unsigned long long)heap->buffers);
	if (heap->ops->release)
		heap->ops->release(heap);
	minors[heap->minor] = NULL;
	stats.heaps--;
	free(heap);
}

static void heap_put(struct dma_heap *heap)
{
	/* Only dma_heap_remove() may drop the registration's reference. */
	always(heap->refs > 1 || !heap->registered,
	       "heap %s: a put without a get would free a registered heap", heap->name);
	if (heap->refs == 1 && heap->registered)
		return;
	if (--heap->refs == 0)
		heap_free(heap);
}

/** dma_heap_put - see dma-heap.h */
void dma_heap_put(struct dma_heap *heap)
{
	if (heap)
		heap_put(heap);
}

/** dma_heap_buffer_release - see dma-heap.h */
void dma_heap_buffer_release(struct dma_heap *heap)
{
	if (WARN_ON(!heap))
		return;
	always(heap->buffers > 0, "heap %s: a buffer released that it never allocated",
	       heap->name);
	if (!heap->buffers)
		return;
	heap->buffers--;
	heap_put(heap);
}

/* The registered heap called @name, or NULL. */
static struct dma_heap *registered_heap(const char *name)
{
	struct dma_heap *heap;

	list_for_each_entry(heap, &heap_list, list)
		if (!strcmp(heap->name, name))
			return heap;
	return NULL;
}

/** dma_heap_find - see dma-heap.h; the 2026 patches' strcmp() match */
struct dma_heap *dma_heap_find(const char *name)
{
	struct dma_heap *heap = name ? registered_heap(name) : NULL;

	if (heap)
		heap_get(heap);
	return heap;
}

/** dma_heap_get_drvdata - see dma-heap.h */
void *dma_heap_get_drvdata(struct dma_heap *heap)
{
	return heap->priv;
}

/** dma_heap_get_name - see dma-heap.h */
const char *dma_heap_get_name(struct dma_heap *heap)
{
	return heap->name;
}

/** dma_heap_stats - see dma-heap.h */
struct dma_heap_stats dma_heap_stats(void)
{
	return stats;
}

/** dma_heap_core_init - see dma-heap.h */
void dma_heap_core_init(void)
{
	for (unsigned int i = 0; i < NUM_HEAP_MINORS; i++) {
		free(minors[i]);
		minors[i] = NULL;
	}
	INIT_LIST_HEAD(&heap_list);
	stats = (struct dma_heap_stats){ 0 };
}

/* ---- allocation ---- */

/*
 * Checks 3 to 5 of the ioctl (docs/heaps.md), shared with the in-kernel
 * API: the flag masks, then the page-aligned length, which must not be 0
 * (a length within a page of U64_MAX wraps to 0).
 */
static int check_alloc(u64 len, u32 fd_flags, u64 heap_flags, u64 *aligned)
{
	if (fd_flags & ~DMA_HEAP_VALID_FD_FLAGS)
		return -EINVAL;
	if (heap_flags & ~DMA_HEAP_VALID_HEAP_FLAGS)
		return -EINVAL;
	*aligned = ALIGN_UP(len, (u64)PAGE_SIZE);
	return *aligned ? 0 : -EINVAL;
}

/* allocate(), with the buffer's reference on the heap taken around it. */
static struct dma_buf *heap_allocate(struct dma_heap *heap, u64 len, u32 fd_flags,
				     u64 heap_flags)
{
	struct dma_buf *buf;

	heap_get(heap);
	heap->buffers++;
	buf = heap->ops->allocate(heap, (unsigned long)len, fd_flags, heap_flags);
	if (WARN_ON(!buf))
		buf = ERR_PTR(-ENOMEM);
	if (IS_ERR(buf)) {
		heap->buffers--;
		heap_put(heap);
	}
	return buf;
}

/** dma_heap_buffer_alloc - see dma-heap.h */
struct dma_buf *dma_heap_buffer_alloc(struct dma_heap *heap, size_t len, u32 fd_flags,
				      u64 heap_flags)
{
	u64 aligned;
	int ret;

	if (WARN_ON(!heap))
		return ERR_PTR(-EINVAL);
	ret = check_alloc(len, fd_flags, heap_flags, &aligned);
	if (ret)
		return ERR_PTR(ret);
	return heap_allocate(heap, aligned, fd_flags, heap_flags);
}

/* ---- the device node ---- */

static int dma_heap_open(struct file *f, void *node_priv)
{
	struct dma_heap *heap = node_priv;

	/*
	 * Brezillon's kref_get_unless_zero(): a heap being removed must not
	 * be opened. dma_heap_remove() takes the node away before it drops
	 * the registration's reference, so this is never reached then.
	 */
	if (!heap->registered)
		return -ENODEV;
	heap_get(heap);
	f->private_data = heap;
	return 0;
}

static void dma_heap_release(struct file *f)
{
	heap_put(f->private_data);
}

/*
 * DMA_HEAP_IOCTL_ALLOC past check 1, on the zero-extended argument: checks
 * 2 to 5, allocate(), an fd, and the fd back to the user (checks 6 to 8).
 * The fd is installed only once the user has it, so a failed copy leaks
 * nothing (Linux installs first and leaks the fd then).
 */
static long ioctl_allocate(struct dma_heap *heap, struct dma_heap_allocation_data *data,
			   u64 arg, unsigned int out_size)
{
	struct process *p = current_process();
	struct dma_buf *buf;
	u64 len;
	int fd, ret;

	if (data->fd)
		return -EINVAL;
	ret = check_alloc(data->len, data->fd_flags, data->heap_flags, &len);
	if (ret)
		return ret;
	buf = heap_allocate(heap, len, data->fd_flags, data->heap_flags);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	fd = get_unused_fd_flags(p, data->fd_flags);
	if (fd < 0) {
		dma_buf_put(buf);
		return fd;
	}
	data->fd = (u32)fd;
	if (copy_to_user(arg, data, out_size)) {
		put_unused_fd(p, fd);
		dma_buf_put(buf);
		return -EFAULT;
	}
	fd_install(p, fd, buf->file);
	return 0;
}

/*
 * Linux's dma_heap_ioctl(): only _IOC_NR selects the command (check 1);
 * the user's struct size is _IOC_SIZE of the user's command, copied in if
 * both commands have the write direction and out if both have the read
 * direction, and zero-extended to the kernel's size.
 */
static long dma_heap_ioctl(struct file *f, unsigned int ucmd, u64 arg)
{
	_Alignas(u64) u8 stack_kdata[DMA_HEAP_IOCTL_STACK];
	unsigned int kcmd, in_size, out_size, ksize;
	u8 *kdata = stack_kdata;
	long ret;

	if (_IOC_NR(ucmd) >= ARRAY_SIZE(dma_heap_ioctl_cmds))
		return -EINVAL;
	kcmd = dma_heap_ioctl_cmds[_IOC_NR(ucmd)];
	in_size = _IOC_DIR(ucmd) & _IOC_DIR(kcmd) & _IOC_WRITE ? _IOC_SIZE(ucmd) : 0;
	out_size = _IOC_DIR(ucmd) & _IOC_DIR(kcmd) & _IOC_READ ? _IOC_SIZE(ucmd) : 0;
	ksize = MAX(MAX(in_size, out_size), _IOC_SIZE(kcmd));
	if (ksize > sizeof(stack_kdata)) {
		kdata = kmalloc(ksize, GFP_KERNEL);
		if (!kdata)
			return -ENOMEM;
	}
	if (copy_from_user(kdata, arg, in_size)) {
		ret = -EFAULT;
		goto out;
	}
	memset(kdata + in_size, 0, ksize - in_size);
	/* The one command: Linux's switch default (-ENOTTY) is unreachable. */
	ret = ioctl_allocate(f->private_data, (struct dma_heap_allocation_data *)kdata, arg,
			     out_size);
out:
	if (kdata != stack_kdata)
		kfree(kdata);
	return ret;
}

static const struct file_operations dma_heap_fops = {
	.open = dma_heap_open,
	.release = dma_heap_release,
	.unlocked_ioctl = dma_heap_ioctl,
};

/* ---- registration ---- */

static bool name_valid(const char *name)
{
	return name && name[0] && !strchr(name, '/') &&
	       strnlen(name, DMA_HEAP_NAME_MAX) < DMA_HEAP_NAME_MAX;
}

/* The lowest free minor, or -EBUSY (xa_alloc() with XA_LIMIT(0, NUM_HEAP_MINORS - 1)). */
static int minor_alloc(void)
{
	for (unsigned int i = 0; i < NUM_HEAP_MINORS; i++)
		if (!minors[i])
			return (int)i;
	return -EBUSY;
}

/** dma_heap_add - see dma-heap.h; the checks run in Linux's order */
struct dma_heap *dma_heap_add(const struct dma_heap_export_info *exp_info)
{
	struct dma_heap *heap;
	int minor, ret;

	if (!exp_info || !name_valid(exp_info->name))
		return ERR_PTR(-EINVAL);
	if (!exp_info->ops || !exp_info->ops->allocate)
		return ERR_PTR(-EINVAL);
	minor = minor_alloc();
	if (minor < 0)
		return ERR_PTR(minor);
	if (registered_heap(exp_info->name))
		return ERR_PTR(-EINVAL);
	heap = calloc(1, sizeof(*heap));
	if (!heap)
		return ERR_PTR(-ENOMEM);
	snprintf(heap->name, sizeof(heap->name), "%s", exp_info->name);
	snprintf(heap->path, sizeof(heap->path), DMA_HEAP_DEV_DIR "%s", heap->name);
	ret = devnode_add(heap->path, &dma_heap_fops, heap);
	if (ret) {
		free(heap);
		return ERR_PTR(ret);
	}
	heap->ops = exp_info->ops;
	heap->priv = exp_info->priv;
	heap->minor = (unsigned int)minor;
	heap->refs = 1;
	heap->registered = true;
	minors[minor] = heap;
	list_add_tail(&heap->list, &heap_list);
	stats.heaps++;
	stats.registered++;
	return heap;
}

/** dma_heap_remove - see dma-heap.h */
void dma_heap_remove(struct dma_heap *heap)
{
	if (WARN(!heap || !heap->registered, "dma_heap_remove of a heap not registered"))
		return;
	devnode_remove(heap->path);
	list_del_init(&heap->list);
	heap->registered = false;
	stats.registered--;
	heap_put(heap);
}
