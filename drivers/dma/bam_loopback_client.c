/*
 * bam_loopback_client.c - the test client driver of the BAM loopback
 * peripheral (include/secsoc/bam_loopback_client.h).
 *
 * A dmaengine client shaped like the Qualcomm crypto driver's DMA layer
 * (drivers/crypto/qce/dma.c): "rx" and "tx" channels from the device tree,
 * slave configs pointing at the peripheral, one scatterlist per direction,
 * and the pipe-locking series' descriptor metadata on the "rx" descriptor.
 * It owns its channels, its register mapping and the mappings of the
 * request in flight.
 */
#include <errno.h>

#include <secsoc/bam_loopback.h>
#include <secsoc/bam_loopback_client.h>
#include <secsoc/dma/qcom_bam_dma.h>
#include <secsoc/slab.h>

/* ---- one loop transfer ---- */

static int lc_map(struct bam_loopback_client *lc, struct bam_loopback_req *req)
{
	sg_init_one(&req->src_sg, req->src, req->len);
	sg_init_one(&req->dst_sg, req->dst, req->len);
	if (!dma_map_sg(lc->dev, &req->src_sg, 1, DMA_TO_DEVICE))
		return -ENOMEM;
	if (!dma_map_sg(lc->dev, &req->dst_sg, 1, DMA_FROM_DEVICE)) {
		dma_unmap_sg(lc->dev, &req->src_sg, 1, DMA_TO_DEVICE);
		return -ENOMEM;
	}
	return 0;
}

static void lc_unmap(struct bam_loopback_client *lc, struct bam_loopback_req *req)
{
	dma_unmap_sg(lc->dev, &req->dst_sg, 1, DMA_FROM_DEVICE);
	dma_unmap_sg(lc->dev, &req->src_sg, 1, DMA_TO_DEVICE);
}

/*
 * A descriptor of @req completed. An error stops the other channel too:
 * a failed producer leaves the loopback's FIFO full and the consumer
 * stuck, a failed consumer leaves the producer waiting for bytes.
 */
static void lc_desc_done(struct bam_loopback_req *req, struct dma_chan *other,
			 const struct dmaengine_result *res)
{
	struct bam_loopback_client *lc = req->lc;

	if (res && res->result != DMA_TRANS_NOERROR) {
		req->result = -EIO;
		if (req->pending == 2) {
			dmaengine_terminate_async(other);
			req->pending--;
		}
	}
	if (--req->pending)
		return;
	lc_unmap(lc, req);
	lc->cur = NULL;
	lc->xfers_done++;
	req->done(req);
}

static void lc_tx_done(void *param, const struct dmaengine_result *res)
{
	struct bam_loopback_req *req = param;

	lc_desc_done(req, req->lc->rx, res);
}

static void lc_rx_done(void *param, const struct dmaengine_result *res)
{
	struct bam_loopback_req *req = param;

	lc_desc_done(req, req->lc->tx, res);
}

static struct dma_async_tx_descriptor *lc_prep(struct dma_chan *chan, struct scatterlist *sg,
					       enum dma_transfer_direction dir,
					       unsigned long flags,
					       dma_async_tx_callback_result cb,
					       struct bam_loopback_req *req)
{
	struct dma_async_tx_descriptor *desc = dmaengine_prep_slave_sg(chan, sg, 1, dir, flags);

	if (desc) {
		desc->callback_result = cb;
		desc->callback_param = req;
	}
	return desc;
}

static unsigned long lc_rx_flags(void)
{
	bool nwd = kernel_current()->params.lock_policy == LOCK_POLICY_NWD;

	return DMA_PREP_INTERRUPT | (nwd ? DMA_PREP_FENCE : 0);
}

/* Prepare and queue both descriptors; on error the caller terminates both channels. */
static int lc_queue(struct bam_loopback_client *lc, struct bam_loopback_req *req)
{
	struct bam_desc_metadata md = {
		.scratchpad_addr = lc->regs_phys + LOOPBACK_ID,
		.direction = DMA_MEM_TO_DEV,
	};
	struct dma_async_tx_descriptor *txd, *rxd;
	int ret;

	txd = lc_prep(lc->tx, &req->dst_sg, DMA_DEV_TO_MEM, DMA_PREP_INTERRUPT, lc_tx_done, req);
	rxd = txd ? lc_prep(lc->rx, &req->src_sg, DMA_MEM_TO_DEV, lc_rx_flags(), lc_rx_done,
			    req) : NULL;
	if (!rxd)
		return -ENOMEM;
	/* 0 also on a BAM without pipe locking: the transfer then runs unlocked. */
	ret = dmaengine_desc_attach_metadata(rxd, &md, sizeof(md));
	if (ret)
		return ret;
	ret = dma_submit_error(dmaengine_submit(txd));
	if (!ret)
		ret = dma_submit_error(dmaengine_submit(rxd));
	return ret;
}

int bam_loopback_xfer(struct bam_loopback_client *lc, struct bam_loopback_req *req)
{
	int ret;

	if (!req->len || req->len > BAM_LOOPBACK_XFER_MAX || !req->src || !req->dst ||
	    !req->done)
		return -EINVAL;
	if (lc->cur)
		return -EBUSY;
	ret = lc_map(lc, req);
	if (ret)
		return ret;
	req->lc = lc;
	req->result = 0;
	req->pending = 2;
	ret = lc_queue(lc, req);
	if (ret) {
		/*
		 * Frees what was prepared or submitted. Nothing was issued, so no
		 * callback can run: the async form is enough, and it is safe when
		 * the caller is a completion callback itself.
		 */
		dmaengine_terminate_async(lc->tx);
		dmaengine_terminate_async(lc->rx);
		lc_unmap(lc, req);
		return ret;
	}
	lc->cur = req;
	dma_async_issue_pending(lc->tx);
	dma_async_issue_pending(lc->rx);
	return 0;
}

/* ---- the driver ---- */

static struct dma_chan *lc_request_chan(struct bam_loopback_client *lc, const char *name,
					int *ret)
{
	struct dma_chan *chan = dma_request_chan(lc->dev, name);

	if (!IS_ERR(chan))
		return chan;
	*ret = (int)PTR_ERR(chan);
	if (*ret != -EPROBE_DEFER)	/* deferral is normal until the BAM probed */
		dev_err(lc->dev, "cannot get the \"%s\" DMA channel: %d", name, *ret);
	return NULL;
}

static int lc_request_chans(struct bam_loopback_client *lc)
{
	int ret = 0;

	lc->rx = lc_request_chan(lc, "rx", &ret);
	if (lc->rx)
		lc->tx = lc_request_chan(lc, "tx", &ret);
	if (lc->rx && !lc->tx)
		dma_release_channel(lc->rx);
	return ret;
}

/* The peripheral's registers are the far end of both channels. */
static int lc_config_chans(struct bam_loopback_client *lc)
{
	struct dma_slave_config rx_cfg = { .direction = DMA_MEM_TO_DEV,
					   .dst_addr = lc->regs_phys };
	struct dma_slave_config tx_cfg = { .direction = DMA_DEV_TO_MEM,
					   .src_addr = lc->regs_phys };
	int ret = dmaengine_slave_config(lc->rx, &rx_cfg);

	return ret ? ret : dmaengine_slave_config(lc->tx, &tx_cfg);
}

static int lc_map_regs(struct platform_device *pdev, struct bam_loopback_client *lc)
{
	struct dt_reg reg;
	u32 id;

	if (platform_get_resource_reg(pdev, 0, &reg)) {
		dev_err(lc->dev, "no register window ('reg')");
		return -EINVAL;
	}
	lc->regs_phys = reg.addr;
	lc->regs = ioremap(reg.addr, LOOPBACK_MMIO_SIZE);
	if (!lc->regs)
		return -ENOMEM;
	id = readl(lc->regs + LOOPBACK_ID);
	if (id == LOOPBACK_ID_VALUE)
		return 0;
	dev_err(lc->dev, "LOOPBACK_ID reads 0x%08x, not 0x%08x: no loopback here", id,
		LOOPBACK_ID_VALUE);
	iounmap(lc->regs);
	return -ENODEV;
}

static int lc_probe(struct platform_device *pdev)
{
	struct bam_loopback_client *lc = kzalloc(sizeof(*lc), GFP_KERNEL);
	int ret;

	if (!lc)
		return -ENOMEM;
	lc->dev = &pdev->dev;
	ret = lc_request_chans(lc);
	if (ret)
		goto free;
	ret = lc_map_regs(pdev, lc);
	if (ret)
		goto release;
	ret = lc_config_chans(lc);
	if (ret) {
		dev_err(lc->dev, "cannot configure the DMA channels: %d", ret);
		iounmap(lc->regs);
		goto release;
	}
	platform_set_drvdata(pdev, lc);
	return 0;
release:
	dma_release_channel(lc->tx);
	dma_release_channel(lc->rx);
free:
	kfree(lc);
	return ret;
}

static void lc_remove(struct platform_device *pdev)
{
	struct bam_loopback_client *lc = platform_get_drvdata(pdev);

	dmaengine_terminate_sync(lc->tx);
	dmaengine_terminate_sync(lc->rx);
	if (lc->cur)	/* aborted: its callback can no longer run */
		lc_unmap(lc, lc->cur);
	dma_release_channel(lc->tx);
	dma_release_channel(lc->rx);
	iounmap(lc->regs);
	kfree(lc);
}

struct bam_loopback_client *bam_loopback_client_of(struct kernel *k, const struct dt_node *np)
{
	struct device *dev = driver_core_bound_device(&k->dc, np);

	return dev && dev->driver == &bam_loopback_client_driver ? dev_get_drvdata(dev) : NULL;
}

static const struct of_device_id lc_of_match[] = {
	{ .compatible = "secsoc,bam-loopback" },
	{ 0 },
};

const struct platform_driver bam_loopback_client_driver = {
	.name = "bam-loopback-client",
	.of_match_table = lc_of_match,
	.probe = lc_probe,
	.remove = lc_remove,
};
