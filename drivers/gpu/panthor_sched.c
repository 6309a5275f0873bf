/*
 * panthor_sched.c - groups, rings and jobs of the Panthor-like GPU driver.
 *
 * A group owns one group slot for its lifetime (no slot rotation: there
 * are at most GPU_CSG_SLOTS groups), one command stream with a ring in
 * kernel memory, and, when the device has a protected heap, a protected
 * suspend buffer from it. A job is copied into the ring (wrapped in a
 * PROT_REGION when protected, GPU_INSTR_F_IRQ on its last instruction),
 * CS_INSERT advances and the slot's doorbell rings; CSG_SYNC_UPDATE events
 * make the driver read CS_EXTRACT and complete the jobs behind it, in
 * order. Jobs wait on the group's queue while the firmware is down or the
 * ring is full.
 *
 * Protected work: CS_PROTM_PENDING marks the group, and the scheduling
 * tick enters protected mode for the highest-priority marked group, once
 * no group of higher priority has work in flight (in protected mode only
 * the top-priority group runs). A CS_FATAL fails the job it hit with -EIO
 * and restarts the stream, so later jobs run.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bug.h>

#include "drivers/gpu/panthor_internal.h"

#define CSG_EVENTS	(CSG_SYNC_UPDATE | CSG_IDLE)
#define CS_EVENTS	(CS_PROTM_PENDING | CS_FATAL)

static const char *exception_name(u32 type)
{
	switch (type) {
	case GPU_EXCEPTION_CS_CONFIG_FAULT:
		return "CS_CONFIG_FAULT";
	case GPU_EXCEPTION_CS_BUS_FAULT:
		return "CS_BUS_FAULT";
	case GPU_EXCEPTION_CS_INSTR_INVALID:
		return "CS_INSTR_INVALID";
	default:
		return "unknown";
	}
}

/* Write the state field of a REQ word, keeping its event bits. */
static void req_state(struct panthor_device *ptdev, u32 reg, u32 mask, u32 state)
{
	gpu_write(ptdev, reg, (gpu_read(ptdev, reg) & ~mask) | state);
}

/* ---- completion ---- */

/**
 * panthor_job_complete_locked - take @job off its group with @status; its
 * callback runs after ptdev->lock is released
 */
void panthor_job_complete_locked(struct panthor_group *g, struct panthor_job *job, int status)
{
	struct panthor_device *ptdev = g->ptdev;

	lockdep_assert_held(&ptdev->lock);
	list_del_init(&job->node);
	g->nr_jobs--;
	job->status = status;
	if (status)
		ptdev->stats.jobs_failed++;
	else
		ptdev->stats.jobs_done++;
	list_add_tail(&job->node, &ptdev->done);
}

static void group_fail_list_locked(struct panthor_group *g, struct list_head *list, int status)
{
	while (!list_empty(list))
		panthor_job_complete_locked(g, list_first_entry(list, struct panthor_job, node),
					    status);
}

/* Complete the jobs in flight that the GPU finished (CS_EXTRACT passed their end). */
static void group_retire_locked(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;

	g->extract = gpu_read(ptdev, CS_EXTRACT(g->slot, PANTHOR_CS));
	while (!list_empty(&g->inflight)) {
		struct panthor_job *job = list_first_entry(&g->inflight, struct panthor_job, node);

		/* Modulo 2^32: CS_EXTRACT never passes CS_INSERT. */
		if ((s32)(g->extract - job->end) < 0)
			break;
		panthor_job_complete_locked(g, job, 0);
	}
}

/*
 * The stream lost its work (a fault, a reset): the job at its head, which
 * the GPU had started (some of its output may be written), fails with
 * -EIO; the jobs behind it never started and go back on the queue, in
 * order, to run again on a fresh ring.
 */
static void group_fail_head_locked(struct panthor_group *g)
{
	if (!list_empty(&g->inflight))
		panthor_job_complete_locked(g, list_first_entry(&g->inflight, struct panthor_job,
								node), -EIO);
	list_splice_tail_init(&g->queued, &g->inflight);
	list_splice_tail_init(&g->inflight, &g->queued);
	g->protm_pending = false;
}

/* ---- the ring ---- */

/* Copy queued jobs into the ring while they fit, then publish CS_INSERT once. */
static void group_flush_locked(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;
	u32 start = g->insert;

	lockdep_assert_held(&ptdev->lock);
	if (g->state != PANTHOR_GROUP_RUNNING)
		return;
	while (!list_empty(&g->queued)) {
		struct panthor_job *job = list_first_entry(&g->queued, struct panthor_job, node);

		if (g->insert - g->extract + job->n * GPU_INSTR_BYTES > PANTHOR_RING_BYTES)
			break;
		for (unsigned int i = 0; i < job->n; i++, g->insert += GPU_INSTR_BYTES)
			g->ring[g->insert % PANTHOR_RING_BYTES / GPU_INSTR_BYTES] = job->instrs[i];
		job->end = g->insert;
		list_move_tail(&job->node, &g->inflight);
	}
	if (g->insert == start)
		return;
	/* The instructions must be in memory before the GPU may fetch them. */
	wmb();
	gpu_write(ptdev, CS_INSERT(g->slot, PANTHOR_CS), g->insert);
	panthor_doorbell(ptdev, CSF_CSG_DOORBELL_ID(g->slot));
}

/* ---- group slots ---- */

/* Program slot @g->slot for @g and request START of the group and its stream. */
static void group_start_locked(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;
	unsigned int s = g->slot;

	lockdep_assert_held(&ptdev->lock);
	gpu_write(ptdev, CSG_EP_REQ(s), FIELD_PREP(CSG_EP_REQ_PRIORITY_MASK, g->priority));
	gpu_write64(ptdev, CSG_PROTM_SUSPEND_BUF_LO(s), g->suspend ? g->suspend->dma_addr : 0);
	gpu_write(ptdev, CSG_ACK_IRQ_MASK(s), CSG_STATE_MASK | CSG_EVENTS);
	gpu_write(ptdev, CS_ACK_IRQ_MASK(s, PANTHOR_CS), CS_STATE_MASK | CS_EVENTS);
	gpu_write64(ptdev, CS_RING_BASE_LO(s, PANTHOR_CS), g->ring_dma);
	gpu_write(ptdev, CS_RING_SIZE(s, PANTHOR_CS), PANTHOR_RING_BYTES);
	/* The stream resumes where the GPU stopped; nothing of ours is in the ring. */
	g->extract = gpu_read(ptdev, CS_EXTRACT(s, PANTHOR_CS));
	g->insert = g->extract;
	gpu_write(ptdev, CS_INSERT(s, PANTHOR_CS), g->insert);
	req_state(ptdev, CS_REQ(s, PANTHOR_CS), CS_STATE_MASK, CS_STATE_START);
	req_state(ptdev, CSG_REQ(s), CSG_STATE_MASK, CSG_STATE_START);
	panthor_doorbell(ptdev, CSF_CSG_DOORBELL_ID(s));
	g->state = PANTHOR_GROUP_STARTING;
}

static bool stream_stopped(struct panthor_group *g)
{
	return (gpu_read(g->ptdev, CS_ACK(g->slot, PANTHOR_CS)) & CS_STATE_MASK) == CS_STATE_STOP;
}

static bool group_started(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;

	return (gpu_read(ptdev, CSG_ACK(g->slot)) & CSG_STATE_MASK) == CSG_STATE_START &&
	       (gpu_read(ptdev, CS_ACK(g->slot, PANTHOR_CS)) & CS_STATE_MASK) == CS_STATE_START;
}

/*
 * CS_FATAL: the GPU stopped the stream at the faulting instruction.
 * Report it, complete what the GPU finished before, fail the job the fault
 * hit with -EIO, put the jobs behind it (never started) back on the queue,
 * and start the stream again on a fresh ring (a stopped stream's ring may
 * be reprogrammed, which empties it), so later jobs run. A doorbell rung
 * for a submission before this handler ran may have restarted the stream
 * (its CS_REQ still says START): it is stopped first, then restarted.
 */
static void group_fatal_locked(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;
	unsigned int s = g->slot;
	u64 addr = gpu_read64(ptdev, CS_FATAL_ADDR_LO(s, PANTHOR_CS));
	u32 info = gpu_read(ptdev, CS_FATAL_INFO(s, PANTHOR_CS)) & 0xff;

	ptdev->stats.cs_faults++;
	dev_err(ptdev->dev, "group slot %u: CS fatal 0x%x (%s) at 0x%llx", s, info,
		exception_name(info), (unsigned long long)addr);
	group_retire_locked(g);
	group_fail_head_locked(g);
	if (stream_stopped(g)) {
		group_start_locked(g);
		return;
	}
	req_state(ptdev, CS_REQ(s, PANTHOR_CS), CS_STATE_MASK, CS_STATE_STOP);
	panthor_doorbell(ptdev, CSF_CSG_DOORBELL_ID(s));
	g->state = PANTHOR_GROUP_RESTARTING;
}

/** panthor_sched_csg_irq_locked - slot @slot interrupted: state changes and events */
void panthor_sched_csg_irq_locked(struct panthor_device *ptdev, unsigned int slot)
{
	struct panthor_group *g = ptdev->slots[slot];
	u32 cs_events;

	lockdep_assert_held(&ptdev->lock);
	if (!g || ptdev->fw_state != PANTHOR_FW_READY || g->state == PANTHOR_GROUP_STOPPED)
		return;
	panthor_events_ack(ptdev, CSG_REQ(slot), CSG_ACK(slot), CSG_EVENTS);
	cs_events = panthor_events_ack(ptdev, CS_REQ(slot, PANTHOR_CS),
				       CS_ACK(slot, PANTHOR_CS), CS_EVENTS);
	if (g->state == PANTHOR_GROUP_RESTARTING) {
		if (stream_stopped(g))
			group_start_locked(g);
		return;
	}
	if (g->state == PANTHOR_GROUP_STARTING && group_started(g))
		g->state = PANTHOR_GROUP_RUNNING;
	/*
	 * Events toggle: two faults before this handler cancel out, so a
	 * running stream found stopped is a fault too.
	 */
	if (cs_events & CS_FATAL ||
	    (g->state == PANTHOR_GROUP_RUNNING && stream_stopped(g))) {
		group_fatal_locked(g);
		return;
	}
	group_retire_locked(g);
	if (cs_events & CS_PROTM_PENDING)
		g->protm_pending = true;
	group_flush_locked(g);
}

/* The highest priority among groups with work in flight, other than @except; -1 if none. */
static int busiest_priority(struct panthor_device *ptdev, const struct panthor_group *except)
{
	int busiest = -1;

	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		struct panthor_group *g = ptdev->slots[s];

		if (g && g != except && !list_empty(&g->inflight))
			busiest = MAX(busiest, (int)g->priority);
	}
	return busiest;
}

/* The group a protected-mode entry would serve: the highest-priority waiting one. */
static struct panthor_group *protm_candidate(struct panthor_device *ptdev)
{
	struct panthor_group *best = NULL;

	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		struct panthor_group *g = ptdev->slots[s];

		if (g && g->protm_pending && (!best || g->priority > best->priority))
			best = g;
	}
	/* A higher-priority group with work would starve in protected mode: it goes first. */
	return best && (int)best->priority >= busiest_priority(ptdev, best) ? best : NULL;
}

/**
 * panthor_sched_tick_locked - the scheduling decision after every event:
 * enter protected mode when the top-priority group waits for it; leave it
 * early (GLB_PING) when a group of higher priority than the protected one
 * got work, which the protected mode would hold back
 */
void panthor_sched_tick_locked(struct panthor_device *ptdev)
{
	struct panthor_group *g;

	lockdep_assert_held(&ptdev->lock);
	if (ptdev->fw_state != PANTHOR_FW_READY)
		return;
	if (ptdev->protm.state == PANTHOR_PROTM_ACTIVE) {
		g = ptdev->protm.group;
		if (!g || busiest_priority(ptdev, g) > (int)g->priority)
			panthor_protm_force_exit_locked(ptdev);
		return;
	}
	if (ptdev->protm.state != PANTHOR_PROTM_IDLE)
		return;
	g = protm_candidate(ptdev);
	if (g)
		panthor_protm_enter_locked(ptdev, g);
}

/** panthor_sched_start_all_locked - the firmware is up: start every group on its slot */
void panthor_sched_start_all_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		struct panthor_group *g = ptdev->slots[s];

		if (!g)
			continue;
		if (ptdev->protm_heap && !g->suspend && panthor_group_alloc_suspend(g))
			dev_err(ptdev->dev, "group slot %u: no protected suspend buffer", s);
		group_start_locked(g);
	}
}

/**
 * panthor_sched_reset_prepare_locked - a reset is about to clear the
 * streams: complete what they finished while CS_EXTRACT can still be read
 */
void panthor_sched_reset_prepare_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++)
		if (ptdev->slots[s] && ptdev->slots[s]->state != PANTHOR_GROUP_STOPPED)
			group_retire_locked(ptdev->slots[s]);
}

/**
 * panthor_sched_stop_all_locked - the GPU was reset: every group is off its
 * slot; the job each had started fails with -EIO, the others wait for the
 * restart
 */
void panthor_sched_stop_all_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		struct panthor_group *g = ptdev->slots[s];

		if (!g)
			continue;
		group_fail_head_locked(g);
		g->state = PANTHOR_GROUP_STOPPED;
	}
}

/** panthor_sched_fail_all_locked - every job of every group fails with @status */
void panthor_sched_fail_all_locked(struct panthor_device *ptdev, int status)
{
	lockdep_assert_held(&ptdev->lock);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		struct panthor_group *g = ptdev->slots[s];

		if (!g)
			continue;
		group_fail_list_locked(g, &g->inflight, status);
		group_fail_list_locked(g, &g->queued, status);
		g->state = PANTHOR_GROUP_STOPPED;
		g->protm_pending = false;
	}
}

/* ---- the API ---- */

/**
 * panthor_group_alloc_suspend - @g's protected suspend buffer
 * (CSG_PROTM_SUSPEND_SIZE bytes), from the protected heap; 0 when the size
 * is not known yet (the firmware reports it, so it is retried at boot)
 */
int panthor_group_alloc_suspend(struct panthor_group *g)
{
	struct panthor_device *ptdev = g->ptdev;
	u32 size = ptdev->protm_suspend_size;

	if (!size)
		size = gpu_read(ptdev, CSG_PROTM_SUSPEND_SIZE(g->slot));
	if (!ptdev->protm_heap || g->suspend || !size)
		return 0;
	return panthor_bo_alloc_protected(ptdev, size, &g->suspend);
}

static struct panthor_group *group_alloc(struct panthor_device *ptdev, u8 priority)
{
	struct panthor_group *g = kzalloc(sizeof(*g), GFP_KERNEL);

	if (!g)
		return NULL;
	g->ring = dma_alloc_coherent(ptdev->dev, PANTHOR_RING_BYTES, &g->ring_dma, GFP_KERNEL);
	if (!g->ring) {
		kfree(g);
		return NULL;
	}
	g->ptdev = ptdev;
	g->priority = priority;
	g->slot = GPU_CSG_SLOTS;
	INIT_LIST_HEAD(&g->queued);
	INIT_LIST_HEAD(&g->inflight);
	return g;
}

static void group_free(struct panthor_group *g)
{
	panthor_bo_put(g->suspend);
	dma_free_coherent(g->ptdev->dev, PANTHOR_RING_BYTES, g->ring, g->ring_dma);
	kfree(g);
}

/*
 * Claim a free slot for @g and start it if the firmware is up, or boot the
 * firmware if nothing did yet. Return: 0 or -EBUSY.
 */
static int group_bind_slot(struct panthor_device *ptdev, struct panthor_group *g)
{
	unsigned long flags;
	int ret = -EBUSY;

	spin_lock_irqsave(&ptdev->lock, flags);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS && ret && !ptdev->removing; s++) {
		if (ptdev->slots[s] || (ptdev->nr_slots && s >= ptdev->nr_slots))
			continue;
		g->slot = s;
		ptdev->slots[s] = g;
		if (ptdev->fw_state == PANTHOR_FW_READY)
			group_start_locked(g);
		else if (ptdev->fw_state == PANTHOR_FW_OFF)
			panthor_fw_boot_locked(ptdev);
		ret = 0;
	}
	panthor_unlock_irqrestore(ptdev, flags);
	return ret;
}

int panthor_group_create(struct panthor_device *ptdev, u8 priority,
			 struct panthor_group **out)
{
	struct panthor_group *g;
	int ret;

	if (!ptdev || !out || priority > PANTHOR_PRIORITY_MAX)
		return -EINVAL;
	g = group_alloc(ptdev, priority);
	if (!g)
		return -ENOMEM;
	/* Slot 0's size until the group has its own slot: every slot reports the same. */
	g->slot = 0;
	ret = panthor_fw_protm_prepare(ptdev);
	if (!ret)
		ret = panthor_group_alloc_suspend(g);
	if (!ret)
		ret = group_bind_slot(ptdev, g);
	if (ret) {
		group_free(g);
		return ret;
	}
	*out = g;
	return 0;
}

static bool no_group_left(const struct panthor_device *ptdev)
{
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++)
		if (ptdev->slots[s])
			return false;
	return true;
}

void panthor_group_destroy(struct panthor_group *g)
{
	struct panthor_bo *protm_fw = NULL;
	struct panthor_device *ptdev;
	unsigned long flags;

	if (!g)
		return;
	ptdev = g->ptdev;
	spin_lock_irqsave(&ptdev->lock, flags);
	if (ptdev->protm.group == g)
		ptdev->protm.group = NULL;
	if (ptdev->fw_state == PANTHOR_FW_READY && g->state != PANTHOR_GROUP_STOPPED) {
		req_state(ptdev, CSG_REQ(g->slot), CSG_STATE_MASK, CSG_STATE_TERMINATE);
		panthor_doorbell(ptdev, CSF_CSG_DOORBELL_ID(g->slot));
	}
	ptdev->slots[g->slot] = NULL;
	group_fail_list_locked(g, &g->inflight, -ECANCELED);
	group_fail_list_locked(g, &g->queued, -ECANCELED);
	/* Protected memory is held while GPU work can exist, not by an idle GPU. */
	if (no_group_left(ptdev))
		protm_fw = panthor_fw_protm_unprepare_locked(ptdev);
	panthor_unlock_irqrestore(ptdev, flags);
	panthor_bo_put(protm_fw);
	group_free(g);
}

/**
 * panthor_sched_release - at remove, after every job failed: free the groups
 * a client left (their pointers die with the device)
 */
void panthor_sched_release(struct panthor_device *ptdev)
{
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++) {
		if (!ptdev->slots[s])
			continue;
		dev_warn(ptdev->dev, "group on slot %u still exists at remove", s);
		group_free(ptdev->slots[s]);
		ptdev->slots[s] = NULL;
	}
}

static bool job_desc_valid(const struct panthor_job_desc *d)
{
	if (!d || !d->instrs || !d->done || !d->n || d->n > PANTHOR_JOB_INSTRS_MAX)
		return false;
	for (unsigned int i = 0; i < d->n; i++) {
		u32 op = d->instrs[i].op;

		if (op != GPU_OP_CONVERT_NV12 && op != GPU_OP_BLEND_ARGB && op != GPU_OP_FILL)
			return false;
		if (d->instrs[i].flags & ~GPU_INSTR_F_IRQ)
			return false;
	}
	return true;
}

/* The job as the ring will hold it: PROT_REGION first if protected, F_IRQ on the last. */
static struct panthor_job *job_build(const struct panthor_job_desc *d)
{
	struct panthor_job *job = kzalloc(sizeof(*job), GFP_KERNEL);
	unsigned int n = 0;

	if (!job)
		return NULL;
	if (d->protected)
		job->instrs[n++] = (struct gpu_instr){ .op = GPU_OP_PROT_REGION, .arg = d->n };
	memcpy(&job->instrs[n], d->instrs, d->n * sizeof(*d->instrs));
	n += d->n;
	job->instrs[n - 1].flags |= GPU_INSTR_F_IRQ;
	job->n = n;
	job->done = d->done;
	job->ctx = d->ctx;
	INIT_LIST_HEAD(&job->node);
	return job;
}

int panthor_job_submit(struct panthor_group *g, const struct panthor_job_desc *d)
{
	struct panthor_device *ptdev;
	struct panthor_job *job;
	unsigned long flags;
	int ret = 0;

	if (!g || !job_desc_valid(d))
		return -EINVAL;
	ptdev = g->ptdev;
	if (d->protected && !ptdev->protm_heap)
		return -EOPNOTSUPP;
	job = job_build(d);
	if (!job)
		return -ENOMEM;
	spin_lock_irqsave(&ptdev->lock, flags);
	if (ptdev->removing)
		ret = -ENODEV;
	else if (ptdev->fw_state == PANTHOR_FW_DEAD)
		ret = -EIO;
	else if (g->nr_jobs >= PANTHOR_GROUP_JOBS_MAX)
		ret = -EBUSY;
	if (!ret) {
		list_add_tail(&job->node, &g->queued);
		g->nr_jobs++;
		ptdev->stats.jobs_submitted++;
		group_flush_locked(g);
		panthor_sched_tick_locked(ptdev);
	}
	panthor_unlock_irqrestore(ptdev, flags);
	if (ret)
		kfree(job);
	return ret;
}

unsigned int panthor_group_jobs(const struct panthor_group *g)
{
	return g->nr_jobs;
}
