/*
 * drm_session.h - a normal-world client's session with the DRM TA, shared
 * by the media tasks that decrypt through it (scenarios/drm_load.c for the
 * crypto scenarios, scenarios/playback_decrypt.c for secure playback).
 *
 * It owns the TEE context, provisions the content key at set-up (as a key
 * ladder would before playback) and keeps the session's life cycle:
 * IDLE (none) -> OPENING -> OPEN -> CLOSING -> IDLE. A TA crash kills the
 * session (TEE_ERROR_TARGET_DEAD on a call): the client notes it with
 * drm_session_note(), waits for its calls to come back, closes the dead
 * session and opens a new one. Calls are asynchronous; their callbacks run
 * on the CPU that services the TEE driver.
 */
#ifndef SECSOC_SCENARIO_DRM_SESSION_H
#define SECSOC_SCENARIO_DRM_SESSION_H

#include <secsoc/tee.h>
#include <secsoc/tee_drm.h>

#include "scenarios/scenario.h"

enum drm_session_state {
	DRM_SESSION_IDLE,
	DRM_SESSION_OPENING,
	DRM_SESSION_OPEN,
	DRM_SESSION_CLOSING,
};

struct drm_session {
	struct tee_context *ctx;
	enum drm_session_state state;
	u32 id;				/* the TEE's session number, while OPEN */
	bool dead;			/* a call answered TEE_ERROR_TARGET_DEAD */
	bool refused;			/* the TA refused to open one: give up */
	u64 opened;			/* sessions opened so far */
	struct tee_ioctl_open_session_arg open_arg;
};

/**
 * drm_session_init - open a TEE context on @m and provision @key as @key_id
 * @what: names the client in error messages ("DRM workload", "playback")
 *
 * Return: 0, or -EINVAL with @err naming what the machine lacks.
 */
int drm_session_init(struct drm_session *s, struct machine *m, u32 key_id,
		     const u8 key[TEE_DRM_KEY_BYTES], const char *what, struct secsoc_error *err);
/** drm_session_open - ask for a session (state IDLE -> OPENING -> OPEN or IDLE) */
void drm_session_open(struct drm_session *s);
/** drm_session_close - close the session (state OPEN -> CLOSING -> IDLE) */
void drm_session_close(struct drm_session *s);
/** drm_session_usable - open, and its TA instance alive */
bool drm_session_usable(const struct drm_session *s);
/**
 * drm_session_decrypt - post TEE_DRM_CMD_DECRYPT in the session
 * @arg, @param: kept by the caller until @done; filled here from @desc_pa
 *	(the descriptor), @in_pa/@len (the encrypted sample) and @out
 *	(its output memref; its size is set to @len)
 *
 * Return: 0 when posted (@done will run), or the TEE driver's error.
 */
int drm_session_decrypt(struct drm_session *s, struct tee_ioctl_invoke_arg *arg,
			struct tee_param param[3], u64 desc_pa, u64 in_pa, u32 len,
			struct tee_param_memref out, tee_client_done_t done, void *data);
/** drm_session_note - a call answered @ret: remember a dead TA instance */
void drm_session_note(struct drm_session *s, u32 ret);
/** drm_session_release - close the context (no session open, no call pending) */
void drm_session_release(struct drm_session *s);

#endif /* SECSOC_SCENARIO_DRM_SESSION_H */
