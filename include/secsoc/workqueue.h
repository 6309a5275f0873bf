/*
 * workqueue.h - work items and the BH workqueues of <linux/workqueue.h>.
 *
 * Only the bottom-half workqueues exist (system_bh_wq and
 * system_bh_highpri_wq, what the BAM locking series uses instead of a
 * tasklet): a work item queued on one runs in bottom-half context on the
 * CPU that queued it (CPU 0 when queued outside a CPU step), as one CPU
 * step. Queueing an already queued item does nothing, as in Linux.
 */
#ifndef SECSOC_WORKQUEUE_H
#define SECSOC_WORKQUEUE_H

#include <secsoc/cpu.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct cpu_work cw;
	work_func_t func;
};

struct workqueue_struct {
	const char *name;
};

extern struct workqueue_struct *system_bh_wq;
extern struct workqueue_struct *system_bh_highpri_wq;

/** INIT_WORK - prepare @work to run @func */
void INIT_WORK(struct work_struct *work, work_func_t func);
/** queue_work - queue @work on @wq. Return: false if it was already queued */
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
/** work_pending - is @work queued and not yet run? */
bool work_pending(const struct work_struct *work);
/**
 * cancel_work_sync - take @work off its queue if it has not run yet
 *
 * A work item never runs concurrently with the caller in this model, so
 * there is nothing to wait for. Return: true if it was pending.
 */
bool cancel_work_sync(struct work_struct *work);

#endif /* SECSOC_WORKQUEUE_H */
