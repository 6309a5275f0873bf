/*
 * models.c - how each device-tree node becomes a hardware model.
 *
 * One entry per kind of node: a match on compatible or device_type, a
 * create function that reads the node's properties (rejecting bad ones with
 * a message naming node and property) and builds the model, and an info
 * function listing the key properties `secsoc info` shows. The Qualcomm
 * crypto block (BAM and QCE) is in soc/models_qcom.c; later issues add the
 * GPU and display here.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "soc/models.h"

#define GIC_NR_SPIS_DEFAULT 480	/* the GIC-400 maximum */

static bool has_device_type(const struct dt_node *np, const char *type)
{
	const char *val;

	return dt_prop_string(np, "device_type", &val, NULL) == 0 && strcmp(val, type) == 0;
}

static int need_reg(const struct dt_node *np, const char *model, struct secsoc_error *err)
{
	if (np->nreg == 0)
		return input_error(err, "node %s: missing property 'reg' (the %s model needs "
				   "its address)", np->path, model);
	return 0;
}

int soc_prop_u32_or(const struct dt_node *np, const char *name, u32 def, u32 *val,
		    struct secsoc_error *err)
{
	int ret = dt_prop_u32(np, name, val, err);

	if (ret == -ENOENT) {
		*val = def;
		return 0;
	}
	return ret;
}

/* ---- simple-bus: address translation only, done by the DT layer ---- */

static bool simple_bus_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "simple-bus");
}

static int simple_bus_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	return 0;
}

/* ---- interrupt controller ---- */

static bool gic_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "arm,gic-400");
}

static unsigned int count_cpus(const struct dt *dt)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < dt->nr_nodes; i++)
		n += dt_node_available(&dt->nodes[i]) && has_device_type(&dt->nodes[i], "cpu");
	return n;
}

static int gic_model_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	unsigned int cpus = count_cpus(soc->dt);
	u32 cells, spis;
	int ret;

	if (soc->gic)
		return input_error(err, "node %s: a second interrupt controller is not supported "
				   "(%s is the GIC)", np->path, soc->gic_node->path);
	if (!dt_prop_bool(np, "interrupt-controller"))
		return input_error(err, "node %s: missing property 'interrupt-controller'",
				   np->path);
	ret = dt_prop_u32(np, "#interrupt-cells", &cells, err);
	if (ret == 0 && cells != 3)
		return input_error(err, "node %s: property '#interrupt-cells' is %u; the "
				   "arm,gic-400 binding needs 3", np->path, cells);
	if (ret)
		return ret == -ENOENT ? input_error(err, "node %s: missing property "
						    "'#interrupt-cells'", np->path) : ret;
	ret = soc_prop_u32_or(np, "secsoc,nr-spis", GIC_NR_SPIS_DEFAULT, &spis, err);
	if (ret)
		return ret;
	if (spis < 1 || spis > GIC_INTID_MAX - GIC_SPI_BASE)
		return input_error(err, "node %s: property 'secsoc,nr-spis' is %u; it must be "
				   "1..%u", np->path, spis, GIC_INTID_MAX - GIC_SPI_BASE);
	if (cpus == 0 || cpus > SOC_NS_CPUS_MAX)
		return input_error(err, "node %s: the tree has %u enabled cpu nodes; 1..%u are "
				   "supported", np->path, cpus, SOC_NS_CPUS_MAX);
	ret = need_reg(np, "arm,gic-400", err);
	if (ret)
		return ret;
	soc->gic = gic_create(soc->sim, "gic", cpus, spis);
	soc->gic_node = np;
	return 0;
}

static void gic_model_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	report_u64(r, "cpu_interfaces", soc->nr_cpus);
	report_bool(r, "secure_interface", true);
	report_u64(r, "spis", gic_nr_spis(soc->gic));
}

/* ---- RAM ---- */

static bool memory_match(const struct dt_node *np)
{
	return has_device_type(np, "memory");
}

static int memory_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	int ret = need_reg(np, "memory", err);

	for (unsigned int i = 0; ret == 0 && i < np->nreg; i++)
		ret = bus_add_ram(soc->bus, np->path, np->reg[i].addr, np->reg[i].size, err);
	return ret;
}

static void memory_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	report_hex(r, "base", np->reg[0].addr);
	report_hex(r, "size", np->reg[0].size);
	report_u64(r, "banks", np->nreg);
}

/* ---- reserved memory: carve-outs owned by the secure world ---- */

static bool reserved_match(const struct dt_node *np)
{
	return np->parent && strcmp(np->parent->path, "/reserved-memory") == 0;
}

static int reserved_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	if (need_reg(np, "reserved-memory", err))
		return -EINVAL;
	if (!bus_ram_holds(soc->bus, np->reg[0].addr, np->reg[0].size))
		return input_error(err, "node %s: reserved range [0x%llx, +0x%llx) is not inside "
				   "a memory node", np->path,
				   (unsigned long long)np->reg[0].addr,
				   (unsigned long long)np->reg[0].size);
	return 0;
}

static void reserved_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	report_hex(r, "base", np->reg[0].addr);
	report_hex(r, "size", np->reg[0].size);
	report_bool(r, "no_map", dt_prop_bool(np, "no-map"));
}

/* ---- normal-world CPUs ---- */

static bool cpu_match(const struct dt_node *np)
{
	return has_device_type(np, "cpu");
}

static int cpu_costs_of(const struct dt_node *cpus, struct cpu_costs *c, struct secsoc_error *err)
{
	u32 irq, bh, task;

	if (soc_prop_u32_or(cpus, "secsoc,irq-cost-ns", CPU_COST_IRQ_NS_DEFAULT, &irq, err) ||
	    soc_prop_u32_or(cpus, "secsoc,bh-cost-ns", CPU_COST_BH_NS_DEFAULT, &bh, err) ||
	    soc_prop_u32_or(cpus, "secsoc,task-cost-ns", CPU_COST_TASK_NS_DEFAULT, &task, err))
		return -EINVAL;
	*c = (struct cpu_costs){ .irq_ns = irq, .bh_ns = bh, .task_ns = task };
	return 0;
}

static int cpu_model_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct cpu_costs costs;
	u32 index;
	char name[16];
	int ret;

	if (!soc->gic)
		return input_error(err, "node %s: the board has no arm,gic-400 interrupt "
				   "controller for its CPUs", np->path);
	ret = need_reg(np, "cpu", err);
	if (ret)
		return ret;
	/* The CPU index; MPIDR affinity values are not decoded. */
	if (np->reg[0].addr >= gic_secure_cpu(soc->gic))
		return input_error(err, "node %s: cpu index 0x%llx is out of range (the board has "
				   "%u cpus; 'reg' must be 0..%u)", np->path,
				   (unsigned long long)np->reg[0].addr, gic_secure_cpu(soc->gic),
				   gic_secure_cpu(soc->gic) - 1);
	index = (u32)np->reg[0].addr;
	if (soc->cpus[index].actor.sim)
		return input_error(err, "node %s: cpu index %u is used twice", np->path, index);
	ret = cpu_costs_of(np->parent, &costs, err);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "cpu%u", index);
	cpu_init(&soc->cpus[index], soc->sim, soc->bus, soc->gic, name, index, false, &costs);
	soc->nr_cpus++;
	return 0;
}

static void cpu_model_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	u64 index = np->reg[0].addr;

	report_u64(r, "index", index);
	report_str(r, "world", "normal");
	report_u64(r, "task_cost_ns", soc->cpus[index].cost.task_ns);
}

/* ---- TZC-400 address-space controller ---- */

static bool tzc_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "arm,tzc400");
}

static int tzc_model_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct tzc400_config cfg = { .nr_regions = 9, .addr_width = BUS_PA_BITS };
	u32 filters;
	int ret;

	if (soc->tzc)
		return input_error(err, "node %s: a second TZC-400 is not supported (%s is the "
				   "TZC)", np->path, soc->tzc_node->path);
	ret = need_reg(np, "arm,tzc400", err);
	if (!ret)
		ret = soc_prop_u32_or(np, "arm,num-filters", 1, &filters, err);
	if (ret)
		return ret;
	if (filters < 1 || filters > 4)
		return input_error(err, "node %s: property 'arm,num-filters' is %u; the TZC-400 "
				   "has 1..4 filters", np->path, filters);
	cfg.nr_filters = filters;
	ret = soc_spi_line(soc, np, "the TZC's interrupt", &soc->tzc_irq, err);
	if (ret)
		return ret;
	soc->tzc = tzc400_create(soc->bus, np->path, np->reg[0].addr, &cfg, &soc->tzc_irq, err);
	soc->tzc_node = np;
	return soc->tzc ? 0 : -EINVAL;
}

static void tzc_model_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	u32 filters = 1;

	dt_prop_u32(np, "arm,num-filters", &filters, NULL);
	report_hex(r, "base", np->reg[0].addr);
	report_u64(r, "regions", 9);
	report_u64(r, "filters", filters);
	report_str(r, "programmed_by", "secure world only");
	report_u64(r, "interrupt", soc->tzc_irq.intid);
}

/* ---- the secure world: its CPU (the firmware itself lives in tee/) ---- */

static bool tee_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "secsoc,tee");
}

static int tee_model_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct cpu_costs costs;
	struct dt_node *cpus = dt_find_path(soc->dt, "/cpus");

	if (soc->tee_node)
		return input_error(err, "node %s: a second secure world is not supported (%s is "
				   "the TEE)", np->path, soc->tee_node->path);
	if (!soc->gic)
		return input_error(err, "node %s: the secure CPU needs an arm,gic-400 interrupt "
				   "controller", np->path);
	if (cpus && cpu_costs_of(cpus, &costs, err))
		return -EINVAL;
	cpu_init(&soc->secure_cpu, soc->sim, soc->bus, soc->gic, "secure-cpu",
		 gic_secure_cpu(soc->gic), true, cpus ? &costs : NULL);
	soc->tee_node = np;
	return 0;
}

static void tee_model_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	u32 ee;

	report_str(r, "cpu", soc->secure_cpu.name);
	if (dt_prop_u32(np, "qcom,ee", &ee, NULL) == 0)
		report_u64(r, "bam_ee", ee);
}

const struct soc_model soc_models[] = {
	{ simple_bus_match, "simple-bus", NULL, simple_bus_create, NULL },
	{ gic_match, "gic", "gic-400 r0p1 (API-programmed)", gic_model_create, gic_model_info },
	{ memory_match, "ram", "sparse host memory", memory_create, memory_info },
	{ reserved_match, "reserved-memory", NULL, reserved_create, reserved_info },
	{ cpu_match, "cpu", "armv8-a (actor)", cpu_model_create, cpu_model_info },
	{ tzc_match, "tzc400", "tzc-400 r0p0", tzc_model_create, tzc_model_info },
	{ tee_match, "secure-cpu", "armv8-a secure (actor)", tee_model_create, tee_model_info },
	/* After the secure world: a BAM needs to know which of its EEs is secure. */
	{ soc_bam_match, "bam", "bam (v1.3/v1.4/v1.7/v2.0 layouts)", soc_bam_create, soc_bam_info },
	{ soc_qce_match, "qce", "crypto engine v5", soc_qce_create, soc_qce_info },
	{ soc_loopback_match, "bam-loopback", "test peripheral", soc_loopback_create,
	  soc_loopback_info },
	/* After the GIC, like every device with an interrupt. */
	{ soc_gpu_match, "gpu", "mali-valhall-csf (GPU_ID 0xa8670000, CSF 3.0)", soc_gpu_create,
	  soc_gpu_info },
	{ soc_display_match, "display", "scan-out with frame CRC", soc_display_create,
	  soc_display_info },
	{ NULL, NULL, NULL, NULL, NULL },
};

int soc_models_check(struct soc *soc, struct secsoc_error *err)
{
	if (!soc->gic)
		return input_error(err, "%s: the board has no enabled arm,gic-400 interrupt "
				   "controller", soc->dt->source);
	if (soc->nr_cpus == 0)
		return input_error(err, "%s: the board has no enabled cpu nodes under /cpus",
				   soc->dt->source);
	return 0;
}
