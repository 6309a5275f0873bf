/*
 * test_dmaengine.c - the dmaengine core on the default board: provider
 * registration rules, of_dma translation and dma_request_chan() by
 * dma-names (with deferral, -ENODEV, -EBUSY, -EINVAL and allocation
 * errors), cookies and their wrap-around, tx_status with residue,
 * completion order and callbacks in bottom-half context, terminate and
 * synchronize, the ops a provider may lack, descriptor metadata and slave
 * capabilities.
 *
 * The provider is a fake DMA engine written here on virt-dma: it binds to
 * the crypto BAM's node ("qcom,bam-v1.7.0"), and its "hardware" is a work
 * item that finishes the active descriptor each time the CPU runs it. The
 * client is a test driver for the crypto engine's node ("qcom,qce", whose
 * dmas are <&cryptobam 4>, <&cryptobam 5> named "rx", "tx").
 */
#include <errno.h>
#include <string.h>

#include <secsoc/interrupt.h>
#include <secsoc/kernel.h>
#include <secsoc/virt-dma.h>

#include "helpers.h"

#define BAM_PATH "/soc@0/dma-controller@1dc4000"
#define QCE_PATH "/soc@0/crypto@1dfa000"
#define FAKE_CHANNELS 8
#define RX_CHAN 4		/* <&cryptobam 4> */
#define TX_CHAN 5
#define META_MAX 16
#define LOG_MAX 8

/* ---- the fake provider ---- */

struct fake_desc {
	struct virt_dma_desc vd;
	u32 length;
	u8 meta[META_MAX];
	size_t meta_len;
};

struct fake_chan {
	struct virt_dma_chan vc;
	struct fake_desc *active;	/* taken off desc_issued: "in the hardware" */
	struct work_struct hw;		/* the hardware finishing the active descriptor */
	unsigned int allocs, frees, syncs;
	struct dma_slave_config config;
	bool paused;
};

struct fake_dma {
	struct dma_device ddev;
	struct fake_chan chans[FAKE_CHANNELS];
	u32 nr_chans;			/* specifiers at or above are refused */
};

/* What the fake did, and the knobs a test turns. */
static struct {
	unsigned int descs_freed;
	int alloc_ret;			/* alloc_chan_resources result */
	bool fail_next;			/* the next completion reports a read error */
} fake;

static struct fake_chan *to_fake_chan(struct dma_chan *chan)
{
	return container_of(to_virt_chan(chan), struct fake_chan, vc);
}

static struct fake_desc *to_fake_desc(struct dma_async_tx_descriptor *tx)
{
	return container_of(to_virt_desc(tx), struct fake_desc, vd);
}

static void fake_desc_free(struct virt_dma_desc *vd)
{
	fake.descs_freed++;
	kfree(container_of(vd, struct fake_desc, vd));
}

static int fake_attach(struct dma_async_tx_descriptor *tx, void *data, size_t len)
{
	struct fake_desc *d = to_fake_desc(tx);

	if (len > META_MAX)
		return -EINVAL;
	memcpy(d->meta, data, len);
	d->meta_len = len;
	return 0;
}

static const struct dma_descriptor_metadata_ops fake_metadata_ops = { .attach = fake_attach };

static int fake_alloc_chan_resources(struct dma_chan *chan)
{
	to_fake_chan(chan)->allocs++;
	return fake.alloc_ret;
}

static void fake_free_chan_resources(struct dma_chan *chan)
{
	struct fake_chan *fc = to_fake_chan(chan);

	vchan_free_chan_resources(&fc->vc);
	fc->frees++;
}

static struct dma_async_tx_descriptor *fake_prep_slave_sg(struct dma_chan *chan,
							  struct scatterlist *sgl,
							  unsigned int sg_len,
							  enum dma_transfer_direction dir,
							  unsigned long flags, void *context)
{
	struct fake_desc *d;
	struct scatterlist *sg;
	unsigned int i;

	(void)context;
	if (dir != DMA_MEM_TO_DEV && dir != DMA_DEV_TO_MEM)
		return NULL;
	d = kzalloc(sizeof(*d), GFP_NOWAIT);
	if (!d)
		return NULL;
	for_each_sg(sgl, sg, sg_len, i)
		d->length += sg->length;
	d->vd.tx.metadata_ops = &fake_metadata_ops;
	return vchan_tx_prep(&to_fake_chan(chan)->vc, &d->vd, flags);
}

/* Hand the next issued descriptor to the "hardware" (vc.lock held). */
static void fake_start(struct fake_chan *fc)
{
	struct virt_dma_desc *vd = vchan_next_desc(&fc->vc);

	if (!vd)
		return;
	list_del_init(&vd->node);
	fc->active = container_of(vd, struct fake_desc, vd);
	queue_work(system_bh_wq, &fc->hw);
}

/* The "hardware" finished the active descriptor: what an IRQ handler does. */
static void fake_hw_done(struct work_struct *work)
{
	struct fake_chan *fc = container_of(work, struct fake_chan, hw);

	spin_lock(&fc->vc.lock);
	if (fc->active) {
		if (fake.fail_next)
			fc->active->vd.tx_result = (struct dmaengine_result){
				DMA_TRANS_READ_FAILED, fc->active->length };
		fake.fail_next = false;
		vchan_cookie_complete(&fc->active->vd);
		fc->active = NULL;
		fake_start(fc);
	}
	spin_unlock(&fc->vc.lock);
}

static void fake_issue_pending(struct dma_chan *chan)
{
	struct fake_chan *fc = to_fake_chan(chan);

	spin_lock(&fc->vc.lock);
	if (vchan_issue_pending(&fc->vc) && !fc->active)
		fake_start(fc);
	spin_unlock(&fc->vc.lock);
}

static enum dma_status fake_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				      struct dma_tx_state *state)
{
	struct fake_chan *fc = to_fake_chan(chan);
	enum dma_status ret = dma_cookie_status(chan, cookie, state);
	struct virt_dma_desc *vd;
	u32 residue = 0;

	if (ret == DMA_COMPLETE || !state)
		return ret;
	spin_lock(&fc->vc.lock);
	vd = vchan_find_desc(&fc->vc, cookie);
	if (vd)
		residue = container_of(vd, struct fake_desc, vd)->length;
	else if (fc->active && fc->active->vd.tx.cookie == cookie)
		residue = fc->active->length;
	spin_unlock(&fc->vc.lock);
	dma_set_residue(state, residue);
	return ret;
}

/*
 * Everything not yet in the hardware is freed now; the active descriptor
 * waits on desc_terminated for synchronize (taken after the other lists,
 * since vchan_get_all_descriptors() collects desc_terminated too).
 */
static int fake_terminate_all(struct dma_chan *chan)
{
	struct fake_chan *fc = to_fake_chan(chan);
	LIST_HEAD(head);

	spin_lock(&fc->vc.lock);
	vchan_get_all_descriptors(&fc->vc, &head);
	if (fc->active) {
		vchan_terminate_vdesc(&fc->active->vd);
		fc->active = NULL;
	}
	spin_unlock(&fc->vc.lock);
	vchan_dma_desc_free_list(&fc->vc, &head);
	return 0;
}

static void fake_synchronize(struct dma_chan *chan)
{
	struct fake_chan *fc = to_fake_chan(chan);

	vchan_synchronize(&fc->vc);
	fc->syncs++;
}

static int fake_config(struct dma_chan *chan, struct dma_slave_config *config)
{
	to_fake_chan(chan)->config = *config;
	return 0;
}

/* Pause only: the fake has no resume, to show the -ENOSYS of a missing op. */
static int fake_pause(struct dma_chan *chan)
{
	to_fake_chan(chan)->paused = true;
	return 0;
}

static struct dma_chan *fake_xlate(struct of_phandle_args *spec, void *data)
{
	struct fake_dma *fd = data;

	if (spec->args_count != 1 || spec->args[0] >= fd->nr_chans)
		return ERR_PTR(-EINVAL);
	return dma_get_slave_channel(&fd->chans[spec->args[0]].vc.chan);
}

static void fake_dma_init(struct fake_dma *fd, struct device *dev)
{
	struct dma_device *dd = &fd->ddev;

	dd->dev = dev;
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_SLAVE, dd->cap_mask);
	dd->directions = BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM);
	dd->src_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->dst_addr_widths = BIT(DMA_SLAVE_BUSWIDTH_4_BYTES);
	dd->max_burst = 32;
	dd->residue_granularity = DMA_RESIDUE_GRANULARITY_SEGMENT;
	dd->desc_metadata_modes = DESC_METADATA_CLIENT;
	dd->device_alloc_chan_resources = fake_alloc_chan_resources;
	dd->device_free_chan_resources = fake_free_chan_resources;
	dd->device_prep_slave_sg = fake_prep_slave_sg;
	dd->device_config = fake_config;
	dd->device_pause = fake_pause;
	dd->device_terminate_all = fake_terminate_all;
	dd->device_synchronize = fake_synchronize;
	dd->device_tx_status = fake_tx_status;
	dd->device_issue_pending = fake_issue_pending;
	fd->nr_chans = FAKE_CHANNELS;
	for (unsigned int i = 0; i < FAKE_CHANNELS; i++) {
		fd->chans[i].vc.desc_free = fake_desc_free;
		vchan_init(&fd->chans[i].vc, dd);
		INIT_WORK(&fd->chans[i].hw, fake_hw_done);
	}
}

static int fake_probe(struct platform_device *pdev)
{
	struct fake_dma *fd = kzalloc(sizeof(*fd), GFP_KERNEL);
	int ret;

	if (!fd)
		return -ENOMEM;
	fake_dma_init(fd, &pdev->dev);
	ret = dma_async_device_register(&fd->ddev);
	if (!ret)
		ret = of_dma_controller_register(pdev->dev.of_node, fake_xlate, fd);
	if (ret) {
		kfree(fd);
		return ret;
	}
	platform_set_drvdata(pdev, fd);
	return 0;
}

static void fake_remove(struct platform_device *pdev)
{
	struct fake_dma *fd = platform_get_drvdata(pdev);

	of_dma_controller_free(pdev->dev.of_node);
	dma_async_device_unregister(&fd->ddev);
	kfree(fd);
}

static const struct of_device_id fake_match[] = {
	{ .compatible = "qcom,bam-v1.7.0" },
	{ 0 },
};

static const struct platform_driver fake_driver = {
	.name = "test-fake-dma",
	.of_match_table = fake_match,
	.probe = fake_probe,
	.remove = fake_remove,
};

/* ---- the client ---- */

static struct {
	bool request_in_probe;
	struct device *dev;
	struct dma_chan *rx, *tx;
} client;

static int client_probe(struct platform_device *pdev)
{
	client.dev = &pdev->dev;
	if (!client.request_in_probe)
		return 0;
	client.rx = dma_request_chan(&pdev->dev, "rx");
	if (IS_ERR(client.rx))
		return (int)PTR_ERR(client.rx);
	client.tx = dma_request_chan(&pdev->dev, "tx");
	if (IS_ERR(client.tx)) {
		dma_release_channel(client.rx);
		return (int)PTR_ERR(client.tx);
	}
	return 0;
}

static void client_remove(struct platform_device *pdev)
{
	(void)pdev;
	if (!client.request_in_probe)
		return;
	dma_release_channel(client.tx);
	dma_release_channel(client.rx);
}

static const struct of_device_id client_match[] = {
	{ .compatible = "qcom,qce" },
	{ 0 },
};

static const struct platform_driver client_driver = {
	.name = "test-dma-client",
	.of_match_table = client_match,
	.probe = client_probe,
	.remove = client_remove,
};

/* ---- fixture ---- */

struct fixture {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct kernel k;
	struct fake_dma *fd;		/* the bound provider, if any */
	u64 objects;			/* live kmalloc objects after boot */
};

static const struct platform_driver *const both[] = { &fake_driver, &client_driver };
static const struct platform_driver *const client_only[] = { &client_driver };

/* Kernel memory the test transfers come from. */
static u8 *dma_buf;
#define DMA_BUF_SIZE 64

static void boot_with(struct fixture *f, const struct platform_driver *const *drivers,
		      unsigned int nr, bool request_in_probe)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };
	struct device *bam;

	memset(&fake, 0, sizeof(fake));
	memset(&client, 0, sizeof(client));
	client.request_in_probe = request_in_probe;
	assert_int_equal(soc_load_dt(NULL, NULL, &f->dt, &err), 0);
	f->sim = sim_create(&cfg);
	assert_int_equal(soc_create(f->sim, f->dt, &f->soc, &err), 0);
	assert_int_equal(kernel_boot(&f->k, f->soc, NULL, drivers, nr, &err), 0);
	bam = driver_core_find(&f->k.dc, dt_find_path(f->dt, BAM_PATH));
	f->fd = bam && device_is_bound(bam) ? dev_get_drvdata(bam) : NULL;
	f->objects = kmem_stats().objects;
	dma_buf = kzalloc(DMA_BUF_SIZE, GFP_KERNEL);
	assert_non_null(dma_buf);
}

/* The provider and a client that requests nothing in probe. */
static void boot(struct fixture *f)
{
	boot_with(f, both, ARRAY_SIZE(both), false);
	assert_non_null(f->fd);
	assert_non_null(client.dev);
}

/* Every descriptor was freed, and releases and unregisters were clean. */
static void shutdown(struct fixture *f)
{
	unsigned int violations = sim_violation_count(f->sim);

	kfree(dma_buf);
	assert_int_equal(kmem_stats().objects, f->objects);
	kernel_shutdown(&f->k);
	assert_int_equal(sim_violation_count(f->sim), violations);
	soc_destroy(f->soc);
	sim_destroy(f->sim);
	dt_free(f->dt);
}

static struct dma_chan *request_rx(void)
{
	struct dma_chan *chan = dma_request_chan(client.dev, "rx");

	assert_false(IS_ERR_OR_NULL(chan));
	return chan;
}

/* Prepare and submit one @len-byte transfer; its callback gets @param. */
static struct dma_async_tx_descriptor *submit(struct dma_chan *chan, unsigned int len,
					      dma_async_tx_callback cb, void *param)
{
	struct dma_async_tx_descriptor *tx;
	struct scatterlist sg;

	assert_true(len <= DMA_BUF_SIZE);
	sg_init_one(&sg, dma_buf, len);
	tx = dmaengine_prep_slave_sg(chan, &sg, 1, DMA_MEM_TO_DEV, DMA_PREP_INTERRUPT);
	assert_non_null(tx);
	tx->callback = cb;
	tx->callback_param = param;
	assert_true(dmaengine_submit(tx) >= DMA_MIN_COOKIE);
	return tx;
}

static const char *last_violation(struct fixture *f)
{
	unsigned int n = sim_violation_count(f->sim);

	return n ? sim_violation(f->sim, n - 1)->msg : "";
}

/* ---- provider registration ---- */

static void nop_issue_pending(struct dma_chan *chan)
{
	(void)chan;
}

static enum dma_status nop_tx_status(struct dma_chan *chan, dma_cookie_t cookie,
				     struct dma_tx_state *state)
{
	return dma_cookie_status(chan, cookie, state);
}

/* A minimal memcpy-only device with @nr bare channels. */
static void bare_device(struct dma_device *dd, struct dma_chan *chans, unsigned int nr,
			struct device *dev)
{
	*dd = (struct dma_device){ .dev = dev };
	INIT_LIST_HEAD(&dd->channels);
	dma_cap_set(DMA_MEMCPY, dd->cap_mask);
	dd->device_issue_pending = nop_issue_pending;
	dd->device_tx_status = nop_tx_status;
	for (unsigned int i = 0; i < nr; i++) {
		chans[i] = (struct dma_chan){ .device = dd };
		list_add_tail(&chans[i].device_node, &dd->channels);
	}
}

static void test_register_rejects_incomplete_device(void **state)
{
	struct fixture f;
	struct dma_device dd;
	struct dma_chan chans[2];

	(void)state;
	boot(&f);
	bare_device(&dd, chans, 2, NULL);
	assert_int_equal(dma_async_device_register(&dd), -EINVAL);
	bare_device(&dd, chans, 0, client.dev);
	assert_int_equal(dma_async_device_register(&dd), -EINVAL);
	bare_device(&dd, chans, 2, client.dev);
	dd.device_issue_pending = NULL;
	assert_int_equal(dma_async_device_register(&dd), -EINVAL);
	bare_device(&dd, chans, 2, client.dev);
	dd.device_tx_status = NULL;
	assert_int_equal(dma_async_device_register(&dd), -EINVAL);
	bare_device(&dd, chans, 2, client.dev);
	dma_cap_set(DMA_SLAVE, dd.cap_mask);	/* slave without prep_slave_sg */
	assert_int_equal(dma_async_device_register(&dd), -EINVAL);
	assert_int_equal(sim_violation_count(f.sim), 0);
	shutdown(&f);
}

static void test_register_numbers_channels(void **state)
{
	struct fixture f;
	struct dma_device dd;
	struct dma_chan chans[3];

	(void)state;
	boot(&f);
	bare_device(&dd, chans, 3, client.dev);
	chans[1].client_count = 7;	/* stale state from before registration */
	assert_int_equal(dma_async_device_register(&dd), 0);
	assert_int_equal(dd.chancnt, 3);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(chans[i].chan_id, i);
		assert_int_equal(chans[i].client_count, 0);
	}
	dma_async_device_unregister(&dd);
	assert_int_equal(sim_violation_count(f.sim), 0);
	shutdown(&f);
}

static void test_register_beyond_limit_is_enospc(void **state)
{
	struct dma_chan chans[DMA_DEVICES_MAX];
	struct dma_device dd[DMA_DEVICES_MAX];
	struct fixture f;

	(void)state;
	boot(&f);	/* the fake provider holds one slot */
	for (unsigned int i = 0; i < DMA_DEVICES_MAX; i++)
		bare_device(&dd[i], &chans[i], 1, client.dev);
	for (unsigned int i = 0; i < DMA_DEVICES_MAX - 1; i++)
		assert_int_equal(dma_async_device_register(&dd[i]), 0);
	assert_int_equal(dma_async_device_register(&dd[DMA_DEVICES_MAX - 1]), -ENOSPC);
	for (unsigned int i = 0; i < DMA_DEVICES_MAX - 1; i++)
		dma_async_device_unregister(&dd[i]);
	assert_int_equal(dma_async_device_register(&dd[DMA_DEVICES_MAX - 1]), 0);
	dma_async_device_unregister(&dd[DMA_DEVICES_MAX - 1]);
	shutdown(&f);
}

static void test_register_twice_is_a_violation(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	assert_int_equal(dma_async_device_register(&f.fd->ddev), -EINVAL);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "already registered"));
	shutdown(&f);
}

static void test_unregister_unregistered_is_a_violation(void **state)
{
	struct fixture f;
	struct dma_device dd;
	struct dma_chan chan;

	(void)state;
	boot(&f);
	bare_device(&dd, &chan, 1, client.dev);
	dma_async_device_unregister(&dd);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "not registered"));
	shutdown(&f);
}

static void test_unregister_with_held_channel_is_a_violation(void **state)
{
	struct fixture f;
	struct dma_device dd;
	struct dma_chan chan;

	(void)state;
	boot(&f);
	bare_device(&dd, &chan, 1, client.dev);
	assert_int_equal(dma_async_device_register(&dd), 0);
	chan.client_count = 1;	/* as if a client held it */
	dma_async_device_unregister(&dd);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "while channel 0 is held"));
	shutdown(&f);
}

static struct dma_chan *null_xlate(struct of_phandle_args *spec, void *data)
{
	(void)spec;
	(void)data;
	return NULL;
}

static void test_of_dma_controller_rules(void **state)
{
	const struct dt_node *bam, *qce, *taken[DMA_DEVICES_MAX - 1];
	unsigned int n = 0;
	struct fixture f;

	(void)state;
	boot(&f);
	bam = dt_find_path(f.dt, BAM_PATH);
	qce = dt_find_path(f.dt, QCE_PATH);
	assert_int_equal(of_dma_controller_register(NULL, null_xlate, NULL), -EINVAL);
	assert_int_equal(of_dma_controller_register(qce, NULL, NULL), -EINVAL);
	assert_int_equal(of_dma_controller_register(bam, null_xlate, NULL), -EEXIST);
	/* The provider holds one slot; fill the others with any other nodes. */
	for (unsigned int i = 0; n < ARRAY_SIZE(taken); i++) {
		assert_true(i < f.dt->nr_nodes);
		if (&f.dt->nodes[i] == bam || &f.dt->nodes[i] == qce)
			continue;
		taken[n] = &f.dt->nodes[i];
		assert_int_equal(of_dma_controller_register(taken[n++], null_xlate, NULL), 0);
	}
	assert_int_equal(of_dma_controller_register(qce, null_xlate, NULL), -ENOSPC);
	for (unsigned int i = 0; i < n; i++)
		of_dma_controller_free(taken[i]);
	assert_int_equal(sim_violation_count(f.sim), 0);
	of_dma_controller_free(qce);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "not registered"));
	shutdown(&f);
}

/* ---- channel requests ---- */

static void test_request_chan_by_name(void **state)
{
	struct fixture f;

	(void)state;
	boot_with(&f, both, ARRAY_SIZE(both), true);
	assert_true(device_is_bound(client.dev));
	assert_ptr_equal(client.rx, &f.fd->chans[RX_CHAN].vc.chan);
	assert_ptr_equal(client.tx, &f.fd->chans[TX_CHAN].vc.chan);
	assert_ptr_equal(client.rx->slave, client.dev);
	assert_string_equal(client.rx->name, "rx");
	assert_string_equal(client.tx->name, "tx");
	assert_int_equal(client.rx->client_count, 1);
	assert_int_equal(client.rx->chan_id, RX_CHAN);
	assert_int_equal(f.fd->chans[RX_CHAN].allocs, 1);
	assert_int_equal(f.fd->chans[TX_CHAN].allocs, 1);
	shutdown(&f);
}

static void test_request_unknown_name_is_enodev(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	assert_int_equal(PTR_ERR(dma_request_chan(client.dev, "cmd")), -ENODEV);
	shutdown(&f);
}

static void test_request_without_dmas_is_enodev(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	assert_int_equal(PTR_ERR(dma_request_chan(f.fd->ddev.dev, "rx")), -ENODEV);
	shutdown(&f);
}

static void test_request_defers_until_controller_registers(void **state)
{
	struct fixture f;

	(void)state;
	boot_with(&f, client_only, ARRAY_SIZE(client_only), true);
	assert_null(f.fd);
	assert_false(device_is_bound(client.dev));
	assert_int_equal(client.dev->probe_ret, -EPROBE_DEFER);
	assert_int_equal(PTR_ERR(dma_request_chan(client.dev, "tx")), -EPROBE_DEFER);
	shutdown(&f);
}

static void test_request_taken_channel_is_ebusy(void **state)
{
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	assert_ptr_equal(dma_get_slave_channel(&f.fd->chans[RX_CHAN].vc.chan),
			 &f.fd->chans[RX_CHAN].vc.chan);
	rx = request_rx();
	assert_null(dma_get_slave_channel(rx));
	assert_int_equal(PTR_ERR(dma_request_chan(client.dev, "rx")), -EBUSY);
	assert_int_equal(rx->client_count, 1);
	assert_int_equal(f.fd->chans[RX_CHAN].allocs, 1);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_request_bad_specifier_is_einval(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	f.fd->nr_chans = RX_CHAN;	/* <&cryptobam 4> is now out of range */
	assert_int_equal(PTR_ERR(dma_request_chan(client.dev, "rx")), -EINVAL);
	shutdown(&f);
}

static void test_request_alloc_error_is_undone(void **state)
{
	struct fixture f;
	struct dma_chan *chan = NULL;

	(void)state;
	boot(&f);
	fake.alloc_ret = -ENOMEM;
	assert_int_equal(PTR_ERR(dma_request_chan(client.dev, "rx")), -ENOMEM);
	chan = &f.fd->chans[RX_CHAN].vc.chan;
	assert_int_equal(chan->client_count, 0);
	assert_null(chan->slave);
	assert_null(chan->name);
	fake.alloc_ret = 0;
	assert_ptr_equal(request_rx(), chan);
	assert_int_equal(f.fd->chans[RX_CHAN].allocs, 2);
	dma_release_channel(chan);
	shutdown(&f);
}

static void test_release_frees_channel_resources(void **state)
{
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	submit(rx, 16, NULL, NULL);	/* submitted, never issued */
	dma_release_channel(rx);
	assert_int_equal(f.fd->chans[RX_CHAN].syncs, 1);	/* callbacks done first */
	assert_int_equal(f.fd->chans[RX_CHAN].frees, 1);
	assert_int_equal(fake.descs_freed, 1);
	assert_int_equal(rx->client_count, 0);
	assert_null(rx->slave);
	assert_ptr_equal(request_rx(), rx);
	dma_release_channel(rx);
	assert_int_equal(sim_violation_count(f.sim), 0);
	shutdown(&f);
}

static void test_release_unrequested_is_a_violation(void **state)
{
	struct fixture f;

	(void)state;
	boot(&f);
	dma_release_channel(&f.fd->chans[RX_CHAN].vc.chan);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "not requested"));
	assert_int_equal(f.fd->chans[RX_CHAN].frees, 0);
	shutdown(&f);
}

/* ---- cookies and status ---- */

static void test_cookies_increment_from_min(void **state)
{
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	assert_int_equal(submit(rx, 8, NULL, NULL)->cookie, DMA_MIN_COOKIE + 1);
	assert_int_equal(submit(rx, 8, NULL, NULL)->cookie, DMA_MIN_COOKIE + 2);
	assert_int_equal(rx->cookie, DMA_MIN_COOKIE + 2);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_cookies_wrap_to_min(void **state)
{
	struct dma_async_tx_descriptor *a, *b;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	rx->cookie = INT32_MAX - 1;
	rx->completed_cookie = INT32_MAX - 1;
	a = submit(rx, 8, NULL, NULL);
	b = submit(rx, 8, NULL, NULL);
	assert_int_equal(a->cookie, INT32_MAX);
	assert_int_equal(b->cookie, DMA_MIN_COOKIE);
	assert_int_equal(dma_async_is_tx_complete(rx, INT32_MAX), DMA_IN_PROGRESS);
	assert_int_equal(dma_async_is_tx_complete(rx, DMA_MIN_COOKIE), DMA_IN_PROGRESS);
	dma_async_issue_pending(rx);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(dma_async_is_tx_complete(rx, INT32_MAX), DMA_COMPLETE);
	assert_int_equal(dma_async_is_tx_complete(rx, DMA_MIN_COOKIE), DMA_COMPLETE);
	assert_int_equal(rx->completed_cookie, DMA_MIN_COOKIE);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_cookie_status_window_wraps(void **state)
{
	struct dma_chan chan = { 0 };
	struct dma_tx_state st = { .residue = 99 };

	(void)state;
	/* No wrap: (10, 20] is in flight. */
	chan.completed_cookie = 10;
	chan.cookie = 20;
	assert_int_equal(dma_cookie_status(&chan, 10, &st), DMA_COMPLETE);
	assert_int_equal(dma_cookie_status(&chan, 11, &st), DMA_IN_PROGRESS);
	assert_int_equal(dma_cookie_status(&chan, 20, &st), DMA_IN_PROGRESS);
	assert_int_equal(dma_cookie_status(&chan, 21, &st), DMA_COMPLETE);
	assert_int_equal(st.last, 10);
	assert_int_equal(st.used, 20);
	assert_int_equal(st.residue, 0);
	/* Wrapped: (INT32_MAX - 5, INT32_MAX] and [1, 3] are in flight. */
	chan.completed_cookie = INT32_MAX - 5;
	chan.cookie = 3;
	assert_int_equal(dma_cookie_status(&chan, INT32_MAX, NULL), DMA_IN_PROGRESS);
	assert_int_equal(dma_cookie_status(&chan, 2, NULL), DMA_IN_PROGRESS);
	assert_int_equal(dma_cookie_status(&chan, 4, NULL), DMA_COMPLETE);
	assert_int_equal(dma_cookie_status(&chan, INT32_MAX - 5, NULL), DMA_COMPLETE);
}

static void test_cookie_complete_without_cookie_is_a_violation(void **state)
{
	struct fixture f;
	struct dma_chan chan = { 0 };
	struct dma_async_tx_descriptor tx = { .chan = &chan, .cookie = 0 };

	(void)state;
	boot(&f);
	dma_cookie_complete(&tx);
	assert_int_equal(sim_violation_count(f.sim), 1);
	assert_non_null(strstr(last_violation(&f), "has no cookie"));
	shutdown(&f);
}

static void test_tx_status_reports_residue_until_complete(void **state)
{
	struct dma_async_tx_descriptor *a, *b;
	struct dma_tx_state st;
	dma_cookie_t ca, cb;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	a = submit(rx, 24, NULL, NULL);
	b = submit(rx, 40, NULL, NULL);
	ca = a->cookie;
	cb = b->cookie;
	dma_async_issue_pending(rx);
	assert_int_equal(dmaengine_tx_status(rx, ca, &st), DMA_IN_PROGRESS);
	assert_int_equal(st.residue, 24);	/* in the hardware */
	assert_int_equal(dmaengine_tx_status(rx, cb, &st), DMA_IN_PROGRESS);
	assert_int_equal(st.residue, 40);	/* issued */
	assert_int_equal(st.last, DMA_MIN_COOKIE);
	assert_int_equal(st.used, cb);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(dmaengine_tx_status(rx, ca, &st), DMA_COMPLETE);
	assert_int_equal(dmaengine_tx_status(rx, cb, &st), DMA_COMPLETE);
	assert_int_equal(st.residue, 0);
	assert_int_equal(st.last, cb);
	dma_release_channel(rx);
	shutdown(&f);
}

/* ---- completion and callbacks ---- */

static struct {
	unsigned int n;
	uintptr_t order[LOG_MAX];
	bool in_bh[LOG_MAX];
	struct dmaengine_result result;
} done;

static void record_done(void *param)
{
	assert_true(done.n < LOG_MAX);
	done.order[done.n] = (uintptr_t)param;
	done.in_bh[done.n] = in_softirq();
	done.n++;
}

static void record_result(void *param, const struct dmaengine_result *result)
{
	done.result = *result;
	record_done(param);
}

static void test_descriptors_complete_in_submit_order(void **state)
{
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	memset(&done, 0, sizeof(done));
	rx = request_rx();
	for (uintptr_t i = 1; i <= 3; i++)
		submit(rx, 8, record_done, (void *)i);
	dma_async_issue_pending(rx);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done.n, 3);
	for (unsigned int i = 0; i < 3; i++)
		assert_int_equal(done.order[i], i + 1);
	assert_int_equal(f.fd->chans[RX_CHAN].vc.callbacks, 3);
	assert_int_equal(fake.descs_freed, 3);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_callbacks_run_in_bh_after_cpu_steps(void **state)
{
	struct fixture f;
	struct dma_chan *rx;
	dma_cookie_t cookie;

	(void)state;
	boot(&f);
	memset(&done, 0, sizeof(done));
	rx = request_rx();
	cookie = submit(rx, 8, record_done, NULL)->cookie;
	dma_async_issue_pending(rx);
	assert_int_equal(done.n, 0);
	assert_true(sim_step_once(f.sim));	/* the "hardware" completes it */
	assert_int_equal(dma_async_is_tx_complete(rx, cookie), DMA_COMPLETE);
	assert_int_equal(done.n, 0);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done.n, 1);
	assert_true(done.in_bh[0]);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_callback_result_gets_result(void **state)
{
	struct dma_async_tx_descriptor *tx;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	memset(&done, 0, sizeof(done));
	rx = request_rx();
	tx = submit(rx, 12, record_done, (void *)1);
	tx->callback_result = record_result;	/* preferred over callback */
	fake.fail_next = true;
	dma_async_issue_pending(rx);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done.n, 1);
	assert_int_equal(done.order[0], 1);
	assert_int_equal(done.result.result, DMA_TRANS_READ_FAILED);
	assert_int_equal(done.result.residue, 12);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_invoke_without_result_reports_success(void **state)
{
	struct dma_async_tx_descriptor tx = { .callback_result = record_result };

	(void)state;
	memset(&done, 0, sizeof(done));
	done.result.result = DMA_TRANS_ABORTED;
	done.result.residue = 5;
	dmaengine_desc_callback_invoke(&tx, NULL);
	assert_int_equal(done.n, 1);
	assert_int_equal(done.result.result, DMA_TRANS_NOERROR);
	assert_int_equal(done.result.residue, 0);
}

static void test_terminate_sync_frees_everything(void **state)
{
	struct fake_chan *fc;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	memset(&done, 0, sizeof(done));
	rx = request_rx();
	fc = &f.fd->chans[RX_CHAN];
	submit(rx, 8, record_done, NULL);
	submit(rx, 8, record_done, NULL);
	dma_async_issue_pending(rx);
	submit(rx, 8, record_done, NULL);	/* submitted only */
	assert_int_equal(dmaengine_terminate_async(rx), 0);
	assert_int_equal(fake.descs_freed, 2);
	assert_false(list_empty(&fc->vc.desc_terminated));	/* the active one */
	dmaengine_synchronize(rx);
	assert_int_equal(fake.descs_freed, 3);
	assert_true(list_empty(&fc->vc.desc_terminated));
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done.n, 0);
	assert_int_equal(dmaengine_terminate_sync(rx), 0);
	dma_release_channel(rx);
	assert_int_equal(sim_violation_count(f.sim), 0);
	shutdown(&f);
}

static struct dma_chan *bh_chan;

static void synchronize_from_bh(struct work_struct *work)
{
	(void)work;
	dmaengine_synchronize(bh_chan);
}

static void test_synchronize_in_bh_is_a_violation(void **state)
{
	struct work_struct work;
	struct fixture f;

	(void)state;
	boot(&f);
	bh_chan = request_rx();
	INIT_WORK(&work, synchronize_from_bh);
	queue_work(system_bh_wq, &work);
	assert_int_equal(sim_run(f.sim), SIM_STOP_VIOLATION);
	assert_non_null(strstr(last_violation(&f), "atomic context"));
	dma_release_channel(bh_chan);
	shutdown(&f);
}

/* ---- optional ops, metadata, capabilities ---- */

static void test_missing_ops_are_enosys(void **state)
{
	struct dma_slave_config cfg = { .direction = DMA_MEM_TO_DEV, .dst_addr = 0x1dfa000 };
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	assert_int_equal(dmaengine_slave_config(rx, &cfg), 0);
	assert_int_equal(f.fd->chans[RX_CHAN].config.dst_addr, 0x1dfa000);
	assert_int_equal(dmaengine_pause(rx), 0);
	assert_true(f.fd->chans[RX_CHAN].paused);
	assert_int_equal(dmaengine_resume(rx), -ENOSYS);
	f.fd->ddev.device_terminate_all = NULL;
	f.fd->ddev.device_config = NULL;
	f.fd->ddev.device_prep_slave_sg = NULL;
	assert_int_equal(dmaengine_terminate_async(rx), -ENOSYS);
	assert_int_equal(dmaengine_terminate_sync(rx), -ENOSYS);
	assert_int_equal(dmaengine_terminate_all(rx), -ENOSYS);
	assert_int_equal(dmaengine_slave_config(rx, &cfg), -ENOSYS);
	assert_null(dmaengine_prep_slave_sg(rx, NULL, 0, DMA_MEM_TO_DEV, 0));
	assert_null(dmaengine_prep_slave_sg(NULL, NULL, 0, DMA_MEM_TO_DEV, 0));
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_attach_metadata_errors(void **state)
{
	struct dma_async_tx_descriptor *tx;
	u32 scratch = 0x1dfa000;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	tx = submit(rx, 8, NULL, NULL);
	assert_int_equal(dmaengine_desc_attach_metadata(NULL, &scratch, 4), -EINVAL);
	f.fd->ddev.desc_metadata_modes = DESC_METADATA_ENGINE;
	assert_int_equal(dmaengine_desc_attach_metadata(tx, &scratch, 4), -EPERM);
	f.fd->ddev.desc_metadata_modes = DESC_METADATA_CLIENT | DESC_METADATA_ENGINE;
	tx->desc_metadata_mode = DESC_METADATA_ENGINE;
	assert_int_equal(dmaengine_desc_attach_metadata(tx, &scratch, 4), -EPERM);
	tx->desc_metadata_mode = DESC_METADATA_NONE;
	tx->metadata_ops = NULL;
	assert_int_equal(dmaengine_desc_attach_metadata(tx, &scratch, 4), -ENOTSUPP);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_NONE);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_attach_metadata_reaches_provider(void **state)
{
	struct dma_async_tx_descriptor *tx;
	u8 big[META_MAX + 1] = { 0 };
	u32 scratch = 0x1dfa000;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	tx = submit(rx, 8, NULL, NULL);
	assert_int_equal(dmaengine_desc_attach_metadata(tx, &scratch, sizeof(scratch)), 0);
	assert_int_equal(tx->desc_metadata_mode, DESC_METADATA_CLIENT);
	assert_int_equal(to_fake_desc(tx)->meta_len, sizeof(scratch));
	assert_memory_equal(to_fake_desc(tx)->meta, &scratch, sizeof(scratch));
	/* Client mode again is fine; the provider's own error comes back. */
	assert_int_equal(dmaengine_desc_attach_metadata(tx, big, sizeof(big)), -EINVAL);
	dma_release_channel(rx);
	shutdown(&f);
}

static void test_slave_caps_from_device(void **state)
{
	struct dma_slave_caps caps;
	struct fixture f;
	struct dma_chan *rx;

	(void)state;
	boot(&f);
	rx = request_rx();
	assert_int_equal(dma_get_slave_caps(rx, &caps), 0);
	assert_int_equal(caps.directions, BIT(DMA_MEM_TO_DEV) | BIT(DMA_DEV_TO_MEM));
	assert_int_equal(caps.src_addr_widths, BIT(DMA_SLAVE_BUSWIDTH_4_BYTES));
	assert_int_equal(caps.max_burst, 32);
	assert_int_equal(caps.residue_granularity, DMA_RESIDUE_GRANULARITY_SEGMENT);
	assert_true(caps.cmd_pause);
	assert_false(caps.cmd_resume);
	assert_true(caps.cmd_terminate);
	assert_false(caps.descriptor_reuse);
	assert_int_equal(dma_get_slave_caps(NULL, &caps), -EINVAL);
	f.fd->ddev.directions = 0;
	assert_int_equal(dma_get_slave_caps(rx, &caps), -ENXIO);
	dma_release_channel(rx);
	shutdown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_register_rejects_incomplete_device),
		cmocka_unit_test(test_register_numbers_channels),
		cmocka_unit_test(test_register_beyond_limit_is_enospc),
		cmocka_unit_test(test_register_twice_is_a_violation),
		cmocka_unit_test(test_unregister_unregistered_is_a_violation),
		cmocka_unit_test(test_unregister_with_held_channel_is_a_violation),
		cmocka_unit_test(test_of_dma_controller_rules),
		cmocka_unit_test(test_request_chan_by_name),
		cmocka_unit_test(test_request_unknown_name_is_enodev),
		cmocka_unit_test(test_request_without_dmas_is_enodev),
		cmocka_unit_test(test_request_defers_until_controller_registers),
		cmocka_unit_test(test_request_taken_channel_is_ebusy),
		cmocka_unit_test(test_request_bad_specifier_is_einval),
		cmocka_unit_test(test_request_alloc_error_is_undone),
		cmocka_unit_test(test_release_frees_channel_resources),
		cmocka_unit_test(test_release_unrequested_is_a_violation),
		cmocka_unit_test(test_cookies_increment_from_min),
		cmocka_unit_test(test_cookies_wrap_to_min),
		cmocka_unit_test(test_cookie_status_window_wraps),
		cmocka_unit_test(test_cookie_complete_without_cookie_is_a_violation),
		cmocka_unit_test(test_tx_status_reports_residue_until_complete),
		cmocka_unit_test(test_descriptors_complete_in_submit_order),
		cmocka_unit_test(test_callbacks_run_in_bh_after_cpu_steps),
		cmocka_unit_test(test_callback_result_gets_result),
		cmocka_unit_test(test_invoke_without_result_reports_success),
		cmocka_unit_test(test_terminate_sync_frees_everything),
		cmocka_unit_test(test_synchronize_in_bh_is_a_violation),
		cmocka_unit_test(test_missing_ops_are_enosys),
		cmocka_unit_test(test_attach_metadata_errors),
		cmocka_unit_test(test_attach_metadata_reaches_provider),
		cmocka_unit_test(test_slave_caps_from_device),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
