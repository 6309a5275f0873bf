/*
 * test_scenario_png.c - frames as PNG files (scenarios/png.c): an image
 * written and read back with libpng here has the same pixels, as 8-bit RGB
 * without alpha; every failure (file, directory, path) names what is at fault.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "scenarios/png.h"

#include "helpers.h"

#define W 7
#define H 5
#define STRIDE (W * 4 + 12)		/* padding that must not reach the file */

static void make_image(u8 *img)
{
	memset(img, 0xee, STRIDE * H);
	for (u32 y = 0; y < H; y++)
		for (u32 x = 0; x < W; x++) {
			u32 v = 0x5a000000u | (x * 37 + y) << 16 | (y * 51) << 8 | (x ^ y) * 29;

			memcpy(img + y * STRIDE + x * 4, &v, 4);	/* little-endian host */
		}
}

static void expect_error(int ret, const struct secsoc_error *err, const char *named)
{
	assert_int_equal(ret, -EINVAL);
	assert_int_equal(err->kind, SECSOC_ERR_INPUT);
	if (!strstr(err->msg, named))
		fail_msg("message \"%s\" does not name \"%s\"", err->msg, named);
}

static void test_png_round_trips_as_rgb(void **state)
{
	const char *path = test_tmp_path("round-trip.png");
	png_image image = { .version = PNG_IMAGE_VERSION };
	u8 img[STRIDE * H], back[W * H * 3];

	(void)state;
	make_image(img);
	assert_int_equal(png_write_xrgb(path, img, W, H, STRIDE, NULL), 0);
	assert_int_equal(png_image_begin_read_from_file(&image, path), 1);
	assert_int_equal(image.width, W);
	assert_int_equal(image.height, H);
	assert_int_equal(image.format, PNG_FORMAT_RGB);	/* the file has no alpha */
	assert_int_equal(png_image_finish_read(&image, NULL, back, W * 3, NULL), 1);
	for (u32 y = 0; y < H; y++)
		for (u32 x = 0; x < W; x++) {
			const u8 *px = img + y * STRIDE + x * 4, *rgb = back + (y * W + x) * 3;

			assert_int_equal(rgb[0], px[2]);
			assert_int_equal(rgb[1], px[1]);
			assert_int_equal(rgb[2], px[0]);
		}
}

static void test_png_cannot_create_names_the_file(void **state)
{
	struct secsoc_error err = { 0 };
	u8 img[STRIDE * H];

	(void)state;
	make_image(img);
	expect_error(png_write_xrgb("/nonexistent-dir/f.png", img, W, H, STRIDE, &err), &err,
		     "cannot create /nonexistent-dir/f.png");
}

static void test_png_write_failure_names_the_file(void **state)
{
	struct secsoc_error err = { 0 };
	u8 img[STRIDE * H];

	(void)state;
	if (access("/dev/full", W_OK))
		skip();
	make_image(img);
	expect_error(png_write_xrgb("/dev/full", img, W, H, STRIDE, &err), &err,
		     "cannot write /dev/full");
}

static void test_png_bad_geometry_is_refused(void **state)
{
	struct secsoc_error err = { 0 };
	u8 img[STRIDE * H];

	(void)state;
	expect_error(png_write_xrgb(test_tmp_path("bad.png"), img, W, H, W * 4 - 1, &err), &err,
		     "bad.png");
	assert_int_equal(access(test_tmp_path("bad.png"), F_OK), -1);
}

static void test_png_dir_is_created_once(void **state)
{
	const char *dir = test_tmp_path("frames");
	struct stat st;

	(void)state;
	rmdir(dir);				/* left by an earlier run */
	assert_int_equal(png_dir_prepare(dir, NULL), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(png_dir_prepare(dir, NULL), 0);
	rmdir(dir);
}

static void test_png_dir_not_a_directory(void **state)
{
	char file[SECSOC_PNG_PATH_MAX], under[SECSOC_PNG_PATH_MAX + 8];
	struct secsoc_error err = { 0 };

	(void)state;
	snprintf(file, sizeof(file), "%s", test_tmp_path("plain-file"));
	snprintf(under, sizeof(under), "%s/sub", file);
	test_write_file(file, "x", 1);
	expect_error(png_dir_prepare(file, &err), &err, "not a directory");
	assert_non_null(strstr(err.msg, file));
	memset(&err, 0, sizeof(err));
	expect_error(png_dir_prepare(under, &err), &err, under);
	memset(&err, 0, sizeof(err));
	expect_error(png_dir_prepare("", &err), &err, "empty");
	unlink(file);
}

/* Permissions do not stop root: only a normal user can see this refusal. */
static void test_png_dir_not_writable(void **state)
{
	const char *dir = test_tmp_path("read-only");
	struct secsoc_error err = { 0 };

	(void)state;
	if (geteuid() == 0)
		skip();
	rmdir(dir);
	assert_int_equal(mkdir(dir, 0555), 0);
	expect_error(png_dir_prepare(dir, &err), &err, "not writable");
	assert_non_null(strstr(err.msg, dir));
	rmdir(dir);
}

static void test_png_frame_path(void **state)
{
	struct secsoc_error err = { 0 };
	char buf[SECSOC_PNG_PATH_MAX], tiny[12];

	(void)state;
	assert_int_equal(png_frame_path(buf, sizeof(buf), "out/dir", 42, NULL), 0);
	assert_string_equal(buf, "out/dir/frame-00042.png");
	expect_error(png_frame_path(tiny, sizeof(tiny), "out/dir", 42, &err), &err, "out/dir");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_png_round_trips_as_rgb),
		cmocka_unit_test(test_png_cannot_create_names_the_file),
		cmocka_unit_test(test_png_write_failure_names_the_file),
		cmocka_unit_test(test_png_bad_geometry_is_refused),
		cmocka_unit_test(test_png_dir_is_created_once),
		cmocka_unit_test(test_png_dir_not_a_directory),
		cmocka_unit_test(test_png_dir_not_writable),
		cmocka_unit_test(test_png_frame_path),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
