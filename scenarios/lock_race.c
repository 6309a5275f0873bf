/*
 * lock_race.c - the lock-race scenario: the smallest case in which Linux
 * and the TA can race for the crypto engine. Linux writes and reads back
 * one sector (one XTS request of 512 B to 4 KiB each way), the TA
 * decrypts one small `cenc` sample. Few steps, so that an exhaustive
 * explorer can enumerate its schedules.
 */
#include "scenarios/mix.h"

static const struct mix_config lock_race_cfg = {
	.disk = true,
	.disk_p = { .depth = 1, .sectors = 1, .size_min = 512, .size_max = 4096 },
	.drm = true,
	.drm_p = { .samples = 1, .depth = 1, .size_min = 64, .size_max = 256,
		   .subsamples_max = 1, .schemes = DRM_LOAD_CENC },
};

static int lock_race_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	return mix_setup(m, state, &lock_race_cfg, err);
}

const struct scenario scenario_lock_race = {
	.name = "lock-race",
	.summary = "the smallest race: one Linux XTS write and read-back against one small TA "
		   "cenc sample, for exhaustive exploration",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct mix),
	.setup = lock_race_setup,
	.check = mix_check,
	.report = mix_report,
	.teardown = mix_teardown,
};
