/*
 * clip_expect.c - what the display must show for each frame of the clip
 * (scenarios/clip.h), computed from the clear content with the same pixel
 * maths as the GPU model (include/secsoc/pixel.h), so that the display's CRC
 * can be checked without anyone in the normal world reading the
 * protected framebuffer.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/pixel.h>

#include "scenarios/clip.h"

int clip_expect_init(struct clip_expect *e, const struct clip_params *p,
		     struct secsoc_error *err)
{
	int ret = clip_params_check(p, err);

	memset(e, 0, sizeof(*e));
	if (ret)
		return ret;
	e->p = *p;
	e->nv12 = malloc(pixel_nv12_size(p->width, p->height));
	e->ui = malloc((size_t)p->ui.width * p->ui.height * 4);
	e->xrgb = malloc((size_t)p->width * p->height * PIXEL_XRGB_BYTES);
	if (e->nv12 && e->ui && e->xrgb)
		return 0;
	clip_expect_release(e);
	return -ENOMEM;
}

void clip_expect_release(struct clip_expect *e)
{
	free(e->nv12);
	free(e->ui);
	free(e->xrgb);
	e->nv12 = e->ui = e->xrgb = NULL;
}

void clip_expected_xrgb(struct clip_expect *e, u32 frame, u8 *out, u32 stride)
{
	const struct clip_params *p = &e->p;
	u32 ui_stride = p->ui.width * 4;

	clip_frame_nv12(p, frame, e->nv12);
	clip_ui_argb(p, frame, e->ui, ui_stride);
	pixel_nv12_rows_to_xrgb(e->nv12, e->nv12 + (size_t)p->width * p->height, p->width,
				p->width, 0, p->height, out, stride);
	for (u32 r = 0; r < p->ui.height; r++)
		pixel_blend_argb_row(e->ui + (size_t)r * ui_stride,
				     out + (size_t)(p->ui.y + r) * stride +
				     (size_t)p->ui.x * PIXEL_XRGB_BYTES, p->ui.width);
}

u32 clip_expected_crc(struct clip_expect *e, u32 frame)
{
	u32 stride = e->p.width * PIXEL_XRGB_BYTES;

	clip_expected_xrgb(e, frame, e->xrgb, stride);
	return pixel_crc_rows(0, e->xrgb, stride, e->p.width, e->p.height);
}
