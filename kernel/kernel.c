/*
 * kernel.c - normal-world boot: interrupt entry on every CPU, the kernel's
 * memory, the initcalls, then the driver core binds the built-in drivers to
 * the device tree; shutdown undoes it and checks that nothing is left.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/crypto.h>
#include <secsoc/dma-buf.h>
#include <secsoc/dma-heap.h>
#include <secsoc/file.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>

static const char *const lock_policy_names[] = {
	[LOCK_POLICY_NONE] = "none",
	[LOCK_POLICY_V12] = "v12",
	[LOCK_POLICY_NWD] = "nwd",
};

int lock_policy_parse(const char *name, enum lock_policy *policy, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(lock_policy_names); i++) {
		if (!strcmp(name, lock_policy_names[i])) {
			*policy = (enum lock_policy)i;
			return 0;
		}
	}
	return input_error(err, "--lock-policy: unknown policy '%s' (expected none, v12 or nwd)",
			   name);
}

const char *lock_policy_name(enum lock_policy policy)
{
	always(policy < ARRAY_SIZE(lock_policy_names), "lock policy %d out of range", policy);
	return lock_policy_names[policy];
}

static struct kernel *current_kernel;

struct kernel *kernel_current(void)
{
	return current_kernel;
}

/* Tell the SoC layer what each node's driver did, for `secsoc info`. */
static void record_bindings(struct kernel *k)
{
	for (unsigned int i = 0; i < k->dc.nr_devs; i++) {
		struct device *dev = &k->dc.devs[i].dev;
		struct soc_binding *b = soc_binding(k->soc, dev->of_node);

		b->driver = dev->driver->name;
		if (device_is_bound(dev))
			b->driver_state = "bound";
		else if (dev->probe_ret == -EPROBE_DEFER)
			b->driver_state = "deferred";
		else
			b->driver_state = "failed";
	}
}

/* kernel_initcalls[] whose init succeeded and whose exit has not run. */
static unsigned int initcalls_done;

/* Run kernel_initcalls[] in order; the first failure stops them (@err names it). */
static int initcalls_init(struct kernel *k, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < kernel_nr_initcalls; i++) {
		const struct kernel_initcall *c = kernel_initcalls[i];
		int ret = c->init(k, err);

		if (ret) {
			secsoc_error_set(err, SECSOC_ERR_INTERNAL, "initcall %s failed (%d)",
					 c->name, ret);
			return ret;
		}
		initcalls_done = i + 1;
	}
	return 0;
}

/* The exits of the initcalls whose init succeeded, in reverse. */
static void initcalls_exit(struct kernel *k)
{
	while (initcalls_done) {
		const struct kernel_initcall *c = kernel_initcalls[--initcalls_done];

		if (c->exit)
			c->exit(k);
	}
}

/* Invariant 7 for the buffer-sharing layer: every buffer, file and heap is gone. */
static void check_released(void)
{
	struct dma_buf_stats bufs = dma_buf_stats();
	struct file_stats files = file_stats();
	struct dma_heap_stats heaps = dma_heap_stats();

	always(bufs.live == 0 && bufs.attachments == 0,
	       "kernel shutdown with %llu dma-bufs and %llu attachments alive",
	       (unsigned long long)bufs.live, (unsigned long long)bufs.attachments);
	always(files.live_files == 0, "kernel shutdown with %llu files open",
	       (unsigned long long)files.live_files);
	always(heaps.heaps == 0, "kernel shutdown with %llu dma-heaps alive (%llu registered)",
	       (unsigned long long)heaps.heaps, (unsigned long long)heaps.registered);
}

int kernel_boot(struct kernel *k, struct soc *soc, const struct kernel_params *params,
		const struct platform_driver *const *drivers, unsigned int nr_drivers,
		struct secsoc_error *err)
{
	int ret;

	/* A kernel that was never shut down left its initcalls: forgotten below. */
	initcalls_done = 0;
	*k = (struct kernel){
		.soc = soc,
		.params = params ? *params : (struct kernel_params){ LOCK_POLICY_DEFAULT },
	};
	current_kernel = k;
	kernel_irq_init(k);
	kernel_timers_init(&k->timers, soc->sim);
	ret = kmem_init(soc->bus, soc->dt, err);
	if (ret)
		return ret;
	file_core_init();
	dma_buf_core_init();
	dma_heap_core_init();
	ret = initcalls_init(k, err);
	if (ret)
		return ret;
	ret = driver_core_init(&k->dc, soc->dt, drivers, nr_drivers, err);
	if (ret)
		return ret;
	ret = driver_core_probe_all(&k->dc, err);
	record_bindings(k);
	return ret;
}

void kernel_shutdown(struct kernel *k)
{
	driver_core_remove_all(&k->dc);
	/* Drivers took their algorithms back; users freed their transforms first. */
	always(crypto_nr_tfms() == 0, "kernel shutdown with %u crypto transforms alive",
	       crypto_nr_tfms());
	always(crypto_nr_algs() == 0, "kernel shutdown with %u crypto algorithms registered",
	       crypto_nr_algs());
	crypto_exit();
	always(k->timers.nr_armed == 0, "kernel shutdown with %u timers armed",
	       k->timers.nr_armed);
	initcalls_exit(k);
	check_released();
	driver_core_free(&k->dc);
	kmem_exit();
	if (current_kernel == k)
		current_kernel = NULL;
}
