/*
 * test_protected_heap.c - the protected heaps the TEE driver offers on the
 * default board (drivers/heaps/): for the static carve-out and for
 * protected,secure-video alike, allocation in the kernel and by a process
 * through /dev/dma_heap/<name>, every CPU access refused with -EPERM, the
 * attach rule (-EBUSY for a device that cannot reach protected memory),
 * the one-entry mapping, what CPUs of both worlds see; then each pool's
 * own behaviour: the carve-out never fails while a large enough free range
 * exists, and the secure-video pool opens, grows, shrinks and releases its
 * windows (one TZC region each) with the pages going back scrubbed.
 *
 * Every test ends with everything released: no buffer, shm or window left,
 * then the tee fixture's checks of both worlds.
 */
#include <secsoc/dma-heap.h>
#include <secsoc/protected_heap.h>
#include <secsoc/tee_shm.h>

#include "tee_fixture.h"

#define CARVEOUT "protected,static-carveout"
#define SECURE_VIDEO "protected,secure-video"
#define G SECURE_VIDEO_GRANULE
#define P PAGE_SIZE

static struct process proc;
static u64 scratch;			/* user memory for ioctl arguments */

/* ---- fixture ---- */

static int setup(void **state)
{
	tee_fx_setup(state);
	assert_int_equal(process_init(&proc, "player", &tfx.soc->cpus[0]), 0);
	scratch = process_alloc_user(&proc, P);
	assert_int_not_equal(scratch, 0);
	return 0;
}

/* The default board with its carve-out's secsoc,heap-name line replaced by @line. */
static void setup_heap_name(const char *file, const char *line)
{
	struct sim_config cfg = { .seed = 1 };
	const char *dts = test_board_variant("soc/secsoc.dts", file,
					     "secsoc,heap-name = \"protected,static-carveout\";",
					     line);

	tee_fx_boot_board(dts, &cfg);
	assert_int_equal(process_init(&proc, "player", &tfx.soc->cpus[0]), 0);
}

static int setup_no_heap_name(void **state)
{
	setup_heap_name("no-heap-name.dts", "");
	return 0;
}

static int setup_other_heap_name(void **state)
{
	setup_heap_name("other-heap-name.dts", "secsoc,heap-name = \"protected,vendor-pool\";");
	return 0;
}

static struct arm_smccc_res protmem_info(void)
{
	struct arm_smccc_res res;

	tee_smc_call(tfx.soc, &tfx.soc->cpus[0], TEE_SMC_PROTMEM_INFO, 0, 0, 0, &res);
	assert_int_equal(res.a0, TEE_SUCCESS);
	return res;
}

static int teardown(void **state)
{
	process_exit(&proc);
	assert_int_equal(protected_heap_stats().buffers, 0);
	assert_int_equal(protected_heap_stats().attachments, 0);
	assert_int_equal(tee_shm_stats().live, 0);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(protmem_info().a3, 0);		/* no window left */
	tee_fx_shutdown();
	assert_int_equal(protected_heap_stats().heaps, 0);
	return 0;
}

#define PTEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
/* A behaviour both heaps share: one test per heap. */
#define BOTH_HEAPS(fn)								\
	static void test_##fn##_carveout(void **state) { fn(CARVEOUT); }	\
	static void test_##fn##_secure_video(void **state) { fn(SECURE_VIDEO); }
#define PTEST_BOTH(fn) PTEST(test_##fn##_carveout), PTEST(test_##fn##_secure_video)

/* ---- helpers ---- */

static struct dma_buf *alloc_buf(const char *heap_name, size_t len)
{
	struct dma_heap *heap = dma_heap_find(heap_name);
	struct dma_buf *buf;

	assert_non_null(heap);
	buf = dma_heap_buffer_alloc(heap, len, O_RDWR, 0);
	dma_heap_put(heap);
	assert_false(IS_ERR(buf));
	return buf;
}

/* The TEE driver owns its heaps: the owner token is its device's. */
static const void *buf_owner(void)
{
	struct device *dev = driver_core_bound_device(&tfx.k.dc, tfx.soc->tee_node);

	assert_non_null(dev);
	return dev_get_drvdata(dev);
}

static phys_addr_t buf_pa(const struct dma_buf *buf)
{
	phys_addr_t pa = 0;
	u64 size = 0;

	assert_true(protected_dma_buf_range(buf, buf_owner(), &pa, &size));
	assert_int_equal(size, buf->size);
	return pa;
}

/* DMA_HEAP_IOCTL_ALLOC by the process; returns the new buffer's fd. */
static int process_alloc(const char *heap_name, u64 len)
{
	return test_heap_alloc_fd(&proc, scratch, heap_name, len);
}

static struct protected_pool_stats pool_stats(const char *heap_name)
{
	struct protected_pool_stats st;

	assert_int_equal(protected_heap_pool_stats(heap_name, &st), 0);
	return st;
}

/* A device for a DT node no driver binds (the display has none yet). */
static struct device node_device(const char *compatible)
{
	struct dt_node *np = dt_find_compatible(tfx.dt, NULL, compatible);

	assert_non_null(np);
	return (struct device){ .name = np->path, .of_node = np };
}

/* ---- both heaps: allocation ---- */

static void alloc_in_kernel(const char *heap_name)
{
	struct dma_buf *buf = alloc_buf(heap_name, 3 * P + 1);

	assert_int_equal(buf->size, 4 * P);
	assert_true(is_protected_dma_buf(buf));
	assert_string_equal(buf->exp_name, heap_name);
	assert_true(tee_range_protected(&tfx.tee, buf_pa(buf), buf->size));
	assert_int_equal(pool_stats(heap_name).allocations, 1);
	assert_int_equal(protected_heap_stats().buffers, 1);
	dma_buf_put(buf);
	assert_int_equal(pool_stats(heap_name).allocations, 0);
}
BOTH_HEAPS(alloc_in_kernel)

static void alloc_through_a_process(const char *heap_name)
{
	int fd = process_alloc(heap_name, 2 * P);
	struct dma_buf *buf = dma_buf_get(&proc, fd);

	assert_false(IS_ERR(buf));
	assert_true(is_protected_dma_buf(buf));
	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_END), 2 * P);
	assert_true(tee_range_protected(&tfx.tee, buf_pa(buf), buf->size));
	dma_buf_put(buf);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(pool_stats(heap_name).allocations, 0);
}
BOTH_HEAPS(alloc_through_a_process)

/* ---- both heaps: the CPU is refused with -EPERM ---- */

static void mmap_is_eperm(const char *heap_name)
{
	int fd = process_alloc(heap_name, P);

	assert_int_equal(sys_mmap(&proc, P, PROT_READ, MAP_SHARED, fd, 0), -EPERM);
	assert_int_equal(sys_close(&proc, fd), 0);
}
BOTH_HEAPS(mmap_is_eperm)

static void vmap_is_eperm(const char *heap_name)
{
	struct dma_buf *buf = alloc_buf(heap_name, P);
	struct iosys_map map = { 0 };

	assert_int_equal(dma_buf_vmap(buf, &map), -EPERM);
	assert_null(map.vaddr);
	dma_buf_put(buf);
}
BOTH_HEAPS(vmap_is_eperm)

static void cpu_access_is_eperm(const char *heap_name)
{
	struct dma_buf *buf = alloc_buf(heap_name, P);
	u64 refused = protected_heap_stats().refused_cpu;

	assert_int_equal(dma_buf_begin_cpu_access(buf, DMA_FROM_DEVICE), -EPERM);
	assert_int_equal(dma_buf_end_cpu_access(buf, DMA_FROM_DEVICE), -EPERM);
	assert_int_equal(protected_heap_stats().refused_cpu, refused + 2);
	dma_buf_put(buf);
}
BOTH_HEAPS(cpu_access_is_eperm)

static void sync_ioctl_is_eperm(const char *heap_name)
{
	int fd = process_alloc(heap_name, P);
	struct dma_buf_sync sync = { DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW };

	assert_int_equal(process_write(&proc, scratch, &sync, sizeof(sync)), 0);
	assert_int_equal(sys_ioctl(&proc, fd, DMA_BUF_IOCTL_SYNC, scratch), -EPERM);
	sync.flags = DMA_BUF_SYNC_END | DMA_BUF_SYNC_READ;
	assert_int_equal(process_write(&proc, scratch, &sync, sizeof(sync)), 0);
	assert_int_equal(sys_ioctl(&proc, fd, DMA_BUF_IOCTL_SYNC, scratch), -EPERM);
	assert_int_equal(sys_close(&proc, fd), 0);
}
BOTH_HEAPS(sync_ioctl_is_eperm)

/*
 * ---- both heaps: the kernel selftest's cases (docs/heaps.md) ----
 *
 * Cases 1 and 2 fail by design for protected buffers (the mmap and SYNC
 * above: -EPERM) and cases 3-6 (the CPU reads zeros of a fresh buffer)
 * cannot be asked of memory the CPU may not read: the scrub on release
 * (test_free_scrubs_and_returns_the_pages) is their counterpart. The
 * argument checks and the size tolerance of cases 7, 8, 10 and 11 are the
 * heap framework's and hold for protected heaps as for `system`.
 */

/* DMA_HEAP_IOCTL_ALLOC on @heap_name with @cmd and the @size bytes at @data. */
static long heap_ioctl(const char *heap_name, unsigned int cmd, void *data, size_t size)
{
	return test_heap_ioctl(&proc, scratch, heap_name, cmd, data, size);
}

/* Case 7: a 16-byte struct without heap_flags, under the number for 16 bytes. */
static void selftest_7_compat_older(const char *heap_name)
{
	struct { u64 len; u32 fd, fd_flags; } old = { P, 0, O_RDWR | O_CLOEXEC };

	assert_int_equal(heap_ioctl(heap_name, _IOC(_IOC_READ | _IOC_WRITE, 'H', 0, sizeof(old)),
				    &old, sizeof(old)), 0);
	assert_int_equal(sys_lseek(&proc, (int)old.fd, 0, SEEK_END), P);
	assert_int_equal(sys_close(&proc, (int)old.fd), 0);
}
BOTH_HEAPS(selftest_7_compat_older)

/* Case 8: a 48-byte struct with garbage after the known fields. */
static void selftest_8_compat_newer(const char *heap_name)
{
	struct {
		struct dma_heap_allocation_data d;
		u64 garbage[3];
	} nw = { { .len = P, .fd_flags = O_RDWR | O_CLOEXEC }, { ~0ULL, ~0ULL, ~0ULL } };

	assert_int_equal(heap_ioctl(heap_name, _IOC(_IOC_READ | _IOC_WRITE, 'H', 0, sizeof(nw)),
				    &nw, sizeof(nw)), 0);
	assert_int_equal(sys_lseek(&proc, (int)nw.d.fd, 0, SEEK_END), P);
	assert_int_equal(sys_close(&proc, (int)nw.d.fd), 0);
}
BOTH_HEAPS(selftest_8_compat_newer)

/* Cases 10 and 11: bad heap_flags, bad fd_flags. */
static void selftest_10_11_bad_flags_fail(const char *heap_name)
{
	struct dma_heap_allocation_data d = { .len = P, .heap_flags = 0x111111 };
	u64 live = protected_heap_stats().buffers;

	assert_int_equal(heap_ioctl(heap_name, DMA_HEAP_IOCTL_ALLOC, &d, sizeof(d)), -EINVAL);
	d = (struct dma_heap_allocation_data){ .len = P, .fd_flags = ~(O_RDWR | O_CLOEXEC) };
	assert_int_equal(heap_ioctl(heap_name, DMA_HEAP_IOCTL_ALLOC, &d, sizeof(d)), -EINVAL);
	assert_int_equal(protected_heap_stats().buffers, live);
}
BOTH_HEAPS(selftest_10_11_bad_flags_fail)

/* ---- both heaps: who may attach ---- */

/* The QCE's DMA is the BAM's (NSAID 1), which protected-access does not list. */
static void qce_attach_is_ebusy(const char *heap_name)
{
	struct device *qce = driver_core_find(&tfx.k.dc, tfx.soc->qce_node);
	struct dma_buf *buf = alloc_buf(heap_name, P);
	struct dma_buf_attachment *a;

	assert_non_null(qce);
	assert_int_equal(protected_device_nsaid(qce), 1);
	a = dma_buf_attach(buf, qce);
	assert_true(IS_ERR(a));
	assert_int_equal(PTR_ERR(a), -EBUSY);
	assert_int_equal(buf->nr_attachments, 0);
	dma_buf_put(buf);
}
BOTH_HEAPS(qce_attach_is_ebusy)

static void device_without_nsaid_is_ebusy(const char *heap_name)
{
	struct device tzc = node_device("arm,tzc400");
	struct device none = { .name = "no-node" };
	struct dma_buf *buf = alloc_buf(heap_name, P);

	assert_int_equal(protected_device_nsaid(&tzc), -ENODEV);
	assert_int_equal(PTR_ERR(dma_buf_attach(buf, &tzc)), -EBUSY);
	assert_int_equal(PTR_ERR(dma_buf_attach(buf, &none)), -EBUSY);
	dma_buf_put(buf);
}
BOTH_HEAPS(device_without_nsaid_is_ebusy)

/* The display (NSAID 3, read access) attaches; its map is one entry of protected memory. */
static void display_maps_one_protected_entry(const char *heap_name)
{
	struct device display = node_device("secsoc,display");
	struct dma_buf *buf = alloc_buf(heap_name, 5 * P);
	struct dma_buf_attachment *a = dma_buf_attach(buf, &display);
	struct sg_table *sgt;

	assert_false(IS_ERR(a));
	sgt = dma_buf_map_attachment_unlocked(a, DMA_TO_DEVICE);
	assert_false(IS_ERR(sgt));
	assert_int_equal(sgt->nents, 1);
	assert_int_equal(sg_dma_address(&sgt->sgl[0]), buf_pa(buf));
	assert_int_equal(sg_dma_len(&sgt->sgl[0]), 5 * P);
	assert_true(tee_range_protected(&tfx.tee, sg_dma_address(&sgt->sgl[0]),
					sg_dma_len(&sgt->sgl[0])));
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_TO_DEVICE);
	dma_buf_detach(buf, a);
	dma_buf_put(buf);
}
BOTH_HEAPS(display_maps_one_protected_entry)

/* ---- both heaps: what the CPUs see ---- */

static void normal_cpu_reads_zeros_and_aborts(const char *heap_name)
{
	struct dma_buf *buf = alloc_buf(heap_name, P);
	struct cpu *cpu0 = &tfx.soc->cpus[0];
	u8 *secret = bus_ram_backdoor(tfx.soc->bus, buf_pa(buf), 64);
	u64 aborts = cpu0->aborts;
	u8 got[64], zeros[64] = { 0 };

	memset(secret, 0x5e, 64);
	cpu_read(cpu0, buf_pa(buf), got, sizeof(got));
	assert_memory_equal(got, zeros, sizeof(got));
	assert_int_equal(cpu0->aborts, aborts + 1);
	tee_fx_run();			/* the secure world takes the TZC's report */
	assert_int_equal(tfx.tee.nr_faults, 1);
	assert_int_equal(tfx.tee.faults[0].addr, buf_pa(buf));
	dma_buf_put(buf);
}
BOTH_HEAPS(normal_cpu_reads_zeros_and_aborts)

static void secure_cpu_reads_and_writes(const char *heap_name)
{
	struct dma_buf *buf = alloc_buf(heap_name, P);
	struct cpu *scpu = &tfx.soc->secure_cpu;
	u8 data[64], got[64];

	memset(data, 0xc3, sizeof(data));
	assert_int_equal(cpu_write(scpu, buf_pa(buf) + 8, data, sizeof(data)), BUS_OKAY);
	assert_int_equal(cpu_read(scpu, buf_pa(buf) + 8, got, sizeof(got)), BUS_OKAY);
	assert_memory_equal(got, data, sizeof(got));
	assert_int_equal(scpu->aborts, 0);
	dma_buf_put(buf);
}
BOTH_HEAPS(secure_cpu_reads_and_writes)

/* ---- registration ---- */

static void test_carveout_heap_takes_the_region_s_name(void **state)
{
	struct dma_buf *buf = alloc_buf("protected,vendor-pool", P);

	assert_null(dma_heap_find(CARVEOUT));
	assert_true(tee_range_inside(buf_pa(buf), P, tfx.tee.prot_base, tfx.tee.prot_size));
	dma_buf_put(buf);
}

static void test_region_without_heap_name_has_no_heap(void **state)
{
	struct dma_heap *sv = dma_heap_find(SECURE_VIDEO);

	assert_null(dma_heap_find(CARVEOUT));
	assert_int_equal(protected_heap_pool_stats(CARVEOUT, &(struct protected_pool_stats){ 0 }),
			 -ENOENT);
	assert_non_null(sv);			/* the TEE's own heap is still there */
	dma_heap_put(sv);
	assert_int_equal(protected_heap_stats().heaps, 1);
}

/* ---- the carve-out pool ---- */

#define FRAG_PAIRS 256		/* 256 x (8 + 24 pages) = the 32 MiB carve-out */

/*
 * Fill the carve-out with alternating 8- and 24-page buffers, free every
 * 24-page one and, in one place, the 8-page one between two of them: the
 * largest hole is then 56 pages while almost half the carve-out is free.
 */
static void test_carveout_never_fails_while_a_hole_fits(void **state)
{
	static struct dma_buf *bufs[2 * FRAG_PAIRS];
	struct dma_heap *heap = dma_heap_find(CARVEOUT);
	struct dma_buf *fit, *too_big;

	for (unsigned int i = 0; i < 2 * FRAG_PAIRS; i++)
		bufs[i] = alloc_buf(CARVEOUT, (i % 2 ? 24 : 8) * P);
	assert_int_equal(pool_stats(CARVEOUT).free_bytes, 0);
	for (unsigned int i = 1; i < 2 * FRAG_PAIRS; i += 2) {
		dma_buf_put(bufs[i]);
		bufs[i] = NULL;
	}
	dma_buf_put(bufs[100]);
	bufs[100] = NULL;
	assert_int_equal(pool_stats(CARVEOUT).largest_free, 56 * P);
	too_big = dma_heap_buffer_alloc(heap, 57 * P, O_RDWR, 0);
	assert_int_equal(PTR_ERR(too_big), -ENOMEM);
	fit = dma_heap_buffer_alloc(heap, 56 * P, O_RDWR, 0);
	assert_false(IS_ERR(fit));
	assert_int_equal(buf_pa(fit), tfx.tee.prot_base + 49 * 32 * P + 8 * P);
	dma_buf_put(fit);
	for (unsigned int i = 0; i < 2 * FRAG_PAIRS; i++)
		if (bufs[i])
			dma_buf_put(bufs[i]);
	dma_heap_put(heap);
	assert_int_equal(pool_stats(CARVEOUT).largest_free, tfx.tee.prot_size);
}

/* Best fit: a small buffer takes the smallest hole, leaving the large one whole. */
static void test_carveout_is_best_fit(void **state)
{
	struct dma_buf *a = alloc_buf(CARVEOUT, 8 * P), *b = alloc_buf(CARVEOUT, 2 * P);
	struct dma_buf *c = alloc_buf(CARVEOUT, P), *d;
	phys_addr_t a_pa = buf_pa(a);

	dma_buf_put(a);				/* an 8-page hole below b */
	d = alloc_buf(CARVEOUT, P);		/* the hole, not the end of the region */
	assert_int_equal(buf_pa(d), a_pa);
	dma_buf_put(b);
	dma_buf_put(c);
	dma_buf_put(d);
	assert_int_equal(pool_stats(CARVEOUT).largest_free, tfx.tee.prot_size);
}

/* The worst case, every other page free, fits the extent table. */
static void test_carveout_pool_holds_every_other_page_free(void **state)
{
	const u64 pages = 256;
	struct protected_pool *pool = carveout_pool_create(0x40000000, pages * P);
	struct protected_pool_stats st;
	phys_addr_t pa;

	assert_false(IS_ERR(pool));
	for (u64 i = 0; i < pages; i++) {
		assert_int_equal(pool->ops->alloc(pool, P, &pa), 0);
		assert_int_equal(pa, 0x40000000 + i * P);
	}
	for (u64 i = 0; i < pages; i += 2)
		pool->ops->free(pool, 0x40000000 + i * P, P);
	assert_int_equal(pool->ops->alloc(pool, 2 * P, &pa), -ENOMEM);
	assert_int_equal(pool->ops->alloc(pool, P, &pa), 0);
	pool->ops->free(pool, pa, P);
	for (u64 i = 1; i < pages; i += 2)
		pool->ops->free(pool, 0x40000000 + i * P, P);
	pool->ops->stats(pool, &st);
	assert_int_equal(st.allocations, 0);
	assert_int_equal(st.largest_free, pages * P);
	assert_int_equal(st.failures, 1);
	pool->ops->destroy(pool);
}

static void test_carveout_pool_refuses_bad_ranges(void **state)
{
	assert_int_equal(PTR_ERR(carveout_pool_create(0x40000000, 0)), -EINVAL);
	assert_int_equal(PTR_ERR(carveout_pool_create(0x40000800, P)), -EINVAL);
	assert_int_equal(PTR_ERR(carveout_pool_create(0x40000000, P + 1)), -EINVAL);
	assert_int_equal(PTR_ERR(carveout_pool_create(0x40000000, CARVEOUT_POOL_SIZE_MAX + P)),
			 -EINVAL);
}

/* ---- the secure-video pool ---- */

static void test_first_buffer_opens_a_window(void **state)
{
	struct arm_smccc_res before = protmem_info(), after;
	struct dma_buf *buf;

	assert_int_equal(before.a3, 0);
	buf = alloc_buf(SECURE_VIDEO, P);
	after = protmem_info();
	assert_int_equal(after.a3, 1);
	assert_int_equal(after.a1, before.a1 - 1);
	assert_int_equal(after.a2, G / 1024);		/* a whole granule */
	assert_int_equal(pool_stats(SECURE_VIDEO).windows, 1);
	assert_int_equal(pool_stats(SECURE_VIDEO).protected_bytes, G);
	dma_buf_put(buf);
	assert_int_equal(protmem_info().a3, 0);
	assert_int_equal(protmem_info().a1, before.a1);
}

static void test_second_buffer_grows_the_window_in_place(void **state)
{
	struct dma_buf *a = alloc_buf(SECURE_VIDEO, G), *b;
	struct arm_smccc_res one = protmem_info();

	b = alloc_buf(SECURE_VIDEO, G);
	assert_int_equal(protmem_info().a3, 1);			/* no new window */
	assert_int_equal(protmem_info().a1, one.a1);		/* no new region */
	assert_int_equal(protmem_info().a2, 2 * G / 1024);
	assert_true(buf_pa(b) == buf_pa(a) + G || buf_pa(a) == buf_pa(b) + G);
	assert_true(tee_range_protected(&tfx.tee, MIN(buf_pa(a), buf_pa(b)), 2 * G));
	assert_int_equal(pool_stats(SECURE_VIDEO).assigns, 2);
	dma_buf_put(a);
	dma_buf_put(b);
}

/* Small buffers share a granule: the window grows only when it is full. */
static void test_small_buffers_share_a_granule(void **state)
{
	struct dma_buf *bufs[G / P];

	for (unsigned int i = 0; i < ARRAY_SIZE(bufs); i++)
		bufs[i] = alloc_buf(SECURE_VIDEO, P);
	assert_int_equal(pool_stats(SECURE_VIDEO).protected_bytes, G);
	assert_int_equal(pool_stats(SECURE_VIDEO).assigns, 1);
	for (unsigned int i = 0; i < ARRAY_SIZE(bufs); i++)
		dma_buf_put(bufs[i]);
}

/* Freed granules at the ends go back at once; a hole in the middle stays. */
static void test_window_shrinks_at_its_ends_only(void **state)
{
	struct dma_buf *a = alloc_buf(SECURE_VIDEO, G), *b = alloc_buf(SECURE_VIDEO, G);
	struct dma_buf *c = alloc_buf(SECURE_VIDEO, G);
	struct dma_buf *mid = buf_pa(b) > MIN(buf_pa(a), buf_pa(c)) &&
			      buf_pa(b) < MAX(buf_pa(a), buf_pa(c)) ? b : NULL;

	assert_non_null(mid);				/* a, b, c grew one window */
	assert_int_equal(protmem_info().a2, 3 * G / 1024);
	dma_buf_put(b);
	assert_int_equal(protmem_info().a2, 3 * G / 1024);	/* a hole in the middle */
	assert_int_equal(pool_stats(SECURE_VIDEO).free_bytes, G);
	dma_buf_put(c);
	assert_int_equal(protmem_info().a3, 1);
	assert_int_equal(protmem_info().a2, G / 1024);		/* c and the hole went back */
	assert_int_equal(pool_stats(SECURE_VIDEO).releases, 1);
	dma_buf_put(a);
	assert_int_equal(protmem_info().a3, 0);
}

static bool all_zero(const u8 *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Freed: the TEE scrubbed it before the pages went back to the page allocator. */
static void test_free_scrubs_and_returns_the_pages(void **state)
{
	u64 pages = kmem_stats().pages;
	struct dma_buf *buf = alloc_buf(SECURE_VIDEO, G);
	phys_addr_t pa = buf_pa(buf);
	u8 secret[256];
	u8 got[256];

	assert_int_equal(kmem_stats().pages, pages + G / P);
	memset(secret, 0x77, sizeof(secret));
	for (u64 off = 0; off < G; off += P)
		cpu_write(&tfx.soc->secure_cpu, pa + off, secret, sizeof(secret));
	dma_buf_put(buf);
	assert_int_equal(kmem_stats().pages, pages);
	assert_false(tee_range_protected(&tfx.tee, pa, P));
	assert_true(all_zero(bus_ram_backdoor(tfx.soc->bus, pa, G), G));
	/* Normal memory again: the normal world reads it, without an abort. */
	assert_int_equal(cpu_read(&tfx.soc->cpus[0], pa, got, sizeof(got)), BUS_OKAY);
	assert_true(all_zero(got, sizeof(got)));
}

#define PINS_MAX (2 * SECURE_VIDEO_WINDOWS_MAX)

/* Take one free page at @pa so that no window can grow over it (NULL if not free). */
static void *pin_page(phys_addr_t pa)
{
	return alloc_pages_at(pa, P, GFP_KERNEL);
}

/*
 * With pages pinned next to every window, each new buffer needs a new
 * window, until the TEE has no TZC region left: -ENOMEM, and nothing of
 * the failed attempt stays (pages, windows, regions).
 */
static void test_no_region_left_is_enomem_and_leaks_nothing(void **state)
{
	struct dma_buf *bufs[SECURE_VIDEO_WINDOWS_MAX] = { 0 };
	void *pins[PINS_MAX] = { 0 };
	struct dma_heap *heap = dma_heap_find(SECURE_VIDEO);
	unsigned int n = 0, p = 0;
	struct arm_smccc_res info;
	struct kmem_stats mem;

	while (protmem_info().a1 > 0) {
		assert_true(n < ARRAY_SIZE(bufs));
		bufs[n] = alloc_buf(SECURE_VIDEO, G);
		pins[p++] = pin_page(buf_pa(bufs[n]) + G);
		pins[p++] = pin_page(buf_pa(bufs[n]) - P);
		n++;
		assert_int_equal(protmem_info().a3, n);
	}
	info = protmem_info();
	mem = kmem_stats();
	assert_int_equal(PTR_ERR(dma_heap_buffer_alloc(heap, G, O_RDWR, 0)), -ENOMEM);
	assert_int_equal(kmem_stats().pages, mem.pages);
	assert_int_equal(kmem_stats().objects, mem.objects);
	assert_int_equal(protmem_info().a3, info.a3);
	assert_int_equal(protmem_info().a2, info.a2);
	assert_int_equal(pool_stats(SECURE_VIDEO).failures, 1);
	assert_int_equal(pool_stats(SECURE_VIDEO).windows, n);
	for (unsigned int i = 0; i < n; i++)
		dma_buf_put(bufs[i]);
	for (unsigned int i = 0; i < p; i++)
		if (pins[i])
			free_pages_exact(pins[i], P);
	dma_heap_put(heap);
}

/* Removing the TEE driver unregisters the heap; a live buffer keeps its window. */
static void test_buffer_outlives_the_tee_driver(void **state)
{
	struct dma_buf *buf = alloc_buf(SECURE_VIDEO, P);
	phys_addr_t pa = buf_pa(buf);

	tee_client_close_context(tfx.ctx);
	tfx.ctx = NULL;
	driver_core_remove_all(&tfx.k.dc);
	assert_null(dma_heap_find(SECURE_VIDEO));
	assert_int_equal(protmem_info().a3, 1);
	assert_true(tee_range_protected(&tfx.tee, pa, P));
	dma_buf_put(buf);
	assert_int_equal(protmem_info().a3, 0);
	assert_int_equal(protected_heap_stats().heaps, 0);
}

/* A file opened on the heap's node before the removal still reaches allocate(): refused. */
static void test_allocation_after_removal_is_einval(void **state)
{
	struct dma_heap_allocation_data data = { .len = P, .fd_flags = O_RDWR };
	int hfd = sys_open(&proc, "/dev/dma_heap/" SECURE_VIDEO, O_RDWR);

	assert_true(hfd >= 0);
	tee_client_close_context(tfx.ctx);
	tfx.ctx = NULL;
	driver_core_remove_all(&tfx.k.dc);
	assert_int_equal(process_write(&proc, scratch, &data, sizeof(data)), 0);
	assert_int_equal(sys_ioctl(&proc, hfd, DMA_HEAP_IOCTL_ALLOC, scratch), -EINVAL);
	assert_int_equal(protmem_info().a3, 0);
	assert_int_equal(sys_close(&proc, hfd), 0);
	assert_int_equal(protected_heap_stats().heaps, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PTEST_BOTH(alloc_in_kernel),
		PTEST_BOTH(alloc_through_a_process),
		PTEST_BOTH(mmap_is_eperm),
		PTEST_BOTH(vmap_is_eperm),
		PTEST_BOTH(cpu_access_is_eperm),
		PTEST_BOTH(sync_ioctl_is_eperm),
		PTEST_BOTH(selftest_7_compat_older),
		PTEST_BOTH(selftest_8_compat_newer),
		PTEST_BOTH(selftest_10_11_bad_flags_fail),
		PTEST_BOTH(qce_attach_is_ebusy),
		PTEST_BOTH(device_without_nsaid_is_ebusy),
		PTEST_BOTH(display_maps_one_protected_entry),
		PTEST_BOTH(normal_cpu_reads_zeros_and_aborts),
		PTEST_BOTH(secure_cpu_reads_and_writes),
		cmocka_unit_test_setup_teardown(test_carveout_heap_takes_the_region_s_name,
						setup_other_heap_name, teardown),
		cmocka_unit_test_setup_teardown(test_region_without_heap_name_has_no_heap,
						setup_no_heap_name, teardown),
		PTEST(test_carveout_never_fails_while_a_hole_fits),
		PTEST(test_carveout_is_best_fit),
		PTEST(test_carveout_pool_holds_every_other_page_free),
		PTEST(test_carveout_pool_refuses_bad_ranges),
		PTEST(test_first_buffer_opens_a_window),
		PTEST(test_second_buffer_grows_the_window_in_place),
		PTEST(test_small_buffers_share_a_granule),
		PTEST(test_window_shrinks_at_its_ends_only),
		PTEST(test_free_scrubs_and_returns_the_pages),
		PTEST(test_no_region_left_is_enomem_and_leaks_nothing),
		PTEST(test_buffer_outlives_the_tee_driver),
		PTEST(test_allocation_after_removal_is_einval),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
