/*
 * heap_security.h - the heap-security scenario's state, shared by its
 * files: the attack matrix (rows), the attacker (a normal-world process
 * and the kernel it has compromised), the victim (a protected buffer with
 * a secret in it) and the steps that run the attacks on the CPUs.
 *
 * scenarios/heap_security.c runs the steps, judges and reports the rows;
 * heap_security_hw.c holds the attacks that go through hardware (CPU and
 * BAM pipe accesses the TZC judges, the secure CPU's own access);
 * heap_security_api.c those that go through kernel interfaces (dma-buf,
 * dma-heap, the TEE driver); heap_security_tee.c those that go to the
 * secure world (the DRM TA, forged protected-memory SMCs, the scrub of
 * released memory); heap_security_gpu.c those of the GPU (its two modes)
 * and the display. docs/heaps.md, "Security matrix", lists the rows.
 */
#ifndef SECSOC_SCENARIO_HEAP_SECURITY_H
#define SECSOC_SCENARIO_HEAP_SECURITY_H

#include <secsoc/panthor.h>
#include <secsoc/prng.h>
#include <secsoc/secsoc_disp.h>

#include "scenarios/checker.h"

#define HS_TEXT_MAX 112			/* an expected or observed outcome */
#define HS_SECRET_LEN 256		/* the secret at the start of the victim */
#define HS_VICTIM_SIZE (64 * 1024)	/* one secure-video granule */
#define HS_REUSE_SIZE (256 * 1024)	/* the buffer freed and reallocated into system */
#define HS_REUSE_CHUNK (64 * 1024)	/* system buffers taken while looking for its pages */
#define HS_REUSE_TRIES 64		/* ... at most */
#define HS_SAMPLE_LEN 4096		/* the rogue DRM request */

/* The attack paths, in the order the report lists them. */
enum hs_row_id {
	HS_CPU_READ,
	HS_CPU_WRITE,
	HS_MMAP,
	HS_VMAP,
	HS_BEGIN_CPU_ACCESS,
	HS_SYNC_IOCTL,
	HS_BAM_WRITE,
	HS_BAM_READ,
	HS_BAM_CONTROL,
	HS_TA_NORMAL_OUTPUT,
	HS_SHM_NORMAL_BUFFER,
	HS_ATTACH_QCE,
	HS_ATTACH_GRANTED,
	HS_GPU_NORMAL_READ,		/* heap_security_gpu.c */
	HS_GPU_PROTECTED_WRITE,
	HS_GPU_PROTM_FW_NORMAL,
	HS_DISPLAY_PROTECTED,
	HS_REUSE,
	HS_DOUBLE_PUT,
	HS_USE_AFTER_PUT,
	HS_CLOSED_FD,
	HS_HEAP_REMOVAL,
	HS_SMC_FIRST,			/* one row per forged SMC: heap_security_tee.c */
	HS_SMC_LAST = HS_SMC_FIRST + 11,
	HS_SECURE_ACCESS,
	HS_NR_ROWS
};

/* What never changes about a row. */
struct hs_row_info {
	const char *path;		/* short name, as in the report */
	const char *attack;		/* what is tried */
	const char *mechanism;		/* what stops it (or, for a control, allows it) */
	const char *goal;		/* the coverage goal: the mechanism fired */
};

struct hs_row {
	const struct hs_row_info *info;
	char expected[HS_TEXT_MAX];
	char observed[HS_TEXT_MAX];
	bool done;
	bool fired;			/* the blocking mechanism was seen at work */
};

/* Where a step runs. */
enum hs_cpu { HS_NW0, HS_NW1, HS_SECURE, HS_NR_CPUS };

struct hsec;

struct hs_actor {
	struct cpu_task task;
	struct hsec *s;
	enum hs_cpu cpu;
};

/* The idle BAM pipe a compromised kernel programs by hand. */
enum hs_bam_kind { HS_BAM_KIND_WRITE, HS_BAM_KIND_READ, HS_BAM_KIND_CONTROL };

struct hs_bam {
	struct bam *bam;
	u64 base;			/* its registers */
	unsigned int pipe, ee;
	u64 reg_pa;			/* what its command element reads: QCE VERSION */
	u8 *mem;			/* a kernel page: FIFO, command element, control target */
	u64 mem_pa;
};

/* The DRM TA attempt (row HS_TA_NORMAL_OUTPUT). */
struct hs_ta {
	struct tee_ioctl_open_session_arg open;
	struct tee_ioctl_invoke_arg invoke;
	struct tee_param param[3];
	struct tee_drm_decrypt_desc *desc;	/* kmalloc: normal memory */
	u8 *in, *bait;				/* kmalloc: the sample, the normal output */
	bool pending;				/* a call is out */
	u32 ret, refused0;
};

/* Freed protected memory given to system (row HS_REUSE). */
struct hs_reuse {
	struct dma_buf *buf;		/* the secure-video buffer, until freed */
	struct tee_shm *shm;
	u64 pa;
	bool scrubbed, normal;		/* after the free */
	u64 overlap_pa, overlap_len;	/* of its pages, what a system buffer got */
	unsigned int tries;
	bool zeros;			/* what the process read there */
};

/* The GPU and display rows (heap_security_gpu.c). */
struct hs_gpu {
	struct panthor_device *ptdev;	/* NULL: no GPU with a protected mode */
	struct secsoc_disp *disp;	/* NULL: no display */
	bool disp_granted;		/* the secure world lets the display read */
	struct panthor_group *group;
	int group_err;			/* panthor_group_create()'s answer */
	struct panthor_bo *victim_bo;
	struct panthor_bo *dst_bo, *fw_bo;	/* system: the attacks' targets */
	struct panthor_bo *scratch_bo;	/* protected: the legitimate protected jobs' output */
	u64 regs;			/* the GPU's register window */
	u64 fw_size;			/* of @fw: at least GLB_PROTM_FW_SIZE */
	u32 fw_base[2];			/* the driver's GLB_PROTM_FW_BASE LO, HI */
	bool pending;			/* a job is out */
	int status;			/* how the last one completed */
	int attack_status;		/* ... and the attack's job */
	bool base_driver;		/* GLB_PROTM_FW_BASE was the driver's after the attack */
	struct panthor_stats before;	/* the driver's counters as the attack began */
	struct panthor_stats after;	/* ... and as its job completed */
	/* The display row: the first frame that showed the victim. */
	u64 commit;
	bool shown, fault;
	u32 crc;
};

struct hsec {
	struct machine *m;
	struct checker chk;
	struct prng prng;
	struct hs_actor actors[HS_NR_CPUS];
	unsigned int step;
	bool decerr;			/* the TZC answers a denial with an error: CPUs abort */
	bool released;
	struct hs_row rows[HS_NR_ROWS];
	/* The attacker: a process, and what its compromised kernel holds. */
	struct process proc;
	bool proc_live;
	u64 uarg;			/* a user page for ioctl arguments */
	int sv_fd;			/* /dev/dma_heap/protected,secure-video */
	struct tee_context *ctx;
	struct dma_heap *sv_heap, *sys_heap;
	struct device *qce;		/* a device that cannot reach protected memory */
	struct device granted;		/* one the secure world lets in (the display) */
	bool has_granted;
	u8 granted_rights;		/* SOC_PROTECTED_READ/WRITE */
	struct soc_protected_access acc;
	u8 *page;			/* a page of normal kernel memory */
	/* The victim. */
	int victim_fd;
	struct dma_buf *victim;		/* the kernel's reference */
	struct tee_shm *victim_shm;
	u64 victim_pa;
	u8 secret[HS_SECRET_LEN];
	struct checker_expect seen;	/* the last attack's transactions */
	char partial[HS_TEXT_MAX];	/* an outcome the secure CPU completes */
	struct hs_bam pipe;
	struct hs_ta ta;
	struct hs_reuse reuse;
	struct hs_gpu gpu;
};

/* ---- heap_security.c ---- */

/** hs_cpu_of - the CPU a step of kind @where runs on */
struct cpu *hs_cpu_of(struct hsec *s, enum hs_cpu where);
/**
 * hs_expect - set row @id's expected outcome (printf); its goal is declared
 */
void hs_expect(struct hsec *s, enum hs_row_id id, const char *fmt, ...) SECSOC_PRINTF(3, 4);
/** hs_observe - set row @id's observed outcome (printf) and mark it done */
void hs_observe(struct hsec *s, enum hs_row_id id, bool fired, const char *fmt, ...)
	SECSOC_PRINTF(4, 5);
/** hs_errno - "-EPERM", "-EBADF", ... or "0" for a kernel return value */
const char *hs_errno(long err);
/** hs_secret_intact - the secure CPU reads the victim: is the secret still there? */
bool hs_secret_intact(struct hsec *s);
/** hs_heap_alloc_fd - DMA_HEAP_IOCTL_ALLOC of @len on @heap_fd by the process: fd or -errno */
int hs_heap_alloc_fd(struct hsec *s, int heap_fd, u64 len);

/*
 * The attacks. *_setup() writes the rows' expectations (and may refuse the
 * board with an input error naming what it lacks), *_release() gives back
 * what the file holds; every other function is one step of hs_steps[]
 * (heap_security.c), run in a task slice of the CPU that table names.
 */

/* ---- heap_security_hw.c: hardware paths ---- */

/** hs_hw_setup - pick the attacking BAM pipe, expect the hardware rows */
int hs_hw_setup(struct hsec *s, struct secsoc_error *err);
/** hs_hw_release - reset the attacking pipe and free its page */
void hs_hw_release(struct hsec *s);
/** hs_secure_access - secure CPU: write the secret, read it back (a control) */
void hs_secure_access(struct hsec *s);
/** hs_cpu_read - a normal-world CPU loads the victim */
void hs_cpu_read(struct hsec *s);
/** hs_cpu_write - a normal-world CPU stores to the victim */
void hs_cpu_write(struct hsec *s);
/** hs_cpu_write_verify - secure CPU: is the secret intact after the store? */
void hs_cpu_write_verify(struct hsec *s);
/** hs_bam_start - program the idle pipe for attack @kind and start it */
void hs_bam_start(struct hsec *s, enum hs_bam_kind kind);
/** hs_bam_idle - the pipe retired its descriptor or halted */
bool hs_bam_idle(const struct hsec *s);
/** hs_bam_finish - read what the pipe reports, reset it, judge @kind */
void hs_bam_finish(struct hsec *s, enum hs_bam_kind kind);
/** hs_bam_write_verify - secure CPU: is the secret intact after the pipe's store? */
void hs_bam_write_verify(struct hsec *s);

/* ---- heap_security_api.c: kernel interfaces ---- */

/** hs_api_setup - the attacker's process and TEE context, the victim, the devices */
int hs_api_setup(struct hsec *s, struct secsoc_error *err);
/** hs_api_release - the victim, the process, the context, the heap references */
void hs_api_release(struct hsec *s);
/** hs_cpu_mappings - mmap, vmap, begin/end_cpu_access, DMA_BUF_IOCTL_SYNC */
void hs_cpu_mappings(struct hsec *s);
/** hs_attach - the QCE and a granted device attach to the victim */
void hs_attach(struct hsec *s);
/** hs_misuse - double put, use after the last put, the fd of a closed buffer */
void hs_misuse(struct hsec *s);
/** hs_heap_removal - a protected heap removed under live buffers and fds */
void hs_heap_removal(struct hsec *s);

/* ---- heap_security_tee.c: the secure world ---- */

/** hs_tee_setup - a content key, the rogue request's buffers, the SMC rows */
int hs_tee_setup(struct hsec *s, struct secsoc_error *err);
/** hs_tee_release - the rogue request's buffers, the reuse buffer if still held */
void hs_tee_release(struct hsec *s);
/** hs_ta_idle - no TEE call of the scenario is out */
bool hs_ta_idle(const struct hsec *s);
/** hs_ta_open - open a session with the DRM TA */
void hs_ta_open(struct hsec *s);
/** hs_ta_decrypt - ask it to decrypt into normal memory */
void hs_ta_decrypt(struct hsec *s);
/** hs_ta_close - judge its answer and the bait, close the session */
void hs_ta_close(struct hsec *s);
/** hs_shm_normal_buffer - register a system buffer with the TEE as protected */
void hs_shm_normal_buffer(struct hsec *s);
/** hs_forged_smcs - the protected-memory service's forged calls, one row each */
void hs_forged_smcs(struct hsec *s);
/** hs_reuse_alloc - a secure-video buffer that will be freed */
void hs_reuse_alloc(struct hsec *s);
/** hs_reuse_fill - secure CPU: fill it */
void hs_reuse_fill(struct hsec *s);
/** hs_reuse_free - free it, check the scrub, reallocate its pages from system */
void hs_reuse_free(struct hsec *s);

/* ---- heap_security_gpu.c: the GPU and the display ---- */

/** hs_gpu_setup - the GPU's buffers and imports, expect the GPU and display rows */
int hs_gpu_setup(struct hsec *s, struct secsoc_error *err);
/** hs_gpu_release - the group, the imports and buffers, the display's framebuffer */
void hs_gpu_release(struct hsec *s);
/** hs_gpu_settled - no job is out and the GPU's firmware is up */
bool hs_gpu_settled(const struct hsec *s);
/** hs_gpu_open - create the attacker's group, fill the system target */
void hs_gpu_open(struct hsec *s);
/** hs_gpu_normal_read - a normal-mode job reads the victim */
void hs_gpu_normal_read(struct hsec *s);
/** hs_gpu_normal_read_done - judge it */
void hs_gpu_normal_read_done(struct hsec *s);
/** hs_gpu_protected_write - a protected job writes normal memory */
void hs_gpu_protected_write(struct hsec *s);
/** hs_gpu_protm_fw_normal - the firmware's protected section moved to normal memory */
void hs_gpu_protm_fw_normal(struct hsec *s);
/** hs_gpu_attack_done - the protected attack's job completed: a legitimate job follows */
void hs_gpu_attack_done(struct hsec *s);
/** hs_gpu_protected_write_recovered - judge the protected write and the recovery */
void hs_gpu_protected_write_recovered(struct hsec *s);
/** hs_gpu_protm_fw_normal_recovered - judge the section attack and the recovery */
void hs_gpu_protm_fw_normal_recovered(struct hsec *s);
/** hs_gpu_close - destroy the group */
void hs_gpu_close(struct hsec *s);
/** hs_display_commit - show the victim */
void hs_display_commit(struct hsec *s);
/** hs_display_shown - a frame that showed the victim ended (or nothing to wait for) */
bool hs_display_shown(const struct hsec *s);
/** hs_display_done - judge its CRC, release the framebuffer */
void hs_display_done(struct hsec *s);

#endif /* SECSOC_SCENARIO_HEAP_SECURITY_H */
