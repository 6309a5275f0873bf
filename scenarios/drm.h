/*
 * drm.h - the DRM workload (scenarios/drm_load.c) as the crypto scenarios
 * drive it: the public drm_load_* API of scenario.h plus a bounded number
 * of samples, a checker for invariant 1 and per-sample figures.
 *
 * A normal-world media task builds CENC samples (clear content from a
 * seeded PRNG, encrypted by OpenSSL as a packager would: `cenc` AES-CTR or
 * `cbcs` AES-CBC with the 1:9 pattern, in clear and encrypted
 * sub-samples), puts them in normal memory and asks the DRM TA, through
 * the TEE client driver, to decrypt them into protected buffers of the
 * `protected,secure-video` heap, registered with the TEE as shared memory.
 * The plaintext is verified there through the RAM backdoor (the checker is
 * outside the model). A sample that completes with an error code (a TA
 * crash under --faults) is counted, not verified. Optionally the first
 * request asks for plaintext in normal memory, which the TA must refuse.
 */
#ifndef SECSOC_SCENARIO_DRM_H
#define SECSOC_SCENARIO_DRM_H

#include "scenarios/checker.h"
#include "scenarios/stats.h"

#define DRM_LOAD_DEPTH_MAX 4		/* the TEE has TEE_CALLS_MAX call slots */
#define DRM_LOAD_SAMPLE_MAX 16384
#define DRM_LOAD_CENC BIT(0)
#define DRM_LOAD_CBCS BIT(1)

struct drm_params {
	u64 samples;			/* samples to decrypt; 0: until drm_load_stop() */
	unsigned int depth;		/* samples in flight at most, 1..DRM_LOAD_DEPTH_MAX */
	unsigned int size_min, size_max;	/* sample bytes, 16..DRM_LOAD_SAMPLE_MAX */
	unsigned int subsamples_max;	/* clear/encrypted pairs per sample, >= 1 */
	u32 schemes;			/* DRM_LOAD_CENC | DRM_LOAD_CBCS: drawn per sample */
	/*
	 * First, one sample whose output is normal memory (a rogue player): the
	 * TA must refuse it with TEE_ERROR_SECURITY and write nothing there.
	 */
	bool rogue_first;
};

/* The load `secsoc crypt --tee-load` runs: unbounded, both schemes. */
extern const struct drm_params drm_params_default;

/**
 * drm_load_create - provision the TA and start the media task on @m
 * @chk: the checker outputs are reported to, or NULL (mismatches are then
 *	 still always() failures, counted by the load)
 *
 * Return: the load, or NULL with @err naming what the machine lacks.
 */
struct drm_load *drm_load_create(struct machine *m, const struct drm_params *p, u64 seed,
				 struct checker *chk, struct secsoc_error *err);
/** drm_load_in_flight - samples submitted whose completion has not come */
unsigned int drm_load_in_flight(const struct drm_load *l);
/** drm_load_judge - invariant 5: every sample asked for finished (verified or failed) */
void drm_load_judge(const struct drm_load *l);
/** drm_load_ee_stats - the secure world's request figures */
const struct ee_stats *drm_load_ee_stats(const struct drm_load *l);
/**
 * drm_load_release - give back what the load holds in the machine (its
 * TEE session, kernel buffers) but keep its figures for the report; the
 * load must be idle (drm_load_free() then only frees the figures)
 */
void drm_load_release(struct drm_load *l);
/** drm_load_report - parameters and sample counts */
void drm_load_report(const struct drm_load *l, struct report *r);

#endif /* SECSOC_SCENARIO_DRM_H */
