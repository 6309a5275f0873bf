/*
 * display.c - the display controller model (include/secsoc/display.h,
 * docs/display.md): its register file, the shadow/active framebuffer pair,
 * and the actor that scans frames out at the refresh rate.
 *
 * The actor is a clock (sim_actor.timer): while enabled it is always
 * ready and paces itself with sim_actor_wait_until(), one slot of the
 * frame per step; while disabled it sleeps. Each scan step reads a band of
 * rows through the bus as the display's own master, one transaction-sized
 * piece at a time, so the TZC judges every piece and a denied piece reads
 * as zeros (TZC semantics) and, with an error response, marks the frame
 * faulty. The CRC runs over what was read, so a denied frame's CRC is the
 * CRC of its zeros.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/display.h>
#include <secsoc/pixel.h>

#define DISPLAY_NAME_MAX 64
#define NS_PER_S 1000000000ULL

struct display {
	struct sim_actor actor;
	char name[DISPLAY_NAME_MAX];
	struct sim *sim;
	struct bus *bus;
	struct bus_master master;
	struct display_config cfg;
	struct irq_line *irq;
	bool irq_level;
	u64 frame_ns;

	/* Registers. */
	u32 ctrl, rawstat, mask;
	struct display_fb shadow;
	bool commit_pending;
	u32 crc, crc_tag, crc_status;	/* of the last frame completed, frame_count */
	u64 fault_addr;
	u64 frame_count;

	/* The latched framebuffer, and the frame being scanned out. */
	struct display_fb active;
	bool active_valid;
	u32 slot;		/* next slot of the frame: 0..steps - 1 scan, steps vblank */
	bool blank, fault;	/* of the frame in progress */
	u32 run_crc;
	u64 first_fault;

	display_sink_fn sink;
	void *sink_ctx;
	struct display_stats st;
	u8 row[DISPLAY_DIM_MAX * PIXEL_XRGB_BYTES];	/* a row for the sink */
};

static void display_update_irq(struct display *d)
{
	bool level = (d->rawstat & d->mask) != 0;

	if (level == d->irq_level)
		return;
	d->irq_level = level;
	if (d->irq)
		irq_line_set(d->irq, level);
}

/* Start of slot @k of a frame, relative to the frame's start. */
static u64 slot_ns(const struct display *d, u32 k)
{
	return d->frame_ns * k / (d->cfg.steps + 1);
}

/* Why the shadow registers cannot be committed, or NULL. */
static const char *fb_invalid(const struct display_fb *fb)
{
	u64 last;

	if (fb->width == 0 || fb->width > DISPLAY_DIM_MAX)
		return "FB_WIDTH is not 1..4096";
	if (fb->height == 0 || fb->height > DISPLAY_DIM_MAX)
		return "FB_HEIGHT is not 1..4096";
	if (fb->stride % PIXEL_XRGB_BYTES || fb->stride < fb->width * PIXEL_XRGB_BYTES)
		return "FB_STRIDE is not a multiple of 4 of at least 4 * FB_WIDTH";
	if (fb->base % PIXEL_XRGB_BYTES)
		return "FB_BASE is not 4-byte aligned";
	last = fb->base + (u64)fb->stride * (fb->height - 1) + fb->width * PIXEL_XRGB_BYTES;
	if (last > BUS_PA_LIMIT)
		return "the framebuffer ends beyond the physical address space";
	return NULL;
}

/* ---- the actor ---- */

/*
 * Slot 0: a pending commit takes effect now, at the frame boundary. The
 * shadow registers may have changed since COMMIT checked them, so they are
 * checked again: an invalid geometry must never be scanned out.
 */
static void frame_begin(struct display *d)
{
	const char *why = d->commit_pending ? fb_invalid(&d->shadow) : NULL;

	if (why) {
		sim_guest_error(d->sim, d->name, "commit dropped at the frame start: the shadow "
				"registers changed after COMMIT: %s", why);
	} else if (d->commit_pending) {
		d->active = d->shadow;
		d->active_valid = true;
		d->st.commits++;
	}
	d->commit_pending = false;
	d->blank = !d->active_valid;
	d->fault = false;
	d->run_crc = 0;
}

static void fault_at(struct display *d, u64 addr)
{
	if (!d->fault)
		d->first_fault = addr;
	d->fault = true;
}

/*
 * Read row @y piece by piece (no piece crosses a transaction boundary, and
 * since base and stride are multiples of 4 none splits a pixel), feeding the
 * CRC and, if installed, the sink's row copy.
 */
static void scan_row(struct display *d, u32 y)
{
	const struct display_fb *fb = &d->active;
	u64 addr = fb->base + (u64)y * fb->stride;
	u64 end = addr + (u64)fb->width * PIXEL_XRGB_BYTES;
	u8 *copy = d->row;

	for (u64 a = addr; a < end; ) {
		u64 next = MIN(end, (a & ~(u64)(BUS_TXN_BYTES - 1)) + BUS_TXN_BYTES);
		u32 len = (u32)(next - a);
		enum bus_resp resp;
		const u8 *p = bus_dma_span(d->bus, &d->master, a, len, false, &resp);

		if (!p) {
			/* Denied, or not RAM: TZC semantics, zeros and maybe an error. */
			resp = bus_read(d->bus, &d->master, a, copy, len);
			p = copy;
			if (resp != BUS_OKAY)
				fault_at(d, a);
		} else if (d->sink) {
			memcpy(copy, p, len);
		}
		d->run_crc = pixel_crc_rows(d->run_crc, p, 0, len / PIXEL_XRGB_BYTES, 1);
		copy += len;
		a = next;
	}
	d->st.bytes += end - addr;
	if (d->sink)
		d->sink(d->sink_ctx, d->frame_count + 1, d->row, fb->width, y);
}

static void scan_band(struct display *d, u32 k)
{
	u32 h = d->active.height, steps = d->cfg.steps;
	u32 y0 = (u32)((u64)h * k / steps), y1 = (u32)((u64)h * (k + 1) / steps);

	if (d->blank) {
		sim_actor_label(&d->actor, "frame %llu: blank band %u",
				(unsigned long long)d->frame_count + 1, k);
		return;
	}
	sim_actor_label(&d->actor, "frame %llu: scan rows %u..%u",
			(unsigned long long)d->frame_count + 1, y0, y1);
	for (u32 y = y0; y < y1; y++)
		scan_row(d, y);
}

/* The last slot: publish the frame's CRC and raise VBLANK (and FAULT). */
static void frame_end(struct display *d)
{
	d->frame_count++;
	d->crc = d->blank ? 0 : d->run_crc;
	d->crc_tag = d->blank ? 0 : d->active.tag;
	d->crc_status = (d->fault ? DISPLAY_CRC_STATUS_FAULT : 0) |
			(d->blank ? DISPLAY_CRC_STATUS_BLANK : 0);
	d->rawstat |= DISPLAY_INT_VBLANK;
	if (d->fault) {
		d->fault_addr = d->first_fault;
		d->rawstat |= DISPLAY_INT_FAULT;
		d->st.faults++;
	}
	d->st.frames++;
	d->st.blank_frames += d->blank;
	sim_actor_label(&d->actor, "frame %llu: vblank, crc %08x%s",
			(unsigned long long)d->frame_count, d->crc, d->fault ? ", fault" : "");
	display_update_irq(d);
}

static bool display_ready(struct sim_actor *a)
{
	const struct display *d = a->priv;

	return d->ctrl & DISPLAY_CTRL_ENABLE;
}

static u64 display_step(struct sim_actor *a)
{
	struct display *d = a->priv;
	u32 k = d->slot, steps = d->cfg.steps;

	if (k == 0)
		frame_begin(d);
	if (k < steps)
		scan_band(d, k);
	else
		frame_end(d);
	d->slot = k < steps ? k + 1 : 0;
	/*
	 * Paced from this step, so a display running late never bunches up;
	 * slot_ns(d, steps + 1) is the frame's end.
	 */
	sim_actor_wait_until(a, sim_now_ns(d->sim) + slot_ns(d, k + 1) - slot_ns(d, k));
	return 0;
}

static u64 display_state_hash(const struct sim_actor *a)
{
	const struct display *d = a->priv;
	u64 h = sim_hash_mix(SIM_HASH_INIT, d->ctrl);

	h = sim_hash_mix(h, d->slot);
	h = sim_hash_mix(h, d->rawstat | (u64)d->mask << 8 | (u64)d->commit_pending << 16);
	h = sim_hash_mix(h, d->active.base ^ d->active.tag);
	return sim_hash_mix(h, d->frame_count);
}

static const struct sim_actor_ops display_actor_ops = {
	.ready = display_ready,
	.step = display_step,
	.state_hash = display_state_hash,
};

/* ---- registers ---- */

static void write_commit(struct display *d, u32 val, const struct bus_master *m)
{
	const char *why;

	if (!(val & DISPLAY_COMMIT_GO))
		return;
	why = fb_invalid(&d->shadow);
	if (why) {
		sim_guest_error(d->sim, d->name, "COMMIT by %s ignored: %s (base 0x%llx, stride "
				"%u, %ux%u)", m->name, why, (unsigned long long)d->shadow.base,
				d->shadow.stride, d->shadow.width, d->shadow.height);
		return;
	}
	d->commit_pending = true;
}

static void write_ctrl(struct display *d, u32 val)
{
	bool was = d->ctrl & DISPLAY_CTRL_ENABLE;

	d->ctrl = val & DISPLAY_CTRL_ENABLE;
	if (was == (bool)d->ctrl)
		return;
	/* Disabling abandons the frame in progress; enabling starts a new one. */
	d->slot = 0;
	sim_actor_set_asleep(&d->actor, !d->ctrl);
}

static void write_format(struct display *d, u32 val, const struct bus_master *m)
{
	if (val == DISPLAY_FORMAT_XRGB8888) {
		d->shadow.format = val;
		return;
	}
	sim_guest_error(d->sim, d->name, "FB_FORMAT 0x%08x by %s is not supported (only "
			"XRGB8888, 0x%08x)", val, m->name, DISPLAY_FORMAT_XRGB8888);
}

static u32 read_status(const struct display *d)
{
	return (d->ctrl & DISPLAY_CTRL_ENABLE ? DISPLAY_STATUS_SCANNING : 0) |
	       (d->commit_pending ? DISPLAY_STATUS_COMMIT_PENDING : 0);
}

static u64 display_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
			enum bus_resp *resp)
{
	struct display *d = opaque;

	switch (off) {
	case DISPLAY_ID:		return DISPLAY_ID_VALUE;
	case DISPLAY_CTRL:		return d->ctrl;
	case DISPLAY_STATUS:		return read_status(d);
	case DISPLAY_INT_RAWSTAT:	return d->rawstat;
	case DISPLAY_INT_MASK:		return d->mask;
	case DISPLAY_INT_STAT:		return d->rawstat & d->mask;
	case DISPLAY_FB_BASE_LO:	return (u32)d->shadow.base;
	case DISPLAY_FB_BASE_HI:	return (u32)(d->shadow.base >> 32);
	case DISPLAY_FB_STRIDE:		return d->shadow.stride;
	case DISPLAY_FB_WIDTH:		return d->shadow.width;
	case DISPLAY_FB_HEIGHT:		return d->shadow.height;
	case DISPLAY_FB_FORMAT:		return d->shadow.format;
	case DISPLAY_FB_TAG:		return d->shadow.tag;
	case DISPLAY_COMMIT:		return d->commit_pending;
	case DISPLAY_CRC:		return d->crc;
	case DISPLAY_CRC_FRAME:		return (u32)d->frame_count;
	case DISPLAY_CRC_TAG:		return d->crc_tag;
	case DISPLAY_CRC_STATUS:	return d->crc_status;
	case DISPLAY_FRAME_COUNT:	return (u32)d->frame_count;
	case DISPLAY_FAULT_ADDR_LO:	return (u32)d->fault_addr;
	case DISPLAY_FAULT_ADDR_HI:	return (u32)(d->fault_addr >> 32);
	}
	sim_guest_error(d->sim, d->name, "read of %s register 0x%03llx by %s",
			off == DISPLAY_INT_CLEAR ? "write-only" : "unimplemented",
			(unsigned long long)off, m->name);
	return 0;
}

/* The shadow framebuffer registers; false if @off is not one. */
static bool write_shadow(struct display *d, u64 off, u32 val)
{
	switch (off) {
	case DISPLAY_FB_BASE_LO:
		d->shadow.base = (d->shadow.base & ~(u64)0xffffffffu) | val;
		return true;
	case DISPLAY_FB_BASE_HI:
		d->shadow.base = (u32)d->shadow.base |
				 (u64)(val & DISPLAY_FB_BASE_HI_MASK) << 32;
		return true;
	case DISPLAY_FB_STRIDE:
		d->shadow.stride = val;
		return true;
	case DISPLAY_FB_WIDTH:
		d->shadow.width = val;
		return true;
	case DISPLAY_FB_HEIGHT:
		d->shadow.height = val;
		return true;
	case DISPLAY_FB_TAG:
		d->shadow.tag = val;
		return true;
	}
	return false;
}

static void display_write(void *opaque, u64 off, u64 val64, unsigned int size,
			  const struct bus_master *m, enum bus_resp *resp)
{
	struct display *d = opaque;
	u32 val = (u32)val64;

	if (write_shadow(d, off, val))
		return;
	switch (off) {
	case DISPLAY_CTRL:
		write_ctrl(d, val);
		return;
	case DISPLAY_INT_CLEAR:
		d->rawstat &= ~val;
		display_update_irq(d);
		return;
	case DISPLAY_INT_MASK:
		d->mask = val & DISPLAY_INT_ALL;
		display_update_irq(d);
		return;
	case DISPLAY_FB_FORMAT:
		write_format(d, val, m);
		return;
	case DISPLAY_COMMIT:
		write_commit(d, val, m);
		return;
	}
	sim_guest_error(d->sim, d->name, "write of 0x%08x to %s register 0x%03llx by %s", val,
			off <= DISPLAY_FAULT_ADDR_HI ? "read-only" : "unimplemented",
			(unsigned long long)off, m->name);
}

static const struct mmio_ops display_mmio_ops = {
	.read = display_read,
	.write = display_write,
	.sizes = BUS_ACCESS_32,
};

/* ---- life cycle ---- */

static int check_config(const struct display_config *cfg, struct secsoc_error *err)
{
	if (cfg->nsaid >= 16)
		return input_error(err, "%s: NSAID %u is not 0..15", cfg->name, cfg->nsaid);
	if (cfg->refresh_hz == 0 || cfg->refresh_hz > DISPLAY_REFRESH_HZ_MAX)
		return input_error(err, "%s: refresh rate %u Hz is not 1..%u", cfg->name,
				   cfg->refresh_hz, DISPLAY_REFRESH_HZ_MAX);
	if (cfg->steps == 0 || cfg->steps > DISPLAY_STEPS_MAX)
		return input_error(err, "%s: %u scan steps per frame is not 1..%u", cfg->name,
				   cfg->steps, DISPLAY_STEPS_MAX);
	return 0;
}

struct display *display_create(struct sim *s, struct bus *b, const struct display_config *cfg,
			       struct irq_line *line, struct secsoc_error *err)
{
	struct display *d;

	if (check_config(cfg, err))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d) {
		internal_error(err, "%s: out of memory", cfg->name);
		return NULL;
	}
	snprintf(d->name, sizeof(d->name), "%s", cfg->name);
	d->cfg = *cfg;
	d->cfg.name = d->name;
	d->sim = s;
	d->bus = b;
	d->irq = line;
	d->frame_ns = NS_PER_S / cfg->refresh_hz;
	d->shadow.format = DISPLAY_FORMAT_XRGB8888;
	d->master = (struct bus_master){ .name = d->name, .kind = BUS_MASTER_DEVICE,
					 .nsaid = cfg->nsaid };
	if (bus_add_mmio(b, d->name, cfg->base, DISPLAY_MMIO_SIZE, &display_mmio_ops, d, err)) {
		free(d);
		return NULL;
	}
	d->actor = (struct sim_actor){ .name = "display", .ops = &display_actor_ops, .priv = d,
				       .timer = true, .asleep = true };
	sim_actor_add(s, &d->actor);
	return d;
}

void display_destroy(struct display *d)
{
	free(d);
}

const struct display_config *display_config(const struct display *d)
{
	return &d->cfg;
}

struct display_stats display_stats(const struct display *d)
{
	return d->st;
}

bool display_active(const struct display *d, struct display_fb *fb)
{
	if (fb)
		*fb = d->active;
	return d->active_valid;
}

u64 display_frame_ns(const struct display *d)
{
	return d->frame_ns;
}

void display_set_scanout_sink(struct display *d, display_sink_fn fn, void *ctx)
{
	d->sink = fn;
	d->sink_ctx = ctx;
}
