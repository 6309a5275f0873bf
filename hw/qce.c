/*
 * qce.c - the Qualcomm Crypto Engine v5 model (include/secsoc/qce.h): its
 * register file, the MMIO handlers with the pipe-lock check, GOPROC,
 * creation and the accessors.
 *
 * Registers are described by a static table (name, offset, instances,
 * kind, reset value, writable bits); creation fills a per-offset index, so
 * every access is one array lookup. The engine's actor and the operation's
 * life are in hw/qce_op.c, what an operation computes in hw/qce_engine.c
 * and hw/qce_hash.c, how data enters and leaves it in hw/qce_port.c.
 * docs/qce.md describes the model.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/cpu.h>
#include <secsoc/trace.h>

#include "hw/qce_internal.h"

enum qce_reg_kind {
	QCE_R_VERSION,	/* read-only, writes ignored without complaint (lock dummy write) */
	QCE_R_RO,
	QCE_R_STATUS,
	QCE_R_GO,
	QCE_R_CFG,	/* configuration: a write while busy is CFG_CHNG_ERR */
	QCE_R_KEY,	/* configuration, write-only */
};

struct qce_reg_desc {
	const char *name;	/* printf format taking the instance number if count > 1 */
	u16 off;
	u8 count;
	u8 kind;		/* enum qce_reg_kind */
	u32 reset;
	u32 wmask;
};

#define R(n, o, k) { .name = n, .off = o, .count = 1, .kind = k, .wmask = ~0u }
#define RN(n, o, c, k) { .name = n, .off = o, .count = c, .kind = k, .wmask = ~0u }
#define R_RESET(n, o, k, r) { .name = n, .off = o, .count = 1, .kind = k, .reset = r, \
			      .wmask = ~0u }

static const struct qce_reg_desc qce_regs[] = {
	R("VERSION", QCE_VERSION, QCE_R_VERSION),
	R("STATUS", QCE_STATUS, QCE_R_STATUS),
	R("STATUS2", QCE_STATUS2, QCE_R_RO),
	R("ENGINES_AVAIL", QCE_ENGINES_AVAIL, QCE_R_RO),
	R("FIFO_SIZES", QCE_FIFO_SIZES, QCE_R_RO),
	R("SEG_SIZE", QCE_SEG_SIZE, QCE_R_CFG),
	R("GOPROC", QCE_GOPROC, QCE_R_GO),
	R("ENCR_SEG_CFG", QCE_ENCR_SEG_CFG, QCE_R_CFG),
	R("ENCR_SEG_SIZE", QCE_ENCR_SEG_SIZE, QCE_R_CFG),
	R("ENCR_SEG_START", QCE_ENCR_SEG_START, QCE_R_CFG),
	RN("CNTR%u_IV", QCE_CNTR_IV(0), 4, QCE_R_CFG),
	R_RESET("CNTR_MASK", QCE_CNTR_MASK, QCE_R_CFG, ~0u),
	RN("ENCR_CCM_INT_CNTR%u", QCE_ENCR_CCM_INT_CNTR(0), 4, QCE_R_CFG),
	{ .name = "ENCR_XTS_DU_SIZE", .off = QCE_ENCR_XTS_DU_SIZE, .count = 1,
	  .kind = QCE_R_CFG, .wmask = QCE_XTS_DU_SIZE_MAX },
	R_RESET("CNTR_MASK2", QCE_CNTR_MASK2, QCE_R_CFG, ~0u),
	R_RESET("CNTR_MASK1", QCE_CNTR_MASK1, QCE_R_CFG, ~0u),
	R_RESET("CNTR_MASK0", QCE_CNTR_MASK0, QCE_R_CFG, ~0u),
	R("AUTH_SEG_CFG", QCE_AUTH_SEG_CFG, QCE_R_CFG),
	R("AUTH_SEG_SIZE", QCE_AUTH_SEG_SIZE, QCE_R_CFG),
	R("AUTH_SEG_START", QCE_AUTH_SEG_START, QCE_R_CFG),
	RN("AUTH_IV%u", QCE_AUTH_IV(0), 16, QCE_R_CFG),
	RN("AUTH_INFO_NONCE%u", QCE_AUTH_INFO_NONCE(0), 4, QCE_R_CFG),
	RN("AUTH_BYTECNT%u", QCE_AUTH_BYTECNT(0), 4, QCE_R_CFG),
	RN("AUTH_EXP_MAC%u", QCE_AUTH_EXP_MAC(0), 8, QCE_R_CFG),
	R("CONFIG", QCE_CONFIG, QCE_R_CFG),
	R("GOPROC_QC_KEY", QCE_GOPROC_QC_KEY, QCE_R_GO),
	R("GOPROC_OEM_KEY", QCE_GOPROC_OEM_KEY, QCE_R_GO),
	RN("ENCR_KEY%u", QCE_ENCR_KEY(0), 8, QCE_R_KEY),
	RN("ENCR_XTS_KEY%u", QCE_ENCR_XTS_KEY(0), 8, QCE_R_KEY),
	RN("AUTH_KEY%u", QCE_AUTH_KEY(0), 16, QCE_R_KEY),
};

/* STATUS bits that stay set until software writes STATUS; the rest are live. */
#define QCE_STATUS_STICKY (QCE_STATUS_SW_ERR | QCE_STATUS_OPERATION_DONE |		\
			   QCE_STATUS_ERR_INTR | QCE_STATUS_OP_DONE_INTR |		\
			   QCE_STATUS_DIN_INTR | QCE_STATUS_DOUT_INTR |			\
			   QCE_STATUS_AXI_ERR | QCE_STATUS_DIN_ERR |			\
			   QCE_STATUS_DOUT_ERR | QCE_STATUS_CFG_CHNG_ERR |		\
			   QCE_STATUS_PIPE_ACTIVE_ERR | QCE_STATUS_ACCESS_VIOL |	\
			   QCE_STATUS_HSD_ERR | QCE_STATUS_MAC_FAILED)

static const struct qce_reg_desc *reg_desc(const struct qce *q, u64 off)
{
	unsigned int i;

	if (off >= QCE_MMIO_SIZE)
		return NULL;
	i = q->reg_index[off / 4];
	return i ? &qce_regs[i - 1] : NULL;
}

static const char *desc_name(const struct qce_reg_desc *d, u64 off, char *buf, size_t size)
{
	if (d->count == 1)
		return d->name;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, size, d->name, (unsigned int)(off - d->off) / 4);
#pragma GCC diagnostic pop
	return buf;
}

static void qce_build_regs(struct qce *q)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qce_regs); i++) {
		const struct qce_reg_desc *d = &qce_regs[i];

		for (unsigned int n = 0; n < d->count; n++) {
			unsigned int w = d->off / 4 + n;

			q->reg_index[w] = (u8)(i + 1);
			q->regs[w] = d->reset;
		}
	}
	q->regs[QCE_VERSION / 4] = q->cfg.version;
	q->regs[QCE_ENGINES_AVAIL / 4] = (u32)FIELD_PREP(QCE_ENGINES_AVAIL_BAM_PIPE_SETS,
							 q->cfg.nr_pipe_pairs);
}

static int qce_lock_owner(const struct qce *q)
{
	return q->bam ? bam_lock_owner_ee(q->bam) : q->lock_ee;
}

static int qce_master_ee(const struct qce *q, const struct bus_master *m)
{
	return q->bam ? bam_master_ee(q->bam, m) : BAM_NO_EE;
}

/** qce_vcd_busy - the "busy" VCD signal follows the operation */
void qce_vcd_busy(struct qce *q, bool busy)
{
	struct vcd *v = sim_vcd(q->sim);

	if (v && q->vcd_busy >= 0)
		vcd_change(v, q->vcd_busy, sim_now_ns(q->sim), busy);
}

static void qce_instant(struct qce *q, const char *name, const char *reg, int ee)
{
	struct trace *t = sim_trace(q->sim);
	char ee_s[12];

	if (!t)
		return;
	snprintf(ee_s, sizeof(ee_s), ee == BAM_NO_EE ? "unknown" : "%d", ee);
	struct trace_arg args[] = { TARG_STR("reg", reg), TARG_STR("ee", ee_s),
				    TARG_U64("op_pair", q->op.state == QCE_IDLE ? 0 : q->op.pair),
				    TARG_END };

	trace_instant(t, q->actor.id, "qce", name, sim_now_ns(q->sim), args);
}

/** qce_set_status - set sticky STATUS bits */
void qce_set_status(struct qce *q, u32 bits)
{
	q->status |= bits & QCE_STATUS_STICKY;
}

/** qce_status_value - STATUS as a read sees it: sticky bits plus the live ones */
u32 qce_status_value(const struct qce *q)
{
	const struct qce_op *op = &q->op;
	u32 v = q->status, din = qce_din_space_now(q), staged = qce_staged(q);

	if (din)
		v |= QCE_STATUS_DIN_RDY;
	if (staged)
		v |= QCE_STATUS_DOUT_RDY;
	if (op->state == QCE_RUNNING && op->kind == QCE_OP_CIPHER)
		v |= QCE_STATUS_ENCR_BUSY;
	if (op->state == QCE_RUNNING && op->kind == QCE_OP_HASH)
		v |= QCE_STATUS_AUTH_BUSY;
	v |= (u32)FIELD_PREP(QCE_STATUS_DIN_SIZE_AVAIL, MIN(din / QCE_AES_BLOCK, 31u));
	v |= (u32)FIELD_PREP(QCE_STATUS_DOUT_SIZE_AVAIL, MIN(staged / QCE_AES_BLOCK, 31u));
	return v;
}

/** qce_status2_value - STATUS2: LOCKED while a pipe holds the BAM lock */
u32 qce_status2_value(const struct qce *q)
{
	return qce_lock_owner(q) != BAM_NO_EE ? QCE_STATUS2_LOCKED : 0;
}

static u32 qce_read_value(const struct qce *q, u64 off, const struct qce_reg_desc *d)
{
	switch (d->kind) {
	case QCE_R_STATUS:
		return qce_status_value(q);
	case QCE_R_GO:
		return 0;	/* GO, CLR_CNTXT and RESULTS_DUMP are self-clearing */
	default:
		break;
	}
	if (off == QCE_STATUS2)
		return qce_status2_value(q);
	return q->regs[off / 4];
}

/** qce_load_be_words - the byte string that @words registers from @off hold */
void qce_load_be_words(const struct qce *q, u32 off, u8 *out, unsigned int words)
{
	for (unsigned int i = 0; i < words; i++)
		qce_put_be32(out + 4 * i, q->regs[off / 4 + i]);
}

/* CPU masters pay for the register access in their step. */
static void qce_charge(const struct qce *q, const struct bus_master *m)
{
	struct cpu *c;

	if (m->kind != BUS_MASTER_CPU)
		return;
	c = cpu_current();
	if (c)
		cpu_add_cost(c, q->cfg.timing.reg_ns);
}

/*
 * While a pipe of one EE holds the BAM lock, a CPU access on behalf of
 * another EE is refused with SLVERR (an external abort on the CPU).
 */
static bool qce_lock_refuses(struct qce *q, const struct bus_master *m, u64 off, bool write)
{
	const struct qce_reg_desc *d;
	int owner, ee;
	char buf[32], where[32];

	if (!q->bam || m->kind != BUS_MASTER_CPU)
		return false;
	owner = bam_lock_owner_ee(q->bam);
	ee = bam_master_ee(q->bam, m);
	if (owner == BAM_NO_EE || ee == owner)
		return false;
	q->access_violations++;
	qce_set_status(q, QCE_STATUS_ACCESS_VIOL);
	d = reg_desc(q, off);
	snprintf(where, sizeof(where), "0x%04llx", (unsigned long long)off);
	sim_guest_error(q->sim, q->name, "%s (EE %d) %s %s while EE %d holds the pipe lock: "
			"external abort", m->name, ee, write ? "writes" : "reads",
			d ? desc_name(d, off, buf, sizeof(buf)) : where, owner);
	qce_instant(q, "access-violation", d ? desc_name(d, off, buf, sizeof(buf)) : where, ee);
	return true;
}

/* Tell the checker: a write at @off by @m lands on an operation in flight. */
static void qce_monitor_busy_write(struct qce *q, u32 off, const struct bus_master *m)
{
	if (q->mon && q->mon->cfg_write_busy)
		q->mon->cfg_write_busy(q->mon_ctx, qce_master_ee(q, m), q->op.ee, off);
}

/* A configuration write, or a GO, while an operation is in flight. */
static void qce_cfg_change(struct qce *q, const struct qce_reg_desc *d, u64 off,
			   const struct bus_master *m)
{
	char buf[32];
	const char *name = desc_name(d, off, buf, sizeof(buf));

	q->cfg_change_errors++;
	qce_set_status(q, QCE_STATUS_CFG_CHNG_ERR | QCE_STATUS_ERR_INTR);
	sim_guest_error(q->sim, q->name, "%s writes %s while the operation on pipe pair %u is in "
			"flight (CFG_CHNG_ERR)", m->name, name, q->op.pair);
	qce_instant(q, "CFG_CHNG_ERR", name, qce_master_ee(q, m));
	qce_monitor_busy_write(q, (u32)off, m);
}


/* GOPROC.CLR_CNTXT: abandon the operation in flight, with no done signal. */
static void qce_clear_context(struct qce *q)
{
	if (q->op.state != QCE_IDLE)
		qce_vcd_busy(q, false);
	q->op.state = QCE_IDLE;
	sim_actor_set_asleep(&q->actor, true);
	q->op.ee = BAM_NO_EE;
	q->cipher.ncarry = 0;
	q->cipher.du_fill = 0;
	qce_stage_drop(q);
}

static void qce_goproc(struct qce *q, const struct qce_reg_desc *d, u64 off, u32 val,
		       const struct bus_master *m)
{
	if ((val & QCE_GOPROC_CLR_CNTXT) && q->op.state != QCE_IDLE) {
		/* Not a CFG_CHNG_ERR, but it destroys the operation in flight. */
		qce_monitor_busy_write(q, (u32)off, m);
		qce_clear_context(q);
	}
	if (!(val & QCE_GOPROC_GO))
		return;
	if (q->op.state != QCE_IDLE) {
		qce_cfg_change(q, d, off, m);	/* the running operation goes on */
		return;
	}
	memset(&q->op, 0, sizeof(q->op));
	q->op.state = QCE_ARMED;
	sim_actor_set_asleep(&q->actor, false);
	q->op.dump = val & QCE_GOPROC_RESULTS_DUMP;
	q->op.hw_key = off != QCE_GOPROC;
	q->op.ee = qce_master_ee(q, m);
	q->op.start_ns = sim_now_ns(q->sim);
	q->status &= ~(QCE_STATUS_OPERATION_DONE | QCE_STATUS_OP_DONE_INTR);
	qce_vcd_busy(q, true);
}

static u64 qce_mmio_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
			 enum bus_resp *resp)
{
	struct qce *q = opaque;
	const struct qce_reg_desc *d = reg_desc(q, off);
	char buf[32];

	qce_charge(q, m);
	if (qce_lock_refuses(q, m, off, false)) {
		*resp = BUS_SLVERR;
		return 0;
	}
	if (!d) {
		sim_guest_error(q->sim, q->name, "%s reads 0x%04llx: no register there, reads as "
				"zero", m->name, (unsigned long long)off);
		return 0;
	}
	if (d->kind == QCE_R_KEY) {
		sim_guest_error(q->sim, q->name, "%s reads %s: keys are write-only, reads as zero",
				m->name, desc_name(d, off, buf, sizeof(buf)));
		return 0;
	}
	return qce_read_value(q, off, d);
}

static void qce_mmio_write(void *opaque, u64 off, u64 val64, unsigned int size,
			   const struct bus_master *m, enum bus_resp *resp)
{
	struct qce *q = opaque;
	const struct qce_reg_desc *d = reg_desc(q, off);
	u32 val = (u32)val64;
	char buf[32];

	qce_charge(q, m);
	if (qce_lock_refuses(q, m, off, true)) {
		*resp = BUS_SLVERR;
		return;
	}
	if (!d) {
		sim_guest_error(q->sim, q->name, "%s writes 0x%08x to 0x%04llx: no register there, "
				"ignored", m->name, val, (unsigned long long)off);
		return;
	}
	switch (d->kind) {
	case QCE_R_VERSION:
		return;
	case QCE_R_RO:
		sim_guest_error(q->sim, q->name, "%s writes 0x%08x to %s: read-only, ignored",
				m->name, val, desc_name(d, off, buf, sizeof(buf)));
		return;
	case QCE_R_STATUS:
		q->status &= val;	/* a 0 clears a sticky bit, a 1 keeps it */
		return;
	case QCE_R_GO:
		qce_goproc(q, d, off, val, m);
		return;
	default:
		break;
	}
	if (q->op.state != QCE_IDLE) {
		qce_cfg_change(q, d, off, m);
		q->op.dirty = true;
	}
	q->regs[off / 4] = (q->regs[off / 4] & ~d->wmask) | (val & d->wmask);
	q->cfg_ee = qce_master_ee(q, m);
}

static const struct mmio_ops qce_mmio_ops = {
	.read = qce_mmio_read,
	.write = qce_mmio_write,
	.sizes = BUS_ACCESS_32,
};

/* ---- creation and accessors ---- */

static int qce_check_config(const struct qce_config *cfg, struct secsoc_error *err)
{
	const char *name = cfg->name ? cfg->name : "qce";

	if (cfg->nr_pipe_pairs < 1 || cfg->nr_pipe_pairs > QCE_PIPE_PAIRS_MAX)
		return input_error(err, "QCE '%s': %u pipe pairs; ENGINES_AVAIL holds 1..%d",
				   name, cfg->nr_pipe_pairs, QCE_PIPE_PAIRS_MAX);
	if (cfg->timing.clock_mhz == 0)
		return input_error(err, "QCE '%s': property 'secsoc,clock-mhz' is 0", name);
	return 0;
}

/**
 * qce_create - see qce.h; the actor is named "qce"
 * @s: the simulation
 * @b: the bus to map the registers on (QCE_MMIO_SIZE bytes at @cfg->base)
 * @bam: the BAM feeding it, or NULL
 * @cfg: copied
 * @err: the configuration value or overlap at fault
 */
struct qce *qce_create(struct sim *s, struct bus *b, struct bam *bam,
		       const struct qce_config *cfg, struct secsoc_error *err)
{
	struct qce *q;

	if (qce_check_config(cfg, err))
		return NULL;
	q = calloc(1, sizeof(*q));
	if (!q) {
		internal_error(err, "QCE: out of memory");
		return NULL;
	}
	q->sim = s;
	q->bus = b;
	q->bam = bam;
	q->cfg = *cfg;
	snprintf(q->name, sizeof(q->name), "%s", cfg->name ? cfg->name : "qce");
	q->cfg.name = q->name;
	q->lock_ee = BAM_NO_EE;
	q->cfg_ee = BAM_NO_EE;
	q->op.ee = BAM_NO_EE;
	q->vcd_busy = -1;
	qce_build_regs(q);
	if (qce_cipher_init(&q->cipher)) {
		internal_error(err, "QCE '%s': OpenSSL has no AES ECB/CBC/CTR/XTS", q->name);
		goto fail;
	}
	if (bus_add_mmio(b, q->name, cfg->base, QCE_MMIO_SIZE, &qce_mmio_ops, q, err))
		goto fail;
	q->actor.name = "qce";
	q->actor.ops = &qce_actor_ops;
	q->actor.priv = q;
	q->actor.asleep = true;		/* idle: see qce_ready() */
	sim_actor_add(s, &q->actor);
	if (sim_vcd(s))
		q->vcd_busy = vcd_var(sim_vcd(s), "qce", "busy", 1);
	if (bam)
		bam_attach(bam, &qce_periph_ops, q);
	return q;
fail:
	qce_cipher_fini(&q->cipher);
	free(q);
	return NULL;
}

/** qce_destroy - free @q (may be NULL); its actor must no longer be stepped */
void qce_destroy(struct qce *q)
{
	if (!q)
		return;
	qce_cipher_fini(&q->cipher);
	qce_port_fini(q);
	free(q);
}

/* See qce.h. */
const struct qce_timing qce_timing_defaults = {
	.clock_mhz = QCE_CLOCK_MHZ_DEFAULT,
	.setup_cycles = QCE_SETUP_CYCLES_DEFAULT,
	.reg_ns = QCE_REG_NS_DEFAULT,
	.aes128_cycles = QCE_AES128_CYCLES_DEFAULT,
	.aes256_cycles = QCE_AES256_CYCLES_DEFAULT,
	.sha1_cycles = QCE_SHA1_CYCLES_DEFAULT,
	.sha256_cycles = QCE_SHA256_CYCLES_DEFAULT,
};

/** qce_busy - see qce.h */
bool qce_busy(const struct qce *q)
{
	return q->op.state != QCE_IDLE;
}

/** qce_op_pair - see qce.h */
int qce_op_pair(const struct qce *q)
{
	return q->op.state == QCE_IDLE || q->op.state == QCE_ARMED ? -1 : (int)q->op.pair;
}

/** qce_op_ee - see qce.h */
int qce_op_ee(const struct qce *q)
{
	return q->op.state == QCE_IDLE ? BAM_NO_EE : q->op.ee;
}

/** qce_config_ee - see qce.h */
int qce_config_ee(const struct qce *q)
{
	return q->cfg_ee;
}

/** qce_access_violations - see qce.h */
u64 qce_access_violations(const struct qce *q)
{
	return q->access_violations;
}

/** qce_cfg_change_errors - see qce.h */
u64 qce_cfg_change_errors(const struct qce *q)
{
	return q->cfg_change_errors;
}

/** qce_ops_done - see qce.h */
u64 qce_ops_done(const struct qce *q)
{
	return q->ops_done;
}

/** qce_ops_failed - see qce.h */
u64 qce_ops_failed(const struct qce *q)
{
	return q->ops_failed;
}

/** qce_reg_peek - see qce.h */
u32 qce_reg_peek(const struct qce *q, u32 off)
{
	const struct qce_reg_desc *d = reg_desc(q, off);

	return d ? qce_read_value(q, off, d) : 0;
}

/** qce_reg_name - see qce.h */
const char *qce_reg_name(u32 off, char *buf, size_t size)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qce_regs); i++) {
		const struct qce_reg_desc *d = &qce_regs[i];

		if (off % 4 == 0 && off >= d->off && off < d->off + 4u * d->count)
			return desc_name(d, off, buf, size);
	}
	return NULL;
}

/** qce_actor - see qce.h */
struct sim_actor *qce_actor(struct qce *q)
{
	return &q->actor;
}

void qce_set_monitor(struct qce *q, const struct qce_monitor_ops *ops, void *ctx)
{
	q->mon = ops;
	q->mon_ctx = ctx;
}
