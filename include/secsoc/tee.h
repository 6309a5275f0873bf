/*
 * tee.h - the secure world: firmware state of the secure CPU.
 *
 * At boot the secure firmware (as TF-A/OP-TEE would, before Linux runs)
 * assigns its BAM pipes to its own execution environment (P_TRUST_REG) and
 * takes that EE's BAM interrupt as secure, and programs the TZC-400: region 0 as the background open to every master,
 * a secure-only region over its private memory, the ACTION response, and
 * opens the filter gates; it takes the TZC interrupt as a secure (group 0)
 * interrupt on the secure CPU. At run time it protects and releases memory
 * ranges by programming further regions, and its TZC interrupt handler
 * records every failed access from the fail registers.
 *
 * Later issues add the SMC monitor, the TEE core and the DRM TA here.
 */
#ifndef SECSOC_TEE_H
#define SECSOC_TEE_H

#include <secsoc/soc.h>

#define TEE_FAULTS_MAX 64

/* One failed access as the TZC's fail registers reported it. */
struct tee_tzc_fault {
	unsigned int filter;
	u64 addr;
	u32 control;		/* FAIL_CONTROL: direction, security, privilege */
	u32 id;			/* FAIL_ID: the master's NSAID */
	bool overrun;		/* more failures happened before this one was cleared */
	u64 time_ns;
};

struct tee {
	struct soc *soc;
	struct cpu *cpu;		/* the secure CPU */
	u64 tzc_base;
	unsigned int nr_filters;
	unsigned int nr_regions;
	u32 action;			/* TZC ACTION programmed at boot */
	u32 regions_used;		/* bitmap of TZC regions in use */
	u64 priv_base, priv_size;	/* memory-region: the secure world's own memory */
	u64 prot_base, prot_size;	/* secsoc,protected-memory: the carve-out */
	unsigned int tzc_intid;		/* the TZC's fault interrupt (an SPI) */
	/* Its BAM execution environment and pipes (the node's qcom,ee and dmas). */
	struct soc_bam *bam;		/* NULL: the node names no BAM */
	unsigned int bam_ee;
	unsigned int bam_pipes[2];	/* rx, tx */
	unsigned int bam_intid;		/* its EE's BAM interrupt, taken as secure */
	struct tee_tzc_fault faults[TEE_FAULTS_MAX];
	unsigned int nr_faults;
	u64 faults_dropped;		/* beyond TEE_FAULTS_MAX */
};

/**
 * tee_boot - run the secure firmware's boot on the secure CPU
 *
 * Reads the secure-world node (memory-region, secsoc,protected-memory,
 * secsoc,tzc, secsoc,tzc-action) and programs the TZC through the bus as
 * the secure CPU. Return: 0, or -EINVAL with @err naming node and property.
 */
int tee_boot(struct tee *t, struct soc *soc, struct secsoc_error *err);

/**
 * tee_protect_region - make [base, base + size) accessible to the secure
 * world only, by programming a free TZC region
 * @region: the region used
 *
 * Return: 0, -EINVAL if the range is not 4 KiB aligned, -ENOSPC when all
 * TZC regions are in use.
 */
int tee_protect_region(struct tee *t, u64 base, u64 size, unsigned int *region);

/** tee_release_region - give a protected range back to every master */
void tee_release_region(struct tee *t, unsigned int region);

#endif /* SECSOC_TEE_H */
