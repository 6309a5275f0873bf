/*
 * bench_dma.c - `secsoc bench dma`: how fast the whole normal-world DMA
 * stack runs on this host: the loopback client driver, the dmaengine core,
 * the BAM driver under the default lock policy, and the BAM and loopback
 * models, booted from the built-in "bam-loopback" board.
 *
 * For 4 KiB, 64 KiB and 1 MiB, loop transfers of kernel memory are
 * submitted from outside any CPU step and the simulation runs until the
 * client's completion callback ran; memcpy of the same bytes from the same
 * source runs side by side in the same process. A round walks through
 * 16 MiB buffers, so that both sides pay for memory as a DMA engine would
 * (bench_bam.c does the same). The memcpy goes to its own destination, so
 * that after each size the DMA destination proves the model moved every
 * byte. Modelled throughput (modelled time of the transfers) is reported
 * too, labelled as such.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bam_loopback_client.h>
#include <secsoc/slab.h>

#include "bench/bench.h"
#include "scenarios/scenario.h"

#define DMA_ROUND_BYTES (16u << 20)		/* bytes moved per timed round and size */
#define DMA_QUICK_ROUND_BYTES (1u << 20)
#define DMA_TARGET_BYTES (1u << 20)		/* the size the target is for */

static const unsigned int dma_sizes[] = { 4096, 65536, 1u << 20 };

struct dma_rig {
	struct machine m;
	struct bam_loopback_client *lc;
	u8 *src, *dst, *ref_dst;		/* kernel memory, round_bytes each */
	u32 round_bytes;
	struct bam_loopback_req req;
	bool done;
	unsigned int len, xfers;		/* transfer size, transfers per round */
	u64 modelled_ns;			/* of the last round */
};

static int rig_boot(struct dma_rig *rig, struct secsoc_error *err)
{
	struct sim_config sc = { .seed = 1, .max_steps = ~0ULL >> 1, .jitter_pct = 0 };
	const struct dt_node *np;
	const char *state;
	struct sim *sim;
	struct dt *dt;
	int ret = soc_load_builtin("bam-loopback", &dt, err);

	if (ret)
		return ret;
	sim = sim_create(&sc);
	if (!sim) {
		dt_free(dt);
		return internal_error(err, "bench dma: out of memory for the simulation");
	}
	/* From here on machine_close() frees the simulation and the tree. */
	ret = machine_boot(&rig->m, sim, dt, SCENARIO_NEEDS_RAM, err);
	if (ret)
		return ret;
	np = dt_find_compatible(dt, NULL, "secsoc,bam-loopback");
	rig->lc = np ? bam_loopback_client_of(&rig->m.kernel, np) : NULL;
	if (!rig->lc) {
		state = np ? soc_binding(rig->m.soc, np)->driver_state : NULL;
		return internal_error(err, "bench dma: the loopback of %s has no bound driver "
				      "(driver state: %s)", dt->source, state ? state : "none");
	}
	rig->src = alloc_pages_exact(rig->round_bytes, GFP_KERNEL);
	rig->dst = alloc_pages_exact(rig->round_bytes, GFP_KERNEL);
	rig->ref_dst = alloc_pages_exact(rig->round_bytes, GFP_KERNEL);
	if (!rig->src || !rig->dst || !rig->ref_dst)
		return internal_error(err, "bench dma: out of kernel memory for the buffers");
	return 0;
}

static void rig_close(struct dma_rig *rig)
{
	u8 *bufs[] = { rig->src, rig->dst, rig->ref_dst };

	for (size_t i = 0; i < ARRAY_SIZE(bufs); i++)
		if (bufs[i])
			free_pages_exact(bufs[i], rig->round_bytes);
	if (rig->m.sim)
		machine_close(&rig->m);
}

static void xfer_done(struct bam_loopback_req *req)
{
	struct dma_rig *rig = req->context;

	rig->done = true;
}

/* Loop transfer @i of a round, submitted between steps, run until its callback ran. */
static int loop_once(struct dma_rig *rig, unsigned int i, struct secsoc_error *err)
{
	struct sim *sim = rig->m.sim;
	u64 t0 = sim_now_ns(sim);
	enum sim_stop_reason why;
	int ret;

	rig->done = false;
	rig->req = (struct bam_loopback_req){ .src = rig->src + (size_t)i * rig->len,
					      .dst = rig->dst + (size_t)i * rig->len,
					      .len = rig->len, .done = xfer_done, .context = rig };
	ret = bam_loopback_xfer(rig->lc, &rig->req);
	if (ret)
		return internal_error(err, "bench dma: a %u-byte loop transfer was refused (%d)",
				      rig->len, ret);
	why = sim_run(sim);
	rig->modelled_ns += sim_now_ns(sim) - t0;
	if (!rig->done || rig->req.result || sim_guest_error_count(sim))
		return internal_error(err, "bench dma: a %u-byte loop transfer %s (result %d, "
				      "stopped: %s, %llu guest errors)", rig->len,
				      rig->done ? "failed" : "never completed", rig->req.result,
				      sim_stop_reason_name(why),
				      (unsigned long long)sim_guest_error_count(sim));
	return 0;
}

static int dma_round(void *ctx, struct secsoc_error *err)
{
	struct dma_rig *rig = ctx;

	rig->modelled_ns = 0;
	for (unsigned int i = 0; i < rig->xfers; i++)
		if (loop_once(rig, i, err))
			return -EINVAL;
	return 0;
}

static int memcpy_round(void *ctx, struct secsoc_error *err)
{
	struct dma_rig *rig = ctx;

	for (unsigned int i = 0; i < rig->xfers; i++) {
		memcpy(rig->ref_dst + (size_t)i * rig->len, rig->src + (size_t)i * rig->len,
		       rig->len);
		/* Keep the compiler from dropping the copies. */
		__asm__ volatile("" : : "r"(rig->ref_dst) : "memory");
	}
	return 0;
}

/* A pattern that differs per size, and a destination that matches none. */
static void fill_buffers(struct dma_rig *rig)
{
	for (u32 i = 0; i < rig->round_bytes; i++) {
		rig->src[i] = (u8)((i + rig->len) * 2654435761u >> 24);
		rig->dst[i] = (u8)~rig->src[i];
	}
}

static void report_size(struct dma_rig *rig, const struct bench_pair *p, struct report *r)
{
	double bytes = (double)rig->len * rig->xfers;

	report_row_begin(r);
	report_u64(r, "bytes", rig->len);
	report_u64(r, "transfers_per_round", rig->xfers);
	report_double(r, "host_bytes_per_s", bytes * 1e9 / (double)p->model_ns);
	report_double(r, "memcpy_bytes_per_s", bytes * 1e9 / (double)p->reference_ns);
	/* The target is for 1 MiB transfers; the smaller ones show the per-transfer cost. */
	if (rig->len == DMA_TARGET_BYTES)
		bench_report_ratio(r, "ratio_vs_memcpy", p, 0.5);
	else
		report_double(r, "ratio_vs_memcpy", (double)p->reference_ns / (double)p->model_ns);
	report_double(r, "modelled_bytes_per_s", bytes * 1e9 / (double)rig->modelled_ns);
	report_bool(r, "verified", true);
	report_row_end(r);
}

/* One size on a freshly booted machine, so no size pays for another's choice log. */
static int measure_size(const struct bench_options *opt, unsigned int len, struct report *r,
			struct secsoc_error *err)
{
	struct dma_rig rig = {
		.round_bytes = opt->quick ? DMA_QUICK_ROUND_BYTES : DMA_ROUND_BYTES,
		.len = len,
	};
	struct bench_pair p;
	int ret = rig_boot(&rig, err);

	if (ret)
		goto out;
	rig.xfers = rig.round_bytes / rig.len;
	fill_buffers(&rig);
	ret = bench_side_by_side(dma_round, memcpy_round, &rig, opt->quick ? 1 : 5, &p, err);
	if (ret)
		goto out;
	if (memcmp(rig.dst, rig.src, rig.round_bytes)) {
		ret = -EBADMSG;
		internal_error(err, "bench dma: the bytes looped in %u-byte transfers differ from "
			       "the source", rig.len);
		goto out;
	}
	report_size(&rig, &p, r);
out:
	rig_close(&rig);
	return ret;
}

static int bench_dma_run(const struct bench_options *opt, struct report *r,
			 struct secsoc_error *err)
{
	int ret = 0;

	report_str(r, "board", "built-in bam-loopback.dts");
	report_str(r, "lock_policy", lock_policy_name(LOCK_POLICY_DEFAULT));
	report_list_begin(r, "sizes");
	for (size_t s = 0; s < ARRAY_SIZE(dma_sizes) && !ret; s++)
		ret = measure_size(opt, dma_sizes[s], r, err);
	report_list_end(r);
	return ret;
}

const struct bench bench_dma = {
	.name = "dma",
	.summary = "BAM driver + model through the loopback: 4 KiB..1 MiB transfers vs memcpy",
	.run = bench_dma_run,
};
