/*
 * heap_security_api.c - the heap-security attacks that go through kernel
 * interfaces (scenarios/heap_security.h): CPU mappings of a protected
 * dma-buf (mmap, vmap, begin_cpu_access, DMA_BUF_IOCTL_SYNC), attaching
 * devices, misuse of dma-buf references and fds, and removing a heap under
 * live buffers. Also the attacker itself: its process, its TEE context, and
 * the victim buffer every attack aims at.
 *
 * Each attack is one call (or a few) on the attacker's CPU; the refusal
 * comes from the protected exporter (drivers/heaps/protected.c), the
 * dma-buf core, the fd table or the dma-heap core, and the counters of
 * those layers show the mechanism at work.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bug.h>
#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/kernel.h>

#include "scenarios/heap_security.h"

#define HS_SV_HEAP "protected,secure-video"
#define HS_TEST_HEAP "heap-security,removable"
#define HS_DEV_DIR "/dev/dma_heap/"

/* Devices the secure world may grant, best control first: the display reads, the GPU writes. */
static const char *const hs_granted_compatibles[] = { "secsoc,display", "arm,mali-valhall-csf" };

/* ---- the attacker and its victim ---- */

static int hs_open_process(struct hsec *s, struct secsoc_error *err)
{
	const char *src = s->m->dt->source;

	if (process_init(&s->proc, "attacker", hs_cpu_of(s, HS_NW0)))
		return internal_error(err, "heap-security: no attacker process");
	s->proc_live = true;
	s->uarg = process_alloc_user(&s->proc, PAGE_SIZE);
	s->page = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	if (!s->uarg || !s->page)
		return internal_error(err, "heap-security: out of memory for the attacker");
	s->sv_fd = sys_open(&s->proc, HS_DEV_DIR HS_SV_HEAP, O_RDWR);
	s->sv_heap = dma_heap_find(HS_SV_HEAP);
	s->sys_heap = dma_heap_find("system");
	if (s->sv_fd < 0 || !s->sv_heap)
		return input_error(err, "%s: heap-security needs the %s heap, which the TEE driver "
				   "offers when the secure firmware has a protected-memory service",
				   src, HS_SV_HEAP);
	if (!s->sys_heap)
		return internal_error(err, "heap-security: no system heap");
	s->ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	if (IS_ERR(s->ctx)) {
		s->ctx = NULL;
		return input_error(err, "%s: heap-security needs the TEE driver bound to the "
				   "secure world's node", src);
	}
	return 0;
}

/* The victim: a secure-video buffer the process allocated; the kernel learns its address. */
static int hs_open_victim(struct hsec *s, struct secsoc_error *err)
{
	phys_addr_t pa = 0;

	s->victim_fd = hs_heap_alloc_fd(s, s->sv_fd, HS_VICTIM_SIZE);
	if (s->victim_fd < 0)
		return internal_error(err, "heap-security: the victim buffer: %s",
				      hs_errno(s->victim_fd));
	s->victim = dma_buf_get(&s->proc, s->victim_fd);
	if (IS_ERR(s->victim)) {
		s->victim = NULL;
		return internal_error(err, "heap-security: the victim's fd is no dma-buf");
	}
	s->victim_shm = tee_shm_register_dma_buf(s->ctx, s->victim);
	if (IS_ERR(s->victim_shm) || tee_shm_get_pa(s->victim_shm, 0, &pa)) {
		s->victim_shm = NULL;
		return internal_error(err, "heap-security: the TEE refused the victim as shm");
	}
	s->victim_pa = pa;
	if (pa + HS_VICTIM_SIZE > BIT_ULL(32))
		return input_error(err, "%s: heap-security needs protected memory below 4 GiB "
				   "(BAM addresses are 32 bits); the victim is at 0x%llx",
				   s->m->dt->source, (unsigned long long)pa);
	return 0;
}

/* The first device of hs_granted_compatibles that the secure world lets in. */
static void hs_find_granted(struct hsec *s)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(hs_granted_compatibles); i++) {
		struct dt_node *np = dt_find_compatible(s->m->dt, NULL, hs_granted_compatibles[i]);
		int nsaid;

		if (!np)
			continue;
		s->granted = (struct device){ .name = np->path, .of_node = np };
		nsaid = protected_device_nsaid(&s->granted);
		if (nsaid >= 0 && s->acc.nsaid[nsaid]) {
			s->has_granted = true;
			s->granted_rights = s->acc.nsaid[nsaid];
			return;
		}
	}
}

static const char *hs_rights(u8 rights)
{
	if (rights == (SOC_PROTECTED_READ | SOC_PROTECTED_WRITE))
		return "read-write";
	return rights == SOC_PROTECTED_READ ? "read-only" : "write-only";
}

static void hs_api_expect(struct hsec *s)
{
	hs_expect(s, HS_MMAP, "-EPERM");
	hs_expect(s, HS_VMAP, "-EPERM");
	hs_expect(s, HS_BEGIN_CPU_ACCESS, "begin -EPERM, end -EPERM");
	hs_expect(s, HS_SYNC_IOCTL, "SYNC_START -EPERM, SYNC_END -EPERM");
	hs_expect(s, HS_ATTACH_QCE, "-EBUSY");
	if (s->has_granted)
		hs_expect(s, HS_ATTACH_GRANTED, "%s attached, 1 entry in protected memory (%s)",
			  s->granted.of_node->name, hs_rights(s->granted_rights));
	else
		hs_expect(s, HS_ATTACH_GRANTED, "no device the secure world grants");
	hs_expect(s, HS_DOUBLE_PUT, "1 WARN, released once");
	hs_expect(s, HS_USE_AFTER_PUT, "begin_cpu_access -EINVAL, attach -EINVAL, 2 WARNs");
	hs_expect(s, HS_CLOSED_FD, "dma_buf_get -EBADF, ioctl -EBADF, shm register -EBADF");
	hs_expect(s, HS_HEAP_REMOVAL, "find none, open -ENOENT, alloc -EINVAL, live buffer "
		  "mapped, freed at its last reference");
}

int hs_api_setup(struct hsec *s, struct secsoc_error *err)
{
	struct soc *soc = s->m->soc;
	int ret = hs_open_process(s, err);

	if (!ret)
		ret = hs_open_victim(s, err);
	if (!ret)
		ret = soc_protected_access_parse(soc->tee_node, &s->acc, err);
	if (ret)
		return ret;
	s->qce = soc->qce_node ? driver_core_find(&s->m->kernel.dc, soc->qce_node) : NULL;
	if (!s->qce)
		return input_error(err, "%s: heap-security needs a crypto engine (a qcom,qce "
				   "node), which the board lacks", s->m->dt->source);
	hs_find_granted(s);
	hs_api_expect(s);
	return 0;
}

void hs_api_release(struct hsec *s)
{
	tee_shm_free(s->victim_shm);
	if (s->victim)
		dma_buf_put(s->victim);
	s->victim_shm = NULL;
	s->victim = NULL;
	if (s->proc_live)
		process_exit(&s->proc);		/* closes the victim's fd and the heap's */
	s->proc_live = false;
	if (s->ctx)
		tee_client_close_context(s->ctx);
	s->ctx = NULL;
	dma_heap_put(s->sv_heap);
	dma_heap_put(s->sys_heap);
	s->sv_heap = s->sys_heap = NULL;
	if (s->page)
		free_pages_exact(s->page, PAGE_SIZE);
	s->page = NULL;
}

/* ---- CPU mappings: the exporter refuses every one with -EPERM ---- */

static u64 hs_refused_cpu(void)
{
	return protected_heap_stats().refused_cpu;
}

/* A mapping that succeeded (it must not) is undone; the row says what happened. */
static const char *hs_mmap_outcome(struct hsec *s, s64 ret)
{
	if (ret < 0)
		return hs_errno(ret);
	sys_munmap(&s->proc, (u64)ret, HS_VICTIM_SIZE);
	return "MAPPED";
}

/* DMA_BUF_IOCTL_SYNC with @flags on @fd, by the process. */
static long hs_sync(struct hsec *s, int fd, u64 flags)
{
	struct dma_buf_sync sync = { flags };

	if (process_write(&s->proc, s->uarg, &sync, sizeof(sync)))
		return -EFAULT;
	return sys_ioctl(&s->proc, fd, DMA_BUF_IOCTL_SYNC, s->uarg);
}

void hs_cpu_mappings(struct hsec *s)
{
	struct iosys_map map = { 0 };
	u64 n = hs_refused_cpu();
	s64 addr = sys_mmap(&s->proc, HS_VICTIM_SIZE, PROT_READ, MAP_SHARED, s->victim_fd, 0);
	long ret, end;

	hs_observe(s, HS_MMAP, hs_refused_cpu() == n + 1, "%s", hs_mmap_outcome(s, addr));
	n = hs_refused_cpu();
	ret = dma_buf_vmap(s->victim, &map);
	if (!ret)
		dma_buf_vunmap(s->victim, &map);
	hs_observe(s, HS_VMAP, hs_refused_cpu() == n + 1, "%s", ret ? hs_errno(ret) : "MAPPED");
	n = hs_refused_cpu();
	ret = dma_buf_begin_cpu_access(s->victim, DMA_BIDIRECTIONAL);
	end = dma_buf_end_cpu_access(s->victim, DMA_BIDIRECTIONAL);
	hs_observe(s, HS_BEGIN_CPU_ACCESS, hs_refused_cpu() == n + 2, "begin %s, end %s",
		   hs_errno(ret), hs_errno(end));
	n = hs_refused_cpu();
	ret = hs_sync(s, s->victim_fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_RW);
	end = hs_sync(s, s->victim_fd, DMA_BUF_SYNC_END | DMA_BUF_SYNC_RW);
	hs_observe(s, HS_SYNC_IOCTL, hs_refused_cpu() == n + 2, "SYNC_START %s, SYNC_END %s",
		   hs_errno(ret), hs_errno(end));
}

/* ---- attach: the exporter refuses a device that cannot reach protected memory ---- */

/*
 * @dev attaches to @buf and maps it for reading; *@ok says whether the map
 * was one entry in protected memory (at @pa, unless 0). Return: 0, or the
 * attach error.
 */
static int hs_device_maps(struct hsec *s, struct dma_buf *buf, struct device *dev, u64 pa,
			  bool *ok)
{
	struct dma_buf_attachment *a = dma_buf_attach(buf, dev);
	struct sg_table *sgt;

	*ok = false;
	if (IS_ERR(a))
		return (int)PTR_ERR(a);
	sgt = dma_buf_map_attachment_unlocked(a, DMA_TO_DEVICE);
	if (!IS_ERR(sgt)) {
		*ok = sgt->nents == 1 && (!pa || sg_dma_address(&sgt->sgl[0]) == pa) &&
		      tee_range_protected(&s->m->tee, sg_dma_address(&sgt->sgl[0]),
					  sg_dma_len(&sgt->sgl[0]));
		dma_buf_unmap_attachment_unlocked(a, sgt, DMA_TO_DEVICE);
	}
	dma_buf_detach(buf, a);
	return 0;
}

static void hs_attach_granted(struct hsec *s)
{
	bool mapped;
	int ret;

	if (!s->has_granted) {
		hs_observe(s, HS_ATTACH_GRANTED, true, "no device the secure world grants");
		return;
	}
	ret = hs_device_maps(s, s->victim, &s->granted, s->victim_pa, &mapped);
	if (ret) {
		hs_observe(s, HS_ATTACH_GRANTED, false, "%s refused: %s", s->granted.of_node->name,
			   hs_errno(ret));
		return;
	}
	hs_observe(s, HS_ATTACH_GRANTED, mapped, "%s attached, %s (%s)", s->granted.of_node->name,
		   mapped ? "1 entry in protected memory" : "a WRONG mapping",
		   hs_rights(s->granted_rights));
}

void hs_attach(struct hsec *s)
{
	u64 refused = protected_heap_stats().refused_attach;
	struct dma_buf_attachment *a = dma_buf_attach(s->victim, s->qce);

	if (!IS_ERR(a))
		dma_buf_detach(s->victim, a);
	hs_observe(s, HS_ATTACH_QCE, protected_heap_stats().refused_attach == refused + 1, "%s",
		   IS_ERR(a) ? hs_errno(PTR_ERR(a)) : "ATTACHED");
	hs_attach_granted(s);
}

/* ---- references and fds ---- */

static void hs_double_put(struct hsec *s)
{
	struct dma_buf *buf = dma_heap_buffer_alloc(s->sv_heap, PAGE_SIZE, O_RDWR, 0);
	struct dma_buf_stats before = dma_buf_stats();
	u64 warns = warn_count();

	if (IS_ERR(buf)) {
		hs_observe(s, HS_DOUBLE_PUT, false, "no buffer: %s", hs_errno(PTR_ERR(buf)));
		return;
	}
	dma_buf_put(buf);
	dma_buf_put(buf);
	hs_observe(s, HS_DOUBLE_PUT, warn_count() == warns + 1, "%llu WARN, released %s",
		   (unsigned long long)(warn_count() - warns),
		   dma_buf_stats().released == before.released + 1 ? "once" : "NOT once");
}

static void hs_use_after_put(struct hsec *s)
{
	struct dma_buf *buf = dma_heap_buffer_alloc(s->sv_heap, PAGE_SIZE, O_RDWR, 0);
	struct dma_buf_attachment *a;
	u64 warns = warn_count();
	int begin;

	if (IS_ERR(buf)) {
		hs_observe(s, HS_USE_AFTER_PUT, false, "no buffer: %s", hs_errno(PTR_ERR(buf)));
		return;
	}
	dma_buf_put(buf);	/* the last reference: @buf is stale from here on */
	begin = dma_buf_begin_cpu_access(buf, DMA_BIDIRECTIONAL);
	a = dma_buf_attach(buf, s->qce);
	hs_observe(s, HS_USE_AFTER_PUT, warn_count() == warns + 2,
		   "begin_cpu_access %s, attach %s, %llu WARNs", hs_errno(begin),
		   IS_ERR(a) ? hs_errno(PTR_ERR(a)) : "ATTACHED",
		   (unsigned long long)(warn_count() - warns));
}

static void hs_closed_fd(struct hsec *s)
{
	int fd = hs_heap_alloc_fd(s, s->sv_fd, PAGE_SIZE);
	struct dma_buf *buf;
	struct tee_shm *shm;
	long ioctl;

	if (fd < 0 || sys_close(&s->proc, fd)) {
		hs_observe(s, HS_CLOSED_FD, false, "no buffer to close: %s", hs_errno(fd));
		return;
	}
	buf = dma_buf_get(&s->proc, fd);
	if (!IS_ERR(buf))
		dma_buf_put(buf);
	ioctl = hs_sync(s, fd, DMA_BUF_SYNC_START | DMA_BUF_SYNC_READ);
	shm = tee_shm_register_fd(s->ctx, &s->proc, fd, 0);
	if (!IS_ERR(shm))
		tee_shm_free(shm);
	hs_observe(s, HS_CLOSED_FD, ioctl == -EBADF, "dma_buf_get %s, ioctl %s, shm register %s",
		   IS_ERR(buf) ? hs_errno(PTR_ERR(buf)) : "A BUFFER", hs_errno(ioctl),
		   IS_ERR(shm) ? hs_errno(PTR_ERR(shm)) : "REGISTERED");
}

void hs_misuse(struct hsec *s)
{
	hs_double_put(s);
	hs_use_after_put(s);
	hs_closed_fd(s);
}

/* ---- heap removal under live buffers ---- */

/* The test heap's conduit to the protected-memory service: an SMC from this CPU. */
static void hs_test_heap_smc(u32 func, u32 a1, u32 a2, u32 a3, struct arm_smccc_res *res)
{
	struct kernel *k = kernel_current();
	struct cpu *c = cpu_current();

	tee_smc_call(k->soc, c ? c : &k->soc->cpus[0], func, a1, a2, a3, res);
}

/* What the row holds: the heap's fd, a buffer's fd, the buffer and a find reference. */
struct hs_removal {
	struct protected_heap *ph;
	struct dma_heap *found;
	int heap_fd, buf_fd;
	struct dma_buf *buf;
};

static int hs_removal_open(struct hsec *s, struct hs_removal *r)
{
	struct protected_pool *pool = secure_video_pool_create(hs_test_heap_smc);

	r->heap_fd = r->buf_fd = -1;
	r->ph = IS_ERR(pool) ? ERR_PTR(PTR_ERR(pool)) :
		protected_heap_add(HS_TEST_HEAP, pool, &s->acc, s);
	if (IS_ERR(r->ph))
		return (int)PTR_ERR(r->ph);
	r->found = dma_heap_find(HS_TEST_HEAP);
	r->heap_fd = sys_open(&s->proc, HS_DEV_DIR HS_TEST_HEAP, O_RDWR);
	r->buf_fd = r->heap_fd < 0 ? r->heap_fd : hs_heap_alloc_fd(s, r->heap_fd, PAGE_SIZE);
	r->buf = r->buf_fd < 0 ? ERR_PTR(r->buf_fd) : dma_buf_get(&s->proc, r->buf_fd);
	return IS_ERR(r->buf) ? (int)PTR_ERR(r->buf) : 0;
}

/* The live buffer still works: a device attaches and maps it, the CPU is still refused. */
static bool hs_removed_buffer_works(struct hsec *s, struct dma_buf *buf)
{
	bool mapped = true;

	if (s->has_granted && hs_device_maps(s, buf, &s->granted, 0, &mapped))
		return false;
	return mapped && dma_buf_begin_cpu_access(buf, DMA_BIDIRECTIONAL) == -EPERM;
}

static void hs_removal_close(struct hsec *s, struct hs_removal *r)
{
	if (!IS_ERR_OR_NULL(r->buf))
		dma_buf_put(r->buf);
	if (r->buf_fd >= 0)
		sys_close(&s->proc, r->buf_fd);
	if (r->heap_fd >= 0)
		sys_close(&s->proc, r->heap_fd);
	dma_heap_put(r->found);
}

void hs_heap_removal(struct hsec *s)
{
	struct dma_heap_stats before = dma_heap_stats();
	struct hs_removal r = { 0 };
	int ret = hs_removal_open(s, &r), open, alloc;
	struct dma_heap *again;
	bool works, freed;

	if (ret) {
		if (!IS_ERR(r.ph))
			protected_heap_remove(r.ph);
		hs_removal_close(s, &r);
		hs_observe(s, HS_HEAP_REMOVAL, false, "the test heap failed: %s", hs_errno(ret));
		return;
	}
	protected_heap_remove(r.ph);
	again = dma_heap_find(HS_TEST_HEAP);
	open = sys_open(&s->proc, HS_DEV_DIR HS_TEST_HEAP, O_RDWR);
	alloc = hs_heap_alloc_fd(s, r.heap_fd, PAGE_SIZE);
	works = hs_removed_buffer_works(s, r.buf);
	hs_removal_close(s, &r);
	freed = dma_heap_stats().heaps == before.heaps;
	hs_observe(s, HS_HEAP_REMOVAL, !again && works,
		   "find %s, open %s, alloc %s, live buffer %s, %s at its last reference",
		   again ? "FOUND" : "none", open < 0 ? hs_errno(open) : "OPENED",
		   alloc < 0 ? hs_errno(alloc) : "ALLOCATED", works ? "mapped" : "BROKEN",
		   freed ? "freed" : "NOT freed");
	if (again)
		dma_heap_put(again);
	if (open >= 0)
		sys_close(&s->proc, open);
	if (alloc >= 0)
		sys_close(&s->proc, alloc);
}
