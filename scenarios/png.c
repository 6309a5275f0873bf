/*
 * png.c - displayed frames as PNG files (scenarios/png.h), with libpng's
 * write API: XRGB8888 rows go to libpng as they are, which drops the filler
 * byte and swaps B and R on the way, so no converted copy of the image is
 * made. Every error names the file or directory at fault.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <png.h>

#include "scenarios/png.h"

#define PNG_OUT_MSG_MAX 160
#define PNG_OUT_ZLIB_LEVEL 1		/* fastest: the files are for looking at, not keeping */

/* What libpng's error handler reports back to png_write_xrgb(). */
struct png_out {
	char msg[PNG_OUT_MSG_MAX];
};

static void png_out_error(png_structp png, png_const_charp msg)
{
	struct png_out *o = png_get_error_ptr(png);

	snprintf(o->msg, sizeof(o->msg), "libpng: %s", msg);
	png_longjmp(png, 1);
}

/* libpng warnings (e.g. about ancillary chunks) do not make a frame unreadable. */
static void png_out_warning(png_structp png, png_const_charp msg)
{
}

static void png_out_header(png_structp png, png_infop info, u32 width, u32 height)
{
	png_set_IHDR(png, info, width, height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
		     PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
	png_set_compression_level(png, PNG_OUT_ZLIB_LEVEL);
	png_write_info(png, info);
	/* In memory a pixel is B, G, R, X: BGR order with the filler after. */
	png_set_bgr(png);
	png_set_filler(png, 0, PNG_FILLER_AFTER);
}

/*
 * The libpng calls. A libpng error longjmps back to the setjmp() below:
 * nothing this function holds is changed after it, so nothing is clobbered.
 */
static bool png_out_rows(FILE *f, struct png_out *o, const u8 *img, u32 width, u32 height,
			 u32 stride)
{
	png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, o, png_out_error,
						  png_out_warning);
	png_infop info = png ? png_create_info_struct(png) : NULL;

	if (!info) {
		png_destroy_write_struct(&png, NULL);
		snprintf(o->msg, sizeof(o->msg), "libpng: out of memory");
		return false;
	}
	if (setjmp(png_jmpbuf(png))) {
		png_destroy_write_struct(&png, &info);
		return false;
	}
	png_init_io(png, f);
	png_out_header(png, info, width, height);
	for (u32 r = 0; r < height; r++)
		png_write_row(png, img + (size_t)r * stride);
	png_write_end(png, NULL);
	png_destroy_write_struct(&png, &info);
	return true;
}

int png_write_xrgb(const char *path, const u8 *img, u32 width, u32 height, u32 stride,
		   struct secsoc_error *err)
{
	struct png_out o = { "" };
	bool ok;
	FILE *f;

	if (!width || !height || width > SECSOC_PNG_SIDE_MAX || height > SECSOC_PNG_SIDE_MAX ||
	    stride / 4 < width)
		return input_error(err, "cannot write %s: a %ux%u image with %u bytes per row "
				   "(sides 1..%u, at least 4 bytes per pixel)", path, width,
				   height, stride, SECSOC_PNG_SIDE_MAX);
	f = fopen(path, "wb");
	if (!f)
		return input_error(err, "cannot create %s: %s", path, strerror(errno));
	ok = png_out_rows(f, &o, img, width, height, stride);
	if (ok && fflush(f)) {
		snprintf(o.msg, sizeof(o.msg), "%s", strerror(errno));
		ok = false;
	}
	if (fclose(f) && ok) {
		snprintf(o.msg, sizeof(o.msg), "%s", strerror(errno));
		ok = false;
	}
	return ok ? 0 : input_error(err, "cannot write %s: %s", path, o.msg);
}

int png_dir_prepare(const char *dir, struct secsoc_error *err)
{
	struct stat st;

	if (!*dir)
		return input_error(err, "PNG directory: the path is empty");
	if (stat(dir, &st)) {
		if (errno != ENOENT)
			return input_error(err, "PNG directory %s: %s", dir, strerror(errno));
		if (mkdir(dir, 0777))
			return input_error(err, "cannot create PNG directory %s: %s", dir,
					   strerror(errno));
	} else if (!S_ISDIR(st.st_mode)) {
		return input_error(err, "PNG directory %s: not a directory", dir);
	}
	if (access(dir, W_OK | X_OK))
		return input_error(err, "PNG directory %s: not writable (%s)", dir,
				   strerror(errno));
	return 0;
}

int png_frame_path(char *buf, size_t size, const char *dir, u32 frame, struct secsoc_error *err)
{
	int n = snprintf(buf, size, "%s/frame-%05u.png", dir, frame);

	if (n < 0 || (size_t)n >= size)
		return input_error(err, "PNG directory %s: a frame's path would be longer than %zu "
				   "bytes", dir, size ? size - 1 : 0);
	return 0;
}
