/*
 * bam_dma.c - the Qualcomm BAM DMA engine driver (drivers/dma/qcom/bam_dma.c
 * in Linux): probe from the device tree, global and per-pipe hardware
 * init, prep_slave_sg, the descriptor FIFO, interrupt handling and
 * retirement by P_SW_OFSTS, residue, pause/resume/terminate.
 *
 * Pipe locking (the series under review) lives in bam_dma_lock.c; this
 * file calls into it at the same places the series hooks the driver:
 * issue_pending, the bottom half, the FIFO fill and retirement.
 *
 * Register layouts and bit fields come from <secsoc/bam.h>, the one
 * description of the hardware interface that the model decodes too.
 *
 * Where this driver departs from mainline, it says so next to the code and
 * in docs/dma.md: the FIFO space is computed for the 4095-slot ring it
 * really is, a transfer longer than the ring still interrupts, error
 * interrupts complete the affected descriptors with an error result, and
 * residue counts what the hardware already retired.
 */
#include <errno.h>
#include <string.h>

#include "drivers/dma/bam_dma.h"

static void __iomem *bam_addr(struct bam_device *bdev, u32 pipe, enum bam_reg reg)
{
	return bdev->regs + bam_reg_offset(bdev->dev_data->version, reg, pipe, bdev->ee);
}

/* Free slots in the ring; one always stays empty (see MAX_DESCRIPTORS). */
static u32 bam_fifo_space(const struct bam_chan *bchan)
{
	return MAX_DESCRIPTORS - 1 -
	       (bchan->tail + MAX_DESCRIPTORS - bchan->head) % MAX_DESCRIPTORS;
}

static bool bam_chan_busy(const struct bam_chan *bchan)
{
	return bam_fifo_space(bchan) == 0;
}

/* Descriptors the hardware retired since @bchan->head. */
static u32 bam_hw_retired(struct bam_chan *bchan)
{
	u32 offset = readl_relaxed(bam_addr(bchan->bdev, bchan->id, BAM_P_SW_OFSTS)) &
		     BAM_P_SW_OFSTS_OFFSET;

	offset /= sizeof(struct bam_desc);
	return (offset + MAX_DESCRIPTORS - bchan->head) % MAX_DESCRIPTORS;
}

/* ---- hardware init ---- */

static void bam_reset(struct bam_device *bdev)
{
	u32 val = readl_relaxed(bam_addr(bdev, 0, BAM_CTRL));

	val |= BAM_CTRL_SW_RST;
	writel_relaxed(val, bam_addr(bdev, 0, BAM_CTRL));
	val &= ~BAM_CTRL_SW_RST;
	writel_relaxed(val, bam_addr(bdev, 0, BAM_CTRL));
	/* The reset must land before the enable. */
	wmb();
	val |= BAM_CTRL_BAM_EN;
	writel_relaxed(val, bam_addr(bdev, 0, BAM_CTRL));
	writel_relaxed(BAM_DEFAULT_CNT_THRSHLD, bam_addr(bdev, 0, BAM_DESC_CNT_TRSHLD));
	writel_relaxed(BAM_CNFG_BITS_DEFAULT, bam_addr(bdev, 0, BAM_CNFG_BITS));
	writel_relaxed(BAM_IRQ_ERROR | BAM_IRQ_HRESP_ERR, bam_addr(bdev, 0, BAM_IRQ_EN));
	writel_relaxed(BAM_IRQ_SRCS_BAM, bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
}

static void bam_reset_channel(struct bam_chan *bchan)
{
	struct bam_device *bdev = bchan->bdev;

	lockdep_assert_held(&bchan->vc.lock);
	writel_relaxed(1, bam_addr(bdev, bchan->id, BAM_P_RST));
	writel_relaxed(0, bam_addr(bdev, bchan->id, BAM_P_RST));
	/* The reset must finish before anything else touches the pipe. */
	wmb();
	bchan->initialized = false;
}

/**
 * bam_chan_init_hw - reset pipe @bchan and program its FIFO, interrupts and
 * direction; P_CTRL is written last, which enables the pipe
 */
static void bam_chan_init_hw(struct bam_chan *bchan, enum dma_transfer_direction dir)
{
	struct bam_device *bdev = bchan->bdev;
	u32 val;

	bam_reset_channel(bchan);
	writel_relaxed((u32)ALIGN_UP(bchan->fifo_phys, sizeof(struct bam_desc)),
		       bam_addr(bdev, bchan->id, BAM_P_DESC_FIFO_ADDR));
	writel_relaxed(BAM_FIFO_SIZE, bam_addr(bdev, bchan->id, BAM_P_FIFO_SIZES));
	writel_relaxed(P_DEFAULT_IRQS_EN, bam_addr(bdev, bchan->id, BAM_P_IRQ_EN));
	val = readl_relaxed(bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
	val |= BIT(bchan->id);
	writel_relaxed(val, bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
	/* The reset cleared P_HALT: a paused channel stays paused. */
	if (bchan->paused)
		writel_relaxed(1, bam_addr(bdev, bchan->id, BAM_P_HALT));
	/* Everything above must be in place before the pipe is enabled. */
	wmb();
	val = BAM_P_EN | BAM_P_SYS_MODE;
	if (dir == DMA_DEV_TO_MEM)
		val |= BAM_P_DIRECTION;
	writel_relaxed(val, bam_addr(bdev, bchan->id, BAM_P_CTRL));
	bchan->initialized = true;
	bchan->error_halt = false;
	bchan->head = 0;
	bchan->tail = 0;
}

/* ---- channel resources ---- */

static int bam_alloc_chan(struct dma_chan *chan)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	struct bam_device *bdev = bchan->bdev;

	if (bchan->fifo_virt)
		return 0;
	bchan->fifo_virt = dma_alloc_wc(bdev->dev, BAM_DESC_FIFO_SIZE, &bchan->fifo_phys,
					GFP_KERNEL);
	if (!bchan->fifo_virt) {
		dev_err(bdev->dev, "Failed to allocate desc fifo");
		return -ENOMEM;
	}
	if (bdev->active_channels++ == 0 && bdev->powered_remotely)
		bam_reset(bdev);
	return 0;
}

static void bam_free_chan(struct dma_chan *chan)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	struct bam_device *bdev = bchan->bdev;
	unsigned long flags;
	u32 val;

	vchan_free_chan_resources(to_virt_chan(chan));
	if (!list_empty(&bchan->desc_list)) {
		dev_err(bchan->bdev->dev, "Cannot free busy channel");
		return;
	}
	spin_lock_irqsave(&bchan->vc.lock, flags);
	bam_reset_channel(bchan);
	spin_unlock_irqrestore(&bchan->vc.lock, flags);
	dma_free_wc(bdev->dev, BAM_DESC_FIFO_SIZE, bchan->fifo_virt, bchan->fifo_phys);
	bchan->fifo_virt = NULL;
	val = readl_relaxed(bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
	val &= ~BIT(bchan->id);
	writel_relaxed(val, bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
	writel_relaxed(0, bam_addr(bdev, bchan->id, BAM_P_IRQ_EN));
	bchan->scratchpad_addr = 0;
	if (--bdev->active_channels == 0 && bdev->powered_remotely) {
		val = readl_relaxed(bam_addr(bdev, 0, BAM_CTRL));
		val |= BAM_CTRL_SW_RST;
		writel_relaxed(val, bam_addr(bdev, 0, BAM_CTRL));
	}
}

static int bam_slave_config(struct dma_chan *chan, struct dma_slave_config *cfg)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	unsigned long flag;

	spin_lock_irqsave(&bchan->vc.lock, flag);
	bchan->slave = *cfg;
	bchan->reconfigure = true;
	spin_unlock_irqrestore(&bchan->vc.lock, flag);
	return 0;
}

/* The new DESC_CNT_TRSHLD; a remotely controlled BAM is not ours to set. */
static void bam_apply_new_config(struct bam_chan *bchan, enum dma_transfer_direction dir)
{
	struct bam_device *bdev = bchan->bdev;
	u32 maxburst;

	if (!bdev->controlled_remotely) {
		maxburst = dir == DMA_DEV_TO_MEM ? bchan->slave.src_maxburst :
						   bchan->slave.dst_maxburst;
		writel_relaxed(maxburst, bam_addr(bdev, 0, BAM_DESC_CNT_TRSHLD));
	}
	bchan->reconfigure = false;
}

/* ---- descriptors ---- */

/* The hardware descriptors @sgl needs, or 0 when the list is unusable. */
static u32 bam_count_descs(struct bam_device *bdev, struct scatterlist *sgl,
			   unsigned int sg_len)
{
	struct scatterlist *sg;
	unsigned int i;
	u64 num = 0;

	if (!sgl || sg_len == 0 || sg_len > SG_MAX_ENTRIES) {
		dev_err(bdev->dev, "invalid scatterlist: %s",
			!sgl ? "NULL" : sg_len ? "too many entries" : "no entries");
		return 0;
	}
	for_each_sg(sgl, sg, sg_len, i) {
		if (!sg) {
			dev_err(bdev->dev, "scatterlist ends after %u of %u entries", i, sg_len);
			return 0;
		}
		if (!sg_dma_len(sg)) {
			dev_err(bdev->dev, "scatterlist entry %u has length 0", i);
			return 0;
		}
		num += DIV_ROUND_UP(sg_dma_len(sg), BAM_FIFO_SIZE);
	}
	if (num > BAM_MAX_DESCS_PER_TX) {
		dev_err(bdev->dev, "transfer needs %llu descriptors, more than %u",
			(unsigned long long)num, BAM_MAX_DESCS_PER_TX);
		return 0;
	}
	return (u32)num;
}

/* Split every entry of @sgl into descriptors of at most BAM_FIFO_SIZE bytes. */
static void bam_fill_descs(struct bam_async_desc *async_desc, struct scatterlist *sgl,
			   unsigned int sg_len, unsigned long flags)
{
	struct bam_desc *desc = async_desc->desc;
	struct scatterlist *sg;
	unsigned int i;

	for_each_sg(sgl, sg, sg_len, i) {
		u32 remainder = sg_dma_len(sg);
		u32 curr_offset = 0;

		do {
			u32 size = MIN(remainder, (u32)BAM_FIFO_SIZE);

			desc->flags = flags & DMA_PREP_CMD ? cpu_to_le16(BAM_DESC_CMD) : 0;
			desc->addr = cpu_to_le32((u32)(sg_dma_address(sg) + curr_offset));
			desc->size = cpu_to_le16((u16)size);
			async_desc->length += size;
			remainder -= size;
			curr_offset += size;
			desc++;
		} while (remainder > 0);
	}
}

/**
 * bam_prep_slave_sg - a descriptor for @sgl on @chan
 * @flags: DMA_PREP_INTERRUPT puts EOT, DMA_PREP_FENCE puts NWD on the last
 *	hardware descriptor; DMA_PREP_CMD makes every one a command descriptor
 *
 * Return: the descriptor, or NULL (with the reason in the device's log) for
 * a bad direction, a NULL, empty or over-long list, a zero-length entry, or
 * no memory.
 */
static struct dma_async_tx_descriptor *bam_prep_slave_sg(struct dma_chan *chan,
							 struct scatterlist *sgl,
							 unsigned int sg_len,
							 enum dma_transfer_direction direction,
							 unsigned long flags, void *context)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	struct bam_device *bdev = bchan->bdev;
	struct dma_async_tx_descriptor *tx;
	struct bam_async_desc *async_desc;
	u32 num_alloc;

	if (!is_slave_direction(direction)) {
		dev_err(bdev->dev, "invalid dma direction");
		return NULL;
	}
	num_alloc = bam_count_descs(bdev, sgl, sg_len);
	if (!num_alloc)
		return NULL;
	async_desc = kzalloc(sizeof(*async_desc) + num_alloc * sizeof(struct bam_desc),
			     GFP_NOWAIT);
	if (!async_desc)
		return NULL;
	if (flags & DMA_PREP_FENCE)
		async_desc->flags |= BAM_DESC_NWD;
	if (flags & DMA_PREP_INTERRUPT)
		async_desc->flags |= BAM_DESC_EOT;
	async_desc->num_desc = num_alloc;
	async_desc->curr_desc = async_desc->desc;
	async_desc->dir = direction;
	bam_fill_descs(async_desc, sgl, sg_len, flags);
	tx = vchan_tx_prep(&bchan->vc, &async_desc->vd, flags);
	tx->metadata_ops = &bam_metadata_ops;
	return tx;
}

/**
 * bam_dma_free_desc - virt-dma's desc_free: unmap a lock descriptor's
 * command element, then free the descriptor
 */
void bam_dma_free_desc(struct virt_dma_desc *vd)
{
	struct bam_async_desc *async_desc = to_bam_desc(vd);

	if (async_desc->lock)
		bam_lock_unmap(async_desc);
	kfree(async_desc);
}

/* ---- terminate, pause, resume ---- */

static int bam_dma_terminate_all(struct dma_chan *chan)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	struct bam_async_desc *async_desc, *tmp;
	unsigned long flag;
	LIST_HEAD(head);

	spin_lock_irqsave(&bchan->vc.lock, flag);
	/*
	 * Descriptors already in the FIFO can only be taken back by a pipe
	 * reset, which also releases a pipe lock the channel holds; a pipe
	 * that halted on an error may hold the lock with its FIFO already
	 * failed, and its client terminates it to let the lock go. The client
	 * must have stopped the peripheral (or cleared it under the lock)
	 * first.
	 */
	if (!list_empty(&bchan->desc_list)) {
		async_desc = list_first_entry(&bchan->desc_list, struct bam_async_desc,
					      desc_node);
		bam_chan_init_hw(bchan, async_desc->dir);
	} else if (bchan->error_halt) {
		bam_chan_init_hw(bchan, bchan->slave.direction);
	}
	list_for_each_entry_safe(async_desc, tmp, &bchan->desc_list, desc_node) {
		list_add(&async_desc->vd.node, &bchan->vc.desc_issued);
		list_del_init(&async_desc->desc_node);
	}
	bchan->bam_locked = false;
	vchan_get_all_descriptors(&bchan->vc, &head);
	spin_unlock_irqrestore(&bchan->vc.lock, flag);
	vchan_dma_desc_free_list(&bchan->vc, &head);
	return 0;
}

static void bam_dma_synchronize(struct dma_chan *chan)
{
	vchan_synchronize(to_virt_chan(chan));
}

/* P_HALT stops the pipe before its next step; clearing it lets the pipe go on. */
static void bam_set_halt(struct dma_chan *chan, bool halt)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	unsigned long flag;

	spin_lock_irqsave(&bchan->vc.lock, flag);
	writel_relaxed(halt, bam_addr(bchan->bdev, bchan->id, BAM_P_HALT));
	bchan->paused = halt;
	spin_unlock_irqrestore(&bchan->vc.lock, flag);
}

static int bam_pause(struct dma_chan *chan)
{
	bam_set_halt(chan, true);
	return 0;
}

static int bam_resume(struct dma_chan *chan)
{
	bam_set_halt(chan, false);
	return 0;
}

/* ---- interrupt ---- */

/* Bytes of @async_desc's unretired hardware descriptors, skipping the first @skip. */
static u32 bam_desc_remaining(const struct bam_async_desc *async_desc, u32 skip)
{
	u32 residue = 0;

	for (u32 i = skip; i < async_desc->num_desc; i++)
		residue += le16_to_cpu(async_desc->curr_desc[i].size);
	return residue;
}

/**
 * bam_complete_desc - @async_desc is finished: complete its cookie, or free
 * it now if it is a lock descriptor without one (policy nwd)
 */
void bam_complete_desc(struct bam_async_desc *async_desc)
{
	if (async_desc->lock && !async_desc->vd.tx.cookie)
		bam_dma_free_desc(&async_desc->vd);
	else
		vchan_cookie_complete(&async_desc->vd);
}

/**
 * bam_fail_desc - complete @async_desc with @result: what it has not
 * transferred is its residue
 */
void bam_fail_desc(struct bam_chan *bchan, struct bam_async_desc *async_desc,
		   enum dmaengine_tx_result result)
{
	lockdep_assert_held(&bchan->vc.lock);
	async_desc->vd.tx_result = (struct dmaengine_result){
		result, bam_desc_remaining(async_desc, 0),
	};
	bam_complete_desc(async_desc);
}

/* Retire what the hardware finished; re-queue a partly loaded descriptor. */
static void bam_retire(struct bam_chan *bchan)
{
	struct bam_async_desc *async_desc, *tmp;
	u32 avail = bam_hw_retired(bchan);

	lockdep_assert_held(&bchan->vc.lock);
	list_for_each_entry_safe(async_desc, tmp, &bchan->desc_list, desc_node) {
		if (avail < async_desc->xfer_len)
			break;
		bchan->head = (bchan->head + async_desc->xfer_len) % MAX_DESCRIPTORS;
		async_desc->num_desc -= async_desc->xfer_len;
		async_desc->curr_desc += async_desc->xfer_len;
		avail -= async_desc->xfer_len;
		list_del_init(&async_desc->desc_node);
		if (async_desc->num_desc)
			list_add(&async_desc->vd.node, &bchan->vc.desc_issued);
		else
			bam_complete_desc(async_desc);
	}
}

/* A bus error is a failed read or write, depending on the direction. */
static enum dmaengine_tx_result bam_error_result(const struct bam_async_desc *async_desc,
						 u32 pipe_stts)
{
	if (!(pipe_stts & BAM_P_HRESP_ERR))
		return DMA_TRANS_ABORTED;
	return async_desc->dir == DMA_DEV_TO_MEM ? DMA_TRANS_WRITE_FAILED : DMA_TRANS_READ_FAILED;
}

/*
 * The pipe halted on an error: everything still in its FIFO fails, and
 * the pipe is re-initialised (which clears the halt) before its next use.
 */
static void bam_chan_error(struct bam_chan *bchan, u32 pipe_stts)
{
	struct bam_async_desc *async_desc, *tmp;

	lockdep_assert_held(&bchan->vc.lock);
	dev_err(bchan->bdev->dev, "pipe %u error, P_IRQ_STTS 0x%x", bchan->id, pipe_stts);
	list_for_each_entry_safe(async_desc, tmp, &bchan->desc_list, desc_node) {
		list_del_init(&async_desc->desc_node);
		bam_fail_desc(bchan, async_desc, bam_error_result(async_desc, pipe_stts));
	}
	bchan->bam_locked = false;
	bchan->initialized = false;
	bchan->error_halt = true;
}

static void bam_process_channel(struct bam_device *bdev, struct bam_chan *bchan)
{
	u32 pipe_stts;
	unsigned long flags;

	pipe_stts = readl_relaxed(bam_addr(bdev, bchan->id, BAM_P_IRQ_STTS));
	writel_relaxed(pipe_stts, bam_addr(bdev, bchan->id, BAM_P_IRQ_CLR));
	spin_lock_irqsave(&bchan->vc.lock, flags);
	bam_retire(bchan);
	if (pipe_stts & P_ERROR_IRQS)
		bam_chan_error(bchan, pipe_stts);
	spin_unlock_irqrestore(&bchan->vc.lock, flags);
}

static u32 process_channel_irqs(struct bam_device *bdev)
{
	u32 srcs = readl_relaxed(bam_addr(bdev, 0, BAM_IRQ_SRCS_EE));

	for (u32 i = 0; i < bdev->num_channels; i++)
		if (srcs & BIT(i))
			bam_process_channel(bdev, &bdev->channels[i]);
	return srcs;
}

static irqreturn_t bam_dma_irq(int irq, void *data)
{
	struct bam_device *bdev = data;
	u32 srcs = process_channel_irqs(bdev);
	u32 clr_mask;

	if (srcs & ~BAM_IRQ_SRCS_BAM)
		queue_work(system_bh_highpri_wq, &bdev->work);
	if (srcs & BAM_IRQ_SRCS_BAM) {
		clr_mask = readl_relaxed(bam_addr(bdev, 0, BAM_IRQ_STTS));
		dev_err(bdev->dev, "BAM error interrupt, IRQ_STTS 0x%x", clr_mask);
		/* The status must be read before it is cleared. */
		mb();
		writel_relaxed(clr_mask, bam_addr(bdev, 0, BAM_IRQ_CLR));
	}
	return srcs ? IRQ_HANDLED : IRQ_NONE;
}

/* ---- status ---- */

/* Bytes of the descriptor with @cookie not yet transferred, 0 if unknown. */
static u32 bam_residue(struct bam_chan *bchan, dma_cookie_t cookie)
{
	struct bam_async_desc *async_desc;
	struct virt_dma_desc *vd = vchan_find_desc(&bchan->vc, cookie);
	u32 done, residue = 0;

	/* Issued, maybe after part of it already ran through the FIFO. */
	if (vd)
		return bam_desc_remaining(to_bam_desc(vd), 0);
	/* Submitted, not issued yet: all of it (mainline reports 0 here). */
	list_for_each_entry(vd, &bchan->vc.desc_submitted, node)
		if (vd->tx.cookie == cookie)
			return bam_desc_remaining(to_bam_desc(vd), 0);
	/* In the FIFO: what the hardware retired since the last interrupt counts too. */
	done = bchan->initialized ? bam_hw_retired(bchan) : 0;
	list_for_each_entry(async_desc, &bchan->desc_list, desc_node) {
		u32 retired = MIN(done, async_desc->xfer_len);

		done -= retired;
		if (async_desc->vd.tx.cookie == cookie)
			residue += bam_desc_remaining(async_desc, retired);
	}
	return residue;
}

static enum dma_status bam_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				     struct dma_tx_state *txstate)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	enum dma_status ret = dma_cookie_status(chan, cookie, txstate);
	unsigned long flags;
	u32 residue;

	if (ret == DMA_COMPLETE)
		return ret;
	if (!txstate)
		return bchan->paused ? DMA_PAUSED : ret;
	spin_lock_irqsave(&bchan->vc.lock, flags);
	residue = bam_residue(bchan, cookie);
	spin_unlock_irqrestore(&bchan->vc.lock, flags);
	dma_set_residue(txstate, residue);
	if (ret == DMA_IN_PROGRESS && bchan->paused)
		ret = DMA_PAUSED;
	return ret;
}

/* ---- starting transfers ---- */

/* Copy @n hardware descriptors into the ring at the tail, wrapping. */
static void bam_copy_to_fifo(struct bam_chan *bchan, const struct bam_desc *desc, u32 n)
{
	struct bam_desc *fifo = bchan->fifo_virt;
	u32 first = MIN(n, (u32)MAX_DESCRIPTORS - bchan->tail);

	memcpy(&fifo[bchan->tail], desc, first * sizeof(*desc));
	memcpy(fifo, desc + first, (n - first) * sizeof(*desc));
	bchan->tail = (bchan->tail + n) % MAX_DESCRIPTORS;
}

/*
 * Load as much of @async_desc as fits. The last hardware descriptor gets
 * the descriptor's EOT/NWD once it is loaded whole; INT goes on the last
 * one loaded when the FIFO is now full, nothing follows, or a callback
 * waits for it, unless that one carries EOT (which interrupts by itself).
 *
 * Mainline skips INT whenever the descriptor asked for EOT, even when only
 * part of it fits and EOT is not placed yet: a transfer longer than the
 * ring then never interrupts and stalls. Here EOT only counts once placed.
 */
static void bam_load_desc(struct bam_chan *bchan, struct bam_async_desc *async_desc,
			  bool more)
{
	struct bam_desc *desc = async_desc->curr_desc;
	u32 avail = bam_fifo_space(bchan);
	bool callback = async_desc->vd.tx.callback || async_desc->vd.tx.callback_result;
	bool whole;

	async_desc->xfer_len = MIN(async_desc->num_desc, avail);
	whole = async_desc->num_desc == async_desc->xfer_len;
	if (whole)
		desc[async_desc->xfer_len - 1].flags |= cpu_to_le16(async_desc->flags);
	if ((avail <= async_desc->xfer_len || !more || callback) &&
	    !(whole && (async_desc->flags & BAM_DESC_EOT)))
		desc[async_desc->xfer_len - 1].flags |= cpu_to_le16(BAM_DESC_INT);
	bam_copy_to_fifo(bchan, desc, async_desc->xfer_len);
	list_add_tail(&async_desc->desc_node, &bchan->desc_list);
	bam_lock_loaded(bchan, async_desc);
}

/*
 * Is the last descriptor in the ring only partly loaded? Nothing may follow
 * it until its rest is loaded: the interrupt handler would retire what
 * follows before the rest and complete the cookies out of order. Upstream
 * loads behind it once earlier descriptors free room (fuzz_bam_dma found
 * it: a descriptor longer than the free ring, then another client's).
 */
static bool bam_partly_loaded(const struct bam_chan *bchan)
{
	const struct bam_async_desc *last;

	if (list_empty(&bchan->desc_list))
		return false;
	last = list_last_entry(&bchan->desc_list, struct bam_async_desc, desc_node);
	return last->xfer_len < last->num_desc;
}

/**
 * bam_start_dma - move issued descriptors into the FIFO while it has room,
 * then tell the pipe where the new tail is
 */
static void bam_start_dma(struct bam_chan *bchan)
{
	struct virt_dma_desc *vd = vchan_next_desc(&bchan->vc);
	struct bam_device *bdev = bchan->bdev;
	struct bam_async_desc *async_desc;

	lockdep_assert_held(&bchan->vc.lock);
	if (!vd)
		return;
	while (vd && !bam_chan_busy(bchan) && !bam_partly_loaded(bchan)) {
		async_desc = to_bam_desc(vd);
		if (bam_lock_wrap(bchan, async_desc))
			break;
		vd = vchan_next_desc(&bchan->vc);
		async_desc = to_bam_desc(vd);
		list_del_init(&vd->node);
		if (!bchan->initialized)
			bam_chan_init_hw(bchan, async_desc->dir);
		if (bchan->reconfigure)
			bam_apply_new_config(bchan, async_desc->dir);
		vd = vchan_next_desc(&bchan->vc);
		bam_load_desc(bchan, async_desc, vd != NULL);
	}
	/* The descriptors must be in memory before the pipe sees the new tail. */
	wmb();
	writel_relaxed(bchan->tail * sizeof(struct bam_desc),
		       bam_addr(bdev, bchan->id, BAM_P_EVNT_REG));
}

static void bam_dma_work(struct work_struct *work)
{
	struct bam_device *bdev = container_of(work, struct bam_device, work);
	unsigned long flags;

	for (u32 i = 0; i < bdev->num_channels; i++) {
		struct bam_chan *bchan = &bdev->channels[i];

		spin_lock_irqsave(&bchan->vc.lock, flags);
		bam_lock_bh(bchan);
		if (!list_empty(&bchan->vc.desc_issued) && !bam_chan_busy(bchan))
			bam_start_dma(bchan);
		spin_unlock_irqrestore(&bchan->vc.lock, flags);
	}
}

static void bam_issue_pending(struct dma_chan *chan)
{
	struct bam_chan *bchan = to_bam_chan(chan);
	unsigned long flags;

	spin_lock_irqsave(&bchan->vc.lock, flags);
	if (vchan_issue_pending(&bchan->vc)) {
		bam_lock_issue_pending(bchan);
		if (!bam_chan_busy(bchan))
			bam_start_dma(bchan);
	}
	spin_unlock_irqrestore(&bchan->vc.lock, flags);
}

/* ---- probe ---- */

static struct dma_chan *bam_dma_xlate(struct of_phandle_args *dma_spec, void *data)
{
	struct bam_device *bdev = data;
	u32 request;

	if (dma_spec->args_count != 1)
		return NULL;
	request = dma_spec->args[0];
	if (request >= bdev->num_channels)
		return NULL;
	return dma_get_slave_channel(&bdev->channels[request].vc.chan);
}

/* Pipe and EE counts: from the DT when the BAM has no clock of ours, else the hardware. */
static int bam_read_counts(struct bam_device *bdev)
{
	const struct dt_node *np = bdev->dev->of_node;
	bool has_clock = dt_prop_bool(np, "clocks");
	int ret;

	ret = dt_prop_u32(np, "num-channels", &bdev->num_channels, NULL);
	if (ret && !has_clock) {
		dev_err(bdev->dev, "num-channels unspecified in dt");
		return -EINVAL;
	}
	ret = dt_prop_u32(np, "qcom,num-ees", &bdev->num_ees, NULL);
	if (ret && !has_clock) {
		dev_err(bdev->dev, "num-ees unspecified in dt");
		return -EINVAL;
	}
	if (!bdev->num_ees)
		bdev->num_ees = FIELD_GET(BAM_REVISION_NUM_EES,
					  readl_relaxed(bam_addr(bdev, 0, BAM_REVISION)));
	if (!bdev->num_channels)
		bdev->num_channels = FIELD_GET(BAM_NUM_PIPES_PIPES,
					       readl_relaxed(bam_addr(bdev, 0, BAM_NUM_PIPES)));
	return 0;
}

static int bam_init(struct bam_device *bdev)
{
	int ret = bam_read_counts(bdev);

	if (ret)
		return ret;
	if (bdev->num_ees == 0 || bdev->num_ees > BAM_EES_MAX || bdev->ee >= bdev->num_ees) {
		dev_err(bdev->dev, "qcom,ee %u is not below qcom,num-ees %u", bdev->ee,
			bdev->num_ees);
		return -EINVAL;
	}
	if (bdev->num_channels == 0 || bdev->num_channels > BAM_PIPES_MAX) {
		dev_err(bdev->dev, "num-channels %u is not 1..%u", bdev->num_channels,
			BAM_PIPES_MAX);
		return -EINVAL;
	}
	if (!bdev->controlled_remotely && !bdev->powered_remotely)
		bam_reset(bdev);
	return 0;
}

static void bam_channel_init(struct bam_device *bdev, struct bam_chan *bchan, u32 index)
{
	bchan->id = index;
	bchan->bdev = bdev;
	vchan_init(&bchan->vc, &bdev->common);
	bchan->vc.desc_free = bam_dma_free_desc;
	INIT_LIST_HEAD(&bchan->desc_list);
}

static void bam_set_caps(struct bam_device *bdev)
{
	struct dma_device *dd = &bdev->common;

	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dd->dev = bdev->dev;
	dd->directions = BIT(DMA_DEV_TO_MEM) | BIT(DMA_MEM_TO_DEV);
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_SEGMENT;
	dd->src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->desc_metadata_modes = DESC_METADATA_CLIENT;
	dd->max_seg_size = BAM_FIFO_SIZE;
	dd->device_alloc_chan_resources = bam_alloc_chan;
	dd->device_free_chan_resources = bam_free_chan;
	dd->device_prep_slave_sg = bam_prep_slave_sg;
	dd->device_config = bam_slave_config;
	dd->device_pause = bam_pause;
	dd->device_resume = bam_resume;
	dd->device_terminate_all = bam_dma_terminate_all;
	dd->device_synchronize = bam_dma_synchronize;
	dd->device_issue_pending = bam_issue_pending;
	dd->device_tx_status = bam_tx_status;
}

static int bam_map_regs(struct platform_device *pdev, struct bam_device *bdev)
{
	struct dt_reg reg;
	int ret;

	ret = platform_get_resource_reg(pdev, 0, &reg);
	if (ret) {
		dev_err(&pdev->dev, "no reg entry");
		return -EINVAL;
	}
	bdev->regs = ioremap(reg.addr, reg.size);
	if (!bdev->regs)
		return -ENOMEM;
	bdev->regs_phys = reg.addr;
	return 0;
}

static int bam_read_dt(struct bam_device *bdev)
{
	const struct dt_node *np = bdev->dev->of_node;

	if (dt_prop_u32(np, "qcom,ee", &bdev->ee, NULL)) {
		dev_err(bdev->dev, "Execution environment unspecified");
		return -EINVAL;
	}
	bdev->controlled_remotely = dt_prop_bool(np, "qcom,controlled-remotely");
	bdev->powered_remotely = dt_prop_bool(np, "qcom,powered-remotely");
	return bam_init(bdev);
}

static int bam_setup_channels(struct bam_device *bdev)
{
	bdev->channels = kcalloc(bdev->num_channels, sizeof(*bdev->channels), GFP_KERNEL);
	if (!bdev->channels)
		return -ENOMEM;
	INIT_LIST_HEAD(&bdev->common.channels);
	for (u32 i = 0; i < bdev->num_channels; i++)
		bam_channel_init(bdev, &bdev->channels[i], i);
	return 0;
}

static int bam_register(struct bam_device *bdev)
{
	int ret;

	ret = request_irq(bdev->irq, bam_dma_irq, 0, "bam_dma", bdev);
	if (ret)
		return ret;
	bam_set_caps(bdev);
	ret = dma_async_device_register(&bdev->common);
	if (ret) {
		dev_err(bdev->dev, "failed to register dma async device");
		goto err_irq;
	}
	ret = of_dma_controller_register(bdev->dev->of_node, bam_dma_xlate, bdev);
	if (ret)
		goto err_unregister;
	return 0;
err_unregister:
	dma_async_device_unregister(&bdev->common);
err_irq:
	free_irq(bdev->irq, bdev);
	return ret;
}

static void bam_release(struct bam_device *bdev)
{
	kfree(bdev->channels);
	if (bdev->regs)
		iounmap(bdev->regs);
	kfree(bdev);
}

static int bam_dma_probe(struct platform_device *pdev)
{
	struct bam_device *bdev;
	int ret;

	bdev = kzalloc(sizeof(*bdev), GFP_KERNEL);
	if (!bdev)
		return -ENOMEM;
	bdev->dev = &pdev->dev;
	bdev->dev_data = of_device_get_match_data(&pdev->dev);
	bdev->lock_policy = kernel_current()->params.lock_policy;
	bdev->irq = platform_get_irq(pdev, 0);
	ret = bdev->irq < 0 ? bdev->irq : bam_map_regs(pdev, bdev);
	if (!ret)
		ret = bam_read_dt(bdev);
	if (!ret)
		ret = bam_setup_channels(bdev);
	if (!ret) {
		INIT_WORK(&bdev->work, bam_dma_work);
		ret = bam_register(bdev);
	}
	if (ret) {
		bam_release(bdev);
		return ret;
	}
	platform_set_drvdata(pdev, bdev);
	return 0;
}

static void bam_dma_remove(struct platform_device *pdev)
{
	struct bam_device *bdev = platform_get_drvdata(pdev);

	of_dma_controller_free(pdev->dev.of_node);
	dma_async_device_unregister(&bdev->common);
	/* Mask every interrupt of this execution environment. */
	writel_relaxed(0, bam_addr(bdev, 0, BAM_IRQ_SRCS_MSK_EE));
	free_irq(bdev->irq, bdev);
	for (u32 i = 0; i < bdev->num_channels; i++) {
		struct bam_chan *bchan = &bdev->channels[i];

		bam_dma_terminate_all(&bchan->vc.chan);
		vchan_synchronize(&bchan->vc);
		if (bchan->fifo_virt)
			dma_free_wc(bdev->dev, BAM_DESC_FIFO_SIZE, bchan->fifo_virt,
				    bchan->fifo_phys);
	}
	cancel_work_sync(&bdev->work);
	bam_release(bdev);
}

static const struct bam_device_data bam_v1_3_data = { BAM_V1_3_0, false };
static const struct bam_device_data bam_v1_4_data = { BAM_V1_4_0, true };
static const struct bam_device_data bam_v1_7_data = { BAM_V1_7_0, true };
static const struct bam_device_data bam_v2_0_data = { BAM_V2_0_0, true };

static const struct of_device_id bam_of_match[] = {
	{ .compatible = "qcom,bam-v1.3.0", .data = &bam_v1_3_data },
	{ .compatible = "qcom,bam-v1.4.0", .data = &bam_v1_4_data },
	{ .compatible = "qcom,bam-v1.7.0", .data = &bam_v1_7_data },
	{ .compatible = "qcom,bam-v2.0.0", .data = &bam_v2_0_data },
	{ 0 },
};

const struct platform_driver bam_dma_driver = {
	.name = "bam-dma-engine",
	.of_match_table = bam_of_match,
	.probe = bam_dma_probe,
	.remove = bam_dma_remove,
};
