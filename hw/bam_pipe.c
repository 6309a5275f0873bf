/*
 * bam_pipe.c - a BAM pipe as a sim actor: fetch a descriptor, execute it
 * (command elements one per step, data in bounded chunks through the
 * peripheral port), wait for the peripheral's "done" when it carries NWD,
 * retire it, and raise its interrupt in a separate step after the modelled
 * latency. Also the pipe lock rules and every error that halts a pipe.
 *
 * A step is atomic, so the interleavings between pipes that silicon allows
 * (another EE's pipe running between our LOCK and our GO, an UNLOCK racing
 * an operation still in flight) happen here too. docs/bam.md walks through
 * the states; docs/model-assumptions.md records the choices the public
 * documentation leaves open (lock groups, LOCK/UNLOCK timing, command
 * element addresses).
 */
#include <endian.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/bam_internal.h"

#define BAM_CE_BYTES ((u32)sizeof(struct bam_ce_hw))
#define BAM_DESC_BYTES 8u
#define BAM_CE_WINDOW GENMASK_ULL(BUS_PA_BITS - 1, 24)

static struct sim *pipe_sim(const struct bam_pipe *p)
{
	return p->bam->sim;
}

static const struct bam_periph_ops *periph(const struct bam_pipe *p)
{
	return p->bam->periph_ops;
}

unsigned int bam_pipe_lock_group(const struct bam_pipe *p)
{
	return FIELD_GET(BAM_P_LOCK_GROUP, p->ctrl);
}

u32 bam_pipe_fifo_bytes(const struct bam_pipe *p)
{
	return FIELD_GET(BAM_P_FIFO_SIZES_DESC, p->fifo_sizes);
}

static bool is_producer(const struct bam_pipe *p)
{
	return p->ctrl & BAM_P_DIRECTION;
}

static u32 head(const struct bam_pipe *p)
{
	return FIELD_GET(BAM_P_SW_OFSTS_OFFSET, p->sw_ofsts);
}

static u32 tail(const struct bam_pipe *p)
{
	return p->evnt_reg & 0xffff;
}

static void set_busy(struct bam_pipe *p, bool busy)
{
	struct vcd *v = sim_vcd(pipe_sim(p));

	if (v && p->vcd_busy >= 0)
		vcd_change(v, p->vcd_busy, sim_now_ns(pipe_sim(p)), busy);
}

static void trace_fifo_depth(const struct bam_pipe *p)
{
	struct trace *t = sim_trace(pipe_sim(p));
	u32 fifo = bam_pipe_fifo_bytes(p);
	char name[96];

	if (!t || !fifo)
		return;
	snprintf(name, sizeof(name), "%s fifo depth", p->name);
	trace_counter(t, name, sim_now_ns(pipe_sim(p)),
		      ((tail(p) + fifo - head(p)) % fifo) / BAM_DESC_BYTES);
}

/* ---- reset and errors ---- */

void bam_pipe_reset(struct bam_pipe *p)
{
	struct bam *bam = p->bam;

	if (bam->lock_pipe == (int)p->id)
		bam_set_lock(bam, -1);
	bam_lock_note_reset(p);
	p->ctrl = p->halt = p->irq_stts = p->irq_en = 0;
	p->evnt_reg = p->sw_ofsts = p->desc_fifo_addr = p->fifo_sizes = 0;
	p->data_fifo_addr = p->evnt_gen_trshld = p->evnt_dest_addr = 0;
	p->phase = BAM_PIPE_IDLE;
	p->done_bytes = 0;
	p->dst = NULL;
	p->periph_done = false;
	p->irq_pending = 0;
	p->error = false;
	p->error_msg[0] = '\0';
	p->retired = 0;
	p->nr_flows = 0;
	set_busy(p, false);
	if (bam->periph_ops && bam->periph_ops->pipe_reset)
		bam->periph_ops->pipe_reset(bam->periph, p->id);
	bam_pipe_update_sleep(p);
}

void bam_pipe_fail(struct bam_pipe *p, bool bus_error, const char *fmt, ...)
{
	struct trace *t = sim_trace(pipe_sim(p));
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->error_msg, sizeof(p->error_msg), fmt, ap);
	va_end(ap);
	p->error = true;
	p->phase = BAM_PIPE_IDLE;
	p->dst = NULL;
	sim_guest_error(pipe_sim(p), p->name, "%s; pipe halted until reset", p->error_msg);
	if (t)
		trace_instant(t, p->actor.id, "bam", "error", sim_now_ns(pipe_sim(p)),
			      (struct trace_arg[]){ TARG_STR("reason", p->error_msg), TARG_END });
	p->irq_stts |= BAM_P_ERR | (bus_error ? BAM_P_HRESP_ERR : 0);
	set_busy(p, false);
	bam_raise_global(p->bam, bus_error ? BAM_IRQ_HRESP_ERR : BAM_IRQ_ERROR);
	bam_pipe_update_sleep(p);
}

/* ---- posting descriptors: P_EVNT_REG ---- */

static void begin_flow(struct bam_pipe *p, u32 slot)
{
	struct trace *t = sim_trace(pipe_sim(p));
	struct sim_actor *running = sim_running_actor(pipe_sim(p));

	if (!t || p->nr_flows == BAM_FLOWS_MAX)
		return;
	p->flows[p->nr_flows].slot = slot;
	p->flows[p->nr_flows].id = ++p->bam->next_flow | (u64)p->id << 48 | 1ULL << 56;
	trace_flow_begin(t, running ? running->id : 0, "desc", p->flows[p->nr_flows].id,
			 sim_now_ns(pipe_sim(p)));
	p->nr_flows++;
}

static void end_flow(struct bam_pipe *p, u32 slot)
{
	struct trace *t = sim_trace(pipe_sim(p));

	if (!t || p->nr_flows == 0 || p->flows[0].slot != slot)
		return;
	trace_flow_end(t, p->actor.id, "desc", p->flows[0].id, sim_now_ns(pipe_sim(p)));
	memmove(&p->flows[0], &p->flows[1], --p->nr_flows * sizeof(p->flows[0]));
}

void bam_pipe_post(struct bam_pipe *p, u32 val)
{
	u32 fifo = bam_pipe_fifo_bytes(p);
	u32 new_tail = val & 0xffff;

	if (p->error)
		return;
	if (fifo < BAM_DESC_BYTES || fifo % BAM_DESC_BYTES || p->desc_fifo_addr % BAM_DESC_BYTES) {
		bam_pipe_fail(p, false, "P_EVNT_REG written while the descriptor FIFO is not "
			      "set up (P_DESC_FIFO_ADDR 0x%08x must be a multiple of 8, P_FIFO_SIZES "
			      "0x%08x a non-zero multiple of 8)", p->desc_fifo_addr, p->fifo_sizes);
		return;
	}
	if (new_tail % BAM_DESC_BYTES || new_tail >= fifo) {
		bam_pipe_fail(p, false, "P_EVNT_REG offset 0x%x is %s", new_tail,
			      new_tail % BAM_DESC_BYTES ? "not a multiple of 8" :
			      "beyond the descriptor FIFO");
		return;
	}
	if (new_tail != tail(p))
		begin_flow(p, tail(p));
	p->evnt_reg = val;
	trace_fifo_depth(p);
	bam_lock_note_posted(p);
}

/* ---- the lock ---- */

/* May the BAM serve @p now? Pipes outside the lock holder's group wait. */
static bool lock_allows(const struct bam_pipe *p)
{
	const struct bam *bam = p->bam;

	return bam->lock_pipe < 0 || bam->lock_group == bam_pipe_lock_group(p);
}

static bool has_lock_bits(const struct bam_pipe *p)
{
	return p->desc.flags & (BAM_DESC_LOCK | BAM_DESC_UNLOCK);
}

/* LOCK takes effect before the descriptor's command elements run. */
static bool take_lock(struct bam_pipe *p)
{
	struct bam *bam = p->bam;

	if (bam->lock_pipe == (int)p->id) {
		bam_pipe_fail(p, false, "nested LOCK: the pipe already holds the lock");
		return false;
	}
	bam_set_lock(bam, (int)p->id);
	sometimes(true, "bam: pipe lock taken");
	return true;
}

/* UNLOCK takes effect after them, when the descriptor retires. */
static bool release_lock(struct bam_pipe *p)
{
	struct bam *bam = p->bam;

	if (bam->lock_pipe != (int)p->id) {
		if (bam->lock_pipe < 0)
			bam_pipe_fail(p, false, "UNLOCK while no pipe holds the lock");
		else
			bam_pipe_fail(p, false, "UNLOCK from a pipe that does not hold the lock "
				      "(pipe %d does)", bam->lock_pipe);
		return false;
	}
	bam_set_lock(bam, -1);
	return true;
}

/* ---- fetch ---- */

static bool check_desc(struct bam_pipe *p)
{
	const struct bam_desc *d = &p->desc;
	bool cmd = d->flags & BAM_DESC_CMD;

	if (!bam_version_has_lock(p->bam->cfg.version))
		p->desc.flags &= ~(BAM_DESC_LOCK | BAM_DESC_UNLOCK);	/* v1.3: ignored */
	if (d->size == 0) {
		bam_pipe_fail(p, false, "descriptor at FIFO offset 0x%x has size 0", head(p));
		return false;
	}
	if (!cmd && has_lock_bits(p)) {
		bam_pipe_fail(p, false, "LOCK/UNLOCK on a data descriptor (offset 0x%x): only "
			      "command descriptors may carry them", head(p));
		return false;
	}
	if (cmd && d->size % BAM_CE_BYTES) {
		bam_pipe_fail(p, false, "command descriptor of %u bytes is not a whole number of "
			      "16-byte command elements", d->size);
		return false;
	}
	return true;
}

/* A producer's buffer is checked once, when its descriptor is fetched. */
static bool map_producer_buffer(struct bam_pipe *p)
{
	enum bus_resp resp;

	p->dst = bus_dma_span(p->bam->bus, &p->master, p->desc.addr, p->desc.size, true, &resp);
	if (!p->dst && resp != BUS_OKAY) {
		bam_pipe_fail(p, true, "write to buffer [0x%08x, +0x%x) failed: %s", p->desc.addr,
			      p->desc.size, bus_resp_name(resp));
		return false;
	}
	return true;
}

static u64 step_fetch(struct bam_pipe *p)
{
	u64 addr = (u64)p->desc_fifo_addr + head(p);
	enum bus_resp resp;

	end_flow(p, head(p));
	sim_actor_label(&p->actor, "fetch @0x%x", head(p));
	resp = bus_read(p->bam->bus, &p->master, addr, &p->desc, sizeof(p->desc));
	if (resp != BUS_OKAY) {
		bam_pipe_fail(p, true, "descriptor fetch at 0x%08llx failed: %s",
			      (unsigned long long)addr, bus_resp_name(resp));
		return p->bam->cfg.timing.fetch_ns;
	}
	p->desc.addr = le32toh(p->desc.addr);
	p->desc.size = le16toh(p->desc.size);
	p->desc.flags = le16toh(p->desc.flags);
	p->done_bytes = 0;
	p->periph_done = false;
	p->dst = NULL;
	if (check_desc(p) && (p->desc.flags & BAM_DESC_CMD || !is_producer(p) ||
			      map_producer_buffer(p))) {
		p->phase = BAM_PIPE_EXEC;
		set_busy(p, true);
	}
	return p->bam->cfg.timing.fetch_ns;
}

/* ---- command elements ---- */

static u64 ce_target(const struct bam_pipe *p, u32 cmd_and_addr)
{
	/* 24 address bits; the rest comes from the BAM's own 16 MiB window. */
	return (p->bam->cfg.base & BAM_CE_WINDOW) | FIELD_GET(BAM_CE_ADDR, cmd_and_addr);
}

static u64 ce_read_dest(const struct bam_pipe *p, const struct bam_ce_hw *ce)
{
	/* From v1.6 on, mask[3:0] of a READ carries destination bits [35:32]. */
	u64 high = p->bam->cfg.version >= BAM_V1_7_0 ? (u64)(ce->mask & 0xf) << 32 : 0;

	return high | ce->data;
}

static enum bus_resp ce_write(struct bam_pipe *p, u64 target, u32 data, u32 mask)
{
	struct bus *bus = p->bam->bus;
	enum bus_resp resp;
	u64 old;

	if (mask == 0xffffffff)
		return bus_write_sized(bus, &p->master, target, 4, data);
	resp = bus_read_sized(bus, &p->master, target, 4, &old);
	if (resp != BUS_OKAY)
		return resp;
	return bus_write_sized(bus, &p->master, target, 4, ((u32)old & ~mask) | (data & mask));
}

static void ce_execute(struct bam_pipe *p, const struct bam_ce_hw *ce)
{
	u32 cmd = FIELD_GET(BAM_CE_CMD, ce->cmd_and_addr);
	u64 target = ce_target(p, ce->cmd_and_addr);
	enum bus_resp resp;
	u64 val;

	if (FIELD_GET(BAM_CE_ADDR, ce->cmd_and_addr) == 0) {
		bam_pipe_fail(p, false, "command element addresses 0");
		return;
	}
	if (cmd == BAM_CE_WRITE) {
		resp = ce_write(p, target, ce->data, ce->mask);
	} else if (cmd == BAM_CE_READ) {
		resp = bus_read_sized(p->bam->bus, &p->master, target, 4, &val);
		if (resp == BUS_OKAY) {
			u32 le = htole32((u32)val);

			target = ce_read_dest(p, ce);
			resp = bus_write(p->bam->bus, &p->master, target, &le, sizeof(le));
		}
	} else {
		bam_pipe_fail(p, false, "command element has unknown command %u", cmd);
		return;
	}
	if (resp != BUS_OKAY)
		bam_pipe_fail(p, true, "command element %s of 0x%08llx failed: %s",
			      cmd == BAM_CE_WRITE ? "write" : "read", (unsigned long long)target,
			      bus_resp_name(resp));
}

static void finish_exec(struct bam_pipe *p);

static u64 step_command(struct bam_pipe *p)
{
	struct bam_ce_hw ce;
	u64 addr = (u64)p->desc.addr + p->done_bytes;
	enum bus_resp resp;

	if (p->done_bytes == 0 && (p->desc.flags & BAM_DESC_LOCK) && !take_lock(p))
		return p->bam->cfg.timing.ce_ns;
	resp = bus_read(p->bam->bus, &p->master, addr, &ce, sizeof(ce));
	if (resp != BUS_OKAY) {
		bam_pipe_fail(p, true, "command element fetch at 0x%08llx failed: %s",
			      (unsigned long long)addr, bus_resp_name(resp));
		return p->bam->cfg.timing.ce_ns;
	}
	ce.cmd_and_addr = le32toh(ce.cmd_and_addr);
	ce.data = le32toh(ce.data);
	ce.mask = le32toh(ce.mask);
	sim_actor_label(&p->actor, "ce %s 0x%06x", FIELD_GET(BAM_CE_CMD, ce.cmd_and_addr) ?
			"read" : "write", (u32)FIELD_GET(BAM_CE_ADDR, ce.cmd_and_addr));
	ce_execute(p, &ce);
	/* The element may have failed, or reset this very pipe or the whole BAM. */
	if (p->error || p->phase != BAM_PIPE_EXEC)
		return p->bam->cfg.timing.ce_ns;
	p->done_bytes += BAM_CE_BYTES;
	if (p->done_bytes == p->desc.size)
		finish_exec(p);
	return p->bam->cfg.timing.ce_ns;
}

/* ---- data ---- */

static u64 transfer_ns(const struct bam_pipe *p, u32 bytes)
{
	return MAX(1, (u64)bytes * p->bam->cfg.timing.ps_per_byte / 1000);
}

static u8 *bounce(struct bam_pipe *p)
{
	if (!p->bounce)
		p->bounce = malloc(BAM_STEP_BYTES_MAX);
	always(p->bounce, "%s: out of memory for the bounce buffer", p->name);
	return p->bounce;
}

/* The bytes of a consumer chunk, or NULL with *resp saying why not. */
static const u8 *consume_source(struct bam_pipe *p, u64 addr, u32 len, enum bus_resp *resp)
{
	const u8 *src;

	if (p->done_bytes == 0 && sim_fault(pipe_sim(p), FAULT_BAM_DESC_ERROR)) {
		*resp = BUS_SLVERR;	/* injected: the interconnect answers an error */
		return NULL;
	}
	src = bus_dma_span(p->bam->bus, &p->master, addr, len, false, resp);
	if (src || *resp != BUS_OKAY)
		return src;
	/* Not one RAM span, or the TZC answers denials with zeros: copy. */
	*resp = bus_read(p->bam->bus, &p->master, addr, bounce(p), len);
	return p->bounce;
}

/* Consumer: read a chunk of the buffer as the pipe and push it into the peripheral. */
static u64 step_consume(struct bam_pipe *p)
{
	const struct bam_periph_ops *ops = periph(p);
	u32 len = MIN(p->desc.size - p->done_bytes,
		      MIN(ops->din_space(p->bam->periph, p->id), BAM_STEP_BYTES_MAX));
	u64 addr = (u64)p->desc.addr + p->done_bytes;
	enum bus_resp resp;
	const u8 *src = consume_source(p, addr, len, &resp);
	bool last = p->done_bytes + len == p->desc.size;

	if (resp != BUS_OKAY) {
		bam_pipe_fail(p, true, "read of buffer [0x%08llx, +0x%x) failed: %s",
			      (unsigned long long)addr, len, bus_resp_name(resp));
		return transfer_ns(p, len);
	}
	sim_actor_label(&p->actor, "push %u", len);
	ops->din_push(p->bam->periph, p->id, src, len, last && (p->desc.flags & BAM_DESC_EOT));
	p->done_bytes += len;
	if (last)
		finish_exec(p);
	return transfer_ns(p, len);
}

/* Producer: pull what the peripheral staged into the buffer. */
static u64 step_produce(struct bam_pipe *p)
{
	const struct bam_periph_ops *ops = periph(p);
	u32 want = MIN(p->desc.size - p->done_bytes, BAM_STEP_BYTES_MAX);
	u64 addr = (u64)p->desc.addr + p->done_bytes;
	u32 got = 0;

	if (want && p->dst) {
		got = ops->dout_pull(p->bam->periph, p->id, p->dst + p->done_bytes, want);
	} else if (want) {
		enum bus_resp resp;

		got = ops->dout_pull(p->bam->periph, p->id, bounce(p), want);
		resp = bus_write(p->bam->bus, &p->master, addr, p->bounce, got);
		if (resp != BUS_OKAY) {
			bam_pipe_fail(p, true, "write to buffer [0x%08llx, +0x%x) failed: %s",
				      (unsigned long long)addr, got, bus_resp_name(resp));
			return transfer_ns(p, got);
		}
	}
	always(got <= want, "%s: the peripheral pulled %u bytes, %u were asked", p->name, got,
	       want);
	sim_actor_label(&p->actor, "pull %u", got);
	p->done_bytes += got;
	if (p->done_bytes == p->desc.size)
		finish_exec(p);
	return transfer_ns(p, got);
}

/* ---- retire ---- */

static void retire(struct bam_pipe *p)
{
	u32 bits = 0;

	u32 fifo = bam_pipe_fifo_bytes(p);

	if (fifo < BAM_DESC_BYTES || fifo % BAM_DESC_BYTES) {
		bam_pipe_fail(p, false, "P_FIFO_SIZES changed to 0x%08x while descriptors were "
			      "in flight", p->fifo_sizes);
		return;
	}
	if ((p->desc.flags & BAM_DESC_UNLOCK) && !release_lock(p))
		return;
	p->sw_ofsts = (head(p) + BAM_DESC_BYTES) % fifo;
	p->phase = BAM_PIPE_IDLE;
	p->dst = NULL;
	p->retired++;
	set_busy(p, false);
	trace_fifo_depth(p);
	if (p->desc.flags & BAM_DESC_INT)
		bits |= BAM_P_PRCSD_DESC;
	if (p->desc.flags & BAM_DESC_EOT)
		bits |= BAM_P_TRNSFR_END;
	if (head(p) == tail(p))
		bits |= BAM_P_OUT_OF_DESC;
	if (!bits)
		return;
	if (sim_fault(pipe_sim(p), FAULT_BAM_IRQ_DROP)) {
		sim_actor_label(&p->actor, "retired, interrupt lost (fault)");
		return;
	}
	if (!p->irq_pending)
		p->irq_due_ns = sim_now_ns(pipe_sim(p)) + p->bam->cfg.timing.irq_latency_ns;
	p->irq_pending |= bits;
}

static void finish_exec(struct bam_pipe *p)
{
	if ((p->desc.flags & BAM_DESC_NWD) && !p->periph_done) {
		p->phase = BAM_PIPE_NWD_WAIT;
		return;
	}
	retire(p);
}

static u64 step_nwd_release(struct bam_pipe *p)
{
	sim_actor_label(&p->actor, "nwd done");
	sometimes(true, "bam: NWD waited for the peripheral");
	retire(p);
	return p->bam->cfg.timing.fetch_ns;
}

static u64 step_irq(struct bam_pipe *p)
{
	p->irq_stts |= p->irq_pending;
	p->irq_pending = 0;
	sim_actor_label(&p->actor, "irq 0x%x", p->irq_stts);
	bam_update_irqs(p->bam);
	return 0;
}

/* ---- the actor ---- */

static bool serving(const struct bam_pipe *p)
{
	/* Most pipes are disabled: the per-pipe test comes first (host speed). */
	return (p->ctrl & BAM_P_EN) && bam_enabled(p->bam) && !p->in_reset &&
	       !(p->halt & BAM_P_HALT_HALT) && !p->error && lock_allows(p);
}

static bool exec_ready(const struct bam_pipe *p)
{
	const struct bam_periph_ops *ops = periph(p);
	const struct bam *bam = p->bam;

	if (p->desc.flags & BAM_DESC_CMD)
		/* A LOCK waits while another pipe of the group holds the lock. */
		return p->done_bytes || !(p->desc.flags & BAM_DESC_LOCK) || bam->lock_pipe < 0 ||
		       bam->lock_pipe == (int)p->id;
	if (!ops)
		return false;
	if (!is_producer(p))
		return ops->din_space(bam->periph, p->id) > 0;
	return p->done_bytes == p->desc.size || ops->dout_avail(bam->periph, p->id) > 0;
}

/* Has the pipe work other than raising its pending interrupt? */
static bool work_ready(const struct bam_pipe *p)
{
	if (!serving(p))
		return false;
	switch (p->phase) {
	case BAM_PIPE_IDLE:
		return head(p) != tail(p);
	case BAM_PIPE_EXEC:
		return exec_ready(p);
	case BAM_PIPE_NWD_WAIT:
		return p->periph_done;
	}
	return false;
}

static bool pipe_ready(struct sim_actor *a)
{
	const struct bam_pipe *p = a->priv;

	return p->irq_pending || work_ready(p);
}

/*
 * Idle with an empty FIFO and no interrupt to raise, a pipe is not ready
 * whatever else holds (pipe_ready()). Most pipes spend the whole run so
 * (nobody uses them), and asking each of them every step would cost more
 * host time than the steps do; this state changes only through the pipe's
 * own steps, its register writes (P_EVNT_REG moves the tail), reset and
 * errors, which all call this.
 */
void bam_pipe_update_sleep(struct bam_pipe *p)
{
	sim_actor_set_asleep(&p->actor, !p->irq_pending && p->phase == BAM_PIPE_IDLE &&
			     head(p) == tail(p));
}

/*
 * The interrupt is raised once its latency has passed; meanwhile the pipe
 * goes on with its descriptors. With nothing else to do it waits (under
 * every strategy the next step of the actor starts no earlier than that).
 */
static u64 step_irq_or_wait(struct bam_pipe *p)
{
	if (sim_now_ns(pipe_sim(p)) >= p->irq_due_ns)
		return step_irq(p);
	sim_actor_wait_until(&p->actor, p->irq_due_ns);
	sim_actor_label(&p->actor, "irq latency");
	return 0;
}

static u64 step_exec(struct bam_pipe *p)
{
	if (p->desc.flags & BAM_DESC_CMD)
		return step_command(p);
	if (p->done_bytes == p->desc.size) {	/* filled through bam_periph_dst() */
		finish_exec(p);
		sim_actor_label(&p->actor, "filled");
		return p->bam->cfg.timing.fetch_ns;
	}
	return is_producer(p) ? step_produce(p) : step_consume(p);
}

static u64 pipe_step_one(struct bam_pipe *p)
{
	if (p->irq_pending && (sim_now_ns(pipe_sim(p)) >= p->irq_due_ns || !work_ready(p)))
		return step_irq_or_wait(p);
	switch (p->phase) {
	case BAM_PIPE_IDLE:
		return step_fetch(p);
	case BAM_PIPE_EXEC:
		return step_exec(p);
	case BAM_PIPE_NWD_WAIT:
		return step_nwd_release(p);
	}
	return 0;
}

static u64 pipe_step(struct sim_actor *a)
{
	struct bam_pipe *p = a->priv;
	u64 cost = pipe_step_one(p);

	bam_pipe_update_sleep(p);
	return cost;
}

/*
 * A pending interrupt, whether it is due and whether the pipe has started
 * waiting for it (step_irq_or_wait()): untimed runs reach the interrupt in
 * two steps that change nothing else, so without these the explorer would
 * take the second for a revisit of the first. 0 when nothing is pending.
 */
static u64 pipe_irq_hash(const struct bam_pipe *p)
{
	u64 now = sim_now_ns(pipe_sim(p));

	if (!p->irq_pending)
		return 0;
	return (u64)p->irq_pending << 2 | (u64)(now >= p->irq_due_ns) << 1 |
	       (u64)(p->actor.busy_until_ns >= p->irq_due_ns);
}

static u64 pipe_state_hash(const struct sim_actor *a)
{
	const struct bam_pipe *p = a->priv;
	u64 h = SIM_HASH_INIT;

	h = sim_hash_mix(h, p->phase);
	h = sim_hash_mix(h, head(p));
	h = sim_hash_mix(h, tail(p));
	h = sim_hash_mix(h, p->done_bytes);
	h = sim_hash_mix(h, pipe_irq_hash(p));
	h = sim_hash_mix(h, p->irq_stts);
	h = sim_hash_mix(h, p->error);
	h = sim_hash_mix(h, p->periph_done);
	return sim_hash_mix(h, (u64)(p->bam->lock_pipe == (int)p->id));
}

const struct sim_actor_ops bam_pipe_actor_ops = {
	.ready = pipe_ready,
	.step = pipe_step,
	.state_hash = pipe_state_hash,
	.state_hash_complete = true,
};

/* ---- the peripheral's side of the port ---- */

static struct bam_pipe *port_pipe(struct bam *bam, unsigned int pipe)
{
	always(pipe < bam->cfg.nr_pipes, "%s: the peripheral names pipe %u, which does not "
	       "exist", bam->name, pipe);
	return &bam->pipes[pipe < bam->cfg.nr_pipes ? pipe : 0];
}

u8 *bam_periph_dst(struct bam *bam, unsigned int pipe, u32 *room)
{
	struct bam_pipe *p = port_pipe(bam, pipe);

	if (p->phase != BAM_PIPE_EXEC || !p->dst || !serving(p) || !is_producer(p)) {
		*room = 0;
		return NULL;
	}
	*room = p->desc.size - p->done_bytes;
	return *room ? p->dst + p->done_bytes : NULL;
}

void bam_periph_produced(struct bam *bam, unsigned int pipe, u32 n)
{
	struct bam_pipe *p = port_pipe(bam, pipe);

	always(p->dst && p->done_bytes + n <= p->desc.size,
	       "%s: the peripheral produced %u bytes past its destination", p->name, n);
	p->done_bytes += n;
}

void bam_periph_done(struct bam *bam, unsigned int pipe)
{
	port_pipe(bam, pipe)->periph_done = true;
}
