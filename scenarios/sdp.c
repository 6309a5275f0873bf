/*
 * sdp.c - the sdp scenario: OP-TEE's Secure Data Path regression (xtest
 * 1014, optee_test's host/xtest/sdp_basic.c) run by a simulated
 * normal-world process against the SDP test TA (tee_sdp.h).
 *
 * The process, on CPU 0, allocates a 17000-byte buffer from
 * /dev/dma_heap/protected,secure-video (DMA_HEAP_IOCTL_ALLOC, O_RDWR |
 * O_CLOEXEC), registers its fd with the TEE (TEE_IOC_SHM_REGISTER_FD) and
 * closes the fd at once: the TEE keeps the memory alive. Ten loops follow:
 * random data, an offset that is its first byte (0..255, the data 255
 * bytes shorter than the buffer), INJECT into the buffer at that offset,
 * TRANSFORM in place, DUMP back out, and the check out[i] == (u8)(~ref[i]
 * + 1). Then the out-of-bounds memrefs of the regression against the size
 * the TEE reports for the buffer: the driver must refuse each with
 * TEE_ERROR_BAD_PARAMETERS (or GENERIC) before the TA sees it, while a
 * reference to the last byte must reach the TA and succeed. Finally the
 * process closes its session, frees the registration and exits, and
 * everything (shm, buffer, TZC windows, files, kernel memory) must be back.
 *
 * The flow is one task, a state machine with one step per action, whose
 * TEE calls complete asynchronously, so it interleaves with everything else
 * the machine runs. The data comes from the scenario's own PRNG seeded from
 * the run's seed: it involves no choice, so it stays out of sim_choose() and
 * a seed means the same data under every strategy. docs/scenarios.md,
 * "sdp", describes the flow, the checks and the report.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/protected_heap.h>
#include <secsoc/slab.h>
#include <secsoc/tee_shm.h>

#include "scenarios/checker.h"
#include "scenarios/scenario.h"

#define SDP_HEAP "protected,secure-video"
#define SDP_HEAP_NODE "/dev/dma_heap/" SDP_HEAP
#define SDP_SIZE 17000u			/* regression 1014's buffer size */
#define SDP_LOOPS 10u
#define SDP_OFFSET_MAX 255u		/* offsets are one random byte */
#define SDP_DATA (SDP_SIZE - SDP_OFFSET_MAX)	/* bytes per loop */
#define SDP_OOB_CASES 6u
#define SDP_SALT 0x7364702d6c6f6f70ULL	/* "sdp-loop": the data's seed from the run's */

#define GOAL_KEPT "sdp: the TEE kept the buffer alive after its fd was closed"
#define GOAL_OFFSET "sdp: a loop used a non-zero offset into the buffer"
#define GOAL_REFUSED "sdp: an out-of-bounds memref was refused before the TA"
#define GOAL_LAST_BYTE "sdp: a memref to the buffer's last byte reached the TA"

enum sdp_stage {
	SDP_OPEN_HEAP, SDP_ALLOC, SDP_REGISTER, SDP_CLOSE_FD, SDP_OPEN_SESSION,
	SDP_INJECT, SDP_TRANSFORM, SDP_DUMP, SDP_VERIFY,	/* one loop, in this order */
	SDP_OOB, SDP_CLOSE_SESSION, SDP_RELEASE, SDP_DONE,
};

static const char *const sdp_stage_names[] = {
	"open heap", "allocate", "register", "close fd", "open session", "inject",
	"transform", "dump", "verify", "out-of-bounds", "close session", "release", "done",
};
_Static_assert(ARRAY_SIZE(sdp_stage_names) == SDP_DONE + 1, "a name per stage");

/* An out-of-bounds sub-case: [offset, offset + len) of the registered buffer. */
struct sdp_oob_case {
	const char *what;
	bool valid;		/* inside the buffer: reaches the TA and succeeds */
	bool from_end;		/* @offset counts from the buffer's size */
	s64 offset;
	u64 len;
};

static const struct sdp_oob_case sdp_oob_cases[SDP_OOB_CASES] = {
	{ "last byte", true, true, -1, 1 },
	{ "1 byte past the end", false, true, -1, 2 },
	{ "4 KiB past the end", false, true, -1, 5000 },
	{ "offset at the size", false, true, 0, 1 },
	{ "offset at the size, 4 KiB", false, true, 0, 4096 },
	{ "offset + length wraps", false, false, 2, ~0ULL },
};

struct sdp_oob_result {
	u64 offset, len;
	bool done;
	bool posted;		/* the driver sent it to the secure world */
	u32 ret, origin;
	u64 reached;		/* TA invocations it caused */
	bool ok;
};

struct sdp_loop {
	u32 offset;
	u32 wrong;		/* bytes that were not (u8)(~ref + 1) */
	u32 first_wrong;
};


struct sdp {
	struct machine *m;
	struct cpu_task task;
	bool task_added;
	enum sdp_stage stage;
	bool waiting;			/* a TEE call is in flight */
	bool failed;			/* an always() failed: the flow stopped */
	struct prng prng;
	struct process proc;
	u64 uarg;			/* user memory for the ioctl argument */
	int heap_fd, buf_fd;
	struct tee_context *ctx;
	struct tee_shm *shm;
	u64 shm_size;			/* what the TEE reports for the buffer */
	bool kept_alive;
	struct tee_ioctl_open_session_arg open_arg;
	bool session_open;
	/*
	 * The client's side: shared memory of the TEE client library
	 * (TEEC_AllocateSharedMemory: driver memory the process maps), here
	 * kernel memory that the process's CPU reads and writes through the
	 * bus. Normal memory: the TA checks it is.
	 */
	u8 *nw_in, *nw_out;
	struct tee_ioctl_invoke_arg arg;
	struct tee_param p[TEE_NUM_PARAMS];
	unsigned int loop;
	struct sdp_loop loops[SDP_LOOPS];
	u8 ref[SDP_DATA], out[SDP_DATA];
	u64 bytes_verified;
	unsigned int oob;		/* the next out-of-bounds case */
	u64 ta_before;			/* TA invocations when it was submitted */
	struct sdp_oob_result oob_res[SDP_OOB_CASES];
	struct checker chk;		/* invariants 4-7, the leaks included */
	bool chk_attached;
	u64 bufs_registered;		/* live dma-bufs once the shm holds the buffer */
};

static struct tee_sdp_stats sdp_ta(const struct sdp *s)
{
	return tee_sdp_stats(&s->m->tee);
}

/* An always() just failed: the run stops; the task does nothing more. */
static void sdp_abandon(struct sdp *s)
{
	s->failed = true;
	s->stage = SDP_DONE;
}

static u64 sdp_pa(const void *kbuf)
{
	return virt_to_phys((void *)kbuf);
}

static struct tee_param sdp_ref_pa(u64 attr, u64 pa, u64 size)
{
	return (struct tee_param){ .attr = attr, .u.memref = { .pa = pa, .size = size } };
}

static struct tee_param sdp_ref_shm(const struct sdp *s, u64 attr, u64 offset, u64 size)
{
	return (struct tee_param){ .attr = attr,
				   .u.memref = { .shm = s->shm, .offset = offset, .size = size } };
}

/*
 * Invoke @func with s->p[0 .. @nr - 1]. A call the driver refuses completes
 * at once with the code it left in the arg (TEE_ERROR_COMMUNICATION from
 * TEE_ORIGIN_COMMS if it left none).
 */
static void sdp_invoke(struct sdp *s, u32 func, unsigned int nr, tee_client_done_t done)
{
	s->arg = (struct tee_ioctl_invoke_arg){ .func = func, .session = s->open_arg.session,
		.num_params = nr, .ret = TEE_ERROR_COMMUNICATION,
		.ret_origin = TEE_ORIGIN_COMMS };
	s->waiting = true;
	if (tee_client_invoke_func(s->ctx, &s->arg, s->p, done, s))
		done(s, s->arg.ret);
}

/* ---- setting the buffer up ---- */

static void sdp_open_heap(struct sdp *s)
{
	s->heap_fd = sys_open(&s->proc, SDP_HEAP_NODE, O_RDWR);
	always(s->heap_fd >= 0, "sdp: open(%s) failed: %d", SDP_HEAP_NODE, s->heap_fd);
	if (s->heap_fd < 0)
		sdp_abandon(s);
	else
		s->stage = SDP_ALLOC;
}

/* DMA_HEAP_IOCTL_ALLOC through the process's own memory, then the heap's fd goes. */
static void sdp_alloc(struct sdp *s)
{
	struct dma_heap_allocation_data data = { .len = SDP_SIZE,
						 .fd_flags = O_RDWR | O_CLOEXEC };
	long ret = process_write(&s->proc, s->uarg, &data, sizeof(data));

	if (!ret)
		ret = sys_ioctl(&s->proc, s->heap_fd, DMA_HEAP_IOCTL_ALLOC, s->uarg);
	if (!ret)
		ret = process_read(&s->proc, s->uarg, &data, sizeof(data));
	sys_close(&s->proc, s->heap_fd);
	s->heap_fd = -1;
	always(ret == 0, "sdp: DMA_HEAP_IOCTL_ALLOC of %u bytes from %s failed: %ld", SDP_SIZE,
	       SDP_HEAP, ret);
	if (ret) {
		sdp_abandon(s);
		return;
	}
	s->buf_fd = (int)data.fd;
	s->stage = SDP_REGISTER;
}

static void sdp_register(struct sdp *s)
{
	struct tee_shm *shm = tee_shm_register_fd(s->ctx, &s->proc, s->buf_fd, 0);

	always(!IS_ERR(shm), "sdp: the TEE refused to register the buffer's fd: %ld",
	       PTR_ERR(shm));
	if (IS_ERR(shm)) {
		sdp_abandon(s);
		return;
	}
	s->shm = shm;
	s->shm_size = tee_shm_get_size(shm);
	s->bufs_registered = dma_buf_stats().live;
	s->stage = SDP_CLOSE_FD;
}

/* The regression closes the dma-buf fd right away: the registration must keep the buffer. */
static void sdp_close_fd(struct sdp *s)
{
	int ret = sys_close(&s->proc, s->buf_fd);

	s->buf_fd = -1;
	s->kept_alive = !ret && dma_buf_stats().live == s->bufs_registered;
	sometimes(s->kept_alive, GOAL_KEPT);
	always(s->kept_alive, "sdp: closing the registered buffer's fd (%d) released it", ret);
	if (s->kept_alive)
		s->stage = SDP_OPEN_SESSION;
	else
		sdp_abandon(s);
}

static void sdp_opened(void *data, u32 ret)
{
	struct sdp *s = data;

	s->waiting = false;
	always(ret == TEE_SUCCESS, "sdp: the SDP TA refused a session: 0x%x (origin %u)", ret,
	       s->open_arg.ret_origin);
	s->session_open = ret == TEE_SUCCESS;
	if (ret != TEE_SUCCESS)
		sdp_abandon(s);
	else
		s->stage = SDP_INJECT;
}

static void sdp_open_session(struct sdp *s)
{
	static const u8 uuid[16] = TEE_SDP_TA_UUID;

	memset(&s->open_arg, 0, sizeof(s->open_arg));
	memcpy(s->open_arg.uuid, uuid, sizeof(uuid));
	s->waiting = true;
	if (tee_client_open_session(s->ctx, &s->open_arg, NULL, sdp_opened, s))
		sdp_opened(s, TEE_ERROR_COMMUNICATION);
}

/* ---- the loops ---- */

/* INJECT, TRANSFORM and DUMP of a loop came back: each must succeed in the TA. */
static void sdp_cmd_done(void *data, u32 ret)
{
	struct sdp *s = data;
	bool ok = ret == TEE_SUCCESS && s->arg.ret_origin == TEE_ORIGIN_TRUSTED_APP;

	s->waiting = false;
	always(ok, "sdp: loop %u: %s answered 0x%x from origin %u", s->loop,
	       sdp_stage_names[s->stage], ret, s->arg.ret_origin);
	if (!ok)
		sdp_abandon(s);
	else
		s->stage++;
}

/* Fresh data, written by the process; its first byte is the loop's offset. */
static void sdp_inject(struct sdp *s)
{
	struct sdp_loop *l = &s->loops[s->loop];

	for (u32 i = 0; i < SDP_DATA; i += 8) {
		u64 v = prng_next(&s->prng);

		memcpy(s->ref + i, &v, MIN(8u, SDP_DATA - i));
	}
	l->offset = s->ref[0];
	sometimes(l->offset != 0, GOAL_OFFSET);
	cpu_write(s->proc.cpu, sdp_pa(s->nw_in), s->ref, SDP_DATA);
	s->p[0] = sdp_ref_pa(TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, sdp_pa(s->nw_in), SDP_DATA);
	s->p[1] = sdp_ref_shm(s, TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT, l->offset, SDP_DATA);
	sdp_invoke(s, TEE_SDP_CMD_INJECT, 2, sdp_cmd_done);
}

static void sdp_transform(struct sdp *s)
{
	s->p[0] = sdp_ref_shm(s, TEE_PARAM_ATTR_TYPE_MEMREF_INOUT, s->loops[s->loop].offset,
			      SDP_DATA);
	sdp_invoke(s, TEE_SDP_CMD_TRANSFORM, 1, sdp_cmd_done);
}

static void sdp_dump(struct sdp *s)
{
	s->p[0] = sdp_ref_shm(s, TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, s->loops[s->loop].offset,
			      SDP_DATA);
	s->p[1] = sdp_ref_pa(TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT, sdp_pa(s->nw_out), SDP_DATA);
	sdp_invoke(s, TEE_SDP_CMD_DUMP, 2, sdp_cmd_done);
}

/* The process reads the dump through the bus and checks every byte. */
static void sdp_verify(struct sdp *s)
{
	struct sdp_loop *l = &s->loops[s->loop];

	cpu_read(s->proc.cpu, sdp_pa(s->nw_out), s->out, SDP_DATA);
	for (u32 i = 0; i < SDP_DATA; i++) {
		if (s->out[i] == (u8)(~s->ref[i] + 1))
			continue;
		if (!l->wrong++)
			l->first_wrong = i;
	}
	always(!l->wrong, "sdp: loop %u (offset %u): %u of %u dumped bytes are not (u8)(~b + 1) "
	       "of the injected ones, the first at byte %u: 0x%02x for 0x%02x", s->loop,
	       l->offset, l->wrong, SDP_DATA, l->first_wrong, s->out[l->first_wrong],
	       s->ref[l->first_wrong]);
	if (l->wrong) {
		sdp_abandon(s);
		return;
	}
	s->bytes_verified += SDP_DATA;
	s->stage = ++s->loop < SDP_LOOPS ? SDP_INJECT : SDP_OOB;
}

/* ---- the out-of-bounds memrefs ---- */

static bool sdp_oob_expected(const struct sdp_oob_case *c, const struct sdp_oob_result *r)
{
	if (c->valid)
		return r->ret == TEE_SUCCESS && r->origin == TEE_ORIGIN_TRUSTED_APP &&
		       r->reached == 1;
	return (r->ret == TEE_ERROR_BAD_PARAMETERS || r->ret == TEE_ERROR_GENERIC) &&
	       r->origin != TEE_ORIGIN_TRUSTED_APP && r->reached == 0;
}

static void sdp_oob_done(void *data, u32 ret)
{
	struct sdp *s = data;
	const struct sdp_oob_case *c = &sdp_oob_cases[s->oob];
	struct sdp_oob_result *r = &s->oob_res[s->oob];

	s->waiting = false;
	r->done = true;
	r->ret = ret;
	r->origin = s->arg.ret_origin;
	r->reached = tee_sdp_invocations(sdp_ta(s)) - s->ta_before;
	r->ok = sdp_oob_expected(c, r);
	sometimes(!c->valid && r->ok, GOAL_REFUSED);
	sometimes(c->valid && r->ok, GOAL_LAST_BYTE);
	always(r->ok, "sdp: out-of-bounds case \"%s\" (offset 0x%" PRIx64 ", length 0x%" PRIx64
	       " of a 0x%" PRIx64 "-byte buffer): 0x%x from origin %u, %" PRIu64 " TA invocations;"
	       " expected %s", c->what, r->offset, r->len, s->shm_size, r->ret, r->origin,
	       r->reached, c->valid ? "TEE_SUCCESS from the TA" :
	       "TEE_ERROR_BAD_PARAMETERS or GENERIC before the TA");
	if (!r->ok)
		sdp_abandon(s);
	else
		s->stage = ++s->oob < SDP_OOB_CASES ? SDP_OOB : SDP_CLOSE_SESSION;
}

/* INJECT into [offset, offset + len) of the buffer, as invoke_out_of_bounds() does. */
static void sdp_oob(struct sdp *s)
{
	const struct sdp_oob_case *c = &sdp_oob_cases[s->oob];
	struct sdp_oob_result *r = &s->oob_res[s->oob];

	r->offset = (c->from_end ? s->shm_size : 0) + (u64)c->offset;
	r->len = c->len;
	s->ta_before = tee_sdp_invocations(sdp_ta(s));
	s->p[0] = sdp_ref_pa(TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, sdp_pa(s->nw_in),
			     MIN(r->len, (u64)SDP_SIZE));
	s->p[1] = sdp_ref_shm(s, TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT, r->offset, r->len);
	sdp_invoke(s, TEE_SDP_CMD_INJECT, 2, sdp_oob_done);
	r->posted = s->waiting;	/* a refusal by the driver has completed already */
}

/* ---- the end ---- */

static void sdp_closed(void *data, u32 ret)
{
	struct sdp *s = data;

	s->waiting = false;
	always(ret == TEE_SUCCESS, "sdp: closing the session failed: 0x%x", ret);
	s->session_open = ret != TEE_SUCCESS;
	if (ret != TEE_SUCCESS)
		sdp_abandon(s);
	else
		s->stage = SDP_RELEASE;
}

static void sdp_close_session(struct sdp *s)
{
	s->waiting = true;
	if (tee_client_close_session(s->ctx, s->open_arg.session, sdp_closed, s))
		sdp_closed(s, TEE_ERROR_COMMUNICATION);
}

/*
 * Give back whatever is still held. With a call in flight (a run stopped
 * by a violation) the shm is freed, which the call's own reference keeps
 * alive, but the client memory and the context stay: the TEE may still
 * write into them; the kernel's shutdown takes them back.
 */
static void sdp_release(struct sdp *s)
{
	tee_shm_free(s->shm);
	s->shm = NULL;
	if (!s->waiting) {
		kfree(s->nw_in);
		kfree(s->nw_out);
		s->nw_in = s->nw_out = NULL;
	}
	if (!s->waiting && !s->session_open && s->ctx)
		tee_client_close_context(s->ctx);
	if (!s->waiting && !s->session_open)
		s->ctx = NULL;
	if (s->proc.live)
		process_exit(&s->proc);
	if (s->stage == SDP_RELEASE)
		s->stage = SDP_DONE;
}

/* ---- the task ---- */

static bool sdp_runnable(struct cpu_task *t)
{
	const struct sdp *s = t->priv;

	return !s->waiting && s->stage != SDP_DONE;
}

static bool sdp_run(struct cpu_task *t)
{
	static void (*const steps[])(struct sdp *s) = {
		[SDP_OPEN_HEAP] = sdp_open_heap, [SDP_ALLOC] = sdp_alloc,
		[SDP_REGISTER] = sdp_register, [SDP_CLOSE_FD] = sdp_close_fd,
		[SDP_OPEN_SESSION] = sdp_open_session, [SDP_INJECT] = sdp_inject,
		[SDP_TRANSFORM] = sdp_transform, [SDP_DUMP] = sdp_dump,
		[SDP_VERIFY] = sdp_verify, [SDP_OOB] = sdp_oob,
		[SDP_CLOSE_SESSION] = sdp_close_session, [SDP_RELEASE] = sdp_release,
	};
	struct sdp *s = t->priv;

	steps[s->stage](s);
	return s->stage == SDP_DONE;
}

/* ---- the scenario ---- */

/* The machine must offer the heap and the TEE client; the test TA is installed. */
static int sdp_machine(struct sdp *s, struct secsoc_error *err)
{
	struct machine *m = s->m;
	struct dma_heap *heap;

	if (!m->has_tee)
		return input_error(err, "%s: the sdp scenario needs a secure world (a secsoc,tee "
				   "node), which the board lacks", m->dt->source);
	heap = dma_heap_find(SDP_HEAP);
	if (!heap)
		return input_error(err, "%s: the sdp scenario needs the %s heap, which the TEE "
				   "driver offers when the secure firmware has a protected-memory "
				   "service", m->dt->source, SDP_HEAP);
	dma_heap_put(heap);
	s->ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	if (IS_ERR(s->ctx)) {
		s->ctx = NULL;
		return input_error(err, "%s: the sdp scenario needs the TEE driver bound to the "
				   "secure world's node", m->dt->source);
	}
	tee_sdp_install(&m->tee);
	return 0;
}

static int sdp_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	struct sdp *s = state;
	int ret;

	s->m = m;
	s->heap_fd = s->buf_fd = -1;
	ret = checker_attach(&s->chk, m, err);
	if (ret)
		return ret;
	s->chk_attached = true;
	ret = sdp_machine(s, err);
	if (ret)
		return ret;
	prng_seed(&s->prng, sim_seed(m->sim) ^ SDP_SALT);
	if (process_init(&s->proc, "xtest", &m->soc->cpus[0]))
		return internal_error(err, "sdp: cannot start the client process");
	s->uarg = process_alloc_user(&s->proc, PAGE_SIZE);
	s->nw_in = kzalloc(SDP_SIZE, GFP_KERNEL);
	s->nw_out = kzalloc(SDP_SIZE, GFP_KERNEL);
	if (!s->uarg || !s->nw_in || !s->nw_out)
		return internal_error(err, "sdp: out of memory for the client's buffers");
	s->task = (struct cpu_task){ .name = "xtest-sdp", .runnable = sdp_runnable,
				     .run = sdp_run, .priv = s };
	cpu_add_task(s->proc.cpu, &s->task);
	s->task_added = true;
	sim_sometimes_declare(m->sim, GOAL_KEPT);
	sim_sometimes_declare(m->sim, GOAL_OFFSET);
	sim_sometimes_declare(m->sim, GOAL_REFUSED);
	sim_sometimes_declare(m->sim, GOAL_LAST_BYTE);
	return 0;
}

/* Invariant 7 for the flow: what it allocated is gone, in both worlds. */
static void sdp_check(struct machine *m, void *state)
{
	struct sdp *s = state;
	unsigned int oob_ok = 0;

	for (unsigned int i = 0; i < SDP_OOB_CASES; i++)
		oob_ok += s->oob_res[i].ok;
	always(s->stage == SDP_DONE && !s->failed, "sdp: the flow stopped at stage \"%s\" "
	       "(loop %u, out-of-bounds case %u)", sdp_stage_names[s->stage], s->loop, s->oob);
	always(s->loop == SDP_LOOPS && s->bytes_verified == (u64)SDP_LOOPS * SDP_DATA,
	       "sdp: %u of %u loops verified", s->loop, SDP_LOOPS);
	always(oob_ok == SDP_OOB_CASES, "sdp: %u of %u out-of-bounds cases as expected", oob_ok,
	       SDP_OOB_CASES);
	always(!s->proc.live, "sdp: the client process did not exit");
	checker_judge(&s->chk);
}

/* ---- the report ---- */

static const char *sdp_ret_name(u32 ret)
{
	switch (ret) {
	case TEE_SUCCESS: return "TEE_SUCCESS";
	case TEE_ERROR_GENERIC: return "TEE_ERROR_GENERIC";
	case TEE_ERROR_ACCESS_DENIED: return "TEE_ERROR_ACCESS_DENIED";
	case TEE_ERROR_BAD_PARAMETERS: return "TEE_ERROR_BAD_PARAMETERS";
	case TEE_ERROR_NOT_SUPPORTED: return "TEE_ERROR_NOT_SUPPORTED";
	case TEE_ERROR_COMMUNICATION: return "TEE_ERROR_COMMUNICATION";
	default: return "other";
	}
}

static const char *sdp_origin_name(u32 origin)
{
	static const char *const names[] = { "none", "api", "comms", "tee", "trusted_app" };

	return origin < ARRAY_SIZE(names) ? names[origin] : "other";
}

static void sdp_report_loops(const struct sdp *s, struct report *r)
{
	report_list_begin(r, "loops");
	for (unsigned int i = 0; i < s->loop && i < SDP_LOOPS; i++) {
		report_row_begin(r);
		report_u64(r, "loop", i);
		report_u64(r, "offset", s->loops[i].offset);
		report_u64(r, "bytes", SDP_DATA);
		report_u64(r, "wrong", s->loops[i].wrong);
		report_row_end(r);
	}
	report_list_end(r);
}

static void sdp_report_oob(const struct sdp *s, struct report *r)
{
	report_list_begin(r, "out_of_bounds");
	for (unsigned int i = 0; i < SDP_OOB_CASES; i++) {
		const struct sdp_oob_case *c = &sdp_oob_cases[i];
		const struct sdp_oob_result *res = &s->oob_res[i];

		report_row_begin(r);
		report_str(r, "case", c->what);
		report_hex(r, "offset", res->offset);
		report_hex(r, "len", res->len);
		report_str(r, "expected", c->valid ? "TEE_SUCCESS from trusted_app" :
			   "TEE_ERROR_BAD_PARAMETERS|GENERIC, not from trusted_app");
		report_str(r, "ret", res->done ? sdp_ret_name(res->ret) : NULL);
		report_hex(r, "ret_code", res->ret);
		report_str(r, "origin", res->done ? sdp_origin_name(res->origin) : NULL);
		report_bool(r, "sent_to_tee", res->posted);
		report_u64(r, "ta_invocations", res->reached);
		report_bool(r, "as_expected", res->ok);
		report_row_end(r);
	}
	report_list_end(r);
}

static void sdp_report_ta(const struct sdp *s, struct report *r)
{
	struct tee_sdp_stats st = sdp_ta(s);

	report_section_begin(r, "ta");
	report_u64(r, "inject", st.invoked[TEE_SDP_CMD_INJECT]);
	report_u64(r, "transform", st.invoked[TEE_SDP_CMD_TRANSFORM]);
	report_u64(r, "dump", st.invoked[TEE_SDP_CMD_DUMP]);
	report_u64(r, "unknown", st.unknown);
	report_u64(r, "succeeded", st.done);
	report_u64(r, "refused", st.refused);
	report_u64(r, "bytes", st.bytes);
	report_section_end(r);
}

/* The sub-cases of regression 1014 and which of them the model runs. */
static void sdp_report_subcases(const struct sdp *s, struct report *r)
{
	static const char *const not_modelled[] = {
		"SDP TA invokes a SDP TA", "SDP TA invokes a test pTA",
		"NSec CA invokes a test pTA (should fail)",
	};
	unsigned int oob_ok = 0;

	for (unsigned int i = 0; i < SDP_OOB_CASES; i++)
		oob_ok += s->oob_res[i].ok;
	report_list_begin(r, "subcases");
	report_row_begin(r);
	report_str(r, "case", "NonSecure client invokes a SDP TA");
	report_str(r, "result", s->loop == SDP_LOOPS ? "pass" : "FAIL");
	report_row_end(r);
	report_row_begin(r);
	report_str(r, "case", "Invoke TA with out of bounds SDP memref");
	report_str(r, "result", oob_ok == SDP_OOB_CASES ? "pass" : "FAIL");
	report_row_end(r);
	for (unsigned int i = 0; i < ARRAY_SIZE(not_modelled); i++) {
		report_row_begin(r);
		report_str(r, "case", not_modelled[i]);
		report_str(r, "result", "not modelled");
		report_row_end(r);
	}
	report_list_end(r);
}

static void sdp_report(struct machine *m, void *state, struct report *r)
{
	const struct sdp *s = state;
	report_str(r, "heap", SDP_HEAP);
	report_u64(r, "requested_size", SDP_SIZE);
	report_u64(r, "buffer_size", s->shm_size);
	report_bool(r, "kept_alive_after_close", s->kept_alive);
	report_u64(r, "loops_planned", SDP_LOOPS);
	report_u64(r, "loops_verified", s->loop);
	report_u64(r, "bytes_verified", s->bytes_verified);
	sdp_report_loops(s, r);
	sdp_report_oob(s, r);
	sdp_report_ta(s, r);
	sdp_report_subcases(s, r);
	report_bool(r, "process_exited", !s->proc.live);
	checker_report(&s->chk, r);
}

/* A run stopped half-way (a violation): release what is safe, unhook the task. */
static void sdp_teardown(struct machine *m, void *state)
{
	struct sdp *s = state;

	if (s->heap_fd >= 0 && s->proc.live)
		sys_close(&s->proc, s->heap_fd);
	sdp_release(s);
	if (s->task_added && !s->task.finished)
		list_del_init(&s->task.node);
	if (s->chk_attached)
		checker_detach(&s->chk);
}

const struct scenario scenario_sdp = {
	.name = "sdp",
	.summary = "OP-TEE SDP regression 1014: inject, transform and dump through the SDP TA "
		   "in a registered protected buffer; out-of-bounds memrefs refused",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct sdp),
	.setup = sdp_setup,
	.check = sdp_check,
	.report = sdp_report,
	.teardown = sdp_teardown,
};
