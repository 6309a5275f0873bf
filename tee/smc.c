/*
 * smc.c - the secure monitor: the SMC calling convention (SMCCC fast and
 * yielding calls of the Trusted OS owner), the call slots that bound the
 * yielding calls in flight, and the completion notification back to the
 * calling normal-world CPU (docs/tee.md, "Calling convention").
 *
 * An SMC runs in the step of the normal-world CPU that executes it, as the
 * trap into EL3 would. Fast calls are answered there, the protected-memory
 * service's included (tee/protmem.c, which checks their registers). A
 * yielding call only has its registers checked and is posted: the TEE core
 * picks it up in a later step of the secure CPU, so neither world ever
 * waits on the other.
 */
#include <errno.h>

#include "tee/tee_internal.h"

#define TEE_SMC_FUNCTIONS 9	/* what CALLS_COUNT reports */

static void tee_call_notify_work(struct cpu_work *w);

void tee_smc_init(struct tee *t)
{
	INIT_LIST_HEAD(&t->posted);
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++) {
		struct tee_call *call = &t->calls[i];

		*call = (struct tee_call){ .t = t, .id = i };
		INIT_LIST_HEAD(&call->node);
		call->notify = (struct cpu_work){ .name = "tee-notify", .fn = tee_call_notify_work };
		INIT_LIST_HEAD(&call->notify.node);
	}
	t->notifier = NULL;
	t->notifier_ctx = NULL;
}

/* PROTMEM_INFO: a2 counts KiB (windows are whole 4 KiB granules), bits [31:0]. */
static void smc_protmem_info(const struct tee *t, struct arm_smccc_res *res)
{
	struct tee_protmem_info info;

	tee_protmem_info(t, &info);
	*res = (struct arm_smccc_res){ TEE_SUCCESS, info.regions_free, (u32)(info.bytes >> 10),
				       info.windows };
}

/* Fast calls; a1..a3 are the caller's, untrusted (the services check them). */
static void smc_fast(struct tee *t, u32 a0, u32 a1, u32 a2, u32 a3, struct arm_smccc_res *res)
{
	switch (a0) {
	case TEE_SMC_PROTMEM_ASSIGN:
		res->a0 = tee_protmem_assign(t, (u64)a1 << 32 | a2, a3);
		return;
	case TEE_SMC_PROTMEM_RELEASE:
		res->a0 = tee_protmem_release(t, (u64)a1 << 32 | a2, a3);
		return;
	case TEE_SMC_PROTMEM_INFO:
		smc_protmem_info(t, res);
		return;
	case TEE_SMC_GET_VERSION:
		*res = (struct arm_smccc_res){ TEE_SUCCESS, TEE_VERSION_MAJOR, TEE_VERSION_MINOR,
					       TEE_CALLS_MAX };
		return;
	case TEE_SMC_CALLS_COUNT:
		res->a0 = TEE_SMC_FUNCTIONS;
		return;
	case TEE_SMC_CALLS_UID:
		*res = (struct arm_smccc_res){ TEE_SMC_UID_0, TEE_SMC_UID_1, TEE_SMC_UID_2,
					       TEE_SMC_UID_3 };
		return;
	default:
		res->a0 = SMCCC_RET_NOT_SUPPORTED;
	}
}

static bool is_yielding(u32 a0)
{
	return a0 == TEE_SMC_OPEN_SESSION || a0 == TEE_SMC_INVOKE_COMMAND ||
	       a0 == TEE_SMC_CLOSE_SESSION;
}

static struct tee_call *call_alloc(struct tee *t)
{
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++)
		if (!t->calls[i].used)
			return &t->calls[i];
	return NULL;
}

/*
 * A yielding call: the message must be exactly one struct tee_msg_arg in
 * normal memory (never the secure world's own or protected memory, which
 * the secure side would otherwise read and overwrite on the caller's
 * behalf). Its contents are checked later, on the secure side's copy.
 */
static void smc_yielding(struct tee *t, struct cpu *caller, u32 a0, u64 pa, u32 len,
			 struct arm_smccc_res *res)
{
	struct tee_call *call;

	if (len != sizeof(struct tee_msg_arg) || !IS_ALIGNED(pa, 8) ||
	    !tee_range_normal(t, pa, len)) {
		sometimes(true, "tee: a yielding call with a bad message address or length");
		res->a0 = TEE_ERROR_BAD_PARAMETERS;
		return;
	}
	call = call_alloc(t);
	if (!call) {
		sometimes(true, "tee: every call slot in use");
		res->a0 = TEE_ERROR_BUSY;
		return;
	}
	call->used = true;
	call->func = a0;
	call->msg_pa = pa;
	call->caller = caller;
	call->session = NULL;
	list_add_tail(&call->node, &t->posted);
	cpu_queue_work(t->cpu, &t->entry);
	res->a0 = TEE_SUCCESS;
	res->a1 = call->id;
}

void tee_smc_call(struct soc *soc, struct cpu *caller, u32 a0, u32 a1, u32 a2, u32 a3,
		  struct arm_smccc_res *res)
{
	struct tee *t = tee_of_soc(soc);

	*res = (struct arm_smccc_res){ 0 };
	always(caller && !caller->secure, "an SMC from %s, which is not a normal-world CPU",
	       caller ? caller->name : "no CPU");
	if (!t) {
		res->a0 = SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	if (is_yielding(a0))
		smc_yielding(t, caller, a0, (u64)a1 << 32 | a2, a3, res);
	else
		smc_fast(t, a0, a1, a2, a3, res);
}

int tee_smc_set_notifier(struct soc *soc, void (*fn)(void *ctx, u32 call_id), void *ctx)
{
	struct tee *t = tee_of_soc(soc);

	if (!t)
		return -ENODEV;
	t->notifier = fn;
	t->notifier_ctx = fn ? ctx : NULL;
	return 0;
}

void tee_call_notify(struct tee *t, struct tee_call *call)
{
	always(call->used && list_empty(&call->node), "tee: notifying call %u twice", call->id);
	cpu_queue_work(call->caller, &call->notify);
}

/* On the caller's CPU: the slot is free before the normal world hears of it. */
static void tee_call_notify_work(struct cpu_work *w)
{
	struct tee_call *call = container_of(w, struct tee_call, notify);
	struct tee *t = call->t;

	call->used = false;
	if (t->notifier)
		t->notifier(t->notifier_ctx, call->id);
}

unsigned int tee_calls_in_flight(const struct tee *t)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++)
		n += t->calls[i].used;
	return n;
}
