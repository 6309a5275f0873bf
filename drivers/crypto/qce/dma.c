/*
 * dma.c - the crypto engine driver's DMA layer (drivers/crypto/qce/dma.c
 * plus the command-descriptor part of the locking series, reference §3.3).
 *
 * Owns the two channels, the result/pending buffer, the flat scatterlists
 * of the request in flight and the command-element transaction. Every
 * descriptor that gets a callback is counted; when the last one reports,
 * or any one reports an error, the engine's done hook is told (from the
 * channel's bottom half).
 */
#include <errno.h>
#include <string.h>

#include <secsoc/sim.h>

#include "drivers/crypto/qce/dma.h"

/* ---- channels and buffers ---- */

static struct dma_chan *qce_request_chan(struct device *dev, const char *name, int *ret)
{
	struct dma_chan *chan = dma_request_chan(dev, name);

	if (!IS_ERR(chan))
		return chan;
	*ret = (int)PTR_ERR(chan);
	if (*ret != -EPROBE_DEFER)	/* normal until the BAM has probed */
		dev_err(dev, "cannot get the \"%s\" DMA channel: %d", name, *ret);
	return NULL;
}

int qce_dma_request(struct device *dev, struct qce_dma_data *dma, qce_dma_done_t done)
{
	int ret = 0;

	dma->dev = dev;
	dma->done = done;
	dma->rxchan = qce_request_chan(dev, "rx", &ret);
	if (!dma->rxchan)
		return ret;
	dma->txchan = qce_request_chan(dev, "tx", &ret);
	if (!dma->txchan)
		goto release_rx;
	ret = -ENOMEM;
	dma->result_buf = kzalloc(QCE_RESULT_BUF_SZ + QCE_PENDING_BUF_SZ, GFP_KERNEL);
	if (!dma->result_buf)
		goto release_tx;
	dma->pending_buf = dma->result_buf + QCE_RESULT_BUF_SZ;
	dma->txn.ce = kcalloc(QCE_BAM_CMD_ELEMENTS_MAX, sizeof(*dma->txn.ce), GFP_KERNEL);
	if (!dma->txn.ce)
		goto free_result;
	return 0;
free_result:
	kfree(dma->result_buf);
release_tx:
	dma_release_channel(dma->txchan);
release_rx:
	dma_release_channel(dma->rxchan);
	return ret;
}

void qce_dma_release(struct qce_dma_data *dma)
{
	qce_dma_terminate_all(dma, true);
	qce_bam_txn_unmap(dma);
	dma_release_channel(dma->txchan);
	dma_release_channel(dma->rxchan);
	kfree(dma->txn.ce);
	kfree(dma->result_buf);
}

/* ---- flat scatterlists ---- */

/* Entries of @src holding its first @len bytes, or -EINVAL if it is shorter. */
static int qce_sg_count(struct scatterlist *src, unsigned int len)
{
	unsigned int n = 0;

	for (; len && src; src = sg_next(src)) {
		if (!src->length)
			continue;
		len -= MIN(len, src->length);
		n++;
	}
	return len ? -EINVAL : (int)n;
}

/*
 * The engine sees one stream of bytes per direction; the BAM takes a flat
 * list of non-empty entries. A request's data list is copied entry by entry
 * (trimmed to @len), with the driver's own buffers around it (Linux chains
 * or appends them: qce_sgtable_add()).
 */
int qce_sg_build(struct qce_sg *sg, const void *head, unsigned int head_len,
		 struct scatterlist *src, unsigned int len, const void *tail,
		 unsigned int tail_len)
{
	int n = qce_sg_count(src, len);
	struct scatterlist *out;
	unsigned int nents;

	memset(sg, 0, sizeof(*sg));
	if (n < 0)
		return n;
	nents = (unsigned int)n + !!head_len + !!tail_len;
	if (nents > QCE_SG_NENTS_MAX)
		return -EINVAL;
	if (!nents)
		return 0;
	sg->sgl = kcalloc(nents, sizeof(*sg->sgl), GFP_ATOMIC);
	if (!sg->sgl)
		return -ENOMEM;
	sg_init_table(sg->sgl, nents);
	out = sg->sgl;
	if (head_len)
		sg_set_buf(out++, head, head_len);
	for (; len; src = sg_next(src)) {
		unsigned int chunk = MIN(len, src->length);

		if (!chunk)
			continue;
		sg_set_buf(out++, sg_virt(src), chunk);
		len -= chunk;
	}
	if (tail_len)
		sg_set_buf(out, tail, tail_len);
	sg->nents = nents;
	return 0;
}

int qce_sg_copy(void *buf, struct scatterlist *sg, unsigned int skip, unsigned int len)
{
	u8 *out = buf;

	if (qce_sg_count(sg, skip + len) < 0)
		return -EINVAL;
	for (; len; sg = sg_next(sg)) {
		unsigned int chunk;

		if (skip >= sg->length) {
			skip -= sg->length;
			continue;
		}
		chunk = MIN(len, sg->length - skip);
		memcpy(out, (u8 *)sg_virt(sg) + skip, chunk);
		out += chunk;
		len -= chunk;
		skip = 0;
	}
	return 0;
}

int qce_sg_map(struct qce_dma_data *dma, struct qce_sg *sg, enum dma_data_direction dir)
{
	if (!sg->nents)
		return 0;
	if (!dma_map_sg(dma->dev, sg->sgl, (int)sg->nents, dir))
		return -ENOMEM;
	sg->dir = dir;
	sg->mapped = true;
	return 0;
}

void qce_sg_free(struct qce_dma_data *dma, struct qce_sg *sg)
{
	if (sg->mapped)
		dma_unmap_sg(dma->dev, sg->sgl, (int)sg->nents, sg->dir);
	kfree(sg->sgl);
	memset(sg, 0, sizeof(*sg));
}

/* ---- data descriptors ---- */

/* Every descriptor with a callback reports here, from its channel's bottom half. */
static void qce_dma_desc_done(void *param, const struct dmaengine_result *result)
{
	struct qce_dma_xfer *x = param;
	struct qce_dma_data *dma = x->dma;

	x->failed = result && result->result != DMA_TRANS_NOERROR;
	x->ok = !x->failed;
	always(dma->pending > 0, "qce: a DMA callback with no descriptor outstanding");
	dma->pending--;
	if (x->failed)
		dma->done(dma, -EIO);
	else if (!dma->pending)
		dma->done(dma, 0);
}

void qce_dma_begin(struct qce_dma_data *dma)
{
	dma->pending = 0;
	dma->nr_xfer = 0;
}

/*
 * Submit @desc as the transaction's next descriptor, with the completion
 * callback when @callback.
 */
static int qce_dma_submit(struct qce_dma_data *dma, struct dma_async_tx_descriptor *desc,
			  bool cmd, bool callback)
{
	struct qce_dma_xfer *x = &dma->xfer[dma->nr_xfer];
	dma_cookie_t cookie;

	always(dma->nr_xfer < QCE_DMA_XFER_DESCS, "qce: more than %u descriptors in a transaction",
	       QCE_DMA_XFER_DESCS);
	if (dma->nr_xfer >= QCE_DMA_XFER_DESCS)
		return -EINVAL;
	*x = (struct qce_dma_xfer){ .dma = dma, .chan = desc->chan, .cmd = cmd };
	if (callback) {
		desc->callback_result = qce_dma_desc_done;
		desc->callback_param = x;
	}
	cookie = dmaengine_submit(desc);
	if (dma_submit_error(cookie))
		return dma_submit_error(cookie);
	x->cookie = cookie;
	dma->nr_xfer++;
	if (callback)
		dma->pending++;
	return 0;
}

/* Has the hardware run through @x (completed, or retired with its interrupt lost)? */
static bool qce_dma_xfer_retired(const struct qce_dma_xfer *x, u32 *residue)
{
	struct dma_tx_state state = { 0 };

	if (dmaengine_tx_status(x->chan, x->cookie, &state) == DMA_COMPLETE)
		state.residue = 0;
	*residue = state.residue;
	return !state.residue;
}

u64 qce_dma_progress(struct qce_dma_data *dma)
{
	u64 left = dma->pending;
	u32 residue;

	for (unsigned int i = 0; i < dma->nr_xfer; i++) {
		qce_dma_xfer_retired(&dma->xfer[i], &residue);
		left += residue;
	}
	return left;
}

bool qce_dma_op_in_flight(struct qce_dma_data *dma)
{
	const struct qce_dma_xfer *cmd = NULL, *rx_last = NULL;
	u32 residue;

	for (unsigned int i = 0; i < dma->nr_xfer; i++) {
		if (dma->xfer[i].cmd)
			cmd = &dma->xfer[i];
		if (dma->xfer[i].chan == dma->rxchan)
			rx_last = &dma->xfer[i];
	}
	if (!cmd || !qce_dma_xfer_retired(cmd, &residue) || cmd->failed)
		return false;	/* no GO of ours reached the engine */
	if (rx_last->failed)
		return true;
	return !rx_last->ok && !qce_dma_xfer_retired(rx_last, &residue);
}

static int qce_dma_prep_sg(struct qce_dma_data *dma, struct dma_chan *chan,
			   const struct qce_sg *sg, enum dma_transfer_direction dir,
			   unsigned long flags)
{
	struct dma_async_tx_descriptor *desc;

	desc = dmaengine_prep_slave_sg(chan, sg->sgl, sg->nents, dir, flags);
	if (!desc)
		return -ENOMEM;
	return qce_dma_submit(dma, desc, false, true);
}

int qce_dma_prep_sgs(struct qce_dma_data *dma, const struct qce_sg *rx, const struct qce_sg *tx,
		     unsigned long rx_flags)
{
	int ret = 0;

	if (rx->nents)
		ret = qce_dma_prep_sg(dma, dma->rxchan, rx, DMA_MEM_TO_DEV,
				      DMA_PREP_INTERRUPT | rx_flags);
	if (!ret)
		ret = qce_dma_prep_sg(dma, dma->txchan, tx, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT);
	return ret;
}

void qce_dma_issue_pending(struct qce_dma_data *dma, bool tx_first)
{
	if (tx_first)
		dma_async_issue_pending(dma->txchan);
	dma_async_issue_pending(dma->rxchan);
	if (!tx_first)
		dma_async_issue_pending(dma->txchan);
}

/*
 * A pipe reset (what terminating a channel with work in its FIFO does)
 * also releases a BAM lock the pipe holds. The async form is what a bottom
 * half may call (synchronize may sleep); it is enough there because the
 * BAM driver frees every descriptor of the channel at once, completed ones
 * included, so none of their callbacks can run afterwards. Remove, in
 * process context, uses the sync form.
 */
void qce_dma_terminate_all(struct qce_dma_data *dma, bool sync)
{
	if (sync) {
		dmaengine_terminate_sync(dma->rxchan);
		dmaengine_terminate_sync(dma->txchan);
	} else {
		dmaengine_terminate_async(dma->rxchan);
		dmaengine_terminate_async(dma->txchan);
	}
	dma->pending = 0;
}

/* ---- command elements (the locking series) ---- */

void qce_bam_txn_clear(struct qce_dma_data *dma)
{
	qce_bam_txn_unmap(dma);
	dma->txn.count = 0;
}

void qce_write_dma(struct qce_dma_data *dma, phys_addr_t addr, u32 val)
{
	struct qce_bam_txn *txn = &dma->txn;

	always(txn->count < QCE_BAM_CMD_ELEMENTS_MAX && !txn->mapped,
	       "qce: command element %u of at most %u (mapped %u)", txn->count,
	       QCE_BAM_CMD_ELEMENTS_MAX, txn->mapped);
	if (txn->count >= QCE_BAM_CMD_ELEMENTS_MAX || txn->mapped)
		return;
	bam_prep_ce(&txn->ce[txn->count++], (u32)addr, BAM_WRITE_COMMAND, val);
}

/*
 * One 16-byte entry per element, so the BAM driver makes one command
 * descriptor per register write; the metadata names the scratchpad for the
 * BAM's LOCK/UNLOCK (and is ignored where the BAM or the policy cannot lock).
 */
int qce_submit_cmd_desc(struct qce_dma_data *dma, phys_addr_t scratchpad, unsigned long flags)
{
	struct bam_desc_metadata meta = {
		.scratchpad_addr = scratchpad,
		.direction = DMA_MEM_TO_DEV,
	};
	struct qce_bam_txn *txn = &dma->txn;
	struct dma_async_tx_descriptor *desc;
	int ret;

	if (!txn->count)
		return -EINVAL;
	sg_init_table(txn->sgl, txn->count);
	for (unsigned int i = 0; i < txn->count; i++)
		sg_set_buf(&txn->sgl[i], &txn->ce[i], sizeof(txn->ce[i]));
	if (!dma_map_sg(dma->dev, txn->sgl, (int)txn->count, DMA_TO_DEVICE))
		return -ENOMEM;
	txn->mapped = txn->count;
	desc = dmaengine_prep_slave_sg(dma->rxchan, txn->sgl, txn->count, DMA_MEM_TO_DEV,
				       DMA_PREP_CMD | flags);
	if (!desc)
		return -ENOMEM;
	ret = dmaengine_desc_attach_metadata(desc, &meta, sizeof(meta));
	if (ret) {
		dev_err(dma->dev, "the BAM refused the lock metadata: %d", ret);
		return ret;
	}
	return qce_dma_submit(dma, desc, true, flags & DMA_PREP_INTERRUPT);
}

void qce_bam_txn_unmap(struct qce_dma_data *dma)
{
	struct qce_bam_txn *txn = &dma->txn;

	if (!txn->mapped)
		return;
	dma_unmap_sg(dma->dev, txn->sgl, (int)txn->mapped, DMA_TO_DEVICE);
	txn->mapped = 0;
}
