/*
 * test_panthor_fixture.h - the Panthor-like GPU driver on a booted machine,
 * for tests/unit/test_panthor*.c: the whole default board (or a variant)
 * boots as tee_fixture.h boots it, the firmware comes up, and tests import
 * buffers, create groups and submit jobs through include/secsoc/panthor.h,
 * checking pixels through the RAM backdoor (the test is outside the model,
 * so it may read protected memory the normal world cannot).
 *
 * Teardown is tee_fixture's: every driver removed, then invariant 7 for
 * both worlds (no kernel memory, dma-buf, attachment, heap reference or
 * timer left).
 */
#ifndef SECSOC_TEST_PANTHOR_FIXTURE_H
#define SECSOC_TEST_PANTHOR_FIXTURE_H

#include <secsoc/dma-heap.h>
#include <secsoc/panthor.h>
#include <secsoc/pixel.h>
#include <secsoc/protected_heap.h>

#include "tee_fixture.h"

#define PX_SECURE_HEAP "protected,secure-video"
#define PX_JOBS_MAX 16
#define PX_LOG_MAX 64

/* The completions of a test's jobs, in completion order. */
struct px_log {
	unsigned int n;
	int status[PX_LOG_MAX];
	unsigned int id[PX_LOG_MAX];
	u64 ns[PX_LOG_MAX];		/* modelled time of the callback */
};

struct px_job {
	struct px_log *log;
	unsigned int id;
};

static struct px_log px_log;
static struct px_job px_jobs[PX_JOBS_MAX];
static bool px_guest_errors_ok;	/* the test provokes guest errors on purpose */

static inline void px_done(void *ctx, int status)
{
	struct px_job *j = ctx;
	struct px_log *l = j->log;

	assert_true(l->n < PX_LOG_MAX);
	l->status[l->n] = status;
	l->id[l->n] = j->id;
	l->ns[l->n] = sim_now_ns(tfx.sim);
	l->n++;
}

/** px_boot - boot @dts (NULL: the default board) with @cfg (NULL: seed 1, timed) */
static inline void px_boot(const char *dts, const struct sim_config *cfg)
{
	struct sim_config def = { .seed = 1 };

	memset(&px_log, 0, sizeof(px_log));
	px_guest_errors_ok = false;
	tee_fx_boot_board(dts, cfg ? cfg : &def);
	sim_set_log(tfx.sim, stderr);
}

/** px_dev - the bound GPU, which must exist (its firmware boots with the first group) */
static inline struct panthor_device *px_dev(void)
{
	struct panthor_device *ptdev = panthor_device_get();

	assert_non_null(ptdev);
	return ptdev;
}

static inline int px_setup(void **state)
{
	(void)state;
	px_boot(NULL, NULL);
	return 0;
}

/** px_close_ctx - close the fixture's TEE context, before removing the drivers by hand */
static inline void px_close_ctx(void)
{
	tee_client_close_context(tfx.ctx);
	tfx.ctx = NULL;
}

static inline int px_teardown(void **state)
{
	(void)state;
	if (!px_guest_errors_ok)
		assert_int_equal(sim_guest_error_count(tfx.sim), 0);
	tee_fx_shutdown();
	return 0;
}

#define PX_TEST(fn) cmocka_unit_test_setup_teardown(fn, px_setup, px_teardown)

/* ---- buffers ---- */

struct px_buf {
	struct dma_buf *dmabuf;
	struct panthor_bo *bo;
	u64 pa;
	size_t size;
};

/** px_buf_alloc - @size bytes from heap @heap, imported for the GPU */
static inline void px_buf_alloc(struct panthor_device *ptdev, const char *heap, size_t size,
				struct px_buf *b)
{
	struct dma_heap *h = dma_heap_find(heap);

	assert_non_null(h);
	b->dmabuf = dma_heap_buffer_alloc(h, size, O_RDWR, 0);
	dma_heap_put(h);
	assert_false(IS_ERR(b->dmabuf));
	assert_int_equal(panthor_bo_import(ptdev, b->dmabuf, &b->bo), 0);
	b->pa = panthor_bo_dma_addr(b->bo);
	b->size = size;
}

static inline void px_buf_free(struct px_buf *b)
{
	panthor_bo_put(b->bo);
	dma_buf_put(b->dmabuf);
}

/** px_fb_group - a @size-byte system-heap frame buffer @fb and a priority-5 group */
static inline struct panthor_group *px_fb_group(struct panthor_device *ptdev, size_t size,
						struct px_buf *fb)
{
	struct panthor_group *g;

	px_buf_alloc(ptdev, "system", size, fb);
	assert_int_equal(panthor_group_create(ptdev, 5, &g), 0);
	return g;
}

/** px_mem - the buffer's bytes through the backdoor */
static inline u8 *px_mem(const struct px_buf *b)
{
	u8 *p = bus_ram_backdoor(tfx.soc->bus, b->pa, b->size);

	assert_non_null(p);
	return p;
}

/* ---- jobs ---- */

/** px_submit - submit @n instructions as job @id of @g; returns the submit's result */
static inline int px_submit(struct panthor_group *g, const struct gpu_instr *in, unsigned int n,
			    bool prot, unsigned int id)
{
	struct panthor_job_desc d = { .instrs = in, .n = n, .protected = prot, .done = px_done };

	assert_true(id < PX_JOBS_MAX);
	px_jobs[id] = (struct px_job){ .log = &px_log, .id = id };
	d.ctx = &px_jobs[id];
	return panthor_job_submit(g, &d);
}

/** px_status - the status job @id completed with (it must have completed once) */
static inline int px_status(unsigned int id)
{
	int found = 0, status = 1;

	for (unsigned int i = 0; i < px_log.n; i++)
		if (px_log.id[i] == id) {
			found++;
			status = px_log.status[i];
		}
	assert_int_equal(found, 1);
	return status;
}

static inline struct gpu_instr px_fill(u64 dst, u32 stride, u32 w, u32 h, u32 color)
{
	return (struct gpu_instr){ .op = GPU_OP_FILL, .width = w, .height = h,
				   .dst_stride = stride, .color = color, .dst = dst };
}

static inline struct gpu_instr px_convert(u64 luma, u64 chroma, u32 w, u32 h, u64 dst)
{
	return (struct gpu_instr){ .op = GPU_OP_CONVERT_NV12, .width = w, .height = h,
				   .src_stride = w, .dst_stride = w * PIXEL_XRGB_BYTES,
				   .src0 = luma, .src1 = chroma, .dst = dst };
}

/** px_nv12_pattern - a recognisable NV12 image of @w x @h at @p */
static inline void px_nv12_pattern(u8 *p, u32 w, u32 h)
{
	for (u32 i = 0; i < w * h; i++)
		p[i] = (u8)(16 + (i * 7 + i / w * 3) % 220);
	for (u32 i = 0; i < w * h / 2; i++)
		p[w * h + i] = (u8)(16 + (i * 13) % 225);
}

/** px_assert_xrgb - @n pixels at @got equal @want */
static inline void px_assert_xrgb(const u8 *got, const u8 *want, u32 n)
{
	for (u32 i = 0; i < n * PIXEL_XRGB_BYTES; i++)
		if (got[i] != want[i])
			fail_msg("byte %u of %u: got %02x, want %02x", i, n * PIXEL_XRGB_BYTES,
				 got[i], want[i]);
}

#endif /* SECSOC_TEST_PANTHOR_FIXTURE_H */
