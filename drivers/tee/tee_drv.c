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
 * It owns its contexts, the messages and call records in flight (all
 * kmalloc'd, so the end-of-run leak check covers them) and the table that
 * maps the secure world's call ids back to them.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/err.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>
#include <secsoc/tee.h>

struct tee_device {
	struct soc *soc;
	unsigned int nr_contexts;
	struct tee_client_call *calls[TEE_CALLS_MAX];	/* by the secure world's call id */
};

struct tee_context {
	struct tee_device *teedev;
	unsigned int sessions;		/* opened through it and not closed */
	unsigned int calls;		/* posted and not completed */
};

/* One call between its SMC and its notification. */
struct tee_client_call {
	struct tee_context *ctx;
	u32 func;			/* the SMC function */
	struct tee_msg_arg *msg;	/* what the secure world reads and writes back */
	u32 *session, *ret, *ret_origin;	/* the caller's arg, updated at completion */
	struct tee_param *param;
	tee_client_done_t done;
	void *data;
};

extern const struct platform_driver secsoc_tee_driver;

/* Linux's arm_smccc_smc(): the SMC instruction on the CPU running this code. */
static void arm_smccc_smc(unsigned long a0, unsigned long a1, unsigned long a2,
			  unsigned long a3, unsigned long a4, unsigned long a5, unsigned long a6,
			  unsigned long a7, struct arm_smccc_res *res)
{
	struct soc *soc = kernel_current()->soc;
	struct cpu *c = cpu_current();

	tee_smc_call(soc, c ? c : &soc->cpus[0], (u32)a0, (u32)a1, (u32)a2, (u32)a3, res);
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
	kfree(msg);
	kfree(call);
	done(data, ret);
}

/* ---- submission ---- */

static void params_to_msg(struct tee_msg_arg *msg, const struct tee_param *param)
{
	for (unsigned int i = 0; i < msg->num_params; i++) {
		const struct tee_param *p = &param[i];
		struct tee_msg_param *mp = &msg->params[i];

		if (p->attr >= TEE_PARAM_ATTR_TYPE_MEMREF_INPUT)
			*mp = (struct tee_msg_param){ p->attr, p->u.memref.pa, p->u.memref.size, 0 };
		else
			*mp = (struct tee_msg_param){ p->attr, p->u.value.a, p->u.value.b,
						      p->u.value.c };
	}
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
	if (num_params)
		params_to_msg(call->msg, param);
	return call;
}

/* The yielding SMC; on refusal nothing stays behind. */
static int call_submit(struct tee_client_call *call)
{
	struct tee_context *ctx = call->ctx;
	struct tee_device *teedev = ctx->teedev;
	phys_addr_t pa = virt_to_phys(call->msg);
	struct arm_smccc_res res;

	arm_smccc_smc(call->func, (u32)(pa >> 32), (u32)pa, sizeof(*call->msg), 0, 0, 0, 0, &res);
	if (res.a0 != TEE_SUCCESS) {
		kfree(call->msg);
		kfree(call);
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
	always(ctx->sessions == 0 && ctx->calls == 0,
	       "tee: context closed with %u sessions open and %u calls pending", ctx->sessions,
	       ctx->calls);
	ctx->teedev->nr_contexts--;
	kfree(ctx);
}

/* ---- the platform driver ---- */

static int tee_probe(struct platform_device *pdev)
{
	struct tee_device *teedev;
	struct arm_smccc_res res;

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
	tee_smc_set_notifier(teedev->soc, tee_notify, teedev);
	platform_set_drvdata(pdev, teedev);
	return 0;
}

static void tee_remove(struct platform_device *pdev)
{
	struct tee_device *teedev = platform_get_drvdata(pdev);

	always(teedev->nr_contexts == 0, "tee: driver removed with %u contexts open",
	       teedev->nr_contexts);
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
