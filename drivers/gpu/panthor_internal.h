/*
 * panthor_internal.h - the Panthor-like GPU driver's shared state: the
 * device, its groups and jobs, and the functions its files call in each
 * other (docs/panthor.md describes the design).
 *
 * panthor_drv.c owns the device (probe, remove, interrupts, reset),
 * panthor_fw.c the firmware (MCU boot, global interface, the protected
 * firmware section, protected-mode entry and exit), panthor_sched.c the
 * groups and their rings, panthor_bo.c imported dma-bufs.
 *
 * Locking: one spinlock per device, ptdev->lock, guards everything below
 * that interrupts, bottom halves, timers and callers share. Functions
 * named *_locked, and those that assert it, run with it held. Job
 * callbacks run with it released (they may submit again): completed jobs
 * are gathered on a list and called after the unlock. The bo list has its
 * own lock, ptdev->bo_lock, so that a bo can be made with ptdev->lock held
 * (the protected firmware section, at boot in the bottom half).
 */
#ifndef SECSOC_PANTHOR_INTERNAL_H
#define SECSOC_PANTHOR_INTERNAL_H

#include <secsoc/dma-heap.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/panthor.h>
#include <secsoc/spinlock.h>
#include <secsoc/timer.h>
#include <secsoc/workqueue.h>

/* Timeouts in modelled milliseconds (jiffies). */
#define PANTHOR_PROTM_ACK_TIMEOUT_MS	4000	/* GLB_PROTM_ENTER acknowledged */
#define PANTHOR_PROTM_ACTIVE_TIMEOUT_MS	500	/* PROTM_ACTIVE set; clear after PING */
#define PANTHOR_FW_BOOT_TIMEOUT_MS	1000	/* MCU_STATUS_ENABLED */
#define PANTHOR_RESET_TIMEOUT_MS	500	/* RESET_COMPLETED after GPU_CMD */
#define PANTHOR_POLL_MS			1	/* register polls: one jiffy */

#define PANTHOR_RING_INSTRS		128	/* per group ring: 8 KiB */
#define PANTHOR_RING_BYTES		(PANTHOR_RING_INSTRS * GPU_INSTR_BYTES)
#define PANTHOR_CS			0	/* each group uses its slot's first stream */

enum panthor_fw_state {
	PANTHOR_FW_OFF,		/* no group asked for it yet, or removed */
	PANTHOR_FW_BOOTING,	/* MCU enabled, MCU_STATUS polled */
	PANTHOR_FW_READY,	/* global interface programmed; groups may run */
	PANTHOR_FW_RESETTING,	/* soft reset issued, RESET_COMPLETED awaited */
	PANTHOR_FW_DEAD,	/* boot or reset timed out: every job fails */
};

enum panthor_protm_state {
	PANTHOR_PROTM_IDLE,		/* normal mode */
	PANTHOR_PROTM_WAIT_ACK,		/* GLB_PROTM_ENTER toggled, ack awaited (4 s) */
	PANTHOR_PROTM_WAIT_ACTIVE,	/* acked, GPU_STATUS_PROTM_ACTIVE polled (500 ms) */
	PANTHOR_PROTM_ACTIVE,		/* protected mode; GLB_PROTM_EXIT awaited */
	PANTHOR_PROTM_WAIT_EXIT,	/* GLB_PING sent, PROTM_ACTIVE clear awaited (500 ms) */
};

enum panthor_group_state {
	PANTHOR_GROUP_STOPPED,		/* not started: firmware down, or reset */
	PANTHOR_GROUP_STARTING,		/* CSG and CS START requested */
	PANTHOR_GROUP_RUNNING,		/* its stream executes the ring */
	PANTHOR_GROUP_RESTARTING,	/* after CS_FATAL: STOP requested, then START */
};

struct panthor_bo {
	struct panthor_device *ptdev;
	struct dma_buf *dmabuf;			/* the bo's own reference */
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
	dma_addr_t dma_addr;
	size_t size;
	bool internal;				/* the driver's own protected buffer */
	struct list_head node;			/* on ptdev->bos */
};

/* A job: its instructions as written to the ring, PROT_REGION included. */
struct panthor_job {
	struct list_head node;			/* on its group's queued or inflight list */
	struct gpu_instr instrs[PANTHOR_JOB_INSTRS_MAX + 1];
	unsigned int n;
	u32 end;				/* in flight: CS_EXTRACT once it is done */
	int status;				/* set when it completes */
	void (*done)(void *ctx, int status);
	void *ctx;
};

struct panthor_group {
	struct panthor_device *ptdev;
	unsigned int slot;
	u8 priority;
	enum panthor_group_state state;
	struct gpu_instr *ring;			/* kernel memory the GPU reads */
	dma_addr_t ring_dma;
	u32 insert;				/* bytes written (CS_INSERT, wraps at 4 GiB) */
	u32 extract;				/* bytes the GPU finished, as last read */
	struct panthor_bo *suspend;		/* protected suspend buffer, or NULL */
	struct list_head queued;		/* not in the ring yet */
	struct list_head inflight;		/* in the ring, in order */
	unsigned int nr_jobs;			/* both lists */
	bool protm_pending;			/* its stream waits at a PROT_REGION */
};

struct panthor_device {
	struct device *dev;
	void __iomem *iomem;
	int irq_job, irq_gpu;
	spinlock_t lock;

	/* Protected mode: the heap named by protected-heap-name, or NULL. */
	struct dma_heap *protm_heap;
	struct panthor_bo *protm_fw;		/* the protected firmware section */
	u32 protm_fw_size;			/* GLB_PROTM_FW_SIZE */
	u32 protm_suspend_size;			/* CSG_PROTM_SUSPEND_SIZE */

	enum panthor_fw_state fw_state;
	bool removing;				/* remove() runs: no new group or job */
	struct timer_list fw_timer;		/* boot and reset polls and timeouts */
	u64 fw_deadline;			/* jiffies */
	u32 nr_slots;				/* GLB_GROUP_NUM, at most GPU_CSG_SLOTS */

	struct {
		enum panthor_protm_state state;
		struct panthor_group *group;	/* the group protected mode is for */
		struct timer_list timer;
		u64 deadline;			/* jiffies */
	} protm;

	struct panthor_group *slots[GPU_CSG_SLOTS];
	spinlock_t bo_lock;			/* guards bos only; nests inside lock */
	struct list_head bos;
	u32 gpu_irq_mask;			/* GPU_INT_MASK as it should be */
	u32 pending_job_irq, pending_gpu_irq;	/* latched by the hard IRQs */
	struct work_struct irq_work;		/* the bottom half */
	struct list_head done;			/* completed, to call back after unlock */
	struct panthor_stats stats;
};

/* ---- registers ---- */

static inline u32 gpu_read(struct panthor_device *ptdev, u32 reg)
{
	return readl(ptdev->iomem + reg);
}

static inline void gpu_write(struct panthor_device *ptdev, u32 reg, u32 val)
{
	writel(val, ptdev->iomem + reg);
}

/* A 64-bit register pair: @lo, then its high half at @lo + 4. */
static inline u64 gpu_read64(struct panthor_device *ptdev, u32 lo)
{
	u64 v = gpu_read(ptdev, lo);

	return v | (u64)gpu_read(ptdev, lo + 4) << 32;
}

static inline void gpu_write64(struct panthor_device *ptdev, u32 lo, u64 val)
{
	gpu_write(ptdev, lo, (u32)val);
	gpu_write(ptdev, lo + 4, (u32)(val >> 32));
}

/**
 * panthor_req_toggle - request @bits of the REQ/ACK pair at @req_reg: make
 * them differ from the ACK bits (CSF's convention), keeping the others
 */
static inline void panthor_req_toggle(struct panthor_device *ptdev, u32 req_reg, u32 ack_reg,
				      u32 bits)
{
	u32 req = gpu_read(ptdev, req_reg), ack = gpu_read(ptdev, ack_reg);

	gpu_write(ptdev, req_reg, (req & ~bits) | (~ack & bits));
}

/**
 * panthor_events_ack - acknowledge the events among @mask that the firmware
 * raised (ACK bit != REQ bit) by copying them into REQ. Return: those events
 */
static inline u32 panthor_events_ack(struct panthor_device *ptdev, u32 req_reg, u32 ack_reg,
				     u32 mask)
{
	u32 req = gpu_read(ptdev, req_reg);
	u32 events = (req ^ gpu_read(ptdev, ack_reg)) & mask;

	if (events)
		gpu_write(ptdev, req_reg, req ^ events);
	return events;
}

/** panthor_doorbell - ring doorbell @id */
static inline void panthor_doorbell(struct panthor_device *ptdev, unsigned int id)
{
	gpu_write(ptdev, CSF_DOORBELL(id), 1);
}

/* ---- panthor_drv.c ---- */
void panthor_unlock_irqrestore(struct panthor_device *ptdev, unsigned long flags);
void panthor_device_reset_locked(struct panthor_device *ptdev, const char *why);
void panthor_device_dead_locked(struct panthor_device *ptdev, const char *why);
void panthor_timer_arm(struct timer_list *t, u64 *deadline, u64 timeout_ms);
void panthor_timer_poll(struct timer_list *t, u64 deadline);
bool panthor_timer_expired(u64 deadline);

/* ---- panthor_fw.c ---- */
void panthor_fw_init(struct panthor_device *ptdev);
void panthor_fw_boot_locked(struct panthor_device *ptdev);
int panthor_fw_protm_prepare(struct panthor_device *ptdev);
struct panthor_bo *panthor_fw_protm_unprepare_locked(struct panthor_device *ptdev);
void panthor_fw_boot_poll_locked(struct panthor_device *ptdev, bool from_timer);
void panthor_fw_glb_irq_locked(struct panthor_device *ptdev);
void panthor_fw_stop_locked(struct panthor_device *ptdev);
void panthor_protm_enter_locked(struct panthor_device *ptdev, struct panthor_group *g);
void panthor_protm_force_exit_locked(struct panthor_device *ptdev);
void panthor_protm_fault_locked(struct panthor_device *ptdev);

/* ---- panthor_sched.c ---- */
void panthor_sched_start_all_locked(struct panthor_device *ptdev);
void panthor_sched_csg_irq_locked(struct panthor_device *ptdev, unsigned int slot);
void panthor_sched_reset_prepare_locked(struct panthor_device *ptdev);
void panthor_sched_stop_all_locked(struct panthor_device *ptdev);
void panthor_sched_fail_all_locked(struct panthor_device *ptdev, int status);
void panthor_sched_tick_locked(struct panthor_device *ptdev);
void panthor_sched_release(struct panthor_device *ptdev);
int panthor_group_alloc_suspend(struct panthor_group *g);
void panthor_job_complete_locked(struct panthor_group *g, struct panthor_job *job, int status);

/* ---- panthor_bo.c ---- */
int panthor_bo_alloc_protected(struct panthor_device *ptdev, size_t size,
			       struct panthor_bo **out);
void panthor_bo_release_all(struct panthor_device *ptdev);

#endif /* SECSOC_PANTHOR_INTERNAL_H */
