/*
 * dma.h - the crypto engine driver's DMA layer (drivers/crypto/qce/dma.h):
 * the "rx" and "tx" channels, the result buffer the engine dumps its state
 * into, flat scatterlists built for one request, and the locking series'
 * command-element transaction through which register writes reach the
 * engine as BAM command descriptors (../shared/reference/bam-qce-facts.md
 * §3.3).
 */
#ifndef SECSOC_DRIVERS_CRYPTO_QCE_DMA_H
#define SECSOC_DRIVERS_CRYPTO_QCE_DMA_H

#include <secsoc/dma/qcom_bam_dma.h>
#include <secsoc/dmaengine.h>
#include <secsoc/qce.h>

/* The result dump: 26 words, padded to whole 64-byte bursts (QCE_RESULT_BUF_SZ). */
#define QCE_RESULT_BUF_SZ QCE_RESULT_DUMP_BYTES
/* Held-back hash bytes sent ahead of a request's own data. */
#define QCE_PENDING_BUF_SZ 64
/* Command elements of one transaction (the series' QCE_BAM_CMD_ELEMENTS_MAX). */
#define QCE_BAM_CMD_ELEMENTS_MAX 128
/* Descriptors of one transaction: the commands, the input, the output. */
#define QCE_DMA_XFER_DESCS 3
/* Entries of a request's flat scatterlist (as Linux's QCE_MAX_SG_NENTS, generous). */
#define QCE_SG_NENTS_MAX 4096

/**
 * struct qce_bam_txn - register writes queued as BAM command elements
 * @ce: the elements, in kernel memory (the BAM reads them)
 * @sgl: one 16-byte entry per element, so each becomes one descriptor
 * @count: elements queued since the last qce_bam_txn_clear()
 * @mapped: entries mapped for the descriptor in flight, 0 when none
 */
struct qce_bam_txn {
	struct bam_cmd_element *ce;
	struct scatterlist sgl[QCE_BAM_CMD_ELEMENTS_MAX];
	unsigned int count;
	unsigned int mapped;
};

/**
 * struct qce_sg - a flat scatterlist built for one request
 * @sgl: @nents entries (NULL when there is nothing to transfer)
 * @nents: entries
 * @dir: the direction it is mapped for
 * @mapped: dma_map_sg() succeeded and no unmap since
 */
struct qce_sg {
	struct scatterlist *sgl;
	unsigned int nents;
	enum dma_data_direction dir;
	bool mapped;
};

struct qce_dma_data;

/**
 * struct qce_dma_xfer - a descriptor of the transaction, for the watchdog
 * and the recovery
 * @dma: the DMA data it belongs to (its callback's parameter is the xfer)
 * @chan: its channel
 * @cookie: its cookie
 * @cmd: it carries the register writes (v12/nwd)
 * @ok: its callback reported success
 * @failed: its callback reported an error
 */
struct qce_dma_xfer {
	struct qce_dma_data *dma;
	struct dma_chan *chan;
	dma_cookie_t cookie;
	bool cmd;
	bool ok;
	bool failed;
};

/* Called when a transaction finished (@err 0) or a descriptor failed (@err -EIO). */
typedef void (*qce_dma_done_t)(struct qce_dma_data *dma, int err);

/**
 * struct qce_dma_data - the engine's DMA resources
 * @dev: the crypto engine's device (mappings are made for it)
 * @rxchan: memory to the engine (BAM consumer pipe 2k)
 * @txchan: the engine to memory (BAM producer pipe 2k + 1)
 * @result_buf: QCE_RESULT_BUF_SZ bytes the engine dumps into, followed by
 *	QCE_PENDING_BUF_SZ bytes of held-back hash input; kernel memory
 * @pending_buf: the second part of that allocation
 * @txn: the command-element transaction (policies v12 and nwd)
 * @done: what to tell when the descriptors with callbacks completed
 * @pending: descriptors of the transaction whose callback has not run yet
 * @xfer: the descriptors submitted for the transaction, for its progress
 * @nr_xfer: how many
 */
struct qce_dma_data {
	struct device *dev;
	struct dma_chan *rxchan;
	struct dma_chan *txchan;
	u8 *result_buf;
	u8 *pending_buf;
	struct qce_bam_txn txn;
	qce_dma_done_t done;
	unsigned int pending;
	struct qce_dma_xfer xfer[QCE_DMA_XFER_DESCS];
	unsigned int nr_xfer;
};

/**
 * qce_dma_request - get the "rx" and "tx" channels and the buffers
 *
 * Return: 0, -EPROBE_DEFER while the BAM has not probed, the channel
 * lookup's error, or -ENOMEM; nothing is held on error.
 */
int qce_dma_request(struct device *dev, struct qce_dma_data *dma, qce_dma_done_t done);
/** qce_dma_release - terminate both channels, give them and the buffers back */
void qce_dma_release(struct qce_dma_data *dma);

/**
 * qce_sg_build - make @sg a flat list of @head_len bytes at @head, the first
 * @len bytes of @src, then @tail_len bytes at @tail (both kernel memory)
 *
 * Return: 0 (with no entries when everything is empty), -EINVAL when @src
 * holds fewer than @len bytes or the list would exceed QCE_SG_NENTS_MAX
 * entries, or -ENOMEM.
 */
int qce_sg_build(struct qce_sg *sg, const void *head, unsigned int head_len,
		 struct scatterlist *src, unsigned int len, const void *tail,
		 unsigned int tail_len);
/**
 * qce_sg_copy - copy @len bytes of @sg, starting @skip bytes in, to @buf
 * (scatterwalk_map_and_copy)
 *
 * Return: 0, or -EINVAL when the list holds fewer than @skip + @len bytes
 * (then nothing is copied).
 */
int qce_sg_copy(void *buf, struct scatterlist *sg, unsigned int skip, unsigned int len);
/** qce_sg_map - map @sg for @dir. Return: 0 or -ENOMEM */
int qce_sg_map(struct qce_dma_data *dma, struct qce_sg *sg, enum dma_data_direction dir);
/** qce_sg_free - unmap @sg if mapped and free its entries */
void qce_sg_free(struct qce_dma_data *dma, struct qce_sg *sg);

/** qce_dma_begin - a new transaction: no descriptor with a callback yet */
void qce_dma_begin(struct qce_dma_data *dma);
/**
 * qce_dma_prep_sgs - prepare and submit the data descriptors
 * @rx: the input (may be empty); prepared with DMA_PREP_INTERRUPT | @rx_flags
 * @tx: the output, the result buffer last; prepared with DMA_PREP_INTERRUPT
 *
 * Both get completion callbacks. Return: 0 or -ENOMEM / the submit error.
 */
int qce_dma_prep_sgs(struct qce_dma_data *dma, const struct qce_sg *rx, const struct qce_sg *tx,
		     unsigned long rx_flags);
/** qce_dma_issue_pending - start both channels, "tx" first when @tx_first */
void qce_dma_issue_pending(struct qce_dma_data *dma, bool tx_first);
/**
 * qce_dma_progress - a number that decreases whenever the transaction
 * moves: the bytes its descriptors still have to transfer (their residue)
 * plus the callbacks still due
 */
u64 qce_dma_progress(struct qce_dma_data *dma);
/**
 * qce_dma_op_in_flight - after a failure, before any terminate: did the
 * engine get the transaction's GO (its command descriptor ran) while its
 * last rx descriptor has not finished? Then, under nwd, that rx descriptor
 * holds back everything behind it, UNLOCK included: the rx pipe still
 * holds the BAM lock, and the engine runs this transaction's operation.
 */
bool qce_dma_op_in_flight(struct qce_dma_data *dma);
/**
 * qce_dma_terminate_all - stop both channels and free their descriptors
 * @sync: also wait for callbacks still running (process context only)
 */
void qce_dma_terminate_all(struct qce_dma_data *dma, bool sync);

/** qce_bam_txn_clear - forget the queued command elements (the previous ones are unmapped) */
void qce_bam_txn_clear(struct qce_dma_data *dma);
/** qce_write_dma - queue a write of @val to the register at physical @addr */
void qce_write_dma(struct qce_dma_data *dma, phys_addr_t addr, u32 val);
/**
 * qce_submit_cmd_desc - map the queued command elements and submit them
 * on "rx" as one command descriptor transaction
 * @scratchpad: the register the BAM's LOCK/UNLOCK dummy writes target
 * @flags: extra prep flags; with DMA_PREP_INTERRUPT it gets a callback
 *
 * Return: 0, or -ENOMEM, the metadata attach or submit error.
 */
int qce_submit_cmd_desc(struct qce_dma_data *dma, phys_addr_t scratchpad, unsigned long flags);
/** qce_bam_txn_unmap - unmap the command elements of the last submit, if mapped */
void qce_bam_txn_unmap(struct qce_dma_data *dma);

#endif /* SECSOC_DRIVERS_CRYPTO_QCE_DMA_H */
