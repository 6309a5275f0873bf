/*
 * playback.c - the secure video path (scenarios/playback.h): the player
 * task, the compose and display stages, the CRC checks, and the set-up,
 * judgement, report and release of the workload.
 *
 * The player is one task on the last normal-world CPU (the disk workload
 * runs on the first). Each slice it does one thing, in pipeline order
 * from the back, so that a frame ready to show is never held up by new
 * work: commit the next composed frame when the display has shown the
 * previous commit; else compose the next decoded frame; else let the
 * decrypt stage (scenarios/playback_decrypt.c) act. Completions arrive by
 * callback: the GPU's in bottom-half context, the display's vblank in its
 * interrupt handler.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/playback.h"
#include "scenarios/png.h"

static struct playback_fb *free_fb(struct playback *pb)
{
	for (unsigned int i = 0; i < PLAYBACK_FBS; i++)
		if (pb->fb[i].state == PB_FB_FREE)
			return &pb->fb[i];
	return NULL;
}

/* The decoded video of the oldest frame not yet composed, if its turn has come. */
static struct playback_video *video_to_compose(struct playback *pb)
{
	struct playback_video *oldest = NULL;

	for (unsigned int i = 0; i < PLAYBACK_VIDEO_BUFS; i++) {
		struct playback_video *v = &pb->video[i];

		if ((v->state == PB_VIDEO_DECRYPTING || v->state == PB_VIDEO_DECODED) &&
		    (!oldest || v->frame < oldest->frame))
			oldest = v;
	}
	return oldest && oldest->state == PB_VIDEO_DECODED ? oldest : NULL;
}

/* The composed framebuffer of the oldest frame not yet committed, if its turn has come. */
static struct playback_fb *fb_to_commit(struct playback *pb)
{
	struct playback_fb *oldest = NULL;

	for (unsigned int i = 0; i < PLAYBACK_FBS; i++) {
		struct playback_fb *f = &pb->fb[i];

		if (f->state == PB_FB_COMMITTED)
			return NULL;	/* one flip pending at a time, as in KMS */
		if ((f->state == PB_FB_COMPOSING || f->state == PB_FB_COMPOSED) &&
		    (!oldest || f->frame < oldest->frame))
			oldest = f;
	}
	return oldest && oldest->state == PB_FB_COMPOSED ? oldest : NULL;
}

static bool can_compose(const struct playback *pb)
{
	struct playback *p = (struct playback *)pb;

	return video_to_compose(p) && free_fb(p) &&
	       panthor_group_jobs(pb->group) < PANTHOR_GROUP_JOBS_MAX;
}

static bool all_frames_out(const struct playback *pb)
{
	return pb->frames_shown + pb->frames_dropped == pb->p.frames;
}

/* ---- display ---- */

static void frame_shown(struct playback *pb, struct playback_fb *f)
{
	u64 now = sim_now_ns(pb->m->sim);

	for (unsigned int i = 0; i < PLAYBACK_FBS; i++)
		if (pb->fb[i].state == PB_FB_SHOWN)
			pb->fb[i].state = PB_FB_FREE;	/* off the screen: reusable */
	f->state = PB_FB_SHOWN;
	pb->frames_shown++;
	if (!pb->first_shown_ns)
		pb->first_shown_ns = now;
	pb->last_shown_ns = now;
	ee_stats_complete(&pb->st.display, f->commit_ns, now, 0, 0);
	ee_stats_complete(&pb->st.total, f->start_ns, now, 0, 0);
}

static void write_png(struct playback *pb, u32 frame, u64 seq)
{
	struct secsoc_error err = { 0 };
	char path[SECSOC_PNG_PATH_MAX];

	if (!pb->p.png_dir || pb->png_seq != seq)
		return;
	if (png_frame_path(path, sizeof(path), pb->p.png_dir, frame, &err) ||
	    png_write_xrgb(path, pb->png_img, pb->p.width, pb->p.height,
			   pb->p.width * PIXEL_XRGB_BYTES, &err))
		always(false, "playback: --png: %s", err.msg);
	else
		pb->png_written++;
}

static void check_crc(struct playback *pb, const struct playback_fb *f,
		      const struct secsoc_disp_vblank *vb)
{
	pb->crc_checked++;
	if (vb->crc == f->expected_crc)
		return;
	pb->crc_mismatches++;
	always(false, "invariant 1 (every output equals the reference): display frame %" PRIu64
	       " showed clip frame %u with CRC %08x; the clear clip gives %08x%s", vb->seq,
	       f->frame, vb->crc, f->expected_crc, vb->fault ? " (a scan-out read faulted)" : "");
}

static struct playback_fb *fb_of_commit(struct playback *pb, u64 commit)
{
	for (unsigned int i = 0; i < PLAYBACK_FBS; i++)
		if (pb->fb[i].commit == commit &&
		    (pb->fb[i].state == PB_FB_COMMITTED || pb->fb[i].state == PB_FB_SHOWN))
			return &pb->fb[i];
	return NULL;
}

static void playback_vblank(void *ctx, const struct secsoc_disp_vblank *vb)
{
	struct playback *pb = ctx;
	struct playback_fb *f;

	if (vb->blank)
		return;
	pb->display_faults += vb->fault;
	f = fb_of_commit(pb, vb->commit);
	always(f != NULL, "playback: display frame %" PRIu64 " showed commit %" PRIu64
	       ", which the player does not hold", vb->seq, vb->commit);
	if (!f)
		return;
	check_crc(pb, f, vb);
	if (f->state == PB_FB_SHOWN) {
		pb->repeats++;
		return;
	}
	frame_shown(pb, f);
	write_png(pb, f->frame, vb->seq);
}

/* The scan-out sink: what the display read, row by row, for --png. */
static void playback_sink(void *ctx, u64 frame, const u8 *row, u32 width, u32 y)
{
	struct playback *pb = ctx;

	if (y >= pb->p.height || width != pb->p.width)
		return;
	memcpy(pb->png_img + (size_t)y * width * PIXEL_XRGB_BYTES, row,
	       (size_t)width * PIXEL_XRGB_BYTES);
	if (y == pb->p.height - 1)
		pb->png_seq = frame;
}

static void commit_step(struct playback *pb, struct playback_fb *f)
{
	int ret = secsoc_disp_commit(pb->disp, panthor_bo_dma_buf(f->bo), 0, pb->p.width,
				     pb->p.height, pb->p.width * PIXEL_XRGB_BYTES);

	always(ret == 0, "playback: the display refused frame %u's framebuffer: %d", f->frame,
	       ret);
	if (ret)
		return;
	f->expected_crc = clip_expected_crc(&pb->expect, f->frame);
	f->commit = secsoc_disp_stats(pb->disp).commits;
	f->commit_ns = sim_now_ns(pb->m->sim);
	f->state = PB_FB_COMMITTED;
	ee_stats_submit(&pb->st.display, f->commit_ns);
}

/* ---- compose ---- */

static void compose_done(void *ctx, int status)
{
	struct playback_fb *f = ctx;
	struct playback *pb = f->pb;
	u64 now = sim_now_ns(pb->m->sim);

	f->src->state = PB_VIDEO_FREE;
	f->src = NULL;
	ee_stats_complete(&pb->st.compose, f->compose_ns, now,
			  status ? 0 : (u64)pb->p.width * pb->p.height * PIXEL_XRGB_BYTES, status);
	if (!status) {
		f->state = PB_FB_COMPOSED;
		return;
	}
	f->state = PB_FB_FREE;	/* lost to a GPU fault or reset: dropped */
	pb->frames_dropped++;
	pb->dropped_gpu++;
}

/* The CPU draws the frame's UI plane into @f's system-heap buffer. */
static void draw_ui(struct playback *pb, struct playback_fb *f)
{
	struct dma_buf *ui = panthor_bo_dma_buf(f->ui_bo);
	struct iosys_map map = { 0 };
	int ret = dma_buf_begin_cpu_access(ui, DMA_TO_DEVICE);

	if (!ret)
		ret = dma_buf_vmap(ui, &map);
	always(ret == 0, "playback: cannot map the UI plane: %d", ret);
	if (ret)
		return;
	clip_ui_argb(&pb->clip, f->frame, map.vaddr, pb->clip.ui.width * PIXEL_XRGB_BYTES);
	dma_buf_vunmap(ui, &map);
	dma_buf_end_cpu_access(ui, DMA_TO_DEVICE);
}

static void compose_instrs(const struct playback *pb, const struct playback_fb *f,
			   const struct playback_video *v, struct gpu_instr in[2])
{
	u32 w = pb->p.width, h = pb->p.height;
	u64 video = panthor_bo_dma_addr(v->bo);
	const struct clip_rect *ui = &pb->clip.ui;

	in[0] = (struct gpu_instr){ .op = GPU_OP_CONVERT_NV12, .width = w, .height = h,
		.src_stride = w, .dst_stride = w * PIXEL_XRGB_BYTES, .src0 = video,
		.src1 = video + (u64)w * h, .dst = panthor_bo_dma_addr(f->bo) };
	in[1] = (struct gpu_instr){ .op = GPU_OP_BLEND_ARGB, .width = ui->width,
		.height = ui->height, .src_stride = ui->width * PIXEL_XRGB_BYTES,
		.dst_stride = w * PIXEL_XRGB_BYTES, .x = ui->x, .y = ui->y,
		.src0 = panthor_bo_dma_addr(f->ui_bo), .dst = panthor_bo_dma_addr(f->bo) };
}

static void compose_step(struct playback *pb, struct playback_video *v, struct playback_fb *f)
{
	struct gpu_instr in[2];
	struct panthor_job_desc job = { .instrs = in, .n = 2, .protected = true,
					.done = compose_done, .ctx = f };
	int ret;

	f->frame = v->frame;
	f->src = v;
	f->start_ns = v->start_ns;
	draw_ui(pb, f);
	compose_instrs(pb, f, v, in);
	f->compose_ns = sim_now_ns(pb->m->sim);
	ee_stats_submit(&pb->st.compose, f->compose_ns);
	v->state = PB_VIDEO_COMPOSING;
	f->state = PB_FB_COMPOSING;
	ret = panthor_job_submit(pb->group, &job);
	always(ret == 0, "playback: the GPU driver refused frame %u's job: %d", v->frame, ret);
	if (ret)
		compose_done(f, ret);
}

/* ---- the player task ---- */

static bool player_runnable(struct cpu_task *t)
{
	struct playback *pb = t->priv;

	return (all_frames_out(pb) && playback_decrypt_idle(pb)) || fb_to_commit(pb) ||
	       can_compose(pb) || playback_decrypt_ready(pb);
}

static bool player_run(struct cpu_task *t)
{
	struct playback *pb = t->priv;
	struct playback_fb *f;

	if (all_frames_out(pb) && playback_decrypt_idle(pb)) {
		secsoc_disp_disable(pb->disp);
		pb->finished = true;
		return true;
	}
	f = fb_to_commit(pb);
	if (f)
		commit_step(pb, f);
	else if (can_compose(pb))
		compose_step(pb, video_to_compose(pb), free_fb(pb));
	else
		playback_decrypt_step(pb);
	return false;
}

void playback_player_start(struct playback *pb)
{
	struct soc *soc = pb->m->soc;

	secsoc_disp_set_vblank_cb(pb->disp, playback_vblank, pb);
	if (pb->p.png_dir)
		display_set_scanout_sink(soc->display, playback_sink, pb);
	secsoc_disp_enable(pb->disp);
	pb->task = (struct cpu_task){ .name = "player", .runnable = player_runnable,
				      .run = player_run, .priv = pb };
	cpu_add_task(&soc->cpus[soc->nr_cpus - 1], &pb->task);
	pb->started = true;
}
