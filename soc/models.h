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

#endif /* SECSOC_SOC_MODELS_H */
