/*
 * tee_internal.h - what the secure world's files share: the monitor
 * (tee/smc.c), the TEE core and its TA registry (tee/tee_core.c), the
 * secure BAM pipe driver and its poll timer (tee/tee_bam.c), the DRM TA
 * (tee/ta_drm.c) and the SDP test TA (tee/ta_sdp.c). Nothing outside tee/
 * includes it.
 */
#ifndef SECSOC_TEE_INTERNAL_H
#define SECSOC_TEE_INTERNAL_H

#include <secsoc/tee.h>

/* A TA's entry returns this when it finishes the command later (tee_ta_done). */
#define TEE_PENDING 1u

/* A trusted application as the TEE core sees it. */
struct tee_ta_ops {
	const char *name;
	u8 uuid[16];
	/* Optional: is the TA present in this firmware? NULL: always. */
	bool (*installed)(const struct tee *t);
	/* Return: TEE_SUCCESS, or an error that refuses the session. */
	u32 (*open_session)(struct tee *t, struct tee_session *s);
	/*
	 * Start @call (its message is the secure copy); the core runs one at a
	 * time per TA. Return: a result now, or TEE_PENDING and tee_ta_done() later.
	 */
	u32 (*invoke)(struct tee *t, struct tee_session *s, struct tee_call *call);
	void (*close_session)(struct tee *t, struct tee_session *s);
	/* After a panic: forget the instance (the core failed its command). */
	void (*reset)(struct tee *t);
};

extern const struct tee_ta_ops ta_drm_ops;
extern const struct tee_ta_ops ta_sdp_ops;

/* tee/tee.c */
/** tee_of_soc - the secure firmware booted on @soc (its monitor), or NULL */
struct tee *tee_of_soc(struct soc *soc);

/* tee/smc.c */
/** tee_smc_init - an empty monitor: no call posted, no notifier */
void tee_smc_init(struct tee *t);
/** tee_call_notify - the result is written back: notify the caller and free the slot */
void tee_call_notify(struct tee *t, struct tee_call *call);

/* tee/tee_core.c */
/** tee_core_init - no session, fresh TA instances, the entry work */
void tee_core_init(struct tee *t);
/** tee_core_entry - the secure CPU picks up the posted calls (a bottom half) */
void tee_core_entry(struct cpu_work *w);
/** tee_ta_done - the TA finished @call with @ret: complete it, start the next */
void tee_ta_done(struct tee *t, struct tee_call *call, u32 ret);
/**
 * tee_ta_panic - the TA running @call panicked: recover the BAM pipes,
 * fail @call and everything queued with TEE_ERROR_TARGET_DEAD, kill the
 * instance (its sessions are dead; later opens get a new one)
 */
void tee_ta_panic(struct tee *t, struct tee_call *call);
/** tee_copy_to_protected - copy with the secure CPU into protected memory only */
void tee_copy_to_protected(struct tee *t, u64 dst, u64 src, u32 len);

/* tee/tee_bam.c: one QCE operation at a time, always LOCK..NWD..UNLOCK */
enum tee_bam_state {
	TEE_BAM_RUNNING,	/* posted; the lock is not held by its pipe */
	TEE_BAM_LOCKED,		/* its LOCK retired, its UNLOCK not yet: the lock is held */
	TEE_BAM_DONE,		/* every descriptor retired; the dump is in */
	TEE_BAM_ERROR,		/* a pipe halted on an error */
};

/** tee_bam_init - take the BAM and engine of @t; check the private memory holds the driver */
int tee_bam_init(struct tee *t, struct secsoc_error *err);
/** tee_bam_usable - a BAM with pipe locking and the crypto engine behind its pipe pair */
bool tee_bam_usable(const struct tee *t);
/** tee_bam_pair - the QCE pipe pair of the secure pipes */
unsigned int tee_bam_pair(const struct tee *t);
/** tee_bam_irq - the secure BAM interrupt of the secure EE */
void tee_bam_irq(struct tee *t);
/** tee_bam_op_begin - start building an operation: the LOCK descriptor */
void tee_bam_op_begin(struct tee *t);
/** tee_bam_op_write - a QCE register write, as a command element */
void tee_bam_op_write(struct tee *t, u32 off, u32 val);
/** tee_bam_op_in - input to gather from [pa, pa + len) */
void tee_bam_op_in(struct tee *t, u64 pa, u32 len);
/** tee_bam_op_out - output to scatter to [pa, pa + len), which must be protected */
void tee_bam_op_out(struct tee *t, u64 pa, u32 len);
/** tee_bam_op_submit - NWD on the last input, UNLOCK, the result dump; post both pipes */
void tee_bam_op_submit(struct tee *t);
/** tee_bam_event - an interrupt or the poll timer asked the TA to look */
bool tee_bam_event(const struct tee *t);
/** tee_bam_poll - where the operation is (clears the event) */
enum tee_bam_state tee_bam_poll(struct tee *t);
/** tee_bam_result_status - STATUS from the result dump of the finished operation */
u32 tee_bam_result_status(struct tee *t);
/**
 * tee_bam_recover - after a panic or a pipe error: abandon the engine's
 * operation while the lock is still ours (GOPROC.CLR_CNTXT), reset both
 * pipes (which releases the lock) and set them up again
 */
void tee_bam_recover(struct tee *t);

/* tee/ta_drm.c */
/** ta_drm_init - the DRM TA's thread on the secure CPU, no key */
void ta_drm_init(struct tee *t);

/* tee/ta_sdp.c */
/** ta_sdp_init - the SDP TA's thread on the secure CPU; not installed, counters zero */
void ta_sdp_init(struct tee *t);

#endif /* SECSOC_TEE_INTERNAL_H */
