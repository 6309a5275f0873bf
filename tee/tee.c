/*
 * tee.c - the secure firmware: boot (TZC-400 set-up, BAM pipe assignment,
 * then the monitor, the TEE core and its TAs), region protection at run
 * time (tee_protect_region(), and the region programming the
 * protected-memory service moves its windows with), the memory map the TEE
 * checks buffers against, and the secure interrupt entry (see
 * include/secsoc/tee.h).
 *
 * All programming goes through the bus as the secure CPU, exactly as
 * firmware would write the registers; the TZC refuses the same writes from
 * a normal-world master, which is what tzc-smoke checks.
 */
#include <errno.h>

#include "tee/tee_internal.h"

#define TEE_PRIV_REGION 1	/* the secure world's own memory */
#define TEE_PROT_REGION 2	/* the protected carve-out */
#define TEE_SECURE_RW (TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN)

static u32 tzc_read(struct tee *t, u32 off)
{
	return cpu_read32(t->cpu, t->tzc_base + off);
}

static void tzc_write(struct tee *t, u32 off, u32 val)
{
	cpu_write32(t->cpu, t->tzc_base + off, val);
}

static u32 all_filters(const struct tee *t)
{
	return (u32)GENMASK(t->nr_filters - 1, 0);
}

static void program_region(struct tee *t, unsigned int n, u64 base, u64 size, u32 attrs, u32 ids)
{
	u64 top = base + size - 1;

	always(n > 0 && n < t->nr_regions, "TZC region %u is not programmable", n);
	always(IS_ALIGNED(base, TZC400_GRANULE) && IS_ALIGNED(size, TZC400_GRANULE),
	       "TZC region %u [0x%llx, +0x%llx) is not 4 KiB aligned", n,
	       (unsigned long long)base, (unsigned long long)size);
	/* Disable first so that no half-programmed range is ever live. */
	tzc_write(t, TZC400_REGION_ATTRIBUTES(n), 0);
	tzc_write(t, TZC400_REGION_BASE_LOW(n), (u32)base);
	tzc_write(t, TZC400_REGION_BASE_HIGH(n), (u32)(base >> 32));
	tzc_write(t, TZC400_REGION_TOP_LOW(n), (u32)top);
	tzc_write(t, TZC400_REGION_TOP_HIGH(n), (u32)(top >> 32));
	tzc_write(t, TZC400_REGION_ID_ACCESS(n), ids);
	tzc_write(t, TZC400_REGION_ATTRIBUTES(n), attrs);
	t->regions_used |= BIT(n);
	t->region_base[n] = base;
	t->region_size[n] = size;
	t->region_refs[n] = 1;
}

/*
 * Protected memory, wherever it is (the carve-out, tee_protect_region(),
 * the service's windows), gets the same rights: secure read/write through
 * every filter, and for non-secure agents exactly what the node's
 * secsoc,protected-access grants (the GPU, the display; by default none),
 * so a device meets the same rules in all of it.
 */
void tee_tzc_protect(struct tee *t, unsigned int n, u64 base, u64 size)
{
	always(n > TEE_PRIV_REGION, "TZC region %u holds the private memory", n);
	program_region(t, n, base, size, TEE_SECURE_RW | all_filters(t), t->protected_ids);
}

void tee_tzc_disable(struct tee *t, unsigned int n)
{
	always(n > TEE_PRIV_REGION && n < t->nr_regions && (t->regions_used & BIT(n)),
	       "disabling TZC region %u, which the TEE did not program", n);
	tzc_write(t, TZC400_REGION_ATTRIBUTES(n), 0);
	t->regions_used &= ~BIT(n);
}

/*
 * The TZC-400 denies every access to an address that two enabled regions
 * cover, so a range is protected by one region only: asking again for the
 * same range takes another reference on it, and a range that partly
 * overlaps a protected one is refused. A window of the protected-memory
 * service is never shared (the service moves it), so any overlap with one,
 * even an exact match, is refused.
 */
int tee_protect_region(struct tee *t, u64 base, u64 size, unsigned int *region)
{
	unsigned int n, free_n = 0;

	if (size == 0 || !IS_ALIGNED(base, TZC400_GRANULE) || !IS_ALIGNED(size, TZC400_GRANULE))
		return -EINVAL;
	for (n = 1; n < t->nr_regions; n++) {
		if (!(t->regions_used & BIT(n))) {
			free_n = free_n ? free_n : n;
			continue;
		}
		if (n > TEE_PRIV_REGION && !(t->protmem.windows & BIT(n)) &&
		    base == t->region_base[n] && size == t->region_size[n]) {
			t->region_refs[n]++;
			*region = n;
			return 0;
		}
		if (tee_ranges_overlap(base, size, t->region_base[n], t->region_size[n]))
			return -EBUSY;
	}
	if (!free_n)
		return -ENOSPC;
	tee_tzc_protect(t, free_n, base, size);
	*region = free_n;
	return 0;
}

void tee_release_region(struct tee *t, unsigned int region)
{
	bool ours = region > TEE_PRIV_REGION && region < t->nr_regions &&
		    (t->regions_used & BIT(region)) && !(t->protmem.windows & BIT(region));

	always(ours, "releasing TZC region %u, which tee_protect_region() did not protect",
	       region);
	if (!ours || --t->region_refs[region])
		return;
	tee_tzc_disable(t, region);
}

static void record_fault(struct tee *t, unsigned int f, bool overrun)
{
	struct tee_tzc_fault *fault;

	if (t->nr_faults == TEE_FAULTS_MAX) {
		t->faults_dropped++;
		return;
	}
	fault = &t->faults[t->nr_faults++];
	fault->filter = f;
	fault->addr = (u64)tzc_read(t, TZC400_FAIL_ADDRESS_HIGH(f)) << 32 |
		      tzc_read(t, TZC400_FAIL_ADDRESS_LOW(f));
	fault->control = tzc_read(t, TZC400_FAIL_CONTROL(f));
	fault->id = tzc_read(t, TZC400_FAIL_ID(f));
	fault->overrun = overrun;
	fault->time_ns = sim_now_ns(t->soc->sim);
}

/* The TZC interrupt: report each filter's first failure, then clear it. */
static void tee_tzc_irq(struct tee *t)
{
	u32 status = tzc_read(t, TZC400_INT_STATUS);
	u32 pending = FIELD_GET(TZC400_INT_STATUS_STATUS, status);
	u32 overrun = FIELD_GET(TZC400_INT_STATUS_OVERRUN, status);

	sometimes(pending != 0, "tee: TZC interrupt with a failure to report");
	for (unsigned int f = 0; f < t->nr_filters; f++) {
		if (!(pending & BIT(f)))
			continue;
		record_fault(t, f, overrun & BIT(f));
		tzc_write(t, TZC400_INT_CLEAR, BIT(f));
	}
}

static void tee_irq_entry(struct cpu *c, unsigned int intid, void *ctx)
{
	struct tee *t = ctx;

	always(c->ctx == CPU_CTX_IRQ, "secure interrupt %u handled outside irq context", intid);
	if (intid == t->tzc_intid) {
		tee_tzc_irq(t);
		return;
	}
	if (t->bam && intid == t->bam_intid) {
		tee_bam_irq(t);
		return;
	}
	sim_guest_error(t->soc->sim, "tee", "unexpected secure interrupt %u", intid);
}

/*
 * The model has no exception level 3: the SMC instruction reaches the
 * firmware that runs on the secure CPU, whose vector tee_boot() installs
 * together with the secure interrupt entry.
 */
struct tee *tee_of_soc(struct soc *soc)
{
	struct cpu *c = &soc->secure_cpu;

	return c->irq_entry == tee_irq_entry ? c->irq_ctx : NULL;
}

bool tee_range_protected(const struct tee *t, u64 base, u64 size)
{
	if (size == 0 || base + size < base)
		return false;
	for (unsigned int n = TEE_PRIV_REGION + 1; n < t->nr_regions; n++)
		if ((t->regions_used & BIT(n)) &&
		    tee_range_inside(base, size, t->region_base[n], t->region_size[n]))
			return true;
	return false;
}

/* Inside one bank of the memory nodes: what the firmware knows as RAM. */
static bool in_ram(const struct tee *t, u64 base, u64 size)
{
	const struct dt_node *mem;

	for (unsigned int i = 0; (mem = dt_memory_node(t->soc->dt, i)); i++)
		for (unsigned int r = 0; r < mem->nreg; r++)
			if (tee_range_inside(base, size, mem->reg[r].addr, mem->reg[r].size))
				return true;
	return false;
}

bool tee_range_normal(const struct tee *t, u64 base, u64 size)
{
	if (size == 0 || base + size < base || !in_ram(t, base, size))
		return false;
	for (unsigned int n = TEE_PRIV_REGION; n < t->nr_regions; n++)
		if ((t->regions_used & BIT(n)) &&
		    tee_ranges_overlap(base, size, t->region_base[n], t->region_size[n]))
			return false;
	return true;
}

/* The first 'reg' range of the reserved-memory node @prop points to. */
static int range_of(struct tee *t, const struct dt_node *np, const char *prop,
		    const char *compat, u64 *base, u64 *size, struct secsoc_error *err)
{
	struct dt_node *target = dt_parse_phandle(np, prop, 0);

	if (!target)
		return input_error(err, "node %s: missing property '%s'", np->path, prop);
	if (compat && !dt_is_compatible(target, compat))
		return input_error(err, "node %s: property '%s' points to %s, which is not a %s "
				   "region", np->path, prop, target->path, compat);
	if (target->nreg == 0 || !dt_prop_bool(target, "no-map"))
		return input_error(err, "node %s: property '%s' points to %s, which is not a "
				   "'no-map' reserved-memory node with 'reg'", np->path, prop,
				   target->path);
	*base = target->reg[0].addr;
	*size = target->reg[0].size;
	if (!IS_ALIGNED(*base, TZC400_GRANULE) || !IS_ALIGNED(*size, TZC400_GRANULE) || !*size)
		return input_error(err, "node %s: the TZC protects whole 4 KiB pages; %s "
				   "[0x%llx, +0x%llx) is not page aligned", np->path, target->path,
				   (unsigned long long)*base, (unsigned long long)*size);
	if (!bus_ram_holds(t->soc->bus, *base, *size))
		return input_error(err, "node %s: property '%s': %s [0x%llx, +0x%llx) is not "
				   "inside one RAM bank", np->path, prop, target->path,
				   (unsigned long long)*base, (unsigned long long)*size);
	return 0;
}

/*
 * The secure world's BAM execution environment (that it is not Linux's is
 * checked when the BAM model is created: soc/models_qcom.c).
 */
static int check_ee(const struct dt_node *np, struct secsoc_error *err)
{
	u32 ee;
	int ret = dt_prop_u32(np, "qcom,ee", &ee, err);

	if (ret)
		return ret == -ENOENT ? input_error(err, "node %s: missing property 'qcom,ee'",
						    np->path) : ret;
	if (ee > 7)
		return input_error(err, "node %s: property 'qcom,ee' is %u; it must be 0..7",
				   np->path, ee);
	return 0;
}

static int tee_read_node(struct tee *t, const struct dt_node *np, struct secsoc_error *err)
{
	struct soc_protected_access acc;
	struct soc *soc = t->soc;
	int ret;

	if (!soc->tzc || dt_parse_phandle(np, "secsoc,tzc", 0) != soc->tzc_node)
		return input_error(err, "node %s: property 'secsoc,tzc' must point to the board's "
				   "arm,tzc400 node", np->path);
	ret = range_of(t, np, "memory-region", NULL, &t->priv_base, &t->priv_size, err);
	if (!ret)
		ret = range_of(t, np, "secsoc,protected-memory", "secsoc,protected-carveout",
			       &t->prot_base, &t->prot_size, err);
	if (!ret)
		ret = check_ee(np, err);
	if (ret)
		return ret;
	if (t->priv_base < t->prot_base + t->prot_size &&
	    t->prot_base < t->priv_base + t->priv_size)
		return input_error(err, "node %s: 'memory-region' and 'secsoc,protected-memory' "
				   "overlap; the TZC cannot give them different owners", np->path);
	ret = soc_protected_access_parse(np, &acc, err);
	if (ret)
		return ret;
	t->protected_ids = soc_protected_id_access(&acc);
	t->background_ids = soc_background_id_access(&acc);
	ret = dt_prop_u32(np, "secsoc,tzc-action", &t->action, err);
	if (ret == -ENOENT)
		t->action = TZC400_ACTION_DECERR_INT;
	else if (ret)
		return ret;
	if (t->action > TZC400_ACTION_DECERR_INT)
		return input_error(err, "node %s: property 'secsoc,tzc-action' is %u; it must be "
				   "0..3 (TZC-400 ACTION)", np->path, t->action);
	return 0;
}

/* Take the TZC interrupt away from the normal world: group 0, secure CPU. */
static void tee_claim_tzc_irq(struct tee *t)
{
	struct soc *soc = t->soc;

	t->tzc_intid = soc->tzc_irq.intid;
	gic_set_group(soc->gic, t->tzc_intid, true);
	gic_enable(soc->gic, t->tzc_intid, true);
}

/* The BAM pipe behind the TEE node's @idx-th 'dmas' entry. */
static int tee_bam_pipe(struct tee *t, unsigned int idx, struct secsoc_error *err)
{
	const struct dt_node *np = t->soc->tee_node;
	struct dt_phandle_args args;

	int ret = dt_parse_phandle_with_args(np, "dmas", "#dma-cells", idx, &args, err);

	if (ret == -ENOENT)
		return input_error(err, "node %s: property 'dmas' needs two entries, rx and tx; "
				   "entry %u is missing", np->path, idx);
	if (ret)
		return ret;
	if (soc_bam_of(t->soc, args.np) != t->bam || args.nargs != 1 ||
	    args.args[0] >= bam_config(t->bam->bam)->nr_pipes)
		return input_error(err, "node %s: 'dmas' entry %u must name a pipe of %s", np->path,
				   idx, t->bam->np->path);
	t->bam_pipes[idx] = args.args[0];
	return 0;
}

/*
 * A BAM that Linux only controls remotely (qcom,controlled-remotely) is
 * reset and enabled by its owner, the secure world: the same global
 * sequence as the Linux driver's bam_reset() (reference §1.7).
 */
static void tee_reset_remote_bam(struct tee *t, const struct bam_config *cfg)
{
	const u64 ctrl = cfg->base + bam_reg_offset(cfg->version, BAM_CTRL, 0, 0);

	if (!dt_prop_bool(t->bam->np, "qcom,controlled-remotely"))
		return;
	cpu_write32(t->cpu, ctrl, BAM_CTRL_SW_RST);
	cpu_write32(t->cpu, ctrl, 0);
	cpu_write32(t->cpu, ctrl, BAM_CTRL_BAM_EN);
	cpu_write32(t->cpu, cfg->base + bam_reg_offset(cfg->version, BAM_DESC_CNT_TRSHLD, 0, 0),
		    4);
	cpu_write32(t->cpu, cfg->base + bam_reg_offset(cfg->version, BAM_CNFG_BITS, 0, 0),
		    BAM_CNFG_BITS_DEFAULT);
	cpu_write32(t->cpu, cfg->base + bam_reg_offset(cfg->version, BAM_IRQ_EN, 0, 0),
		    BAM_IRQ_ERROR | BAM_IRQ_HRESP_ERR);
}

/*
 * Give the secure world's pipes to its EE (P_TRUST_REG answers only secure
 * masters) and take that EE's interrupt as a group 0 interrupt.
 */
static int tee_assign_bam_pipes(struct tee *t, struct secsoc_error *err)
{
	struct dt_phandle_args args;
	const struct bam_config *cfg;
	u32 ee;

	if (dt_parse_phandle_with_args(t->soc->tee_node, "dmas", "#dma-cells", 0, &args, NULL))
		return 0;
	t->bam = soc_bam_of(t->soc, args.np);
	if (!t->bam)
		return 0;
	cfg = bam_config(t->bam->bam);
	tee_reset_remote_bam(t, cfg);
	dt_prop_u32(t->soc->tee_node, "qcom,ee", &ee, NULL);
	t->bam_ee = ee;
	for (unsigned int i = 0; i < 2; i++) {
		if (tee_bam_pipe(t, i, err))
			return -EINVAL;
		cpu_write32(t->cpu, cfg->base + bam_reg_offset(cfg->version, BAM_P_TRUST_REG,
							       t->bam_pipes[i], 0), ee);
	}
	t->bam_intid = t->bam->ee_irq[ee].intid;
	gic_set_group(t->soc->gic, t->bam_intid, true);
	gic_enable(t->soc->gic, t->bam_intid, true);
	return 0;
}

int tee_boot(struct tee *t, struct soc *soc, struct secsoc_error *err)
{
	u32 build;
	int ret;

	*t = (struct tee){ .soc = soc, .cpu = &soc->secure_cpu };
	if (!soc->tee_node)
		return input_error(err, "%s: the board has no secure world (no secsoc,tee node)",
				   soc->dt->source);
	ret = tee_read_node(t, soc->tee_node, err);
	if (ret)
		return ret;
	t->tzc_base = soc->tzc_node->reg[0].addr;
	build = tzc_read(t, TZC400_BUILD_CONFIG);
	t->nr_regions = FIELD_GET(TZC400_BUILD_CONFIG_NR, build) + 1;
	t->nr_filters = FIELD_GET(TZC400_BUILD_CONFIG_NF, build) + 1;
	/* Background: normal memory, writable by every master but protected writers. */
	tzc_write(t, TZC400_REGION_ID_ACCESS(0), t->background_ids);
	tzc_write(t, TZC400_REGION_ATTRIBUTES(0), TEE_SECURE_RW);
	program_region(t, TEE_PRIV_REGION, t->priv_base, t->priv_size,
		       TEE_SECURE_RW | all_filters(t), 0);
	/*
	 * Protected memory: the static carve-out. The protected-memory
	 * service starts with no window (*t was cleared above).
	 */
	tee_tzc_protect(t, TEE_PROT_REGION, t->prot_base, t->prot_size);
	tzc_write(t, TZC400_ACTION, t->action);
	tzc_write(t, TZC400_GATE_KEEPER, all_filters(t));
	if (FIELD_GET(TZC400_GATE_KEEPER_OPEN_STATUS, tzc_read(t, TZC400_GATE_KEEPER)) !=
	    all_filters(t))
		return internal_error(err, "secure boot: the TZC filter gates did not open");
	tee_claim_tzc_irq(t);
	ret = tee_assign_bam_pipes(t, err);
	if (!ret)
		ret = tee_bam_init(t, err);
	if (ret)
		return ret;
	tee_smc_init(t);
	tee_core_init(t);
	ta_drm_init(t);
	ta_sdp_init(t);
	cpu_set_irq_entry(t->cpu, tee_irq_entry, t);
	return 0;
}
