/*
 * bam.c - the BAM register file, its interrupts and the pipe lock
 * (include/secsoc/bam.h). The pipes' descriptor processing lives in
 * hw/bam_pipe.c, the per-version layouts in hw/bam_regs.c.
 *
 * Every MMIO access is decoded through the version's layout table; an
 * offset with no register is a guest error (QEMU's LOG_GUEST_ERROR) and
 * reads as zero. The registers of a pipe that belongs to a secure EE
 * answer only secure masters, and P_TRUST_REG (which assigns pipes to EEs)
 * only the secure world: docs/model-assumptions.md explains why.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bam_internal.h"

static bool pipe_is_secure(const struct bam *bam, const struct bam_pipe *p)
{
	return bam->cfg.secure_ees & BIT(FIELD_GET(BAM_P_TRUST_EE, p->trust));
}

/* ---- interrupts ---- */

/* IRQ_SRCS_UNMASKED: a bit per pipe with an enabled status bit, bit 31 for the BAM. */
static u32 irq_sources(const struct bam *bam, int ee)
{
	u32 srcs = (bam->irq_stts & bam->irq_en) ? BAM_IRQ_SRCS_BAM : 0;

	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++) {
		const struct bam_pipe *p = &bam->pipes[i];

		if (ee >= 0 && FIELD_GET(BAM_P_TRUST_EE, p->trust) != (u32)ee)
			continue;
		if (p->irq_stts & p->irq_en)
			srcs |= BIT(i);
	}
	return srcs;
}

/*
 * Every EE's IRQ_SRCS_UNMASKED in one pass over the pipes (a pipe counts
 * for the EE of its P_TRUST_REG): this runs on every interrupt change.
 */
_Static_assert(BAM_P_TRUST_EE < BAM_EES_MAX, "P_TRUST_REG's EE field indexes srcs[]");

static void irq_sources_per_ee(const struct bam *bam, u32 srcs[BAM_EES_MAX])
{
	u32 global = (bam->irq_stts & bam->irq_en) ? BAM_IRQ_SRCS_BAM : 0;

	for (unsigned int ee = 0; ee < BAM_EES_MAX; ee++)
		srcs[ee] = global;
	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++) {
		const struct bam_pipe *p = &bam->pipes[i];

		if (p->irq_stts & p->irq_en)
			srcs[FIELD_GET(BAM_P_TRUST_EE, p->trust)] |= BIT(i);
	}
}

void bam_update_irqs(struct bam *bam)
{
	u32 srcs[BAM_EES_MAX];

	irq_sources_per_ee(bam, srcs);
	for (unsigned int ee = 0; ee < bam->cfg.nr_ees; ee++) {
		bool level = srcs[ee] & bam->irq_srcs_msk_ee[ee];

		if (level == bam->ee_level[ee])
			continue;
		bam->ee_level[ee] = level;
		if (bam->ee_irq[ee])
			irq_line_set(bam->ee_irq[ee], level);
	}
}

void bam_raise_global(struct bam *bam, u32 bits)
{
	bam->irq_stts |= bits;
	bam_update_irqs(bam);
}

void bam_set_ee_irq(struct bam *bam, unsigned int ee, struct irq_line *line)
{
	always(ee < bam->cfg.nr_ees, "%s: EE %u does not exist", bam->name, ee);
	bam->ee_irq[ee] = line;
	bam->ee_level[ee] = false;
	bam_update_irqs(bam);
}

/* ---- the pipe lock ---- */

void bam_set_lock(struct bam *bam, int pipe)
{
	struct trace *t = sim_trace(bam->sim);
	struct vcd *v = sim_vcd(bam->sim);
	int ee = pipe < 0 ? BAM_NO_EE : (int)bam_pipe_ee(bam, (unsigned int)pipe);
	char counter[96];

	bam_lock_note_change(bam, pipe);
	bam->lock_pipe = pipe;
	if (pipe >= 0)
		bam->lock_group = bam_pipe_lock_group(&bam->pipes[pipe]);
	if (t) {
		snprintf(counter, sizeof(counter), "%s lock owner EE", bam->name);
		trace_counter(t, counter, sim_now_ns(bam->sim), ee);
	}
	if (v && bam->vcd_lock >= 0)
		vcd_change(v, bam->vcd_lock, sim_now_ns(bam->sim), (u64)(ee + 1));
	if (bam->periph_ops && bam->periph_ops->lock_changed)
		bam->periph_ops->lock_changed(bam->periph, ee);
}

int bam_lock_owner_pipe(const struct bam *bam)
{
	return bam->lock_pipe;
}

int bam_lock_owner_ee(const struct bam *bam)
{
	return bam->lock_pipe < 0 ? BAM_NO_EE : (int)bam_pipe_ee(bam, (unsigned int)bam->lock_pipe);
}

/* ---- global reset ---- */

static void bam_reset_all(struct bam *bam)
{
	bam->desc_cnt_trshld = 4;
	bam->irq_stts = 0;
	bam->irq_en = 0;
	bam->cnfg_bits = BAM_CNFG_BITS_DEFAULT;
	bam->irq_srcs_msk = 0;
	memset(bam->irq_srcs_msk_ee, 0, sizeof(bam->irq_srcs_msk_ee));
	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++)
		bam_pipe_reset(&bam->pipes[i]);
	bam_update_irqs(bam);
}

/* ---- register reads ---- */

static u32 read_global(const struct bam *bam, enum bam_reg reg, unsigned int ee)
{
	switch (reg) {
	case BAM_CTRL:
		return bam->ctrl;
	case BAM_REVISION:
		return (u32)(FIELD_PREP(BAM_REVISION_REV, bam_version_revision(bam->cfg.version)) |
			     FIELD_PREP(BAM_REVISION_NUM_EES, bam->cfg.nr_ees) |
			     BAM_REVISION_CMD_DESC_EN);
	case BAM_NUM_PIPES:
		return (u32)FIELD_PREP(BAM_NUM_PIPES_PIPES, bam->cfg.nr_pipes);
	case BAM_DESC_CNT_TRSHLD:
		return bam->desc_cnt_trshld;
	case BAM_IRQ_SRCS:
		return irq_sources(bam, -1) & bam->irq_srcs_msk;
	case BAM_IRQ_SRCS_MSK:
		return bam->irq_srcs_msk;
	case BAM_IRQ_SRCS_UNMASKED:
		return irq_sources(bam, -1);
	case BAM_IRQ_STTS:
		return bam->irq_stts;
	case BAM_IRQ_EN:
		return bam->irq_en;
	case BAM_CNFG_BITS:
		return bam->cnfg_bits;
	case BAM_IRQ_SRCS_EE:
		return irq_sources(bam, (int)ee) & bam->irq_srcs_msk_ee[ee];
	case BAM_IRQ_SRCS_MSK_EE:
		return bam->irq_srcs_msk_ee[ee];
	default:	/* IRQ_CLR is write-only */
		sim_guest_error(bam->sim, bam->name, "read of write-only register %s",
				bam_reg_name(reg));
		return 0;
	}
}

static u32 read_pipe(const struct bam *bam, enum bam_reg reg, const struct bam_pipe *p)
{
	switch (reg) {
	case BAM_P_CTRL:
		return p->ctrl;
	case BAM_P_RST:
		return p->in_reset;
	case BAM_P_HALT:
		return p->halt | (p->error || (p->halt & BAM_P_HALT_HALT) ?
				  BAM_P_HALT_PROD_HALTED : 0);
	case BAM_P_IRQ_STTS:
		return p->irq_stts;
	case BAM_P_IRQ_EN:
		return p->irq_en;
	case BAM_P_TRUST_REG:
		return p->trust;
	case BAM_P_EVNT_REG:
		return p->evnt_reg;
	case BAM_P_SW_OFSTS:
		return p->sw_ofsts;
	case BAM_P_DATA_FIFO_ADDR:
		return p->data_fifo_addr;
	case BAM_P_DESC_FIFO_ADDR:
		return p->desc_fifo_addr;
	case BAM_P_EVNT_GEN_TRSHLD:
		return p->evnt_gen_trshld;
	case BAM_P_FIFO_SIZES:
		return p->fifo_sizes;
	case BAM_P_EVNT_DEST_ADDR:
		return p->evnt_dest_addr;
	default:	/* P_IRQ_CLR is write-only */
		sim_guest_error(bam->sim, bam->name, "read of write-only register %s(%u)",
				bam_reg_name(reg), p->id);
		return 0;
	}
}

/* ---- register writes ---- */

static void write_ctrl(struct bam *bam, u32 val)
{
	bool was_reset = bam->ctrl & BAM_CTRL_SW_RST;

	bam->ctrl = val;
	if ((val & BAM_CTRL_SW_RST) && !was_reset)
		bam_reset_all(bam);
}

static void write_global(struct bam *bam, enum bam_reg reg, unsigned int ee, u32 val)
{
	switch (reg) {
	case BAM_CTRL:
		write_ctrl(bam, val);
		return;
	case BAM_DESC_CNT_TRSHLD:
		bam->desc_cnt_trshld = val & 0xffff;
		return;
	case BAM_IRQ_SRCS_MSK:
		bam->irq_srcs_msk = val;
		return;
	case BAM_IRQ_CLR:
		bam->irq_stts &= ~val;
		break;
	case BAM_IRQ_EN:
		bam->irq_en = val;
		break;
	case BAM_CNFG_BITS:
		bam->cnfg_bits = val;
		return;
	case BAM_IRQ_SRCS_MSK_EE:
		bam->irq_srcs_msk_ee[ee] = val;
		break;
	default:
		sim_guest_error(bam->sim, bam->name, "write of 0x%08x to read-only register %s",
				val, bam_reg_name(reg));
		return;
	}
	bam_update_irqs(bam);
}

static void write_trust(struct bam *bam, struct bam_pipe *p, u32 val,
			const struct bus_master *m, enum bus_resp *resp)
{
	u32 ee = FIELD_GET(BAM_P_TRUST_EE, val);

	if (!m->secure) {
		sim_guest_error(bam->sim, bam->name, "non-secure write to P_TRUST_REG(%u) by %s "
				"refused", p->id, m->name);
		*resp = BUS_SLVERR;
		return;
	}
	if (ee >= bam->cfg.nr_ees) {
		sim_guest_error(bam->sim, bam->name, "P_TRUST_REG(%u): EE %u does not exist "
				"(the BAM has %u); write ignored", p->id, ee, bam->cfg.nr_ees);
		return;
	}
	p->trust = val & BAM_P_TRUST_EE;
	p->master.secure = pipe_is_secure(bam, p);
	if (bam->lock_pipe == (int)p->id)
		bam_set_lock(bam, bam->lock_pipe);	/* the holder's EE changed */
	bam_update_irqs(bam);
}

static void write_rst(struct bam_pipe *p, u32 val)
{
	bool hold = val & BAM_P_RST_RESET;

	if (hold && !p->in_reset)
		bam_pipe_reset(p);
	p->in_reset = hold;
}

static void write_pipe_reg(struct bam *bam, enum bam_reg reg, struct bam_pipe *p, u32 val,
			   const struct bus_master *m, enum bus_resp *resp)
{
	switch (reg) {
	case BAM_P_CTRL:
		p->ctrl = val;
		return;
	case BAM_P_RST:
		write_rst(p, val);
		break;
	case BAM_P_HALT:
		p->halt = val & BAM_P_HALT_HALT;
		return;
	case BAM_P_IRQ_CLR:
		p->irq_stts &= ~val;
		break;
	case BAM_P_IRQ_EN:
		p->irq_en = val;
		break;
	case BAM_P_TRUST_REG:
		write_trust(bam, p, val, m, resp);
		return;
	case BAM_P_EVNT_REG:
		bam_pipe_post(p, val);
		return;
	case BAM_P_DATA_FIFO_ADDR:
		p->data_fifo_addr = val;
		return;
	case BAM_P_DESC_FIFO_ADDR:
		p->desc_fifo_addr = val;
		return;
	case BAM_P_EVNT_GEN_TRSHLD:
		p->evnt_gen_trshld = val;
		return;
	case BAM_P_FIFO_SIZES:
		p->fifo_sizes = val;
		return;
	case BAM_P_EVNT_DEST_ADDR:
		p->evnt_dest_addr = val;
		return;
	default:
		sim_guest_error(bam->sim, bam->name, "write of 0x%08x to read-only register "
				"%s(%u)", val, bam_reg_name(reg), p->id);
		return;
	}
	bam_update_irqs(bam);
}

/* A write may post descriptors (P_EVNT_REG) or reset the pipe: wake it if so. */
static void write_pipe(struct bam *bam, enum bam_reg reg, struct bam_pipe *p, u32 val,
		       const struct bus_master *m, enum bus_resp *resp)
{
	write_pipe_reg(bam, reg, p, val, m, resp);
	bam_pipe_update_sleep(p);
}

/* ---- MMIO ---- */

/*
 * bam_reg_decode() searches the version's table; drivers hit the same few
 * offsets over and over, so the answers are remembered (a direct-mapped
 * cache keyed by offset: the layout, pipe and EE counts never change).
 */
static unsigned int decode_slot(u32 off)
{
	return (off * 2654435761u) >> (32 - BAM_DECODE_CACHE_BITS);
}

static bool decode_reg(struct bam *bam, u32 off, enum bam_reg *reg, unsigned int *index)
{
	struct bam_decode_slot *slot = &bam->decode_cache[decode_slot(off)];

	if (slot->valid && slot->off == off) {
		*reg = (enum bam_reg)slot->reg;
		*index = slot->index;
		return true;
	}
	if (!bam_reg_decode(bam->cfg.version, off, bam->cfg.nr_pipes, bam->cfg.nr_ees, reg,
			    index))
		return false;
	*slot = (struct bam_decode_slot){
		.off = off, .reg = (u8)*reg, .index = (u8)*index, .valid = true,
	};
	return true;
}

/*
 * Decode @off, and refuse the registers of a secure EE's pipe to non-secure
 * masters. Return: false when the access must not reach a register.
 */
static bool decode_access(struct bam *bam, u64 off, bool write, const struct bus_master *m,
			  enum bam_reg *reg, unsigned int *index, enum bus_resp *resp)
{
	if (!decode_reg(bam, (u32)off, reg, index)) {
		sim_guest_error(bam->sim, bam->name, "%s of unimplemented register at offset "
				"0x%05llx by %s", write ? "write" : "read",
				(unsigned long long)off, m->name);
		return false;
	}
	if (bam_reg_is_pipe(*reg) && *reg != BAM_P_TRUST_REG && !m->secure &&
	    pipe_is_secure(bam, &bam->pipes[*index])) {
		sim_guest_error(bam->sim, bam->name, "non-secure %s of %s(%u) by %s refused: the "
				"pipe belongs to secure EE %u", write ? "write" : "read",
				bam_reg_name(*reg), *index, m->name,
				bam_pipe_ee(bam, *index));
		*resp = BUS_SLVERR;
		return false;
	}
	return true;
}

static u64 bam_mmio_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
			 enum bus_resp *resp)
{
	struct bam *bam = opaque;
	enum bam_reg reg;
	unsigned int index;

	if (!decode_access(bam, off, false, m, &reg, &index, resp))
		return 0;
	if (bam_reg_is_pipe(reg))
		return read_pipe(bam, reg, &bam->pipes[index]);
	return read_global(bam, reg, index);
}

static void bam_mmio_write(void *opaque, u64 off, u64 val, unsigned int size,
			   const struct bus_master *m, enum bus_resp *resp)
{
	struct bam *bam = opaque;
	enum bam_reg reg;
	unsigned int index;

	if (!decode_access(bam, off, true, m, &reg, &index, resp))
		return;
	if (bam_reg_is_pipe(reg))
		write_pipe(bam, reg, &bam->pipes[index], (u32)val, m, resp);
	else
		write_global(bam, reg, index, (u32)val);
}

static const struct mmio_ops bam_mmio_ops = {
	.read = bam_mmio_read,
	.write = bam_mmio_write,
	.sizes = BUS_ACCESS_32,
};

/* ---- creation ---- */

static int check_config(const struct bam_config *cfg, struct secsoc_error *err)
{
	if (cfg->version >= BAM_NR_VERSIONS)
		return input_error(err, "%s: unknown BAM version %d", cfg->name, cfg->version);
	if (cfg->nr_pipes < 1 || cfg->nr_pipes > BAM_PIPES_MAX)
		return input_error(err, "%s: %u pipes; a BAM has 1..%u", cfg->name,
				   cfg->nr_pipes, BAM_PIPES_MAX);
	if (cfg->nr_ees < 1 || cfg->nr_ees > BAM_EES_MAX)
		return input_error(err, "%s: %u execution environments; a BAM has 1..%u",
				   cfg->name, cfg->nr_ees, BAM_EES_MAX);
	if (cfg->reset_ee >= cfg->nr_ees)
		return input_error(err, "%s: EE %u does not exist (the BAM has %u EEs)",
				   cfg->name, cfg->reset_ee, cfg->nr_ees);
	if (cfg->nsaid > 15)
		return input_error(err, "%s: NSAID %u is not 0..15", cfg->name, cfg->nsaid);
	return 0;
}

/* The highest register offset of the layout must fit the MMIO window. */
static int check_window(const struct bam_config *cfg, struct secsoc_error *err)
{
	u32 top = 0;

	for (unsigned int r = 0; r < BAM_NR_REGS; r++) {
		bool per_ee = r == BAM_IRQ_SRCS_EE || r == BAM_IRQ_SRCS_MSK_EE;
		unsigned int last = per_ee ? cfg->nr_ees - 1 : cfg->nr_pipes - 1;
		u32 off = bam_reg_is_pipe((enum bam_reg)r) ?
			  bam_reg_offset(cfg->version, (enum bam_reg)r, last, 0) :
			  bam_reg_offset(cfg->version, (enum bam_reg)r, 0, per_ee ? last : 0);

		top = MAX(top, off + 4);
	}
	if (cfg->size < top)
		return input_error(err, "%s: register window of 0x%llx bytes is too small for "
				   "%u pipes and %u EEs in the v%s layout (needs 0x%x)", cfg->name,
				   (unsigned long long)cfg->size, cfg->nr_pipes, cfg->nr_ees,
				   bam_version_name(cfg->version), top);
	return 0;
}

static void init_pipe(struct bam *bam, unsigned int i)
{
	struct bam_pipe *p = &bam->pipes[i];

	p->bam = bam;
	p->id = i;
	snprintf(p->name, sizeof(p->name), "%s/pipe%u", bam->name, i);
	p->master = (struct bus_master){
		.name = p->name, .kind = BUS_MASTER_DEVICE, .nsaid = bam->cfg.nsaid,
	};
	p->actor = (struct sim_actor){ .name = p->name, .ops = &bam_pipe_actor_ops, .priv = p };
	p->trust = (u32)FIELD_PREP(BAM_P_TRUST_EE, bam->cfg.reset_ee);
	p->master.secure = pipe_is_secure(bam, p);
	p->vcd_busy = -1;
	bam_pipe_reset(p);
	sim_actor_add(bam->sim, &p->actor);
}

static void declare_vcd(struct bam *bam)
{
	struct vcd *v = sim_vcd(bam->sim);

	bam->vcd_lock = -1;
	if (!v)
		return;
	/* Lock owner as EE + 1, so that 0 means "free". */
	bam->vcd_lock = vcd_var(v, bam->name, "lock_owner_ee_plus1", 4);
	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++) {
		char var[24];

		snprintf(var, sizeof(var), "pipe%u_busy", i);
		bam->pipes[i].vcd_busy = vcd_var(v, bam->name, var, 1);
	}
}

struct bam *bam_create(struct sim *s, struct bus *b, const struct bam_config *cfg,
		       struct secsoc_error *err)
{
	struct bam *bam;

	if (check_config(cfg, err) || check_window(cfg, err))
		return NULL;
	bam = calloc(1, sizeof(*bam));
	if (!bam) {
		internal_error(err, "%s: out of memory", cfg->name);
		return NULL;
	}
	bam->cfg = *cfg;
	snprintf(bam->name, sizeof(bam->name), "%s", cfg->name);
	bam->cfg.name = bam->name;
	bam->sim = s;
	bam->bus = b;
	bam->lock_pipe = -1;
	if (bus_add_mmio(b, bam->name, cfg->base, cfg->size, &bam_mmio_ops, bam, err)) {
		free(bam);
		return NULL;
	}
	for (unsigned int i = 0; i < cfg->nr_pipes; i++)
		init_pipe(bam, i);
	declare_vcd(bam);
	bam_reset_all(bam);
	return bam;
}

void bam_destroy(struct bam *bam)
{
	if (!bam)
		return;
	for (unsigned int i = 0; i < bam->cfg.nr_pipes; i++)
		free(bam->pipes[i].bounce);
	free(bam);
}

const struct bam_config *bam_config(const struct bam *bam)
{
	return &bam->cfg;
}

void bam_attach(struct bam *bam, const struct bam_periph_ops *ops, void *periph)
{
	bam->periph_ops = ops;
	bam->periph = periph;
}

/* ---- introspection ---- */

unsigned int bam_pipe_ee(const struct bam *bam, unsigned int pipe)
{
	return FIELD_GET(BAM_P_TRUST_EE, bam->pipes[pipe].trust);
}

int bam_master_ee(const struct bam *bam, const struct bus_master *m)
{
	if (m->kind == BUS_MASTER_CPU) {
		if (!m->secure)
			return (int)bam->cfg.reset_ee;
		for (unsigned int ee = 0; ee < bam->cfg.nr_ees; ee++)
			if (bam->cfg.secure_ees & BIT(ee))
				return (int)ee;
		return BAM_NO_EE;
	}
	/* Asked for every register access the peripheral checks: no search. */
	uintptr_t first = (uintptr_t)&bam->pipes[0].master, at = (uintptr_t)m;
	size_t i = (at - first) / sizeof(bam->pipes[0]);

	if (at >= first && i < bam->cfg.nr_pipes && m == &bam->pipes[i].master)
		return (int)bam_pipe_ee(bam, (unsigned int)i);
	return BAM_NO_EE;
}

const struct bus_master *bam_pipe_master(const struct bam *bam, unsigned int pipe)
{
	return &bam->pipes[pipe].master;
}

const char *bam_pipe_error(const struct bam *bam, unsigned int pipe)
{
	return bam->pipes[pipe].error_msg;
}

u64 bam_pipe_retired(const struct bam *bam, unsigned int pipe)
{
	return bam->pipes[pipe].retired;
}

struct sim_actor *bam_pipe_actor(struct bam *bam, unsigned int pipe)
{
	return &bam->pipes[pipe].actor;
}
