/*
 * test_dma_heap.c - the dma-heap framework (kernel/dma-heap.c) with a heap
 * defined here: name and ops rules, minors, find/put, the in-kernel
 * allocation checks, DMA_HEAP_IOCTL_ALLOC driven by a process (checks in
 * Linux's order, struct size tolerance, a failed copy back), and the
 * lifetime the review asked for: a heap removed while an open file, live
 * buffers and a find reference hold it stays valid for them and is
 * released when the last of them goes, whichever that is.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/dma-heap.h>
#include <secsoc/err.h>

#include <secsoc/kernel.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define TH_NAME "test-heap"
#define TH_NODE "/dev/dma_heap/" TH_NAME
#define SCRATCH_BYTES (4 * PAGE_SIZE)
#define ALLOC_CMD(size) _IOC(_IOC_READ | _IOC_WRITE, 'H', 0, (size))

/* A test heap: counts its calls; a buffer is kernel memory the CPU can vmap. */
struct test_heap {
	struct dma_heap *heap;
	unsigned int allocs, buf_releases, releases;
	unsigned long last_len;
	u32 last_fd_flags;
	int fail;			/* allocate() returns ERR_PTR(fail) when set */
};

struct th_buf {
	struct dma_heap *heap;
	void *mem;
};

static struct test_heap th;
static struct process proc;
static u64 scratch;			/* user memory for ioctl arguments */
/* What a test expects to leave: WARNs and always() violations. */
static u64 expected_warnings;
static unsigned int expected_violations;
static u64 base_heaps;			/* registered at boot (the system heap) */

/* ---- the test heap ---- */

static struct sg_table *th_map(struct dma_buf_attachment *a, enum dma_data_direction dir)
{
	return ERR_PTR(-ENXIO);
}

static void th_unmap(struct dma_buf_attachment *a, struct sg_table *sgt,
		     enum dma_data_direction dir)
{
}

static int th_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct th_buf *b = dmabuf->priv;

	map->vaddr = b->mem;
	return 0;
}

static void th_buf_release(struct dma_buf *dmabuf)
{
	struct th_buf *b = dmabuf->priv;
	struct dma_heap *heap = b->heap;
	struct test_heap *t = dma_heap_get_drvdata(heap);

	t->buf_releases++;
	kfree(b->mem);
	kfree(b);
	dma_heap_buffer_release(heap);
}

static const struct dma_buf_ops th_buf_ops = {
	.map_dma_buf = th_map,
	.unmap_dma_buf = th_unmap,
	.vmap = th_vmap,
	.release = th_buf_release,
};

static struct dma_buf *th_allocate(struct dma_heap *heap, unsigned long len, u32 fd_flags,
				   u64 heap_flags)
{
	struct test_heap *t = dma_heap_get_drvdata(heap);
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct dma_buf *buf;
	struct th_buf *b;

	t->allocs++;
	t->last_len = len;
	t->last_fd_flags = fd_flags;
	if (t->fail)
		return ERR_PTR(t->fail);
	b = kzalloc(sizeof(*b), GFP_KERNEL);
	assert_non_null(b);
	b->heap = heap;
	b->mem = kzalloc(len, GFP_KERNEL);
	assert_non_null(b->mem);
	info.ops = &th_buf_ops;
	info.size = len;
	info.flags = (int)fd_flags;
	info.priv = b;
	buf = dma_buf_export(&info);
	assert_false(IS_ERR(buf));
	return buf;
}

static void th_release(struct dma_heap *heap)
{
	struct test_heap *t = dma_heap_get_drvdata(heap);

	t->releases++;
}

static const struct dma_heap_ops th_ops = {
	.allocate = th_allocate,
	.release = th_release,
};

static struct dma_heap *add_named(const char *name, const struct dma_heap_ops *ops)
{
	struct dma_heap_export_info info = { .name = name, .ops = ops, .priv = &th };

	return dma_heap_add(&info);
}

/* ---- fixture ---- */

/*
 * The default board with its secure world (which opens the TZC to the
 * normal world, so processes can use memory) and only the GIC driver: the
 * kernel's initcalls register the system heap, the test adds its own.
 */
static struct {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	struct kernel k;
} fx;

extern const struct platform_driver gic_driver;

static const struct platform_driver *const fx_drivers[] = { &gic_driver };

static int setup(void **state)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	assert_int_equal(soc_load_dt(NULL, NULL, &fx.dt, &err), 0);
	fx.sim = sim_create(&cfg);
	assert_int_equal(soc_create(fx.sim, fx.dt, &fx.soc, &err), 0);
	assert_int_equal(tee_boot(&fx.tee, fx.soc, &err), 0);
	assert_int_equal(kernel_boot(&fx.k, fx.soc, NULL, fx_drivers, ARRAY_SIZE(fx_drivers),
				     &err), 0);
	warn_reset();
	expected_warnings = 0;
	expected_violations = 0;
	base_heaps = dma_heap_stats().heaps;
	assert_int_equal(dma_heap_stats().registered, base_heaps);
	memset(&th, 0, sizeof(th));
	th.heap = add_named(TH_NAME, &th_ops);
	assert_false(IS_ERR(th.heap));
	assert_int_equal(process_init(&proc, "heap-test", &fx.soc->cpus[0]), 0);
	scratch = process_alloc_user(&proc, SCRATCH_BYTES);
	assert_int_not_equal(scratch, 0);
	return 0;
}

/* Whatever a test left: the test heap goes, then everything must be gone. */
static int teardown(void **state)
{
	struct dma_heap_stats hs;

	process_exit(&proc);
	if (th.heap)
		dma_heap_remove(th.heap);
	hs = dma_heap_stats();
	assert_int_equal(hs.heaps, base_heaps);
	assert_int_equal(hs.registered, base_heaps);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(file_stats().live_files, 0);
	assert_int_equal(warn_count(), expected_warnings);
	assert_int_equal(fx.soc->cpus[0].aborts, 0);
	kernel_shutdown(&fx.k);
	assert_int_equal(dma_heap_stats().heaps, 0);
	if (sim_violation_count(fx.sim) != expected_violations)
		fail_msg("%u always() violations, %u expected; the first: %s",
			 sim_violation_count(fx.sim), expected_violations,
			 sim_violation_count(fx.sim) ? sim_violation(fx.sim, 0)->msg : "-");
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
	return 0;
}

/* Does always() violation @i say @text? */
static bool violation_has(unsigned int i, const char *text)
{
	const struct sim_violation *v = sim_violation(fx.sim, i);

	return v && strstr(v->msg, text);
}

#define HEAP_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* The test heap is gone: teardown must not remove it again. */
static void th_removed(void)
{
	th.heap = NULL;
}

/* ---- the process side ---- */

/* DMA_HEAP_IOCTL_ALLOC with @cmd and the @size bytes at @data, read back after. */
static long heap_ioctl(int fd, unsigned int cmd, void *data, size_t size)
{
	long ret;

	assert_true(size <= SCRATCH_BYTES);
	assert_int_equal(process_write(&proc, scratch, data, size), 0);
	ret = sys_ioctl(&proc, fd, cmd, scratch);
	assert_int_equal(process_read(&proc, scratch, data, size), 0);
	return ret;
}

static long alloc_ioctl(int fd, struct dma_heap_allocation_data *d)
{
	return heap_ioctl(fd, DMA_HEAP_IOCTL_ALLOC, d, sizeof(*d));
}

static int open_heap(void)
{
	int fd = sys_open(&proc, TH_NODE, O_RDWR | O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

/* An ALLOC the ioctl refuses with @want before allocate() runs. */
static void assert_refused(int fd, struct dma_heap_allocation_data d, long want)
{
	unsigned int allocs = th.allocs;

	assert_int_equal(alloc_ioctl(fd, &d), want);
	assert_int_equal(th.allocs, allocs);
	assert_int_equal(dma_buf_stats().live, 0);
}

/* How many fds @proc has (reserved or installed). */
static unsigned int fds_in_use(void)
{
	unsigned int n = 0;

	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++)
		n += !!(proc.open_fds[fd / 64] & BIT_ULL(fd % 64));
	return n;
}

/* ---- registration ---- */

static void test_add_refuses_bad_names(void **state)
{
	char longest[DMA_HEAP_NAME_MAX], too_long[DMA_HEAP_NAME_MAX + 1];
	struct dma_heap *h;

	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	memset(too_long, 'b', sizeof(too_long) - 1);
	too_long[sizeof(too_long) - 1] = '\0';
	assert_ptr_equal(add_named(NULL, &th_ops), ERR_PTR(-EINVAL));
	assert_ptr_equal(add_named("", &th_ops), ERR_PTR(-EINVAL));
	assert_ptr_equal(add_named("a/b", &th_ops), ERR_PTR(-EINVAL));
	assert_ptr_equal(add_named(too_long, &th_ops), ERR_PTR(-EINVAL));
	assert_ptr_equal(dma_heap_add(NULL), ERR_PTR(-EINVAL));
	h = add_named(longest, &th_ops);
	assert_false(IS_ERR(h));
	assert_string_equal(dma_heap_get_name(h), longest);
	dma_heap_remove(h);
	assert_int_equal(dma_heap_stats().heaps, base_heaps + 1);
}

static void test_add_refuses_missing_ops(void **state)
{
	static const struct dma_heap_ops no_allocate = { .release = th_release };

	assert_ptr_equal(add_named("no-ops", NULL), ERR_PTR(-EINVAL));
	assert_ptr_equal(add_named("no-allocate", &no_allocate), ERR_PTR(-EINVAL));
	assert_int_equal(dma_heap_stats().registered, base_heaps + 1);
}

static void test_add_refuses_a_registered_name(void **state)
{
	assert_ptr_equal(add_named(TH_NAME, &th_ops), ERR_PTR(-EINVAL));
	assert_ptr_equal(add_named("system", &th_ops), ERR_PTR(-EINVAL));
	assert_int_equal(dma_heap_stats().heaps, base_heaps + 1);
}

static void test_add_makes_the_node_and_remove_takes_it(void **state)
{
	int fd = open_heap();

	assert_string_equal(proc.fds[fd]->name, TH_NODE);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(sys_open(&proc, "/dev/dma_heap/nonexistent", O_RDWR), -ENOENT);
	dma_heap_remove(th.heap);
	th_removed();
	assert_int_equal(sys_open(&proc, TH_NODE, O_RDWR), -ENOENT);
	assert_int_equal(th.releases, 1);
	assert_int_equal(fds_in_use(), 0);
}

static void test_remove_twice_warns(void **state)
{
	struct dma_heap *h = dma_heap_find(TH_NAME);

	dma_heap_remove(th.heap);
	th_removed();
	dma_heap_remove(h);
	assert_int_equal(warn_count(), 1);
	expected_warnings = 1;
	assert_int_equal(th.releases, 0);
	dma_heap_put(h);
	assert_int_equal(th.releases, 1);
}

static void test_get_drvdata_and_name(void **state)
{
	assert_ptr_equal(dma_heap_get_drvdata(th.heap), &th);
	assert_string_equal(dma_heap_get_name(th.heap), TH_NAME);
}

/* Minors are freed with the heap: a removed heap someone still holds keeps its own. */
static void test_minors_run_out_at_128(void **state)
{
	struct dma_heap *heaps[NUM_HEAP_MINORS], *held;
	unsigned int n = 0;
	char name[16];

	/* The boot's heaps and the test heap have their minors already. */
	for (; n < NUM_HEAP_MINORS - base_heaps - 1; n++) {
		snprintf(name, sizeof(name), "h%u", n);
		heaps[n] = add_named(name, &th_ops);
		assert_false(IS_ERR(heaps[n]));
	}
	assert_ptr_equal(add_named("one-too-many", &th_ops), ERR_PTR(-EBUSY));
	/* Minors are checked before the name, as in Linux. */
	assert_ptr_equal(add_named(TH_NAME, &th_ops), ERR_PTR(-EBUSY));
	held = dma_heap_find("h0");
	dma_heap_remove(heaps[0]);
	assert_ptr_equal(add_named("one-too-many", &th_ops), ERR_PTR(-EBUSY));
	dma_heap_put(held);
	heaps[0] = add_named("one-too-many", &th_ops);
	assert_false(IS_ERR(heaps[0]));
	for (unsigned int i = 0; i < n; i++)
		dma_heap_remove(heaps[i]);
	assert_int_equal(th.releases, n + 1);	/* h0 and the n removed here */
}

/* ---- find and put ---- */

static void test_find_counts_references(void **state)
{
	struct dma_heap *a = dma_heap_find(TH_NAME), *b = dma_heap_find(TH_NAME);

	assert_ptr_equal(a, th.heap);
	assert_ptr_equal(b, th.heap);
	dma_heap_remove(th.heap);
	th_removed();
	assert_null(dma_heap_find(TH_NAME));
	assert_int_equal(dma_heap_stats().heaps, base_heaps + 1);
	assert_int_equal(dma_heap_stats().registered, base_heaps);
	dma_heap_put(a);
	assert_int_equal(th.releases, 0);
	dma_heap_put(b);
	assert_int_equal(th.releases, 1);
	assert_int_equal(dma_heap_stats().heaps, base_heaps);
}

static void test_find_unknown_is_null_and_put_null_is_a_no_op(void **state)
{
	assert_null(dma_heap_find("no-such-heap"));
	assert_null(dma_heap_find(NULL));
	assert_null(dma_heap_find(""));
	dma_heap_put(NULL);
	assert_int_equal(warn_count(), 0);
	assert_int_equal(dma_heap_stats().heaps, base_heaps + 1);
}

static void test_put_without_find_is_caught(void **state)
{
	dma_heap_put(th.heap);
	assert_int_equal(sim_violation_count(fx.sim), 1);
	assert_true(violation_has(0, "a put without a get"));
	/* Not freed: the registration's reference is still there. */
	assert_ptr_equal(dma_heap_find(TH_NAME), th.heap);
	dma_heap_put(th.heap);
	expected_violations = 1;
}

/* ---- in-kernel allocation ---- */

static void test_buffer_alloc_checks_before_allocate(void **state)
{
	th.fail = -ENOSPC;
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, 0, 0, 0), ERR_PTR(-EINVAL));
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, SIZE_MAX - PAGE_SIZE + 2, 0, 0),
			 ERR_PTR(-EINVAL));
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, PAGE_SIZE, O_RDWR | 04000, 0),
			 ERR_PTR(-EINVAL));
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, PAGE_SIZE, 0, 1), ERR_PTR(-EINVAL));
	assert_int_equal(th.allocs, 0);
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, PAGE_SIZE, 0, 0), ERR_PTR(-ENOSPC));
	assert_int_equal(th.allocs, 1);
	assert_ptr_equal(dma_heap_buffer_alloc(NULL, PAGE_SIZE, 0, 0), ERR_PTR(-EINVAL));
	assert_int_equal(warn_count(), 1);
	expected_warnings = 1;
}

static void test_buffer_alloc_page_aligns_and_holds_the_heap(void **state)
{
	struct dma_buf *buf = dma_heap_buffer_alloc(th.heap, 1, O_RDWR | O_CLOEXEC, 0);

	assert_false(IS_ERR(buf));
	assert_int_equal(th.last_len, PAGE_SIZE);
	assert_int_equal(th.last_fd_flags, O_RDWR | O_CLOEXEC);
	assert_int_equal(buf->size, PAGE_SIZE);
	assert_string_equal(buf->exp_name, "th_allocate");
	dma_heap_remove(th.heap);
	th_removed();
	assert_int_equal(th.releases, 0);
	dma_buf_put(buf);
	assert_int_equal(th.buf_releases, 1);
	assert_int_equal(th.releases, 1);
}

/* A failed allocate() gives the buffer's reference back: the heap goes at remove. */
static void test_failed_allocate_holds_nothing(void **state)
{
	th.fail = -ENOMEM;
	assert_ptr_equal(dma_heap_buffer_alloc(th.heap, PAGE_SIZE, 0, 0), ERR_PTR(-ENOMEM));
	dma_heap_remove(th.heap);
	th_removed();
	assert_int_equal(th.releases, 1);
}

/* ---- the ioctl ---- */

static void test_ioctl_allocates_an_fd(void **state)
{
	struct dma_heap_allocation_data d = { .len = 5000, .fd_flags = O_RDWR | O_CLOEXEC };
	int hfd = open_heap();
	struct dma_buf *buf;

	assert_int_equal(alloc_ioctl(hfd, &d), 0);
	assert_int_equal(d.fd, hfd + 1);
	assert_int_equal(d.len, 5000);		/* the user's struct keeps its length */
	assert_int_equal(th.last_len, 2 * PAGE_SIZE);
	assert_true(proc.cloexec[0] & BIT_ULL(d.fd));
	buf = dma_buf_get(&proc, (int)d.fd);
	assert_false(IS_ERR(buf));
	assert_int_equal(buf->size, 2 * PAGE_SIZE);
	assert_int_equal(buf->file->f_flags, O_RDWR | O_CLOEXEC);
	dma_buf_put(buf);
	assert_int_equal(sys_lseek(&proc, (int)d.fd, 0, SEEK_END), 2 * PAGE_SIZE);
	assert_int_equal(sys_close(&proc, (int)d.fd), 0);
	assert_int_equal(th.buf_releases, 1);
}

/* Check 1: only the number counts, and it comes before the argument is read. */
static void test_ioctl_number_check_comes_first(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	int hfd = open_heap();

	assert_int_equal(sys_ioctl(&proc, hfd, _IOWR('H', 1, struct dma_heap_allocation_data),
				   USER_BASE - PAGE_SIZE), -EINVAL);
	assert_int_equal(sys_ioctl(&proc, hfd, _IOWR('H', 0xff, u64), scratch), -EINVAL);
	assert_int_equal(sys_ioctl(&proc, hfd, DMA_HEAP_IOCTL_ALLOC, USER_BASE - PAGE_SIZE),
			 -EFAULT);
	/* Another magic with number 0 is DMA_HEAP_IOCTL_ALLOC all the same. */
	assert_int_equal(heap_ioctl(hfd, _IOWR('X', 0, struct dma_heap_allocation_data), &d,
				    sizeof(d)), 0);
	assert_int_equal(th.allocs, 1);
	assert_int_equal(sys_close(&proc, (int)d.fd), 0);
}

/* Checks 2 to 5, each alone, all before allocate() (which would fail with -ENOSPC). */
static void test_ioctl_checks_each_refuse_before_allocate(void **state)
{
	const struct dma_heap_allocation_data ok = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	struct dma_heap_allocation_data d;
	int hfd = open_heap();

	th.fail = -ENOSPC;
	d = ok, d.fd = 3;
	assert_refused(hfd, d, -EINVAL);
	d = ok, d.fd_flags = ~(O_RDWR | O_CLOEXEC);
	assert_refused(hfd, d, -EINVAL);
	d = ok, d.fd_flags = O_RDWR | 04000;	/* O_NONBLOCK */
	assert_refused(hfd, d, -EINVAL);
	d = ok, d.heap_flags = 0x111111;
	assert_refused(hfd, d, -EINVAL);
	d = ok, d.len = 0;
	assert_refused(hfd, d, -EINVAL);
	d = ok, d.len = ~0ULL - 100;		/* wraps to 0 when page aligned */
	assert_refused(hfd, d, -EINVAL);
	/* Check 6: allocate()'s own error comes back as it is. */
	d = ok;
	assert_int_equal(alloc_ioctl(hfd, &d), -ENOSPC);
	assert_int_equal(th.allocs, 1);
	assert_int_equal(d.fd, 0);
}

/* Two checks broken at once: the earlier one decides. */
static void test_ioctl_earlier_check_wins(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	int hfd = open_heap(), fd;
	unsigned int reserved = 0;

	/* 1 before the copy in: an unknown number at an unmapped address. */
	assert_int_equal(sys_ioctl(&proc, hfd, _IOC(_IOC_NONE, 'H', 1, 0), 0), -EINVAL);
	/* 2..5 before 6: bad fd and a heap that would fail. */
	th.fail = -ENOSPC;
	d.fd = 1;
	assert_refused(hfd, d, -EINVAL);
	/* 6 before 7: allocate() fails and the fd table is full. */
	d.fd = 0;
	while ((fd = get_unused_fd_flags(&proc, 0)) >= 0)
		reserved |= fd == PROCESS_FDS_MAX - 1;
	assert_true(reserved);
	assert_int_equal(alloc_ioctl(hfd, &d), -ENOSPC);
	/* 7 on its own: the buffer allocate() made is released. */
	th.fail = 0;
	assert_int_equal(alloc_ioctl(hfd, &d), -EMFILE);
	assert_int_equal(th.allocs, 2);
	assert_int_equal(th.buf_releases, 1);
	assert_int_equal(dma_buf_stats().live, 0);
	for (fd = hfd + 1; fd < PROCESS_FDS_MAX; fd++)
		put_unused_fd(&proc, fd);
	assert_int_equal(warn_count(), 0);
}

static void test_ioctl_on_a_bad_fd_is_ebadf(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };

	assert_int_equal(alloc_ioctl(17, &d), -EBADF);
	assert_int_equal(alloc_ioctl(-1, &d), -EBADF);
	assert_int_equal(alloc_ioctl(PROCESS_FDS_MAX, &d), -EBADF);
	assert_int_equal(th.allocs, 0);
}

/* The selftest's "compat older": 16 bytes, no heap_flags, the number for 16 bytes. */
static void test_ioctl_takes_an_older_smaller_struct(void **state)
{
	struct { u64 len; u32 fd, fd_flags; } old = { PAGE_SIZE, 0, O_RDWR | O_CLOEXEC };
	int hfd = open_heap();

	assert_int_equal(heap_ioctl(hfd, ALLOC_CMD(sizeof(old)), &old, sizeof(old)), 0);
	assert_int_equal(old.fd, hfd + 1);
	assert_int_equal(th.last_fd_flags, O_RDWR | O_CLOEXEC);
	assert_int_equal(sys_close(&proc, (int)old.fd), 0);
}

/* The selftest's "compat newer": 48 bytes, the tail garbage, given back untouched. */
static void test_ioctl_takes_a_newer_larger_struct(void **state)
{
	struct {
		struct dma_heap_allocation_data d;
		u64 garbage[3];
	} nw = { { .len = PAGE_SIZE, .fd_flags = O_RDWR }, { 0xdead, 0xbeef, ~0ULL } };
	int hfd = open_heap();

	assert_int_equal(sizeof(nw), 48);
	assert_int_equal(heap_ioctl(hfd, ALLOC_CMD(sizeof(nw)), &nw, sizeof(nw)), 0);
	assert_int_equal(nw.d.fd, hfd + 1);
	assert_int_equal(nw.garbage[0], 0xdead);
	assert_int_equal(nw.garbage[1], 0xbeef);
	assert_int_equal(nw.garbage[2], ~0ULL);
	assert_int_equal(sys_close(&proc, (int)nw.d.fd), 0);
}

/* Above Linux's 128-byte stack buffer the argument is kmalloc()ed, and freed. */
static void test_ioctl_takes_a_struct_past_the_stack_buffer(void **state)
{
	u8 big[3000];
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	u64 objects;
	int hfd = open_heap();

	memset(big, 0x5a, sizeof(big));
	memcpy(big, &d, sizeof(d));
	objects = kmem_stats().objects;
	assert_int_equal(heap_ioctl(hfd, ALLOC_CMD(sizeof(big)), big, sizeof(big)), 0);
	memcpy(&d, big, sizeof(d));
	assert_int_equal(d.fd, hfd + 1);
	assert_int_equal(big[sizeof(big) - 1], 0x5a);
	/* The argument copy is gone: new are the file, the dma_buf and the heap's two. */
	assert_int_equal(kmem_stats().objects, objects + 4);
	assert_int_equal(sys_close(&proc, (int)d.fd), 0);
	assert_int_equal(kmem_stats().objects, objects);
}

/* Without the write direction nothing is read: the zeroed struct has len 0. */
static void test_ioctl_directions_decide_the_copies(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	int hfd = open_heap();

	assert_int_equal(heap_ioctl(hfd, _IOR('H', 0, struct dma_heap_allocation_data), &d,
				    sizeof(d)), -EINVAL);
	assert_int_equal(heap_ioctl(hfd, _IOC(_IOC_NONE, 'H', 0, 0), &d, 0), -EINVAL);
	assert_int_equal(th.allocs, 0);
	/* Without the read direction the fd is installed but never told (as in Linux). */
	d = (struct dma_heap_allocation_data){ .len = PAGE_SIZE, .fd_flags = O_RDWR };
	assert_int_equal(heap_ioctl(hfd, _IOW('H', 0, struct dma_heap_allocation_data), &d,
				    sizeof(d)), 0);
	assert_int_equal(d.fd, 0);
	assert_non_null(proc.fds[hfd + 1]);
	assert_true(is_dma_buf_file(proc.fds[hfd + 1]));
	assert_int_equal(sys_close(&proc, hfd + 1), 0);
}

/*
 * Check 8: the argument is readable but not writable (a read-only mapping
 * of a system-heap buffer), so the fd cannot be given back: no fd, no buffer.
 */
static void test_ioctl_failed_copy_back_leaks_nothing(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	struct dma_heap *sys = dma_heap_find("system");
	struct dma_buf *arg_buf = dma_heap_buffer_alloc(sys, PAGE_SIZE, O_RDWR, 0);
	int hfd = open_heap(), afd = dma_buf_fd(&proc, arg_buf, 0);
	s64 rw = sys_mmap(&proc, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, afd, 0);
	s64 ro = sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, afd, 0);
	unsigned int fds = fds_in_use();

	assert_true(rw > 0 && ro > 0);
	assert_int_equal(process_write(&proc, (u64)rw, &d, sizeof(d)), 0);
	assert_int_equal(sys_ioctl(&proc, hfd, DMA_HEAP_IOCTL_ALLOC, (u64)ro), -EFAULT);
	assert_int_equal(th.allocs, 1);
	assert_int_equal(th.buf_releases, 1);
	assert_int_equal(fds_in_use(), fds);
	assert_null(proc.fds[fds]);
	/* 7 before 8: with no fd free it is -EMFILE, not -EFAULT. */
	while (get_unused_fd_flags(&proc, 0) >= 0)
		;
	assert_int_equal(sys_ioctl(&proc, hfd, DMA_HEAP_IOCTL_ALLOC, (u64)ro), -EMFILE);
	for (int fd = fds; fd < PROCESS_FDS_MAX; fd++)
		put_unused_fd(&proc, fd);
	assert_int_equal(th.buf_releases, 2);
	assert_int_equal(dma_buf_stats().live, 1);	/* the argument's buffer */
	dma_heap_put(sys);
}

/* ---- lifetimes: remove while in use ---- */

/* Everything that can hold the test heap, held at once. */
struct holders {
	int node_fd;			/* an open file of /dev/dma_heap/<name> */
	int buf_fd;			/* a buffer allocated through it */
	struct dma_buf *kbuf;		/* a buffer allocated in the kernel */
	struct dma_heap *found;		/* a dma_heap_find() reference */
};

static void hold_everything(struct holders *h)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };

	h->node_fd = open_heap();
	assert_int_equal(alloc_ioctl(h->node_fd, &d), 0);
	h->buf_fd = (int)d.fd;
	h->found = dma_heap_find(TH_NAME);
	h->kbuf = dma_heap_buffer_alloc(h->found, PAGE_SIZE, 0, 0);
	assert_false(IS_ERR(h->kbuf));
}

/* @buf still works: the kernel maps it and its exporter's memory is there. */
static void assert_buffer_usable(struct dma_buf *buf, u8 pattern)
{
	struct iosys_map map;

	assert_int_equal(dma_buf_vmap(buf, &map), 0);
	memset(map.vaddr, pattern, buf->size);
	assert_int_equal(((u8 *)map.vaddr)[buf->size - 1], pattern);
	dma_buf_vunmap(buf, &map);
}

/*
 * Removed, the heap can no longer be found or opened; every holder keeps
 * a working heap, and the open file can still allocate (the ops stay
 * valid until the last reference, the review's fix).
 */
static void remove_while_held(struct holders *h)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	struct dma_buf *buf;

	dma_heap_remove(th.heap);
	th_removed();
	assert_null(dma_heap_find(TH_NAME));
	assert_int_equal(sys_open(&proc, TH_NODE, O_RDWR), -ENOENT);
	assert_int_equal(dma_heap_stats().registered, base_heaps);
	assert_int_equal(dma_heap_stats().heaps, base_heaps + 1);
	assert_int_equal(alloc_ioctl(h->node_fd, &d), 0);
	assert_int_equal(sys_close(&proc, (int)d.fd), 0);
	buf = dma_buf_get(&proc, h->buf_fd);
	assert_false(IS_ERR(buf));
	assert_buffer_usable(buf, 0xa5);
	dma_buf_put(buf);
	assert_buffer_usable(h->kbuf, 0x3c);
	assert_ptr_equal(dma_heap_get_drvdata(h->found), &th);
	assert_string_equal(dma_heap_get_name(h->found), TH_NAME);
	assert_int_equal(th.releases, 0);
}

/* Drop the holders in @order ("nbkf": node fd, buffer fd, kernel buffer, find). */
static void drop_in_order(struct holders *h, const char *order)
{
	for (const char *c = order; *c; c++) {
		assert_int_equal(th.releases, 0);
		if (*c == 'n')
			assert_int_equal(sys_close(&proc, h->node_fd), 0);
		else if (*c == 'b')
			assert_int_equal(sys_close(&proc, h->buf_fd), 0);
		else if (*c == 'k')
			dma_buf_put(h->kbuf);
		else
			dma_heap_put(h->found);
	}
	assert_int_equal(th.releases, 1);
	assert_int_equal(th.buf_releases, th.allocs);
	assert_int_equal(dma_heap_stats().heaps, base_heaps);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(file_stats().live_files, 0);
	assert_int_equal(warn_count(), 0);
}

static void test_remove_while_held_find_goes_last(void **state)
{
	struct holders h;

	hold_everything(&h);
	remove_while_held(&h);
	drop_in_order(&h, "nbkf");
}

static void test_remove_while_held_buffer_goes_last(void **state)
{
	struct holders h;

	hold_everything(&h);
	remove_while_held(&h);
	drop_in_order(&h, "fnkb");
}

static void test_remove_while_held_node_fd_goes_last(void **state)
{
	struct holders h;

	hold_everything(&h);
	remove_while_held(&h);
	drop_in_order(&h, "kfbn");
}

static void test_remove_while_held_kernel_buffer_goes_last(void **state)
{
	struct holders h;

	hold_everything(&h);
	remove_while_held(&h);
	drop_in_order(&h, "bnfk");
}

/* A removed heap someone holds does not stop a new heap of the same name. */
static void test_name_is_free_again_after_remove(void **state)
{
	struct dma_heap *old = dma_heap_find(TH_NAME), *nw;
	int fd;

	dma_heap_remove(th.heap);
	th.heap = add_named(TH_NAME, &th_ops);
	assert_false(IS_ERR(th.heap));
	nw = dma_heap_find(TH_NAME);
	assert_ptr_equal(nw, th.heap);
	assert_ptr_not_equal(nw, old);
	fd = open_heap();
	assert_int_equal(sys_close(&proc, fd), 0);
	dma_heap_put(nw);
	dma_heap_put(old);
	assert_int_equal(th.releases, 1);
}

/* exit() closes the node's file and the buffers' fds and mappings: the heap goes. */
static void test_process_exit_drops_its_references(void **state)
{
	struct dma_heap_allocation_data d = { .len = PAGE_SIZE, .fd_flags = O_RDWR };
	int hfd = open_heap();

	assert_int_equal(alloc_ioctl(hfd, &d), 0);
	assert_int_equal(alloc_ioctl(hfd, &(struct dma_heap_allocation_data){ .len = 1 }), 0);
	dma_heap_remove(th.heap);
	th_removed();
	process_exit(&proc);
	assert_int_equal(th.buf_releases, 2);
	assert_int_equal(th.releases, 1);
	assert_int_equal(process_init(&proc, "heap-test", &fx.soc->cpus[0]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		HEAP_TEST(test_add_refuses_bad_names),
		HEAP_TEST(test_add_refuses_missing_ops),
		HEAP_TEST(test_add_refuses_a_registered_name),
		HEAP_TEST(test_add_makes_the_node_and_remove_takes_it),
		HEAP_TEST(test_remove_twice_warns),
		HEAP_TEST(test_get_drvdata_and_name),
		HEAP_TEST(test_minors_run_out_at_128),
		HEAP_TEST(test_find_counts_references),
		HEAP_TEST(test_find_unknown_is_null_and_put_null_is_a_no_op),
		HEAP_TEST(test_put_without_find_is_caught),
		HEAP_TEST(test_buffer_alloc_checks_before_allocate),
		HEAP_TEST(test_buffer_alloc_page_aligns_and_holds_the_heap),
		HEAP_TEST(test_failed_allocate_holds_nothing),
		HEAP_TEST(test_ioctl_allocates_an_fd),
		HEAP_TEST(test_ioctl_number_check_comes_first),
		HEAP_TEST(test_ioctl_checks_each_refuse_before_allocate),
		HEAP_TEST(test_ioctl_earlier_check_wins),
		HEAP_TEST(test_ioctl_on_a_bad_fd_is_ebadf),
		HEAP_TEST(test_ioctl_takes_an_older_smaller_struct),
		HEAP_TEST(test_ioctl_takes_a_newer_larger_struct),
		HEAP_TEST(test_ioctl_takes_a_struct_past_the_stack_buffer),
		HEAP_TEST(test_ioctl_directions_decide_the_copies),
		HEAP_TEST(test_ioctl_failed_copy_back_leaks_nothing),
		HEAP_TEST(test_remove_while_held_find_goes_last),
		HEAP_TEST(test_remove_while_held_buffer_goes_last),
		HEAP_TEST(test_remove_while_held_node_fd_goes_last),
		HEAP_TEST(test_remove_while_held_kernel_buffer_goes_last),
		HEAP_TEST(test_name_is_free_again_after_remove),
		HEAP_TEST(test_process_exit_drops_its_references),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
