/*
 * describe.c - key properties of device-tree nodes whose hardware has no
 * model yet, read from the node itself, so `secsoc info` shows what the
 * board declares (a BAM's pipes, EEs and lock support; a QCE's version and
 * pipe pair) before the models exist.
 */
#include <string.h>

#include "soc/models.h"

struct bam_version {
	const char *compatible;
	const char *version;
	bool pipe_lock;		/* LOCK/UNLOCK descriptors exist from v1.4.0 on */
};

static const struct bam_version bam_versions[] = {
	{ "qcom,bam-v1.3.0", "1.3.0", false },
	{ "qcom,bam-v1.4.0", "1.4.0", true },
	{ "qcom,bam-v1.7.0", "1.7.0", true },
	{ "qcom,bam-v2.0.0", "2.0.0", true },
};

static const struct bam_version *bam_version_of(const struct dt_node *np)
{
	for (size_t i = 0; i < ARRAY_SIZE(bam_versions); i++)
		if (dt_is_compatible(np, bam_versions[i].compatible))
			return &bam_versions[i];
	return NULL;
}

static void report_u32_prop(struct report *r, const char *key, const struct dt_node *np,
			    const char *prop)
{
	u32 val;

	if (dt_prop_u32(np, prop, &val, NULL) == 0)
		report_u64(r, key, val);
}

static void describe_bam(const struct dt_node *np, struct report *r)
{
	const struct bam_version *v = bam_version_of(np);

	report_str(r, "register_layout", v->version);
	report_u32_prop(r, "pipes", np, "num-channels");
	report_u32_prop(r, "ees", np, "qcom,num-ees");
	report_u32_prop(r, "ee", np, "qcom,ee");
	report_bool(r, "pipe_lock_supported", v->pipe_lock);
	report_bool(r, "controlled_remotely", dt_prop_bool(np, "qcom,controlled-remotely"));
	report_bool(r, "powered_remotely", dt_prop_bool(np, "qcom,powered-remotely"));
}

/* The pipe number of the "rx" or "tx" DMA channel, or -1. */
static s64 dma_pipe(const struct dt_node *np, const char *name)
{
	struct dt_phandle_args args;
	int idx = dt_prop_match_string(np, "dma-names", name);

	if (idx >= 0 && dt_parse_phandle_with_args(np, "dmas", "#dma-cells", (unsigned int)idx,
						   &args, NULL) == 0 && args.nargs == 1)
		return args.args[0];
	return -1;
}

static void describe_qce(const struct dt_node *np, struct report *r)
{
	s64 rx = dma_pipe(np, "rx"), tx = dma_pipe(np, "tx");

	report_str(r, "version", dt_is_compatible(np, "qcom,crypto-v5.4") ? "5.4" :
		   dt_is_compatible(np, "qcom,crypto-v5.1") ? "5.1" : "from the VERSION register");
	if (rx < 0 || tx < 0)
		return;
	report_u64(r, "rx_pipe", (u64)rx);
	report_u64(r, "tx_pipe", (u64)tx);
	/* As the qce driver derives it: pipes 2k and 2k + 1 form pair k. */
	report_u64(r, "pipe_pair", (u64)rx >> 1);
}

void soc_describe(const struct dt_node *np, struct report *r)
{
	if (bam_version_of(np))
		describe_bam(np, r);
	else if (dt_is_compatible(np, "qcom,qce") || dt_is_compatible(np, "qcom,crypto-v5.1") ||
		 dt_is_compatible(np, "qcom,crypto-v5.4"))
		describe_qce(np, r);
}
