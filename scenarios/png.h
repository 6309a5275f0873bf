/*
 * png.h - displayed frames as PNG files (`secsoc run --png DIR`), so that a
 * person can look at what the display showed: XRGB8888 images written as
 * 8-bit RGB with libpng, one file per frame in a directory.
 */
#ifndef SECSOC_SCENARIO_PNG_H
#define SECSOC_SCENARIO_PNG_H

#include <stddef.h>

#include <secsoc/error.h>

#define SECSOC_PNG_PATH_MAX 4096	/* bytes of a frame path, the NUL included */
#define SECSOC_PNG_SIDE_MAX 16384	/* pixels per side, at most */

/**
 * png_write_xrgb - write an XRGB8888 image as an 8-bit RGB PNG file
 * @path: the file, created or truncated
 * @img: row 0; each pixel a little-endian u32 0xXXRRGGBB (X ignored)
 * @stride: bytes per row, at least 4 * @width
 * @err: the message names @path and what failed
 *
 * Return: 0, or -EINVAL (the file cannot be created or written).
 */
int png_write_xrgb(const char *path, const u8 *img, u32 width, u32 height, u32 stride,
		   struct secsoc_error *err);

/**
 * png_dir_prepare - make sure @dir is a writable directory, creating it
 * (not its parents) if it does not exist
 * @err: the message names @dir and what is wrong with it
 *
 * Return: 0 or -EINVAL.
 */
int png_dir_prepare(const char *dir, struct secsoc_error *err);

/**
 * png_frame_path - "@dir/frame-NNNNN.png" for frame @frame, in @buf
 * @size: of @buf
 *
 * Return: 0, or -EINVAL if the path does not fit (message in @err).
 */
int png_frame_path(char *buf, size_t size, const char *dir, u32 frame, struct secsoc_error *err);

#endif /* SECSOC_SCENARIO_PNG_H */
