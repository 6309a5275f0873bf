/*
 * test_file.c - files, device nodes and processes (kernel/file.c): fd
 * allocation and limits, the life of a file held by a mapping, process
 * exit, device-node open, the syscalls' errors, and user memory through
 * the bus, including a load the TZC denies.
 *
 * Each test runs on the default board with the secure world (tee_fixture.h)
 * and one process on CPU0; teardown proves that no file, process or kernel
 * page is left and that exactly the expected warnings were raised.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/cpu.h>
#include <secsoc/err.h>
#include <secsoc/file.h>

#include "tee_fixture.h"

static struct process proc;
static u64 warns_expected;

/* What the test files' operations saw. */
static struct {
	unsigned int opens, releases, ioctls;
	void *open_priv;
	int open_ret;
	struct process *ioctl_current;
	size_t not_copied;
	u8 copied[8];
	struct process *nested;		/* ioctl: run a syscall of this one inside */
	struct process *after_nested;
} seen;

static int fx_setup(void **state)
{
	tee_fx_setup(state);
	warn_reset();
	memset(&seen, 0, sizeof(seen));
	warns_expected = 0;
	assert_int_equal(process_init(&proc, "test", &tfx.soc->cpus[0]), 0);
	return 0;
}

static int fx_teardown(void **state)
{
	struct file_stats st;

	if (proc.live)
		process_exit(&proc);
	st = file_stats();
	assert_int_equal(st.live_files, 0);
	assert_int_equal(st.processes, 0);
	assert_int_equal(st.opened, st.released);
	if (warn_count() != warns_expected)
		fail_msg("%llu warnings, expected %llu; last: %s",
			 (unsigned long long)warn_count(), (unsigned long long)warns_expected,
			 warn_last());
	assert_null(current_process());
	return tee_fx_teardown(state);
}

#define FILE_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* ---- test files ---- */

static int t_open(struct file *f, void *node_priv)
{
	seen.opens++;
	seen.open_priv = node_priv;
	f->private_data = node_priv;
	return seen.open_ret;
}

static void t_release(struct file *f)
{
	seen.releases++;
}

/* Reads 8 bytes at @arg through copy_from_user(), as the current process. */
static long t_ioctl(struct file *f, unsigned int cmd, u64 arg)
{
	seen.ioctls++;
	seen.ioctl_current = current_process();
	seen.not_copied = copy_from_user(seen.copied, arg, sizeof(seen.copied));
	if (seen.nested) {
		struct process *inner = seen.nested;

		seen.nested = NULL;
		sys_ioctl(inner, 0, 0, 0);
		seen.after_nested = current_process();
	}
	return 0;
}

/* Maps the physical address in node_priv (the file's private_data). */
static int t_mmap_phys(struct file *f, struct vm_area_struct *vma)
{
	vma->phys = *(phys_addr_t *)f->private_data + (vma->vm_pgoff << PAGE_SHIFT);
	return 0;
}

/* Refuses every mapping, as a protected heap's buffer does. */
static int t_mmap_refuse(struct file *f, struct vm_area_struct *vma)
{
	return -EPERM;
}

static const struct file_operations plain_fops = { .release = t_release };
static const struct file_operations refusing_fops = { .mmap = t_mmap_refuse };
static const struct file_operations node_fops = {
	.open = t_open, .release = t_release, .unlocked_ioctl = t_ioctl, .mmap = t_mmap_phys,
};

/* An anonymous file with @fops installed in @p; returns the fd. */
static int install_anon(struct process *p, const struct file_operations *fops, void *priv,
			unsigned int flags)
{
	struct file *f = anon_inode_getfile("test", fops, priv, flags);
	int fd;

	assert_false(IS_ERR(f));
	fd = get_unused_fd_flags(p, flags);
	assert_true(fd >= 0);
	fd_install(p, fd, f);
	return fd;
}

/* A mappable file over @phys (which must stay valid while the file lives). */
static int install_phys(struct process *p, phys_addr_t *phys, unsigned int flags)
{
	return install_anon(p, &node_fops, phys, flags);
}

/* ---- the fd table ---- */

static void test_fds_are_allocated_lowest_first(void **state)
{
	assert_int_equal(install_anon(&proc, &plain_fops, NULL, 0), 0);
	assert_int_equal(install_anon(&proc, &plain_fops, NULL, 0), 1);
	assert_int_equal(install_anon(&proc, &plain_fops, NULL, 0), 2);
	assert_int_equal(sys_close(&proc, 1), 0);
	assert_int_equal(install_anon(&proc, &plain_fops, NULL, 0), 1);
	assert_int_equal(install_anon(&proc, &plain_fops, NULL, 0), 3);
}

static void test_full_fd_table_is_emfile(void **state)
{
	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++)
		assert_int_equal(get_unused_fd_flags(&proc, 0), fd);
	assert_int_equal(get_unused_fd_flags(&proc, 0), -EMFILE);
	assert_int_equal(sys_open(&proc, "/dev/none", O_RDWR), -EMFILE);
	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++)
		put_unused_fd(&proc, fd);
	assert_int_equal(get_unused_fd_flags(&proc, 0), 0);
	put_unused_fd(&proc, 0);
}

static void test_closed_fd_is_ebadf(void **state)
{
	int fd = install_anon(&proc, &plain_fops, NULL, 0);

	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(seen.releases, 1);
	assert_int_equal(sys_close(&proc, fd), -EBADF);
	assert_int_equal(sys_ioctl(&proc, fd, 0, 0), -EBADF);
	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_SET), -EBADF);
	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -EBADF);
}

static void test_fget_of_a_bad_fd_is_null(void **state)
{
	int fd = install_anon(&proc, &plain_fops, NULL, 0);
	struct file *f;

	assert_null(fget(&proc, -1));
	assert_null(fget(&proc, PROCESS_FDS_MAX));
	assert_null(fget(&proc, fd + 1));
	f = fget(&proc, fd);
	assert_non_null(f);
	assert_int_equal(f->f_count, 2);
	fput(f);
}

static void test_cloexec_is_kept_per_fd(void **state)
{
	int a = install_anon(&proc, &plain_fops, NULL, O_CLOEXEC);
	int b = install_anon(&proc, &plain_fops, NULL, 0);

	assert_int_equal(proc.cloexec[0] & BIT_ULL(a), BIT_ULL(a));
	assert_int_equal(proc.cloexec[0] & BIT_ULL(b), 0);
	assert_int_equal(sys_close(&proc, a), 0);
	assert_int_equal(proc.cloexec[0] & BIT_ULL(a), 0);
}

static void test_fd_install_of_an_unreserved_fd_warns_and_drops_the_file(void **state)
{
	struct file *f = anon_inode_getfile("test", &plain_fops, NULL, 0);

	fd_install(&proc, 5, f);
	warns_expected = 1;
	assert_non_null(strstr(warn_last(), "not reserved"));
	assert_null(proc.fds[5]);
	assert_int_equal(seen.releases, 1);
}

/* ---- file lifetimes ---- */

static void test_a_mapping_keeps_the_file_alive_after_close(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDWR);
	s64 va = sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);

	assert_true(va >= (s64)USER_BASE);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(seen.releases, 0);
	assert_int_equal(file_stats().live_files, 1);
	assert_int_equal(sys_munmap(&proc, (u64)va, PAGE_SIZE), 0);
	assert_int_equal(seen.releases, 1);
	assert_int_equal(file_stats().live_files, 0);
	free_pages_exact(mem, PAGE_SIZE);
}

static void test_process_exit_releases_everything(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDWR);

	install_anon(&proc, &plain_fops, NULL, 0);
	assert_true(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0) > 0);
	assert_int_not_equal(process_alloc_user(&proc, 3 * PAGE_SIZE), 0);
	assert_int_equal(file_stats().live_files, 2);
	process_exit(&proc);
	assert_false(proc.live);
	assert_int_equal(seen.releases, 2);
	assert_int_equal(file_stats().live_files, 0);
	assert_int_equal(file_stats().processes, 0);
	free_pages_exact(mem, PAGE_SIZE);
	/* teardown: kmem_stats() proves the anonymous pages went back */
}

static void test_process_init_refuses_a_secure_cpu(void **state)
{
	struct process other;

	assert_int_equal(process_init(&other, "s", &tfx.soc->secure_cpu), -EINVAL);
	assert_int_equal(process_init(&other, "s", NULL), -EINVAL);
	assert_int_equal(file_stats().processes, 1);
}

/* ---- device nodes ---- */

static void test_devnode_open_calls_open_with_the_node_priv(void **state)
{
	int priv = 42;
	struct file *f;
	int fd;

	assert_int_equal(devnode_add("/dev/test0", &node_fops, &priv), 0);
	fd = sys_open(&proc, "/dev/test0", O_RDWR | O_CLOEXEC);
	assert_int_equal(fd, 0);
	assert_int_equal(seen.opens, 1);
	assert_ptr_equal(seen.open_priv, &priv);
	f = proc.fds[fd];
	assert_string_equal(f->name, "/dev/test0");
	assert_int_equal(f->f_flags, O_RDWR | O_CLOEXEC);
	assert_int_equal(sys_close(&proc, fd), 0);
	assert_int_equal(seen.releases, 1);
	devnode_remove("/dev/test0");
}

static void test_devnode_open_of_an_unknown_path_is_enoent(void **state)
{
	assert_int_equal(sys_open(&proc, "/dev/nothing", O_RDWR), -ENOENT);
	assert_int_equal(sys_open(&proc, NULL, O_RDWR), -ENOENT);
	assert_int_equal(get_unused_fd_flags(&proc, 0), 0);
	put_unused_fd(&proc, 0);
}

static void test_devnode_open_failure_leaves_no_fd_and_no_file(void **state)
{
	assert_int_equal(devnode_add("/dev/test0", &node_fops, NULL), 0);
	seen.open_ret = -EACCES;
	assert_int_equal(sys_open(&proc, "/dev/test0", O_RDWR), -EACCES);
	assert_int_equal(seen.releases, 0);
	assert_int_equal(file_stats().live_files, 0);
	assert_int_equal(get_unused_fd_flags(&proc, 0), 0);
	put_unused_fd(&proc, 0);
	devnode_remove("/dev/test0");
}

static void test_devnode_add_rejects_bad_and_duplicate_paths(void **state)
{
	char longpath[DEVNODE_PATH_MAX + 8];

	memset(longpath, 'a', sizeof(longpath));
	memcpy(longpath, "/dev/", 5);
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(devnode_add(NULL, &node_fops, NULL), -EINVAL);
	assert_int_equal(devnode_add("/dev/", &node_fops, NULL), -EINVAL);
	assert_int_equal(devnode_add("/tmp/x", &node_fops, NULL), -EINVAL);
	assert_int_equal(devnode_add("/dev/x/", &node_fops, NULL), -EINVAL);
	assert_int_equal(devnode_add(longpath, &node_fops, NULL), -EINVAL);
	assert_int_equal(devnode_add("/dev/x", NULL, NULL), -EINVAL);
	assert_int_equal(devnode_add("/dev/x", &node_fops, NULL), 0);
	assert_int_equal(devnode_add("/dev/x", &node_fops, NULL), -EEXIST);
	devnode_remove("/dev/x");
}

/* Fills the table (drivers of the booted board may hold a few nodes already). */
static void test_devnode_table_full_is_enospc(void **state)
{
	char path[32];
	int added = 0, ret = 0;

	while (added <= DEVNODES_MAX) {
		snprintf(path, sizeof(path), "/dev/n%d", added);
		ret = devnode_add(path, &node_fops, NULL);
		if (ret)
			break;
		added++;
	}
	assert_int_equal(ret, -ENOSPC);
	assert_true(added > 0);
	devnode_remove("/dev/n0");
	assert_int_equal(devnode_add("/dev/again", &node_fops, NULL), 0);
	devnode_remove("/dev/again");
	for (int i = 1; i < added; i++) {
		snprintf(path, sizeof(path), "/dev/n%d", i);
		devnode_remove(path);
	}
}

static void test_removed_devnode_keeps_open_files_and_refuses_new_opens(void **state)
{
	int fd;

	assert_int_equal(devnode_add("/dev/test0", &node_fops, NULL), 0);
	fd = sys_open(&proc, "/dev/test0", O_RDWR);
	assert_true(fd >= 0);
	devnode_remove("/dev/test0");
	assert_int_equal(sys_open(&proc, "/dev/test0", O_RDWR), -ENOENT);
	assert_int_equal(sys_ioctl(&proc, fd, 0, 0), 0);
	assert_int_equal(seen.ioctls, 1);
	assert_int_equal(sys_close(&proc, fd), 0);
}

static void test_devnode_remove_of_an_unknown_path_warns(void **state)
{
	devnode_remove("/dev/never");
	warns_expected = 1;
	assert_non_null(strstr(warn_last(), "/dev/never"));
}

/* ---- syscalls ---- */

static void test_ioctl_without_an_op_is_enotty(void **state)
{
	int fd = install_anon(&proc, &plain_fops, NULL, 0);

	assert_int_equal(sys_ioctl(&proc, fd, 1, 0), -ENOTTY);
}

static void test_lseek_without_an_op_is_espipe(void **state)
{
	int fd = install_anon(&proc, &plain_fops, NULL, 0);

	assert_int_equal(sys_lseek(&proc, fd, 0, SEEK_END), -ESPIPE);
}

static void test_ioctl_runs_as_the_current_process_and_restores_it(void **state)
{
	struct process other;
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);

	assert_int_equal(process_init(&other, "other", &tfx.soc->cpus[0]), 0);
	assert_int_equal(install_anon(&other, &node_fops, NULL, O_RDWR), 0);
	seen.nested = &other;
	assert_int_equal(sys_ioctl(&proc, fd, 0, 0), 0);
	assert_int_equal(seen.ioctls, 2);
	assert_ptr_equal(seen.ioctl_current, &other);
	assert_ptr_equal(seen.after_nested, &proc);
	assert_null(current_process());
	process_exit(&other);
}

static void test_mmap_with_a_zero_length_is_einval(void **state)
{
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);

	assert_int_equal(sys_mmap(&proc, 0, PROT_READ, MAP_SHARED, fd, 0), -EINVAL);
}

static void test_mmap_at_an_unaligned_offset_is_einval(void **state)
{
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);

	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 1), -EINVAL);
}

static void test_mmap_without_shared_or_private_is_einval(void **state)
{
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);

	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, 0, fd, 0), -EINVAL);
}

static void test_mmap_shared_write_of_a_read_only_file_is_eacces(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDONLY);
	int wo = install_phys(&proc, &phys, O_WRONLY);
	s64 va;

	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0),
			 -EACCES);
	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, wo, 0), -EACCES);
	va = sys_mmap(&proc, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	assert_true(va > 0);
	assert_int_equal(sys_munmap(&proc, (u64)va, PAGE_SIZE), 0);
	sys_close(&proc, fd);
	sys_close(&proc, wo);
	free_pages_exact(mem, PAGE_SIZE);
}

static void test_mmap_without_an_op_is_enodev(void **state)
{
	int fd = install_anon(&proc, &plain_fops, NULL, O_RDWR);

	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -ENODEV);
}

static void test_mmap_past_the_vma_limit_is_enomem(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDWR);

	for (int i = 0; i < PROCESS_VMAS_MAX; i++)
		assert_true(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0) > 0);
	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -ENOMEM);
	assert_int_equal(process_alloc_user(&proc, PAGE_SIZE), 0);
	process_exit(&proc);
	free_pages_exact(mem, PAGE_SIZE);
}

/* Found by fuzz_heap_abi: a refused mmap() used to keep its address range. */
static void test_refused_mmap_gives_its_address_range_back(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int refusing = install_anon(&proc, &refusing_fops, NULL, O_RDWR);
	int fd = install_phys(&proc, &phys, O_RDWR);
	s64 va;

	/* All the address space but the guard page after it, were the range kept. */
	assert_int_equal(sys_mmap(&proc, USER_TOP - USER_BASE - PAGE_SIZE, PROT_READ, MAP_SHARED,
				  refusing, 0), -EPERM);
	va = sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	assert_int_equal(va, USER_BASE);
	assert_int_equal(sys_munmap(&proc, (u64)va, PAGE_SIZE), 0);
	sys_close(&proc, fd);
	sys_close(&proc, refusing);
	free_pages_exact(mem, PAGE_SIZE);
}

/* Found by fuzz_heap_abi: the mapping after one ending at USER_TOP used to land past it. */
static void test_nothing_is_mapped_after_a_mapping_that_ends_at_user_top(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDWR);
	s64 va = sys_mmap(&proc, USER_TOP - USER_BASE, PROT_READ, MAP_SHARED, fd, 0);

	assert_int_equal(va, USER_BASE);
	assert_int_equal(sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0), -ENOMEM);
	assert_int_equal(process_alloc_user(&proc, PAGE_SIZE), 0);
	assert_int_equal(sys_munmap(&proc, (u64)va, USER_TOP - USER_BASE), 0);
	sys_close(&proc, fd);
	free_pages_exact(mem, PAGE_SIZE);
}

static void test_munmap_of_an_address_not_starting_a_mapping_is_einval(void **state)
{
	u64 va = process_alloc_user(&proc, 2 * PAGE_SIZE);

	assert_int_equal(sys_munmap(&proc, va + PAGE_SIZE, PAGE_SIZE), -EINVAL);
	assert_int_equal(sys_munmap(&proc, va, 0), -EINVAL);
	assert_int_equal(sys_munmap(&proc, va, 2 * PAGE_SIZE), 0);
	assert_int_equal(sys_munmap(&proc, va, 2 * PAGE_SIZE), -EINVAL);
}

/* ---- user memory ---- */

static void test_anonymous_memory_is_zeroed_kernel_pages(void **state)
{
	u64 va = process_alloc_user(&proc, 100);
	u8 buf[100];
	struct kmem_stats before = kmem_stats();

	assert_int_equal(va, USER_BASE);
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(process_read(&proc, va, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(sys_munmap(&proc, va, 100), 0);
	assert_int_equal(kmem_stats().pages, before.pages - 1);
}

static void test_process_read_across_two_pages(void **state)
{
	u64 va = process_alloc_user(&proc, 2 * PAGE_SIZE);
	const u8 data[16] = "0123456789abcdef";
	u8 back[16] = { 0 };
	u8 *kmem;

	assert_int_equal(process_write(&proc, va + PAGE_SIZE - 8, data, sizeof(data)), 0);
	assert_int_equal(process_read(&proc, va + PAGE_SIZE - 8, back, sizeof(back)), 0);
	assert_memory_equal(back, data, sizeof(data));
	kmem = phys_to_virt(proc.vmas[0].phys);
	assert_memory_equal(kmem + PAGE_SIZE - 8, data, sizeof(data));
}

static void test_process_read_of_an_unmapped_range_is_efault_and_reads_nothing(void **state)
{
	u64 va = process_alloc_user(&proc, PAGE_SIZE);
	u8 buf[16];

	memset(buf, 0x5a, sizeof(buf));
	assert_int_equal(process_read(&proc, va + PAGE_SIZE - 8, buf, sizeof(buf)), -EFAULT);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0x5a);
	assert_int_equal(process_write(&proc, USER_BASE - PAGE_SIZE, buf, 1), -EFAULT);
}

static void test_process_write_of_a_read_only_mapping_is_efault(void **state)
{
	u8 *mem = alloc_pages_exact(PAGE_SIZE, __GFP_ZERO);
	phys_addr_t phys = virt_to_phys(mem);
	int fd = install_phys(&proc, &phys, O_RDWR);
	s64 va = sys_mmap(&proc, PAGE_SIZE, PROT_READ, MAP_SHARED, fd, 0);
	u8 byte = 1;

	assert_int_equal(process_write(&proc, (u64)va, &byte, 1), -EFAULT);
	assert_int_equal(mem[0], 0);
	process_exit(&proc);
	free_pages_exact(mem, PAGE_SIZE);
}

static void test_copy_from_user_of_an_unmapped_address_copies_nothing(void **state)
{
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);

	memset(seen.copied, 0x77, sizeof(seen.copied));
	assert_int_equal(sys_ioctl(&proc, fd, 0, USER_BASE - PAGE_SIZE), 0);
	assert_int_equal(seen.not_copied, sizeof(seen.copied));
	for (size_t i = 0; i < sizeof(seen.copied); i++)
		assert_int_equal(seen.copied[i], 0);
}

static void test_copy_from_user_copies_the_mapped_prefix(void **state)
{
	int fd = install_anon(&proc, &node_fops, NULL, O_RDWR);
	u64 va = process_alloc_user(&proc, PAGE_SIZE);
	const u8 data[4] = { 1, 2, 3, 4 };
	const u8 want[8] = { 1, 2, 3, 4, 0, 0, 0, 0 };

	assert_int_equal(process_write(&proc, va + PAGE_SIZE - 4, data, sizeof(data)), 0);
	assert_int_equal(sys_ioctl(&proc, fd, 0, va + PAGE_SIZE - 4), 0);
	assert_int_equal(seen.not_copied, 4);
	assert_memory_equal(seen.copied, want, sizeof(want));
}

static void test_copy_from_user_without_a_process_copies_nothing(void **state)
{
	u8 buf[4];

	assert_int_equal(copy_from_user(buf, USER_BASE, sizeof(buf)), sizeof(buf));
	assert_int_equal(copy_to_user(USER_BASE, buf, sizeof(buf)), sizeof(buf));
}

static void test_user_access_the_tzc_denies_reads_zeros_and_aborts(void **state)
{
	phys_addr_t phys = tfx.tee.priv_base;
	int fd = install_phys(&proc, &phys, O_RDWR);
	s64 va = sys_mmap(&proc, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	const u8 *secret = bus_ram_backdoor(tfx.soc->bus, phys, 16);
	struct cpu *cpu = &tfx.soc->cpus[0];
	u64 aborts = cpu->aborts;
	u8 before[16], buf[16], ones[16];

	assert_true(va > 0);
	assert_non_null(secret);
	memcpy(before, secret, sizeof(before));
	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(process_read(&proc, (u64)va, buf, sizeof(buf)), 0);
	for (size_t i = 0; i < sizeof(buf); i++)
		assert_int_equal(buf[i], 0);
	assert_int_equal(cpu->aborts, aborts + 1);
	assert_int_equal(cpu->last_abort_addr, phys);
	memset(ones, 0xff, sizeof(ones));
	assert_int_equal(process_write(&proc, (u64)va, ones, sizeof(ones)), 0);
	assert_int_equal(cpu->aborts, aborts + 2);
	assert_memory_equal(secret, before, sizeof(before));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		FILE_TEST(test_fds_are_allocated_lowest_first),
		FILE_TEST(test_full_fd_table_is_emfile),
		FILE_TEST(test_closed_fd_is_ebadf),
		FILE_TEST(test_fget_of_a_bad_fd_is_null),
		FILE_TEST(test_cloexec_is_kept_per_fd),
		FILE_TEST(test_fd_install_of_an_unreserved_fd_warns_and_drops_the_file),
		FILE_TEST(test_a_mapping_keeps_the_file_alive_after_close),
		FILE_TEST(test_process_exit_releases_everything),
		FILE_TEST(test_process_init_refuses_a_secure_cpu),
		FILE_TEST(test_devnode_open_calls_open_with_the_node_priv),
		FILE_TEST(test_devnode_open_of_an_unknown_path_is_enoent),
		FILE_TEST(test_devnode_open_failure_leaves_no_fd_and_no_file),
		FILE_TEST(test_devnode_add_rejects_bad_and_duplicate_paths),
		FILE_TEST(test_devnode_table_full_is_enospc),
		FILE_TEST(test_removed_devnode_keeps_open_files_and_refuses_new_opens),
		FILE_TEST(test_devnode_remove_of_an_unknown_path_warns),
		FILE_TEST(test_ioctl_without_an_op_is_enotty),
		FILE_TEST(test_lseek_without_an_op_is_espipe),
		FILE_TEST(test_ioctl_runs_as_the_current_process_and_restores_it),
		FILE_TEST(test_mmap_with_a_zero_length_is_einval),
		FILE_TEST(test_mmap_at_an_unaligned_offset_is_einval),
		FILE_TEST(test_mmap_without_shared_or_private_is_einval),
		FILE_TEST(test_mmap_shared_write_of_a_read_only_file_is_eacces),
		FILE_TEST(test_mmap_without_an_op_is_enodev),
		FILE_TEST(test_mmap_past_the_vma_limit_is_enomem),
		FILE_TEST(test_refused_mmap_gives_its_address_range_back),
		FILE_TEST(test_nothing_is_mapped_after_a_mapping_that_ends_at_user_top),
		FILE_TEST(test_munmap_of_an_address_not_starting_a_mapping_is_einval),
		FILE_TEST(test_anonymous_memory_is_zeroed_kernel_pages),
		FILE_TEST(test_process_read_across_two_pages),
		FILE_TEST(test_process_read_of_an_unmapped_range_is_efault_and_reads_nothing),
		FILE_TEST(test_process_write_of_a_read_only_mapping_is_efault),
		FILE_TEST(test_copy_from_user_of_an_unmapped_address_copies_nothing),
		FILE_TEST(test_copy_from_user_copies_the_mapped_prefix),
		FILE_TEST(test_copy_from_user_without_a_process_copies_nothing),
		FILE_TEST(test_user_access_the_tzc_denies_reads_zeros_and_aborts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
