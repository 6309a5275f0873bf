/*
 * COORDINATOR NOTE to the panthor helper (delete this comment when done):
 * the GPU must stay completely idle in scenarios that do not use it
 * (contention, lock-race exploration, ...): booting the MCU at probe adds
 * GPU steps and interleavings to every scenario (lock-race BFS went from 17
 * to 23 choices and 10x slower) and leaves a protected FW section, a timer
 * and kmallocs that the scenario checker counts as leaks. Please implement
 * runtime-PM style power management: probe only maps registers, checks
 * GPU_ID, finds the heap (defer) and requests IRQs; the first
 * panthor_group_create() powers the GPU up (allocate the protected FW
 * section, boot the MCU, program GLB_PROTM_FW_BASE); destroying the last
 * group powers it down (MCU disable, wait nothing, free the FW section and
 * any timer) so that an idle GPU holds no memory, no timer, no protected
 * window. Document it in docs/panthor.md (Linux: pm_runtime_get/put).
 */
/*
 * panthor_drv.c - the Panthor-like driver of the Mali-CSF-like GPU
 * (`arm,mali-valhall-csf`): probe (registers, GPU_ID, the "job" and "gpu"
 * interrupts, the protected heap named by `protected-heap-name` with
 * -EPROBE_DEFER while it is missing), the interrupt handlers and their
 * bottom half, soft reset and recovery, and remove. The firmware is
 * booted on demand, by the first group (panthor_fw.c).
 *
 * Owns the device structure, its registers mapping, interrupts, the
 * heap reference and the firmware/reset timer; the firmware and the
 * scheduler (panthor_fw.c, panthor_sched.c) hang off it. The design and
 * its departures from the RFC and the 2026 series are in docs/panthor.md.
 */
#include <errno.h>

#include <secsoc/bug.h>
#include <secsoc/dt.h>

#include "drivers/gpu/panthor_internal.h"

/* The GPU interrupts the driver handles; GPU_IRQ_PROTM_FAULT is masked during a reset. */
#define PANTHOR_GPU_IRQS (GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT | GPU_IRQ_RESET_COMPLETED)
#define PANTHOR_JOB_IRQS (JOB_INT_GLOBAL_IF | GENMASK(GPU_CSG_SLOTS - 1, 0))

extern const struct platform_driver panthor_driver;

/* ---- locking and completions ---- */

/**
 * panthor_unlock_irqrestore - release ptdev->lock, then call back every job
 * completed while it was held, in completion order
 */
void panthor_unlock_irqrestore(struct panthor_device *ptdev, unsigned long flags)
{
	LIST_HEAD(done);

	list_splice_tail_init(&ptdev->done, &done);
	spin_unlock_irqrestore(&ptdev->lock, flags);
	while (!list_empty(&done)) {
		struct panthor_job *job = list_first_entry(&done, struct panthor_job, node);

		list_del_init(&job->node);
		job->done(job->ctx, job->status);
		kfree(job);
	}
}

/* ---- timers ---- */

/** panthor_timer_arm - start a wait of @timeout_ms: set *@deadline and poll */
void panthor_timer_arm(struct timer_list *t, u64 *deadline, u64 timeout_ms)
{
	*deadline = jiffies + msecs_to_jiffies(timeout_ms);
	panthor_timer_poll(t, *deadline);
}

/** panthor_timer_poll - look again one poll interval from now, never after @deadline */
void panthor_timer_poll(struct timer_list *t, u64 deadline)
{
	mod_timer(t, MIN(jiffies + msecs_to_jiffies(PANTHOR_POLL_MS), deadline));
}

/*
 * panthor_timer_expired - has modelled time reached @deadline? Untimed
 * strategies may run a timer early, so a timeout handler asks this after
 * re-checking its condition and before declaring a failure.
 */
bool panthor_timer_expired(u64 deadline)
{
	return jiffies >= deadline;
}

/* ---- reset ---- */

/**
 * panthor_device_dead_locked - give up on the GPU (a boot or reset that
 * timed out): every job fails with -EIO, later submissions too
 */
void panthor_device_dead_locked(struct panthor_device *ptdev, const char *why)
{
	lockdep_assert_held(&ptdev->lock);
	dev_err(ptdev->dev, "GPU unusable: %s", why);
	del_timer_sync(&ptdev->fw_timer);
	panthor_fw_stop_locked(ptdev);
	ptdev->fw_state = PANTHOR_FW_DEAD;
	panthor_sched_fail_all_locked(ptdev, -EIO);
}

/**
 * panthor_device_reset_locked - soft-reset the GPU: protected mode and the
 * groups are forgotten; once RESET_COMPLETED arrives the job each group
 * had started fails with -EIO, the firmware boots again and the groups
 * restart with the jobs that had not started (panthor_reset_done_locked())
 */
void panthor_device_reset_locked(struct panthor_device *ptdev, const char *why)
{
	lockdep_assert_held(&ptdev->lock);
	if (ptdev->fw_state == PANTHOR_FW_RESETTING || ptdev->fw_state == PANTHOR_FW_DEAD ||
	    ptdev->fw_state == PANTHOR_FW_OFF)
		return;
	dev_err(ptdev->dev, "resetting the GPU: %s", why);
	ptdev->stats.resets++;
	panthor_fw_stop_locked(ptdev);
	panthor_sched_reset_prepare_locked(ptdev);
	ptdev->fw_state = PANTHOR_FW_RESETTING;
	gpu_write(ptdev, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	gpu_write(ptdev, GPU_CMD, GPU_SOFT_RESET);
	panthor_timer_arm(&ptdev->fw_timer, &ptdev->fw_deadline, PANTHOR_RESET_TIMEOUT_MS);
}

/* The reset is done: restore the interrupt masks, fail what had started, boot again. */
static void panthor_reset_done_locked(struct panthor_device *ptdev)
{
	lockdep_assert_held(&ptdev->lock);
	if (ptdev->fw_state != PANTHOR_FW_RESETTING)
		return;
	del_timer_sync(&ptdev->fw_timer);
	gpu_write(ptdev, GPU_INT_CLEAR, GPU_IRQ_RESET_COMPLETED);
	ptdev->gpu_irq_mask = PANTHOR_GPU_IRQS;
	gpu_write(ptdev, GPU_INT_MASK, ptdev->gpu_irq_mask);
	gpu_write(ptdev, JOB_INT_MASK, PANTHOR_JOB_IRQS);
	panthor_sched_stop_all_locked(ptdev);
	panthor_fw_boot_locked(ptdev);
}

/* The firmware/reset timer: boot and reset polls, and their timeouts. */
static void panthor_fw_timer_fn(struct timer_list *t)
{
	struct panthor_device *ptdev = container_of(t, struct panthor_device, fw_timer);
	unsigned long flags;

	spin_lock_irqsave(&ptdev->lock, flags);
	if (ptdev->fw_state == PANTHOR_FW_BOOTING) {
		panthor_fw_boot_poll_locked(ptdev, true);
	} else if (ptdev->fw_state == PANTHOR_FW_RESETTING) {
		if (gpu_read(ptdev, GPU_INT_RAWSTAT) & GPU_IRQ_RESET_COMPLETED)
			panthor_reset_done_locked(ptdev);
		else if (panthor_timer_expired(ptdev->fw_deadline))
			panthor_device_dead_locked(ptdev, "soft reset did not complete");
		else
			panthor_timer_poll(t, ptdev->fw_deadline);
	}
	panthor_unlock_irqrestore(ptdev, flags);
}

/* ---- interrupts ---- */

static irqreturn_t panthor_job_irq(int irq, void *data)
{
	struct panthor_device *ptdev = data;
	unsigned long flags;
	u32 stat = gpu_read(ptdev, JOB_INT_STAT);

	(void)irq;
	if (!stat)
		return IRQ_NONE;
	gpu_write(ptdev, JOB_INT_CLEAR, stat);
	spin_lock_irqsave(&ptdev->lock, flags);
	ptdev->pending_job_irq |= stat;
	spin_unlock_irqrestore(&ptdev->lock, flags);
	queue_work(system_bh_wq, &ptdev->irq_work);
	return IRQ_HANDLED;
}

static irqreturn_t panthor_gpu_irq(int irq, void *data)
{
	struct panthor_device *ptdev = data;
	unsigned long flags;
	u32 stat = gpu_read(ptdev, GPU_INT_STAT);

	(void)irq;
	if (!stat)
		return IRQ_NONE;
	spin_lock_irqsave(&ptdev->lock, flags);
	/* As the 2026 series: a protected-mode fault stays masked until the reset is done. */
	if (stat & GPU_IRQ_PROTM_FAULT) {
		ptdev->gpu_irq_mask &= ~GPU_IRQ_PROTM_FAULT;
		gpu_write(ptdev, GPU_INT_MASK, ptdev->gpu_irq_mask);
	}
	gpu_write(ptdev, GPU_INT_CLEAR, stat);
	ptdev->pending_gpu_irq |= stat;
	spin_unlock_irqrestore(&ptdev->lock, flags);
	queue_work(system_bh_wq, &ptdev->irq_work);
	return IRQ_HANDLED;
}

static void panthor_gpu_fault_locked(struct panthor_device *ptdev)
{
	u64 addr = gpu_read64(ptdev, GPU_FAULT_ADDR_LO);

	dev_err(ptdev->dev, "GPU fault 0x%x at 0x%llx",
		gpu_read(ptdev, GPU_FAULT_STATUS) & 0xff, (unsigned long long)addr);
}

/* The bottom half: what the hard interrupts latched, then a scheduling tick. */
static void panthor_irq_work(struct work_struct *work)
{
	struct panthor_device *ptdev = container_of(work, struct panthor_device, irq_work);
	unsigned long flags;
	u32 gpu, job;

	spin_lock_irqsave(&ptdev->lock, flags);
	gpu = ptdev->pending_gpu_irq;
	job = ptdev->pending_job_irq;
	ptdev->pending_gpu_irq = 0;
	ptdev->pending_job_irq = 0;
	if (gpu & GPU_IRQ_RESET_COMPLETED)
		panthor_reset_done_locked(ptdev);
	if (gpu & GPU_IRQ_FAULT)
		panthor_gpu_fault_locked(ptdev);
	if (gpu & GPU_IRQ_PROTM_FAULT)
		panthor_protm_fault_locked(ptdev);
	if (job & JOB_INT_GLOBAL_IF)
		panthor_fw_glb_irq_locked(ptdev);
	for (unsigned int s = 0; s < GPU_CSG_SLOTS; s++)
		if (job & JOB_INT_CSG_IF(s))
			panthor_sched_csg_irq_locked(ptdev, s);
	panthor_sched_tick_locked(ptdev);
	panthor_unlock_irqrestore(ptdev, flags);
}

/* ---- probe and remove ---- */

/* Interrupt @name of the node ("interrupt-names"), as platform_get_irq_byname(). */
static int panthor_get_irq_byname(struct platform_device *pdev, const char *name)
{
	int idx = dt_prop_match_string(pdev->dev.of_node, "interrupt-names", name);

	if (idx < 0) {
		dev_err(&pdev->dev, "no \"%s\" in interrupt-names", name);
		return -EINVAL;
	}
	return platform_get_irq(pdev, (unsigned int)idx);
}

static int panthor_map_regs(struct platform_device *pdev, struct panthor_device *ptdev)
{
	struct dt_reg reg;
	u32 id;

	if (platform_get_resource_reg(pdev, 0, &reg)) {
		dev_err(&pdev->dev, "no reg entry");
		return -EINVAL;
	}
	if (reg.size < GPU_REG_WINDOW) {
		dev_err(&pdev->dev, "reg size 0x%llx is below the GPU's 0x%x bytes",
			(unsigned long long)reg.size, GPU_REG_WINDOW);
		return -EINVAL;
	}
	ptdev->iomem = ioremap(reg.addr, GPU_REG_WINDOW);
	if (!ptdev->iomem)
		return -ENOMEM;
	id = gpu_read(ptdev, GPU_ID);
	if (id != GPU_ID_VALUE) {
		dev_err(&pdev->dev, "unknown GPU: GPU_ID 0x%08x (this driver knows 0x%08x)", id,
			GPU_ID_VALUE);
		return -ENODEV;
	}
	return 0;
}

/*
 * The RFC's protected-heap-name: absent, the device runs no protected
 * work; present, the heap must exist, and until it does probe defers
 * (nothing re-probes the device when a heap appears by itself: a name
 * gives the driver core no dependency to follow, see docs/panthor.md).
 */
static int panthor_find_heap(struct panthor_device *ptdev)
{
	const char *name;
	int ret = dt_prop_string(ptdev->dev->of_node, "protected-heap-name", &name, NULL);

	if (ret == -ENOENT)
		return 0;
	if (ret) {
		dev_err(ptdev->dev, "protected-heap-name is not a string");
		return -EINVAL;
	}
	ptdev->protm_heap = dma_heap_find(name);
	if (!ptdev->protm_heap) {
		dev_info(ptdev->dev, "waiting for protected heap \"%s\"", name);
		return -EPROBE_DEFER;
	}
	return 0;
}

static int panthor_request_irqs(struct platform_device *pdev, struct panthor_device *ptdev)
{
	int ret;

	ptdev->irq_job = panthor_get_irq_byname(pdev, "job");
	if (ptdev->irq_job < 0)
		return ptdev->irq_job;
	ptdev->irq_gpu = panthor_get_irq_byname(pdev, "gpu");
	if (ptdev->irq_gpu < 0)
		return ptdev->irq_gpu;
	ret = panthor_find_heap(ptdev);
	if (ret)
		return ret;
	ret = request_irq((unsigned int)ptdev->irq_job, panthor_job_irq, 0, "panthor-job", ptdev);
	if (ret)
		return ret;
	ret = request_irq((unsigned int)ptdev->irq_gpu, panthor_gpu_irq, 0, "panthor-gpu", ptdev);
	if (ret) {
		free_irq((unsigned int)ptdev->irq_job, ptdev);
		return ret;
	}
	return 0;
}

static struct panthor_device *panthor_alloc(struct platform_device *pdev)
{
	struct panthor_device *ptdev = kzalloc(sizeof(*ptdev), GFP_KERNEL);

	if (!ptdev)
		return NULL;
	ptdev->dev = &pdev->dev;
	ptdev->irq_job = -1;
	ptdev->irq_gpu = -1;
	spin_lock_init(&ptdev->lock);
	ptdev->lock.name = "panthor";
	spin_lock_init(&ptdev->bo_lock);
	ptdev->bo_lock.name = "panthor-bo";
	INIT_LIST_HEAD(&ptdev->bos);
	INIT_LIST_HEAD(&ptdev->done);
	INIT_WORK(&ptdev->irq_work, panthor_irq_work);
	timer_setup(&ptdev->fw_timer, panthor_fw_timer_fn, 0);
	panthor_fw_init(ptdev);
	return ptdev;
}

/* What probe may have taken before failing, and what remove gives back at the end. */
static void panthor_free(struct panthor_device *ptdev)
{
	dma_heap_put(ptdev->protm_heap);
	if (ptdev->iomem)
		iounmap(ptdev->iomem);
	kfree(ptdev);
}

static int panthor_probe(struct platform_device *pdev)
{
	struct panthor_device *ptdev = panthor_alloc(pdev);
	int ret;

	if (!ptdev)
		return -ENOMEM;
	ret = panthor_map_regs(pdev, ptdev);
	if (!ret)
		ret = panthor_request_irqs(pdev, ptdev);
	if (ret) {
		panthor_free(ptdev);
		return ret;
	}
	platform_set_drvdata(pdev, ptdev);
	ptdev->gpu_irq_mask = PANTHOR_GPU_IRQS;
	gpu_write(ptdev, GPU_INT_CLEAR, ~0u);
	gpu_write(ptdev, GPU_INT_MASK, ptdev->gpu_irq_mask);
	gpu_write(ptdev, JOB_INT_CLEAR, ~0u);
	gpu_write(ptdev, JOB_INT_MASK, PANTHOR_JOB_IRQS);
	/* The firmware boots with the first group (panthor_fw_boot_locked()). */
	dev_info(ptdev->dev, "Mali-CSF GPU 0x%08x, protected mode %s", GPU_ID_VALUE,
		 ptdev->protm_heap ? "supported" : "not supported (no protected-heap-name)");
	return 0;
}

static void panthor_remove(struct platform_device *pdev)
{
	struct panthor_device *ptdev = platform_get_drvdata(pdev);
	unsigned long flags;

	gpu_write(ptdev, GPU_INT_MASK, 0);
	gpu_write(ptdev, JOB_INT_MASK, 0);
	free_irq((unsigned int)ptdev->irq_gpu, ptdev);
	free_irq((unsigned int)ptdev->irq_job, ptdev);
	cancel_work_sync(&ptdev->irq_work);
	spin_lock_irqsave(&ptdev->lock, flags);
	ptdev->removing = true;
	del_timer_sync(&ptdev->fw_timer);
	panthor_fw_stop_locked(ptdev);
	ptdev->fw_state = PANTHOR_FW_OFF;
	panthor_sched_fail_all_locked(ptdev, -ECANCELED);
	panthor_unlock_irqrestore(ptdev, flags);
	/* Stop the firmware so that nothing runs on memory given back below. */
	gpu_write(ptdev, MCU_CONTROL, MCU_CONTROL_DISABLE);
	panthor_sched_release(ptdev);
	panthor_bo_release_all(ptdev);
	panthor_free(ptdev);
}

/* ---- the API's device-wide calls ---- */

struct panthor_device *panthor_device_get(void)
{
	struct kernel *k = kernel_current();

	if (!k)
		return NULL;
	for (unsigned int i = 0; i < k->dc.nr_devs; i++) {
		struct device *dev = &k->dc.devs[i].dev;

		if (dev->driver == &panthor_driver && device_is_bound(dev))
			return dev_get_drvdata(dev);
	}
	return NULL;
}

bool panthor_has_protected(const struct panthor_device *ptdev)
{
	return ptdev->protm_heap != NULL;
}

bool panthor_fw_ready(const struct panthor_device *ptdev)
{
	return ptdev->fw_state == PANTHOR_FW_READY;
}

struct panthor_stats panthor_stats(const struct panthor_device *ptdev)
{
	return ptdev->stats;
}

static const struct of_device_id panthor_of_match[] = {
	{ .compatible = "arm,mali-valhall-csf" },
	{ 0 },
};

const struct platform_driver panthor_driver = {
	.name = "panthor",
	.of_match_table = panthor_of_match,
	.probe = panthor_probe,
	.remove = panthor_remove,
};
