/*
 * virt-dma.h - virtual DMA channels, the descriptor bookkeeping most
 * dmaengine drivers share (drivers/dma/virt-dma.h in Linux).
 *
 * A descriptor moves allocated -> submitted (tx_submit assigns the cookie)
 * -> issued (issue_pending) -> completed (the driver's interrupt path calls
 * vchan_cookie_complete) -> freed, after its callback has run from the
 * channel's bottom half. Terminated descriptors wait on desc_terminated
 * until vchan_synchronize() frees them, so a callback that is already
 * running never sees its descriptor freed underneath it.
 *
 * The driver's vc.lock must be held around every list operation; the
 * functions assert it, as lockdep would.
 */
#ifndef SECSOC_VIRT_DMA_H
#define SECSOC_VIRT_DMA_H

#include <secsoc/dmaengine.h>
#include <secsoc/spinlock.h>
#include <secsoc/workqueue.h>

struct virt_dma_desc {
	struct dma_async_tx_descriptor tx;
	struct dmaengine_result tx_result;
	struct list_head node;
};

struct virt_dma_chan {
	struct dma_chan chan;
	struct work_struct task;	/* completion bottom half (system_bh_wq) */
	void (*desc_free)(struct virt_dma_desc *vd);
	spinlock_t lock;

	struct list_head desc_allocated;
	struct list_head desc_submitted;
	struct list_head desc_issued;
	struct list_head desc_completed;
	struct list_head desc_terminated;

	struct virt_dma_desc *cyclic;
	u64 callbacks;			/* completion callbacks run, for tests and reports */
};

static inline struct virt_dma_chan *to_virt_chan(struct dma_chan *chan)
{
	return container_of(chan, struct virt_dma_chan, chan);
}

static inline struct virt_dma_desc *to_virt_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(tx, struct virt_dma_desc, tx);
}

/** vchan_init - set up @vc and add it to @dmadev's channels */
void vchan_init(struct virt_dma_chan *vc, struct dma_device *dmadev);

/**
 * vchan_tx_prep - finish preparing @vd: hook up tx_submit/desc_free and
 * put it on desc_allocated
 * Return: &vd->tx, for the driver's prep callback to return
 */
struct dma_async_tx_descriptor *vchan_tx_prep(struct virt_dma_chan *vc,
					      struct virt_dma_desc *vd,
					      unsigned long tx_flags);
/** vchan_issue_pending - move submitted to issued. Return: true if anything is issued */
bool vchan_issue_pending(struct virt_dma_chan *vc);
/** vchan_cookie_complete - @vd is done: complete its cookie, queue its callback */
void vchan_cookie_complete(struct virt_dma_desc *vd);
/** vchan_terminate_vdesc - a terminated @vd waits for vchan_synchronize() */
void vchan_terminate_vdesc(struct virt_dma_desc *vd);
/** vchan_next_desc - the first issued descriptor, or NULL */
struct virt_dma_desc *vchan_next_desc(struct virt_dma_chan *vc);
/** vchan_find_desc - the issued descriptor with @cookie, or NULL */
struct virt_dma_desc *vchan_find_desc(struct virt_dma_chan *vc, dma_cookie_t cookie);
/** vchan_get_all_descriptors - move every list (terminated too, as Linux) onto @head */
void vchan_get_all_descriptors(struct virt_dma_chan *vc, struct list_head *head);
/** vchan_dma_desc_free_list - free every descriptor on @head (no callbacks) */
void vchan_dma_desc_free_list(struct virt_dma_chan *vc, struct list_head *head);
/** vchan_free_chan_resources - free everything the channel still holds */
void vchan_free_chan_resources(struct virt_dma_chan *vc);
/** vchan_synchronize - cancel the bottom half and free terminated descriptors */
void vchan_synchronize(struct virt_dma_chan *vc);

#endif /* SECSOC_VIRT_DMA_H */
