/*
 * test_dma_buf.c - the dma-buf core (kernel/dma-buf.c) against a small
 * exporter of system-memory pages: export checks, reference counting
 * through the file, attachments and cached mappings, CPU access and its
 * reference-counted vmap, the SYNC and SET_NAME ioctls, mmap through a
 * process, llseek, and the WARNs of misuse Linux survives.
 *
 * Each test runs on the default board with the secure world (tee_fixture.h)
 * and one process on CPU0; teardown proves that no buffer, attachment,
 * mapping, file, process or kernel page is left, and that exactly the
 * expected warnings were raised.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/dma-buf.h>
#include <secsoc/err.h>

#include "tee_fixture.h"

static struct process proc;
static struct device dev_a, dev_b;
static u64 warns_expected;

/* ---- the test exporter: one run of zeroed kernel pages ---- */

struct tx_buf {
	u8 *virt;
	size_t size;
};

/* What the exporter's ops saw, and what they are told to answer. */
static struct {
	unsigned int attaches, detaches, maps, unmaps, releases;
	unsigned int begins, ends, vmaps, vunmaps, mmaps;
	enum dma_data_direction last_dir;
	int attach_ret;
} tx;

static int tx_attach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	tx.attaches++;
	return tx.attach_ret;
}

static void tx_detach(struct dma_buf *dmabuf, struct dma_buf_attachment *attach)
{
	tx.detaches++;
}

static struct sg_table *tx_map(struct dma_buf_attachment *attach, enum dma_data_direction dir)
{
	struct tx_buf *b = attach->dmabuf->priv;
	struct sg_table *sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);

	assert_non_null(sgt);
	assert_int_equal(sg_alloc_table(sgt, 1, GFP_KERNEL), 0);
	sg_set_buf(sgt->sgl, b->virt, (unsigned int)b->size);
	sgt->sgl->dma_address = virt_to_phys(b->virt);
	sgt->sgl->dma_length = (unsigned int)b->size;
	sgt->nents = 1;
	tx.maps++;
	tx.last_dir = dir;
	return sgt;
}

static void tx_unmap(struct dma_buf_attachment *attach, struct sg_table *sgt,
		     enum dma_data_direction dir)
{
	tx.unmaps++;
	tx.last_dir = dir;
	sg_free_table(sgt);
	kfree(sgt);
}

static void tx_release(struct dma_buf *dmabuf)
{
	struct tx_buf *b = dmabuf->priv;

	tx.releases++;
	free_pages_exact(b->virt, b->size);
	kfree(b);
}

static int tx_begin(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	tx.begins++;
	tx.last_dir = dir;
	return 0;
}

static int tx_end(struct dma_buf *dmabuf, enum dma_data_direction dir)
{
	tx.ends++;
	tx.last_dir = dir;
	return 0;
}

static int tx_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	struct tx_buf *b = dmabuf->priv;

	tx.mmaps++;
	vma->phys = virt_to_phys(b->virt) + (vma->vm_pgoff << PAGE_SHIFT);
	return 0;
}

static int tx_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct tx_buf *b = dmabuf->priv;

	tx.vmaps++;
	map->vaddr = b->virt;
	return 0;
}

static void tx_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	tx.vunmaps++;
}

static const struct dma_buf_ops tx_full_ops = {
	.attach = tx_attach, .detach = tx_detach,
	.map_dma_buf = tx_map, .unmap_dma_buf = tx_unmap, .release = tx_release,
	.begin_cpu_access = tx_begin, .end_cpu_access = tx_end,
	.mmap = tx_mmap, .vmap = tx_vmap, .vunmap = tx_vunmap,
};

/* The mandatory ops only: how an exporter refuses every CPU access. */
static const struct dma_buf_ops tx_min_ops = {
	.map_dma_buf = tx_map, .unmap_dma_buf = tx_unmap, .release = tx_release,
};

/* A buffer of @size bytes from @ops, file opened O_RDWR. */
static struct dma_buf *tx_export(const struct dma_buf_ops *ops, size_t size)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	struct tx_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);
	struct dma_buf *dmabuf;

	assert_non_null(b);
	b->size = size;
	b->virt = alloc_pages_exact(size, __GFP_ZERO);
	assert_non_null(b->virt);
	info.ops = ops;
	info.size = size;
	info.flags = O_RDWR | O_CLOEXEC;
	info.priv = b;
	dmabuf = dma_buf_export(&info);
	assert_false(IS_ERR(dmabuf));
	return dmabuf;
}

/* The buffer's fd in the test process. */
static int tx_fd(struct dma_buf *dmabuf)
{
	int fd = dma_buf_fd(&proc, dmabuf, O_CLOEXEC);

	assert_true(fd >= 0);
	return fd;
}

static u8 *tx_mem(struct dma_buf *dmabuf)
{
	return ((struct tx_buf *)dmabuf->priv)->virt;
}

/* ---- fixture ---- */

static int fx_setup(void **state)
{
	tee_fx_setup(state);
	warn_reset();
	memset(&tx, 0, sizeof(tx));
	warns_expected = 0;
	assert_int_equal(process_init(&proc, "test", &tfx.soc->cpus[0]), 0);
	return 0;
}

static int fx_teardown(void **state)
{
	struct dma_buf_stats ds;
	struct file_stats fs;

	if (proc.live)
		process_exit(&proc);
	ds = dma_buf_stats();
	fs = file_stats();
	assert_int_equal(ds.live, 0);
	assert_int_equal(ds.attachments, 0);
	assert_int_equal(ds.mappings, 0);
	assert_int_equal(fs.live_files, 0);
	assert_int_equal(fs.processes, 0);
	assert_int_equal(tx.maps, tx.unmaps);
	if (warn_count() != warns_expected)
		fail_msg("%llu warnings, expected %llu; last: %s",
			 (unsigned long long)warn_count(), (unsigned long long)warns_expected,
			 warn_last());
	return tee_fx_teardown(state);
}

#define DMABUF_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/** expect_warn - one more warning, whose message contains @text */
static void expect_warn(const char *text)
{
	warns_expected++;
	assert_int_equal(warn_count(), warns_expected);
	if (!strstr(warn_last(), text))
		fail_msg("last warning '%s' lacks '%s'", warn_last(), text);
}

/* ---- export ---- */

/* Export with @ops (or no priv): -EINVAL and a WARN naming what is missing. */
static void export_refused(const struct dma_buf_ops *ops, bool priv, size_t size,
			   const char *lacks)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);
	int dummy;

	info.ops = ops;
	info.size = size;
	info.priv = priv ? &dummy : NULL;
	assert_int_equal(PTR_ERR(dma_buf_export(&info)), -EINVAL);
	expect_warn(lacks);
	assert_int_equal(dma_buf_stats().live, 0);
	assert_int_equal(file_stats().live_files, 0);
}

static void test_export_without_priv_warns_einval(void **state)
{
	export_refused(&tx_full_ops, false, PAGE_SIZE, "no priv");
}

static void test_export_without_map_warns_einval(void **state)
{
	struct dma_buf_ops ops = tx_full_ops;

	ops.map_dma_buf = NULL;
	export_refused(&ops, true, PAGE_SIZE, "no map_dma_buf");
}

static void test_export_without_unmap_warns_einval(void **state)
{
	struct dma_buf_ops ops = tx_full_ops;

	ops.unmap_dma_buf = NULL;
	export_refused(&ops, true, PAGE_SIZE, "no unmap_dma_buf");
}

static void test_export_without_release_warns_einval(void **state)
{
	struct dma_buf_ops ops = tx_full_ops;

	ops.release = NULL;
	export_refused(&ops, true, PAGE_SIZE, "no release");
}

static void test_export_of_size_zero_warns_einval(void **state)
{
	export_refused(&tx_full_ops, true, 0, "no size");
}

static void test_export_makes_a_dmabuf_file(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);

	assert_true(is_dma_buf_file(dmabuf->file));
	assert_ptr_equal(dmabuf->file->private_data, dmabuf);
	assert_string_equal(dmabuf->file->name, "anon_inode:dmabuf");
	assert_string_equal(dmabuf->exp_name, "tx_export");
	assert_int_equal(dmabuf->file->f_count, 1);
	assert_int_equal(dma_buf_stats().live, 1);
	dma_buf_put(dmabuf);
	assert_int_equal(tx.releases, 1);
}

/* ---- references ---- */

static void test_close_of_the_only_fd_releases_the_buffer(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);

	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(tx.releases, 1);
	assert_int_equal(dma_buf_stats().released, dma_buf_stats().exported);
}

static void test_an_extra_reference_survives_close(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);

	get_dma_buf(dmabuf);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(tx.releases, 0);
	assert_int_equal(dma_buf_stats().live, 1);
	dma_buf_put(dmabuf);
	assert_int_equal(tx.releases, 1);
}

static void test_dma_buf_get_takes_a_reference(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);

	assert_ptr_equal(dma_buf_get(&proc, fd), dmabuf);
	assert_int_equal(dmabuf->file->f_count, 2);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(tx.releases, 0);
	dma_buf_put(dmabuf);
	assert_int_equal(tx.releases, 1);
}

static void test_dma_buf_get_of_a_bad_fd_is_ebadf(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);

	assert_int_equal(PTR_ERR(dma_buf_get(&proc, -1)), -EBADF);
	assert_int_equal(PTR_ERR(dma_buf_get(&proc, fd + 1)), -EBADF);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(PTR_ERR(dma_buf_get(&proc, fd)), -EBADF);
}

static const struct file_operations other_fops = { 0 };

static void test_dma_buf_get_of_another_file_is_einval(void **state)
{
	struct file *f = anon_inode_getfile("other", &other_fops, NULL, O_RDWR);
	int fd = get_unused_fd_flags(&proc, 0);

	assert_false(IS_ERR(f));
	fd_install(&proc, fd, f);
	assert_false(is_dma_buf_file(f));
	assert_int_equal(PTR_ERR(dma_buf_get(&proc, fd)), -EINVAL);
	assert_int_equal(f->f_count, 1);
}

static void test_dma_buf_fd_of_null_is_einval(void **state)
{
	assert_int_equal(dma_buf_fd(&proc, NULL, 0), -EINVAL);
}

static void test_put_of_null_warns(void **state)
{
	dma_buf_put(NULL);
	expect_warn("dma_buf_put of a NULL or released dma-buf");
}

/* ---- attachments ---- */

static void test_attach_of_null_warns_einval(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);

	assert_int_equal(PTR_ERR(dma_buf_attach(dmabuf, NULL)), -EINVAL);
	expect_warn("or no device");
	assert_int_equal(PTR_ERR(dma_buf_attach(NULL, &dev_a)), -EINVAL);
	expect_warn("dma_buf_attach of a NULL or released dma-buf");
	assert_int_equal(tx.attaches, 0);
	dma_buf_put(dmabuf);
}

static void test_exporter_attach_error_propagates_and_leaves_no_attachment(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);

	tx.attach_ret = -EBUSY;
	assert_int_equal(PTR_ERR(dma_buf_attach(dmabuf, &dev_a)), -EBUSY);
	assert_int_equal(tx.attaches, 1);
	assert_int_equal(dmabuf->nr_attachments, 0);
	assert_true(list_empty(&dmabuf->attachments));
	assert_int_equal(dma_buf_stats().attachments, 0);
	dma_buf_put(dmabuf);
}

static void test_attach_and_detach_are_counted(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);
	struct dma_buf_attachment *b = dma_buf_attach(dmabuf, &dev_b);

	assert_false(IS_ERR(a));
	assert_false(IS_ERR(b));
	assert_ptr_equal(a->dev, &dev_a);
	assert_int_equal(dmabuf->nr_attachments, 2);
	assert_int_equal(dma_buf_stats().attachments, 2);
	dma_buf_detach(dmabuf, a);
	dma_buf_detach(dmabuf, b);
	assert_int_equal(tx.detaches, 2);
	assert_int_equal(dma_buf_stats().attachments, 0);
	dma_buf_put(dmabuf);
}

static void test_attachments_past_the_limit_are_enomem(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	struct dma_buf_attachment *a[DMA_BUF_ATTACHMENTS_MAX];

	for (unsigned int i = 0; i < DMA_BUF_ATTACHMENTS_MAX; i++) {
		a[i] = dma_buf_attach(dmabuf, &dev_a);
		assert_false(IS_ERR(a[i]));
	}
	assert_int_equal(PTR_ERR(dma_buf_attach(dmabuf, &dev_a)), -ENOMEM);
	for (unsigned int i = 0; i < DMA_BUF_ATTACHMENTS_MAX; i++)
		dma_buf_detach(dmabuf, a[i]);
	dma_buf_put(dmabuf);
}

static void test_detach_from_the_wrong_buffer_warns_and_keeps_the_attachment(void **state)
{
	struct dma_buf *one = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf *two = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(one, &dev_a);

	dma_buf_detach(two, a);
	expect_warn("another buffer");
	assert_int_equal(tx.detaches, 0);
	assert_int_equal(one->nr_attachments, 1);
	assert_ptr_equal(list_first_entry(&one->attachments, struct dma_buf_attachment, node), a);
	dma_buf_detach(one, a);
	dma_buf_put(one);
	dma_buf_put(two);
}

static void test_release_with_attachments_warns_and_detaches_them(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);

	assert_false(IS_ERR(dma_buf_map_attachment_unlocked(a, DMA_TO_DEVICE)));
	dma_buf_put(dmabuf);
	expect_warn("released with 1 attachments");
	assert_int_equal(tx.unmaps, 1);
	assert_int_equal(tx.detaches, 1);
	assert_int_equal(tx.releases, 1);
}

static void test_double_put_warns_and_releases_once(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);

	dma_buf_put(dmabuf);
	dma_buf_put(dmabuf);
	expect_warn("dma_buf_put of a NULL or released dma-buf");
	assert_int_equal(tx.releases, 1);
}

static void test_use_after_the_last_put_warns_einval(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct iosys_map map;

	dma_buf_put(dmabuf);
	assert_int_equal(dma_buf_begin_cpu_access(dmabuf, DMA_TO_DEVICE), -EINVAL);
	expect_warn("dma_buf_begin_cpu_access of a NULL or released dma-buf");
	assert_int_equal(dma_buf_vmap(dmabuf, &map), -EINVAL);
	expect_warn("dma_buf_vmap of a NULL or released dma-buf");
	assert_true(IS_ERR(dma_buf_attach(dmabuf, &dev_a)));
	expect_warn("dma_buf_attach of a NULL or released dma-buf");
	assert_int_equal(tx.begins + tx.vmaps + tx.attaches, 0);
}

static void test_detach_after_the_last_put_warns(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);

	dma_buf_put(dmabuf);
	expect_warn("released with 1 attachments");
	dma_buf_detach(dmabuf, a);
	expect_warn("attachment of another buffer, or a released buffer");
	assert_int_equal(tx.detaches, 1);
}

/* ---- mappings ---- */

static void test_map_twice_in_one_direction_returns_the_cached_table(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, 2 * PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(a, DMA_FROM_DEVICE);

	assert_false(IS_ERR(sgt));
	assert_int_equal(sg_dma_address(sgt->sgl), virt_to_phys(tx_mem(dmabuf)));
	assert_int_equal(sg_dma_len(sgt->sgl), 2 * PAGE_SIZE);
	assert_ptr_equal(dma_buf_map_attachment_unlocked(a, DMA_FROM_DEVICE), sgt);
	assert_int_equal(tx.maps, 1);
	assert_int_equal(dma_buf_stats().mappings, 1);
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_FROM_DEVICE);
	assert_int_equal(tx.unmaps, 1);
	assert_int_equal(dma_buf_stats().mappings, 0);
	dma_buf_detach(dmabuf, a);
	dma_buf_put(dmabuf);
}

static void test_map_in_another_direction_is_ebusy(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(a, DMA_TO_DEVICE);

	assert_int_equal(PTR_ERR(dma_buf_map_attachment_unlocked(a, DMA_FROM_DEVICE)), -EBUSY);
	assert_int_equal(PTR_ERR(dma_buf_map_attachment_unlocked(a, DMA_BIDIRECTIONAL)),
			 -EBUSY);
	assert_int_equal(tx.maps, 1);
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_TO_DEVICE);
	dma_buf_detach(dmabuf, a);
	dma_buf_put(dmabuf);
}

static void test_unmap_of_a_table_that_is_not_the_live_mapping_warns(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);
	struct sg_table *sgt = dma_buf_map_attachment_unlocked(a, DMA_TO_DEVICE);
	struct sg_table other = { 0 };

	dma_buf_unmap_attachment_unlocked(a, &other, DMA_TO_DEVICE);
	expect_warn("not the live mapping");
	assert_int_equal(tx.unmaps, 0);
	assert_ptr_equal(a->sgt, sgt);
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_TO_DEVICE);
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_TO_DEVICE);
	expect_warn("not the live mapping");
	assert_int_equal(tx.unmaps, 1);
	dma_buf_detach(dmabuf, a);
	dma_buf_put(dmabuf);
}

static void test_detach_unmaps_a_mapping_left_in_place(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct dma_buf_attachment *a = dma_buf_attach(dmabuf, &dev_a);

	assert_false(IS_ERR(dma_buf_map_attachment_unlocked(a, DMA_BIDIRECTIONAL)));
	dma_buf_detach(dmabuf, a);
	assert_int_equal(tx.unmaps, 1);
	assert_int_equal(tx.last_dir, DMA_BIDIRECTIONAL);
	dma_buf_put(dmabuf);
}

static void test_map_of_null_warns_einval(void **state)
{
	assert_int_equal(PTR_ERR(dma_buf_map_attachment_unlocked(NULL, DMA_TO_DEVICE)), -EINVAL);
	expect_warn("WARN_ON");
}

/* ---- CPU access ---- */

static void test_cpu_access_without_ops_is_allowed(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);

	assert_int_equal(dma_buf_begin_cpu_access(dmabuf, DMA_FROM_DEVICE), 0);
	assert_int_equal(dma_buf_end_cpu_access(dmabuf, DMA_FROM_DEVICE), 0);
	dma_buf_put(dmabuf);
}

static void test_cpu_access_runs_the_exporter_ops(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);

	assert_int_equal(dma_buf_begin_cpu_access(dmabuf, DMA_TO_DEVICE), 0);
	assert_int_equal(tx.begins, 1);
	assert_int_equal(dma_buf_end_cpu_access(dmabuf, DMA_TO_DEVICE), 0);
	assert_int_equal(tx.ends, 1);
	dma_buf_put(dmabuf);
}

static void test_vmap_without_an_op_is_einval(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_min_ops, PAGE_SIZE);
	struct iosys_map map = { .vaddr = (void *)1 };

	assert_int_equal(dma_buf_vmap(dmabuf, &map), -EINVAL);
	assert_null(map.vaddr);
	assert_true(map.is_null);
	dma_buf_put(dmabuf);
}

static void test_vmap_is_reference_counted(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct iosys_map m1, m2;

	assert_int_equal(dma_buf_vmap(dmabuf, &m1), 0);
	assert_int_equal(dma_buf_vmap(dmabuf, &m2), 0);
	assert_int_equal(tx.vmaps, 1);
	assert_ptr_equal(m1.vaddr, tx_mem(dmabuf));
	assert_ptr_equal(m2.vaddr, m1.vaddr);
	assert_int_equal(dmabuf->vmapping_counter, 2);
	dma_buf_vunmap(dmabuf, &m1);
	assert_int_equal(tx.vunmaps, 0);
	dma_buf_vunmap(dmabuf, &m2);
	assert_int_equal(tx.vunmaps, 1);
	assert_int_equal(dmabuf->vmapping_counter, 0);
	dma_buf_vunmap(dmabuf, &m2);
	expect_warn("vunmap of a mapping");
	assert_int_equal(tx.vunmaps, 1);
	dma_buf_put(dmabuf);
}

static void test_release_while_vmapped_warns_and_vunmaps(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	struct iosys_map map;

	assert_int_equal(dma_buf_vmap(dmabuf, &map), 0);
	dma_buf_put(dmabuf);
	expect_warn("released while vmapped");
	assert_int_equal(tx.vunmaps, 1);
	assert_int_equal(tx.releases, 1);
}

/* ---- the userspace ABI ---- */

/* A SYNC ioctl with @flags from the test process's memory. */
static long sync_ioctl(int fd, u64 flags)
{
	struct dma_buf_sync sync = { .flags = flags };
	u64 va = process_alloc_user(&proc, sizeof(sync));
	long ret;

	assert_int_not_equal(va, 0);
	assert_int_equal(process_write(&proc, va, &sync, sizeof(sync)), 0);
	ret = sys_ioctl(&proc, fd, DMA_BUF_IOCTL_SYNC, va);
	assert_int_equal(sys_munmap(&proc, va, sizeof(sync)), 0);
	return ret;
}

static void test_sync_with_invalid_bits_is_einval(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_RW | (1ULL << 3)), -EINVAL);
	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_READ | (1ULL << 63)), -EINVAL);
	assert_int_equal(tx.begins + tx.ends, 0);
}

static void test_sync_without_read_or_write_is_einval(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_START), -EINVAL);
	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_END), -EINVAL);
	assert_int_equal(tx.begins + tx.ends, 0);
}

static void test_sync_start_and_end_reach_the_exporter(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ), 0);
	assert_int_equal(tx.begins, 1);
	assert_int_equal(tx.last_dir, DMA_FROM_DEVICE);
	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_WRITE), 0);
	assert_int_equal(tx.ends, 1);
	assert_int_equal(tx.last_dir, DMA_TO_DEVICE);
	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
	assert_int_equal(tx.begins, 2);
	assert_int_equal(tx.last_dir, DMA_BIDIRECTIONAL);
}

static void test_sync_without_cpu_ops_is_zero(void **state)
{
	int fd = tx_fd(tx_export(&tx_min_ops, PAGE_SIZE));

	assert_int_equal(sync_ioctl(fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW), 0);
}

static void test_sync_from_an_unmapped_address_is_efault(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sys_ioctl(&proc, fd, DMA_BUF_IOCTL_SYNC, USER_BASE - PAGE_SIZE),
			 -EFAULT);
	assert_int_equal(tx.begins + tx.ends, 0);
}

static void test_unknown_ioctl_is_enotty(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sys_ioctl(&proc, fd, _IOW(DMA_BUF_BASE, 9, u64), 0), -ENOTTY);
}

/* SET_NAME with @name written to user memory; @len bytes of it, no NUL added. */
static long set_name(int fd, const char *name, size_t len)
{
	u64 va = process_alloc_user(&proc, PAGE_SIZE);
	long ret;

	assert_int_equal(process_write(&proc, va, name, len), 0);
	ret = sys_ioctl(&proc, fd, DMA_BUF_SET_NAME_B, va);
	assert_int_equal(sys_munmap(&proc, va, PAGE_SIZE), 0);
	return ret;
}

static void test_set_name_names_the_buffer(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);
	char longest[DMA_BUF_NAME_LEN];

	assert_int_equal(set_name(fd, "frame", 6), 0);
	assert_string_equal(dmabuf->name, "frame");
	memset(longest, 'n', sizeof(longest));
	longest[DMA_BUF_NAME_LEN - 1] = '\0';
	assert_int_equal(set_name(fd, longest, sizeof(longest)), 0);
	assert_string_equal(dmabuf->name, longest);
}

static void test_set_name_too_long_is_einval(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, PAGE_SIZE);
	int fd = tx_fd(dmabuf);
	char name[DMA_BUF_NAME_LEN + 1];

	memset(name, 'n', sizeof(name));
	name[DMA_BUF_NAME_LEN] = '\0';
	assert_int_equal(set_name(fd, name, sizeof(name)), -EINVAL);
	assert_string_equal(dmabuf->name, "");
}

static void test_set_name_from_an_unmapped_address_is_efault(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, PAGE_SIZE));

	assert_int_equal(sys_ioctl(&proc, fd, DMA_BUF_SET_NAME_B, USER_BASE - PAGE_SIZE),
			 -EFAULT);
}

static void test_mmap_round_trip_lands_in_the_exporter_memory(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, 2 * PAGE_SIZE);
	int fd = tx_fd(dmabuf);
	s64 va = sys_mmap(&proc, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	const u8 data[16] = "dma-buf contents";
	u8 back[16] = { 0 };

	assert_true(va > 0);
	assert_int_equal(tx.mmaps, 1);
	assert_int_equal(process_write(&proc, (u64)va + PAGE_SIZE - 8, data, sizeof(data)), 0);
	assert_memory_equal(tx_mem(dmabuf) + PAGE_SIZE - 8, data, sizeof(data));
	memset(tx_mem(dmabuf), 0x3c, 4);
	assert_int_equal(process_read(&proc, (u64)va, back, 4), 0);
	assert_int_equal(back[0], 0x3c);
	assert_int_equal(back[3], 0x3c);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(tx.releases, 0);
	assert_int_equal(process_read(&proc, (u64)va + PAGE_SIZE - 8, back, sizeof(back)), 0);
	assert_memory_equal(back, data, sizeof(data));
	assert_int_equal(sys_munmap(&proc, (u64)va, 2 * PAGE_SIZE), 0);
	assert_int_equal(tx.releases, 1);
}

static void test_mmap_at_an_offset_maps_that_page(void **state)
{
	struct dma_buf *dmabuf = tx_export(&tx_full_ops, 2 * PAGE_SIZE);
	int fd = tx_fd(dmabuf);
	s64 va = sys_mmap(&proc, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, PAGE_SIZE);
	u8 byte = 0x99;

	assert_true(va > 0);
	assert_int_equal(process_write(&proc, (u64)va, &byte, 1), 0);
	assert_int_equal(tx_mem(dmabuf)[PAGE_SIZE], 0x99);
	assert_int_equal(tx_mem(dmabuf)[0], 0);
}

static void test_mmap_past_the_end_is_einval(void **state)
{
	int fd = tx_fd(tx_export(&tx_full_ops, 2 * PAGE_SIZE));

	assert_int_equal(sys_mmap(&proc, 3 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -EINVAL);
	assert_int_equal(sys_mmap(&proc, 2 * PAGE_SIZE, PROT_READ, MAP_SHARED, fd, PAGE_SIZE),
			 -EINVAL);
	assert_int_equal(tx.mmaps, 0);
	assert_int_equal(file_stats().live_files, 1);
}

static void test_mmap_without_an_op_is_einval(void **state)
{
	int fd = tx_fd(tx_export(&tx_min_ops, PAGE_SIZE));

	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -EINVAL);
}

static void test_llseek_tells_the_size_only(void **state)
{
	int fd = tx_fd(tx_export(&tx_min_ops, 3 * PAGE_SIZE));

	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_END), 3 * PAGE_SIZE);
	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_SET), 0);
	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_CUR), -EINVAL);
	assert_int_equal(sys_lseek(&proc, fd, 1, SEEK_SET), -EINVAL);
	assert_int_equal(sys_lseek(&proc, fd, -1, SEEK_END), -EINVAL);
}

static void test_stats_count_exports_and_releases(void **state)
{
	struct dma_buf_stats before = dma_buf_stats();
	struct dma_buf *one = tx_export(&tx_min_ops, PAGE_SIZE);
	struct dma_buf *two = tx_export(&tx_min_ops, PAGE_SIZE);

	assert_int_equal(dma_buf_stats().live, 2);
	assert_int_equal(dma_buf_stats().exported, before.exported + 2);
	assert_int_not_equal(one->ino, two->ino);
	dma_buf_put(one);
	dma_buf_put(two);
	assert_int_equal(dma_buf_stats().released, before.released + 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		DMABUF_TEST(test_export_without_priv_warns_einval),
		DMABUF_TEST(test_export_without_map_warns_einval),
		DMABUF_TEST(test_export_without_unmap_warns_einval),
		DMABUF_TEST(test_export_without_release_warns_einval),
		DMABUF_TEST(test_export_of_size_zero_warns_einval),
		DMABUF_TEST(test_export_makes_a_dmabuf_file),
		DMABUF_TEST(test_close_of_the_only_fd_releases_the_buffer),
		DMABUF_TEST(test_an_extra_reference_survives_close),
		DMABUF_TEST(test_dma_buf_get_takes_a_reference),
		DMABUF_TEST(test_dma_buf_get_of_a_bad_fd_is_ebadf),
		DMABUF_TEST(test_dma_buf_get_of_another_file_is_einval),
		DMABUF_TEST(test_dma_buf_fd_of_null_is_einval),
		DMABUF_TEST(test_put_of_null_warns),
		DMABUF_TEST(test_attach_of_null_warns_einval),
		DMABUF_TEST(test_exporter_attach_error_propagates_and_leaves_no_attachment),
		DMABUF_TEST(test_attach_and_detach_are_counted),
		DMABUF_TEST(test_attachments_past_the_limit_are_enomem),
		DMABUF_TEST(test_detach_from_the_wrong_buffer_warns_and_keeps_the_attachment),
		DMABUF_TEST(test_release_with_attachments_warns_and_detaches_them),
		DMABUF_TEST(test_double_put_warns_and_releases_once),
		DMABUF_TEST(test_use_after_the_last_put_warns_einval),
		DMABUF_TEST(test_detach_after_the_last_put_warns),
		DMABUF_TEST(test_map_twice_in_one_direction_returns_the_cached_table),
		DMABUF_TEST(test_map_in_another_direction_is_ebusy),
		DMABUF_TEST(test_unmap_of_a_table_that_is_not_the_live_mapping_warns),
		DMABUF_TEST(test_detach_unmaps_a_mapping_left_in_place),
		DMABUF_TEST(test_map_of_null_warns_einval),
		DMABUF_TEST(test_cpu_access_without_ops_is_allowed),
		DMABUF_TEST(test_cpu_access_runs_the_exporter_ops),
		DMABUF_TEST(test_vmap_without_an_op_is_einval),
		DMABUF_TEST(test_vmap_is_reference_counted),
		DMABUF_TEST(test_release_while_vmapped_warns_and_vunmaps),
		DMABUF_TEST(test_sync_with_invalid_bits_is_einval),
		DMABUF_TEST(test_sync_without_read_or_write_is_einval),
		DMABUF_TEST(test_sync_start_and_end_reach_the_exporter),
		DMABUF_TEST(test_sync_without_cpu_ops_is_zero),
		DMABUF_TEST(test_sync_from_an_unmapped_address_is_efault),
		DMABUF_TEST(test_unknown_ioctl_is_enotty),
		DMABUF_TEST(test_set_name_names_the_buffer),
		DMABUF_TEST(test_set_name_too_long_is_einval),
		DMABUF_TEST(test_set_name_from_an_unmapped_address_is_efault),
		DMABUF_TEST(test_mmap_round_trip_lands_in_the_exporter_memory),
		DMABUF_TEST(test_mmap_at_an_offset_maps_that_page),
		DMABUF_TEST(test_mmap_past_the_end_is_einval),
		DMABUF_TEST(test_mmap_without_an_op_is_einval),
		DMABUF_TEST(test_llseek_tells_the_size_only),
		DMABUF_TEST(test_stats_count_exports_and_releases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
