/*
 * fault.h - named fault sites and the --faults specification.
 *
 * A fault site is a named place in a model or driver that may misbehave on
 * purpose (delay an interrupt, fail a descriptor, ...), in the spirit of
 * FoundationDB's BUGGIFY. Sites are listed once, here, so that a --faults
 * spec can be validated before a run starts. A site fires only when the spec
 * enables it, and whether it fires is a choice point (sim_fault()), so the
 * choice log and replay cover faults too.
 *
 * Later issues add their sites to SECSOC_FAULT_SITES.
 */
#ifndef SECSOC_FAULT_H
#define SECSOC_FAULT_H

#include <secsoc/error.h>
#include <secsoc/types.h>

/* X(enum suffix, spec name, what firing does) */
#define SECSOC_FAULT_SITES(X)						\
	X(IRQ_DELAY, "irq-delay",					\
	  "the interrupt controller holds a newly pending interrupt back "	\
	  "until its own actor releases it")					\
	X(BAM_LOCK_ALLOC, "bam-lock-alloc",				\
	  "the BAM driver cannot allocate a LOCK/UNLOCK descriptor")		\
	X(BAM_DESC_ERROR, "bam-desc-error",				\
	  "a BAM pipe gets a bus error on a data descriptor and halts")	\
	X(BAM_IRQ_DROP, "bam-irq-drop",					\
	  "a BAM pipe processes a descriptor without raising its interrupt")	\
	X(TA_CRASH, "ta-crash",						\
	  "the DRM TA panics in the middle of an operation, holding the lock") \
	X(GPU_PROTM_ACK_DROP, "gpu-protm-ack-drop",			\
	  "the GPU firmware never acknowledges a protected-mode entry request")

enum fault_site {
#define FAULT_ENUM(id, name, help) FAULT_##id,
	SECSOC_FAULT_SITES(FAULT_ENUM)
#undef FAULT_ENUM
	FAULT_NR_SITES
};

/* Probability that a site fires when reached, as a 0.32 fixed-point number. */
struct fault_spec {
	bool enabled[FAULT_NR_SITES];
	u32 prob_q32[FAULT_NR_SITES];
	double prob[FAULT_NR_SITES];	/* as written, for reports */
};

/**
 * fault_spec_parse - parse "site:prob[,site:prob...]"
 * @text: the spec, e.g. "irq-delay:0.01"; NULL or "" enables nothing
 * @spec: filled on success
 * @err: names the bad element (unknown site, bad or out-of-range probability)
 *
 * Return: 0, or -EINVAL with @err set.
 */
int fault_spec_parse(const char *text, struct fault_spec *spec, struct secsoc_error *err);
/** fault_spec_format - write the spec back in canonical form ("" if empty) */
void fault_spec_format(const struct fault_spec *spec, char *buf, size_t len);
/** fault_site_name - the spec name of a site */
const char *fault_site_name(enum fault_site site);
/** fault_site_help - one line saying what firing the site does */
const char *fault_site_help(enum fault_site site);

#endif /* SECSOC_FAULT_H */
