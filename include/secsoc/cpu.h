/*
 * cpu.h - CPU actors.
 *
 * A CPU is a bus master and an actor. Each step runs, in priority order:
 * one pending interrupt (acknowledge, the OS's interrupt entry, end of
 * interrupt), else one queued bottom half / work item, else one slice of a
 * runnable process-context task. Each runs to completion; when several tasks
 * are runnable the choice goes through sim_choose(SIM_CHOICE_TASK).
 * Blocking code is written as tasks whose runnable() says when they can go
 * on, so a "wait" never holds the host.
 *
 * The CPU keeps its current context (task, bottom half, interrupt) so that
 * kernel-style code can assert where it runs, like lockdep does.
 */
#ifndef SECSOC_CPU_H
#define SECSOC_CPU_H

#include <secsoc/bus.h>
#include <secsoc/gic.h>
#include <secsoc/list.h>
#include <secsoc/sim.h>

struct cpu;

enum cpu_context { CPU_CTX_IDLE, CPU_CTX_TASK, CPU_CTX_BH, CPU_CTX_IRQ };

/* A bottom half or work item: runs once per queueing, in softirq-like context. */
struct cpu_work {
	struct list_head node;
	const char *name;
	void (*fn)(struct cpu_work *w);
	bool queued;
};

/* A process-context task, run one slice per step. */
struct cpu_task {
	struct list_head node;
	const char *name;
	/* May the task run a slice now? NULL means always. Must not change state. */
	bool (*runnable)(struct cpu_task *t);
	/* Run one slice; return true when the task has finished. */
	bool (*run)(struct cpu_task *t);
	void *priv;
	bool finished;
};

/* Modelled costs of CPU steps, in nanoseconds (defaults in docs/soc.md). */
struct cpu_costs {
	u64 irq_ns;
	u64 bh_ns;
	u64 task_ns;
};

#define CPU_COST_IRQ_NS_DEFAULT 800
#define CPU_COST_BH_NS_DEFAULT 500
#define CPU_COST_TASK_NS_DEFAULT 1000
#define CPU_TASKS_MAX 32

typedef void (*cpu_irq_entry_fn)(struct cpu *c, unsigned int intid, void *ctx);

struct cpu {
	struct sim_actor actor;
	struct bus_master master;
	char name[24];
	unsigned int index;		/* GIC CPU interface */
	bool secure;
	struct bus *bus;
	struct gic *gic;
	struct cpu_costs cost;
	enum cpu_context ctx;
	struct list_head bh;		/* struct cpu_work */
	struct list_head tasks;		/* struct cpu_task */
	cpu_irq_entry_fn irq_entry;
	void *irq_ctx;
	/* gic_has_pending() for this interface, kept by the GIC's notifier. */
	bool gic_pending;
	u64 extra_ns;			/* cost added by the running code */
	/* External aborts taken (invariant 4 checks these). */
	u64 aborts;
	u64 last_abort_addr;
	bool last_abort_write;
	u64 irqs_taken;
};

/**
 * cpu_init - set up and register a CPU actor
 * @index: the GIC CPU interface (gic_secure_cpu() for the secure CPU)
 * @secure: the CPU's accesses are secure transactions
 */
void cpu_init(struct cpu *c, struct sim *s, struct bus *b, struct gic *g, const char *name,
	      unsigned int index, bool secure, const struct cpu_costs *cost);
void cpu_set_irq_entry(struct cpu *c, cpu_irq_entry_fn fn, void *ctx);
/** cpu_queue_work - queue a bottom half; no-op if already queued */
void cpu_queue_work(struct cpu *c, struct cpu_work *w);
/** cpu_cancel_work - take @w off its CPU's queue. Return: true if it was queued */
bool cpu_cancel_work(struct cpu_work *w);
void cpu_add_task(struct cpu *c, struct cpu_task *t);
/** cpu_add_cost - the running code did extra modelled work */
void cpu_add_cost(struct cpu *c, u64 ns);
/** cpu_current - the CPU whose step is running, NULL outside CPU steps */
struct cpu *cpu_current(void);

/* Register accesses as this CPU; an error response is an external abort. */
u32 cpu_read32(struct cpu *c, u64 pa);
void cpu_write32(struct cpu *c, u64 pa, u32 val);
enum bus_resp cpu_read(struct cpu *c, u64 pa, void *buf, size_t len);
enum bus_resp cpu_write(struct cpu *c, u64 pa, const void *buf, size_t len);

#endif /* SECSOC_CPU_H */
