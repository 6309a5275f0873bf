/*
 * irq.c - normal-world interrupt handling: the entry every normal-world
 * CPU takes on an interrupt, request_irq()/free_irq(), and translation of
 * device-tree interrupt specifiers through the irqchip drivers' domains.
 *
 * Translation defers (-EPROBE_DEFER) until the controller's driver has
 * registered its domain, which is how Linux orders interrupt consumers after
 * their interrupt controller.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/kernel.h>
#include <secsoc/spinlock.h>

static struct kernel *irq_kernel(void)
{
	struct kernel *k = kernel_current();

	always(k != NULL, "interrupt API used with no kernel booted");
	return k;
}

static bool irq_valid(const struct kernel *k, unsigned int irq)
{
	return irq >= GIC_PPI_BASE && irq < GIC_SPI_BASE + gic_nr_spis(k->soc->gic);
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags,
		const char *name, void *dev_id)
{
	struct kernel *k = irq_kernel();
	struct irq_action *act;

	if (!irq_valid(k, irq) || !handler || flags)
		return -EINVAL;
	act = &k->irqs[irq];
	if (act->handler)
		return -EBUSY;
	*act = (struct irq_action){ .handler = handler, .dev_id = dev_id, .name = name };
	gic_enable(k->soc->gic, irq, true);
	return 0;
}

void free_irq(unsigned int irq, void *dev_id)
{
	struct kernel *k = irq_kernel();
	struct irq_action *act;

	always(irq_valid(k, irq), "free_irq(%u): not an interrupt number", irq);
	act = &k->irqs[irq];
	always(act->handler && act->dev_id == dev_id,
	       "free_irq(%u): not requested with this dev_id", irq);
	gic_enable(k->soc->gic, irq, false);
	*act = (struct irq_action){ 0 };
}

static bool domain_registered(const struct kernel *k, const struct dt_node *ctrl)
{
	for (unsigned int i = 0; i < k->nr_irq_domains; i++)
		if (k->irq_domains[i] == ctrl)
			return true;
	return false;
}

int irq_domain_register(struct device *dev)
{
	struct kernel *k = irq_kernel();

	if (k->nr_irq_domains == KERNEL_IRQ_DOMAINS_MAX)
		return -ENOSPC;
	k->irq_domains[k->nr_irq_domains++] = dev->of_node;
	return 0;
}

int platform_get_irq(struct platform_device *pdev, unsigned int num)
{
	struct kernel *k = irq_kernel();
	const struct dt_node *np = pdev->dev.of_node;
	struct secsoc_error err = { 0 };
	unsigned int intid;

	if (num >= np->nirq)
		return -ENXIO;
	if (!domain_registered(k, np->irq[num].ctrl))
		return -EPROBE_DEFER;
	if (soc_irq_of(k->soc, np, num, &intid, &err)) {
		dev_err(&pdev->dev, "%s", err.msg);
		return -EINVAL;
	}
	return (int)intid;
}

/* The interrupt entry of every normal-world CPU. */
static void kernel_irq_entry(struct cpu *c, unsigned int intid, void *ctx)
{
	struct kernel *k = ctx;
	struct irq_action *act = intid < GIC_INTID_MAX ? &k->irqs[intid] : NULL;

	if (act && act->handler && act->handler((int)intid, act->dev_id) == IRQ_HANDLED) {
		always(spin_locks_held() == 0, "irq %u (%s) returned with a spinlock held", intid,
		       act->name);
		act->count++;
		return;
	}
	k->spurious++;
	sim_guest_error(k->soc->sim, c->name, "irq %u: nobody cared", intid);
}

void kernel_irq_init(struct kernel *k)
{
	for (unsigned int i = 0; i < k->soc->nr_cpus; i++)
		cpu_set_irq_entry(&k->soc->cpus[i], kernel_irq_entry, k);
}

static enum cpu_context current_context(void)
{
	struct cpu *c = cpu_current();

	return c ? c->ctx : CPU_CTX_IDLE;
}

bool in_hardirq(void)
{
	return current_context() == CPU_CTX_IRQ;
}

bool in_softirq(void)
{
	return current_context() == CPU_CTX_BH;
}

bool in_task(void)
{
	return current_context() == CPU_CTX_TASK;
}
