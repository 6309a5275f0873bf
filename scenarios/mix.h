/*
 * mix.h - the one shape every crypto scenario shares: a checker, the disk
 * workload (Linux), the DRM workload (the TA), or both at once on the same
 * engine. disk-crypt, drm-decrypt, contention and lock-race are each a
 * struct mix_config and a struct scenario around these functions.
 */
#ifndef SECSOC_SCENARIO_MIX_H
#define SECSOC_SCENARIO_MIX_H

#include "scenarios/checker.h"
#include "scenarios/disk.h"
#include "scenarios/drm.h"

struct mix_config {
	bool disk;			/* run the disk workload */
	struct disk_params disk_p;
	bool drm;			/* run the DRM workload */
	struct drm_params drm_p;
};

struct mix {
	const struct mix_config *cfg;
	struct machine *m;
	struct checker chk;
	struct disk_load disk;
	struct drm_load *drm;
	bool released;
};

/** mix_setup - attach the checker and start the workloads of @cfg */
int mix_setup(struct machine *m, struct mix *x, const struct mix_config *cfg,
	      struct secsoc_error *err);
/* The scenario callbacks (state is a struct mix). */
void mix_check(struct machine *m, void *state);
void mix_report(struct machine *m, void *state, struct report *r);
void mix_teardown(struct machine *m, void *state);

#endif /* SECSOC_SCENARIO_MIX_H */
