/*
 * contention.c - the contention scenario, the default mix: Linux's
 * dm-crypt workload and the DRM TA's decryptions on the same crypto
 * engine at the same time. Under the `nwd` lock policy every output is
 * right and each side's LOCK waits for the other; under `none` the
 * invariants catch the race (docs/scenarios.md).
 */
#include "scenarios/mix.h"

/*
 * Small enough for hundreds of seeds per policy in a test, long enough
 * that each side locks many times while the other has work queued.
 */
static const struct mix_config contention_cfg = {
	.disk = true,
	.disk_p = { .depth = 4, .sectors = 16, .size_min = 4096, .size_max = 4096 },
	.drm = true,
	.drm_p = { .samples = 8, .depth = 1, .size_min = 1024, .size_max = 8192,
		   .subsamples_max = 3, .schemes = DRM_LOAD_CENC | DRM_LOAD_CBCS },
};

static int contention_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	return mix_setup(m, state, &contention_cfg, err);
}

const struct scenario scenario_contention = {
	.name = "contention",
	.summary = "disk-crypt and drm-decrypt at once on the same crypto engine: Linux and the "
		   "TA contend for the pipe lock",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct mix),
	.setup = contention_setup,
	.check = mix_check,
	.report = mix_report,
	.teardown = mix_teardown,
};
