/*
 * test_panthor.c - the Panthor-like GPU driver (drivers/gpu/) on the
 * default board: probe with the protected heap present, deferral while
 * it is missing (forever if it never comes), no protected support without
 * protected-heap-name, normal FILL/CONVERT jobs producing the right
 * pixels, the bounded queue and bad input, and remove releasing
 * everything.
 */
#include <secsoc/gpu.h>
#include <secsoc/timer.h>

#include "test_panthor_fixture.h"

#define W 64
#define H 32
#define LATE_HEAP "test,late-heap"

static struct device *gpu_device(void)
{
	const struct dt_node *np = dt_find_compatible(tfx.dt, NULL, "arm,mali-valhall-csf");
	struct device *dev;

	assert_non_null(np);
	dev = driver_core_find(&tfx.k.dc, np);
	assert_non_null(dev);
	return dev;
}

/*
 * The heap exists at probe: the GPU binds with protected support. Its
 * firmware stays off, with nothing for the GPU to do, until the first
 * group boots it (which takes modelled time).
 */
static void test_probe_binds_with_heap(void **state)
{
	struct panthor_device *ptdev;
	struct panthor_group *g;

	(void)state;
	assert_true(device_is_bound(gpu_device()));
	ptdev = panthor_device_get();
	assert_non_null(ptdev);
	assert_true(panthor_has_protected(ptdev));
	tee_fx_run();
	assert_false(panthor_fw_ready(ptdev));
	assert_int_equal(gpu_stats(tfx.soc->gpu).instrs, 0);
	assert_int_equal(timers_armed(), 0);
	assert_int_equal(panthor_group_create(ptdev, 0, &g), 0);
	assert_false(panthor_fw_ready(ptdev));
	tee_fx_run();
	assert_true(panthor_fw_ready(ptdev));
	assert_int_equal(panthor_stats(ptdev).fw_boots, 1);
	panthor_group_destroy(g);
}

/*
 * A heap nobody registers: the GPU stays deferred, whatever runs. A name
 * gives the driver core nothing to wait for, so this is silent forever.
 */
static void test_probe_defers_forever_without_heap(void **state)
{
	const char *dts = test_board_variant("soc/secsoc.dts", "gpu-noheap.dts", PX_SECURE_HEAP,
					     "no,such-heap");
	struct device *dev;

	(void)state;
	tee_fx_shutdown();
	px_boot(dts, NULL);
	dev = gpu_device();
	assert_false(device_is_bound(dev));
	assert_int_equal(dev->probe_ret, -EPROBE_DEFER);
	assert_true(dev->deferrals >= 1);
	tee_fx_run();
	assert_false(device_is_bound(dev));
	assert_null(panthor_device_get());
}

/* A protected heap over @size bytes of kernel pages, registered under LATE_HEAP. */
static struct protected_heap *late_heap_add(void **pages, size_t size)
{
	struct soc_protected_access acc;
	struct secsoc_error err = { 0 };
	struct protected_pool *pool;
	struct protected_heap *ph;

	*pages = alloc_pages_exact(size, GFP_KERNEL);
	assert_non_null(*pages);
	pool = carveout_pool_create(virt_to_phys(*pages), size);
	assert_false(IS_ERR(pool));
	assert_int_equal(soc_protected_access_parse(tfx.soc->tee_node, &acc, &err), 0);
	ph = protected_heap_add(LATE_HEAP, pool, &acc, NULL);
	assert_false(IS_ERR(ph));
	return ph;
}

/*
 * The heap appears after the GPU deferred: the next deferred-probe pass
 * (in Linux, triggered by some other driver binding) binds it, and the
 * first group's protected buffers come from that heap.
 */
static void test_probe_binds_when_heap_appears(void **state)
{
	const char *dts = test_board_variant("soc/secsoc.dts", "gpu-late.dts", PX_SECURE_HEAP,
					     LATE_HEAP);
	struct secsoc_error err = { 0 };
	struct protected_pool_stats pst;
	struct protected_heap *ph;
	struct panthor_group *g;
	struct device *dev;
	void *pages;

	(void)state;
	tee_fx_shutdown();
	px_boot(dts, NULL);
	dev = gpu_device();
	assert_int_equal(dev->probe_ret, -EPROBE_DEFER);
	ph = late_heap_add(&pages, 1024 * 1024);
	/* What a driver binding does in Linux: the deferred devices are tried again. */
	list_del_init(&dev->node);
	assert_int_equal(driver_core_probe_all(&tfx.k.dc, &err), 0);
	assert_true(device_is_bound(dev));
	assert_true(panthor_has_protected(px_dev()));
	/* The first group takes the firmware section and its suspend buffer from it. */
	assert_int_equal(protected_heap_stats().buffers, 0);
	assert_int_equal(panthor_group_create(px_dev(), 1, &g), 0);
	assert_int_equal(protected_heap_stats().buffers, 2);
	assert_int_equal(protected_heap_pool_stats(LATE_HEAP, &pst), 0);
	assert_int_equal(pst.allocations, 2);
	panthor_group_destroy(g);
	tee_fx_run();
	px_close_ctx();
	driver_core_remove_all(&tfx.k.dc);
	assert_int_equal(protected_heap_stats().buffers, 0);
	protected_heap_remove(ph);
	free_pages_exact(pages, 1024 * 1024);
}

/* No protected-heap-name: protected jobs are refused, normal ones run. */
static void test_no_heap_name_refuses_protected(void **state)
{
	const char *dts = test_board_variant("soc/secsoc.dts", "gpu-noprot.dts",
					     "protected-heap-name = \"" PX_SECURE_HEAP "\";", "");
	struct panthor_device *ptdev;
	struct panthor_group *g;
	struct gpu_instr in;
	struct px_buf fb;

	(void)state;
	tee_fx_shutdown();
	px_boot(dts, NULL);
	ptdev = px_dev();
	assert_false(panthor_has_protected(ptdev));
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in = px_fill(fb.pa, W * 4, W, H, 0x123456);
	assert_int_equal(px_submit(g, &in, 1, true, 0), -EOPNOTSUPP);
	assert_int_equal(px_submit(g, &in, 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(1), 0);
	assert_int_equal(px_log.n, 1);
	assert_int_equal(panthor_stats(ptdev).protm_enter_requests, 0);
	panthor_group_destroy(g);
	px_buf_free(&fb);
}

/* FILL then CONVERT into a system-heap buffer: the pixels are right, status 0. */
static void test_normal_fill_convert_pixels(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct px_buf src, fb;
	struct panthor_group *g;
	struct gpu_instr in[2];
	u8 *want = malloc(W * H * 4);
	u32 *px;

	(void)state;
	assert_non_null(want);
	px_buf_alloc(ptdev, "system", W * H * 3 / 2, &src);
	px_buf_alloc(ptdev, "system", 2 * W * H * 4, &fb);
	px_nv12_pattern(px_mem(&src), W, H);
	assert_int_equal(panthor_group_create(ptdev, 5, &g), 0);
	/* Fill both halves, then convert over the first. */
	in[0] = px_fill(fb.pa, W * 4, W, 2 * H, 0x00abcdef);
	in[1] = px_convert(src.pa, src.pa + W * H, W, H, fb.pa);
	assert_int_equal(px_submit(g, in, 2, false, 0), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), 0);
	pixel_nv12_rows_to_xrgb(px_mem(&src), px_mem(&src) + W * H, W, W, 0, H, want, W * 4);
	px_assert_xrgb(px_mem(&fb), want, W * H);
	px = (u32 *)(px_mem(&fb) + W * H * 4);
	for (u32 i = 0; i < W * H; i++)
		assert_int_equal(px[i], 0xffabcdef);
	assert_int_equal(panthor_stats(ptdev).jobs_done, 1);
	free(want);
	panthor_group_destroy(g);
	px_buf_free(&src);
	px_buf_free(&fb);
}

/* Jobs submitted before the firmware is up are queued, then run in order. */
static void test_jobs_queue_until_firmware(void **state)
{
	struct panthor_device *ptdev = panthor_device_get();
	struct panthor_group *g;
	struct gpu_instr in[3];
	struct px_buf fb;

	(void)state;
	assert_false(panthor_fw_ready(ptdev));
	px_buf_alloc(ptdev, "system", W * 4, &fb);
	assert_int_equal(panthor_group_create(ptdev, 1, &g), 0);
	for (unsigned int i = 0; i < 3; i++) {
		in[i] = px_fill(fb.pa, W * 4, W, 1, 0x10 * (i + 1));
		assert_int_equal(px_submit(g, &in[i], 1, false, i), 0);
	}
	assert_int_equal(panthor_group_jobs(g), 3);
	tee_fx_run();
	assert_int_equal(px_log.n, 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(px_log.id[i], i);
		assert_int_equal(px_log.status[i], 0);
	}
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff000030);
	assert_int_equal(panthor_group_jobs(g), 0);
	panthor_group_destroy(g);
	px_buf_free(&fb);
}

/* Bad input is -EINVAL; a group holds at most PANTHOR_GROUP_JOBS_MAX jobs (-EBUSY). */
static void test_submit_bad_input_and_full_queue(void **state)
{
	struct panthor_device *ptdev = panthor_device_get();
	struct gpu_instr prot = { .op = GPU_OP_PROT_REGION, .arg = 1 };
	struct gpu_instr fill = px_fill(0x80000000, 64, 16, 1, 0);
	struct panthor_job_desc d = { .instrs = &fill, .n = 1, .done = px_done,
				      .ctx = &px_jobs[0] };
	struct panthor_group *g, *more[GPU_CSG_SLOTS];
	unsigned int i;

	(void)state;
	px_jobs[0] = (struct px_job){ .log = &px_log };
	assert_int_equal(panthor_group_create(ptdev, 16, &g), -EINVAL);
	assert_int_equal(panthor_group_create(ptdev, 3, &g), 0);
	assert_int_equal(panthor_job_submit(NULL, &d), -EINVAL);
	assert_int_equal(px_submit(g, &prot, 1, false, 0), -EINVAL);
	d.n = 0;
	assert_int_equal(panthor_job_submit(g, &d), -EINVAL);
	d.n = PANTHOR_JOB_INSTRS_MAX + 1;
	assert_int_equal(panthor_job_submit(g, &d), -EINVAL);
	d.n = 1;
	d.done = NULL;
	assert_int_equal(panthor_job_submit(g, &d), -EINVAL);
	d.done = px_done;
	for (i = 0; i < PANTHOR_GROUP_JOBS_MAX; i++)
		assert_int_equal(panthor_job_submit(g, &d), 0);
	assert_int_equal(panthor_job_submit(g, &d), -EBUSY);
	/* Every slot but the first is free; one group more than slots is refused. */
	for (i = 0; i < GPU_CSG_SLOTS - 1; i++)
		assert_int_equal(panthor_group_create(ptdev, 0, &more[i]), 0);
	assert_int_equal(panthor_group_create(ptdev, 0, &more[i]), -EBUSY);
	for (i = 0; i < GPU_CSG_SLOTS - 1; i++)
		panthor_group_destroy(more[i]);
	/* Destroyed before the firmware ran them: cancelled, each exactly once. */
	panthor_group_destroy(g);
	assert_int_equal(px_log.n, PANTHOR_GROUP_JOBS_MAX);
	for (i = 0; i < px_log.n; i++)
		assert_int_equal(px_log.status[i], -ECANCELED);
}

/*
 * remove gives everything back, even what a client forgot: no dma-buf,
 * attachment, protected buffer, heap reference or kernel memory is left.
 */
/* A client's own buffer: the bo holds its only reference and lends it out. */
static void test_bo_alloc_owns_its_buffer(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct dma_heap *heap = dma_heap_find("system");
	u64 live = dma_buf_stats().live;
	struct panthor_bo *bo;

	(void)state;
	assert_non_null(heap);
	assert_int_equal(panthor_bo_alloc(NULL, heap, 4096, &bo), -EINVAL);
	assert_int_equal(panthor_bo_alloc(ptdev, NULL, 4096, &bo), -EINVAL);
	assert_int_equal(panthor_bo_alloc(ptdev, heap, 0, &bo), -EINVAL);
	assert_int_equal(panthor_bo_alloc(ptdev, heap, 5000, &bo), 0);
	assert_int_equal(panthor_bo_size(bo), 8192);
	assert_int_equal(panthor_bo_dma_buf(bo)->size, 8192);
	assert_int_equal(dma_buf_stats().live, live + 1);
	panthor_bo_put(bo);
	assert_int_equal(dma_buf_stats().live, live);
	dma_heap_put(heap);
}

static void test_remove_releases_everything(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct panthor_group *g;
	struct px_buf fb;

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, 64 * 1024, &fb);
	assert_int_equal(panthor_group_create(ptdev, 4, &g), 0);
	assert_true(dma_buf_stats().attachments >= 3);	/* fw section, suspend buffer, fb */
	dma_buf_put(fb.dmabuf);		/* the client keeps only the bo, and the group */
	px_close_ctx();
	driver_core_remove_all(&tfx.k.dc);
	assert_null(panthor_device_get());
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(dma_buf_stats().attachments, 0);
	assert_int_equal(protected_heap_stats().buffers, 0);
	assert_int_equal(kmem_stats().objects, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PX_TEST(test_probe_binds_with_heap),
		PX_TEST(test_probe_defers_forever_without_heap),
		PX_TEST(test_probe_binds_when_heap_appears),
		PX_TEST(test_no_heap_name_refuses_protected),
		PX_TEST(test_normal_fill_convert_pixels),
		PX_TEST(test_jobs_queue_until_firmware),
		PX_TEST(test_submit_bad_input_and_full_queue),
		PX_TEST(test_bo_alloc_owns_its_buffer),
		PX_TEST(test_remove_releases_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
