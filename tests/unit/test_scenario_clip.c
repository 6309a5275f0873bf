/*
 * test_scenario_clip.c - the synthetic clip (scenarios/clip.c, clip_ui.c,
 * clip_expect.c): parameters are checked with messages naming the fault,
 * frames are a pure function of (parameters, number), use luma and chroma
 * within their ranges, carry their number in the font, the UI plane has
 * transparent, translucent and opaque parts and a progress bar, and the
 * expected image is the GPU's convert-then-blend whose CRC sees one
 * changed video pixel.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/pixel.h>

#include "scenarios/clip.h"

#include "helpers.h"

static u8 *frame_of(const struct clip_params *p, u32 frame)
{
	u8 *buf = malloc(pixel_nv12_size(p->width, p->height));

	assert_non_null(buf);
	clip_frame_nv12(p, frame, buf);
	return buf;
}

static u8 *ui_of(const struct clip_params *p, u32 frame)
{
	u8 *buf = malloc((size_t)p->ui.width * p->ui.height * 4);

	assert_non_null(buf);
	clip_ui_argb(p, frame, buf, p->ui.width * 4);
	return buf;
}

static u32 le32_at(const u8 *b)
{
	return b[0] | (u32)b[1] << 8 | (u32)b[2] << 16 | (u32)b[3] << 24;
}

static void test_clip_default_params_are_valid(void **state)
{
	static const u32 sizes[][2] = { { 16, 16 }, { 64, 48 }, { 1280, 720 }, { 1920, 1080 } };
	struct clip_params p;

	(void)state;
	for (u32 i = 0; i < ARRAY_SIZE(sizes); i++) {
		clip_params_default(&p, sizes[i][0], sizes[i][1], i);
		assert_int_equal(clip_params_check(&p, NULL), 0);
		assert_int_equal(p.ui.y + p.ui.height, sizes[i][1]);
		assert_in_range(clip_nr_samples(&p), 2, CLIP_SAMPLES_MAX);
	}
}

/* Break one parameter of a valid clip; the message must name it. */
static void expect_rejected(void (*breakit)(struct clip_params *p), const char *named)
{
	struct secsoc_error err = { 0 };
	struct clip_params p;

	clip_params_default(&p, 640, 480, 1);
	breakit(&p);
	assert_int_equal(clip_params_check(&p, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	if (!strstr(err.msg, named))
		fail_msg("message \"%s\" does not name \"%s\"", err.msg, named);
}

static void odd_width(struct clip_params *p) { p->width = 641; }
static void huge_height(struct clip_params *p) { p->height = 1082; }
static void no_frames(struct clip_params *p) { p->frames = 0; }
static void bad_scheme(struct clip_params *p) { p->scheme = 0x12345678; }
static void odd_slices(struct clip_params *p) { p->slice_rows = 15; }
static void fat_slices(struct clip_params *p) { p->slice_rows = 420; }
static void thin_slices(struct clip_params *p) { p->slice_rows = 2; }
static void ui_outside(struct clip_params *p) { p->ui.x = 600; }
static void long_title(struct clip_params *p) { memset(p->title, 'A', sizeof(p->title)); }

static void test_clip_params_rejected_with_their_name(void **state)
{
	(void)state;
	expect_rejected(odd_width, "width 641");
	expect_rejected(huge_height, "height 1082");
	expect_rejected(no_frames, "frames 0");
	expect_rejected(bad_scheme, "scheme 0x12345678");
	expect_rejected(odd_slices, "slice_rows 15");
	expect_rejected(fat_slices, "slice_rows 420");
	expect_rejected(thin_slices, "more than 64");
	expect_rejected(ui_outside, "UI plane 640x60 at (600, 420)");
	expect_rejected(long_title, "title");
}

/* Frames depend on nothing but the parameters and the number: any order, any time. */
static void test_clip_frames_are_pure(void **state)
{
	struct clip_params p;
	u8 *a, *b, *c;

	(void)state;
	clip_params_default(&p, 160, 120, 42);
	a = frame_of(&p, 5);
	c = frame_of(&p, 3);
	b = frame_of(&p, 5);
	assert_memory_equal(a, b, pixel_nv12_size(160, 120));
	free(a);
	free(b);
	free(c);
}

/* Next frame, other seed, other title: every one changes both planes. */
static void test_clip_frames_differ(void **state)
{
	size_t luma = 160 * 120, size = pixel_nv12_size(160, 120);
	struct clip_params p, q;
	u8 *a, *b;

	(void)state;
	clip_params_default(&p, 160, 120, 42);
	a = frame_of(&p, 10);
	b = frame_of(&p, 11);
	assert_true(memcmp(a, b, luma) != 0);
	assert_true(memcmp(a + luma, b + luma, size - luma) != 0);
	free(b);
	q = p;
	q.seed = 43;
	b = frame_of(&q, 10);
	assert_true(memcmp(a, b, luma) != 0);
	assert_true(memcmp(a + luma, b + luma, size - luma) != 0);
	free(b);
	q = p;
	q.title[0] = 'X';
	b = frame_of(&q, 10);
	assert_true(memcmp(a, b, luma) != 0);
	free(a);
	free(b);
}

/* Limited range everywhere, and colour: chroma far from grey in a good share of the frame. */
static void test_clip_frames_use_ranges_and_colour(void **state)
{
	u32 w = 320, h = 240, coloured = 0;
	struct clip_params p;
	u8 *f;

	(void)state;
	clip_params_default(&p, w, h, 7);
	f = frame_of(&p, 100);
	for (u32 i = 0; i < w * h; i++)
		assert_in_range(f[i], 16, 235);
	for (u32 i = w * h; i < w * h * 3 / 2; i++) {
		assert_in_range(f[i], 16, 240);
		coloured += abs((int)f[i] - 128) > 32;
	}
	assert_true(coloured > w * h / 2 / 4);
	free(f);
}

/* White caption pixels: the glyph '8' has 7 dots more than '1'. */
static u32 caption_white(const struct clip_params *p, u32 frame)
{
	u8 *f = frame_of(p, frame);
	u32 n = 0;

	/* scale 1: caption box at (2, 2), 2 lines of 8 rows and margins, 136 wide */
	for (u32 y = 2; y < 22; y++)
		for (u32 x = 2; x < 138; x++)
			n += f[y * p->width + x] == 235;
	free(f);
	return n;
}

static void test_clip_frame_number_is_drawn(void **state)
{
	struct clip_params p;

	(void)state;
	clip_params_default(&p, 160, 120, 42);
	assert_int_equal(caption_white(&p, 8), caption_white(&p, 1) + 7);
	assert_int_equal(caption_white(&p, 18), caption_white(&p, 11) + 7);
}

static void test_clip_ui_has_every_kind_of_alpha(void **state)
{
	u32 clear = 0, part = 0, opaque = 0;
	struct clip_params p;
	u8 *ui;

	(void)state;
	clip_params_default(&p, 320, 240, 1);
	ui = ui_of(&p, 17);
	for (u32 i = 0; i < p.ui.width * p.ui.height; i++) {
		u32 a = le32_at(ui + 4 * i) >> 24;

		clear += a == 0;
		part += a && a < 255;
		opaque += a == 255;
	}
	assert_true(clear > 0);
	assert_true(part > 0);
	assert_true(opaque > 0);
	free(ui);
}

static u32 played_pixels(const struct clip_params *p, u32 frame)
{
	u8 *ui = ui_of(p, frame);
	u32 n = 0;

	for (u32 i = 0; i < p->ui.width * p->ui.height; i++)
		n += le32_at(ui + 4 * i) == 0xffe0304a;
	free(ui);
	return n;
}

static void test_clip_ui_progress_follows_the_frame(void **state)
{
	struct clip_params p;

	(void)state;
	clip_params_default(&p, 320, 240, 1);
	assert_true(played_pixels(&p, 0) < played_pixels(&p, 150));
	assert_true(played_pixels(&p, 150) < played_pixels(&p, 299));
}

/* The GPU's two jobs by hand: CONVERT_NV12 of @nv12, then BLEND_ARGB of @ui; its CRC. */
static u32 gpu_crc(const struct clip_params *p, const u8 *nv12, const u8 *ui)
{
	u32 stride = p->width * 4;
	u8 *fb = malloc((size_t)stride * p->height);
	u32 crc;

	assert_non_null(fb);
	pixel_nv12_rows_to_xrgb(nv12, nv12 + p->width * p->height, p->width, p->width, 0,
				p->height, fb, stride);
	for (u32 r = 0; r < p->ui.height; r++)
		pixel_blend_argb_row(ui + r * p->ui.width * 4,
				     fb + (p->ui.y + r) * stride + p->ui.x * 4, p->ui.width);
	crc = pixel_crc_rows(0, fb, stride, p->width, p->height);
	free(fb);
	return crc;
}

static struct clip_expect *expect_new(u32 w, u32 h, struct clip_params *p)
{
	struct clip_expect *e = malloc(sizeof(*e));

	assert_non_null(e);
	clip_params_default(p, w, h, 99);
	p->ui = (struct clip_rect){ 8, h - 40, w - 24, 32 };
	assert_int_equal(clip_expect_init(e, p, NULL), 0);
	return e;
}

static void expect_free(struct clip_expect *e)
{
	clip_expect_release(e);
	free(e);
}

/* The expected image is convert-then-blend at the UI's position, at any stride. */
static void test_clip_expected_image_is_convert_then_blend(void **state)
{
	struct clip_params p;
	struct clip_expect *e = expect_new(160, 120, &p);
	u32 stride = 160 * 4 + 64;
	u8 *img = malloc((size_t)stride * 120), *nv12 = frame_of(&p, 12), *ui = ui_of(&p, 12);

	(void)state;
	assert_non_null(img);
	clip_expected_xrgb(e, 12, img, stride);
	assert_int_equal(clip_expected_crc(e, 12), pixel_crc_rows(0, img, stride, 160, 120));
	assert_int_equal(clip_expected_crc(e, 12), gpu_crc(&p, nv12, ui));
	/* Above the UI plane: the video alone. */
	assert_int_equal(le32_at(img + 30 * stride + 50 * 4),
			 pixel_yuv_to_xrgb(nv12[30 * 160 + 50], nv12[160 * 120 + 15 * 160 + 50],
					   nv12[160 * 120 + 15 * 160 + 51]));
	free(img);
	free(nv12);
	free(ui);
	expect_free(e);
}

/* One luma or chroma byte of the video, outside the UI plane, changes the CRC. */
static void test_clip_expected_crc_sees_one_pixel(void **state)
{
	struct clip_params p;
	struct clip_expect *e = expect_new(160, 120, &p);
	u8 *nv12 = frame_of(&p, 12), *ui = ui_of(&p, 12);
	u32 want = clip_expected_crc(e, 12);

	(void)state;
	nv12[70 * 160 + 33] ^= 1;
	assert_int_not_equal(gpu_crc(&p, nv12, ui), want);
	nv12[70 * 160 + 33] ^= 1;
	nv12[160 * 120 + 59 * 160 + 150] ^= 4;	/* chroma of the last row, outside the UI */
	assert_int_not_equal(gpu_crc(&p, nv12, ui), want);
	nv12[160 * 120 + 59 * 160 + 150] ^= 4;
	assert_int_equal(gpu_crc(&p, nv12, ui), want);
	free(nv12);
	free(ui);
	expect_free(e);
}

/* A stale frame, another seed: other CRCs. */
static void test_clip_expected_crc_follows_frame_and_seed(void **state)
{
	struct clip_params p;
	struct clip_expect *e = expect_new(64, 48, &p), *f;
	u32 crc12 = clip_expected_crc(e, 12);

	(void)state;
	assert_int_not_equal(clip_expected_crc(e, 13), crc12);
	assert_int_equal(clip_expected_crc(e, 12), crc12);
	p.seed++;
	f = malloc(sizeof(*f));
	assert_non_null(f);
	assert_int_equal(clip_expect_init(f, &p, NULL), 0);
	assert_int_not_equal(clip_expected_crc(f, 12), crc12);
	expect_free(e);
	expect_free(f);
}

static void test_clip_expect_init_rejects_bad_params(void **state)
{
	struct secsoc_error err = { 0 };
	struct clip_expect e;
	struct clip_params p;

	(void)state;
	clip_params_default(&p, 64, 48, 1);
	p.width = 2000;
	assert_int_equal(clip_expect_init(&e, &p, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "width 2000"));
	assert_null(e.nv12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clip_default_params_are_valid),
		cmocka_unit_test(test_clip_params_rejected_with_their_name),
		cmocka_unit_test(test_clip_frames_are_pure),
		cmocka_unit_test(test_clip_frames_differ),
		cmocka_unit_test(test_clip_frames_use_ranges_and_colour),
		cmocka_unit_test(test_clip_frame_number_is_drawn),
		cmocka_unit_test(test_clip_ui_has_every_kind_of_alpha),
		cmocka_unit_test(test_clip_ui_progress_follows_the_frame),
		cmocka_unit_test(test_clip_expected_image_is_convert_then_blend),
		cmocka_unit_test(test_clip_expected_crc_sees_one_pixel),
		cmocka_unit_test(test_clip_expected_crc_follows_frame_and_seed),
		cmocka_unit_test(test_clip_expect_init_rejects_bad_params),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
