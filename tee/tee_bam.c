/*
 * tee_bam.c - the secure world's own BAM pipe driver: its two pipes on its
 * own execution environment, programmed by MMIO from the secure CPU, with
 * descriptor FIFOs, command elements and the result dump in the secure
 * world's private memory. It runs one crypto-engine operation at a time
 * and always wraps it the same way (docs/tee.md, "The secure BAM driver"):
 *
 *   rx: [CMD|LOCK|INT: write VERSION] [CMD: STATUS, CONFIG, key, IV,
 *       segments, CONFIG LE, GOPROC] [data ...] [data: NWD|EOT|INT]
 *       [CMD|UNLOCK|INT: write VERSION]
 *   tx: [data ...] [128-byte result dump: EOT|INT]
 *
 * Its pipes use lock group 1, Linux's group 0: the BAM serves only the
 * lock holder's group while the lock is held, so a different group is what
 * keeps Linux's pipes off the engine while the secure world holds it, and
 * the other way round. Status comes from the dump, never from a CPU read
 * of the engine. Also its interrupt handler, the poll timer that makes up
 * for lost interrupts, and the recovery that frees the lock after a panic
 * or a pipe error.
 */
#include <string.h>

#include "tee/tee_internal.h"

#define SBAM_LOCK_GROUP 1
#define SBAM_FIFO_SLOTS 2048u
#define SBAM_FIFO_BYTES (SBAM_FIFO_SLOTS * (u32)sizeof(struct bam_desc))
#define SBAM_CES_MAX 32u
#define SBAM_CE_BYTES ((u32)sizeof(struct bam_ce_hw))
#define SBAM_DESC_MAX 0x7ff8u	/* the largest data descriptor (Linux: SZ_32K - 8) */
#define SBAM_POLL_NS 100000u	/* the poll timer's period */
/* The private memory: rx FIFO, tx FIFO, the scratchpad element, the program, the dump. */
#define SBAM_RX_FIFO 0u
#define SBAM_TX_FIFO SBAM_FIFO_BYTES
#define SBAM_SCRATCH_CE (2 * SBAM_FIFO_BYTES)
#define SBAM_PROGRAM (SBAM_SCRATCH_CE + SBAM_CE_BYTES)
#define SBAM_DUMP ALIGN_UP(SBAM_PROGRAM + SBAM_CES_MAX * SBAM_CE_BYTES, 64u)
#define SBAM_MEM_BYTES (SBAM_DUMP + QCE_RESULT_DUMP_BYTES)
#define SBAM_DUMP_STATUS 96	/* offsetof(struct qce_result_dump, status) */

_Static_assert(SBAM_FIFO_BYTES <= BAM_FIFO_SIZE_MAX, "the FIFO size field is 16 bits");

static void sbam_timer_cancel(struct tee *t);
static void sbam_timer_fired(struct cpu_work *w);
static const struct sim_actor_ops sbam_timer_ops;

/* ---- registers ---- */

static u64 pipe_reg(const struct tee *t, enum bam_reg reg, unsigned int i)
{
	return t->sbam.base + bam_reg_offset(t->sbam.version, reg, t->bam_pipes[i], 0);
}

static u32 pipe_read(struct tee *t, enum bam_reg reg, unsigned int i)
{
	return cpu_read32(t->cpu, pipe_reg(t, reg, i));
}

static void pipe_write(struct tee *t, enum bam_reg reg, unsigned int i, u32 val)
{
	cpu_write32(t->cpu, pipe_reg(t, reg, i), val);
}

static u64 ee_reg(const struct tee *t, enum bam_reg reg)
{
	return t->sbam.base + bam_reg_offset(t->sbam.version, reg, 0, t->bam_ee);
}

static u64 fifo_pa(const struct tee *t, unsigned int i)
{
	return t->sbam.mem + (i ? SBAM_TX_FIFO : SBAM_RX_FIFO);
}

/* ---- set-up ---- */

/* The crypto engine behind @t's BAM, or NULL (none, or behind another BAM). */
static const struct dt_node *sbam_engine(const struct tee *t)
{
	struct soc *soc = t->soc;
	struct dt_phandle_args args;

	if (!soc->qce || dt_parse_phandle_with_args(soc->qce_node, "dmas", "#dma-cells", 0,
						    &args, NULL))
		return NULL;
	return soc_bam_of(soc, args.np) == t->bam ? soc->qce_node : NULL;
}

int tee_bam_init(struct tee *t, struct secsoc_error *err)
{
	struct tee_bam *sb = &t->sbam;
	const struct bam_config *cfg;
	const struct dt_node *qce;

	*sb = (struct tee_bam){ 0 };
	sb->timer_work = (struct cpu_work){ .name = "secure-timer", .fn = sbam_timer_fired };
	INIT_LIST_HEAD(&sb->timer_work.node);
	if (!t->bam)
		return 0;
	if (t->priv_size < SBAM_MEM_BYTES)
		return input_error(err, "node %s: property 'memory-region': the secure world "
				   "needs 0x%x bytes of private memory for its BAM pipes, the region "
				   "has 0x%llx", t->soc->tee_node->path, SBAM_MEM_BYTES,
				   (unsigned long long)t->priv_size);
	cfg = bam_config(t->bam->bam);
	qce = sbam_engine(t);
	sb->base = cfg->base;
	sb->version = cfg->version;
	sb->mem = t->priv_base;
	sb->qce_base = qce ? qce->reg[0].addr : 0;
	/* The engine's pipe pair k is pipes 2k (rx) and 2k + 1 (tx). */
	sb->usable = qce && bam_version_has_lock(cfg->version) && t->bam_pipes[0] % 2 == 0 &&
		     t->bam_pipes[1] == t->bam_pipes[0] + 1 &&
		     (sb->qce_base & ~(u64)BAM_CE_ADDR) == (cfg->base & ~(u64)BAM_CE_ADDR);
	/* Only a driver that can run has a timer: boards without one keep their schedules. */
	if (sb->usable) {
		sb->timer = (struct sim_actor){ .name = "secure-timer", .ops = &sbam_timer_ops,
						.timer = true,
						.priv = t };
		sim_actor_add(t->soc->sim, &sb->timer);
	}
	return 0;
}

bool tee_bam_usable(const struct tee *t)
{
	return t->sbam.usable;
}

unsigned int tee_bam_pair(const struct tee *t)
{
	return t->bam_pipes[0] / 2;
}

bool tee_bam_busy(const struct tee *t)
{
	return t->sbam.in_flight;
}

static void write_ce(struct tee *t, u64 pa, u32 off, u32 val)
{
	struct bam_ce_hw ce = {
		.cmd_and_addr = htole32((u32)FIELD_PREP(BAM_CE_ADDR, t->sbam.qce_base + off) |
					(u32)FIELD_PREP(BAM_CE_CMD, BAM_CE_WRITE)),
		.data = htole32(val),
		.mask = 0xffffffffu,
	};

	cpu_write(t->cpu, pa, &ce, sizeof(ce));
}

/* Linux's bam_chan_init_hw(), for the secure pipes, plus lock group 1. */
static void pipe_setup(struct tee *t, unsigned int i)
{
	pipe_write(t, BAM_P_RST, i, BAM_P_RST_RESET);
	pipe_write(t, BAM_P_RST, i, 0);
	pipe_write(t, BAM_P_DESC_FIFO_ADDR, i, (u32)fifo_pa(t, i));
	pipe_write(t, BAM_P_FIFO_SIZES, i, SBAM_FIFO_BYTES);
	pipe_write(t, BAM_P_IRQ_EN, i, BAM_P_PRCSD_DESC | BAM_P_ERR | BAM_P_HRESP_ERR);
	pipe_write(t, BAM_P_CTRL, i, BAM_P_EN | BAM_P_SYS_MODE | (i ? BAM_P_DIRECTION : 0) |
		   (u32)FIELD_PREP(BAM_P_LOCK_GROUP, SBAM_LOCK_GROUP));
	t->sbam.tail[i] = 0;
	t->sbam.irq_stts[i] = 0;
}

/*
 * Set up both pipes; done before the first operation rather than at boot,
 * because a BAM that Linux resets at probe (not controlled remotely) would
 * lose the set-up. A pipe reset releases a lock the pipe holds.
 */
static void pipes_setup(struct tee *t)
{
	pipe_setup(t, 0);
	pipe_setup(t, 1);
	cpu_write32(t->cpu, ee_reg(t, BAM_IRQ_SRCS_MSK_EE),
		    BIT(t->bam_pipes[0]) | BIT(t->bam_pipes[1]));
	write_ce(t, t->sbam.mem + SBAM_SCRATCH_CE, QCE_VERSION, 0);
	t->sbam.ready = true;
}

/* ---- building an operation ---- */

static u32 fifo_used(const struct tee *t, unsigned int i)
{
	return (t->sbam.tail[i] + SBAM_FIFO_BYTES - t->sbam.op_start[i]) % SBAM_FIFO_BYTES;
}

static void put_desc_at(struct tee *t, unsigned int i, u32 off, u64 addr, u32 size, u16 flags)
{
	struct bam_desc d = { .addr = htole32((u32)addr), .size = htole16((u16)size),
			      .flags = htole16(flags) };

	always(addr + size <= BIT_ULL(32) && size && size <= SBAM_DESC_MAX,
	       "tee: a BAM descriptor for [0x%llx, +0x%x)", (unsigned long long)addr, size);
	cpu_write(t->cpu, fifo_pa(t, i) + off, &d, sizeof(d));
}

static void put_desc(struct tee *t, unsigned int i, u64 addr, u32 size, u16 flags)
{
	/* A full ring would look empty: one slot always stays free. */
	always(fifo_used(t, i) + 2 * sizeof(struct bam_desc) <= SBAM_FIFO_BYTES,
	       "tee: an operation needs more than %u descriptors on pipe %u", SBAM_FIFO_SLOTS - 1,
	       t->bam_pipes[i]);
	put_desc_at(t, i, t->sbam.tail[i], addr, size, flags);
	t->sbam.tail[i] = (t->sbam.tail[i] + (u32)sizeof(struct bam_desc)) % SBAM_FIFO_BYTES;
}

void tee_bam_op_begin(struct tee *t)
{
	struct tee_bam *sb = &t->sbam;

	always(sb->usable && !sb->in_flight, "tee: BAM operation begun while %s",
	       sb->usable ? "another is in flight" : "the BAM cannot serve it");
	if (!sb->ready)
		pipes_setup(t);
	sb->op_start[0] = sb->tail[0];
	sb->op_start[1] = sb->tail[1];
	sb->nr_ces = sb->nr_in = sb->nr_out = 0;
	put_desc(t, 0, sb->mem + SBAM_SCRATCH_CE, SBAM_CE_BYTES,
		 BAM_DESC_CMD | BAM_DESC_LOCK | BAM_DESC_INT);
	/* The command descriptor's slot; written at submit, when its size is known. */
	sb->cmd_off = sb->tail[0];
	sb->tail[0] = (sb->tail[0] + (u32)sizeof(struct bam_desc)) % SBAM_FIFO_BYTES;
}

void tee_bam_op_write(struct tee *t, u32 off, u32 val)
{
	struct tee_bam *sb = &t->sbam;

	always(sb->nr_ces < SBAM_CES_MAX && sb->nr_in == 0,
	       "tee: register write %u of an operation (after %u inputs)", sb->nr_ces, sb->nr_in);
	write_ce(t, sb->mem + SBAM_PROGRAM + sb->nr_ces * SBAM_CE_BYTES, off, val);
	sb->nr_ces++;
}

void tee_bam_op_in(struct tee *t, u64 pa, u32 len)
{
	struct tee_bam *sb = &t->sbam;

	for (u32 done = 0; done < len;) {
		u32 n = MIN(len - done, SBAM_DESC_MAX);

		/* The previous piece is not the last one: post it plain. */
		if (sb->nr_in)
			put_desc(t, 0, sb->last_in.addr, sb->last_in.size, 0);
		sb->last_in = (struct bam_desc){ .addr = (u32)(pa + done), .size = (u16)n };
		sb->nr_in++;
		done += n;
	}
}

void tee_bam_op_out(struct tee *t, u64 pa, u32 len)
{
	always(tee_range_protected(t, pa, len),
	       "tee: engine output to [0x%llx, +0x%x), outside protected memory",
	       (unsigned long long)pa, len);
	for (u32 done = 0; done < len;) {
		u32 n = MIN(len - done, SBAM_DESC_MAX);

		put_desc(t, 1, pa + done, n, 0);
		t->sbam.nr_out++;
		done += n;
	}
}

static void sbam_timer_arm(struct tee *t)
{
	t->sbam.timer_armed = true;
	sim_actor_wait_until(&t->sbam.timer, sim_now_ns(t->soc->sim) + SBAM_POLL_NS);
}

void tee_bam_op_submit(struct tee *t)
{
	struct tee_bam *sb = &t->sbam;

	always(sb->nr_ces && sb->nr_in, "tee: a BAM operation without %s",
	       sb->nr_ces ? "input" : "register writes");
	put_desc_at(t, 0, sb->cmd_off, sb->mem + SBAM_PROGRAM, sb->nr_ces * SBAM_CE_BYTES,
		    BAM_DESC_CMD);
	/* NWD: the UNLOCK behind it waits until the engine has finished. */
	put_desc(t, 0, sb->last_in.addr, sb->last_in.size,
		 BAM_DESC_NWD | BAM_DESC_EOT | BAM_DESC_INT);
	sb->unlock_idx = fifo_used(t, 0) / (u32)sizeof(struct bam_desc);
	put_desc(t, 0, sb->mem + SBAM_SCRATCH_CE, SBAM_CE_BYTES,
		 BAM_DESC_CMD | BAM_DESC_UNLOCK | BAM_DESC_INT);
	put_desc(t, 1, sb->mem + SBAM_DUMP, QCE_RESULT_DUMP_BYTES, BAM_DESC_EOT | BAM_DESC_INT);
	sb->in_flight = true;
	sb->event = false;
	sb->ops++;
	/* The receiving side first, so that the output has somewhere to go. */
	pipe_write(t, BAM_P_EVNT_REG, 1, sb->tail[1]);
	pipe_write(t, BAM_P_EVNT_REG, 0, sb->tail[0]);
	sbam_timer_arm(t);
}

/* ---- progress ---- */

void tee_bam_irq(struct tee *t)
{
	struct tee_bam *sb = &t->sbam;
	u32 srcs = cpu_read32(t->cpu, ee_reg(t, BAM_IRQ_SRCS_EE));

	for (unsigned int i = 0; i < 2; i++) {
		u32 stts;

		if (!(srcs & BIT(t->bam_pipes[i])))
			continue;
		stts = pipe_read(t, BAM_P_IRQ_STTS, i);
		pipe_write(t, BAM_P_IRQ_CLR, i, stts);
		sb->irq_stts[i] |= stts;
	}
	sb->event = true;
}

bool tee_bam_event(const struct tee *t)
{
	return t->sbam.event;
}

/* Descriptors of the operation that pipe @i has retired. */
static u32 retired(struct tee *t, unsigned int i)
{
	u32 head = FIELD_GET(BAM_P_SW_OFSTS_OFFSET, pipe_read(t, BAM_P_SW_OFSTS, i));

	return (head + SBAM_FIFO_BYTES - t->sbam.op_start[i]) % SBAM_FIFO_BYTES /
	       (u32)sizeof(struct bam_desc);
}

/* The LOCK (index 0) retired and the UNLOCK not: the rx pipe holds the lock now. */
static bool lock_held(struct tee *t)
{
	u32 n = retired(t, 0);

	return n >= 1 && n <= t->sbam.unlock_idx;
}

enum tee_bam_state tee_bam_poll(struct tee *t)
{
	struct tee_bam *sb = &t->sbam;
	const u32 errs = BAM_P_ERR | BAM_P_HRESP_ERR;

	always(sb->in_flight, "tee: polling the BAM with no operation in flight");
	sb->event = false;
	sb->polls++;
	/* Also read the status: an error may be newer than the last interrupt. */
	if ((sb->irq_stts[0] | sb->irq_stts[1] | pipe_read(t, BAM_P_IRQ_STTS, 0) |
	     pipe_read(t, BAM_P_IRQ_STTS, 1)) & errs) {
		sb->errors++;
		return TEE_BAM_ERROR;
	}
	if (FIELD_GET(BAM_P_SW_OFSTS_OFFSET, pipe_read(t, BAM_P_SW_OFSTS, 0)) == sb->tail[0] &&
	    FIELD_GET(BAM_P_SW_OFSTS_OFFSET, pipe_read(t, BAM_P_SW_OFSTS, 1)) == sb->tail[1]) {
		sb->in_flight = false;
		sbam_timer_cancel(t);
		return TEE_BAM_DONE;
	}
	sbam_timer_arm(t);
	return lock_held(t) ? TEE_BAM_LOCKED : TEE_BAM_RUNNING;
}

u32 tee_bam_result_status(struct tee *t)
{
	u8 b[4];

	/* LITTLE_ENDIAN_MODE was set before GO: dump words are stored big-endian. */
	cpu_read(t->cpu, t->sbam.mem + SBAM_DUMP + SBAM_DUMP_STATUS, b, sizeof(b));
	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

/*
 * The lock must not outlive the operation. While the rx pipe still holds
 * it, the secure CPU (the holder's EE) may touch the engine: CLR_CNTXT
 * abandons the operation in flight. Then both pipes are reset, which
 * releases the lock in the BAM, and set up again for the next operation.
 */
void tee_bam_recover(struct tee *t)
{
	struct tee_bam *sb = &t->sbam;

	if (!sb->in_flight)
		return;
	if (lock_held(t)) {
		cpu_write32(t->cpu, sb->qce_base + QCE_GOPROC, QCE_GOPROC_CLR_CNTXT);
		sometimes(true, "tee: recovery cleared the engine while holding the lock");
	}
	pipes_setup(t);
	sb->in_flight = false;
	sb->event = false;
	sb->recoveries++;
	sbam_timer_cancel(t);
}

/* ---- the poll timer ---- */

static void sbam_timer_cancel(struct tee *t)
{
	t->sbam.timer_armed = false;
	cpu_cancel_work(&t->sbam.timer_work);
}

/* The secure timer interrupt's work: look at the pipes, as an interrupt would make it. */
static void sbam_timer_fired(struct cpu_work *w)
{
	struct tee *t = container_of(w, struct tee, sbam.timer_work);

	t->sbam.event = true;
}

static bool sbam_timer_ready(struct sim_actor *a)
{
	const struct tee *t = a->priv;

	return t->sbam.timer_armed;
}

static u64 sbam_timer_step(struct sim_actor *a)
{
	struct tee *t = a->priv;

	t->sbam.timer_armed = false;
	sim_actor_label(a, "poll the secure BAM pipes");
	cpu_queue_work(t->cpu, &t->sbam.timer_work);
	return 0;
}

static u64 sbam_timer_hash(const struct sim_actor *a)
{
	const struct tee *t = a->priv;

	return sim_hash_mix(0x5ec71e, t->sbam.timer_armed);
}

static const struct sim_actor_ops sbam_timer_ops = {
	.ready = sbam_timer_ready,
	.step = sbam_timer_step,
	.state_hash = sbam_timer_hash,
	.state_hash_complete = true,
};
