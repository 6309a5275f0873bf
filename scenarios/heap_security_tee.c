/*
 * heap_security_tee.c - the heap-security attacks aimed at the secure
 * world (scenarios/heap_security.h): the DRM TA asked for plaintext in
 * normal memory, a normal buffer passed off to the TEE driver as protected
 * shared memory, forged arguments to the protected-memory service's SMCs,
 * and protected memory that is freed and reallocated from `system`, which
 * must come back scrubbed.
 *
 * The TA is reached through the TEE client driver with asynchronous calls
 * (the steps wait for their notifications); the SMCs are executed by a
 * normal-world CPU as a compromised kernel would, and each must be refused
 * with the error docs/tee.md documents and change nothing: the service's
 * INFO answer and the state of the range named are compared before and
 * after, and its refusal counter must move by one.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/slab.h>

#include "scenarios/heap_security.h"

#define HS_KEY_ID 0x4853		/* "HS" */
#define HS_BAIT 0xa5			/* what the rogue request's normal output holds */
#define HS_FILL 0xc3			/* what the secure world puts in the reused buffer */
#define HS_SMC_PAGE 4096ULL
#define HS_WRAP_BASE 0xfffffffffffff000ULL
#define HS_PAGE_OF(a) ((a) & ~(HS_SMC_PAGE - 1))

/* ---- forged protected-memory SMCs ---- */

/* What a forged call names, resolved on the board at run time. */
enum hs_target {
	HS_TARGET_CARVEOUT,		/* the protected carve-out */
	HS_TARGET_PRIVATE,		/* the secure world's own memory */
	HS_TARGET_WINDOW,		/* the victim, inside a secure-video window */
	HS_TARGET_PAGE,			/* a page of normal kernel memory */
	HS_TARGET_WRAP,			/* the last page of the 64-bit space */
	HS_TARGET_MMIO,			/* the TZC's registers */
	HS_TARGET_PAST_RAM,		/* the first page above every RAM bank */
};

struct hs_smc_case {
	struct hs_row_info info;
	u32 func;
	enum hs_target target;
	u64 offset, size;
	u32 expect;
};

#define HS_SMC_CASE(path, attack, fn, tgt, off, sz, err)				\
	{ { path, attack, "TEE service (argument checks)", "heap-security: the "	\
	    "protected-memory service refused a forged SMC" }, fn, tgt, off, sz, err }

static const struct hs_smc_case hs_smc_cases[] = {
	HS_SMC_CASE("smc-assign-carveout", "ASSIGN of a page of the carve-out",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_CARVEOUT, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
	HS_SMC_CASE("smc-assign-private", "ASSIGN of a page of the secure world's memory",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_PRIVATE, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
	HS_SMC_CASE("smc-assign-window", "ASSIGN of a page already assigned (the victim)",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_WINDOW, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
	HS_SMC_CASE("smc-assign-unaligned-base", "ASSIGN at a base not 4 KiB aligned",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_PAGE, 0x800, HS_SMC_PAGE,
		    TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-assign-unaligned-size", "ASSIGN of a size not 4 KiB aligned",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_PAGE, 0, 0x1800, TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-assign-size-0", "ASSIGN of 0 bytes", TEE_SMC_PROTMEM_ASSIGN,
		    HS_TARGET_PAGE, 0, 0, TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-assign-wrap", "ASSIGN of a range that wraps past 2^64",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_WRAP, 0, 2 * HS_SMC_PAGE,
		    TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-assign-mmio", "ASSIGN of the TZC's registers", TEE_SMC_PROTMEM_ASSIGN,
		    HS_TARGET_MMIO, 0, HS_SMC_PAGE, TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-assign-past-ram", "ASSIGN of a page past the end of RAM",
		    TEE_SMC_PROTMEM_ASSIGN, HS_TARGET_PAST_RAM, 0, HS_SMC_PAGE,
		    TEE_ERROR_BAD_PARAMETERS),
	HS_SMC_CASE("smc-release-unassigned", "RELEASE of normal memory never assigned",
		    TEE_SMC_PROTMEM_RELEASE, HS_TARGET_PAGE, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
	HS_SMC_CASE("smc-release-carveout", "RELEASE of a page of the carve-out",
		    TEE_SMC_PROTMEM_RELEASE, HS_TARGET_CARVEOUT, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
	HS_SMC_CASE("smc-release-private", "RELEASE of a page of the secure world's memory",
		    TEE_SMC_PROTMEM_RELEASE, HS_TARGET_PRIVATE, 0, HS_SMC_PAGE,
		    TEE_ERROR_ACCESS_DENIED),
};

_Static_assert(ARRAY_SIZE(hs_smc_cases) == HS_SMC_LAST - HS_SMC_FIRST + 1,
	       "one row per forged SMC");

static const char *hs_tee_code(u32 ret)
{
	static const struct { u32 code; const char *name; } names[] = {
		{ TEE_SUCCESS, "TEE_SUCCESS" },
		{ TEE_ERROR_ACCESS_DENIED, "TEE_ERROR_ACCESS_DENIED" },
		{ TEE_ERROR_BAD_PARAMETERS, "TEE_ERROR_BAD_PARAMETERS" },
		{ TEE_ERROR_ITEM_NOT_FOUND, "TEE_ERROR_ITEM_NOT_FOUND" },
		{ TEE_ERROR_NOT_SUPPORTED, "TEE_ERROR_NOT_SUPPORTED" },
		{ TEE_ERROR_OUT_OF_MEMORY, "TEE_ERROR_OUT_OF_MEMORY" },
		{ TEE_ERROR_BUSY, "TEE_ERROR_BUSY" },
		{ TEE_ERROR_COMMUNICATION, "TEE_ERROR_COMMUNICATION" },
		{ TEE_ERROR_SECURITY, "TEE_ERROR_SECURITY" },
		{ TEE_ERROR_TARGET_DEAD, "TEE_ERROR_TARGET_DEAD" },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].code == ret)
			return names[i].name;
	return "another TEE code";
}

/* The first page above every RAM bank of the board. */
static u64 hs_past_ram(const struct dt *dt)
{
	const struct dt_node *mem;
	u64 top = 0;

	for (unsigned int i = 0; (mem = dt_memory_node(dt, i)); i++)
		for (unsigned int r = 0; r < mem->nreg; r++)
			top = MAX(top, mem->reg[r].addr + mem->reg[r].size);
	return ALIGN_UP(top, HS_SMC_PAGE);
}

static u64 hs_target_base(const struct hsec *s, enum hs_target t)
{
	const struct tee *tee = &s->m->tee;

	switch (t) {
	case HS_TARGET_CARVEOUT:
		return tee->prot_base;
	case HS_TARGET_PRIVATE:
		return tee->priv_base;
	case HS_TARGET_WINDOW:
		return s->victim_pa;
	case HS_TARGET_PAGE:
		return virt_to_phys(s->page);
	case HS_TARGET_WRAP:
		return HS_WRAP_BASE;
	case HS_TARGET_MMIO:
		return HS_PAGE_OF(s->m->soc->tzc_node->reg[0].addr);
	case HS_TARGET_PAST_RAM:
		return hs_past_ram(s->m->dt);
	}
	return 0;
}

/* What the normal world can learn of the service (INFO), and the named page's state. */
struct hs_protmem_view {
	struct arm_smccc_res info;
	bool normal, protected;
	u64 refusals;
};

static void hs_protmem_view(struct hsec *s, struct cpu *c, u64 page,
			    struct hs_protmem_view *v)
{
	struct tee_protmem_info info;

	memset(v, 0, sizeof(*v));
	tee_smc_call(s->m->soc, c, TEE_SMC_PROTMEM_INFO, 0, 0, 0, &v->info);
	v->normal = tee_range_normal(&s->m->tee, page, HS_SMC_PAGE);
	v->protected = tee_range_protected(&s->m->tee, page, HS_SMC_PAGE);
	tee_protmem_info(&s->m->tee, &info);
	v->refusals = info.refusals;
}

static bool hs_same_state(const struct hs_protmem_view *a, const struct hs_protmem_view *b)
{
	return a->info.a0 == b->info.a0 && a->info.a1 == b->info.a1 &&
	       a->info.a2 == b->info.a2 && a->info.a3 == b->info.a3 &&
	       a->normal == b->normal && a->protected == b->protected;
}

static void hs_forged_smc(struct hsec *s, struct cpu *c, unsigned int i)
{
	const struct hs_smc_case *fc = &hs_smc_cases[i];
	u64 base = hs_target_base(s, fc->target) + fc->offset;
	struct hs_protmem_view before, after;
	struct arm_smccc_res res;

	hs_protmem_view(s, c, HS_PAGE_OF(base), &before);
	tee_smc_call(s->m->soc, c, fc->func, (u32)(base >> 32), (u32)base, (u32)fc->size, &res);
	/* A forged assign that got through must not leave protected memory behind. */
	if (res.a0 == TEE_SUCCESS && fc->func == TEE_SMC_PROTMEM_ASSIGN)
		tee_smc_call(s->m->soc, c, TEE_SMC_PROTMEM_RELEASE, (u32)(base >> 32), (u32)base,
			     (u32)fc->size, &res);
	hs_protmem_view(s, c, HS_PAGE_OF(base), &after);
	hs_observe(s, HS_SMC_FIRST + i, after.refusals == before.refusals + 1, "%s, %s",
		   hs_tee_code((u32)res.a0), hs_same_state(&before, &after) ? "nothing changed" :
		   "STATE CHANGED");
}

void hs_forged_smcs(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_NW1);

	for (unsigned int i = 0; i < ARRAY_SIZE(hs_smc_cases); i++)
		hs_forged_smc(s, c, i);
}

/* ---- the DRM TA ---- */

/* An open or an invoke came back (bottom half on the calling CPU). */
static void hs_ta_done(void *data, u32 ret)
{
	struct hsec *s = data;

	s->ta.pending = false;
	s->ta.ret = ret;
}

static void hs_ta_closed(void *data, u32 ret)
{
	struct hsec *s = data;

	s->ta.pending = false;
	always(ret == TEE_SUCCESS, "heap-security: closing the DRM session failed: 0x%x", ret);
}

bool hs_ta_idle(const struct hsec *s)
{
	return !s->ta.pending;
}

void hs_ta_open(struct hsec *s)
{
	static const u8 uuid[16] = TEE_DRM_TA_UUID;
	struct hs_ta *ta = &s->ta;

	memset(&ta->open, 0, sizeof(ta->open));
	memcpy(ta->open.uuid, uuid, sizeof(uuid));
	ta->pending = true;
	if (tee_client_open_session(s->ctx, &ta->open, NULL, hs_ta_done, s))
		hs_ta_done(s, TEE_ERROR_COMMUNICATION);
}

/* A well-formed cenc sample whose only fault is its output: normal memory, baited. */
static void hs_ta_request(struct hsec *s)
{
	struct hs_ta *ta = &s->ta;
	struct tee_drm_decrypt_desc *d = ta->desc;

	memset(d, 0, sizeof(*d));
	d->key_id = cpu_to_le32(HS_KEY_ID);
	d->scheme = cpu_to_le32(TEE_DRM_SCHEME_CENC);
	d->nr_subsamples = cpu_to_le32(1);
	d->subsamples[0].encrypted_bytes = cpu_to_le32(HS_SAMPLE_LEN);
	memset(ta->bait, HS_BAIT, HS_SAMPLE_LEN);
	ta->param[0] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = virt_to_phys(d), .size = sizeof(*d) } };
	ta->param[1] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
		.u.memref = { .pa = virt_to_phys(ta->in), .size = HS_SAMPLE_LEN } };
	ta->param[2] = (struct tee_param){ .attr = TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
		.u.memref = { .pa = virt_to_phys(ta->bait), .size = HS_SAMPLE_LEN } };
	ta->invoke = (struct tee_ioctl_invoke_arg){ .func = TEE_DRM_CMD_DECRYPT,
		.session = ta->open.session, .num_params = 3 };
}

void hs_ta_decrypt(struct hsec *s)
{
	struct hs_ta *ta = &s->ta;

	if (ta->ret != TEE_SUCCESS) {
		hs_observe(s, HS_TA_NORMAL_OUTPUT, false, "no session: %s", hs_tee_code(ta->ret));
		return;
	}
	hs_ta_request(s);
	ta->refused0 = (u32)tee_drm_stats(&s->m->tee).refused;
	ta->pending = true;
	if (tee_client_invoke_func(s->ctx, &ta->invoke, ta->param, hs_ta_done, s))
		hs_ta_done(s, TEE_ERROR_COMMUNICATION);
}

void hs_ta_close(struct hsec *s)
{
	struct hs_ta *ta = &s->ta;
	unsigned int at = 0;

	if (s->rows[HS_TA_NORMAL_OUTPUT].done)
		return;		/* no session was opened */
	while (at < HS_SAMPLE_LEN && ta->bait[at] == HS_BAIT)
		at++;
	hs_observe(s, HS_TA_NORMAL_OUTPUT,
		   tee_drm_stats(&s->m->tee).refused == ta->refused0 + 1ULL, "%s, %s",
		   hs_tee_code(ta->ret), at == HS_SAMPLE_LEN ? "nothing written" : "WRITTEN");
	ta->pending = true;
	if (tee_client_close_session(s->ctx, ta->open.session, hs_ta_closed, s))
		hs_ta_closed(s, TEE_ERROR_COMMUNICATION);
}

/* A system-heap buffer, by fd and in the kernel, registered as if it were protected. */
void hs_shm_normal_buffer(struct hsec *s)
{
	int heap_fd = sys_open(&s->proc, "/dev/dma_heap/system", O_RDWR);
	int fd = heap_fd < 0 ? heap_fd : hs_heap_alloc_fd(s, heap_fd, PAGE_SIZE);
	struct dma_buf *buf = fd < 0 ? ERR_PTR(fd) : dma_buf_get(&s->proc, fd);
	struct tee_shm *by_fd, *by_buf;

	if (IS_ERR(buf)) {
		hs_observe(s, HS_SHM_NORMAL_BUFFER, false, "no system buffer: %s",
			   hs_errno(PTR_ERR(buf)));
	} else {
		by_fd = tee_shm_register_fd(s->ctx, &s->proc, fd, 0);
		by_buf = tee_shm_register_dma_buf(s->ctx, buf);
		hs_observe(s, HS_SHM_NORMAL_BUFFER, IS_ERR(by_fd) && IS_ERR(by_buf),
			   "by fd %s, by dma-buf %s",
			   IS_ERR(by_fd) ? hs_errno(PTR_ERR(by_fd)) : "REGISTERED",
			   IS_ERR(by_buf) ? hs_errno(PTR_ERR(by_buf)) : "REGISTERED");
		tee_shm_free(by_fd);
		tee_shm_free(by_buf);
		dma_buf_put(buf);
	}
	if (fd >= 0)
		sys_close(&s->proc, fd);
	if (heap_fd >= 0)
		sys_close(&s->proc, heap_fd);
}

/* ---- freed protected memory, reallocated from system ---- */

void hs_reuse_alloc(struct hsec *s)
{
	struct hs_reuse *ru = &s->reuse;
	phys_addr_t pa = 0;

	ru->buf = dma_heap_buffer_alloc(s->sv_heap, HS_REUSE_SIZE, O_RDWR, 0);
	ru->shm = IS_ERR(ru->buf) ? NULL : tee_shm_register_dma_buf(s->ctx, ru->buf);
	if (IS_ERR_OR_NULL(ru->shm) || tee_shm_get_pa(ru->shm, 0, &pa)) {
		hs_observe(s, HS_REUSE, false, "no protected buffer to free");
		if (!IS_ERR_OR_NULL(ru->shm))
			tee_shm_free(ru->shm);
		if (!IS_ERR(ru->buf))
			dma_buf_put(ru->buf);
		ru->buf = NULL;
		ru->shm = NULL;
		return;
	}
	ru->pa = pa;
}

/* The secure world fills the buffer: what must never reach the normal world. */
void hs_reuse_fill(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_SECURE);
	u8 chunk[1024];

	if (!s->reuse.buf)
		return;
	memset(chunk, HS_FILL, sizeof(chunk));
	for (u64 off = 0; off < HS_REUSE_SIZE; off += sizeof(chunk))
		cpu_write(c, s->reuse.pa + off, chunk, sizeof(chunk));
}

/* The part of [@pa, +@len) that lies in the freed range, as an offset into @buf's pages. */
static bool hs_overlap_in(const struct hs_reuse *ru, u64 pa, u64 len, u64 *at, u64 *n)
{
	u64 lo = MAX(pa, ru->pa), hi = MIN(pa + len, ru->pa + HS_REUSE_SIZE);

	if (lo >= hi)
		return false;
	*at = lo - pa;
	*n = hi - lo;
	return true;
}

/* Where @buf's pages are, from a device mapping (the QCE may map system memory). */
static bool hs_find_overlap(struct hsec *s, struct dma_buf *buf, u64 *off)
{
	struct dma_buf_attachment *a = dma_buf_attach(buf, s->qce);
	struct hs_reuse *ru = &s->reuse;
	struct sg_table *sgt;
	struct scatterlist *sg;
	unsigned int i;
	u64 start = 0, at, n;
	bool found = false;

	if (IS_ERR(a))
		return false;
	sgt = dma_buf_map_attachment_unlocked(a, DMA_FROM_DEVICE);
	if (IS_ERR(sgt)) {
		dma_buf_detach(buf, a);
		return false;
	}
	for_each_sg(sgt->sgl, sg, sgt->nents, i) {
		if (!found && hs_overlap_in(ru, sg_dma_address(sg), sg_dma_len(sg), &at, &n)) {
			ru->overlap_pa = sg_dma_address(sg) + at;
			ru->overlap_len = n;
			*off = start + at;
			found = true;
		}
		start += sg_dma_len(sg);
	}
	dma_buf_unmap_attachment_unlocked(a, sgt, DMA_FROM_DEVICE);
	dma_buf_detach(buf, a);
	return found;
}

/* The process maps the reused buffer and reads the freed pages. */
static bool hs_read_reused(struct hsec *s, struct dma_buf *buf, u64 off)
{
	u8 tmp[1024];
	bool zeros = true;
	s64 uaddr;
	int fd;

	get_dma_buf(buf);
	fd = dma_buf_fd(&s->proc, buf, O_CLOEXEC);
	if (fd < 0) {
		dma_buf_put(buf);
		return false;
	}
	uaddr = sys_mmap(&s->proc, buf->size, PROT_READ, MAP_SHARED, fd, 0);
	for (u64 n = 0; uaddr >= 0 && n < s->reuse.overlap_len; n += sizeof(tmp)) {
		if (process_read(&s->proc, (u64)uaddr + off + n, tmp, sizeof(tmp)))
			zeros = false;
		for (unsigned int i = 0; i < sizeof(tmp); i++)
			zeros &= !tmp[i];
	}
	if (uaddr >= 0)
		sys_munmap(&s->proc, (u64)uaddr, buf->size);
	sys_close(&s->proc, fd);
	return uaddr >= 0 && zeros;
}

/* System buffers until one holds freed pages; that one is read, all are given back. */
static void hs_reallocate(struct hsec *s)
{
	struct dma_buf *bufs[HS_REUSE_TRIES];
	struct hs_reuse *ru = &s->reuse;
	unsigned int n = 0;
	u64 off = 0;

	while (n < HS_REUSE_TRIES) {
		bufs[n] = dma_heap_buffer_alloc(s->sys_heap, HS_REUSE_CHUNK, O_RDWR, 0);
		if (IS_ERR(bufs[n]))
			break;
		if (hs_find_overlap(s, bufs[n++], &off)) {
			ru->zeros = hs_read_reused(s, bufs[n - 1], off);
			break;
		}
	}
	ru->tries = n;
	while (n)
		dma_buf_put(bufs[--n]);
}

void hs_reuse_free(struct hsec *s)
{
	struct hs_reuse *ru = &s->reuse;
	const u8 *raw = bus_ram_backdoor(s->m->soc->bus, ru->pa, HS_REUSE_SIZE);
	struct tee_protmem_info info;
	u64 scrubbed, at = 0;

	if (!ru->buf)
		return;
	tee_protmem_info(&s->m->tee, &info);
	scrubbed = info.scrubbed;
	tee_shm_free(ru->shm);
	dma_buf_put(ru->buf);
	ru->buf = NULL;
	ru->shm = NULL;
	/* Through the backdoor: the checker's view, before anyone reuses the pages. */
	while (raw && at < HS_REUSE_SIZE && !raw[at])
		at++;
	tee_protmem_info(&s->m->tee, &info);
	ru->scrubbed = at == HS_REUSE_SIZE && info.scrubbed >= scrubbed + HS_REUSE_SIZE;
	ru->normal = tee_range_normal(&s->m->tee, ru->pa, HS_REUSE_SIZE);
	hs_reallocate(s);
	hs_observe(s, HS_REUSE, ru->scrubbed && ru->overlap_len, "%s, %s, %s",
		   ru->scrubbed ? "scrubbed on release" : "NOT SCRUBBED",
		   ru->normal ? "normal again" : "STILL PROTECTED",
		   !ru->overlap_len ? "NEVER REUSED (proves nothing)" : ru->zeros ?
		   "reused by system, zeros read" : "reused by system, DATA READ");
}

/* ---- set-up and release ---- */

static void hs_tee_expect(struct hsec *s)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(hs_smc_cases); i++) {
		s->rows[HS_SMC_FIRST + i].info = &hs_smc_cases[i].info;
		hs_expect(s, HS_SMC_FIRST + i, "%s, nothing changed",
			  hs_tee_code(hs_smc_cases[i].expect));
	}
	hs_expect(s, HS_TA_NORMAL_OUTPUT, "TEE_ERROR_SECURITY, nothing written");
	hs_expect(s, HS_SHM_NORMAL_BUFFER, "by fd -EINVAL, by dma-buf -EINVAL");
	hs_expect(s, HS_REUSE, "scrubbed on release, normal again, reused by system, zeros read");
}

int hs_tee_setup(struct hsec *s, struct secsoc_error *err)
{
	struct hs_ta *ta = &s->ta;
	const struct soc_bam *sb = s->m->tee.bam;
	u8 key[TEE_DRM_KEY_BYTES];

	/* The TA runs only with pipe locking; without it every session is refused. */
	if (!sb || !bam_version_has_lock(bam_config(sb->bam)->version))
		return input_error(err, "%s: heap-security needs the DRM TA, which needs a BAM "
				   "with pipe locking (v1.4 or later) in the secure world's node",
				   s->m->dt->source);
	for (unsigned int i = 0; i < sizeof(key); i++)
		key[i] = (u8)prng_next(&s->prng);
	if (tee_drm_provision_key(&s->m->tee, HS_KEY_ID, key))
		return internal_error(err, "heap-security: no room for a content key");
	ta->desc = kzalloc(sizeof(*ta->desc), GFP_KERNEL);
	ta->in = kzalloc(HS_SAMPLE_LEN, GFP_KERNEL);
	ta->bait = kzalloc(HS_SAMPLE_LEN, GFP_KERNEL);
	if (!ta->desc || !ta->in || !ta->bait)
		return internal_error(err, "heap-security: out of kernel memory");
	for (unsigned int i = 0; i < HS_SAMPLE_LEN; i++)
		ta->in[i] = (u8)prng_next(&s->prng);
	hs_tee_expect(s);
	return 0;
}

void hs_tee_release(struct hsec *s)
{
	struct hs_ta *ta = &s->ta;
	struct hs_reuse *ru = &s->reuse;

	tee_shm_free(ru->shm);
	if (ru->buf)
		dma_buf_put(ru->buf);
	ru->shm = NULL;
	ru->buf = NULL;
	kfree(ta->desc);
	kfree(ta->in);
	kfree(ta->bait);
	ta->desc = NULL;
	ta->in = ta->bait = NULL;
}
