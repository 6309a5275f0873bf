/*
 * kernel.h - the normal-world kernel: its CPUs' interrupt entry, the
 * interrupt descriptors drivers request, and the driver core that binds
 * drivers to device-tree nodes.
 *
 * There is one booted kernel at a time (kernel_current()), as there is one
 * Linux per machine; request_irq() and friends find it there, which keeps
 * their Linux signatures.
 */
#ifndef SECSOC_KERNEL_H
#define SECSOC_KERNEL_H

#include <secsoc/device.h>
#include <secsoc/interrupt.h>
#include <secsoc/soc.h>

#define KERNEL_IRQ_DOMAINS_MAX 4

/*
 * How the BAM driver (and, later, its crypto client) keeps another
 * execution environment off a shared peripheral; docs/lock-policies.md.
 */
enum lock_policy {
	LOCK_POLICY_NONE,	/* mainline before the series: no lock descriptors */
	LOCK_POLICY_V12,	/* LOCK at issue_pending, UNLOCK when nothing is issued */
	LOCK_POLICY_NWD,	/* LOCK/UNLOCK around each transaction, NWD before UNLOCK */
};
#define LOCK_POLICY_DEFAULT LOCK_POLICY_NWD

/* Boot-time parameters (the model's kernel command line). */
struct kernel_params {
	enum lock_policy lock_policy;
};

/**
 * lock_policy_parse - "none", "v12" or "nwd"
 * @err: names the bad value as the --lock-policy argument (may be NULL)
 *
 * Return: 0, or -EINVAL.
 */
int lock_policy_parse(const char *name, enum lock_policy *policy, struct secsoc_error *err);
/** lock_policy_name - the name lock_policy_parse() accepts for @policy */
const char *lock_policy_name(enum lock_policy policy);

/* The kernel's timers (kernel/timer.c): armed in expiry order, then expired. */
struct kernel_timers {
	struct sim_actor actor;
	struct list_head armed;		/* struct timer_list, by expiry */
	struct list_head expired;	/* waiting for the timer softirq */
	unsigned int nr_armed;		/* both lists */
	struct cpu_work softirq;
};

/** kernel_timers_init - no timer armed; register the timer actor with @s */
void kernel_timers_init(struct kernel_timers *kt, struct sim *s);

struct irq_action {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	u64 count;		/* times the handler returned IRQ_HANDLED */
};

struct kernel {
	struct soc *soc;
	struct kernel_params params;
	struct driver_core dc;
	/* Interrupt controllers whose irqchip driver has probed. */
	const struct dt_node *irq_domains[KERNEL_IRQ_DOMAINS_MAX];
	unsigned int nr_irq_domains;
	struct irq_action irqs[GIC_INTID_MAX];
	u64 spurious;		/* interrupts nobody handled */
	struct kernel_timers timers;
};

/*
 * Built-in code that is not a driver of a device-tree node (the system
 * heap): kernel_boot() runs the inits in order once the kernel's memory is
 * up and before any driver probes; kernel_shutdown() runs the exits of
 * those that succeeded in reverse, after the drivers are removed. Like
 * kmem_init(), a boot first runs the exits a kernel that was never shut
 * down left pending (a test that failed half-way).
 */
struct kernel_initcall {
	const char *name;
	int (*init)(struct kernel *k, struct secsoc_error *err);
	void (*exit)(struct kernel *k);		/* optional */
};

/**
 * kernel_boot - start the normal world on @soc: install the interrupt entry
 * on every normal-world CPU and probe the drivers of the device tree
 * @params: boot parameters, or NULL for the defaults
 * @drivers: the built-in drivers (normally kernel_drivers)
 *
 * The normal world's memory (slab.h) is set up first, from the memory node
 * minus the reserved-memory regions, then kernel_initcalls[] run.
 *
 * Return: 0, or -EINVAL when a driver rejected its node (@err names it),
 * or an initcall's error (@err names the initcall).
 * Devices whose probe stays deferred are left unbound, as Linux does.
 */
int kernel_boot(struct kernel *k, struct soc *soc, const struct kernel_params *params,
		const struct platform_driver *const *drivers, unsigned int nr_drivers,
		struct secsoc_error *err);
/**
 * kernel_shutdown - remove the drivers, run the initcalls' exits, then
 * check (always()) that no crypto transform or algorithm, timer, dma-buf,
 * file or dma-heap is left (invariant 7) and forget the kernel's memory
 */
void kernel_shutdown(struct kernel *k);
/** kernel_irq_init - install the normal-world interrupt entry on every CPU */
void kernel_irq_init(struct kernel *k);
struct kernel *kernel_current(void);

/* The drivers built into this kernel (drivers/drivers.c). */
extern const struct platform_driver *const kernel_drivers[];
extern const unsigned int kernel_nr_drivers;
/* Its initcalls, in init order (drivers/drivers.c). */
extern const struct kernel_initcall *const kernel_initcalls[];
extern const unsigned int kernel_nr_initcalls;

#endif /* SECSOC_KERNEL_H */
