/*
 * test_virt_dma.c - virt-dma as a driver uses it: the descriptor lists
 * (allocated -> submitted -> issued -> completed or terminated), cookies,
 * the lock discipline asserted like lockdep, completion callbacks from the
 * channel's bottom half without the lock, descriptor reuse, terminate and
 * synchronize, and freeing everything.
 *
 * The test plays the driver on one bare virtual channel (its dma_device is
 * never registered: virt-dma does not need that) on the default board,
 * which provides the CPUs the bottom half runs on and the kernel memory
 * descriptors are allocated from.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/interrupt.h>
#include <secsoc/kernel.h>
#include <secsoc/virt-dma.h>

#include "helpers.h"

#define LOG_MAX 8

struct fixture {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct kernel k;
	struct dma_device dd;
	struct virt_dma_chan vc;
	u64 objects;			/* live kmalloc objects after boot */
};

static struct fixture *fix;

/* What the callbacks and desc_free saw. */
static struct {
	unsigned int freed;
	unsigned int calls;
	uintptr_t order[LOG_MAX];
	bool in_bh[LOG_MAX];
	bool lock_held[LOG_MAX];
	struct dmaengine_result result;
} seen;

static void desc_free(struct virt_dma_desc *vd)
{
	seen.freed++;
	kfree(vd);
}

static void boot(struct fixture *f)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	memset(&seen, 0, sizeof(seen));
	assert_int_equal(soc_load_dt(NULL, NULL, &f->dt, &err), 0);
	f->sim = sim_create(&cfg);
	assert_int_equal(soc_create(f->sim, f->dt, &f->soc, &err), 0);
	assert_int_equal(kernel_boot(&f->k, f->soc, NULL, NULL, 0, &err), 0);
	f->objects = kmem_stats().objects;
	f->dd = (struct dma_device){ 0 };
	INIT_LIST_HEAD(&f->dd.channels);
	f->vc = (struct virt_dma_chan){ .desc_free = desc_free };
	vchan_init(&f->vc, &f->dd);
	fix = f;
}

/* Nothing leaked and no lock left held. */
static void shutdown(struct fixture *f)
{
	assert_int_equal(kmem_stats().objects, f->objects);
	assert_int_equal(spin_locks_held(), 0);
	kernel_shutdown(&f->k);
	soc_destroy(f->soc);
	sim_destroy(f->sim);
	dt_free(f->dt);
	fix = NULL;
}

static struct virt_dma_desc *prep(struct fixture *f, unsigned long flags)
{
	struct virt_dma_desc *vd = kzalloc(sizeof(*vd), GFP_KERNEL);

	assert_non_null(vd);
	assert_ptr_equal(vchan_tx_prep(&f->vc, vd, flags), &vd->tx);
	return vd;
}

static struct virt_dma_desc *prep_submit(struct fixture *f, dma_async_tx_callback cb,
					 void *param)
{
	struct virt_dma_desc *vd = prep(f, DMA_PREP_INTERRUPT);

	vd->tx.callback = cb;
	vd->tx.callback_param = param;
	assert_true(dmaengine_submit(&vd->tx) >= DMA_MIN_COOKIE);
	return vd;
}

static void issue(struct fixture *f)
{
	spin_lock(&f->vc.lock);
	vchan_issue_pending(&f->vc);
	spin_unlock(&f->vc.lock);
}

/* What a driver's interrupt path does for the first issued descriptor. */
static struct virt_dma_desc *complete_next(struct fixture *f)
{
	struct virt_dma_desc *vd;

	spin_lock(&f->vc.lock);
	vd = vchan_next_desc(&f->vc);
	assert_non_null(vd);
	list_del_init(&vd->node);
	vchan_cookie_complete(vd);
	spin_unlock(&f->vc.lock);
	return vd;
}

static unsigned int count(const struct list_head *head)
{
	const struct list_head *p;
	unsigned int n = 0;

	for (p = head->next; p != head; p = p->next)
		n++;
	return n;
}

static bool on_list(const struct virt_dma_desc *vd, const struct list_head *head)
{
	const struct list_head *p;

	for (p = head->next; p != head; p = p->next)
		if (p == &vd->node)
			return true;
	return false;
}

static void record(void *param)
{
	assert_true(seen.calls < LOG_MAX);
	seen.order[seen.calls] = (uintptr_t)param;
	seen.in_bh[seen.calls] = in_softirq();
	seen.lock_held[seen.calls] = spin_is_locked(&fix->vc.lock);
	seen.calls++;
}

static void record_result(void *param, const struct dmaengine_result *result)
{
	seen.result = *result;
	record(param);
}

static void test_init_links_channel_to_device(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	assert_ptr_equal(f.vc.chan.device, &f.dd);
	assert_ptr_equal(f.dd.channels.next, &f.vc.chan.device_node);
	assert_int_equal(f.vc.chan.cookie, DMA_MIN_COOKIE);
	assert_int_equal(f.vc.chan.completed_cookie, DMA_MIN_COOKIE);
	assert_string_equal(f.vc.lock.name, "vchan");
	assert_false(spin_is_locked(&f.vc.lock));
	assert_true(list_empty(&f.vc.desc_allocated));
	assert_true(list_empty(&f.vc.desc_terminated));
	shutdown(&f);
}

static void test_prep_puts_descriptor_on_allocated(void **state)
{
	struct virt_dma_desc *vd;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep(&f, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_ptr_equal(vd->tx.chan, &f.vc.chan);
	assert_int_equal(vd->tx.flags, DMA_PREP_INTERRUPT | DMA_CTRL_ACK);
	assert_non_null(vd->tx.tx_submit);
	assert_non_null(vd->tx.desc_free);
	assert_int_equal(vd->tx_result.result, DMA_TRANS_NOERROR);
	assert_true(on_list(vd, &f.vc.desc_allocated));
	assert_false(spin_is_locked(&f.vc.lock));
	vchan_free_chan_resources(&f.vc);
	assert_int_equal(seen.freed, 1);
	shutdown(&f);
}

static void test_submit_assigns_cookies_in_order(void **state)
{
	struct virt_dma_desc *a, *b;
	struct fixture f;

	(void)state;
	boot(&f);
	a = prep_submit(&f, NULL, NULL);
	b = prep_submit(&f, NULL, NULL);
	assert_int_equal(a->tx.cookie, DMA_MIN_COOKIE + 1);
	assert_int_equal(b->tx.cookie, DMA_MIN_COOKIE + 2);
	assert_int_equal(count(&f.vc.desc_submitted), 2);
	assert_ptr_equal(f.vc.desc_submitted.next, &a->node);
	assert_true(list_empty(&f.vc.desc_allocated));
	vchan_free_chan_resources(&f.vc);
	shutdown(&f);
}

static void test_issue_pending_moves_submitted_to_issued(void **state)
{
	struct virt_dma_desc *a;
	struct fixture f;

	(void)state;
	boot(&f);
	spin_lock(&f.vc.lock);
	assert_false(vchan_issue_pending(&f.vc));
	assert_null(vchan_next_desc(&f.vc));
	spin_unlock(&f.vc.lock);
	a = prep_submit(&f, NULL, NULL);
	prep_submit(&f, NULL, NULL);
	spin_lock(&f.vc.lock);
	assert_true(vchan_issue_pending(&f.vc));
	assert_ptr_equal(vchan_next_desc(&f.vc), a);
	spin_unlock(&f.vc.lock);
	assert_int_equal(count(&f.vc.desc_issued), 2);
	assert_true(list_empty(&f.vc.desc_submitted));
	vchan_free_chan_resources(&f.vc);
	shutdown(&f);
}

static void test_list_operations_assert_lock_held(void **state)
{
	struct fixture f;
	LIST_HEAD(head);

	(void)state;
	boot(&f);
	vchan_issue_pending(&f.vc);
	vchan_next_desc(&f.vc);
	vchan_find_desc(&f.vc, DMA_MIN_COOKIE);
	vchan_get_all_descriptors(&f.vc, &head);
	assert_int_equal(sim_violation_count(f.sim), 4);
	assert_non_null(strstr(sim_violation(f.sim, 0)->msg, "lock vchan not held"));
	shutdown(&f);
}

static void test_find_desc_finds_issued_only(void **state)
{
	struct virt_dma_desc *a, *b;
	struct fixture f;

	(void)state;
	boot(&f);
	a = prep_submit(&f, NULL, NULL);
	spin_lock(&f.vc.lock);
	assert_null(vchan_find_desc(&f.vc, a->tx.cookie));	/* submitted, as Linux */
	vchan_issue_pending(&f.vc);
	spin_unlock(&f.vc.lock);
	b = prep_submit(&f, NULL, NULL);
	issue(&f);
	spin_lock(&f.vc.lock);
	assert_ptr_equal(vchan_find_desc(&f.vc, a->tx.cookie), a);
	assert_ptr_equal(vchan_find_desc(&f.vc, b->tx.cookie), b);
	assert_null(vchan_find_desc(&f.vc, b->tx.cookie + 1));
	spin_unlock(&f.vc.lock);
	vchan_free_chan_resources(&f.vc);
	shutdown(&f);
}

static void test_complete_calls_back_in_bh_without_lock(void **state)
{
	struct virt_dma_desc *vd;
	dma_cookie_t cookie;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep_submit(&f, record, (void *)7);
	cookie = vd->tx.cookie;
	issue(&f);
	complete_next(&f);
	assert_int_equal(vd->tx.cookie, 0);
	assert_int_equal(f.vc.chan.completed_cookie, cookie);
	assert_true(on_list(vd, &f.vc.desc_completed));
	assert_true(work_pending(&f.vc.task));
	assert_int_equal(seen.calls, 0);	/* not before the CPU runs the BH */
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.order[0], 7);
	assert_true(seen.in_bh[0]);
	assert_false(seen.lock_held[0]);
	assert_int_equal(f.vc.callbacks, 1);
	assert_int_equal(seen.freed, 1);
	assert_true(list_empty(&f.vc.desc_completed));
	shutdown(&f);
}

static void test_callback_result_gets_tx_result(void **state)
{
	struct virt_dma_desc *vd;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep_submit(&f, NULL, (void *)3);
	vd->tx.callback_result = record_result;
	vd->tx_result = (struct dmaengine_result){ DMA_TRANS_WRITE_FAILED, 100 };
	issue(&f);
	complete_next(&f);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.result.result, DMA_TRANS_WRITE_FAILED);
	assert_int_equal(seen.result.residue, 100);
	shutdown(&f);
}

static void test_only_descriptors_with_callbacks_are_counted(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	prep_submit(&f, NULL, NULL);
	prep_submit(&f, record, NULL);
	issue(&f);
	complete_next(&f);
	complete_next(&f);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(f.vc.callbacks, 1);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.freed, 2);
	shutdown(&f);
}

/* A callback that queues the next transfer, as a client's completion often does. */
static void resubmit(void *param)
{
	record(param);
	if ((uintptr_t)param == 1) {
		prep_submit(fix, record, (void *)2);
		issue(fix);
	}
}

static void test_callback_may_submit_next_transfer(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	prep_submit(&f, resubmit, (void *)1);
	issue(&f);
	complete_next(&f);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(count(&f.vc.desc_issued), 1);
	complete_next(&f);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 2);
	assert_int_equal(seen.order[1], 2);
	assert_int_equal(sim_violation_count(f.sim), 0);
	shutdown(&f);
}

static void test_reused_descriptor_returns_to_allocated(void **state)
{
	struct virt_dma_desc *vd;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep(&f, DMA_PREP_INTERRUPT | DMA_CTRL_REUSE);
	vd->tx.callback = record;
	assert_int_equal(dmaengine_submit(&vd->tx), DMA_MIN_COOKIE + 1);
	issue(&f);
	complete_next(&f);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 1);
	assert_int_equal(seen.freed, 0);
	assert_true(on_list(vd, &f.vc.desc_allocated));
	assert_int_equal(dmaengine_submit(&vd->tx), DMA_MIN_COOKIE + 2);
	assert_true(on_list(vd, &f.vc.desc_submitted));
	assert_int_equal(vd->tx.desc_free(&vd->tx), 0);	/* the client frees it */
	assert_int_equal(seen.freed, 1);
	assert_true(list_empty(&f.vc.desc_submitted));
	shutdown(&f);
}

static void test_terminated_wait_for_synchronize(void **state)
{
	struct virt_dma_desc *vd;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep_submit(&f, record, NULL);
	issue(&f);
	spin_lock(&f.vc.lock);
	f.vc.cyclic = vd;
	vchan_terminate_vdesc(vd);	/* still on desc_issued: moved off it */
	spin_unlock(&f.vc.lock);
	assert_null(f.vc.cyclic);
	assert_true(list_empty(&f.vc.desc_issued));
	assert_true(on_list(vd, &f.vc.desc_terminated));
	assert_int_equal(seen.freed, 0);
	vchan_synchronize(&f.vc);
	assert_int_equal(seen.freed, 1);
	assert_int_equal(seen.calls, 0);
	assert_true(list_empty(&f.vc.desc_terminated));
	shutdown(&f);
}

static void test_synchronize_cancels_pending_bottom_half(void **state)
{
	struct virt_dma_desc *vd;
	struct fixture f;

	(void)state;
	boot(&f);
	vd = prep_submit(&f, record, NULL);
	issue(&f);
	complete_next(&f);
	assert_true(work_pending(&f.vc.task));
	vchan_synchronize(&f.vc);
	assert_false(work_pending(&f.vc.task));
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(seen.calls, 0);
	assert_true(on_list(vd, &f.vc.desc_completed));	/* left for free_chan_resources */
	vchan_free_chan_resources(&f.vc);
	assert_int_equal(seen.freed, 1);
	shutdown(&f);
}

/* One descriptor on each list, in the order get_all takes them. */
static void fill_every_list(struct fixture *f, struct virt_dma_desc *vd[5])
{
	vd[0] = prep_submit(f, record, NULL);
	vd[1] = prep_submit(f, record, NULL);
	vd[2] = prep_submit(f, record, NULL);
	issue(f);
	complete_next(f);				/* vd[0]: completed */
	spin_lock(&f->vc.lock);
	vchan_terminate_vdesc(vchan_next_desc(&f->vc));	/* vd[1]: terminated */
	spin_unlock(&f->vc.lock);
	vd[3] = prep_submit(f, record, NULL);		/* submitted */
	vd[4] = prep(f, 0);				/* allocated */
}

static void test_get_all_descriptors_takes_every_list(void **state)
{
	struct virt_dma_desc *vd[5], *expect[5];
	struct list_head *p;
	struct fixture f;
	unsigned int i = 0;
	LIST_HEAD(head);

	(void)state;
	boot(&f);
	fill_every_list(&f, vd);
	/* allocated, submitted, issued, completed, terminated */
	expect[0] = vd[4];
	expect[1] = vd[3];
	expect[2] = vd[2];
	expect[3] = vd[0];
	expect[4] = vd[1];
	spin_lock(&f.vc.lock);
	vchan_get_all_descriptors(&f.vc, &head);
	spin_unlock(&f.vc.lock);
	for (p = head.next; p != &head; p = p->next, i++)
		assert_ptr_equal(p, &expect[i]->node);
	assert_int_equal(i, 5);
	assert_true(list_empty(&f.vc.desc_completed));
	assert_true(list_empty(&f.vc.desc_terminated));
	vchan_dma_desc_free_list(&f.vc, &head);
	assert_int_equal(seen.freed, 5);
	assert_true(list_empty(&head));
	cancel_work_sync(&f.vc.task);
	assert_int_equal(seen.calls, 0);
	shutdown(&f);
}

static void test_free_chan_resources_frees_reusable_too(void **state)
{
	struct virt_dma_desc *vd[5];
	struct fixture f;

	(void)state;
	boot(&f);
	fill_every_list(&f, vd);
	vd[4]->tx.flags |= DMA_CTRL_REUSE;
	vd[0]->tx.flags |= DMA_CTRL_REUSE;
	vchan_free_chan_resources(&f.vc);
	assert_int_equal(seen.freed, 5);
	assert_true(list_empty(&f.vc.desc_allocated));
	assert_true(list_empty(&f.vc.desc_terminated));
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);	/* the BH finds nothing */
	assert_int_equal(seen.calls, 0);
	shutdown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_init_links_channel_to_device),
		cmocka_unit_test(test_prep_puts_descriptor_on_allocated),
		cmocka_unit_test(test_submit_assigns_cookies_in_order),
		cmocka_unit_test(test_issue_pending_moves_submitted_to_issued),
		cmocka_unit_test(test_list_operations_assert_lock_held),
		cmocka_unit_test(test_find_desc_finds_issued_only),
		cmocka_unit_test(test_complete_calls_back_in_bh_without_lock),
		cmocka_unit_test(test_callback_result_gets_tx_result),
		cmocka_unit_test(test_only_descriptors_with_callbacks_are_counted),
		cmocka_unit_test(test_callback_may_submit_next_transfer),
		cmocka_unit_test(test_reused_descriptor_returns_to_allocated),
		cmocka_unit_test(test_terminated_wait_for_synchronize),
		cmocka_unit_test(test_synchronize_cancels_pending_bottom_half),
		cmocka_unit_test(test_get_all_descriptors_takes_every_list),
		cmocka_unit_test(test_free_chan_resources_frees_reusable_too),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
