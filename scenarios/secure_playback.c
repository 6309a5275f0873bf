/*
 * secure_playback.c - the secure-playback scenario, the default of
 * `secsoc run`: a 1280x720 clip decrypted by the DRM TA into protected
 * memory, composed by the GPU in protected mode, shown by the display and
 * proven right by its CRCs, while Linux's disk encryption uses the same
 * crypto engine (scenarios/playback.h, docs/scenarios.md).
 */
#include "scenarios/playback.h"

/* Long enough that the disk workload and the TA contend throughout. */
static const struct playback_params secure_playback_params = {
	.width = 1280, .height = 720, .frames = 24, .disk = true,
	.disk_p = { .depth = 4, .sectors = 256, .size_min = 4096, .size_max = 4096 },
};

static int secure_playback_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	struct playback_params p = secure_playback_params;

	p.png_dir = m->png_dir;
	return playback_setup(m, state, &p, err);
}

const struct scenario scenario_secure_playback = {
	.name = "secure-playback",
	.summary = "the secure video path: the TA decrypts frames into protected memory, the GPU "
		   "composes them in protected mode, the display shows them (CRC-checked), while "
		   "disk-crypt shares the crypto engine",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.shows_frames = true,
	.state_size = sizeof(struct playback),
	.setup = secure_playback_setup,
	.check = playback_check,
	.report = playback_report,
	.teardown = playback_teardown,
};
