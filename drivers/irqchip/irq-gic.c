/*
 * irq-gic.c - the normal-world irqchip driver for the arm,gic-400 node.
 *
 * The distributor itself is configured through the GIC model's API (see
 * include/secsoc/gic.h); what this driver contributes is the interrupt
 * domain: once it has probed, platform_get_irq() can translate the
 * specifiers of every node whose interrupt-parent is this controller, and
 * their drivers stop deferring.
 */
#include <secsoc/kernel.h>

static int gic_probe(struct platform_device *pdev)
{
	int ret = irq_domain_register(&pdev->dev);

	if (ret)
		dev_err(&pdev->dev, "cannot register the interrupt domain: %d", ret);
	return ret;
}

static const struct of_device_id gic_of_match[] = {
	{ .compatible = "arm,gic-400" },
	{ 0 },
};

const struct platform_driver gic_driver = {
	.name = "gic",
	.of_match_table = gic_of_match,
	.probe = gic_probe,
};
