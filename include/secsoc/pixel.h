/*
 * pixel.h - the pixel formats of the secure video path and the maths on
 * them, shared by the GPU model (which does the work on modelled memory)
 * and the playback checker (which computes, from the clear clip, what the
 * display must show).
 *
 * Formats:
 *   NV12      8-bit luma plane, then a half-size plane of interleaved
 *             Cb/Cr pairs (one pair per 2x2 luma block); width and height
 *             even. BT.709 limited range (Y 16..235, C 16..240).
 *   XRGB8888  one little-endian u32 per pixel, 0xXXRRGGBB; X is written 0xff.
 *   ARGB8888  the same with straight (not premultiplied) alpha in bits 31:24.
 *
 * The CRC of a frame is CRC-32 (IEEE 802.3, zlib's crc32()) over its
 * visible pixels, row after row, 4 bytes per pixel, stride padding
 * excluded: the display computes it while scanning out, the checker over
 * the expected image, and they must agree bit for bit.
 */
#ifndef SECSOC_PIXEL_H
#define SECSOC_PIXEL_H

#include <stddef.h>

#include <secsoc/types.h>

#define PIXEL_XRGB_BYTES 4

/** pixel_nv12_size - bytes of an NV12 image (both planes, no padding) */
static inline size_t pixel_nv12_size(u32 width, u32 height)
{
	return (size_t)width * height * 3 / 2;
}

/** pixel_yuv_to_xrgb - one BT.709 limited-range sample to XRGB8888 (integer maths) */
u32 pixel_yuv_to_xrgb(u8 y, u8 cb, u8 cr);

/**
 * pixel_nv12_rows_to_xrgb - convert rows [@row0, @row0 + @rows) of an NV12
 * image to XRGB8888
 * @luma: row 0 of the luma plane; @chroma: row 0 of the CbCr plane
 * @src_stride: bytes per row of both planes
 * @dst: row 0 of the output; @dst_stride bytes per row
 *
 * Row by row so that a model can work in steps over modelled memory.
 */
void pixel_nv12_rows_to_xrgb(const u8 *luma, const u8 *chroma, u32 src_stride, u32 width,
			     u32 row0, u32 rows, u8 *dst, u32 dst_stride);

/** pixel_blend_argb_row - blend @width ARGB8888 pixels of @src over XRGB8888 @dst */
void pixel_blend_argb_row(const u8 *src, u8 *dst, u32 width);

/** pixel_fill_xrgb_row - @width pixels of @dst set to @color (X forced to 0xff) */
void pixel_fill_xrgb_row(u8 *dst, u32 width, u32 color);

/** pixel_crc_rows - continue the frame CRC @crc over @rows rows of @width pixels */
u32 pixel_crc_rows(u32 crc, const u8 *img, u32 stride, u32 width, u32 rows);

#endif /* SECSOC_PIXEL_H */
