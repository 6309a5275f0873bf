/*
 * test_secsoc_disp.c - the display driver (drivers/display/secsoc_disp.c)
 * on the whole default machine (tee_fixture.h): buffers from the `system`
 * and `protected,secure-video` heaps, filled through the RAM backdoor,
 * committed and shown; the CRC each vblank reports must be the CRC of the
 * bytes in the buffer, computed here. Teardown is the fixture's check that
 * nothing is left (attachments, buffers, kernel memory) in either world.
 */
#include <secsoc/display.h>
#include <secsoc/dma-heap.h>
#include <secsoc/interrupt.h>
#include <secsoc/io.h>
#include <secsoc/pixel.h>
#include <secsoc/protected_heap.h>
#include <secsoc/secsoc_disp.h>

#include "tee_fixture.h"

#define W 96
#define H 40
#define STRIDE (W * 4 + 64)
#define OFFSET 256
#define FB_LEN (OFFSET + STRIDE * H)
#define SECURE_VIDEO "protected,secure-video"
#define STEPS_MAX 500000
#define EVENTS_MAX 16

static struct {
	struct secsoc_disp_vblank ev[EVENTS_MAX];
	unsigned int n;
} vbl;

static void vblank_cb(void *ctx, const struct secsoc_disp_vblank *vb)
{
	assert_ptr_equal(ctx, &vbl);
	assert_true(in_hardirq());
	vbl.ev[vbl.n % EVENTS_MAX] = *vb;
	vbl.n++;
}

static const struct secsoc_disp_vblank *last_vblank(void)
{
	assert_true(vbl.n > 0);
	return &vbl.ev[(vbl.n - 1) % EVENTS_MAX];
}

static struct secsoc_disp *disp_up(void)
{
	struct secsoc_disp *disp = secsoc_disp_get();

	assert_non_null(disp);
	memset(&vbl, 0, sizeof(vbl));
	secsoc_disp_set_vblank_cb(disp, vblank_cb, &vbl);
	return disp;
}

/* Run until @n vblanks in all were reported. */
static void run_vblanks(unsigned int n)
{
	for (unsigned int i = 0; vbl.n < n; i++) {
		assert_true(i < STEPS_MAX);
		assert_true(sim_step_once(tfx.sim));
	}
}

/* Stop the display and let the machine settle. */
static void disp_down(struct secsoc_disp *disp)
{
	secsoc_disp_disable(disp);
	tee_fx_run();
}

static struct dma_buf *alloc_fb(const char *heap_name)
{
	struct dma_heap *heap = dma_heap_find(heap_name);
	struct dma_buf *buf;

	assert_non_null(heap);
	buf = dma_heap_buffer_alloc(heap, FB_LEN, O_RDWR, 0);
	dma_heap_put(heap);
	assert_false(IS_ERR(buf));
	return buf;
}

static u32 disp_reg(u32 off)
{
	return cpu_read32(&tfx.soc->cpus[0], display_config(tfx.soc->display)->base + off);
}

/* The framebuffer address the driver programmed (shadow registers). */
static u64 programmed_fb(void)
{
	return disp_reg(DISPLAY_FB_BASE_LO) | (u64)disp_reg(DISPLAY_FB_BASE_HI) << 32;
}

/* Fill the W x H image at @pa with a pattern of @seed; return its CRC. */
static u32 fill_fb(u64 pa, u32 seed)
{
	u8 *p = bus_ram_backdoor(tfx.soc->bus, pa, (size_t)STRIDE * H);

	assert_non_null(p);
	for (u32 i = 0; i < STRIDE * H; i++)
		p[i] = (u8)(seed * 37 + i * 11 + (i >> 7));
	return pixel_crc_rows(0, p, STRIDE, W, H);
}

/* Commit @buf (its reference stays the caller's) and fill what the display will read. */
static u32 commit_filled(struct secsoc_disp *disp, struct dma_buf *buf, u32 seed)
{
	assert_int_equal(secsoc_disp_commit(disp, buf, OFFSET, W, H, STRIDE), 0);
	return fill_fb(programmed_fb(), seed);
}

static void test_probe_binds(void **state)
{
	struct device *dev = driver_core_bound_device(&tfx.k.dc, tfx.soc->display_node);
	struct secsoc_disp_stats st;

	assert_non_null(dev);
	assert_ptr_equal(dev_get_drvdata(dev), secsoc_disp_get());
	assert_ptr_equal(tfx.k.irqs[tfx.soc->display_irq.intid].dev_id, secsoc_disp_get());
	assert_int_equal(disp_reg(DISPLAY_INT_MASK), DISPLAY_INT_ALL);
	assert_int_equal(disp_reg(DISPLAY_CTRL), 0);
	st = secsoc_disp_stats(secsoc_disp_get());
	assert_int_equal(st.frames, 0);
	assert_int_equal(st.held, 0);
}

static void show_buffer(const char *heap_name)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb(heap_name);
	u32 crc = commit_filled(disp, buf, 1);
	const struct secsoc_disp_vblank *vb;

	dma_buf_put(buf);	/* the display holds its own reference */
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(2);
	vb = last_vblank();
	assert_int_equal(vb->crc, crc);
	assert_ptr_equal(vb->fb, buf);
	assert_int_equal(vb->offset, OFFSET);
	assert_int_equal(vb->commit, 1);
	assert_int_equal(vb->seq, 2);
	assert_false(vb->fault);
	assert_false(vb->blank);
	assert_int_equal(vbl.ev[0].crc, crc);
	assert_int_equal(secsoc_disp_stats(disp).frames, 2);
	assert_int_equal(secsoc_disp_stats(disp).faults, 0);
	disp_down(disp);
}

static void test_shows_system_buffer(void **state)
{
	show_buffer("system");
}

static void test_shows_protected_buffer(void **state)
{
	show_buffer(SECURE_VIDEO);
}

/* The address the display scans is the buffer's own, at the offset. */
static void test_protected_buffer_address(void **state)
{
	struct device *tee = driver_core_bound_device(&tfx.k.dc, tfx.soc->tee_node);
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb(SECURE_VIDEO);
	phys_addr_t pa = 0;
	u64 size = 0;

	assert_non_null(tee);
	assert_true(protected_dma_buf_range(buf, dev_get_drvdata(tee), &pa, &size));
	assert_int_equal(secsoc_disp_commit(disp, buf, OFFSET, W, H, STRIDE), 0);
	assert_int_equal(programmed_fb(), pa + OFFSET);
	assert_int_equal(buf->nr_attachments, 1);
	dma_buf_put(buf);
}

/* KMS life cycle: the old buffer goes at the first vblank that showed the new one. */
static void test_old_buffer_released_after_flip(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *a = alloc_fb("system"), *b = alloc_fb(SECURE_VIDEO);
	u32 crc_a = commit_filled(disp, a, 2), crc_b;
	u64 live;

	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	assert_int_equal(last_vblank()->crc, crc_a);
	crc_b = commit_filled(disp, b, 3);
	dma_buf_put(b);
	assert_int_not_equal(crc_a, crc_b);
	assert_int_equal(secsoc_disp_stats(disp).held, 2);
	assert_int_equal(a->nr_attachments, 1);
	assert_int_equal(b->nr_attachments, 1);
	run_vblanks(2);
	assert_ptr_equal(last_vblank()->fb, b);
	assert_int_equal(last_vblank()->crc, crc_b);
	assert_int_equal(last_vblank()->commit, 2);
	assert_int_equal(secsoc_disp_stats(disp).held, 1);
	assert_int_equal(a->nr_attachments, 0);
	assert_int_equal(b->nr_attachments, 1);
	/* The display dropped its reference to a: ours is the last. */
	live = dma_buf_stats().live;
	dma_buf_put(a);
	assert_int_equal(dma_buf_stats().live, live - 1);
	disp_down(disp);
}

/* A commit the hardware never latched is replaced, and released, by the next. */
static void test_unlatched_commit_replaced(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *a = alloc_fb("system"), *b = alloc_fb("system");
	u32 crc_b;

	commit_filled(disp, a, 4);
	crc_b = commit_filled(disp, b, 5);
	assert_int_equal(secsoc_disp_stats(disp).replaced, 1);
	assert_int_equal(secsoc_disp_stats(disp).held, 1);
	assert_int_equal(a->nr_attachments, 0);
	assert_int_equal(b->nr_attachments, 1);
	dma_buf_put(a);
	dma_buf_put(b);
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	assert_int_equal(last_vblank()->crc, crc_b);
	assert_int_equal(last_vblank()->commit, 2);
	disp_down(disp);
}

static void test_blank_frames_without_commit(void **state)
{
	struct secsoc_disp *disp = disp_up();

	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	assert_true(last_vblank()->blank);
	assert_null(last_vblank()->fb);
	assert_int_equal(last_vblank()->crc, 0);
	disp_down(disp);
}

static void test_bad_commit_arguments(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb("system");
	u32 big = (u32)buf->size;

	assert_int_equal(secsoc_disp_commit(NULL, buf, 0, W, H, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, NULL, 0, W, H, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, 0, H, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, 0, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, DISPLAY_DIM_MAX + 1, 1, 65536),
			 -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, H, W * 4 - 4), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, H, STRIDE + 2), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 2, W, H, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, big - (STRIDE * (H - 1) + W * 4) + 4,
					    W, H, STRIDE),
			 -EINVAL);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, big / STRIDE + 1, STRIDE), -EINVAL);
	assert_int_equal(secsoc_disp_enable(NULL), -EINVAL);
	assert_int_equal(secsoc_disp_stats(disp).commits, 0);
	assert_int_equal(secsoc_disp_stats(disp).held, 0);
	assert_int_equal(buf->nr_attachments, 0);
	assert_int_equal(disp_reg(DISPLAY_COMMIT), 0);
	dma_buf_put(buf);
}

static void test_slots_limited(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb("system");

	/* Latched commits stay held until a vblank shows a newer one. */
	for (unsigned int i = 0; i < SECSOC_DISP_FBS_MAX; i++) {
		assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, H, STRIDE), 0);
		assert_int_equal(secsoc_disp_enable(disp), 0);
		for (unsigned int n = 0; disp_reg(DISPLAY_COMMIT); n++) {
			assert_true(n < STEPS_MAX);	/* until the display latches it */
			assert_true(sim_step_once(tfx.sim));
		}
		secsoc_disp_disable(disp);
	}
	assert_int_equal(vbl.n, 0);
	assert_int_equal(secsoc_disp_stats(disp).held, SECSOC_DISP_FBS_MAX);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, H, STRIDE), -EBUSY);
	dma_buf_put(buf);
	disp_down(disp);
}

/* release_fbs lets go of everything; the display needs a new commit to run again. */
static void test_release_fbs(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *a = alloc_fb("system"), *b = alloc_fb("system");
	u32 crc_b;

	commit_filled(disp, a, 9);
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	secsoc_disp_release_fbs(disp);
	assert_int_equal(a->nr_attachments, 0);
	assert_int_equal(secsoc_disp_stats(disp).held, 0);
	assert_int_equal(disp_reg(DISPLAY_CTRL), 0);
	assert_int_equal(secsoc_disp_enable(disp), -EINVAL);
	dma_buf_put(a);
	crc_b = commit_filled(disp, b, 10);
	dma_buf_put(b);
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(2);
	assert_int_equal(last_vblank()->crc, crc_b);
	assert_int_equal(last_vblank()->commit, 2);
	disp_down(disp);
}

/* Removing the driver stops the display and lets go of every buffer. */
static void test_remove_releases_everything(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *a = alloc_fb("system"), *b = alloc_fb(SECURE_VIDEO);

	commit_filled(disp, a, 6);
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	commit_filled(disp, b, 7);
	assert_int_equal(a->nr_attachments + b->nr_attachments, 2);
	dma_buf_put(a);
	dma_buf_put(b);
	tee_client_close_context(tfx.ctx);
	tfx.ctx = NULL;
	driver_core_remove_all(&tfx.k.dc);
	assert_null(secsoc_disp_get());
	assert_int_equal(dma_buf_stats().attachments, 0);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(disp_reg(DISPLAY_CTRL), 0);
	assert_int_equal(ioremap_count(), 0);
	tee_fx_run();
}

/* ---- a display the secure world does not grant protected memory ---- */

static int setup_ungranted(void **state)
{
	struct sim_config cfg = { .seed = 1 };

	tee_fx_boot_board(test_board_variant("soc/secsoc.dts", "display-nsaid5.dts",
					     "secsoc,nsaid = <3>;", "secsoc,nsaid = <5>;"), &cfg);
	return 0;
}

static void test_ungranted_display_refused_protected(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb(SECURE_VIDEO);

	assert_int_equal(display_config(tfx.soc->display)->nsaid, 5);
	assert_int_equal(secsoc_disp_commit(disp, buf, 0, W, H, STRIDE), -EBUSY);
	assert_int_equal(secsoc_disp_stats(disp).held, 0);
	assert_int_equal(buf->nr_attachments, 0);
	dma_buf_put(buf);
}

/*
 * Memory protected under the display's feet: its reads are denied, read as
 * zeros with an error response, and the vblank says so, with the CRC of
 * the zeros.
 */
static void test_fault_reported(void **state)
{
	struct secsoc_disp *disp = disp_up();
	struct dma_buf *buf = alloc_fb("system");
	u8 *zeros = calloc(H, STRIDE);
	u64 base;

	assert_non_null(zeros);
	commit_filled(disp, buf, 8);
	base = programmed_fb() - OFFSET;	/* the buffer is one contiguous range */
	assert_int_equal(secsoc_disp_enable(disp), 0);
	run_vblanks(1);
	assert_false(last_vblank()->fault);
	assert_int_equal(tee_protmem_assign(&tfx.tee, base, buf->size), TEE_SUCCESS);
	run_vblanks(3);
	assert_true(last_vblank()->fault);
	assert_int_equal(last_vblank()->crc, pixel_crc_rows(0, zeros, STRIDE, W, H));
	assert_true(secsoc_disp_stats(disp).faults >= 1);
	disp_down(disp);
	assert_int_equal(tee_protmem_release(&tfx.tee, base, buf->size), TEE_SUCCESS);
	dma_buf_put(buf);
	free(zeros);
}

#define UNGRANTED_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup_ungranted, tee_fx_teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		TEE_TEST(test_probe_binds),
		TEE_TEST(test_shows_system_buffer),
		TEE_TEST(test_shows_protected_buffer),
		TEE_TEST(test_protected_buffer_address),
		TEE_TEST(test_old_buffer_released_after_flip),
		TEE_TEST(test_unlatched_commit_replaced),
		TEE_TEST(test_blank_frames_without_commit),
		TEE_TEST(test_bad_commit_arguments),
		TEE_TEST(test_slots_limited),
		TEE_TEST(test_release_fbs),
		TEE_TEST(test_remove_releases_everything),
		UNGRANTED_TEST(test_ungranted_display_refused_protected),
		UNGRANTED_TEST(test_fault_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
