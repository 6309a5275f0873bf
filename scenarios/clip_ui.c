/*
 * clip_ui.c - the UI plane of the synthetic clip (scenarios/clip.h): what a
 * player draws over the video, as ARGB8888 with straight alpha. A fully
 * transparent strip on top, then a translucent control bar holding an
 * opaque play icon, a progress track filled up to the current frame and the
 * frame counter, so that both the blend and the frame number show in the CRC.
 */
#include <assert.h>
#include <stdio.h>

#include "scenarios/clip_draw.h"

#define UI_CLEAR 0x00000000u
#define UI_BAR 0xa0182030u		/* translucent dark blue */
#define UI_WHITE 0xffffffffu
#define UI_TRACK 0xc0808080u		/* translucent grey: what is still to play */
#define UI_PLAYED 0xffe0304au		/* opaque red: what has played */

/* The control bar's geometry, from the plane's size. */
struct ui_layout {
	u32 top;			/* rows of the transparent strip */
	u32 bar;			/* rows of the bar */
	u32 pad;			/* margin inside the bar */
	u32 scale;			/* of the counter's font */
};

/* A right-pointing triangle in a @side x @side square. */
static void ui_play_icon(const struct clip_canvas *c, u32 x, u32 y, u32 side)
{
	for (u32 r = 0; r < side; r++) {
		u32 len = 2 * MIN(r, side - 1 - r) + 1;

		clip_fill_rect(c, (struct clip_rect){ x, y + r, MIN(len, side), 1 }, UI_WHITE);
	}
}

/* The track between @x0 and @x1, played up to frame @frame, with a knob at the end. */
static void ui_progress(const struct clip_params *p, const struct clip_canvas *c,
			const struct ui_layout *u, u32 x0, u32 x1, u32 frame)
{
	u32 thick = MAX(1u, u->bar / 6), y = u->top + (u->bar - thick) / 2;
	u32 played = (u32)((u64)(x1 - x0) * (frame + 1) / p->frames);
	u32 knob = MIN(3 * thick, u->bar);

	clip_fill_rect(c, (struct clip_rect){ x0, y, played, thick }, UI_PLAYED);
	clip_fill_rect(c, (struct clip_rect){ x0 + played, y, x1 - x0 - played, thick }, UI_TRACK);
	clip_fill_rect(c, (struct clip_rect){ x0 + played - MIN(played, thick / 2 + 1),
		       u->top + (u->bar - knob) / 2, thick + 2, knob }, UI_WHITE);
}

void clip_ui_argb(const struct clip_params *p, u32 frame, u8 *out, u32 stride)
{
	struct clip_canvas c = { out, stride, p->ui.width, p->ui.height, 4 };
	struct ui_layout u = { .top = p->ui.height / 4 };
	u32 side, text_w, x0, x1;
	char counter[24];

	assert(!clip_params_check(p, NULL) && frame < p->frames && stride >= 4 * p->ui.width);
	u.bar = p->ui.height - u.top;
	u.pad = MAX(1u, u.bar / 4);
	u.scale = MAX(1u, u.bar / 12);
	side = u.bar - 2 * u.pad;
	snprintf(counter, sizeof(counter), "%05u/%05u", frame, p->frames);
	text_w = clip_text_width(counter, u.scale);

	clip_fill_rect(&c, (struct clip_rect){ 0, 0, c.width, u.top }, UI_CLEAR);
	clip_fill_rect(&c, (struct clip_rect){ 0, u.top, c.width, u.bar }, UI_BAR);
	ui_play_icon(&c, u.pad, u.top + u.pad, side);
	x0 = 2 * u.pad + side;
	x1 = c.width > text_w + 2 * u.pad ? c.width - text_w - 2 * u.pad : 0;
	if (x1 > x0)
		ui_progress(p, &c, &u, x0, x1, frame);
	if (x1)
		clip_draw_text(&c, x1 + u.pad, u.top + (u.bar - CLIP_GLYPH_H * u.scale) / 2,
			       u.scale, counter, UI_WHITE);
}
