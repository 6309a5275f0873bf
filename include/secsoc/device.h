/*
 * device.h - the kernel-like device model: platform devices created from
 * device-tree nodes, platform drivers matched by compatible, probe with
 * deferral, and remove.
 *
 * Shapes and names follow <linux/device.h>, <linux/platform_device.h> and
 * <linux/mod_devicetable.h> so that drivers read like their Linux originals.
 * The driver core binds one device per enabled node whose compatible list
 * matches a driver; the first compatible string of the node that any
 * driver matches wins, as with Linux's of_match ordering.
 *
 * Probe runs in device-tree pre-order. A probe returning -EPROBE_DEFER is
 * queued and retried, in order, after every successful probe until a pass
 * makes no progress (Linux's deferred-probe trigger). A device still
 * deferred at the end stays unbound with probe_ret = -EPROBE_DEFER.
 */
#ifndef SECSOC_DEVICE_H
#define SECSOC_DEVICE_H

#include <stdio.h>

#include <secsoc/dt.h>
#include <secsoc/error.h>
#include <secsoc/list.h>
#include <secsoc/types.h>

#define EPROBE_DEFER 517
#define DEVICE_ERR_MAX 256
#define DRIVER_CORE_DRIVERS_MAX 128

struct driver_core;
struct platform_device;

struct of_device_id {
	const char *compatible;
	const void *data;
};

struct platform_driver {
	const char *name;
	const struct of_device_id *of_match_table;	/* ends with an empty entry */
	int (*probe)(struct platform_device *pdev);
	void (*remove)(struct platform_device *pdev);	/* optional */
};

struct device {
	const char *name;			/* the node path */
	struct dt_node *of_node;
	void *driver_data;
	const struct platform_driver *driver;	/* the matched driver (bound or not) */
	const struct of_device_id *match;	/* the of_match_table entry that matched */
	struct driver_core *core;
	bool bound;				/* probe returned 0 and no remove since */
	int probe_ret;				/* last probe result (0 before any probe) */
	unsigned int deferrals;			/* times probe returned -EPROBE_DEFER */
	struct list_head node;			/* on the core's deferred list */
	char err[DEVICE_ERR_MAX];		/* last dev_err() message */
};

struct platform_device {
	struct device dev;
};

struct driver_core {
	struct dt *dt;
	const struct platform_driver *const *drivers;
	unsigned int nr_drivers;
	struct platform_device *devs;		/* in device-tree pre-order */
	unsigned int nr_devs;
	struct list_head deferred;		/* devices waiting for a retry, in order */
	u64 probe_calls;			/* every probe() call, deferrals included */
	struct device **probe_order;		/* bound devices, in binding order */
	unsigned int nr_bound;
	FILE *log;				/* dev_err/warn/info output (NULL: nowhere) */
};

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

static inline const char *dev_name(const struct device *dev)
{
	return dev->name;
}

static inline void *platform_get_drvdata(const struct platform_device *pdev)
{
	return dev_get_drvdata(&pdev->dev);
}

static inline void platform_set_drvdata(struct platform_device *pdev, void *data)
{
	dev_set_drvdata(&pdev->dev, data);
}

static inline struct platform_device *to_platform_device(struct device *dev)
{
	return container_of(dev, struct platform_device, dev);
}

/** of_device_get_match_data - the .data of the of_device_id entry that matched @dev */
const void *of_device_get_match_data(const struct device *dev);

/**
 * dev_err - report a probe or runtime error of @dev
 *
 * Stores the message in dev->err (the driver core quotes it when probe
 * fails with -EINVAL) and prints it to the core's log, if any.
 */
void dev_err(struct device *dev, const char *fmt, ...) SECSOC_PRINTF(2, 3);
/** dev_warn - print a warning about @dev to the core's log, if any */
void dev_warn(const struct device *dev, const char *fmt, ...) SECSOC_PRINTF(2, 3);
/** dev_info - print a note about @dev to the core's log, if any */
void dev_info(const struct device *dev, const char *fmt, ...) SECSOC_PRINTF(2, 3);

/**
 * platform_get_resource_reg - "reg" entry @idx of @pdev's node
 * @out: the translated address and size
 *
 * Return: 0, or -ENXIO if the node has no entry @idx.
 */
int platform_get_resource_reg(const struct platform_device *pdev, unsigned int idx,
			      struct dt_reg *out);

/**
 * driver_core_init - create the platform devices of @dt for @drivers
 * @dc: the core to initialise (owned by the caller, freed with driver_core_free)
 * @dt: the validated tree (borrowed; must outlive @dc)
 * @drivers: the drivers, in priority order for matching (borrowed)
 * @nr: how many (at most DRIVER_CORE_DRIVERS_MAX)
 * @err: records a malformed driver table
 *
 * Return: 0, -EIO for a malformed driver table, -ENOMEM.
 */
int driver_core_init(struct driver_core *dc, struct dt *dt,
		     const struct platform_driver *const *drivers, unsigned int nr,
		     struct secsoc_error *err);
/**
 * driver_core_probe_all - probe every device, with deferral
 *
 * Return: 0, or -EINVAL after the whole pass if a probe returned -EINVAL
 * (bad device-tree input): the first such failure is recorded as
 * "node <path>: driver <name> probe failed: <dev->err>". Other probe errors
 * and devices left deferred are only recorded in their probe_ret.
 */
int driver_core_probe_all(struct driver_core *dc, struct secsoc_error *err);
/** driver_core_remove_all - unbind every bound device, in reverse binding order */
void driver_core_remove_all(struct driver_core *dc);
/** driver_core_free - remove all devices still bound and free the core's memory */
void driver_core_free(struct driver_core *dc);
/** driver_core_find - the device created for node @np, bound or not, or NULL */
struct device *driver_core_find(struct driver_core *dc, const struct dt_node *np);
/**
 * driver_core_bound_device - the device for @np if it is bound, else NULL
 *
 * A consumer whose supplier is not bound yet returns -EPROBE_DEFER.
 */
struct device *driver_core_bound_device(struct driver_core *dc, const struct dt_node *np);
/** device_is_bound - has @dev's probe succeeded (and no remove since)? */
bool device_is_bound(const struct device *dev);

#endif /* SECSOC_DEVICE_H */
