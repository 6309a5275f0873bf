/*
 * checker.h - the invariants of DESIGN.md, as code shared by the crypto
 * scenarios (disk-crypt, drm-decrypt, contention, lock-race).
 *
 * The checker sits outside the model: it watches the QCE through its
 * monitor (invariants 2 and 3), the bus through an observer (invariants 4
 * and 6, the moment they are broken), compares outputs with OpenSSL
 * (invariant 1) and, once the scenario has released what it allocated,
 * judges the end state (invariants 4, 5 and 7). Every failure is an
 * always() whose message starts with the invariant it breaks.
 *
 * A scenario that attacks protected memory on purpose (heap-security)
 * names each attack beforehand (checker_expect_denial()): the transactions
 * of that master in that range which the TZC denies are then expected, not
 * violations, and so are the external aborts they cost a CPU. Anything the
 * TZC lets through is still a violation, and nothing else is excused.
 */
#ifndef SECSOC_SCENARIO_CHECKER_H
#define SECSOC_SCENARIO_CHECKER_H

#include <secsoc/dma-buf.h>
#include <secsoc/dma-heap.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/file.h>
#include <secsoc/protected_heap.h>
#include <secsoc/slab.h>
#include <secsoc/tee_shm.h>

#include "scenarios/scenario.h"

/* Resources still held at the end, relative to the start of the scenario. */
struct checker_leaks {
	s64 kmem_objects;
	s64 kmem_pages;
	s64 dma_mappings;
	s64 dma_coherent;
	s64 crypto_tfms;
	s64 timers;
	s64 tee_sessions;
	s64 dma_bufs;			/* dma_buf_stats(): live buffers */
	s64 dma_buf_attachments;
	s64 files;			/* file_stats(): open files */
	s64 processes;			/* ... processes not exited */
	s64 protected_buffers;		/* protected_heap_stats() */
	s64 tee_shms;			/* tee_shm_stats() */
	s64 protmem_windows;		/* tee_protmem_info(): windows still assigned */
	s64 protmem_bytes;		/* ... and their bytes */
	s64 heaps_removed;		/* dma_heap_stats(): removed, not yet freed */
};

/* The resource counts invariant 7 compares, at one moment. */
struct checker_counts {
	struct kmem_stats kmem;
	struct dma_mapping_stats dma;
	unsigned int tfms, timers, sessions;
	struct dma_buf_stats bufs;
	struct file_stats files;
	struct protected_heap_stats prot;
	struct tee_shm_stats shms;
	struct tee_protmem_info protmem;
	struct dma_heap_stats heaps;
};

/*
 * An attack a scenario makes on purpose: the transactions of @master that
 * touch [@base, @base + @size) while it is armed, as the TZC judged them.
 */
struct checker_expect {
	const struct bus_master *master;	/* NULL: nothing armed */
	u64 base, size;
	u64 denied;			/* denied: expected, not violations */
	u64 allowed;			/* let through: still invariant 6 violations */
	u64 aborts;			/* denied ones that cost a CPU an external abort */
};

struct checker {
	struct machine *m;
	struct qce *qce;
	struct bam *bam;		/* the BAM that feeds the QCE */
	int linux_ee;
	int tee_ee;			/* BAM_NO_EE: no secure world on that BAM */
	const struct bus_master *ta_out;	/* the secure world's producer pipe, or NULL */
	/* Where the secure world's output may go: the carve-out and its own memory. */
	u64 prot_base, prot_size, priv_base, priv_size;
	/* Baselines taken when the scenario started. */
	u64 aborts0[SOC_NS_CPUS_MAX + 1];
	struct checker_counts base;
	/* The attack armed now, and what the expected ones cost so far. */
	struct checker_expect expect;
	u64 expected_denials;
	u64 expected_aborts[SOC_NS_CPUS_MAX + 1];	/* per CPU; the last is the secure CPU */
	/* What the run saw. */
	u64 outputs_checked, outputs_wrong;
	u64 cfg_writes_busy;		/* by another EE than the operation's */
	u64 cfg_writes_own;		/* by the operation's own EE (not a violation) */
	u64 unlocks_in_flight;
	u64 protected_touches, plaintext_leaks;
	struct checker_leaks leaks;
	bool judged;
	bool attached;
};

/**
 * checker_attach - start watching @m: the QCE monitor, a bus observer and
 * the resource baselines
 *
 * Return: 0, or -EINVAL with @err naming what the board lacks (a QCE fed
 * by a BAM), or an internal error when no bus observer is left.
 */
int checker_attach(struct checker *c, struct machine *m, struct secsoc_error *err);
/** checker_detach - stop watching (idempotent) */
void checker_detach(struct checker *c);

/**
 * checker_ref - the OpenSSL reference: @len bytes of @in through cipher
 * @evp_name ("aes-256-xts", "aes-128-ctr", "aes-128-cbc"; no padding)
 * @enc: encrypt (true) or decrypt
 *
 * Return: 0, or -EINVAL when OpenSSL refuses (unknown cipher, bad length).
 */
int checker_ref(const char *evp_name, const u8 *key, const u8 *iv, const u8 *in, u8 *out,
		size_t len, bool enc);

/**
 * checker_output - invariant 1: @got must equal @want
 * @what: names the output in the message, e.g. "disk sector 12 encrypt"
 *
 * Return: true when they are equal.
 */
bool checker_output(struct checker *c, const char *what, const u8 *got, const u8 *want,
		    size_t len);

/**
 * checker_lock_stats - the BAM's pipe-lock figures of EE @ee
 */
void checker_lock_stats(const struct checker *c, int ee, struct bam_lock_stats *st);

/**
 * checker_judge - invariants 4, 5 (the lock) and 7 at the end of the run;
 * call once the scenario has released everything it allocated
 */
void checker_judge(struct checker *c);

/**
 * checker_expect_denial - the next transactions of @m that touch [@base,
 * @base + @size) are an attack the TZC must deny: each one it denies is
 * counted in @c->expect (and the external abort it costs a CPU is
 * expected), each one it allows is an invariant 6 violation as ever
 * @m: a CPU's or a device's bus master; one attack is armed at a time
 *
 * Return: 0, or -EBUSY when another attack is armed (nothing changes).
 */
int checker_expect_denial(struct checker *c, const struct bus_master *m, u64 base, u64 size);
/**
 * checker_expect_end - disarm the attack; @seen (may be NULL) gets what it
 * saw: transactions denied, allowed, and aborts
 */
void checker_expect_end(struct checker *c, struct checker_expect *seen);

/** checker_report - aborts, invariant counters, lock figures and leaks */
void checker_report(const struct checker *c, struct report *r);

#endif /* SECSOC_SCENARIO_CHECKER_H */
