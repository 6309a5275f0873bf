/*
 * gic.h - a GIC-like interrupt controller.
 *
 * Interrupt IDs follow the GIC: SGIs 0-15, PPIs 16-31 (one instance per
 * CPU interface), SPIs 32 and up. Device models drive level lines through
 * struct irq_line; a level interrupt is pending while its line is high, an
 * edge interrupt latches on the rising edge. Group 0 (secure) interrupts
 * are delivered to the secure CPU interface, group 1 to the targeted
 * normal-world CPU. A CPU acknowledges the highest-priority pending enabled
 * interrupt (lowest priority value, then lowest ID), which becomes active
 * until it is ended; a level interrupt whose line is still high is pending
 * again after the end of interrupt.
 *
 * The controller is configured through this API (as firmware and the
 * irqchip driver would program the distributor), not through MMIO.
 *
 * The irq-delay fault site holds a newly pending interrupt back; the GIC's
 * own actor releases it in a later step, so other actors can interleave.
 */
#ifndef SECSOC_GIC_H
#define SECSOC_GIC_H

#include <secsoc/error.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

struct gic;

#define GIC_PPI_BASE 16
#define GIC_SPI_BASE 32
#define GIC_INTID_MAX 1020	/* IDs 1020-1023 are special */
#define GIC_SPURIOUS 1023
#define GIC_NS_CPUS_MAX 8
#define GIC_PRIO_DEFAULT 0xa0

enum irq_trigger {
	IRQ_TYPE_EDGE_RISING = 1,	/* values as in dt-bindings/interrupt-controller/irq.h */
	IRQ_TYPE_EDGE_FALLING = 2,
	IRQ_TYPE_LEVEL_HIGH = 4,
	IRQ_TYPE_LEVEL_LOW = 8,
};

/**
 * gic_create - an interrupt controller with @nr_ns_cpus normal-world CPU
 * interfaces (0..n-1) and one secure CPU interface (gic_secure_cpu())
 * @nr_spis: number of SPIs implemented (IDs 32 .. 32 + nr_spis - 1)
 *
 * Registers the GIC's actor (which releases delayed interrupts) with @s.
 */
struct gic *gic_create(struct sim *s, const char *name, unsigned int nr_ns_cpus,
		       unsigned int nr_spis);
void gic_destroy(struct gic *g);
unsigned int gic_secure_cpu(const struct gic *g);
unsigned int gic_nr_spis(const struct gic *g);

/**
 * gic_xlate - translate a 3-cell DT interrupt specifier (arm,gic-400 binding)
 * @cells: <type number flags>: type 0 SPI, 1 PPI; flags IRQ_TYPE_*
 *
 * Return: 0 with the interrupt ID and trigger, or -EINVAL naming the bad cell.
 */
int gic_xlate(const struct gic *g, const u32 cells[3], unsigned int *intid,
	      enum irq_trigger *trigger, struct secsoc_error *err);

/**
 * gic_configure - set trigger, group, priority and target of an interrupt
 * @secure: group 0, delivered to the secure CPU interface
 * @name: label for reports, traces and the VCD signal
 */
int gic_configure(struct gic *g, unsigned int intid, enum irq_trigger trigger, bool secure,
		  u8 prio, unsigned int target_cpu, const char *name, struct secsoc_error *err);
void gic_enable(struct gic *g, unsigned int intid, bool enable);
void gic_set_target(struct gic *g, unsigned int intid, unsigned int cpu);
void gic_set_group(struct gic *g, unsigned int intid, bool secure);

/* A device's interrupt output. @cpu is used for PPIs only. */
struct irq_line {
	struct gic *gic;
	unsigned int intid;
	unsigned int cpu;
	bool level;
};

void irq_line_init(struct irq_line *l, struct gic *g, unsigned int intid, unsigned int cpu);
/** irq_line_set - drive the line; edges and levels are interpreted by the trigger */
void irq_line_set(struct irq_line *l, bool level);

/* CPU interface side. */
/*
 * Told whenever what gic_has_pending(@cpu) reports may have changed, so that
 * a CPU with nothing else to do can sleep (sim_actor_set_asleep()) instead of
 * asking the GIC every scheduling round. It may be told when nothing changed.
 */
typedef void (*gic_cpu_notify_fn)(void *ctx);
/** gic_set_cpu_notify - @fn(@ctx) for CPU interface @cpu (NULL: nobody); one per interface */
void gic_set_cpu_notify(struct gic *g, unsigned int cpu, gic_cpu_notify_fn fn, void *ctx);
/** gic_has_pending - is an enabled interrupt pending for CPU interface @cpu? */
bool gic_has_pending(const struct gic *g, unsigned int cpu);
/**
 * gic_ack - acknowledge the highest-priority pending interrupt of @cpu
 * @flow: if not NULL, the trace flow id started when it became pending (0: none)
 *
 * Return: the interrupt ID, or GIC_SPURIOUS.
 */
unsigned int gic_ack(struct gic *g, unsigned int cpu, u64 *flow);
/** gic_eoi - end of interrupt; a still-asserted level interrupt pends again */
void gic_eoi(struct gic *g, unsigned int cpu, unsigned int intid);

/* Introspection for checkers and tests. */
bool gic_is_pending(const struct gic *g, unsigned int intid, unsigned int cpu);
bool gic_is_active(const struct gic *g, unsigned int intid, unsigned int cpu);
u64 gic_delivered(const struct gic *g, unsigned int intid);	/* acks so far */
bool gic_is_secure(const struct gic *g, unsigned int intid);	/* group 0 */
const char *gic_irq_name(const struct gic *g, unsigned int intid);
/** gic_actor - the GIC's own actor (it releases interrupts irq-delay held back) */
struct sim_actor *gic_actor(struct gic *g);

#endif /* SECSOC_GIC_H */
