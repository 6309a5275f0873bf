/*
 * panthor.h - the in-kernel API of the Panthor-like driver of the
 * Mali-CSF-like GPU (drivers/gpu/, docs/panthor.md): importing dma-bufs,
 * scheduling groups with one ring each, submitting jobs (normal or
 * protected) and reading the driver's counters.
 *
 * Linux's Panthor offers this through DRM ioctls (GEM import by PRIME,
 * GROUP_CREATE, GROUP_SUBMIT); the model's clients are in the kernel (the
 * playback scenario, tests), so the same operations are plain calls.
 * Completion is asynchronous: a job's done() callback runs in bottom-half
 * context once the GPU finished it (0), or once a fault or a reset lost it
 * (-EIO), or when its group or the device went away (-ECANCELED).
 */
#ifndef SECSOC_PANTHOR_H
#define SECSOC_PANTHOR_H

#include <secsoc/dma-buf.h>
#include <secsoc/dma-heap.h>
#include <secsoc/gpu.h>
#include <secsoc/types.h>

struct panthor_device;
struct panthor_bo;
struct panthor_group;

#define PANTHOR_PRIORITY_MAX 15		/* CSG_EP_REQ priority; 15 runs first */
#define PANTHOR_JOB_INSTRS_MAX 15	/* per job, PROT_REGION not counted */
#define PANTHOR_GROUP_JOBS_MAX 32	/* queued and in flight, per group */

/* What the driver did, for reports and tests. */
struct panthor_stats {
	u64 jobs_submitted;		/* accepted by panthor_job_submit() */
	u64 jobs_done;			/* completed with 0 */
	u64 jobs_failed;		/* completed with an error */
	u64 protm_enter_requests;	/* GLB_PROTM_ENTER toggled */
	u64 protm_entries;		/* PROTM_ACTIVE seen after a request */
	u64 protm_exits;		/* GLB_PROTM_EXIT events acknowledged */
	u64 protm_forced_exits;		/* GLB_PING sent to leave protected mode */
	u64 protm_enter_timeouts;	/* no GLB_ACK within 4 s, or no PROTM_ACTIVE in 500 ms */
	u64 protm_faults;		/* GPU_IRQ_PROTM_FAULT */
	u64 cs_faults;			/* CS_FATAL events */
	u64 resets;			/* soft resets issued */
	u64 fw_boots;			/* times the firmware came up */
};

/**
 * panthor_device_get - the bound GPU of the current kernel
 *
 * Return: the device, or NULL when no kernel runs or no GPU is bound.
 */
struct panthor_device *panthor_device_get(void);

/**
 * panthor_has_protected - can @ptdev run protected jobs (it found its
 * protected heap at probe)?
 */
bool panthor_has_protected(const struct panthor_device *ptdev);

/**
 * panthor_fw_ready - has the firmware booted (and, after a reset, come
 * back)? Jobs submitted before are queued, not refused.
 */
bool panthor_fw_ready(const struct panthor_device *ptdev);

/** panthor_stats - the driver's counters */
struct panthor_stats panthor_stats(const struct panthor_device *ptdev);

/**
 * panthor_bo_import - make @buf usable by the GPU: attach the GPU device,
 * map it, and check that it is one physical range (the GPU has no MMU)
 * @out: the new bo; it holds its own reference on @buf
 *
 * Return: 0; -EINVAL for a NULL argument or a scattered buffer; -EBUSY
 * when the exporter refuses the GPU (a protected heap that does not grant
 * it); -ENOMEM; or the exporter's map error.
 */
int panthor_bo_import(struct panthor_device *ptdev, struct dma_buf *buf,
		      struct panthor_bo **out);
/**
 * panthor_bo_alloc - @size bytes from @heap, imported for the GPU, as a
 * client allocates its own buffers; the bo holds the only reference to the
 * buffer (panthor_bo_dma_buf() lends it)
 *
 * Return: 0; -EINVAL for a NULL argument; the heap's or panthor_bo_import()'s error.
 */
int panthor_bo_alloc(struct panthor_device *ptdev, struct dma_heap *heap, size_t size,
		     struct panthor_bo **out);
/** panthor_bo_dma_buf - the bo's buffer, borrowed: valid until panthor_bo_put() */
struct dma_buf *panthor_bo_dma_buf(const struct panthor_bo *bo);
/** panthor_bo_put - unmap, detach and drop the bo's buffer reference; NULL is a no-op */
void panthor_bo_put(struct panthor_bo *bo);
/** panthor_bo_dma_addr - the GPU address of the bo's first byte */
u64 panthor_bo_dma_addr(const struct panthor_bo *bo);
/** panthor_bo_size - the bo's size in bytes */
size_t panthor_bo_size(const struct panthor_bo *bo);

/**
 * panthor_group_create - a scheduling group with one command-stream ring
 * @priority: 0..PANTHOR_PRIORITY_MAX (15 is the highest)
 *
 * The group gets a free group slot for its lifetime, a ring in kernel
 * memory and, when the device has a protected heap, its protected suspend
 * buffer from that heap.
 *
 * The first group boots the GPU's firmware (asynchronously: its jobs wait).
 *
 * Return: 0; -EINVAL for a bad argument; -EBUSY when every slot is taken
 * (or remove runs); -ENOMEM, or the heap's allocation error.
 */
int panthor_group_create(struct panthor_device *ptdev, u8 priority,
			 struct panthor_group **out);
/**
 * panthor_group_destroy - terminate the group's slot and free it; jobs not
 * completed yet complete with -ECANCELED. NULL is a no-op.
 */
void panthor_group_destroy(struct panthor_group *g);

/* One job: @n instructions run in order, in protected mode if @protected. */
struct panthor_job_desc {
	const struct gpu_instr *instrs;
	unsigned int n;			/* 1..PANTHOR_JOB_INSTRS_MAX */
	bool protected;
	void (*done)(void *ctx, int status);	/* required; bottom-half context */
	void *ctx;
};

/**
 * panthor_job_submit - copy @d's instructions into @g's ring and ring its
 * doorbell (queued until the firmware is up)
 *
 * The driver sets GPU_INSTR_F_IRQ on the last instruction and wraps a
 * protected job in a PROT_REGION; callers must not use PROT_REGION or NOP.
 *
 * Return: 0 (done() will be called exactly once); -EINVAL for bad input;
 * -EOPNOTSUPP for a protected job on a device without a protected heap;
 * -EBUSY when the group already holds PANTHOR_GROUP_JOBS_MAX jobs; -EIO
 * once the driver gave the GPU up (a reset or boot timed out); -ENODEV
 * from a callback run by remove.
 */
int panthor_job_submit(struct panthor_group *g, const struct panthor_job_desc *d);

/** panthor_group_jobs - jobs of @g not completed yet */
unsigned int panthor_group_jobs(const struct panthor_group *g);

#endif /* SECSOC_PANTHOR_H */
