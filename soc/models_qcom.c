/*
 * models_qcom.c - device-tree nodes of the Qualcomm crypto block: the BAM
 * (qcom,bam-dma.yaml) and the crypto engine (qcom-qce.yaml) behind it.
 *
 * The BAM's Linux execution environment and interrupt come from its own
 * node; the secure world's EE and interrupt from the secsoc,tee node whose
 * 'dmas' point at this BAM (that EE is the secure one). The engine finds
 * its BAM through its own 'dmas'; soc_bam_periph() holds the rules every
 * peripheral behind a BAM obeys (the engine here, the loopback in
 * soc/models_loopback.c). Timing properties are optional (docs/bam.md and
 * docs/qce.md give the defaults).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "soc/models.h"

#define BAM_PIPES_DEFAULT 20
#define BAM_EES_DEFAULT 4
#define BAM_NSAID_DEFAULT 1
#define QCE_VERSION_DEFAULT 0x05060000	/* 5.6.0 for "qcom,qce" without a version */

/* ---- BAM ---- */

static const char *const bam_compatibles[] = {
	"qcom,bam-v1.3.0", "qcom,bam-v1.4.0", "qcom,bam-v1.7.0", "qcom,bam-v2.0.0",
};

bool soc_bam_match(const struct dt_node *np)
{
	for (size_t i = 0; i < ARRAY_SIZE(bam_compatibles); i++)
		if (dt_is_compatible(np, bam_compatibles[i]))
			return true;
	return false;
}

static enum bam_version bam_version_of_node(const struct dt_node *np)
{
	enum bam_version v = BAM_V1_7_0;

	/* "qcom,bam-v1.7.4" has no layout of its own: the fallback decides. */
	for (unsigned int i = 0; i < np->ncompat; i++)
		if (bam_version_of_compatible(np->compatible[i], &v) == 0)
			break;
	return v;
}

static int bam_timing_of(const struct dt_node *np, struct bam_timing *t,
			 struct secsoc_error *err)
{
	if (soc_prop_u32_or(np, "secsoc,desc-fetch-ns", BAM_FETCH_NS_DEFAULT, &t->fetch_ns, err) ||
	    soc_prop_u32_or(np, "secsoc,cmd-element-ns", BAM_CE_NS_DEFAULT, &t->ce_ns, err) ||
	    soc_prop_u32_or(np, "secsoc,ps-per-byte", BAM_PS_PER_BYTE_DEFAULT, &t->ps_per_byte,
			    err) ||
	    soc_prop_u32_or(np, "secsoc,irq-latency-ns", BAM_IRQ_LATENCY_NS_DEFAULT,
			    &t->irq_latency_ns, err))
		return -EINVAL;
	return 0;
}

/* The secsoc,tee node whose first 'dmas' entry is a pipe of @bam_np, if any. */
static const struct dt_node *tee_of_bam(const struct soc *soc, const struct dt_node *bam_np)
{
	struct dt_phandle_args args;

	if (!soc->tee_node ||
	    dt_parse_phandle_with_args(soc->tee_node, "dmas", "#dma-cells", 0, &args, NULL))
		return NULL;
	return args.np == bam_np ? soc->tee_node : NULL;
}

static int bam_config_of(struct soc *soc, const struct dt_node *np, struct bam_config *cfg,
			 u32 *ee, struct secsoc_error *err)
{
	int ret;

	*cfg = (struct bam_config){ .name = np->path, .version = bam_version_of_node(np) };
	if (np->nreg == 0)
		return input_error(err, "node %s: missing property 'reg'", np->path);
	cfg->base = np->reg[0].addr;
	cfg->size = np->reg[0].size;
	ret = dt_prop_u32(np, "qcom,ee", ee, err);
	if (ret)
		return ret == -ENOENT ? input_error(err, "node %s: missing property 'qcom,ee' (the "
						    "execution environment Linux uses)", np->path)
				      : ret;
	if (soc_prop_u32_or(np, "num-channels", BAM_PIPES_DEFAULT, &cfg->nr_pipes, err) ||
	    soc_prop_u32_or(np, "qcom,num-ees", BAM_EES_DEFAULT, &cfg->nr_ees, err) ||
	    soc_prop_u32_or(np, "secsoc,nsaid", BAM_NSAID_DEFAULT, &cfg->nsaid, err) ||
	    bam_timing_of(np, &cfg->timing, err))
		return -EINVAL;
	/* Checked here, before the secure world's EE is looked up against it. */
	if (cfg->nr_ees < 1 || cfg->nr_ees > BAM_EES_MAX)
		return input_error(err, "node %s: property 'qcom,num-ees' is %u; a BAM has 1..%u "
				   "execution environments", np->path, cfg->nr_ees, BAM_EES_MAX);
	if (*ee >= cfg->nr_ees)
		return input_error(err, "node %s: property 'qcom,ee' is %u, but the BAM has %u "
				   "execution environments ('qcom,num-ees')", np->path, *ee,
				   cfg->nr_ees);
	cfg->reset_ee = *ee;
	return 0;
}

/* The secure world's EE on this BAM: secure bus accesses, its own interrupt. */
static int bam_secure_ee(struct soc *soc, struct soc_bam *sb, struct bam_config *cfg,
			 u32 *tee_ee, struct secsoc_error *err)
{
	const struct dt_node *tee = tee_of_bam(soc, sb->np);

	*tee_ee = BAM_EES_MAX;
	if (!tee)
		return 0;
	if (dt_prop_u32(tee, "qcom,ee", tee_ee, NULL) || *tee_ee >= cfg->nr_ees)
		return input_error(err, "node %s: property 'qcom,ee' must name one of the %u "
				   "execution environments of %s", tee->path, cfg->nr_ees,
				   sb->np->path);
	if (*tee_ee == sb->linux_ee)
		return input_error(err, "node %s: property 'qcom,ee' is %u, the execution "
				   "environment Linux uses on %s; the secure world needs its own",
				   tee->path, *tee_ee, sb->np->path);
	cfg->secure_ees = BIT(*tee_ee);
	return 0;
}

static int bam_connect_irq(struct soc *soc, struct soc_bam *sb, const struct dt_node *np,
			   unsigned int ee, struct secsoc_error *err)
{
	char what[64];
	int ret;

	snprintf(what, sizeof(what), "the BAM interrupt of execution environment %u", ee);
	ret = soc_spi_line(soc, np, what, &sb->ee_irq[ee], err);
	if (!ret)
		bam_set_ee_irq(sb->bam, ee, &sb->ee_irq[ee]);
	return ret;
}

int soc_bam_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct secsoc_error local = { 0 };
	struct soc_bam *sb = &soc->bams[soc->nr_bams];
	struct bam_config cfg;
	u32 ee, tee_ee;
	int ret;

	if (soc->nr_bams == SOC_BAMS_MAX)
		return input_error(err, "node %s: more than %u BAMs are not supported", np->path,
				   SOC_BAMS_MAX);
	ret = bam_config_of(soc, np, &cfg, &ee, err);
	if (ret)
		return ret;
	*sb = (struct soc_bam){ .np = np, .linux_ee = ee };
	ret = bam_secure_ee(soc, sb, &cfg, &tee_ee, err);
	if (ret)
		return ret;
	sb->bam = bam_create(soc->sim, soc->bus, &cfg, &local);
	if (!sb->bam)	/* the model names the node by its path */
		return input_error(err, "node %s", local.msg);
	soc->nr_bams++;
	ret = bam_connect_irq(soc, sb, np, ee, err);
	if (!ret && tee_ee < BAM_EES_MAX)
		ret = bam_connect_irq(soc, sb, soc->tee_node, tee_ee, err);
	return ret;
}

void soc_bam_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	const struct soc_bam *sb = soc_bam_of((struct soc *)soc, np);
	const struct bam_config *cfg = bam_config(sb->bam);

	report_str(r, "version", bam_version_name(cfg->version));
	report_u64(r, "pipes", cfg->nr_pipes);
	report_u64(r, "ees", cfg->nr_ees);
	report_u64(r, "linux_ee", sb->linux_ee);
	for (unsigned int ee = 0; ee < cfg->nr_ees; ee++)
		if (cfg->secure_ees & BIT(ee))
			report_u64(r, "secure_ee", ee);
	report_bool(r, "pipe_lock_supported", bam_version_has_lock(cfg->version));
	report_bool(r, "controlled_remotely", dt_prop_bool(np, "qcom,controlled-remotely"));
	report_bool(r, "powered_remotely", dt_prop_bool(np, "qcom,powered-remotely"));
	report_u64(r, "interrupt", sb->ee_irq[sb->linux_ee].intid);
}

/* ---- a peripheral behind a BAM: the QCE or the loopback ---- */

/* The BAM pipe of the "rx" or "tx" channel, with the BAM it belongs to. */
static int periph_dma(struct soc *soc, const struct dt_node *np, const char *name,
		      struct soc_bam **sb, u32 *pipe, struct secsoc_error *err)
{
	struct dt_phandle_args args;
	int idx = dt_prop_match_string(np, "dma-names", name);
	int ret;

	if (idx < 0)
		return input_error(err, "node %s: property 'dma-names' has no \"%s\" channel",
				   np->path, name);
	ret = dt_parse_phandle_with_args(np, "dmas", "#dma-cells", (unsigned int)idx, &args, err);
	if (ret == -ENOENT)
		return input_error(err, "node %s: property 'dmas' has no entry %d for the \"%s\" "
				   "channel", np->path, idx, name);
	if (ret)
		return ret;
	*sb = soc_bam_of(soc, args.np);
	if (!*sb)
		return input_error(err, "node %s: the \"%s\" channel points to %s, which is not an "
				   "enabled BAM", np->path, name, args.np->path);
	if (args.nargs != 1 || args.args[0] >= bam_config((*sb)->bam)->nr_pipes)
		return input_error(err, "node %s: the \"%s\" channel must name one pipe of %s "
				   "(0..%u)", np->path, name, args.np->path,
				   bam_config((*sb)->bam)->nr_pipes - 1);
	*pipe = args.args[0];
	return 0;
}

/*
 * A command element carries 24 address bits; the BAM supplies the rest from
 * its own base, so the peripheral's registers must share them.
 */
static int check_ce_window(const struct dt_node *np, const struct soc_bam *sb,
			   struct secsoc_error *err)
{
	const struct dt_reg *r = &np->reg[0];
	u64 window = bam_config(sb->bam)->base & ~(u64)BAM_CE_ADDR;
	u64 last = r->addr + (r->size ? r->size - 1 : 0);

	if ((r->addr & ~(u64)BAM_CE_ADDR) == window && (last & ~(u64)BAM_CE_ADDR) == window)
		return 0;
	return input_error(err, "node %s: property 'reg' [0x%llx, +0x%llx) is outside the 16 MiB "
			   "command-element window [0x%llx, +0x1000000) of %s (a command element "
			   "carries only address bits 23:0)", np->path,
			   (unsigned long long)r->addr, (unsigned long long)r->size,
			   (unsigned long long)window, sb->np->path);
}

int soc_bam_periph(struct soc *soc, struct dt_node *np, struct soc_bam **out, u32 *rx,
		   struct secsoc_error *err)
{
	struct soc_bam *rx_bam, *tx_bam;
	u32 tx;
	int ret;

	if (np->nreg == 0)
		return input_error(err, "node %s: missing property 'reg'", np->path);
	ret = periph_dma(soc, np, "rx", &rx_bam, rx, err);
	if (!ret)
		ret = periph_dma(soc, np, "tx", &tx_bam, &tx, err);
	if (ret)
		return ret;
	if (rx_bam != tx_bam || *rx % 2 || tx != *rx + 1)
		return input_error(err, "node %s: the \"rx\" and \"tx\" channels must be pipes 2k "
				   "and 2k + 1 of one BAM (a pipe pair), not %s %u and %s %u",
				   np->path, rx_bam->np->path, *rx, tx_bam->np->path, tx);
	ret = check_ce_window(np, rx_bam, err);
	if (ret)
		return ret;
	if (rx_bam->periph_np)
		return input_error(err, "node %s: property 'dmas': %s already feeds %s; a BAM has "
				   "one peripheral behind its pipes", np->path, rx_bam->np->path,
				   rx_bam->periph_np->path);
	rx_bam->periph_np = np;
	*out = rx_bam;
	return 0;
}

void soc_bam_periph_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	struct dt_phandle_args args;
	int idx = dt_prop_match_string(np, "dma-names", "rx");

	if (idx < 0 || dt_parse_phandle_with_args(np, "dmas", "#dma-cells", (unsigned int)idx,
						  &args, NULL))
		return;
	report_str(r, "bam", args.np->path);
	report_u64(r, "rx_pipe", args.args[0]);
	report_u64(r, "tx_pipe", args.args[0] + 1);
	report_u64(r, "pipe_pair", args.args[0] / 2);
}

/* ---- crypto engine ---- */

bool soc_qce_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "qcom,qce") || dt_is_compatible(np, "qcom,crypto-v5.1") ||
	       dt_is_compatible(np, "qcom,crypto-v5.4");
}

static u32 qce_version_of_node(const struct dt_node *np)
{
	if (dt_is_compatible(np, "qcom,crypto-v5.4"))
		return 0x05040000;
	if (dt_is_compatible(np, "qcom,crypto-v5.1"))
		return 0x05010000;
	return QCE_VERSION_DEFAULT;
}

static int qce_timing_of(const struct dt_node *np, struct qce_timing *t,
			 struct secsoc_error *err)
{
	u32 cycles[4];
	int ret = 0;

	*t = qce_timing_defaults;
	if (soc_prop_u32_or(np, "secsoc,clock-mhz", t->clock_mhz, &t->clock_mhz, err) ||
	    soc_prop_u32_or(np, "secsoc,setup-cycles", t->setup_cycles, &t->setup_cycles, err) ||
	    soc_prop_u32_or(np, "secsoc,reg-access-ns", t->reg_ns, &t->reg_ns, err))
		return -EINVAL;
	if (t->clock_mhz == 0)
		return input_error(err, "node %s: property 'secsoc,clock-mhz' must not be 0",
				   np->path);
	if (!dt_prop_bool(np, "secsoc,cycles-per-block"))
		return 0;
	for (unsigned int i = 0; !ret && i < ARRAY_SIZE(cycles); i++)
		ret = dt_prop_u32_index(np, "secsoc,cycles-per-block", i, &cycles[i], err);
	if (ret || dt_prop_u32_index(np, "secsoc,cycles-per-block", 4, &cycles[0], NULL) != -EOVERFLOW)
		return input_error(err, "node %s: property 'secsoc,cycles-per-block' must be 4 "
				   "cells: <aes128 aes256 sha1 sha256>", np->path);
	t->aes128_cycles = cycles[0];
	t->aes256_cycles = cycles[1];
	t->sha1_cycles = cycles[2];
	t->sha256_cycles = cycles[3];
	return 0;
}

int soc_qce_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct qce_config cfg = { .name = np->path, .version = qce_version_of_node(np) };
	struct secsoc_error local = { 0 };
	struct soc_bam *sb;
	u32 rx;
	int ret;

	if (soc->qce)
		return input_error(err, "node %s: a second crypto engine is not supported (%s is "
				   "the QCE)", np->path, soc->qce_node->path);
	ret = soc_bam_periph(soc, np, &sb, &rx, err);
	if (!ret)
		ret = qce_timing_of(np, &cfg.timing, err);
	if (ret)
		return ret;
	cfg.base = np->reg[0].addr;
	cfg.nr_pipe_pairs = MIN(bam_config(sb->bam)->nr_pipes / 2, 15);
	soc->qce = qce_create(soc->sim, soc->bus, sb->bam, &cfg, &local);
	soc->qce_node = np;
	return soc->qce ? 0 : input_error(err, "node %s", local.msg);
}

void soc_qce_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	u32 version = qce_reg_peek(soc->qce, QCE_VERSION);
	char text[16];

	snprintf(text, sizeof(text), "%u.%u.%u", version >> 24, (version >> 16) & 0xff,
		 version & 0xffff);
	report_str(r, "version", text);
	soc_bam_periph_info(soc, np, r);
}
