/*
 * file.c - open files, device nodes and simulated normal-world processes:
 * fd tables, the syscalls the dma-buf and dma-heap ABIs need, and user
 * memory reached through the bus (docs/dma-buf.md).
 *
 * Owns every struct file (kernel memory, on the live-file list until its
 * last fput()), the device-node table, the pid counter and the "current
 * process" of a running syscall. A struct process belongs to its caller;
 * this file owns what it holds: its fds' references, its vmas, and the
 * pages of its anonymous memory.
 *
 * User loads and stores are made by the process's CPU through the bus, one
 * page at a time, so the TZC judges every page of a user access exactly as
 * it judges a device's: nothing here decides whether memory is protected.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/cpu.h>
#include <secsoc/err.h>
#include <secsoc/file.h>
#include <secsoc/slab.h>

#define DEV_PREFIX "/dev/"

struct devnode {
	char path[DEVNODE_PATH_MAX];
	const struct file_operations *fops;
	void *priv;
	bool used;
};

static LIST_HEAD(live_files);
static struct file_stats fstats;
static struct devnode devnodes[DEVNODES_MAX];
static int next_pid;
static struct process *cur_proc;

/* ---- files ---- */

static struct file *file_alloc(const char *name, const struct file_operations *fops,
			       void *priv, unsigned int flags)
{
	struct file *f;

	if (fstats.live_files >= FILES_MAX)
		return ERR_PTR(-ENFILE);
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->f_op = fops;
	f->private_data = priv;
	f->f_flags = flags & (O_ACCMODE | O_CLOEXEC);
	f->f_count = 1;
	snprintf(f->name, sizeof(f->name), "%s", name);
	list_add_tail(&f->node, &live_files);
	fstats.live_files++;
	fstats.opened++;
	return f;
}

static void file_free(struct file *f)
{
	list_del_init(&f->node);
	fstats.live_files--;
	fstats.released++;
	kfree(f);
}

/**
 * anon_inode_getfile - see file.h
 * @name: the file is named "anon_inode:<name>"
 * @fops: its operations
 * @priv: its private_data
 * @flags: O_* flags
 */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, unsigned int flags)
{
	char full[DEVNODE_PATH_MAX];

	if (WARN_ON(!name || !fops))
		return ERR_PTR(-EINVAL);
	snprintf(full, sizeof(full), "anon_inode:%.64s", name);
	return file_alloc(full, fops, priv, flags);
}

/** get_file - see file.h */
struct file *get_file(struct file *f)
{
	f->f_count++;
	return f;
}

/**
 * fput - see file.h; a put of NULL or of a file with no reference left is
 * a WARN and does nothing
 */
void fput(struct file *f)
{
	if (WARN_ON(!f) || WARN(!f->f_count, "fput of released file %s", f->name))
		return;
	if (--f->f_count)
		return;
	if (f->f_op->release)
		f->f_op->release(f);
	file_free(f);
}

/** file_stats - see file.h */
struct file_stats file_stats(void)
{
	return fstats;
}

/** file_core_init - see file.h */
void file_core_init(void)
{
	INIT_LIST_HEAD(&live_files);
	memset(devnodes, 0, sizeof(devnodes));
	fstats = (struct file_stats){ 0 };
	next_pid = 0;
	cur_proc = NULL;
}

static bool file_readable(const struct file *f)
{
	return (f->f_flags & O_ACCMODE) != O_WRONLY;
}

static bool file_writable(const struct file *f)
{
	unsigned int acc = f->f_flags & O_ACCMODE;

	return acc == O_WRONLY || acc == O_RDWR;
}

/* ---- device nodes ---- */

static struct devnode *devnode_find(const char *path)
{
	for (unsigned int i = 0; i < DEVNODES_MAX; i++)
		if (devnodes[i].used && !strcmp(devnodes[i].path, path))
			return &devnodes[i];
	return NULL;
}

/* "/dev/<name>": a name after the prefix, not ending in '/', and it fits. */
static bool devnode_path_ok(const char *path)
{
	size_t len = path ? strlen(path) : 0;

	return len > strlen(DEV_PREFIX) && len < DEVNODE_PATH_MAX &&
	       !strncmp(path, DEV_PREFIX, strlen(DEV_PREFIX)) && path[len - 1] != '/';
}

/**
 * devnode_add - see file.h
 * @path: "/dev/..." (copied)
 * @fops: borrowed; must outlive every file opened on the node
 * @priv: handed to @fops->open
 */
int devnode_add(const char *path, const struct file_operations *fops, void *priv)
{
	if (!devnode_path_ok(path) || !fops)
		return -EINVAL;
	if (devnode_find(path))
		return -EEXIST;
	for (unsigned int i = 0; i < DEVNODES_MAX; i++) {
		struct devnode *n = &devnodes[i];

		if (n->used)
			continue;
		snprintf(n->path, sizeof(n->path), "%s", path);
		n->fops = fops;
		n->priv = priv;
		n->used = true;
		return 0;
	}
	return -ENOSPC;
}

/** devnode_remove - see file.h; a WARN for a path that is not a node */
void devnode_remove(const char *path)
{
	struct devnode *n = path ? devnode_find(path) : NULL;

	if (WARN(!n, "devnode_remove: no node %s", path ? path : "(null)"))
		return;
	n->used = false;
}

/* ---- processes and the fd table ---- */

static bool process_dead(const struct process *p)
{
	return WARN(!p || !p->live, "not a live process");
}

static bool fd_bit(const u64 *map, int fd)
{
	return map[fd / 64] & BIT_ULL(fd % 64);
}

static void fd_bit_set(u64 *map, int fd, bool on)
{
	if (on)
		map[fd / 64] |= BIT_ULL(fd % 64);
	else
		map[fd / 64] &= ~BIT_ULL(fd % 64);
}

static bool fd_in_range(int fd)
{
	return fd >= 0 && fd < PROCESS_FDS_MAX;
}

/**
 * process_init - see file.h
 * @p: the process (zeroed and set up here)
 * @name: shown in logs (truncated to fit; NULL: empty)
 * @cpu: a normal-world CPU
 */
int process_init(struct process *p, const char *name, struct cpu *cpu)
{
	if (!p || !cpu || cpu->secure)
		return -EINVAL;
	memset(p, 0, sizeof(*p));
	p->pid = ++next_pid;
	snprintf(p->name, sizeof(p->name), "%s", name ? name : "");
	p->cpu = cpu;
	p->next_uaddr = USER_BASE;
	p->live = true;
	fstats.processes++;
	return 0;
}

static void vma_unmap(struct vm_area_struct *vma);

/** process_exit - see file.h; the address space goes first, then the files, as in exit() */
void process_exit(struct process *p)
{
	if (process_dead(p))
		return;
	for (unsigned int i = 0; i < PROCESS_VMAS_MAX; i++)
		if (p->vmas[i].used)
			vma_unmap(&p->vmas[i]);
	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++)
		if (p->fds[fd])
			sys_close(p, fd);
	memset(p->open_fds, 0, sizeof(p->open_fds));
	memset(p->cloexec, 0, sizeof(p->cloexec));
	p->live = false;
	fstats.processes--;
}

/** get_unused_fd_flags - see file.h; O_CLOEXEC in @flags marks the fd; -EINVAL for a dead @p */
int get_unused_fd_flags(struct process *p, unsigned int flags)
{
	if (process_dead(p))
		return -EINVAL;
	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++) {
		if (fd_bit(p->open_fds, fd))
			continue;
		fd_bit_set(p->open_fds, fd, true);
		fd_bit_set(p->cloexec, fd, flags & O_CLOEXEC);
		return fd;
	}
	return -EMFILE;
}

/** put_unused_fd - see file.h; a WARN for an fd that is not reserved */
void put_unused_fd(struct process *p, int fd)
{
	if (WARN(!p || !fd_in_range(fd) || !fd_bit(p->open_fds, fd) || p->fds[fd],
		 "put_unused_fd: fd %d is not reserved", fd))
		return;
	fd_bit_set(p->open_fds, fd, false);
	fd_bit_set(p->cloexec, fd, false);
}

/**
 * fd_install - see file.h; an fd that is not reserved, or already installed,
 * is a WARN and the reference is dropped (Linux would BUG)
 */
void fd_install(struct process *p, int fd, struct file *f)
{
	if (WARN_ON(!f))
		return;
	if (WARN(!p || !fd_in_range(fd) || !fd_bit(p->open_fds, fd) || p->fds[fd],
		 "fd_install: fd %d is not reserved", fd)) {
		fput(f);
		return;
	}
	p->fds[fd] = f;
}

/** fget - see file.h */
struct file *fget(struct process *p, int fd)
{
	if (!p || !fd_in_range(fd) || !p->fds[fd])
		return NULL;
	return get_file(p->fds[fd]);
}

/* ---- syscalls ---- */

/* Make @p current for a file operation; returns what to restore. */
static struct process *syscall_enter(struct process *p)
{
	struct process *prev = cur_proc;

	cur_proc = p;
	return prev;
}

static void syscall_exit(struct process *prev)
{
	cur_proc = prev;
}

/** current_process - see file.h */
struct process *current_process(void)
{
	return cur_proc;
}

/* The node's open(), as @p; on failure the file goes without release(). */
static int devnode_open(struct process *p, struct devnode *n, struct file *f)
{
	struct process *prev;
	int ret;

	if (!n->fops->open)
		return 0;
	prev = syscall_enter(p);
	ret = n->fops->open(f, n->priv);
	syscall_exit(prev);
	if (ret)
		file_free(f);
	return ret;
}

/**
 * sys_open - see file.h; the fd is reserved first, as in Linux, so a full
 * table is -EMFILE whatever the path; -EINVAL for a dead @p
 */
int sys_open(struct process *p, const char *path, unsigned int flags)
{
	struct devnode *n;
	struct file *f;
	int fd, ret;

	fd = get_unused_fd_flags(p, flags);
	if (fd < 0)
		return fd;
	n = path ? devnode_find(path) : NULL;
	f = n ? file_alloc(n->path, n->fops, NULL, flags) : ERR_PTR(-ENOENT);
	ret = IS_ERR(f) ? (int)PTR_ERR(f) : devnode_open(p, n, f);
	if (ret) {
		put_unused_fd(p, fd);
		return ret;
	}
	fd_install(p, fd, f);
	return fd;
}

/** sys_close - see file.h */
int sys_close(struct process *p, int fd)
{
	struct file *f;

	if (!p || !fd_in_range(fd) || !p->fds[fd])
		return -EBADF;
	f = p->fds[fd];
	p->fds[fd] = NULL;
	fd_bit_set(p->open_fds, fd, false);
	fd_bit_set(p->cloexec, fd, false);
	fput(f);
	return 0;
}

/** sys_ioctl - see file.h; @p is current_process() while the ioctl runs */
long sys_ioctl(struct process *p, int fd, unsigned int cmd, u64 arg)
{
	struct file *f = fget(p, fd);
	struct process *prev;
	long ret = -ENOTTY;

	if (!f)
		return -EBADF;
	if (f->f_op->unlocked_ioctl) {
		prev = syscall_enter(p);
		ret = f->f_op->unlocked_ioctl(f, cmd, arg);
		syscall_exit(prev);
	}
	fput(f);
	return ret;
}

/** sys_lseek - see file.h */
loff_t sys_lseek(struct process *p, int fd, loff_t offset, int whence)
{
	struct file *f = fget(p, fd);
	loff_t ret = -ESPIPE;

	if (!f)
		return -EBADF;
	if (f->f_op->llseek)
		ret = f->f_op->llseek(f, offset, whence);
	fput(f);
	return ret;
}

/* ---- the address space ---- */

/*
 * A free vma at the next user address; a guard page keeps mappings apart
 * (so after a mapping that ends at USER_TOP, the next address is past it).
 */
static struct vm_area_struct *vma_alloc(struct process *p, u64 len)
{
	if (p->next_uaddr > USER_TOP || len > USER_TOP - p->next_uaddr)
		return NULL;
	for (unsigned int i = 0; i < PROCESS_VMAS_MAX; i++) {
		struct vm_area_struct *vma = &p->vmas[i];

		if (vma->used)
			continue;
		memset(vma, 0, sizeof(*vma));
		vma->used = true;
		vma->vm_start = p->next_uaddr;
		vma->vm_end = vma->vm_start + len;
		p->next_uaddr = vma->vm_end + PAGE_SIZE;
		return vma;
	}
	return NULL;
}

/*
 * A vma from vma_alloc() that was never mapped: its address range goes back
 * too, as a failed mmap() leaves the address space as it was. Nothing else
 * took a vma in between, so the range is the last one handed out.
 */
static void vma_abandon(struct process *p, struct vm_area_struct *vma)
{
	p->next_uaddr = vma->vm_start;
	vma->used = false;
}

/* Undo a mapping: the file's close() and reference, or the anonymous pages. */
static void vma_unmap(struct vm_area_struct *vma)
{
	if (vma->close)
		vma->close(vma);
	if (vma->vm_file)
		fput(vma->vm_file);
	else
		free_pages_exact(vma->vm_private_data, vma->vm_end - vma->vm_start);
	vma->used = false;
}

static struct vm_area_struct *vma_find(struct process *p, u64 uaddr)
{
	for (unsigned int i = 0; i < PROCESS_VMAS_MAX; i++) {
		struct vm_area_struct *vma = &p->vmas[i];

		if (vma->used && uaddr >= vma->vm_start && uaddr < vma->vm_end)
			return vma;
	}
	return NULL;
}

/* The checks of Linux's mmap() before the file's op; 0 or -errno. */
static int mmap_check(const struct file *f, u64 len, unsigned int prot, unsigned int flags)
{
	if (!len || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (ALIGN_UP(len, PAGE_SIZE) < len)
		return -ENOMEM;
	if (!file_readable(f))
		return -EACCES;
	if ((flags & MAP_SHARED) && (prot & PROT_WRITE) && !file_writable(f))
		return -EACCES;
	if (!f->f_op->mmap)
		return -ENODEV;
	return 0;
}

/* Map @f in a new vma of @p; the vma holds its own reference on @f. */
static s64 mmap_file(struct process *p, struct file *f, u64 len, unsigned int prot,
		     unsigned int flags, u64 off)
{
	struct vm_area_struct *vma = vma_alloc(p, ALIGN_UP(len, PAGE_SIZE));
	int ret;

	if (!vma)
		return -ENOMEM;
	vma->vm_pgoff = off >> PAGE_SHIFT;
	vma->vm_flags = prot & (PROT_READ | PROT_WRITE);
	vma->map_flags = (flags & MAP_SHARED) ? MAP_SHARED : MAP_PRIVATE;
	vma->vm_file = get_file(f);
	ret = f->f_op->mmap(f, vma);
	if (!ret && WARN(!vma->phys && !vma->page_phys, "%s: mmap() mapped nothing", f->name))
		ret = -EINVAL;
	if (ret) {
		fput(f);
		vma_abandon(p, vma);
		return ret;
	}
	return (s64)vma->vm_start;
}

/** sys_mmap - see file.h; @p is current_process() while the file's mmap() runs */
s64 sys_mmap(struct process *p, u64 len, unsigned int prot, unsigned int flags, int fd,
	     u64 off)
{
	struct process *prev;
	struct file *f;
	s64 ret;

	if (!IS_ALIGNED(off, PAGE_SIZE))
		return -EINVAL;
	f = fget(p, fd);
	if (!f)
		return -EBADF;
	ret = mmap_check(f, len, prot, flags);
	if (!ret) {
		prev = syscall_enter(p);
		ret = mmap_file(p, f, len, prot, flags, off);
		syscall_exit(prev);
	}
	fput(f);
	return ret;
}

/** sys_munmap - see file.h; the whole mapping goes, whatever (non-zero) @len says */
int sys_munmap(struct process *p, u64 uaddr, u64 len)
{
	struct vm_area_struct *vma;

	if (!p || !len)
		return -EINVAL;
	vma = vma_find(p, uaddr);
	if (!vma || vma->vm_start != uaddr)
		return -EINVAL;
	vma_unmap(vma);
	return 0;
}

/* ---- user memory ---- */

/** process_alloc_user - see file.h; the pages come from the kernel's page allocator */
u64 process_alloc_user(struct process *p, u64 len)
{
	struct vm_area_struct *vma;
	u64 size = ALIGN_UP(len, PAGE_SIZE);
	void *virt;

	if (process_dead(p) || !len || size < len)
		return 0;
	vma = vma_alloc(p, size);
	if (!vma)
		return 0;
	virt = alloc_pages_exact(size, GFP_KERNEL | __GFP_ZERO);
	if (!virt) {
		vma_abandon(p, vma);
		return 0;
	}
	vma->phys = virt_to_phys(virt);
	vma->vm_private_data = virt;
	vma->vm_flags = PROT_READ | PROT_WRITE;
	vma->map_flags = MAP_PRIVATE;
	return vma->vm_start;
}

/* The physical address behind @uaddr of @vma. */
static phys_addr_t vma_phys(struct vm_area_struct *vma, u64 uaddr)
{
	u64 off = uaddr - vma->vm_start;

	if (vma->page_phys)
		return vma->page_phys(vma, vma->vm_pgoff + (off >> PAGE_SHIFT)) +
		       (off & (PAGE_SIZE - 1));
	return vma->phys + off;
}

/* How many leading bytes of [@uaddr, @uaddr + @len) are mapped with @prot. */
static size_t user_mapped(struct process *p, u64 uaddr, size_t len, unsigned int prot)
{
	size_t done = 0;

	while (done < len) {
		struct vm_area_struct *vma = vma_find(p, uaddr + done);

		if (!vma || (vma->vm_flags & prot) != prot)
			break;
		done += MIN(len - done, vma->vm_end - (uaddr + done));
	}
	return done;
}

/* Loads (or stores) of a mapped range by @p's CPU, one bus access per page. */
static void user_xfer(struct process *p, u64 uaddr, u8 *buf, size_t len, bool write)
{
	while (len) {
		size_t chunk = MIN(len, PAGE_SIZE - (uaddr & (PAGE_SIZE - 1)));
		phys_addr_t pa = vma_phys(vma_find(p, uaddr), uaddr);

		if (write)
			cpu_write(p->cpu, pa, buf, chunk);
		else
			cpu_read(p->cpu, pa, buf, chunk);
		uaddr += chunk;
		buf += chunk;
		len -= chunk;
	}
}

/** process_read - see file.h */
int process_read(struct process *p, u64 uaddr, void *buf, size_t len)
{
	if (process_dead(p) || user_mapped(p, uaddr, len, PROT_READ) != len)
		return -EFAULT;
	user_xfer(p, uaddr, buf, len, false);
	return 0;
}

/** process_write - see file.h */
int process_write(struct process *p, u64 uaddr, const void *buf, size_t len)
{
	if (process_dead(p) || user_mapped(p, uaddr, len, PROT_WRITE) != len)
		return -EFAULT;
	/* user_xfer() only reads @buf when it stores. */
	user_xfer(p, uaddr, (u8 *)buf, len, true);
	return 0;
}

/**
 * copy_from_user - see file.h; as in Linux, the mapped prefix is copied
 * and the rest of @to is zeroed
 */
size_t copy_from_user(void *to, u64 from, size_t n)
{
	size_t ok;

	if (!cur_proc)
		return n;
	ok = user_mapped(cur_proc, from, n, PROT_READ);
	user_xfer(cur_proc, from, to, ok, false);
	memset((u8 *)to + ok, 0, n - ok);
	return n - ok;
}

/** copy_to_user - see file.h; the mapped prefix is copied */
size_t copy_to_user(u64 to, const void *from, size_t n)
{
	size_t ok;

	if (!cur_proc)
		return n;
	ok = user_mapped(cur_proc, to, n, PROT_WRITE);
	user_xfer(cur_proc, to, (u8 *)from, ok, true);
	return n - ok;
}
