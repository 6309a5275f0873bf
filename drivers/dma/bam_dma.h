/*
 * bam_dma.h - the Qualcomm BAM DMA driver's private structures, shared by
 * the driver core (bam_dma.c) and its pipe locking (bam_dma_lock.c).
 *
 * The shapes follow drivers/dma/qcom/bam_dma.c and the locking series
 * (reference §2): a bam_async_desc is one dmaengine descriptor holding the
 * hardware descriptors it was split into; a bam_chan is one pipe.
 */
#ifndef SECSOC_DRIVERS_BAM_DMA_H
#define SECSOC_DRIVERS_BAM_DMA_H

#include <secsoc/bam.h>
#include <secsoc/dma/qcom_bam_dma.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/virt-dma.h>

#define BAM_DESC_FIFO_SIZE 32768
/* One slot stays free so that tail == head always means "empty". */
#define MAX_DESCRIPTORS (BAM_DESC_FIFO_SIZE / sizeof(struct bam_desc) - 1)
/* P_FIFO_SIZES, and the most bytes one hardware descriptor carries. */
#define BAM_FIFO_SIZE (BAM_DESC_FIFO_SIZE - 8)
/* Hardware descriptors in one dmaengine descriptor, at most (our limit). */
#define BAM_MAX_DESCS_PER_TX 65536
#define BAM_DEFAULT_CNT_THRSHLD 4
#define P_DEFAULT_IRQS_EN (BAM_P_PRCSD_DESC | BAM_P_ERR | BAM_P_TRNSFR_END)
#define P_ERROR_IRQS (BAM_P_ERR | BAM_P_HRESP_ERR)

/* Match data: the register layout and whether LOCK/UNLOCK exist (v1.4+). */
struct bam_device_data {
	enum bam_version version;
	bool pipe_lock_supported;
};

struct bam_async_desc {
	struct virt_dma_desc vd;
	u32 num_desc;			/* hardware descriptors not yet retired */
	u32 xfer_len;			/* of those, how many are in the FIFO now */
	u16 flags;			/* EOT/NWD for the last hardware descriptor */
	struct bam_desc *curr_desc;	/* the first one not yet retired */
	struct list_head desc_node;	/* on bchan->desc_list while in the FIFO */
	enum dma_transfer_direction dir;
	size_t length;			/* bytes of all hardware descriptors */
	/* A LOCK or UNLOCK descriptor: its command element and mapping. */
	bool lock;
	struct bam_cmd_element lock_ce;
	struct scatterlist lock_sg;
	struct bam_desc desc[];
};

struct bam_device;

struct bam_chan {
	struct virt_dma_chan vc;
	struct bam_device *bdev;
	u32 id;				/* the pipe */
	struct dma_slave_config slave;
	struct bam_desc *fifo_virt;
	dma_addr_t fifo_phys;
	unsigned short head;		/* next FIFO slot the hardware retires */
	unsigned short tail;		/* next FIFO slot software fills */
	bool initialized;
	bool paused;
	bool reconfigure;
	struct list_head desc_list;	/* bam_async_desc in the FIFO, in order */
	/*
	 * Pipe locking (bam_dma_lock.c): the scratchpad comes from metadata,
	 * which attach accepts only for MEM_TO_DEV, so a set scratchpad also
	 * says the channel locks.
	 */
	phys_addr_t scratchpad_addr;
	bool bam_locked;		/* a LOCK is queued or loaded without its UNLOCK */
	/*
	 * The pipe halted on an error and was not reset since: it may still
	 * hold the BAM lock, which only a pipe reset releases.
	 */
	bool error_halt;
};

struct bam_device {
	void __iomem *regs;
	phys_addr_t regs_phys;
	struct device *dev;
	struct dma_device common;
	struct bam_chan *channels;
	u32 num_channels;
	u32 num_ees;
	u32 ee;				/* qcom,ee: Linux's execution environment */
	bool controlled_remotely;
	bool powered_remotely;
	u32 active_channels;
	const struct bam_device_data *dev_data;
	enum lock_policy lock_policy;
	int irq;
	struct work_struct work;	/* refills the FIFOs (BH workqueue) */
};

static inline struct bam_chan *to_bam_chan(struct dma_chan *common)
{
	return container_of(common, struct bam_chan, vc.chan);
}

static inline struct bam_async_desc *to_bam_desc(struct virt_dma_desc *vd)
{
	return container_of(vd, struct bam_async_desc, vd);
}

/* bam_dma.c */
void bam_dma_free_desc(struct virt_dma_desc *vd);
void bam_complete_desc(struct bam_async_desc *async_desc);
void bam_fail_desc(struct bam_chan *bchan, struct bam_async_desc *async_desc,
		   enum dmaengine_tx_result result);

/* bam_dma_lock.c */
extern const struct dma_descriptor_metadata_ops bam_metadata_ops;
bool bam_chan_can_lock(const struct bam_chan *bchan);
void bam_lock_issue_pending(struct bam_chan *bchan);
void bam_lock_bh(struct bam_chan *bchan);
int bam_lock_wrap(struct bam_chan *bchan, struct bam_async_desc *next);
void bam_lock_loaded(struct bam_chan *bchan, struct bam_async_desc *async_desc);
void bam_lock_unmap(struct bam_async_desc *async_desc);

#endif /* SECSOC_DRIVERS_BAM_DMA_H */
