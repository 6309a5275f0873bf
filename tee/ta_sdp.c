/*
 * ta_sdp.c - the SDP test trusted application (include/secsoc/tee_sdp.h),
 * after optee_test's ta/sdp_basic: INJECT copies a client's data from
 * normal memory into a protected (SDP) buffer, TRANSFORM rewrites the
 * protected bytes in place, DUMP copies them back out into normal memory.
 * Before it touches anything it checks, as TEE_CheckMemoryAccessRights()
 * with SECURE and NONSECURE does, that every byte of the SDP reference is
 * protected memory and every byte of the client's is normal memory.
 *
 * It runs as a task on the secure CPU, one command at a time (the TEE core
 * queues the others). A command's checks and its work run in the same step
 * of that task, so no protected-memory assign or release can come between
 * them (no time-of-check/time-of-use window). The secure CPU moves the
 * bytes through the bus in TEE_COPY_CHUNK pieces, at a modelled cost per
 * byte. It owns the TA's counters; docs/tee.md, "The SDP test TA", has the
 * rules and the return codes.
 */
#include "tee/tee_internal.h"

/*
 * Modelled cost (docs/timing.md): a copy runs at the secure CPU's 4 GB/s,
 * as the TEE core's copies do; the transform is a load, negate, store loop
 * over bytes, at half that rate.
 */
#define SDP_COPY_PS_PER_BYTE 250
#define SDP_TRANSFORM_PS_PER_BYTE 500

/* A command's exact parameter types, and which memrefs are the SDP buffer. */
struct sdp_cmd {
	u64 attr[TEE_NUM_PARAMS];	/* the rest NONE */
	unsigned int nr_refs;		/* memrefs: params 0 .. nr_refs - 1 */
	bool sdp[2];			/* that memref must be protected, else normal, memory */
};

static const struct sdp_cmd sdp_cmds[TEE_SDP_CMDS] = {
	[TEE_SDP_CMD_INJECT] = {
		.attr = { TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT },
		.nr_refs = 2, .sdp = { false, true },
	},
	[TEE_SDP_CMD_TRANSFORM] = {
		.attr = { TEE_PARAM_ATTR_TYPE_MEMREF_INOUT },
		.nr_refs = 1, .sdp = { true },
	},
	[TEE_SDP_CMD_DUMP] = {
		.attr = { TEE_PARAM_ATTR_TYPE_MEMREF_INPUT, TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT },
		.nr_refs = 2, .sdp = { true, false },
	},
};

struct tee_sdp_stats tee_sdp_stats(const struct tee *t)
{
	return t->sdp.stats;
}

void tee_sdp_install(struct tee *t)
{
	t->sdp.installed = true;
}

/* ---- checking a command (nothing is read or written before all of it passed) ---- */

static bool sdp_ref_allowed(const struct tee *t, const struct tee_msg_param *p, bool sdp)
{
	return sdp ? tee_range_protected(t, p->a, p->b) : tee_range_normal(t, p->a, p->b);
}

/*
 * In this order: the command is known (TEE_ERROR_NOT_SUPPORTED); the
 * parameter types are exactly the command's, the data is 1..TEE_SDP_BYTES_MAX
 * bytes and an output at least as large (TEE_ERROR_BAD_PARAMETERS); every
 * memref lies wholly in the memory it must (TEE_ERROR_ACCESS_DENIED).
 */
static u32 sdp_check(const struct tee *t, const struct tee_msg_arg *m)
{
	const struct tee_msg_param *p = m->params;
	const struct sdp_cmd *cmd;

	if (m->func >= TEE_SDP_CMDS)
		return TEE_ERROR_NOT_SUPPORTED;
	cmd = &sdp_cmds[m->func];
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++)
		if (p[i].attr != cmd->attr[i])
			return TEE_ERROR_BAD_PARAMETERS;
	if (!p[0].b || p[0].b > TEE_SDP_BYTES_MAX || (cmd->nr_refs == 2 && p[1].b < p[0].b))
		return TEE_ERROR_BAD_PARAMETERS;
	for (unsigned int i = 0; i < cmd->nr_refs; i++)
		if (!sdp_ref_allowed(t, &p[i], cmd->sdp[i]))
			return TEE_ERROR_ACCESS_DENIED;
	return TEE_SUCCESS;
}

/* ---- the work ---- */

/*
 * @len bytes from @src to @dst by the secure CPU, through its copy buffer;
 * @transform: each byte b becomes (u8)(~b + 1) on the way (@dst == @src).
 */
static void sdp_move(struct tee *t, u64 dst, u64 src, u32 len, bool transform)
{
	u64 ps = transform ? SDP_TRANSFORM_PS_PER_BYTE : SDP_COPY_PS_PER_BYTE;

	cpu_add_cost(t->cpu, (u64)len * ps / 1000);
	for (u32 done = 0; done < len; done += TEE_COPY_CHUNK) {
		u32 n = MIN(len - done, TEE_COPY_CHUNK);

		cpu_read(t->cpu, src + done, t->copy_buf, n);
		for (u32 i = 0; transform && i < n; i++)
			t->copy_buf[i] = (u8)(~t->copy_buf[i] + 1);
		cpu_write(t->cpu, dst + done, t->copy_buf, n);
	}
}

/* The command in hand: check it, do it, answer it, all in this step. */
static void sdp_execute(struct tee *t)
{
	struct ta_sdp *s = &t->sdp;
	struct tee_call *call = s->call;
	const struct tee_msg_arg *m = &call->msg;
	u32 ret = sdp_check(t, m);

	if (ret == TEE_SUCCESS) {
		bool transform = m->func == TEE_SDP_CMD_TRANSFORM;
		u32 len = (u32)m->params[0].b;

		sdp_move(t, transform ? m->params[0].a : m->params[1].a, m->params[0].a, len,
			 transform);
		s->stats.done++;
		s->stats.bytes += len;
	} else {
		s->stats.refused++;
	}
	s->call = NULL;	/* before tee_ta_done(), which may start the next command */
	tee_ta_done(t, call, ret);
}

/* ---- the TA's thread ---- */

static bool sdp_runnable(struct cpu_task *task)
{
	const struct tee *t = task->priv;

	return t->sdp.call != NULL;
}

static bool sdp_run(struct cpu_task *task)
{
	sdp_execute(task->priv);
	return false;	/* the TA's thread lives as long as the TEE */
}

/* ---- entry points ---- */

static bool sdp_installed(const struct tee *t)
{
	return t->sdp.installed;
}

static u32 sdp_open_session(struct tee *t, struct tee_session *s)
{
	return TEE_SUCCESS;
}

/* Every command that reaches the TA is counted, then handled by its thread. */
static u32 sdp_invoke(struct tee *t, struct tee_session *s, struct tee_call *call)
{
	struct ta_sdp *sdp = &t->sdp;
	u32 func = call->msg.func;

	if (func < TEE_SDP_CMDS)
		sdp->stats.invoked[func]++;
	else
		sdp->stats.unknown++;
	sdp->call = call;
	return TEE_PENDING;
}

static void sdp_close_session(struct tee *t, struct tee_session *s)
{
}

static void sdp_reset(struct tee *t)
{
	t->sdp.call = NULL;
}

const struct tee_ta_ops ta_sdp_ops = {
	.name = "sdp",
	.uuid = TEE_SDP_TA_UUID,
	.installed = sdp_installed,
	.open_session = sdp_open_session,
	.invoke = sdp_invoke,
	.close_session = sdp_close_session,
	.reset = sdp_reset,
};

void ta_sdp_init(struct tee *t)
{
	struct ta_sdp *s = &t->sdp;

	*s = (struct ta_sdp){ 0 };
	s->task = (struct cpu_task){ .name = "sdp-ta", .runnable = sdp_runnable, .run = sdp_run,
				     .priv = t };
	cpu_add_task(t->cpu, &s->task);
}
