/*
 * test_tzc400.c - the TZC-400 model: every register (reset values, masks,
 * read-only and write-only behaviour, build configurations) and every step
 * of the permission decision, the failure registers and the interrupt.
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"

#include <secsoc/bus.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/tzc400.h>

#define TZC_BASE 0x0a000000ULL
#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (16ULL << 20)
#define HIGH_BASE 0x880000000ULL	/* RAM above 4 GiB */
#define HIGH_SIZE (1ULL << 20)
#define TZC_SPI 42

static unsigned int aborts;

static void count_abort(const struct bus_master *m, u64 addr, bool write, void *opaque)
{
	aborts++;
}

static const struct bus_master sec = {
	.name = "cpu-s", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
	.abort = count_abort,
};
static const struct bus_master sec_user = {
	.name = "cpu-s-el0", .kind = BUS_MASTER_CPU, .secure = true, .privileged = false,
	.abort = count_abort,
};
static const struct bus_master ns_cpu = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true, .nsaid = 0,
	.abort = count_abort,
};
static const struct bus_master dev_a = {
	.name = "dev-a", .kind = BUS_MASTER_DEVICE, .nsaid = 3,
};
static const struct bus_master dev_b = {
	.name = "dev-b", .kind = BUS_MASTER_DEVICE, .privileged = true, .nsaid = 7,
};

struct fixture {
	struct sim *sim;
	struct bus *bus;
	struct gic *gic;
	struct irq_line irq;
	struct tzc400 *tzc;
};

static struct fixture fx;

static void setup_cfg(const struct tzc400_config *cfg)
{
	struct sim_config scfg = { .seed = 1 };
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	aborts = 0;
	fx.sim = sim_create(&scfg);
	fx.bus = bus_create();
	assert_int_equal(bus_add_ram(fx.bus, "dram", RAM_BASE, RAM_SIZE, &err), 0);
	assert_int_equal(bus_add_ram(fx.bus, "dram-high", HIGH_BASE, HIGH_SIZE, &err), 0);
	fx.gic = gic_create(fx.sim, "gic", 1, 64);
	assert_int_equal(gic_configure(fx.gic, TZC_SPI, IRQ_TYPE_LEVEL_HIGH, true,
				       GIC_PRIO_DEFAULT, 0, "tzc", &err), 0);
	gic_enable(fx.gic, TZC_SPI, true);
	irq_line_init(&fx.irq, fx.gic, TZC_SPI, 0);
	fx.tzc = tzc400_create(fx.bus, "tzc@a000000", TZC_BASE, cfg, &fx.irq, &err);
	assert_non_null(fx.tzc);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
}

static int setup(void **state)
{
	setup_cfg(NULL);
	return 0;
}

static int setup_two_filters(void **state)
{
	struct tzc400_config cfg = { .nr_filters = 2 };

	setup_cfg(&cfg);
	return 0;
}

static int teardown(void **state)
{
	bus_destroy(fx.bus);
	tzc400_destroy(fx.tzc);
	gic_destroy(fx.gic);
	sim_destroy(fx.sim);
	return 0;
}

static u32 rd(unsigned int off)
{
	u64 v = ~0ULL;

	assert_int_equal(bus_read_sized(fx.bus, &sec, TZC_BASE + off, 4, &v), BUS_OKAY);
	return (u32)v;
}

static void wr(unsigned int off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.bus, &sec, TZC_BASE + off, 4, val), BUS_OKAY);
}

static u64 guest_errors(void)
{
	return sim_guest_error_count(fx.sim);
}

/* Program region @n over [base, top] with attributes and NSAID enables. */
static void region(unsigned int n, u64 base, u64 top, u32 attr, u32 ids)
{
	wr(TZC400_REGION_BASE_LOW(n), (u32)base);
	wr(TZC400_REGION_BASE_HIGH(n), (u32)(base >> 32));
	wr(TZC400_REGION_TOP_LOW(n), (u32)top);
	wr(TZC400_REGION_TOP_HIGH(n), (u32)(top >> 32));
	wr(TZC400_REGION_ATTRIBUTES(n), attr);
	wr(TZC400_REGION_ID_ACCESS(n), ids);
}

static void open_gates(void)
{
	wr(TZC400_GATE_KEEPER, 0xf);
}

/* One 4-byte access; returns its response. */
static enum bus_resp acc(const struct bus_master *m, u64 addr, bool write)
{
	u64 v = 0;

	return write ? bus_write_sized(fx.bus, m, addr, 4, 0x5a5a5a5a) :
		       bus_read_sized(fx.bus, m, addr, 4, &v);
}

/* Did the TZC deny this access? (it counts denials) */
static bool denied(const struct bus_master *m, u64 addr, bool write)
{
	u64 before = tzc400_denials(fx.tzc);

	acc(m, addr, write);
	return tzc400_denials(fx.tzc) == before + 1;
}

static void clear_all(void)
{
	wr(TZC400_INT_CLEAR, 0xf);
}

static void check_build_config(const struct tzc400_config *cfg, u32 expect)
{
	setup_cfg(cfg);
	assert_int_equal(rd(TZC400_BUILD_CONFIG), expect);
	teardown(NULL);
}

static void test_build_config(void **state)
{
	struct tzc400_config small = { .nr_regions = 5, .nr_filters = 2, .addr_width = 32 };
	struct tzc400_config tiny = { .nr_regions = 1, .nr_filters = 4, .addr_width = 64 };

	check_build_config(NULL, 0x00002708);		/* 9 regions, 40 bits, 1 filter */
	check_build_config(&small, 0x01001f04);
	check_build_config(&tiny, 0x03003f00);
}

static void test_bad_config_rejected(void **state)
{
	struct tzc400_config c1 = { .nr_regions = 10 }, c2 = { .nr_filters = 5 };
	struct tzc400_config c3 = { .addr_width = 31 };
	struct secsoc_error e1 = { 0 }, e2 = { 0 }, e3 = { 0 };
	struct bus *b = bus_create();

	assert_null(tzc400_create(b, "tzc", TZC_BASE, &c1, NULL, &e1));
	assert_non_null(strstr(e1.msg, "'tzc': 10 regions"));
	assert_null(tzc400_create(b, "tzc", TZC_BASE, &c2, NULL, &e2));
	assert_non_null(strstr(e2.msg, "5 filters"));
	assert_null(tzc400_create(b, "tzc", TZC_BASE, &c3, NULL, &e3));
	assert_non_null(strstr(e3.msg, "address width 31"));
	bus_destroy(b);
}

static void test_reset_values(void **state)
{
	unsigned int n;

	assert_int_equal(rd(TZC400_ACTION), 0);
	assert_int_equal(rd(TZC400_GATE_KEEPER), 0);
	assert_int_equal(rd(TZC400_SPECULATION_CTRL), 0);
	assert_int_equal(rd(TZC400_INT_STATUS), 0);
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), 0);
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_HIGH(0)), 0);
	assert_int_equal(rd(TZC400_FAIL_CONTROL(0)), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 0);
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(0)), 0x1);
	assert_int_equal(rd(TZC400_REGION_ID_ACCESS(0)), 0);
	for (n = 1; n < TZC400_REGIONS_MAX; n++) {
		assert_int_equal(rd(TZC400_REGION_BASE_LOW(n)), 0);
		assert_int_equal(rd(TZC400_REGION_BASE_HIGH(n)), 0);
		assert_int_equal(rd(TZC400_REGION_TOP_LOW(n)), 0xfff);
		assert_int_equal(rd(TZC400_REGION_TOP_HIGH(n)), 0);
		assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(n)), 0);
		assert_int_equal(rd(TZC400_REGION_ID_ACCESS(n)), 0);
	}
	assert_int_equal(tzc400_denials(fx.tzc), 0);
	assert_int_equal(guest_errors(), 0);
}

static void test_identification_registers(void **state)
{
	assert_int_equal(rd(TZC400_PID0), 0x60);
	assert_int_equal(rd(TZC400_PID1), 0xb4);
	assert_int_equal(rd(TZC400_PID2), 0x0b);
	assert_int_equal(rd(TZC400_PID3), 0x00);
	assert_int_equal(rd(TZC400_PID4), 0x04);
	assert_int_equal(rd(TZC400_PID5) | rd(TZC400_PID6) | rd(TZC400_PID7), 0);
	assert_int_equal(rd(TZC400_CID0), 0x0d);
	assert_int_equal(rd(TZC400_CID1), 0xf0);
	assert_int_equal(rd(TZC400_CID2), 0x05);
	assert_int_equal(rd(TZC400_CID3), 0xb1);
	assert_int_equal((rd(TZC400_PID1) & 0xf) << 8 | rd(TZC400_PID0), TZC400_PERIPHERAL_ID);
	wr(TZC400_PID0, 0);
	assert_int_equal(rd(TZC400_PID0), 0x60);
	assert_int_equal(guest_errors(), 1);
}

static void test_register_names(void **state)
{
	char buf[32];

	assert_string_equal(tzc400_reg_name(fx.tzc, TZC400_ACTION, buf, sizeof(buf)), "ACTION");
	assert_string_equal(tzc400_reg_name(fx.tzc, TZC400_REGION_ATTRIBUTES(2), buf, sizeof(buf)),
			    "REGION_ATTRIBUTES_2");
	assert_string_equal(tzc400_reg_name(fx.tzc, TZC400_FAIL_ID(0), buf, sizeof(buf)),
			    "FAIL_ID_0");
	assert_null(tzc400_reg_name(fx.tzc, 0x018, buf, sizeof(buf)));
	assert_null(tzc400_reg_name(fx.tzc, TZC400_ACTION + 1, buf, sizeof(buf)));
	assert_null(tzc400_reg_name(fx.tzc, TZC400_MMIO_SIZE, buf, sizeof(buf)));
}

static void test_reset_denies_everything(void **state)
{
	assert_true(denied(&sec, RAM_BASE, false));
	assert_true(denied(&dev_a, RAM_BASE, true));
	/* Gates open, region 0 still grants nothing. */
	open_gates();
	assert_true(denied(&sec, RAM_BASE, false));
	assert_true(denied(&ns_cpu, RAM_BASE, false));
}

static void test_region0_base_top_read_only(void **state)
{
	assert_int_equal(rd(TZC400_REGION_BASE_LOW(0)), 0);
	assert_int_equal(rd(TZC400_REGION_BASE_HIGH(0)), 0);
	assert_int_equal(rd(TZC400_REGION_TOP_LOW(0)), 0xffffffff);
	assert_int_equal(rd(TZC400_REGION_TOP_HIGH(0)), 0xff);	/* 40-bit build */
	wr(TZC400_REGION_BASE_LOW(0), 0x80000000);
	wr(TZC400_REGION_TOP_LOW(0), 0x1000);
	wr(TZC400_REGION_TOP_HIGH(0), 0);
	assert_int_equal(rd(TZC400_REGION_BASE_LOW(0)), 0);
	assert_int_equal(rd(TZC400_REGION_TOP_LOW(0)), 0xffffffff);
	assert_int_equal(rd(TZC400_REGION_TOP_HIGH(0)), 0xff);
	assert_int_equal(guest_errors(), 3);
}

static void test_region0_attributes_and_id_access(void **state)
{
	wr(TZC400_REGION_ATTRIBUTES(0), 0);
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(0)), 0x1);	/* filter enable is RO */
	wr(TZC400_REGION_ATTRIBUTES(0), TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN);
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(0)), 0xc0000001);
	wr(TZC400_REGION_ID_ACCESS(0), 0x12345678);
	assert_int_equal(rd(TZC400_REGION_ID_ACCESS(0)), 0x12345678);
	assert_int_equal(guest_errors(), 0);
}

static void test_region_programming_alignment(void **state)
{
	wr(TZC400_REGION_BASE_LOW(3), 0x80001234);
	wr(TZC400_REGION_TOP_LOW(3), 0x80003456);
	wr(TZC400_REGION_BASE_HIGH(3), 0xffffffff);
	wr(TZC400_REGION_TOP_HIGH(3), 0x00000108);
	wr(TZC400_REGION_ATTRIBUTES(3), 0xffffffff);
	wr(TZC400_REGION_ID_ACCESS(3), 0xffffffff);
	assert_int_equal(rd(TZC400_REGION_BASE_LOW(3)), 0x80001000);
	assert_int_equal(rd(TZC400_REGION_TOP_LOW(3)), 0x80003fff);
	assert_int_equal(rd(TZC400_REGION_BASE_HIGH(3)), 0xff);	/* 40-bit build */
	assert_int_equal(rd(TZC400_REGION_TOP_HIGH(3)), 0x08);
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(3)), 0xc0000001);	/* one filter */
	assert_int_equal(rd(TZC400_REGION_ID_ACCESS(3)), 0xffffffff);
	assert_int_equal(guest_errors(), 0);
}

static void test_secure_read_enable(void **state)
{
	open_gates();
	wr(TZC400_REGION_ATTRIBUTES(0), TZC400_ATTR_S_RD_EN);
	assert_false(denied(&sec, RAM_BASE, false));
	assert_true(denied(&sec, RAM_BASE, true));
}

static void test_secure_write_enable(void **state)
{
	open_gates();
	wr(TZC400_REGION_ATTRIBUTES(0), TZC400_ATTR_S_WR_EN);
	assert_false(denied(&sec, RAM_BASE, true));
	assert_true(denied(&sec, RAM_BASE, false));
}

static void test_nsaid_read_enable(void **state)
{
	open_gates();
	region(1, RAM_BASE, RAM_BASE + 0xffff, BIT(0), TZC400_ID_ACCESS_RD(3));
	assert_false(denied(&dev_a, RAM_BASE + 0x100, false));
	assert_true(denied(&dev_a, RAM_BASE + 0x100, true));
	assert_true(denied(&dev_b, RAM_BASE + 0x100, false));
	assert_true(denied(&dev_b, RAM_BASE + 0x100, true));
}

static void test_nsaid_write_enable(void **state)
{
	open_gates();
	region(1, RAM_BASE, RAM_BASE + 0xffff, BIT(0), TZC400_ID_ACCESS_WR(7));
	assert_false(denied(&dev_b, RAM_BASE + 0x100, true));
	assert_true(denied(&dev_b, RAM_BASE + 0x100, false));
	assert_true(denied(&dev_a, RAM_BASE + 0x100, true));
	assert_true(denied(&dev_a, RAM_BASE + 0x100, false));
}

static void test_region_bounds_and_background(void **state)
{
	open_gates();
	wr(TZC400_REGION_ID_ACCESS(0), TZC400_ID_ACCESS_RD(3));
	region(2, RAM_BASE + 0x2000, RAM_BASE + 0x3fff, BIT(0), 0);
	assert_false(denied(&dev_a, RAM_BASE + 0x1ffc, false));	/* region 0 */
	assert_true(denied(&dev_a, RAM_BASE + 0x2000, false));		/* region 2 */
	assert_true(denied(&dev_a, RAM_BASE + 0x3ffc, false));
	assert_false(denied(&dev_a, RAM_BASE + 0x4000, false));	/* region 0 */
	/* A region without the filter's enable bit does not apply. */
	wr(TZC400_REGION_ATTRIBUTES(2), 0);
	assert_false(denied(&dev_a, RAM_BASE + 0x2000, false));
}

static void test_secure_only_region_denies_ns(void **state)
{
	u8 *host = bus_ram_backdoor(fx.bus, RAM_BASE + 0x5000, 4);
	u64 v = 1;

	open_gates();
	region(4, RAM_BASE + 0x4000, RAM_BASE + 0x7fff, BIT(0) | TZC400_ATTR_S_RD_EN |
	       TZC400_ATTR_S_WR_EN, 0);
	memset(host, 0xee, 4);
	assert_false(denied(&sec, RAM_BASE + 0x5000, true));
	assert_false(denied(&sec, RAM_BASE + 0x5000, false));
	assert_int_equal(bus_read_sized(fx.bus, &dev_a, RAM_BASE + 0x5000, 4, &v), BUS_OKAY);
	assert_int_equal(v, 0);				/* ACTION 0: OKAY and zeros */
	assert_int_equal(tzc400_denials(fx.tzc), 1);
	assert_int_equal(bus_write_sized(fx.bus, &dev_a, RAM_BASE + 0x5000, 4, 0), BUS_OKAY);
	assert_int_equal(host[0], 0x5a);		/* the secure write landed, not this one */
}

/* Observe the decision the bus reports. */
static struct bus_access last;

static void keep_last(void *opaque, const struct bus_access *a)
{
	last = *a;
}

static void test_decision_reasons(void **state)
{
	assert_int_equal(bus_add_observer(fx.bus, keep_last, NULL), 0);
	acc(&dev_a, RAM_BASE, false);
	assert_string_equal(last.decision.reason, "filter gate closed");
	assert_int_equal(last.decision.region, -1);
	open_gates();
	acc(&dev_a, RAM_BASE, false);
	assert_string_equal(last.decision.reason, "NSAID read not enabled");
	assert_int_equal(last.decision.region, 0);
	region(5, RAM_BASE, RAM_BASE + 0xfff, BIT(0), 0);
	acc(&sec, RAM_BASE, true);
	assert_string_equal(last.decision.reason, "secure write not enabled");
	assert_int_equal(last.decision.region, 5);
	wr(TZC400_REGION_ATTRIBUTES(5), BIT(0) | TZC400_ATTR_S_WR_EN);
	acc(&sec, RAM_BASE, true);
	assert_true(last.decision.allowed);
	assert_null(last.decision.reason);
	assert_int_equal(last.decision.region, 5);
	bus_remove_observer(fx.bus, keep_last, NULL);
}

static void test_overlapping_regions_denied(void **state)
{
	open_gates();
	region(1, RAM_BASE, RAM_BASE + 0x2fff, BIT(0), TZC400_ID_ACCESS_RD(3));
	region(2, RAM_BASE + 0x2000, RAM_BASE + 0x4fff, BIT(0), TZC400_ID_ACCESS_RD(3));
	assert_false(denied(&dev_a, RAM_BASE + 0x1000, false));
	assert_int_equal(rd(TZC400_INT_STATUS), 0);
	assert_true(denied(&dev_a, RAM_BASE + 0x2000, false));
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(16) | BIT(0));
	assert_false(denied(&dev_a, RAM_BASE + 0x3000, false));
	clear_all();
	assert_int_equal(rd(TZC400_INT_STATUS), 0);
}

static void test_gate_keeper(void **state)
{
	wr(TZC400_REGION_ATTRIBUTES(0), TZC400_ATTR_S_RD_EN);
	assert_true(denied(&sec, RAM_BASE, false));
	wr(TZC400_GATE_KEEPER, 0xffffffff);
	assert_int_equal(rd(TZC400_GATE_KEEPER), 0x00010001);	/* one filter */
	assert_false(denied(&sec, RAM_BASE, false));
	wr(TZC400_GATE_KEEPER, 0);
	assert_int_equal(rd(TZC400_GATE_KEEPER), 0);
	assert_true(denied(&sec, RAM_BASE, false));
}

static void test_speculation_ctrl(void **state)
{
	wr(TZC400_SPECULATION_CTRL, 0xffffffff);
	assert_int_equal(rd(TZC400_SPECULATION_CTRL), 0x3);
	wr(TZC400_SPECULATION_CTRL, 0);
	assert_int_equal(rd(TZC400_SPECULATION_CTRL), 0);
}

/* ACTION @action: response and interrupt of a denied NS CPU read. */
static void check_action(u32 action, enum bus_resp resp, bool irq)
{
	unsigned int before = aborts;

	wr(TZC400_ACTION, action);
	assert_int_equal(rd(TZC400_ACTION), action);
	assert_int_equal(acc(&ns_cpu, RAM_BASE, false), resp);
	assert_int_equal(aborts - before, resp == BUS_DECERR ? 1 : 0);
	assert_int_equal(rd(TZC400_INT_STATUS) & 1, 1);
	assert_int_equal(gic_is_pending(fx.gic, TZC_SPI, 0), irq);
	clear_all();
	assert_int_equal(rd(TZC400_INT_STATUS), 0);
	assert_false(gic_is_pending(fx.gic, TZC_SPI, 0));
}

static void test_action_responses_and_interrupt(void **state)
{
	open_gates();
	check_action(TZC400_ACTION_OKAY, BUS_OKAY, false);
	check_action(TZC400_ACTION_DECERR, BUS_DECERR, false);
	check_action(TZC400_ACTION_OKAY_INT, BUS_OKAY, true);
	check_action(TZC400_ACTION_DECERR_INT, BUS_DECERR, true);
	wr(TZC400_ACTION, 0xffffffff);
	assert_int_equal(rd(TZC400_ACTION), 3);
}

static void test_action_change_moves_line(void **state)
{
	open_gates();
	acc(&ns_cpu, RAM_BASE, false);
	assert_false(gic_is_pending(fx.gic, TZC_SPI, 0));
	wr(TZC400_ACTION, TZC400_ACTION_OKAY_INT);
	assert_true(gic_is_pending(fx.gic, TZC_SPI, 0));
	wr(TZC400_ACTION, TZC400_ACTION_OKAY);
	assert_false(gic_is_pending(fx.gic, TZC_SPI, 0));
}

static void test_fail_registers_first_failure(void **state)
{
	u64 addr = HIGH_BASE + 0x1234;

	open_gates();
	assert_true(denied(&dev_b, addr, true));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), (u32)addr);
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_HIGH(0)), 0x8);
	assert_int_equal(rd(TZC400_FAIL_CONTROL(0)), TZC400_FAIL_CONTROL_WRITE |
			 TZC400_FAIL_CONTROL_NONSECURE | TZC400_FAIL_CONTROL_PRIVILEGED);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 7);
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(0));
}

static void test_fail_control_secure_read(void **state)
{
	open_gates();
	assert_true(denied(&sec_user, RAM_BASE + 0x40, false));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), (u32)(RAM_BASE + 0x40));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_HIGH(0)), 0);
	assert_int_equal(rd(TZC400_FAIL_CONTROL(0)), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 0);
}

static void test_overrun_keeps_first_failure(void **state)
{
	open_gates();
	assert_true(denied(&dev_a, RAM_BASE + 0x1000, false));
	assert_true(denied(&dev_b, RAM_BASE + 0x2000, true));
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(8) | BIT(0));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), (u32)(RAM_BASE + 0x1000));
	assert_int_equal(rd(TZC400_FAIL_CONTROL(0)), TZC400_FAIL_CONTROL_NONSECURE);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 3);
	assert_int_equal(tzc400_denials(fx.tzc), 2);
	/* After INT_CLEAR the next failure is recorded again. */
	wr(TZC400_INT_CLEAR, 1);
	assert_int_equal(rd(TZC400_INT_STATUS), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 3);	/* kept until the next failure */
	assert_true(denied(&dev_b, RAM_BASE + 0x2000, true));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), (u32)(RAM_BASE + 0x2000));
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 7);
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(0));
}

static void test_int_status_read_only_int_clear_write_only(void **state)
{
	u64 ge;

	open_gates();
	acc(&dev_a, RAM_BASE, false);
	ge = guest_errors();
	wr(TZC400_INT_STATUS, 0);
	assert_int_equal(rd(TZC400_INT_STATUS), 1);
	assert_int_equal(rd(TZC400_INT_CLEAR), 0);
	assert_int_equal(guest_errors(), ge + 2);
	wr(TZC400_FAIL_ID(0), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(0)), 3);
	assert_int_equal(guest_errors(), ge + 3);
}

static void test_filter_interleave(void **state)
{
	assert_int_equal(rd(TZC400_BUILD_CONFIG) >> 24, 1);
	assert_int_equal(tzc400_filter_of(fx.tzc, RAM_BASE), 0);
	assert_int_equal(tzc400_filter_of(fx.tzc, RAM_BASE + 0x1000), 1);
	assert_int_equal(tzc400_filter_of(fx.tzc, RAM_BASE + 0x2fff), 0);
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(0)), 0x3);
	/* Region 1 covers four pages but is enabled on filter 0 only. */
	wr(TZC400_GATE_KEEPER, 0x3);
	assert_int_equal(rd(TZC400_GATE_KEEPER), 0x00030003);
	region(1, RAM_BASE, RAM_BASE + 0x3fff, BIT(0) | BIT(2), TZC400_ID_ACCESS_RD(3));
	assert_int_equal(rd(TZC400_REGION_ATTRIBUTES(1)), 0x1);	/* no filter 2 */
	assert_false(denied(&dev_a, RAM_BASE + 0x0000, false));
	assert_true(denied(&dev_a, RAM_BASE + 0x1000, false));	/* filter 1: region 0 */
	assert_false(denied(&dev_a, RAM_BASE + 0x2000, false));
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(1));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(1)), (u32)(RAM_BASE + 0x1000));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(0)), 0);
	/* INT_CLEAR of filter 0 leaves filter 1's status. */
	wr(TZC400_INT_CLEAR, 1);
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(1));
	wr(TZC400_INT_CLEAR, 2);
	/* Closing only filter 1's gate. */
	wr(TZC400_GATE_KEEPER, 0x1);
	wr(TZC400_REGION_ATTRIBUTES(1), BIT(0) | BIT(1));
	assert_false(denied(&dev_a, RAM_BASE + 0x0000, false));
	assert_true(denied(&dev_a, RAM_BASE + 0x1000, false));
}

/*
 * With a 32-bit controller, HIGH_BASE (0x8_8000_0000) is seen as RAM_BASE.
 * Three filters, because with two the filter is address bit 12, which
 * truncation never changes: here the untruncated address would give filter
 * 1, the truncated one gives filter 2.
 */
static void test_filter_of_truncated_address(void **state)
{
	struct tzc400_config cfg = { .nr_filters = 3, .addr_width = 32 };

	teardown(NULL);
	setup_cfg(&cfg);
	assert_int_equal((HIGH_BASE / TZC400_GRANULE) % 3, 1);
	assert_int_equal(tzc400_filter_of(fx.tzc, HIGH_BASE), 2);
	open_gates();
	assert_true(denied(&dev_a, HIGH_BASE, false));
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(2));
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_LOW(2)), (u32)RAM_BASE);
	assert_int_equal(rd(TZC400_FAIL_ADDRESS_HIGH(2)), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(2)), 3);
	/* A region on filter 2 only, over the truncated address, lets the access through. */
	region(1, RAM_BASE, RAM_BASE + 0xfff, BIT(2), TZC400_ID_ACCESS_RD(3));
	assert_false(denied(&dev_a, HIGH_BASE, false));
}

static void test_ns_cpu_cannot_program(void **state)
{
	u64 v = 0;

	assert_int_equal(bus_write_sized(fx.bus, &ns_cpu, TZC_BASE + TZC400_ACTION, 4, 3),
			 BUS_SLVERR);
	assert_int_equal(aborts, 1);
	assert_int_equal(guest_errors(), 1);
	assert_int_equal(bus_write_sized(fx.bus, &ns_cpu, TZC_BASE + TZC400_REGION_ID_ACCESS(0),
					 4, 0xffffffff), BUS_SLVERR);
	assert_int_equal(bus_read_sized(fx.bus, &ns_cpu, TZC_BASE + TZC400_ACTION, 4, &v),
			 BUS_SLVERR);
	assert_int_equal(aborts, 3);
	assert_int_equal(rd(TZC400_ACTION), 0);
	assert_int_equal(rd(TZC400_REGION_ID_ACCESS(0)), 0);
}

static void test_unimplemented_offset(void **state)
{
	assert_int_equal(rd(0x018), 0);
	assert_int_equal(guest_errors(), 1);
	wr(0x018, 0xffffffff);
	assert_int_equal(guest_errors(), 2);
	assert_int_equal(rd(0x018), 0);
	assert_int_equal(rd(0x118), 0);		/* gap inside region 0's block */
	assert_int_equal(rd(0x800), 0);
	assert_int_equal(guest_errors(), 5);
}

static void test_absent_regions_and_filters(void **state)
{
	struct tzc400_config cfg = { .nr_regions = 5, .nr_filters = 1 };

	teardown(NULL);
	setup_cfg(&cfg);
	wr(TZC400_REGION_BASE_LOW(5), 0x80000000);
	assert_int_equal(rd(TZC400_REGION_BASE_LOW(5)), 0);
	assert_int_equal(rd(TZC400_REGION_TOP_LOW(8)), 0);
	assert_int_equal(rd(TZC400_FAIL_ID(1)), 0);
	assert_int_equal(guest_errors(), 4);
	wr(TZC400_REGION_BASE_LOW(4), 0x80000000);
	assert_int_equal(rd(TZC400_REGION_BASE_LOW(4)), 0x80000000);
	assert_int_equal(guest_errors(), 4);
}

static void test_non_32bit_access_refused(void **state)
{
	u64 v = 0;

	assert_int_equal(bus_read_sized(fx.bus, &sec, TZC_BASE + TZC400_ACTION, 1, &v),
			 BUS_SLVERR);
	assert_int_equal(bus_write_sized(fx.bus, &sec, TZC_BASE + TZC400_ACTION, 2, 3),
			 BUS_SLVERR);
	assert_int_equal(bus_write_sized(fx.bus, &sec, TZC_BASE + TZC400_ACTION, 8, 3),
			 BUS_SLVERR);
	assert_int_equal(guest_errors(), 3);
	assert_int_equal(rd(TZC400_ACTION), 0);
}

static void test_dma_span_denial_counted_once(void **state)
{
	enum bus_resp resp;
	u8 buf[8192];

	open_gates();
	wr(TZC400_ACTION, TZC400_ACTION_DECERR);
	wr(TZC400_REGION_ID_ACCESS(0), TZC400_ID_ACCESS_RD(3));
	region(1, RAM_BASE + 0x1000, RAM_BASE + 0x1fff, BIT(0), 0);
	assert_null(bus_dma_span(fx.bus, &dev_a, RAM_BASE, sizeof(buf), false, &resp));
	assert_int_equal(resp, BUS_DECERR);
	assert_int_equal(bus_read(fx.bus, &dev_a, RAM_BASE, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(tzc400_denials(fx.tzc), 1);
	assert_int_equal(rd(TZC400_INT_STATUS), BIT(0));	/* no overrun */
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_config),
		cmocka_unit_test(test_bad_config_rejected),
		T(test_reset_values),
		T(test_identification_registers),
		T(test_register_names),
		T(test_reset_denies_everything),
		T(test_region0_base_top_read_only),
		T(test_region0_attributes_and_id_access),
		T(test_region_programming_alignment),
		T(test_secure_read_enable),
		T(test_secure_write_enable),
		T(test_nsaid_read_enable),
		T(test_nsaid_write_enable),
		T(test_region_bounds_and_background),
		T(test_secure_only_region_denies_ns),
		T(test_decision_reasons),
		T(test_overlapping_regions_denied),
		T(test_gate_keeper),
		T(test_speculation_ctrl),
		T(test_action_responses_and_interrupt),
		T(test_action_change_moves_line),
		T(test_fail_registers_first_failure),
		T(test_fail_control_secure_read),
		T(test_overrun_keeps_first_failure),
		T(test_int_status_read_only_int_clear_write_only),
		cmocka_unit_test_setup_teardown(test_filter_interleave, setup_two_filters,
						teardown),
		T(test_filter_of_truncated_address),
		T(test_ns_cpu_cannot_program),
		T(test_unimplemented_offset),
		T(test_absent_regions_and_filters),
		T(test_non_32bit_access_refused),
		T(test_dma_span_denial_counted_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
