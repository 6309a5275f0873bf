/*
 * tee_core.c - the TEE core on the secure CPU: it picks up the yielding
 * calls the monitor posted, copies each message into secure memory before
 * looking at it, runs OPEN_SESSION / INVOKE_COMMAND / CLOSE_SESSION against
 * the TA registry and the session table, gives each TA one command at a
 * time (the others wait in its queue), writes the result back and has the
 * monitor notify the caller. It also recovers from a TA panic
 * (docs/tee.md, "TEE core" and "Crash recovery").
 */
#include <string.h>

#include "tee/tee_internal.h"

#define TEE_COPY_PS_PER_BYTE 250	/* the secure CPU copies at 4 GB/s of modelled time */

static const struct tee_ta_ops *const tee_ta_registry[TEE_TAS_MAX] = {
	&ta_drm_ops,
	&ta_sdp_ops,
};

void tee_core_init(struct tee *t)
{
	memset(t->sessions, 0, sizeof(t->sessions));
	t->next_session_id = 0;
	for (unsigned int i = 0; i < TEE_TAS_MAX; i++) {
		t->tas[i] = (struct tee_ta_ctx){ 0 };
		INIT_LIST_HEAD(&t->tas[i].queue);
	}
	t->entry = (struct cpu_work){ .name = "tee-entry", .fn = tee_core_entry };
	INIT_LIST_HEAD(&t->entry.node);
}

/*
 * The result goes back into the caller's message, then the notification.
 * The caller presets ret to TEE_ERROR_COMMUNICATION, so a message the
 * secure side could not write back still reads as a failed call.
 */
static void call_complete(struct tee *t, struct tee_call *call, u32 ret, u32 origin)
{
	call->msg.ret = ret;
	call->msg.ret_origin = origin;
	if (tee_range_normal(t, call->msg_pa, sizeof(call->msg)))
		cpu_write(t->cpu, call->msg_pa, &call->msg, sizeof(call->msg));
	tee_call_notify(t, call);
}

/* ---- sessions ---- */

static struct tee_session *session_find(struct tee *t, u32 id)
{
	for (unsigned int i = 0; i < TEE_SESSIONS_MAX; i++)
		if (t->sessions[i].used && t->sessions[i].id == id)
			return &t->sessions[i];
	return NULL;
}

static bool session_dead(const struct tee *t, const struct tee_session *s)
{
	return s->generation != t->tas[s->ta].generation;
}

unsigned int tee_sessions_open(const struct tee *t)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < TEE_SESSIONS_MAX; i++)
		n += t->sessions[i].used;
	return n;
}

/* ---- the message ---- */

static bool attr_known(u64 attr)
{
	return attr <= TEE_PARAM_ATTR_TYPE_MEMREF_INOUT && attr != 4;
}

static bool attr_is_memref(u64 attr)
{
	return attr >= TEE_PARAM_ATTR_TYPE_MEMREF_INPUT;
}

/* The generic rules on the secure copy; a TA adds its own (e.g. protected output). */
static u32 check_msg(const struct tee *t, const struct tee_msg_arg *msg)
{
	if (msg->num_params > TEE_NUM_PARAMS || msg->reserved)
		return TEE_ERROR_BAD_PARAMETERS;
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++) {
		const struct tee_msg_param *p = &msg->params[i];

		if (!attr_known(p->attr) || (i >= msg->num_params && p->attr))
			return TEE_ERROR_BAD_PARAMETERS;
		if (!attr_is_memref(p->attr))
			continue;
		if (p->a + p->b < p->a)
			return TEE_ERROR_BAD_PARAMETERS;
		if (p->b && p->a < t->priv_base + t->priv_size && t->priv_base < p->a + p->b)
			return TEE_ERROR_ACCESS_DENIED;
	}
	return TEE_SUCCESS;
}

/* ---- the TAs' command queues ---- */

static void call_finished(struct tee *t, struct tee_call *call, u32 ret, u32 origin)
{
	struct tee_ta_ctx *ctx = &t->tas[call->session->ta];

	if (ctx->running == call)
		ctx->running = NULL;
	call->session->calls--;
	call_complete(t, call, ret, origin);
}

/* Start queued commands until one stays pending (or the queue is empty). */
static void ta_run_queue(struct tee *t, unsigned int ta)
{
	struct tee_ta_ctx *ctx = &t->tas[ta];

	while (!ctx->running && !list_empty(&ctx->queue)) {
		struct tee_call *call = list_first_entry(&ctx->queue, struct tee_call, node);
		u32 ret;

		list_del_init(&call->node);
		ctx->running = call;
		ret = tee_ta_registry[ta]->invoke(t, call->session, call);
		if (ret != TEE_PENDING)
			call_finished(t, call, ret, TEE_ORIGIN_TRUSTED_APP);
	}
}

void tee_ta_done(struct tee *t, struct tee_call *call, u32 ret)
{
	unsigned int ta = call->session->ta;

	always(t->tas[ta].running == call, "tee: call %u finished by a TA that was not running it",
	       call->id);
	call_finished(t, call, ret, TEE_ORIGIN_TRUSTED_APP);
	ta_run_queue(t, ta);
}

/*
 * A TA panicked in the middle of @call. The engine and the pipes are
 * recovered first (the lock must not outlive the TA), then the instance
 * dies: its command and every queued one return TEE_ERROR_TARGET_DEAD,
 * its sessions stay dead until closed, and the next open gets a new one.
 */
void tee_ta_panic(struct tee *t, struct tee_call *call)
{
	unsigned int ta = call->session->ta;
	struct tee_ta_ctx *ctx = &t->tas[ta];

	always(ctx->running == call, "tee: call %u panicked while not running", call->id);
	tee_bam_recover(t);
	ctx->generation++;
	tee_ta_registry[ta]->reset(t);
	call_finished(t, call, TEE_ERROR_TARGET_DEAD, TEE_ORIGIN_TEE);
	while (!list_empty(&ctx->queue)) {
		struct tee_call *q = list_first_entry(&ctx->queue, struct tee_call, node);

		list_del_init(&q->node);
		call_finished(t, q, TEE_ERROR_TARGET_DEAD, TEE_ORIGIN_TEE);
	}
	sometimes(true, "tee: a TA panicked and the TEE recovered");
}

/* ---- the three yielding calls ---- */

/* The registry entry for @uuid that this firmware has installed, or TEE_TAS_MAX. */
static unsigned int ta_lookup(const struct tee *t, const u8 *uuid)
{
	for (unsigned int ta = 0; ta < TEE_TAS_MAX; ta++) {
		const struct tee_ta_ops *ops = tee_ta_registry[ta];

		if (!memcmp(ops->uuid, uuid, sizeof(ops->uuid)) &&
		    (!ops->installed || ops->installed(t)))
			return ta;
	}
	return TEE_TAS_MAX;
}

static u32 core_open(struct tee *t, struct tee_call *call, u32 *origin)
{
	struct tee_session *s = NULL;
	unsigned int ta = ta_lookup(t, call->msg.uuid);
	u32 ret;

	if (ta == TEE_TAS_MAX)
		return TEE_ERROR_ITEM_NOT_FOUND;
	for (unsigned int i = 0; i < TEE_SESSIONS_MAX && !s; i++)
		if (!t->sessions[i].used)
			s = &t->sessions[i];
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*s = (struct tee_session){ .used = true, .id = ++t->next_session_id, .ta = ta,
				   .generation = t->tas[ta].generation };
	*origin = TEE_ORIGIN_TRUSTED_APP;
	ret = tee_ta_registry[ta]->open_session(t, s);
	if (ret != TEE_SUCCESS) {
		s->used = false;
		return ret;
	}
	call->msg.session = s->id;
	return TEE_SUCCESS;
}

/* Return: TEE_PENDING when the call went to its TA's queue. */
static u32 core_invoke(struct tee *t, struct tee_call *call)
{
	struct tee_session *s = session_find(t, call->msg.session);

	if (!s)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (session_dead(t, s))
		return TEE_ERROR_TARGET_DEAD;
	s->calls++;
	call->session = s;
	sometimes(t->tas[s->ta].running != NULL, "tee: an invoke waited for its TA");
	list_add_tail(&call->node, &t->tas[s->ta].queue);
	ta_run_queue(t, s->ta);
	return TEE_PENDING;
}

static u32 core_close(struct tee *t, struct tee_call *call)
{
	struct tee_session *s = session_find(t, call->msg.session);

	if (!s)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (s->calls)
		return TEE_ERROR_BUSY;	/* the client closes after its invokes completed */
	if (!session_dead(t, s))
		tee_ta_registry[s->ta]->close_session(t, s);
	s->used = false;
	return TEE_SUCCESS;
}

/* One posted call: copy its message into secure memory first, then look at it. */
static void core_dispatch(struct tee *t, struct tee_call *call)
{
	u32 origin = TEE_ORIGIN_TEE;
	u32 ret;

	if (!tee_range_normal(t, call->msg_pa, sizeof(call->msg))) {
		tee_call_notify(t, call);	/* protected since the SMC: not read, not written */
		return;
	}
	cpu_read(t->cpu, call->msg_pa, &call->msg, sizeof(call->msg));
	ret = check_msg(t, &call->msg);
	if (ret == TEE_SUCCESS && call->func == TEE_SMC_OPEN_SESSION)
		ret = core_open(t, call, &origin);
	else if (ret == TEE_SUCCESS && call->func == TEE_SMC_INVOKE_COMMAND)
		ret = core_invoke(t, call);
	else if (ret == TEE_SUCCESS)
		ret = core_close(t, call);
	if (ret != TEE_PENDING)
		call_complete(t, call, ret, origin);
}

void tee_core_entry(struct cpu_work *w)
{
	struct tee *t = container_of(w, struct tee, entry);

	while (!list_empty(&t->posted)) {
		struct tee_call *call = list_first_entry(&t->posted, struct tee_call, node);

		list_del_init(&call->node);
		core_dispatch(t, call);
	}
}

/* ---- a service for TAs ---- */

void tee_copy_to_protected(struct tee *t, u64 dst, u64 src, u32 len)
{
	always(tee_range_protected(t, dst, len) || len == 0,
	       "tee: a copy of %u bytes to 0x%llx, outside protected memory", len,
	       (unsigned long long)dst);
	cpu_add_cost(t->cpu, (u64)len * TEE_COPY_PS_PER_BYTE / 1000);
	for (u32 done = 0; done < len; done += TEE_COPY_CHUNK) {
		u32 n = MIN(len - done, TEE_COPY_CHUNK);

		cpu_read(t->cpu, src + done, t->copy_buf, n);
		cpu_write(t->cpu, dst + done, t->copy_buf, n);
	}
}
