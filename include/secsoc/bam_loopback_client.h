/*
 * bam_loopback_client.h - the normal-world driver of the BAM loopback test
 * peripheral ("secsoc,bam-loopback", docs/bindings/secsoc,bam-loopback.md).
 *
 * It is to the loopback what the crypto driver is to the QCE: a dmaengine
 * client of the BAM driver with an "rx" channel (memory to the peripheral,
 * the BAM consumer pipe) and a "tx" channel (the peripheral back to memory,
 * the producer pipe). One loop transfer sends a buffer out over "rx" and
 * receives the same bytes over "tx", through the whole driver stack and the
 * BAM model, under the kernel's lock policy. Tests and `secsoc bench dma`
 * use it.
 */
#ifndef SECSOC_BAM_LOOPBACK_CLIENT_H
#define SECSOC_BAM_LOOPBACK_CLIENT_H

#include <secsoc/dmaengine.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>

#define BAM_LOOPBACK_XFER_MAX (16u << 20)	/* bytes of one loop transfer, at most */

struct bam_loopback_req;

/**
 * struct bam_loopback_client - a bound loopback
 * @dev: its device
 * @rx: the channel to the peripheral (DMA_MEM_TO_DEV)
 * @tx: the channel from the peripheral (DMA_DEV_TO_MEM)
 * @regs: the peripheral's registers
 * @regs_phys: their physical address (the lock scratchpad is LOOPBACK_ID there)
 * @xfers_done: loop transfers completed, successful or not
 * @cur: the request in flight, or NULL
 */
struct bam_loopback_client {
	struct device *dev;
	struct dma_chan *rx, *tx;
	void __iomem *regs;
	phys_addr_t regs_phys;
	u64 xfers_done;
	struct bam_loopback_req *cur;
};

/**
 * struct bam_loopback_req - one loop transfer
 * @src: @len bytes of kernel memory (kmalloc, alloc_pages_exact) to send
 * @dst: @len bytes of kernel memory that receive them (may equal @src)
 * @len: 1..BAM_LOOPBACK_XFER_MAX
 * @done: called once the transfer finished, from the channel's completion
 *	bottom half; the buffers are unmapped by then and the client may
 *	start the next transfer from here
 * @context: for @done
 * @result: in @done: 0, or -EIO when the DMA engine reported an error
 *
 * The remaining fields are the client's while the request is in flight.
 */
struct bam_loopback_req {
	void *src;
	void *dst;
	unsigned int len;
	void (*done)(struct bam_loopback_req *req);
	void *context;
	int result;
	/* private: */
	struct bam_loopback_client *lc;
	struct scatterlist src_sg, dst_sg;
	unsigned int pending;		/* descriptors not completed yet */
};

extern const struct platform_driver bam_loopback_client_driver;

/**
 * bam_loopback_client_of - the client bound to the loopback node @np
 *
 * Return: the client, or NULL when @np has no bound loopback driver.
 */
struct bam_loopback_client *bam_loopback_client_of(struct kernel *k, const struct dt_node *np);

/**
 * bam_loopback_xfer - loop @req->len bytes from @req->src to @req->dst
 * @lc: the client
 * @req: the transfer; owned by the client until @req->done runs
 *
 * Maps both buffers, prepares the "tx" descriptor (completion interrupt)
 * and the "rx" one (completion interrupt, plus DMA_PREP_FENCE under the
 * "nwd" lock policy) with the LOOPBACK_ID register as the pipe lock's
 * scratchpad, submits and issues "tx" first so that the looped bytes land
 * straight in @req->dst. The transfer is finished when both descriptors
 * completed; if one fails, the other channel is terminated and @req->done
 * sees -EIO. One transfer is in flight at a time.
 *
 * Return: 0 (then @req->done will run), -EINVAL for a length of 0 or above
 * BAM_LOOPBACK_XFER_MAX or a NULL buffer or callback, -EBUSY while another
 * transfer is in flight, -ENOMEM when mapping failed, or the DMA engine's
 * error; on error nothing stays mapped or queued and @req->done never runs.
 */
int bam_loopback_xfer(struct bam_loopback_client *lc, struct bam_loopback_req *req);

#endif /* SECSOC_BAM_LOOPBACK_CLIENT_H */
