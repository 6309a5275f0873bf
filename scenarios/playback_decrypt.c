/*
 * playback_decrypt.c - the first stage of the secure video path
 * (scenarios/playback.h): the player receives each frame of the clip as
 * CENC samples (scenarios/clip.h packages them, as a server would) and has
 * the DRM TA decrypt them, through its session, straight into a protected
 * NV12 video buffer registered with the TEE.
 *
 * Frames start in order, each in a free video buffer; their samples are
 * posted oldest frame first, at most PLAYBACK_SAMPLES_IN_FLIGHT at a time
 * (the TEE has few call slots and the disk workload needs the engine too).
 * A sample that fails (a TA crash under --faults) drops its frame: the
 * frame's remaining samples are not posted, and once the posted ones are
 * back the buffer is free again. The session is then reopened.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/tee_shm.h>

#include "scenarios/playback.h"

static unsigned int calls_in_flight(const struct playback *pb)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < PLAYBACK_SAMPLES_IN_FLIGHT; i++)
		n += pb->calls[i].busy;
	return n;
}

static struct playback_call *free_call(struct playback *pb)
{
	for (unsigned int i = 0; i < PLAYBACK_SAMPLES_IN_FLIGHT; i++)
		if (!pb->calls[i].busy)
			return &pb->calls[i];
	return NULL;
}

static struct playback_video *free_video(struct playback *pb)
{
	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++)
		if (pb->video[i].state == PB_VIDEO_FREE)
			return &pb->video[i];
	return NULL;
}

/* The oldest frame with samples left to post. */
static struct playback_video *video_to_post(struct playback *pb)
{
	struct playback_video *best = NULL;

	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++) {
		struct playback_video *v = &pb->video[i];

		if (v->state == PB_VIDEO_DECRYPTING && !v->failed &&
		    v->posted < v->pkt.nr_samples && (!best || v->frame < best->frame))
			best = v;
	}
	return best;
}

static bool frames_left(const struct playback *pb)
{
	return pb->next_decrypt < pb->p.frames;
}

static bool decrypting(const struct playback *pb)
{
	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++)
		if (pb->video[i].state == PB_VIDEO_DECRYPTING)
			return true;
	return false;
}

/* Close once every call came back and the TA died or nothing is left. */
static bool should_close(const struct playback *pb)
{
	return !calls_in_flight(pb) &&
	       (pb->ses.dead || (!frames_left(pb) && !decrypting(pb)));
}

static bool can_post(const struct playback *pb)
{
	return calls_in_flight(pb) < PLAYBACK_SAMPLES_IN_FLIGHT &&
	       video_to_post((struct playback *)pb);
}

static bool can_start(const struct playback *pb)
{
	return frames_left(pb) && free_video((struct playback *)pb);
}

bool playback_decrypt_ready(const struct playback *pb)
{
	const struct drm_session *s = &pb->ses;

	if (s->state == DRM_SESSION_IDLE)
		return !s->refused && (frames_left(pb) || decrypting(pb));
	if (s->state != DRM_SESSION_OPEN)
		return false;
	return should_close(pb) || (!s->dead && (can_post(pb) || can_start(pb)));
}

bool playback_decrypt_idle(const struct playback *pb)
{
	return pb->ses.state == DRM_SESSION_IDLE && !calls_in_flight(pb) && !decrypting(pb) &&
	       (!frames_left(pb) || pb->ses.refused);
}

/* Every posted sample came back: the frame is decoded, or dropped. */
static void frame_decrypted(struct playback *pb, struct playback_video *v)
{
	u64 now = sim_now_ns(pb->m->sim);
	size_t len = pixel_nv12_size(pb->p.width, pb->p.height);
	char what[64];

	if (v->failed || !v->clear) {
		ee_stats_complete(&pb->st.decrypt, v->start_ns, now, 0, -EIO);
		pb->frames_dropped++;
		pb->dropped_decrypt++;
		v->state = PB_VIDEO_FREE;
		return;
	}
	ee_stats_complete(&pb->st.decrypt, v->start_ns, now, len, 0);
	/* Invariant 1 at the first stage, through the backdoor (outside the model). */
	snprintf(what, sizeof(what), "playback frame %u decryption", v->frame);
	checker_output(&pb->mix.chk, what, bus_ram_backdoor(pb->m->soc->bus, v->pa, len),
		       v->clear, len);
	v->state = PB_VIDEO_DECODED;
}

static void sample_done(void *data, u32 ret)
{
	struct playback_call *c = data;
	struct playback *pb = c->pb;
	struct playback_video *v = c->v;

	c->busy = false;
	drm_session_note(&pb->ses, ret);
	v->answered++;
	if (ret != TEE_SUCCESS) {
		v->failed = true;
		pb->samples_failed++;
	}
	if (v->answered == v->posted && (v->failed || v->posted == v->pkt.nr_samples))
		frame_decrypted(pb, v);
}

static void post_sample(struct playback *pb, struct playback_video *v, struct playback_call *c)
{
	const struct clip_sample *cs = &v->pkt.samples[v->posted];
	struct tee_param_memref out = { .shm = v->shm, .offset = cs->offset };

	*c = (struct playback_call){ .pb = pb, .v = v, .sample = v->posted, .busy = true };
	v->posted++;
	if (drm_session_decrypt(&pb->ses, &c->arg, c->param, virt_to_phys(&v->descs[c->sample]),
				virt_to_phys(v->in + cs->offset), cs->len, out, sample_done, c))
		sample_done(c, TEE_ERROR_COMMUNICATION);
}

/* The next frame arrives: drawn and packaged outside the model, as a server would. */
static void start_frame(struct playback *pb, struct playback_video *v)
{
	u32 frame = pb->next_decrypt++;
	int ret;

	clip_frame_nv12(&pb->clip, frame, v->clear);
	ret = clip_package(&pb->clip, frame, v->clear, v->in, &v->pkt);
	always(ret == 0, "playback: OpenSSL refused to package frame %u: %d", frame, ret);
	for (u32 i = 0; i < v->pkt.nr_samples; i++)
		v->descs[i] = v->pkt.samples[i].desc;
	v->state = PB_VIDEO_DECRYPTING;
	v->frame = frame;
	v->posted = v->answered = 0;
	v->failed = false;
	v->start_ns = sim_now_ns(pb->m->sim);
	ee_stats_submit(&pb->st.decrypt, v->start_ns);
}

bool playback_decrypt_step(struct playback *pb)
{
	struct drm_session *s = &pb->ses;

	if (!playback_decrypt_ready(pb))
		return false;
	if (s->state == DRM_SESSION_IDLE)
		drm_session_open(s);
	else if (should_close(pb))
		drm_session_close(s);
	else if (can_post(pb))
		post_sample(pb, video_to_post(pb), free_call(pb));
	else
		start_frame(pb, free_video(pb));
	return true;
}
