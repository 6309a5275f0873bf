/*
 * test_panthor_protm.c - protected mode of the Panthor-like GPU driver on
 * the default board: a protected CONVERT+BLEND from a protected NV12
 * buffer into a protected framebuffer (one entry, the exit acknowledged,
 * the right pixels), the protected buffers the driver allocates, the
 * top-priority group first, a forced exit when a higher-priority group
 * gets work in protected mode, and the same job under an untimed strategy
 * (timers may fire early there).
 */
#include <secsoc/io.h>

#include "test_panthor_fixture.h"

#define W 64
#define H 32
#define OW 16			/* the ARGB overlay */
#define OH 8
#define OX 8
#define OY 4

struct scene {
	struct px_buf nv12, fb, overlay;
};

static void scene_alloc(struct panthor_device *ptdev, struct scene *sc)
{
	u32 *ov;

	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 3 / 2, &sc->nv12);
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 4, &sc->fb);
	px_buf_alloc(ptdev, "system", OW * OH * 4, &sc->overlay);
	px_nv12_pattern(px_mem(&sc->nv12), W, H);
	ov = (u32 *)px_mem(&sc->overlay);
	for (u32 i = 0; i < OW * OH; i++)
		ov[i] = (i % 3 ? 0x80000000u : 0xff000000u) | (0x010203u * i);
}

static void scene_free(struct scene *sc)
{
	px_buf_free(&sc->nv12);
	px_buf_free(&sc->fb);
	px_buf_free(&sc->overlay);
}

/* CONVERT the video plane into the framebuffer, BLEND the overlay on it. */
static void scene_job(const struct scene *sc, struct gpu_instr in[2])
{
	in[0] = px_convert(sc->nv12.pa, sc->nv12.pa + W * H, W, H, sc->fb.pa);
	in[1] = (struct gpu_instr){ .op = GPU_OP_BLEND_ARGB, .width = OW, .height = OH,
				    .src_stride = OW * 4, .dst_stride = W * 4, .x = OX, .y = OY,
				    .src0 = sc->overlay.pa, .dst = sc->fb.pa };
}

/* What the framebuffer must hold, computed on the host. */
static void scene_assert_pixels(struct scene *sc)
{
	u8 *want = malloc(W * H * 4);
	const u8 *ov = px_mem(&sc->overlay);

	assert_non_null(want);
	pixel_nv12_rows_to_xrgb(px_mem(&sc->nv12), px_mem(&sc->nv12) + W * H, W, W, 0, H, want,
				W * 4);
	for (u32 r = 0; r < OH; r++)
		pixel_blend_argb_row(ov + r * OW * 4, want + ((OY + r) * W + OX) * 4, OW);
	px_assert_xrgb(px_mem(&sc->fb), want, W * H);
	free(want);
}

/* Is the firmware's last GLB_PROTM_EXIT event acknowledged (REQ bit == ACK bit)? */
static bool exit_acked(void)
{
	void __iomem *regs = ioremap(gpu_config(tfx.soc->gpu)->base, GPU_REG_WINDOW);
	u32 diff;

	assert_non_null(regs);
	diff = readl(regs + GLB_REQ) ^ readl(regs + GLB_ACK);
	iounmap(regs);
	return !(diff & GLB_PROTM_EXIT);
}

/*
 * The secure video path's GPU step: the job completes with 0 after one
 * protected-mode entry whose exit the driver acknowledged, and the
 * protected framebuffer holds the composed image.
 */
static void test_protected_convert_blend(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct panthor_stats st;
	struct panthor_group *g;
	struct gpu_instr in[2];
	struct scene sc;

	(void)state;
	scene_alloc(ptdev, &sc);
	scene_job(&sc, in);
	assert_int_equal(panthor_group_create(ptdev, 8, &g), 0);
	assert_int_equal(px_submit(g, in, 2, true, 0), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), 0);
	st = panthor_stats(ptdev);
	assert_int_equal(st.protm_enter_requests, 1);
	assert_int_equal(st.protm_entries, 1);
	assert_int_equal(st.protm_exits, 1);
	assert_int_equal(st.resets, 0);
	assert_int_equal(gpu_stats(tfx.soc->gpu).protm_entries, 1);
	assert_int_equal(gpu_stats(tfx.soc->gpu).protected_instrs, 2);
	assert_false(gpu_protected(tfx.soc->gpu));
	assert_true(exit_acked());
	scene_assert_pixels(&sc);
	panthor_group_destroy(g);
	scene_free(&sc);
}

/*
 * What the driver takes from the protected heap: nothing while no group
 * exists; the firmware's protected section with the first group (until
 * the last one goes), and one suspend buffer per group.
 */
static void test_protected_allocations(void **state)
{
	struct panthor_device *ptdev = px_dev();
	const struct gpu_config *cfg = gpu_config(tfx.soc->gpu);
	u64 fw = ALIGN_UP(cfg->protm_fw_size, PAGE_SIZE);
	u64 suspend = ALIGN_UP(cfg->protm_suspend_size, PAGE_SIZE);
	struct panthor_group *g[2];
	struct gpu_instr in;
	struct px_buf fb;

	(void)state;
	assert_int_equal(protected_heap_stats().buffers, 0);
	assert_int_equal(panthor_group_create(ptdev, 1, &g[0]), 0);
	assert_int_equal(protected_heap_stats().buffers, 2);
	assert_int_equal(protected_heap_stats().bytes, fw + suspend);
	assert_int_equal(panthor_group_create(ptdev, 2, &g[1]), 0);
	assert_int_equal(protected_heap_stats().buffers, 3);
	assert_int_equal(protected_heap_stats().bytes, fw + 2 * suspend);
	panthor_group_destroy(g[0]);
	assert_int_equal(protected_heap_stats().buffers, 2);
	assert_int_equal(protected_heap_stats().bytes, fw + suspend);
	panthor_group_destroy(g[1]);
	assert_int_equal(protected_heap_stats().buffers, 0);
	/* And back with the next group, at its new address, for protected work that works. */
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * 4, &fb);
	assert_int_equal(panthor_group_create(ptdev, 1, &g[0]), 0);
	assert_int_equal(protected_heap_stats().buffers, 3);
	in = px_fill(fb.pa, W * 4, W, 1, 0x0a0b0c);
	assert_int_equal(px_submit(g[0], &in, 1, true, 0), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), 0);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff0a0b0c);
	panthor_group_destroy(g[0]);
	px_buf_free(&fb);
}

/*
 * Two groups wait for protected mode: the driver enters it for the
 * top-priority one first, and for the other only after that one's exit.
 */
static void test_priority_top_group_first(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct panthor_group *low, *high;
	struct gpu_instr in[2];
	struct px_buf fb;

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, 2 * W * H * 4, &fb);
	assert_int_equal(panthor_group_create(ptdev, 2, &low), 0);
	assert_int_equal(panthor_group_create(ptdev, 9, &high), 0);
	in[0] = px_fill(fb.pa, W * 4, W, H, 0x111111);
	in[1] = px_fill(fb.pa + W * H * 4, W * 4, W, H, 0x999999);
	assert_int_equal(px_submit(low, &in[0], 1, true, 0), 0);
	assert_int_equal(px_submit(high, &in[1], 1, true, 1), 0);
	tee_fx_run();
	assert_int_equal(px_log.n, 2);
	assert_int_equal(px_log.id[0], 1);	/* the high-priority group's job first */
	assert_int_equal(px_log.id[1], 0);
	assert_int_equal(px_status(0), 0);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).protm_entries, 2);
	assert_int_equal(panthor_stats(ptdev).protm_exits, 2);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff111111);
	assert_int_equal(*(u32 *)(px_mem(&fb) + W * H * 4), 0xff999999);
	panthor_group_destroy(low);
	panthor_group_destroy(high);
	px_buf_free(&fb);
}

/*
 * Normal and protected jobs interleaved on one group: each protected job
 * gets its own entry and exit, the normal ones run between them.
 */
static void test_protected_and_normal_interleaved(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct px_buf fb, nfb;
	struct panthor_group *g;
	struct gpu_instr in;

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * 4, &fb);
	px_buf_alloc(ptdev, "system", W * 4, &nfb);
	assert_int_equal(panthor_group_create(ptdev, 6, &g), 0);
	for (unsigned int i = 0; i < 6; i++) {
		bool prot = i % 2 == 0;

		in = px_fill(prot ? fb.pa : nfb.pa, W * 4, W, 1, 0x100 * i);
		assert_int_equal(px_submit(g, &in, 1, prot, i), 0);
	}
	tee_fx_run();
	assert_int_equal(px_log.n, 6);
	for (unsigned int i = 0; i < 6; i++) {
		assert_int_equal(px_log.id[i], i);
		assert_int_equal(px_log.status[i], 0);
	}
	assert_int_equal(panthor_stats(ptdev).protm_entries, 3);
	assert_int_equal(panthor_stats(ptdev).protm_exits, 3);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff000400);
	assert_int_equal(*(u32 *)px_mem(&nfb), 0xff000500);
	panthor_group_destroy(g);
	px_buf_free(&fb);
	px_buf_free(&nfb);
}

/* Run the simulation until the GPU is in protected mode (it must get there). */
static void run_until_protected(void)
{
	for (unsigned int i = 0; i < 1000000 && !gpu_protected(tfx.soc->gpu); i++)
		assert_true(sim_step_once(tfx.sim));
	assert_true(gpu_protected(tfx.soc->gpu));
}

/*
 * Work for a group of higher priority than the protected one arrives in
 * protected mode: the driver forces an exit (GLB_PING), the high-priority
 * job runs, and the preempted protected job completes after a second entry.
 */
static void test_forced_exit_for_higher_priority(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct panthor_group *low, *high;
	struct px_buf big, fb;
	struct gpu_instr in[5];

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, 1024 * 1024 * 4, &big);
	px_buf_alloc(ptdev, "system", W * 4, &fb);
	assert_int_equal(panthor_group_create(ptdev, 2, &low), 0);
	assert_int_equal(panthor_group_create(ptdev, 9, &high), 0);
	/* About 2 ms of protected work: the driver sees protected mode active in time. */
	for (unsigned int i = 0; i < 4; i++)
		in[i] = px_fill(big.pa, 1024 * 4, 1024, 1024, 0x0c0c0c + i);
	in[4] = px_fill(fb.pa, W * 4, W, 1, 0x0d0d0d);
	assert_int_equal(px_submit(low, in, 4, true, 0), 0);
	run_until_protected();
	assert_int_equal(px_submit(high, &in[4], 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_log.n, 2);
	assert_int_equal(px_log.id[0], 1);
	assert_int_equal(px_status(0), 0);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).protm_forced_exits, 1);
	assert_int_equal(panthor_stats(ptdev).protm_entries, 2);
	assert_int_equal(panthor_stats(ptdev).protm_exits, 2);
	assert_int_equal(panthor_stats(ptdev).resets, 0);
	assert_int_equal(*(u32 *)(px_mem(&big) + 1024 * 1024 * 4 - 4), 0xff0c0c0f);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff0d0d0d);
	panthor_group_destroy(low);
	panthor_group_destroy(high);
	px_buf_free(&big);
	px_buf_free(&fb);
}

/*
 * Under the random strategy timers may fire before their time; the
 * driver re-checks before it declares a timeout, so the protected job
 * still completes without a reset.
 */
static void test_protected_untimed(void **state)
{
	struct sim_config cfg = { .seed = 7, .strategy = &sim_strategy_random };
	struct panthor_device *ptdev;
	struct panthor_group *g;
	struct gpu_instr in[2];
	struct scene sc;

	(void)state;
	tee_fx_shutdown();
	px_boot(NULL, &cfg);
	ptdev = px_dev();
	scene_alloc(ptdev, &sc);
	scene_job(&sc, in);
	assert_int_equal(panthor_group_create(ptdev, 8, &g), 0);
	assert_int_equal(px_submit(g, in, 2, true, 0), 0);
	assert_int_equal(px_submit(g, in, 2, true, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), 0);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).resets, 0);
	assert_int_equal(panthor_stats(ptdev).protm_exits, 2);
	scene_assert_pixels(&sc);
	panthor_group_destroy(g);
	scene_free(&sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PX_TEST(test_protected_convert_blend),
		PX_TEST(test_protected_allocations),
		PX_TEST(test_priority_top_group_first),
		PX_TEST(test_protected_and_normal_interleaved),
		PX_TEST(test_forced_exit_for_higher_priority),
		PX_TEST(test_protected_untimed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
