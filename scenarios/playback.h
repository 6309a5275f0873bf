/*
 * playback.h - the secure video path as a workload (scenarios/playback*.c):
 * a normal-world player that has the DRM TA decrypt each frame of a
 * synthetic clip into protected memory, the GPU compose it in protected
 * mode with a UI plane into a protected framebuffer, and the display show
 * it, while the checker proves every shown frame right by its CRC.
 *
 * Buffers (all from dma-buf heaps, as a Linux player gets them, each held
 * by the GPU driver's bo that imported it):
 *   video[i]  NV12, `protected,secure-video`: the TA's output (registered
 *             with the TEE as shared memory) and the GPU's input
 *   fb[i]     XRGB8888, `protected,secure-video`: the GPU's output and the
 *             display's scan-out buffer
 *   ui[i]     ARGB8888, `system`: the UI plane the CPU draws per frame
 *             (1 MiB, one contiguous chunk: the GPU has no MMU)
 * A frame moves video FREE -> DECRYPTING -> DECODED -> (GPU) -> FREE and
 * fb FREE -> COMPOSING -> COMPOSED -> COMMITTED -> SHOWN -> FREE (once a
 * newer frame is on the screen). Frames are decrypted, composed and shown
 * in order; a frame lost to a fault (a TA crash, a GPU reset) is dropped
 * and counted, never shown.
 *
 * The checker outside the model computes the expected CRC of every frame
 * from the clear clip (scenarios/clip.h) and compares it with the CRC the
 * display reported: correctness without the normal world reading
 * protected memory.
 */
#ifndef SECSOC_SCENARIO_PLAYBACK_H
#define SECSOC_SCENARIO_PLAYBACK_H

#include <secsoc/panthor.h>
#include <secsoc/pixel.h>
#include <secsoc/secsoc_disp.h>

#include "scenarios/clip.h"
#include "scenarios/drm_session.h"
#include "scenarios/mix.h"
#include "scenarios/stats.h"

#define PLAYBACK_VIDEO_BUFS 3
#define PLAYBACK_FBS 3
#define PLAYBACK_SAMPLES_IN_FLIGHT 2	/* of the TEE's call slots */
#define PLAYBACK_UI_BYTES (1u << 20)	/* one order-8 chunk of the system heap */
#define PLAYBACK_GPU_PRIORITY 10
/* Goal: the GPU entered protected mode for a frame (not trivially true: it needs the heap). */
#define PLAYBACK_GOAL_PROTM "gpu: a frame was composed in protected mode"

struct playback_params {
	u32 width, height;		/* of the clip and the screen */
	u32 frames;
	bool disk;			/* disk-crypt on the same QCE meanwhile */
	struct disk_params disk_p;
	const char *png_dir;		/* write every shown frame here, or NULL */
};

enum playback_video_state { PB_VIDEO_FREE, PB_VIDEO_DECRYPTING, PB_VIDEO_DECODED,
			    PB_VIDEO_COMPOSING };
enum playback_fb_state { PB_FB_FREE, PB_FB_COMPOSING, PB_FB_COMPOSED, PB_FB_COMMITTED,
			 PB_FB_SHOWN };

struct playback;

/* One TEE call: a sample of a frame on its way through the TA. */
struct playback_call {
	struct playback *pb;
	struct playback_video *v;
	u32 sample;
	struct tee_ioctl_invoke_arg arg;
	struct tee_param param[3];
	bool busy;
};

struct playback_video {
	enum playback_video_state state;
	u32 frame;
	u64 pa;				/* where it is, for the checker (outside the model) */
	struct tee_shm *shm;
	struct panthor_bo *bo;
	u8 *clear;			/* host memory: the clear frame, for the checker */
	u8 *in;				/* kmalloc: the encrypted frame */
	struct tee_drm_decrypt_desc *descs;	/* kmalloc: one per sample */
	struct clip_packet pkt;
	u32 posted, answered;		/* samples */
	bool failed;			/* a sample failed: the frame is dropped */
	u64 start_ns;
};

struct playback_fb {
	struct playback *pb;
	enum playback_fb_state state;
	u32 frame;
	struct panthor_bo *bo;		/* the framebuffer, for the GPU and the display */
	struct panthor_bo *ui_bo;	/* its UI plane */
	struct playback_video *src;	/* while composing */
	u32 expected_crc;
	u64 commit;			/* the display's commit number */
	u64 compose_ns, commit_ns, start_ns;
};

struct playback_stage_stats {
	struct ee_stats decrypt, compose, display, total;
};

struct playback {
	struct mix mix;			/* the checker and the disk workload */
	struct machine *m;
	struct playback_params p;
	struct clip_params clip;
	struct clip_expect expect;
	struct mix_config mix_cfg;
	struct drm_session ses;
	struct dma_heap *prot_heap, *sys_heap;
	struct panthor_device *gpu;
	struct panthor_group *group;
	struct secsoc_disp *disp;
	struct playback_video video[PLAYBACK_VIDEO_BUFS];
	struct playback_fb fb[PLAYBACK_FBS];
	struct playback_call calls[PLAYBACK_SAMPLES_IN_FLIGHT];
	struct cpu_task task;
	bool started, finished, released;
	u32 next_decrypt, next_compose, next_show;	/* frame numbers */
	/* What the run saw. */
	u64 frames_shown, frames_dropped, dropped_decrypt, dropped_gpu, samples_failed;
	u64 crc_checked, crc_mismatches, repeats, display_faults, png_written;
	u64 first_shown_ns, last_shown_ns;
	u8 *png_img;			/* host memory: the frame the display read (--png) */
	u64 png_seq;			/* the display frame png_img holds */
	struct playback_stage_stats st;
};

/**
 * playback_setup - buffers, GPU group, display, TEE session, the checker
 * and (with @p->disk) the disk workload; adds the player task
 * Return: 0, or a negative errno with @err naming what the machine lacks.
 */
int playback_setup(struct machine *m, struct playback *pb, const struct playback_params *p,
		   struct secsoc_error *err);
/** playback_fps - shown frames per modelled second, from the first shown frame to the last */
double playback_fps(const struct playback *pb);
/* The scenario callbacks (state is a struct playback). */
void playback_check(struct machine *m, void *state);
void playback_report(struct machine *m, void *state, struct report *r);
void playback_teardown(struct machine *m, void *state);

/** playback_player_start - hook the display up and put the player task on its CPU */
void playback_player_start(struct playback *pb);

/* scenarios/playback_decrypt.c: the decrypt stage. */
/** playback_decrypt_step - one action of the decrypt stage; false if none was possible */
bool playback_decrypt_step(struct playback *pb);
/** playback_decrypt_ready - could playback_decrypt_step() act now? (no side effects) */
bool playback_decrypt_ready(const struct playback *pb);
/** playback_decrypt_idle - no session open, no call in flight, nothing left */
bool playback_decrypt_idle(const struct playback *pb);

#endif /* SECSOC_SCENARIO_PLAYBACK_H */
