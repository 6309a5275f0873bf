/*
 * test_bam_regs.c - the BAM register file at register level: reset values,
 * the four per-version layouts (offsets, and a whole init + transfer +
 * completion interrupt through each), pipe ownership by EEs and the secure
 * register rules, interrupts per EE and every mask on the way to the line,
 * unimplemented registers, and the configurations bam_create() refuses.
 * Issue #3 acceptance; the bench is in bam_fixture.h.
 */
#include <errno.h>

#include "bam_fixture.h"

/* ---- reset ---- */

static void check_reset_values(void)
{
	u32 rev = rd(BAM_REVISION, 0);

	assert_int_equal(FIELD_GET(BAM_REVISION_NUM_EES, rev), NR_EES);
	assert_true(rev & BAM_REVISION_CMD_DESC_EN);
	assert_int_equal(FIELD_GET(BAM_NUM_PIPES_PIPES, rd(BAM_NUM_PIPES, 0)), NR_PIPES);
	assert_int_equal(rd(BAM_CNFG_BITS, 0), BAM_CNFG_BITS_DEFAULT);
	assert_int_equal(rd(BAM_DESC_CNT_TRSHLD, 0), 4);
	assert_int_equal(rd(BAM_IRQ_STTS, 0), 0);
	assert_int_equal(rd(BAM_IRQ_EN, 0), 0);
	assert_int_equal(rd(BAM_IRQ_SRCS_MSK, 0), 0);
	for (unsigned int ee = 0; ee < NR_EES; ee++)
		assert_int_equal(rd(BAM_IRQ_SRCS_MSK_EE, ee), 0);
	for (unsigned int p = 0; p < NR_PIPES; p++) {
		assert_int_equal(rd(BAM_P_CTRL, p), 0);
		assert_int_equal(rd(BAM_P_IRQ_STTS, p), 0);
		assert_int_equal(rd(BAM_P_IRQ_EN, p), 0);
		assert_int_equal(rd(BAM_P_SW_OFSTS, p), 0);
		assert_int_equal(rd(BAM_P_EVNT_REG, p), 0);
		assert_int_equal(rd(BAM_P_DESC_FIFO_ADDR, p), 0);
		assert_int_equal(rd(BAM_P_FIFO_SIZES, p), 0);
		assert_int_equal(rd(BAM_P_TRUST_REG, p), LINUX_EE);
	}
}

static void test_reset_values(void **state)
{
	check_reset_values();
	assert_int_equal(rd(BAM_CTRL, 0), 0);
	assert_int_equal(guest_errors(), 0);
}

static void test_sw_rst_restores_reset_values(void **state)
{
	bam_fx_linux();
	wr(BAM_DESC_CNT_TRSHLD, 0, 0x20);
	wr(BAM_CNFG_BITS, 0, 0x1234);
	wr(BAM_IRQ_SRCS_MSK, 0, 0xff);
	wr(BAM_IRQ_SRCS_MSK_EE, 2, 0x80000003);
	assert_int_equal(rd(BAM_DESC_CNT_TRSHLD, 0), 0x20);
	assert_int_equal(rd(BAM_CNFG_BITS, 0), 0x1234);

	wr(BAM_CTRL, 0, BAM_CTRL_SW_RST | BAM_CTRL_BAM_EN);
	check_reset_values();
	wr(BAM_CTRL, 0, 0);
	check_reset_values();
	assert_int_equal(guest_errors(), 0);
}

/* CTRL.SW_RST holds the BAM: nothing runs until it is released and BAM_EN set. */
static void test_sw_rst_and_bam_en_gate_the_pipes(void **state)
{
	bam_fx_linux();
	wr(BAM_CTRL, 0, BAM_CTRL_SW_RST | BAM_CTRL_BAM_EN);
	pipe_init(0, false);
	post(0, BUF(0), 64, BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 0);
	wr(BAM_CTRL, 0, 0);
	run();
	assert_int_equal(hw_index(0), 0);
	wr(BAM_CTRL, 0, BAM_CTRL_BAM_EN);
	run();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(bam_loopback_bytes(fx.lb), 64);
}

/* ---- layouts ---- */

struct layout_point {
	enum bam_reg reg;
	unsigned int pipe, ee;
	u32 off[BAM_NR_VERSIONS];	/* v1.3, v1.4, v1.7, v2.0 */
};

/* Typed from the reference's table (§1.1), pipe 2 / EE 1 where they apply. */
static const struct layout_point layout_points[] = {
	{ BAM_CTRL, 0, 0, { 0xf80, 0x000, 0x0000, 0x0000 } },
	{ BAM_REVISION, 0, 0, { 0xf84, 0x004, 0x1000, 0x1000 } },
	{ BAM_NUM_PIPES, 0, 0, { 0xfbc, 0x03c, 0x1008, 0x1008 } },
	{ BAM_DESC_CNT_TRSHLD, 0, 0, { 0xf88, 0x008, 0x0008, 0x0008 } },
	{ BAM_IRQ_SRCS, 0, 0, { 0xf8c, 0x00c, 0x3010, 0x3010 } },
	{ BAM_IRQ_SRCS_MSK, 0, 0, { 0xf90, 0x010, 0x3014, 0x3014 } },
	{ BAM_IRQ_SRCS_UNMASKED, 0, 0, { 0xfb0, 0x030, 0x3018, 0x3018 } },
	{ BAM_IRQ_STTS, 0, 0, { 0xf94, 0x014, 0x0014, 0x0014 } },
	{ BAM_IRQ_CLR, 0, 0, { 0xf98, 0x018, 0x0018, 0x0018 } },
	{ BAM_IRQ_EN, 0, 0, { 0xf9c, 0x01c, 0x001c, 0x001c } },
	{ BAM_CNFG_BITS, 0, 0, { 0xffc, 0x07c, 0x007c, 0x007c } },
	{ BAM_IRQ_SRCS_EE, 0, 1, { 0x1880, 0x0880, 0x4000, 0x4000 } },
	{ BAM_IRQ_SRCS_MSK_EE, 0, 1, { 0x1884, 0x0884, 0x4004, 0x4004 } },
	{ BAM_P_CTRL, 2, 0, { 0x100, 0x3000, 0x15000, 0xe000 } },
	{ BAM_P_RST, 2, 0, { 0x104, 0x3004, 0x15004, 0xe004 } },
	{ BAM_P_HALT, 2, 0, { 0x108, 0x3008, 0x15008, 0xe008 } },
	{ BAM_P_IRQ_STTS, 2, 0, { 0x110, 0x3010, 0x15010, 0xe010 } },
	{ BAM_P_IRQ_CLR, 2, 0, { 0x114, 0x3014, 0x15014, 0xe014 } },
	{ BAM_P_IRQ_EN, 2, 0, { 0x118, 0x3018, 0x15018, 0xe018 } },
	{ BAM_P_SW_OFSTS, 2, 0, { 0x1080, 0x3800, 0x15800, 0xe800 } },
	{ BAM_P_EVNT_REG, 2, 0, { 0x1098, 0x3818, 0x15818, 0xe818 } },
	{ BAM_P_DESC_FIFO_ADDR, 2, 0, { 0x109c, 0x381c, 0x1581c, 0xe81c } },
	{ BAM_P_FIFO_SIZES, 2, 0, { 0x10a0, 0x3820, 0x15820, 0xe820 } },
	{ BAM_P_DATA_FIFO_ADDR, 2, 0, { 0x10a4, 0x3824, 0x15824, 0xe824 } },
	{ BAM_P_EVNT_GEN_TRSHLD, 2, 0, { 0x10a8, 0x3828, 0x15828, 0xe828 } },
	{ BAM_P_EVNT_DEST_ADDR, 2, 0, { 0x10ac, 0x382c, 0x1582c, 0xe82c } },
	/* Pipe 0, EE 0: the bases themselves. */
	{ BAM_P_EVNT_REG, 0, 0, { 0x1018, 0x1818, 0x13818, 0xc818 } },
	{ BAM_IRQ_SRCS_EE, 0, 0, { 0x1800, 0x0800, 0x3000, 0x3000 } },
};

static void test_register_offsets_match_reference(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(layout_points); i++) {
		const struct layout_point *lp = &layout_points[i];

		for (unsigned int v = 0; v < BAM_NR_VERSIONS; v++) {
			u32 off = bam_reg_offset((enum bam_version)v, lp->reg, lp->pipe, lp->ee);

			if (off != lp->off[v])
				print_error("v%s %s(pipe %u, ee %u)\n",
					    bam_version_name((enum bam_version)v),
					    bam_reg_name(lp->reg), lp->pipe, lp->ee);
			assert_int_equal(off, lp->off[v]);
		}
	}
}

static void test_compatible_selects_layout(void **state)
{
	static const char *const compat[BAM_NR_VERSIONS] = {
		"qcom,bam-v1.3.0", "qcom,bam-v1.4.0", "qcom,bam-v1.7.0", "qcom,bam-v2.0.0",
	};
	enum bam_version v;

	for (unsigned int i = 0; i < BAM_NR_VERSIONS; i++) {
		assert_int_equal(bam_version_of_compatible(compat[i], &v), 0);
		assert_int_equal(v, i);
	}
	/* v1.7.4 is not a table of its own: boards list v1.7.0 after it. */
	assert_int_equal(bam_version_of_compatible("qcom,bam-v1.7.4", &v), -ENOENT);
	assert_int_equal(bam_version_of_compatible("qcom,qce", &v), -ENOENT);
	assert_false(bam_version_has_lock(BAM_V1_3_0));
	assert_true(bam_version_has_lock(BAM_V1_4_0));
	assert_true(bam_version_has_lock(BAM_V1_7_0));
	assert_true(bam_version_has_lock(BAM_V2_0_0));
}

/*
 * The whole driver flow through one layout: reset, pipe init, a transfer
 * through the loopback, the completion interrupt, and its handling.
 */
static void test_transfer_through_layout(void **state)
{
	u32 srcs, stts;

	check_reset_values();
	bam_fx_linux();
	assert_int_equal(rd(BAM_CTRL, 0), BAM_CTRL_BAM_EN);
	assert_int_equal(rd(BAM_IRQ_SRCS_MSK_EE, LINUX_EE), BAM_IRQ_SRCS_BAM | 0x3);
	assert_int_equal(rd(BAM_P_CTRL, 1), P_CTRL_PRODUCER);
	assert_int_equal(rd(BAM_P_FIFO_SIZES, 0), FIFO_BYTES);
	fill(BUF(0), 4096, 3);
	post(1, BUF(1), 4096, BAM_DESC_INT | BAM_DESC_EOT);
	post(0, BUF(0), 4096, BAM_DESC_INT | BAM_DESC_EOT);
	assert_false(ee_irq(LINUX_EE));
	run();

	assert_memory_equal(host(BUF(1), 4096), host(BUF(0), 4096), 4096);
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
	assert_true(ee_irq(LINUX_EE));
	/* The interrupt handler: IRQ_SRCS_EE, then each pipe's status to its clear. */
	srcs = rd(BAM_IRQ_SRCS_EE, LINUX_EE);
	assert_int_equal(srcs, 0x3);
	assert_int_equal(rd(BAM_IRQ_SRCS_UNMASKED, 0), 0x3);
	for (unsigned int p = 0; p < 2; p++) {
		stts = rd(BAM_P_IRQ_STTS, p);
		assert_int_equal(stts, BAM_P_PRCSD_DESC | BAM_P_TRNSFR_END | BAM_P_OUT_OF_DESC);
		wr(BAM_P_IRQ_CLR, p, stts);
		assert_int_equal(rd(BAM_P_IRQ_STTS, p), 0);
	}
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), 0);
	assert_false(ee_irq(LINUX_EE));
	assert_int_equal(guest_errors(), 0);
}

/* ---- pipes and EEs ---- */

static void test_secure_write_assigns_pipe_to_ee(void **state)
{
	assign_pipe(2, SECURE_EE);
	assign_pipe(5, 3);
	assert_int_equal(rd_as(&cpu_s, BAM_P_TRUST_REG, 2), SECURE_EE);
	assert_int_equal(rd(BAM_P_TRUST_REG, 5), 3);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), SECURE_EE);
	assert_int_equal(bam_pipe_ee(fx.bam, 5), 3);
	assert_int_equal(bam_pipe_ee(fx.bam, 0), LINUX_EE);
	/* The pipes of a secure EE are secure bus masters; the others are not. */
	assert_true(bam_pipe_master(fx.bam, 2)->secure);
	assert_false(bam_pipe_master(fx.bam, 5)->secure);
	assert_false(bam_pipe_master(fx.bam, 0)->secure);
	assert_int_equal(bam_master_ee(fx.bam, bam_pipe_master(fx.bam, 2)), SECURE_EE);
	assert_int_equal(bam_master_ee(fx.bam, &cpu_ns), LINUX_EE);
	assert_int_equal(bam_master_ee(fx.bam, &cpu_s), SECURE_EE);
	/* Back to Linux: the pipe is non-secure again. */
	assign_pipe(2, LINUX_EE);
	assert_false(bam_pipe_master(fx.bam, 2)->secure);
	assert_int_equal(guest_errors(), 0);
}

static void test_nonsecure_trust_write_refused(void **state)
{
	u64 before = guest_errors();

	assert_int_equal(bus_write_sized(fx.bus, &cpu_ns, reg_addr(BAM_P_TRUST_REG, 2), 4,
					 SECURE_EE), BUS_SLVERR);
	assert_int_equal(guest_errors(), before + 1);
	assert_int_equal(rd(BAM_P_TRUST_REG, 2), LINUX_EE);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), LINUX_EE);
}

static void test_trust_write_of_missing_ee_ignored(void **state)
{
	u64 before = guest_errors();

	wr_as(&cpu_s, BAM_P_TRUST_REG, 2, NR_EES);
	assert_int_equal(guest_errors(), before + 1);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), LINUX_EE);
}

/* A secure pipe's registers answer secure masters only; P_TRUST_REG stays readable. */
static void test_secure_pipe_registers_refuse_nonsecure(void **state)
{
	u64 val = 0, before;

	bam_fx_secure_pair();
	before = guest_errors();
	assert_int_equal(bus_read_sized(fx.bus, &cpu_ns, reg_addr(BAM_P_CTRL, 2), 4, &val),
			 BUS_SLVERR);
	assert_int_equal(val, 0);
	assert_int_equal(bus_write_sized(fx.bus, &cpu_ns, reg_addr(BAM_P_EVNT_REG, 2), 4, 8),
			 BUS_SLVERR);
	assert_int_equal(bus_write_sized(fx.bus, &cpu_ns, reg_addr(BAM_P_RST, 2), 4, 1),
			 BUS_SLVERR);
	assert_int_equal(guest_errors(), before + 3);
	assert_int_equal(rd_as(&cpu_s, BAM_P_CTRL, 2),
			 P_CTRL_CONSUMER | FIELD_PREP(BAM_P_LOCK_GROUP, 1));
	assert_int_equal(rd_as(&cpu_s, BAM_P_EVNT_REG, 2), 0);
	assert_int_equal(rd(BAM_P_TRUST_REG, 2), SECURE_EE);
	/* Linux's own pipes are untouched by this. */
	assert_int_equal(rd(BAM_P_CTRL, 0), 0);
}

/* Pipe init starts with P_RST; a reset must not hand the pipe back to Linux. */
static void test_pipe_reset_keeps_ee(void **state)
{
	bam_fx_secure_pair();
	wr_as(&cpu_s, BAM_P_RST, 2, 1);
	wr_as(&cpu_s, BAM_P_RST, 2, 0);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), SECURE_EE);
	wr(BAM_CTRL, 0, BAM_CTRL_SW_RST);
	wr(BAM_CTRL, 0, 0);
	assert_int_equal(bam_pipe_ee(fx.bam, 2), SECURE_EE);
	assert_true(bam_pipe_master(fx.bam, 2)->secure);
}

/* A BAM of its own, outside the fixture, for configurations the fixture does not use. */
struct lone_bam {
	struct sim *sim;
	struct bus *bus;
	struct bam *bam;
	struct secsoc_error err;
};

static void lone_create(struct lone_bam *l, const struct bam_config *cfg)
{
	struct sim_config scfg = { .seed = 1 };

	memset(l, 0, sizeof(*l));
	l->sim = sim_create(&scfg);
	l->bus = bus_create();
	l->bam = bam_create(l->sim, l->bus, cfg, &l->err);
}

static void lone_destroy(struct lone_bam *l)
{
	bus_destroy(l->bus);
	bam_destroy(l->bam);
	sim_destroy(l->sim);
}

/* A BAM whose pipes all start in a secure EE: they are secure masters from reset. */
static void test_secure_reset_ee_makes_secure_masters(void **state)
{
	struct bam_config cfg = bam_fx_config(BAM_V1_7_0);
	struct lone_bam l;
	unsigned int ee;
	bool first, last;

	cfg.reset_ee = SECURE_EE;
	lone_create(&l, &cfg);
	assert_non_null(l.bam);
	ee = bam_pipe_ee(l.bam, 0);
	first = bam_pipe_master(l.bam, 0)->secure;
	last = bam_pipe_master(l.bam, NR_PIPES - 1)->secure;
	lone_destroy(&l);
	assert_int_equal(ee, SECURE_EE);
	assert_true(first);
	assert_true(last);
}

/* ---- interrupts ---- */

/* A pipe of EE 1 raises EE 1's line and IRQ_SRCS_EE(1), not EE 0's. */
static void test_irq_goes_to_pipe_ee(void **state)
{
	bam_fx_linux();
	wr(BAM_IRQ_SRCS_MSK_EE, LINUX_EE, 0x800000ff);	/* EE 0 would see any pipe */
	bam_fx_secure_pair();
	fill(BUF(0), 256, 9);
	queue(3, BUF(1), 256, BAM_DESC_INT | BAM_DESC_EOT);
	kick_as(&cpu_s, 3);
	queue(2, BUF(0), 256, BAM_DESC_INT | BAM_DESC_EOT);
	kick_as(&cpu_s, 2);
	run();

	assert_memory_equal(host(BUF(1), 256), host(BUF(0), 256), 256);
	assert_true(ee_irq(SECURE_EE));
	assert_false(ee_irq(LINUX_EE));
	assert_false(ee_irq(2));
	assert_int_equal(rd_as(&cpu_s, BAM_IRQ_SRCS_EE, SECURE_EE), BIT(2) | BIT(3));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), 0);
	assert_int_equal(rd(BAM_IRQ_SRCS_UNMASKED, 0), BIT(2) | BIT(3));
	wr_as(&cpu_s, BAM_P_IRQ_CLR, 2, rd_as(&cpu_s, BAM_P_IRQ_STTS, 2));
	assert_true(ee_irq(SECURE_EE));
	wr_as(&cpu_s, BAM_P_IRQ_CLR, 3, rd_as(&cpu_s, BAM_P_IRQ_STTS, 3));
	assert_false(ee_irq(SECURE_EE));
	assert_int_equal(rd_as(&cpu_s, BAM_IRQ_SRCS_EE, SECURE_EE), 0);
}

/* Status moves with the pipe: reassigning it moves its pending source. */
static void test_irq_source_follows_reassignment(void **state)
{
	bam_fx_linux();
	wr(BAM_IRQ_SRCS_MSK_EE, 2, BIT(0));
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_INT);
	run();
	assert_true(ee_irq(LINUX_EE));
	assert_false(ee_irq(2));
	assign_pipe(0, 2);
	assert_false(ee_irq(LINUX_EE));
	assert_true(ee_irq(2));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, 2), BIT(0));
}

/* P_IRQ_EN gates a pipe's status bits; writing it re-evaluates the line. */
static void test_p_irq_en_masks_status(void **state)
{
	bam_fx_linux();
	wr(BAM_P_IRQ_EN, 0, 0);
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_INT);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
	assert_int_equal(rd(BAM_IRQ_SRCS_UNMASKED, 0) & BIT(0), 0);
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), 0);
	assert_false(ee_irq(LINUX_EE));
	/* OUT_OF_DESC is not in the driver's 0x31. */
	wr(BAM_P_IRQ_EN, 0, BAM_P_OUT_OF_DESC);
	assert_true(ee_irq(LINUX_EE));
	wr(BAM_P_IRQ_EN, 0, 0);
	assert_false(ee_irq(LINUX_EE));
	wr(BAM_P_IRQ_EN, 0, P_IRQ_EN_LINUX);
	assert_true(ee_irq(LINUX_EE));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), BIT(0));
}

/* IRQ_SRCS_MSK_EE hides a pipe from its EE's IRQ_SRCS_EE and line, not from UNMASKED. */
static void test_irq_srcs_msk_ee_masks_pipe(void **state)
{
	bam_fx_linux();
	wr(BAM_IRQ_SRCS_MSK_EE, LINUX_EE, BAM_IRQ_SRCS_BAM);
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_INT);
	run();
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0), BAM_P_PRCSD_DESC | BAM_P_OUT_OF_DESC);
	assert_int_equal(rd(BAM_IRQ_SRCS_UNMASKED, 0), BIT(0));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), 0);
	assert_false(ee_irq(LINUX_EE));
	wr(BAM_IRQ_SRCS_MSK_EE, LINUX_EE, BAM_IRQ_SRCS_BAM | BIT(0));
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), BIT(0));
	assert_true(ee_irq(LINUX_EE));
}

/* IRQ_SRCS reports the unmasked sources through IRQ_SRCS_MSK. */
static void test_irq_srcs_global_mask(void **state)
{
	bam_fx_linux();
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_INT);
	run();
	assert_int_equal(rd(BAM_IRQ_SRCS, 0), 0);
	wr(BAM_IRQ_SRCS_MSK, 0, BIT(0));
	assert_int_equal(rd(BAM_IRQ_SRCS_MSK, 0), BIT(0));
	assert_int_equal(rd(BAM_IRQ_SRCS, 0), BIT(0));
}

/*
 * IRQ_STTS & IRQ_EN is bit 31 of every EE's sources; each EE's mask decides
 * whether its line sees it. IRQ_CLR clears it.
 */
static void test_global_irq_seen_by_every_ee(void **state)
{
	bam_fx_linux();
	wr(BAM_IRQ_SRCS_MSK_EE, 2, BAM_IRQ_SRCS_BAM);
	wr(BAM_IRQ_EN, 0, 0);
	post(0, BUF(0), 0, 0);		/* size 0: a pipe error */
	run();
	assert_int_equal(rd(BAM_IRQ_STTS, 0), BAM_IRQ_ERROR);
	wr(BAM_IRQ_SRCS_MSK_EE, LINUX_EE, BAM_IRQ_SRCS_BAM);	/* hide the pipe's own bit */
	assert_int_equal(rd(BAM_IRQ_SRCS_UNMASKED, 0) & BAM_IRQ_SRCS_BAM, 0);
	assert_false(ee_irq(LINUX_EE));
	assert_false(ee_irq(2));

	wr(BAM_IRQ_EN, 0, BAM_IRQ_ERROR | BAM_IRQ_HRESP_ERR);
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, LINUX_EE), BAM_IRQ_SRCS_BAM);
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, 2), BAM_IRQ_SRCS_BAM);
	assert_int_equal(rd(BAM_IRQ_SRCS_EE, 3), 0);	/* unmasked by nobody */
	assert_true(ee_irq(LINUX_EE));
	assert_true(ee_irq(2));
	assert_false(ee_irq(3));

	wr(BAM_IRQ_CLR, 0, BAM_IRQ_ERROR);
	assert_int_equal(rd(BAM_IRQ_STTS, 0), 0);
	assert_false(ee_irq(LINUX_EE));
	assert_false(ee_irq(2));
}

/* ---- register access rules ---- */

static void test_unimplemented_offset_is_guest_error(void **state)
{
	u64 val = ~0ULL, before = guest_errors();

	assert_int_equal(bus_read_sized(fx.bus, &cpu_ns, BAM_BASE + 0x2000, 4, &val), BUS_OKAY);
	assert_int_equal(val, 0);
	assert_int_equal(guest_errors(), before + 1);
	assert_int_equal(bus_write_sized(fx.bus, &cpu_ns, BAM_BASE + 0x2000, 4, 1), BUS_OKAY);
	assert_int_equal(guest_errors(), before + 2);
	/* Registers of pipe 8 and EE 4 do not exist on a BAM with 8 pipes and 4 EEs. */
	assert_int_equal(bus_read_sized(fx.bus, &cpu_ns, reg_addr(BAM_P_CTRL, NR_PIPES), 4, &val),
			 BUS_OKAY);
	assert_int_equal(val, 0);
	assert_int_equal(guest_errors(), before + 3);
	assert_int_equal(bus_read_sized(fx.bus, &cpu_ns, reg_addr(BAM_IRQ_SRCS_EE, NR_EES), 4,
					&val), BUS_OKAY);
	assert_int_equal(guest_errors(), before + 4);
}

static void test_write_only_and_read_only_registers(void **state)
{
	u64 before = guest_errors();
	u32 rev = rd(BAM_REVISION, 0);

	assert_int_equal(rd(BAM_IRQ_CLR, 0), 0);
	assert_int_equal(guest_errors(), before + 1);
	assert_int_equal(rd(BAM_P_IRQ_CLR, 0), 0);
	assert_int_equal(guest_errors(), before + 2);
	wr(BAM_REVISION, 0, 0);
	assert_int_equal(guest_errors(), before + 3);
	assert_int_equal(rd(BAM_REVISION, 0), rev);
	wr(BAM_P_SW_OFSTS, 0, 0x40);
	assert_int_equal(guest_errors(), before + 4);
	assert_int_equal(rd(BAM_P_SW_OFSTS, 0), 0);
}

/* ---- bam_create ---- */

static void check_rejected(const struct bam_config *cfg, const char *what)
{
	struct lone_bam l;

	lone_create(&l, cfg);
	assert_null(l.bam);
	assert_int_equal(l.err.kind, SECSOC_ERR_INPUT);
	if (!strstr(l.err.msg, what) || !strstr(l.err.msg, "bam@1dc4000"))
		print_error("message \"%s\" lacks \"%s\" or the node\n", l.err.msg, what);
	assert_non_null(strstr(l.err.msg, what));
	assert_non_null(strstr(l.err.msg, "bam@1dc4000"));
	/* Nothing was mapped: the window is free for a good BAM. */
	assert_int_equal(bus_write_sized(l.bus, &cpu_ns, BAM_BASE, 4, 0), BUS_DECERR);
	lone_destroy(&l);
}

static void test_create_rejects_bad_config(void **state)
{
	struct bam_config cfg = bam_fx_config(BAM_V1_7_0);

	cfg.nr_pipes = 0;
	check_rejected(&cfg, "0 pipes");
	cfg.nr_pipes = 32;
	check_rejected(&cfg, "32 pipes");
	cfg = bam_fx_config(BAM_V1_7_0);
	cfg.nr_ees = 0;
	check_rejected(&cfg, "0 execution environments");
	cfg.nr_ees = BAM_EES_MAX + 1;
	check_rejected(&cfg, "9 execution environments");
	cfg = bam_fx_config(BAM_V1_7_0);
	cfg.reset_ee = NR_EES;
	check_rejected(&cfg, "EE 4 does not exist");
	cfg = bam_fx_config(BAM_V1_7_0);
	cfg.size = 0x10000;		/* pipe 7's registers end at 0x1a830 */
	check_rejected(&cfg, "too small");
	cfg = bam_fx_config(BAM_V1_3_0);
	cfg.size = 0x1000;		/* the EE registers start at 0x1800 */
	check_rejected(&cfg, "too small");
}

static void test_create_accepts_limits(void **state)
{
	struct bam_config cfg = bam_fx_config(BAM_V1_7_0);
	struct lone_bam l;

	cfg.nr_pipes = BAM_PIPES_MAX;
	cfg.nr_ees = BAM_EES_MAX;
	cfg.size = 0x40000;
	lone_create(&l, &cfg);
	assert_non_null(l.bam);
	assert_int_equal(l.err.kind, SECSOC_ERR_NONE);
	lone_destroy(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BAM_TEST(test_reset_values),
		BAM_TEST(test_sw_rst_restores_reset_values),
		BAM_TEST(test_sw_rst_and_bam_en_gate_the_pipes),
		cmocka_unit_test(test_register_offsets_match_reference),
		cmocka_unit_test(test_compatible_selects_layout),
		VERSION_TEST(test_transfer_through_layout, BAM_V1_3_0),
		VERSION_TEST(test_transfer_through_layout, BAM_V1_4_0),
		VERSION_TEST(test_transfer_through_layout, BAM_V1_7_0),
		VERSION_TEST(test_transfer_through_layout, BAM_V2_0_0),
		VERSION_TEST(test_reset_values, BAM_V1_3_0),
		VERSION_TEST(test_reset_values, BAM_V1_4_0),
		VERSION_TEST(test_reset_values, BAM_V2_0_0),
		BAM_TEST(test_secure_write_assigns_pipe_to_ee),
		BAM_TEST(test_nonsecure_trust_write_refused),
		BAM_TEST(test_trust_write_of_missing_ee_ignored),
		BAM_TEST(test_secure_pipe_registers_refuse_nonsecure),
		BAM_TEST(test_pipe_reset_keeps_ee),
		cmocka_unit_test(test_secure_reset_ee_makes_secure_masters),
		BAM_TEST(test_irq_goes_to_pipe_ee),
		BAM_TEST(test_irq_source_follows_reassignment),
		BAM_TEST(test_p_irq_en_masks_status),
		BAM_TEST(test_irq_srcs_msk_ee_masks_pipe),
		BAM_TEST(test_irq_srcs_global_mask),
		BAM_TEST(test_global_irq_seen_by_every_ee),
		BAM_TEST(test_unimplemented_offset_is_guest_error),
		BAM_TEST(test_write_only_and_read_only_registers),
		cmocka_unit_test(test_create_rejects_bad_config),
		cmocka_unit_test(test_create_accepts_limits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
