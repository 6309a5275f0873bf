/*
 * drivers.c - the drivers built into the normal-world kernel, in the order
 * the driver core tries them, and its initcalls, in the order they run.
 */
#include <secsoc/kernel.h>

extern const struct platform_driver gic_driver;
extern const struct platform_driver bam_dma_driver;
extern const struct platform_driver bam_loopback_client_driver;
extern const struct platform_driver qce_crypto_driver;
extern const struct platform_driver secsoc_tee_driver;
extern const struct platform_driver secsoc_disp_driver;
extern const struct platform_driver panthor_driver;
extern const struct kernel_initcall system_heap_initcall;

const struct platform_driver *const kernel_drivers[] = {
	&gic_driver,
	&bam_dma_driver,
	&qce_crypto_driver,
	&bam_loopback_client_driver,
	&secsoc_tee_driver,
	&secsoc_disp_driver,
	&panthor_driver,
};

const unsigned int kernel_nr_drivers = ARRAY_SIZE(kernel_drivers);

const struct kernel_initcall *const kernel_initcalls[] = {
	&system_heap_initcall,
};

const unsigned int kernel_nr_initcalls = ARRAY_SIZE(kernel_initcalls);
