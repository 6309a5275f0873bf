/*
 * playback_report.c - what the secure video path did (scenarios/playback.h):
 * frames, CRC checks, the modelled frame rate and per-stage latencies, the
 * GPU's protected-mode figures, the crypto engine's share per execution
 * environment, then the shared crypto report (disk workload, locks,
 * invariants, leaks).
 */
#include "scenarios/playback.h"

/** playback_fps - see playback.h */
double playback_fps(const struct playback *pb)
{
	u64 span = pb->last_shown_ns - pb->first_shown_ns;

	return pb->frames_shown > 1 && span ? (double)(pb->frames_shown - 1) * 1e9 / span : 0;
}

static void report_frames(const struct playback *pb, struct report *r)
{
	report_section_begin(r, "playback");
	report_u64(r, "width", pb->p.width);
	report_u64(r, "height", pb->p.height);
	report_u64(r, "frames", pb->p.frames);
	report_u64(r, "frames_shown", pb->frames_shown);
	report_u64(r, "frames_dropped", pb->frames_dropped);
	report_u64(r, "dropped_in_decrypt", pb->dropped_decrypt);
	report_u64(r, "dropped_in_gpu", pb->dropped_gpu);
	report_u64(r, "crc_checked", pb->crc_checked);
	report_u64(r, "crc_mismatches", pb->crc_mismatches);
	report_u64(r, "repeated_vblanks", pb->repeats);
	report_u64(r, "display_faults", pb->display_faults);
	report_double(r, "fps_modelled", playback_fps(pb));
	if (pb->p.png_dir) {
		report_str(r, "png_dir", pb->p.png_dir);
		report_u64(r, "png_written", pb->png_written);
	}
	report_section_end(r);
}

static void report_stages(const struct playback *pb, struct report *r)
{
	report_section_begin(r, "stages");
	ee_stats_report(&pb->st.decrypt, "decrypt", r);
	ee_stats_report(&pb->st.compose, "compose", r);
	ee_stats_report(&pb->st.display, "display", r);
	ee_stats_report(&pb->st.total, "end_to_end", r);
	report_section_end(r);
}

static void report_gpu(const struct playback *pb, struct report *r)
{
	struct panthor_stats d = panthor_stats(pb->gpu);
	struct gpu_stats g = gpu_stats(pb->m->soc->gpu);

	report_section_begin(r, "gpu");
	report_u64(r, "jobs_done", d.jobs_done);
	report_u64(r, "jobs_failed", d.jobs_failed);
	report_u64(r, "protm_enter_requests", d.protm_enter_requests);
	report_u64(r, "protm_entries", g.protm_entries);
	report_u64(r, "protm_ns", g.protm_ns);
	report_u64(r, "protm_enter_timeouts", d.protm_enter_timeouts);
	report_u64(r, "protm_faults", g.protm_faults);
	report_u64(r, "cs_faults", g.cs_faults);
	report_u64(r, "resets", d.resets);
	report_u64(r, "protected_instrs", g.protected_instrs);
	report_u64(r, "pixels", g.pixels);
	report_section_end(r);
}

/* The engine's time per EE, as the time each held the pipe lock (nwd wraps every operation). */
static void report_qce_share(const struct playback *pb, struct report *r)
{
	const struct checker *c = &pb->mix.chk;
	u64 now = sim_now_ns(pb->m->sim);
	struct bam_lock_stats lin, tee;

	checker_lock_stats(c, c->linux_ee, &lin);
	checker_lock_stats(c, c->tee_ee, &tee);
	report_section_begin(r, "qce_share");
	report_double(r, "linux", now ? (double)lin.hold_ns / now : 0);
	report_double(r, "tee", now ? (double)tee.hold_ns / now : 0);
	report_section_end(r);
}

void playback_report(struct machine *m, void *state, struct report *r)
{
	struct playback *pb = state;

	report_frames(pb, r);
	if (pb->gpu && pb->started) {
		report_stages(pb, r);
		report_gpu(pb, r);
		report_qce_share(pb, r);
	}
	mix_report(m, &pb->mix, r);
}
