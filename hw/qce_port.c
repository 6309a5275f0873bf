/*
 * qce_port.c - the crypto engine's side of the BAM peripheral port
 * (struct bam_periph_ops, exported as qce_periph_ops): how much input the
 * engine takes, where its output goes, and the staging buffer that holds
 * output no producer descriptor has room for yet.
 *
 * Output is zero-copy where it can be: the cipher writes straight into the
 * buffer of the descriptor the producer pipe is filling (bam_periph_dst(),
 * or the buffer a test or benchmark lent a detached engine) as long as
 * nothing is staged before it; the rest goes to the staging buffer, which
 * dout_pull drains in order.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/trace.h>

#include "hw/qce_internal.h"

#define QCE_STAGE_MIN (64 * 1024)

static void __attribute__((noreturn, format(printf, 2, 3))) qce_bug(const struct qce *q,
								     const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "secsoc: %s: ", q->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

/** qce_staged - output bytes waiting for the producer pipe */
u32 qce_staged(const struct qce *q)
{
	return q->stage_tail - q->stage_head;
}

/** qce_stage_drop - forget the staged output */
void qce_stage_drop(struct qce *q)
{
	q->stage_head = 0;
	q->stage_tail = 0;
}

/** qce_port_fini - free the port's buffers */
void qce_port_fini(struct qce *q)
{
	free(q->stage);
	q->stage = NULL;
	q->stage_cap = 0;
}

/* Room for @n more staged bytes; bounded by QCE_STAGE_MAX (see its comment). */
static u8 *qce_stage_reserve(struct qce *q, u32 n)
{
	u32 need;

	if (q->stage_head && q->stage_tail + n > q->stage_cap) {
		memmove(q->stage, q->stage + q->stage_head, qce_staged(q));
		q->stage_tail -= q->stage_head;
		q->stage_head = 0;
	}
	need = q->stage_tail + n;
	if (need > QCE_STAGE_MAX)
		qce_bug(q, "%u bytes of staged output exceed the bound of %u", need,
			(u32)QCE_STAGE_MAX);
	if (need > q->stage_cap) {
		u32 cap = MIN(MAX(need, MAX(2 * q->stage_cap, (u32)QCE_STAGE_MIN)),
			      (u32)QCE_STAGE_MAX);
		u8 *p = realloc(q->stage, cap);

		if (!p)
			qce_bug(q, "out of memory for %u bytes of staged output", cap);
		q->stage = p;
		q->stage_cap = cap;
	}
	q->stage_pipe = qce_producer_pipe(q);
	return q->stage + q->stage_tail;
}

/* Where output may be written directly, and how much of it: only while nothing is staged. */
static u8 *qce_out_direct(struct qce *q, u32 *room)
{
	if (qce_staged(q))
		return NULL;
	if (q->bam)
		return bam_periph_dst(q->bam, qce_producer_pipe(q), room);
	if (q->ext_buf && q->ext_used < q->ext_len) {
		*room = q->ext_len - q->ext_used;
		return q->ext_buf + q->ext_used;
	}
	return NULL;
}

static void qce_out_produced(struct qce *q, u32 n)
{
	if (q->bam)
		bam_periph_produced(q->bam, qce_producer_pipe(q), n);
	else
		q->ext_used += n;
}

/* EVP refuses partially overlapping buffers; in place (same address) is fine. */
static bool qce_overlaps(const u8 *in, const u8 *out, u32 n)
{
	return in && in != out && in < out + n && out < in + n;
}

/**
 * qce_out_xform - run @fn over @n input bytes, in pieces of whole @gran
 * bytes, writing the output to the producer's buffer while it has room,
 * the rest to the staging buffer
 */
void qce_out_xform(struct qce *q, const u8 *in, u32 n, u32 gran, qce_xform_fn fn)
{
	while (n) {
		u32 room = 0, m = 0;
		u8 *dst = qce_out_direct(q, &room);

		if (dst)
			m = MIN(n, room - room % gran);
		if (m && !qce_overlaps(in, dst, m)) {
			fn(q, dst, in, m);
			qce_out_produced(q, m);
		} else {
			m = n;
			fn(q, qce_stage_reserve(q, m), in, m);
			q->stage_tail += m;
		}
		q->op.out_bytes += m;
		n -= m;
		if (in)
			in += m;
	}
}

static void qce_zero(struct qce *q, u8 *out, const u8 *in, u32 n)
{
	memset(out, 0, n);
}

/** qce_out_zeros - @n bytes of zeros (output the settings in force cannot compute) */
void qce_out_zeros(struct qce *q, u32 n)
{
	qce_out_xform(q, NULL, n, 1, qce_zero);
}

/**
 * qce_din_space_now - input bytes the operation in flight takes now: at
 * most a chunk, at most what it still expects, none while too much input
 * is unpaid for or too much output is staged; an XTS data unit that starts
 * the push may come whole, so that it is processed in place
 */
u32 qce_din_space_now(const struct qce *q)
{
	const struct qce_op *op = &q->op;
	const struct qce_cipher *c = &q->cipher;
	u32 space;

	if (op->state != QCE_RUNNING || !op->in_left || op->pending >= QCE_PENDING_MAX ||
	    qce_staged(q) >= QCE_STAGE_HIGH)
		return 0;
	space = (u32)MIN((u64)QCE_DIN_CHUNK, QCE_PENDING_MAX - op->pending);
	if (op->kind == QCE_OP_CIPHER && !op->broken && c->mode == QCE_ENCR_MODE_XTS &&
	    c->du_fill == c->du_len && !op->pending)
		space = MAX(space, c->du);
	return MIN(space, op->in_left);
}

static u32 qce_din_space(void *periph, unsigned int pipe)
{
	const struct qce *q = periph;

	return pipe == 2 * q->op.pair ? qce_din_space_now(q) : 0;
}

static void qce_din_push(void *periph, unsigned int pipe, const u8 *data, u32 len, bool eot)
{
	struct qce *q = periph;
	struct qce_op *op = &q->op;
	u32 space = qce_din_space(q, pipe);

	if (len > space) {
		sim_always_failed(q->sim, __FILE__, __LINE__, "len <= space",
				  "%s: %u bytes pushed on pipe %u, which takes %u", q->name, len,
				  pipe, space);
		return;
	}
	if (!len)
		return;
	qce_op_reconfigure(q);
	if (op->kind == QCE_OP_CIPHER)
		qce_cipher_input(q, data, len);
	else if (op->kind == QCE_OP_HASH)
		qce_hash_input(q, data, len);
	op->in_left -= len;
	op->pending += len;
}

static u32 qce_dout_avail(void *periph, unsigned int pipe)
{
	const struct qce *q = periph;

	return pipe == q->stage_pipe ? qce_staged(q) : 0;
}

static u32 qce_dout_pull(void *periph, unsigned int pipe, u8 *dst, u32 len)
{
	struct qce *q = periph;
	u32 n = MIN(len, qce_dout_avail(q, pipe));

	if (!n)
		return 0;
	memcpy(dst, q->stage + q->stage_head, n);
	q->stage_head += n;
	if (q->stage_head == q->stage_tail)
		qce_stage_drop(q);
	return n;
}

static void qce_lock_changed(void *periph, int ee)
{
	struct qce *q = periph;
	struct trace *t = sim_trace(q->sim);
	int was = q->lock_ee;

	/* The holder let go while its own operation still runs (invariant 3). */
	if (was != BAM_NO_EE && was != ee && q->op.state != QCE_IDLE && q->op.ee == was &&
	    q->mon && q->mon->unlock_in_flight)
		q->mon->unlock_in_flight(q->mon_ctx, was);
	q->lock_ee = ee;
	if (t)
		trace_counter(t, "qce lock ee", sim_now_ns(q->sim), ee);
}

/* A reset producer pipe loses what was staged for it. */
static void qce_pipe_reset(void *periph, unsigned int pipe)
{
	struct qce *q = periph;

	if (pipe == q->stage_pipe)
		qce_stage_drop(q);
}

const struct bam_periph_ops qce_periph_ops = {
	.din_space = qce_din_space,
	.din_push = qce_din_push,
	.dout_avail = qce_dout_avail,
	.dout_pull = qce_dout_pull,
	.lock_changed = qce_lock_changed,
	.pipe_reset = qce_pipe_reset,
};

/** qce_set_dout_buffer - see qce.h */
void qce_set_dout_buffer(struct qce *q, u8 *buf, u32 len)
{
	q->ext_buf = buf;
	q->ext_len = buf ? len : 0;
	q->ext_used = 0;
}

/** qce_dout_buffer_used - see qce.h */
u32 qce_dout_buffer_used(const struct qce *q)
{
	return q->ext_used;
}
