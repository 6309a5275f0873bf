/*
 * test_gic.c - the interrupt controller: specifier translation, routing,
 * priorities, level and edge semantics, the irq-delay fault site, VCD
 * signals, delivery counts, the CPU-interface notifiers and when the GIC's
 * own actor sleeps.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/trace.h>

#include "helpers.h"

#define NR_CPUS 2
#define NR_SPIS 480
#define SPI(n) (GIC_SPI_BASE + (n))
#define PPI(n) (GIC_PPI_BASE + (n))

struct fixture {
	struct sim *sim;
	struct gic *gic;
};

static struct sim *make_sim(const char *faults, struct vcd *vcd)
{
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_timed, .vcd = vcd };
	struct secsoc_error err = { 0 };
	struct sim *s;

	assert_int_equal(fault_spec_parse(faults, &cfg.faults, &err), 0);
	s = sim_create(&cfg);
	assert_non_null(s);
	sim_set_log(s, NULL);
	return s;
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->sim = make_sim(NULL, NULL);
	f->gic = gic_create(f->sim, "gic", NR_CPUS, NR_SPIS);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_destroy(f->sim);
	gic_destroy(f->gic);
	free(f);
	return 0;
}

/* Configure, enable and connect one interrupt. */
static void irq_setup(struct fixture *f, struct irq_line *l, unsigned int intid,
		      enum irq_trigger trig, bool secure, u8 prio, unsigned int cpu)
{
	struct secsoc_error err = { 0 };

	assert_int_equal(gic_configure(f->gic, intid, trig, secure, prio, cpu, NULL, &err), 0);
	gic_enable(f->gic, intid, true);
	irq_line_init(l, f->gic, intid, cpu);
}

static void test_xlate_spi(void **state)
{
	struct fixture *f = *state;
	const u32 cells[3] = { 0, 5, IRQ_TYPE_LEVEL_HIGH };
	enum irq_trigger trig;
	unsigned int intid;

	assert_int_equal(gic_xlate(f->gic, cells, &intid, &trig, NULL), 0);
	assert_int_equal(intid, 37);
	assert_int_equal(trig, IRQ_TYPE_LEVEL_HIGH);
}

static void test_xlate_ppi_ignores_cpu_mask(void **state)
{
	struct fixture *f = *state;
	const u32 cells[3] = { 1, 14, 0xf08 };
	enum irq_trigger trig;
	unsigned int intid;

	assert_int_equal(gic_xlate(f->gic, cells, &intid, &trig, NULL), 0);
	assert_int_equal(intid, 30);
	assert_int_equal(trig, IRQ_TYPE_LEVEL_LOW);
}

static void test_xlate_ppi_edge_falling(void **state)
{
	struct fixture *f = *state;
	const u32 cells[3] = { 1, 9, 0x302 };
	enum irq_trigger trig;
	unsigned int intid;

	assert_int_equal(gic_xlate(f->gic, cells, &intid, &trig, NULL), 0);
	assert_int_equal(intid, 25);
	assert_int_equal(trig, IRQ_TYPE_EDGE_FALLING);
}

static void test_xlate_spi_edge_rising(void **state)
{
	struct fixture *f = *state;
	const u32 cells[3] = { 0, 50, IRQ_TYPE_EDGE_RISING };
	enum irq_trigger trig;
	unsigned int intid;

	assert_int_equal(gic_xlate(f->gic, cells, &intid, &trig, NULL), 0);
	assert_int_equal(intid, 82);
	assert_int_equal(trig, IRQ_TYPE_EDGE_RISING);
}

static void expect_xlate_error(struct gic *g, u32 type, u32 nr, u32 flags, const char *msg)
{
	const u32 cells[3] = { type, nr, flags };
	struct secsoc_error err = { 0 };
	enum irq_trigger trig;
	unsigned int intid;

	assert_int_equal(gic_xlate(g, cells, &intid, &trig, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_string_equal(err.msg, msg);
}

static void test_xlate_spi_beyond(void **state)
{
	struct fixture *f = *state;

	expect_xlate_error(f->gic, 0, 999, 4,
			   "interrupt specifier <0 999 4>: SPI 999 is beyond this GIC's 480 SPIs");
	expect_xlate_error(f->gic, 0, NR_SPIS, 4,
			   "interrupt specifier <0 480 4>: SPI 480 is beyond this GIC's 480 SPIs");
}

static void test_xlate_ppi_beyond(void **state)
{
	struct fixture *f = *state;

	expect_xlate_error(f->gic, 1, 16, 1,
			   "interrupt specifier <1 16 1>: PPI 16 is beyond the 16 PPIs");
}

static void test_xlate_bad_type(void **state)
{
	struct fixture *f = *state;

	expect_xlate_error(f->gic, 2, 0, 4,
			   "interrupt specifier <2 0 4>: type cell 2 is neither 0 (SPI) "
			   "nor 1 (PPI)");
}

static void test_xlate_bad_flags(void **state)
{
	struct fixture *f = *state;

	expect_xlate_error(f->gic, 0, 1, 0,
			   "interrupt specifier <0 1 0>: flags cell 0x0 has trigger type 0, "
			   "not one of 1, 2, 4, 8 (IRQ_TYPE_*)");
	expect_xlate_error(f->gic, 0, 1, 3,
			   "interrupt specifier <0 1 3>: flags cell 0x3 has trigger type 3, "
			   "not one of 1, 2, 4, 8 (IRQ_TYPE_*)");
}

static void test_xlate_spi_rejects_inverted_triggers(void **state)
{
	struct fixture *f = *state;

	expect_xlate_error(f->gic, 0, 50, IRQ_TYPE_EDGE_FALLING,
			   "interrupt specifier <0 50 2>: SPI trigger 2 (edge falling) is not "
			   "valid for an SPI; use 1 (edge rising) or 4 (level high)");
	expect_xlate_error(f->gic, 0, 50, IRQ_TYPE_LEVEL_LOW,
			   "interrupt specifier <0 50 8>: SPI trigger 8 (level low) is not "
			   "valid for an SPI; use 1 (edge rising) or 4 (level high)");
}

static void expect_config_error(struct gic *g, unsigned int intid, enum irq_trigger trig,
				bool secure, unsigned int cpu, const char *needle)
{
	struct secsoc_error err = { 0 };

	assert_int_equal(gic_configure(g, intid, trig, secure, 0, cpu, "dev", &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	if (!strstr(err.msg, needle))
		fail_msg("\"%s\" does not mention \"%s\"", err.msg, needle);
}

static void test_configure_errors(void **state)
{
	struct fixture *f = *state;

	expect_config_error(f->gic, 3, IRQ_TYPE_EDGE_RISING, false, 0, "SGIs are not");
	expect_config_error(f->gic, SPI(NR_SPIS), IRQ_TYPE_LEVEL_HIGH, false, 0,
			    "beyond this GIC's 480 SPIs");
	expect_config_error(f->gic, SPI(1), 3, false, 0, "trigger 3");
	expect_config_error(f->gic, SPI(1), IRQ_TYPE_LEVEL_HIGH, false, NR_CPUS,
			    "target CPU 2");
}

static void test_configure_secure_spi_ignores_target(void **state)
{
	struct fixture *f = *state;
	struct secsoc_error err = { 0 };

	assert_int_equal(gic_configure(f->gic, SPI(1), IRQ_TYPE_LEVEL_HIGH, true, 0, 99, "s",
				       &err), 0);
	assert_string_equal(gic_irq_name(f->gic, SPI(1)), "s");
	assert_string_equal(gic_irq_name(f->gic, SPI(2)), "intid34");
}

static void test_spi_routed_to_target_only(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(4), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 1);
	irq_line_set(&l, true);
	assert_false(gic_has_pending(f->gic, 0));
	assert_false(gic_has_pending(f->gic, gic_secure_cpu(f->gic)));
	assert_true(gic_has_pending(f->gic, 1));
	assert_int_equal(gic_ack(f->gic, 0, NULL), GIC_SPURIOUS);
	assert_int_equal(gic_ack(f->gic, 1, NULL), SPI(4));
	assert_true(gic_is_active(f->gic, SPI(4), 0));
}

static void test_spi_retarget(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(4), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_true(gic_has_pending(f->gic, 0));
	gic_set_target(f->gic, SPI(4), 1);
	assert_false(gic_has_pending(f->gic, 0));
	assert_true(gic_has_pending(f->gic, 1));
}

static void test_ppi_banked_per_cpu(void **state)
{
	struct fixture *f = *state;
	struct irq_line l0, l1;

	irq_setup(f, &l0, PPI(14), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_init(&l1, f->gic, PPI(14), 1);
	irq_line_set(&l1, true);
	assert_false(gic_is_pending(f->gic, PPI(14), 0));
	assert_true(gic_is_pending(f->gic, PPI(14), 1));
	assert_false(gic_has_pending(f->gic, 0));
	assert_int_equal(gic_ack(f->gic, 1, NULL), PPI(14));
	assert_true(gic_is_active(f->gic, PPI(14), 1));
	assert_false(gic_is_active(f->gic, PPI(14), 0));
	/* CPU 0's instance is independent of CPU 1's active one. */
	irq_line_set(&l0, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), PPI(14));
	assert_int_equal(gic_delivered(f->gic, PPI(14)), 2);
}

static void test_group0_to_secure_interface(void **state)
{
	struct fixture *f = *state;
	unsigned int scpu = gic_secure_cpu(f->gic);
	struct irq_line l;

	assert_int_equal(scpu, NR_CPUS);
	irq_setup(f, &l, SPI(9), IRQ_TYPE_LEVEL_HIGH, true, 0x10, 0);
	irq_line_set(&l, true);
	assert_false(gic_has_pending(f->gic, 0));
	assert_false(gic_has_pending(f->gic, 1));
	assert_true(gic_has_pending(f->gic, scpu));
	assert_int_equal(gic_ack(f->gic, 0, NULL), GIC_SPURIOUS);
	assert_int_equal(gic_ack(f->gic, scpu, NULL), SPI(9));
}

static void test_group0_ppi_only_on_secure_bank(void **state)
{
	struct fixture *f = *state;
	unsigned int scpu = gic_secure_cpu(f->gic);
	struct irq_line l0, ls;

	irq_setup(f, &l0, PPI(13), IRQ_TYPE_LEVEL_HIGH, true, 0x10, 0);
	irq_line_init(&ls, f->gic, PPI(13), scpu);
	irq_line_set(&l0, true);
	assert_false(gic_has_pending(f->gic, 0));
	assert_false(gic_has_pending(f->gic, scpu));
	irq_line_set(&ls, true);
	assert_int_equal(gic_ack(f->gic, scpu, NULL), PPI(13));
}

static void test_group_change(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(9), IRQ_TYPE_LEVEL_HIGH, false, 0x10, 0);
	irq_line_set(&l, true);
	gic_set_group(f->gic, SPI(9), true);
	assert_false(gic_has_pending(f->gic, 0));
	assert_true(gic_has_pending(f->gic, gic_secure_cpu(f->gic)));
}

static void test_priority_then_lowest_id(void **state)
{
	struct fixture *f = *state;
	struct irq_line a, b, c;

	irq_setup(f, &a, SPI(1), IRQ_TYPE_LEVEL_HIGH, false, 0xa0, 0);
	irq_setup(f, &b, SPI(7), IRQ_TYPE_LEVEL_HIGH, false, 0x20, 0);
	irq_setup(f, &c, SPI(3), IRQ_TYPE_LEVEL_HIGH, false, 0x20, 0);
	irq_line_set(&a, true);
	irq_line_set(&b, true);
	irq_line_set(&c, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(3));
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(7));
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(1));
	assert_int_equal(gic_ack(f->gic, 0, NULL), GIC_SPURIOUS);
}

static void test_level_repends_after_eoi_while_high(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(2), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(2));
	assert_false(gic_has_pending(f->gic, 0));
	gic_eoi(f->gic, 0, SPI(2));
	assert_false(gic_is_active(f->gic, SPI(2), 0));
	assert_true(gic_is_pending(f->gic, SPI(2), 0));
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(2));
}

static void test_level_not_after_lowered(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(2), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(2));
	irq_line_set(&l, false);
	gic_eoi(f->gic, 0, SPI(2));
	assert_false(gic_is_pending(f->gic, SPI(2), 0));
	assert_false(gic_has_pending(f->gic, 0));
}

static void test_level_lowered_before_ack(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(2), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	irq_line_set(&l, false);
	assert_false(gic_has_pending(f->gic, 0));
	assert_int_equal(gic_ack(f->gic, 0, NULL), GIC_SPURIOUS);
}

static void test_level_low_inverted(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	/* A PPI: the only kind the DT binding lets be level-low. */
	irq_setup(f, &l, PPI(11), IRQ_TYPE_LEVEL_LOW, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_false(gic_has_pending(f->gic, 0));
	irq_line_set(&l, false);
	assert_int_equal(gic_ack(f->gic, 0, NULL), PPI(11));
}

static void test_edge_latches_once_per_rising_edge(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(5), IRQ_TYPE_EDGE_RISING, false, 0x80, 0);
	irq_line_set(&l, true);
	irq_line_set(&l, true);		/* no new edge */
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(5));
	gic_eoi(f->gic, 0, SPI(5));
	assert_false(gic_has_pending(f->gic, 0));	/* still high, but edge-triggered */
	irq_line_set(&l, false);
	assert_false(gic_has_pending(f->gic, 0));
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(5));
	assert_int_equal(gic_delivered(f->gic, SPI(5)), 2);
}

static void test_edge_while_active_pends(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(5), IRQ_TYPE_EDGE_RISING, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(5));
	irq_line_set(&l, false);
	irq_line_set(&l, true);
	assert_true(gic_is_pending(f->gic, SPI(5), 0));
	assert_false(gic_has_pending(f->gic, 0));	/* active and pending */
	gic_eoi(f->gic, 0, SPI(5));
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(5));
}

static void test_edge_falling_inverted(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	/* A PPI: the only kind the DT binding lets be edge-falling. */
	irq_setup(f, &l, PPI(12), IRQ_TYPE_EDGE_FALLING, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_false(gic_has_pending(f->gic, 0));
	irq_line_set(&l, false);
	assert_int_equal(gic_ack(f->gic, 0, NULL), PPI(12));
}

/* The distributor model itself stays permissive: gic_configure() may invert an SPI. */
static void test_configure_spi_level_low_inverted(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(2), IRQ_TYPE_LEVEL_LOW, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_false(gic_has_pending(f->gic, 0));
	irq_line_set(&l, false);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(2));
}

static void test_disabled_not_delivered_until_enabled(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(6), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	gic_enable(f->gic, SPI(6), false);
	irq_line_set(&l, true);
	assert_true(gic_is_pending(f->gic, SPI(6), 0));
	assert_false(gic_has_pending(f->gic, 0));
	assert_int_equal(gic_ack(f->gic, 0, NULL), GIC_SPURIOUS);
	gic_enable(f->gic, SPI(6), true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(6));
}

static void test_eoi_not_active_is_guest_error(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;

	irq_setup(f, &l, SPI(6), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	assert_int_equal(sim_guest_error_count(f->sim), 0);
	gic_eoi(f->gic, 0, SPI(6));
	assert_int_equal(sim_guest_error_count(f->sim), 1);
	/* Ending it on the wrong interface is not an EOI of the active one. */
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(6));
	gic_eoi(f->gic, 1, SPI(6));
	assert_int_equal(sim_guest_error_count(f->sim), 2);
	assert_true(gic_is_active(f->gic, SPI(6), 0));
}

/* Read back what was written to a temporary stream. */
static char *slurp(FILE *out)
{
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(buf);
	rewind(out);
	n = fread(buf, 1, 65535, out);
	buf[n] = '\0';
	fclose(out);
	return buf;
}

static void test_irq_delay_holds_until_released(void **state)
{
	FILE *out = tmpfile();
	struct trace *tr = trace_open_stream(out);
	struct sim_config cfg = { .seed = 1, .strategy = &sim_strategy_timed, .trace = tr };
	struct sim *s;
	struct gic *g;
	struct fixture f;
	struct irq_line l;
	char *text;

	assert_int_equal(fault_spec_parse("irq-delay:1", &cfg.faults, NULL), 0);
	s = sim_create(&cfg);
	g = gic_create(s, "gic", NR_CPUS, NR_SPIS);
	f = (struct fixture){ s, g };
	irq_setup(&f, &l, SPI(8), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_int_equal(sim_fault_fired(s, FAULT_IRQ_DELAY), 1);
	assert_true(gic_is_pending(g, SPI(8), 0));
	assert_false(gic_has_pending(g, 0));
	assert_int_equal(gic_ack(g, 0, NULL), GIC_SPURIOUS);
	assert_true(sim_step_once(s));	/* the GIC actor is the only one ready */
	assert_int_equal(sim_steps(s), 1);
	assert_true(gic_has_pending(g, 0));
	assert_false(sim_step_once(s));
	assert_int_equal(gic_ack(g, 0, NULL), SPI(8));
	sim_destroy(s);
	gic_destroy(g);
	assert_int_equal(trace_close(tr, NULL), 0);
	text = slurp(out);
	if (!strstr(text, "\"release intid40\""))
		fail_msg("no release slice in:\n%s", text);
	if (!strstr(text, "\"dur\":2.000"))
		fail_msg("the release does not take 2000 ns in:\n%s", text);
	free(text);
}

static void test_irq_delay_lowered_while_held(void **state)
{
	struct sim *s = make_sim("irq-delay:1", NULL);
	struct gic *g = gic_create(s, "gic", NR_CPUS, NR_SPIS);
	struct fixture f = { s, g };
	struct irq_line l;

	irq_setup(&f, &l, SPI(8), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	irq_line_set(&l, false);
	assert_false(gic_is_pending(g, SPI(8), 0));
	assert_false(sim_step_once(s));	/* nothing is held any more */
	sim_destroy(s);
	gic_destroy(g);
}

static void test_state_hash_tracks_pending(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;
	u64 idle, pending;

	irq_setup(f, &l, SPI(8), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	idle = sim_state_hash(f->sim);
	irq_line_set(&l, true);
	pending = sim_state_hash(f->sim);
	assert_int_not_equal(idle, pending);
	gic_ack(f->gic, 0, NULL);
	assert_int_not_equal(sim_state_hash(f->sim), pending);
	irq_line_set(&l, false);
	gic_eoi(f->gic, 0, SPI(8));
	assert_int_equal(sim_state_hash(f->sim), idle);
}

/* A device actor that raises its line in its first step and lowers it in its second. */
struct toggler {
	struct sim_actor actor;
	struct irq_line *line;
	unsigned int steps;
};

static bool toggler_ready(struct sim_actor *a)
{
	return container_of(a, struct toggler, actor)->steps < 2;
}

static u64 toggler_step(struct sim_actor *a)
{
	struct toggler *t = container_of(a, struct toggler, actor);

	irq_line_set(t->line, t->steps++ == 0);
	return 100;
}

static const struct sim_actor_ops toggler_ops = { .ready = toggler_ready, .step = toggler_step };

static void test_vcd_records_line_changes(void **state)
{
	FILE *out = tmpfile();
	struct vcd *v = vcd_open_stream(out);
	struct sim *s = make_sim(NULL, v);
	struct gic *g = gic_create(s, "gic", NR_CPUS, NR_SPIS);
	struct secsoc_error err = { 0 };
	struct toggler t = { .actor = { .name = "dev", .ops = &toggler_ops } };
	struct irq_line l;
	char *buf;

	assert_int_equal(gic_configure(g, SPI(3), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0, "uart",
				       &err), 0);
	irq_line_init(&l, g, SPI(3), 0);
	t.line = &l;
	sim_actor_add(s, &t.actor);
	assert_int_equal(sim_run(s), SIM_STOP_QUIESCENT);
	assert_int_equal(vcd_close(v, NULL), 0);
	buf = slurp(out);
	if (!strstr(buf, "$scope module irq $end") || !strstr(buf, " uart $end"))
		fail_msg("no irq.uart variable in:\n%s", buf);
	/* Variable "!" rises, then falls at a later time. */
	if (!strstr(buf, "\n1!\n") || !strstr(strstr(buf, "\n1!\n"), "\n0!\n"))
		fail_msg("no rise then fall of the line in:\n%s", buf);
	free(buf);
	sim_destroy(s);
	gic_destroy(g);
}

static void test_trace_flow_handed_to_ack(void **state)
{
	FILE *out = tmpfile();
	struct trace *tr = trace_open_stream(out);
	struct sim_config cfg = { .seed = 1, .trace = tr };
	struct sim *s = sim_create(&cfg);
	struct gic *g = gic_create(s, "gic", NR_CPUS, NR_SPIS);
	struct fixture f = { s, g };
	struct irq_line a, b;
	u64 flow_a, flow_b;

	irq_setup(&f, &a, SPI(1), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_setup(&f, &b, SPI(2), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&a, true);
	irq_line_set(&b, true);
	assert_int_equal(gic_ack(g, 0, &flow_a), SPI(1));
	assert_int_equal(gic_ack(g, 0, &flow_b), SPI(2));
	assert_int_not_equal(flow_a, 0);
	assert_int_not_equal(flow_b, 0);
	assert_int_not_equal(flow_a, flow_b);
	sim_destroy(s);
	gic_destroy(g);
	assert_int_equal(trace_close(tr, NULL), 0);
	fclose(out);
}

static void test_no_flow_without_trace(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;
	u64 flow = 99;

	irq_setup(f, &l, SPI(1), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	irq_line_set(&l, true);
	assert_int_equal(gic_ack(f->gic, 0, &flow), SPI(1));
	assert_int_equal(flow, 0);
}

static void test_delivered_counts(void **state)
{
	struct fixture *f = *state;
	struct irq_line l;
	int i;

	irq_setup(f, &l, SPI(10), IRQ_TYPE_EDGE_RISING, false, 0x80, 1);
	assert_int_equal(gic_delivered(f->gic, SPI(10)), 0);
	for (i = 0; i < 3; i++) {
		irq_line_set(&l, true);
		irq_line_set(&l, false);
		assert_int_equal(gic_ack(f->gic, 1, NULL), SPI(10));
		gic_eoi(f->gic, 1, SPI(10));
	}
	assert_int_equal(gic_delivered(f->gic, SPI(10)), 3);
	assert_int_equal(gic_delivered(f->gic, SPI(11)), 0);
}

/* A notifier that records what gic_has_pending() said each time it was told. */
struct notified {
	struct gic *gic;
	unsigned int cpu;
	unsigned int calls;
	bool pending;
};

static void note(void *ctx)
{
	struct notified *n = ctx;

	n->calls++;
	n->pending = gic_has_pending(n->gic, n->cpu);
}

static void notify_on(struct fixture *f, struct notified *n, unsigned int cpu)
{
	*n = (struct notified){ .gic = f->gic, .cpu = cpu };
	gic_set_cpu_notify(f->gic, cpu, note, n);
}

static void test_notify_follows_pending(void **state)
{
	struct fixture *f = *state;
	struct notified n0, n1;
	struct irq_line l;

	irq_setup(f, &l, SPI(3), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	notify_on(f, &n0, 0);
	notify_on(f, &n1, 1);
	irq_line_set(&l, true);
	assert_true(n0.pending);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(3));
	assert_false(n0.pending);
	gic_eoi(f->gic, 0, SPI(3));	/* still high: pends again */
	assert_true(n0.pending);
	irq_line_set(&l, false);
	assert_false(n0.pending);
	assert_int_equal(n1.calls, 0);	/* CPU 1 was never concerned */
}

static void test_notify_on_routing_and_enable(void **state)
{
	struct fixture *f = *state;
	struct notified n0, n1;
	struct irq_line l;

	irq_setup(f, &l, SPI(4), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	gic_enable(f->gic, SPI(4), false);
	notify_on(f, &n0, 0);
	notify_on(f, &n1, 1);
	irq_line_set(&l, true);
	assert_false(n0.pending);
	gic_enable(f->gic, SPI(4), true);
	assert_true(n0.pending);
	gic_set_target(f->gic, SPI(4), 1);
	assert_false(n0.pending);
	assert_true(n1.pending);
	gic_set_group(f->gic, SPI(4), true);
	assert_false(n1.pending);
}

static void test_notify_edge_latched_while_active(void **state)
{
	struct fixture *f = *state;
	struct notified n0;
	struct irq_line l;

	irq_setup(f, &l, SPI(5), IRQ_TYPE_EDGE_RISING, false, 0x80, 0);
	notify_on(f, &n0, 0);
	irq_line_set(&l, true);
	irq_line_set(&l, false);
	assert_int_equal(gic_ack(f->gic, 0, NULL), SPI(5));
	irq_line_set(&l, true);		/* latches while active: not deliverable yet */
	assert_false(n0.pending);
	gic_eoi(f->gic, 0, SPI(5));
	assert_true(n0.pending);
}

static void test_actor_sleeps_unless_holding(void **state)
{
	struct sim *s = make_sim("irq-delay:1", NULL);
	struct gic *g = gic_create(s, "gic", NR_CPUS, NR_SPIS);
	struct fixture f = { s, g };
	struct notified n0;
	struct irq_line l;

	irq_setup(&f, &l, SPI(8), IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0);
	notify_on(&f, &n0, 0);
	assert_true(gic_actor(g)->asleep);
	irq_line_set(&l, true);
	assert_false(n0.pending);	/* held back */
	assert_false(gic_actor(g)->asleep);
	assert_true(sim_step_once(s));	/* the release */
	assert_true(n0.pending);
	assert_true(gic_actor(g)->asleep);
	assert_false(sim_step_once(s));
	sim_destroy(s);
	gic_destroy(g);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_xlate_spi),
		T(test_xlate_ppi_ignores_cpu_mask),
		T(test_xlate_spi_beyond),
		T(test_xlate_ppi_beyond),
		T(test_xlate_bad_type),
		T(test_xlate_bad_flags),
		T(test_xlate_ppi_edge_falling),
		T(test_xlate_spi_edge_rising),
		T(test_xlate_spi_rejects_inverted_triggers),
		T(test_configure_errors),
		T(test_configure_secure_spi_ignores_target),
		T(test_spi_routed_to_target_only),
		T(test_spi_retarget),
		T(test_ppi_banked_per_cpu),
		T(test_group0_to_secure_interface),
		T(test_group0_ppi_only_on_secure_bank),
		T(test_group_change),
		T(test_priority_then_lowest_id),
		T(test_level_repends_after_eoi_while_high),
		T(test_level_not_after_lowered),
		T(test_level_lowered_before_ack),
		T(test_level_low_inverted),
		T(test_edge_latches_once_per_rising_edge),
		T(test_edge_while_active_pends),
		T(test_edge_falling_inverted),
		T(test_configure_spi_level_low_inverted),
		T(test_disabled_not_delivered_until_enabled),
		T(test_eoi_not_active_is_guest_error),
		cmocka_unit_test(test_irq_delay_holds_until_released),
		cmocka_unit_test(test_irq_delay_lowered_while_held),
		T(test_state_hash_tracks_pending),
		cmocka_unit_test(test_vcd_records_line_changes),
		cmocka_unit_test(test_trace_flow_handed_to_ack),
		T(test_no_flow_without_trace),
		T(test_delivered_counts),
		T(test_notify_follows_pending),
		T(test_notify_on_routing_and_enable),
		T(test_notify_edge_latched_while_active),
		cmocka_unit_test(test_actor_sleeps_unless_holding),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
