/*
 * tzc400.c - model of the Arm CoreLink TZC-400 address space controller
 * (include/secsoc/tzc400.h): its register file and the permission check
 * it applies, as the bus RAM filter, to every RAM transaction.
 *
 * The register file is built at creation from a static description table
 * (name, offset, scope, access, reset value, writable bits, optional hook,
 * in the style of QEMU's register API): every 32-bit slot of the 4 KiB
 * window gets a cell holding its value and writable mask for this build
 * configuration. Reads and writes are then generic; only the registers with
 * side effects (ACTION, GATE_KEEPER, INT_CLEAR) have a hook. The permission
 * check reads the region registers straight from the cells, and remembers
 * the granules and address ranges it allowed until the next register write
 * (struct tzc_verdict, struct tzc_span).
 *
 * docs/tzc400.md documents the decision procedure and the model's choices.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/sim.h>
#include <secsoc/trace.h>
#include <secsoc/tzc400.h>

#define TZC_NAME_MAX 64
#define TZC_CELLS (TZC400_MMIO_SIZE / 4)
#define TZC_FILTER_STRIDE 0x10
#define TZC_REGION_STRIDE 0x20

/* Allowed verdicts remembered (a power of two): see struct tzc_verdict. */
#define TZC_VERDICTS 64
/* Allowed address ranges remembered: see struct tzc_span. */
#define TZC_SPANS 4

enum tzc_scope { TZC_GLOBAL, TZC_PER_FILTER, TZC_PER_REGION };
enum tzc_access { TZC_RW, TZC_RO, TZC_WO };

struct tzc400;
struct tzc_cell;

struct tzc_reg_desc {
	const char *name;
	u16 off;		/* offset of instance 0 */
	u8 scope;		/* enum tzc_scope */
	u8 access;		/* enum tzc_access, for the largest build */
	u32 reset;
	u32 wmask;		/* writable bits, for the largest build */
	/* Adapt the cell to the build configuration (masks, region 0). */
	void (*init)(struct tzc400 *t, struct tzc_cell *c);
	/* Side effect of a write, after the writable bits were stored. */
	void (*post_write)(struct tzc400 *t, struct tzc_cell *c, u32 val);
};

struct tzc_cell {
	const struct tzc_reg_desc *desc;	/* NULL: no register at this offset */
	u32 val;
	u32 wmask;
	u8 access;
	u8 index;		/* filter or region number */
	bool absent;		/* filter or region not in this build: RAZ/WI */
};

/*
 * An allowed verdict, remembered so that a device reading its descriptors
 * and command elements 8 or 16 bytes at a time does not walk every region
 * for each of them (host speed only: the verdict is the one the walk gives).
 * Regions are 4 KiB aligned (their low address bits are fixed), so every
 * byte of a granule meets the same filter and regions. Denials are never
 * remembered: each has side effects (FAIL_* registers, status bits), and so
 * does an overlap. Any register write forgets everything.
 */
struct tzc_verdict {
	bool valid;
	u64 granule;		/* address / TZC400_GRANULE */
	bool secure, write;	/* the master and direction it was given for */
	unsigned int nsaid;
	int region;
};

/*
 * An allowed verdict for a whole address range, for a build with one filter:
 * every address of [lo, hi] meets the same regions (it lies between the same
 * region boundaries), so it gets the same verdict. A device streaming a
 * buffer larger than the granule cache covers then walks the regions once,
 * not per 4 KiB transaction (host speed only, like struct tzc_verdict).
 */
struct tzc_span {
	bool valid;
	u64 lo, hi;		/* inclusive, in the address bits the controller sees */
	bool secure, write;
	unsigned int nsaid;
	int region;
};

struct tzc400 {
	char name[TZC_NAME_MAX];
	unsigned int nr_regions;
	unsigned int nr_filters;
	unsigned int addr_width;
	u64 addr_mask;		/* the address bits the controller sees */
	u32 filters_mask;	/* one bit per built filter */
	struct irq_line *irq;
	bool irq_level;
	u64 denials;
	struct tzc_cell cells[TZC_CELLS];
	struct tzc_verdict verdicts[TZC_VERDICTS];	/* indexed by granule */
	struct tzc_span spans[TZC_SPANS];
	unsigned int next_span;				/* the one replaced next */
};

static struct tzc_cell *cell(struct tzc400 *t, unsigned int off)
{
	return &t->cells[off / 4];
}

static u32 reg(const struct tzc400 *t, unsigned int off)
{
	return t->cells[off / 4].val;
}

static u64 reg64(const struct tzc400 *t, unsigned int off_low)
{
	return reg(t, off_low) | (u64)reg(t, off_low + 4) << 32;
}

/* The interrupt is a level: high while ACTION asks for it and a status bit is set. */
static void tzc_update_irq(struct tzc400 *t)
{
	bool level = (reg(t, TZC400_ACTION) & TZC400_ACTION_INT_BIT) &&
		     (reg(t, TZC400_INT_STATUS) & TZC400_INT_STATUS_STATUS);

	if (level == t->irq_level)
		return;
	t->irq_level = level;
	if (t->irq)
		irq_line_set(t->irq, level);
}

static void action_written(struct tzc400 *t, struct tzc_cell *c, u32 val)
{
	tzc_update_irq(t);
}

/* The model opens and closes a gate at once: open_status mirrors open_request. */
static void gate_keeper_written(struct tzc400 *t, struct tzc_cell *c, u32 val)
{
	u32 req = FIELD_GET(TZC400_GATE_KEEPER_OPEN_REQUEST, c->val);

	c->val = (u32)(FIELD_PREP(TZC400_GATE_KEEPER_OPEN_REQUEST, req) |
		       FIELD_PREP(TZC400_GATE_KEEPER_OPEN_STATUS, req));
}

/* INT_CLEAR bit f clears the status, overrun and overlap bits of filter f. */
static void int_clear_written(struct tzc400 *t, struct tzc_cell *c, u32 val)
{
	u32 f = val & t->filters_mask;

	c->val = 0;	/* write-only */
	cell(t, TZC400_INT_STATUS)->val &= ~(u32)(FIELD_PREP(TZC400_INT_STATUS_STATUS, f) |
						  FIELD_PREP(TZC400_INT_STATUS_OVERRUN, f) |
						  FIELD_PREP(TZC400_INT_STATUS_OVERLAP, f));
	tzc_update_irq(t);
}

static void build_config_init(struct tzc400 *t, struct tzc_cell *c)
{
	c->val = (u32)(FIELD_PREP(TZC400_BUILD_CONFIG_NR, t->nr_regions - 1) |
		       FIELD_PREP(TZC400_BUILD_CONFIG_AW, t->addr_width - 1) |
		       FIELD_PREP(TZC400_BUILD_CONFIG_NF, t->nr_filters - 1));
}

/* Bits that exist only for built filters. */
static void filters_mask_init(struct tzc400 *t, struct tzc_cell *c)
{
	c->wmask &= t->filters_mask;
}

/*
 * Region base and top: the high words hold the address bits above 31 that
 * the build has; region 0 covers the whole space and cannot be moved.
 */
static void region_window_init(struct tzc400 *t, struct tzc_cell *c)
{
	unsigned int reg_off = (unsigned int)(c - t->cells) * 4 % TZC_REGION_STRIDE;
	bool high = reg_off == 0x4 || reg_off == 0xc;
	bool top = reg_off == 0x8 || reg_off == 0xc;
	u32 high_mask = (u32)(t->addr_mask >> 32);

	if (high)
		c->wmask &= high_mask;
	if (c->index != 0)
		return;
	c->access = TZC_RO;
	c->wmask = 0;
	if (top)
		c->val = high ? high_mask : 0xffffffff;
}

/* Region 0 is enabled on every filter; other regions choose among built filters. */
static void attributes_init(struct tzc400 *t, struct tzc_cell *c)
{
	if (c->index == 0) {
		c->val = t->filters_mask;
		c->wmask = TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN;
	} else {
		c->wmask &= TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN | t->filters_mask;
	}
}

#define GLOBAL_REG(n, o, acc, rst, wm, in, pw) \
	{ .name = n, .off = o, .scope = TZC_GLOBAL, .access = acc, .reset = rst, \
	  .wmask = wm, .init = in, .post_write = pw }
#define FILTER_REG(n, o) \
	{ .name = n, .off = o, .scope = TZC_PER_FILTER, .access = TZC_RO }
#define REGION_REG(n, o, rst, wm, in) \
	{ .name = n, .off = o, .scope = TZC_PER_REGION, .access = TZC_RW, .reset = rst, \
	  .wmask = wm, .init = in }
#define ID_REG(n, o, v) GLOBAL_REG(n, o, TZC_RO, v, 0, NULL, NULL)

static const struct tzc_reg_desc tzc_regs[] = {
	GLOBAL_REG("BUILD_CONFIG", TZC400_BUILD_CONFIG, TZC_RO, 0, 0, build_config_init, NULL),
	GLOBAL_REG("ACTION", TZC400_ACTION, TZC_RW, TZC400_ACTION_OKAY, TZC400_ACTION_MASK,
		   NULL, action_written),
	GLOBAL_REG("GATE_KEEPER", TZC400_GATE_KEEPER, TZC_RW, 0,
		   TZC400_GATE_KEEPER_OPEN_REQUEST, filters_mask_init, gate_keeper_written),
	GLOBAL_REG("SPECULATION_CTRL", TZC400_SPECULATION_CTRL, TZC_RW, 0,
		   TZC400_SPECULATION_READ_DISABLE | TZC400_SPECULATION_WRITE_DISABLE,
		   NULL, NULL),
	GLOBAL_REG("INT_STATUS", TZC400_INT_STATUS, TZC_RO, 0, 0, NULL, NULL),
	GLOBAL_REG("INT_CLEAR", TZC400_INT_CLEAR, TZC_WO, 0, TZC400_INT_CLEAR_MASK,
		   filters_mask_init, int_clear_written),
	FILTER_REG("FAIL_ADDRESS_LOW", TZC400_FAIL_ADDRESS_LOW(0)),
	FILTER_REG("FAIL_ADDRESS_HIGH", TZC400_FAIL_ADDRESS_HIGH(0)),
	FILTER_REG("FAIL_CONTROL", TZC400_FAIL_CONTROL(0)),
	FILTER_REG("FAIL_ID", TZC400_FAIL_ID(0)),
	REGION_REG("REGION_BASE_LOW", TZC400_REGION_BASE_LOW(0), 0, GENMASK(31, 12),
		   region_window_init),
	REGION_REG("REGION_BASE_HIGH", TZC400_REGION_BASE_HIGH(0), 0, GENMASK(31, 0),
		   region_window_init),
	REGION_REG("REGION_TOP_LOW", TZC400_REGION_TOP_LOW(0), 0xfff, GENMASK(31, 12),
		   region_window_init),
	REGION_REG("REGION_TOP_HIGH", TZC400_REGION_TOP_HIGH(0), 0, GENMASK(31, 0),
		   region_window_init),
	REGION_REG("REGION_ATTRIBUTES", TZC400_REGION_ATTRIBUTES(0), 0,
		   TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN | TZC400_ATTR_FILTER_EN,
		   attributes_init),
	REGION_REG("REGION_ID_ACCESS", TZC400_REGION_ID_ACCESS(0), 0, GENMASK(31, 0), NULL),
	ID_REG("PID4", TZC400_PID4, 0x04),
	ID_REG("PID5", TZC400_PID5, 0x00),
	ID_REG("PID6", TZC400_PID6, 0x00),
	ID_REG("PID7", TZC400_PID7, 0x00),
	ID_REG("PID0", TZC400_PID0, TZC400_PERIPHERAL_ID & 0xff),
	ID_REG("PID1", TZC400_PID1, 0xb0 | (TZC400_PERIPHERAL_ID >> 8)),
	ID_REG("PID2", TZC400_PID2, 0x0b),
	ID_REG("PID3", TZC400_PID3, 0x00),
	ID_REG("CID0", TZC400_CID0, TZC400_COMPONENT_ID & 0xff),
	ID_REG("CID1", TZC400_CID1, (TZC400_COMPONENT_ID >> 8) & 0xff),
	ID_REG("CID2", TZC400_CID2, (TZC400_COMPONENT_ID >> 16) & 0xff),
	ID_REG("CID3", TZC400_CID3, TZC400_COMPONENT_ID >> 24),
};

/* Fill the cells of every instance of every register, in reset state. */
static void tzc_build_cells(struct tzc400 *t)
{
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(tzc_regs); i++) {
		const struct tzc_reg_desc *d = &tzc_regs[i];
		unsigned int count = 1, stride = 0, built = 1;

		if (d->scope == TZC_PER_FILTER) {
			count = TZC400_FILTERS_MAX;
			stride = TZC_FILTER_STRIDE;
			built = t->nr_filters;
		} else if (d->scope == TZC_PER_REGION) {
			count = TZC400_REGIONS_MAX;
			stride = TZC_REGION_STRIDE;
			built = t->nr_regions;
		}
		for (n = 0; n < count; n++) {
			struct tzc_cell *c = cell(t, d->off + stride * n);

			assert(!c->desc);
			*c = (struct tzc_cell){
				.desc = d, .val = d->reset, .wmask = d->wmask,
				.access = d->access, .index = (u8)n, .absent = n >= built,
			};
			if (d->init)
				d->init(t, c);
		}
	}
}

/* "REGION_ATTRIBUTES_3", "FAIL_ID_1" or "ACTION" */
static const char *cell_name(const struct tzc_cell *c, char *buf, size_t size)
{
	if (c->desc->scope == TZC_GLOBAL)
		return c->desc->name;
	snprintf(buf, size, "%s_%u", c->desc->name, c->index);
	return buf;
}

/* NULL if the access may go ahead, else the reason for the guest error. */
static const char *cell_refusal(const struct tzc_cell *c, bool write)
{
	if (!c->desc)
		return "no register at this offset";
	if (c->absent)
		return c->desc->scope == TZC_PER_REGION ? "region not implemented in this build" :
							  "filter not implemented in this build";
	if (write && c->access == TZC_RO)
		return "register is read-only";
	if (!write && c->access == TZC_WO)
		return "register is write-only";
	return NULL;
}

static u64 tzc_mmio_read(void *opaque, u64 off, unsigned int size,
			 const struct bus_master *m, enum bus_resp *resp)
{
	struct tzc400 *t = opaque;
	struct tzc_cell *c = cell(t, (unsigned int)off);
	const char *why = cell_refusal(c, false);
	char buf[40];

	if (why) {
		sim_guest_error(sim_current(), t->name, "read of 0x%03llx%s%s: %s, reads as zero",
				(unsigned long long)off, c->desc ? " " : "",
				c->desc ? cell_name(c, buf, sizeof(buf)) : "", why);
		return 0;
	}
	return c->val;
}

static void tzc_mmio_write(void *opaque, u64 off, u64 val, unsigned int size,
			   const struct bus_master *m, enum bus_resp *resp)
{
	struct tzc400 *t = opaque;
	struct tzc_cell *c = cell(t, (unsigned int)off);
	const char *why = cell_refusal(c, true);
	char buf[40];

	if (why) {
		sim_guest_error(sim_current(), t->name,
				"write of 0x%08llx to 0x%03llx%s%s: %s, ignored",
				(unsigned long long)val, (unsigned long long)off,
				c->desc ? " " : "", c->desc ? cell_name(c, buf, sizeof(buf)) : "",
				why);
		return;
	}
	c->val = (c->val & ~c->wmask) | ((u32)val & c->wmask);
	if (c->desc->post_write)
		c->desc->post_write(t, c, (u32)val);
	memset(t->verdicts, 0, sizeof(t->verdicts));
	memset(t->spans, 0, sizeof(t->spans));
}

static const struct mmio_ops tzc_mmio_ops = {
	.read = tzc_mmio_read,
	.write = tzc_mmio_write,
	.sizes = BUS_ACCESS_32,
	.secure_only = true,	/* only the secure world programs the TZC */
};

/**
 * tzc400_filter_of - the filter that sees @addr
 * @t: the controller
 * @addr: physical address; bits above addr_width are not wired, so ignored
 *
 * A TZC-400 has one filter per memory-controller port; the model assumes
 * the interconnect interleaves the ports every 4 KiB.
 */
unsigned int tzc400_filter_of(const struct tzc400 *t, u64 addr)
{
	return (unsigned int)(((addr & t->addr_mask) / TZC400_GRANULE) % t->nr_filters);
}

/*
 * The region that governs @addr on filter @f: the one region 1..n that
 * contains it, region 0 if none does, or -1 (overlap bit set) if several do.
 */
static int tzc_match(struct tzc400 *t, unsigned int f, u64 addr)
{
	unsigned int n, matches = 0;
	int region = 0;

	for (n = 1; n < t->nr_regions; n++) {
		if (!(reg(t, TZC400_REGION_ATTRIBUTES(n)) & BIT(f)))
			continue;
		if (addr < reg64(t, TZC400_REGION_BASE_LOW(n)) ||
		    addr > reg64(t, TZC400_REGION_TOP_LOW(n)))
			continue;
		matches++;
		region = (int)n;
	}
	if (matches <= 1)
		return region;
	cell(t, TZC400_INT_STATUS)->val |= (u32)FIELD_PREP(TZC400_INT_STATUS_OVERLAP, BIT(f));
	return -1;
}

/* Why region @n refuses the transaction, or NULL if it permits it. */
static const char *tzc_permission(const struct tzc400 *t, unsigned int n,
				  const struct bus_master *m, bool write)
{
	u32 attr = reg(t, TZC400_REGION_ATTRIBUTES(n));
	u32 ids = reg(t, TZC400_REGION_ID_ACCESS(n));

	if (m->secure) {
		if (write)
			return attr & TZC400_ATTR_S_WR_EN ? NULL : "secure write not enabled";
		return attr & TZC400_ATTR_S_RD_EN ? NULL : "secure read not enabled";
	}
	assert(m->nsaid < TZC400_NSAID_MAX);
	if (write)
		return ids & TZC400_ID_ACCESS_WR(m->nsaid) ? NULL : "NSAID write not enabled";
	return ids & TZC400_ID_ACCESS_RD(m->nsaid) ? NULL : "NSAID read not enabled";
}

/* A counter track in the trace, so denials line up with the steps that caused them. */
static void tzc_trace_denials(const struct tzc400 *t)
{
	struct sim *s = sim_current();

	if (s)
		trace_counter(sim_trace(s), "tzc denials", sim_now_ns(s), (s64)t->denials);
}

/*
 * Record a denial: the first one per filter fills that filter's FAIL_*
 * registers and sets its status bit; later ones, until INT_CLEAR, only set
 * its overrun bit.
 */
static void tzc_record_failure(struct tzc400 *t, unsigned int f, const struct bus_master *m,
			       u64 addr, bool write)
{
	struct tzc_cell *st = cell(t, TZC400_INT_STATUS);

	t->denials++;
	tzc_trace_denials(t);
	if (st->val & FIELD_PREP(TZC400_INT_STATUS_STATUS, BIT(f))) {
		st->val |= (u32)FIELD_PREP(TZC400_INT_STATUS_OVERRUN, BIT(f));
		return;
	}
	st->val |= (u32)FIELD_PREP(TZC400_INT_STATUS_STATUS, BIT(f));
	cell(t, TZC400_FAIL_ADDRESS_LOW(f))->val = (u32)addr;
	cell(t, TZC400_FAIL_ADDRESS_HIGH(f))->val = (u32)(addr >> 32);
	cell(t, TZC400_FAIL_CONTROL(f))->val = (write ? TZC400_FAIL_CONTROL_WRITE : 0) |
		(m->secure ? 0 : TZC400_FAIL_CONTROL_NONSECURE) |
		(m->privileged ? TZC400_FAIL_CONTROL_PRIVILEGED : 0);
	cell(t, TZC400_FAIL_ID(f))->val = (u32)FIELD_PREP(TZC400_FAIL_ID_ID, m->nsaid);
	tzc_update_irq(t);
}

/* Was @v given for this granule, master and direction (all a verdict depends on)? */
static bool tzc_verdict_for(const struct tzc_verdict *v, u64 granule,
			    const struct bus_master *m, bool write)
{
	return v->valid && v->granule == granule && v->secure == m->secure &&
	       v->write == write && v->nsaid == m->nsaid;
}

static void tzc_allow(struct bus_filter_decision *d, int region)
{
	d->region = region;
	d->allowed = true;
	d->resp = BUS_OKAY;
	d->reason = NULL;
}

/* The bus filter: one transaction, which never crosses a 4 KiB boundary. */
static void tzc_verdict_set(struct tzc_verdict *v, u64 granule, const struct bus_master *m,
			    bool write, int region)
{
	*v = (struct tzc_verdict){ .valid = true, .granule = granule, .secure = m->secure,
				   .write = write, .nsaid = m->nsaid, .region = region };
}

/* The remembered range holding @addr for this master and direction, or NULL. */
static const struct tzc_span *tzc_span_for(const struct tzc400 *t, u64 addr,
					   const struct bus_master *m, bool write)
{
	for (unsigned int i = 0; i < TZC_SPANS; i++) {
		const struct tzc_span *sp = &t->spans[i];

		if (sp->valid && addr >= sp->lo && addr <= sp->hi && sp->secure == m->secure &&
		    sp->write == write && sp->nsaid == m->nsaid)
			return sp;
	}
	return NULL;
}

/*
 * Remember that @addr was allowed through @region: the range around it
 * bounded by the nearest region boundaries of the (only) filter.
 */
static void tzc_span_remember(struct tzc400 *t, u64 addr, const struct bus_master *m,
			      bool write, int region)
{
	u64 lo = 0, hi = t->addr_mask;

	if (t->nr_filters != 1)
		return;
	for (unsigned int n = 1; n < t->nr_regions; n++) {
		u64 base = reg64(t, TZC400_REGION_BASE_LOW(n));
		u64 top = reg64(t, TZC400_REGION_TOP_LOW(n));

		if (!(reg(t, TZC400_REGION_ATTRIBUTES(n)) & BIT(0)))
			continue;
		if (addr < base) {
			hi = MIN(hi, base - 1);
		} else if (addr > top) {
			lo = MAX(lo, top + 1);
		} else {
			lo = MAX(lo, base);
			hi = MIN(hi, top);
		}
	}
	t->spans[t->next_span] = (struct tzc_span){ .valid = true, .lo = lo, .hi = hi,
						    .secure = m->secure, .write = write,
						    .nsaid = m->nsaid, .region = region };
	t->next_span = (t->next_span + 1) % TZC_SPANS;
}

static void tzc_check(void *opaque, const struct bus_master *m, u64 addr, u32 len, bool write,
		      struct bus_filter_decision *d)
{
	const struct tzc_span *sp;
	struct tzc400 *t = opaque;
	struct tzc_verdict *v;
	const char *reason;
	int region = -1;
	unsigned int f;
	u64 granule;

	/* The upper address lines are not wired: everything below sees the truncated address. */
	addr &= t->addr_mask;
	granule = addr / TZC400_GRANULE;
	v = &t->verdicts[granule % TZC_VERDICTS];
	if (tzc_verdict_for(v, granule, m, write)) {
		tzc_allow(d, v->region);
		return;
	}
	sp = tzc_span_for(t, addr, m, write);
	if (sp) {
		tzc_verdict_set(v, granule, m, write, sp->region);
		tzc_allow(d, sp->region);
		return;
	}
	f = tzc400_filter_of(t, addr);
	if (!(reg(t, TZC400_GATE_KEEPER) & FIELD_PREP(TZC400_GATE_KEEPER_OPEN_STATUS, BIT(f)))) {
		reason = "filter gate closed";
	} else {
		region = tzc_match(t, f, addr);
		reason = region < 0 ? "regions overlap" :
				      tzc_permission(t, (unsigned int)region, m, write);
	}
	if (!reason) {
		tzc_verdict_set(v, granule, m, write, region);
		tzc_span_remember(t, addr, m, write, region);
		tzc_allow(d, region);
		return;
	}
	d->region = region;
	d->allowed = false;
	d->resp = reg(t, TZC400_ACTION) & TZC400_ACTION_ERR_BIT ? BUS_DECERR : BUS_OKAY;
	d->reason = reason;
	tzc_record_failure(t, f, m, addr, write);
}

static const struct bus_filter_ops tzc_filter_ops = {
	.check = tzc_check,
};

static int tzc_config(struct tzc400 *t, const struct tzc400_config *cfg,
		      struct secsoc_error *err)
{
	t->nr_regions = cfg && cfg->nr_regions ? cfg->nr_regions : TZC400_REGIONS_MAX;
	t->nr_filters = cfg && cfg->nr_filters ? cfg->nr_filters : 1;
	t->addr_width = cfg && cfg->addr_width ? cfg->addr_width : BUS_PA_BITS;
	if (t->nr_regions > TZC400_REGIONS_MAX)
		return input_error(err, "TZC-400 '%s': %u regions, the TZC-400 has 1 to %d",
				   t->name, t->nr_regions, TZC400_REGIONS_MAX);
	if (t->nr_filters > TZC400_FILTERS_MAX)
		return input_error(err, "TZC-400 '%s': %u filters, the TZC-400 has 1 to %d",
				   t->name, t->nr_filters, TZC400_FILTERS_MAX);
	if (t->addr_width < 32 || t->addr_width > 64)
		return input_error(err, "TZC-400 '%s': address width %u is not in 32..64",
				   t->name, t->addr_width);
	t->addr_mask = t->addr_width == 64 ? ~0ULL : BIT_ULL(t->addr_width) - 1;
	t->filters_mask = BIT(t->nr_filters) - 1;
	return 0;
}

/**
 * tzc400_create - see tzc400.h
 * @bus: the bus to map on and to filter
 * @name: the device name (copied, truncated to 63 characters)
 * @base: register window base
 * @cfg: build configuration, NULL for the defaults
 * @irq: interrupt output, may be NULL
 * @err: the configuration value or overlap at fault
 *
 * Return: the controller in its reset state, or NULL.
 */
struct tzc400 *tzc400_create(struct bus *bus, const char *name, u64 base,
			     const struct tzc400_config *cfg, struct irq_line *irq,
			     struct secsoc_error *err)
{
	struct tzc400 *t = calloc(1, sizeof(*t));

	if (!t) {
		internal_error(err, "TZC-400 '%s': out of memory", name);
		return NULL;
	}
	snprintf(t->name, sizeof(t->name), "%s", name);
	t->irq = irq;
	if (tzc_config(t, cfg, err) ||
	    bus_add_mmio(bus, name, base, TZC400_MMIO_SIZE, &tzc_mmio_ops, t, err)) {
		free(t);
		return NULL;
	}
	tzc_build_cells(t);
	bus_set_filter(bus, &tzc_filter_ops, t);
	return t;
}

/** tzc400_destroy - free @t (may be NULL); the bus must not be used afterwards */
void tzc400_destroy(struct tzc400 *t)
{
	free(t);
}

/**
 * tzc400_reg_name - the name of the register at offset @off, e.g.
 * "REGION_ATTRIBUTES_2" (written into @buf when indexed), or NULL if none
 */
const char *tzc400_reg_name(const struct tzc400 *t, u64 off, char *buf, size_t size)
{
	if (off >= TZC400_MMIO_SIZE || off % 4 || !t->cells[off / 4].desc)
		return NULL;
	return cell_name(&t->cells[off / 4], buf, size);
}

/** tzc400_denials - transactions denied since creation */
u64 tzc400_denials(const struct tzc400 *t)
{
	return t->denials;
}
