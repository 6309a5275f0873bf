/*
 * secsoc_disp.c - the driver of the "secsoc,display" scan-out engine
 * (include/secsoc/secsoc_disp.h, include/secsoc/display.h for the
 * registers, docs/display.md).
 *
 * Owns the bound display (one per kernel), its framebuffer slots and its
 * interrupt. Framebuffers follow KMS's page-flip life cycle: a commit
 * attaches and maps the dma-buf, writes the shadow registers with the
 * commit's number as FB_TAG, and sets COMMIT; the hardware latches at the
 * next frame start; the vblank handler reads CRC_TAG, which names the
 * commit the finished frame showed, and releases every older commit,
 * since commits latch in order and an older one is never scanned again.
 */
#include <errno.h>

#include <secsoc/display.h>
#include <secsoc/err.h>
#include <secsoc/interrupt.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/secsoc_disp.h>
#include <secsoc/slab.h>
#include <secsoc/spinlock.h>

/* A framebuffer the display may scan out: attached, mapped, referenced. */
struct disp_fb {
	struct dma_buf *buf;		/* NULL: the slot is free */
	struct dma_buf_attachment *att;
	struct sg_table *sgt;
	u32 offset;
	u64 commit;			/* its number, also its FB_TAG (low 32 bits) */
};

struct secsoc_disp {
	struct device *dev;
	void __iomem *regs;
	int irq;
	spinlock_t lock;		/* the slots, the callback, the statistics */
	struct disp_fb fbs[SECSOC_DISP_FBS_MAX];
	int pending;			/* slot written to the shadow registers, or -1 */
	bool stale;			/* the latched framebuffer was released */
	u64 seq;			/* last frame reported */
	secsoc_disp_vblank_fn vblank_fn;
	void *vblank_ctx;
	struct secsoc_disp_stats st;
};

extern const struct platform_driver secsoc_disp_driver;

static u32 disp_readl(const struct secsoc_disp *disp, u32 off)
{
	return readl(disp->regs + off);
}

static void disp_writel(const struct secsoc_disp *disp, u32 val, u32 off)
{
	writel(val, disp->regs + off);
}

/* ---- framebuffer slots ---- */

static void fb_release(struct secsoc_disp *disp, struct disp_fb *fb)
{
	dma_buf_unmap_attachment_unlocked(fb->att, fb->sgt, DMA_TO_DEVICE);
	dma_buf_detach(fb->buf, fb->att);
	dma_buf_put(fb->buf);
	*fb = (struct disp_fb){ 0 };
	disp->st.held--;
}

static struct disp_fb *fb_free_slot(struct secsoc_disp *disp)
{
	for (unsigned int i = 0; i < SECSOC_DISP_FBS_MAX; i++)
		if (!disp->fbs[i].buf)
			return &disp->fbs[i];
	return NULL;
}

/* Is commit @a older than the commit whose FB_TAG is @tag? (32-bit serial numbers) */
static bool commit_before(u64 a, u32 tag)
{
	return (s32)((u32)a - tag) < 0;
}

/*
 * The bus address of bytes [@offset, @offset + @len) of the mapping, which
 * the display needs in one piece (it has no IOMMU); 0 if it is not.
 */
static dma_addr_t fb_dma_range(const struct sg_table *sgt, u32 offset, u64 len)
{
	struct scatterlist *sg;
	dma_addr_t start = 0, next = 0;
	u64 pos = 0, end = (u64)offset + len;
	unsigned int i;

	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		u64 s_end = pos + sg_dma_len(sg);

		if (s_end > offset && pos < end) {
			dma_addr_t at = sg_dma_address(sg) + (pos < offset ? offset - pos : 0);

			if (start && at != next)
				return 0;
			if (!start)
				start = at;
			next = sg_dma_address(sg) + sg_dma_len(sg);
		}
		pos = s_end;
	}
	return pos >= end ? start : 0;
}

/* The bytes the display reads of a framebuffer: up to the last pixel of its last row. */
static u64 fb_len(u32 width, u32 height, u32 stride)
{
	return (u64)stride * (height - 1) + (u64)width * 4;
}

static int commit_args_check(struct secsoc_disp *disp, struct dma_buf *fb, u32 offset,
			     u32 width, u32 height, u32 stride)
{
	if (!disp || !fb)
		return -EINVAL;
	if (width == 0 || width > DISPLAY_DIM_MAX || height == 0 || height > DISPLAY_DIM_MAX ||
	    stride % 4 || stride < width * 4 || offset % 4)
		return -EINVAL;
	if ((u64)offset + fb_len(width, height, stride) > fb->size)
		return -EINVAL;
	return 0;
}

/* Attach and map @buf into @slot; the framebuffer's bus address in *@addr. */
static int fb_import(struct secsoc_disp *disp, struct disp_fb *slot, struct dma_buf *buf,
		     u32 offset, u64 len, dma_addr_t *addr)
{
	struct dma_buf_attachment *att = dma_buf_attach(buf, disp->dev);
	struct sg_table *sgt;

	if (IS_ERR(att))
		return (int)PTR_ERR(att);
	sgt = dma_buf_map_attachment_unlocked(att, DMA_TO_DEVICE);
	if (IS_ERR(sgt)) {
		dma_buf_detach(buf, att);
		return (int)PTR_ERR(sgt);
	}
	*addr = fb_dma_range(sgt, offset, len);
	if (!*addr) {
		dev_warn(disp->dev, "framebuffer of %llu bytes at offset %u is not contiguous",
			 (unsigned long long)len, offset);
		dma_buf_unmap_attachment_unlocked(att, sgt, DMA_TO_DEVICE);
		dma_buf_detach(buf, att);
		return -EINVAL;
	}
	get_dma_buf(buf);
	*slot = (struct disp_fb){ .buf = buf, .att = att, .sgt = sgt, .offset = offset };
	disp->st.held++;
	return 0;
}

/*
 * A commit still waiting in the shadow registers is replaced by the next
 * one; one the hardware latched stays held until a vblank shows a newer one.
 */
static void retire_pending(struct secsoc_disp *disp)
{
	if (disp->pending < 0)
		return;
	if (disp_readl(disp, DISPLAY_STATUS) & DISPLAY_STATUS_COMMIT_PENDING) {
		fb_release(disp, &disp->fbs[disp->pending]);
		disp->st.replaced++;
	}
	disp->pending = -1;
}

static void program_fb(struct secsoc_disp *disp, dma_addr_t addr, u32 width, u32 height,
		       u32 stride, u64 commit)
{
	disp_writel(disp, (u32)addr, DISPLAY_FB_BASE_LO);
	disp_writel(disp, (u32)(addr >> 32), DISPLAY_FB_BASE_HI);
	disp_writel(disp, stride, DISPLAY_FB_STRIDE);
	disp_writel(disp, width, DISPLAY_FB_WIDTH);
	disp_writel(disp, height, DISPLAY_FB_HEIGHT);
	disp_writel(disp, DISPLAY_FORMAT_XRGB8888, DISPLAY_FB_FORMAT);
	disp_writel(disp, (u32)commit, DISPLAY_FB_TAG);
	wmb();
	disp_writel(disp, DISPLAY_COMMIT_GO, DISPLAY_COMMIT);
}

int secsoc_disp_commit(struct secsoc_disp *disp, struct dma_buf *fb, u32 offset, u32 width,
		       u32 height, u32 stride)
{
	int ret = commit_args_check(disp, fb, offset, width, height, stride);
	struct disp_fb *slot;
	dma_addr_t addr = 0;
	unsigned long flags;

	if (ret)
		return ret;
	spin_lock_irqsave(&disp->lock, flags);
	retire_pending(disp);
	slot = fb_free_slot(disp);
	ret = slot ? fb_import(disp, slot, fb, offset, fb_len(width, height, stride), &addr)
		   : -EBUSY;
	if (!ret) {
		slot->commit = ++disp->st.commits;
		disp->pending = (int)(slot - disp->fbs);
		disp->stale = false;
		program_fb(disp, addr, width, height, stride, slot->commit);
	}
	spin_unlock_irqrestore(&disp->lock, flags);
	return ret;
}

/* ---- vblank ---- */

/* The frame that ended, from the CRC registers; releases what it superseded. */
static void disp_vblank(struct secsoc_disp *disp, struct secsoc_disp_vblank *vb)
{
	u32 frame = disp_readl(disp, DISPLAY_CRC_FRAME);
	u32 tag = disp_readl(disp, DISPLAY_CRC_TAG);
	u32 status = disp_readl(disp, DISPLAY_CRC_STATUS);
	u64 seq = disp->seq + (u32)(frame - (u32)disp->seq);

	*vb = (struct secsoc_disp_vblank){ .seq = seq, .crc = disp_readl(disp, DISPLAY_CRC),
					   .fault = status & DISPLAY_CRC_STATUS_FAULT,
					   .blank = status & DISPLAY_CRC_STATUS_BLANK };
	if (seq > disp->seq)
		disp->st.missed += seq - disp->seq - 1;
	disp->seq = seq;
	disp->st.frames++;
	disp->st.faults += vb->fault;
	for (unsigned int i = 0; !vb->blank && i < SECSOC_DISP_FBS_MAX; i++) {
		struct disp_fb *fb = &disp->fbs[i];

		if (!fb->buf)
			continue;
		if ((u32)fb->commit == tag) {
			vb->fb = fb->buf;
			vb->offset = fb->offset;
			vb->commit = fb->commit;
			if ((int)i == disp->pending)
				disp->pending = -1;
		} else if (commit_before(fb->commit, tag) && (int)i != disp->pending) {
			fb_release(disp, fb);
		}
	}
}

static irqreturn_t secsoc_disp_irq(int irq, void *dev_id)
{
	struct secsoc_disp *disp = dev_id;
	u32 stat = disp_readl(disp, DISPLAY_INT_STAT);
	struct secsoc_disp_vblank vb;
	secsoc_disp_vblank_fn fn;
	void *ctx;

	if (!stat)
		return IRQ_NONE;
	disp_writel(disp, stat, DISPLAY_INT_CLEAR);
	if (!(stat & DISPLAY_INT_VBLANK))
		return IRQ_HANDLED;	/* FAULT alone: counted with its frame's vblank */
	spin_lock(&disp->lock);
	disp_vblank(disp, &vb);
	fn = disp->vblank_fn;
	ctx = disp->vblank_ctx;
	spin_unlock(&disp->lock);
	if (fn)
		fn(ctx, &vb);
	return IRQ_HANDLED;
}

void secsoc_disp_set_vblank_cb(struct secsoc_disp *disp, secsoc_disp_vblank_fn fn, void *ctx)
{
	unsigned long flags;

	spin_lock_irqsave(&disp->lock, flags);
	disp->vblank_fn = fn;
	disp->vblank_ctx = ctx;
	spin_unlock_irqrestore(&disp->lock, flags);
}

/* ---- enable, statistics, lookup ---- */

int secsoc_disp_enable(struct secsoc_disp *disp)
{
	/* After secsoc_disp_release_fbs() the hardware still points at the old buffer. */
	if (!disp || disp->stale)
		return -EINVAL;
	disp_writel(disp, DISPLAY_CTRL_ENABLE, DISPLAY_CTRL);
	return 0;
}

void secsoc_disp_disable(struct secsoc_disp *disp)
{
	if (disp)
		disp_writel(disp, 0, DISPLAY_CTRL);
}

/* Stopped: nothing is scanned out any more, so every buffer can go. */
static void release_all(struct secsoc_disp *disp)
{
	for (unsigned int i = 0; i < SECSOC_DISP_FBS_MAX; i++)
		if (disp->fbs[i].buf)
			fb_release(disp, &disp->fbs[i]);
	disp->pending = -1;
}

void secsoc_disp_release_fbs(struct secsoc_disp *disp)
{
	unsigned long flags;

	if (!disp)
		return;
	spin_lock_irqsave(&disp->lock, flags);
	secsoc_disp_disable(disp);
	disp->stale = disp->stale || disp->st.held;
	release_all(disp);
	spin_unlock_irqrestore(&disp->lock, flags);
}

struct secsoc_disp_stats secsoc_disp_stats(const struct secsoc_disp *disp)
{
	return disp->st;
}

/* Looked up in the running kernel, so a kernel abandoned half-way leaves nothing behind. */
struct secsoc_disp *secsoc_disp_get(void)
{
	struct kernel *k = kernel_current();

	for (unsigned int i = 0; k && i < k->dc.nr_devs; i++) {
		struct device *dev = &k->dc.devs[i].dev;

		if (dev->bound && dev->driver == &secsoc_disp_driver)
			return dev_get_drvdata(dev);
	}
	return NULL;
}

/* ---- probe and remove ---- */

static int disp_map(struct platform_device *pdev, struct secsoc_disp *disp)
{
	struct dt_reg reg;

	if (platform_get_resource_reg(pdev, 0, &reg)) {
		dev_err(&pdev->dev, "no register window ('reg')");
		return -EINVAL;
	}
	if (reg.size < DISPLAY_MMIO_SIZE) {
		dev_err(&pdev->dev, "register window of 0x%llx bytes is smaller than 0x%x",
			(unsigned long long)reg.size, DISPLAY_MMIO_SIZE);
		return -EINVAL;
	}
	disp->regs = ioremap(reg.addr, DISPLAY_MMIO_SIZE);
	if (!disp->regs)
		return -ENOMEM;
	if (disp_readl(disp, DISPLAY_ID) != DISPLAY_ID_VALUE) {
		dev_err(&pdev->dev, "unknown ID 0x%08x", disp_readl(disp, DISPLAY_ID));
		return -ENODEV;
	}
	return 0;
}

static void disp_free(struct secsoc_disp *disp)
{
	if (disp->regs)
		iounmap(disp->regs);
	kfree(disp);
}

static int secsoc_disp_probe(struct platform_device *pdev)
{
	struct secsoc_disp *disp;
	int ret;

	disp = secsoc_disp_get();
	if (disp) {
		dev_err(&pdev->dev, "a second display is not supported (%s is bound)",
			dev_name(disp->dev));
		return -EINVAL;
	}
	disp = kzalloc(sizeof(*disp), GFP_KERNEL);
	if (!disp)
		return -ENOMEM;
	disp->dev = &pdev->dev;
	disp->pending = -1;
	spin_lock_init(&disp->lock);
	disp->irq = platform_get_irq(pdev, 0);
	ret = disp->irq < 0 ? disp->irq : disp_map(pdev, disp);
	if (!ret) {
		/* Start stopped and quiet: what a previous user left is forgotten. */
		disp_writel(disp, 0, DISPLAY_CTRL);
		disp_writel(disp, DISPLAY_INT_ALL, DISPLAY_INT_CLEAR);
		disp->seq = disp_readl(disp, DISPLAY_FRAME_COUNT);
		ret = request_irq((unsigned int)disp->irq, secsoc_disp_irq, 0, "secsoc_disp", disp);
	}
	if (ret) {
		disp_free(disp);
		return ret;
	}
	disp_writel(disp, DISPLAY_INT_ALL, DISPLAY_INT_MASK);
	platform_set_drvdata(pdev, disp);
	return 0;
}

static void secsoc_disp_remove(struct platform_device *pdev)
{
	struct secsoc_disp *disp = platform_get_drvdata(pdev);

	disp_writel(disp, 0, DISPLAY_CTRL);
	disp_writel(disp, 0, DISPLAY_INT_MASK);
	free_irq((unsigned int)disp->irq, disp);
	release_all(disp);
	disp_free(disp);
}

static const struct of_device_id secsoc_disp_of_match[] = {
	{ .compatible = "secsoc,display" },
	{ 0 },
};

const struct platform_driver secsoc_disp_driver = {
	.name = "secsoc_disp",
	.of_match_table = secsoc_disp_of_match,
	.probe = secsoc_disp_probe,
	.remove = secsoc_disp_remove,
};
