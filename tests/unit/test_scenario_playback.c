/*
 * test_scenario_playback.c - the secure video path (scenarios/playback*.c):
 * a small clip plays with every frame shown and CRC-checked and nothing
 * left behind; a wrong content key, a wrong composition and the `none`
 * lock policy are caught; faults (a GPU that never acknowledges protected
 * mode, a crashing TA) lose only the frames in flight; --png writes what
 * the display showed; the default scenario runs at 1280x720.
 */
#include <dirent.h>
#include <errno.h>
#include <png.h>
#include <zlib.h>

#include <secsoc/tee_drm.h>

#include "scenarios/playback.h"
#include "run_fixture.h"

struct pb_run {
	struct machine m;
	struct playback *pb;
	unsigned int violations;
	char first_violation[256];
};

static const struct playback_params small = {
	.width = 64, .height = 48, .frames = 6, .disk = true,
	.disk_p = { .depth = 2, .sectors = 8, .size_min = 4096, .size_max = 4096 },
};

/* Boot, set up @p, let @sabotage (may be NULL) meddle, run, judge; teardown is the caller's. */
static void pb_start(struct pb_run *r, const struct playback_params *p, u64 seed,
		     const char *faults, const char *policy)
{
	struct sim_config sc = { .seed = seed, .lock_policy = policy,
				 .jitter_pct = SIM_DEFAULT_JITTER_PCT };
	struct secsoc_error err = { 0 };

	memset(r, 0, sizeof(*r));
	assert_int_equal(fault_spec_parse(faults, &sc.faults, &err), 0);
	r->pb = calloc(1, sizeof(*r->pb));
	assert_non_null(r->pb);
	assert_int_equal(machine_open(&r->m, NULL, NULL, &sc, SCENARIO_NEEDS_SECURE_WORLD |
				      SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM, &err), 0);
	if (playback_setup(&r->m, r->pb, p, &err))
		fprintf(stderr, "setup: %s\n", err.msg);
	assert_string_equal(err.msg, "");
}

static void pb_finish(struct pb_run *r)
{
	enum sim_stop_reason why = sim_run(r->m.sim);

	if (why != SIM_STOP_VIOLATION)
		playback_check(&r->m, r->pb);
	r->violations = sim_violation_count(r->m.sim);
	if (r->violations)
		snprintf(r->first_violation, sizeof(r->first_violation), "%s",
			 sim_violation(r->m.sim, 0)->msg);
}

static void pb_close(struct pb_run *r)
{
	playback_teardown(&r->m, r->pb);
	machine_close(&r->m);
	free(r->pb);
}

static void pb_play(struct pb_run *r, const struct playback_params *p, u64 seed,
		    const char *faults)
{
	pb_start(r, p, seed, faults, "nwd");
	pb_finish(r);
	if (r->violations)
		fprintf(stderr, "seed %llu: %s\n", (unsigned long long)seed, r->first_violation);
}

static void test_small_clip_plays_every_frame_right(void **state)
{
	struct pb_run r;

	for (u64 seed = 0; seed < 3; seed++) {
		pb_play(&r, &small, seed, NULL);
		assert_int_equal(r.violations, 0);
		assert_int_equal(r.pb->frames_shown, small.frames);
		assert_int_equal(r.pb->crc_checked, small.frames);
		assert_int_equal(r.pb->crc_mismatches, 0);
		assert_int_equal(r.pb->frames_dropped, 0);
		assert_true(r.pb->mix.chk.judged);
		pb_close(&r);
	}
}

/* Every frame went through protected mode: one entry per protected job. */
static void test_every_frame_is_composed_in_protected_mode(void **state)
{
	struct pb_run r;
	struct gpu_stats g;

	pb_play(&r, &small, 1, NULL);
	g = gpu_stats(r.m.soc->gpu);
	assert_int_equal(g.protected_instrs, 2 * small.frames);
	assert_int_equal(panthor_stats(r.pb->gpu).jobs_done, small.frames);
	assert_true(g.protm_entries >= 1);
	assert_true(g.protm_ns > 0);
	assert_false(gpu_protected(r.m.soc->gpu));
	pb_close(&r);
}

/* The TA decrypts with another key than the packager's: invariant 1 names the frame. */
static void test_wrong_content_key_is_caught(void **state)
{
	struct pb_run r;
	u8 key[TEE_DRM_KEY_BYTES];

	pb_start(&r, &small, 2, NULL, "nwd");
	memcpy(key, r.pb->clip.key, sizeof(key));
	key[0] ^= 1;
	assert_int_equal(tee_drm_provision_key(&r.m.tee, r.pb->clip.key_id, key), 0);
	pb_finish(&r);
	assert_true(r.violations > 0);
	assert_non_null(strstr(r.first_violation, "invariant 1"));
	assert_non_null(strstr(r.first_violation, "playback frame 0 decryption"));
	pb_close(&r);
}

/* The checker expects the UI plane elsewhere than the GPU put it: the CRC differs. */
static void test_wrong_composition_is_caught_by_the_crc(void **state)
{
	struct pb_run r;

	pb_start(&r, &small, 3, NULL, "nwd");
	r.pb->expect.p.ui.y -= 2;
	pb_finish(&r);
	assert_true(r.violations > 0);
	assert_non_null(strstr(r.first_violation, "with CRC"));
	assert_int_equal(r.pb->crc_mismatches, 1);
	pb_close(&r);
}

/* A GPU that never acknowledges protected mode: each time the driver resets, one frame goes. */
static void test_protm_ack_drop_loses_only_frames_in_flight(void **state)
{
	struct pb_run r;
	struct panthor_stats d;

	for (u64 seed = 0; seed < 4; seed++) {
		pb_play(&r, &small, seed, "gpu-protm-ack-drop:0.3");
		d = panthor_stats(r.pb->gpu);
		assert_int_equal(r.violations, 0);
		assert_int_equal(r.pb->frames_shown + r.pb->frames_dropped, small.frames);
		assert_true(r.pb->dropped_gpu <= d.resets);
		assert_int_equal(r.pb->crc_mismatches, 0);
		/* The screen repeats the last frame while the driver waits out the 4 s. */
		assert_int_equal(r.pb->crc_checked, r.pb->frames_shown + r.pb->repeats);
		pb_close(&r);
	}
}

static void test_ta_crash_drops_frames_and_reopens_the_session(void **state)
{
	struct pb_run r;
	u64 dropped = 0;

	for (u64 seed = 0; seed < 4; seed++) {
		pb_play(&r, &small, seed, "ta-crash:0.05");
		assert_int_equal(r.violations, 0);
		assert_int_equal(r.pb->frames_shown + r.pb->frames_dropped, small.frames);
		assert_true(r.pb->dropped_decrypt <= r.pb->samples_failed);
		assert_int_equal(r.pb->crc_mismatches, 0);
		dropped += r.pb->dropped_decrypt;
		pb_close(&r);
	}
	assert_true(dropped > 0);	/* the fault fired at least once over the seeds */
}

static void run_default(struct run *out, const char *policy, const char *png_dir)
{
	struct run_options opt = { .seed = 0, .lock_policy = policy, .png_dir = png_dir,
				   .scenario = SCENARIO_DEFAULT,
				   .jitter_pct = SIM_DEFAULT_JITTER_PCT };

	run_with(out, &opt);
}

static void test_default_scenario_is_secure_playback_at_720p(void **state)
{
	struct run r;

	assert_string_equal(SCENARIO_DEFAULT, "secure-playback");
	run_default(&r, "nwd", NULL);
	if (r.exit_code)
		fprintf(stderr, "%s\n", r.report);
	assert_int_equal(r.exit_code, 0);
	assert_report_has(&r, "width: 1280");
	assert_report_has(&r, "height: 720");
	assert_report_has(&r, "crc_mismatches: 0");
	assert_report_has(&r, "frames_dropped: 0");
	free(r.report);
}

static void test_no_lock_breaks_an_invariant(void **state)
{
	struct run r;

	run_default(&r, "none", NULL);
	assert_int_equal(r.exit_code, 1);
	assert_report_has(&r, "invariant");
	free(r.report);
}

/* Read @path's pixels back as XRGB8888 and give their frame CRC. */
static u32 png_crc(const char *path, u32 width, u32 height)
{
	png_image img = { .version = PNG_IMAGE_VERSION };
	u8 *px;
	u32 crc;

	assert_true(png_image_begin_read_from_file(&img, path));
	assert_int_equal(img.width, width);
	assert_int_equal(img.height, height);
	img.format = PNG_FORMAT_BGRA;	/* little-endian 0xAARRGGBB in memory */
	px = malloc(PNG_IMAGE_SIZE(img));
	assert_non_null(px);
	assert_true(png_image_finish_read(&img, NULL, px, 0, NULL));
	for (size_t i = 3; i < PNG_IMAGE_SIZE(img); i += 4)
		px[i] = 0xff;	/* the X byte the display read */
	crc = pixel_crc_rows(0, px, width * 4, width, height);
	free(px);
	return crc;
}

static void test_png_writes_what_the_display_showed(void **state)
{
	char dir[] = "/tmp/secsoc-png-XXXXXX", path[4200];
	struct pb_run r;
	struct playback_params p = small;

	assert_non_null(mkdtemp(dir));
	p.png_dir = dir;
	pb_play(&r, &p, 4, NULL);
	assert_int_equal(r.violations, 0);
	assert_int_equal(r.pb->png_written, small.frames);
	for (u32 f = 0; f < small.frames; f++) {
		snprintf(path, sizeof(path), "%s/frame-%05u.png", dir, f);
		assert_int_equal(png_crc(path, p.width, p.height),
				 clip_expected_crc(&r.pb->expect, f));
		remove(path);
	}
	pb_close(&r);
	rmdir(dir);
}

static void test_png_on_a_scenario_without_frames_is_refused(void **state)
{
	struct run_options opt = { .scenario = "contention", .png_dir = "/tmp" };
	struct run_result res;
	struct secsoc_error err = { 0 };

	assert_int_equal(run_scenario(&opt, &res, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "--png: scenario contention shows no frames"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_clip_plays_every_frame_right),
		cmocka_unit_test(test_every_frame_is_composed_in_protected_mode),
		cmocka_unit_test(test_wrong_content_key_is_caught),
		cmocka_unit_test(test_wrong_composition_is_caught_by_the_crc),
		cmocka_unit_test(test_protm_ack_drop_loses_only_frames_in_flight),
		cmocka_unit_test(test_ta_crash_drops_frames_and_reopens_the_session),
		cmocka_unit_test(test_default_scenario_is_secure_playback_at_720p),
		cmocka_unit_test(test_no_lock_breaks_an_invariant),
		cmocka_unit_test(test_png_writes_what_the_display_showed),
		cmocka_unit_test(test_png_on_a_scenario_without_frames_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
