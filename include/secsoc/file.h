/*
 * file.h - open files, simulated normal-world processes and what they can
 * do to the kernel: file descriptors, device nodes, ioctl, mmap and user
 * memory, with the shapes of <linux/fs.h>, <linux/file.h> and the syscalls.
 *
 * Why a model needs this: the dma-buf and dma-heap APIs are defined by
 * file semantics. A dma-buf's reference count *is* its file's reference
 * count, a buffer outlives the descriptor it was exported through as long
 * as someone holds the file, and /dev/dma_heap/<name> is a device node
 * whose open file keeps the heap alive. Attacks in the security matrix
 * come from processes: a bad fd, the fd of a closed buffer, an mmap of a
 * protected buffer, a forged ioctl struct.
 *
 * A process owns an fd table and a user address space. User memory is
 * modelled RAM reached through the process's vmas: anonymous memory
 * (process_alloc_user()) and file mappings (sys_mmap()). Every user load
 * and store (process_read()/process_write(), copy_from_user()/
 * copy_to_user()) goes through the bus as the process's normal-world CPU,
 * so the TZC judges it like any other access: a protected page reads zero
 * and costs the CPU an external abort. Kernel code keeps using its linear
 * map (slab.h) and never touches user memory except through these.
 *
 * Files and processes are counted (file_stats()), so a run can prove that
 * every file was released (invariant 7).
 */
#ifndef SECSOC_FILE_H
#define SECSOC_FILE_H

#include <secsoc/list.h>
#include <secsoc/types.h>

struct cpu;
struct file;
struct process;
struct vm_area_struct;

typedef s64 loff_t;

/* Limits (a run that exceeds one is refused, never silently truncated). */
#define PROCESS_FDS_MAX 256		/* RLIMIT_NOFILE of a simulated process */
#define PROCESS_VMAS_MAX 64
#define FILES_MAX 131072		/* live files, system-wide (fs.file-max) */
#define DEVNODES_MAX 160		/* device nodes; dma-heap alone may use 128 */
#define DEVNODE_PATH_MAX 96
#define USER_BASE 0x0000400000000000ULL	/* where user mappings start */
#define USER_TOP 0x0000800000000000ULL	/* and end (a 47-bit user address space) */

/* open() flags (the values of Linux's <asm-generic/fcntl.h>). */
#define O_RDONLY 00000000u
#define O_WRONLY 00000001u
#define O_RDWR 00000002u
#define O_ACCMODE 00000003u
#define O_CLOEXEC 02000000u

/* mmap() protections and flags (Linux values). */
#define PROT_READ 0x1u
#define PROT_WRITE 0x2u
#define MAP_SHARED 0x01u
#define MAP_PRIVATE 0x02u

#define SEEK_SET 0
#define SEEK_CUR 1
#define SEEK_END 2

/* ioctl command encoding (<asm-generic/ioctl.h>). */
#define _IOC_NRBITS 8
#define _IOC_TYPEBITS 8
#define _IOC_SIZEBITS 14
#define _IOC_NRSHIFT 0
#define _IOC_TYPESHIFT (_IOC_NRSHIFT + _IOC_NRBITS)
#define _IOC_SIZESHIFT (_IOC_TYPESHIFT + _IOC_TYPEBITS)
#define _IOC_DIRSHIFT (_IOC_SIZESHIFT + _IOC_SIZEBITS)
#define _IOC_NONE 0u
#define _IOC_WRITE 1u
#define _IOC_READ 2u
#define _IOC(dir, type, nr, size)						\
	(((u32)(dir) << _IOC_DIRSHIFT) | ((u32)(type) << _IOC_TYPESHIFT) |	\
	 ((u32)(nr) << _IOC_NRSHIFT) | ((u32)(size) << _IOC_SIZESHIFT))
#define _IOW(type, nr, size) _IOC(_IOC_WRITE, (type), (nr), sizeof(size))
#define _IOR(type, nr, size) _IOC(_IOC_READ, (type), (nr), sizeof(size))
#define _IOWR(type, nr, size) _IOC(_IOC_READ | _IOC_WRITE, (type), (nr), sizeof(size))
#define _IOC_DIR(cmd) (((cmd) >> _IOC_DIRSHIFT) & 3u)
#define _IOC_TYPE(cmd) (((cmd) >> _IOC_TYPESHIFT) & 0xffu)
#define _IOC_NR(cmd) (((cmd) >> _IOC_NRSHIFT) & 0xffu)
#define _IOC_SIZE(cmd) (((cmd) >> _IOC_SIZESHIFT) & 0x3fffu)

/* A mapping of a process's user address space. */
struct vm_area_struct {
	u64 vm_start, vm_end;		/* user addresses, page aligned */
	u64 vm_pgoff;			/* offset into the file, in pages */
	unsigned int vm_flags;		/* PROT_* as mapped */
	unsigned int map_flags;		/* MAP_SHARED or MAP_PRIVATE */
	struct file *vm_file;		/* NULL: anonymous user memory */
	/*
	 * Set by the file's mmap(): the physical address that backs vm_start
	 * (mappings are physically contiguous, as remap_pfn_range() of one
	 * range), or, for scattered memory, a callback per page: @pgoff is the
	 * page's offset in the file, in pages (vm_pgoff + its index in the
	 * vma), and the result is the page's physical address.
	 */
	phys_addr_t phys;
	phys_addr_t (*page_phys)(struct vm_area_struct *vma, u64 pgoff);
	void *vm_private_data;
	void (*close)(struct vm_area_struct *vma);	/* at munmap and exit */
	bool used;
};

struct file_operations {
	/* A process opened the device node (optional). */
	int (*open)(struct file *f, void *node_priv);
	/* The last reference went away (optional). */
	void (*release)(struct file *f);
	/* @arg is a user address; copy through copy_from_user()/copy_to_user(). */
	long (*unlocked_ioctl)(struct file *f, unsigned int cmd, u64 arg);
	/* Fill vma->phys or vma->page_phys; NULL means -ENODEV. */
	int (*mmap)(struct file *f, struct vm_area_struct *vma);
	loff_t (*llseek)(struct file *f, loff_t offset, int whence);
};

struct file {
	const struct file_operations *f_op;
	void *private_data;
	unsigned int f_flags;		/* O_* given at creation or open */
	u64 f_count;			/* references: fds, mappings, kernel users */
	char name[DEVNODE_PATH_MAX];	/* "anon_inode:dmabuf", or the node's path */
	struct list_head node;		/* all live files */
};

struct file_stats {
	u64 live_files;
	u64 processes;			/* initialised and not exited */
	u64 opened, released;		/* totals since the kernel booted */
};

/**
 * anon_inode_getfile - a new file with one reference
 * @name: shown in its name, e.g. "dmabuf"
 * @fops: its operations (borrowed, must outlive it)
 * @priv: its private_data
 * @flags: O_* flags; only O_ACCMODE and O_CLOEXEC are kept
 *
 * Return: the file, or ERR_PTR(-ENOMEM), or ERR_PTR(-ENFILE) past
 * FILES_MAX live files.
 */
struct file *anon_inode_getfile(const char *name, const struct file_operations *fops,
				void *priv, unsigned int flags);
/** get_file - take another reference on @f; returns @f */
struct file *get_file(struct file *f);
/** fput - drop a reference; the last one calls f_op->release and frees @f */
void fput(struct file *f);

/** file_stats - live files and processes (invariant 7) */
struct file_stats file_stats(void);
/**
 * file_core_init - start empty, at every kernel boot: no files, no device
 * nodes, totals zero, pids from 1. Whatever a previous kernel left behind
 * was reported by its shutdown (invariant 7) and lived in the kernel
 * memory that kmem_init() took back; keeping it listed would only leave
 * dangling pointers.
 */
void file_core_init(void);

/* ---- device nodes: /dev/<path> ---- */

/**
 * devnode_add - create the device node @path (e.g. "/dev/dma_heap/system")
 * @fops: operations of the files opened on it; @fops->open gets @priv
 *
 * Return: 0, -EINVAL for a bad path, -EEXIST if it exists, -ENOSPC past
 * DEVNODES_MAX.
 */
int devnode_add(const char *path, const struct file_operations *fops, void *priv);
/** devnode_remove - remove the node; files already open on it stay valid */
void devnode_remove(const char *path);

/* ---- processes ---- */

struct process {
	int pid;
	char name[32];
	struct cpu *cpu;		/* the normal-world CPU its user accesses use */
	struct file *fds[PROCESS_FDS_MAX];
	u64 cloexec[PROCESS_FDS_MAX / 64];
	u64 open_fds[PROCESS_FDS_MAX / 64];	/* reserved or installed */
	struct vm_area_struct vmas[PROCESS_VMAS_MAX];
	u64 next_uaddr;			/* next free user address */
	bool live;
};

/**
 * process_init - a new process with an empty fd table and address space
 * @cpu: a normal-world CPU; its bus master makes the process's user accesses
 *
 * Return: 0, or -EINVAL for a NULL or secure CPU.
 */
int process_init(struct process *p, const char *name, struct cpu *cpu);
/** process_exit - close every fd and unmap every vma, as exit() does */
void process_exit(struct process *p);

/* ---- the fd table (<linux/file.h>) ---- */

/** get_unused_fd_flags - the lowest free fd of @p; -EMFILE when none */
int get_unused_fd_flags(struct process *p, unsigned int flags);
/** put_unused_fd - give back an fd from get_unused_fd_flags() never installed */
void put_unused_fd(struct process *p, int fd);
/** fd_install - make @fd (from get_unused_fd_flags()) refer to @f; takes over the reference */
void fd_install(struct process *p, int fd, struct file *f);
/** fget - the file @fd refers to, with a new reference; NULL for a bad fd */
struct file *fget(struct process *p, int fd);

/* ---- syscalls; each returns -errno on failure, as the kernel side does ---- */

/** sys_open - open a device node; -ENOENT unknown path, -EMFILE, -ENFILE, or open()'s error */
int sys_open(struct process *p, const char *path, unsigned int flags);
/** sys_close - close @fd; -EBADF */
int sys_close(struct process *p, int fd);
/** sys_ioctl - @arg is a user address; -EBADF, -ENOTTY when the file has no ioctl */
long sys_ioctl(struct process *p, int fd, unsigned int cmd, u64 arg);
/**
 * sys_mmap - map @len bytes of @fd at offset @off (page aligned)
 *
 * Return: the user address, or -errno as a negative value: -EBADF, -EINVAL
 * (length 0, unaligned offset, neither MAP_SHARED nor MAP_PRIVATE),
 * -EACCES (a file not opened for reading, or PROT_WRITE with MAP_SHARED on
 * a file not opened for writing),
 * -ENODEV (no mmap op), -ENOMEM (no vma left), or the file's mmap() error.
 */
s64 sys_mmap(struct process *p, u64 len, unsigned int prot, unsigned int flags, int fd,
	     u64 off);
/** sys_munmap - unmap the whole mapping that starts at @uaddr; -EINVAL if none or @len is 0 */
int sys_munmap(struct process *p, u64 uaddr, u64 len);
/** sys_lseek - f_op->llseek; -ESPIPE when the file has none, -EBADF */
loff_t sys_lseek(struct process *p, int fd, loff_t offset, int whence);

/* ---- user memory ---- */

/**
 * process_alloc_user - anonymous user memory (zeroed, page granular)
 *
 * Return: its user address, or 0 when out of memory or vmas.
 */
u64 process_alloc_user(struct process *p, u64 len);

/**
 * process_read - a user load of @len bytes at @uaddr by @p's CPU
 *
 * Return: 0; -EFAULT when part of the range is not mapped or not readable
 * (nothing is read then); a load the TZC denies still returns 0 with zeros
 * read, and the CPU takes an external abort, as on silicon.
 */
int process_read(struct process *p, u64 uaddr, void *buf, size_t len);
/** process_write - a user store; as process_read() (a denied store is dropped) */
int process_write(struct process *p, u64 uaddr, const void *buf, size_t len);

/**
 * copy_from_user - kernel side of a syscall: read the current process's
 * memory (current_process())
 *
 * Return: the bytes NOT copied (0 on success); @n with no current process.
 */
size_t copy_from_user(void *to, u64 from, size_t n);
/** copy_to_user - as copy_from_user(), the other way */
size_t copy_to_user(u64 to, const void *from, size_t n);

/** current_process - the process whose syscall is running, or NULL */
struct process *current_process(void);

#endif /* SECSOC_FILE_H */
