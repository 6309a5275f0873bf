/*
 * bam_dma_lock.c - BAM pipe locking, the series under review, with the
 * lock policy chosen at boot (docs/lock-policies.md):
 *
 *   none  no lock descriptors at all (mainline before the series);
 *   v12   a LOCK is put in front of the issued list at issue_pending, and
 *         an UNLOCK is appended from the bottom half once nothing is left
 *         to issue. Both get cookies, as in v12. Reviewers showed that this
 *         cannot guarantee the peripheral has finished when UNLOCK runs;
 *         the policy exists so the model can show that happen;
 *   nwd   LOCK and UNLOCK are allocated together (all or nothing) when a
 *         fresh descriptor is about to be loaded and wrap everything issued
 *         with it (v21). They carry no cookies and are unmapped and freed
 *         when the hardware retires them. The client puts NWD on its last
 *         data descriptor, so the UNLOCK waits until the peripheral is done.
 *
 * A lock descriptor is one command descriptor (CMD plus LOCK or UNLOCK)
 * whose single command element writes 0 to the scratchpad register the
 * client named in its metadata: the HPG allows the lock bits only on
 * command descriptors, and the dummy write must target the peripheral.
 * Only MEM_TO_DEV channels lock, and only BAMs from v1.4 on can.
 */
#include <errno.h>

#include "drivers/dma/bam_dma.h"

/**
 * bam_chan_can_lock - has @bchan a scratchpad, a direction that locks and
 * a BAM that knows LOCK/UNLOCK?
 */
bool bam_chan_can_lock(const struct bam_chan *bchan)
{
	return bchan->bdev->dev_data->pipe_lock_supported && bchan->scratchpad_addr;
}

static bool bam_policy_is(const struct bam_chan *bchan, enum lock_policy policy)
{
	return bchan->bdev->lock_policy == policy && bam_chan_can_lock(bchan);
}

/* The scratchpad must be reachable by a 24-bit command element address. */
static bool bam_scratchpad_in_reach(const struct bam_device *bdev, phys_addr_t addr)
{
	return (addr & ~(phys_addr_t)BAM_CE_ADDR) == (bdev->regs_phys & ~(phys_addr_t)BAM_CE_ADDR);
}

static int bam_check_metadata(struct bam_chan *bchan, const struct bam_async_desc *async_desc,
			      const struct bam_desc_metadata *meta)
{
	struct device *dev = bchan->bdev->dev;

	if (meta->direction != DMA_MEM_TO_DEV || async_desc->dir != DMA_MEM_TO_DEV) {
		dev_err(dev, "pipe %u: only MEM_TO_DEV descriptors take lock metadata",
			bchan->id);
		return -EINVAL;
	}
	if (!meta->scratchpad_addr) {
		dev_err(dev, "pipe %u: scratchpad address 0 is not accepted", bchan->id);
		return -EINVAL;
	}
	if (!bam_scratchpad_in_reach(bchan->bdev, meta->scratchpad_addr)) {
		dev_err(dev, "pipe %u: scratchpad 0x%llx is outside the 16 MiB a command element "
			"reaches from 0x%llx", bchan->id,
			(unsigned long long)meta->scratchpad_addr,
			(unsigned long long)bchan->bdev->regs_phys);
		return -ERANGE;
	}
	return 0;
}

/**
 * bam_metadata_attach - the client's struct bam_desc_metadata for @tx
 *
 * Return: 0 when stored, and also 0 when the BAM cannot lock (before v1.4)
 * or the policy is "none", so that clients still do plain DMA there;
 * -EINVAL for a wrong size, a non-MEM_TO_DEV descriptor or direction, or
 * a zero scratchpad; -ERANGE for a scratchpad a command element cannot
 * address.
 */
static int bam_metadata_attach(struct dma_async_tx_descriptor *tx, void *data, size_t len)
{
	struct bam_chan *bchan = to_bam_chan(tx->chan);
	struct bam_async_desc *async_desc = to_bam_desc(to_virt_desc(tx));
	const struct bam_desc_metadata *meta = data;
	unsigned long flags;
	int ret;

	if (!meta || len != sizeof(*meta))
		return -EINVAL;
	if (!bchan->bdev->dev_data->pipe_lock_supported ||
	    bchan->bdev->lock_policy == LOCK_POLICY_NONE)
		return 0;
	ret = bam_check_metadata(bchan, async_desc, meta);
	if (ret)
		return ret;
	spin_lock_irqsave(&bchan->vc.lock, flags);
	bchan->scratchpad_addr = meta->scratchpad_addr;
	spin_unlock_irqrestore(&bchan->vc.lock, flags);
	return 0;
}

const struct dma_descriptor_metadata_ops bam_metadata_ops = {
	.attach = bam_metadata_attach,
};

/* A LOCK or UNLOCK (@flag) command descriptor writing 0 to the scratchpad. */
static struct bam_async_desc *bam_alloc_lock_desc(struct bam_chan *bchan, u16 flag)
{
	struct bam_device *bdev = bchan->bdev;
	struct bam_async_desc *async_desc;

	if (sim_fault(sim_current(), FAULT_BAM_LOCK_ALLOC))
		return ERR_PTR(-ENOMEM);
	async_desc = kzalloc(sizeof(*async_desc) + sizeof(struct bam_desc), GFP_NOWAIT);
	if (!async_desc)
		return ERR_PTR(-ENOMEM);
	bam_prep_ce(&async_desc->lock_ce, (u32)bchan->scratchpad_addr, BAM_WRITE_COMMAND, 0);
	sg_init_one(&async_desc->lock_sg, &async_desc->lock_ce, sizeof(async_desc->lock_ce));
	if (!dma_map_sg(bdev->dev, &async_desc->lock_sg, 1, DMA_TO_DEVICE)) {
		kfree(async_desc);
		return ERR_PTR(-EIO);
	}
	async_desc->lock = true;
	async_desc->num_desc = 1;
	async_desc->curr_desc = async_desc->desc;
	async_desc->dir = DMA_MEM_TO_DEV;
	async_desc->desc[0].addr = cpu_to_le32((u32)sg_dma_address(&async_desc->lock_sg));
	async_desc->desc[0].size = cpu_to_le16(sizeof(async_desc->lock_ce));
	async_desc->desc[0].flags = cpu_to_le16(BAM_DESC_CMD | flag);
	dma_async_tx_descriptor_init(&async_desc->vd.tx, &bchan->vc.chan);
	return async_desc;
}

/** bam_lock_unmap - undo the mapping of a lock descriptor's command element */
void bam_lock_unmap(struct bam_async_desc *async_desc)
{
	struct bam_chan *bchan = to_bam_chan(async_desc->vd.tx.chan);

	dma_unmap_sg(bchan->bdev->dev, &async_desc->lock_sg, 1, DMA_TO_DEVICE);
}

/* v12 gave lock descriptors cookies of their own; its successors do not. */
static void bam_v12_queue(struct bam_chan *bchan, struct bam_async_desc *lock, bool head)
{
	dma_cookie_assign(&lock->vd.tx);
	if (head)
		list_add(&lock->vd.node, &bchan->vc.desc_issued);
	else
		list_add_tail(&lock->vd.node, &bchan->vc.desc_issued);
}

/**
 * bam_lock_issue_pending - v12: put a LOCK in front of the issued list
 * unless the channel already holds one
 *
 * As in v12, a failed allocation only logs and DMA goes on unlocked.
 */
void bam_lock_issue_pending(struct bam_chan *bchan)
{
	struct bam_async_desc *lock;

	lockdep_assert_held(&bchan->vc.lock);
	if (!bam_policy_is(bchan, LOCK_POLICY_V12) || bchan->bam_locked)
		return;
	lock = bam_alloc_lock_desc(bchan, BAM_DESC_LOCK);
	if (IS_ERR(lock)) {
		dev_err(bchan->bdev->dev, "pipe %u: no LOCK descriptor (%ld)", bchan->id,
			PTR_ERR(lock));
		return;
	}
	bam_v12_queue(bchan, lock, true);
	bchan->bam_locked = true;
}

/**
 * bam_lock_bh - v12: once nothing is left to issue, append the UNLOCK
 *
 * "Nothing issued" only means everything was loaded into the FIFO, not
 * that the peripheral finished: the flaw the review found.
 */
void bam_lock_bh(struct bam_chan *bchan)
{
	struct bam_async_desc *unlock;

	lockdep_assert_held(&bchan->vc.lock);
	if (!bam_policy_is(bchan, LOCK_POLICY_V12) || !bchan->bam_locked ||
	    !list_empty(&bchan->vc.desc_issued))
		return;
	unlock = bam_alloc_lock_desc(bchan, BAM_DESC_UNLOCK);
	if (IS_ERR(unlock)) {
		dev_err(bchan->bdev->dev, "pipe %u: no UNLOCK descriptor (%ld)", bchan->id,
			PTR_ERR(unlock));
		return;
	}
	bam_v12_queue(bchan, unlock, false);
	bchan->bam_locked = false;
}

/* Fail everything issued: the transaction cannot run locked. */
static void bam_fail_issued(struct bam_chan *bchan)
{
	struct virt_dma_desc *vd;

	while ((vd = vchan_next_desc(&bchan->vc))) {
		list_del_init(&vd->node);
		bam_fail_desc(bchan, to_bam_desc(vd), DMA_TRANS_ABORTED);
	}
}

static bool bam_needs_wrap(const struct bam_chan *bchan, const struct bam_async_desc *next)
{
	return bam_policy_is(bchan, LOCK_POLICY_NWD) && !bchan->bam_locked && !next->lock &&
	       next->dir == DMA_MEM_TO_DEV && next->curr_desc == next->desc;
}

/**
 * bam_lock_wrap - nwd: before fresh descriptor @next is loaded on an
 * unlocked channel, wrap the issued list in LOCK ... UNLOCK
 *
 * LOCK and UNLOCK are allocated together. If either fails, nothing is
 * loaded unlocked. While the FIFO still holds earlier work, the issued
 * descriptors wait: the interrupt of that work's UNLOCK brings the bottom
 * half back to try again, and failing them now would complete them ahead
 * of older cookies. With the FIFO empty there is nothing to wait for:
 * every issued descriptor completes with DMA_TRANS_ABORTED.
 *
 * Return: 0, or the allocation's error.
 */
int bam_lock_wrap(struct bam_chan *bchan, struct bam_async_desc *next)
{
	struct bam_async_desc *lock, *unlock;

	lockdep_assert_held(&bchan->vc.lock);
	if (!bam_needs_wrap(bchan, next))
		return 0;
	lock = bam_alloc_lock_desc(bchan, BAM_DESC_LOCK);
	unlock = IS_ERR(lock) ? lock : bam_alloc_lock_desc(bchan, BAM_DESC_UNLOCK);
	if (IS_ERR(unlock)) {
		if (!IS_ERR(lock))
			bam_dma_free_desc(&lock->vd);
		dev_err(bchan->bdev->dev, "pipe %u: no LOCK/UNLOCK pair (%ld), %s", bchan->id,
			PTR_ERR(unlock), list_empty(&bchan->desc_list) ?
			"failing the transaction" : "retrying after the FIFO drains");
		if (list_empty(&bchan->desc_list))
			bam_fail_issued(bchan);
		return (int)PTR_ERR(unlock);
	}
	list_add(&lock->vd.node, &bchan->vc.desc_issued);
	list_add_tail(&unlock->vd.node, &bchan->vc.desc_issued);
	bchan->bam_locked = true;
	return 0;
}

/** bam_lock_loaded - nwd: once the UNLOCK is in the FIFO, the next load locks anew */
void bam_lock_loaded(struct bam_chan *bchan, struct bam_async_desc *async_desc)
{
	if (bchan->bdev->lock_policy == LOCK_POLICY_NWD && async_desc->lock &&
	    (le16_to_cpu(async_desc->desc[0].flags) & BAM_DESC_UNLOCK))
		bchan->bam_locked = false;
}
