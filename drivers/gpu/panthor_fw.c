/*
 * panthor_fw.c - the GPU firmware as the Panthor-like driver sees it: MCU
 * boot on demand (enable, then the global interrupt or MCU_STATUS polled
 * in modelled time), the global
 * interface (acknowledge-interrupt mask, the protected firmware section in
 * GLB_PROTM_FW_BASE), and protected-mode entry and exit as the 2026 series
 * does them (reference §3.3):
 *
 *   enter  toggle GLB_PROTM_ENTER, ring the global doorbell, wait up to
 *          4 s for GLB_ACK to match, then poll GPU_STATUS_PROTM_ACTIVE for
 *          up to 500 ms; either timeout resets the GPU;
 *   exit   the firmware raises GLB_PROTM_EXIT, the driver acknowledges;
 *   forced GLB_PING, then PROTM_ACTIVE must clear within 500 ms, else reset;
 *   fault  GPU_IRQ_PROTM_FAULT (masked by the hard IRQ) resets the GPU.
 *
 * Owns the protected firmware section (allocated from the protected heap
 * with the first group, kept across resets, freed with the last group)
 * and the protected-mode state and timer. Every wait is a kernel timer
 * that re-checks its condition before it declares a timeout (untimed
 * strategies may run timers early).
 */
#include <errno.h>

#include "drivers/gpu/panthor_internal.h"

#define GLB_VERSION_MAJOR(v)	((v) >> 16)
#define PANTHOR_GLB_EVENTS	(GLB_PROTM_EXIT)
#define PANTHOR_GLB_ACK_IRQS	(GLB_HALT | GLB_PROTM_ENTER | GLB_PING | GLB_PROTM_EXIT)

static const char *const protm_state_names[] = {
	[PANTHOR_PROTM_IDLE] = "idle",
	[PANTHOR_PROTM_WAIT_ACK] = "waiting for the PROTM_ENTER acknowledge",
	[PANTHOR_PROTM_WAIT_ACTIVE] = "waiting for PROTM_ACTIVE",
	[PANTHOR_PROTM_ACTIVE] = "active",
	[PANTHOR_PROTM_WAIT_EXIT] = "waiting for PROTM_ACTIVE to clear",
};

static bool glb_pending(struct panthor_device *ptdev, u32 bits)
{
	return (gpu_read(ptdev, GLB_REQ) ^ gpu_read(ptdev, GLB_ACK)) & bits;
}

static bool protm_active(struct panthor_device *ptdev)
{
	return gpu_read(ptdev, GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE;
}

/* ---- protected mode ---- */

static void protm_set_state(struct panthor_device *ptdev, enum panthor_protm_state state)
{
	lockdep_assert_held(&ptdev->lock);
	ptdev->protm.state = state;
}

/* Protected mode is over (exited, or forgotten by a reset): back to normal scheduling. */
static void protm_idle_locked(struct panthor_device *ptdev)
{
	del_timer_sync(&ptdev->protm.timer);
	ptdev->protm.group = NULL;
	protm_set_state(ptdev, PANTHOR_PROTM_IDLE);
}

static void protm_timeout_locked(struct panthor_device *ptdev)
{
	const char *what = protm_state_names[ptdev->protm.state];

	if (ptdev->protm.state != PANTHOR_PROTM_WAIT_EXIT)
		ptdev->stats.protm_enter_timeouts++;
	dev_err(ptdev->dev, "protected mode: timed out %s", what);
	panthor_device_reset_locked(ptdev, "protected-mode transition timed out");
}

static void protm_entered_locked(struct panthor_device *ptdev)
{
	del_timer_sync(&ptdev->protm.timer);
	ptdev->stats.protm_entries++;
	protm_set_state(ptdev, PANTHOR_PROTM_ACTIVE);
}

/* GLB_ACK matches the request: now PROTM_ACTIVE must show within 500 ms. */
static void protm_acked_locked(struct panthor_device *ptdev)
{
	if (protm_active(ptdev)) {
		protm_entered_locked(ptdev);
		return;
	}
	protm_set_state(ptdev, PANTHOR_PROTM_WAIT_ACTIVE);
	panthor_timer_arm(&ptdev->protm.timer, &ptdev->protm.deadline,
			  PANTHOR_PROTM_ACTIVE_TIMEOUT_MS);
}

/*
 * The protected-mode timer. WAIT_ACK is woken by the global interrupt and
 * only needs the timer for its deadline; the PROTM_ACTIVE waits poll,
 * since nothing interrupts when the status bit changes.
 */
static void protm_timer_fn(struct timer_list *t)
{
	struct panthor_device *ptdev = container_of(t, struct panthor_device, protm.timer);
	unsigned long flags;
	bool done = false;

	spin_lock_irqsave(&ptdev->lock, flags);
	switch (ptdev->protm.state) {
	case PANTHOR_PROTM_WAIT_ACK:
		done = !glb_pending(ptdev, GLB_PROTM_ENTER);
		if (done)
			protm_acked_locked(ptdev);
		break;
	case PANTHOR_PROTM_WAIT_ACTIVE:
		done = protm_active(ptdev);
		if (done)
			protm_entered_locked(ptdev);
		break;
	case PANTHOR_PROTM_WAIT_EXIT:
		done = !protm_active(ptdev);
		if (done)
			protm_idle_locked(ptdev);
		break;
	default:
		done = true;
		break;
	}
	if (!done && panthor_timer_expired(ptdev->protm.deadline))
		protm_timeout_locked(ptdev);
	else if (!done && ptdev->protm.state == PANTHOR_PROTM_WAIT_ACK)
		mod_timer(t, ptdev->protm.deadline);
	else if (!done)
		panthor_timer_poll(t, ptdev->protm.deadline);
	panthor_sched_tick_locked(ptdev);
	panthor_unlock_irqrestore(ptdev, flags);
}

/**
 * panthor_protm_enter_locked - ask the firmware to enter protected mode for
 * @g, the top-priority group waiting at a PROT_REGION
 */
void panthor_protm_enter_locked(struct panthor_device *ptdev, struct panthor_group *g)
{
	lockdep_assert_held(&ptdev->lock);
	ptdev->protm.group = g;
	g->protm_pending = false;
	ptdev->stats.protm_enter_requests++;
	protm_set_state(ptdev, PANTHOR_PROTM_WAIT_ACK);
	panthor_req_toggle(ptdev, GLB_REQ, GLB_ACK, GLB_PROTM_ENTER);
	panthor_doorbell(ptdev, CSF_GLB_DOORBELL_ID);
	ptdev->protm.deadline = jiffies + msecs_to_jiffies(PANTHOR_PROTM_ACK_TIMEOUT_MS);
	mod_timer(&ptdev->protm.timer, ptdev->protm.deadline);
}

/**
 * panthor_protm_force_exit_locked - leave protected mode before the
 * firmware does (GLB_PING); PROTM_ACTIVE must clear within 500 ms
 */
void panthor_protm_force_exit_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	if (ptdev->protm.state != PANTHOR_PROTM_ACTIVE)
		return;
	ptdev->stats.protm_forced_exits++;
	protm_set_state(ptdev, PANTHOR_PROTM_WAIT_EXIT);
	panthor_req_toggle(ptdev, GLB_REQ, GLB_ACK, GLB_PING);
	panthor_doorbell(ptdev, CSF_GLB_DOORBELL_ID);
	panthor_timer_arm(&ptdev->protm.timer, &ptdev->protm.deadline,
			  PANTHOR_PROTM_ACTIVE_TIMEOUT_MS);
}

/**
 * panthor_protm_fault_locked - GPU_IRQ_PROTM_FAULT (already masked): the
 * GPU stopped in protected mode and only a reset brings it back
 */
void panthor_protm_fault_locked(struct panthor_device *ptdev)
{
	u64 addr = gpu_read64(ptdev, GPU_FAULT_ADDR_LO);

	lockdep_assert_held(&ptdev->lock);
	ptdev->stats.protm_faults++;
	dev_err(ptdev->dev, "protected-mode fault 0x%x at 0x%llx (protected mode %s)",
		gpu_read(ptdev, GPU_FAULT_STATUS) & 0xff, (unsigned long long)addr,
		protm_state_names[ptdev->protm.state]);
	panthor_device_reset_locked(ptdev, "protected-mode fault");
}

/*
 * The GLB_PROTM_EXIT event (already acknowledged): the firmware left
 * protected mode, after the region or after our GLB_PING (whose poll may
 * have seen PROTM_ACTIVE clear first).
 */
static void protm_exit_event_locked(struct panthor_device *ptdev)
{
	switch (ptdev->protm.state) {
	case PANTHOR_PROTM_WAIT_ACK:
		dev_warn(ptdev->dev, "GLB_PROTM_EXIT before the entry was acknowledged");
		return;
	case PANTHOR_PROTM_WAIT_ACTIVE:
		/* In and out between two polls: it was entered. */
		ptdev->stats.protm_entries++;
		break;
	default:
		break;
	}
	ptdev->stats.protm_exits++;
	protm_idle_locked(ptdev);
}

/**
 * panthor_fw_stop_locked - the firmware is going away (reset, remove):
 * protected mode is forgotten
 */
void panthor_fw_stop_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	protm_idle_locked(ptdev);
}

/* ---- boot and the global interface ---- */

/* Point the firmware at its protected section (after every boot: a reset clears it). */
static void fw_write_protm_base(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	gpu_write64(ptdev, GLB_PROTM_FW_BASE_LO, ptdev->protm_fw->dma_addr);
}

/**
 * panthor_fw_protm_prepare - the protected firmware section
 * (GLB_PROTM_FW_SIZE bytes from the protected heap), allocated with the
 * first group of a device that has a protected heap
 *
 * Process context: it allocates. Return: 0 (also without a heap), or the
 * heap's error.
 */
int panthor_fw_protm_prepare(struct panthor_device *ptdev)
{
	struct panthor_bo *bo;
	unsigned long flags;
	int ret;

	if (!ptdev->protm_heap || ptdev->protm_fw)
		return 0;
	ptdev->protm_fw_size = gpu_read(ptdev, GLB_PROTM_FW_SIZE);
	ret = panthor_bo_alloc_protected(ptdev, ptdev->protm_fw_size, &bo);
	if (ret) {
		dev_err(ptdev->dev, "protected firmware section (%u bytes): error %d",
			ptdev->protm_fw_size, ret);
		return ret;
	}
	spin_lock_irqsave(&ptdev->lock, flags);
	ptdev->protm_fw = bo;
	if (ptdev->fw_state == PANTHOR_FW_READY)
		fw_write_protm_base(ptdev);
	panthor_unlock_irqrestore(ptdev, flags);
	return 0;
}

/**
 * panthor_fw_protm_unprepare_locked - the last group is gone: take the
 * protected firmware section away from the firmware
 *
 * Return: the section, for the caller to put once the lock is released
 * (NULL if there was none).
 */
struct panthor_bo *panthor_fw_protm_unprepare_locked(struct panthor_device *ptdev)
{
	struct panthor_bo *bo = ptdev->protm_fw;

	lockdep_assert_held(&ptdev->lock);
	ptdev->protm_fw = NULL;
	if (bo && ptdev->fw_state == PANTHOR_FW_READY)
		gpu_write64(ptdev, GLB_PROTM_FW_BASE_LO, 0);
	return bo;
}

/* MCU_STATUS says the firmware runs: program the global interface, start the groups. */
static void fw_ready_locked(struct panthor_device *ptdev)
{
	u32 version = gpu_read(ptdev, GLB_VERSION);

	if (GLB_VERSION_MAJOR(version) != GLB_VERSION_MAJOR(GLB_VERSION_VALUE)) {
		panthor_device_dead_locked(ptdev, "unsupported firmware interface version");
		return;
	}
	ptdev->nr_slots = MIN(gpu_read(ptdev, GLB_GROUP_NUM), GPU_CSG_SLOTS);
	ptdev->protm_suspend_size = gpu_read(ptdev, CSG_PROTM_SUSPEND_SIZE(0));
	gpu_write(ptdev, GLB_ACK_IRQ_MASK, PANTHOR_GLB_ACK_IRQS);
	if (ptdev->protm_fw)
		fw_write_protm_base(ptdev);
	ptdev->fw_state = PANTHOR_FW_READY;
	ptdev->stats.fw_boots++;
	panthor_sched_start_all_locked(ptdev);
}

/**
 * panthor_fw_boot_poll_locked - has the MCU come up? From the global
 * interrupt, or (@from_timer) from the boot timer's poll.
 */
void panthor_fw_boot_poll_locked(struct panthor_device *ptdev, bool from_timer)
{
	lockdep_assert_held(&ptdev->lock);
	if (ptdev->fw_state != PANTHOR_FW_BOOTING)
		return;
	if (gpu_read(ptdev, MCU_STATUS) == MCU_STATUS_ENABLED) {
		del_timer_sync(&ptdev->fw_timer);
		fw_ready_locked(ptdev);
	} else if (!from_timer) {
		return;
	} else if (panthor_timer_expired(ptdev->fw_deadline)) {
		panthor_device_dead_locked(ptdev, "firmware did not boot");
	} else {
		panthor_timer_poll(&ptdev->fw_timer, ptdev->fw_deadline);
	}
}

/**
 * panthor_fw_boot_locked - enable the MCU; the boot completes
 * asynchronously, announced by the global interrupt, and times out after
 * PANTHOR_FW_BOOT_TIMEOUT_MS (MCU_STATUS is polled too)
 *
 * Called by the first group and after every reset, never at probe: like
 * Panthor's runtime PM, which resumes the GPU and its firmware for work,
 * a GPU nobody uses stays off, so that workloads without GPU work see no
 * GPU activity at all (no steps, no timers, no interleavings to explore).
 */
void panthor_fw_boot_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	ptdev->fw_state = PANTHOR_FW_BOOTING;
	gpu_write(ptdev, MCU_CONTROL, MCU_CONTROL_ENABLE);
	panthor_timer_arm(&ptdev->fw_timer, &ptdev->fw_deadline, PANTHOR_FW_BOOT_TIMEOUT_MS);
}

/** panthor_fw_glb_irq_locked - the global interface interrupted */
void panthor_fw_glb_irq_locked(struct panthor_device *ptdev)
{
	u32 events;

	lockdep_assert_held(&ptdev->lock);
	panthor_fw_boot_poll_locked(ptdev, false);
	if (ptdev->fw_state != PANTHOR_FW_READY)
		return;
	if (ptdev->protm.state == PANTHOR_PROTM_WAIT_ACK && !glb_pending(ptdev, GLB_PROTM_ENTER))
		protm_acked_locked(ptdev);
	events = panthor_events_ack(ptdev, GLB_REQ, GLB_ACK, PANTHOR_GLB_EVENTS);
	if (events & GLB_PROTM_EXIT)
		protm_exit_event_locked(ptdev);
}

/** panthor_fw_init - the firmware side of a new device: protected mode idle */
void panthor_fw_init(struct panthor_device *ptdev)
{
	timer_setup(&ptdev->protm.timer, protm_timer_fn, 0);
	ptdev->protm.state = PANTHOR_PROTM_IDLE;
}
