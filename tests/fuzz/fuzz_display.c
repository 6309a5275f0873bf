/*
 * fuzz_display.c - libFuzzer harness for the display controller model
 * (hw/display.c) on the default board's hardware: no kernel, the harness
 * is a normal-world CPU driving the display's registers and painting
 * memory, and the secure CPU that programmed the TZC (the carve-out
 * readable by the display's NSAID, the secure world's memory by nobody).
 *
 * The first byte picks the TZC's ACTION (bits 1:0: denials read as zeros
 * silently or with a bus error) and the seed (bits 7:2). The rest is a
 * program, one opcode byte (modulo the number of operations) and its
 * arguments:
 *
 *   0 wr reg8 val32          write a register (or an unimplemented offset)
 *   1 rd reg8                read one, then check every register's range
 *   2 commit fb w8 h8 pad8 tag8   program the shadow framebuffer at fb
 *                            (sel8 off16, see place()), (w8 + 1) x (h8 + 1)
 *                            pixels, stride 4 * (width + pad8), then COMMIT
 *   3 ctrl val8              CTRL = val8
 *   4 steps n8               up to n8 + 1 simulation steps
 *   5 frames n8              run until n8 % 4 + 1 more frames completed
 *   6 paint at seed8 len16   fill len16 bytes at at (sel8 off16) with a pattern
 *   7 irq mask8 clear8       INT_MASK = mask8, INT_CLEAR = clear8
 *
 * Checks (a violation aborts): every row the display shows (its scan-out
 * sink) equals the memory a backdoor read gives at that moment, with zeros
 * where one of its reads was denied or hit no RAM; at every vblank CRC is
 * pixel_crc_rows() over those rows, CRC_STATUS.FAULT says whether a read
 * got an error response, CRC_TAG is the latched tag, a blank frame has CRC
 * 0; FRAME_COUNT grows by at most one a step and CRC_FRAME follows it;
 * registers stay in range; with CTRL cleared the simulation quiesces; no
 * always() fails.
 */
#include <string.h>

#include <secsoc/bus.h>
#include <secsoc/display.h>
#include <secsoc/pixel.h>
#include <secsoc/sim.h>
#include <secsoc/soc.h>
#include <secsoc/tzc400.h>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "fuzz_tzmp.h"

#define HARNESS "fuzz_display"
#define FB_BASE 0x90000000ULL
#define STEPS_MAX 20000			/* for the whole program */
#define FRAME_STEPS_MAX 1000		/* for one frame: steps + 1 slots, and the others */
#define QUIESCE_STEPS_MAX 100		/* after CTRL is cleared */
#define DENIED_MAX 32			/* denied pieces of one row */
#define PAINT_MAX 65536

struct piece {
	u64 addr;
	u32 len;
};

/* What the display read for the row it is scanning, from the bus observer. */
struct row_reads {
	struct piece denied[DENIED_MAX];	/* zeros, or no RAM */
	unsigned int nr_denied;
	bool error;		/* a response other than OKAY */
	bool unknown;		/* MMIO, or too many denials: the bytes cannot be predicted */
};

static struct {
	struct fuzz_hw hw;
	struct display *d;
	u64 base;
	u64 steps;
	struct row_reads row;
	/* The frame the sink is showing. */
	u64 frame;
	u32 crc, rows;
	bool error, unknown;
	u64 frames;		/* display_stats().frames at the last check */
	u8 expect[DISPLAY_DIM_MAX * PIXEL_XRGB_BYTES];
} fz;

/* ---- registers ---- */

static u32 rd(u32 off)
{
	return fuzz_reg_rd(fz.hw.soc->bus, HARNESS, "display", fz.base, off);
}

static void wr(u32 off, u32 val)
{
	fuzz_reg_wr(fz.hw.soc->bus, HARNESS, "display", fz.base, off, val);
}

static void expect(bool ok, const char *what, u32 off, u32 v)
{
	if (!ok)
		fuzz_fail(HARNESS, "%s: register 0x%03x reads 0x%08x", what, off, v);
}

static void check_regs(void)
{
	u32 ctrl = rd(DISPLAY_CTRL), status = rd(DISPLAY_STATUS), raw = rd(DISPLAY_INT_RAWSTAT);
	u32 stat = rd(DISPLAY_INT_STAT);

	expect(rd(DISPLAY_ID) == DISPLAY_ID_VALUE, "ID", DISPLAY_ID, rd(DISPLAY_ID));
	expect(!(ctrl & ~DISPLAY_CTRL_ENABLE), "CTRL bits", DISPLAY_CTRL, ctrl);
	expect(status == (ctrl | (rd(DISPLAY_COMMIT) ? DISPLAY_STATUS_COMMIT_PENDING : 0)),
	       "STATUS disagrees with CTRL and COMMIT", DISPLAY_STATUS, status);
	expect(rd(DISPLAY_COMMIT) <= 1, "COMMIT", DISPLAY_COMMIT, rd(DISPLAY_COMMIT));
	expect(!(raw & ~DISPLAY_INT_ALL), "INT_RAWSTAT bits", DISPLAY_INT_RAWSTAT, raw);
	expect(!(rd(DISPLAY_INT_MASK) & ~DISPLAY_INT_ALL), "INT_MASK bits", DISPLAY_INT_MASK,
	       rd(DISPLAY_INT_MASK));
	expect(stat == (raw & rd(DISPLAY_INT_MASK)), "INT_STAT", DISPLAY_INT_STAT, stat);
	expect(fz.hw.soc->display_irq.level == (stat != 0), "the line disagrees with INT_STAT",
	       DISPLAY_INT_STAT, stat);
	expect(!(rd(DISPLAY_FB_BASE_HI) & ~DISPLAY_FB_BASE_HI_MASK), "FB_BASE_HI bits",
	       DISPLAY_FB_BASE_HI, rd(DISPLAY_FB_BASE_HI));
	expect(rd(DISPLAY_FB_FORMAT) == DISPLAY_FORMAT_XRGB8888, "FB_FORMAT", DISPLAY_FB_FORMAT,
	       rd(DISPLAY_FB_FORMAT));
	expect(!(rd(DISPLAY_CRC_STATUS) & ~(DISPLAY_CRC_STATUS_FAULT | DISPLAY_CRC_STATUS_BLANK)),
	       "CRC_STATUS bits", DISPLAY_CRC_STATUS, rd(DISPLAY_CRC_STATUS));
	expect(rd(DISPLAY_CRC_FRAME) == rd(DISPLAY_FRAME_COUNT), "CRC_FRAME", DISPLAY_CRC_FRAME,
	       rd(DISPLAY_CRC_FRAME));
}

/* ---- what the display reads and shows ---- */

static void observe(void *opaque, const struct bus_access *a)
{
	struct row_reads *r = &fz.row;

	if (a->master->name != display_config(fz.d)->name)
		return;
	if (a->write)
		fuzz_fail(HARNESS, "the display wrote 0x%llx", (unsigned long long)a->addr);
	if (a->resp != BUS_OKAY)
		r->error = true;
	if (a->target == BUS_TARGET_MMIO || (!a->decision.allowed && r->nr_denied == DENIED_MAX))
		r->unknown = true;
	else if (a->target != BUS_TARGET_RAM || !a->decision.allowed)
		r->denied[r->nr_denied++] = (struct piece){ a->addr, a->len };
}

/* Only the display's transactions: the harness's own go around the observer. */
static void observer_on(bool on)
{
	if (!on)
		bus_remove_observer(fz.hw.soc->bus, observe, NULL);
	else if (bus_add_observer(fz.hw.soc->bus, observe, NULL))
		fuzz_fail(HARNESS, "too many bus observers");
}

static bool piece_denied(u64 a, u32 len)
{
	for (unsigned int i = 0; i < fz.row.nr_denied; i++) {
		const struct piece *d = &fz.row.denied[i];

		if (d->addr < a + len && a < d->addr + d->len)
			return true;
	}
	return false;
}

/* Row @y of the latched framebuffer as the display should have read it: zeros where denied. */
static void expected_row(const struct display_fb *fb, u32 y)
{
	u64 addr = fb->base + (u64)y * fb->stride, end = addr + (u64)fb->width * PIXEL_XRGB_BYTES;
	u8 *out = fz.expect;

	for (u64 a = addr; a < end; ) {
		u64 next = MIN(end, (a & ~(u64)(BUS_TXN_BYTES - 1)) + BUS_TXN_BYTES);
		u32 len = (u32)(next - a);
		const u8 *p = piece_denied(a, len) ? NULL : bus_ram_backdoor(fz.hw.soc->bus, a, len);

		if (p)
			memcpy(out, p, len);
		else
			memset(out, 0, len);
		out += len;
		a = next;
	}
}

/* The display's scan-out sink: every row it shows, checked as it is shown. */
static void sink(void *ctx, u64 frame, const u8 *row, u32 width, u32 y)
{
	struct display_fb fb;

	if (!display_active(fz.d, &fb) || width != fb.width || y >= fb.height)
		fuzz_fail(HARNESS, "frame %llu: row %u of %u pixels is not in the latched "
			  "framebuffer", (unsigned long long)frame, y, width);
	if (y == 0) {	/* a frame starts (again, if an earlier start was abandoned) */
		fz.frame = frame;
		fz.crc = 0;
		fz.rows = 0;
		fz.error = false;
		fz.unknown = false;
	}
	if (frame != fz.frame || y != fz.rows)
		fuzz_fail(HARNESS, "frame %llu: row %u after row %u of frame %llu",
			  (unsigned long long)frame, y, fz.rows, (unsigned long long)fz.frame);
	expected_row(&fb, y);
	if (!fz.row.unknown && memcmp(row, fz.expect, (size_t)width * PIXEL_XRGB_BYTES))
		fuzz_fail(HARNESS, "frame %llu: row %u differs from memory at 0x%llx",
			  (unsigned long long)frame, y,
			  (unsigned long long)(fb.base + (u64)y * fb.stride));
	fz.crc = pixel_crc_rows(fz.crc, row, 0, width, 1);
	fz.rows++;
	fz.error |= fz.row.error;
	fz.unknown |= fz.row.unknown;
	memset(&fz.row, 0, sizeof(fz.row));
}

/* A vblank: the published CRC and status are those of the rows the sink saw. */
static void check_vblank(void)
{
	u32 crc = rd(DISPLAY_CRC), status = rd(DISPLAY_CRC_STATUS), n = rd(DISPLAY_FRAME_COUNT);
	struct display_fb fb;

	display_active(fz.d, &fb);
	if (status & DISPLAY_CRC_STATUS_BLANK) {
		expect(!crc && !rd(DISPLAY_CRC_TAG) && !(status & DISPLAY_CRC_STATUS_FAULT),
		       "blank frame with a CRC, tag or fault", DISPLAY_CRC, crc);
		return;
	}
	if (fz.frame != n || fz.rows != fb.height)
		fuzz_fail(HARNESS, "frame %u ended after %u rows of frame %llu (height %u)", n,
			  fz.rows, (unsigned long long)fz.frame, fb.height);
	expect(rd(DISPLAY_CRC_TAG) == fb.tag, "CRC_TAG is not the latched tag", DISPLAY_CRC_TAG,
	       rd(DISPLAY_CRC_TAG));
	expect(crc == fz.crc, "CRC is not the CRC of the rows shown", DISPLAY_CRC, crc);
	expect(fz.unknown || !(status & DISPLAY_CRC_STATUS_FAULT) == !fz.error,
	       "CRC_STATUS.FAULT disagrees with the responses", DISPLAY_CRC_STATUS, status);
}

/* After every step: FRAME_COUNT moves by at most one, and each vblank is checked. */
static void check_step(void)
{
	u64 frames = display_stats(fz.d).frames;
	u32 n = rd(DISPLAY_FRAME_COUNT);

	if (frames - fz.frames > 1 || n != (u32)frames)
		fuzz_fail(HARNESS, "FRAME_COUNT %u after %llu frames (%llu at the last step)", n,
			  (unsigned long long)frames, (unsigned long long)fz.frames);
	if (frames != fz.frames)
		check_vblank();
	fz.frames = frames;
	fuzz_check_violations(HARNESS, fz.hw.sim);
}

/* Up to @n steps; false once nothing is ready. */
static bool steps(u64 n)
{
	for (; n; n--) {
		observer_on(true);
		if (!sim_step_once(fz.hw.sim)) {
			observer_on(false);
			return false;
		}
		observer_on(false);
		check_step();
	}
	return true;
}

/* ---- operations ---- */

static const u32 regs[] = {
	DISPLAY_ID, DISPLAY_CTRL, DISPLAY_STATUS, DISPLAY_INT_RAWSTAT, DISPLAY_INT_CLEAR,
	DISPLAY_INT_MASK, DISPLAY_INT_STAT, DISPLAY_FB_BASE_LO, DISPLAY_FB_BASE_HI,
	DISPLAY_FB_STRIDE, DISPLAY_FB_WIDTH, DISPLAY_FB_HEIGHT, DISPLAY_FB_FORMAT, DISPLAY_FB_TAG,
	DISPLAY_COMMIT, DISPLAY_CRC, DISPLAY_CRC_FRAME, DISPLAY_CRC_TAG, DISPLAY_CRC_STATUS,
	DISPLAY_FRAME_COUNT, DISPLAY_FAULT_ADDR_LO, DISPLAY_FAULT_ADDR_HI, 0x00c, 0x100, 0xffc,
};

/* Framebuffers: normal memory, the carve-out and its edges, secure memory, holes, MMIO. */
static const u64 places[] = {
	FB_BASE, PROT_BASE, PROT_BASE - 0x800, PROT_BASE + PROT_SIZE - 0x800, TZ_MEM,
	RAM_END - 0x400, 0, BUS_PA_LIMIT - 0x1000, 0x03d00000ULL, TZ_MEM - 0x800,
};

static u64 place(struct input *in)
{
	u32 sel = take(in, 1), off = take(in, 2);

	if (sel == 0xff)
		return off | (u64)take(in, 4) << 16;
	return places[sel % ARRAY_SIZE(places)] + off;
}

static void op_wr(struct input *in)
{
	u32 off = regs[take(in, 1) % ARRAY_SIZE(regs)];

	wr(off, take(in, 4));
}

static void op_rd(struct input *in)
{
	rd(regs[take(in, 1) % ARRAY_SIZE(regs)]);
	check_regs();
}

static void op_commit(struct input *in)
{
	u64 base = place(in);
	u32 w = take(in, 1) + 1, h = take(in, 1) + 1, pad = take(in, 1), tag = take(in, 1);

	wr(DISPLAY_FB_BASE_LO, (u32)base);
	wr(DISPLAY_FB_BASE_HI, (u32)(base >> 32));
	wr(DISPLAY_FB_STRIDE, (w + pad) * PIXEL_XRGB_BYTES);
	wr(DISPLAY_FB_WIDTH, w);
	wr(DISPLAY_FB_HEIGHT, h);
	wr(DISPLAY_FB_TAG, tag);
	wr(DISPLAY_COMMIT, DISPLAY_COMMIT_GO);
}

static void op_ctrl(struct input *in)
{
	wr(DISPLAY_CTRL, take(in, 1));
}

/* Up to @n steps of the program's budget; false once nothing is ready. */
static bool budget_steps(u64 n)
{
	n = MIN(n, STEPS_MAX - fz.steps);
	fz.steps += n;
	return n && steps(n);
}

static void op_steps(struct input *in)
{
	budget_steps(take(in, 1) + 1);
}

static void op_frames(struct input *in)
{
	u64 until = display_stats(fz.d).frames + take(in, 1) % 4 + 1;

	for (u64 n = 0; n < 4 * FRAME_STEPS_MAX && display_stats(fz.d).frames < until; n++)
		if (!budget_steps(1))
			break;
}

static void op_paint(struct input *in)
{
	u64 at = place(in);
	u32 seed = take(in, 1), len = take(in, 2) % PAINT_MAX + 1;
	u8 *p = bus_ram_backdoor(fz.hw.soc->bus, at, len);

	for (u32 i = 0; p && i < len; i++)
		p[i] = (u8)(seed * 29 + i * 13 + (i >> 7));
}

static void op_irq(struct input *in)
{
	wr(DISPLAY_INT_MASK, take(in, 1));
	wr(DISPLAY_INT_CLEAR, take(in, 1));
}

static void (*const ops[])(struct input *in) = {
	op_wr, op_rd, op_commit, op_ctrl, op_steps, op_frames, op_paint, op_irq,
};

/* ---- the machine ---- */

static void boot(u32 cfg)
{
	memset(&fz, 0, sizeof(fz));
	fuzz_hw_boot(&fz.hw, HARNESS, cfg, TZC400_ID_ACCESS_RD(DISPLAY_NSAID) |
		     TZC400_ID_ACCESS_RD(GPU_NSAID_PROT) | TZC400_ID_ACCESS_WR(GPU_NSAID_PROT));
	fz.d = fz.hw.soc->display;
	if (!fz.d)
		fuzz_fail(HARNESS, "the default board has no display");
	fz.base = display_config(fz.d)->base;
	display_set_scanout_sink(fz.d, sink, NULL);
}

/* Disabled, the display must let the simulation quiesce. */
static void finish(void)
{
	wr(DISPLAY_CTRL, 0);
	if (steps(QUIESCE_STEPS_MAX))
		fuzz_fail(HARNESS, "still busy %d steps after CTRL was cleared", QUIESCE_STEPS_MAX);
	check_regs();
	fuzz_hw_close(&fz.hw);
}

/**
 * LLVMFuzzerTestOneInput - boot the default board's hardware, run the
 * program on the display, disable it and check (see the file comment)
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	boot(take(&in, 1));
	while (in.left)
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&in);
	finish();
	return 0;
}
