/*
 * fuzz_bam_dma.c - libFuzzer harness for the normal-world BAM DMA driver
 * (drivers/dma/bam_dma.c, bam_dma_lock.c), driven through the dmaengine
 * client API on the loopback board.
 *
 * Every input boots a fresh machine. Its first byte picks the lock policy
 * (bits 1:0: none, v12, nwd, nwd), the random scheduling strategy instead
 * of the timed one (bit 2), the fault sites bam-lock-alloc (bit 3) and
 * irq-delay (bit 4), and the seed (bits 7:5). The rest is a program for the
 * loopback client's "rx" (MEM_TO_DEV) and "tx" (DEV_TO_MEM) channels, one
 * opcode byte (modulo the number of operations) and its arguments. Buffer,
 * list and descriptor arguments pick among the live ones (modulo their
 * number); chan8 uses bit 0 (rx, tx).
 *
 *   0 alloc len24 seed8      a kmalloc buffer of len24 % 256 KiB + 1 bytes: a
 *                            pattern, or valid command elements if seed8 & 1
 *   1 free buf8              kfree it (once no list names it)
 *   2 sg n8 {sel8 off24 len24}*  a list of n8 % 8 + 1 entries: pieces of
 *                            buffers, of any length including 0; sel8 >= 0xc0
 *                            gives a bogus bus address instead
 *   3 map sgl8 nents8 dir8   dma_map_sg() of the first nents8 entries (0: all)
 *   4 unmap sgl8             once no descriptor prepared from it may run
 *   5 drop sgl8              forget an unmapped, unused list
 *   6 prep chan8 sgl8 how8 flags8 [count16]  dmaengine_prep_slave_sg(); how8
 *                            picks the entry count (1:0; 2: count16), the
 *                            direction (4:2; 7: any, from 7:5) and a NULL
 *                            list (bit 7); flags8 the flags (5:0) and the
 *                            callback (7:6: none, plain, result, result)
 *   7 meta desc8 kind8 off8  dmaengine_desc_attach_metadata(), valid or not
 *   8 submit desc8           9 issue chan8
 *   10 status chan8 sel8 [cookie32]  dmaengine_tx_status() of a submitted
 *                            descriptor, or of any cookie (sel8 bit 7)
 *   11 pause chan8           12 resume chan8
 *   13 terminate sel8        bit 0: the channel, bit 1: async
 *   14 config dir8 addr32 addr32 width8 burst8  dmaengine_slave_config()
 *   15 steps n8              up to n8 + 1 simulation steps
 *   16 run                   until quiescence or the step limit
 *   17 xfer len24 opt8       bam_loopback_xfer(); opt8 bit 0: dst == src,
 *                            bits 2:1: transfers chained from its callback
 *   18 chain desc8 desc8     submit and issue the second descriptor from the
 *                            first one's completion callback
 *   19 slice buf8 piece16 count16  a list of up to 5000 consecutive pieces
 *
 * The harness is a careful client: a buffer stays allocated and a list
 * mapped while a descriptor prepared from it may still run; command
 * descriptors only cover command elements that address the loopback's
 * registers (random registers would be a hardware error by design) and
 * read into a sink buffer; a buffer holding command elements is never a
 * data destination; a prepared descriptor is used only while it is still
 * on its channel's desc_allocated list (terminate frees it).
 *
 * Bugs it reports by abort(): an always() failure; a callback for a
 * descriptor that was terminated or already called back; callbacks of a
 * channel out of cookie order, or its completed cookie going back; a
 * residue that grows or exceeds the descriptor; a refused prep that
 * leaked; a metadata result other than the contract's; a loop transfer
 * that succeeded with wrong bytes while nothing else used the channels;
 * and anything allocated, mapped or ioremapped once every driver is
 * removed. The BAM's error reports on bad descriptors, and runs that stop
 * at the step limit, are expected.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bam_loopback_client.h>
#include <secsoc/dma/qcom_bam_dma.h>
#include <secsoc/kernel.h>
#include <secsoc/tee.h>
#include <secsoc/virt-dma.h>

#include "fuzz_check.h"
#include "fuzz_input.h"

#define HARNESS "fuzz_bam_dma"

#define F_LB_NODE "/soc@0/loopback@1dfa000"
#define F_LB_BASE 0x01dfa000u
#define F_LB_PAIR 2			/* pipes 4 (rx) and 5 (tx) */
#define F_WINDOW_HOLE 0x01000000u	/* in the command-element window, no device */
#define F_STEPS_MAX 50000
#define F_BUF_MAX (256u << 10)
#define F_BUFS 8
#define F_SGLS 6
#define F_SG_ENTS 8		/* entries of a list built entry by entry */
#define F_SLICES_MAX 5000	/* of a sliced list: more than the 4095-slot FIFO */
#define F_DESCS 32
#define F_SINK_WORDS 16
#define F_CE_BYTES ((u32)sizeof(struct bam_cmd_element))

enum f_chan { F_RX, F_TX, F_NR_CHANS };

struct f_buf {
	u8 *p;			/* NULL: the slot is free */
	u32 len;
	bool ce;		/* holds command elements: never a data destination */
};

struct f_sgl {
	struct scatterlist ents[F_SLICES_MAX];
	s8 buf[F_SLICES_MAX];	/* each entry's buffer, -1 for a bogus bus address */
	unsigned int n;		/* entries; 0: the slot is free */
	unsigned int mapped;	/* entries dma_map_sg() mapped, 0 if none */
	enum dma_data_direction dir;
	unsigned int refs;	/* descriptors prepared from it, not finished */
	bool has_ce;		/* an entry covers command elements */
	bool cmd_ok;		/* every entry covers whole command elements */
};

enum f_desc_state { F_FREE, F_PREPARED, F_SUBMITTED };

struct f_desc {
	enum f_desc_state state;
	struct dma_async_tx_descriptor *tx;	/* only while F_PREPARED */
	enum f_chan chan;
	enum dma_transfer_direction dir;
	unsigned int sgl;
	u32 gen;		/* tells a stale callback from this one */
	bool has_cb;
	dma_cookie_t cookie;
	u64 len;		/* bytes prepared: the largest residue */
	u64 residue;		/* the last one reported: it never grows */
	int chain;		/* record submitted from the callback, or -1 */
	u32 chain_gen;
};

struct f_xfer {
	struct bam_loopback_req req;
	bool active;		/* started, done has not run */
	bool clean;		/* nothing else used the channels: bytes must match */
	u8 seed;
	unsigned int chain;	/* transfers still to start from done */
};

static struct {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	struct kernel k;
	struct bam_loopback_client *lc;
	struct dma_chan *chan[F_NR_CHANS];
	enum lock_policy policy;
	u8 *sink;		/* where command elements read registers to */
	struct f_buf bufs[F_BUFS];
	struct f_sgl sgls[F_SGLS];
	struct f_desc descs[F_DESCS];
	u32 gen;
	dma_cookie_t last_cb[F_NR_CHANS];	/* cookie of the last harness callback */
	dma_cookie_t completed[F_NR_CHANS];	/* highest completed cookie seen */
	struct f_xfer xf;
} fz;

#define fail(...) fuzz_fail(HARNESS, __VA_ARGS__)

static void check_violations(void)
{
	fuzz_check_violations(HARNESS, fz.sim);
}

/*
 * Buffer contents: the pattern of @seed is the table from byte @seed on, so
 * that filling and checking are memcpy() and memcmp(). Neighbouring bytes
 * of the table always differ, so patterns of seeds s and s + 1 differ in
 * every byte.
 */
static const u8 *pattern(u8 seed)
{
	static u8 table[F_BUF_MAX + 256];

	if (!table[1])
		for (u32 i = 0; i < ARRAY_SIZE(table); i++)
			table[i] = (u8)(i * 7 + (i >> 8));
	return table + seed;
}

/*
 * The (@sel modulo their number)-th of the @count slots that @ok accepts
 * (with @arg), or -1 when it accepts none: arguments name live objects, so
 * that few inputs are wasted on empty slots.
 */
static int pick(unsigned int count, bool (*ok)(unsigned int i, int arg), int arg, u32 sel)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < count; i++)
		n += ok(i, arg);
	if (!n)
		return -1;
	sel %= n;
	for (unsigned int i = 0; i < count; i++)
		if (ok(i, arg) && !sel--)
			return (int)i;
	return -1;
}

static bool buf_live(unsigned int i, int arg)
{
	return fz.bufs[i].p;
}

static bool sgl_built(unsigned int i, int built)
{
	return !fz.sgls[i].n == !built;
}

static bool desc_in(unsigned int i, int state)
{
	return fz.descs[i].state == (enum f_desc_state)state;
}

/* ---- descriptors ---- */

/* Its descriptor is gone: release what it held. */
static void desc_finish(struct f_desc *d)
{
	fz.sgls[d->sgl].refs--;
	d->state = F_FREE;
	d->tx = NULL;
}

/* Is prepared @d still the driver's? A client's terminate may have freed it. */
static bool desc_alive(struct f_desc *d)
{
	struct virt_dma_chan *vc = to_virt_chan(fz.chan[d->chan]);
	struct virt_dma_desc *vd;

	if (d->state != F_PREPARED)
		return false;
	list_for_each_entry(vd, &vc->desc_allocated, node)
		if (&vd->tx == d->tx)
			return true;
	desc_finish(d);
	return false;
}

/* A harness submit or issue while a loop transfer runs makes its bytes unknowable. */
static void taint(void)
{
	if (fz.xf.active)
		fz.xf.clean = false;
}

static void desc_submit(struct f_desc *d)
{
	d->cookie = dmaengine_submit(d->tx);
	if (d->cookie < DMA_MIN_COOKIE)
		fail("dmaengine_submit returned %d", d->cookie);
	d->state = F_SUBMITTED;
	d->tx = NULL;
	taint();
}

static struct f_desc *cb_desc(void *param)
{
	uintptr_t v = (uintptr_t)param;
	struct f_desc *d = &fz.descs[v % F_DESCS];
	u32 gen = (u32)(v / F_DESCS);

	if (d->gen != gen || d->state != F_SUBMITTED)
		fail("callback for descriptor %u generation %u, which was %s",
		     (unsigned int)(v % F_DESCS), gen,
		     d->gen != gen ? "terminated or called back" : "never submitted");
	return d;
}

/* From the channel's bottom half: @d completed. */
static void desc_called(struct f_desc *d)
{
	struct f_desc *next = d->chain >= 0 ? &fz.descs[d->chain] : NULL;

	if (d->cookie <= fz.last_cb[d->chan])
		fail("%s callback of cookie %d after that of cookie %d",
		     d->chan == F_RX ? "rx" : "tx", d->cookie, fz.last_cb[d->chan]);
	fz.last_cb[d->chan] = d->cookie;
	desc_finish(d);
	if (next && next->gen == d->chain_gen && desc_alive(next)) {
		desc_submit(next);
		dma_async_issue_pending(fz.chan[next->chan]);
	}
}

static void cb_plain(void *param)
{
	desc_called(cb_desc(param));
}

static void cb_result(void *param, const struct dmaengine_result *res)
{
	struct f_desc *d = cb_desc(param);

	if (res->result > DMA_TRANS_ABORTED || res->residue > d->len)
		fail("callback result %d residue %u for a descriptor of %llu bytes", res->result,
		     res->residue, (unsigned long long)d->len);
	desc_called(d);
}

/*
 * Descriptors without a callback finish when terminated; under "none" also
 * once their cookie completed (the lock policies may complete cookies out
 * of order: v12 by design, docs/lock-policies.md).
 */
static void reap(void)
{
	for (unsigned int i = 0; i < F_DESCS; i++) {
		struct f_desc *d = &fz.descs[i];

		if (d->state == F_SUBMITTED && !d->has_cb && fz.policy == LOCK_POLICY_NONE &&
		    dma_async_is_tx_complete(fz.chan[d->chan], d->cookie) == DMA_COMPLETE)
			desc_finish(d);
	}
}

/*
 * A channel completes its cookies in order (dma_cookie_status() relies on
 * it): the completed cookie never goes back. v12's lock cookies break this
 * by design (docs/lock-policies.md). No input submits 2^31 descriptors,
 * so cookies do not wrap.
 */
static void check_cookies(void)
{
	for (unsigned int c = 0; c < F_NR_CHANS; c++) {
		dma_cookie_t done = fz.chan[c]->completed_cookie;

		if (done < fz.completed[c] && fz.policy != LOCK_POLICY_V12)
			fail("%s completed cookie went back from %d to %d", c == F_RX ? "rx" : "tx",
			     fz.completed[c], done);
		fz.completed[c] = MAX(done, fz.completed[c]);
	}
}

/* ---- loop transfers ---- */

static bool xfer_clean(void)
{
	if (bam_loopback_staged(fz.soc->bams[0].loopback, F_LB_PAIR))
		return false;
	for (unsigned int i = 0; i < F_DESCS; i++)
		if (fz.descs[i].state == F_SUBMITTED)
			return false;
	return true;
}

static void xfer_start(u32 len, bool same, u8 seed);

static void xfer_done(struct bam_loopback_req *req)
{
	struct f_xfer *x = &fz.xf;
	u8 *src = req->src, *dst = req->dst;
	u32 len = req->len;

	x->active = false;
	if (!req->result && x->clean && memcmp(dst, pattern(x->seed), len))
		fail("loop transfer of %u bytes (seed %u) succeeded with wrong bytes", len,
		     x->seed);
	kfree(src);
	if (dst != src)
		kfree(dst);
	if (x->chain) {
		x->chain--;
		xfer_start((len * 3 + 4093) % F_BUF_MAX + 1, x->chain & 1, (u8)(x->seed + 1));
	}
}

static void xfer_start(u32 len, bool same, u8 seed)
{
	struct f_xfer *x = &fz.xf;
	u8 *src = kmalloc(len, GFP_KERNEL);
	u8 *dst = same ? src : kmalloc(len, GFP_KERNEL);
	int ret;

	if (!src || !dst)
		fail("no memory for a loop transfer of %u bytes", len);
	memcpy(src, pattern(seed), len);
	if (!same)
		memcpy(dst, pattern((u8)(seed + 1)), len);	/* differs in every byte */
	x->req = (struct bam_loopback_req){ .src = src, .dst = dst, .len = len,
					    .done = xfer_done };
	x->seed = seed;
	x->clean = xfer_clean();
	ret = bam_loopback_xfer(fz.lc, &x->req);
	if (ret)
		fail("bam_loopback_xfer of %u bytes returned %d", len, ret);
	x->active = true;
}

/* ---- operations ---- */

static const u32 f_lb_regs[] = {
	LOOPBACK_ID, LOOPBACK_CTRL, LOOPBACK_SCRATCH, LOOPBACK_DONE_DELAY,
};

/* Writes and reads of the loopback's registers; reads land in the sink. */
static void fill_ce(struct f_buf *b, u32 r)
{
	struct bam_cmd_element *ce = (struct bam_cmd_element *)b->p;
	u32 sink = (u32)virt_to_phys(fz.sink);

	memset(b->p, 0, b->len);
	for (u32 i = 0; i < b->len / F_CE_BYTES; i++) {
		u32 reg, val;

		r = r * 1103515245u + 12345u;
		reg = f_lb_regs[(r >> 16) % ARRAY_SIZE(f_lb_regs)];
		if (((r >> 20) & 3) == 0) {
			bam_prep_ce(&ce[i], F_LB_BASE + reg, BAM_READ_COMMAND,
				    sink + 4 * ((r >> 24) % F_SINK_WORDS));
			continue;
		}
		val = reg == LOOPBACK_CTRL ? ((r >> 24) & 15) == 0 :
		      reg == LOOPBACK_DONE_DELAY ? (r >> 22) % 2000 : r;
		bam_prep_ce(&ce[i], F_LB_BASE + reg, BAM_WRITE_COMMAND, val);
	}
}

static void op_alloc(struct input *in)
{
	u32 len = take(in, 3) % F_BUF_MAX + 1, seed = take(in, 1);
	struct f_buf *b = NULL;

	for (unsigned int i = 0; i < F_BUFS && !b; i++)
		if (!fz.bufs[i].p)
			b = &fz.bufs[i];
	if (!b)
		return;
	b->p = kmalloc(len, GFP_KERNEL);
	if (!b->p)
		fail("kmalloc(%u) failed", len);
	b->len = len;
	b->ce = seed & 1;
	if (b->ce)
		fill_ce(b, seed);
	else
		memcpy(b->p, pattern((u8)seed), len);
}

static bool buf_listed(unsigned int idx)
{
	for (unsigned int i = 0; i < F_SGLS; i++)
		for (unsigned int e = 0; e < fz.sgls[i].n; e++)
			if (fz.sgls[i].buf[e] == (s8)idx)
				return true;
	return false;
}

static void op_free(struct input *in)
{
	int idx = pick(F_BUFS, buf_live, 0, take(in, 1));

	if (idx < 0 || buf_listed((unsigned int)idx))
		return;
	kfree(fz.bufs[idx].p);
	fz.bufs[idx].p = NULL;
}

/* Addresses no kernel memory is at: secure memory, the carve-out, holes. */
static void sg_bogus(struct f_sgl *s, unsigned int i, u32 sel, u32 off, u32 len)
{
	const u64 bases[] = { fz.tee.priv_base, fz.tee.prot_base, 0x40000000, 0 };

	s->buf[i] = -1;
	s->cmd_ok = false;
	s->ents[i].dma_address = bases[sel % ARRAY_SIZE(bases)] + (off & 0x7fff0);
	s->ents[i].dma_length = len % F_BUF_MAX;
}

/* Entry @i of @s covers @len bytes at @off in buffer @bi. */
static void sg_cover(struct f_sgl *s, unsigned int i, int bi, u32 off, u32 len)
{
	const struct f_buf *b = &fz.bufs[bi];

	s->buf[i] = (s8)bi;
	s->has_ce |= b->ce;
	s->cmd_ok &= b->ce && !(off % F_CE_BYTES) && !(len % F_CE_BYTES) && len &&
		     off + len <= b->len / F_CE_BYTES * F_CE_BYTES;
	sg_set_buf(&s->ents[i], b->p + off, len);
}

static void sg_entry(struct f_sgl *s, unsigned int i, struct input *in)
{
	u32 sel = take(in, 1), off = take(in, 3), len = take(in, 3);
	int bi = sel >= 0xc0 ? -1 : pick(F_BUFS, buf_live, 0, sel);
	const struct f_buf *b = &fz.bufs[bi < 0 ? 0 : bi];

	if (bi < 0) {
		sg_bogus(s, i, sel, off, len);
		return;
	}
	off %= b->len;
	len %= b->len - off + 1;
	if (b->ce && !(sel & 0x80)) {
		off &= ~(F_CE_BYTES - 1);
		len &= ~(F_CE_BYTES - 1);
	}
	sg_cover(s, i, bi, off, len);
}

/* A fresh list of @n entries, or NULL when every slot holds one. */
static struct f_sgl *sgl_new(unsigned int n)
{
	int si = pick(F_SGLS, sgl_built, 0, 0);
	struct f_sgl *s = &fz.sgls[si < 0 ? 0 : si];

	if (si < 0)
		return NULL;
	sg_init_table(s->ents, n);
	s->has_ce = false;
	s->cmd_ok = true;
	s->mapped = 0;
	s->n = n;
	return s;
}

static void op_sg(struct input *in)
{
	struct f_sgl *s = sgl_new(take(in, 1) % F_SG_ENTS + 1);

	for (unsigned int i = 0; s && i < s->n; i++)
		sg_entry(s, i, in);
}

/*
 * Consecutive equal pieces of one buffer: lists longer than the descriptor
 * FIFO. (Thousands of mappings of one and the same piece would only
 * measure the DMA-mapping table's probe chains.)
 */
static void op_slice(struct input *in)
{
	int bi = pick(F_BUFS, buf_live, 0, take(in, 1));
	u32 piece = take(in, 2) + 1, count = take(in, 2) % F_SLICES_MAX + 1;
	const struct f_buf *b = &fz.bufs[bi < 0 ? 0 : bi];
	u32 unit = b->ce ? F_CE_BYTES : 1, room = b->len / unit * unit;
	struct f_sgl *s;

	if (bi < 0 || !room)
		return;
	piece = MIN(ALIGN_UP(piece, unit), room);
	s = sgl_new(MIN(count, room / piece));
	for (u32 i = 0; s && i < s->n; i++)
		sg_cover(s, i, bi, i * piece, piece);
}

/* A built list, or NULL when there is none. */
static struct f_sgl *pick_sgl(struct input *in)
{
	int si = pick(F_SGLS, sgl_built, 1, take(in, 1));

	return si < 0 ? NULL : &fz.sgls[si];
}

static void op_map(struct input *in)
{
	struct f_sgl *s = pick_sgl(in);
	unsigned int nents = take(in, 1);
	enum dma_data_direction dir = (enum dma_data_direction)(take(in, 1) % 4);
	int ret;

	if (!s || s->mapped)
		return;
	nents = nents ? (nents - 1) % s->n + 1 : s->n;
	ret = dma_map_sg(fz.lc->dev, s->ents, (int)nents, dir);
	if (ret && ret != (int)nents)
		fail("dma_map_sg of %u entries returned %d", nents, ret);
	s->mapped = (unsigned int)ret;
	s->dir = dir;
}

static void op_unmap(struct input *in)
{
	struct f_sgl *s = pick_sgl(in);

	if (!s || !s->mapped || s->refs)
		return;
	dma_unmap_sg(fz.lc->dev, s->ents, (int)s->mapped, s->dir);
	s->mapped = 0;
}

static void op_drop(struct input *in)
{
	struct f_sgl *s = pick_sgl(in);

	if (s && !s->mapped && !s->refs)
		s->n = 0;
}

/* The direction @how asks for on @c: mostly the channel's own. */
static enum dma_transfer_direction prep_dir(enum f_chan c, u32 how)
{
	switch ((how >> 2) & 7) {
	case 5:
		return c == F_RX ? DMA_DEV_TO_MEM : DMA_MEM_TO_DEV;
	case 6:
		return DMA_MEM_TO_MEM;
	case 7:
		return (enum dma_transfer_direction)((how >> 5) % (DMA_TRANS_NONE + 1));
	}
	return c == F_RX ? DMA_MEM_TO_DEV : DMA_DEV_TO_MEM;
}

static unsigned long prep_flags(u32 fl)
{
	unsigned long flags = 0;

	if (fl & 1)
		flags |= DMA_PREP_INTERRUPT;
	if (fl & 2)
		flags |= DMA_PREP_FENCE;
	if (fl & 4)
		flags |= DMA_PREP_CMD;
	if ((fl & 0x18) == 0x18)
		flags |= DMA_CTRL_REUSE;
	if (fl & 0x20)
		flags |= DMA_CTRL_ACK;
	return flags;
}

/* The entry count @how asks for: the list's, any up to one past it, or absurd. */
static unsigned int prep_count(const struct f_sgl *s, u32 how, struct input *in)
{
	switch (how & 3) {
	case 2:
		return take(in, 2) % (s->n + 2);
	case 3:
		return SG_MAX_ENTRIES + 1;
	}
	return s->n;
}

static void desc_record(struct f_desc *d, struct dma_async_tx_descriptor *tx, enum f_chan c,
			enum dma_transfer_direction dir, unsigned int sgl, unsigned int count,
			u32 fl)
{
	struct f_sgl *s = &fz.sgls[sgl];
	uintptr_t param;

	/* A record still naming this address is stale: a terminate freed it. */
	for (unsigned int i = 0; i < F_DESCS; i++)
		if (fz.descs[i].state == F_PREPARED && fz.descs[i].tx == tx)
			desc_finish(&fz.descs[i]);
	*d = (struct f_desc){ .state = F_PREPARED, .tx = tx, .chan = c, .dir = dir, .sgl = sgl,
			      .gen = ++fz.gen, .has_cb = fl >> 6, .chain = -1 };
	for (unsigned int i = 0; i < MIN(count, s->n); i++)
		d->len += sg_dma_len(&s->ents[i]);
	d->residue = d->len;
	s->refs++;
	param = (uintptr_t)d->gen * F_DESCS + (uintptr_t)(d - fz.descs);
	tx->callback_param = (void *)param;
	if (fl >> 6 == 1)
		tx->callback = cb_plain;
	else if (fl >> 6)
		tx->callback_result = cb_result;
}

static void op_prep(struct input *in)
{
	enum f_chan c = take(in, 1) & 1;
	struct f_sgl *s = pick_sgl(in);
	u32 how = take(in, 1), fl = take(in, 1);
	int di = pick(F_DESCS, desc_in, F_FREE, 0);
	unsigned long flags = prep_flags(fl);
	enum dma_transfer_direction dir = prep_dir(c, how);
	struct dma_async_tx_descriptor *tx;
	unsigned int count;
	u64 objects;

	if (!s || di < 0)
		return;
	count = prep_count(s, how, in);
	if (!s->cmd_ok)
		flags &= ~(unsigned long)DMA_PREP_CMD;
	/* Data a producer pipe writes must never land on command elements. */
	if (s->has_ce && c == F_TX && !(flags & DMA_PREP_CMD))
		return;
	objects = kmem_stats().objects;
	tx = dmaengine_prep_slave_sg(fz.chan[c], how & 0x80 && count > s->n ? NULL : s->ents,
				     count, dir, flags);
	if (!tx) {
		if (kmem_stats().objects != objects)
			fail("a refused prep left %lld objects allocated",
			     (long long)(kmem_stats().objects - objects));
		return;
	}
	desc_record(&fz.descs[di], tx, c, dir, (unsigned int)(s - fz.sgls), count, fl);
}

static struct f_desc *pick_prepared(struct input *in)
{
	int di = pick(F_DESCS, desc_in, F_PREPARED, take(in, 1));

	return di >= 0 && desc_alive(&fz.descs[di]) ? &fz.descs[di] : NULL;
}

/* The result dmaengine_desc_attach_metadata() must give for @meta on @d. */
static int meta_expected(const struct f_desc *d, const struct bam_desc_metadata *meta,
			 size_t len)
{
	if (!meta || len != sizeof(*meta))
		return -EINVAL;
	if (fz.policy == LOCK_POLICY_NONE)
		return 0;
	if (meta->direction != DMA_MEM_TO_DEV || d->dir != DMA_MEM_TO_DEV ||
	    !meta->scratchpad_addr)
		return -EINVAL;
	/* A command element carries 24 address bits; the rest are the BAM's. */
	return meta->scratchpad_addr >> 24 == F_LB_BASE >> 24 ? 0 : -ERANGE;
}

static void op_meta(struct input *in)
{
	struct f_desc *d = pick_prepared(in);
	u32 kind = take(in, 1), off = take(in, 1) * 4;
	const phys_addr_t pads[] = {
		F_LB_BASE + LOOPBACK_ID, F_LB_BASE + f_lb_regs[off % 4], F_LB_BASE + 0x20 + off,
		0, 0x80000000u + off, F_WINDOW_HOLE + off,
	};
	struct bam_desc_metadata meta = {
		.scratchpad_addr = pads[kind % ARRAY_SIZE(pads)],
		.direction = kind & 0x80 ? (enum dma_transfer_direction)(off % 5) :
			     DMA_MEM_TO_DEV,
	};
	struct bam_desc_metadata *data = (kind & 0x60) == 0x60 ? NULL : &meta;
	size_t len = kind & 0x40 ? off % 32 : sizeof(meta);
	int ret, want;

	if (!d)
		return;
	want = meta_expected(d, data, len);
	ret = dmaengine_desc_attach_metadata(d->tx, data, len);
	if (ret != want)
		fail("metadata scratchpad 0x%llx direction %d len %zu%s: %d, expected %d",
		     (unsigned long long)meta.scratchpad_addr, meta.direction, len,
		     data ? "" : " (NULL)", ret, want);
}

static void op_submit(struct input *in)
{
	struct f_desc *d = pick_prepared(in);

	if (d)
		desc_submit(d);
}

static void op_issue(struct input *in)
{
	dma_async_issue_pending(fz.chan[take(in, 1) & 1]);
	taint();
}

static void op_status(struct input *in)
{
	enum f_chan c = take(in, 1) & 1;
	u32 sel = take(in, 1);
	int di = pick(F_DESCS, desc_in, F_SUBMITTED, sel);
	struct f_desc *d = &fz.descs[di < 0 ? 0 : di];
	dma_cookie_t cookie = sel & 0x80 || di < 0 ? (dma_cookie_t)take(in, 4) : d->cookie;
	struct dma_tx_state st;
	enum dma_status ret;

	ret = dmaengine_tx_status(fz.chan[c], cookie, sel & 0x40 ? NULL : &st);
	if (ret > DMA_OUT_OF_ORDER)
		fail("dmaengine_tx_status returned %d", ret);
	if (sel & 0xc0 || di < 0 || d->chan != c)
		return;
	/* The residue never grows, also while a long descriptor waits for a reload. */
	if (st.residue > d->residue ||
	    (ret == DMA_COMPLETE && st.residue))
		fail("status %d with residue %u for cookie %d of %llu bytes, after a residue "
		     "of %llu", ret, st.residue, cookie, (unsigned long long)d->len,
		     (unsigned long long)d->residue);
	d->residue = MIN(d->residue, st.residue);
}

static void op_pause(struct input *in)
{
	if (dmaengine_pause(fz.chan[take(in, 1) & 1]))
		fail("dmaengine_pause failed");
}

static void op_resume(struct input *in)
{
	if (dmaengine_resume(fz.chan[take(in, 1) & 1]))
		fail("dmaengine_resume failed");
}

/* Everything of the channel is freed, without callbacks (none can be running). */
static void chan_terminated(enum f_chan c)
{
	for (unsigned int i = 0; i < F_DESCS; i++)
		if (fz.descs[i].state != F_FREE && fz.descs[i].chan == c)
			desc_finish(&fz.descs[i]);
	taint();
}

static void op_terminate(struct input *in)
{
	u32 sel = take(in, 1);
	struct dma_chan *chan = fz.chan[sel & 1];
	int ret = sel & 2 ? dmaengine_terminate_async(chan) : dmaengine_terminate_sync(chan);

	if (ret)
		fail("terminate returned %d", ret);
	chan_terminated(sel & 1);
}

static void op_config(struct input *in)
{
	struct dma_slave_config cfg = {
		.direction = (enum dma_transfer_direction)(take(in, 1) % (DMA_TRANS_NONE + 1)),
		.src_addr = take(in, 4),
		.dst_addr = take(in, 4),
	};
	u32 width = take(in, 1), burst = take(in, 1);

	cfg.src_addr_width = (enum dma_slave_buswidth)(width & 15);
	cfg.dst_addr_width = (enum dma_slave_buswidth)(width >> 4);
	cfg.src_maxburst = burst;
	cfg.dst_maxburst = burst * 3;
	if (dmaengine_slave_config(fz.chan[burst & 1], &cfg))
		fail("dmaengine_slave_config failed");
}

/* Up to @n steps, within the step limit; the checks run after every one. */
static void run_steps(u64 n)
{
	for (; n && sim_steps(fz.sim) < F_STEPS_MAX && sim_step_once(fz.sim); n--) {
		check_violations();
		check_cookies();
	}
}

static void op_steps(struct input *in)
{
	run_steps(take(in, 1) + 1);
}

/* Until nothing is ready or the step limit. */
static void op_run(struct input *in)
{
	run_steps(F_STEPS_MAX);
}

static void op_xfer(struct input *in)
{
	u32 len = take(in, 3) % F_BUF_MAX + 1, opt = take(in, 1);
	struct bam_loopback_req bad = { .src = fz.sink, .dst = fz.sink, .done = xfer_done };
	int ret;

	if (fz.lc->cur || opt == 0xff) {
		/* Refused before anything is mapped: busy, or a length of 0. */
		bad.len = fz.lc->cur ? 4 : 0;
		ret = bam_loopback_xfer(fz.lc, &bad);
		if (ret != (fz.lc->cur ? -EBUSY : -EINVAL))
			fail("bam_loopback_xfer of %u bytes returned %d", bad.len, ret);
		return;
	}
	fz.xf.chain = (opt >> 1) & 3;
	xfer_start(len, opt & 1, (u8)(opt ^ len));
}

static bool desc_calls_back(unsigned int i, int arg)
{
	return fz.descs[i].state != F_FREE && fz.descs[i].has_cb;
}

static void op_chain(struct input *in)
{
	int ai = pick(F_DESCS, desc_calls_back, 0, take(in, 1));
	int bi = pick(F_DESCS, desc_in, F_PREPARED, take(in, 1));
	struct f_desc *a = &fz.descs[ai < 0 ? 0 : ai], *b = &fz.descs[bi < 0 ? 0 : bi];

	if (ai < 0 || bi < 0 || a == b)
		return;
	a->chain = (int)(b - fz.descs);
	a->chain_gen = b->gen;
}

static void (*const ops[])(struct input *in) = {
	op_alloc, op_free, op_sg, op_map, op_unmap, op_drop, op_prep, op_meta, op_submit,
	op_issue, op_status, op_pause, op_resume, op_terminate, op_config, op_steps, op_run,
	op_xfer, op_chain, op_slice,
};

/* ---- the machine ---- */

static void fz_boot(u32 cfg)
{
	static const enum lock_policy policies[] = {
		LOCK_POLICY_NONE, LOCK_POLICY_V12, LOCK_POLICY_NWD, LOCK_POLICY_NWD,
	};
	static const char *const faults[] = {
		"", "bam-lock-alloc:0.2", "irq-delay:0.1", "bam-lock-alloc:0.2,irq-delay:0.1",
	};
	struct sim_config sc = { .seed = cfg >> 5, .max_steps = F_STEPS_MAX };
	struct kernel_params params = { .lock_policy = policies[cfg & 3] };
	struct secsoc_error err = { 0 };

	memset(&fz, 0, sizeof(fz));
	fz.policy = params.lock_policy;
	if (cfg & 4)
		sc.strategy = &sim_strategy_random;
	if (fault_spec_parse(faults[(cfg >> 3) & 3], &sc.faults, &err) ||
	    soc_load_builtin("bam-loopback", &fz.dt, &err))
		fail("%s", err.msg);
	fz.sim = sim_create(&sc);
	if (soc_create(fz.sim, fz.dt, &fz.soc, &err) || tee_boot(&fz.tee, fz.soc, &err) ||
	    kernel_boot(&fz.k, fz.soc, &params, kernel_drivers, kernel_nr_drivers, &err))
		fail("boot: %s", err.msg);
	fz.lc = bam_loopback_client_of(&fz.k, dt_find_path(fz.dt, F_LB_NODE));
	if (!fz.lc)
		fail("the loopback client did not bind");
	fz.chan[F_RX] = fz.lc->rx;
	fz.chan[F_TX] = fz.lc->tx;
	fz.sink = kzalloc(F_SINK_WORDS * sizeof(u32), GFP_KERNEL);
}


/* Terminate, give back what the harness owns, remove every driver, check. */
static void fz_teardown(void)
{
	struct bam_loopback_req *stuck = fz.xf.active ? &fz.xf.req : NULL;

	for (unsigned int c = 0; c < F_NR_CHANS; c++) {
		if (dmaengine_terminate_sync(fz.chan[c]))
			fail("terminate failed");
		chan_terminated(c);
	}
	sim_run(fz.sim);
	check_violations();
	for (unsigned int i = 0; i < F_SGLS; i++)
		if (fz.sgls[i].mapped)
			dma_unmap_sg(fz.lc->dev, fz.sgls[i].ents, (int)fz.sgls[i].mapped,
				     fz.sgls[i].dir);
	for (unsigned int i = 0; i < F_BUFS; i++)
		kfree(fz.bufs[i].p);
	kfree(fz.sink);
	/* An aborted loop transfer stays mapped by the client until it is removed. */
	driver_core_remove_all(&fz.k.dc);
	if (stuck) {
		kfree(stuck->src);
		if (stuck->dst != stuck->src)
			kfree(stuck->dst);
	}
	check_violations();
	fuzz_check_released(HARNESS);
	kernel_shutdown(&fz.k);
	soc_destroy(fz.soc);
	sim_destroy(fz.sim);
	dt_free(fz.dt);
}

/**
 * LLVMFuzzerTestOneInput - boot the loopback board as the first byte says,
 * run the rest as a program of dmaengine operations, then tear down and
 * check that nothing leaked and no always() failed
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	fz_boot(take(&in, 1));
	while (in.left) {
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&in);
		reap();
		check_violations();
		check_cookies();
	}
	fz_teardown();
	return 0;
}
