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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/soc.h>

#include "soc/models.h"

extern const char secsoc_builtin_dtb[];
extern const char secsoc_builtin_dtb_end[];
extern const char secsoc_builtin_loopback_dtb[];
extern const char secsoc_builtin_loopback_dtb_end[];

/* The boards soc/builtin_dtb.S embeds. */
static const struct {
	const char *name;
	const char *source;	/* what messages call the blob */
	const char *start, *end;
} builtin_boards[] = {
	{ SOC_BUILTIN_DEFAULT, "built-in secsoc.dts", secsoc_builtin_dtb, secsoc_builtin_dtb_end },
	{ "bam-loopback", "built-in bam-loopback.dts", secsoc_builtin_loopback_dtb,
	  secsoc_builtin_loopback_dtb_end },
};

int soc_load_builtin(const char *name, struct dt **out, struct secsoc_error *err)
{
	char known[128] = "";

	for (size_t i = 0; i < ARRAY_SIZE(builtin_boards); i++) {
		const char *start = builtin_boards[i].start;

		if (!strcmp(builtin_boards[i].name, name))
			return dt_load_blob(start, (size_t)(builtin_boards[i].end - start),
					    builtin_boards[i].source, out, err);
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", builtin_boards[i].name);
	}
	*out = NULL;
	return input_error(err, "unknown built-in board '%s' (known: %s)", name, known);
}

int soc_load_dt(const char *dtb, const char *dts, struct dt **out, struct secsoc_error *err)
{
	if (dtb && dts)
		return input_error(err, "--dtb and --dts are mutually exclusive: give one board");
	if (dtb)
		return dt_load_dtb_file(dtb, out, err);
	if (dts)
		return dt_load_dts_file(dts, out, err);
	return soc_load_builtin(SOC_BUILTIN_DEFAULT, out, err);
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

/* Memory-mapped device registers (not RAM, not carve-outs inside RAM). */
static bool has_device_regs(const struct dt_node *np)
{
	const char *type;

	if (!dt_node_available(np) || !np->mapped || np->nreg == 0 || np->ncompat == 0)
		return false;
	if (np->parent && strcmp(np->parent->path, "/reserved-memory") == 0)
		return false;
	return dt_prop_string(np, "device_type", &type, NULL) || strcmp(type, "memory") != 0;
}

static bool regs_overlap(const struct dt_reg *a, const struct dt_reg *b)
{
	return a->addr < b->addr + b->size && b->addr < a->addr + a->size;
}

static int overlap_error(const struct dt_node *a, unsigned int ia, const struct dt_node *b,
			 unsigned int ib, struct secsoc_error *err)
{
	return input_error(err, "node %s: 'reg' entry %u [0x%llx, +0x%llx) overlaps node %s "
			   "'reg' entry %u [0x%llx, +0x%llx)", a->path, ia,
			   (unsigned long long)a->reg[ia].addr, (unsigned long long)a->reg[ia].size,
			   b->path, ib, (unsigned long long)b->reg[ib].addr,
			   (unsigned long long)b->reg[ib].size);
}

/* Does a register range of @a overlap one of @b (or another of its own)? */
static int check_pair(const struct dt_node *a, const struct dt_node *b, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < a->nreg; i++)
		for (unsigned int j = a == b ? i + 1 : 0; j < b->nreg; j++)
			if (regs_overlap(&a->reg[i], &b->reg[j]))
				return overlap_error(a, i, b, j, err);
	return 0;
}

/*
 * Device register windows must not overlap each other or RAM, whether or
 * not their hardware is modelled yet (the bus catches it again for the
 * modelled ones when they map their registers).
 */
static int check_register_overlaps(const struct dt *dt, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < dt->nr_nodes; i++) {
		const struct dt_node *a = &dt->nodes[i];
		const struct dt_node *mem;
		int ret = 0;

		if (!has_device_regs(a))
			continue;
		for (unsigned int j = i; !ret && j < dt->nr_nodes; j++)
			if (has_device_regs(&dt->nodes[j]))
				ret = check_pair(a, &dt->nodes[j], err);
		for (unsigned int m = 0; !ret && (mem = dt_memory_node(dt, m)); m++)
			ret = check_pair(a, mem, err);
		if (ret)
			return ret;
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
	/* A tree never changes once loaded: the explorer boots one per schedule. */
	ret = dt->regs_checked ? 0 : check_register_overlaps(dt, err);
	dt->regs_checked = !ret;
	for (const struct soc_model *m = soc_models; !ret && m->name; m++)
		ret = create_models(soc, m, err);
	if (!ret)
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
	qce_destroy(soc->qce);
	gpu_destroy(soc->gpu);
	display_destroy(soc->display);
	for (unsigned int i = 0; i < soc->nr_bams; i++) {
		bam_loopback_destroy(soc->bams[i].loopback);
		bam_destroy(soc->bams[i].bam);
	}
	tzc400_destroy(soc->tzc);
	gic_destroy(soc->gic);
	bus_destroy(soc->bus);
	free(soc->bindings);
	free(soc);
}

struct soc_bam *soc_bam_of(struct soc *soc, const struct dt_node *np)
{
	for (unsigned int i = 0; i < soc->nr_bams; i++)
		if (soc->bams[i].np == np)
			return &soc->bams[i];
	return NULL;
}

int soc_spi_line(struct soc *soc, const struct dt_node *np, const char *what,
		 struct irq_line *line, struct secsoc_error *err)
{
	unsigned int intid;
	int ret;

	if (np->nirq == 0)
		return input_error(err, "node %s: missing property 'interrupts' (%s)", np->path,
				   what);
	ret = soc_irq_of(soc, np, 0, &intid, err);
	if (ret)
		return ret;
	if (intid < GIC_SPI_BASE)
		return input_error(err, "node %s: property 'interrupts': %s must be an SPI (type "
				   "0), not interrupt ID %u", np->path, what, intid);
	irq_line_init(line, soc->gic, intid, 0);
	return 0;
}

int soc_irq_of(struct soc *soc, const struct dt_node *np, unsigned int idx,
	       unsigned int *intid, struct secsoc_error *err)
{
	struct secsoc_error local = { 0 };
	const struct dt_irq *irq;
	enum irq_trigger trigger;

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
	if (gic_xlate(soc->gic, irq->cells, intid, &trigger, &local))
		return input_error(err, "node %s: property 'interrupts': %s", np->path, local.msg);
	/* The secure world owns its group 0 interrupts; never hand one back. */
	if (*intid >= GIC_SPI_BASE && gic_is_secure(soc->gic, *intid))
		return input_error(err, "node %s: interrupt %u is the secure world's (group 0)",
				   np->path, *intid);
	if (gic_configure(soc->gic, *intid, trigger, false, GIC_PRIO_DEFAULT, 0, np->name, &local))
		return input_error(err, "node %s: property 'interrupts': %s", np->path, local.msg);
	return 0;
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

/** soc_protected_access_parse - see soc.h */
int soc_protected_access_parse(const struct dt_node *np, struct soc_protected_access *acc,
			       struct secsoc_error *err)
{
	const char *prop = "secsoc,protected-access";
	int len = 0;
	const void *raw = dt_prop(np, prop, &len);

	*acc = (struct soc_protected_access){ 0 };
	if (!raw)
		return 0;
	if (len <= 0 || len % 8)
		return input_error(err, "node %s: property '%s' must be <nsaid access> pairs",
				   np->path, prop);
	for (unsigned int i = 0; i < (unsigned int)len / 4; i += 2) {
		u32 nsaid = 0, access = 0;

		dt_prop_u32_index(np, prop, i, &nsaid, NULL);
		dt_prop_u32_index(np, prop, i + 1, &access, NULL);
		if (nsaid >= TZC400_NSAID_MAX || access < 1 || access > 3)
			return input_error(err, "node %s: property '%s' entry %u is <%u %u>; an "
					   "NSAID is 0..15 and access 1 (read), 2 (write) or 3",
					   np->path, prop, i / 2, nsaid, access);
		acc->nsaid[nsaid] = (u8)access;
	}
	return 0;
}

/** soc_protected_id_access - see soc.h */
u32 soc_protected_id_access(const struct soc_protected_access *acc)
{
	u32 ids = 0;

	for (unsigned int n = 0; n < TZC400_NSAID_MAX; n++) {
		if (acc->nsaid[n] & SOC_PROTECTED_READ)
			ids |= TZC400_ID_ACCESS_RD(n);
		if (acc->nsaid[n] & SOC_PROTECTED_WRITE)
			ids |= TZC400_ID_ACCESS_WR(n);
	}
	return ids;
}

/** soc_background_id_access - see soc.h */
u32 soc_background_id_access(const struct soc_protected_access *acc)
{
	u32 ids = 0xffffffffU;

	for (unsigned int n = 0; n < TZC400_NSAID_MAX; n++)
		if (acc->nsaid[n] & SOC_PROTECTED_WRITE)
			ids &= ~TZC400_ID_ACCESS_WR(n);
	return ids;
}
