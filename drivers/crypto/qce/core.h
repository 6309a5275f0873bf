/*
 * core.h - the Qualcomm crypto engine driver's device (drivers/crypto/qce/
 * core.h): struct qce_device, its request queue and the operations each
 * algorithm type (skcipher, ahash) provides to it. docs/crypto.md describes
 * the driver.
 */
#ifndef SECSOC_DRIVERS_CRYPTO_QCE_CORE_H
#define SECSOC_DRIVERS_CRYPTO_QCE_CORE_H

#include <secsoc/crypto.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/spinlock.h>
#include <secsoc/timer.h>
#include <secsoc/workqueue.h>

#include "drivers/crypto/qce/dma.h"

#define QCE_MAJOR_VERSION5 5
/* Requests queued before -EBUSY (with CRYPTO_TFM_REQ_MAY_BACKLOG) or -ENOSPC. */
#define QCE_QUEUE_LENGTH 64
/* Requests queued at all, backlog included: beyond this, -ENOSPC regardless. */
#define QCE_QUEUE_MAX 4096
/*
 * The watchdog: a request (or a recovery) whose DMA makes no progress for
 * QCE_REQ_TIMEOUT_MS modelled milliseconds fails with -ETIMEDOUT. It looks
 * every QCE_WATCHDOG_PERIOD_MS; QCE_HANG_CHECKS looks in a row that see
 * no progress make a stall. Progress, not age: long requests are not cut
 * off, and under untimed strategies, where a timer may expire "early",
 * a request that moves is left alone.
 */
#define QCE_REQ_TIMEOUT_MS 50
#define QCE_WATCHDOG_PERIOD_MS 2
#define QCE_HANG_CHECKS (QCE_REQ_TIMEOUT_MS / QCE_WATCHDOG_PERIOD_MS)

/* What the engine is doing. */
enum qce_drv_state {
	QCE_DRV_IDLE,		/* nothing; the queue's head may start */
	QCE_DRV_BUSY,		/* a request's DMA is in flight */
	QCE_DRV_FINISHING,		/* its end is known; the done work will complete it */
	QCE_DRV_RECOVERING,		/* a GOPROC.CLR_CNTXT transaction is in flight */
};

/* Counters, for reports and tests. */
struct qce_stats {
	u64 requests;		/* completed, whatever the result */
	u64 errors;		/* completed with an error */
	u64 timeouts;		/* the watchdog fired on a request */
	u64 dma_errors;		/* a descriptor completed with an error */
	u64 cleared_under_lock;	/* CLR_CNTXT by the CPU while our pipe held the lock */
	u64 recoveries;		/* CLR_CNTXT sent after a stall or DMA error otherwise */
	u64 recovery_timeouts;	/* ... and its transaction stalled too */
};

/**
 * struct qce_device - one crypto engine
 * @dev: its platform device
 * @base: its registers (probe reads VERSION; policy none writes them all)
 * @base_phys: their physical address (command elements and the scratchpad)
 * @version: the VERSION register
 * @pipe_pair_id: BAM pipe pair k of the "rx" (2k) and "tx" (2k + 1) channels
 * @use_cmd: register writes go as command elements (policies v12 and nwd)
 * @use_fence: the last rx descriptor carries NWD (policy nwd)
 * @dma: channels, buffers, the command-element transaction
 * @lock: protects the queue and @req/@state/@result
 * @queue: requests waiting (struct crypto_async_request.list), oldest first
 * @qlen: entries on @queue
 * @backlog: the first backlogged entry of @queue, or @queue itself if none
 * @req: the request on the engine, or NULL
 * @state: see enum qce_drv_state
 * @result: the request's (or the recovery's) error so far
 * @issued: the request's DMA was issued (a failure then needs a recovery)
 * @needs_clear: a recovery was started and has not completed: it is sent
 *	again before the next request starts
 * @done_work: finishes a request or a recovery, then starts the next one
 * @watchdog: per request and per recovery
 * @progress: qce_dma_progress() at the watchdog's last look
 * @stalls: looks in a row that saw no progress
 * @alg_list: the registered struct qce_alg_template
 * @stats: counters
 */
struct qce_device {
	struct device *dev;
	void __iomem *base;
	phys_addr_t base_phys;
	u32 version;
	unsigned int pipe_pair_id;
	bool use_cmd;
	bool use_fence;
	struct qce_dma_data dma;
	spinlock_t lock;
	struct list_head queue;
	unsigned int qlen;
	struct list_head *backlog;
	struct crypto_async_request *req;
	enum qce_drv_state state;
	int result;
	bool issued;
	bool needs_clear;
	struct work_struct done_work;
	struct timer_list watchdog;
	u64 progress;
	unsigned int stalls;
	struct list_head alg_list;
	struct qce_stats stats;
};

/**
 * struct qce_algo_ops - what an algorithm type provides
 * @type: CRYPTO_ALG_TYPE_*
 * @register_algs: register every algorithm of the type
 * @unregister_algs: withdraw them
 * @async_req_handle: map the request and start it on the engine (qce_run);
 *	on error it leaves nothing mapped or queued
 * @async_req_done: the DMA has stopped (finished, failed with @err, or
 *	terminated): unmap, check the status and copy the results out;
 *	returns the request's final result
 */
struct qce_alg_template;

struct qce_algo_ops {
	u32 type;
	/* Register every algorithm of the type with qce_template_register(). */
	int (*register_algs)(struct qce_device *qce);
	int (*async_req_handle)(struct crypto_async_request *async_req);
	int (*async_req_done)(struct crypto_async_request *async_req, int err);
};

/**
 * qce_template_register - register the algorithm in @tmpl (kzalloc'd and
 * filled in by the type's code, crypto_alg_type set) and keep it on the
 * device's list until qce_templates_unregister(); frees @tmpl on failure
 */
int qce_template_register(struct qce_device *qce, struct qce_alg_template *tmpl);
/** qce_templates_unregister - unregister and free every template of @type */
void qce_templates_unregister(struct qce_device *qce, u32 type);

extern const struct qce_algo_ops skcipher_ops;
extern const struct qce_algo_ops ahash_ops;

/**
 * qce_async_request_enqueue - queue @req and start it if the engine is idle
 *
 * Return: -EINPROGRESS (its callback will report), -EBUSY (backlogged:
 * its callback gets -EINPROGRESS when it enters the queue, then the
 * result), -ENOSPC (queue full, not taken).
 */
int qce_async_request_enqueue(struct qce_device *qce, struct crypto_async_request *req);

/** qce_device_of - the engine bound to @np, or NULL */
struct qce_device *qce_device_of(struct kernel *k, const struct dt_node *np);

extern const struct platform_driver qce_crypto_driver;

#endif /* SECSOC_DRIVERS_CRYPTO_QCE_CORE_H */
