/*
 * scenario.h - workloads, the machine they run on, and the one run
 * procedure shared by `secsoc run`, `secsoc replay` and the tests.
 *
 * A scenario sets up tasks on the machine's CPUs, the simulation runs them
 * to quiescence, and the scenario's checks (the invariants) judge the end
 * state with always(); its report section says what happened.
 */
#ifndef SECSOC_SCENARIO_H
#define SECSOC_SCENARIO_H

#include <stdio.h>

#include <secsoc/kernel.h>
#include <secsoc/report.h>
#include <secsoc/sim.h>
#include <secsoc/soc.h>
#include <secsoc/tee.h>

/* Parts of the machine a scenario needs. */
#define SCENARIO_NEEDS_SECURE_WORLD BIT(0)
#define SCENARIO_NEEDS_TZC BIT(1)
#define SCENARIO_NEEDS_RAM BIT(2)

struct machine {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	bool has_tee;
	struct kernel kernel;
	bool kernel_up;
	/* Where a scenario writes pictures for people (`run --png DIR`), or NULL. */
	const char *png_dir;
};

struct scenario {
	const char *name;
	const char *summary;	/* one line for `secsoc scenarios` */
	u32 needs;		/* SCENARIO_NEEDS_* */
	bool shows_frames;	/* it drives the display: `run --png DIR` applies */
	size_t state_size;
	int (*setup)(struct machine *m, void *state, struct secsoc_error *err);
	/* After the run: judge the end state with always(). */
	void (*check)(struct machine *m, void *state);
	void (*report)(struct machine *m, void *state, struct report *r);
	void (*teardown)(struct machine *m, void *state);
};

extern const struct scenario *const scenario_list[];
extern const unsigned int scenario_count;
#define SCENARIO_DEFAULT "secure-playback"

/** scenario_find - look a scenario up; names the known ones in @err if absent */
const struct scenario *scenario_find(const char *name, struct secsoc_error *err);

/**
 * machine_boot - hardware from @dt, then the secure firmware (when the board
 * has a secure world), then the normal-world kernel
 * @needs: SCENARIO_NEEDS_*; a missing part is an input error naming it
 */
int machine_boot(struct machine *m, struct sim *sim, struct dt *dt, u32 needs,
		 struct secsoc_error *err);
void machine_shutdown(struct machine *m);

/**
 * machine_open - load the board (@dtb, @dts, or the built-in one), create
 * the simulation from @cfg and boot the machine on it
 *
 * machine_close() releases everything, also after a failed open.
 */
int machine_open(struct machine *m, const char *dtb, const char *dts,
		 const struct sim_config *cfg, u32 needs, struct secsoc_error *err);
void machine_close(struct machine *m);

/* Everything one run needs; the CLI fills it from its options. */
struct run_options {
	const char *dtb;
	const char *dts;
	const char *scenario;
	u64 seed;
	const struct sim_strategy_ops *strategy;
	const struct schedule *replay;
	const char *faults;
	const char *lock_policy;
	u64 duration_ns;
	u64 max_steps;
	u32 jitter_pct;		/* timed strategy: SIM_DEFAULT_JITTER_PCT for new runs */
	u32 pct_depth;		/* PCT strategy: bug depth (0: SIM_PCT_DEPTH_DEFAULT) */
	struct trace *trace;	/* Chrome JSON writer, or NULL (borrowed) */
	struct vcd *vcd;	/* VCD writer, or NULL (borrowed) */
	FILE *report_out;	/* the run report, or NULL */
	bool json;
	const char *save_schedule;	/* write the choice log here, or NULL */
	const char *png_dir;		/* secure-playback: write shown frames here, or NULL */
};

struct run_result {
	enum sim_stop_reason stop;
	unsigned int violations;
	char divergence[256];
};

/**
 * run_scenario - boot, run and judge one scenario
 *
 * Return: 0 when the run happened (the result says how it went), or a
 * negative errno with @err naming the bad input or internal failure.
 */
int run_scenario(const struct run_options *opt, struct run_result *res,
		 struct secsoc_error *err);

/** run_exit_code - 0 when every invariant held and the run finished, else 1 */
int run_exit_code(const struct run_result *res);

/*
 * The DRM TA as background load (scenarios/drm_load.c): a normal-world
 * media task that keeps asking the TA to decrypt samples into protected
 * memory, so that Linux's crypto requests compete with it for the engine.
 * Used by the drm-decrypt and contention scenarios and by
 * `secsoc crypt/dgst --tee-load`; scenarios/drm.h has the scenarios'
 * extended interface (bounded samples, figures, a checker).
 */
struct drm_load;

/**
 * drm_load_start - provision the TA and start submitting samples on @m
 * @seed: chooses the sample sizes, sub-sample layouts and schemes
 *
 * Return: the load, or NULL with @err naming what the machine lacks.
 */
struct drm_load *drm_load_start(struct machine *m, u64 seed, struct secsoc_error *err);
/** drm_load_stop - submit no new samples; those in flight still finish */
void drm_load_stop(struct drm_load *l);
/** drm_load_idle - stopped and nothing in flight */
bool drm_load_idle(const struct drm_load *l);
/** drm_load_samples - samples decrypted and verified so far */
u64 drm_load_samples(const struct drm_load *l);
/** drm_load_errors - samples that failed or decrypted to the wrong bytes */
u64 drm_load_errors(const struct drm_load *l);
/**
 * drm_load_free - release everything; once idle, also its session, context
 * and buffers in the machine. A load that is not idle (a run stopped by a
 * violation) leaves those to the kernel's shutdown: the simulation must
 * not step again before the machine is closed.
 */
void drm_load_free(struct drm_load *l);

#endif /* SECSOC_SCENARIO_H */
