/*
 * bench_bam.c - `secsoc bench bam`: how fast the BAM model runs on this
 * host, through the loopback peripheral.
 *
 * Two figures: command descriptors per second (16-byte descriptors of one
 * WRITE command element each), and bytes per second for 32 KiB data
 * descriptors looped from a consumer pipe to a producer pipe, against
 * memcpy of the same bytes between the same buffers in the same run. The
 * buffers are 16 MiB each so that both sides pay for memory, as a DMA
 * engine would. The rig is programmed through MMIO exactly as a driver
 * would (reset, pipe init, descriptors, P_EVNT_REG); the modelled time the
 * work took is reported too, labelled as modelled.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bam.h>
#include <secsoc/bam_loopback.h>
#include <secsoc/sim.h>

#include "bench/bench.h"

#define RIG_RAM 0x80000000ULL
#define RIG_RAM_SIZE (64ULL << 20)
#define RIG_BAM 0x01dc4000ULL
#define RIG_LOOPBACK 0x01dfa000ULL
#define RIG_FIFO(pipe) (RIG_RAM + (u64)(pipe) * 0x8000)
#define RIG_CE (RIG_RAM + 0x20000)
#define RIG_SRC (RIG_RAM + (16ULL << 20))
#define RIG_DST (RIG_RAM + (32ULL << 20))
#define RIG_FIFO_BYTES 0x7ff8		/* as the Linux driver programs it */
#define RIG_FIFO_SLOTS (RIG_FIFO_BYTES / 8)
#define DATA_DESC_BYTES 32768
#define DATA_DESCS 512			/* 16 MiB per round */
#define CMD_DESCS (RIG_FIFO_SLOTS - 1)	/* one FIFO's worth per round */

struct bam_rig {
	struct sim *sim;
	struct bus *bus;
	struct bam *bam;
	struct bam_loopback *lb;
	struct bus_master cpu;
	u32 tail[2];
	u64 modelled_ns;	/* of the last round */
	unsigned int cmd_rounds;
};

static void rig_write(struct bam_rig *rig, enum bam_reg reg, unsigned int index, u32 val)
{
	bool per_ee = reg == BAM_IRQ_SRCS_EE || reg == BAM_IRQ_SRCS_MSK_EE;
	u32 off = bam_reg_offset(BAM_V1_7_0, reg, per_ee ? 0 : index, per_ee ? index : 0);

	bus_write_sized(rig->bus, &rig->cpu, RIG_BAM + off, 4, val);
}

/* bam_reset and bam_chan_init_hw, as the driver does them. */
static void rig_init_hw(struct bam_rig *rig)
{
	rig_write(rig, BAM_CTRL, 0, BAM_CTRL_SW_RST);
	rig_write(rig, BAM_CTRL, 0, 0);
	rig_write(rig, BAM_CTRL, 0, BAM_CTRL_BAM_EN);
	rig_write(rig, BAM_DESC_CNT_TRSHLD, 0, 4);
	rig_write(rig, BAM_CNFG_BITS, 0, BAM_CNFG_BITS_DEFAULT);
	rig_write(rig, BAM_IRQ_EN, 0, BAM_IRQ_ERROR | BAM_IRQ_HRESP_ERR);
	rig_write(rig, BAM_IRQ_SRCS_MSK_EE, 0, BAM_IRQ_SRCS_BAM | BIT(0) | BIT(1));
	for (unsigned int p = 0; p < 2; p++) {
		rig_write(rig, BAM_P_RST, p, 1);
		rig_write(rig, BAM_P_RST, p, 0);
		rig_write(rig, BAM_P_DESC_FIFO_ADDR, p, (u32)RIG_FIFO(p));
		rig_write(rig, BAM_P_FIFO_SIZES, p, RIG_FIFO_BYTES);
		rig_write(rig, BAM_P_IRQ_EN, p, BAM_P_PRCSD_DESC | BAM_P_ERR | BAM_P_TRNSFR_END);
		rig_write(rig, BAM_P_CTRL, p, BAM_P_EN | BAM_P_SYS_MODE | (p ? BAM_P_DIRECTION : 0));
	}
}

static int rig_create(struct bam_rig *rig, struct secsoc_error *err)
{
	struct sim_config sc = { .seed = 1, .max_steps = ~0ULL >> 1, .jitter_pct = 0 };
	struct bam_config bc = {
		.name = "bench-bam", .base = RIG_BAM, .size = 0x28000, .version = BAM_V1_7_0,
		.nr_pipes = 2, .nr_ees = 1, .nsaid = 1,
		.timing = { BAM_FETCH_NS_DEFAULT, BAM_CE_NS_DEFAULT, BAM_PS_PER_BYTE_DEFAULT,
			    BAM_IRQ_LATENCY_NS_DEFAULT },
	};
	struct bam_ce_hw ce = {
		.cmd_and_addr = htole32((u32)(RIG_LOOPBACK + LOOPBACK_SCRATCH) & BAM_CE_ADDR),
		.data = htole32(0x5a5a5a5a), .mask = 0xffffffff,
	};

	*rig = (struct bam_rig){ .cpu = { .name = "bench-cpu", .kind = BUS_MASTER_CPU } };
	rig->sim = sim_create(&sc);
	rig->bus = bus_create();
	if (!rig->sim || !rig->bus || bus_add_ram(rig->bus, "ram", RIG_RAM, RIG_RAM_SIZE, err))
		return -ENOMEM;
	rig->bam = bam_create(rig->sim, rig->bus, &bc, err);
	if (!rig->bam)
		return -EINVAL;
	rig->lb = bam_loopback_create(rig->sim, rig->bus, rig->bam, "bench-loopback",
				      RIG_LOOPBACK, err);
	if (!rig->lb)
		return -EINVAL;
	memcpy(bus_ram_backdoor(rig->bus, RIG_CE, sizeof(ce)), &ce, sizeof(ce));
	rig_init_hw(rig);
	return 0;
}

static void rig_destroy(struct bam_rig *rig)
{
	bam_loopback_destroy(rig->lb);
	bam_destroy(rig->bam);
	bus_destroy(rig->bus);
	sim_destroy(rig->sim);
}

/* Write descriptors at the pipe's tail and post them, as bam_start_dma does. */
static void rig_post(struct bam_rig *rig, unsigned int pipe, u32 addr, u32 stride, u16 size,
		     u16 flags, unsigned int n)
{
	struct bam_desc *fifo = bus_ram_backdoor(rig->bus, RIG_FIFO(pipe), RIG_FIFO_BYTES);

	for (unsigned int i = 0; i < n; i++) {
		struct bam_desc *d = &fifo[rig->tail[pipe]];

		d->addr = htole32(addr + i * stride);
		d->size = htole16(size);
		d->flags = htole16(flags | (i == n - 1 ? BAM_DESC_INT : 0));
		rig->tail[pipe] = (rig->tail[pipe] + 1) % RIG_FIFO_SLOTS;
	}
	rig_write(rig, BAM_P_EVNT_REG, pipe, rig->tail[pipe] * 8);
}

static int rig_run(struct bam_rig *rig, struct secsoc_error *err)
{
	u64 t0 = sim_now_ns(rig->sim);
	enum sim_stop_reason why = sim_run(rig->sim);

	rig->modelled_ns = sim_now_ns(rig->sim) - t0;
	if (why != SIM_STOP_QUIESCENT || sim_guest_error_count(rig->sim))
		return internal_error(err, "bench bam: the model stopped (%s) with %llu guest "
				      "errors; pipe 0: '%s', pipe 1: '%s'",
				      sim_stop_reason_name(why),
				      (unsigned long long)sim_guest_error_count(rig->sim),
				      bam_pipe_error(rig->bam, 0), bam_pipe_error(rig->bam, 1));
	return 0;
}

static int cmd_round(void *ctx, struct secsoc_error *err)
{
	struct bam_rig *rig = ctx;

	for (unsigned int i = 0; i < rig->cmd_rounds; i++) {
		rig_post(rig, 0, (u32)RIG_CE, 0, sizeof(struct bam_ce_hw), BAM_DESC_CMD,
			 CMD_DESCS);
		if (rig_run(rig, err))
			return -EINVAL;
	}
	return 0;
}

static int data_round(void *ctx, struct secsoc_error *err)
{
	struct bam_rig *rig = ctx;

	/* The producer first, so that the loopback writes straight into its buffers. */
	rig_post(rig, 1, (u32)RIG_DST, DATA_DESC_BYTES, DATA_DESC_BYTES, 0, DATA_DESCS);
	rig_post(rig, 0, (u32)RIG_SRC, DATA_DESC_BYTES, DATA_DESC_BYTES, 0, DATA_DESCS);
	return rig_run(rig, err);
}

static int memcpy_round(void *ctx, struct secsoc_error *err)
{
	struct bam_rig *rig = ctx;
	u8 *src = bus_ram_backdoor(rig->bus, RIG_SRC, DATA_DESCS * DATA_DESC_BYTES);
	u8 *dst = bus_ram_backdoor(rig->bus, RIG_DST, DATA_DESCS * DATA_DESC_BYTES);

	for (unsigned int i = 0; i < DATA_DESCS; i++)
		memcpy(dst + i * DATA_DESC_BYTES, src + i * DATA_DESC_BYTES, DATA_DESC_BYTES);
	/* Keep the compiler from dropping the copies. */
	__asm__ volatile("" : : "r"(dst) : "memory");
	return 0;
}

static int nothing(void *ctx, struct secsoc_error *err)
{
	return 0;
}

static int check_looped(struct bam_rig *rig, struct secsoc_error *err)
{
	const u8 *src = bus_ram_backdoor(rig->bus, RIG_SRC, DATA_DESCS * DATA_DESC_BYTES);
	const u8 *dst = bus_ram_backdoor(rig->bus, RIG_DST, DATA_DESCS * DATA_DESC_BYTES);

	if (memcmp(src, dst, DATA_DESCS * DATA_DESC_BYTES))
		return internal_error(err, "bench bam: the looped data differs from the source");
	return 0;
}

static void fill_source(struct bam_rig *rig)
{
	u8 *src = bus_ram_backdoor(rig->bus, RIG_SRC, DATA_DESCS * DATA_DESC_BYTES);

	for (u32 i = 0; i < DATA_DESCS * DATA_DESC_BYTES; i++)
		src[i] = (u8)(i * 2654435761u >> 24);
}

static int bench_bam_figures(struct bam_rig *rig, const struct bench_options *opt,
			     struct report *r, struct secsoc_error *err)
{
	unsigned int rounds = opt->quick ? 1 : 5;
	struct bench_pair cmd, data;
	double bytes = (double)DATA_DESCS * DATA_DESC_BYTES;

	rig->cmd_rounds = opt->quick ? 1 : 8;
	if (bench_side_by_side(cmd_round, nothing, rig, rounds, &cmd, err))
		return -EINVAL;
	report_section_begin(r, "command_descriptors");
	report_u64(r, "descriptor_bytes", sizeof(struct bam_ce_hw));
	report_u64(r, "descriptors", (u64)CMD_DESCS * rig->cmd_rounds);
	report_double(r, "host_descriptors_per_s",
		      (double)CMD_DESCS * rig->cmd_rounds * 1e9 / (double)cmd.model_ns);
	report_double(r, "modelled_descriptors_per_s",
		      (double)CMD_DESCS * 1e9 / (double)rig->modelled_ns);
	report_section_end(r);

	fill_source(rig);
	if (bench_side_by_side(data_round, memcpy_round, rig, rounds, &data, err) ||
	    check_looped(rig, err))
		return -EINVAL;
	report_section_begin(r, "data_descriptors");
	report_u64(r, "descriptor_bytes", DATA_DESC_BYTES);
	report_u64(r, "bytes_per_round", (u64)bytes);
	report_double(r, "host_bytes_per_s", bytes * 1e9 / (double)data.model_ns);
	report_double(r, "memcpy_bytes_per_s", bytes * 1e9 / (double)data.reference_ns);
	bench_report_ratio(r, "ratio_vs_memcpy", &data, 0.5);
	report_double(r, "modelled_bytes_per_s", bytes * 1e9 / (double)rig->modelled_ns);
	report_section_end(r);
	return 0;
}

static int bench_bam_run(const struct bench_options *opt, struct report *r,
			 struct secsoc_error *err)
{
	struct bam_rig rig;
	int ret = rig_create(&rig, err);

	if (!ret)
		ret = bench_bam_figures(&rig, opt, r, err);
	rig_destroy(&rig);
	return ret;
}

const struct bench bench_bam = {
	.name = "bam",
	.summary = "BAM model: command descriptors/s and 32 KiB data descriptors vs memcpy",
	.run = bench_bam_run,
};
