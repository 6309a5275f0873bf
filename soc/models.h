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

/**
 * soc_describe - key properties of a node that has no model yet, read from
 * the node itself (nothing for kinds it does not know)
 */
void soc_describe(const struct dt_node *np, struct report *r);

#endif /* SECSOC_SOC_MODELS_H */
