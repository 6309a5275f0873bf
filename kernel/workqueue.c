/*
 * workqueue.c - work items on the bottom-half workqueues (see
 * workqueue.h): a queued item is a cpu_work on the queueing CPU, so it
 * runs as one bottom-half step of that CPU.
 */
#include <secsoc/kernel.h>
#include <secsoc/spinlock.h>
#include <secsoc/workqueue.h>

static struct workqueue_struct bh_wq = { .name = "events_bh" };
static struct workqueue_struct bh_highpri_wq = { .name = "events_bh_highpri" };

struct workqueue_struct *system_bh_wq = &bh_wq;
struct workqueue_struct *system_bh_highpri_wq = &bh_highpri_wq;

static void work_trampoline(struct cpu_work *cw)
{
	struct work_struct *work = container_of(cw, struct work_struct, cw);

	work->func(work);
	always(spin_locks_held() == 0, "work item %s returned with a spinlock held", cw->name);
}

void INIT_WORK(struct work_struct *work, work_func_t func)
{
	*work = (struct work_struct){ .func = func };
	INIT_LIST_HEAD(&work->cw.node);
	work->cw.fn = work_trampoline;
	work->cw.name = "work";
}

/* The CPU running the caller; boot code and tests outside a step use CPU 0. */
static struct cpu *work_cpu(void)
{
	struct cpu *c = cpu_current();
	struct kernel *k = kernel_current();

	if (c && !c->secure)
		return c;
	always(k && k->soc->nr_cpus, "queue_work with no normal-world CPU");
	return &k->soc->cpus[0];
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	always(wq && work->func, "queue_work: no workqueue or an uninitialised work item");
	if (work->cw.queued)
		return false;
	work->cw.name = wq->name;
	cpu_queue_work(work_cpu(), &work->cw);
	return true;
}

bool work_pending(const struct work_struct *work)
{
	return work->cw.queued;
}

bool cancel_work_sync(struct work_struct *work)
{
	return cpu_cancel_work(&work->cw);
}
