/*
 * gic.c - the GIC-like interrupt controller (see include/secsoc/gic.h).
 *
 * Owns the distributor state of every interrupt instance: SPIs once, SGIs
 * and PPIs once per CPU interface (the normal-world ones and the secure
 * one), and the GIC's own actor, which releases interrupts that the
 * irq-delay fault site held back. docs/interrupts.md describes the model.
 *
 * Pending instances are also kept in a bitmap so that the CPUs' ready()
 * checks only look at pending interrupts. Every change that may alter what
 * a CPU interface has pending is told to that interface's notifier (the
 * CPU then decides whether it may sleep), and the GIC's own actor sleeps
 * while it holds nothing back.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/gic.h>
#include <secsoc/trace.h>

#define GIC_SPIS_MAX (GIC_INTID_MAX - GIC_SPI_BASE)
#define GIC_BANKS_MAX (GIC_NS_CPUS_MAX + 1)
#define GIC_INSTANCES_MAX (GIC_BANKS_MAX * GIC_SPI_BASE + GIC_SPIS_MAX)
#define GIC_NAME_MAX 48
#define GIC_RELEASE_NS 2000	/* modelled delay of a held interrupt's release */
#define GIC_NO_CPU (~0U)

struct gic_irq {
	unsigned int intid;
	unsigned int bank;		/* SGI/PPI: CPU interface; SPI: 0 */
	bool configured;
	bool enabled;
	bool secure;			/* group 0 */
	enum irq_trigger trigger;
	u8 prio;
	unsigned int target;		/* group-1 SPIs: normal-world CPU */
	bool pending;
	bool active;
	unsigned int active_cpu;	/* the interface that acknowledged it */
	bool held;			/* pending, but held back by irq-delay */
	bool line;			/* the line as driven by the device */
	u64 delivered;
	u64 flow;			/* trace flow started when it became pending */
	int vcd_var;
	char name[GIC_NAME_MAX];	/* as configured; empty: intid_name() */
};

struct gic {
	struct sim_actor actor;
	struct sim *sim;
	char name[GIC_NAME_MAX];
	unsigned int nr_ns_cpus;
	unsigned int nr_spis;
	unsigned int nr_instances;
	u64 next_flow;
	/* Held interrupts, oldest first (instance indices). */
	unsigned int nr_held;
	u16 held[GIC_INSTANCES_MAX];
	u64 pending_map[(GIC_INSTANCES_MAX + 63) / 64];
	unsigned int nr_map_words;	/* words of pending_map this GIC's instances use */
	unsigned int nr_pending;	/* bits set in pending_map: 0 skips the scan */
	/* Per CPU interface: told when what it has pending may have changed. */
	struct {
		gic_cpu_notify_fn fn;
		void *ctx;
	} notify[GIC_BANKS_MAX];
	struct gic_irq irqs[];		/* banked SGI/PPIs bank by bank, then SPIs */
};

/*
 * "intid<N>", formatted once per process: a GIC has a thousand interrupts
 * and the explorer creates one per schedule, while few are ever named.
 */
static const char *intid_name(unsigned int intid)
{
	static char names[GIC_INTID_MAX][sizeof("intid4294967295")];

	if (!names[intid][0])
		snprintf(names[intid], sizeof(names[intid]), "intid%u", intid);
	return names[intid];
}

static const char *irq_name(const struct gic_irq *irq)
{
	return irq->name[0] ? irq->name : intid_name(irq->intid);
}

static void __attribute__((noreturn, format(printf, 1, 2))) gic_bug(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "secsoc: gic: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static unsigned int gic_nr_banks(const struct gic *g)
{
	return g->nr_ns_cpus + 1;
}

static bool gic_intid_valid(const struct gic *g, unsigned int intid)
{
	return intid < GIC_SPI_BASE + g->nr_spis;
}

static unsigned int gic_index(const struct gic *g, unsigned int intid, unsigned int cpu)
{
	if (!gic_intid_valid(g, intid))
		gic_bug("%s: interrupt ID %u is not implemented (%u SPIs)", g->name, intid,
			g->nr_spis);
	if (intid >= GIC_SPI_BASE)
		return gic_nr_banks(g) * GIC_SPI_BASE + intid - GIC_SPI_BASE;
	if (cpu >= gic_nr_banks(g))
		gic_bug("%s: CPU interface %u does not exist (interrupt ID %u)", g->name, cpu,
			intid);
	return cpu * GIC_SPI_BASE + intid;
}

static struct gic_irq *gic_irq(struct gic *g, unsigned int intid, unsigned int cpu)
{
	return &g->irqs[gic_index(g, intid, cpu)];
}

static const struct gic_irq *gic_irq_const(const struct gic *g, unsigned int intid,
					   unsigned int cpu)
{
	return &g->irqs[gic_index(g, intid, cpu)];
}

/*
 * Where an instance is delivered: group 0 goes to the secure interface, a
 * group-1 SPI to its target. A banked instance belongs to its own interface
 * and is only delivered there when its group matches that interface's world.
 */
static unsigned int gic_route(const struct gic *g, const struct gic_irq *irq)
{
	unsigned int secure_cpu = gic_secure_cpu(g);

	if (irq->intid < GIC_SPI_BASE)
		return irq->secure == (irq->bank == secure_cpu) ? irq->bank : GIC_NO_CPU;
	return irq->secure ? secure_cpu : irq->target;
}

static bool gic_deliverable(const struct gic *g, const struct gic_irq *irq, unsigned int cpu)
{
	return irq->enabled && irq->pending && !irq->active && !irq->held &&
	       gic_route(g, irq) == cpu;
}

static void gic_notify(const struct gic *g, unsigned int cpu)
{
	if (cpu < gic_nr_banks(g) && g->notify[cpu].fn)
		g->notify[cpu].fn(g->notify[cpu].ctx);
}

/* @irq's state changed: tell the interface it is delivered to. */
static void gic_notify_irq(const struct gic *g, const struct gic_irq *irq)
{
	gic_notify(g, gic_route(g, irq));
}

/* Routing or enables changed: any interface may be affected. */
static void gic_notify_all(const struct gic *g)
{
	unsigned int cpu;

	for (cpu = 0; cpu < gic_nr_banks(g); cpu++)
		gic_notify(g, cpu);
}

/* The GIC's actor has a step to take only while it holds an interrupt back. */
static void gic_update_sleep(struct gic *g)
{
	sim_actor_set_asleep(&g->actor, g->nr_held == 0);
}

static void gic_held_remove(struct gic *g, unsigned int idx)
{
	unsigned int i;

	for (i = 0; i < g->nr_held; i++) {
		if (g->held[i] != idx)
			continue;
		memmove(&g->held[i], &g->held[i + 1], (g->nr_held - i - 1) * sizeof(g->held[0]));
		g->nr_held--;
		g->irqs[idx].held = false;
		gic_update_sleep(g);
		return;
	}
}

static void gic_clear_pending(struct gic *g, struct gic_irq *irq)
{
	unsigned int idx = (unsigned int)(irq - g->irqs);

	if (irq->held)
		gic_held_remove(g, idx);
	if (irq->pending)
		g->nr_pending--;
	irq->pending = false;
	irq->flow = 0;
	g->pending_map[idx / 64] &= ~BIT_ULL(idx % 64);
	gic_notify_irq(g, irq);
}

/* A cause on the running actor's track, to be ended where the CPU takes it. */
static u64 gic_flow_begin(struct gic *g)
{
	struct trace *t = sim_trace(g->sim);
	struct sim_actor *running = sim_running_actor(g->sim);

	if (!t)
		return 0;
	g->next_flow++;
	trace_flow_begin(t, running ? running->id : 0, "irq", g->next_flow, sim_now_ns(g->sim));
	return g->next_flow;
}

/* The interrupt became pending: it may be held back by the irq-delay fault. */
static void gic_set_pending(struct gic *g, struct gic_irq *irq)
{
	unsigned int idx = (unsigned int)(irq - g->irqs);

	if (irq->pending)
		return;
	irq->pending = true;
	g->nr_pending++;
	g->pending_map[idx / 64] |= BIT_ULL(idx % 64);
	irq->flow = gic_flow_begin(g);
	if (sim_fault(g->sim, FAULT_IRQ_DELAY)) {
		irq->held = true;
		g->held[g->nr_held++] = (u16)idx;
		gic_update_sleep(g);
	}
	gic_notify_irq(g, irq);
}

static bool gic_ready(struct sim_actor *a)
{
	struct gic *g = container_of(a, struct gic, actor);

	return g->nr_held > 0;
}

static u64 gic_step(struct sim_actor *a)
{
	struct gic *g = container_of(a, struct gic, actor);
	struct gic_irq *irq = &g->irqs[g->held[0]];
	struct trace *t = sim_trace(g->sim);

	gic_held_remove(g, g->held[0]);
	gic_notify_irq(g, irq);
	if (t && irq->flow)
		trace_flow_step(t, a->id, "irq", irq->flow, sim_now_ns(g->sim));
	sim_actor_label(a, "release %s", irq_name(irq));
	return GIC_RELEASE_NS;
}

static u64 gic_state_hash(const struct sim_actor *a)
{
	const struct gic *g = container_of(a, struct gic, actor);
	u64 h = SIM_HASH_INIT;
	unsigned int i;

	for (i = 0; i < g->nr_instances; i++) {
		const struct gic_irq *irq = &g->irqs[i];

		if (irq->pending || irq->active)
			h = sim_hash_mix(h, (u64)i << 3 | irq->pending << 2 | irq->active << 1 |
					 irq->held);
	}
	/* Release order matters for what happens next. */
	for (i = 0; i < g->nr_held; i++)
		h = sim_hash_mix(h, g->held[i]);
	return h;
}

static const struct sim_actor_ops gic_actor_ops = {
	.ready = gic_ready,
	.step = gic_step,
	.state_hash = gic_state_hash,
	.state_hash_complete = true,
};

static void gic_init_irq(struct gic_irq *irq, unsigned int intid, unsigned int bank)
{
	irq->intid = intid;
	irq->bank = bank;
	irq->trigger = IRQ_TYPE_LEVEL_HIGH;
	irq->prio = GIC_PRIO_DEFAULT;
	irq->vcd_var = -1;
}

/**
 * gic_create - see gic.h; the GIC's actor is named @name
 * @s: the simulation (interrupt delays, traces and the VCD go through it)
 * @name: the controller's name, also its actor and trace track
 * @nr_ns_cpus: normal-world CPU interfaces, 1..GIC_NS_CPUS_MAX
 * @nr_spis: SPIs implemented, at most 988
 *
 * Return: the controller; exceeding a limit is a programming error.
 */
struct gic *gic_create(struct sim *s, const char *name, unsigned int nr_ns_cpus,
		       unsigned int nr_spis)
{
	unsigned int banks = nr_ns_cpus + 1, i;
	struct gic *g;

	if (nr_ns_cpus < 1 || nr_ns_cpus > GIC_NS_CPUS_MAX || nr_spis > GIC_SPIS_MAX)
		gic_bug("%s: %u CPUs / %u SPIs exceed the limits (%u / %u)", name, nr_ns_cpus,
			nr_spis, GIC_NS_CPUS_MAX, GIC_SPIS_MAX);
	g = calloc(1, sizeof(*g) + (banks * GIC_SPI_BASE + nr_spis) * sizeof(g->irqs[0]));
	if (!g)
		gic_bug("%s: out of memory", name);
	g->sim = s;
	snprintf(g->name, sizeof(g->name), "%s", name);
	g->nr_ns_cpus = nr_ns_cpus;
	g->nr_spis = nr_spis;
	g->nr_instances = banks * GIC_SPI_BASE + nr_spis;
	g->nr_map_words = (g->nr_instances + 63) / 64;
	for (i = 0; i < g->nr_instances; i++) {
		if (i < banks * GIC_SPI_BASE)
			gic_init_irq(&g->irqs[i], i % GIC_SPI_BASE, i / GIC_SPI_BASE);
		else
			gic_init_irq(&g->irqs[i], i - banks * GIC_SPI_BASE + GIC_SPI_BASE, 0);
	}
	g->actor.name = g->name;
	g->actor.ops = &gic_actor_ops;
	g->actor.priv = g;
	gic_update_sleep(g);
	sim_actor_add(s, &g->actor);
	return g;
}

/** gic_destroy - free the controller (its actor must no longer be stepped) */
void gic_destroy(struct gic *g)
{
	free(g);
}

/** gic_secure_cpu - the secure CPU interface, numbered after the normal ones */
unsigned int gic_secure_cpu(const struct gic *g)
{
	return g->nr_ns_cpus;
}

/** gic_nr_spis - the number of SPIs this GIC implements */
unsigned int gic_nr_spis(const struct gic *g)
{
	return g->nr_spis;
}

static bool gic_trigger_valid(u32 t)
{
	return t == IRQ_TYPE_EDGE_RISING || t == IRQ_TYPE_EDGE_FALLING ||
	       t == IRQ_TYPE_LEVEL_HIGH || t == IRQ_TYPE_LEVEL_LOW;
}

static const char *gic_trigger_name(u32 t)
{
	return t == IRQ_TYPE_EDGE_FALLING ? "edge falling" : "level low";
}

/**
 * gic_xlate - see gic.h
 * @g: the controller
 * @cells: <type number flags>
 * @intid: set to the interrupt ID on success
 * @trigger: set to the trigger (flags bits 3:0) on success
 * @err: names the offending cell and value on failure
 *
 * Bits 15:8 of the flags (the PPI CPU mask of the binding) are ignored. The
 * arm,gic binding allows all four triggers for a PPI but only edge rising
 * and level high for an SPI, so a DT that inverts an SPI is rejected here;
 * gic_configure() still accepts any trigger, as the model's distributor does.
 */
int gic_xlate(const struct gic *g, const u32 cells[3], unsigned int *intid,
	      enum irq_trigger *trigger, struct secsoc_error *err)
{
	u32 type = cells[0], nr = cells[1], flags = cells[2] & 0xf;

	if (type > 1)
		return input_error(err, "interrupt specifier <%u %u %u>: type cell %u is neither "
				   "0 (SPI) nor 1 (PPI)", cells[0], cells[1], cells[2], type);
	if (type == 0 && nr >= g->nr_spis)
		return input_error(err, "interrupt specifier <%u %u %u>: SPI %u is beyond this "
				   "GIC's %u SPIs", cells[0], cells[1], cells[2], nr, g->nr_spis);
	if (type == 1 && nr >= GIC_SPI_BASE - GIC_PPI_BASE)
		return input_error(err, "interrupt specifier <%u %u %u>: PPI %u is beyond the "
				   "16 PPIs", cells[0], cells[1], cells[2], nr);
	if (!gic_trigger_valid(flags))
		return input_error(err, "interrupt specifier <%u %u %u>: flags cell 0x%x has "
				   "trigger type %u, not one of 1, 2, 4, 8 (IRQ_TYPE_*)",
				   cells[0], cells[1], cells[2], cells[2], flags);
	if (type == 0 && (flags == IRQ_TYPE_EDGE_FALLING || flags == IRQ_TYPE_LEVEL_LOW))
		return input_error(err, "interrupt specifier <%u %u %u>: SPI trigger %u (%s) is "
				   "not valid for an SPI; use 1 (edge rising) or 4 (level high)",
				   cells[0], cells[1], cells[2], flags, gic_trigger_name(flags));
	*intid = (type == 0 ? GIC_SPI_BASE : GIC_PPI_BASE) + nr;
	*trigger = flags;
	return 0;
}

static int gic_check_config(const struct gic *g, unsigned int intid, enum irq_trigger trigger,
			    bool secure, unsigned int target_cpu, const char *name,
			    struct secsoc_error *err)
{
	if (intid < GIC_PPI_BASE)
		return input_error(err, "interrupt %s (ID %u): SGIs are not configurable",
				   name, intid);
	if (!gic_intid_valid(g, intid))
		return input_error(err, "interrupt %s (ID %u): beyond this GIC's %u SPIs",
				   name, intid, g->nr_spis);
	if (!gic_trigger_valid(trigger))
		return input_error(err, "interrupt %s (ID %u): trigger %u is not one of "
				   "IRQ_TYPE_*", name, intid, trigger);
	if (intid >= GIC_SPI_BASE && !secure && target_cpu >= g->nr_ns_cpus)
		return input_error(err, "interrupt %s (ID %u): target CPU %u, but this GIC has "
				   "%u normal-world CPUs", name, intid, target_cpu,
				   g->nr_ns_cpus);
	return 0;
}

/* A VCD variable per instance; PPI instances carry their interface's name. */
static void gic_declare_vcd(struct gic *g, struct gic_irq *irq)
{
	struct vcd *v = sim_vcd(g->sim);
	char var[GIC_NAME_MAX + 16];

	if (!v || irq->vcd_var >= 0)
		return;
	if (irq->intid >= GIC_SPI_BASE)
		snprintf(var, sizeof(var), "%s", irq_name(irq));
	else if (irq->bank == gic_secure_cpu(g))
		snprintf(var, sizeof(var), "%s_secure", irq_name(irq));
	else
		snprintf(var, sizeof(var), "%s_cpu%u", irq_name(irq), irq->bank);
	/* -1: the header is already out; the signal is then simply not recorded. */
	irq->vcd_var = vcd_var(v, "irq", var, 1);
}

static void gic_apply_config(struct gic *g, struct gic_irq *irq, enum irq_trigger trigger,
			     bool secure, u8 prio, unsigned int target_cpu, const char *name)
{
	irq->trigger = trigger;
	irq->secure = secure;
	irq->prio = prio;
	irq->target = secure ? 0 : target_cpu;
	if (name)
		snprintf(irq->name, sizeof(irq->name), "%s", name);
	if (!irq->configured)
		gic_declare_vcd(g, irq);
	irq->configured = true;
}

/**
 * gic_configure - see gic.h
 * @g: the controller
 * @intid: a PPI (16-31) or an implemented SPI
 * @trigger: IRQ_TYPE_*
 * @secure: group 0
 * @prio: lower values are more urgent
 * @target_cpu: group-1 SPIs: the normal-world CPU; ignored for group 0 and PPIs
 * @name: label (NULL: "intid<N>")
 * @err: names the interrupt and the bad value
 *
 * A PPI is configured identically in every CPU interface's bank. Leaves the
 * interrupt's enable, pending and active state as they are.
 *
 * Return: 0 or -EINVAL.
 */
int gic_configure(struct gic *g, unsigned int intid, enum irq_trigger trigger, bool secure,
		  u8 prio, unsigned int target_cpu, const char *name, struct secsoc_error *err)
{
	char label[GIC_NAME_MAX + 16];
	unsigned int cpu;
	int ret;

	snprintf(label, sizeof(label), "\"%s\"", name ? name : "(unnamed)");
	ret = gic_check_config(g, intid, trigger, secure, target_cpu, label, err);
	if (ret)
		return ret;
	if (intid >= GIC_SPI_BASE) {
		gic_apply_config(g, gic_irq(g, intid, 0), trigger, secure, prio, target_cpu, name);
		gic_notify_all(g);
		return 0;
	}
	for (cpu = 0; cpu < gic_nr_banks(g); cpu++)
		gic_apply_config(g, gic_irq(g, intid, cpu), trigger, secure, prio, cpu, name);
	gic_notify_all(g);
	return 0;
}

static unsigned int gic_banks_of(const struct gic *g, unsigned int intid)
{
	return intid < GIC_SPI_BASE ? gic_nr_banks(g) : 1;
}

/** gic_enable - enable or disable delivery of @intid (every bank of a PPI) */
void gic_enable(struct gic *g, unsigned int intid, bool enable)
{
	unsigned int cpu;

	for (cpu = 0; cpu < gic_banks_of(g, intid); cpu++)
		gic_irq(g, intid, cpu)->enabled = enable;
	gic_notify_all(g);
}

/**
 * gic_set_target - route group-1 SPI @intid to normal-world CPU @cpu
 *
 * PPI targets are fixed by the hardware (writes ignored, a guest error).
 */
void gic_set_target(struct gic *g, unsigned int intid, unsigned int cpu)
{
	if (intid < GIC_SPI_BASE) {
		sim_guest_error(g->sim, g->name, "target of banked interrupt %u is read-only",
				intid);
		return;
	}
	if (cpu >= g->nr_ns_cpus)
		gic_bug("%s: target CPU %u of interrupt %u, but there are %u normal-world CPUs",
			g->name, cpu, intid, g->nr_ns_cpus);
	gic_irq(g, intid, 0)->target = cpu;
	gic_notify_all(g);
}

/** gic_set_group - make @intid group 0 (@secure) or group 1 (every bank of a PPI) */
void gic_set_group(struct gic *g, unsigned int intid, bool secure)
{
	unsigned int cpu;

	for (cpu = 0; cpu < gic_banks_of(g, intid); cpu++)
		gic_irq(g, intid, cpu)->secure = secure;
	gic_notify_all(g);
}

/**
 * irq_line_init - connect a device's interrupt output, initially low
 * @l: the line
 * @g: the controller
 * @intid: the interrupt it drives
 * @cpu: for PPIs, the CPU interface whose banked instance it drives
 */
void irq_line_init(struct irq_line *l, struct gic *g, unsigned int intid, unsigned int cpu)
{
	gic_index(g, intid, cpu);	/* validates */
	l->gic = g;
	l->intid = intid;
	l->cpu = intid < GIC_SPI_BASE ? cpu : 0;
	l->level = false;
}

static bool gic_asserted(const struct gic_irq *irq)
{
	bool low = irq->trigger == IRQ_TYPE_LEVEL_LOW || irq->trigger == IRQ_TYPE_EDGE_FALLING;

	return irq->line != low;
}

static bool gic_is_level(const struct gic_irq *irq)
{
	return irq->trigger == IRQ_TYPE_LEVEL_HIGH || irq->trigger == IRQ_TYPE_LEVEL_LOW;
}

/**
 * irq_line_set - see gic.h
 * @l: the line
 * @level: the new electrical level
 *
 * A level interrupt is pending while asserted and not active (it pends
 * again at EOI if still asserted); an edge interrupt latches on the
 * asserting edge, also while active.
 */
void irq_line_set(struct irq_line *l, bool level)
{
	struct gic *g = l->gic;
	struct gic_irq *irq = gic_irq(g, l->intid, l->cpu);
	struct vcd *v = sim_vcd(g->sim);
	bool was = gic_asserted(irq);

	l->level = level;
	if (irq->line == level)
		return;
	irq->line = level;
	if (v && irq->vcd_var >= 0)
		vcd_change(v, irq->vcd_var, sim_now_ns(g->sim), level);
	if (gic_is_level(irq)) {
		if (!gic_asserted(irq))
			gic_clear_pending(g, irq);
		else if (!irq->active)
			gic_set_pending(g, irq);
	} else if (!was && gic_asserted(irq)) {
		gic_set_pending(g, irq);
	}
}

/* The most urgent deliverable instance for @cpu (lowest priority value, then ID), or -1. */
static int gic_best(const struct gic *g, unsigned int cpu)
{
	const struct gic_irq *best = NULL;
	unsigned int w;

	if (!g->nr_pending)
		return -1;
	for (w = 0; w < g->nr_map_words; w++) {
		u64 bits = g->pending_map[w];

		while (bits) {
			const struct gic_irq *irq = &g->irqs[w * 64 + __builtin_ctzll(bits)];

			bits &= bits - 1;
			if (!gic_deliverable(g, irq, cpu))
				continue;
			if (!best || irq->prio < best->prio ||
			    (irq->prio == best->prio && irq->intid < best->intid))
				best = irq;
		}
	}
	return best ? (int)(best - g->irqs) : -1;
}

/**
 * gic_set_cpu_notify - see gic.h
 * @g: the controller
 * @cpu: a CPU interface (normal-world or gic_secure_cpu())
 * @fn: called after every change that may alter gic_has_pending(@g, @cpu)
 * @ctx: passed to @fn
 */
void gic_set_cpu_notify(struct gic *g, unsigned int cpu, gic_cpu_notify_fn fn, void *ctx)
{
	if (cpu >= gic_nr_banks(g))
		gic_bug("%s: CPU interface %u does not exist", g->name, cpu);
	g->notify[cpu].fn = fn;
	g->notify[cpu].ctx = ctx;
}

/** gic_has_pending - see gic.h; held, disabled and active interrupts do not count */
bool gic_has_pending(const struct gic *g, unsigned int cpu)
{
	return gic_best(g, cpu) >= 0;
}

/**
 * gic_ack - see gic.h
 * @g: the controller
 * @cpu: the CPU interface acknowledging
 * @flow: set to the pending interrupt's trace flow id (0: none)
 *
 * The interrupt becomes active on @cpu and no longer pending.
 */
unsigned int gic_ack(struct gic *g, unsigned int cpu, u64 *flow)
{
	int idx = gic_best(g, cpu);
	struct gic_irq *irq;

	if (flow)
		*flow = 0;
	if (idx < 0)
		return GIC_SPURIOUS;
	irq = &g->irqs[idx];
	if (flow)
		*flow = irq->flow;
	gic_clear_pending(g, irq);
	irq->active = true;
	irq->active_cpu = cpu;
	irq->delivered++;
	return irq->intid;
}

/**
 * gic_eoi - see gic.h
 * @g: the controller
 * @cpu: the CPU interface ending the interrupt
 * @intid: the interrupt; ending one that is not active is a guest error
 */
void gic_eoi(struct gic *g, unsigned int cpu, unsigned int intid)
{
	struct gic_irq *irq;

	if (intid == GIC_SPURIOUS || !gic_intid_valid(g, intid)) {
		sim_guest_error(g->sim, g->name, "EOI of interrupt ID %u, which is not "
				"implemented", intid);
		return;
	}
	irq = gic_irq(g, intid, cpu);
	if (!irq->active || irq->active_cpu != cpu) {
		sim_guest_error(g->sim, g->name, "EOI of %s (ID %u) on CPU interface %u, where "
				"it is not active", irq_name(irq), intid, cpu);
		return;
	}
	irq->active = false;
	if (gic_is_level(irq) && gic_asserted(irq))
		gic_set_pending(g, irq);
	/* An edge that latched while active is deliverable now. */
	gic_notify_irq(g, irq);
}

/** gic_is_pending - pending state of @intid (@cpu: which PPI bank); held counts */
bool gic_is_pending(const struct gic *g, unsigned int intid, unsigned int cpu)
{
	return gic_irq_const(g, intid, cpu)->pending;
}

/** gic_is_active - active state of @intid (@cpu: which PPI bank) */
bool gic_is_active(const struct gic *g, unsigned int intid, unsigned int cpu)
{
	return gic_irq_const(g, intid, cpu)->active;
}

/** gic_is_secure - is @intid a group 0 (secure) interrupt? */
bool gic_is_secure(const struct gic *g, unsigned int intid)
{
	return gic_irq_const(g, intid, 0)->secure;
}

/** gic_delivered - acknowledgements of @intid so far, summed over PPI banks */
u64 gic_delivered(const struct gic *g, unsigned int intid)
{
	unsigned int cpu;
	u64 n = 0;

	for (cpu = 0; cpu < gic_banks_of(g, intid); cpu++)
		n += gic_irq_const(g, intid, cpu)->delivered;
	return n;
}

/** gic_irq_name - the configured name of @intid, or "intid<N>" */
const char *gic_irq_name(const struct gic *g, unsigned int intid)
{
	return irq_name(gic_irq_const(g, intid, 0));
}

/** gic_actor - see gic.h; asleep while no interrupt is held back */
struct sim_actor *gic_actor(struct gic *g)
{
	return &g->actor;
}
