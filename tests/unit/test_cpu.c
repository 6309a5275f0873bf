/*
 * test_cpu.c - CPU actors: step priorities, bottom halves, task slices and
 * their choice point, execution context, external aborts, step costs, and
 * when an idle CPU sleeps and what wakes it.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/bus.h>
#include <secsoc/cpu.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/trace.h>

#include "helpers.h"

#define RAM_BASE 0x80000000ULL
#define IRQ_DEV (GIC_SPI_BASE + 3)
#define LOG_MAX 16

struct fixture {
	struct sim *sim;
	struct gic *gic;
	struct bus *bus;
	struct cpu cpu;
	struct irq_line line;
	/* What ran, in order, and the context and current CPU it saw. */
	char log[LOG_MAX][16];
	enum cpu_context ctx[LOG_MAX];
	struct cpu *current[LOG_MAX];
	unsigned int n;
	u64 irq_extra_ns;
	FILE *null;
	struct trace *trace;
};

static struct fixture *fix;

static void record(const char *what)
{
	struct cpu *c = cpu_current();

	assert_true(fix->n < LOG_MAX);
	snprintf(fix->log[fix->n], sizeof(fix->log[0]), "%s", what);
	fix->ctx[fix->n] = c ? c->ctx : CPU_CTX_IDLE;
	fix->current[fix->n] = c;
	fix->n++;
}

static void irq_entry(struct cpu *c, unsigned int intid, void *ctx)
{
	struct fixture *f = ctx;

	assert_ptr_equal(f, fix);
	assert_int_equal(intid, IRQ_DEV);
	record("irq");
	cpu_add_cost(c, f->irq_extra_ns);
}

static int setup_with(void **state, const struct sim_strategy_ops *strategy)
{
	struct sim_config cfg = { .seed = 3, .strategy = strategy };
	struct secsoc_error err = { 0 };
	struct fixture *f = calloc(1, sizeof(*f));

	/* Steps are labelled only while a trace is written. */
	f->null = fopen("/dev/null", "w");
	f->trace = trace_open_stream(f->null);
	cfg.trace = f->trace;
	f->sim = sim_create(&cfg);
	sim_set_log(f->sim, NULL);
	f->gic = gic_create(f->sim, "gic", 1, 32);
	f->bus = bus_create();
	assert_int_equal(bus_add_ram(f->bus, "ram", RAM_BASE, 1 << 20, &err), 0);
	cpu_init(&f->cpu, f->sim, f->bus, f->gic, "cpu0", 0, false, NULL);
	cpu_set_irq_entry(&f->cpu, irq_entry, f);
	assert_int_equal(gic_configure(f->gic, IRQ_DEV, IRQ_TYPE_EDGE_RISING, false, 0x80, 0,
				       "dev", &err), 0);
	gic_enable(f->gic, IRQ_DEV, true);
	irq_line_init(&f->line, f->gic, IRQ_DEV, 0);
	fix = f;
	*state = f;
	return 0;
}

static int setup(void **state)
{
	return setup_with(state, &sim_strategy_timed);
}

static int setup_random(void **state)
{
	return setup_with(state, &sim_strategy_random);
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	sim_destroy(f->sim);
	gic_destroy(f->gic);
	bus_destroy(f->bus);
	trace_close(f->trace, NULL);
	fclose(f->null);
	free(f);
	fix = NULL;
	return 0;
}

static void raise_irq(struct fixture *f)
{
	irq_line_set(&f->line, true);
	irq_line_set(&f->line, false);
}

static void work_fn(struct cpu_work *w)
{
	record(w->name);
}

/* A task that finishes after priv-many slices. */
static bool task_run(struct cpu_task *t)
{
	uintptr_t *left = t->priv;

	record(t->name);
	return --*left == 0;
}

static bool gate;

static bool gated(struct cpu_task *t)
{
	return gate;
}

static void run_to_quiescence(struct fixture *f)
{
	assert_int_equal(sim_run(f->sim), SIM_STOP_QUIESCENT);
}

/* An interrupt, a bottom half and a one-slice task, all ready at once. */
static void run_one_of_each(struct fixture *f)
{
	struct cpu_work w = { .name = "bh", .fn = work_fn };
	uintptr_t slices = 1;
	struct cpu_task t = { .name = "task", .run = task_run, .priv = &slices };

	cpu_add_task(&f->cpu, &t);
	cpu_queue_work(&f->cpu, &w);
	raise_irq(f);
	run_to_quiescence(f);
	assert_int_equal(f->n, 3);
}

static void test_step_priority_irq_bh_task(void **state)
{
	struct fixture *f = *state;

	run_one_of_each(f);
	assert_string_equal(f->log[0], "irq");
	assert_string_equal(f->log[1], "bh");
	assert_string_equal(f->log[2], "task");
	assert_int_equal(f->cpu.irqs_taken, 1);
	assert_int_equal(gic_delivered(f->gic, IRQ_DEV), 1);
	assert_false(gic_is_active(f->gic, IRQ_DEV, 0));
}

static void test_irq_label_names_interrupt(void **state)
{
	struct fixture *f = *state;

	raise_irq(f);
	assert_true(sim_step_once(f->sim));
	assert_string_equal(f->cpu.actor.label, "irq dev");
}

static void test_no_irq_without_entry(void **state)
{
	struct fixture *f = *state;

	cpu_set_irq_entry(&f->cpu, NULL, NULL);
	raise_irq(f);
	assert_false(f->cpu.actor.ops->ready(&f->cpu.actor));
}

static void test_bh_queued_twice_runs_once(void **state)
{
	struct fixture *f = *state;
	struct cpu_work w = { .name = "bh", .fn = work_fn };

	cpu_queue_work(&f->cpu, &w);
	cpu_queue_work(&f->cpu, &w);
	assert_true(w.queued);
	run_to_quiescence(f);
	assert_int_equal(f->n, 1);
	assert_false(w.queued);
	/* Queued again after it ran: runs again. */
	cpu_queue_work(&f->cpu, &w);
	run_to_quiescence(f);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->cpu.actor.label, "bh bh");
}

static void test_bh_run_in_queue_order(void **state)
{
	struct fixture *f = *state;
	struct cpu_work a = { .name = "a", .fn = work_fn }, b = { .name = "b", .fn = work_fn };

	cpu_queue_work(&f->cpu, &b);
	cpu_queue_work(&f->cpu, &a);
	run_to_quiescence(f);
	assert_int_equal(f->n, 2);
	assert_string_equal(f->log[0], "b");
	assert_string_equal(f->log[1], "a");
}

static void test_task_slices_until_finished(void **state)
{
	struct fixture *f = *state;
	uintptr_t slices = 3;
	struct cpu_task t = { .name = "t", .run = task_run, .priv = &slices };

	cpu_add_task(&f->cpu, &t);
	run_to_quiescence(f);
	assert_int_equal(f->n, 3);
	assert_true(t.finished);
	assert_true(list_empty(&f->cpu.tasks));
	assert_int_equal(f->cpu.actor.steps, 3);
}

static void test_runnable_gates_task(void **state)
{
	struct fixture *f = *state;
	uintptr_t slices = 1;
	struct cpu_task t = { .name = "t", .run = task_run, .runnable = gated, .priv = &slices };

	gate = false;
	cpu_add_task(&f->cpu, &t);
	assert_false(sim_step_once(f->sim));
	assert_int_equal(f->n, 0);
	gate = true;
	assert_true(sim_step_once(f->sim));
	assert_int_equal(f->n, 1);
	assert_true(t.finished);
}

static void test_two_runnable_tasks_make_a_choice(void **state)
{
	struct fixture *f = *state;
	uintptr_t sa = 1, sb = 1;
	struct cpu_task a = { .name = "ta", .run = task_run, .priv = &sa };
	struct cpu_task b = { .name = "tb", .run = task_run, .priv = &sb };
	const struct schedule *sch;
	unsigned int i, tasks = 0;

	cpu_add_task(&f->cpu, &a);
	cpu_add_task(&f->cpu, &b);
	run_to_quiescence(f);
	assert_int_equal(f->n, 2);
	sch = sim_schedule(f->sim);
	for (i = 0; i < sch->count; i++) {
		const struct schedule_entry *e = &sch->entries[i];

		if (e->kind != SIM_CHOICE_TASK)
			continue;
		tasks++;
		assert_int_equal(e->n, 2);
		assert_string_equal(e->name, f->log[0]);
	}
	/* The second slice had only one runnable task: no choice. */
	assert_int_equal(tasks, 1);
}

static void test_context_visible_in_handlers(void **state)
{
	struct fixture *f = *state;

	run_one_of_each(f);
	assert_int_equal(f->ctx[0], CPU_CTX_IRQ);
	assert_int_equal(f->ctx[1], CPU_CTX_BH);
	assert_int_equal(f->ctx[2], CPU_CTX_TASK);
	assert_int_equal(f->cpu.ctx, CPU_CTX_IDLE);
}

static void test_cpu_current_inside_only(void **state)
{
	struct fixture *f = *state;
	struct cpu_work w = { .name = "bh", .fn = work_fn };

	assert_null(cpu_current());
	cpu_queue_work(&f->cpu, &w);
	raise_irq(f);
	run_to_quiescence(f);
	assert_int_equal(f->n, 2);
	assert_ptr_equal(f->current[0], &f->cpu);
	assert_ptr_equal(f->current[1], &f->cpu);
	assert_null(cpu_current());
}

static void test_master_attributes(void **state)
{
	struct fixture *f = *state;
	static struct cpu s;	/* actors outlive the simulation */

	assert_string_equal(f->cpu.master.name, "cpu0");
	assert_int_equal(f->cpu.master.kind, BUS_MASTER_CPU);
	assert_false(f->cpu.master.secure);
	assert_true(f->cpu.master.privileged);
	assert_int_equal(f->cpu.master.nsaid, 0);
	cpu_init(&s, f->sim, f->bus, f->gic, "scpu", gic_secure_cpu(f->gic), true, NULL);
	assert_true(s.master.secure);
	assert_int_equal(s.master.cpu, gic_secure_cpu(f->gic));
	assert_string_equal(s.actor.name, "scpu");
}

static void test_external_abort_counted(void **state)
{
	struct fixture *f = *state;
	u8 buf[8] = { 0 };

	assert_int_equal(cpu_read32(&f->cpu, 0x1000), 0);
	assert_int_equal(f->cpu.aborts, 1);
	assert_int_equal(f->cpu.last_abort_addr, 0x1000);
	assert_false(f->cpu.last_abort_write);
	cpu_write32(&f->cpu, 0x2004, 0xdead);
	assert_int_equal(f->cpu.aborts, 2);
	assert_int_equal(f->cpu.last_abort_addr, 0x2004);
	assert_true(f->cpu.last_abort_write);
	assert_int_equal(cpu_read(&f->cpu, 0x3000, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(f->cpu.aborts, 3);
	assert_int_equal(sim_guest_error_count(f->sim), 0);
}

static void test_external_abort_traced(void **state)
{
	FILE *out = tmpfile();
	struct trace *tr = trace_open_stream(out);
	struct sim_config cfg = { .seed = 3, .trace = tr };
	struct sim *s = sim_create(&cfg);
	struct bus *b = bus_create();
	static struct cpu c;	/* actors outlive the simulation */
	char text[4096];
	size_t n;

	cpu_init(&c, s, b, NULL, "cpu7", 0, false, NULL);
	cpu_write32(&c, 0x4008, 1);
	sim_destroy(s);
	bus_destroy(b);
	assert_int_equal(trace_close(tr, NULL), 0);
	rewind(out);
	n = fread(text, 1, sizeof(text) - 1, out);
	text[n] = '\0';
	fclose(out);
	if (!strstr(text, "\"external-abort\"") || !strstr(text, "\"addr\":\"0x4008\"") ||
	    !strstr(text, "\"dir\":\"write\""))
		fail_msg("no external-abort instant with addr and dir in:\n%s", text);
}

static void test_ram_access_no_abort(void **state)
{
	struct fixture *f = *state;
	const u8 data[4] = { 1, 2, 3, 4 };
	u8 back[4] = { 0 };

	cpu_write32(&f->cpu, RAM_BASE, 0x12345678);
	assert_int_equal(cpu_read32(&f->cpu, RAM_BASE), 0x12345678);
	assert_int_equal(cpu_write(&f->cpu, RAM_BASE + 8, data, 4), BUS_OKAY);
	assert_int_equal(cpu_read(&f->cpu, RAM_BASE + 8, back, 4), BUS_OKAY);
	assert_memory_equal(back, data, 4);
	assert_int_equal(f->cpu.aborts, 0);
}

/* Untimed strategies add no jitter: a step ends at its start plus its cost. */
static u64 step_cost(struct fixture *f)
{
	u64 start = MAX(sim_now_ns(f->sim), f->cpu.actor.busy_until_ns);

	assert_true(sim_step_once(f->sim));
	return f->cpu.actor.busy_until_ns - start;
}

static void test_costs_default_and_extra(void **state)
{
	struct fixture *f = *state;
	struct cpu_work w = { .name = "bh", .fn = work_fn };
	uintptr_t slices = 1;
	struct cpu_task t = { .name = "task", .run = task_run, .priv = &slices };

	cpu_add_task(&f->cpu, &t);
	cpu_queue_work(&f->cpu, &w);
	f->irq_extra_ns = 250;
	raise_irq(f);
	assert_int_equal(step_cost(f), CPU_COST_IRQ_NS_DEFAULT + 250);
	assert_int_equal(f->cpu.extra_ns, 0);
	assert_int_equal(step_cost(f), CPU_COST_BH_NS_DEFAULT);
	assert_int_equal(step_cost(f), CPU_COST_TASK_NS_DEFAULT);
}

static void test_costs_from_config(void **state)
{
	struct fixture *f = *state;
	const struct cpu_costs cost = { .irq_ns = 11, .bh_ns = 22, .task_ns = 33 };
	static struct cpu c;	/* actors outlive the simulation */

	cpu_init(&c, f->sim, f->bus, NULL, "cpu1", 0, false, &cost);
	assert_int_equal(c.cost.irq_ns, 11);
	assert_int_equal(c.cost.bh_ns, 22);
	assert_int_equal(c.cost.task_ns, 33);
	assert_int_equal(f->cpu.cost.task_ns, CPU_COST_TASK_NS_DEFAULT);
}

static void test_state_hash_tracks_work(void **state)
{
	struct fixture *f = *state;
	struct cpu_work w = { .name = "bh", .fn = work_fn };
	u64 idle = sim_state_hash(f->sim);

	cpu_queue_work(&f->cpu, &w);
	assert_int_not_equal(sim_state_hash(f->sim), idle);
	run_to_quiescence(f);
	assert_int_equal(sim_state_hash(f->sim), idle);
	cpu_read32(&f->cpu, 0x1000);
	assert_int_not_equal(sim_state_hash(f->sim), idle);
}

static void test_idle_cpu_sleeps(void **state)
{
	struct fixture *f = *state;

	assert_true(f->cpu.actor.asleep);
	run_one_of_each(f);
	assert_true(f->cpu.actor.asleep);
}

static void test_queued_work_wakes_until_done(void **state)
{
	struct fixture *f = *state;
	struct cpu_work w = { .name = "bh", .fn = work_fn };

	cpu_queue_work(&f->cpu, &w);
	assert_false(f->cpu.actor.asleep);
	assert_true(sim_step_once(f->sim));
	assert_int_equal(f->n, 1);
	assert_true(f->cpu.actor.asleep);
}

/* A task's runnable() may look at anything: its CPU stays awake until it finishes. */
static void test_task_keeps_cpu_awake(void **state)
{
	struct fixture *f = *state;
	uintptr_t slices = 1;
	struct cpu_task t = { .name = "t", .run = task_run, .runnable = gated, .priv = &slices };

	gate = false;
	cpu_add_task(&f->cpu, &t);
	assert_false(f->cpu.actor.asleep);
	assert_false(sim_step_once(f->sim));
	assert_false(f->cpu.actor.asleep);
	gate = true;
	assert_true(sim_step_once(f->sim));
	assert_true(t.finished);
	assert_true(f->cpu.actor.asleep);
}

static void test_pending_interrupt_wakes_cpu(void **state)
{
	struct fixture *f = *state;

	raise_irq(f);
	assert_false(f->cpu.actor.asleep);
	assert_true(sim_step_once(f->sim));
	assert_int_equal(f->cpu.irqs_taken, 1);
	assert_true(f->cpu.actor.asleep);
}

/* Only what is deliverable to the CPU wakes it: not a disabled interrupt... */
static void test_disabled_interrupt_wakes_on_enable(void **state)
{
	struct fixture *f = *state;

	gic_enable(f->gic, IRQ_DEV, false);
	raise_irq(f);
	assert_true(f->cpu.actor.asleep);
	gic_enable(f->gic, IRQ_DEV, true);
	assert_false(f->cpu.actor.asleep);
	run_to_quiescence(f);
	assert_int_equal(f->n, 1);
	assert_true(f->cpu.actor.asleep);
}

/* ... nor one routed elsewhere, until it is routed here. */
static void test_secure_interrupt_wakes_on_group_change(void **state)
{
	struct fixture *f = *state;

	gic_set_group(f->gic, IRQ_DEV, true);
	raise_irq(f);
	assert_true(f->cpu.actor.asleep);
	gic_set_group(f->gic, IRQ_DEV, false);
	assert_false(f->cpu.actor.asleep);
	run_to_quiescence(f);
	assert_int_equal(f->cpu.irqs_taken, 1);
}

/* An interrupt that stops being pending before the CPU runs lets it sleep again. */
static void test_level_interrupt_dropped_lets_cpu_sleep(void **state)
{
	struct fixture *f = *state;
	struct secsoc_error err = { 0 };

	assert_int_equal(gic_configure(f->gic, IRQ_DEV, IRQ_TYPE_LEVEL_HIGH, false, 0x80, 0,
				       "dev", &err), 0);
	irq_line_set(&f->line, true);
	assert_false(f->cpu.actor.asleep);
	irq_line_set(&f->line, false);
	assert_true(f->cpu.actor.asleep);
	assert_false(sim_step_once(f->sim));
	assert_int_equal(f->cpu.irqs_taken, 0);
}

static void test_irq_entry_set_wakes_cpu(void **state)
{
	struct fixture *f = *state;

	cpu_set_irq_entry(&f->cpu, NULL, NULL);
	raise_irq(f);
	assert_true(f->cpu.actor.asleep);
	cpu_set_irq_entry(&f->cpu, irq_entry, f);
	assert_false(f->cpu.actor.asleep);
	run_to_quiescence(f);
	assert_int_equal(f->cpu.irqs_taken, 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
#define R(fn) { #fn " (random)", fn, setup_random, teardown, NULL }

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_step_priority_irq_bh_task),
		R(test_step_priority_irq_bh_task),
		T(test_irq_label_names_interrupt),
		T(test_no_irq_without_entry),
		T(test_bh_queued_twice_runs_once),
		T(test_bh_run_in_queue_order),
		T(test_task_slices_until_finished),
		T(test_runnable_gates_task),
		T(test_two_runnable_tasks_make_a_choice),
		R(test_two_runnable_tasks_make_a_choice),
		T(test_context_visible_in_handlers),
		T(test_cpu_current_inside_only),
		T(test_master_attributes),
		T(test_external_abort_counted),
		T(test_external_abort_traced),
		T(test_ram_access_no_abort),
		R(test_costs_default_and_extra),
		T(test_costs_from_config),
		T(test_state_hash_tracks_work),
		T(test_idle_cpu_sleeps),
		T(test_queued_work_wakes_until_done),
		T(test_task_keeps_cpu_awake),
		T(test_pending_interrupt_wakes_cpu),
		T(test_disabled_interrupt_wakes_on_enable),
		T(test_secure_interrupt_wakes_on_group_change),
		T(test_level_interrupt_dropped_lets_cpu_sleep),
		T(test_irq_entry_set_wakes_cpu),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
