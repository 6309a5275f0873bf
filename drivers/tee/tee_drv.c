/*
 * tee_drv.c - the normal world's TEE driver: it binds to the secsoc,tee
 * node, checks at probe with fast SMCs that the secure firmware is the one
 * it speaks to (UID, major version), and offers the client API of
 * include/secsoc/tee.h in the shapes of Linux's tee_client_* functions,
 * made asynchronous: each call is a struct tee_msg_arg in kernel memory,
 * passed by physical address in a yielding SMC; the secure world writes
 * the result back and its notification completes the call, in bottom-half
 * context on the CPU that made it (docs/tee.md, "The normal-world client").
 *
 * At probe it also offers the TEE's protected memory as dma-heaps, as
 * Linux's tee_device_register_dma_heap() does: the carve-out the secure
 * world's node points at (under that region's `secsoc,heap-name`, if it
 * has one) and `protected,secure-video` over the protected-memory service
 * (protected_heap.h); both go at remove. Clients register buffers of
 * those heaps as shared memory (tee_shm.h) and pass memory references by
 * shm and offset, which the driver checks and resolves before any SMC
 * (docs/heaps.md, "Registering a protected buffer with the TEE").
 *
 * It owns its contexts, shms, the messages and call records in flight (all
 * kmalloc'd, so the end-of-run leak check covers them), the table that
 * maps the secure world's call ids back to them, and its protected heaps.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/err.h>
#include <secsoc/kernel.h>
#include <secsoc/protected_heap.h>
#include <secsoc/slab.h>
#include <secsoc/tee.h>
#include <secsoc/tee_shm.h>

#define TEE_SECURE_VIDEO_HEAP "protected,secure-video"

struct tee_device {
	struct soc *soc;
	unsigned int nr_contexts;
	struct tee_client_call *calls[TEE_CALLS_MAX];	/* by the secure world's call id */
	struct tee_shm *shms[TEE_SHM_MAX];		/* live shms */
	int next_shm_id;
	struct protected_heap *carveout_heap;		/* NULL: the region names no heap */
	struct protected_heap *secure_video_heap;	/* NULL: no protected-memory service */
};

struct tee_context {
	struct tee_device *teedev;
	unsigned int sessions;		/* opened through it and not closed */
	unsigned int calls;		/* posted and not completed */
	unsigned int shms;		/* registered through it and not released */
};

/* A protected dma-buf registered with the TEE. */
struct tee_shm {
	struct tee_context *ctx;
	struct dma_buf *dmabuf;		/* the shm's own reference */
	phys_addr_t pa;
	u64 size;
	int id;
	unsigned int slot;		/* in teedev->shms */
	unsigned int refs;		/* the owner's, and one per call in flight naming it */
	bool freed;			/* the owner let go: no new call may name it */
};

/* One call between its SMC and its notification. */
struct tee_client_call {
	struct tee_context *ctx;
	u32 func;			/* the SMC function */
	struct tee_msg_arg *msg;	/* what the secure world reads and writes back */
	u32 *session, *ret, *ret_origin;	/* the caller's arg, updated at completion */
	struct tee_param *param;
	struct tee_shm *shms[TEE_NUM_PARAMS];	/* named by its memrefs: referenced */
	tee_client_done_t done;
	void *data;
};

static struct tee_shm_stats shm_stats;

extern const struct platform_driver secsoc_tee_driver;

/* Linux's arm_smccc_smc(): the SMC instruction on the CPU running this code. */
static void arm_smccc_smc(unsigned long a0, unsigned long a1, unsigned long a2,
			  unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6,
			  unsigned long a7, struct arm_smccc_res *res)
{
	struct kernel *k = kernel_current();
	struct cpu *c = cpu_current();

	if (!k) {	/* no kernel: no CPU to run the instruction on */
		*res = (struct arm_smccc_res){ .a0 = SMCCC_RET_NOT_SUPPORTED };
		return;
	}
	tee_smc_call(k->soc, c ? c : &k->soc->cpus[0], (u32)a0, (u32)a1, (u32)a2, (u32)a3, res);
}

/* ---- shared memory ---- */

/* Drop a reference; the last one unregisters the shm and lets the dma-buf go. */
static void shm_put(struct tee_shm *shm)
{
	struct tee_device *teedev = shm->ctx->teedev;

	if (--shm->refs)
		return;
	teedev->shms[shm->slot] = NULL;
	shm->ctx->shms--;
	dma_buf_put(shm->dmabuf);
	kfree(shm);
	shm_stats.live--;
	shm_stats.freed++;
}

/* Is @shm a live shm of @ctx? Looked up, never dereferenced before. */
static bool shm_usable(const struct tee_context *ctx, const struct tee_shm *shm)
{
	for (unsigned int i = 0; i < TEE_SHM_MAX; i++)
		if (ctx->teedev->shms[i] == shm)
			return shm->ctx == ctx && !shm->freed;
	return false;
}

/* Does [@offset, @offset + @size) lie inside the shm? Written so that nothing can wrap. */
static bool shm_range_ok(const struct tee_shm *shm, u64 offset, u64 size)
{
	return offset <= shm->size && size <= shm->size - offset;
}

struct tee_shm *tee_shm_register_dma_buf(struct tee_context *ctx, struct dma_buf *dmabuf)
{
	struct tee_device *teedev;
	struct tee_shm *shm;
	unsigned int slot = 0;
	phys_addr_t pa;
	u64 size;

	if (!ctx || !dmabuf || !protected_dma_buf_range(dmabuf, ctx->teedev, &pa, &size))
		return ERR_PTR(-EINVAL);
	teedev = ctx->teedev;
	while (slot < TEE_SHM_MAX && teedev->shms[slot])
		slot++;
	if (slot == TEE_SHM_MAX || teedev->next_shm_id == INT_MAX)	/* ids are never reused */
		return ERR_PTR(-ENOSPC);
	shm = kzalloc(sizeof(*shm), GFP_KERNEL);
	if (!shm)
		return ERR_PTR(-ENOMEM);
	get_dma_buf(dmabuf);
	*shm = (struct tee_shm){ .ctx = ctx, .dmabuf = dmabuf, .pa = pa, .size = size,
				 .id = ++teedev->next_shm_id, .slot = slot, .refs = 1 };
	teedev->shms[slot] = shm;
	ctx->shms++;
	shm_stats.live++;
	shm_stats.registered++;
	return shm;
}

struct tee_shm *tee_shm_register_fd(struct tee_context *ctx, struct process *p, int fd,
				    u32 flags)
{
	struct dma_buf *dmabuf;
	struct tee_shm *shm;

	if (flags || !ctx || !p)
		return ERR_PTR(-EINVAL);
	dmabuf = dma_buf_get(p, fd);
	if (IS_ERR(dmabuf))
		return ERR_PTR(PTR_ERR(dmabuf));
	shm = tee_shm_register_dma_buf(ctx, dmabuf);
	dma_buf_put(dmabuf);
	return shm;
}

void tee_shm_free(struct tee_shm *shm)
{
	if (IS_ERR_OR_NULL(shm) || WARN(shm->freed, "tee: shm %d freed twice", shm->id))
		return;
	shm->freed = true;
	shm_put(shm);
}

int tee_shm_get_id(const struct tee_shm *shm)
{
	return shm->id;
}

size_t tee_shm_get_size(const struct tee_shm *shm)
{
	return shm->size;
}

int tee_shm_get_pa(const struct tee_shm *shm, size_t offs, phys_addr_t *pa)
{
	if (offs >= shm->size)
		return -EINVAL;
	*pa = shm->pa + offs;
	return 0;
}

struct tee_shm_stats tee_shm_stats(void)
{
	return shm_stats;
}

/* ---- completion ---- */

static void params_from_msg(struct tee_param *param, const struct tee_msg_arg *msg)
{
	for (unsigned int i = 0; i < msg->num_params; i++) {
		const struct tee_msg_param *mp = &msg->params[i];
		struct tee_param *p = &param[i];

		if (p->attr == TEE_PARAM_ATTR_TYPE_VALUE_OUTPUT ||
		    p->attr == TEE_PARAM_ATTR_TYPE_VALUE_INOUT)
			p->u.value = (struct tee_param_value){ mp->a, mp->b, mp->c };
		else if (p->attr == TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT ||
			 p->attr == TEE_PARAM_ATTR_TYPE_MEMREF_INOUT)
			p->u.memref.size = mp->b;
	}
}

/* A call record and its message go; so do its references on shms. */
static void call_free(struct tee_client_call *call)
{
	for (unsigned int i = 0; i < TEE_NUM_PARAMS; i++)
		if (call->shms[i])
			shm_put(call->shms[i]);
	kfree(call->msg);
	kfree(call);
}

/* The secure world's notification: the result is in the message. */
static void tee_notify(void *priv, u32 call_id)
{
	struct tee_device *teedev = priv;
	struct tee_client_call *call = call_id < TEE_CALLS_MAX ? teedev->calls[call_id] : NULL;
	tee_client_done_t done;
	struct tee_msg_arg *msg;
	void *data;
	u32 ret;

	always(call, "tee: a notification for call %u, which is not pending", call_id);
	if (!call)
		return;
	teedev->calls[call_id] = NULL;
	msg = call->msg;
	ret = msg->ret;
	call->ctx->calls--;
	if (ret == TEE_SUCCESS && call->func == TEE_SMC_OPEN_SESSION)
		call->ctx->sessions++;
	else if (ret == TEE_SUCCESS && call->func == TEE_SMC_CLOSE_SESSION)
		call->ctx->sessions--;
	if (call->session)
		*call->session = msg->session;
	if (call->ret) {
		*call->ret = ret;
		*call->ret_origin = msg->ret_origin;
	}
	if (call->param)
		params_from_msg(call->param, msg);
	done = call->done;
	data = call->data;
	call_free(call);
	done(data, ret);
}

/* ---- submission ---- */

/* A memref by shm: checked against the shm, then resolved to *@pa; the call references it. */
static bool memref_by_shm(struct tee_client_call *call, unsigned int i,
			  const struct tee_param_memref *mr, phys_addr_t *pa)
{
	if (!shm_usable(call->ctx, mr->shm) || !shm_range_ok(mr->shm, mr->offset, mr->size))
		return false;
	*pa = mr->shm->pa + mr->offset;
	call->shms[i] = mr->shm;
	mr->shm->refs++;
	return true;
}

/* The message's parameters. Return: TEE_SUCCESS, or TEE_ERROR_BAD_PARAMETERS. */
static u32 params_to_msg(struct tee_client_call *call, const struct tee_param *param)
{
	struct tee_msg_arg *msg = call->msg;

	for (unsigned int i = 0; i < msg->num_params; i++) {
		const struct tee_param *p = &param[i];
		const struct tee_param_memref *mr = &p->u.memref;
		struct tee_msg_param *mp = &msg->params[i];
		bool memref = p->attr >= TEE_PARAM_ATTR_TYPE_MEMREF_INPUT;
		phys_addr_t pa = mr->pa;

		if (memref && mr->shm && !memref_by_shm(call, i, mr, &pa))
			return TEE_ERROR_BAD_PARAMETERS;
		if (memref)
			*mp = (struct tee_msg_param){ p->attr, pa, mr->size, 0 };
		else
			*mp = (struct tee_msg_param){ p->attr, p->u.value.a, p->u.value.b,
						      p->u.value.c };
	}
	return TEE_SUCCESS;
}

static struct tee_client_call *call_alloc(struct tee_context *ctx, u32 func,
					  unsigned int num_params, struct tee_param *param,
					  tee_client_done_t done, void *data)
{
	struct tee_client_call *call;
	struct tee_msg_arg *msg;

	if (!ctx || !done || num_params > TEE_NUM_PARAMS || (num_params && !param))
		return ERR_PTR(-EINVAL);
	call = kzalloc(sizeof(*call), GFP_KERNEL);
	msg = kzalloc(sizeof(*msg), GFP_KERNEL);
	if (!call || !msg) {
		kfree(msg);
		kfree(call);
		return ERR_PTR(-ENOMEM);
	}
	*call = (struct tee_client_call){ .ctx = ctx, .func = func, .msg = msg,
					  .param = num_params ? param : NULL, .done = done,
					  .data = data };
	/* What the message says if the secure world never writes it back. */
	call->msg->ret = TEE_ERROR_COMMUNICATION;
	call->msg->ret_origin = TEE_ORIGIN_COMMS;
	call->msg->num_params = num_params;
	return call;
}

/*
 * The yielding SMC; on refusal nothing stays behind. Parameters the driver
 * refuses (a memref outside its shm) never reach the secure world: the
 * caller's ret says TEE_ERROR_BAD_PARAMETERS from TEE_ORIGIN_API.
 */
static int call_submit(struct tee_client_call *call)
{
	struct tee_context *ctx = call->ctx;
	struct tee_device *teedev = ctx->teedev;
	phys_addr_t pa = virt_to_phys(call->msg);
	struct arm_smccc_res res;

	if (call->param && params_to_msg(call, call->param) != TEE_SUCCESS) {
		if (call->ret) {
			*call->ret = TEE_ERROR_BAD_PARAMETERS;
			*call->ret_origin = TEE_ORIGIN_API;
		}
		call_free(call);
		return -EINVAL;
	}
	arm_smccc_smc(call->func, (u32)(pa >> 32), (u32)pa, sizeof(*call->msg), 0, 0, 0, 0, &res);
	if (res.a0 != TEE_SUCCESS) {
		call_free(call);
		return res.a0 == TEE_ERROR_BUSY ? -EBUSY : -EINVAL;
	}
	always(res.a1 < TEE_CALLS_MAX && !teedev->calls[res.a1],
	       "tee: the secure world gave call id %lu, which is in use", res.a1);
	teedev->calls[res.a1] = call;
	ctx->calls++;
	return 0;
}

int tee_client_open_session(struct tee_context *ctx, struct tee_ioctl_open_session_arg *arg,
			    struct tee_param *param, tee_client_done_t done, void *data)
{
	struct tee_client_call *call;

	if (!arg)
		return -EINVAL;
	call = call_alloc(ctx, TEE_SMC_OPEN_SESSION, arg->num_params, param, done, data);
	if (IS_ERR(call))
		return (int)PTR_ERR(call);
	memcpy(call->msg->uuid, arg->uuid, sizeof(arg->uuid));
	call->session = &arg->session;
	call->ret = &arg->ret;
	call->ret_origin = &arg->ret_origin;
	return call_submit(call);
}

int tee_client_invoke_func(struct tee_context *ctx, struct tee_ioctl_invoke_arg *arg,
			   struct tee_param *param, tee_client_done_t done, void *data)
{
	struct tee_client_call *call;

	if (!arg)
		return -EINVAL;
	call = call_alloc(ctx, TEE_SMC_INVOKE_COMMAND, arg->num_params, param, done, data);
	if (IS_ERR(call))
		return (int)PTR_ERR(call);
	call->msg->func = arg->func;
	call->msg->session = arg->session;
	call->ret = &arg->ret;
	call->ret_origin = &arg->ret_origin;
	return call_submit(call);
}

int tee_client_close_session(struct tee_context *ctx, u32 session, tee_client_done_t done,
			     void *data)
{
	struct tee_client_call *call = call_alloc(ctx, TEE_SMC_CLOSE_SESSION, 0, NULL, done,
						  data);

	if (IS_ERR(call))
		return (int)PTR_ERR(call);
	call->msg->session = session;
	return call_submit(call);
}

/* ---- contexts ---- */

struct tee_context *tee_client_open_context(struct tee_context *start,
					    int (*match)(struct tee_ioctl_version_data *,
							 const void *),
					    const void *data, struct tee_ioctl_version_data *vers)
{
	struct kernel *k = kernel_current();
	struct tee_ioctl_version_data v = { .impl_id = TEE_IMPL_ID_SECSOC,
					    .gen_caps = TEE_GEN_CAP_GP };
	struct device *dev = k && k->soc->tee_node && !start ?
			     driver_core_bound_device(&k->dc, k->soc->tee_node) : NULL;
	struct tee_context *ctx;

	if (!dev || dev->driver != &secsoc_tee_driver || (match && !match(&v, data)))
		return ERR_PTR(-ENOENT);
	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		return ERR_PTR(-ENOMEM);
	ctx->teedev = dev_get_drvdata(dev);
	ctx->teedev->nr_contexts++;
	if (vers)
		*vers = v;
	return ctx;
}

void tee_client_close_context(struct tee_context *ctx)
{
	always(ctx->sessions == 0 && ctx->calls == 0 && ctx->shms == 0,
	       "tee: context closed with %u sessions open, %u calls pending and %u shms live",
	       ctx->sessions, ctx->calls, ctx->shms);
	ctx->teedev->nr_contexts--;
	kfree(ctx);
}

/* ---- protected heaps ---- */

/* The protected-memory service's conduit for the secure-video pool. */
static void tee_protmem_smc(u32 func, u32 a1, u32 a2, u32 a3, struct arm_smccc_res *res)
{
	arm_smccc_smc(func, a1, a2, a3, 0, 0, 0, 0, res);
}

/* The carve-out of `secsoc,protected-memory`, as the heap its `secsoc,heap-name` names. */
static int tee_carveout_heap_add(struct device *dev, struct tee_device *teedev,
				 const struct soc_protected_access *acc)
{
	const struct dt_node *mem = dt_parse_phandle(dev->of_node, "secsoc,protected-memory", 0);
	struct secsoc_error err = { 0 };
	struct protected_pool *pool;
	struct protected_heap *ph;
	const char *name;
	int ret;

	if (!mem || !mem->nreg)
		return 0;	/* the secure firmware refuses such a board before this runs */
	ret = dt_prop_string(mem, "secsoc,heap-name", &name, &err);
	if (ret == -ENOENT)
		return 0;	/* the board offers the carve-out through no heap */
	if (ret) {
		dev_err(dev, "%s", err.msg);
		return ret;
	}
	pool = carveout_pool_create(mem->reg[0].addr, mem->reg[0].size);
	ret = IS_ERR(pool) ? (int)PTR_ERR(pool) : 0;
	if (!ret) {
		ph = protected_heap_add(name, pool, acc, teedev);
		ret = IS_ERR(ph) ? (int)PTR_ERR(ph) : 0;
	}
	if (ret) {
		dev_err(dev, "node %s: property 'secsoc,heap-name': cannot offer the carve-out "
			"as heap \"%s\" (%d)", mem->path, name, ret);
		return ret;
	}
	teedev->carveout_heap = ph;
	return 0;
}

/* protected,secure-video, if the secure firmware has a protected-memory service. */
static int tee_secure_video_heap_add(struct device *dev, struct tee_device *teedev,
				     const struct soc_protected_access *acc)
{
	struct protected_pool *pool;
	struct protected_heap *ph;
	struct arm_smccc_res res;

	arm_smccc_smc(TEE_SMC_PROTMEM_INFO, 0, 0, 0, 0, 0, 0, 0, &res);
	if (res.a0 != TEE_SUCCESS) {
		dev_info(dev, "the secure firmware has no protected-memory service: no %s heap",
			 TEE_SECURE_VIDEO_HEAP);
		return 0;
	}
	pool = secure_video_pool_create(tee_protmem_smc);
	ph = IS_ERR(pool) ? ERR_PTR(PTR_ERR(pool)) :
	     protected_heap_add(TEE_SECURE_VIDEO_HEAP, pool, acc, teedev);
	if (IS_ERR(ph)) {
		dev_err(dev, "cannot add the %s heap (%ld)", TEE_SECURE_VIDEO_HEAP, PTR_ERR(ph));
		return (int)PTR_ERR(ph);
	}
	teedev->secure_video_heap = ph;
	return 0;
}

static void tee_heaps_remove(struct tee_device *teedev)
{
	if (teedev->secure_video_heap)
		protected_heap_remove(teedev->secure_video_heap);
	if (teedev->carveout_heap)
		protected_heap_remove(teedev->carveout_heap);
	teedev->secure_video_heap = NULL;
	teedev->carveout_heap = NULL;
}

/* Linux: tee_device_register_dma_heap() for each pool the TEE offers. */
static int tee_heaps_add(struct device *dev, struct tee_device *teedev)
{
	struct secsoc_error err = { 0 };
	struct soc_protected_access acc;
	int ret = soc_protected_access_parse(dev->of_node, &acc, &err);

	if (ret) {
		dev_err(dev, "%s", err.msg);
		return ret;
	}
	ret = tee_carveout_heap_add(dev, teedev, &acc);
	if (!ret)
		ret = tee_secure_video_heap_add(dev, teedev, &acc);
	if (ret)
		tee_heaps_remove(teedev);
	return ret;
}

/* ---- the platform driver ---- */

static int tee_probe(struct platform_device *pdev)
{
	struct tee_device *teedev;
	struct arm_smccc_res res;
	int ret;

	arm_smccc_smc(TEE_SMC_CALLS_UID, 0, 0, 0, 0, 0, 0, 0, &res);
	if (res.a0 != TEE_SMC_UID_0 || res.a1 != TEE_SMC_UID_1 || res.a2 != TEE_SMC_UID_2 ||
	    res.a3 != TEE_SMC_UID_3) {
		dev_err(&pdev->dev, "the secure firmware does not answer with the secsoc TEE's "
			"UID (a0 0x%lx)", res.a0);
		return -ENODEV;
	}
	arm_smccc_smc(TEE_SMC_GET_VERSION, 0, 0, 0, 0, 0, 0, 0, &res);
	if (res.a0 != TEE_SUCCESS || res.a1 != TEE_VERSION_MAJOR) {
		dev_err(&pdev->dev, "secure firmware API %lu.%lu; this driver speaks %u.x",
			res.a1, res.a2, TEE_VERSION_MAJOR);
		return -ENODEV;
	}
	teedev = kzalloc(sizeof(*teedev), GFP_KERNEL);
	if (!teedev)
		return -ENOMEM;
	teedev->soc = kernel_current()->soc;
	ret = tee_heaps_add(&pdev->dev, teedev);
	if (ret) {
		kfree(teedev);
		return ret;
	}
	tee_smc_set_notifier(teedev->soc, tee_notify, teedev);
	platform_set_drvdata(pdev, teedev);
	return 0;
}

/*
 * Calls still pending when the driver goes (a run stopped half-way): their
 * completions will be dropped, so the shms they reference are let go now,
 * and no protected buffer outlives the kernel because of them. Their
 * messages stay: the secure world may still write into them.
 */
static void tee_abandon_calls(struct tee_device *teedev)
{
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++) {
		struct tee_client_call *call = teedev->calls[i];

		for (unsigned int n = 0; call && n < TEE_NUM_PARAMS; n++) {
			if (call->shms[n])
				shm_put(call->shms[n]);
			call->shms[n] = NULL;
		}
		teedev->calls[i] = NULL;
	}
}

/* Protected buffers still alive keep their heap, and its pool, until their release. */
static void tee_remove(struct platform_device *pdev)
{
	struct tee_device *teedev = platform_get_drvdata(pdev);

	always(teedev->nr_contexts == 0, "tee: driver removed with %u contexts open",
	       teedev->nr_contexts);
	tee_abandon_calls(teedev);
	tee_heaps_remove(teedev);
	tee_smc_set_notifier(teedev->soc, NULL, NULL);
	kfree(teedev);
}

static const struct of_device_id tee_of_match[] = {
	{ .compatible = "secsoc,tee" },
	{ 0 },
};

const struct platform_driver secsoc_tee_driver = {
	.name = "secsoc-tee",
	.of_match_table = tee_of_match,
	.probe = tee_probe,
	.remove = tee_remove,
};
