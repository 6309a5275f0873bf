/*
 * playback_setup.c - the resources of the secure video path
 * (scenarios/playback.h): what the player finds (heaps, GPU, display, the
 * TEE) and allocates at set-up, the judgement and release at the end, and
 * the report.
 *
 * Allocation follows a Linux player: video and framebuffers from the
 * protected heap through the in-kernel dma-heap API, video buffers
 * registered with the TEE, every buffer the GPU touches imported into the
 * GPU driver (which attaches the GPU's device: the heap grants it because
 * the GPU's protected-mode NSAID may reach protected memory).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/tee_shm.h>

#include "scenarios/playback.h"
#include "scenarios/png.h"

#define PLAYBACK_SALT 0x706c61796261636bULL	/* "playback" */
#define PROTECTED_HEAP "protected,secure-video"
#define SYSTEM_HEAP "system"

static int find_parts(struct playback *pb, struct secsoc_error *err)
{
	const char *src = pb->m->dt->source;

	pb->prot_heap = dma_heap_find(PROTECTED_HEAP);
	pb->sys_heap = dma_heap_find(SYSTEM_HEAP);
	if (!pb->prot_heap || !pb->sys_heap)
		return input_error(err, "%s: secure playback needs the '%s' and '%s' heaps (the "
				   "TEE driver offers the first when the secure firmware has a "
				   "protected-memory service)", src, PROTECTED_HEAP, SYSTEM_HEAP);
	pb->gpu = panthor_device_get();
	if (!pb->gpu || !panthor_has_protected(pb->gpu))
		return input_error(err, "%s: secure playback needs a GPU (compatible "
				   "\"arm,mali-valhall-csf\") bound with a 'protected-heap-name'",
				   src);
	pb->disp = secsoc_disp_get();
	if (!pb->disp)
		return input_error(err, "%s: secure playback needs a display (compatible "
				   "\"secsoc,display\")", src);
	return 0;
}

/* A buffer of @len bytes from @heap, imported into the GPU driver. */
static int gpu_buffer(struct playback *pb, struct dma_heap *heap, size_t len,
		      struct panthor_bo **bo, struct secsoc_error *err)
{
	int ret = panthor_bo_alloc(pb->gpu, heap, len, bo);

	if (ret)
		return input_error(err, "%s: secure playback cannot get %zu KiB from the '%s' "
				   "heap for the GPU (%d)", pb->m->dt->source, len / 1024,
				   dma_heap_get_name(heap), ret);
	return 0;
}

/*
 * The protected buffers first, back to back: the secure-video pool then
 * grows one protected window instead of opening a TZC region per buffer.
 */
static int alloc_protected(struct playback *pb, struct secsoc_error *err)
{
	size_t video = pixel_nv12_size(pb->p.width, pb->p.height);
	size_t fb = (size_t)pb->p.width * pb->p.height * PIXEL_XRGB_BYTES;
	int ret = 0;

	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS && !ret; i++)
		ret = gpu_buffer(pb, pb->prot_heap, video, &pb->video[i].bo, err);
	for (unsigned int i = 0; i < PLAYBACK_FBS && !ret; i++)
		ret = gpu_buffer(pb, pb->prot_heap, fb, &pb->fb[i].bo, err);
	return ret;
}

/* The TA's side of a video buffer: registered with the TEE, input and descriptors. */
static int prepare_video(struct playback *pb, struct playback_video *v, struct secsoc_error *err)
{
	size_t len = pixel_nv12_size(pb->p.width, pb->p.height);
	phys_addr_t pa = 0;
	int ret;

	v->shm = tee_shm_register_dma_buf(pb->ses.ctx, panthor_bo_dma_buf(v->bo));
	if (IS_ERR(v->shm) || tee_shm_get_pa(v->shm, 0, &pa)) {
		ret = IS_ERR(v->shm) ? (int)PTR_ERR(v->shm) : -EINVAL;
		v->shm = NULL;
		return internal_error(err, "playback: the TEE refused a video buffer: %d", ret);
	}
	v->pa = pa;
	v->in = kmalloc(len, GFP_KERNEL);
	v->descs = kmalloc(CLIP_SAMPLES_MAX * sizeof(*v->descs), GFP_KERNEL);
	v->clear = malloc(len);
	if (!v->in || !v->descs || !v->clear)
		return internal_error(err, "playback: out of memory for a video buffer");
	return 0;
}

static int alloc_buffers(struct playback *pb, struct secsoc_error *err)
{
	size_t frame = (size_t)pb->p.width * pb->p.height * PIXEL_XRGB_BYTES;
	int ret = alloc_protected(pb, err);

	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS && !ret; i++)
		ret = prepare_video(pb, &pb->video[i], err);
	for (unsigned int i = 0; i < PLAYBACK_FBS && !ret; i++) {
		pb->fb[i].pb = pb;
		ret = gpu_buffer(pb, pb->sys_heap, PLAYBACK_UI_BYTES, &pb->fb[i].ui_bo, err);
	}
	if (!ret && pb->p.png_dir && !(pb->png_img = malloc(frame)))
		ret = internal_error(err, "playback: out of memory for --png");
	return ret;
}

static int make_clip(struct playback *pb, u64 seed, struct secsoc_error *err)
{
	struct clip_params *c = &pb->clip;

	clip_params_default(c, pb->p.width, pb->p.height, seed);
	c->frames = pb->p.frames;
	snprintf(c->title, sizeof(c->title), "SECSOC %ux%u", pb->p.width, pb->p.height);
	if ((u64)c->ui.width * c->ui.height * PIXEL_XRGB_BYTES > PLAYBACK_UI_BYTES)
		return input_error(err, "secure playback: a %ux%u UI plane does not fit in %u KiB",
				   c->ui.width, c->ui.height, PLAYBACK_UI_BYTES / 1024);
	return clip_expect_init(&pb->expect, c, err);
}

static void declare_goals(struct playback *pb)
{
	sim_sometimes_declare(pb->m->sim, PLAYBACK_GOAL_PROTM);
}

int playback_setup(struct machine *m, struct playback *pb, const struct playback_params *p,
		   struct secsoc_error *err)
{
	u64 seed = sim_seed(m->sim) ^ PLAYBACK_SALT;
	int ret;

	pb->m = m;
	pb->p = *p;
	pb->mix_cfg = (struct mix_config){ .disk = p->disk, .disk_p = p->disk_p };
	ret = mix_setup(m, &pb->mix, &pb->mix_cfg, err);
	if (!ret && p->png_dir)
		ret = png_dir_prepare(p->png_dir, err);
	if (!ret)
		ret = make_clip(pb, seed, err);
	if (!ret)
		ret = find_parts(pb, err);
	if (!ret)
		ret = drm_session_init(&pb->ses, m, pb->clip.key_id, pb->clip.key,
				       "secure-playback scenario", err);
	if (!ret && panthor_group_create(pb->gpu, PLAYBACK_GPU_PRIORITY, &pb->group))
		ret = internal_error(err, "playback: the GPU driver gave no group");
	if (!ret)
		ret = alloc_buffers(pb, err);
	if (ret)
		return ret;
	declare_goals(pb);
	playback_player_start(pb);
	return 0;
}

/* ---- the end ---- */

static void release_video(struct playback_video *v)
{
	tee_shm_free(v->shm);
	panthor_bo_put(v->bo);
	kfree(v->in);
	kfree(v->descs);
	free(v->clear);
	*v = (struct playback_video){ 0 };
}

static void release_fb(struct playback_fb *f)
{
	panthor_bo_put(f->bo);
	panthor_bo_put(f->ui_bo);
	*f = (struct playback_fb){ 0 };
}

/*
 * Give back everything the player holds. After a violation stopped the run
 * mid-frame the GPU or the TEE may still use some of it: the kernel's
 * shutdown reclaims that instead.
 */
static void playback_release(struct playback *pb)
{
	if (pb->released || (pb->started && !pb->finished))
		return;
	pb->released = true;
	if (pb->disp)
		secsoc_disp_release_fbs(pb->disp);
	panthor_group_destroy(pb->group);
	pb->group = NULL;
	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++)
		release_video(&pb->video[i]);
	for (unsigned int i = 0; i < PLAYBACK_FBS; i++)
		release_fb(&pb->fb[i]);
	dma_heap_put(pb->prot_heap);
	dma_heap_put(pb->sys_heap);
	pb->prot_heap = pb->sys_heap = NULL;
	drm_session_release(&pb->ses);
}

/* Invariant 5 for the player, and the fault budget: only frames in flight are lost. */
static void playback_judge(const struct playback *pb)
{
	struct panthor_stats g = panthor_stats(pb->gpu);

	always(pb->finished && pb->frames_shown + pb->frames_dropped == pb->p.frames,
	       "invariant 5 (every request completes): playback: %" PRIu64 " of %u frames shown, "
	       "%" PRIu64 " dropped, player %s", pb->frames_shown, pb->p.frames,
	       pb->frames_dropped, pb->finished ? "finished" : "stuck");
	always(pb->dropped_gpu <= g.resets + g.cs_faults,
	       "playback: %" PRIu64 " frames lost in the GPU, but only %" PRIu64 " resets and %"
	       PRIu64 " stream faults could lose one each", pb->dropped_gpu, g.resets,
	       g.cs_faults);
	always(pb->dropped_decrypt <= pb->samples_failed,
	       "playback: %" PRIu64 " frames lost in decryption, but only %" PRIu64 " samples "
	       "failed", pb->dropped_decrypt, pb->samples_failed);
}

void playback_check(struct machine *m, void *state)
{
	struct playback *pb = state;

	if (pb->started) {
		playback_judge(pb);
		if (gpu_stats(m->soc->gpu).protm_entries)
			sometimes(true, PLAYBACK_GOAL_PROTM);
	}
	playback_release(pb);
	mix_check(m, &pb->mix);
}

void playback_teardown(struct machine *m, void *state)
{
	struct playback *pb = state;

	playback_release(pb);
	/*
	 * Host memory goes even when the kernel keeps the rest (a run stopped
	 * mid-frame): a call the shutdown completes then skips the check.
	 */
	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++) {
		free(pb->video[i].clear);
		pb->video[i].clear = NULL;
	}
	if (pb->started && !pb->task.finished)
		list_del_init(&pb->task.node);
	clip_expect_release(&pb->expect);
	free(pb->png_img);
	pb->png_img = NULL;
	mix_teardown(m, &pb->mix);
}
