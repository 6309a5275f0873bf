/*
 * drivers.c - the drivers built into the normal-world kernel, in the order
 * the driver core tries them.
 */
#include <secsoc/kernel.h>

extern const struct platform_driver gic_driver;

const struct platform_driver *const kernel_drivers[] = {
	&gic_driver,
};

const unsigned int kernel_nr_drivers = ARRAY_SIZE(kernel_drivers);
