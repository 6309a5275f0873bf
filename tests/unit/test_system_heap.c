/*
 * test_system_heap.c - the "system" heap (drivers/heaps/system.c) on the
 * default board, driven the way userspace drives it: a process opens
 * /dev/dma_heap/system, allocates with DMA_HEAP_IOCTL_ALLOC, mmaps the
 * buffer and brackets its stores with DMA_BUF_IOCTL_SYNC. Every case of
 * the kernel's dmabuf-heaps selftest is here (test_selftest_<n>_*; the
 * vgem import of case 1 is an import into the crypto engine's device,
 * whose BAM pipe reads the bytes back over the bus), plus the chunk
 * layout (1 MiB, 64 KiB, 4 KiB, never growing), mmap and vmap of
 * scattered buffers, and -ENOMEM with nothing leaked.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/dma-heap.h>

#include "tee_fixture.h"

#define SZ_4K 0x1000UL
#define SZ_64K 0x10000UL
#define SZ_1M 0x100000UL
#define ZEROED_BUFS 32
#define QCE_PATH "/soc@0/crypto@1dfa000"
#define QCE_RX_PIPE 4		/* the engine's "rx" channel: how it reads memory */
#define PIN_BLOCKS_MAX 16384	/* blocks that can cover the kernel's 512 MiB */

static struct process proc;
static u64 scratch;			/* user memory for ioctl arguments */
static int heap_fd;
static u64 heaps_at_boot;		/* system, and the protected heaps the board has */

/* ---- fixture ---- */

static int setup(void **state)
{
	tee_fx_setup(state);
	heaps_at_boot = dma_heap_stats().heaps;
	assert_int_equal(process_init(&proc, "dmabuf-heap", &tfx.soc->cpus[0]), 0);
	scratch = process_alloc_user(&proc, PAGE_SIZE);
	assert_int_not_equal(scratch, 0);
	heap_fd = sys_open(&proc, "/dev/dma_heap/system", O_RDWR);
	assert_true(heap_fd >= 0);
	return 0;
}

static int teardown(void **state)
{
	process_exit(&proc);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(dma_buf_stats().attachments, 0);
	assert_int_equal(file_stats().live_files, 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_heap_stats().heaps, heaps_at_boot);
	assert_int_equal(tfx.soc->cpus[0].aborts, 0);
	return tee_fx_teardown(state);
}

#define SYS_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

/* ---- the process side ---- */

static long user_ioctl(int fd, unsigned int cmd, void *data, size_t size)
{
	long ret;

	assert_int_equal(process_write(&proc, scratch, data, size), 0);
	ret = sys_ioctl(&proc, fd, cmd, scratch);
	assert_int_equal(process_read(&proc, scratch, data, size), 0);
	return ret;
}

/* The selftest's dmabuf_heap_alloc_fdflags(): the fd, or -errno. */
static long heap_alloc(u64 len, u32 fd_flags, u64 heap_flags)
{
	struct dma_heap_allocation_data d = { .len = len, .fd_flags = fd_flags,
					      .heap_flags = heap_flags };
	long ret = user_ioctl(heap_fd, DMA_HEAP_IOCTL_ALLOC, &d, sizeof(d));

	return ret ? ret : (long)d.fd;
}

static int alloc_fd(u64 len)
{
	long fd = heap_alloc(len, O_RDWR | O_CLOEXEC, 0);

	assert_true(fd > 0);
	return (int)fd;
}

static long buf_sync(int fd, u64 flags)
{
	struct dma_buf_sync sync = { .flags = flags };

	return user_ioctl(fd, DMA_BUF_IOCTL_SYNC, &sync, sizeof(sync));
}

static u64 buf_mmap(int fd, u64 len, u64 off)
{
	s64 uaddr = sys_mmap(&proc, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, off);

	assert_true(uaddr > 0);
	return (u64)uaddr;
}

static void user_fill(u64 uaddr, u8 byte, size_t len)
{
	u8 page[PAGE_SIZE];

	memset(page, byte, sizeof(page));
	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		size_t n = MIN(len - off, PAGE_SIZE);

		assert_int_equal(process_write(&proc, uaddr + off, page, n), 0);
	}
}

/* Does every byte of the user range read @byte? */
static bool user_all(u64 uaddr, u8 byte, size_t len)
{
	u8 page[PAGE_SIZE];

	for (size_t off = 0; off < len; off += PAGE_SIZE) {
		size_t n = MIN(len - off, PAGE_SIZE);

		assert_int_equal(process_read(&proc, uaddr + off, page, n), 0);
		for (size_t i = 0; i < n; i++)
			if (page[i] != byte)
				return false;
	}
	return true;
}

/* ---- the importing device ---- */

struct import {
	struct dma_buf *buf;
	struct dma_buf_attachment *attach;
	struct sg_table *sgt;
};

static struct device *qce_dev(void)
{
	struct device *dev = driver_core_find(&tfx.k.dc, dt_find_path(tfx.dt, QCE_PATH));

	assert_non_null(dev);
	return dev;
}

/* What an importing driver does with an fd it is given: get, attach, map. */
static void import(struct import *im, int fd)
{
	im->buf = dma_buf_get(&proc, fd);
	assert_false(IS_ERR(im->buf));
	im->attach = dma_buf_attach(im->buf, qce_dev());
	assert_false(IS_ERR(im->attach));
	im->sgt = dma_buf_map_attachment_unlocked(im->attach, DMA_BIDIRECTIONAL);
	assert_false(IS_ERR(im->sgt));
}

static void unimport(struct import *im)
{
	dma_buf_unmap_attachment_unlocked(im->attach, im->sgt, DMA_BIDIRECTIONAL);
	dma_buf_detach(im->buf, im->attach);
	dma_buf_put(im->buf);
}

/* The chunk sizes of the mapping, in order, into @sizes; their count. */
static unsigned int chunk_sizes(const struct import *im, u64 *sizes, unsigned int max)
{
	struct scatterlist *sg;
	unsigned int i;

	assert_true(im->sgt->nents <= max);
	for_each_sg(im->sgt->sgl, sg, im->sgt->nents, i)
		sizes[i] = sg_dma_len(sg);
	return im->sgt->nents;
}

/* Read the whole buffer as the engine's DMA would, through the bus and the TZC. */
static u8 *device_read(const struct import *im)
{
	const struct bus_master *m = bam_pipe_master(tfx.soc->bams[0].bam, QCE_RX_PIPE);
	u8 *data = malloc(im->buf->size), *p = data;
	struct scatterlist *sg;
	unsigned int i;

	assert_non_null(data);
	for_each_sg(im->sgt->sgl, sg, im->sgt->nents, i) {
		assert_int_equal(bus_read(tfx.soc->bus, m, sg_dma_address(sg), p, sg_dma_len(sg)),
				 BUS_OKAY);
		p += sg_dma_len(sg);
	}
	assert_int_equal(p - data, im->buf->size);
	return data;
}

static bool chunks_contiguous(const struct import *im)
{
	struct scatterlist *sg;
	dma_addr_t next = sg_dma_address(im->sgt->sgl);
	unsigned int i;

	for_each_sg(im->sgt->sgl, sg, im->sgt->nents, i) {
		if (sg_dma_address(sg) != next)
			return false;
		next += sg_dma_len(sg);
	}
	return true;
}

/* ---- the selftest, case by case ---- */

/* Case 1: alloc 1 MiB, mmap, write under SYNC, import: the device sees the bytes. */
static void test_selftest_1_alloc_and_import(void **state)
{
	int fd = alloc_fd(SZ_1M);
	u64 uaddr = buf_mmap(fd, SZ_1M, 0);
	struct import im;
	u64 sizes[4];
	u8 *seen;

	assert_int_equal(buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	user_fill(uaddr, 0x01, SZ_1M / 2);
	user_fill(uaddr + SZ_1M / 2, 0x00, SZ_1M / 2);
	assert_int_equal(buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW), 0);
	import(&im, fd);
	assert_int_equal(chunk_sizes(&im, sizes, ARRAY_SIZE(sizes)), 1);
	assert_int_equal(sizes[0], SZ_1M);
	seen = device_read(&im);
	for (size_t i = 0; i < SZ_1M; i++)
		if (seen[i] != (i < SZ_1M / 2 ? 0x01 : 0x00))
			fail_msg("byte %zu: the device reads %#x", i, seen[i]);
	free(seen);
	unimport(&im);
}

/* Case 2: another SYNC START, a fill with 0xff, SYNC END: both succeed. */
static void test_selftest_2_sync(void **state)
{
	int fd = alloc_fd(SZ_1M);
	u64 uaddr = buf_mmap(fd, SZ_1M, 0);

	assert_true(buf_sync(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW) >= 0);
	user_fill(uaddr, 0xff, SZ_1M);
	assert_true(buf_sync(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW) >= 0);
	assert_true(user_all(uaddr, 0xff, SZ_1M));
}

/* The first chunk of the buffer behind @fd (each buffer here is one chunk). */
static dma_addr_t first_chunk(int fd)
{
	struct import im;
	dma_addr_t addr;

	import(&im, fd);
	assert_int_equal(im.sgt->nents, 1);
	addr = sg_dma_address(im.sgt->sgl);
	unimport(&im);
	return addr;
}

/*
 * Cases 3 to 6: 32 buffers filled with 0xff and closed, then 32 more, every
 * byte 0. The second round must really get the first round's pages back,
 * or the test would prove nothing: their addresses are compared.
 */
static void alloc_zeroed(u64 size)
{
	dma_addr_t used[ZEROED_BUFS];
	unsigned int reused = 0;
	int fds[ZEROED_BUFS];

	for (unsigned int i = 0; i < ZEROED_BUFS; i++) {
		u64 uaddr;

		fds[i] = alloc_fd(size);
		uaddr = buf_mmap(fds[i], size, 0);
		user_fill(uaddr, 0xff, size);
		used[i] = first_chunk(fds[i]);
		assert_int_equal(sys_munmap(&proc, uaddr, size), 0);
	}
	for (unsigned int i = 0; i < ZEROED_BUFS; i++)
		assert_int_equal(sys_close(&proc, fds[i]), 0);
	for (unsigned int i = 0; i < ZEROED_BUFS; i++) {
		int fd = alloc_fd(size);
		u64 uaddr = buf_mmap(fd, size, 0);
		dma_addr_t addr = first_chunk(fd);

		for (unsigned int j = 0; j < ZEROED_BUFS; j++)
			reused += used[j] == addr;
		if (!user_all(uaddr, 0, size))
			fail_msg("Allocated buffer not zeroed (buffer %u of %#llx bytes)", i,
				 (unsigned long long)size);
		assert_int_equal(sys_munmap(&proc, uaddr, size), 0);
		assert_int_equal(sys_close(&proc, fd), 0);
	}
	assert_int_equal(reused, ZEROED_BUFS);
}

static void test_selftest_3_4_alloc_zeroed_4k(void **state)
{
	alloc_zeroed(SZ_4K);
}

static void test_selftest_5_6_alloc_zeroed_1m(void **state)
{
	alloc_zeroed(SZ_1M);
}

/* Case 7: a 16-byte struct without heap_flags, under the number for 16 bytes. */
static void test_selftest_7_compat_older(void **state)
{
	struct { u64 len; u32 fd, fd_flags; } old = { SZ_1M, 0, O_RDWR | O_CLOEXEC };
	unsigned int cmd = _IOC(_IOC_READ | _IOC_WRITE, 'H', 0, sizeof(old));

	assert_int_equal(sizeof(old), 16);
	assert_int_equal(user_ioctl(heap_fd, cmd, &old, sizeof(old)), 0);
	assert_true(old.fd > 0);
	assert_int_equal(sys_lseek(&proc, (int)old.fd, 0, SEEK_END), SZ_1M);
}

/* Case 8: a 48-byte struct with garbage after the known fields. */
static void test_selftest_8_compat_newer(void **state)
{
	struct {
		struct dma_heap_allocation_data d;
		u64 garbage[3];
	} nw = { { .len = SZ_1M, .fd_flags = O_RDWR | O_CLOEXEC },
		 { 0xdeadbeefdeadbeefULL, 0xdeadbeefdeadbeefULL, 0xdeadbeefdeadbeefULL } };
	unsigned int cmd = _IOC(_IOC_READ | _IOC_WRITE, 'H', 0, sizeof(nw));

	assert_int_equal(sizeof(nw), 48);
	assert_int_equal(user_ioctl(heap_fd, cmd, &nw, sizeof(nw)), 0);
	assert_true(nw.d.fd > 0);
	assert_int_equal(sys_lseek(&proc, (int)nw.d.fd, 0, SEEK_END), SZ_1M);
}

/*
 * Case 9: the ioctl on fd 0, which is not a heap (stdin, in the selftest):
 * nothing there is -EBADF; a dma-buf there does not know the command.
 */
static void test_selftest_9_ioctl_on_fd_0_fails(void **state)
{
	struct dma_heap *sys = dma_heap_find("system");
	struct process other;
	struct dma_buf *buf;
	long ret;

	assert_int_equal(process_init(&other, "no-heap", &tfx.soc->cpus[0]), 0);
	assert_int_equal(sys_ioctl(&other, 0, DMA_HEAP_IOCTL_ALLOC, 0), -EBADF);
	buf = dma_heap_buffer_alloc(sys, SZ_4K, O_RDWR, 0);
	assert_false(IS_ERR(buf));
	assert_int_equal(dma_buf_fd(&other, buf, 0), 0);
	assert_int_equal(sys_open(&other, "/dev/dma_heap/system", O_RDWR), 1);
	ret = sys_ioctl(&other, 0, DMA_HEAP_IOCTL_ALLOC, 0);
	assert_int_equal(ret, -ENOTTY);
	process_exit(&other);
	dma_heap_put(sys);
}

/* Case 10: heap_flags 0x111111. */
static void test_selftest_10_bad_heap_flags_fail(void **state)
{
	assert_int_equal(heap_alloc(SZ_1M, 0, 0x111111), -EINVAL);
}

/* Case 11: fd_flags ~(O_RDWR | O_CLOEXEC). */
static void test_selftest_11_bad_fd_flags_fail(void **state)
{
	assert_int_equal(heap_alloc(SZ_1M, ~(O_RDWR | O_CLOEXEC), 0), -EINVAL);
}

/* ---- chunks ---- */

/* 1 MiB + 68 KiB: the largest chunk first, one sg entry per chunk. */
static void test_chunks_are_1m_64k_4k(void **state)
{
	u64 len = SZ_1M + SZ_64K + SZ_4K, sizes[8];
	int fd = alloc_fd(len);
	u64 uaddr = buf_mmap(fd, len, 0);
	struct import im, im2;
	u8 *seen;

	for (u64 off = 0; off < len; off += SZ_4K)
		user_fill(uaddr + off, (u8)(off >> 12), SZ_4K);
	import(&im, fd);
	assert_int_equal(chunk_sizes(&im, sizes, ARRAY_SIZE(sizes)), 3);
	assert_int_equal(sizes[0], SZ_1M);
	assert_int_equal(sizes[1], SZ_64K);
	assert_int_equal(sizes[2], SZ_4K);
	seen = device_read(&im);
	for (u64 off = 0; off < len; off++)
		if (seen[off] != (u8)(off >> 12))
			fail_msg("byte %#llx: the device reads %#x", (unsigned long long)off,
				 seen[off]);
	free(seen);
	/* Each attachment maps its own copy of the table. */
	import(&im2, fd);
	assert_ptr_not_equal(im2.sgt, im.sgt);
	assert_int_equal(sg_dma_address(im2.sgt->sgl), sg_dma_address(im.sgt->sgl));
	assert_int_equal(dma_buf_stats().mappings, 2);
	unimport(&im2);
	unimport(&im);
}

/* The kernel's pages, pinned in blocks by the test (never touched: no host memory). */
static struct { void *virt; size_t size; } pinned[PIN_BLOCKS_MAX];
static unsigned int nr_pinned;

/* Pin blocks of @block bytes until none is left. */
static void pin_all(size_t block)
{
	void *p;

	while ((p = alloc_pages_exact(block, GFP_KERNEL))) {
		assert_true(nr_pinned < PIN_BLOCKS_MAX);
		pinned[nr_pinned].virt = p;
		pinned[nr_pinned++].size = block;
	}
}

static void unpin(unsigned int i)
{
	free_pages_exact(pinned[i].virt, pinned[i].size);
	pinned[i].virt = NULL;
}

static void unpin_all(void)
{
	for (unsigned int i = 0; i < nr_pinned; i++)
		if (pinned[i].virt)
			unpin(i);
	nr_pinned = 0;
}

/*
 * Memory in 64 KiB holes only: no 1 MiB chunk can be had, so the buffer is
 * 64 KiB chunks then 4 KiB ones, the order never growing again; the chunks
 * are scattered, so mmap goes page by page and vmap is refused.
 */
static void test_fragmented_memory_gives_smaller_chunks(void **state)
{
	u64 len = SZ_1M + SZ_64K + SZ_4K, sizes[32];
	struct iosys_map map;
	struct import im;
	unsigned int n;
	u64 uaddr;
	u8 *seen;
	int fd;

	pin_all(SZ_64K);
	pin_all(SZ_4K);		/* what is left below 64 KiB */
	assert_true(nr_pinned > 64);
	for (unsigned int i = 0; i < 48; i += 2)
		unpin(i);
	fd = alloc_fd(len);
	import(&im, fd);
	n = chunk_sizes(&im, sizes, ARRAY_SIZE(sizes));
	assert_int_equal(n, 18);
	for (unsigned int i = 0; i < n; i++) {
		assert_int_equal(sizes[i], i < 17 ? SZ_64K : SZ_4K);
		assert_true(i == 0 || sizes[i] <= sizes[i - 1]);
	}
	assert_false(chunks_contiguous(&im));
	assert_int_equal(dma_buf_vmap(im.buf, &map), -EINVAL);
	/* A mapping at an offset walks the chunks from there. */
	uaddr = buf_mmap(fd, len - SZ_64K, SZ_64K);
	for (u64 off = 0; off < len - SZ_64K; off += SZ_4K)
		user_fill(uaddr + off, (u8)(0x80 + (off >> 12)), SZ_4K);
	seen = device_read(&im);
	for (u64 off = SZ_64K; off < len; off++)
		if (seen[off] != (u8)(0x80 + ((off - SZ_64K) >> 12)))
			fail_msg("byte %#llx: the device reads %#x", (unsigned long long)off,
				 seen[off]);
	free(seen);
	unimport(&im);
	assert_int_equal(sys_munmap(&proc, uaddr, len - SZ_64K), 0);
	assert_int_equal(sys_close(&proc, fd), 0);
	unpin_all();
}

/* Contiguous chunks give the kernel one mapping, the same memory mmap shows. */
static void test_vmap_of_contiguous_chunks(void **state)
{
	u64 len = SZ_1M + SZ_64K + SZ_4K;
	int fd = alloc_fd(len);
	u64 uaddr = buf_mmap(fd, len, 0);
	struct iosys_map map, again;
	struct import im;

	import(&im, fd);
	assert_true(chunks_contiguous(&im));
	assert_int_equal(dma_buf_vmap(im.buf, &map), 0);
	assert_ptr_equal(map.vaddr, phys_to_virt(sg_dma_address(im.sgt->sgl)));
	assert_int_equal(dma_buf_vmap(im.buf, &again), 0);
	assert_ptr_equal(again.vaddr, map.vaddr);
	memset(map.vaddr, 0x77, len);
	assert_true(user_all(uaddr, 0x77, len));
	dma_buf_vunmap(im.buf, &again);
	dma_buf_vunmap(im.buf, &map);
	unimport(&im);
}

/* More than is free: -ENOMEM, and every chunk taken on the way is given back. */
static void test_too_large_is_enomem_and_leaks_nothing(void **state)
{
	struct kmem_stats before;
	u64 fds;

	pin_all(SZ_1M);
	for (unsigned int i = 0; i < 4; i++)
		unpin(i);
	before = kmem_stats();
	fds = proc.open_fds[0];
	assert_int_equal(heap_alloc(8 * SZ_1M, O_RDWR, 0), -ENOMEM);
	assert_int_equal(kmem_stats().pages, before.pages);
	assert_int_equal(kmem_stats().objects, before.objects);
	assert_int_equal(kmem_stats().free_pages, before.free_pages);
	assert_int_equal(proc.open_fds[0], fds);
	assert_int_equal(dma_buf_stats().live, 0);
	/* What fits is still allocated afterwards. */
	assert_true(heap_alloc(2 * SZ_1M, O_RDWR, 0) > 0);
	unpin_all();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		SYS_TEST(test_selftest_1_alloc_and_import),
		SYS_TEST(test_selftest_2_sync),
		SYS_TEST(test_selftest_3_4_alloc_zeroed_4k),
		SYS_TEST(test_selftest_5_6_alloc_zeroed_1m),
		SYS_TEST(test_selftest_7_compat_older),
		SYS_TEST(test_selftest_8_compat_newer),
		SYS_TEST(test_selftest_9_ioctl_on_fd_0_fails),
		SYS_TEST(test_selftest_10_bad_heap_flags_fail),
		SYS_TEST(test_selftest_11_bad_fd_flags_fail),
		SYS_TEST(test_chunks_are_1m_64k_4k),
		SYS_TEST(test_fragmented_memory_gives_smaller_chunks),
		SYS_TEST(test_vmap_of_contiguous_chunks),
		SYS_TEST(test_too_large_is_enomem_and_leaks_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
