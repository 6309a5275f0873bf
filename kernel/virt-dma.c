/*
 * virt-dma.c - virtual DMA channels (see include/secsoc/virt-dma.h), with
 * the behaviour of Linux's drivers/dma/virt-dma.[ch] after the move from
 * tasklets to the BH workqueue: completed descriptors get their callbacks
 * from the channel's work item on system_bh_wq, outside vc->lock.
 *
 * Owns nothing beyond the channel's lists; descriptors belong to the
 * driver, which frees them through vc->desc_free. Functions that Linux
 * documents as "vc.lock must be held by caller" assert it; the others take
 * the lock themselves, so calling them with it held is a recursive-locking
 * violation, as lockdep would report.
 */
#include <secsoc/virt-dma.h>

/* Free @vd, or put it back on desc_allocated if the client marked it for reuse. */
static void vchan_vdesc_fini(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	if (vd->tx.flags & DMA_CTRL_REUSE) {
		spin_lock(&vc->lock);
		list_add(&vd->node, &vc->desc_allocated);
		spin_unlock(&vc->lock);
	} else {
		vc->desc_free(vd);
	}
}

/*
 * The channel's bottom half: take the completed descriptors under the
 * lock, then run their callbacks without it (a callback may prepare and
 * submit the next transfer) and free them.
 */
static void vchan_complete(struct work_struct *work)
{
	struct virt_dma_chan *vc = container_of(work, struct virt_dma_chan, task);
	struct virt_dma_desc *vd, *tmp;
	LIST_HEAD(head);

	spin_lock(&vc->lock);
	list_splice_tail_init(&vc->desc_completed, &head);
	spin_unlock(&vc->lock);

	list_for_each_entry_safe(vd, tmp, &head, node) {
		list_del_init(&vd->node);
		if (vd->tx.callback || vd->tx.callback_result)
			vc->callbacks++;
		dmaengine_desc_callback_invoke(&vd->tx, &vd->tx_result);
		vchan_vdesc_fini(vd);
	}
}

/** vchan_init - set up @vc and add it to @dmadev's channels */
void vchan_init(struct virt_dma_chan *vc, struct dma_device *dmadev)
{
	dma_cookie_init(&vc->chan);
	spin_lock_init(&vc->lock);
	vc->lock.name = "vchan";
	INIT_LIST_HEAD(&vc->desc_allocated);
	INIT_LIST_HEAD(&vc->desc_submitted);
	INIT_LIST_HEAD(&vc->desc_issued);
	INIT_LIST_HEAD(&vc->desc_completed);
	INIT_LIST_HEAD(&vc->desc_terminated);
	INIT_WORK(&vc->task, vchan_complete);
	vc->cyclic = NULL;
	vc->callbacks = 0;
	vc->chan.device = dmadev;
	list_add_tail(&vc->chan.device_node, &dmadev->channels);
}

/* tx_submit of a virt-dma descriptor: a cookie, and on to desc_submitted. */
static dma_cookie_t vchan_tx_submit(struct dma_async_tx_descriptor *tx)
{
	struct virt_dma_chan *vc = to_virt_chan(tx->chan);
	struct virt_dma_desc *vd = to_virt_desc(tx);
	dma_cookie_t cookie;

	spin_lock(&vc->lock);
	cookie = dma_cookie_assign(tx);
	list_move_tail(&vd->node, &vc->desc_submitted);
	spin_unlock(&vc->lock);
	return cookie;
}

/* desc_free of a virt-dma descriptor: how a client frees a reusable one. */
static int vchan_tx_desc_free(struct dma_async_tx_descriptor *tx)
{
	struct virt_dma_chan *vc = to_virt_chan(tx->chan);
	struct virt_dma_desc *vd = to_virt_desc(tx);

	spin_lock(&vc->lock);
	list_del_init(&vd->node);
	spin_unlock(&vc->lock);
	vc->desc_free(vd);
	return 0;
}

/**
 * vchan_tx_prep - finish preparing @vd: hook up tx_submit/desc_free, a
 * success result, and put it on desc_allocated (takes vc->lock)
 * @tx_flags: the prep call's flags (DMA_CTRL_REUSE keeps it after completion)
 *
 * Return: &vd->tx, for the driver's prep callback to return
 */
struct dma_async_tx_descriptor *vchan_tx_prep(struct virt_dma_chan *vc,
					      struct virt_dma_desc *vd,
					      unsigned long tx_flags)
{
	always(vc->desc_free, "vchan_tx_prep: the channel has no desc_free");
	dma_async_tx_descriptor_init(&vd->tx, &vc->chan);
	vd->tx.flags = (enum dma_ctrl_flags)tx_flags;
	vd->tx.tx_submit = vchan_tx_submit;
	vd->tx.desc_free = vchan_tx_desc_free;
	vd->tx_result = (struct dmaengine_result){ .result = DMA_TRANS_NOERROR };

	spin_lock(&vc->lock);
	list_add_tail(&vd->node, &vc->desc_allocated);
	spin_unlock(&vc->lock);
	return &vd->tx;
}

/** vchan_issue_pending - move submitted to issued (vc->lock held) */
bool vchan_issue_pending(struct virt_dma_chan *vc)
{
	lockdep_assert_held(&vc->lock);
	list_splice_tail_init(&vc->desc_submitted, &vc->desc_issued);
	return !list_empty(&vc->desc_issued);
}

/**
 * vchan_cookie_complete - @vd is done (vc->lock held): complete its cookie,
 * move it to desc_completed and queue the channel's bottom half
 *
 * @vd may still be on desc_issued or already off every list (list_del_init).
 */
void vchan_cookie_complete(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	lockdep_assert_held(&vc->lock);
	dma_cookie_complete(&vd->tx);
	list_move_tail(&vd->node, &vc->desc_completed);
	queue_work(system_bh_wq, &vc->task);
}

/**
 * vchan_terminate_vdesc - @vd (the one the hardware was running) waits on
 * desc_terminated for vchan_synchronize() (vc->lock held)
 */
void vchan_terminate_vdesc(struct virt_dma_desc *vd)
{
	struct virt_dma_chan *vc = to_virt_chan(vd->tx.chan);

	lockdep_assert_held(&vc->lock);
	list_move_tail(&vd->node, &vc->desc_terminated);
	if (vc->cyclic == vd)
		vc->cyclic = NULL;
}

/** vchan_next_desc - the first issued descriptor, or NULL (vc->lock held) */
struct virt_dma_desc *vchan_next_desc(struct virt_dma_chan *vc)
{
	lockdep_assert_held(&vc->lock);
	return list_first_entry_or_null(&vc->desc_issued, struct virt_dma_desc, node);
}

/**
 * vchan_find_desc - the issued descriptor with @cookie, or NULL (vc->lock
 * held); as in Linux, a submitted but not yet issued one is not found
 */
struct virt_dma_desc *vchan_find_desc(struct virt_dma_chan *vc, dma_cookie_t cookie)
{
	struct virt_dma_desc *vd;

	lockdep_assert_held(&vc->lock);
	list_for_each_entry(vd, &vc->desc_issued, node)
		if (vd->tx.cookie == cookie)
			return vd;
	return NULL;
}

/**
 * vchan_get_all_descriptors - move allocated, submitted, issued, completed
 * and terminated descriptors onto @head (vc->lock held)
 */
void vchan_get_all_descriptors(struct virt_dma_chan *vc, struct list_head *head)
{
	lockdep_assert_held(&vc->lock);
	list_splice_tail_init(&vc->desc_allocated, head);
	list_splice_tail_init(&vc->desc_submitted, head);
	list_splice_tail_init(&vc->desc_issued, head);
	list_splice_tail_init(&vc->desc_completed, head);
	list_splice_tail_init(&vc->desc_terminated, head);
}

/**
 * vchan_dma_desc_free_list - free every descriptor on @head, without
 * callbacks; reusable ones go back to desc_allocated (takes vc->lock for them)
 */
void vchan_dma_desc_free_list(struct virt_dma_chan *vc, struct list_head *head)
{
	struct virt_dma_desc *vd, *tmp;

	list_for_each_entry_safe(vd, tmp, head, node) {
		always(vd->tx.chan == &vc->chan, "vchan_dma_desc_free_list: descriptor of another "
		       "channel");
		list_del_init(&vd->node);
		vchan_vdesc_fini(vd);
	}
}

/**
 * vchan_free_chan_resources - free everything the channel still holds,
 * reusable descriptors included (takes vc->lock)
 */
void vchan_free_chan_resources(struct virt_dma_chan *vc)
{
	struct virt_dma_desc *vd;
	LIST_HEAD(head);

	spin_lock(&vc->lock);
	vchan_get_all_descriptors(vc, &head);
	list_for_each_entry(vd, &head, node)
		vd->tx.flags &= ~DMA_CTRL_REUSE;
	spin_unlock(&vc->lock);
	vchan_dma_desc_free_list(vc, &head);
}

/**
 * vchan_synchronize - cancel the bottom half and free terminated
 * descriptors (takes vc->lock)
 *
 * As with Linux's BH-workqueue virt-dma, a queued bottom half is cancelled,
 * not run: descriptors completed but not yet called back stay on
 * desc_completed (a terminate_all has normally collected them already).
 */
void vchan_synchronize(struct virt_dma_chan *vc)
{
	LIST_HEAD(head);

	cancel_work_sync(&vc->task);
	spin_lock(&vc->lock);
	list_splice_tail_init(&vc->desc_terminated, &head);
	spin_unlock(&vc->lock);
	vchan_dma_desc_free_list(vc, &head);
}
