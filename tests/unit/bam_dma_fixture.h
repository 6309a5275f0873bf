/*
 * bam_dma_fixture.h - the BAM DMA driver on the loopback board, for
 * tests/unit/test_bam_dma*.c: the board (soc/boards/bam-loopback.dts, or a
 * variant with one string replaced) boots with every built-in driver under
 * a chosen lock policy; tests drive the loopback client's channels through
 * the dmaengine API and read back what the driver wrote into modelled RAM.
 *
 * Teardown is the resource check of invariant 7: once every driver is
 * removed, no kmalloc object, page, DMA mapping, coherent buffer or
 * ioremap may be left, and no always() may have failed.
 */
#ifndef SECSOC_TEST_BAM_DMA_FIXTURE_H
#define SECSOC_TEST_BAM_DMA_FIXTURE_H

#include <stdlib.h>
#include <string.h>

#include <secsoc/bam_loopback_client.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/dma/qcom_bam_dma.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define LB_BOARD "soc/boards/bam-loopback.dts"
#define LB_NODE "/soc@0/loopback@1dfa000"
#define LB_BAM_BASE 0x01dc4000ULL
#define LB_BASE 0x01dfa000ULL
#define LB_RX_PIPE 4
#define LB_TX_PIPE 5

struct dma_fx {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	struct kernel k;
	struct bam_loopback_client *lc;
	struct bam *bam;
};

static struct dma_fx dfx;

/* A variant of the loopback board: @from replaced by @to (both NULL: none). */
static inline const char *dma_fx_board(const char *from, const char *to)
{
	return test_board_variant(LB_BOARD, "board.dts", from, to);
}

/**
 * dma_fx_boot_cfg - boot the board variant under @policy with @cfg
 *
 * Return: kernel_boot()'s result (the hardware and secure world must come up).
 */
static inline int dma_fx_boot_cfg(enum lock_policy policy, const char *from, const char *to,
				  struct sim_config *cfg, struct secsoc_error *err)
{
	struct kernel_params params = { .lock_policy = policy };

	memset(&dfx, 0, sizeof(dfx));
	assert_int_equal(soc_load_dt(NULL, dma_fx_board(from, to), &dfx.dt, err), 0);
	dfx.sim = sim_create(cfg);
	assert_int_equal(soc_create(dfx.sim, dfx.dt, &dfx.soc, err), 0);
	assert_int_equal(tee_boot(&dfx.tee, dfx.soc, err), 0);
	dfx.bam = dfx.soc->bams[0].bam;
	return kernel_boot(&dfx.k, dfx.soc, &params, kernel_drivers, kernel_nr_drivers, err);
}

/** dma_fx_boot - the board variant under @policy, seed 1; the client must bind */
static inline void dma_fx_boot(enum lock_policy policy, const char *from, const char *to)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };

	assert_int_equal(dma_fx_boot_cfg(policy, from, to, &cfg, &err), 0);
	dfx.lc = bam_loopback_client_of(&dfx.k, dt_find_path(dfx.dt, LB_NODE));
	assert_non_null(dfx.lc);
}

/** dma_fx_shutdown - remove every driver, check nothing is left, free it all */
static inline void dma_fx_shutdown(void)
{
	struct dma_mapping_stats maps;
	struct kmem_stats mem;

	driver_core_remove_all(&dfx.k.dc);
	mem = kmem_stats();
	maps = dma_mapping_stats();
	assert_int_equal(mem.objects, 0);
	assert_int_equal(mem.pages, 0);
	assert_int_equal(maps.live, 0);
	assert_int_equal(maps.coherent, 0);
	assert_int_equal(ioremap_count(), 0);
	assert_int_equal(sim_violation_count(dfx.sim), 0);
	kernel_shutdown(&dfx.k);
	soc_destroy(dfx.soc);
	sim_destroy(dfx.sim);
	dt_free(dfx.dt);
}

static inline int dma_fx_setup_nwd(void **state)
{
	dma_fx_boot(LOCK_POLICY_NWD, NULL, NULL);
	return 0;
}

static inline int dma_fx_teardown(void **state)
{
	dma_fx_shutdown();
	return 0;
}

#define DMA_TEST(fn) cmocka_unit_test_setup_teardown(fn, dma_fx_setup_nwd, dma_fx_teardown)

/** dma_fx_bam_err - the BAM driver's last dev_err() message */
static inline const char *dma_fx_bam_err(void)
{
	return driver_core_find(&dfx.k.dc, dfx.soc->bams[0].np)->err;
}

/** dma_fx_run - run the simulation until nothing is ready */
static inline void dma_fx_run(void)
{
	assert_int_equal(sim_run(dfx.sim), SIM_STOP_QUIESCENT);
}

/** dma_fx_buf - @len bytes of kernel memory filled with a pattern of @seed */
static inline u8 *dma_fx_buf(size_t len, u8 seed)
{
	u8 *buf = kmalloc(len, GFP_KERNEL);

	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (u8)(seed + i * 7 + (i >> 8));
	return buf;
}

/** dma_fx_reg - a BAM register of the loopback's pipes, read through the bus */
static inline u32 dma_fx_reg(enum bam_reg reg, unsigned int pipe)
{
	const struct bam_config *cfg = bam_config(dfx.bam);
	u64 val = 0;
	static const struct bus_master probe = {
		.name = "test", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
	};

	assert_int_equal(bus_read_sized(dfx.soc->bus, &probe,
					cfg->base + bam_reg_offset(cfg->version, reg, pipe, 0), 4,
					&val), BUS_OKAY);
	return (u32)val;
}

/** dma_fx_fifo - hardware descriptor @i of @pipe's FIFO, read from modelled RAM */
static inline struct bam_desc dma_fx_fifo(unsigned int pipe, unsigned int i)
{
	u64 base = dma_fx_reg(BAM_P_DESC_FIFO_ADDR, pipe);
	struct bam_desc d;

	memcpy(&d, bus_ram_backdoor(dfx.soc->bus, base + i * sizeof(d), sizeof(d)), sizeof(d));
	return d;
}

/** dma_fx_fifo_tail - descriptors software has put in @pipe's FIFO (P_EVNT_REG / 8) */
static inline unsigned int dma_fx_fifo_tail(unsigned int pipe)
{
	return (dma_fx_reg(BAM_P_EVNT_REG, pipe) & 0xffff) / sizeof(struct bam_desc);
}

/** dma_fx_ce - the command element a command descriptor points at */
static inline struct bam_ce_hw dma_fx_ce(const struct bam_desc *d, unsigned int idx)
{
	struct bam_ce_hw ce;

	memcpy(&ce, bus_ram_backdoor(dfx.soc->bus, d->addr + idx * sizeof(ce), sizeof(ce)),
	       sizeof(ce));
	return ce;
}

#endif /* SECSOC_TEST_BAM_DMA_FIXTURE_H */
