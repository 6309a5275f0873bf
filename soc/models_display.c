/*
 * models_display.c - the "secsoc,display" node becomes the display
 * controller model (hw/display.c; docs/bindings/secsoc,display.md).
 *
 * Reads the register window, the one interrupt (an SPI, wired to the
 * normal world), the NSAID of its scan-out reads and the optional timing
 * properties; rejects bad values with a message naming node and property.
 * The model is kept in struct soc (display, display_node, display_irq).
 */
#include <errno.h>

#include "soc/models.h"

bool soc_display_match(const struct dt_node *np)
{
	return dt_is_compatible(np, "secsoc,display");
}

static int display_config_of(const struct dt_node *np, struct display_config *cfg,
			      struct secsoc_error *err)
{
	u32 nsaid, hz, steps;

	if (soc_prop_u32_or(np, "secsoc,nsaid", 0, &nsaid, err) ||
	    soc_prop_u32_or(np, "secsoc,refresh-hz", DISPLAY_REFRESH_HZ_DEFAULT, &hz, err) ||
	    soc_prop_u32_or(np, "secsoc,scanout-steps", DISPLAY_STEPS_DEFAULT, &steps, err))
		return -EINVAL;
	if (nsaid >= TZC400_NSAID_MAX)
		return input_error(err, "node %s: property 'secsoc,nsaid' is %u; it must be 0..%u",
				   np->path, nsaid, TZC400_NSAID_MAX - 1);
	if (hz == 0 || hz > DISPLAY_REFRESH_HZ_MAX)
		return input_error(err, "node %s: property 'secsoc,refresh-hz' is %u; it must be "
				   "1..%u", np->path, hz, DISPLAY_REFRESH_HZ_MAX);
	if (steps == 0 || steps > DISPLAY_STEPS_MAX)
		return input_error(err, "node %s: property 'secsoc,scanout-steps' is %u; it must "
				   "be 1..%u", np->path, steps, DISPLAY_STEPS_MAX);
	*cfg = (struct display_config){ .name = np->path, .base = np->reg[0].addr,
					.nsaid = nsaid, .refresh_hz = hz, .steps = steps };
	return 0;
}

int soc_display_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err)
{
	struct display_config cfg;
	int ret;

	if (soc->display)
		return input_error(err, "node %s: a second display is not supported (%s is the "
				   "display)", np->path, soc->display_node->path);
	if (np->nreg == 0)
		return input_error(err, "node %s: missing property 'reg' (the display model needs "
				   "its address)", np->path);
	if (np->reg[0].size < DISPLAY_MMIO_SIZE)
		return input_error(err, "node %s: property 'reg': a register window of 0x%llx "
				   "bytes is too small (the display has 0x%x)", np->path,
				   (unsigned long long)np->reg[0].size, DISPLAY_MMIO_SIZE);
	ret = display_config_of(np, &cfg, err);
	if (!ret)
		ret = soc_spi_line(soc, np, "the display's interrupt", &soc->display_irq, err);
	if (ret)
		return ret;
	soc->display = display_create(soc->sim, soc->bus, &cfg, &soc->display_irq, err);
	soc->display_node = np;
	return soc->display ? 0 : -EINVAL;
}

void soc_display_info(const struct soc *soc, const struct dt_node *np, struct report *r)
{
	const struct display_config *cfg = display_config(soc->display);

	report_hex(r, "base", cfg->base);
	report_u64(r, "nsaid", cfg->nsaid);
	report_u64(r, "refresh_hz", cfg->refresh_hz);
	report_u64(r, "scanout_steps", cfg->steps);
	report_str(r, "format", "XRGB8888");
	report_u64(r, "interrupt", soc->display_irq.intid);
}
