/*
 * fuzz_heap_abi.c - libFuzzer harness for the buffer-sharing ABI as
 * normal-world processes and kernel users attack it: /dev/dma_heap/<name>
 * and DMA_HEAP_IOCTL_ALLOC with any command, struct size and argument
 * (kernel/dma-heap.c), dma-buf fds and their ioctls, mmap and llseek
 * (kernel/dma-buf.c, kernel/file.c), in-kernel get/attach/map/put with the
 * board's devices, stale pointers included, the system and both protected
 * heaps (drivers/heaps/), TEE shms (drivers/tee/tee_drv.c) and forged
 * protected-memory SMCs (tee/protmem.c).
 *
 * Every input boots the default board (machine_open() with the secure
 * world). Its first byte picks how many processes start (bits 1:0, 1 to
 * 3), the random strategy instead of the timed one (bit 2) and the seed
 * (bits 7:3). The rest is at most H_OPS_MAX operations, one opcode byte
 * (modulo their number) and its arguments; a slot argument picks among
 * the live objects (modulo), an fd argument among the process's open fds
 * (bit 7 clear), any fd below H_FDS (bit 7 set) or an odd one (>= 0xf0):
 *
 *   0 proc p8 how8         start a process, exit it, map new scratch memory,
 *                          or exit/alloc on a dead one
 *   1 open p8 path8 fl8    sys_open of a heap node, a wrong path
 *   2 ioctl p8 fd8 cmd8 [..] arg8 off16 {content}  any command on any fd:
 *                          ALLOC, ALLOC at other sizes/directions, SYNC,
 *                          SET_NAME_B, others; the argument (an allocation
 *                          struct, sync flags or a name) is written at a
 *                          user address of a class (arg8) if it is mapped
 *   3 close p8 fd8         4 mmap p8 fd8 len8 [..] prot8 fl8 off8
 *   5 munmap p8 sel8       6 user p8 arg8 off16 len8 w8 {seed8}
 *   7 lseek p8 fd8 off8 whence8
 *   8 kget p8 fd8          dma_buf_get(): a kernel reference
 *   9 kput slot8 mode8     put it, install it as an fd of a process
 *                          (dma_buf_fd()), or a stale or NULL pointer to put,
 *                          get, begin_cpu_access, attach, vmap, vunmap
 *   10 heap sel8           dma_heap_find()/dma_heap_put() references
 *   11 kalloc sel8 len8 [..] ff8 hf8  dma_heap_buffer_alloc()
 *   12 attach slot8 dev8   the QCE, the display, the TZC (no NSAID), none
 *   13 map att8 dir8       14 unmap att8 how8       15 detach att8 how8
 *   16 cpu slot8 how8      begin/end_cpu_access, vmap, vunmap
 *   17 shm sel8 p8 fd8 fl8 tee_shm_register_fd/_dma_buf, tee_shm_free
 *   18 smc func8 cls8 a8 b8 [size32 hi32 lo32]  TEE_SMC_PROTMEM_* forged
 *   19 peek sel8 off16 n8  a normal CPU reads a protected buffer
 *   20 steps n8            21 quick p8 heap8 len8 [..] ff8  open, ALLOC, close
 *
 * The harness keeps a model of what it holds (fds, mappings, kernel
 * references, attachments, vmaps, shms) and of its own protected pages,
 * and judges every call against the errors docs/dma-buf.md, docs/heaps.md
 * and docs/tee.md document. It reports by abort(): an always() failure; a
 * return value other than the documented one; a WARN where none is due or
 * none where one is (a stale put must WARN and do nothing else); an
 * allocation that installs no fd, another fd than the lowest free one, or
 * a buffer of another size than the length rounded up to pages; a dma-buf
 * whose file count, attachments or vmaps differ from what the harness
 * holds, or that is not released when the last of them goes; accounting
 * (dma_buf_stats, file_stats, protected heap and shm stats, the TEE's
 * windows) that disagrees with the model; a protected buffer that is no
 * longer protected; a normal CPU or process seeing the marker the secure
 * world wrote into protected memory, or a normal-world abort outside the
 * peek operation; a new system buffer that is not zero; a released range
 * not scrubbed; anything left at the end, and an unclean kernel shutdown.
 *
 * What it does not do, so that the oracles stay exact: it never releases
 * (by forged SMC) memory a heap protected, nor assigns memory it does not
 * own; system buffers stay below H_SYS_LEN_MAX (zeroing costs host time),
 * secure-video ones below H_SV_LEN_MAX unless no pool could hold them; a
 * stale pointer is used only while no live buffer has its address; a shm
 * is freed once.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/cpu.h>
#include <secsoc/dma-buf.h>
#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/file.h>
#include <secsoc/protected_heap.h>
#include <secsoc/slab.h>
#include <secsoc/tee_shm.h>

#include "scenarios/scenario.h"

#include "fuzz_check.h"
#include "fuzz_input.h"

#define HARNESS "fuzz_heap_abi"

#define H_OPS_MAX 64
#define H_PROCS 3
#define H_FDS 24		/* open fds per process: every fd stays below this */
#define H_MAPS 6		/* file mappings per process, besides the scratch memory */
#define H_SCRATCH (2 * PAGE_SIZE)	/* a process's user memory for arguments */
#define H_BUFS 40		/* live buffers */
#define H_KREFS 8		/* kernel references: dma_buf_get(), in-kernel allocations */
#define H_ATTS 8
#define H_HREFS 4
#define H_SHMS 6
#define H_STALE 8
#define H_SYS_LEN_MAX (4ULL << 20)
#define H_SYS_TOTAL (16ULL << 20)
#define H_SV_LEN_MAX (4ULL << 20)
#define H_SV_TOTAL (8ULL << 20)
#define H_RAM (1ULL << 30)	/* no pool can hold a buffer larger than RAM */
#define H_SMC_PAGES 16		/* pages forged SMCs may assign, between two guard pages */
#define H_OP_STEPS 20000
#define H_END_STEPS 200000
#define H_ARG_MAX 16384		/* _IOC_SIZE is 14 bits */
#define H_WRITE_MAX 200		/* bytes of an argument the harness writes */
#define H_NAME_MAX 40
#define H_MARK 16
#define H_VSCAN 4096		/* bytes of a vmap scanned for the marker */

enum { H_SYSTEM, H_SV, H_CARVEOUT, H_HEAPS };
enum { H_DEV_QCE, H_DEV_DISPLAY, H_DEV_TZC, H_DEV_NONE, H_DEVS };
enum { H_FD_NONE, H_FD_HEAP, H_FD_BUF };

static const char *const h_heap_names[H_HEAPS] = {
	"system", "protected,secure-video", "protected,static-carveout",
};

/* The heaps' nodes first (same order), then paths that name none. */
static const char *const h_paths[] = {
	"/dev/dma_heap/system", "/dev/dma_heap/protected,secure-video",
	"/dev/dma_heap/protected,static-carveout", "/dev/dma_heap/secure-video",
	"/dev/dma_heap/", "/dev/dma_heap", "/dev/dma_heap/system/", "/dev/system",
};

struct h_fd {
	u8 kind;		/* H_FD_* */
	u8 heap;		/* H_FD_HEAP: which node */
	int buf;		/* H_FD_BUF: index in hz.bufs */
	u32 flags;		/* H_FD_HEAP: the file's O_ACCMODE | O_CLOEXEC */
};

struct h_map {
	bool used;
	u64 addr, len;
	u32 prot;		/* PROT_READ | PROT_WRITE as mapped */
	int buf;		/* -1: anonymous (the scratch memory) */
};

struct h_proc {
	struct process p;
	bool live;
	u64 scratch;		/* 0 once unmapped */
	struct h_fd fd[H_FDS];
	struct h_map map[H_MAPS + 1];
};

struct h_buf {
	struct dma_buf *ptr;	/* NULL: a free slot */
	unsigned int heap;
	u64 size;
	phys_addr_t pa;		/* protected buffers */
	u32 flags;		/* its file's */
	unsigned int krefs, shms, vmaps;
	void *vaddr;		/* while vmapped */
};

struct h_att {
	struct dma_buf_attachment *a;	/* NULL: a free slot */
	int buf;
	unsigned int dev;
	struct sg_table *sgt;	/* the live mapping */
	struct sg_table *old;	/* the last one unmapped (compared, never used) */
	enum dma_data_direction dir;
};

struct h_shm {
	struct tee_shm *shm;	/* NULL: a free slot */
	int buf;
};

static struct {
	struct machine m;
	struct tee_context *ctx;
	const void *owner;	/* the TEE device: the protected heaps' owner token */
	struct device dev[H_DEVS];
	struct device *devp[H_DEVS];
	struct h_proc procs[H_PROCS];
	struct h_buf bufs[H_BUFS];
	int kref[H_KREFS];	/* buffer index, or -1 */
	struct h_att atts[H_ATTS];
	struct dma_heap *href[H_HREFS];
	unsigned int href_heap[H_HREFS];
	struct h_shm shms[H_SHMS];
	struct dma_buf *stale[H_STALE];	/* released buffers' addresses */
	unsigned int nstale;
	u8 *smc_mem;		/* guard page, H_SMC_PAGES, guard page */
	phys_addr_t smc_pa;
	u32 assigned;		/* the SMC pages now protected */
	u64 bytes[H_HEAPS];	/* live bytes per heap */
	u64 op_steps;
	u64 warns;		/* warnings the running operation must cause */
	bool may_abort;		/* the running operation may make a normal CPU abort */
	u64 files0;		/* live files after boot */
	u64 heaps0;		/* registered heaps after boot */
} hz;

/* What the kernel reads of an argument (zero-extended), and what the harness writes. */
static _Alignas(u64) u8 h_arg[H_ARG_MAX + 32];
static u8 h_wbuf[256];
static const u8 h_zero[PAGE_SIZE];
static u8 h_marker[H_MARK];
static u64 h_marker_hash;

#define fail(...) fuzz_fail(HARNESS, __VA_ARGS__)

static void check_violations(void)
{
	fuzz_check_violations(HARNESS, hz.m.sim);
}

/* ---- the marker the secure world writes into protected memory ---- */

static void marker_init(void)
{
	fuzz_fill(h_marker, sizeof(h_marker), 0x5ec2e7c0ffee1235ULL);
	h_marker_hash = fuzz_window_hash(h_marker);
}

/* Hashes, not bytes, are compared: libFuzzer cannot learn the marker from them. */
static bool has_marker(const u8 *p, size_t n)
{
	for (size_t i = 0; i + H_MARK <= n; i++)
		if (fuzz_window_hash(p + i) == h_marker_hash)
			return true;
	return false;
}

static void scan(const char *what, const u8 *p, size_t n)
{
	if (has_marker(p, n))
		fail("%s shows what the secure world wrote into protected memory", what);
}

/* The secure CPU writes the marker at @pa: that memory must be protected. */
static void mark(phys_addr_t pa)
{
	if (cpu_write(&hz.m.soc->secure_cpu, pa, h_marker, H_MARK) != BUS_OKAY)
		fail("the secure CPU cannot write protected memory at 0x%llx",
		     (unsigned long long)pa);
}

static u64 normal_aborts(void)
{
	u64 n = 0;

	for (unsigned int i = 0; i < hz.m.soc->nr_cpus; i++)
		n += hz.m.soc->cpus[i].aborts;
	return n;
}

/* ---- the model: buffers ---- */

static bool is_protected_heap(unsigned int heap)
{
	return heap != H_SYSTEM;
}

static int buf_slot_free(void)
{
	for (int i = 0; i < H_BUFS; i++)
		if (!hz.bufs[i].ptr)
			return i;
	return -1;
}

static unsigned int buf_atts(int b)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < H_ATTS; i++)
		n += hz.atts[i].a && hz.atts[i].buf == b;
	return n;
}

static void stale_drop(const struct dma_buf *ptr)
{
	for (unsigned int i = 0; i < hz.nstale; i++) {
		if (hz.stale[i] == ptr) {
			hz.stale[i] = hz.stale[--hz.nstale];
			return;
		}
	}
}

static void stale_add(struct dma_buf *ptr)
{
	stale_drop(ptr);
	if (hz.nstale == H_STALE)
		memmove(hz.stale, hz.stale + 1, --hz.nstale * sizeof(hz.stale[0]));
	hz.stale[hz.nstale++] = ptr;
}

/* A new system buffer is zero: the QCE imports it and its pages are read back. */
static void check_zeroed(struct dma_buf *ptr)
{
	struct dma_buf_attachment *a = dma_buf_attach(ptr, hz.devp[H_DEV_QCE]);
	struct sg_table *sgt;
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	if (IS_ERR(a))
		fail("the QCE cannot attach a system buffer: %ld", PTR_ERR(a));
	sgt = dma_buf_map_attachment_unlocked(a, DMA_BIDIRECTIONAL);
	if (IS_ERR(sgt))
		fail("the QCE cannot map a system buffer: %ld", PTR_ERR(sgt));
	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		const u8 *p = bus_ram_backdoor(hz.m.soc->bus, sg_dma_address(sg), sg_dma_len(sg));

		if (!p)
			fail("a system buffer's entry is not RAM");
		for (u32 k = 0; k < sg_dma_len(sg); k += PAGE_SIZE)
			if (memcmp(p + k, h_zero, MIN((u32)PAGE_SIZE, sg_dma_len(sg) - k)))
				fail("a new system buffer is not zero at 0x%llx",
				     (unsigned long long)sg_dma_address(sg) + k);
		total += sg_dma_len(sg);
	}
	if (total != ptr->size)
		fail("a %zu-byte system buffer maps %llu bytes", ptr->size,
		     (unsigned long long)total);
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_BIDIRECTIONAL);
	dma_buf_detach(ptr, a);
}

/* A protected buffer: protected, of its heap's owner, and marked by the secure world. */
static void check_protected(struct h_buf *hb)
{
	u64 size = 0;

	if (!protected_dma_buf_range(hb->ptr, hz.owner, &hb->pa, &size) || size != hb->size)
		fail("a %s buffer is not a protected buffer of the TEE's heaps",
		     h_heap_names[hb->heap]);
	if (!tee_range_protected(&hz.m.tee, hb->pa, size))
		fail("a new %s buffer [0x%llx, +0x%llx) is not protected", h_heap_names[hb->heap],
		     (unsigned long long)hb->pa, (unsigned long long)size);
	mark(hb->pa);
	mark(hb->pa + size - H_MARK);
}

/* Track the new buffer @ptr of @heap; the caller made sure a slot is free. */
static int buf_add(struct dma_buf *ptr, unsigned int heap, u64 len)
{
	int b = buf_slot_free();
	struct h_buf *hb = &hz.bufs[b];

	for (unsigned int i = 0; i < H_BUFS; i++)
		if (hz.bufs[i].ptr == ptr)
			fail("a new buffer has the address of a live one");
	stale_drop(ptr);
	if (ptr->size != len)
		fail("a %s buffer of %llu bytes is %zu bytes", h_heap_names[heap],
		     (unsigned long long)len, ptr->size);
	if (strcmp(ptr->exp_name, h_heap_names[heap]) ||
	    is_protected_dma_buf(ptr) != is_protected_heap(heap))
		fail("a buffer of %s is exported by %s", h_heap_names[heap], ptr->exp_name);
	*hb = (struct h_buf){ .ptr = ptr, .heap = heap, .size = len,
			      .flags = ptr->file->f_flags };
	hz.bytes[heap] += len;
	if (is_protected_heap(heap))
		check_protected(hb);
	else
		check_zeroed(ptr);
	return b;
}

/* Can a buffer of @len bytes (page aligned) be allocated from @heap cheaply? */
static bool len_fits(unsigned int heap, u64 len)
{
	if (heap == H_SYSTEM)
		return len <= H_SYS_LEN_MAX && hz.bytes[heap] + len <= H_SYS_TOTAL;
	if (heap == H_SV)
		return len > H_RAM || (len <= H_SV_LEN_MAX && hz.bytes[heap] + len <= H_SV_TOTAL);
	return true;
}

/* ---- the model: references, release, accounting ---- */

/* The file references the harness holds on each buffer. */
static void refs_count(unsigned int *refs)
{
	memset(refs, 0, sizeof(*refs) * H_BUFS);
	for (unsigned int p = 0; p < H_PROCS; p++) {
		const struct h_proc *hp = &hz.procs[p];

		for (unsigned int fd = 0; fd < H_FDS; fd++)
			if (hp->fd[fd].kind == H_FD_BUF)
				refs[hp->fd[fd].buf]++;
		for (unsigned int m = 0; m <= H_MAPS; m++)
			if (hp->map[m].used && hp->map[m].buf >= 0)
				refs[hp->map[m].buf]++;
	}
	for (unsigned int b = 0; b < H_BUFS; b++)
		refs[b] += hz.bufs[b].krefs + hz.bufs[b].shms;
}

/*
 * The last reference went: the buffer was released, with a WARN for
 * attachments and one for a vmap left. Where its secure-video pages went
 * back to the normal world, the marker must have been scrubbed.
 */
static void buf_released(int b)
{
	struct h_buf *hb = &hz.bufs[b];
	const phys_addr_t at[2] = { hb->pa, hb->pa + hb->size - H_MARK };

	hz.warns += (buf_atts(b) > 0) + (hb->vmaps > 0);
	for (unsigned int i = 0; i < H_ATTS; i++)
		if (hz.atts[i].a && hz.atts[i].buf == b)
			hz.atts[i] = (struct h_att){ 0 };
	for (unsigned int i = 0; hb->heap == H_SV && i < 2; i++) {
		const u8 *p = bus_ram_backdoor(hz.m.soc->bus, at[i], H_MARK);

		if (tee_range_normal(&hz.m.tee, at[i], H_MARK) && p && has_marker(p, H_MARK))
			fail("released secure-video memory at 0x%llx is normal and not scrubbed",
			     (unsigned long long)at[i]);
	}
	hz.bytes[hb->heap] -= hb->size;
	stale_add(hb->ptr);
	*hb = (struct h_buf){ 0 };
}

static void buf_check(int b, unsigned int refs)
{
	const struct h_buf *hb = &hz.bufs[b];
	const struct dma_buf *d = hb->ptr;

	if (d->file->f_count != refs || d->nr_attachments != buf_atts(b) ||
	    d->vmapping_counter != hb->vmaps)
		fail("a %s buffer has %llu file references, %u attachments, %u vmaps; the harness "
		     "holds %u, %u, %u", h_heap_names[hb->heap],
		     (unsigned long long)d->file->f_count, d->nr_attachments, d->vmapping_counter,
		     refs, buf_atts(b), hb->vmaps);
	if (is_protected_heap(hb->heap) && (!tee_range_protected(&hz.m.tee, hb->pa, hb->size) ||
					    tee_range_normal(&hz.m.tee, hb->pa, hb->size)))
		fail("a live %s buffer [0x%llx, +0x%llx) is no longer protected",
		     h_heap_names[hb->heap], (unsigned long long)hb->pa,
		     (unsigned long long)hb->size);
}

/* Each process's fd table as the harness knows it. */
static void check_fds(const struct h_proc *hp)
{
	for (unsigned int fd = 0; fd < PROCESS_FDS_MAX; fd++) {
		const struct file *f = hp->p.fds[fd];
		const struct h_fd *m = fd < H_FDS ? &hp->fd[fd] : NULL;

		if (!m || !m->kind) {
			if (f)
				fail("pid %d has fd %u the harness never saw", hp->p.pid, fd);
			continue;
		}
		if (!f || (m->kind == H_FD_BUF) != is_dma_buf_file(f) ||
		    (m->kind == H_FD_BUF && f != hz.bufs[m->buf].ptr->file))
			fail("pid %d fd %u is not the file the harness holds", hp->p.pid, fd);
	}
}

static unsigned int popcount(u32 x)
{
	return (unsigned int)__builtin_popcount(x);
}

/* Runs of consecutive protected SMC pages: each is one window of the TEE. */
static unsigned int smc_runs(void)
{
	return popcount(hz.assigned & ~(hz.assigned << 1));
}

/* The TEE's windows are the secure-video pool's and the harness's own. */
static void check_windows(void)
{
	struct protected_pool_stats st;
	struct tee_protmem_info info;

	if (protected_heap_pool_stats(h_heap_names[H_SV], &st))
		fail("no %s heap", h_heap_names[H_SV]);
	tee_protmem_info(&hz.m.tee, &info);
	if (info.windows != st.windows + smc_runs() ||
	    info.bytes != st.protected_bytes + (u64)popcount(hz.assigned) * PAGE_SIZE)
		fail("the TEE has %u windows of %llu bytes; the pool %u of %llu, the harness %u of "
		     "%u pages", info.windows, (unsigned long long)info.bytes, st.windows,
		     (unsigned long long)st.protected_bytes, smc_runs(), popcount(hz.assigned));
}

struct h_count {
	u64 bufs, atts, maps, pbufs, patts, heap_fds, shms, procs;
};

static void count_model(struct h_count *c)
{
	*c = (struct h_count){ 0 };
	for (int b = 0; b < H_BUFS; b++) {
		bool prot = hz.bufs[b].ptr && is_protected_heap(hz.bufs[b].heap);

		c->bufs += !!hz.bufs[b].ptr;
		c->pbufs += prot;
		c->patts += prot ? buf_atts(b) : 0;
	}
	for (unsigned int i = 0; i < H_ATTS; i++) {
		c->atts += !!hz.atts[i].a;
		c->maps += hz.atts[i].a && hz.atts[i].sgt;
	}
	for (unsigned int i = 0; i < H_SHMS; i++)
		c->shms += !!hz.shms[i].shm;
	for (unsigned int p = 0; p < H_PROCS; p++) {
		c->procs += hz.procs[p].live;
		for (unsigned int fd = 0; fd < H_FDS; fd++)
			c->heap_fds += hz.procs[p].fd[fd].kind == H_FD_HEAP;
	}
}

/* The kernel's accounting against the model. */
static void check_stats(void)
{
	struct dma_buf_stats ds = dma_buf_stats();
	struct protected_heap_stats ps = protected_heap_stats();
	struct file_stats fs = file_stats();
	struct h_count c;

	count_model(&c);
	if (ds.live != c.bufs || ds.attachments != c.atts || ds.mappings != c.maps)
		fail("dma_buf_stats: %llu buffers, %llu attachments, %llu mappings; the harness "
		     "holds %llu, %llu, %llu", (unsigned long long)ds.live,
		     (unsigned long long)ds.attachments, (unsigned long long)ds.mappings,
		     (unsigned long long)c.bufs, (unsigned long long)c.atts,
		     (unsigned long long)c.maps);
	if (ps.buffers != c.pbufs || ps.attachments != c.patts)
		fail("protected_heap_stats: %llu buffers, %llu attachments; the harness %llu, %llu",
		     (unsigned long long)ps.buffers, (unsigned long long)ps.attachments,
		     (unsigned long long)c.pbufs, (unsigned long long)c.patts);
	if (tee_shm_stats().live != c.shms)
		fail("%llu shms live, the harness holds %llu",
		     (unsigned long long)tee_shm_stats().live, (unsigned long long)c.shms);
	if (fs.live_files != hz.files0 + c.bufs + c.heap_fds || fs.processes != c.procs)
		fail("file_stats: %llu files, %llu processes; expected %llu, %llu",
		     (unsigned long long)fs.live_files, (unsigned long long)fs.processes,
		     (unsigned long long)(hz.files0 + c.bufs + c.heap_fds),
		     (unsigned long long)c.procs);
	if (dma_heap_stats().registered != hz.heaps0)
		fail("%llu heaps registered, %llu at boot",
		     (unsigned long long)dma_heap_stats().registered,
		     (unsigned long long)hz.heaps0);
	check_windows();
}

/* After every operation: releases, each buffer's counts, each fd, the accounting. */
static void sweep(void)
{
	unsigned int refs[H_BUFS];

	refs_count(refs);
	for (int b = 0; b < H_BUFS; b++) {
		if (!hz.bufs[b].ptr)
			continue;
		if (refs[b])
			buf_check(b, refs[b]);
		else
			buf_released(b);
	}
	for (unsigned int p = 0; p < H_PROCS; p++)
		check_fds(&hz.procs[p]);
	check_stats();
}

/* ---- processes, fds and user memory ---- */

static struct h_proc *pick_proc(struct input *in)
{
	return &hz.procs[take(in, 1) % H_PROCS];
}

static unsigned int fds_open(const struct h_proc *hp)
{
	unsigned int n = 0;

	for (unsigned int fd = 0; fd < H_FDS; fd++)
		n += hp->fd[fd].kind != H_FD_NONE;
	return n;
}

/* What sys_open() or an allocation gives next (H_FDS when the harness allows no more). */
static int lowest_free_fd(const struct h_proc *hp)
{
	int fd = 0;

	while (fd < H_FDS && hp->fd[fd].kind)
		fd++;
	return fd;
}

static const struct h_fd *fd_of(const struct h_proc *hp, int fd)
{
	return fd >= 0 && fd < H_FDS && hp->fd[fd].kind ? &hp->fd[fd] : NULL;
}

static int pick_fd(const struct h_proc *hp, u32 sel)
{
	static const int odd[] = { -1, H_FDS, PROCESS_FDS_MAX - 1, PROCESS_FDS_MAX, INT_MAX,
				   INT_MIN };
	unsigned int open = fds_open(hp), n;

	if (sel >= 0xf0)
		return odd[sel % ARRAY_SIZE(odd)];
	if ((sel & 0x80) || !open)
		return (int)(sel % H_FDS);
	n = sel % open;
	for (int fd = 0; fd < H_FDS; fd++)
		if (hp->fd[fd].kind && !n--)
			return fd;
	return 0;
}

/* The file flags behind an fd: a heap node's from its open, a buffer's from its export. */
static u32 fd_flags_of(const struct h_fd *f)
{
	return f->kind == H_FD_BUF ? hz.bufs[f->buf].flags : f->flags;
}

/* Is [@addr, @addr + @len) inside one mapping of @hp with @prot? (Guard pages part them.) */
static bool h_mapped(const struct h_proc *hp, u64 addr, u64 len, u32 prot)
{
	if (!len)
		return true;
	for (unsigned int i = 0; i <= H_MAPS; i++) {
		const struct h_map *m = &hp->map[i];

		if (m->used && (m->prot & prot) == prot && addr >= m->addr && len <= m->len &&
		    addr - m->addr <= m->len - len)
			return true;
	}
	return false;
}

static struct h_map *map_free(struct h_proc *hp)
{
	for (unsigned int i = 0; i <= H_MAPS; i++)
		if (!hp->map[i].used)
			return &hp->map[i];
	return NULL;
}

/* The @n-th mapping of @hp (modulo), or NULL. */
static struct h_map *map_pick(struct h_proc *hp, u32 n)
{
	unsigned int used = 0;

	for (unsigned int i = 0; i <= H_MAPS; i++)
		used += hp->map[i].used;
	if (!used)
		return NULL;
	n %= used;
	for (unsigned int i = 0; i <= H_MAPS; i++)
		if (hp->map[i].used && !n--)
			return &hp->map[i];
	return NULL;
}

/* A user load the harness knows is mapped: it must work and show no secret. */
static void user_read(struct h_proc *hp, u64 addr, void *buf, size_t len)
{
	if (process_read(&hp->p, addr, buf, len))
		fail("pid %d cannot read [0x%llx, +%zu), which is mapped", hp->p.pid,
		     (unsigned long long)addr, len);
	scan("a user load", buf, len);
}

/*
 * A user address of class @sel for @len bytes: in the scratch memory,
 * across its end, in a mapping (bit 7: anywhere in it), or unmapped.
 */
static u64 pick_uaddr(struct h_proc *hp, u32 sel, u32 off, u64 len)
{
	static const u64 odd[] = { 0, USER_BASE - 8, USER_TOP - 4, ~0ULL - 7,
				   USER_BASE + (1ULL << 40) };
	const struct h_map *m;

	switch (sel % 8) {
	case 0: case 1: case 2: case 3:
		if (hp->scratch)
			return hp->scratch + off % (len < H_SCRATCH ? H_SCRATCH - len + 1 : 1);
		break;
	case 4:
		if (hp->scratch)
			return hp->scratch + H_SCRATCH - 1 - off % (len + 1);
		break;
	default:
		m = map_pick(hp, sel >> 3);
		if (m)
			return m->addr + (sel & 0x80 ? off % m->len : off % 64);
	}
	return odd[off % ARRAY_SIZE(odd)];
}

static void proc_start(struct h_proc *hp, u32 cpu)
{
	memset(hp, 0, sizeof(*hp));
	if (process_init(&hp->p, "fuzz", &hz.m.soc->cpus[cpu % hz.m.soc->nr_cpus]))
		fail("process_init failed");
	hp->live = true;
	hp->scratch = process_alloc_user(&hp->p, H_SCRATCH);
	if (!hp->scratch)
		fail("no user memory for a new process");
	hp->map[0] = (struct h_map){ true, hp->scratch, H_SCRATCH, PROT_READ | PROT_WRITE, -1 };
}

/* exit(): every mapping and fd goes (the sweep sees the buffers released). */
static void proc_exit(struct h_proc *hp)
{
	process_exit(&hp->p);
	hp->live = false;
	hp->scratch = 0;
	memset(hp->fd, 0, sizeof(hp->fd));
	memset(hp->map, 0, sizeof(hp->map));
}

/* how8 % 4: 0 exit, 1 exit (a dead one: a WARN), 2 new scratch memory, 3 start. */
static void op_proc(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	u32 how = take(in, 1);
	struct h_map *m;

	if (!hp->live && how % 4 < 3) {
		hz.warns++;
		if (how % 4 == 2 && process_alloc_user(&hp->p, H_SCRATCH))
			fail("user memory for a dead process");
		if (how % 4 != 2)
			process_exit(&hp->p);
	} else if (!hp->live) {
		proc_start(hp, how >> 2);
	} else if (how % 4 < 2) {
		proc_exit(hp);
	} else if (!hp->scratch && (m = map_free(hp))) {
		hp->scratch = process_alloc_user(&hp->p, H_SCRATCH);
		if (!hp->scratch)
			fail("no user memory for pid %d", hp->p.pid);
		*m = (struct h_map){ true, hp->scratch, H_SCRATCH, PROT_READ | PROT_WRITE, -1 };
	}
}

static u32 pick_open_flags(u32 fl)
{
	return (fl & O_ACCMODE) | (fl & 4 ? O_CLOEXEC : 0) | (fl & 8 ? 0100 : 0);
}

/* sys_open of @path as @hp; returns the fd or -1. */
static int open_path(struct h_proc *hp, unsigned int path, u32 flags)
{
	int want, fd;

	if (hp->live && fds_open(hp) >= H_FDS)
		return -1;
	want = !hp->live ? -EINVAL : path < H_HEAPS ? lowest_free_fd(hp) : -ENOENT;
	hz.warns += !hp->live;
	fd = sys_open(&hp->p, h_paths[path], flags);
	if (fd != want)
		fail("sys_open(%s) returned %d, not %d", h_paths[path], fd, want);
	if (fd < 0)
		return -1;
	hp->fd[fd] = (struct h_fd){ .kind = H_FD_HEAP, .heap = (u8)path,
				    .flags = flags & (O_ACCMODE | O_CLOEXEC) };
	return fd;
}

static void op_open(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	u32 path = take(in, 1) % ARRAY_SIZE(h_paths);

	open_path(hp, path, pick_open_flags(take(in, 1)));
}

static void close_fd(struct h_proc *hp, int fd)
{
	int want = fd_of(hp, fd) ? 0 : -EBADF, ret = sys_close(&hp->p, fd);

	if (ret != want)
		fail("sys_close(%d) returned %d, not %d", fd, ret, want);
	if (!ret)
		hp->fd[fd] = (struct h_fd){ 0 };
}

static void op_close(struct input *in)
{
	struct h_proc *hp = pick_proc(in);

	close_fd(hp, pick_fd(hp, take(in, 1)));
}

/* ---- arguments ---- */

static u64 pick_len(struct input *in)
{
	static const u64 odd[] = {
		0, 1, PAGE_SIZE - 1, PAGE_SIZE, PAGE_SIZE + 1, 0xffff0000ULL, 0xfffff000ULL,
		0x100000000ULL, 32ULL << 20, (32ULL << 20) + 1, H_RAM, 1ULL << 63,
		~0ULL - PAGE_SIZE, ~0ULL - PAGE_SIZE + 2, ~0ULL,
	};
	u32 sel = take(in, 1);

	switch (sel & 3) {
	case 0:
		return take(in, 2);
	case 1:
		return (u64)(take(in, 1) + 1) * PAGE_SIZE;
	case 2:
		return take(in, 3) % (H_SYS_LEN_MAX + 1);
	default:
		return odd[(sel >> 2) % ARRAY_SIZE(odd)];
	}
}

static u32 pick_fd_flags(struct input *in)
{
	static const u32 ff[] = {
		O_RDWR | O_CLOEXEC, O_RDWR, O_RDONLY, O_WRONLY, O_ACCMODE, O_CLOEXEC | O_WRONLY,
		O_RDWR | O_CLOEXEC, O_RDWR, 0100, 0x80000000u,
	};
	u32 sel = take(in, 1);

	return sel < 0xf0 ? ff[sel % ARRAY_SIZE(ff)] : take(in, 4);
}

static u64 pick_heap_flags(u32 sel)
{
	return sel < 0xe0 ? 0 : sel < 0xf0 ? 1ULL << (sel % 64) : ~0ULL;
}

/* ALLOC, its number at another size and direction, SYNC, SET_NAME_B, others. */
static u32 pick_cmd(struct input *in)
{
	u32 sel = take(in, 1), dir, type, size;

	switch (sel % 8) {
	case 0: case 1: case 2:
		return DMA_HEAP_IOCTL_ALLOC;
	case 3:
		dir = take(in, 1);
		size = take(in, 1) % (H_WRITE_MAX + 1);
		return _IOC(dir & 3, DMA_HEAP_IOC_MAGIC, 0, size);
	case 4:
		return DMA_BUF_IOCTL_SYNC;
	case 5:
		return DMA_BUF_SET_NAME_B;
	case 6:
		dir = take(in, 1);
		type = take(in, 1);
		size = take(in, 1) % (H_WRITE_MAX + 1);
		return _IOC(dir & 3, type, (dir >> 2) % 3, size);
	default:
		return take(in, 4);
	}
}

/* An allocation struct and what follows it, @size bytes of it. */
static u32 build_alloc(struct input *in, u32 size)
{
	struct dma_heap_allocation_data d = { .len = pick_len(in) };
	u32 x = take(in, 1);

	d.fd_flags = pick_fd_flags(in);
	d.fd = (x & 7) == 7 ? take(in, 4) : 0;
	d.heap_flags = pick_heap_flags(take(in, 1));
	fuzz_fill(h_wbuf, size, x | 1);
	memcpy(h_wbuf, &d, MIN(size, (u32)sizeof(d)));
	return size;
}

/* A name of up to H_NAME_MAX bytes, NUL-terminated where the input says (maybe not). */
static u32 build_name(struct input *in)
{
	u32 n = take(in, 1) % (H_NAME_MAX + 1), nul = take(in, 1) % (H_NAME_MAX + 8);

	fuzz_fill(h_wbuf, n, take(in, 1) | 1);
	for (u32 i = 0; i < n; i++)
		h_wbuf[i] = (u8)('a' + h_wbuf[i] % 26);
	if (nul < n)
		h_wbuf[nul] = 0;
	return n;
}

/* What the harness writes for @cmd; returns its size. */
static u32 build_arg(struct input *in, u32 cmd)
{
	u64 flags;

	if (cmd == DMA_BUF_IOCTL_SYNC) {
		flags = take(in, 1);
		memcpy(h_wbuf, &flags, sizeof(flags));
		return sizeof(flags);
	}
	if (cmd == DMA_BUF_SET_NAME_B)
		return build_name(in);
	return build_alloc(in, MIN(_IOC_SIZE(cmd), (u32)H_WRITE_MAX));
}

/* Write the argument where it goes, if the user may store there. */
static void put_arg(struct h_proc *hp, u64 arg, u32 size)
{
	if (size && hp->live && h_mapped(hp, arg, size, PROT_WRITE) &&
	    process_write(&hp->p, arg, h_wbuf, size))
		fail("pid %d cannot write its own memory at 0x%llx", hp->p.pid,
		     (unsigned long long)arg);
}

/* ---- ioctls ---- */

static u8 h_back[H_ARG_MAX];

/*
 * DMA_HEAP_IOCTL_ALLOC's checks before allocate() (docs/heaps.md): the
 * number, the copy in, then fd, flags and length of what the kernel reads
 * (h_arg, zero-extended past what the user's size copies in).
 *
 * Return: 0 when the call reaches allocate(), else its error.
 */
static long heap_checks(struct h_proc *hp, u32 cmd, u64 arg, struct dma_heap_allocation_data *d)
{
	u32 in = _IOC_DIR(cmd) & _IOC_WRITE ? _IOC_SIZE(cmd) : 0;

	memset(h_arg, 0, sizeof(h_arg));
	memset(d, 0, sizeof(*d));
	if (_IOC_NR(cmd))
		return -EINVAL;
	if (!h_mapped(hp, arg, in, PROT_READ))
		return -EFAULT;
	if (in)
		user_read(hp, arg, h_arg, in);
	memcpy(d, h_arg, sizeof(*d));
	if (d->fd || d->fd_flags & ~DMA_HEAP_VALID_FD_FLAGS ||
	    d->heap_flags & ~DMA_HEAP_VALID_HEAP_FLAGS || !ALIGN_UP(d->len, (u64)PAGE_SIZE))
		return -EINVAL;
	return 0;
}

/* The fd a call installed that the harness does not know yet, or -1. */
static int new_fd(const struct h_proc *hp)
{
	int found = -1;

	for (int fd = 0; fd < PROCESS_FDS_MAX; fd++) {
		if (!hp->p.fds[fd] || (fd < H_FDS && hp->fd[fd].kind))
			continue;
		if (found >= 0)
			fail("one call installed fds %d and %d", found, fd);
		found = fd;
	}
	return found;
}

/* A successful allocation installed @fd: track it, and check what the user got back. */
static void alloc_installed(struct h_proc *hp, int fd, unsigned int heap, u64 len, u64 arg,
			    u32 out)
{
	struct file *f = hp->p.fds[fd];
	const struct dma_heap_allocation_data *d = (const void *)h_arg;
	bool cloexec = hp->p.cloexec[fd / 64] & BIT_ULL(fd % 64);
	u32 fd32 = (u32)fd;
	struct dma_buf *got;
	int b;

	if (!is_dma_buf_file(f))
		fail("an allocation installed fd %d, which is not a dma-buf", fd);
	b = buf_add(f->private_data, heap, len);
	hp->fd[fd] = (struct h_fd){ .kind = H_FD_BUF, .buf = b };
	if (hz.bufs[b].flags != (d->fd_flags & (O_ACCMODE | O_CLOEXEC)) ||
	    cloexec != !!(d->fd_flags & O_CLOEXEC))
		fail("fd_flags 0x%x gave a file with flags 0x%x, close-on-exec %d", d->fd_flags,
		     hz.bufs[b].flags, cloexec);
	got = dma_buf_get(&hp->p, fd);
	if (got != f->private_data)
		fail("dma_buf_get() of a new buffer's fd %d: %ld", fd, PTR_ERR(got));
	dma_buf_put(got);
	if (!out || !h_mapped(hp, arg, out, PROT_READ))
		return;
	memcpy(h_arg + offsetof(struct dma_heap_allocation_data, fd), &fd32, sizeof(fd32));
	user_read(hp, arg, h_back, out);
	if (memcmp(h_back, h_arg, out))
		fail("an allocation wrote back %u bytes other than the struct with fd %d", out, fd);
}

/* Any command on a heap's fd: an allocation for number 0, whatever the rest says. */
static void heap_ioctl(struct h_proc *hp, int fd, u32 cmd, u64 arg)
{
	unsigned int heap = hp->fd[fd].heap;
	u32 out = _IOC_DIR(cmd) & _IOC_READ ? _IOC_SIZE(cmd) : 0;
	struct dma_heap_allocation_data d;
	long want = heap_checks(hp, cmd, arg, &d), ret;
	u64 len = ALIGN_UP(d.len, (u64)PAGE_SIZE);
	bool allocates = !want, too_big;
	int nfd;

	if (allocates && (!len_fits(heap, len) || buf_slot_free() < 0 || fds_open(hp) >= H_FDS))
		return;		/* too costly to run, or more than the harness tracks */
	if (allocates && out && !h_mapped(hp, arg, out, PROT_WRITE))
		want = -EFAULT;
	too_big = len > H_RAM || (heap == H_CARVEOUT && len > hz.m.tee.prot_size);
	ret = sys_ioctl(&hp->p, fd, cmd, arg);
	nfd = new_fd(hp);
	if ((ret != want && !(allocates && is_protected_heap(heap) && ret == -ENOMEM)) ||
	    (allocates && too_big && ret != -ENOMEM))
		fail("ioctl 0x%08x on %s (len 0x%llx, fd %u, fd_flags 0x%x, heap_flags 0x%llx) "
		     "returned %ld, not %ld", cmd, h_paths[heap], (unsigned long long)d.len, d.fd,
		     d.fd_flags, (unsigned long long)d.heap_flags, ret, want);
	if (ret && nfd >= 0)
		fail("a failed allocation (%ld) installed fd %d", ret, nfd);
	if (ret)
		return;
	if (nfd != lowest_free_fd(hp))
		fail("an allocation installed fd %d, not the lowest free %d", nfd,
		     lowest_free_fd(hp));
	alloc_installed(hp, nfd, heap, len, arg, out);
}

static long sync_expect(struct h_proc *hp, const struct h_buf *hb, u64 arg)
{
	u64 flags;

	if (!h_mapped(hp, arg, sizeof(flags), PROT_READ))
		return -EFAULT;
	user_read(hp, arg, &flags, sizeof(flags));
	if ((flags & ~DMA_BUF_SYNC_VALID_FLAGS_MASK) || !(flags & DMA_BUF_SYNC_RW))
		return -EINVAL;
	return is_protected_heap(hb->heap) ? -EPERM : 0;
}

/* As strndup_user(): byte by byte up to the NUL, within DMA_BUF_NAME_LEN. */
static long name_expect(struct h_proc *hp, u64 arg, char *name)
{
	for (unsigned int i = 0; i < DMA_BUF_NAME_LEN; i++) {
		if (!h_mapped(hp, arg + i, 1, PROT_READ))
			return -EFAULT;
		user_read(hp, arg + i, &name[i], 1);
		if (!name[i])
			return 0;
	}
	return -EINVAL;
}

/* Any command on a buffer's fd: only SYNC and SET_NAME_B are known. */
static void buf_ioctl(struct h_proc *hp, int fd, u32 cmd, u64 arg)
{
	const struct h_buf *hb = &hz.bufs[hp->fd[fd].buf];
	char name[DMA_BUF_NAME_LEN];
	long want = -ENOTTY, ret;

	if (cmd == DMA_BUF_IOCTL_SYNC)
		want = sync_expect(hp, hb, arg);
	else if (cmd == DMA_BUF_SET_NAME_B)
		want = name_expect(hp, arg, name);
	ret = sys_ioctl(&hp->p, fd, cmd, arg);
	if (ret != want)
		fail("ioctl 0x%08x on a %s buffer's fd returned %ld, not %ld", cmd,
		     h_heap_names[hb->heap], ret, want);
	if (cmd == DMA_BUF_SET_NAME_B && !ret && strcmp(hb->ptr->name, name))
		fail("SET_NAME_B named the buffer \"%s\", not \"%s\"", hb->ptr->name, name);
}

static void do_ioctl(struct h_proc *hp, int fd, u32 cmd, u64 arg)
{
	const struct h_fd *f = fd_of(hp, fd);
	long ret;

	if (f && f->kind == H_FD_HEAP) {
		heap_ioctl(hp, fd, cmd, arg);
	} else if (f) {
		buf_ioctl(hp, fd, cmd, arg);
	} else {
		ret = sys_ioctl(&hp->p, fd, cmd, arg);
		if (ret != -EBADF)
			fail("ioctl 0x%08x on fd %d, which is not open, returned %ld", cmd, fd,
			     ret);
	}
}

static void op_ioctl(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	int fd = pick_fd(hp, take(in, 1));
	u32 cmd = pick_cmd(in), asel = take(in, 1), aoff = take(in, 2);
	u32 size = build_arg(in, cmd);
	u64 arg = pick_uaddr(hp, asel, aoff, size);

	put_arg(hp, arg, size);
	do_ioctl(hp, fd, cmd, arg);
}

/* ---- mappings, user accesses, llseek ---- */

#define H_USER_SPAN (USER_TOP - USER_BASE)

static u64 pick_mlen(struct input *in, const struct h_fd *f)
{
	static const u64 odd[] = {
		0, 1, ~0ULL, ~0ULL - PAGE_SIZE + 2, 1ULL << 45, H_USER_SPAN,
		H_USER_SPAN - 3 * PAGE_SIZE, H_USER_SPAN - 4 * PAGE_SIZE, 1ULL << 47,
	};
	u64 size = f && f->kind == H_FD_BUF ? hz.bufs[f->buf].size : PAGE_SIZE;
	u32 sel = take(in, 1);

	switch (sel & 3) {
	case 0:
		return size;
	case 1:
		return (u64)(sel >> 2) * PAGE_SIZE;
	case 2:
		return take(in, 3);
	default:
		return odd[(sel >> 2) % ARRAY_SIZE(odd)];
	}
}

/* mmap's checks in Linux's order (docs/dma-buf.md), the file's mmap last. */
static s64 mmap_expect(const struct h_proc *hp, int fd, u64 len, u32 prot, u32 flags, u64 off)
{
	const struct h_fd *f = fd_of(hp, fd);
	const struct h_buf *hb;
	u32 acc;
	u64 pages;

	if (!IS_ALIGNED(off, (u64)PAGE_SIZE))
		return -EINVAL;
	if (!f)
		return -EBADF;
	if (!len || !(flags & (MAP_SHARED | MAP_PRIVATE)))
		return -EINVAL;
	if (ALIGN_UP(len, (u64)PAGE_SIZE) < len)
		return -ENOMEM;
	acc = fd_flags_of(f) & O_ACCMODE;
	if (acc == O_WRONLY || ((flags & MAP_SHARED) && (prot & PROT_WRITE) && acc != O_RDWR))
		return -EACCES;
	if (f->kind == H_FD_HEAP)
		return -ENODEV;
	hb = &hz.bufs[f->buf];
	pages = ALIGN_UP(len, (u64)PAGE_SIZE) >> PAGE_SHIFT;
	if (off / PAGE_SIZE + pages < pages || off / PAGE_SIZE + pages > hb->size / PAGE_SIZE)
		return -EINVAL;
	return is_protected_heap(hb->heap) ? -EPERM : 0;
}

/* A new mapping lies in the user address space, clear of every other one. */
static void check_new_map(const struct h_proc *hp, u64 addr, u64 len)
{
	if (addr < USER_BASE || addr >= USER_TOP || !IS_ALIGNED(addr, (u64)PAGE_SIZE) ||
	    len > USER_TOP - addr)
		fail("pid %d got a mapping at [0x%llx, +0x%llx), outside user space", hp->p.pid,
		     (unsigned long long)addr, (unsigned long long)len);
	for (unsigned int i = 0; i <= H_MAPS; i++) {
		const struct h_map *m = &hp->map[i];

		if (m->used && addr < m->addr + m->len && m->addr < addr + len)
			fail("pid %d got a mapping over another", hp->p.pid);
	}
}

/* p8 fd8 len8 [..] prot8 fl8 off8 */
static void op_mmap(struct input *in)
{
	static const u64 offs[] = { 0, 0, 0, PAGE_SIZE, 2 * PAGE_SIZE, 1, ~0ULL & ~(PAGE_SIZE - 1),
				    1ULL << 40 };
	struct h_proc *hp = pick_proc(in);
	int fd = pick_fd(hp, take(in, 1));
	u64 len = pick_mlen(in, fd_of(hp, fd)), off, alen = ALIGN_UP(len, (u64)PAGE_SIZE);
	u32 prot = take(in, 1) & (PROT_READ | PROT_WRITE | 4), flags = take(in, 1) & 7;
	struct h_map *m = map_free(hp);
	s64 want, ret;
	u8 probe[64];

	off = offs[take(in, 1) % ARRAY_SIZE(offs)];
	if (!m)
		return;
	want = mmap_expect(hp, fd, len, prot, flags, off);
	ret = sys_mmap(&hp->p, len, prot, flags, fd, off);
	/* A length beyond half the address space may find no room first (-ENOMEM). */
	if (want ? ret != want && !(ret == -ENOMEM && want != -EBADF && alen > (1ULL << 45)) :
	    ret < 0)
		fail("mmap of %llu bytes at offset 0x%llx, prot 0x%x, flags 0x%x, fd %d returned "
		     "%lld, not %lld", (unsigned long long)len, (unsigned long long)off, prot,
		     flags, fd, (long long)ret, (long long)want);
	if (ret < 0)
		return;
	check_new_map(hp, (u64)ret, alen);
	*m = (struct h_map){ true, (u64)ret, alen, prot & (PROT_READ | PROT_WRITE),
			     hp->fd[fd].buf };
	if (prot & PROT_READ)
		user_read(hp, (u64)ret, probe, sizeof(probe));
}

/* p8 sel8: a mapping's start (bit 6: length 0, bit 5: a page in, bit 4: length 1) */
static void op_munmap(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	u32 sel = take(in, 1);
	struct h_map *m = map_pick(hp, sel >> 7);
	u64 addr = m ? m->addr + (sel & 0x20 ? PAGE_SIZE : 0) :
		       USER_BASE + (sel & 0x1f) * PAGE_SIZE;
	u64 len = sel & 0x40 ? 0 : sel & 0x10 ? 1 : m ? m->len : PAGE_SIZE;
	int want = m && len && addr == m->addr ? 0 : -EINVAL, ret;

	ret = sys_munmap(&hp->p, addr, len);
	if (ret != want)
		fail("munmap of 0x%llx (+%llu) returned %d, not %d", (unsigned long long)addr,
		     (unsigned long long)len, ret, want);
	if (ret)
		return;
	if (m->buf < 0)
		hp->scratch = 0;
	*m = (struct h_map){ 0 };
}

/* p8 arg8 off16 len8 w8 {seed8}: a user load or store anywhere */
static void op_user(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	u32 asel = take(in, 1), off = take(in, 2), len = take(in, 1), w = take(in, 1);
	u64 addr = pick_uaddr(hp, asel, off, len);
	bool write = w & 1;
	u32 prot = write ? PROT_WRITE : PROT_READ;
	int want = hp->live && h_mapped(hp, addr, len, prot) ? 0 : -EFAULT, ret;

	hz.warns += !hp->live;
	if (write) {
		fuzz_fill(h_wbuf, len, take(in, 1) | 1);
		ret = process_write(&hp->p, addr, h_wbuf, len);
	} else {
		ret = process_read(&hp->p, addr, h_back, len);
	}
	if (ret != want)
		fail("a user %s of %u bytes at 0x%llx returned %d, not %d",
		     write ? "store" : "load", len, (unsigned long long)addr, ret, want);
	if (!write && !ret)
		scan("a user load", h_back, len);
}

/* p8 fd8 off8 whence8 */
static void op_lseek(struct input *in)
{
	static const loff_t offs[] = { 0, 0, 0, 1, -1, PAGE_SIZE, LLONG_MIN, LLONG_MAX };
	struct h_proc *hp = pick_proc(in);
	int fd = pick_fd(hp, take(in, 1));
	loff_t off = offs[take(in, 1) % ARRAY_SIZE(offs)], want, ret;
	int whence = (int)(take(in, 1) % 4);
	const struct h_fd *f = fd_of(hp, fd);

	if (!f)
		want = -EBADF;
	else if (f->kind == H_FD_HEAP)
		want = -ESPIPE;
	else if (off || (whence != SEEK_END && whence != SEEK_SET))
		want = -EINVAL;
	else
		want = whence == SEEK_END ? (loff_t)hz.bufs[f->buf].size : 0;
	ret = sys_lseek(&hp->p, fd, off, whence);
	if (ret != want)
		fail("lseek(%d, %lld, %d) returned %lld, not %lld", fd, (long long)off, whence,
		     (long long)ret, (long long)want);
}

/* ---- kernel users ---- */

static int kref_free(void)
{
	for (int i = 0; i < H_KREFS; i++)
		if (hz.kref[i] < 0)
			return i;
	return -1;
}

/* The kernel reference of slot @sel (modulo, among the held ones): its buffer, or -1. */
static int kref_pick(u32 sel, int *slot)
{
	unsigned int held = 0;

	for (int i = 0; i < H_KREFS; i++)
		held += hz.kref[i] >= 0;
	if (!held)
		return -1;
	sel %= held;
	for (int i = 0; i < H_KREFS; i++) {
		if (hz.kref[i] >= 0 && !sel--) {
			*slot = i;
			return hz.kref[i];
		}
	}
	return -1;
}

static void kref_set(int slot, int b)
{
	hz.kref[slot] = b;
	hz.bufs[b].krefs++;
}

/* A stale (released) buffer pointer, or NULL: either must only WARN. */
static struct dma_buf *stale_pick(u32 sel)
{
	return hz.nstale && sel % 4 ? hz.stale[sel % hz.nstale] : NULL;
}

/* p8 fd8: dma_buf_get(); the reference is kept (or dropped when no slot is free). */
static void op_kget(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	int fd = pick_fd(hp, take(in, 1)), slot = kref_free();
	const struct h_fd *f = fd_of(hp, fd);
	long want = !f ? -EBADF : f->kind == H_FD_HEAP ? -EINVAL : 0;
	struct dma_buf *b = dma_buf_get(&hp->p, fd);

	if (IS_ERR(b) ? PTR_ERR(b) != want : want || b != hz.bufs[f->buf].ptr)
		fail("dma_buf_get(%d) returned %ld, not %ld", fd, IS_ERR(b) ? PTR_ERR(b) : 0, want);
	if (IS_ERR(b))
		return;
	if (slot < 0)
		dma_buf_put(b);
	else
		kref_set(slot, f->buf);
}

/* Misuse with a stale or NULL pointer: a WARN, an error where there is a return, nothing else. */
static void misuse(u32 mode, u32 sel)
{
	struct dma_buf *stale = stale_pick(sel);
	struct iosys_map map = { 0 };
	long ret = -EINVAL;

	hz.warns++;
	switch (mode % 6) {
	case 0:
		dma_buf_put(stale);
		break;
	case 1:
		get_dma_buf(stale);
		break;
	case 2:
		ret = sel & 4 ? dma_buf_begin_cpu_access(stale, DMA_TO_DEVICE) :
				dma_buf_end_cpu_access(stale, DMA_FROM_DEVICE);
		break;
	case 3:
		ret = PTR_ERR(dma_buf_attach(stale, hz.devp[sel % H_DEVS]));
		break;
	case 4:
		ret = dma_buf_vmap(stale, &map);
		if (!ret || !map.is_null)
			fail("vmap of a stale or NULL buffer gave a mapping");
		break;
	default:
		dma_buf_vunmap(stale, &map);
	}
	if (ret != -EINVAL)
		fail("a call on a stale or NULL buffer returned %ld, not -EINVAL", ret);
}

/*
 * dma_buf_fd(): the kernel reference @slot (of buffer @b, or none: NULL)
 * becomes an fd of the process mode8 bits 7:3 pick (bit 2: O_CLOEXEC), as a
 * driver hands a buffer to another process
 */
static void kref_install(int b, int slot, u32 mode)
{
	struct h_proc *hp = &hz.procs[(mode >> 3) % H_PROCS];
	int want = b < 0 || !hp->live ? -EINVAL : lowest_free_fd(hp), fd;

	if (hp->live && fds_open(hp) >= H_FDS)
		return;
	hz.warns += b >= 0 && !hp->live;
	fd = dma_buf_fd(&hp->p, b < 0 ? NULL : hz.bufs[b].ptr, mode & 4 ? O_CLOEXEC : 0);
	if (fd != want)
		fail("dma_buf_fd() into pid %d returned %d, not %d", hp->p.pid, fd, want);
	if (fd < 0)
		return;
	hp->fd[fd] = (struct h_fd){ .kind = H_FD_BUF, .buf = b };
	hz.kref[slot] = -1;
	hz.bufs[b].krefs--;
}

/* slot8 mode8: mode8 % 4 is 0, 1: put a kernel reference; 2: kref_install(); 3: misuse() */
static void op_kput(struct input *in)
{
	u32 sel = take(in, 1), mode = take(in, 1);
	int slot = 0, b = kref_pick(sel, &slot);

	if (mode % 4 == 3) {
		misuse(mode / 4, sel);
		return;
	}
	if (mode % 4 == 2) {
		kref_install(b, slot, mode);
		return;
	}
	if (b < 0)
		return;
	hz.kref[slot] = -1;
	hz.bufs[b].krefs--;
	dma_buf_put(hz.bufs[b].ptr);
}

/* sel8: drop a held heap reference, or find one (by a name that may name none) */
static void op_heap(struct input *in)
{
	static const char *const names[] = { "system", "protected,secure-video",
					     "protected,static-carveout", "protected", "" };
	u32 sel = take(in, 1), slot = sel % H_HREFS, n = (sel >> 2) % ARRAY_SIZE(names);
	struct dma_heap *h;

	if (hz.href[slot]) {
		dma_heap_put(hz.href[slot]);
		hz.href[slot] = NULL;
		return;
	}
	h = dma_heap_find(names[n]);
	if (!h != (n >= H_HEAPS) || (h && strcmp(dma_heap_get_name(h), names[n])))
		fail("dma_heap_find(\"%s\") returned %s", names[n],
		     h ? dma_heap_get_name(h) : "NULL");
	dma_heap_put(sel & 0x80 ? NULL : h);	/* NULL is a no-op */
	if (sel & 0x80) {
		hz.href[slot] = h;
		hz.href_heap[slot] = n;
	}
}

/* The heap of a held reference or a fresh find (*@put then), or NULL. */
static struct dma_heap *heap_pick(u32 sel, unsigned int *heap, bool *put)
{
	unsigned int slot = sel % H_HREFS;

	*put = false;
	if (sel % 8 < 4 && hz.href[slot]) {
		*heap = hz.href_heap[slot];
		return hz.href[slot];
	}
	if (sel % 8 == 7)
		return NULL;
	*heap = (sel >> 3) % H_HEAPS;
	*put = true;
	return dma_heap_find(h_heap_names[*heap]);
}

/* sel8 len8 [..] ff8 hf8: dma_heap_buffer_alloc(), from NULL too (a WARN) */
static void op_kalloc(struct input *in)
{
	u32 sel = take(in, 1);
	u64 len = pick_len(in), alen = ALIGN_UP(len, (u64)PAGE_SIZE);
	u32 ff = pick_fd_flags(in);
	u64 hf = pick_heap_flags(take(in, 1));
	unsigned int heap = 0;
	int slot = kref_free();
	bool put, refused = (ff & ~DMA_HEAP_VALID_FD_FLAGS) || hf || !alen;
	struct dma_heap *h;
	struct dma_buf *b;

	if (slot < 0 || buf_slot_free() < 0)
		return;
	h = heap_pick(sel, &heap, &put);
	if (h && !refused && !len_fits(heap, alen)) {
		if (put)
			dma_heap_put(h);
		return;
	}
	hz.warns += !h;
	b = dma_heap_buffer_alloc(h, len, ff, hf);
	if (put)
		dma_heap_put(h);
	if (!h || refused ? PTR_ERR(b) != -EINVAL :
	    IS_ERR(b) && !(is_protected_heap(heap) && PTR_ERR(b) == -ENOMEM))
		fail("dma_heap_buffer_alloc(%s, 0x%llx, 0x%x, 0x%llx) returned %ld",
		     h ? h_heap_names[heap] : "NULL", (unsigned long long)len, ff,
		     (unsigned long long)hf, IS_ERR(b) ? PTR_ERR(b) : 0);
	if (IS_ERR(b))
		return;
	if (alen > H_RAM || (heap == H_CARVEOUT && alen > hz.m.tee.prot_size))
		fail("a %llu-byte buffer of %s was allocated", (unsigned long long)alen,
		     h_heap_names[heap]);
	kref_set(slot, buf_add(b, heap, alen));
}

static int att_free(void)
{
	for (int i = 0; i < H_ATTS; i++)
		if (!hz.atts[i].a)
			return i;
	return -1;
}

static struct h_att *att_pick(u32 sel)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < H_ATTS; i++)
		n += !!hz.atts[i].a;
	if (!n)
		return NULL;
	sel %= n;
	for (unsigned int i = 0; i < H_ATTS; i++)
		if (hz.atts[i].a && !sel--)
			return &hz.atts[i];
	return NULL;
}

/* slot8 dev8: a protected buffer refuses every device but the display (-EBUSY) */
static void op_attach(struct input *in)
{
	int slot = 0, b = kref_pick(take(in, 1), &slot), i = att_free();
	unsigned int dev = take(in, 1) % H_DEVS;
	long want;
	struct dma_buf_attachment *a;

	if (b < 0 || i < 0)
		return;
	want = is_protected_heap(hz.bufs[b].heap) && dev != H_DEV_DISPLAY ? -EBUSY : 0;
	a = dma_buf_attach(hz.bufs[b].ptr, hz.devp[dev]);
	if (IS_ERR(a) ? PTR_ERR(a) != want : want != 0)
		fail("attaching %s to a %s buffer returned %ld, not %ld", hz.devp[dev]->name,
		     h_heap_names[hz.bufs[b].heap], IS_ERR(a) ? PTR_ERR(a) : 0, want);
	if (!IS_ERR(a))
		hz.atts[i] = (struct h_att){ .a = a, .buf = b, .dev = dev, .dir = DMA_NONE };
}

/* A mapping of a buffer: its entries cover it; a protected one is its range, in one entry. */
static void check_table(const struct h_att *t, const struct sg_table *sgt)
{
	const struct h_buf *hb = &hz.bufs[t->buf];
	struct scatterlist *sg;
	u64 total = 0;
	unsigned int i;

	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		if (!is_protected_heap(hb->heap) &&
		    !tee_range_normal(&hz.m.tee, sg_dma_address(sg), sg_dma_len(sg)))
			fail("a system buffer maps memory that is not normal");
		total += sg_dma_len(sg);
	}
	if (total != hb->size || (is_protected_heap(hb->heap) &&
				  (sgt->nents != 1 || sg_dma_address(sgt->sgl) != hb->pa)))
		fail("a %llu-byte %s buffer maps as %u entries of %llu bytes",
		     (unsigned long long)hb->size, h_heap_names[hb->heap], sgt->nents,
		     (unsigned long long)total);
}

/* att8 dir8: a direction past DMA_FROM_DEVICE is a WARN, another than the live one -EBUSY */
static void op_map(struct input *in)
{
	static const enum dma_data_direction dirs[] = {
		DMA_BIDIRECTIONAL, DMA_TO_DEVICE, DMA_FROM_DEVICE, DMA_NONE,
		(enum dma_data_direction)7,
	};
	struct h_att *t = att_pick(take(in, 1));
	u32 sel = take(in, 1);
	enum dma_data_direction dir = dirs[sel % ARRAY_SIZE(dirs)];
	long want = dir > DMA_FROM_DEVICE ? -EINVAL : t && t->sgt && t->dir != dir ? -EBUSY : 0;
	struct sg_table *sgt;

	if (!t)
		return;
	hz.warns += dir > DMA_FROM_DEVICE;
	sgt = sel & 0x80 ? dma_buf_map_attachment(t->a, dir) :
			   dma_buf_map_attachment_unlocked(t->a, dir);
	if (IS_ERR(sgt) ? PTR_ERR(sgt) != want : want || (t->sgt && sgt != t->sgt))
		fail("map for direction %d returned %ld, not %ld", (int)dir,
		     IS_ERR(sgt) ? PTR_ERR(sgt) : 0, want);
	if (IS_ERR(sgt))
		return;
	check_table(t, sgt);
	t->sgt = sgt;
	t->dir = dir;
}

/*
 * att8 how8: unmap the live table (bit 0: in another direction, a WARN), or
 * (bit 1, or nothing mapped) NULL or a table that is not live (a WARN)
 */
static void op_unmap(struct input *in)
{
	struct h_att *t = att_pick(take(in, 1));
	u32 how = take(in, 1);
	enum dma_data_direction dir;

	if (!t)
		return;
	if (!t->sgt || (how & 2)) {
		hz.warns++;
		dma_buf_unmap_attachment(t->a, t->sgt ? NULL : t->old, t->dir);
		return;
	}
	dir = how & 1 ? (enum dma_data_direction)((t->dir + 1) % 3) : t->dir;
	hz.warns += dir != t->dir;
	dma_buf_unmap_attachment_unlocked(t->a, t->sgt, dir);
	t->old = t->sgt;
	t->sgt = NULL;
	t->dir = DMA_NONE;
}

/* att8 how8: detach (how8 bit 0: from another buffer, a stale one or NULL: a WARN) */
static void op_detach(struct input *in)
{
	struct h_att *t = att_pick(take(in, 1));
	u32 how = take(in, 1);
	struct dma_buf *other;
	int b;

	if (!t)
		return;
	if (how & 1) {
		b = (int)((how >> 1) % H_BUFS);
		other = hz.bufs[b].ptr && b != t->buf ? hz.bufs[b].ptr : stale_pick(how >> 1);
		hz.warns++;
		dma_buf_detach(other, t->a);
		return;
	}
	dma_buf_detach(hz.bufs[t->buf].ptr, t->a);
	*t = (struct h_att){ 0 };
}

/* slot8 how8: begin/end_cpu_access, vmap, vunmap (how8 bit 4: a wrong map, a WARN) */
static void op_cpu(struct input *in)
{
	int slot = 0, b = kref_pick(take(in, 1), &slot);
	u32 how = take(in, 1);
	enum dma_data_direction dir = (enum dma_data_direction)((how >> 2) % 4);
	struct h_buf *hb;
	struct iosys_map map = { 0 };
	long ret, want;

	if (b < 0)
		return;
	hb = &hz.bufs[b];
	want = is_protected_heap(hb->heap) ? -EPERM : 0;
	switch (how % 4) {
	case 0:
		ret = dma_buf_begin_cpu_access(hb->ptr, dir);
		break;
	case 1:
		ret = dma_buf_end_cpu_access(hb->ptr, dir);
		break;
	case 2:
		ret = dma_buf_vmap(hb->ptr, &map);
		/* The model has no MMU: a scattered system buffer cannot be vmapped. */
		want = ret == -EINVAL && !hb->vmaps && !is_protected_heap(hb->heap) ? ret : want;
		if (!ret && (!map.vaddr || map.is_null || (hb->vmaps && map.vaddr != hb->vaddr)))
			fail("vmap gave no mapping, or another than the live one");
		if (!ret)
			scan("a vmap", map.vaddr, MIN(hb->size, (u64)H_VSCAN));
		hb->vmaps += !ret;
		hb->vaddr = ret ? hb->vaddr : map.vaddr;
		break;
	default:
		ret = want = 0;
		map.vaddr = (how & 16) || !hb->vmaps ? (void *)&h_marker : hb->vaddr;
		hz.warns += map.vaddr != hb->vaddr || !hb->vmaps;
		dma_buf_vunmap(hb->ptr, &map);
		hb->vmaps -= map.vaddr == hb->vaddr && hb->vmaps;
	}
	if (ret != want)
		fail("CPU access %u of a %s buffer returned %ld, not %ld", how % 4,
		     h_heap_names[hb->heap], ret, want);
}

/* ---- TEE shared memory ---- */

static int shm_free_slot(void)
{
	for (int i = 0; i < H_SHMS; i++)
		if (!hz.shms[i].shm)
			return i;
	return -1;
}

/* A registered shm is its buffer's range: size, physical address, bounds. */
static void shm_added(int i, struct tee_shm *shm, int b)
{
	phys_addr_t pa = 0;

	if (tee_shm_get_size(shm) != hz.bufs[b].size || tee_shm_get_id(shm) <= 0 ||
	    tee_shm_get_pa(shm, 0, &pa) || pa != hz.bufs[b].pa ||
	    tee_shm_get_pa(shm, hz.bufs[b].size, &pa) != -EINVAL)
		fail("a shm of a %llu-byte buffer at 0x%llx has size %zu, id %d, pa 0x%llx",
		     (unsigned long long)hz.bufs[b].size, (unsigned long long)hz.bufs[b].pa,
		     tee_shm_get_size(shm), tee_shm_get_id(shm), (unsigned long long)pa);
	hz.shms[i] = (struct h_shm){ shm, b };
	hz.bufs[b].shms++;
}

/* tee_shm_register_fd(): flags, context and process first, then the fd, then the buffer. */
static void shm_register_fd(struct h_proc *hp, int fd, u32 fl)
{
	u32 flags = fl >= 0xf0 ? fl : 0;
	struct tee_context *ctx = fl == 0xe0 ? NULL : hz.ctx;
	struct process *p = fl == 0xe1 ? NULL : &hp->p;
	const struct h_fd *f = fd_of(hp, fd);
	int i = shm_free_slot();
	long want;
	struct tee_shm *shm;

	if (i < 0)
		return;
	if (flags || !ctx || !p)
		want = -EINVAL;
	else if (!f)
		want = -EBADF;
	else
		want = f->kind == H_FD_BUF && is_protected_heap(hz.bufs[f->buf].heap) ? 0 : -EINVAL;
	shm = tee_shm_register_fd(ctx, p, fd, flags);
	if (IS_ERR(shm) ? PTR_ERR(shm) != want : want != 0)
		fail("tee_shm_register_fd(%d, 0x%x) returned %ld, not %ld", fd, flags,
		     IS_ERR(shm) ? PTR_ERR(shm) : 0, want);
	if (!IS_ERR(shm))
		shm_added(i, shm, f->buf);
}

/* A kernel user's buffer: only a protected one of the TEE's heaps registers. */
static void shm_register_kref(u32 sel)
{
	int slot = 0, b = kref_pick(sel, &slot), i = shm_free_slot();
	struct tee_shm *shm;
	long want;

	if (b < 0 || i < 0)
		return;
	want = is_protected_heap(hz.bufs[b].heap) ? 0 : -EINVAL;
	shm = tee_shm_register_dma_buf(hz.ctx, hz.bufs[b].ptr);
	if (IS_ERR(shm) ? PTR_ERR(shm) != want : want != 0)
		fail("tee_shm_register_dma_buf() of a %s buffer returned %ld, not %ld",
		     h_heap_names[hz.bufs[b].heap], IS_ERR(shm) ? PTR_ERR(shm) : 0, want);
	if (!IS_ERR(shm))
		shm_added(i, shm, b);
}

static void shm_release(struct h_shm *s)
{
	tee_shm_free(s->shm);
	hz.bufs[s->buf].shms--;
	*s = (struct h_shm){ 0 };
}

/* sel8 p8 fd8 fl8: register by fd (0, 1), by kernel reference (2), free (3) */
static void op_shm(struct input *in)
{
	u32 sel = take(in, 1);
	struct h_proc *hp = pick_proc(in);
	int fd = pick_fd(hp, take(in, 1));
	u32 fl = take(in, 1);

	if (sel % 4 < 2)
		shm_register_fd(hp, fd, fl);
	else if (sel % 4 == 2)
		shm_register_kref(fl);
	else if (hz.shms[fl % H_SHMS].shm)
		shm_release(&hz.shms[fl % H_SHMS]);
}

/* ---- forged protected-memory SMCs ---- */

/* The harness's SMC page @i (the guard page before it is not counted). */
static u64 smc_page(unsigned int i)
{
	return hz.smc_pa + (u64)(i + 1) * PAGE_SIZE;
}

static u32 smc_mask(unsigned int first, unsigned int n)
{
	return (u32)((1ULL << (first + n)) - (1ULL << first));
}

static struct arm_smccc_res smc(u32 cpu, u32 func, u64 base, u64 size)
{
	struct arm_smccc_res res;

	tee_smc_call(hz.m.soc, &hz.m.soc->cpus[cpu % hz.m.soc->nr_cpus], func, (u32)(base >> 32),
		     (u32)base, (u32)size, &res);
	return res;
}

/* PROTMEM_INFO, checked against the secure side's own figures. */
static struct arm_smccc_res smc_info(u32 cpu)
{
	struct arm_smccc_res res = smc(cpu, TEE_SMC_PROTMEM_INFO, 0, 0);
	struct tee_protmem_info info;

	tee_protmem_info(&hz.m.tee, &info);
	if (res.a0 != TEE_SUCCESS || res.a1 != info.regions_free ||
	    res.a2 != (u32)(info.bytes >> 10) || res.a3 != info.windows)
		fail("PROTMEM_INFO answered 0x%lx %lu %lu %lu", res.a0, res.a1, res.a2, res.a3);
	return res;
}

/* What the TEE answers for the harness's pages [first, first + n) (docs/tee.md). */
static u32 own_expect(u32 func, unsigned int first, unsigned int n)
{
	u32 m = smc_mask(first, n);
	bool below = first && (hz.assigned & BIT(first - 1));
	bool above = first + n < H_SMC_PAGES && (hz.assigned & BIT(first + n));
	bool region = smc_info(0).a1 > 0;

	if (func == TEE_SMC_PROTMEM_ASSIGN) {
		if (hz.assigned & m)
			return TEE_ERROR_ACCESS_DENIED;
		return below || above || region ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
	}
	if ((hz.assigned & m) != m)
		return TEE_ERROR_ACCESS_DENIED;
	return !(below && above) || region ? TEE_SUCCESS : TEE_ERROR_OUT_OF_MEMORY;
}

/* Accepted: the pages are protected (and marked), or normal again and scrubbed. */
static void own_done(u32 func, unsigned int first, unsigned int n)
{
	u64 base = smc_page(first), size = (u64)n * PAGE_SIZE;
	const u8 *p = bus_ram_backdoor(hz.m.soc->bus, base, size);

	if (func == TEE_SMC_PROTMEM_ASSIGN) {
		hz.assigned |= smc_mask(first, n);
		if (!tee_range_protected(&hz.m.tee, base, size))
			fail("assigned pages [0x%llx, +0x%llx) are not protected",
			     (unsigned long long)base, (unsigned long long)size);
		for (unsigned int i = 0; i < n; i++)
			mark(base + (u64)i * PAGE_SIZE);
		return;
	}
	hz.assigned &= ~smc_mask(first, n);
	if (!tee_range_normal(&hz.m.tee, base, size))
		fail("released pages [0x%llx, +0x%llx) are not normal", (unsigned long long)base,
		     (unsigned long long)size);
	for (u64 i = 0; i < size; i++)
		if (p[i])
			fail("released page byte 0x%llx is 0x%02x: not scrubbed",
			     (unsigned long long)(base + i), p[i]);
}

/* The TEE's refusal of a range not the harness's: malformed, not RAM, or not its to give. */
static u32 refusal(u32 func, u64 base, u64 size)
{
	if (!size || !IS_ALIGNED(base | size, (u64)PAGE_SIZE) || base + size <= base)
		return TEE_ERROR_BAD_PARAMETERS;
	if (func == TEE_SMC_PROTMEM_ASSIGN && !bus_ram_backdoor(hz.m.soc->bus, base, size))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_ERROR_ACCESS_DENIED;
}

/* Would the call change memory the harness does not own (a heap's, the kernel's)? */
static bool smc_unsafe(u32 func, u64 base, u64 size)
{
	const struct tee *t = &hz.m.tee;

	if (refusal(func, base, size) == TEE_ERROR_BAD_PARAMETERS)
		return false;
	if (func == TEE_SMC_PROTMEM_ASSIGN)
		return tee_range_normal(t, base, size);
	return tee_range_protected(t, base, size) &&
	       !tee_range_inside(base, size, t->prot_base, t->prot_size);
}

/* A range of class @cls: the harness's pages, malformed ones, protected memory, not RAM, raw. */
static u64 smc_range(struct input *in, u32 cls, u32 a, u32 b, u64 *size)
{
	const struct tee *t = &hz.m.tee;
	static const u64 far[] = { 0x01dfa000ULL, 0xc0000000ULL - PAGE_SIZE, 0xc0000000ULL,
				   0x100000000ULL, 0x80000000ULL - PAGE_SIZE };
	unsigned int first = a % H_SMC_PAGES;

	*size = (u64)(b + 1) * PAGE_SIZE;
	switch (cls % 10) {
	case 0: case 1: case 2:
		*size = (u64)(1 + b % (H_SMC_PAGES - first)) * PAGE_SIZE;
		return smc_page(first);
	case 3:
		*size = b & 1 ? PAGE_SIZE : b & 2 ? 0 : b + 1;
		return smc_page(first) + (b & 1 ? (b >> 1 | 1) : 0);
	case 4:
		for (unsigned int n = 0, i = 0; i < H_BUFS; i++) {
			const struct h_buf *hb = &hz.bufs[i];

			if (hb->ptr && is_protected_heap(hb->heap) && n++ == a % 4)
				return hb->pa + (b % (hb->size / PAGE_SIZE)) * PAGE_SIZE;
		}
		return t->prot_base;
	case 5:
		return t->prot_base + (u64)a * 64 * PAGE_SIZE % t->prot_size;
	case 6:
		return t->priv_base + (u64)a * PAGE_SIZE % t->priv_size;
	case 7:
		return far[a % ARRAY_SIZE(far)];
	case 8:
		*size = (u64)(a + 1 + (b & 1)) * PAGE_SIZE;
		return (~0ULL & ~(u64)(PAGE_SIZE - 1)) - (u64)a * PAGE_SIZE;
	default:
		*size = take(in, 4);
		return (u64)take(in, 4) << 32 | take(in, 4);
	}
}

/* Is [base, +size) a whole number of the harness's SMC pages? */
static bool smc_own(u64 base, u64 size, unsigned int *first, unsigned int *n)
{
	if (!size || !IS_ALIGNED(base | size, (u64)PAGE_SIZE) ||
	    !tee_range_inside(base, size, smc_page(0), H_SMC_PAGES * PAGE_SIZE))
		return false;
	*first = (unsigned int)((base - smc_page(0)) / PAGE_SIZE);
	*n = (unsigned int)(size / PAGE_SIZE);
	return true;
}

/* func8 cls8 a8 b8 [size32 hi32 lo32]: ASSIGN, RELEASE or INFO from a normal CPU */
static void op_smc(struct input *in)
{
	u32 fsel = take(in, 1), cls = take(in, 1), a = take(in, 1), b = take(in, 1);
	u32 func = TEE_SMC_PROTMEM_ASSIGN + fsel % 3, want, got;
	struct tee_protmem_info before, after;
	unsigned int first, n;
	u64 size, base = smc_range(in, cls, a, b, &size);
	bool own = smc_own(base, size, &first, &n);

	if (func == TEE_SMC_PROTMEM_INFO) {
		smc_info(fsel >> 2);
		return;
	}
	if (!own && smc_unsafe(func, base, size))
		return;
	want = own ? own_expect(func, first, n) : refusal(func, base, size);
	tee_protmem_info(&hz.m.tee, &before);
	got = (u32)smc(fsel >> 2, func, base, size).a0;
	tee_protmem_info(&hz.m.tee, &after);
	if (got != want)
		fail("PROTMEM 0x%08x of [0x%llx, +0x%llx) answered 0x%x, not 0x%x", func,
		     (unsigned long long)base, (unsigned long long)size, got, want);
	if (got == TEE_SUCCESS) {
		own_done(func, first, n);
		return;
	}
	if (after.bytes != before.bytes || after.windows != before.windows ||
	    after.refusals != before.refusals + 1)
		fail("a refused PROTMEM call changed the windows or was not counted");
}

/* ---- the CPUs, the simulation ---- */

/* sel8 off16 n8: a normal CPU loads from protected memory: zeros, and an external abort */
static void op_peek(struct input *in)
{
	u32 sel = take(in, 1), off = take(in, 2), n = take(in, 1) % 64 + 1, k = sel % 8;
	struct cpu *c = &hz.m.soc->cpus[(sel >> 3) % hz.m.soc->nr_cpus];
	u64 base = 0, size = 0, at, aborts = c->aborts;
	u8 got[64];

	for (unsigned int i = 0; i < H_BUFS && !size; i++) {
		if (hz.bufs[i].ptr && is_protected_heap(hz.bufs[i].heap) && !k--) {
			base = hz.bufs[i].pa;
			size = hz.bufs[i].size;
		}
	}
	for (unsigned int i = 0; i < H_SMC_PAGES && !size; i++) {
		if (hz.assigned & BIT(i)) {
			base = smc_page(i);
			size = PAGE_SIZE;
		}
	}
	if (!size)
		return;
	at = base + off % size;
	n = (u32)MIN((u64)n, base + size - at);
	memset(got, 0xa5, sizeof(got));
	cpu_read(c, at, got, n);
	for (u32 i = 0; i < n; i++)
		if (got[i])
			fail("a normal CPU read 0x%02x from protected memory at 0x%llx", got[i],
			     (unsigned long long)(at + i));
	if (c->aborts == aborts)
		fail("a normal CPU read protected memory without an external abort");
	hz.may_abort = true;
}

/* Up to @n steps within the operations' budget; false once nothing is ready. */
static bool steps(u64 n, u64 budget)
{
	for (; n && hz.op_steps < budget; n--, hz.op_steps++) {
		if (!sim_step_once(hz.m.sim))
			return false;
		check_violations();
	}
	return true;
}

static void op_steps(struct input *in)
{
	steps(take(in, 1) + 1, H_OP_STEPS);
}

/* p8 heap8 len8 [..] ff8: open a heap's node, a well-formed ALLOC in the scratch memory, close */
static void op_quick(struct input *in)
{
	struct h_proc *hp = pick_proc(in);
	unsigned int heap = take(in, 1) % H_HEAPS;
	struct dma_heap_allocation_data d = { .len = pick_len(in) };
	int fd;

	d.fd_flags = pick_fd_flags(in);
	if (!hp->live || !hp->scratch)
		return;
	fd = open_path(hp, heap, O_RDWR);
	if (fd < 0)
		return;
	memcpy(h_wbuf, &d, sizeof(d));
	put_arg(hp, hp->scratch, sizeof(d));
	heap_ioctl(hp, fd, DMA_HEAP_IOCTL_ALLOC, hp->scratch);
	close_fd(hp, fd);
}

static void (*const ops[])(struct input *in) = {
	op_proc, op_open, op_ioctl, op_close, op_mmap, op_munmap, op_user, op_lseek, op_kget,
	op_kput, op_heap, op_kalloc, op_attach, op_map, op_unmap, op_detach, op_cpu, op_shm,
	op_smc, op_peek, op_steps, op_quick,
};

/* ---- the machine ---- */

/* A device for a DT node no driver binds (the display has no driver yet, the TZC no NSAID). */
static void node_device(struct device *dev, const char *compatible)
{
	struct dt_node *np = dt_find_compatible(hz.m.dt, NULL, compatible);

	if (!np)
		fail("the board has no %s node", compatible);
	*dev = (struct device){ .name = np->path, .of_node = np };
}

static void h_devices(void)
{
	struct device *tee = driver_core_bound_device(&hz.m.kernel.dc, hz.m.soc->tee_node);

	if (!tee)
		fail("the TEE driver is not bound");
	hz.owner = dev_get_drvdata(tee);
	hz.devp[H_DEV_QCE] = driver_core_find(&hz.m.kernel.dc, hz.m.soc->qce_node);
	if (!hz.devp[H_DEV_QCE])
		fail("no QCE device");
	node_device(&hz.dev[H_DEV_DISPLAY], "secsoc,display");
	node_device(&hz.dev[H_DEV_TZC], "arm,tzc400");
	hz.dev[H_DEV_NONE] = (struct device){ .name = "no-node" };
	for (unsigned int i = H_DEV_DISPLAY; i < H_DEVS; i++)
		hz.devp[i] = &hz.dev[i];
}

static void h_boot(u32 cfg)
{
	struct sim_config sc = { .seed = cfg >> 3, .max_steps = H_OP_STEPS + H_END_STEPS };
	struct secsoc_error err = { 0 };

	memset(&hz, 0, sizeof(hz));
	if (cfg & 4)
		sc.strategy = &sim_strategy_random;
	if (machine_open(&hz.m, NULL, NULL, &sc, SCENARIO_NEEDS_SECURE_WORLD, &err))
		fail("boot: %s", err.msg);
	hz.ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	if (IS_ERR(hz.ctx))
		fail("no TEE client context: %ld", PTR_ERR(hz.ctx));
	h_devices();
	for (unsigned int i = 0; i < H_KREFS; i++)
		hz.kref[i] = -1;
	hz.smc_mem = alloc_pages_exact((H_SMC_PAGES + 2) * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	if (!hz.smc_mem)
		fail("no pages for the SMC area");
	hz.smc_pa = virt_to_phys(hz.smc_mem);
	hz.files0 = file_stats().live_files;
	hz.heaps0 = dma_heap_stats().registered;
	if (dma_buf_stats().live || hz.heaps0 < H_HEAPS)
		fail("boot: %llu dma-bufs, %llu heaps", (unsigned long long)dma_buf_stats().live,
		     (unsigned long long)hz.heaps0);
	for (unsigned int i = 0; i <= (cfg & 3) % H_PROCS; i++)
		proc_start(&hz.procs[i], i);
	sweep();
}

/* One operation, then the model against the kernel, warnings and aborts included. */
static void h_run_op(struct input *in)
{
	u64 warns = warn_count(), aborts = normal_aborts();

	hz.warns = 0;
	hz.may_abort = false;
	ops[take(in, 1) % ARRAY_SIZE(ops)](in);
	check_violations();
	sweep();
	if (warn_count() - warns != hz.warns)
		fail("%llu warnings where %llu were due; the last: %s",
		     (unsigned long long)(warn_count() - warns), (unsigned long long)hz.warns,
		     warn_last());
	if (!hz.may_abort && normal_aborts() != aborts)
		fail("a normal-world CPU took an external abort");
}

/* Everything the harness holds goes, users before references: no warning is due. */
static void h_release_all(void)
{
	u64 warns = warn_count();

	hz.warns = 0;
	for (unsigned int i = 0; i < H_ATTS; i++) {
		struct h_att *t = &hz.atts[i];

		if (t->a && t->sgt)
			dma_buf_unmap_attachment_unlocked(t->a, t->sgt, t->dir);
		if (t->a)
			dma_buf_detach(hz.bufs[t->buf].ptr, t->a);
		*t = (struct h_att){ 0 };
	}
	for (unsigned int b = 0; b < H_BUFS; b++) {
		struct iosys_map map = { .vaddr = hz.bufs[b].vaddr };

		for (; hz.bufs[b].vmaps; hz.bufs[b].vmaps--)
			dma_buf_vunmap(hz.bufs[b].ptr, &map);
	}
	for (unsigned int i = 0; i < H_SHMS; i++)
		if (hz.shms[i].shm)
			shm_release(&hz.shms[i]);
	for (unsigned int i = 0; i < H_KREFS; i++)
		if (hz.kref[i] >= 0)
			dma_buf_put(hz.bufs[hz.kref[i]].ptr);
	for (unsigned int b = 0; b < H_BUFS; b++)
		hz.bufs[b].krefs = 0;
	for (unsigned int i = 0; i < H_HREFS; i++)
		dma_heap_put(hz.href[i]);
	for (unsigned int p = 0; p < H_PROCS; p++)
		if (hz.procs[p].live)
			proc_exit(&hz.procs[p]);
	sweep();
	if (warn_count() != warns || hz.warns)
		fail("releasing everything properly warned: %s", warn_last());
}

/* The harness's protected pages go back, run by run (whole windows). */
static void h_release_smc(void)
{
	for (unsigned int i = 0; i < H_SMC_PAGES; i++) {
		unsigned int n = 0;

		while (i + n < H_SMC_PAGES && (hz.assigned & BIT(i + n)))
			n++;
		if (!n)
			continue;
		if (smc(0, TEE_SMC_PROTMEM_RELEASE, smc_page(i), (u64)n * PAGE_SIZE).a0 !=
		    TEE_SUCCESS)
			fail("the TEE refused to release a whole window of the harness");
		own_done(TEE_SMC_PROTMEM_RELEASE, i, n);
		i += n;
	}
}

/* Nothing left anywhere; then the kernel shuts down cleanly. */
static void h_teardown(void)
{
	struct sim *sim = hz.m.sim;
	struct arm_smccc_res info;

	h_release_all();
	h_release_smc();
	hz.op_steps = 0;
	if (steps(H_END_STEPS, H_END_STEPS))
		fail("no quiescence after %u steps", H_END_STEPS);
	check_stats();
	info = smc_info(0);
	if (dma_buf_stats().live || file_stats().live_files != hz.files0 ||
	    file_stats().processes || tee_shm_stats().live || protected_heap_stats().buffers ||
	    info.a2 || info.a3)
		fail("left at the end: %llu dma-bufs, %llu files, %lu windows",
		     (unsigned long long)dma_buf_stats().live,
		     (unsigned long long)file_stats().live_files, info.a3);
	free_pages_exact(hz.smc_mem, (H_SMC_PAGES + 2) * PAGE_SIZE);
	tee_client_close_context(hz.ctx);
	driver_core_remove_all(&hz.m.kernel.dc);
	check_violations();
	fuzz_check_released(HARNESS);
	kernel_shutdown(&hz.m.kernel);
	hz.m.kernel_up = false;
	fuzz_check_violations(HARNESS, sim);
	machine_close(&hz.m);
}

/**
 * LLVMFuzzerTestOneInput - boot the default board as the first byte says,
 * run the rest as processes' and kernel users' calls on the buffer-sharing
 * ABI, judging each, then release everything and check nothing is left
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	if (!h_marker_hash)
		marker_init();
	h_boot(take(&in, 1));
	for (unsigned int n = 0; in.left && n < H_OPS_MAX; n++)
		h_run_op(&in);
	h_teardown();
	return 0;
}
