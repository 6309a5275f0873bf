/*
 * models_loopback.c - the "secsoc,bam-loopback" node: the BAM test
 * peripheral (hw/bam_loopback.c) behind one BAM, in place of the crypto
 * engine (docs/bindings/secsoc,bam-loopback.md).
 *
 * Its "rx"/"tx" channels, register window and the one-peripheral-per-BAM
 * rule are checked by soc_bam_periph(), the same code the crypto engine's
 * node goes through; the model is kept in the BAM's struct soc_bam, which
 * soc_destroy() releases.
 */
#include <errno.h>

#include "soc/models.h"

bool soc_loopback_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "secsoc,bam-loopback");
}

int soc_loopback_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct secsoc_error local = { 0 };
	struct soc_bam *sb;
	u32 rx;
	int ret;

	if (np->nreg && np->reg[0].size < LOOPBACK_MMIO_SIZE)
		return input_error(err, "node %s: property 'reg': a register window of 0x%llx "
				   "bytes is too small (the loopback has 0x%x)", np->path,
				   (unsigned long long)np->reg[0].size, LOOPBACK_MMIO_SIZE);
	ret = soc_bam_periph(soc, np, &sb, &rx, err);
	if (ret)
		return ret;
	sb->loopback = bam_loopback_create(soc->sim, soc->bus, sb->bam, np->path,
					   np->reg[0].addr, &local);
	return sb->loopback ? 0 : input_error(err, "node %s: %s", np->path, local.msg);
}

void soc_loopback_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	struct dt_phandle_args args;
	const struct soc_bam *sb = NULL;

	if (dt_parse_phandle_with_args(np, "dmas", "#dma-cells", 0, &args, NULL) == 0)
		sb = soc_bam_of((struct soc *)soc, args.np);
	report_hex(r, "base", np->reg[0].addr);
	soc_bam_periph_info(soc, np, r);
	report_bool(r, "attached", sb && sb->periph_np == np && sb->loopback);
	report_u64(r, "fifo_bytes_per_pair", LOOPBACK_FIFO_BYTES);
	if (sb && sb->loopback)
		report_u64(r, "bytes_looped", bam_loopback_bytes(sb->loopback));
}
