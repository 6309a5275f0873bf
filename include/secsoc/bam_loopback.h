/*
 * bam_loopback.h - a test peripheral for the BAM: what the consumer pipe
 * of pair k (pipe 2k) pushes comes back out of its producer pipe (2k + 1).
 *
 * It lets the BAM be tested and measured without the crypto engine: a few
 * registers for command elements to write and read, back-pressure when its
 * FIFO is full, "operation done" (for NWD) a configurable delay after the
 * consumer pushed the last byte of an EOT descriptor and the looped data
 * has left, which a register can hold back, and a record of the pipe lock
 * owner the BAM reports.
 */
#ifndef SECSOC_BAM_LOOPBACK_H
#define SECSOC_BAM_LOOPBACK_H

#include <secsoc/bam.h>

struct bam_loopback;

#define LOOPBACK_MMIO_SIZE 0x1000
#define LOOPBACK_FIFO_BYTES 65536	/* per pair */
#define LOOPBACK_PAIRS_MAX 15

/* Registers. */
#define LOOPBACK_ID 0x00		/* RO, writes ignored (lock scratchpad): LOOPBACK_ID_VALUE */
#define LOOPBACK_CTRL 0x04		/* RW */
#define LOOPBACK_SCRATCH 0x08		/* RW: a register for command elements */
#define LOOPBACK_DONE_DELAY 0x0c	/* RW: nanoseconds from the last byte to "done" */
#define LOOPBACK_BYTES 0x10		/* RO: bytes looped so far (low 32 bits) */
#define LOOPBACK_DONES 0x14		/* RO: "done" signals sent */
#define LOOPBACK_LOCK_OWNER 0x18	/* RO: EE holding the BAM lock + 1; 0 when free */
#define LOOPBACK_LOCK_CHANGES 0x1c	/* RO: lock notifications received */

#define LOOPBACK_ID_VALUE 0x4c4f4f50	/* "LOOP" */
#define LOOPBACK_CTRL_HOLD_DONE BIT(0)	/* do not signal "done" while set */

/**
 * bam_loopback_create - map the loopback's registers at @base and attach it
 * behind every pipe of @bam; registers its actor (which signals "done")
 *
 * Return: the peripheral, or NULL with @err set (e.g. an MMIO overlap).
 */
struct bam_loopback *bam_loopback_create(struct sim *s, struct bus *b, struct bam *bam,
					 const char *name, u64 base, struct secsoc_error *err);
void bam_loopback_destroy(struct bam_loopback *lb);
/** bam_loopback_bytes - bytes looped so far */
u64 bam_loopback_bytes(const struct bam_loopback *lb);
/** bam_loopback_staged - bytes of pair @pair waiting for its producer pipe */
u32 bam_loopback_staged(const struct bam_loopback *lb, unsigned int pair);

#endif /* SECSOC_BAM_LOOPBACK_H */
