/*
 * clip.c - the synthetic clip's parameters and its NV12 frames
 * (scenarios/clip.h). A frame is a pure function of the parameters and its
 * number: the seed picks colours and phases, the frame number moves the
 * gradients, the colour bands and the box, and is printed on the frame.
 */
#include <assert.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/prng.h>

#include "scenarios/clip_draw.h"

#define CLIP_DEFAULT_FRAMES 300
#define CLIP_DEFAULT_TITLE "SECSOC SECURE PLAYBACK"
#define CLIP_KEY_SALT 0x6b6579u		/* "key": keeps the key apart from the look */
#define CLIP_BANDS 4
#define CLIP_LUMA_RAMP 160		/* luma 32..191 from the gradient, +0..15 noise */
#define CLIP_BLACK_Y 16
#define CLIP_WHITE_Y 235
#define CLIP_NEUTRAL_CBCR 0x8080u

/* What the seed chooses. */
struct clip_look {
	u32 phase;			/* of the gradients and bands */
	u32 noise;			/* seed of the fine noise */
	u8 band_cb[CLIP_BANDS], band_cr[CLIP_BANDS];
	u8 box_y, box_cb, box_cr;
	u32 box_phase_x, box_phase_y;
};

void clip_params_default(struct clip_params *p, u32 width, u32 height, u64 seed)
{
	u32 bar = MAX(CLIP_UI_HEIGHT_MIN, height / 8);
	struct prng r;

	memset(p, 0, sizeof(*p));
	p->width = width;
	p->height = height;
	p->frames = CLIP_DEFAULT_FRAMES;
	p->seed = seed;
	snprintf(p->title, sizeof(p->title), "%s", CLIP_DEFAULT_TITLE);
	p->scheme = CLIP_SCHEME_ALTERNATE;
	p->key_id = 1;
	prng_seed(&r, seed ^ CLIP_KEY_SALT);
	for (u32 i = 0; i < TEE_DRM_KEY_BYTES; i++)
		p->key[i] = (u8)prng_next(&r);
	p->ui = (struct clip_rect){ 0, height - MIN(bar, height), width, MIN(bar, height) };
}

static int clip_check_content(const struct clip_params *p, struct secsoc_error *err)
{
	if (p->width < CLIP_WIDTH_MIN || p->width > CLIP_WIDTH_MAX || (p->width & 1))
		return input_error(err, "clip width %u: must be even, %u..%u", p->width,
				   CLIP_WIDTH_MIN, CLIP_WIDTH_MAX);
	if (p->height < CLIP_HEIGHT_MIN || p->height > CLIP_HEIGHT_MAX || (p->height & 1))
		return input_error(err, "clip height %u: must be even, %u..%u", p->height,
				   CLIP_HEIGHT_MIN, CLIP_HEIGHT_MAX);
	if (!p->frames || p->frames > CLIP_FRAMES_MAX)
		return input_error(err, "clip frames %u: must be 1..%u", p->frames,
				   CLIP_FRAMES_MAX);
	if (!memchr(p->title, '\0', sizeof(p->title)))
		return input_error(err, "clip title: longer than %u characters", CLIP_TITLE_MAX);
	if (p->scheme != TEE_DRM_SCHEME_CENC && p->scheme != TEE_DRM_SCHEME_CBCS &&
	    p->scheme != CLIP_SCHEME_ALTERNATE)
		return input_error(err, "clip scheme 0x%08x: must be cenc, cbcs or alternate",
				   p->scheme);
	return 0;
}

static int clip_check_slices(const struct clip_params *p, struct secsoc_error *err)
{
	u32 rows = p->slice_rows;

	if (!rows)
		return 0;
	if ((rows & 1) || rows > p->height || (u64)rows * p->width > TEE_DRM_SAMPLE_MAX)
		return input_error(err, "clip slice_rows %u: must be even, at most the height (%u) "
				   "and fit a sample (%u bytes, %u rows of %u pixels)", rows,
				   p->height, TEE_DRM_SAMPLE_MAX, TEE_DRM_SAMPLE_MAX / p->width,
				   p->width);
	if (2 * DIV_ROUND_UP(p->height, rows) > CLIP_SAMPLES_MAX)
		return input_error(err, "clip slice_rows %u: %u samples per frame, more than %u",
				   rows, 2 * DIV_ROUND_UP(p->height, rows), CLIP_SAMPLES_MAX);
	return 0;
}

static int clip_check_ui(const struct clip_params *p, struct secsoc_error *err)
{
	const struct clip_rect *ui = &p->ui;

	if (ui->width < CLIP_UI_WIDTH_MIN || ui->height < CLIP_UI_HEIGHT_MIN ||
	    ui->x > p->width || ui->width > p->width - ui->x ||
	    ui->y > p->height || ui->height > p->height - ui->y)
		return input_error(err, "clip UI plane %ux%u at (%u, %u): must be at least %ux%u "
				   "and lie inside the %ux%u frame", ui->width, ui->height, ui->x,
				   ui->y, CLIP_UI_WIDTH_MIN, CLIP_UI_HEIGHT_MIN, p->width,
				   p->height);
	return 0;
}

int clip_params_check(const struct clip_params *p, struct secsoc_error *err)
{
	int ret = clip_check_content(p, err);

	if (!ret)
		ret = clip_check_slices(p, err);
	if (!ret)
		ret = clip_check_ui(p, err);
	return ret;
}

static void clip_look(const struct clip_params *p, struct clip_look *l)
{
	struct prng r;

	prng_seed(&r, p->seed);
	l->phase = (u32)prng_below(&r, p->width);
	l->noise = (u32)prng_next(&r);
	/* 48..208: the vertical tilt of +-24 keeps chroma inside 16..240. */
	for (u32 b = 0; b < CLIP_BANDS; b++) {
		l->band_cb[b] = (u8)(48 + prng_below(&r, 161));
		l->band_cr[b] = (u8)(48 + prng_below(&r, 161));
	}
	l->box_y = (u8)(60 + prng_below(&r, 120));
	l->box_cb = (u8)(prng_below(&r, 2) ? 40 + prng_below(&r, 40) : 176 + prng_below(&r, 40));
	l->box_cr = (u8)(prng_below(&r, 2) ? 40 + prng_below(&r, 40) : 176 + prng_below(&r, 40));
	l->box_phase_x = (u32)prng_below(&r, 2 * p->width);
	l->box_phase_y = (u32)prng_below(&r, 2 * p->height);
}

/* A diagonal ramp moving left by 3 pixels a frame, with fixed fine noise. */
static void clip_luma_background(const struct clip_params *p, const struct clip_look *l,
				 u32 frame, u8 *luma)
{
	for (u32 y = 0; y < p->height; y++) {
		u32 g = (y / 2 + 3 * (frame % CLIP_LUMA_RAMP) + l->phase) % CLIP_LUMA_RAMP;
		u8 *row = luma + (size_t)y * p->width;

		for (u32 x = 0; x < p->width; x++, g = g + 1 == CLIP_LUMA_RAMP ? 0 : g + 1) {
			u32 noise = clip_mix(x, y, l->noise) >> 28;

			row[x] = (u8)(32 + CLIP_LUMA_RAMP - 1 - g + noise);
		}
	}
}

/* Coloured vertical bands sliding left, tilted in Cb from top to bottom. */
static void clip_chroma_background(const struct clip_params *p, const struct clip_look *l,
				   u32 frame, u8 *chroma)
{
	u32 cw = p->width / 2, ch = p->height / 2;

	for (u32 cy = 0; cy < ch; cy++) {
		u8 *row = chroma + (size_t)cy * p->width;
		u32 tilt = cy * 48 / ch;

		for (u32 cx = 0; cx < cw; cx++) {
			u32 pos = (2 * cx + 2 * (frame % p->width) + l->phase) % p->width;
			u32 band = pos * CLIP_BANDS / p->width;

			row[2 * cx] = (u8)(l->band_cb[band] + tilt - 24);
			row[2 * cx + 1] = l->band_cr[band];
		}
	}
}

/* A triangle wave: 0, 1, .. @span, @span - 1, .. 0, .. */
static u32 clip_bounce(u32 t, u32 span)
{
	if (!span)
		return 0;
	t %= 2 * span;
	return t <= span ? t : 2 * span - t;
}

/* A coloured box with a bright core, bouncing off the edges (even coordinates, for chroma). */
static void clip_draw_box(const struct clip_canvas *luma, const struct clip_canvas *chroma,
			  const struct clip_look *l, u32 frame)
{
	u32 bw = MAX(8u, luma->width / 6) & ~1u, bh = MAX(8u, luma->height / 5) & ~1u;
	u32 x = clip_bounce(frame * 5 + l->box_phase_x, luma->width - bw) & ~1u;
	u32 y = clip_bounce(frame * 3 + l->box_phase_y, luma->height - bh) & ~1u;

	clip_fill_rect(luma, (struct clip_rect){ x, y, bw, bh }, l->box_y);
	clip_fill_rect(luma, (struct clip_rect){ x + bw / 4, y + bh / 4, bw / 2, bh / 2 },
		       CLIP_WHITE_Y);
	clip_fill_rect(chroma, (struct clip_rect){ x / 2, y / 2, bw / 2, bh / 2 },
		       l->box_cb | (u32)l->box_cr << 8);
}

/* The title and the frame number, white on a black caption box at the top left. */
static void clip_draw_caption(const struct clip_params *p, const struct clip_canvas *luma,
			      const struct clip_canvas *chroma, u32 frame)
{
	u32 scale = MAX(1u, p->height / 180), m = 2 * scale;
	u32 line = (CLIP_GLYPH_H + 1) * scale;
	char number[24];
	struct clip_rect box;

	snprintf(number, sizeof(number), "FRAME %05u", frame);
	box = (struct clip_rect){ m, m, MAX(clip_text_width(p->title, scale),
		clip_text_width(number, scale)) + 2 * m, 2 * line + 2 * m };
	clip_fill_rect(luma, box, CLIP_BLACK_Y);
	clip_fill_rect(chroma, (struct clip_rect){ box.x / 2, box.y / 2, DIV_ROUND_UP(box.width, 2),
		       DIV_ROUND_UP(box.height, 2) }, CLIP_NEUTRAL_CBCR);
	clip_draw_text(luma, 2 * m, 2 * m, scale, p->title, CLIP_WHITE_Y);
	clip_draw_text(luma, 2 * m, 2 * m + line, scale, number, CLIP_WHITE_Y);
}

void clip_frame_nv12(const struct clip_params *p, u32 frame, u8 *out)
{
	u8 *chroma = out + (size_t)p->width * p->height;
	struct clip_canvas luma_c = { out, p->width, p->width, p->height, 1 };
	struct clip_canvas chroma_c = { chroma, p->width, p->width / 2, p->height / 2, 2 };
	struct clip_look l;

	assert(!clip_params_check(p, NULL) && frame < p->frames);
	clip_look(p, &l);
	clip_luma_background(p, &l, frame, out);
	clip_chroma_background(p, &l, frame, chroma);
	clip_draw_box(&luma_c, &chroma_c, &l, frame);
	clip_draw_caption(p, &luma_c, &chroma_c, frame);
}
