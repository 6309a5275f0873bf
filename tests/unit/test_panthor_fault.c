/*
 * test_panthor_fault.c - faults and recovery of the Panthor-like GPU
 * driver on the default board: a normal job touching protected memory
 * (CS fault, the group goes on), a protected job writing normal memory
 * (protected-mode fault, reset, recovery), the protected firmware section
 * in normal memory (entry faults, reset), and a firmware that drops the
 * protected-mode entry acknowledgement (4 s timeout, reset, the next
 * entry works), a PROTM_ACTIVE that comes too late (500 ms timeout,
 * reset) and a reset that never completes in time (the GPU is given up).
 */
#include <secsoc/io.h>

#include "test_panthor_fixture.h"

#define W 64
#define H 16

/* A normal job reading a protected buffer fails with -EIO; the next job on that group runs. */
static void test_normal_job_reading_protected_faults(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct px_buf prot, fb;
	struct panthor_group *g;
	struct gpu_instr in[2];

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 3 / 2, &prot);
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in[0] = px_convert(prot.pa, prot.pa + W * H, W, H, fb.pa);
	in[1] = px_fill(fb.pa, W * 4, W, H, 0x424242);
	assert_int_equal(px_submit(g, &in[0], 1, false, 0), 0);
	assert_int_equal(px_submit(g, &in[1], 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).cs_faults, 1);
	assert_int_equal(panthor_stats(ptdev).resets, 0);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff424242);
	/* And later submissions too. */
	in[1].color = 0x434343;
	assert_int_equal(px_submit(g, &in[1], 1, false, 2), 0);
	tee_fx_run();
	assert_int_equal(px_status(2), 0);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff434343);
	panthor_group_destroy(g);
	px_buf_free(&prot);
	px_buf_free(&fb);
}

/*
 * A submission between a CS fault and the driver's handling of it: its
 * doorbell restarts the faulted stream (its CS_REQ still says START)
 * before the bottom half runs (so this seed of the random strategy
 * schedules it); the driver stops the stream, then starts it on a fresh
 * ring. The faulting job fails, the late one runs.
 */
static void test_submit_racing_a_cs_fault(void **state)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_random };
	struct panthor_device *ptdev;
	struct px_buf prot, fb;
	struct panthor_group *g;
	struct gpu_instr in[2];

	(void)state;
	tee_fx_shutdown();
	px_boot(NULL, &cfg);
	ptdev = px_dev();
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 3 / 2, &prot);
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in[0] = px_convert(prot.pa, prot.pa + W * H, W, H, fb.pa);
	in[1] = px_fill(fb.pa, W * 4, W, H, 0x444444);
	assert_int_equal(px_submit(g, &in[0], 1, false, 0), 0);
	for (unsigned int i = 0; i < 100000 && !gpu_stats(tfx.soc->gpu).cs_faults; i++)
		assert_true(sim_step_once(tfx.sim));
	assert_int_equal(gpu_stats(tfx.soc->gpu).cs_faults, 1);
	assert_int_equal(px_submit(g, &in[1], 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff444444);
	assert_int_equal(panthor_stats(ptdev).resets, 0);
	panthor_group_destroy(g);
	px_buf_free(&prot);
	px_buf_free(&fb);
}

/*
 * A protected job whose output is normal memory: the TZC refuses the
 * protected-mode write, the GPU raises PROTM_FAULT and stops; the driver
 * resets it, the job fails with -EIO, and normal and protected jobs run
 * again afterwards with the fault interrupt unmasked.
 */
static void test_protected_job_writing_normal_faults(void **state)
{
	struct panthor_device *ptdev = px_dev();
	struct px_buf prot, fb;
	struct panthor_group *g;
	struct gpu_instr bad, good[2];

	(void)state;
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 4, &prot);
	g = px_fb_group(ptdev, W * H * 4, &fb);
	bad = px_fill(fb.pa, W * 4, W, H, 0x660000);
	assert_int_equal(px_submit(g, &bad, 1, true, 0), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(panthor_stats(ptdev).protm_faults, 1);
	assert_int_equal(panthor_stats(ptdev).resets, 1);
	assert_int_equal(panthor_stats(ptdev).fw_boots, 2);
	assert_int_not_equal(*(u32 *)px_mem(&fb), 0xff660000);
	good[0] = px_fill(fb.pa, W * 4, W, H, 0x010101);
	good[1] = px_fill(prot.pa, W * 4, W, H, 0x020202);
	assert_int_equal(px_submit(g, &good[0], 1, false, 1), 0);
	assert_int_equal(px_submit(g, &good[1], 1, true, 2), 0);
	/* The same fault again: reported again, so the interrupt was unmasked. */
	assert_int_equal(px_submit(g, &bad, 1, true, 3), 0);
	tee_fx_run();
	assert_int_equal(px_status(1), 0);
	assert_int_equal(px_status(2), 0);
	assert_int_equal(px_status(3), -EIO);
	assert_int_equal(panthor_stats(ptdev).protm_faults, 2);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff010101);
	assert_int_equal(*(u32 *)px_mem(&prot), 0xff020202);
	panthor_group_destroy(g);
	px_buf_free(&prot);
	px_buf_free(&fb);
}

/*
 * protected-heap-name naming a heap that is not protected (Boris's worry:
 * the driver cannot check): the firmware section and suspend buffers land
 * in normal memory, every entry faults and resets, protected jobs fail,
 * normal work goes on.
 */
static void test_protected_section_in_normal_heap(void **state)
{
	const char *dts = test_board_variant("soc/secsoc.dts", "gpu-sysheap.dts", PX_SECURE_HEAP,
					     "system");
	struct panthor_device *ptdev;
	struct panthor_group *g;
	struct gpu_instr in;
	struct px_buf fb;

	(void)state;
	tee_fx_shutdown();
	px_boot(dts, NULL);
	ptdev = px_dev();
	assert_true(panthor_has_protected(ptdev));
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in = px_fill(fb.pa, W * 4, W, H, 0x777777);
	assert_int_equal(px_submit(g, &in, 1, true, 0), 0);
	assert_int_equal(px_submit(g, &in, 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).protm_faults, 1);
	assert_int_equal(panthor_stats(ptdev).protm_entries, 0);
	assert_int_equal(panthor_stats(ptdev).resets, 1);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff777777);
	panthor_group_destroy(g);
	px_buf_free(&fb);
}

/*
 * GLB_PROTM_FW_BASE pointed at normal memory behind the driver's back
 * (the test writes the register): the entry faults, the reset makes the
 * driver program its protected section again, and the next entry works.
 */
static void test_protected_section_moved_recovers(void **state)
{
	struct panthor_device *ptdev = px_dev();
	void __iomem *regs = ioremap(gpu_config(tfx.soc->gpu)->base, GPU_REG_WINDOW);
	struct panthor_group *g;
	struct px_buf prot, normal;
	struct gpu_instr in;

	(void)state;
	assert_non_null(regs);
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 4, &prot);
	px_buf_alloc(ptdev, "system", gpu_config(tfx.soc->gpu)->protm_fw_size, &normal);
	assert_int_equal(panthor_group_create(ptdev, 5, &g), 0);
	tee_fx_run();
	assert_true(panthor_fw_ready(ptdev));	/* the boot would write the register */
	writel((u32)normal.pa, regs + GLB_PROTM_FW_BASE_LO);
	writel((u32)(normal.pa >> 32), regs + GLB_PROTM_FW_BASE_HI);
	iounmap(regs);
	in = px_fill(prot.pa, W * 4, W, H, 0x545454);
	assert_int_equal(px_submit(g, &in, 1, true, 0), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(panthor_stats(ptdev).protm_faults, 1);
	assert_int_equal(panthor_stats(ptdev).resets, 1);
	assert_int_equal(gpu_stats(tfx.soc->gpu).protm_entries, 0);
	assert_int_equal(px_submit(g, &in, 1, true, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).protm_entries, 1);
	assert_int_equal(*(u32 *)px_mem(&prot), 0xff545454);
	panthor_group_destroy(g);
	px_buf_free(&prot);
	px_buf_free(&normal);
}

/*
 * The firmware drops the entry acknowledgement half of the time (fixed
 * seed): a dropped one times out after 4 s of modelled time, the GPU is
 * reset and that job fails with -EIO; a later entry is acknowledged and
 * its job completes.
 */
static void test_protm_ack_drop_times_out_and_recovers(void **state)
{
	struct sim_config cfg = { .seed = 3 };
	struct secsoc_error err = { 0 };
	struct panthor_device *ptdev;
	unsigned int failed = 0, ok_after_fail = 0, i;
	struct panthor_group *g;
	struct gpu_instr in;
	struct px_buf prot;

	(void)state;
	assert_int_equal(fault_spec_parse("gpu-protm-ack-drop:0.5", &cfg.faults, &err), 0);
	tee_fx_shutdown();
	px_boot(NULL, &cfg);
	ptdev = px_dev();
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 4, &prot);
	assert_int_equal(panthor_group_create(ptdev, 5, &g), 0);
	in = px_fill(prot.pa, W * 4, W, H, 0x313131);
	for (i = 0; i < 8 && !ok_after_fail; i++) {
		u64 t0 = sim_now_ns(tfx.sim);

		assert_int_equal(px_submit(g, &in, 1, true, i), 0);
		tee_fx_run();
		if (px_status(i) == -EIO) {
			failed++;
			assert_true(px_log.ns[i] - t0 >= 4000ULL * 1000 * 1000);
		} else {
			assert_int_equal(px_status(i), 0);
			ok_after_fail += failed > 0;
		}
	}
	assert_true(failed > 0);
	assert_int_equal(ok_after_fail, 1);
	assert_int_equal(panthor_stats(ptdev).protm_enter_timeouts, failed);
	assert_int_equal(panthor_stats(ptdev).resets, failed);
	assert_int_equal(panthor_stats(ptdev).protm_faults, 0);
	assert_int_equal(*(u32 *)px_mem(&prot), 0xff313131);
	panthor_group_destroy(g);
	px_buf_free(&prot);
}

/* The default board with @props added to the GPU node, written to the test's file @name. */
static const char *gpu_board(const char *name, const char *props)
{
	static char to[256];

	snprintf(to, sizeof(to), "secsoc,protected-nsaid = <2>; %s", props);
	return test_board_variant("soc/secsoc.dts", name, "secsoc,protected-nsaid = <2>;", to);
}

/*
 * A GPU that takes 800 ms to raise PROTM_ACTIVE after acknowledging the
 * entry: the driver's 500 ms poll times out, it resets, the job fails,
 * normal work goes on.
 */
static void test_protm_active_timeout_resets(void **state)
{
	struct panthor_device *ptdev;
	struct panthor_group *g;
	struct px_buf prot, fb;
	struct gpu_instr in[2];
	u64 t0;

	(void)state;
	tee_fx_shutdown();
	px_boot(gpu_board("gpu-slowprotm.dts", "secsoc,protm-enter-ns = <800000000>;"), NULL);
	ptdev = px_dev();
	px_buf_alloc(ptdev, PX_SECURE_HEAP, W * H * 4, &prot);
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in[0] = px_fill(prot.pa, W * 4, W, H, 0x202020);
	in[1] = px_fill(fb.pa, W * 4, W, H, 0x212121);
	t0 = sim_now_ns(tfx.sim);
	assert_int_equal(px_submit(g, &in[0], 1, true, 0), 0);
	assert_int_equal(px_submit(g, &in[1], 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_true(px_log.ns[0] - t0 >= 500ULL * 1000 * 1000);
	assert_true(px_log.ns[0] - t0 < 800ULL * 1000 * 1000);
	assert_int_equal(px_status(1), 0);
	assert_int_equal(panthor_stats(ptdev).protm_enter_timeouts, 1);
	assert_int_equal(panthor_stats(ptdev).resets, 1);
	assert_int_equal(*(u32 *)px_mem(&fb), 0xff212121);
	panthor_group_destroy(g);
	px_buf_free(&prot);
	px_buf_free(&fb);
}

/*
 * A reset that does not complete within 500 ms (this GPU takes 900): the
 * driver gives the GPU up; every job fails with -EIO, and so does every
 * later submission.
 */
static void test_reset_timeout_gives_up(void **state)
{
	struct panthor_device *ptdev;
	struct panthor_group *g;
	struct gpu_instr in[2];
	struct px_buf fb;

	(void)state;
	tee_fx_shutdown();
	px_boot(gpu_board("gpu-slowreset.dts", "secsoc,reset-ns = <900000000>;"), NULL);
	ptdev = px_dev();
	g = px_fb_group(ptdev, W * H * 4, &fb);
	in[0] = px_fill(fb.pa, W * 4, W, H, 0x303030);	/* protected writing normal: reset */
	in[1] = px_fill(fb.pa, W * 4, W, H, 0x313131);
	assert_int_equal(px_submit(g, &in[0], 1, true, 0), 0);
	assert_int_equal(px_submit(g, &in[1], 1, false, 1), 0);
	tee_fx_run();
	assert_int_equal(px_status(0), -EIO);
	assert_int_equal(px_status(1), -EIO);
	assert_int_equal(panthor_stats(ptdev).resets, 1);
	assert_false(panthor_fw_ready(ptdev));
	assert_int_equal(px_submit(g, &in[1], 1, false, 2), -EIO);
	panthor_group_destroy(g);
	px_buf_free(&fb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PX_TEST(test_normal_job_reading_protected_faults),
		PX_TEST(test_submit_racing_a_cs_fault),
		PX_TEST(test_protected_job_writing_normal_faults),
		PX_TEST(test_protected_section_in_normal_heap),
		PX_TEST(test_protected_section_moved_recovers),
		PX_TEST(test_protm_ack_drop_times_out_and_recovers),
		PX_TEST(test_protm_active_timeout_resets),
		PX_TEST(test_reset_timeout_gives_up),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
