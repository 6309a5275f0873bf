/*
 * drm_decrypt.c - the drm-decrypt scenario: the DRM TA alone on the
 * crypto engine. A normal-world media task has CENC samples (`cenc` and
 * `cbcs`, with clear and encrypted sub-samples) decrypted into protected
 * memory, and the checker verifies the plaintext there (scenarios/drm.h).
 * Its first request asks for the plaintext in normal memory instead: the
 * TA must refuse it and leave that memory untouched.
 */
#include "scenarios/mix.h"

static const struct mix_config drm_decrypt_cfg = {
	.drm = true,
	.drm_p = { .samples = 32, .depth = 2, .size_min = 256, .size_max = 16384,
		   .subsamples_max = 4, .schemes = DRM_LOAD_CENC | DRM_LOAD_CBCS,
		   .rogue_first = true },
};

static int drm_decrypt_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	return mix_setup(m, state, &drm_decrypt_cfg, err);
}

const struct scenario scenario_drm_decrypt = {
	.name = "drm-decrypt",
	.summary = "the DRM TA alone: cenc and cbcs samples decrypted into protected memory, "
		   "verified there",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct mix),
	.setup = drm_decrypt_setup,
	.check = mix_check,
	.report = mix_report,
	.teardown = mix_teardown,
};
