/*
 * models_gpu.c - the arm,mali-valhall-csf node becomes the GPU model
 * (include/secsoc/gpu.h): its NSAIDs, interrupts by name, sizes and
 * timing, every bad value an input error naming node and property.
 * docs/bindings/arm,mali-valhall-csf.md is the binding.
 */
#include <errno.h>
#include <stdio.h>

#include "soc/models.h"

bool soc_gpu_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "arm,mali-valhall-csf");
}

/* A required property in 0..15. */
static int nsaid_of(const struct dt_node *np, const char *prop, unsigned int *out,
		    struct secsoc_error *err)
{
	u32 v;
	int ret = dt_prop_u32(np, prop, &v, err);

	if (ret == -ENOENT)
		return input_error(err, "node %s: missing property '%s' (the GPU's NSAID)",
				   np->path, prop);
	if (ret)
		return ret;
	if (v >= TZC400_NSAID_MAX)
		return input_error(err, "node %s: property '%s' is %u; an NSAID is 0..%u",
				   np->path, prop, v, TZC400_NSAID_MAX - 1);
	*out = v;
	return 0;
}

/* An optional property, default @def, that must lie in [@min, @max]. */
static int u32_in(const struct dt_node *np, const char *prop, u32 def, u32 min, u32 max,
		  u32 *out, struct secsoc_error *err)
{
	int ret = soc_prop_u32_or(np, prop, def, out, err);

	if (ret)
		return ret;
	if (*out < min || *out > max)
		return input_error(err, "node %s: property '%s' is %u; it must be %u..%u",
				   np->path, prop, *out, min, max);
	return 0;
}

/* An optional size in bytes, default @def: a multiple of 64 in 64..16 MiB. */
static int size_of(const struct dt_node *np, const char *prop, u32 def, u32 *out,
		   struct secsoc_error *err)
{
	int ret = u32_in(np, prop, def, 64, 1u << 24, out, err);

	if (ret)
		return ret;
	if (*out % 64)
		return input_error(err, "node %s: property '%s' is %u; it must be a multiple "
				   "of 64", np->path, prop, *out);
	return 0;
}

static int sizes_of(const struct dt_node *np, struct gpu_config *cfg, struct secsoc_error *err)
{
	int ret = size_of(np, "secsoc,protm-fw-size", GPU_PROTM_FW_SIZE_DEFAULT,
			  &cfg->protm_fw_size, err);

	return ret ? ret : size_of(np, "secsoc,protm-suspend-size",
				   GPU_PROTM_SUSPEND_SIZE_DEFAULT, &cfg->protm_suspend_size, err);
}

static int timing_of(const struct dt_node *np, struct gpu_timing *t, struct secsoc_error *err)
{
	const u32 ns_max = 1000000000;	/* a second: anything longer is a typo */

	if (u32_in(np, "secsoc,ps-per-pixel", GPU_PS_PER_PIXEL_DEFAULT, 1, 1000000,
		   &t->ps_per_pixel, err) ||
	    u32_in(np, "secsoc,fw-boot-ns", GPU_FW_BOOT_NS_DEFAULT, 0, ns_max, &t->fw_boot_ns,
		   err) ||
	    u32_in(np, "secsoc,protm-enter-ns", GPU_PROTM_ENTER_NS_DEFAULT, 0, ns_max,
		   &t->protm_enter_ns, err) ||
	    u32_in(np, "secsoc,protm-exit-ns", GPU_PROTM_EXIT_NS_DEFAULT, 0, ns_max,
		   &t->protm_exit_ns, err) ||
	    u32_in(np, "secsoc,reset-ns", GPU_RESET_NS_DEFAULT, 0, ns_max, &t->reset_ns, err))
		return -EINVAL;
	return 0;
}

/* The interrupt named @name in 'interrupt-names', connected to @line. */
static int named_line(struct soc *soc, const struct dt_node *np, const char *name,
		      struct irq_line *line, struct secsoc_error *err)
{
	int idx = dt_prop_match_string(np, "interrupt-names", name);
	unsigned int intid;
	int ret;

	if (idx < 0)
		return input_error(err, "node %s: property 'interrupt-names' must name a \"%s\" "
				   "interrupt", np->path, name);
	ret = soc_irq_of(soc, np, (unsigned int)idx, &intid, err);
	if (ret)
		return ret;
	if (intid < GIC_SPI_BASE)
		return input_error(err, "node %s: property 'interrupts': the \"%s\" interrupt "
				   "must be an SPI, not interrupt ID %u", np->path, name, intid);
	irq_line_init(line, soc->gic, intid, 0);
	return 0;
}

int soc_gpu_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct gpu_config cfg = { .name = np->path };
	struct secsoc_error local = { 0 };
	int ret;

	if (soc->gpu)
		return input_error(err, "node %s: a second GPU is not supported (%s is the GPU)",
				   np->path, soc->gpu_node->path);
	if (np->nreg == 0)
		return input_error(err, "node %s: missing property 'reg' (the GPU model needs "
				   "its address)", np->path);
	if (np->reg[0].size < GPU_REG_WINDOW)
		return input_error(err, "node %s: property 'reg': the register window is 0x%llx "
				   "bytes; the GPU decodes 0x%x", np->path,
				   (unsigned long long)np->reg[0].size, GPU_REG_WINDOW);
	ret = nsaid_of(np, "secsoc,nsaid", &cfg.nsaid, err);
	if (!ret)
		ret = nsaid_of(np, "secsoc,protected-nsaid", &cfg.protected_nsaid, err);
	if (!ret && cfg.nsaid == cfg.protected_nsaid)
		ret = input_error(err, "node %s: property 'secsoc,protected-nsaid' is %u, the same "
				  "as 'secsoc,nsaid'; protected mode needs its own NSAID",
				  np->path, cfg.nsaid);
	if (!ret)
		ret = sizes_of(np, &cfg, err);
	if (!ret)
		ret = timing_of(np, &cfg.timing, err);
	if (!ret)
		ret = named_line(soc, np, "job", &soc->gpu_irq_job, err);
	if (!ret)
		ret = named_line(soc, np, "gpu", &soc->gpu_irq_gpu, err);
	if (ret)
		return ret;
	cfg.base = np->reg[0].addr;
	soc->gpu = gpu_create(soc->sim, soc->bus, &cfg, &soc->gpu_irq_job, &soc->gpu_irq_gpu,
			      &local);
	soc->gpu_node = np;
	return soc->gpu ? 0 : input_error(err, "node %s", local.msg);
}

void soc_gpu_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	const struct gpu_config *cfg = gpu_config(soc->gpu);
	char text[32];

	snprintf(text, sizeof(text), "0x%08x", GPU_ID_VALUE);
	report_str(r, "gpu_id", text);
	report_str(r, "csf_version", "3.0");
	report_hex(r, "base", cfg->base);
	report_u64(r, "group_slots", GPU_CSG_SLOTS);
	report_u64(r, "nsaid", cfg->nsaid);
	report_u64(r, "protected_nsaid", cfg->protected_nsaid);
	report_u64(r, "job_interrupt", soc->gpu_irq_job.intid);
	report_u64(r, "gpu_interrupt", soc->gpu_irq_gpu.intid);
	report_u64(r, "ps_per_pixel", cfg->timing.ps_per_pixel);
}
