/*
 * tee.h - the secure world, and the normal world's way into it.
 *
 * At boot the secure firmware (as TF-A/OP-TEE would, before Linux runs)
 * assigns its BAM pipes to its own execution environment (P_TRUST_REG) and
 * takes that EE's BAM interrupt as secure, and programs the TZC-400: region
 * 0 as the background open to every master, a secure-only region over its
 * private memory, a region over the protected carve-out that only the
 * secure world and the agents of secsoc,protected-access may reach, the
 * ACTION response, and opens the filter gates; it takes the TZC interrupt
 * as a secure (group 0) interrupt on the secure CPU. At run time it
 * protects and releases memory ranges by programming further regions, and
 * its TZC interrupt handler records every failed access from the fail
 * registers. Its protected-memory service (tee/protmem.c) moves memory
 * between the normal and the protected zone on the normal world's request,
 * in a few windows of one TZC region each, scrubbing what it gives back.
 *
 * The normal world calls in through the SMC monitor (SMCCC fast and
 * yielding calls of the Trusted OS owner), which posts yielding calls to
 * the secure CPU: the TEE core opens, invokes and closes sessions of its
 * trusted applications, and the DRM TA (tee_drm.h) decrypts samples with
 * the crypto engine through the secure world's own BAM pipe driver; the
 * SDP test TA (tee_sdp.h), once installed, moves data in and out of
 * protected buffers as OP-TEE's SDP regression expects. Every
 * call completes asynchronously: the result is written back into the
 * caller's message and a notification runs on the calling CPU.
 *
 * docs/tee.md is the reference for everything below: function IDs, the
 * calling convention, the message format, return codes, the secure BAM
 * stream, the protected-output rule and crash recovery.
 */
#ifndef SECSOC_TEE_H
#define SECSOC_TEE_H

#include <secsoc/soc.h>
#include <secsoc/tee_drm.h>
#include <secsoc/tee_sdp.h>

/* ---- GlobalPlatform TEE return codes (TEE_Result) and origins ---- */

#define TEE_SUCCESS 0x00000000u
#define TEE_ERROR_GENERIC 0xFFFF0000u
#define TEE_ERROR_ACCESS_DENIED 0xFFFF0001u
#define TEE_ERROR_BAD_PARAMETERS 0xFFFF0006u
#define TEE_ERROR_ITEM_NOT_FOUND 0xFFFF0008u
#define TEE_ERROR_NOT_SUPPORTED 0xFFFF000Au
#define TEE_ERROR_OUT_OF_MEMORY 0xFFFF000Cu
#define TEE_ERROR_BUSY 0xFFFF000Du
#define TEE_ERROR_COMMUNICATION 0xFFFF000Eu
#define TEE_ERROR_SECURITY 0xFFFF000Fu
#define TEE_ERROR_TARGET_DEAD 0xFFFF3024u

#define TEE_ORIGIN_API 1		/* the client API (normal-world driver) */
#define TEE_ORIGIN_COMMS 2		/* the message transport */
#define TEE_ORIGIN_TEE 3		/* the TEE core */
#define TEE_ORIGIN_TRUSTED_APP 4	/* the TA */

/* ---- SMC calling convention (SMCCC, SMC32, owning entity 50: Trusted OS) ---- */

#define TEE_SMC_FAST_CALL(n) (0xB2000000u | (u32)(n))
#define TEE_SMC_STD_CALL(n) (0x32000000u | (u32)(n))

/* Fast calls: answered at once, in the calling CPU's step. */
#define TEE_SMC_GET_VERSION TEE_SMC_FAST_CALL(0x0000)	/* a1 major, a2 minor, a3 calls max */
#define TEE_SMC_CALLS_COUNT TEE_SMC_FAST_CALL(0xFF00)	/* a0: functions implemented */
#define TEE_SMC_CALLS_UID TEE_SMC_FAST_CALL(0xFF01)	/* a0..a3: TEE_SMC_UID_0..3 */
/*
 * The protected-memory service (docs/tee.md, "Protected-memory service"):
 * a1 = base [63:32], a2 = base [31:0], a3 = size in bytes (so at most
 * 0xfffff000 per call); a0 returns TEE_SUCCESS or a TEE_ERROR_*.
 */
#define TEE_SMC_PROTMEM_ASSIGN TEE_SMC_FAST_CALL(0x0010)
#define TEE_SMC_PROTMEM_RELEASE TEE_SMC_FAST_CALL(0x0011)
/* a0 TEE_SUCCESS, a1 TZC regions free, a2 KiB protected by windows [31:0], a3 windows */
#define TEE_SMC_PROTMEM_INFO TEE_SMC_FAST_CALL(0x0012)
/*
 * Yielding calls: a1 = message physical address [63:32], a2 = [31:0],
 * a3 = message length (sizeof(struct tee_msg_arg)). a0 returns TEE_SUCCESS
 * and a1 the call id when the call was posted; its result comes later.
 */
#define TEE_SMC_OPEN_SESSION TEE_SMC_STD_CALL(0)
#define TEE_SMC_INVOKE_COMMAND TEE_SMC_STD_CALL(1)
#define TEE_SMC_CLOSE_SESSION TEE_SMC_STD_CALL(2)

#define SMCCC_RET_NOT_SUPPORTED 0xFFFFFFFFu	/* unknown function, or no secure firmware */

#define TEE_SMC_UID_0 0x5ec50c7eu
#define TEE_SMC_UID_1 0x7ee0c0a1u
#define TEE_SMC_UID_2 0x9d3b4e11u
#define TEE_SMC_UID_3 0xa5a5c0deu
#define TEE_VERSION_MAJOR 1
#define TEE_VERSION_MINOR 0

/* The registers of an SMC's return, as Linux's struct arm_smccc_res. */
struct arm_smccc_res {
	unsigned long a0, a1, a2, a3;
};

/* ---- the message a yielding call points at (normal memory, little-endian) ---- */

#define TEE_NUM_PARAMS 4

/* Parameter types (GlobalPlatform TEE_PARAM_TYPE_*, Linux TEE_IOCTL_PARAM_ATTR_TYPE_*). */
#define TEE_PARAM_ATTR_TYPE_NONE 0
#define TEE_PARAM_ATTR_TYPE_VALUE_INPUT 1
#define TEE_PARAM_ATTR_TYPE_VALUE_OUTPUT 2
#define TEE_PARAM_ATTR_TYPE_VALUE_INOUT 3
#define TEE_PARAM_ATTR_TYPE_MEMREF_INPUT 5
#define TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT 6
#define TEE_PARAM_ATTR_TYPE_MEMREF_INOUT 7

/* A value (a, b, c) or a memory reference (a = physical address, b = size). */
struct tee_msg_param {
	u64 attr;
	u64 a, b, c;
};

struct tee_msg_arg {
	u32 func;		/* INVOKE_COMMAND: the TA's command */
	u32 session;		/* OPEN_SESSION: out; INVOKE/CLOSE: in */
	u32 ret;		/* out: TEE_SUCCESS or TEE_ERROR_* */
	u32 ret_origin;		/* out: TEE_ORIGIN_* */
	u32 num_params;		/* 0..TEE_NUM_PARAMS; the rest must be NONE */
	u32 reserved;		/* must be 0 */
	u8 uuid[16];		/* OPEN_SESSION: the TA */
	struct tee_msg_param params[TEE_NUM_PARAMS];
};

/* ---- secure-world state (the layout is here; code outside tee/ uses the functions) ---- */

#define TEE_FAULTS_MAX 64
#define TEE_CALLS_MAX 8		/* yielding calls posted and not yet notified */
#define TEE_SESSIONS_MAX 16
#define TEE_TAS_MAX 2		/* the TA registry: the DRM TA, the SDP test TA */
#define TEE_COPY_CHUNK 4096	/* the secure CPU copies through a buffer of this size */

/* One failed access as the TZC's fail registers reported it. */
struct tee_tzc_fault {
	unsigned int filter;
	u64 addr;
	u32 control;		/* FAIL_CONTROL: direction, security, privilege */
	u32 id;			/* FAIL_ID: the master's NSAID */
	bool overrun;		/* more failures happened before this one was cleared */
	u64 time_ns;
};

struct tee;
struct tee_session;

/*
 * The protected-memory service's state (tee/protmem.c). A window is a TZC
 * region like any other (region_base/region_size of struct tee); this only
 * says which regions are windows, and counts. tee_boot() clears it.
 */
struct tee_protmem {
	u32 windows;			/* bitmap of the TZC regions that are windows */
	u64 assigns, releases;		/* calls that succeeded */
	u64 scrubbed;			/* bytes zeroed before they left the protected zone */
	u64 refusals;			/* calls refused, whatever the error */
};

/* What tee_protmem_info() reports. */
struct tee_protmem_info {
	u64 bytes;			/* protected by windows now */
	unsigned int windows;
	unsigned int regions_free;	/* TZC regions nobody uses: what new windows may take */
	u64 assigns, releases, scrubbed, refusals;
};

/* A yielding call from its SMC to its notification (tee/smc.c, tee/tee_core.c). */
struct tee_call {
	struct tee *t;
	bool used;
	u32 id;				/* its slot: what the normal world is told */
	u32 func;			/* the SMC function ID */
	u64 msg_pa;
	struct cpu *caller;		/* the normal-world CPU that made the SMC */
	struct tee_msg_arg msg;		/* the secure world's copy */
	struct tee_session *session;	/* INVOKE: the session it runs in */
	struct list_head node;		/* posted, or waiting for its TA */
	struct cpu_work notify;		/* the completion, queued on @caller */
};

struct tee_session {
	bool used;
	u32 id;				/* non-zero, never reused while the TEE runs */
	unsigned int ta;		/* index in the TA registry */
	u32 generation;			/* the TA instance it was opened on */
	unsigned int calls;		/* invokes queued or running */
};

/* The state of a TA in the registry: its instance and its command queue. */
struct tee_ta_ctx {
	u32 generation;			/* a new instance after every panic */
	struct tee_call *running;	/* the command the TA works on, or NULL */
	struct list_head queue;		/* invokes waiting, in arrival order */
};

/* The secure world's BAM pipe driver (tee/tee_bam.c). */
struct tee_bam {
	bool usable;			/* pipe locking, and the crypto engine behind the pair */
	bool ready;			/* pipes set up since boot or the last reset */
	bool in_flight;			/* an operation is posted */
	bool event;			/* an interrupt or the poll timer asked for a look */
	u64 base;			/* the BAM's registers */
	enum bam_version version;
	u64 qce_base;			/* the engine its pipes feed (VERSION: the scratchpad) */
	u64 mem;			/* its FIFOs, command elements and dump: private memory */
	u32 tail[2];			/* rx, tx: next free FIFO offset */
	u32 op_start[2];		/* FIFO offset of the operation's first descriptor */
	u32 cmd_off;			/* rx: the operation's command descriptor */
	struct bam_desc last_in;	/* rx: its last data descriptor, posted with NWD */
	u32 unlock_idx;			/* rx: the UNLOCK's index in the operation */
	unsigned int nr_ces;		/* command elements written so far */
	unsigned int nr_in, nr_out;	/* data descriptors so far */
	u32 irq_stts[2];		/* P_IRQ_STTS bits seen since the last poll */
	/* The poll timer: a secure timer that makes up for lost interrupts. */
	struct sim_actor timer;
	bool timer_armed;
	struct cpu_work timer_work;
	u64 ops, errors, recoveries, polls;
};

struct tee_drm_key {
	bool used;
	u32 id;
	u8 key[TEE_DRM_KEY_BYTES];
};

/* The DRM TA's instance (tee/ta_drm.c): one command at a time. */
struct ta_drm {
	struct cpu_task task;		/* the TA's thread on the secure CPU */
	struct tee_call *call;		/* the command it runs, or NULL */
	bool started;			/* its clear bytes are copied and an operation posted */
	struct tee_drm_decrypt_desc desc;	/* secure copy of the sample descriptor */
	u64 in_pa, out_pa;
	u32 len;
	const struct tee_drm_key *key;
	unsigned int next_sub;		/* cbcs: the next sub-sample with encrypted blocks */
	u32 next_off;			/* ... and its offset in the sample */
	struct tee_drm_key keys[TEE_DRM_KEYS_MAX];	/* provisioned, survive TA crashes */
	struct tee_drm_stats stats;
};

/* The SDP test TA's instance (tee/ta_sdp.c): one command at a time. */
struct ta_sdp {
	struct cpu_task task;		/* the TA's thread on the secure CPU */
	bool installed;			/* tee_sdp_install(): OPEN_SESSION finds it */
	struct tee_call *call;		/* the command it runs, or NULL */
	struct tee_sdp_stats stats;
};

struct tee {
	struct soc *soc;
	struct cpu *cpu;		/* the secure CPU */
	u64 tzc_base;
	unsigned int nr_filters;
	unsigned int nr_regions;
	u32 action;			/* TZC ACTION programmed at boot */
	u32 protected_ids;		/* protected regions' ID_ACCESS (secsoc,protected-access) */
	u32 background_ids;		/* region 0's ID_ACCESS: no write for protected writers */
	u32 regions_used;		/* bitmap of TZC regions in use */
	u64 region_base[TZC400_REGIONS_MAX], region_size[TZC400_REGIONS_MAX];
	unsigned int region_refs[TZC400_REGIONS_MAX];	/* protections of the same range */
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
	/* The monitor and the TEE core. */
	struct tee_call calls[TEE_CALLS_MAX];
	struct list_head posted;	/* calls the secure CPU has not picked up */
	struct cpu_work entry;		/* picks them up */
	void (*notifier)(void *ctx, u32 call_id);	/* the normal world's notification */
	void *notifier_ctx;
	struct tee_session sessions[TEE_SESSIONS_MAX];
	u32 next_session_id;
	struct tee_ta_ctx tas[TEE_TAS_MAX];
	struct tee_bam sbam;
	struct ta_drm drm;
	struct ta_sdp sdp;
	u8 copy_buf[TEE_COPY_CHUNK];
	struct tee_protmem protmem;	/* the protected-memory service */
};

/**
 * tee_boot - run the secure firmware's boot on the secure CPU
 *
 * Reads the secure-world node (memory-region, secsoc,protected-memory,
 * secsoc,tzc, secsoc,protected-access, secsoc,tzc-action, qcom,ee, dmas)
 * and programs the TZC through the bus as the secure CPU: the private
 * memory becomes secure-only, the protected carve-out reachable by the
 * secure world and the agents of secsoc,protected-access only. Installs
 * the secure interrupt entry, the SMC monitor, the TEE core and its TAs.
 * Return: 0, or -EINVAL with @err naming node and property.
 */
int tee_boot(struct tee *t, struct soc *soc, struct secsoc_error *err);

/**
 * tee_protect_region - make [base, base + size) accessible to the secure
 * world only, by programming a free TZC region
 * @region: the region used
 *
 * Protecting a range that is already protected (the carve-out, from boot)
 * takes another reference on its region; each protection is released once.
 *
 * Return: 0, -EINVAL if the range is not 4 KiB aligned, -EBUSY if it partly
 * overlaps a range the TEE already protects (the TZC would deny both),
 * -ENOSPC when all TZC regions are in use.
 */
int tee_protect_region(struct tee *t, u64 base, u64 size, unsigned int *region);

/** tee_release_region - give a protected range back to every master */
void tee_release_region(struct tee *t, unsigned int region);

/**
 * tee_range_protected - does [base, base + size) lie inside one range the
 * TEE protects (the carve-out, a region of tee_protect_region(), or a window
 * of the protected-memory service)? An empty range is not protected.
 */
bool tee_range_protected(const struct tee *t, u64 base, u64 size);

/**
 * tee_range_normal - is [base, base + size) normal-world memory: inside one
 * RAM bank, touching neither the private memory nor a protected range?
 */
bool tee_range_normal(const struct tee *t, u64 base, u64 size);

/** tee_ranges_overlap - do [base, +size) and [rbase, +rsize) share a byte? (no wrap) */
static inline bool tee_ranges_overlap(u64 base, u64 size, u64 rbase, u64 rsize)
{
	return base < rbase + rsize && rbase < base + size;
}

/** tee_range_inside - does [base, +size) lie inside [rbase, +rsize)? */
static inline bool tee_range_inside(u64 base, u64 size, u64 rbase, u64 rsize)
{
	return base >= rbase && size <= rsize && base - rbase <= rsize - size;
}

/*
 * The one place that writes TZC regions at run time (tee/tee.c), shared by
 * tee_protect_region() and the protected-memory service. Secure firmware
 * only.
 */

/**
 * tee_tzc_protect - program TZC region @n (2 or above) to make [base, base
 * + size), 4 KiB aligned, protected memory with the carve-out's access
 * rights (secure read/write, and the NSAIDs of secsoc,protected-access:
 * t->protected_ids), so that a device meets the same rules in every
 * protected range; @n may already be in use (it is moved)
 */
void tee_tzc_protect(struct tee *t, unsigned int n, u64 base, u64 size);
/** tee_tzc_disable - disable TZC region @n (2 or above, in use): its range is normal again */
void tee_tzc_disable(struct tee *t, unsigned int n);

/* ---- the protected-memory service (tee/protmem.c) ---- */

/*
 * Modelled cost of the scrub: the secure CPU zeroes released memory at
 * 8 GB/s (a store-only loop, twice the 4 GB/s of its copies).
 */
#define TEE_PROTMEM_SCRUB_NS_PER_KIB 128

/**
 * tee_protmem_assign - move [base, base + size) into the protected zone:
 * secure-only from now on
 *
 * Checks, in this order: size 0, base or size not 4 KiB aligned, or the
 * range wraps: TEE_ERROR_BAD_PARAMETERS; not inside one RAM bank (MMIO, a
 * hole, past the end of RAM): TEE_ERROR_BAD_PARAMETERS; overlapping the
 * private memory, the carve-out, a tee_protect_region() range or anything
 * already assigned: TEE_ERROR_ACCESS_DENIED. Then the range joins the
 * window that ends where it starts or starts where it ends (extending that
 * window's TZC region; touching two windows, it bridges them and frees one
 * region), or opens a window with a free TZC region:
 * TEE_ERROR_OUT_OF_MEMORY when none is left. A refusal changes nothing.
 *
 * Return: TEE_SUCCESS or the TEE_ERROR_* above.
 */
u32 tee_protmem_assign(struct tee *t, u64 base, u64 size);

/**
 * tee_protmem_release - give [base, base + size) back to the normal world,
 * scrubbed
 *
 * Checks, in this order: size 0, base or size not 4 KiB aligned, or the
 * range wraps: TEE_ERROR_BAD_PARAMETERS; not entirely inside one window
 * (never assigned, released already, the carve-out, the private memory):
 * TEE_ERROR_ACCESS_DENIED; the DRM TA's running command writes into it:
 * TEE_ERROR_BUSY; a range from the middle of a window splits it in two,
 * which needs a free TZC region: TEE_ERROR_OUT_OF_MEMORY. Then the secure
 * world zeroes the range while it is still protected (at the cost
 * TEE_PROTMEM_SCRUB_NS_PER_KIB, charged to the CPU running the call: the
 * core that made the SMC, or the secure CPU outside any step), and only then
 * shrinks, splits or disables the window's region. A refusal changes
 * nothing.
 *
 * Return: TEE_SUCCESS or the TEE_ERROR_* above.
 */
u32 tee_protmem_release(struct tee *t, u64 base, u64 size);

/** tee_protmem_info - the service's accounting: windows, their bytes, regions free, counters */
void tee_protmem_info(const struct tee *t, struct tee_protmem_info *info);

/* ---- the SMC conduit (tee/smc.c) ---- */

/**
 * tee_smc_call - the SMC instruction executed by normal-world CPU @caller
 *
 * Traps to the monitor the secure firmware of @soc installed; without one
 * (no secure world booted) a0 is SMCCC_RET_NOT_SUPPORTED. Fast calls are
 * answered here; yielding calls are checked at register level and posted
 * to the secure CPU (a0 TEE_SUCCESS, a1 the call id), or refused with a0
 * TEE_ERROR_BAD_PARAMETERS (bad address or length) or TEE_ERROR_BUSY (all
 * TEE_CALLS_MAX call slots in use).
 */
void tee_smc_call(struct soc *soc, struct cpu *caller, u32 a0, u32 a1, u32 a2, u32 a3,
		  struct arm_smccc_res *res);

/**
 * tee_smc_set_notifier - where completions go: @fn(@ctx, call id) runs in
 * bottom-half context on the CPU that made the call, after the result was
 * written back into its message (the model's notification interrupt)
 * @fn: NULL disconnects; completions are then dropped
 *
 * Return: 0, or -ENODEV when @soc runs no secure firmware.
 */
int tee_smc_set_notifier(struct soc *soc, void (*fn)(void *ctx, u32 call_id), void *ctx);

/* ---- accounting, for checkers (invariants 5 and 7) ---- */

/** tee_sessions_open - sessions opened and not closed (dead ones included) */
unsigned int tee_sessions_open(const struct tee *t);
/** tee_calls_in_flight - yielding calls posted and not yet notified */
unsigned int tee_calls_in_flight(const struct tee *t);
/** tee_bam_busy - the secure BAM driver has an operation posted */
bool tee_bam_busy(const struct tee *t);

/* ---- the normal-world client (drivers/tee/tee_drv.c), Linux's tee_drv.h shapes ---- */

struct tee_context;

struct tee_param_value {
	u64 a, b, c;
};

/* Memory is passed by physical address (OP-TEE's temporary memory references). */
struct tee_param_memref {
	phys_addr_t pa;
	u64 size;
	/*
	 * Or registered shared memory (tee_shm.h): when @shm is set, @pa is
	 * ignored and the reference is [@offset, @offset + @size) of the shm,
	 * checked against its size before anything reaches the secure world.
	 */
	struct tee_shm *shm;
	u64 offset;
};

struct tee_param {
	u64 attr;			/* TEE_PARAM_ATTR_TYPE_* */
	union {
		struct tee_param_memref memref;
		struct tee_param_value value;
	} u;
};

struct tee_ioctl_open_session_arg {
	u8 uuid[16];
	u32 session;			/* out */
	u32 ret;			/* out */
	u32 ret_origin;			/* out */
	u32 num_params;
};

struct tee_ioctl_invoke_arg {
	u32 func;
	u32 session;
	u32 ret;			/* out */
	u32 ret_origin;			/* out */
	u32 num_params;
};

#define TEE_IMPL_ID_SECSOC 0x5ec
#define TEE_GEN_CAP_GP BIT(0)

struct tee_ioctl_version_data {
	u32 impl_id;
	u32 impl_caps;
	u32 gen_caps;
};

/*
 * The completion of an asynchronous client call: runs in bottom-half
 * context on the CPU that made the call, with the TEE return code; the
 * call's arg and output params have been updated before.
 */
typedef void (*tee_client_done_t)(void *data, u32 ret);

/**
 * tee_client_open_context - a context on the TEE device (there is one)
 * @start: NULL (the search starts at the first device)
 * @match: returns non-zero if the device suits; NULL accepts any
 * @vers: filled with the device's version data, may be NULL
 *
 * Return: the context, or ERR_PTR(-ENOENT) when no device is bound or
 * matches, ERR_PTR(-ENOMEM).
 */
struct tee_context *tee_client_open_context(struct tee_context *start,
					    int (*match)(struct tee_ioctl_version_data *,
							 const void *),
					    const void *data, struct tee_ioctl_version_data *vers);
/** tee_client_close_context - release @ctx (its sessions must be closed, no call pending) */
void tee_client_close_context(struct tee_context *ctx);

/**
 * tee_client_open_session - ask the TEE to open a session with the TA
 * @arg->uuid names, through a yielding SMC
 * @arg: kept by the caller until @done; @arg->session, ret, ret_origin are set then
 * @param: @arg->num_params parameters (may be NULL for none), kept until @done
 *
 * Return: 0 when posted (@done will run), -EINVAL for bad arguments,
 * -EBUSY when the TEE has no free call slot, -ENOMEM.
 */
int tee_client_open_session(struct tee_context *ctx, struct tee_ioctl_open_session_arg *arg,
			    struct tee_param *param, tee_client_done_t done, void *data);
/** tee_client_invoke_func - invoke @arg->func in @arg->session; as tee_client_open_session() */
int tee_client_invoke_func(struct tee_context *ctx, struct tee_ioctl_invoke_arg *arg,
			   struct tee_param *param, tee_client_done_t done, void *data);
/** tee_client_close_session - close @session; as tee_client_open_session() */
int tee_client_close_session(struct tee_context *ctx, u32 session, tee_client_done_t done,
			     void *data);

#endif /* SECSOC_TEE_H */
