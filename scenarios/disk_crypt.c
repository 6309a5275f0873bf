/*
 * disk_crypt.c - the disk-crypt scenario: Linux alone on the crypto
 * engine, dm-crypt style (scenarios/disk.h). It measures the uncontended
 * engine and checks the invariants without the secure world competing.
 */
#include "scenarios/mix.h"

/* docs/scenarios.md: 64 sectors of 4 KiB, 8 in flight (dm-crypt's queue). */
static const struct mix_config disk_crypt_cfg = {
	.disk = true,
	.disk_p = { .depth = 8, .sectors = 64, .size_min = 4096, .size_max = 4096 },
};

static int disk_crypt_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	return mix_setup(m, state, &disk_crypt_cfg, err);
}

const struct scenario scenario_disk_crypt = {
	.name = "disk-crypt",
	.summary = "dm-crypt-like AES-256-XTS over 4 KiB sectors, 8 requests in flight, every "
		   "output checked against OpenSSL",
	.needs = SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct mix),
	.setup = disk_crypt_setup,
	.check = mix_check,
	.report = mix_report,
	.teardown = mix_teardown,
};
