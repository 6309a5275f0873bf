/*
 * cpu.c - CPU actors (see include/secsoc/cpu.h).
 *
 * Owns a CPU's step loop (interrupt, then bottom half, then one task slice),
 * its context tracking for kernel-style assertions, its bus master and the
 * external aborts it takes. docs/interrupts.md describes the model.
 *
 * A CPU with no task, no queued bottom half and no interrupt pending sleeps
 * (sim_actor_set_asleep()): most rounds of a run are device steps, and
 * asking every idle CPU each round would cost more than those steps do.
 * Queueing work, adding a task and the GIC's notifier wake it; the end of
 * each of its steps decides again. A CPU with tasks stays awake, since their
 * runnable() callbacks may look at anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/cpu.h>
#include <secsoc/trace.h>

/* The CPU whose step is running; the simulation is single-threaded. */
static struct cpu *cpu_running;

static void __attribute__((noreturn)) cpu_bug(const char *name, const char *what)
{
	fprintf(stderr, "secsoc: cpu %s: %s\n", name, what);
	abort();
}

static struct sim *cpu_sim(const struct cpu *c)
{
	return c->actor.sim;
}

static bool cpu_task_runnable(struct cpu_task *t)
{
	return !t->finished && (!t->runnable || t->runnable(t));
}

/*
 * The GIC tells the CPU about every change of what it has pending
 * (cpu_gic_notify()), so the answer is a flag; debug builds check it.
 */
static bool cpu_irq_ready(const struct cpu *c)
{
#ifndef NDEBUG
	if (c->gic && c->gic_pending != gic_has_pending(c->gic, c->index))
		cpu_bug(c->name, "the GIC changed what is pending without telling the CPU");
#endif
	return c->irq_entry && c->gic_pending;
}

/* Asleep exactly when nothing could make cpu_ready() true without a wake-up. */
static void cpu_update_sleep(struct cpu *c)
{
	sim_actor_set_asleep(&c->actor, list_empty(&c->tasks) && list_empty(&c->bh) &&
			     !cpu_irq_ready(c));
}

/* The GIC's notifier: what this CPU interface has pending may have changed. */
static void cpu_gic_notify(void *ctx)
{
	struct cpu *c = ctx;

	c->gic_pending = gic_has_pending(c->gic, c->index);
	cpu_update_sleep(c);
}

static bool cpu_ready(struct sim_actor *a)
{
	struct cpu *c = container_of(a, struct cpu, actor);
	struct cpu_task *t;

	if (cpu_irq_ready(c) || !list_empty(&c->bh))
		return true;
	list_for_each_entry(t, &c->tasks, node)
		if (cpu_task_runnable(t))
			return true;
	return false;
}

static u64 cpu_step_irq(struct cpu *c)
{
	struct trace *tr = sim_trace(cpu_sim(c));
	unsigned int intid;
	u64 flow;

	c->ctx = CPU_CTX_IRQ;
	intid = gic_ack(c->gic, c->index, &flow);
	if (intid == GIC_SPURIOUS) {
		sim_actor_label(&c->actor, "irq spurious");
		return c->cost.irq_ns;
	}
	if (flow && tr)
		trace_flow_end(tr, c->actor.id, "irq", flow, sim_now_ns(cpu_sim(c)));
	c->irq_entry(c, intid, c->irq_ctx);
	gic_eoi(c->gic, c->index, intid);
	sim_actor_label(&c->actor, "irq %s", gic_irq_name(c->gic, intid));
	c->irqs_taken++;
	return c->cost.irq_ns;
}

static u64 cpu_step_bh(struct cpu *c)
{
	struct cpu_work *w = list_first_entry(&c->bh, struct cpu_work, node);

	list_del_init(&w->node);
	w->queued = false;
	c->ctx = CPU_CTX_BH;
	w->fn(w);
	sim_actor_label(&c->actor, "bh %s", w->name);
	return c->cost.bh_ns;
}

/* Pick one runnable task; several make a SIM_CHOICE_TASK choice. */
static struct cpu_task *cpu_pick_task(struct cpu *c)
{
	struct cpu_task *runnable[CPU_TASKS_MAX];
	const char *names[CPU_TASKS_MAX];
	struct cpu_task *t;
	unsigned int n = 0;

	list_for_each_entry(t, &c->tasks, node) {
		if (!cpu_task_runnable(t))
			continue;
		runnable[n] = t;
		names[n++] = t->name;
	}
	if (n <= 1)
		return n ? runnable[0] : NULL;
	return runnable[sim_choose(cpu_sim(c), &(struct sim_choice){
		.kind = SIM_CHOICE_TASK, .n = n, .label = c->name, .names = names, .prev = -1,
	})];
}

static u64 cpu_step_task(struct cpu *c)
{
	struct cpu_task *t = cpu_pick_task(c);

	if (!t) {
		sim_actor_label(&c->actor, "idle");
		return 0;
	}
	c->ctx = CPU_CTX_TASK;
	if (t->run(t)) {
		t->finished = true;
		list_del_init(&t->node);
	}
	sim_actor_label(&c->actor, "task %s", t->name);
	return c->cost.task_ns;
}

static u64 cpu_step(struct sim_actor *a)
{
	struct cpu *c = container_of(a, struct cpu, actor);
	u64 cost;

	cpu_running = c;
	c->extra_ns = 0;
	if (cpu_irq_ready(c))
		cost = cpu_step_irq(c);
	else if (!list_empty(&c->bh))
		cost = cpu_step_bh(c);
	else
		cost = cpu_step_task(c);
	cost += c->extra_ns;
	c->extra_ns = 0;
	c->ctx = CPU_CTX_IDLE;
	cpu_running = NULL;
	cpu_update_sleep(c);
	return cost;
}

static u64 cpu_state_hash(const struct sim_actor *a)
{
	const struct cpu *c = container_of(a, struct cpu, actor);
	u64 h = SIM_HASH_INIT;
	struct cpu_work *w;
	struct cpu_task *t;

	list_for_each_entry(w, &c->bh, node)
		h = sim_hash_str(h, w->name);
	list_for_each_entry(t, &c->tasks, node)
		if (cpu_task_runnable(t))
			h = sim_hash_str(sim_hash_mix(h, 0x7a5c), t->name);
	return sim_hash_mix(h, c->aborts);
}

static const struct sim_actor_ops cpu_actor_ops = {
	.ready = cpu_ready,
	.step = cpu_step,
	.state_hash = cpu_state_hash,
};

/* A synchronous external abort: counted and traced, never a guest error. */
static void cpu_abort(const struct bus_master *m, u64 addr, bool write, void *opaque)
{
	struct cpu *c = opaque;
	struct trace *tr = sim_trace(cpu_sim(c));
	const struct trace_arg args[] = {
		TARG_HEX("addr", addr), TARG_STR("dir", write ? "write" : "read"), TARG_END,
	};

	c->aborts++;
	c->last_abort_addr = addr;
	c->last_abort_write = write;
	if (tr)
		trace_instant(tr, c->actor.id, "cpu", "external-abort", sim_now_ns(cpu_sim(c)),
			      args);
}

/**
 * cpu_init - see cpu.h
 * @c: the CPU (must outlive the simulation)
 * @s: the simulation to register with
 * @b: the bus its accesses go to
 * @g: the interrupt controller (NULL: the CPU takes no interrupts)
 * @name: actor, track and bus-master name (shorter than sizeof(c->name))
 * @index: the GIC CPU interface
 * @secure: secure transactions
 * @cost: step costs (NULL: the CPU_COST_*_DEFAULT values)
 *
 * CPU masters are privileged and carry NSAID 0. The TZC checks a secure
 * CPU access against the region's S_RD_EN/S_WR_EN, and a non-secure one,
 * like any non-secure master, against the region's ID_ACCESS bits for its
 * NSAID: bit 0 (read) and bit 16 (write).
 */
void cpu_init(struct cpu *c, struct sim *s, struct bus *b, struct gic *g, const char *name,
	      unsigned int index, bool secure, const struct cpu_costs *cost)
{
	memset(c, 0, sizeof(*c));
	if (strlen(name) >= sizeof(c->name))
		cpu_bug(name, "CPU name too long");
	strcpy(c->name, name);
	c->index = index;
	c->secure = secure;
	c->bus = b;
	c->gic = g;
	c->cost = cost ? *cost : (struct cpu_costs){
		.irq_ns = CPU_COST_IRQ_NS_DEFAULT,
		.bh_ns = CPU_COST_BH_NS_DEFAULT,
		.task_ns = CPU_COST_TASK_NS_DEFAULT,
	};
	c->ctx = CPU_CTX_IDLE;
	INIT_LIST_HEAD(&c->bh);
	INIT_LIST_HEAD(&c->tasks);
	c->master = (struct bus_master){
		.name = c->name, .kind = BUS_MASTER_CPU, .secure = secure, .privileged = true,
		.cpu = index, .nsaid = 0, .abort = cpu_abort, .abort_opaque = c,
	};
	c->actor.name = c->name;
	c->actor.ops = &cpu_actor_ops;
	c->actor.priv = c;
	if (g) {
		gic_set_cpu_notify(g, index, cpu_gic_notify, c);
		c->gic_pending = gic_has_pending(g, index);
	}
	cpu_update_sleep(c);
	sim_actor_add(s, &c->actor);
}

/** cpu_set_irq_entry - the OS's interrupt entry, called between ack and EOI */
void cpu_set_irq_entry(struct cpu *c, cpu_irq_entry_fn fn, void *ctx)
{
	c->irq_entry = fn;
	c->irq_ctx = ctx;
	cpu_update_sleep(c);
}

/** cpu_queue_work - see cpu.h; queued work runs in order, once per queueing */
void cpu_queue_work(struct cpu *c, struct cpu_work *w)
{
	if (w->queued)
		return;
	w->queued = true;
	list_add_tail(&w->node, &c->bh);
	sim_actor_set_asleep(&c->actor, false);
}

/** cpu_cancel_work - see cpu.h */
bool cpu_cancel_work(struct cpu_work *w)
{
	if (!w->queued)
		return false;
	list_del_init(&w->node);
	w->queued = false;
	return true;
}

/**
 * cpu_add_task - add @t to @c's tasks (at most CPU_TASKS_MAX)
 *
 * The task is not finished until its run() says so.
 */
void cpu_add_task(struct cpu *c, struct cpu_task *t)
{
	struct cpu_task *pos;
	unsigned int n = 0;

	list_for_each_entry(pos, &c->tasks, node)
		n++;
	if (n >= CPU_TASKS_MAX)
		cpu_bug(c->name, "more than CPU_TASKS_MAX tasks");
	t->finished = false;
	list_add_tail(&t->node, &c->tasks);
	sim_actor_set_asleep(&c->actor, false);
}

/** cpu_add_cost - see cpu.h; counted in the running step's cost */
void cpu_add_cost(struct cpu *c, u64 ns)
{
	c->extra_ns += ns;
}

/** cpu_current - see cpu.h */
struct cpu *cpu_current(void)
{
	return cpu_running;
}

/** cpu_read32 - readl as @c; 0 after an external abort */
u32 cpu_read32(struct cpu *c, u64 pa)
{
	u64 val = 0;

	if (bus_read_sized(c->bus, &c->master, pa, 4, &val) != BUS_OKAY)
		return 0;
	return (u32)val;
}

/** cpu_write32 - writel as @c; an error response is an external abort */
void cpu_write32(struct cpu *c, u64 pa, u32 val)
{
	bus_write_sized(c->bus, &c->master, pa, 4, val);
}

/** cpu_read - read @len bytes as @c; see bus_read() */
enum bus_resp cpu_read(struct cpu *c, u64 pa, void *buf, size_t len)
{
	return bus_read(c->bus, &c->master, pa, buf, len);
}

/** cpu_write - write @len bytes as @c; see bus_write() */
enum bus_resp cpu_write(struct cpu *c, u64 pa, const void *buf, size_t len)
{
	return bus_write(c->bus, &c->master, pa, buf, len);
}
