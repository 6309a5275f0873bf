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

struct irq_action {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
	u64 count;		/* times the handler returned IRQ_HANDLED */
};

struct kernel {
	struct soc *soc;
	struct driver_core dc;
	/* Interrupt controllers whose irqchip driver has probed. */
	const struct dt_node *irq_domains[KERNEL_IRQ_DOMAINS_MAX];
	unsigned int nr_irq_domains;
	struct irq_action irqs[GIC_INTID_MAX];
	u64 spurious;		/* interrupts nobody handled */
};

/**
 * kernel_boot - start the normal world on @soc: install the interrupt entry
 * on every normal-world CPU and probe the drivers of the device tree
 * @drivers: the built-in drivers (normally kernel_drivers)
 *
 * Return: 0, or -EINVAL when a driver rejected its node (@err names it).
 * Devices whose probe stays deferred are left unbound, as Linux does.
 */
int kernel_boot(struct kernel *k, struct soc *soc, const struct platform_driver *const *drivers,
		unsigned int nr_drivers, struct secsoc_error *err);
void kernel_shutdown(struct kernel *k);
/** kernel_irq_init - install the normal-world interrupt entry on every CPU */
void kernel_irq_init(struct kernel *k);
struct kernel *kernel_current(void);

/* The drivers built into this kernel (drivers/drivers.c). */
extern const struct platform_driver *const kernel_drivers[];
extern const unsigned int kernel_nr_drivers;

#endif /* SECSOC_KERNEL_H */
