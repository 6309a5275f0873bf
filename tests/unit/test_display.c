/*
 * test_display.c - the display controller model (hw/display.c): the
 * default board's hardware with its secure firmware (which programs the
 * TZC), the display driven by register accesses from normal-world CPU 0,
 * framebuffers filled through the RAM backdoor, CRCs checked against
 * pixel_crc_rows() over the same bytes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/display.h>
#include <secsoc/pixel.h>
#include <secsoc/soc.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define W 64
#define H 48
#define STRIDE (W * 4 + 32)		/* padding the CRC must skip */
#define FB_A 0x90000000ULL		/* normal memory */
#define FB_B 0x90100000ULL
#define FB_PROT 0x9c000000ULL		/* the protected carve-out: NSAID 3 may read */
#define TZ_MEM 0x9ff00000ULL		/* secure-world private memory: nobody else */
#define STEPS_MAX 200000

static struct {
	struct dt *dt;
	struct sim *sim;
	struct soc *soc;
	struct tee tee;
	struct display *d;
	u64 base;
} fx;

static void boot_board(const char *dts)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(soc_load_dt(NULL, dts, &fx.dt, &err), 0);
	fx.sim = sim_create(&cfg);
	assert_int_equal(soc_create(fx.sim, fx.dt, &fx.soc, &err), 0);
	assert_int_equal(tee_boot(&fx.tee, fx.soc, &err), 0);
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
	fx.d = fx.soc->display;
	assert_non_null(fx.d);
	fx.base = display_config(fx.d)->base;
}

static int setup(void **state)
{
	boot_board(NULL);
	return 0;
}

static int teardown(void **state)
{
	if (sim_violation_count(fx.sim))
		fail_msg("always() failed: %s", sim_violation(fx.sim, 0)->msg);
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
	return 0;
}

static u32 rd(u32 off)
{
	return cpu_read32(&fx.soc->cpus[0], fx.base + off);
}

static void wr(u32 off, u32 val)
{
	cpu_write32(&fx.soc->cpus[0], fx.base + off, val);
}

static u8 *backdoor(u64 pa, size_t len)
{
	u8 *p = bus_ram_backdoor(fx.soc->bus, pa, len);

	assert_non_null(p);
	return p;
}

/* A W x H image at @pa whose every pixel depends on @seed, x and y. */
static void fill(u64 pa, u32 seed)
{
	u8 *p = backdoor(pa, (size_t)STRIDE * H);

	for (u32 y = 0; y < H; y++)
		for (u32 i = 0; i < STRIDE; i++)
			p[y * STRIDE + i] = (u8)(seed * 29 + y * 7 + i * 13 + (i >> 3));
}

static u32 crc_of(u64 pa)
{
	return pixel_crc_rows(0, backdoor(pa, (size_t)STRIDE * H), STRIDE, W, H);
}

static void program(u64 pa, u32 tag)
{
	wr(DISPLAY_FB_BASE_LO, (u32)pa);
	wr(DISPLAY_FB_BASE_HI, (u32)(pa >> 32));
	wr(DISPLAY_FB_STRIDE, STRIDE);
	wr(DISPLAY_FB_WIDTH, W);
	wr(DISPLAY_FB_HEIGHT, H);
	wr(DISPLAY_FB_FORMAT, DISPLAY_FORMAT_XRGB8888);
	wr(DISPLAY_FB_TAG, tag);
}

static void commit(u64 pa, u32 tag)
{
	program(pa, tag);
	wr(DISPLAY_COMMIT, DISPLAY_COMMIT_GO);
}

/* Step the simulation until the display has completed @n frames in all. */
static void run_frames(u64 n)
{
	for (unsigned int i = 0; display_stats(fx.d).frames < n; i++) {
		assert_true(i < STEPS_MAX);
		assert_true(sim_step_once(fx.sim));
	}
}

/* Step until the display has read pixels of the frame after the last vblank. */
static void run_into_frame(void)
{
	u64 bytes = display_stats(fx.d).bytes;

	for (unsigned int i = 0; display_stats(fx.d).bytes == bytes; i++) {
		assert_true(i < STEPS_MAX);
		assert_true(sim_step_once(fx.sim));
	}
}

static void test_reset_state(void **state)
{
	assert_int_equal(rd(DISPLAY_ID), DISPLAY_ID_VALUE);
	assert_int_equal(rd(DISPLAY_CTRL), 0);
	assert_int_equal(rd(DISPLAY_STATUS), 0);
	assert_int_equal(rd(DISPLAY_FRAME_COUNT), 0);
	assert_int_equal(rd(DISPLAY_FB_FORMAT), DISPLAY_FORMAT_XRGB8888);
	assert_int_equal(display_config(fx.d)->nsaid, 3);
	assert_int_equal(display_config(fx.d)->refresh_hz, DISPLAY_REFRESH_HZ_DEFAULT);
	assert_int_equal(fx.soc->display_irq.intid, 32 + 83);
}

static void test_disabled_display_quiesces(void **state)
{
	fill(FB_A, 1);
	commit(FB_A, 1);
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(display_stats(fx.d).frames, 0);
	assert_int_equal(rd(DISPLAY_COMMIT), 1);	/* waits for a frame start */
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(2);
	wr(DISPLAY_CTRL, 0);
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(display_stats(fx.d).frames, 2);
	assert_int_equal(rd(DISPLAY_FRAME_COUNT), 2);
}

static void test_frame_crc_and_vblank(void **state)
{
	fill(FB_A, 2);
	commit(FB_A, 0x77);
	wr(DISPLAY_INT_MASK, DISPLAY_INT_ALL);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	assert_int_equal(rd(DISPLAY_STATUS), DISPLAY_STATUS_SCANNING |
			 DISPLAY_STATUS_COMMIT_PENDING);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_A));
	assert_int_not_equal(rd(DISPLAY_CRC), 0);
	assert_int_equal(rd(DISPLAY_CRC_FRAME), 1);
	assert_int_equal(rd(DISPLAY_CRC_TAG), 0x77);
	assert_int_equal(rd(DISPLAY_CRC_STATUS), 0);
	assert_int_equal(rd(DISPLAY_INT_RAWSTAT), DISPLAY_INT_VBLANK);
	assert_int_equal(rd(DISPLAY_INT_STAT), DISPLAY_INT_VBLANK);
	assert_true(fx.soc->display_irq.level);
	wr(DISPLAY_INT_CLEAR, DISPLAY_INT_VBLANK);
	assert_int_equal(rd(DISPLAY_INT_RAWSTAT), 0);
	assert_false(fx.soc->display_irq.level);
	assert_int_equal(display_stats(fx.d).bytes, (u64)W * H * 4);
}

static void test_masked_vblank_leaves_line_low(void **state)
{
	fill(FB_A, 3);
	commit(FB_A, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_INT_RAWSTAT), DISPLAY_INT_VBLANK);
	assert_int_equal(rd(DISPLAY_INT_STAT), 0);
	assert_false(fx.soc->display_irq.level);
	wr(DISPLAY_INT_MASK, DISPLAY_INT_VBLANK);
	assert_true(fx.soc->display_irq.level);
}

static void test_refresh_timing(void **state)
{
	u64 frame_ns = display_frame_ns(fx.d), t0 = sim_now_ns(fx.sim);
	/* The vblank is the last of steps + 1 equal slots of the frame. */
	u64 vblank_ns = frame_ns * DISPLAY_STEPS_DEFAULT / (DISPLAY_STEPS_DEFAULT + 1);

	assert_int_equal(frame_ns, 1000000000ULL / 60);
	commit(FB_A, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(sim_now_ns(fx.sim) - t0, vblank_ns);
	run_frames(4);
	assert_int_equal(sim_now_ns(fx.sim) - t0, 3 * frame_ns + vblank_ns);
}

/* Shadow writes and COMMIT in the middle of a frame take effect at the next one. */
static void test_commit_latches_at_frame_start(void **state)
{
	fill(FB_A, 4);
	fill(FB_B, 5);
	assert_int_not_equal(crc_of(FB_A), crc_of(FB_B));
	commit(FB_A, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	run_into_frame();		/* frame 2 is being scanned out of A */
	commit(FB_B, 2);
	assert_int_equal(rd(DISPLAY_COMMIT), 1);
	run_frames(2);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_A));
	assert_int_equal(rd(DISPLAY_CRC_TAG), 1);
	assert_int_equal(rd(DISPLAY_COMMIT), 1);	/* frame 3 has not started */
	run_frames(3);
	assert_int_equal(rd(DISPLAY_COMMIT), 0);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_B));
	assert_int_equal(rd(DISPLAY_CRC_TAG), 2);
	assert_int_equal(rd(DISPLAY_CRC_FRAME), 3);
	/* Shadow registers without COMMIT change nothing. */
	program(FB_A, 9);
	run_frames(4);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_B));
	assert_int_equal(rd(DISPLAY_CRC_TAG), 2);
	assert_int_equal(display_stats(fx.d).commits, 2);
}

static void test_blank_frames_before_commit(void **state)
{
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC), 0);
	assert_int_equal(rd(DISPLAY_CRC_STATUS), DISPLAY_CRC_STATUS_BLANK);
	assert_int_equal(display_stats(fx.d).bytes, 0);
	assert_int_equal(display_stats(fx.d).blank_frames, 1);
	assert_false(display_active(fx.d, NULL));
}

static void test_scans_protected_memory(void **state)
{
	fill(FB_PROT, 6);
	commit(FB_PROT, 3);
	wr(DISPLAY_INT_MASK, DISPLAY_INT_ALL);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_PROT));
	assert_int_equal(rd(DISPLAY_CRC_STATUS), 0);
	assert_int_equal(rd(DISPLAY_INT_RAWSTAT), DISPLAY_INT_VBLANK);
	assert_int_equal(display_stats(fx.d).faults, 0);
}

/*
 * The first two rows lie in normal memory, the rest in the secure world's
 * private memory: those read as zeros with an error response (the TEE sets
 * the TZC's ACTION to DECERR), and the CRC covers the zeros.
 */
static void test_denied_read_faults(void **state)
{
	u64 pa = TZ_MEM - 2 * STRIDE;
	u8 *expect = calloc(H, STRIDE);

	assert_non_null(expect);
	fill(pa, 7);
	memcpy(expect, backdoor(pa, 2 * STRIDE), 2 * STRIDE);
	commit(pa, 4);
	wr(DISPLAY_INT_MASK, DISPLAY_INT_ALL);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC), pixel_crc_rows(0, expect, STRIDE, W, H));
	assert_int_not_equal(rd(DISPLAY_CRC), crc_of(pa));
	assert_int_equal(rd(DISPLAY_CRC_STATUS), DISPLAY_CRC_STATUS_FAULT);
	assert_int_equal(rd(DISPLAY_INT_RAWSTAT), DISPLAY_INT_VBLANK | DISPLAY_INT_FAULT);
	assert_int_equal(rd(DISPLAY_FAULT_ADDR_LO), (u32)TZ_MEM);
	assert_int_equal(rd(DISPLAY_FAULT_ADDR_HI), (u32)(TZ_MEM >> 32));
	assert_int_equal(display_stats(fx.d).faults, 1);
	free(expect);
}

static void test_bad_format_is_guest_error(void **state)
{
	u64 errors = sim_guest_error_count(fx.sim);

	wr(DISPLAY_FB_FORMAT, 0x3231564e);	/* NV12 */
	assert_int_equal(sim_guest_error_count(fx.sim), errors + 1);
	assert_int_equal(rd(DISPLAY_FB_FORMAT), DISPLAY_FORMAT_XRGB8888);
}

/* FB_A's geometry, at @pa, with register @off then set to @val. */
static void expect_commit_refused(u64 pa, u32 off, u32 val)
{
	u64 errors = sim_guest_error_count(fx.sim);

	program(pa, 1);
	wr(off, val);
	wr(DISPLAY_COMMIT, DISPLAY_COMMIT_GO);
	assert_int_equal(sim_guest_error_count(fx.sim), errors + 1);
	assert_int_equal(rd(DISPLAY_COMMIT), 0);
}

static void test_bad_geometry_is_guest_error(void **state)
{
	u64 top = BUS_PA_LIMIT - 4096;	/* the last rows would lie beyond 40 bits */

	expect_commit_refused(FB_A, DISPLAY_FB_WIDTH, 0);
	expect_commit_refused(FB_A, DISPLAY_FB_WIDTH, DISPLAY_DIM_MAX + 1);
	expect_commit_refused(FB_A, DISPLAY_FB_HEIGHT, 0);
	expect_commit_refused(FB_A, DISPLAY_FB_HEIGHT, DISPLAY_DIM_MAX + 1);
	expect_commit_refused(FB_A, DISPLAY_FB_STRIDE, W * 4 - 4);
	expect_commit_refused(FB_A, DISPLAY_FB_STRIDE, STRIDE + 2);
	expect_commit_refused(FB_A, DISPLAY_FB_BASE_LO, (u32)FB_A + 2);
	expect_commit_refused(top, DISPLAY_FB_TAG, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC_STATUS), DISPLAY_CRC_STATUS_BLANK);
}

/* Shadow registers made invalid after COMMIT: the commit is dropped at the frame start. */
static void test_shadow_broken_after_commit_is_dropped(void **state)
{
	u64 errors;

	fill(FB_A, 1);
	commit(FB_A, 1);
	errors = sim_guest_error_count(fx.sim);
	wr(DISPLAY_FB_WIDTH, DISPLAY_DIM_MAX + 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(sim_guest_error_count(fx.sim), errors + 1);
	assert_int_equal(display_stats(fx.d).commits, 0);
	assert_int_equal(rd(DISPLAY_COMMIT), 0);
	assert_int_equal(rd(DISPLAY_CRC_STATUS), DISPLAY_CRC_STATUS_BLANK);
}

static void test_register_misuse_is_guest_error(void **state)
{
	u64 errors = sim_guest_error_count(fx.sim);

	wr(DISPLAY_CRC, 1);
	rd(DISPLAY_INT_CLEAR);
	rd(0x800);
	assert_int_equal(sim_guest_error_count(fx.sim), errors + 3);
}

/* ---- the scan-out sink ---- */

struct sink_capture {
	u8 img[H][W * 4];
	u64 frame;
	u32 rows;
};

static void capture_row(void *ctx, u64 frame, const u8 *row, u32 width, u32 y)
{
	struct sink_capture *c = ctx;

	assert_int_equal(width, W);
	assert_true(y < H);
	assert_int_equal(y, c->rows % H);	/* in order, row after row */
	memcpy(c->img[y], row, W * 4);
	c->frame = frame;
	c->rows++;
}

static void test_sink_sees_what_was_shown(void **state)
{
	struct sink_capture *c = calloc(1, sizeof(*c));
	u64 pa = TZ_MEM - 2 * STRIDE;

	assert_non_null(c);
	display_set_scanout_sink(fx.d, capture_row, c);
	fill(FB_A, 8);
	commit(FB_A, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(c->rows, H);
	assert_int_equal(c->frame, 1);
	assert_int_equal(pixel_crc_rows(0, &c->img[0][0], W * 4, W, H), rd(DISPLAY_CRC));
	for (u32 y = 0; y < H; y++)
		assert_memory_equal(c->img[y], backdoor(FB_A + (u64)y * STRIDE, W * 4), W * 4);
	/* A denied frame: the sink is shown the zeros the display read. */
	fill(pa, 9);
	commit(pa, 2);
	run_frames(3);
	assert_int_equal(c->frame, 3);
	assert_int_equal(pixel_crc_rows(0, &c->img[0][0], W * 4, W, H), rd(DISPLAY_CRC));
	assert_memory_equal(c->img[0], backdoor(pa, W * 4), W * 4);
	for (u32 i = 0; i < W * 4; i++)
		assert_int_equal(c->img[H - 1][i], 0);
	display_set_scanout_sink(fx.d, NULL, NULL);
	free(c);
}

/* The same run with and without a sink: the same frames, at the same times. */
static void test_sink_does_not_change_the_model(void **state)
{
	struct sink_capture *c = calloc(1, sizeof(*c));
	u32 crc[2];
	u64 now[2], steps[2];

	assert_non_null(c);
	for (int pass = 0; pass < 2; pass++) {
		if (pass) {
			teardown(state);
			setup(state);
			display_set_scanout_sink(fx.d, capture_row, c);
		}
		fill(FB_A, 10);
		commit(FB_A, 1);
		wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
		run_frames(3);
		crc[pass] = rd(DISPLAY_CRC);
		now[pass] = sim_now_ns(fx.sim);
		steps[pass] = sim_steps(fx.sim);
	}
	assert_int_equal(c->rows, 3 * H);
	assert_int_equal(crc[0], crc[1]);
	assert_int_equal(now[0], now[1]);
	assert_int_equal(steps[0], steps[1]);
	free(c);
}

/* ---- device-tree properties ---- */

static void test_dt_timing_properties(void **state)
{
	teardown(state);
	boot_board(test_board_variant("soc/secsoc.dts", "display-120.dts", "secsoc,nsaid = <3>;",
				      "secsoc,nsaid = <3>; secsoc,refresh-hz = <120>; "
				      "secsoc,scanout-steps = <3>;"));
	assert_int_equal(display_config(fx.d)->refresh_hz, 120);
	assert_int_equal(display_config(fx.d)->steps, 3);
	assert_int_equal(display_frame_ns(fx.d), 1000000000ULL / 120);
	fill(FB_A, 11);
	commit(FB_A, 1);
	wr(DISPLAY_CTRL, DISPLAY_CTRL_ENABLE);
	run_frames(1);
	assert_int_equal(rd(DISPLAY_CRC), crc_of(FB_A));
}

static void expect_bad_board(const char *to, const char *what)
{
	const char *path = test_board_variant("soc/secsoc.dts", "display-bad.dts",
					      "secsoc,nsaid = <3>;", to);
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };
	struct soc *soc = NULL;
	struct dt *dt;
	struct sim *s;

	assert_int_equal(soc_load_dt(NULL, path, &dt, &err), 0);
	s = sim_create(&cfg);
	assert_int_equal(soc_create(s, dt, &soc, &err), -EINVAL);
	if (!strstr(err.msg, what))
		fail_msg("error \"%s\" does not name %s", err.msg, what);
	assert_non_null(strstr(err.msg, "display@ae00000"));
	sim_destroy(s);
	dt_free(dt);
}

static void test_dt_bad_properties(void **state)
{
	expect_bad_board("secsoc,nsaid = <16>;", "secsoc,nsaid");
	expect_bad_board("secsoc,nsaid = <3>; secsoc,refresh-hz = <0>;", "secsoc,refresh-hz");
	expect_bad_board("secsoc,nsaid = <3>; secsoc,scanout-steps = <65>;",
			 "secsoc,scanout-steps");
}

#define DISPLAY_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		DISPLAY_TEST(test_reset_state),
		DISPLAY_TEST(test_disabled_display_quiesces),
		DISPLAY_TEST(test_frame_crc_and_vblank),
		DISPLAY_TEST(test_masked_vblank_leaves_line_low),
		DISPLAY_TEST(test_refresh_timing),
		DISPLAY_TEST(test_commit_latches_at_frame_start),
		DISPLAY_TEST(test_blank_frames_before_commit),
		DISPLAY_TEST(test_scans_protected_memory),
		DISPLAY_TEST(test_denied_read_faults),
		DISPLAY_TEST(test_bad_format_is_guest_error),
		DISPLAY_TEST(test_bad_geometry_is_guest_error),
		DISPLAY_TEST(test_shadow_broken_after_commit_is_dropped),
		DISPLAY_TEST(test_register_misuse_is_guest_error),
		DISPLAY_TEST(test_sink_sees_what_was_shown),
		DISPLAY_TEST(test_sink_does_not_change_the_model),
		DISPLAY_TEST(test_dt_timing_properties),
		cmocka_unit_test(test_dt_bad_properties),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
