/*
 * heap_security.c - the heap-security scenario: the protected-memory
 * security matrix of issue #7. Every way the normal world might reach
 * protected memory is tried for real against the model, one row per
 * attack path, each with the outcome the design promises and the outcome
 * observed; the run passes only if every row is as expected and the
 * invariants hold (docs/scenarios.md, "heap-security"; the rows are listed
 * in docs/heaps.md, "Security matrix").
 *
 * The attacks run as a fixed sequence of steps, each one task slice on a
 * normal-world CPU (the attacker's process and its compromised kernel) or
 * on the secure CPU (the secure world writing and checking its secret),
 * while the hardware (BAM pipes, the TZC's interrupt, TEE calls and their
 * notifications) steps in between as the strategy chooses. The checker
 * watches everything; each attack on the bus is announced to it first, so
 * that the denials and aborts it is meant to cause are the only ones
 * excused (checker_expect_denial()).
 *
 * This file owns the state, the step sequence, the row bookkeeping, the
 * judgement and the report; the attacks are in heap_security_{hw,api,tee,gpu}.c.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>

#include "scenarios/heap_security.h"

#define HS_SALT 0x6865617073656321ULL	/* "heapsec!": the secret's PRNG */

static const struct hs_row_info hs_rows[HS_SMC_FIRST] = {
	[HS_CPU_READ] = { "cpu-read", "a normal-world CPU reads a protected buffer by physical "
			  "address", "TZC", "heap-security: the TZC denied a normal-world CPU "
			  "read of protected memory" },
	[HS_CPU_WRITE] = { "cpu-write", "a normal-world CPU writes a protected buffer by "
			   "physical address", "TZC", "heap-security: the TZC denied a "
			   "normal-world CPU write to protected memory" },
	[HS_MMAP] = { "mmap", "a process mmaps a protected dma-buf fd", "protected heap ops",
		      "heap-security: the protected heap refused an mmap" },
	[HS_VMAP] = { "vmap", "the kernel vmaps a protected dma-buf", "protected heap ops",
		      "heap-security: the protected heap refused a vmap" },
	[HS_BEGIN_CPU_ACCESS] = { "begin-cpu-access", "the kernel begins CPU access to a "
				  "protected dma-buf", "protected heap ops", "heap-security: "
				  "the protected heap refused begin_cpu_access" },
	[HS_SYNC_IOCTL] = { "sync-ioctl", "a process issues DMA_BUF_IOCTL_SYNC on a protected "
			    "dma-buf fd", "protected heap ops", "heap-security: the protected "
			    "heap refused DMA_BUF_IOCTL_SYNC" },
	[HS_BAM_WRITE] = { "bam-pipe-write", "a normal-world (Linux EE) BAM pipe writes a "
			   "protected buffer (a command element's destination)", "TZC",
			   "heap-security: the TZC denied a BAM pipe write to protected memory" },
	[HS_BAM_READ] = { "bam-pipe-read", "a normal-world BAM pipe reads a protected buffer "
			  "(command elements fetched from it)", "TZC", "heap-security: the TZC "
			  "denied a BAM pipe read of protected memory" },
	[HS_BAM_CONTROL] = { "bam-pipe-control", "control: the same pipe, reset, writes normal "
			     "memory", "(allowed)", "heap-security: the attacked BAM pipe works "
			     "after its reset" },
	[HS_TA_NORMAL_OUTPUT] = { "drm-ta-normal-output", "the DRM TA is asked to decrypt into "
				  "normal memory", "DRM TA (protected-output rule)",
				  "heap-security: the DRM TA refused a normal-memory output" },
	[HS_SHM_NORMAL_BUFFER] = { "shm-normal-buffer", "a system-heap dma-buf is registered "
				   "with the TEE as a protected buffer", "TEE driver",
				   "heap-security: the TEE driver refused a normal buffer as "
				   "protected shm" },
	[HS_ATTACH_QCE] = { "attach-unreachable", "the QCE (BAM NSAID, not granted) attaches "
			    "to a protected dma-buf", "protected heap ops (attach)",
			    "heap-security: the protected heap refused an attach" },
	[HS_ATTACH_GRANTED] = { "attach-granted", "control: a device the secure world grants "
				"(the display) attaches and maps", "(allowed)", "heap-security: "
				"a granted device mapped protected memory" },
	[HS_GPU_NORMAL_READ] = { "gpu-normal-read", "a normal-mode GPU job blends a protected "
				 "buffer into a system buffer", "TZC (normal-mode NSAID not "
				 "granted)", "heap-security: the TZC denied a normal-mode GPU read "
				 "of protected memory" },
	[HS_GPU_PROTECTED_WRITE] = { "gpu-protected-write-normal", "a protected GPU job fills a "
				     "system buffer", "TZC (no write-down), GPU reset",
				     "heap-security: the TZC denied a protected-mode GPU write to "
				     "normal memory" },
	[HS_GPU_PROTM_FW_NORMAL] = { "gpu-protm-fw-normal", "the kernel points "
				     "GLB_PROTM_FW_BASE at a system buffer and submits a "
				     "protected job", "TZC (no write-down), GPU reset",
				     "heap-security: the TZC denied the GPU firmware's protected "
				     "state in normal memory" },
	[HS_DISPLAY_PROTECTED] = { "display-protected", "control: the display (granted read) "
				   "scans out a protected buffer", "(allowed)", "heap-security: "
				   "the display showed protected memory with its CRC" },
	[HS_REUSE] = { "reuse-into-system", "freed protected memory is reallocated from "
		       "system and read", "TEE service (scrub on release)", "heap-security: "
		       "released protected memory was scrubbed before system reused it" },
	[HS_DOUBLE_PUT] = { "double-put", "a dma-buf is put twice", "dma-buf core",
			    "heap-security: the dma-buf core caught a double put" },
	[HS_USE_AFTER_PUT] = { "use-after-put", "begin_cpu_access and attach on a dma-buf "
			       "after its last put", "dma-buf core", "heap-security: the dma-buf "
			       "core caught a use after the last put" },
	[HS_CLOSED_FD] = { "closed-fd", "the fd of a closed dma-buf is used", "fd table",
			   "heap-security: the fd of a closed buffer was refused" },
	[HS_HEAP_REMOVAL] = { "heap-removal", "a protected heap is removed while a buffer, its "
			      "fd and the heap's fd are alive", "dma-heap core (references)",
			      "heap-security: a removed heap's live buffer still mapped" },
};

static const struct hs_row_info hs_secure_row = {
	"secure-cpu-access", "control: the secure CPU writes and reads a protected buffer",
	"(allowed)", "heap-security: the secure CPU read back what it wrote",
};

/* ---- rows ---- */

static const struct hs_row_info *hs_info(enum hs_row_id id)
{
	if (id == HS_SECURE_ACCESS)
		return &hs_secure_row;
	return id < HS_SMC_FIRST ? &hs_rows[id] : NULL;	/* SMC rows: hs_tee_setup() */
}

void hs_expect(struct hsec *s, enum hs_row_id id, const char *fmt, ...)
{
	struct hs_row *row = &s->rows[id];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(row->expected, sizeof(row->expected), fmt, ap);
	va_end(ap);
	if (!row->info)
		row->info = hs_info(id);
	sim_sometimes_declare(s->m->sim, row->info->goal);
}

void hs_observe(struct hsec *s, enum hs_row_id id, bool fired, const char *fmt, ...)
{
	struct hs_row *row = &s->rows[id];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(row->observed, sizeof(row->observed), fmt, ap);
	va_end(ap);
	row->done = true;
	row->fired = fired;
	sim_sometimes(s->m->sim, fired && !strcmp(row->observed, row->expected), row->info->goal);
}

const char *hs_errno(long err)
{
	static const struct { long err; const char *name; } names[] = {
		{ 0, "0" }, { -EPERM, "-EPERM" }, { -ENOENT, "-ENOENT" }, { -EBADF, "-EBADF" },
		{ -ENOMEM, "-ENOMEM" }, { -EFAULT, "-EFAULT" }, { -EBUSY, "-EBUSY" },
		{ -ENODEV, "-ENODEV" }, { -EINVAL, "-EINVAL" }, { -ENOTTY, "-ENOTTY" },
		{ -ENOSPC, "-ENOSPC" }, { -EIO, "-EIO" }, { -ECANCELED, "-ECANCELED" },
		{ -EOPNOTSUPP, "-EOPNOTSUPP" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	return err < 0 ? "another error" : "a positive value";
}

static bool hs_row_ok(const struct hs_row *row)
{
	return row->done && !strcmp(row->expected, row->observed);
}

/* ---- helpers the attacks share ---- */

struct cpu *hs_cpu_of(struct hsec *s, enum hs_cpu where)
{
	struct soc *soc = s->m->soc;

	if (where == HS_SECURE)
		return &soc->secure_cpu;
	return &soc->cpus[where == HS_NW1 && soc->nr_cpus > 1 ? 1 : 0];
}

bool hs_secret_intact(struct hsec *s)
{
	u8 now[HS_SECRET_LEN];

	cpu_read(&s->m->soc->secure_cpu, s->victim_pa, now, sizeof(now));
	return !memcmp(now, s->secret, sizeof(now));
}

int hs_heap_alloc_fd(struct hsec *s, int heap_fd, u64 len)
{
	struct dma_heap_allocation_data d = { .len = len, .fd_flags = O_RDWR | O_CLOEXEC };
	long ret;

	if (process_write(&s->proc, s->uarg, &d, sizeof(d)))
		return -EFAULT;
	ret = sys_ioctl(&s->proc, heap_fd, DMA_HEAP_IOCTL_ALLOC, s->uarg);
	if (ret)
		return (int)ret;
	if (process_read(&s->proc, s->uarg, &d, sizeof(d)))
		return -EFAULT;
	return (int)d.fd;
}

/* ---- the step sequence ---- */

struct hs_step {
	const char *name;
	enum hs_cpu cpu;
	bool (*ready)(const struct hsec *s);	/* NULL: as soon as it is its turn */
	void (*run)(struct hsec *s);
};

static void hs_bam_write(struct hsec *s)
{
	hs_bam_start(s, HS_BAM_KIND_WRITE);
}

static void hs_bam_write_done(struct hsec *s)
{
	hs_bam_finish(s, HS_BAM_KIND_WRITE);
}

static void hs_bam_read(struct hsec *s)
{
	hs_bam_start(s, HS_BAM_KIND_READ);
}

static void hs_bam_read_done(struct hsec *s)
{
	hs_bam_finish(s, HS_BAM_KIND_READ);
}

static void hs_bam_control(struct hsec *s)
{
	hs_bam_start(s, HS_BAM_KIND_CONTROL);
}

static void hs_bam_control_done(struct hsec *s)
{
	hs_bam_finish(s, HS_BAM_KIND_CONTROL);
}

static void hs_release(struct hsec *s);

static const struct hs_step hs_steps[] = {
	{ "secure-access", HS_SECURE, NULL, hs_secure_access },
	{ "cpu-read", HS_NW0, NULL, hs_cpu_read },
	{ "cpu-write", HS_NW1, NULL, hs_cpu_write },
	{ "cpu-write-verify", HS_SECURE, NULL, hs_cpu_write_verify },
	{ "cpu-mappings", HS_NW0, NULL, hs_cpu_mappings },
	{ "attach", HS_NW0, NULL, hs_attach },
	{ "gpu-open", HS_NW0, NULL, hs_gpu_open },
	{ "gpu-normal-read", HS_NW0, hs_gpu_settled, hs_gpu_normal_read },
	{ "gpu-normal-read-done", HS_NW0, hs_gpu_settled, hs_gpu_normal_read_done },
	{ "gpu-protected-write", HS_NW0, hs_gpu_settled, hs_gpu_protected_write },
	{ "gpu-protected-write-done", HS_NW0, hs_gpu_settled, hs_gpu_attack_done },
	{ "gpu-protected-write-recovered", HS_NW0, hs_gpu_settled,
	  hs_gpu_protected_write_recovered },
	{ "gpu-protm-fw-normal", HS_NW0, hs_gpu_settled, hs_gpu_protm_fw_normal },
	{ "gpu-protm-fw-normal-done", HS_NW0, hs_gpu_settled, hs_gpu_attack_done },
	{ "gpu-protm-fw-normal-recovered", HS_NW0, hs_gpu_settled,
	  hs_gpu_protm_fw_normal_recovered },
	{ "gpu-close", HS_NW0, hs_gpu_settled, hs_gpu_close },
	{ "display-commit", HS_NW1, NULL, hs_display_commit },
	{ "display-done", HS_NW1, hs_display_shown, hs_display_done },
	{ "bam-write", HS_NW0, NULL, hs_bam_write },
	{ "bam-write-done", HS_NW0, hs_bam_idle, hs_bam_write_done },
	{ "bam-write-verify", HS_SECURE, NULL, hs_bam_write_verify },
	{ "bam-read", HS_NW0, NULL, hs_bam_read },
	{ "bam-read-done", HS_NW0, hs_bam_idle, hs_bam_read_done },
	{ "bam-control", HS_NW0, NULL, hs_bam_control },
	{ "bam-control-done", HS_NW0, hs_bam_idle, hs_bam_control_done },
	{ "ta-open", HS_NW0, NULL, hs_ta_open },
	{ "ta-decrypt", HS_NW0, hs_ta_idle, hs_ta_decrypt },
	{ "ta-close", HS_NW0, hs_ta_idle, hs_ta_close },
	{ "shm-normal-buffer", HS_NW0, hs_ta_idle, hs_shm_normal_buffer },
	{ "misuse", HS_NW0, NULL, hs_misuse },
	{ "heap-removal", HS_NW0, NULL, hs_heap_removal },
	{ "forged-smcs", HS_NW1, NULL, hs_forged_smcs },
	{ "reuse-alloc", HS_NW0, NULL, hs_reuse_alloc },
	{ "reuse-fill", HS_SECURE, NULL, hs_reuse_fill },
	{ "reuse-free", HS_NW0, NULL, hs_reuse_free },
	{ "release", HS_NW0, NULL, hs_release },
};

#define HS_NR_STEPS ARRAY_SIZE(hs_steps)

static struct hs_actor *hs_actor_of(struct cpu_task *t)
{
	return container_of(t, struct hs_actor, task);
}

/* A task may go when the current step is its own and ready; after the last, to finish. */
static bool hs_task_runnable(struct cpu_task *t)
{
	struct hs_actor *a = hs_actor_of(t);
	const struct hsec *s = a->s;
	const struct hs_step *st;

	if (s->step >= HS_NR_STEPS)
		return true;
	st = &hs_steps[s->step];
	return st->cpu == a->cpu && (!st->ready || st->ready(s));
}

static bool hs_task_run(struct cpu_task *t)
{
	struct hsec *s = hs_actor_of(t)->s;

	if (s->step < HS_NR_STEPS)
		hs_steps[s->step++].run(s);
	return s->step >= HS_NR_STEPS;
}

static void hs_start_tasks(struct hsec *s)
{
	static const char *const names[HS_NR_CPUS] = { "attacker", "attacker-2", "secure" };

	for (unsigned int i = 0; i < HS_NR_CPUS; i++) {
		struct hs_actor *a = &s->actors[i];

		a->s = s;
		a->cpu = (enum hs_cpu)i;
		a->task = (struct cpu_task){ .name = names[i], .runnable = hs_task_runnable,
					     .run = hs_task_run };
		cpu_add_task(hs_cpu_of(s, a->cpu), &a->task);
	}
}

/* ---- set-up, judgement, release ---- */

static int hs_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	struct hsec *s = state;
	int ret;

	s->m = m;
	s->victim_fd = s->sv_fd = -1;
	s->decerr = m->tee.action & TZC400_ACTION_ERR_BIT;
	prng_seed(&s->prng, sim_seed(m->sim) ^ HS_SALT);
	for (unsigned int i = 0; i < HS_SECRET_LEN; i++)
		s->secret[i] = (u8)(prng_below(&s->prng, 255) + 1);	/* never zero */
	ret = checker_attach(&s->chk, m, err);
	if (!ret)
		ret = hs_api_setup(s, err);
	if (!ret)
		ret = hs_hw_setup(s, err);
	if (!ret)
		ret = hs_tee_setup(s, err);
	if (!ret)
		ret = hs_gpu_setup(s, err);
	if (ret)
		return ret;
	hs_expect(s, HS_SECURE_ACCESS, "allowed, read back what it wrote, no abort");
	for (unsigned int i = 0; i < HS_NR_ROWS; i++)
		if (!s->rows[i].info)
			return internal_error(err, "heap-security: row %u has no expectation", i);
	hs_start_tasks(s);
	return 0;
}

/*
 * Give back what the scenario holds, in the kernel and the secure world.
 * Skipped while a TEE call is out (a run stopped half-way): the secure
 * world may still write into its message and buffers, which the kernel's
 * shutdown then abandons.
 */
static void hs_release(struct hsec *s)
{
	if (s->released || s->ta.pending)
		return;
	s->released = true;
	hs_gpu_release(s);
	hs_tee_release(s);
	hs_hw_release(s);
	hs_api_release(s);
}

static void hs_check(struct machine *m, void *state)
{
	struct hsec *s = state;
	unsigned int ok = 0;

	(void)m;
	always(s->step == HS_NR_STEPS, "heap-security: the attacks stopped at step %u (%s) of %zu",
	       s->step, s->step < HS_NR_STEPS ? hs_steps[s->step].name : "-", HS_NR_STEPS);
	for (unsigned int i = 0; i < HS_NR_ROWS; i++) {
		const struct hs_row *row = &s->rows[i];

		ok += hs_row_ok(row);
		always(hs_row_ok(row), "heap-security: %s (%s): expected \"%s\", observed \"%s\"",
		       row->info->path, row->info->attack, row->expected,
		       row->done ? row->observed : "not tried");
	}
	always(ok == HS_NR_ROWS, "heap-security: %u of %u attack paths behaved as expected", ok,
	       HS_NR_ROWS);
	hs_release(s);
	checker_judge(&s->chk);
}

static void hs_report_rows(const struct hsec *s, struct report *r)
{
	report_list_begin(r, "matrix");
	for (unsigned int i = 0; i < HS_NR_ROWS; i++) {
		const struct hs_row *row = &s->rows[i];

		report_row_begin(r);
		report_str(r, "path", row->info->path);
		report_str(r, "attack", row->info->attack);
		report_str(r, "mechanism", row->info->mechanism);
		report_str(r, "expected", row->expected);
		report_str(r, "observed", row->done ? row->observed : "not tried");
		report_str(r, "verdict", hs_row_ok(row) ? "as-expected" : "UNEXPECTED");
		report_row_end(r);
	}
	report_list_end(r);
}

static void hs_report(struct machine *m, void *state, struct report *r)
{
	struct hsec *s = state;
	unsigned int ok = 0;

	(void)m;
	for (unsigned int i = 0; i < HS_NR_ROWS; i++)
		ok += hs_row_ok(&s->rows[i]);
	report_u64(r, "paths", HS_NR_ROWS);
	report_u64(r, "paths_as_expected", ok);
	report_str(r, "tzc_denial", s->decerr ? "error response (DECERR)" : "OKAY response");
	report_hex(r, "victim_pa", s->victim_pa);
	report_u64(r, "victim_size", HS_VICTIM_SIZE);
	report_str(r, "attack_pipe", s->pipe.bam ? bam_config(s->pipe.bam)->name : "-");
	report_u64(r, "attack_pipe_index", s->pipe.pipe);
	report_hex(r, "reused_pa", s->reuse.overlap_pa);
	report_u64(r, "reused_bytes", s->reuse.overlap_len);
	report_u64(r, "reuse_allocations", s->reuse.tries);
	hs_report_rows(s, r);
	checker_report(&s->chk, r);
}

static void hs_teardown(struct machine *m, void *state)
{
	struct hsec *s = state;

	(void)m;
	hs_release(s);
	checker_detach(&s->chk);
	/* A task that never finished (a stopped run) must not stay on its CPU's list. */
	for (unsigned int i = 0; i < HS_NR_CPUS; i++)
		if (s->actors[i].s && !s->actors[i].task.finished)
			list_del_init(&s->actors[i].task.node);
}

const struct scenario scenario_heap_security = {
	.name = "heap-security",
	.summary = "the protected-memory security matrix: every attack path on protected "
		   "buffers, expected against observed",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct hsec),
	.setup = hs_setup,
	.check = hs_check,
	.report = hs_report,
	.teardown = hs_teardown,
};
