/*
 * clip_package.c - the synthetic clip as a packager ships it to the player
 * (scenarios/clip.h): each frame cut into slices, each slice two CENC
 * samples (its luma rows, its chroma rows: each a contiguous range of the
 * frame buffer), laid out and encrypted by scenarios/cenc.c.
 */
#include <assert.h>

#include <secsoc/pixel.h>
#include <secsoc/prng.h>

#include "scenarios/cenc.h"
#include "scenarios/clip.h"

#define CLIP_GOLDEN 0x9e3779b97f4a7c15ull	/* odd: (frame, sample) -> seed is one-to-one */

_Static_assert(CLIP_SUBSAMPLES_MAX <= CENC_SUBSAMPLES_MAX, "cenc_sample holds the sub-samples");
_Static_assert(CLIP_SUBSAMPLES_MAX <= TEE_DRM_SUBSAMPLES_MAX, "the descriptor holds them");

u32 clip_frame_scheme(const struct clip_params *p, u32 frame)
{
	if (p->scheme != CLIP_SCHEME_ALTERNATE)
		return p->scheme;
	return frame & 1 ? TEE_DRM_SCHEME_CBCS : TEE_DRM_SCHEME_CENC;
}

u32 clip_slice_rows(const struct clip_params *p)
{
	if (p->slice_rows)
		return p->slice_rows;
	return MIN(p->height, (TEE_DRM_SAMPLE_MAX / p->width) & ~1u);
}

u32 clip_nr_samples(const struct clip_params *p)
{
	return 2 * DIV_ROUND_UP(p->height, clip_slice_rows(p));
}

/* Sample @i: the luma rows (even @i) or the chroma rows (odd @i) of slice @i / 2. */
static void clip_sample_range(const struct clip_params *p, u32 i, struct clip_sample *s)
{
	u32 rows = clip_slice_rows(p), row0 = i / 2 * rows;
	u32 n = MIN(rows, p->height - row0);

	if (i & 1) {
		s->offset = p->width * p->height + row0 / 2 * p->width;
		s->len = n / 2 * p->width;
	} else {
		s->offset = row0 * p->width;
		s->len = n * p->width;
	}
}

int clip_package_sample(const struct clip_params *p, u32 frame, u32 i, const u8 *nv12, u8 *enc,
			struct clip_sample *out)
{
	struct cenc_sample cs;
	struct prng r;

	assert(!clip_params_check(p, NULL) && frame < p->frames && i < clip_nr_samples(p));
	clip_sample_range(p, i, out);
	assert(out->len && out->len <= TEE_DRM_SAMPLE_MAX);
	prng_seed(&r, p->seed ^ (((u64)frame << 32 | i) * CLIP_GOLDEN));
	cenc_layout(&r, &cs, clip_frame_scheme(p, frame), out->len, CLIP_SUBSAMPLES_MAX);
	cenc_desc(&cs, p->key_id, &out->desc);
	return cenc_encrypt(&cs, p->key, nv12 + out->offset, enc);
}

int clip_package(const struct clip_params *p, u32 frame, const u8 *nv12, u8 *enc,
		 struct clip_packet *pkt)
{
	int ret = 0;

	pkt->frame = frame;
	pkt->scheme = clip_frame_scheme(p, frame);
	pkt->nr_samples = clip_nr_samples(p);
	assert(pkt->nr_samples <= CLIP_SAMPLES_MAX);
	for (u32 i = 0; i < pkt->nr_samples && !ret; i++) {
		struct clip_sample *s = &pkt->samples[i];

		clip_sample_range(p, i, s);
		ret = clip_package_sample(p, frame, i, nv12, enc + s->offset, s);
	}
	return ret;
}
