/*
 * test_pixel.c - the pixel maths shared by the GPU model and the playback
 * checker: BT.709 conversion at known points, NV12 chroma subsampling,
 * straight-alpha blending, fills, and the frame CRC's definition (zlib
 * CRC-32 over visible pixels only).
 */
#include <string.h>
#include <zlib.h>

#include <secsoc/pixel.h>

#include "helpers.h"

static u32 le32(const u8 *p)
{
	return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24;
}

static void test_black_and_white(void **state)
{
	assert_int_equal(pixel_yuv_to_xrgb(16, 128, 128), 0xff000000u);
	assert_int_equal(pixel_yuv_to_xrgb(235, 128, 128), 0xffffffffu);
}

static void test_below_black_clamps(void **state)
{
	assert_int_equal(pixel_yuv_to_xrgb(0, 128, 128), 0xff000000u);
	assert_int_equal(pixel_yuv_to_xrgb(255, 128, 128), 0xffffffffu);
}

/* BT.709 limited-range red is (63, 102, 240): R saturates, G and B stay near 0. */
static void test_bt709_red(void **state)
{
	u32 px = pixel_yuv_to_xrgb(63, 102, 240);

	assert_int_equal((px >> 16) & 0xff, 255);
	assert_in_range(px >> 8 & 0xff, 0, 2);
	assert_in_range(px & 0xff, 0, 2);
}

/* Mid grey with a blue-difference push: blue rises, red is untouched. */
static void test_cb_moves_blue_only_against_red(void **state)
{
	u32 grey = pixel_yuv_to_xrgb(126, 128, 128), blue = pixel_yuv_to_xrgb(126, 160, 128);

	assert_int_equal((blue >> 16) & 0xff, (grey >> 16) & 0xff);
	assert_true((blue & 0xff) > (grey & 0xff));
	assert_true(((blue >> 8) & 0xff) < ((grey >> 8) & 0xff));
}

/* A 4x2 image: each 2x2 block shares the chroma pair at its even column. */
static void test_nv12_chroma_is_shared_by_2x2_blocks(void **state)
{
	const u8 luma[2][4] = { { 16, 235, 16, 235 }, { 235, 16, 235, 16 } };
	const u8 chroma[4] = { 90, 200, 170, 60 };
	u8 out[2][16];

	pixel_nv12_rows_to_xrgb(&luma[0][0], chroma, 4, 4, 0, 2, &out[0][0], 16);
	for (unsigned int r = 0; r < 2; r++)
		for (unsigned int x = 0; x < 4; x++) {
			const u8 *c = &chroma[x & ~1u];

			assert_int_equal(le32(&out[r][x * 4]),
					 pixel_yuv_to_xrgb(luma[r][x], c[0], c[1]));
		}
}

/* Converting rows 1..2 alone writes only those rows, as a stepwise model does. */
static void test_nv12_rows_touch_only_their_rows(void **state)
{
	u8 luma[4 * 2], chroma[2 * 2], out[4][8];

	memset(luma, 120, sizeof(luma));
	memset(chroma, 128, sizeof(chroma));
	memset(out, 0xaa, sizeof(out));
	pixel_nv12_rows_to_xrgb(luma, chroma, 2, 2, 1, 2, &out[0][0], 8);
	assert_int_equal(le32(out[0]), 0xaaaaaaaau);
	assert_int_equal(le32(out[3]), 0xaaaaaaaau);
	assert_int_equal(le32(out[1]), pixel_yuv_to_xrgb(120, 128, 128));
	assert_int_equal(le32(out[2] + 4), pixel_yuv_to_xrgb(120, 128, 128));
}

static void blend_one(u32 src, u32 dst, u32 *out)
{
	u8 s[4], d[4];

	memcpy(s, &src, 4);	/* the host is little-endian, like the formats */
	memcpy(d, &dst, 4);
	pixel_blend_argb_row(s, d, 1);
	*out = le32(d);
}

static void test_blend_alpha_extremes(void **state)
{
	u32 out;

	blend_one(0x00ff0000u, 0xff123456u, &out);
	assert_int_equal(out, 0xff123456u);
	blend_one(0xff00ff00u, 0xff123456u, &out);
	assert_int_equal(out, 0xff00ff00u);
}

/* a = 128 of white over black: 128 * 255 / 255 rounds to 128 in every channel. */
static void test_blend_half_rounds_to_nearest(void **state)
{
	u32 out;

	blend_one(0x80ffffffu, 0xff000000u, &out);
	assert_int_equal(out, 0xff808080u);
	blend_one(0x80000000u, 0xffffffffu, &out);
	assert_int_equal(out, 0xff7f7f7fu);
}

static void test_fill_forces_x_opaque(void **state)
{
	u8 row[12];

	pixel_fill_xrgb_row(row, 3, 0x00abcdefu);
	for (unsigned int x = 0; x < 3; x++)
		assert_int_equal(le32(row + x * 4), 0xffabcdefu);
}

/* The CRC ignores stride padding and equals zlib's CRC-32 of the packed pixels. */
static void test_crc_covers_visible_pixels_only(void **state)
{
	u8 img[3][12], packed[3][8];
	u32 a, b;

	for (unsigned int i = 0; i < sizeof(img); i++)
		(&img[0][0])[i] = (u8)(i * 7 + 1);
	for (unsigned int r = 0; r < 3; r++)
		memcpy(packed[r], img[r], 8);
	a = pixel_crc_rows(0, &img[0][0], 12, 2, 3);
	assert_int_equal(a, (u32)crc32(0, &packed[0][0], sizeof(packed)));
	img[1][10] ^= 0xff;	/* padding */
	b = pixel_crc_rows(0, &img[0][0], 12, 2, 3);
	assert_int_equal(a, b);
	img[1][3] ^= 0x01;	/* a visible byte */
	assert_int_not_equal(a, pixel_crc_rows(0, &img[0][0], 12, 2, 3));
}

static void test_crc_continues_across_calls(void **state)
{
	u8 img[4][8];

	for (unsigned int i = 0; i < sizeof(img); i++)
		(&img[0][0])[i] = (u8)(i ^ 0x5a);
	assert_int_equal(pixel_crc_rows(pixel_crc_rows(0, img[0], 8, 2, 1), img[1], 8, 2, 3),
			 pixel_crc_rows(0, img[0], 8, 2, 4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_black_and_white),
		cmocka_unit_test(test_below_black_clamps),
		cmocka_unit_test(test_bt709_red),
		cmocka_unit_test(test_cb_moves_blue_only_against_red),
		cmocka_unit_test(test_nv12_chroma_is_shared_by_2x2_blocks),
		cmocka_unit_test(test_nv12_rows_touch_only_their_rows),
		cmocka_unit_test(test_blend_alpha_extremes),
		cmocka_unit_test(test_blend_half_rounds_to_nearest),
		cmocka_unit_test(test_fill_forces_x_opaque),
		cmocka_unit_test(test_crc_covers_visible_pixels_only),
		cmocka_unit_test(test_crc_continues_across_calls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
