/*
 * bam_fixture.h - the register-level BAM test bench shared by
 * tests/unit/test_bam*.c: a simulation with RAM, a GIC with one line per
 * execution environment, a BAM (v1.7 unless a test asks for another layout)
 * and the loopback peripheral. Registers are programmed through the bus
 * exactly as a driver would (../shared/reference/bam-qce-facts.md §1.6-1.7);
 * descriptors and command elements are written into RAM behind the bus.
 *
 * Everything is static inline so each test program carries its own copy
 * (tests/CMakeLists.txt links no shared fixture object).
 */
#ifndef SECSOC_TEST_BAM_FIXTURE_H
#define SECSOC_TEST_BAM_FIXTURE_H

#include <endian.h>
#include <string.h>

#include "helpers.h"

#include <secsoc/bam.h>
#include <secsoc/bam_loopback.h>
#include <secsoc/bus.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/tzc400.h>

#define BAM_BASE 0x01dc4000ULL
#define LOOP_BASE 0x01dfa000ULL		/* inside the BAM's 16 MiB command window */
#define TZC_BASE 0x0a000000ULL
#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (16ULL << 20)
#define NR_PIPES 8
#define NR_EES 4
#define LINUX_EE 0
#define SECURE_EE 1
#define BAM_NSAID 1
#define EE_SPI(ee) (40 + (ee))
#define FIFO_BYTES 0x7ff8		/* what the Linux driver programs */
#define P_IRQ_EN_LINUX 0x31		/* PRCSD_DESC | ERR | TRNSFR_END */
#define P_CTRL_CONSUMER 0x22		/* P_EN | P_SYS_MODE */
#define P_CTRL_PRODUCER 0x2a		/* P_EN | P_DIRECTION | P_SYS_MODE */

/* RAM layout: descriptor FIFOs, data buffers, command elements, a secure carve-out. */
#define FIFO_ADDR(pipe) (RAM_BASE + 0x100000 + (u64)(pipe) * 0x8000)
#define BUF(n) (RAM_BASE + 0x200000 + (u64)(n) * 0x10000)	/* 64 KiB each, n < 64 */
#define CE_ADDR(n) (RAM_BASE + 0x600000 + (u64)(n) * 0x100)	/* 16 elements each */
#define SECURE_RAM (RAM_BASE + 0x800000)
#define SECURE_RAM_SIZE 0x100000

/* 24-bit command element address of a loopback register. */
#define LOOP_CE(off) ((u32)((LOOP_BASE + (off)) & 0xffffff))

static const struct bus_master cpu_ns = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true,
};
static const struct bus_master cpu_s = {
	.name = "cpu-s", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
};

struct bam_fx {
	struct sim *sim;
	struct bus *bus;
	struct gic *gic;
	struct irq_line lines[NR_EES];
	struct bam *bam;
	struct bam_loopback *lb;
	struct tzc400 *tzc;
	enum bam_version v;
	u32 tail[NR_PIPES];		/* software's next free FIFO offset, bytes */
	u32 fifo[NR_PIPES];		/* P_FIFO_SIZES programmed */
};

static struct bam_fx fx;

/** bam_fx_window - an MMIO window that fits 8 pipes and 4 EEs in @v's layout */
static inline u64 bam_fx_window(enum bam_version v)
{
	switch (v) {
	case BAM_V1_3_0:
		return 0x2000;
	case BAM_V1_4_0:
		return 0x10000;
	default:
		return 0x28000;
	}
}

/** bam_fx_config - the bench's BAM: 8 pipes, 4 EEs, Linux EE 0, EE 1 secure */
static inline struct bam_config bam_fx_config(enum bam_version v)
{
	return (struct bam_config){
		.name = "bam@1dc4000", .base = BAM_BASE, .size = bam_fx_window(v), .version = v,
		.nr_pipes = NR_PIPES, .nr_ees = NR_EES, .reset_ee = LINUX_EE,
		.secure_ees = BIT(SECURE_EE), .nsaid = BAM_NSAID,
		.timing = { BAM_FETCH_NS_DEFAULT, BAM_CE_NS_DEFAULT, BAM_PS_PER_BYTE_DEFAULT,
			    BAM_IRQ_LATENCY_NS_DEFAULT },
	};
}

/**
 * bam_fx_bench - a fresh bench without a peripheral: simulation, RAM, GIC,
 * the BAM in layout @v and one GIC line per EE (EE 1's secure)
 */
/* Fault sites the next bench enables (tests set it, then bam_fx_recreate()). */
static struct fault_spec bam_fx_faults;

static inline void bam_fx_bench(enum bam_version v)
{
	struct sim_config scfg = { .seed = 1, .faults = bam_fx_faults };
	struct bam_config cfg = bam_fx_config(v);
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	fx.v = v;
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	assert_int_equal(bus_add_ram(fx.bus, "dram", RAM_BASE, RAM_SIZE, &err), 0);
	fx.gic = gic_create(fx.sim, "gic", 1, 64);
	fx.bam = bam_create(fx.sim, fx.bus, &cfg, &err);
	assert_non_null(fx.bam);
	for (unsigned int ee = 0; ee < NR_EES; ee++) {
		bool secure = BIT(ee) & BIT(SECURE_EE);

		assert_int_equal(gic_configure(fx.gic, EE_SPI(ee), IRQ_TYPE_LEVEL_HIGH, secure,
					       GIC_PRIO_DEFAULT, 0, "bam-ee", &err), 0);
		gic_enable(fx.gic, EE_SPI(ee), true);
		irq_line_init(&fx.lines[ee], fx.gic, EE_SPI(ee), 0);
		bam_set_ee_irq(fx.bam, ee, &fx.lines[ee]);
	}
}

/** bam_fx_create - the bench with the loopback peripheral at LOOP_BASE */
static inline void bam_fx_create(enum bam_version v)
{
	struct secsoc_error err = { 0 };

	bam_fx_bench(v);
	fx.lb = bam_loopback_create(fx.sim, fx.bus, fx.bam, "loop@1dfa000", LOOP_BASE, &err);
	assert_non_null(fx.lb);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
}

static inline int bam_fx_teardown(void **state);

/** bam_fx_recreate_with_faults - a fresh bench (layout v1.7) with @spec enabled */
static inline void bam_fx_recreate_with_faults(const char *spec)
{
	struct secsoc_error err = { 0 };

	bam_fx_teardown(NULL);
	assert_int_equal(fault_spec_parse(spec, &bam_fx_faults, &err), 0);
	bam_fx_create(BAM_V1_7_0);
	memset(&bam_fx_faults, 0, sizeof(bam_fx_faults));
}

/* cmocka set-up: the state, if set, is the layout + 1 (see VERSION_TEST). */
static inline int bam_fx_setup(void **state)
{
	uintptr_t v = (uintptr_t)*state;

	bam_fx_create(v ? (enum bam_version)(v - 1) : BAM_V1_7_0);
	return 0;
}

static inline int bam_fx_teardown(void **state)
{
	bus_destroy(fx.bus);
	bam_loopback_destroy(fx.lb);
	bam_destroy(fx.bam);
	tzc400_destroy(fx.tzc);
	gic_destroy(fx.gic);
	sim_destroy(fx.sim);
	memset(&fx, 0, sizeof(fx));
	return 0;
}

#define BAM_TEST(fn) cmocka_unit_test_setup_teardown(fn, bam_fx_setup, bam_fx_teardown)
/* The same test body against one register layout; the name says which. */
#define VERSION_TEST(fn, v)							\
	{ #fn "/" #v, fn, bam_fx_setup, bam_fx_teardown, (void *)(uintptr_t)((v) + 1) }

/* ---- registers ---- */

static inline u64 reg_addr(enum bam_reg r, unsigned int i)
{
	bool per_ee = r == BAM_IRQ_SRCS_EE || r == BAM_IRQ_SRCS_MSK_EE;

	return BAM_BASE + (per_ee ? bam_reg_offset(fx.v, r, 0, i) : bam_reg_offset(fx.v, r, i, 0));
}

/** rd_as - read register @r of pipe or EE @i as @m, asserting the response */
static inline u32 rd_as(const struct bus_master *m, enum bam_reg r, unsigned int i)
{
	u64 val = ~0ULL;

	assert_int_equal(bus_read_sized(fx.bus, m, reg_addr(r, i), 4, &val), BUS_OKAY);
	return (u32)val;
}

static inline void wr_as(const struct bus_master *m, enum bam_reg r, unsigned int i, u32 val)
{
	assert_int_equal(bus_write_sized(fx.bus, m, reg_addr(r, i), 4, val), BUS_OKAY);
}

/* Linux's (non-secure) accesses. */
static inline u32 rd(enum bam_reg r, unsigned int i)
{
	return rd_as(&cpu_ns, r, i);
}

static inline void wr(enum bam_reg r, unsigned int i, u32 val)
{
	wr_as(&cpu_ns, r, i, val);
}

static inline u32 lb_rd(u32 off)
{
	u64 val = ~0ULL;

	assert_int_equal(bus_read_sized(fx.bus, &cpu_ns, LOOP_BASE + off, 4, &val), BUS_OKAY);
	return (u32)val;
}

static inline void lb_wr(u32 off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.bus, &cpu_ns, LOOP_BASE + off, 4, val), BUS_OKAY);
}

static inline u64 guest_errors(void)
{
	return sim_guest_error_count(fx.sim);
}

/** ee_irq - EE @ee's interrupt line, checked against the GIC's pending state */
static inline bool ee_irq(unsigned int ee)
{
	assert_int_equal(gic_is_pending(fx.gic, EE_SPI(ee), 0), fx.lines[ee].level);
	return fx.lines[ee].level;
}

/* ---- driver sequences (reference §1.6-1.7) ---- */

/** bam_reset_seq - the Linux driver's bam_reset(), as master @m for EE @ee */
static inline void bam_reset_seq(const struct bus_master *m, unsigned int ee)
{
	u32 ctrl = rd_as(m, BAM_CTRL, 0);

	wr_as(m, BAM_CTRL, 0, ctrl | BAM_CTRL_SW_RST);
	wr_as(m, BAM_CTRL, 0, ctrl & ~BAM_CTRL_SW_RST);
	wr_as(m, BAM_CTRL, 0, (ctrl & ~BAM_CTRL_SW_RST) | BAM_CTRL_BAM_EN);
	wr_as(m, BAM_DESC_CNT_TRSHLD, 0, 4);
	wr_as(m, BAM_CNFG_BITS, 0, BAM_CNFG_BITS_DEFAULT);
	wr_as(m, BAM_IRQ_EN, 0, BAM_IRQ_ERROR | BAM_IRQ_HRESP_ERR);
	wr_as(m, BAM_IRQ_SRCS_MSK_EE, ee, BAM_IRQ_SRCS_BAM);
}

/** assign_pipe - the secure world gives pipe @pipe to EE @ee (P_TRUST_REG) */
static inline void assign_pipe(unsigned int pipe, unsigned int ee)
{
	wr_as(&cpu_s, BAM_P_TRUST_REG, pipe, ee);
}

/**
 * pipe_init_as - bam_chan_init_hw(): reset, FIFO, interrupts, mask bit in
 * EE @ee, P_CTRL last (with lock group @group)
 */
static inline void pipe_init_as(const struct bus_master *m, unsigned int pipe, unsigned int ee,
				bool producer, unsigned int group, u32 fifo_bytes)
{
	wr_as(m, BAM_P_RST, pipe, 1);
	wr_as(m, BAM_P_RST, pipe, 0);
	wr_as(m, BAM_P_DESC_FIFO_ADDR, pipe, (u32)FIFO_ADDR(pipe));
	wr_as(m, BAM_P_FIFO_SIZES, pipe, fifo_bytes);
	wr_as(m, BAM_P_IRQ_EN, pipe, P_IRQ_EN_LINUX);
	wr_as(m, BAM_IRQ_SRCS_MSK_EE, ee, rd_as(m, BAM_IRQ_SRCS_MSK_EE, ee) | BIT(pipe));
	wr_as(m, BAM_P_CTRL, pipe, (producer ? P_CTRL_PRODUCER : P_CTRL_CONSUMER) |
	      (u32)FIELD_PREP(BAM_P_LOCK_GROUP, group));
	fx.tail[pipe] = 0;
	fx.fifo[pipe] = fifo_bytes;
}

/** pipe_init - Linux initialises its pipe @pipe (EE 0, lock group 0, full FIFO) */
static inline void pipe_init(unsigned int pipe, bool producer)
{
	pipe_init_as(&cpu_ns, pipe, LINUX_EE, producer, 0, FIFO_BYTES);
}

/** bam_fx_linux - bam_reset plus Linux's pipe pair 0 (pipe 0 consumer, 1 producer) */
static inline void bam_fx_linux(void)
{
	bam_reset_seq(&cpu_ns, LINUX_EE);
	pipe_init(0, false);
	pipe_init(1, true);
}

/**
 * bam_fx_secure_pair - the secure world takes pipes 2 and 3 (pair 1) for EE 1,
 * lock group 1, and unmasks them in IRQ_SRCS_MSK_EE(1)
 */
static inline void bam_fx_secure_pair(void)
{
	assign_pipe(2, SECURE_EE);
	assign_pipe(3, SECURE_EE);
	pipe_init_as(&cpu_s, 2, SECURE_EE, false, 1, FIFO_BYTES);
	pipe_init_as(&cpu_s, 3, SECURE_EE, true, 1, FIFO_BYTES);
}

/* ---- memory ---- */

static inline u8 *host(u64 addr, size_t len)
{
	u8 *p = bus_ram_backdoor(fx.bus, addr, len);

	assert_non_null(p);
	return p;
}

/** fill - a recognisable byte pattern at @addr */
static inline void fill(u64 addr, u32 len, u8 seed)
{
	u8 *p = host(addr, len);

	for (u32 i = 0; i < len; i++)
		p[i] = (u8)(i * 7 + seed + (i >> 8));
}

static inline u32 ram_word(u64 addr)
{
	u32 v;

	memcpy(&v, host(addr, 4), 4);
	return le32toh(v);
}

static inline void set_ram_word(u64 addr, u32 val)
{
	u32 le = htole32(val);

	memcpy(host(addr, 4), &le, 4);
}

/** queue - write a descriptor at pipe @pipe's software tail (not yet posted) */
static inline void queue(unsigned int pipe, u64 addr, u16 size, u16 flags)
{
	struct bam_desc d = { htole32((u32)addr), htole16(size), htole16(flags) };

	memcpy(host(FIFO_ADDR(pipe) + fx.tail[pipe], sizeof(d)), &d, sizeof(d));
	fx.tail[pipe] = (fx.tail[pipe] + 8) % fx.fifo[pipe];
}

/** kick_as - write the software tail to P_EVNT_REG as @m */
static inline void kick_as(const struct bus_master *m, unsigned int pipe)
{
	wr_as(m, BAM_P_EVNT_REG, pipe, fx.tail[pipe]);
}

/** post - queue one descriptor on a Linux pipe and start it */
static inline void post(unsigned int pipe, u64 addr, u16 size, u16 flags)
{
	queue(pipe, addr, size, flags);
	kick_as(&cpu_ns, pipe);
}

/** put_ce - command element @i of the block at @block */
static inline void put_ce(u64 block, unsigned int i, u32 cmd, u32 addr24, u32 data, u32 mask)
{
	struct bam_ce_hw ce = {
		htole32((u32)(FIELD_PREP(BAM_CE_CMD, cmd) | (addr24 & BAM_CE_ADDR))),
		htole32(data), htole32(mask), 0,
	};

	memcpy(host(block + i * sizeof(ce), sizeof(ce)), &ce, sizeof(ce));
}

/** post_cmd - one command descriptor with a single WRITE of @val to SCRATCH */
static inline void post_cmd(unsigned int pipe, unsigned int block, u32 val, u16 flags)
{
	put_ce(CE_ADDR(block), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), val, 0xffffffff);
	post(pipe, CE_ADDR(block), 16, BAM_DESC_CMD | flags);
}

/* ---- running ---- */

static inline void run(void)
{
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(sim_violation_count(fx.sim), 0);
}

/** step_until - step the simulation until @cond holds; fail if it never does */
static inline void step_until(bool (*cond)(void))
{
	for (unsigned int i = 0; i < 100000 && !cond(); i++)
		assert_true(sim_step_once(fx.sim));
	assert_true(cond());
}

/** hw_index - the driver's view of the pipe's progress: (P_SW_OFSTS & 0xffff) / 8 */
static inline u32 hw_index_as(const struct bus_master *m, unsigned int pipe)
{
	return (rd_as(m, BAM_P_SW_OFSTS, pipe) & 0xffff) / 8;
}

static inline u32 hw_index(unsigned int pipe)
{
	return hw_index_as(&cpu_ns, pipe);
}

#endif /* SECSOC_TEST_BAM_FIXTURE_H */
