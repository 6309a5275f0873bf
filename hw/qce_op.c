/*
 * qce_op.c - the crypto engine's actor and the life of an operation: the
 * setup step after GO (settings checked and taken), compute steps that pay
 * for the input the port took, the finish step (final digest, IV
 * write-back, OPERATION_DONE, the result dump) and "done" once all output
 * has left the engine, which is what lets an NWD descriptor of the BAM go
 * on. Nothing here runs inside a register write.
 */
#include <stdio.h>
#include <string.h>

#include <secsoc/trace.h>

#include "hw/qce_internal.h"

static u64 qce_cycles_ns(const struct qce *q, u64 cycles)
{
	u64 mhz = q->cfg.timing.clock_mhz;

	return (cycles * 1000 + mhz - 1) / mhz;
}

/** qce_op_fail - the operation's settings are unusable: SW_ERR, and say why */
void qce_op_fail(struct qce *q, const char *why)
{
	qce_set_status(q, QCE_STATUS_SW_ERR | QCE_STATUS_ERR_INTR);
	q->ops_failed++;
	sim_guest_error(q->sim, q->name, "operation on pipe pair %u refused (SW_ERR): %s",
			q->op.pair, why);
}

/* The setup step: take SEG_SIZE, the pipe pair and the settings; refuse bad ones. */
static u64 qce_step_setup(struct qce *q)
{
	struct qce_op *op = &q->op;
	enum qce_kind kind = QCE_OP_DISCARD;
	const char *why = NULL;
	char buf[64];

	op->pair = FIELD_GET(QCE_CONFIG_PIPE_SET_SELECT, qce_rd(q, QCE_CONFIG));
	op->seg_size = qce_rd(q, QCE_SEG_SIZE);
	op->in_left = op->seg_size;
	op->dirty = false;
	if (op->pair >= q->cfg.nr_pipe_pairs) {
		/* No pipe can feed or drain it: it ends at once, without a dump. */
		snprintf(buf, sizeof(buf), "PIPE_SET_SELECT %u, but the engine has %u pipe pairs",
			 op->pair, q->cfg.nr_pipe_pairs);
		why = buf;
		op->in_left = 0;
		op->dump = false;
	} else if (op->hw_key) {
		why = "hardware keys (GOPROC_QC_KEY, GOPROC_OEM_KEY) are not modelled";
	} else {
		why = qce_op_check(q, &kind);
	}
	if (!why && kind == QCE_OP_CIPHER)
		why = qce_cipher_start(q);
	else if (!why && kind == QCE_OP_HASH)
		why = qce_hash_start(q);
	op->kind = why ? QCE_OP_DISCARD : kind;
	/* Only labels and the trace show the name: formatting it costs more than the step. */
	if (!sim_trace(q->sim))
		op->alg[0] = '\0';
	else if (op->kind == QCE_OP_CIPHER)
		qce_cipher_name(q, op->alg, sizeof(op->alg));
	else if (op->kind == QCE_OP_HASH)
		qce_hash_name(q, op->alg, sizeof(op->alg));
	else
		snprintf(op->alg, sizeof(op->alg), "refused");
	if (why)
		qce_op_fail(q, why);
	op->state = QCE_RUNNING;
	sim_actor_label(&q->actor, "setup %s, %u bytes, pair %u", op->alg, op->seg_size, op->pair);
	return qce_cycles_ns(q, q->cfg.timing.setup_cycles);
}

/* Pay for the input taken since the last step. */
static u64 qce_step_compute(struct qce *q)
{
	struct qce_op *op = &q->op;
	u64 blocks = (op->pending + QCE_AES_BLOCK - 1) / QCE_AES_BLOCK;
	u32 per_block = 1;

	if (op->kind == QCE_OP_CIPHER)
		per_block = qce_cipher_cycles(q);
	else if (op->kind == QCE_OP_HASH)
		per_block = qce_hash_cycles(q);
	sim_actor_label(&q->actor, "%s %llu bytes", op->alg, (unsigned long long)op->pending);
	op->pending = 0;
	return qce_cycles_ns(q, blocks * per_block);
}

static void qce_copy(struct qce *q, u8 *out, const u8 *in, u32 n)
{
	memcpy(out, in, n);
}

/* The result dump: words in the order of struct qce_result_dump, zero padded. */
static void qce_emit_dump(struct qce *q)
{
	u8 buf[QCE_RESULT_DUMP_BYTES] = { 0 };
	u32 words[sizeof(struct qce_result_dump) / 4];
	bool le = qce_rd(q, QCE_CONFIG) & QCE_CONFIG_LITTLE_ENDIAN_MODE;
	unsigned int i, n = 0;

	for (i = 0; i < 16; i++)
		words[n++] = qce_rd(q, QCE_AUTH_IV(i));
	for (i = 0; i < 4; i++)
		words[n++] = qce_rd(q, QCE_AUTH_BYTECNT(i));
	for (i = 0; i < 4; i++)
		words[n++] = qce_rd(q, QCE_CNTR_IV(i));
	words[n++] = qce_status_value(q);
	words[n++] = qce_status2_value(q);
	for (i = 0; i < n; i++) {
		if (le)
			qce_put_be32(buf + 4 * i, words[i]);	/* docs/qce.md: byte order */
		else
			qce_put_le32(buf + 4 * i, words[i]);
	}
	qce_out_xform(q, buf, sizeof(buf), 1, qce_copy);
}

static void qce_trace_op(struct qce *q)
{
	struct trace *t = sim_trace(q->sim);
	const struct qce_op *op = &q->op;
	char ee[12];

	if (!t)
		return;
	snprintf(ee, sizeof(ee), op->ee == BAM_NO_EE ? "unknown" : "%d", op->ee);
	struct trace_arg args[] = { TARG_STR("ee", ee), TARG_U64("pipe_pair", op->pair),
				    TARG_U64("length", op->seg_size),
				    TARG_U64("out_bytes", op->out_bytes),
				    TARG_HEX("status", q->status), TARG_END };

	trace_slice(t, q->actor.id, "qce", op->alg, op->start_ns,
		    sim_now_ns(q->sim) - op->start_ns, args);
}

/* "Done": everything the operation produced, the dump included, has left the engine. */
static void qce_op_done(struct qce *q)
{
	struct qce_op *op = &q->op;

	qce_trace_op(q);
	op->state = QCE_IDLE;
	q->ops_done++;
	qce_vcd_busy(q, false);
	if (q->bam && op->pair < q->cfg.nr_pipe_pairs)
		bam_periph_done(q->bam, 2 * op->pair);
}

/**
 * qce_op_reconfigure - configuration was written while the operation ran:
 * it takes effect now, for the rest of the operation (docs/qce.md)
 */
void qce_op_reconfigure(struct qce *q)
{
	if (!q->op.dirty)
		return;
	q->op.dirty = false;
	if (q->op.kind == QCE_OP_CIPHER)
		qce_cipher_reconfigure(q);
	else if (q->op.kind == QCE_OP_HASH)
		qce_hash_reconfigure(q);
}

/* All input is in: final digest, IV write-back, OPERATION_DONE, the dump. */
static u64 qce_step_finish(struct qce *q)
{
	struct qce_op *op = &q->op;
	u64 cycles = 0;

	qce_op_reconfigure(q);
	if (op->kind == QCE_OP_CIPHER) {
		qce_cipher_finish(q);
	} else if (op->kind == QCE_OP_HASH) {
		qce_hash_finish(q);
		cycles = (u64)qce_hash_cycles(q) * (QCE_SHA_BLOCK / QCE_AES_BLOCK);
	}
	qce_set_status(q, QCE_STATUS_OPERATION_DONE | QCE_STATUS_OP_DONE_INTR);
	op->state = QCE_DRAINING;	/* before the dump: its STATUS shows no busy bit */
	if (op->dump)
		qce_emit_dump(q);
	sim_actor_label(&q->actor, "finish %s", op->alg);
	if (!qce_staged(q))
		qce_op_done(q);
	return qce_cycles_ns(q, cycles);
}

/*
 * An idle engine is never ready, and it leaves idle only through GO (and
 * its own steps): it sleeps meanwhile, so the kernel does not ask it every
 * round (host speed; qce.c wakes it).
 */
static bool qce_ready(struct sim_actor *a)
{
	const struct qce *q = a->priv;

	switch (q->op.state) {
	case QCE_ARMED:
		return true;
	case QCE_RUNNING:
		return q->op.pending || !q->op.in_left;
	case QCE_DRAINING:
		return !qce_staged(q);
	default:
		return false;
	}
}

static u64 qce_step_one(struct qce *q)
{
	switch (q->op.state) {
	case QCE_ARMED:
		return qce_step_setup(q);
	case QCE_RUNNING:
		return q->op.pending ? qce_step_compute(q) : qce_step_finish(q);
	case QCE_DRAINING:
		sim_actor_label(&q->actor, "done %s", q->op.alg);
		qce_op_done(q);
		return 0;
	default:
		sim_always_failed(q->sim, __FILE__, __LINE__, "qce_ready(a)",
				  "%s stepped while idle", q->name);
		return 0;
	}
}

static u64 qce_step(struct sim_actor *a)
{
	struct qce *q = a->priv;
	u64 cost = qce_step_one(q);

	sim_actor_set_asleep(a, q->op.state == QCE_IDLE);
	return cost;
}

static u64 qce_state_hash(const struct sim_actor *a)
{
	const struct qce *q = a->priv;
	u64 h = SIM_HASH_INIT;

	h = sim_hash_mix(h, q->op.state);
	h = sim_hash_mix(h, q->cfg_ee + 1);
	if (q->op.state == QCE_IDLE)
		return h;
	h = sim_hash_mix(h, q->op.pair);
	h = sim_hash_mix(h, (u64)(q->op.ee + 1));
	h = sim_hash_mix(h, q->op.in_left);
	h = sim_hash_mix(h, q->op.pending);
	return sim_hash_mix(h, qce_staged(q));
}

const struct sim_actor_ops qce_actor_ops = {
	.ready = qce_ready,
	.step = qce_step,
	.state_hash = qce_state_hash,
	.state_hash_complete = true,
};
