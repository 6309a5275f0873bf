/*
 * interrupt.h - request_irq() and friends, with the Linux signatures.
 */
#ifndef SECSOC_INTERRUPT_H
#define SECSOC_INTERRUPT_H

#include <secsoc/device.h>

typedef enum irqreturn {
	IRQ_NONE = 0,
	IRQ_HANDLED = 1,
} irqreturn_t;

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

/**
 * request_irq - install @handler for interrupt @irq and enable it
 * @irq: an interrupt number from platform_get_irq()
 * @flags: IRQF_* flags (none are needed by the model; must be 0)
 * @name: shown in traces and reports
 * @dev_id: passed to the handler and to free_irq()
 *
 * Return: 0, -EINVAL for a bad number or flags, -EBUSY if already requested.
 */
int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id);
/** free_irq - disable @irq and remove its handler (must match @dev_id) */
void free_irq(unsigned int irq, void *dev_id);

/**
 * platform_get_irq - interrupt @num of @pdev, translated by its controller
 *
 * Return: the interrupt number, -ENXIO if the node has no such interrupt,
 * -EPROBE_DEFER while the interrupt controller's driver has not probed,
 * -EINVAL for a bad specifier (the device's err says which).
 */
int platform_get_irq(struct platform_device *pdev, unsigned int num);

/** irq_domain_register - an irqchip driver offers translation for its node */
int irq_domain_register(struct device *dev);

/* Context checks, as in <linux/preempt.h>. */
bool in_hardirq(void);
bool in_softirq(void);
bool in_task(void);

#endif /* SECSOC_INTERRUPT_H */
