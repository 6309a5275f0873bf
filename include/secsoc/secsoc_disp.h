/*
 * secsoc_disp.h - the in-kernel API of the display driver
 * (drivers/display/secsoc_disp.c, docs/display.md), which the playback
 * scenario uses in place of a KMS atomic commit.
 *
 * A commit hands the display a dma-buf framebuffer (XRGB8888): the driver
 * attaches the display's device to it (a protected buffer needs the
 * display's NSAID granted by the secure world, else the heap refuses with
 * -EBUSY), maps it for the scan-out address, holds a reference on it and
 * programs the shadow registers; the hardware latches them at the next
 * frame start. As in KMS, the driver keeps a buffer attached while it may
 * still be scanned out: a buffer is released (detached, reference dropped)
 * at the first vblank of a frame that showed a newer commit, or when a
 * newer commit replaces it before it was ever latched, or at
 * secsoc_disp_release_fbs() and remove.
 *
 * Every vblank interrupt reports the frame that ended through the
 * registered callback, called in hard-interrupt context: its number, its
 * CRC (include/secsoc/pixel.h's definition), which commit it showed, and
 * whether a scan-out read of it got a bus error.
 */
#ifndef SECSOC_SECSOC_DISP_H
#define SECSOC_SECSOC_DISP_H

#include <secsoc/dma-buf.h>
#include <secsoc/types.h>

struct secsoc_disp;

/* Framebuffers the driver holds at once: shown, latched, pending. */
#define SECSOC_DISP_FBS_MAX 4

/* One frame that ended, as the vblank callback sees it. */
struct secsoc_disp_vblank {
	u64 seq;		/* frame number (the hardware's, from 1) */
	u32 crc;		/* 0 for a blank frame */
	struct dma_buf *fb;	/* the buffer shown; NULL for a blank frame */
	u32 offset;		/* of the shown framebuffer in @fb */
	u64 commit;		/* which commit was shown (1 = the first), 0 if blank */
	bool fault;		/* a scan-out read got a bus error: pixels read as zeros */
	bool blank;		/* nothing committed yet: nothing was read */
};

typedef void (*secsoc_disp_vblank_fn)(void *ctx, const struct secsoc_disp_vblank *vb);

struct secsoc_disp_stats {
	u64 frames;		/* vblanks reported */
	u64 missed;		/* frames that ended without a report (interrupt late) */
	u64 commits;		/* successful secsoc_disp_commit() calls */
	u64 replaced;		/* commits replaced before they were latched */
	u64 faults;		/* frames with a bus error */
	unsigned int held;	/* framebuffers attached now */
};

/** secsoc_disp_get - the bound display, or NULL if no display driver is bound */
struct secsoc_disp *secsoc_disp_get(void);

/**
 * secsoc_disp_enable - start scanning out
 *
 * Return: 0; -EINVAL for NULL, or after secsoc_disp_release_fbs() until
 * the next commit.
 */
int secsoc_disp_enable(struct secsoc_disp *disp);
/**
 * secsoc_disp_disable - stop scanning out; the frame in progress is
 * abandoned (no vblank). Framebuffers stay held: the latched one is shown
 * again, and a pending commit latched, at the next enable.
 */
void secsoc_disp_disable(struct secsoc_disp *disp);

/**
 * secsoc_disp_release_fbs - stop scanning out and release every framebuffer
 * the driver holds, as disabling a KMS plane does. The hardware keeps its
 * latched registers: commit a framebuffer before enabling again.
 */
void secsoc_disp_release_fbs(struct secsoc_disp *disp);

/**
 * secsoc_disp_commit - show @fb from the next frame start on
 * @offset: of the first pixel in @fb, a multiple of 4
 * @width, @height: 1..DISPLAY_DIM_MAX
 * @stride: bytes per row, a multiple of 4, at least 4 * @width
 *
 * A commit not yet latched is replaced (and released).
 * Return: 0; -EINVAL for a NULL argument, bad geometry, a framebuffer
 * beyond @fb's end or not contiguous in bus addresses; -EBUSY when the
 * exporter refuses the display (a protected buffer the display may not
 * read) or SECSOC_DISP_FBS_MAX framebuffers are held; the map's error.
 */
int secsoc_disp_commit(struct secsoc_disp *disp, struct dma_buf *fb, u32 offset, u32 width,
		       u32 height, u32 stride);

/**
 * secsoc_disp_set_vblank_cb - call @fn at every vblank (NULL: stop);
 * replaces any previous callback
 */
void secsoc_disp_set_vblank_cb(struct secsoc_disp *disp, secsoc_disp_vblank_fn fn, void *ctx);

/** secsoc_disp_stats - frames, commits and faults so far, and the buffers held now */
struct secsoc_disp_stats secsoc_disp_stats(const struct secsoc_disp *disp);

#endif /* SECSOC_SECSOC_DISP_H */
