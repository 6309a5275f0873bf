/*
 * bam_loopback.c - the BAM test peripheral (include/secsoc/bam_loopback.h).
 *
 * Each pipe pair has a FIFO. A push goes straight into the producer pipe's
 * buffer when that pipe has one waiting and nothing is queued ahead of it
 * (the zero-copy path the benchmark measures); otherwise it is queued. The
 * loopback's actor sends "done" for a pair once the EOT byte was pushed,
 * the FIFO has drained and the delay has passed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bam_loopback.h>

struct loopback_pair {
	u8 *fifo;		/* LOOPBACK_FIFO_BYTES, allocated on first use */
	u32 head, len;		/* ring: oldest byte, bytes queued */
	bool done_armed;	/* the EOT byte arrived; "done" is owed */
};

struct bam_loopback {
	struct sim_actor actor;
	char name[64];
	struct sim *sim;
	struct bam *bam;
	u32 ctrl, scratch, done_delay;
	u64 bytes, dones, lock_changes;
	int lock_owner;
	unsigned int nr_pairs;
	struct loopback_pair pairs[LOOPBACK_PAIRS_MAX];
};

static struct loopback_pair *pair_of(struct bam_loopback *lb, unsigned int pipe)
{
	return pipe / 2 < lb->nr_pairs ? &lb->pairs[pipe / 2] : NULL;
}

/* ---- port ---- */

static u32 lb_din_space(void *opaque, unsigned int pipe)
{
	struct loopback_pair *pr = pair_of(opaque, pipe);

	return pr && pipe % 2 == 0 ? LOOPBACK_FIFO_BYTES - pr->len : 0;
}

static void fifo_put(struct loopback_pair *pr, const u8 *data, u32 len)
{
	u32 at = (pr->head + pr->len) % LOOPBACK_FIFO_BYTES;
	u32 first = MIN(len, LOOPBACK_FIFO_BYTES - at);

	if (!pr->fifo)
		pr->fifo = malloc(LOOPBACK_FIFO_BYTES);
	always(pr->fifo, "loopback: out of memory");
	memcpy(pr->fifo + at, data, first);
	memcpy(pr->fifo, data + first, len - first);
	pr->len += len;
}

static void lb_din_push(void *opaque, unsigned int pipe, const u8 *data, u32 len, bool eot)
{
	struct bam_loopback *lb = opaque;
	struct loopback_pair *pr = pair_of(lb, pipe);
	u32 room = 0, direct = 0;
	u8 *dst = NULL;

	always(pr && len <= LOOPBACK_FIFO_BYTES - pr->len, "%s: push of %u bytes on pipe %u "
	       "beyond the space offered", lb->name, len, pipe);
	if (pr->len == 0)
		dst = bam_periph_dst(lb->bam, pipe + 1, &room);
	if (dst) {
		direct = MIN(room, len);
		memmove(dst, data, direct);	/* buffers may overlap */
		bam_periph_produced(lb->bam, pipe + 1, direct);
	}
	fifo_put(pr, data + direct, len - direct);
	lb->bytes += len;
	if (eot) {
		/* Under the timed strategy "done" comes the delay after this byte. */
		pr->done_armed = true;
		sim_actor_wait_until(&lb->actor, sim_now_ns(lb->sim) + lb->done_delay);
	}
}

static u32 lb_dout_avail(void *opaque, unsigned int pipe)
{
	struct loopback_pair *pr = pair_of(opaque, pipe);

	return pr && pipe % 2 == 1 ? pr->len : 0;
}

static u32 lb_dout_pull(void *opaque, unsigned int pipe, u8 *dst, u32 len)
{
	struct loopback_pair *pr = pair_of(opaque, pipe);
	u32 n, first;

	if (!pr || pipe % 2 == 0)
		return 0;
	n = MIN(len, pr->len);
	first = MIN(n, LOOPBACK_FIFO_BYTES - pr->head);
	memcpy(dst, pr->fifo + pr->head, first);
	memcpy(dst + first, pr->fifo, n - first);
	pr->head = (pr->head + n) % LOOPBACK_FIFO_BYTES;
	pr->len -= n;
	return n;
}

static void lb_lock_changed(void *opaque, int ee)
{
	struct bam_loopback *lb = opaque;

	lb->lock_owner = ee;
	lb->lock_changes++;
}

static void lb_pipe_reset(void *opaque, unsigned int pipe)
{
	struct loopback_pair *pr = pair_of(opaque, pipe);

	if (!pr)
		return;
	pr->head = pr->len = 0;
	pr->done_armed = false;
}

static const struct bam_periph_ops loopback_port_ops = {
	.din_space = lb_din_space,
	.din_push = lb_din_push,
	.dout_avail = lb_dout_avail,
	.dout_pull = lb_dout_pull,
	.lock_changed = lb_lock_changed,
	.pipe_reset = lb_pipe_reset,
};

/* ---- the actor: "operation done" ---- */

static int done_due(const struct bam_loopback *lb)
{
	if (lb->ctrl & LOOPBACK_CTRL_HOLD_DONE)
		return -1;
	for (unsigned int i = 0; i < lb->nr_pairs; i++)
		if (lb->pairs[i].done_armed && lb->pairs[i].len == 0)
			return (int)i;
	return -1;
}

static bool lb_ready(struct sim_actor *a)
{
	return done_due(a->priv) >= 0;
}

static u64 lb_step(struct sim_actor *a)
{
	struct bam_loopback *lb = a->priv;
	struct loopback_pair *pr = &lb->pairs[done_due(lb)];
	unsigned int pair = (unsigned int)(pr - lb->pairs);

	pr->done_armed = false;
	lb->dones++;
	sim_actor_label(a, "done pair %u", pair);
	bam_periph_done(lb->bam, pair * 2);
	return 0;
}

static u64 lb_state_hash(const struct sim_actor *a)
{
	const struct bam_loopback *lb = a->priv;
	u64 h = SIM_HASH_INIT;

	for (unsigned int i = 0; i < lb->nr_pairs; i++) {
		h = sim_hash_mix(h, lb->pairs[i].len);
		h = sim_hash_mix(h, lb->pairs[i].done_armed);
	}
	return sim_hash_mix(h, lb->ctrl);
}

static const struct sim_actor_ops loopback_actor_ops = {
	.ready = lb_ready,
	.step = lb_step,
	.state_hash = lb_state_hash,
};

/* ---- registers ---- */

static u64 lb_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
		   enum bus_resp *resp)
{
	struct bam_loopback *lb = opaque;

	switch (off) {
	case LOOPBACK_ID:
		return LOOPBACK_ID_VALUE;
	case LOOPBACK_CTRL:
		return lb->ctrl;
	case LOOPBACK_SCRATCH:
		return lb->scratch;
	case LOOPBACK_DONE_DELAY:
		return lb->done_delay;
	case LOOPBACK_BYTES:
		return (u32)lb->bytes;
	case LOOPBACK_DONES:
		return (u32)lb->dones;
	case LOOPBACK_LOCK_OWNER:
		return (u32)(lb->lock_owner + 1);
	case LOOPBACK_LOCK_CHANGES:
		return (u32)lb->lock_changes;
	}
	sim_guest_error(lb->sim, lb->name, "read of unimplemented register 0x%03llx by %s",
			(unsigned long long)off, m->name);
	return 0;
}

static void lb_write(void *opaque, u64 off, u64 val, unsigned int size,
		     const struct bus_master *m, enum bus_resp *resp)
{
	struct bam_loopback *lb = opaque;

	switch (off) {
	case LOOPBACK_CTRL:
		lb->ctrl = (u32)val & LOOPBACK_CTRL_HOLD_DONE;
		return;
	case LOOPBACK_SCRATCH:
		lb->scratch = (u32)val;
		return;
	case LOOPBACK_DONE_DELAY:
		lb->done_delay = (u32)val;
		return;
	case LOOPBACK_ID:
		/* Write-ignored, like the QCE's VERSION: the pipe lock's scratchpad. */
		return;
	}
	sim_guest_error(lb->sim, lb->name, "write of 0x%08x to %s register 0x%03llx by %s",
			(u32)val, off <= LOOPBACK_LOCK_CHANGES ? "read-only" : "unimplemented",
			(unsigned long long)off, m->name);
}

static const struct mmio_ops loopback_mmio_ops = {
	.read = lb_read,
	.write = lb_write,
	.sizes = BUS_ACCESS_32,
};

struct bam_loopback *bam_loopback_create(struct sim *s, struct bus *b, struct bam *bam,
					 const char *name, u64 base, struct secsoc_error *err)
{
	struct bam_loopback *lb = calloc(1, sizeof(*lb));

	if (!lb) {
		internal_error(err, "%s: out of memory", name);
		return NULL;
	}
	snprintf(lb->name, sizeof(lb->name), "%s", name);
	lb->sim = s;
	lb->bam = bam;
	lb->lock_owner = BAM_NO_EE;
	lb->nr_pairs = MIN(bam_config(bam)->nr_pipes / 2, LOOPBACK_PAIRS_MAX);
	if (bus_add_mmio(b, lb->name, base, LOOPBACK_MMIO_SIZE, &loopback_mmio_ops, lb, err)) {
		free(lb);
		return NULL;
	}
	lb->actor = (struct sim_actor){ .name = lb->name, .ops = &loopback_actor_ops,
					.priv = lb };
	sim_actor_add(s, &lb->actor);
	bam_attach(bam, &loopback_port_ops, lb);
	return lb;
}

void bam_loopback_destroy(struct bam_loopback *lb)
{
	if (!lb)
		return;
	for (unsigned int i = 0; i < lb->nr_pairs; i++)
		free(lb->pairs[i].fifo);
	free(lb);
}

u64 bam_loopback_bytes(const struct bam_loopback *lb)
{
	return lb->bytes;
}

u32 bam_loopback_staged(const struct bam_loopback *lb, unsigned int pair)
{
	return lb->pairs[pair].len;
}
