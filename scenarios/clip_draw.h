/*
 * clip_draw.h - the drawing primitives of the synthetic clip (internal to
 * scenarios/clip*.c): rectangles and text in a built-in 5x7 font on a
 * canvas of 1-, 2- or 4-byte pixels (a luma plane, a CbCr plane, an
 * ARGB8888 plane). Everything is clipped to the canvas.
 */
#ifndef SECSOC_SCENARIO_CLIP_DRAW_H
#define SECSOC_SCENARIO_CLIP_DRAW_H

#include "scenarios/clip.h"

#define CLIP_GLYPH_W 5
#define CLIP_GLYPH_H 7
#define CLIP_GLYPH_ADVANCE (CLIP_GLYPH_W + 1)	/* one column between characters */

struct clip_canvas {
	u8 *buf;
	u32 stride;			/* bytes per row */
	u32 width, height;		/* pixels */
	u32 bpp;			/* bytes per pixel: 1, 2 or 4, value little-endian */
};

/** clip_fill_rect - set the pixels of @r (clipped) to @value */
void clip_fill_rect(const struct clip_canvas *c, struct clip_rect r, u32 value);

/**
 * clip_draw_text - draw @s with its top left corner at (@x, @y), every font
 * pixel a @scale x @scale square of @value; characters without a glyph
 * (not A-Z, 0-9, space - : . / #) are drawn as '?'; lower case as upper case
 */
void clip_draw_text(const struct clip_canvas *c, u32 x, u32 y, u32 scale, const char *s,
		    u32 value);

/** clip_text_width - pixels @s takes at @scale, the trailing gap included */
u32 clip_text_width(const char *s, u32 scale);

/** clip_mix - a 32-bit hash of three words (for noise and per-sample seeds) */
u32 clip_mix(u32 a, u32 b, u32 c);

#endif /* SECSOC_SCENARIO_CLIP_DRAW_H */
