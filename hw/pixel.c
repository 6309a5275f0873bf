/*
 * pixel.c - the pixel maths of the secure video path (include/secsoc/pixel.h):
 * NV12 to XRGB8888, alpha blending and the frame CRC.
 *
 * The GPU model runs these over modelled memory and the playback checker
 * over the clear clip, so both must be exact integer functions: any
 * rounding difference would be a CRC mismatch that no bug caused.
 */
#include <zlib.h>

#include <secsoc/pixel.h>

/*
 * BT.709 limited range, coefficients scaled by 2^16 and rounded:
 *   R = 1.1644 (Y - 16)                 + 1.7927 (Cr - 128)
 *   G = 1.1644 (Y - 16) - 0.2132 (Cb - 128) - 0.5329 (Cr - 128)
 *   B = 1.1644 (Y - 16) + 2.1124 (Cb - 128)
 */
#define YUV_SHIFT 16
#define YUV_ROUND (1 << (YUV_SHIFT - 1))
#define Y_GAIN 76309
#define CR_R 117489
#define CB_G 13975
#define CR_G 34925
#define CB_B 138438

static u8 clamp_u8(s32 v)
{
	return v < 0 ? 0 : v > 255 ? 255 : (u8)v;
}

u32 pixel_yuv_to_xrgb(u8 y, u8 cb, u8 cr)
{
	s32 yy = Y_GAIN * ((s32)y - 16) + YUV_ROUND;
	s32 u = (s32)cb - 128, v = (s32)cr - 128;
	u8 r = clamp_u8((yy + CR_R * v) >> YUV_SHIFT);
	u8 g = clamp_u8((yy - CB_G * u - CR_G * v) >> YUV_SHIFT);
	u8 b = clamp_u8((yy + CB_B * u) >> YUV_SHIFT);

	return 0xff000000u | (u32)r << 16 | (u32)g << 8 | b;
}

static void put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

static u32 get_le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

void pixel_nv12_rows_to_xrgb(const u8 *luma, const u8 *chroma, u32 src_stride, u32 width,
			     u32 row0, u32 rows, u8 *dst, u32 dst_stride)
{
	for (u32 r = row0; r < row0 + rows; r++) {
		const u8 *yrow = luma + (size_t)r * src_stride;
		const u8 *crow = chroma + (size_t)(r / 2) * src_stride;
		u8 *out = dst + (size_t)r * dst_stride;

		for (u32 x = 0; x < width; x++) {
			const u8 *c = crow + (x & ~1u);

			put_le32(out + (size_t)x * PIXEL_XRGB_BYTES,
				 pixel_yuv_to_xrgb(yrow[x], c[0], c[1]));
		}
	}
}

/* Straight alpha: out = (a * src + (255 - a) * dst) / 255, rounded to nearest. */
static u8 blend_channel(u32 s, u32 d, u32 a)
{
	return (u8)((a * s + (255 - a) * d + 127) / 255);
}

void pixel_blend_argb_row(const u8 *src, u8 *dst, u32 width)
{
	for (u32 x = 0; x < width; x++) {
		u32 s = get_le32(src + (size_t)x * 4), d = get_le32(dst + (size_t)x * 4);
		u32 a = s >> 24;
		u8 r = blend_channel((s >> 16) & 0xff, (d >> 16) & 0xff, a);
		u8 g = blend_channel((s >> 8) & 0xff, (d >> 8) & 0xff, a);
		u8 b = blend_channel(s & 0xff, d & 0xff, a);

		put_le32(dst + (size_t)x * 4, 0xff000000u | (u32)r << 16 | (u32)g << 8 | b);
	}
}

void pixel_fill_xrgb_row(u8 *dst, u32 width, u32 color)
{
	for (u32 x = 0; x < width; x++)
		put_le32(dst + (size_t)x * 4, color | 0xff000000u);
}

u32 pixel_crc_rows(u32 crc, const u8 *img, u32 stride, u32 width, u32 rows)
{
	uLong c = crc;

	for (u32 r = 0; r < rows; r++)
		c = crc32(c, img + (size_t)r * stride, (uInt)width * PIXEL_XRGB_BYTES);
	return (u32)c;
}
