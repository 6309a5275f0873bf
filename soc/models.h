/*
 * models.h - the table of hardware models the SoC layer can instantiate.
 */
#ifndef SECSOC_SOC_MODELS_H
#define SECSOC_SOC_MODELS_H

#include <secsoc/soc.h>

/* In creation order; ends with an entry whose name is NULL. */
extern const struct soc_model soc_models[];

/** soc_models_check - after creation: the parts every board needs exist */
int soc_models_check(struct soc *soc, struct secsoc_error *err);


/** soc_prop_u32_or - read a one-cell property, or take @def when it is absent */
int soc_prop_u32_or(const struct dt_node *np, const char *name, u32 def, u32 *val,
		    struct secsoc_error *err);

/* soc/models_qcom.c: the BAM and the crypto engine. */
bool soc_bam_match(const struct dt_node *np);
int soc_bam_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
void soc_bam_info(const struct soc *soc, const struct dt_node *np, struct report *r);
bool soc_qce_match(const struct dt_node *np);
int soc_qce_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
void soc_qce_info(const struct soc *soc, const struct dt_node *np, struct report *r);

/**
 * soc_bam_periph - the BAM behind peripheral node @np, which it then feeds
 * @out: set to the BAM of @np's "rx" and "tx" channels
 * @rx: set to the "rx" pipe (the "tx" pipe is @rx + 1)
 *
 * The rules every peripheral behind a BAM obeys: a 'reg'; "rx" and "tx"
 * are pipes 2k and 2k + 1 of one BAM; the registers lie in the BAM's
 * command-element window (address bits 39:24 of the BAM's base); the BAM
 * feeds no other peripheral yet.
 * Return: 0, or -EINVAL naming the node and property at fault.
 */
int soc_bam_periph(struct soc *soc, struct dt_node *np, struct soc_bam **out, u32 *rx,
		   struct secsoc_error *err);
/** soc_bam_periph_info - the BAM and pipes of peripheral @np, for `secsoc info` */
void soc_bam_periph_info(const struct soc *soc, const struct dt_node *np, struct report *r);

/* soc/models_loopback.c: the BAM loopback test peripheral. */
bool soc_loopback_match(const struct dt_node *np);
int soc_loopback_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
void soc_loopback_info(const struct soc *soc, const struct dt_node *np, struct report *r);

/* soc/models_gpu.c: the Mali-CSF-like GPU. */
bool soc_gpu_match(const struct dt_node *np);
int soc_gpu_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
void soc_gpu_info(const struct soc *soc, const struct dt_node *np, struct report *r);

/* soc/models_display.c: the display controller. */
bool soc_display_match(const struct dt_node *np);
int soc_display_create(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
void soc_display_info(const struct soc *soc, const struct dt_node *np, struct report *r);

#endif /* SECSOC_SOC_MODELS_H */
