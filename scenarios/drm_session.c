/*
 * drm_session.c - a client's session with the DRM TA (scenarios/drm_session.h):
 * context, key provisioning, the session's life cycle and the decrypt call.
 */
#include <string.h>

#include <secsoc/err.h>

#include "scenarios/drm_session.h"

int drm_session_init(struct drm_session *s, struct machine *m, u32 key_id,
		     const u8 key[TEE_DRM_KEY_BYTES], const char *what, struct secsoc_error *err)
{
	struct tee_context *ctx;

	*s = (struct drm_session){ .state = DRM_SESSION_IDLE };
	if (!m->has_tee)
		return input_error(err, "%s: the %s needs a secure world (a secsoc,tee node), "
				   "which the board lacks", m->dt->source, what);
	ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	if (IS_ERR_OR_NULL(ctx))
		return input_error(err, "%s: the %s needs the TEE driver bound to the secure "
				   "world's node (%ld)", m->dt->source, what, PTR_ERR(ctx));
	s->ctx = ctx;
	if (tee_drm_provision_key(&m->tee, key_id, key))
		return internal_error(err, "%s: no room for a content key", what);
	return 0;
}

static void drm_session_open_done(void *data, u32 ret)
{
	struct drm_session *s = data;

	always(ret == TEE_SUCCESS, "DRM session: the TA refused a session: 0x%x (origin %u)",
	       ret, s->open_arg.ret_origin);
	s->id = s->open_arg.session;
	s->dead = false;
	s->opened++;
	s->state = ret == TEE_SUCCESS ? DRM_SESSION_OPEN : DRM_SESSION_IDLE;
	s->refused = ret != TEE_SUCCESS;
}

static void drm_session_close_done(void *data, u32 ret)
{
	struct drm_session *s = data;

	always(ret == TEE_SUCCESS, "DRM session: closing session %u failed: 0x%x", s->id, ret);
	s->state = DRM_SESSION_IDLE;
}

void drm_session_open(struct drm_session *s)
{
	static const u8 uuid[16] = TEE_DRM_TA_UUID;

	memset(&s->open_arg, 0, sizeof(s->open_arg));
	memcpy(s->open_arg.uuid, uuid, sizeof(uuid));
	s->state = DRM_SESSION_OPENING;
	if (tee_client_open_session(s->ctx, &s->open_arg, NULL, drm_session_open_done, s))
		drm_session_open_done(s, TEE_ERROR_COMMUNICATION);
}

void drm_session_close(struct drm_session *s)
{
	s->state = DRM_SESSION_CLOSING;
	if (tee_client_close_session(s->ctx, s->id, drm_session_close_done, s))
		drm_session_close_done(s, TEE_ERROR_COMMUNICATION);
}

bool drm_session_usable(const struct drm_session *s)
{
	return s->state == DRM_SESSION_OPEN && !s->dead;
}

int drm_session_decrypt(struct drm_session *s, struct tee_ioctl_invoke_arg *arg,
			struct tee_param param[3], u64 desc_pa, u64 in_pa, u32 len,
			struct tee_param_memref out, tee_client_done_t done, void *data)
{
	out.size = len;
	param[0] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = desc_pa, .size = sizeof(struct tee_drm_decrypt_desc) } };
	param[1] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = in_pa, .size = len } };
	param[2] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
		.u.memref = out };
	*arg = (struct tee_ioctl_invoke_arg){ .func = TEE_DRM_CMD_DECRYPT, .session = s->id,
		.num_params = 3 };
	return tee_client_invoke_func(s->ctx, arg, param, done, data);
}

void drm_session_note(struct drm_session *s, u32 ret)
{
	if (ret == TEE_ERROR_TARGET_DEAD)
		s->dead = true;
}

void drm_session_release(struct drm_session *s)
{
	if (!IS_ERR_OR_NULL(s->ctx))
		tee_client_close_context(s->ctx);
	s->ctx = NULL;
}
