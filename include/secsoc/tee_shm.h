/*
 * tee_shm.h - TEE shared memory of the normal-world TEE driver
 * (drivers/tee/tee_drv.c): a protected dma-buf registered with the TEE, as
 * Linux's TEE_IOC_SHM_REGISTER_FD / tee_shm_register_fd() do for buffers
 * of the TEE's protected heaps (docs/heaps.md, "Registering a protected
 * buffer with the TEE").
 *
 * A shm holds its own reference on the dma-buf, so the process may close
 * its fd (the OP-TEE SDP flow does) and the memory stays protected and
 * allocated until tee_shm_free(). A memory reference (struct
 * tee_param_memref) that names a shm passes an offset and a size inside
 * it; the driver checks them against the shm's size before anything is
 * sent to the secure world, and resolves them to a physical address.
 * Every call in flight that names a shm holds a reference on it too.
 */
#ifndef SECSOC_TEE_SHM_H
#define SECSOC_TEE_SHM_H

#include <secsoc/dma-buf.h>
#include <secsoc/file.h>
#include <secsoc/tee.h>

struct tee_shm;

#define TEE_SHM_MAX 64			/* live shms per TEE device */

struct tee_shm_stats {
	u64 live;			/* registered, not yet gone (a call may hold a freed one) */
	u64 registered, freed;		/* totals */
};

/**
 * tee_shm_register_fd - register the dma-buf behind @fd of @p
 * @flags: must be 0
 *
 * Return: the shm (its own dma-buf reference; free with tee_shm_free()),
 * or ERR_PTR: -EINVAL for non-zero @flags, a NULL @ctx or @p, or a
 * dma-buf that is not a protected buffer of this TEE's heaps; -EBADF for a
 * bad fd (and -EINVAL for an fd that is not a dma-buf); -ENOSPC past
 * TEE_SHM_MAX live shms (or once INT_MAX ids were given: none is reused);
 * -ENOMEM.
 */
struct tee_shm *tee_shm_register_fd(struct tee_context *ctx, struct process *p, int fd,
				    u32 flags);
/**
 * tee_shm_register_dma_buf - as tee_shm_register_fd(), for a kernel user
 * that holds the dma-buf itself (a media driver); takes its own reference
 */
struct tee_shm *tee_shm_register_dma_buf(struct tee_context *ctx, struct dma_buf *dmabuf);
/**
 * tee_shm_free - the owner's release: the dma-buf reference goes once no
 * call in flight names the shm any more. NULL or an ERR_PTR is a no-op.
 */
void tee_shm_free(struct tee_shm *shm);

/** tee_shm_get_id - its id: unique among the device's shms, never 0 */
int tee_shm_get_id(const struct tee_shm *shm);
/** tee_shm_get_size - its size in bytes (the dma-buf's) */
size_t tee_shm_get_size(const struct tee_shm *shm);
/**
 * tee_shm_get_pa - the physical address of byte @offs
 *
 * Return: 0, or -EINVAL when @offs is not below the size.
 */
int tee_shm_get_pa(const struct tee_shm *shm, size_t offs, phys_addr_t *pa);

/** tee_shm_stats - live shms of every TEE device (invariant 7) */
struct tee_shm_stats tee_shm_stats(void);

#endif /* SECSOC_TEE_SHM_H */
