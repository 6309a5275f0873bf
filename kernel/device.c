/*
 * device.c - the driver core: platform devices from device-tree nodes,
 * matching by compatible, probe in pre-order with deferred-probe retries,
 * and remove in reverse binding order (see include/secsoc/device.h).
 *
 * Owns the platform_device array, the deferred list and the binding order;
 * the drivers own whatever they allocate in probe and release in remove.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/device.h>

const void *of_device_get_match_data(const struct device *dev)
{
	return dev->match ? dev->match->data : NULL;
}

static void dev_vlog(const struct device *dev, const char *level, const char *fmt, va_list ap)
{
	FILE *log = dev->core ? dev->core->log : NULL;

	if (!log)
		return;
	fprintf(log, "%s %s: %s: ", dev->driver ? dev->driver->name : "(none)", dev->name,
		level);
	vfprintf(log, fmt, ap);
	fputc('\n', log);
}

void dev_err(struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(dev->err, sizeof(dev->err), fmt, ap);
	va_end(ap);
	va_start(ap, fmt);
	dev_vlog(dev, "error", fmt, ap);
	va_end(ap);
}

void dev_warn(const struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vlog(dev, "warning", fmt, ap);
	va_end(ap);
}

void dev_info(const struct device *dev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	dev_vlog(dev, "info", fmt, ap);
	va_end(ap);
}

int platform_get_resource_reg(const struct platform_device *pdev, unsigned int idx,
			      struct dt_reg *out)
{
	const struct dt_node *np = pdev->dev.of_node;

	if (!np || idx >= np->nreg)
		return -ENXIO;
	*out = np->reg[idx];
	return 0;
}

bool device_is_bound(const struct device *dev)
{
	return dev->bound;
}

struct device *driver_core_find(struct driver_core *dc, const struct dt_node *np)
{
	for (unsigned int i = 0; i < dc->nr_devs; i++)
		if (dc->devs[i].dev.of_node == np)
			return &dc->devs[i].dev;
	return NULL;
}

struct device *driver_core_bound_device(struct driver_core *dc, const struct dt_node *np)
{
	struct device *dev = np ? driver_core_find(dc, np) : NULL;

	return dev && dev->bound ? dev : NULL;
}

/* The of_match_table entry of @drv that equals @compat, or NULL. */
static const struct of_device_id *match_one(const struct platform_driver *drv,
					    const char *compat)
{
	for (const struct of_device_id *id = drv->of_match_table; id->compatible; id++)
		if (!strcmp(id->compatible, compat))
			return id;
	return NULL;
}

/* First compatible string of @np that any driver matches wins. */
static const struct of_device_id *match_node(const struct driver_core *dc,
					     const struct dt_node *np,
					     const struct platform_driver **drv)
{
	for (unsigned int c = 0; c < np->ncompat; c++) {
		for (unsigned int d = 0; d < dc->nr_drivers; d++) {
			const struct of_device_id *id;

			id = match_one(dc->drivers[d], np->compatible[c]);

			if (id) {
				*drv = dc->drivers[d];
				return id;
			}
		}
	}
	return NULL;
}

static int check_drivers(const struct platform_driver *const *drivers, unsigned int nr,
			 struct secsoc_error *err)
{
	if (nr > DRIVER_CORE_DRIVERS_MAX)
		return internal_error(err, "driver core: %u drivers, more than %u", nr,
				      DRIVER_CORE_DRIVERS_MAX);
	for (unsigned int i = 0; i < nr; i++)
		if (!drivers[i] || !drivers[i]->name || !drivers[i]->probe ||
		    !drivers[i]->of_match_table)
			return internal_error(err, "driver core: driver %u has no name, probe or of_match_table",
					      i);
	return 0;
}

int driver_core_init(struct driver_core *dc, struct dt *dt,
		     const struct platform_driver *const *drivers, unsigned int nr,
		     struct secsoc_error *err)
{
	const struct platform_driver *drv;
	unsigned int i, n = 0;
	int ret = check_drivers(drivers, nr, err);

	memset(dc, 0, sizeof(*dc));
	INIT_LIST_HEAD(&dc->deferred);
	if (ret)
		return ret;
	dc->dt = dt;
	dc->drivers = drivers;
	dc->nr_drivers = nr;
	for (i = 0; i < dt->nr_nodes; i++)
		if (dt_node_available(&dt->nodes[i]) && match_node(dc, &dt->nodes[i], &drv))
			n++;
	dc->devs = calloc(n ? n : 1, sizeof(*dc->devs));
	dc->probe_order = calloc(n ? n : 1, sizeof(*dc->probe_order));
	if (!dc->devs || !dc->probe_order) {
		driver_core_free(dc);
		return internal_error(err, "driver core: out of memory for %u devices", n);
	}
	for (i = 0; i < dt->nr_nodes; i++) {
		struct dt_node *np = &dt->nodes[i];
		const struct of_device_id *id;
		struct device *dev;

		if (!dt_node_available(np) || !(id = match_node(dc, np, &drv)))
			continue;
		dev = &dc->devs[dc->nr_devs++].dev;
		dev->name = np->path;
		dev->of_node = np;
		dev->driver = drv;
		dev->match = id;
		dev->core = dc;
		INIT_LIST_HEAD(&dev->node);
	}
	return 0;
}

/* One probe call; returns its result after recording the binding. */
static int really_probe(struct driver_core *dc, struct device *dev)
{
	int ret;

	dev->err[0] = '\0';
	dc->probe_calls++;
	ret = dev->driver->probe(to_platform_device(dev));
	dev->probe_ret = ret;
	if (ret == 0) {
		dev->bound = true;
		dc->probe_order[dc->nr_bound++] = dev;
	} else if (ret == -EPROBE_DEFER) {
		dev->deferrals++;
		list_add_tail(&dev->node, &dc->deferred);
	} else {
		dev_set_drvdata(dev, NULL);
	}
	return ret;
}

static void record_failure(struct device *dev, int ret, struct secsoc_error *err, bool *inval)
{
	if (ret != -EINVAL)
		return;
	*inval = true;
	input_error(err, "node %s: driver %s probe failed: %s", dev->name, dev->driver->name,
		    dev->err[0] ? dev->err : "invalid argument");
}

/* Retry deferred devices, in order, until a pass binds nothing new. */
static void retry_deferred(struct driver_core *dc, struct secsoc_error *err, bool *inval)
{
	bool progress = true;

	while (progress && !list_empty(&dc->deferred)) {
		LIST_HEAD(pass);

		progress = false;
		list_splice_tail_init(&dc->deferred, &pass);
		while (!list_empty(&pass)) {
			struct device *dev = list_first_entry(&pass, struct device, node);
			int ret;

			list_del_init(&dev->node);
			ret = really_probe(dc, dev);
			progress |= ret == 0;
			record_failure(dev, ret, err, inval);
		}
	}
}

int driver_core_probe_all(struct driver_core *dc, struct secsoc_error *err)
{
	bool inval = false;

	for (unsigned int i = 0; i < dc->nr_devs; i++) {
		struct device *dev = &dc->devs[i].dev;
		int ret;

		if (dev->bound || !list_empty(&dev->node))
			continue;
		ret = really_probe(dc, dev);
		record_failure(dev, ret, err, &inval);
		if (ret == 0)
			retry_deferred(dc, err, &inval);
	}
	return inval ? -EINVAL : 0;
}

void driver_core_remove_all(struct driver_core *dc)
{
	while (dc->nr_bound) {
		struct device *dev = dc->probe_order[--dc->nr_bound];

		if (dev->driver->remove)
			dev->driver->remove(to_platform_device(dev));
		dev->bound = false;
		dev_set_drvdata(dev, NULL);
	}
}

void driver_core_free(struct driver_core *dc)
{
	if (dc->probe_order)
		driver_core_remove_all(dc);
	free(dc->devs);
	free(dc->probe_order);
	dc->devs = NULL;
	dc->probe_order = NULL;
	dc->nr_devs = 0;
	INIT_LIST_HEAD(&dc->deferred);
}
