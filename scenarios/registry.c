/*
 * registry.c - the scenarios this build knows, in the order
 * `secsoc scenarios` lists them.
 */
#include <string.h>

#include "scenarios/scenario.h"

extern const struct scenario scenario_tzc_smoke;
extern const struct scenario scenario_disk_crypt;
extern const struct scenario scenario_drm_decrypt;
extern const struct scenario scenario_contention;
extern const struct scenario scenario_lock_race;
extern const struct scenario scenario_sdp;
extern const struct scenario scenario_heap_security;
extern const struct scenario scenario_secure_playback;

const struct scenario *const scenario_list[] = {
	&scenario_secure_playback,
	&scenario_tzc_smoke,
	&scenario_disk_crypt,
	&scenario_drm_decrypt,
	&scenario_contention,
	&scenario_lock_race,
	&scenario_sdp,
	&scenario_heap_security,
};

const unsigned int scenario_count = ARRAY_SIZE(scenario_list);

const struct scenario *scenario_find(const char *name, struct secsoc_error *err)
{
	char known[256] = "";

	for (unsigned int i = 0; i < scenario_count; i++) {
		if (strcmp(scenario_list[i]->name, name) == 0)
			return scenario_list[i];
		strncat(known, i ? ", " : "", sizeof(known) - strlen(known) - 1);
		strncat(known, scenario_list[i]->name, sizeof(known) - strlen(known) - 1);
	}
	input_error(err, "--scenario: unknown scenario '%s' (known: %s; see `secsoc scenarios`)",
		    name, known);
	return NULL;
}
