/*
 * display.h - the display controller with a content CRC: its register map
 * and the model's interface (hw/display.c; docs/display.md).
 *
 * A minimal scan-out engine, the last stage of the secure video path. It
 * reads one XRGB8888 framebuffer from memory as its own bus master (with
 * the NSAID of its device-tree node, which the secure world may grant read
 * access to protected memory), frame after frame at the refresh rate, and
 * publishes the CRC of every frame it showed, so that the normal world can
 * check protected content without being able to read it.
 *
 * Register window (4 KiB, 32-bit accesses only):
 *
 *   0x000 ID            RO  DISPLAY_ID_VALUE
 *   0x004 CTRL          RW  bit 0 ENABLE: scan out continuously
 *   0x008 STATUS        RO  bit 0 SCANNING (enabled), bit 1 COMMIT_PENDING
 *   0x010 INT_RAWSTAT   RO  bit 0 VBLANK (a frame ended, its CRC is ready),
 *                           bit 1 FAULT (a scan-out read of that frame got
 *                           a bus error response)
 *   0x014 INT_CLEAR     WO  write 1 to clear a RAWSTAT bit
 *   0x018 INT_MASK      RW  1 enables the bit onto the interrupt line
 *   0x01c INT_STAT      RO  RAWSTAT & MASK; the (level) line is high while
 *                           it is non-zero
 *   0x020 FB_BASE_LO    RW  shadow: framebuffer physical address, bits 31:0
 *   0x024 FB_BASE_HI    RW  shadow: bits 39:32
 *   0x028 FB_STRIDE     RW  shadow: bytes per row, a multiple of 4, at
 *                           least 4 * width
 *   0x02c FB_WIDTH      RW  shadow: 1..DISPLAY_DIM_MAX pixels
 *   0x030 FB_HEIGHT     RW  shadow: 1..DISPLAY_DIM_MAX rows
 *   0x034 FB_FORMAT     RW  shadow: DRM fourcc; only DISPLAY_FORMAT_XRGB8888
 *                           (other values are a guest error and not stored)
 *   0x038 FB_TAG        RW  shadow: a software cookie, latched with the
 *                           framebuffer and reported with its CRC
 *   0x040 COMMIT        RW  write 1: latch the shadow registers at the next
 *                           frame start (a bad configuration is a guest
 *                           error and is not committed); reads 1 while a
 *                           commit waits for its frame start
 *   0x050 CRC           RO  CRC of the last frame completed (pixel.h's
 *                           definition; 0 for a blank frame)
 *   0x054 CRC_FRAME     RO  the number of the frame CRC belongs to
 *   0x058 CRC_TAG       RO  FB_TAG of the framebuffer that frame showed
 *   0x05c CRC_STATUS    RO  bit 0 FAULT: a read of that frame got a bus
 *                           error (its pixels read as zeros, and CRC covers
 *                           the zeros); bit 1 BLANK: nothing was committed,
 *                           no memory was read
 *   0x060 FRAME_COUNT   RO  frames completed since reset (numbers start at 1)
 *   0x064 FAULT_ADDR_LO RO  the first faulting address of the last faulty
 *   0x068 FAULT_ADDR_HI RO  frame
 *
 * Timing: a frame lasts 10^9 / refresh-hz ns, split into scanout-steps + 1
 * equal slots: one scan step per slot (a band of rows), then vblank. The
 * latch of a pending commit happens at the first step of a frame. Other
 * actors run between the steps (DESIGN principle 2).
 */
#ifndef SECSOC_DISPLAY_H
#define SECSOC_DISPLAY_H

#include <secsoc/bus.h>
#include <secsoc/error.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

#define DISPLAY_MMIO_SIZE		0x1000

#define DISPLAY_ID			0x000
#define   DISPLAY_ID_VALUE		0x5d150100u	/* "display" v1.0 */
#define DISPLAY_CTRL			0x004
#define   DISPLAY_CTRL_ENABLE		BIT(0)
#define DISPLAY_STATUS			0x008
#define   DISPLAY_STATUS_SCANNING	BIT(0)
#define   DISPLAY_STATUS_COMMIT_PENDING	BIT(1)
#define DISPLAY_INT_RAWSTAT		0x010
#define DISPLAY_INT_CLEAR		0x014
#define DISPLAY_INT_MASK		0x018
#define DISPLAY_INT_STAT		0x01c
#define   DISPLAY_INT_VBLANK		BIT(0)
#define   DISPLAY_INT_FAULT		BIT(1)
#define   DISPLAY_INT_ALL		(DISPLAY_INT_VBLANK | DISPLAY_INT_FAULT)
#define DISPLAY_FB_BASE_LO		0x020
#define DISPLAY_FB_BASE_HI		0x024
#define   DISPLAY_FB_BASE_HI_MASK	GENMASK(BUS_PA_BITS - 33, 0)
#define DISPLAY_FB_STRIDE		0x028
#define DISPLAY_FB_WIDTH		0x02c
#define DISPLAY_FB_HEIGHT		0x030
#define DISPLAY_FB_FORMAT		0x034
#define   DISPLAY_FORMAT_XRGB8888	0x34325258u	/* DRM_FORMAT_XRGB8888, 'XR24' */
#define DISPLAY_FB_TAG			0x038
#define DISPLAY_COMMIT			0x040
#define   DISPLAY_COMMIT_GO		BIT(0)
#define DISPLAY_CRC			0x050
#define DISPLAY_CRC_FRAME		0x054
#define DISPLAY_CRC_TAG			0x058
#define DISPLAY_CRC_STATUS		0x05c
#define   DISPLAY_CRC_STATUS_FAULT	BIT(0)
#define   DISPLAY_CRC_STATUS_BLANK	BIT(1)
#define DISPLAY_FRAME_COUNT		0x060
#define DISPLAY_FAULT_ADDR_LO		0x064
#define DISPLAY_FAULT_ADDR_HI		0x068

#define DISPLAY_DIM_MAX			4096	/* width and height */
#define DISPLAY_REFRESH_HZ_DEFAULT	60
#define DISPLAY_REFRESH_HZ_MAX		1000
#define DISPLAY_STEPS_DEFAULT		8	/* scan steps per frame */
#define DISPLAY_STEPS_MAX		64

struct display;

struct display_config {
	const char *name;		/* the node path, for messages and the bus master */
	u64 base;			/* register window */
	unsigned int nsaid;		/* of its scan-out reads */
	u32 refresh_hz;			/* 1..DISPLAY_REFRESH_HZ_MAX */
	u32 steps;			/* scan steps per frame, 1..DISPLAY_STEPS_MAX */
};

/* A framebuffer configuration (shadow or latched). */
struct display_fb {
	u64 base;
	u32 stride, width, height, format, tag;
};

/* What the display did, for reports and checkers. */
struct display_stats {
	u64 frames;			/* frames completed (vblanks) */
	u64 blank_frames;		/* of which nothing was committed */
	u64 commits;			/* commits latched */
	u64 faults;			/* frames with a bus error */
	u64 bytes;			/* pixel bytes read */
};

/**
 * display_create - the display model: maps its registers at @cfg->base and
 * adds its actor to @s
 * @line: its interrupt line (borrowed)
 *
 * Return: the model, or NULL with @err naming @cfg->name and the problem.
 */
struct display *display_create(struct sim *s, struct bus *b, const struct display_config *cfg,
			       struct irq_line *line, struct secsoc_error *err);
/** display_destroy - free the model (NULL is ignored); its sim must not step it again */
void display_destroy(struct display *d);
/** display_config - the configuration it was created with */
const struct display_config *display_config(const struct display *d);
/** display_stats - what it did so far */
struct display_stats display_stats(const struct display *d);
/** display_active - the latched framebuffer (valid is false until the first latch) */
bool display_active(const struct display *d, struct display_fb *fb);
/** display_frame_ns - the modelled length of one frame */
u64 display_frame_ns(const struct display *d);

/*
 * A scan-out sink: told every row the display shows, as it shows it (the
 * bytes it read, zeros where a read was denied), for `--png` and people.
 * Rows of frame @frame (its number, as CRC_FRAME will report it) arrive in
 * order y = 0 .. height - 1, with display_active() giving the height.
 * Blank frames show no rows. Outside the simulated system: it must not
 * change the model, and the model runs the same with or without it.
 */
typedef void (*display_sink_fn)(void *ctx, u64 frame, const u8 *row, u32 width, u32 y);

/** display_set_scanout_sink - install @fn (NULL removes it) */
void display_set_scanout_sink(struct display *d, display_sink_fn fn, void *ctx);

#endif /* SECSOC_DISPLAY_H */
