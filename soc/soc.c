/*
 * soc.c - board bring-up: load the device tree and instantiate the
 * hardware models it describes (see include/secsoc/soc.h).
 *
 * Models are created in the order of soc_models[] (the interrupt controller
 * first, because every other device needs its lines), and within one model
 * in device-tree order, so the same tree always gives the same actor ids and
 * therefore the same schedules.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/soc.h>

#include "soc/models.h"

extern const char secsoc_builtin_dtb[];
extern const char secsoc_builtin_dtb_end[];

int soc_load_dt(const char *dtb, const char *dts, struct dt **out, struct secsoc_error *err)
{
	if (dtb && dts)
		return input_error(err, "--dtb and --dts are mutually exclusive: give one board");
	if (dtb)
		return dt_load_dtb_file(dtb, out, err);
	if (dts)
		return dt_load_dts_file(dts, out, err);
	return dt_load_blob(secsoc_builtin_dtb,
			    (size_t)(secsoc_builtin_dtb_end - secsoc_builtin_dtb),
			    "built-in secsoc.dts", out, err);
}

struct soc_binding *soc_binding(const struct soc *soc, const struct dt_node *np)
{
	return &soc->bindings[np - soc->dt->nodes];
}

static int create_models(struct soc *soc, const struct soc_model *m, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < soc->dt->nr_nodes; i++) {
		struct dt_node *np = &soc->dt->nodes[i];
		struct soc_binding *b = soc_binding(soc, np);
		int ret;

		if (!dt_node_available(np) || b->model || !m->match(np))
			continue;
		ret = m->create(soc, np, err);
		if (ret)
			return ret;
		b->model = m;
	}
	return 0;
}

int soc_create(struct sim *sim, struct dt *dt, struct soc **out, struct secsoc_error *err)
{
	struct soc *soc = calloc(1, sizeof(*soc));
	int ret = -ENOMEM;

	if (!soc)
		return internal_error(err, "out of memory creating the SoC");
	soc->sim = sim;
	soc->dt = dt;
	soc->bus = bus_create();
	soc->bindings = calloc(dt->nr_nodes, sizeof(*soc->bindings));
	if (!soc->bus || !soc->bindings) {
		internal_error(err, "out of memory creating the SoC");
		goto fail;
	}
	for (const struct soc_model *m = soc_models; m->name; m++) {
		ret = create_models(soc, m, err);
		if (ret)
			goto fail;
	}
	ret = soc_models_check(soc, err);
	if (ret)
		goto fail;
	*out = soc;
	return 0;
fail:
	soc_destroy(soc);
	return ret;
}

void soc_destroy(struct soc *soc)
{
	if (!soc)
		return;
	tzc400_destroy(soc->tzc);
	gic_destroy(soc->gic);
	bus_destroy(soc->bus);
	free(soc->bindings);
	free(soc);
}

int soc_irq_of(struct soc *soc, const struct dt_node *np, unsigned int idx,
	       unsigned int *intid, struct secsoc_error *err)
{
	const struct dt_irq *irq;
	enum irq_trigger trigger;
	int ret;

	if (idx >= np->nirq)
		return input_error(err, "node %s: has no interrupt %u ('interrupts' lists %u)",
				   np->path, idx, np->nirq);
	irq = &np->irq[idx];
	if (!soc->gic || irq->ctrl != soc->gic_node)
		return input_error(err, "node %s: interrupt %u goes to %s, which is not a modelled "
				   "interrupt controller", np->path, idx, irq->ctrl->path);
	if (irq->ncells != 3)
		return input_error(err, "node %s: interrupt %u has %u cells; %s needs 3",
				   np->path, idx, irq->ncells, irq->ctrl->path);
	ret = gic_xlate(soc->gic, irq->cells, intid, &trigger, err);
	if (ret)
		return ret;
	return gic_configure(soc->gic, *intid, trigger, false, GIC_PRIO_DEFAULT, 0, np->name, err);
}

static bool node_is_device(const struct soc *soc, const struct dt_node *np)
{
	return np->ncompat > 0 || soc_binding(soc, np)->model;
}

static void report_device(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	const struct soc_binding *b = soc_binding(soc, np);
	bool available = dt_node_available(np);

	report_item_begin(r);
	report_str(r, "path", np->path);
	report_strings(r, "compatible", np->compatible, np->ncompat);
	report_str(r, "status", available ? "okay" : "disabled");
	report_str(r, "model", b->model ? b->model->name : (available ? "no model yet" : NULL));
	report_str(r, "version", b->model ? b->model->version : NULL);
	report_str(r, "driver", b->driver);
	report_str(r, "driver_state", b->driver_state);
	report_section_begin(r, "properties");
	if (b->model && b->model->info)
		b->model->info(soc, np, r);
	else if (!b->model)
		soc_describe(np, r);
	report_section_end(r);
	report_item_end(r);
}

void soc_report_devices(const struct soc *soc, struct report *r)
{
	report_list_begin(r, "devices");
	for (unsigned int i = 0; i < soc->dt->nr_nodes; i++) {
		const struct dt_node *np = &soc->dt->nodes[i];

		if (i > 0 && node_is_device(soc, np))
			report_device(soc, np, r);
	}
	report_list_end(r);
}
