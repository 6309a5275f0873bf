/*
 * core.c - the Qualcomm crypto engine driver (drivers/crypto/qce/core.c):
 * probe and remove, the request queue, and the life of the request on the
 * engine: started from the queue, finished by a bottom-half work item once
 * its DMA reported (or failed, or the watchdog fired), which completes it
 * with crypto_request_complete() and starts the next one.
 *
 * One request is on the engine at a time. A request whose DMA failed or
 * stalled leaves the pipes and maybe the engine in the middle of an
 * operation: the engine is cleared (GOPROC.CLR_CNTXT) by the CPU while our
 * own pipe still holds the BAM lock over it, or else by a recovery
 * transaction after both channels were terminated (a pipe reset, which
 * also drops a BAM lock the pipe holds); the next request starts once the
 * engine is clear.
 */
#include <errno.h>
#include <string.h>

#include "drivers/crypto/qce/common.h"
#include "drivers/crypto/qce/core.h"

static const struct qce_algo_ops *const qce_ops[] = {
	&skcipher_ops,
	&ahash_ops,
};

static const struct qce_algo_ops *qce_ops_of(struct crypto_async_request *req)
{
	u32 type = crypto_tfm_alg(req->tfm)->cra_flags & CRYPTO_ALG_TYPE_MASK;

	for (unsigned int i = 0; i < ARRAY_SIZE(qce_ops); i++)
		if (qce_ops[i]->type == type)
			return qce_ops[i];
	always(false, "qce: a request of algorithm type %u", type);
	return NULL;
}

/* ---- the queue: crypto_enqueue_request() and friends, per engine ---- */

static int qce_enqueue(struct qce_device *qce, struct crypto_async_request *req)
{
	int err = -EINPROGRESS;

	lockdep_assert_held(&qce->lock);
	if (qce->qlen >= QCE_QUEUE_MAX)
		return -ENOSPC;
	if (qce->qlen >= QCE_QUEUE_LENGTH) {
		if (!(req->flags & CRYPTO_TFM_REQ_MAY_BACKLOG))
			return -ENOSPC;
		err = -EBUSY;
		if (qce->backlog == &qce->queue)
			qce->backlog = &req->list;
	}
	qce->qlen++;
	list_add_tail(&req->list, &qce->queue);
	return err;
}

/* The oldest request; *backlog is the one that leaves the backlog with it. */
static struct crypto_async_request *qce_dequeue(struct qce_device *qce,
						struct crypto_async_request **backlog)
{
	struct list_head *head = qce->queue.next;

	lockdep_assert_held(&qce->lock);
	*backlog = NULL;
	if (!qce->qlen)
		return NULL;
	if (qce->backlog != &qce->queue) {
		*backlog = list_entry(qce->backlog, struct crypto_async_request, list);
		qce->backlog = qce->backlog->next;
	}
	qce->qlen--;
	list_del_init(head);
	return list_entry(head, struct crypto_async_request, list);
}

static void qce_set_state(struct qce_device *qce, enum qce_drv_state state)
{
	spin_lock_bh(&qce->lock);
	qce->state = state;
	spin_unlock_bh(&qce->lock);
}

/* Start watching the transaction about to be issued (see QCE_REQ_TIMEOUT_MS). */
static void qce_arm_watchdog(struct qce_device *qce)
{
	qce->progress = ~0ULL;	/* the first look always sees progress */
	qce->stalls = 0;
	mod_timer(&qce->watchdog, jiffies + msecs_to_jiffies(QCE_WATCHDOG_PERIOD_MS));
}

/* The request's end is known: the done work completes it. */
static void qce_finish(struct qce_device *qce, int err)
{
	spin_lock_bh(&qce->lock);
	if (qce->state != QCE_DRV_BUSY) {
		spin_unlock_bh(&qce->lock);
		return;
	}
	qce->result = err;
	qce->state = QCE_DRV_FINISHING;
	spin_unlock_bh(&qce->lock);
	queue_work(system_bh_wq, &qce->done_work);
}

static void qce_recover(struct qce_device *qce);

static void qce_start_req(struct qce_device *qce, struct crypto_async_request *req)
{
	int err;

	if (qce->needs_clear) {		/* the last recovery did not complete: again, first */
		qce_recover(qce);
		return;
	}
	qce_arm_watchdog(qce);
	err = qce_ops_of(req)->async_req_handle(req);
	if (!err)
		qce->issued = true;
	else
		qce_finish(qce, err);	/* completed from the work item, not from here */
}

/*
 * Queue @req (if any); if the engine is idle, start the oldest request.
 * Requests start from the submitter or from the done work, never from a
 * DMA callback, so completions do not nest.
 */
static int qce_handle_queue(struct qce_device *qce, struct crypto_async_request *req)
{
	struct crypto_async_request *async_req, *backlog;
	int ret = 0;

	spin_lock_bh(&qce->lock);
	if (req)
		ret = qce_enqueue(qce, req);
	if (qce->state != QCE_DRV_IDLE) {
		spin_unlock_bh(&qce->lock);
		return ret;
	}
	async_req = qce_dequeue(qce, &backlog);
	if (async_req) {
		qce->req = async_req;
		qce->state = QCE_DRV_BUSY;
		qce->result = 0;
		qce->issued = false;
	}
	spin_unlock_bh(&qce->lock);
	if (backlog)
		crypto_request_complete(backlog, -EINPROGRESS);
	if (async_req)
		qce_start_req(qce, async_req);
	return ret;
}

int qce_async_request_enqueue(struct qce_device *qce, struct crypto_async_request *req)
{
	return qce_handle_queue(qce, req);
}

/* ---- completion, errors and recovery ---- */

/* The DMA layer: every descriptor of the transaction reported, or one failed. */
static void qce_dma_done(struct qce_dma_data *dma, int err)
{
	struct qce_device *qce = container_of(dma, struct qce_device, dma);

	if (qce->state == QCE_DRV_BUSY) {
		if (err) {
			qce->stats.dma_errors++;
			dev_err(qce->dev, "a DMA descriptor of the request failed: %d", err);
		}
		qce_finish(qce, err);
	} else if (qce->state == QCE_DRV_RECOVERING) {
		qce->result = err;
		queue_work(system_bh_wq, &qce->done_work);
	}
}

/* Has the transaction stood still for QCE_HANG_CHECKS looks? */
static bool qce_stalled(struct qce_device *qce)
{
	u64 progress = qce_dma_progress(&qce->dma);

	if (progress != qce->progress) {
		qce->progress = progress;
		qce->stalls = 0;
		return false;
	}
	return ++qce->stalls >= QCE_HANG_CHECKS;
}

static void qce_watchdog(struct timer_list *t)
{
	struct qce_device *qce = container_of(t, struct qce_device, watchdog);

	if (qce->state != QCE_DRV_BUSY && qce->state != QCE_DRV_RECOVERING)
		return;		/* finishing: the done work is queued */
	if (!qce_stalled(qce)) {
		mod_timer(&qce->watchdog, jiffies + msecs_to_jiffies(QCE_WATCHDOG_PERIOD_MS));
		return;
	}
	if (qce->state == QCE_DRV_BUSY) {
		qce->stats.timeouts++;
		dev_err(qce->dev, "request made no progress for %u ms: resetting the pipes",
			QCE_REQ_TIMEOUT_MS);
		qce_finish(qce, -ETIMEDOUT);
	} else {
		qce->stats.recovery_timeouts++;
		qce->result = -ETIMEDOUT;
		queue_work(system_bh_wq, &qce->done_work);
	}
}

/*
 * The recovery is over (@err 0: the engine is clear): on with the request
 * that waits for it, if any; if it failed, so does that request, and the
 * recovery is sent again before the next one.
 */
static void qce_recovery_end(struct qce_device *qce, int err)
{
	struct crypto_async_request *req = qce->req;

	qce->needs_clear = err != 0;
	qce_set_state(qce, req ? QCE_DRV_BUSY : QCE_DRV_IDLE);
	if (req && !err)
		qce_start_req(qce, req);
	else if (req)
		qce_finish(qce, err);	/* never issued: it just fails */
}

/*
 * After a failed transfer the engine may still wait for input that will
 * never come, or hold output for a pipe that was reset: CLR_CNTXT abandons
 * that operation and drops its output. Under v12/nwd it is a command
 * transaction of its own (the BAM wraps it in LOCK/UNLOCK, and it has no
 * output descriptor that stale output could reach); the next request starts
 * once it completed.
 */
static void qce_recover(struct qce_device *qce)
{
	int ret;

	qce->stats.recoveries++;
	qce->result = 0;
	qce_set_state(qce, QCE_DRV_RECOVERING);
	ret = qce_clear_context(qce, false);
	if (ret == -EINPROGRESS) {
		qce_arm_watchdog(qce);
		return;
	}
	if (ret)
		dev_err(qce->dev, "cannot send the CLR_CNTXT recovery: %d", ret);
	qce_recovery_end(qce, ret);
}

static void qce_recovery_done(struct qce_device *qce)
{
	int err = qce->result;

	if (err) {
		dev_err(qce->dev, "the CLR_CNTXT recovery failed: %d: resetting the pipes; it is "
			"sent again before the next request", err);
		qce_dma_terminate_all(&qce->dma, false);
	}
	qce_bam_txn_unmap(&qce->dma);
	qce_recovery_end(qce, err);
}

/*
 * Under v12/nwd, if the engine got this request's GO and its last rx
 * descriptor has not finished, the rx pipe still holds the BAM lock: the
 * CPU may then clear the engine (the lock holder's own accesses are not
 * refused), and must, before the pipe reset lets the lock go with the
 * operation still in the engine (invariant 3). Otherwise the engine holds
 * nothing of ours, or the lock is not ours to rely on: a recovery
 * transaction follows the reset.
 */
static bool qce_clear_under_lock(struct qce_device *qce)
{
	if (!qce->use_cmd || !qce_dma_op_in_flight(&qce->dma))
		return false;
	qce_clear_context(qce, true);
	qce->stats.cleared_under_lock++;
	return true;
}

static void qce_req_done(struct qce_device *qce)
{
	struct crypto_async_request *req = qce->req;
	bool failed_dma = qce->issued && qce->result;
	bool recover = failed_dma && !qce_clear_under_lock(qce);
	int err;

	if (failed_dma)
		qce_dma_terminate_all(&qce->dma, false);
	qce_bam_txn_unmap(&qce->dma);
	err = qce_ops_of(req)->async_req_done(req, qce->result);
	spin_lock_bh(&qce->lock);
	qce->req = NULL;
	qce->state = QCE_DRV_IDLE;
	spin_unlock_bh(&qce->lock);
	if (recover)
		qce_recover(qce);	/* before the callback: it may submit more */
	qce->stats.requests++;
	if (err)
		qce->stats.errors++;
	crypto_request_complete(req, err);
}

static void qce_done_work(struct work_struct *work)
{
	struct qce_device *qce = container_of(work, struct qce_device, done_work);

	del_timer_sync(&qce->watchdog);
	if (qce->state == QCE_DRV_FINISHING)
		qce_req_done(qce);
	else if (qce->state == QCE_DRV_RECOVERING)
		qce_recovery_done(qce);
	qce_handle_queue(qce, NULL);
}

/* ---- probe and remove ---- */

int qce_template_register(struct qce_device *qce, struct qce_alg_template *tmpl)
{
	bool skcipher = tmpl->crypto_alg_type == CRYPTO_ALG_TYPE_SKCIPHER;
	struct crypto_alg *base = skcipher ? &tmpl->alg.skcipher.base :
					     &tmpl->alg.ahash.halg.base;
	int ret = skcipher ? crypto_register_skcipher(&tmpl->alg.skcipher) :
			     crypto_register_ahash(&tmpl->alg.ahash);

	if (ret) {
		dev_err(qce->dev, "%s registration failed: %d", base->cra_driver_name, ret);
		kfree(tmpl);
		return ret;
	}
	tmpl->qce = qce;
	list_add_tail(&tmpl->entry, &qce->alg_list);
	return 0;
}

void qce_templates_unregister(struct qce_device *qce, u32 type)
{
	struct qce_alg_template *tmpl, *tmp;

	list_for_each_entry_safe(tmpl, tmp, &qce->alg_list, entry) {
		if (tmpl->crypto_alg_type != type)
			continue;
		if (type == CRYPTO_ALG_TYPE_SKCIPHER)
			crypto_unregister_skcipher(&tmpl->alg.skcipher);
		else
			crypto_unregister_ahash(&tmpl->alg.ahash);
		list_del_init(&tmpl->entry);
		kfree(tmpl);
	}
}

static void qce_unregister_algs(struct qce_device *qce)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qce_ops); i++)
		qce_templates_unregister(qce, qce_ops[i]->type);
}

/* Every type's algorithms, or none: a failure takes back what was registered. */
static int qce_register_algs(struct qce_device *qce)
{
	int ret;

	for (unsigned int i = 0; i < ARRAY_SIZE(qce_ops); i++) {
		ret = qce_ops[i]->register_algs(qce);
		if (ret) {
			qce_unregister_algs(qce);
			return ret;
		}
	}
	return 0;
}

/* 5.0 has alignment rules this driver does not follow; other majors are other engines. */
static int qce_check_version(struct qce_device *qce)
{
	u32 major, minor, step;

	qce_get_version(qce, &major, &minor, &step);
	qce->version = major << 24 | minor << 16 | step;
	if (major != QCE_MAJOR_VERSION5 || minor == 0) {
		dev_err(qce->dev, "crypto engine version %u.%u.%u is not supported (5.1 or later "
			"5.x needed)", major, minor, step);
		return -ENODEV;
	}
	dev_info(qce->dev, "crypto engine version %u.%u.%u", major, minor, step);
	return 0;
}

/* The engine pairs pipes 2k (input) and 2k + 1 (output): CONFIG.PIPE_SET_SELECT = k. */
static int qce_check_pipes(struct qce_device *qce)
{
	int rx = qce->dma.rxchan->chan_id, tx = qce->dma.txchan->chan_id;

	if (rx % 2 || tx != rx + 1) {
		dev_err(qce->dev, "the rx/tx channels are pipes %d/%d; they must be pipes 2k and "
			"2k + 1 of one pipe pair", rx, tx);
		return -EINVAL;
	}
	qce->pipe_pair_id = (unsigned int)rx >> 1;
	return 0;
}

static void qce_init_state(struct qce_device *qce)
{
	enum lock_policy policy = kernel_current()->params.lock_policy;

	qce->use_cmd = policy != LOCK_POLICY_NONE;
	qce->use_fence = policy == LOCK_POLICY_NWD;
	spin_lock_init(&qce->lock);
	qce->lock.name = "qce";
	INIT_LIST_HEAD(&qce->queue);
	qce->backlog = &qce->queue;
	INIT_LIST_HEAD(&qce->alg_list);
	INIT_WORK(&qce->done_work, qce_done_work);
	timer_setup(&qce->watchdog, qce_watchdog, 0);
	qce->state = QCE_DRV_IDLE;
}

static int qce_map_regs(struct platform_device *pdev, struct qce_device *qce)
{
	struct dt_reg reg;

	if (platform_get_resource_reg(pdev, 0, &reg)) {
		dev_err(qce->dev, "no register window ('reg')");
		return -EINVAL;
	}
	qce->base_phys = reg.addr;
	qce->base = ioremap(reg.addr, reg.size);
	return qce->base ? 0 : -ENOMEM;
}

static int qce_crypto_probe(struct platform_device *pdev)
{
	struct qce_device *qce = kzalloc(sizeof(*qce), GFP_KERNEL);
	int ret;

	if (!qce)
		return -ENOMEM;
	qce->dev = &pdev->dev;
	ret = qce_map_regs(pdev, qce);
	if (ret)
		goto free;
	ret = qce_dma_request(qce->dev, &qce->dma, qce_dma_done);
	if (ret)
		goto unmap;
	ret = qce_check_version(qce);
	if (!ret)
		ret = qce_check_pipes(qce);
	if (ret)
		goto release;
	qce_init_state(qce);
	ret = qce_register_algs(qce);
	if (ret) {
		dev_err(qce->dev, "cannot register the algorithms: %d", ret);
		goto release;
	}
	platform_set_drvdata(pdev, qce);
	return 0;
release:
	qce_dma_release(&qce->dma);
unmap:
	iounmap(qce->base);
free:
	kfree(qce);
	return ret;
}

static void qce_crypto_remove(struct platform_device *pdev)
{
	struct qce_device *qce = platform_get_drvdata(pdev);

	qce_unregister_algs(qce);
	always(!qce->req && !qce->qlen, "qce: removed with requests on it");
	del_timer_sync(&qce->watchdog);
	cancel_work_sync(&qce->done_work);
	qce_dma_release(&qce->dma);	/* also ends a recovery in flight */
	iounmap(qce->base);
	kfree(qce);
}

struct qce_device *qce_device_of(struct kernel *k, const struct dt_node *np)
{
	struct device *dev = driver_core_bound_device(&k->dc, np);

	return dev && dev->driver == &qce_crypto_driver ? dev_get_drvdata(dev) : NULL;
}

static const struct of_device_id qce_crypto_of_match[] = {
	{ .compatible = "qcom,crypto-v5.1" },
	{ .compatible = "qcom,crypto-v5.4" },
	{ .compatible = "qcom,qce" },
	{ 0 },
};

const struct platform_driver qce_crypto_driver = {
	.name = "qcrypto",
	.of_match_table = qce_crypto_of_match,
	.probe = qce_crypto_probe,
	.remove = qce_crypto_remove,
};
