/*
 * bench_playback.c - `secsoc bench playback`: the secure video path at
 * 1280x720 on the built-in SoC, with the crypto engine shared with the
 * disk workload (contention on) and not (off).
 *
 * Modelled figures: shown frames per modelled second, the end-to-end
 * frame latency (decrypt start to first vblank showing it) and the median
 * time a frame spends being decrypted (where the disk workload's share of
 * the crypto engine shows) and composed. Host figures:
 * shown frames per host second for the whole system (TA, QCE, BAM, GPU,
 * display, checker), which says how long a person waits for a clip.
 * Every run must show every frame with the CRC the clear clip predicts;
 * otherwise the benchmark fails (exit 1).
 */
#include <errno.h>
#include <stdlib.h>

#include "bench/bench.h"
#include "scenarios/playback.h"

#define PLAYBACK_BENCH_WIDTH 1280
#define PLAYBACK_BENCH_HEIGHT 720
#define PLAYBACK_BENCH_FRAMES 60
#define PLAYBACK_BENCH_QUICK_FRAMES 4

struct playback_figures {
	u64 shown, mismatches, violations;
	double fps_modelled, fps_host;
	u64 p50_ns, p99_ns;
	u64 decrypt_p50_ns, compose_p50_ns;	/* the stages the engine and the GPU pace */
	double disk_mbps;			/* Linux's share of the engine, when it runs */
};

static void figures_of(const struct playback *pb, struct sim *s, u64 host_ns,
		       struct playback_figures *f)
{
	f->shown = pb->frames_shown;
	f->mismatches = pb->crc_mismatches;
	f->violations = sim_violation_count(s);
	f->fps_modelled = playback_fps(pb);
	f->fps_host = host_ns ? (double)f->shown * 1e9 / host_ns : 0;
	f->p50_ns = ee_stats_percentile(&pb->st.total, 50);
	f->p99_ns = ee_stats_percentile(&pb->st.total, 99);
	f->decrypt_p50_ns = ee_stats_percentile(&pb->st.decrypt, 50);
	f->compose_p50_ns = ee_stats_percentile(&pb->st.compose, 50);
	f->disk_mbps = pb->p.disk ? ee_stats_mbps(&pb->mix.disk.stats) : 0;
}

/* One playback from boot to judgement; the host clock covers set-up, run and checks. */
static int bench_one(const struct playback_params *p, struct playback_figures *f,
		     struct secsoc_error *err)
{
	struct sim_config sc = { .seed = 1, .jitter_pct = 0, .no_choice_log = true,
				 .lock_policy = "nwd", .scenario = "secure-playback" };
	struct playback *pb = calloc(1, sizeof(*pb));
	struct machine m;
	u64 t0 = bench_now_ns();
	int ret;

	if (!pb)
		return internal_error(err, "bench playback: out of memory");
	ret = machine_open(&m, NULL, NULL, &sc, SCENARIO_NEEDS_SECURE_WORLD |
			   SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM, err);
	if (!ret) {
		ret = playback_setup(&m, pb, p, err);
		if (!ret) {
			sim_run(m.sim);
			playback_check(&m, pb);
			figures_of(pb, m.sim, bench_now_ns() - t0, f);
		}
		playback_teardown(&m, pb);
	}
	machine_close(&m);
	free(pb);
	return ret;
}

static void report_setup(struct report *r, const char *key, const struct playback_figures *f)
{
	report_section_begin(r, key);
	report_u64(r, "frames_shown", f->shown);
	report_double(r, "fps_modelled", f->fps_modelled);
	report_u64(r, "frame_latency_p50_ns", f->p50_ns);
	report_u64(r, "frame_latency_p99_ns", f->p99_ns);
	report_u64(r, "decrypt_p50_ns", f->decrypt_p50_ns);
	report_u64(r, "compose_p50_ns", f->compose_p50_ns);
	if (f->disk_mbps)
		report_double(r, "disk_MB_per_s", f->disk_mbps);
	report_double(r, "fps_host", f->fps_host);
	report_section_end(r);
}

static int bench_playback_run(const struct bench_options *opt, struct report *r,
			      struct secsoc_error *err)
{
	struct playback_params p = {
		.width = PLAYBACK_BENCH_WIDTH, .height = PLAYBACK_BENCH_HEIGHT,
		.frames = opt->quick ? PLAYBACK_BENCH_QUICK_FRAMES : PLAYBACK_BENCH_FRAMES,
		.disk_p = { .depth = 4, .sectors = 8192, .size_min = 4096, .size_max = 4096 },
	};
	struct playback_figures off = { 0 }, on = { 0 };
	int ret = bench_one(&p, &off, err);

	p.disk = true;
	if (!ret)
		ret = bench_one(&p, &on, err);
	if (ret)
		return ret;
	report_section_begin(r, "playback");
	report_u64(r, "width", p.width);
	report_u64(r, "height", p.height);
	report_u64(r, "frames", p.frames);
	report_setup(r, "contention_off", &off);
	report_setup(r, "contention_on", &on);
	report_section_end(r);
	if (off.shown == p.frames && on.shown == p.frames && !off.mismatches && !on.mismatches &&
	    !off.violations && !on.violations)
		return 0;
	input_error(err, "bench playback: %llu and %llu of %u frames shown, %llu CRC "
		    "mismatches, %llu violations", (unsigned long long)off.shown,
		    (unsigned long long)on.shown, p.frames,
		    (unsigned long long)(off.mismatches + on.mismatches),
		    (unsigned long long)(off.violations + on.violations));
	return -EBADMSG;
}

const struct bench bench_playback = {
	.name = "playback",
	.summary = "secure video path at 1280x720: modelled and host frames per second, with "
		   "and without disk-crypt on the same crypto engine",
	.run = bench_playback_run,
};
