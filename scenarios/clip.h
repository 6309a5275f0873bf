/*
 * clip.h - the content of the secure-playback scenario: a deterministic
 * synthetic clip, its CENC packaging for the DRM TA, and what the display
 * must show for each frame.
 *
 * A frame is NV12 (include/secsoc/pixel.h), made on demand from the clip's
 * parameters and its number alone, in any order: moving gradients, fine
 * noise, coloured bands, a bouncing box, the title and the frame number in
 * a built-in font, so that a shifted, swapped, stale, wrongly decrypted or
 * zeroed block changes the frame CRC. Over it, the GPU blends a UI plane
 * (ARGB8888: a translucent control bar with a progress indicator).
 *
 * Packaging cuts a frame into slices of rows, one CENC sample each (at most
 * TEE_DRM_SAMPLE_MAX bytes): the luma rows of a slice, then its chroma
 * rows, each one contiguous range of the frame buffer, with a few clear
 * header / encrypted payload sub-samples (scenarios/cenc.h encrypts them).
 */
#ifndef SECSOC_SCENARIO_CLIP_H
#define SECSOC_SCENARIO_CLIP_H

#include <secsoc/error.h>
#include <secsoc/pixel.h>
#include <secsoc/tee_drm.h>

#define CLIP_WIDTH_MIN 16
#define CLIP_HEIGHT_MIN 16
#define CLIP_WIDTH_MAX 1920
#define CLIP_HEIGHT_MAX 1080
#define CLIP_FRAMES_MAX 100000		/* the frame number is drawn with 5 digits */
#define CLIP_TITLE_MAX 24		/* characters of the title */
#define CLIP_SAMPLES_MAX 64		/* samples per frame */
#define CLIP_SUBSAMPLES_MAX 4		/* sub-samples per sample */
#define CLIP_UI_WIDTH_MIN 8
#define CLIP_UI_HEIGHT_MIN 4
/* clip_params.scheme: cenc on even frames, cbcs on odd ones. */
#define CLIP_SCHEME_ALTERNATE 0

/* A rectangle in pixels. */
struct clip_rect {
	u32 x, y, width, height;
};

struct clip_params {
	u32 width, height;		/* even, CLIP_{WIDTH,HEIGHT}_{MIN,MAX} */
	u32 frames;			/* 1..CLIP_FRAMES_MAX: 100% of the progress bar */
	u64 seed;			/* colours, phases, noise, sample layouts and IVs */
	char title[CLIP_TITLE_MAX + 1];	/* drawn on every frame (A-Z 0-9 - : . / #) */
	u32 scheme;			/* TEE_DRM_SCHEME_CENC, _CBCS, CLIP_SCHEME_ALTERNATE */
	u32 key_id;			/* the key provisioned in the DRM TA */
	u8 key[TEE_DRM_KEY_BYTES];
	u32 slice_rows;			/* luma rows per slice, even; 0: all a sample holds */
	struct clip_rect ui;		/* where the UI plane lies on the frame */
};

/**
 * clip_params_default - a valid clip of @width x @height: 300 frames,
 * alternating schemes, a key derived from @seed, automatic slices and the
 * UI plane as a control bar over the bottom eighth of the frame
 */
void clip_params_default(struct clip_params *p, u32 width, u32 height, u64 seed);

/**
 * clip_params_check - reject parameters beyond the limits above
 * @err: the message names the parameter and its value
 *
 * Every other clip_* function expects checked parameters and asserts them.
 * Return: 0 or -EINVAL.
 */
int clip_params_check(const struct clip_params *p, struct secsoc_error *err);

/**
 * clip_frame_nv12 - draw frame @frame of the clip
 * @frame: 0..@p->frames - 1
 * @out: pixel_nv12_size(@p->width, @p->height) bytes, both planes with a
 *       stride of @p->width
 */
void clip_frame_nv12(const struct clip_params *p, u32 frame, u8 *out);

/**
 * clip_ui_argb - draw the UI plane of frame @frame: @p->ui.width x
 * @p->ui.height ARGB8888 pixels with transparent, translucent and opaque parts
 * @stride: bytes per row of @out, at least 4 * @p->ui.width
 */
void clip_ui_argb(const struct clip_params *p, u32 frame, u8 *out, u32 stride);

/* ---- packaging (clip_package.c) ---- */

/* One sample of a packaged frame. */
struct clip_sample {
	struct tee_drm_decrypt_desc desc;	/* as the TA reads it: little-endian */
	u32 offset;			/* of the sample in the NV12 frame */
	u32 len;			/* bytes, at most TEE_DRM_SAMPLE_MAX */
};

/* A frame as the player receives it (the encrypted bytes live beside it). */
struct clip_packet {
	u32 frame;
	u32 scheme;			/* TEE_DRM_SCHEME_* of every sample */
	u32 nr_samples;			/* 1..CLIP_SAMPLES_MAX */
	struct clip_sample samples[CLIP_SAMPLES_MAX];
};

/** clip_frame_scheme - the protection scheme of frame @frame */
u32 clip_frame_scheme(const struct clip_params *p, u32 frame);

/** clip_slice_rows - luma rows per slice (@p->slice_rows, or the automatic choice) */
u32 clip_slice_rows(const struct clip_params *p);

/** clip_nr_samples - samples per frame: two (luma, chroma) per slice */
u32 clip_nr_samples(const struct clip_params *p);

/**
 * clip_package_sample - package sample @i of frame @frame
 * @nv12: the clear frame (clip_frame_nv12())
 * @enc: where the encrypted sample goes (@out->len bytes)
 * @out: its descriptor, offset and length
 *
 * The sub-sample layout and the IV are drawn from @p->seed, @frame and @i.
 * Return: 0, or -EINVAL if OpenSSL refused.
 */
int clip_package_sample(const struct clip_params *p, u32 frame, u32 i, const u8 *nv12, u8 *enc,
			struct clip_sample *out);

/**
 * clip_package - package every sample of frame @frame
 * @nv12: the clear frame
 * @enc: pixel_nv12_size() bytes: sample i encrypted at @pkt->samples[i].offset
 * @pkt: the samples' descriptors
 *
 * Return: 0, or -EINVAL if OpenSSL refused.
 */
int clip_package(const struct clip_params *p, u32 frame, const u8 *nv12, u8 *enc,
		 struct clip_packet *pkt);

/* ---- what the display must show (clip_expect.c) ---- */

/* The expected-output computer: checked parameters and its scratch images. */
struct clip_expect {
	struct clip_params p;
	u8 *nv12;			/* the clear frame */
	u8 *ui;				/* the UI plane, 4 * p.ui.width bytes per row */
	u8 *xrgb;			/* the expected image, 4 * p.width bytes per row */
};

/**
 * clip_expect_init - check @p and allocate the scratch images of @e
 * Return: 0, -EINVAL (bad @p, message in @err) or -ENOMEM.
 */
int clip_expect_init(struct clip_expect *e, const struct clip_params *p,
		     struct secsoc_error *err);

/** clip_expect_release - free what clip_expect_init() allocated */
void clip_expect_release(struct clip_expect *e);

/**
 * clip_expected_xrgb - the displayed image of frame @frame: the frame
 * converted to XRGB8888 (a GPU CONVERT_NV12 job into the framebuffer), then
 * the UI plane blended over it at @e->p.ui (a BLEND_ARGB job)
 * @out: @e->p.height rows of @stride bytes (at least 4 * @e->p.width)
 */
void clip_expected_xrgb(struct clip_expect *e, u32 frame, u8 *out, u32 stride);

/** clip_expected_crc - the display's CRC (pixel_crc_rows() from 0) of frame @frame */
u32 clip_expected_crc(struct clip_expect *e, u32 frame);

#endif /* SECSOC_SCENARIO_CLIP_H */
