/*
 * checker.c - the invariants every crypto scenario checks (DESIGN.md),
 * judged from outside the model: QCE monitor callbacks, a bus observer,
 * OpenSSL references and the resource accounting at the end.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/crypto.h>
#include <secsoc/timer.h>

#include "scenarios/checker.h"

static bool in_range(u64 addr, u64 base, u64 size)
{
	return addr >= base && addr - base < size;
}

static bool overlaps(u64 addr, u64 len, u64 base, u64 size)
{
	return addr < base + size && base < addr + len;
}

/* ---- invariants 2 and 3: the engine's monitor ---- */

/*
 * An EE's own write into its operation (a recovery's CLR_CNTXT, a driver
 * bug) only spoils its own result, which invariant 1 or the error code it
 * returns judges; another EE's write is the race invariant 2 forbids.
 */
static void check_cfg_write_busy(void *ctx, int ee, int op_ee, u32 off)
{
	struct checker *c = ctx;
	char buf[32];
	const char *reg = qce_reg_name(off, buf, sizeof(buf));

	if (ee == op_ee) {
		c->cfg_writes_own++;
		return;
	}
	c->cfg_writes_busy++;
	always(ee == op_ee, "invariant 2 (no QCE configuration write from one EE while the engine "
	       "runs another's operation): EE %d wrote %s (0x%x) while EE %d's operation ran",
	       ee, reg ? reg : "?", off, op_ee);
}

static void check_unlock_in_flight(void *ctx, int ee)
{
	struct checker *c = ctx;

	c->unlocks_in_flight++;
	always(false, "invariant 3 (no UNLOCK while the locking EE's operation is in flight): "
	       "EE %d's pipe lock was released while its operation still ran", ee);
}

static const struct qce_monitor_ops checker_monitor = {
	.cfg_write_busy = check_cfg_write_busy,
	.unlock_in_flight = check_unlock_in_flight,
};

/* ---- invariants 4 and 6: every bus transaction ---- */

static void check_abort(const struct bus_access *a)
{
	if (a->master->kind != BUS_MASTER_CPU || a->resp == BUS_OKAY)
		return;
	always(false, "invariant 4 (no external abort on any CPU): %s took an external abort "
	       "(%s: %s) on a %s of 0x%" PRIx64 "%s%s", a->master->name,
	       bus_resp_name(a->resp), a->decision.reason ? a->decision.reason : "error response",
	       a->write ? "write" : "read", a->addr, a->mmio_name ? " in " : "",
	       a->mmio_name ? a->mmio_name : "");
}

/*
 * Protected memory now: the carve-out, or a window of the protected-memory
 * service (they come and go; a transaction never crosses a 4 KiB boundary
 * and windows are 4 KiB aligned, so it lies in one or outside all).
 */
static bool touches_protected(const struct checker *c, const struct bus_access *a)
{
	return overlaps(a->addr, a->len, c->prot_base, c->prot_size) ||
	       (c->m->has_tee && tee_range_protected(&c->m->tee, a->addr, a->len));
}

/*
 * A device the secure world grants this direction of access to protected
 * memory (`secsoc,protected-access`): the GPU in protected mode, the display.
 */
static bool granted(const struct checker *c, const struct bus_access *a)
{
	unsigned int id = a->master->nsaid;

	if (!c->m->has_tee || a->master->kind != BUS_MASTER_DEVICE || id >= TZC400_NSAID_MAX)
		return false;
	return c->m->tee.protected_ids & (a->write ? TZC400_ID_ACCESS_WR(id) :
					  TZC400_ID_ACCESS_RD(id));
}

static void check_protected(struct checker *c, const struct bus_access *a)
{
	if (a->master->secure || granted(c, a) || !touches_protected(c, a))
		return;
	c->protected_touches++;
	always(false, "invariant 6 (no normal-world master touches protected memory): %s %s "
	       "0x%" PRIx64 " (%u bytes) in protected memory, %s by the TZC", a->master->name,
	       a->write ? "wrote" : "read", a->addr, a->len,
	       a->decision.allowed ? "ALLOWED" : "denied");
}

/* The secure world's engine output (plaintext) stays in secure memory. */
static void check_plaintext(struct checker *c, const struct bus_access *a)
{
	if (!c->ta_out || a->master != c->ta_out || !a->write)
		return;
	if (touches_protected(c, a))
		return;
	if (in_range(a->addr, c->priv_base, c->priv_size) &&
	    in_range(a->addr + a->len - 1, c->priv_base, c->priv_size))
		return;
	c->plaintext_leaks++;
	always(false, "invariant 6 (no protected plaintext reaches non-protected memory): the "
	       "secure world's output pipe wrote %u bytes at 0x%" PRIx64 ", outside "
	       "protected and secure memory", a->len, a->addr);
}

/*
 * A protected writer (one granted writes to protected memory) writing
 * normal memory could copy content out: the TZC must deny it.
 */
static void check_write_down(struct checker *c, const struct bus_access *a)
{
	if (!a->write || !a->decision.allowed || !granted(c, a) || touches_protected(c, a))
		return;
	c->plaintext_leaks++;
	always(false, "invariant 6 (no protected plaintext reaches non-protected memory): %s, "
	       "a protected writer, wrote %u bytes at 0x%" PRIx64 " in normal memory", a->master->name,
	       a->len, a->addr);
}

/* Where @m's aborts are counted: the index of its CPU, SOC_NS_CPUS_MAX for the secure one. */
static unsigned int cpu_slot(const struct checker *c, const struct bus_master *m)
{
	const struct soc *soc = c->m->soc;

	for (unsigned int i = 0; i < soc->nr_cpus; i++)
		if (m == &soc->cpus[i].master)
			return i;
	return SOC_NS_CPUS_MAX;
}

/*
 * A transaction of the armed attack that the TZC denied: expected, and so
 * is the abort it costs a CPU. One the TZC allowed is left to the
 * invariants (and counted, so the scenario sees the attack got through).
 */
static bool expected_denial(struct checker *c, const struct bus_access *a)
{
	struct checker_expect *e = &c->expect;

	if (!e->master || a->master != e->master || !overlaps(a->addr, a->len, e->base, e->size))
		return false;
	if (a->decision.allowed) {
		e->allowed++;
		return false;
	}
	e->denied++;
	c->expected_denials++;
	if (a->master->kind == BUS_MASTER_CPU && a->resp != BUS_OKAY) {
		e->aborts++;
		c->expected_aborts[cpu_slot(c, a->master)]++;
	}
	return true;
}

static void checker_observe(void *opaque, const struct bus_access *a)
{
	struct checker *c = opaque;

	if (a->target == BUS_TARGET_RAM && expected_denial(c, a))
		return;
	check_abort(a);
	if (a->target != BUS_TARGET_RAM)
		return;
	check_protected(c, a);
	check_plaintext(c, a);
	check_write_down(c, a);
}

int checker_expect_denial(struct checker *c, const struct bus_master *m, u64 base, u64 size)
{
	if (c->expect.master)
		return -EBUSY;
	c->expect = (struct checker_expect){ .master = m, .base = base, .size = size };
	return 0;
}

void checker_expect_end(struct checker *c, struct checker_expect *seen)
{
	if (seen)
		*seen = c->expect;
	c->expect = (struct checker_expect){ 0 };
}

/* ---- set-up ---- */

static int find_engine(struct checker *c, struct machine *m, struct secsoc_error *err)
{
	struct soc *soc = m->soc;

	c->qce = soc->qce;
	for (unsigned int i = 0; c->qce && i < soc->nr_bams; i++) {
		if (soc->bams[i].periph_np != soc->qce_node)
			continue;
		c->bam = soc->bams[i].bam;
		c->linux_ee = (int)soc->bams[i].linux_ee;
		if (m->has_tee && m->tee.bam == &soc->bams[i])
			c->tee_ee = (int)m->tee.bam_ee;
	}
	if (!c->qce || !c->bam)
		return input_error(err, "%s: this scenario needs a crypto engine fed by a BAM "
				   "(a qcom,qce node with dmas), which the board lacks",
				   m->dt->source);
	return 0;
}

/* Everything invariant 7 counts, now (the TEE's figures stay 0 without a secure world). */
static void take_counts(const struct checker *c, struct checker_counts *n)
{
	const struct machine *m = c->m;

	*n = (struct checker_counts){
		.kmem = kmem_stats(), .dma = dma_mapping_stats(), .tfms = crypto_nr_tfms(),
		.timers = timers_armed(), .bufs = dma_buf_stats(), .files = file_stats(),
		.prot = protected_heap_stats(), .shms = tee_shm_stats(), .heaps = dma_heap_stats(),
	};
	if (m->has_tee) {
		n->sessions = tee_sessions_open(&m->tee);
		tee_protmem_info(&m->tee, &n->protmem);
	}
}

static void take_baselines(struct checker *c)
{
	struct soc *soc = c->m->soc;

	for (unsigned int i = 0; i < soc->nr_cpus; i++)
		c->aborts0[i] = soc->cpus[i].aborts;
	c->aborts0[SOC_NS_CPUS_MAX] = soc->secure_cpu.aborts;
	take_counts(c, &c->base);
}

int checker_attach(struct checker *c, struct machine *m, struct secsoc_error *err)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	c->tee_ee = BAM_NO_EE;
	if (find_engine(c, m, err))
		return -EINVAL;
	if (c->tee_ee != BAM_NO_EE) {
		c->ta_out = bam_pipe_master(c->bam, m->tee.bam_pipes[1]);
		c->prot_base = m->tee.prot_base;
		c->prot_size = m->tee.prot_size;
		c->priv_base = m->tee.priv_base;
		c->priv_size = m->tee.priv_size;
	}
	take_baselines(c);
	if (bus_add_observer(m->soc->bus, checker_observe, c))
		return internal_error(err, "too many bus observers");
	qce_set_monitor(c->qce, &checker_monitor, c);
	c->attached = true;
	return 0;
}

void checker_detach(struct checker *c)
{
	if (!c->attached)
		return;
	qce_set_monitor(c->qce, NULL, NULL);
	bus_remove_observer(c->m->soc->bus, checker_observe, c);
	c->attached = false;
}

/* ---- invariant 1 ---- */

int checker_ref(const char *evp_name, const u8 *key, const u8 *iv, const u8 *in, u8 *out,
		size_t len, bool enc)
{
	const EVP_CIPHER *cipher = EVP_get_cipherbyname(evp_name);
	EVP_CIPHER_CTX *ctx;
	int n = 0, ok;

	if (!cipher || len > INT32_MAX)
		return -EINVAL;
	ctx = EVP_CIPHER_CTX_new();
	if (!ctx)
		return -ENOMEM;
	ok = EVP_CipherInit_ex(ctx, cipher, NULL, key, iv, enc) &&
	     EVP_CIPHER_CTX_set_padding(ctx, 0) &&
	     EVP_CipherUpdate(ctx, out, &n, in, (int)len) && (size_t)n == len;
	EVP_CIPHER_CTX_free(ctx);
	return ok ? 0 : -EINVAL;
}

bool checker_output(struct checker *c, const char *what, const u8 *got, const u8 *want,
		    size_t len)
{
	size_t at = 0;

	c->outputs_checked++;
	while (at < len && got[at] == want[at])
		at++;
	if (at == len)
		return true;
	c->outputs_wrong++;
	always(false, "invariant 1 (every output equals OpenSSL's): %s: byte %zu of %zu is 0x%02x, "
	       "OpenSSL says 0x%02x", what, at, len, got[at], want[at]);
	return false;
}

/* ---- the end of the run: invariants 4, 5 and 7 ---- */

void checker_lock_stats(const struct checker *c, int ee, struct bam_lock_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (ee != BAM_NO_EE)
		bam_lock_stats(c->bam, (unsigned int)ee, st);
}

static void judge_aborts(const struct checker *c)
{
	const struct soc *soc = c->m->soc;
	u64 secure = soc->secure_cpu.aborts - c->aborts0[SOC_NS_CPUS_MAX];

	for (unsigned int i = 0; i < soc->nr_cpus; i++) {
		u64 n = soc->cpus[i].aborts - c->aborts0[i] - c->expected_aborts[i];

		always(!n, "invariant 4 (no external abort on any CPU): %s took %" PRIu64 " (%"
		       PRIu64 " more were expected)", soc->cpus[i].name, n, c->expected_aborts[i]);
	}
	secure -= c->expected_aborts[SOC_NS_CPUS_MAX];
	always(!secure, "invariant 4 (no external abort on any CPU): the secure CPU took %"
	       PRIu64, secure);
}

/* Removed heaps still waiting for their last reference. */
static s64 heaps_removed(const struct dma_heap_stats *st)
{
	return (s64)st->heaps - (s64)st->registered;
}

/* A count now (@n) against set-up (@b), as a signed difference. */
#define DELTA(field) ((s64)n.field - (s64)b->field)

static void measure_leaks(struct checker *c)
{
	const struct checker_counts *b = &c->base;
	struct checker_leaks *l = &c->leaks;
	struct checker_counts n;

	take_counts(c, &n);
	*l = (struct checker_leaks){
		.kmem_objects = DELTA(kmem.objects), .kmem_pages = DELTA(kmem.pages),
		.dma_mappings = DELTA(dma.live), .dma_coherent = DELTA(dma.coherent),
		.crypto_tfms = DELTA(tfms), .timers = DELTA(timers),
		.tee_sessions = DELTA(sessions), .dma_bufs = DELTA(bufs.live),
		.dma_buf_attachments = DELTA(bufs.attachments),
		.files = DELTA(files.live_files), .processes = DELTA(files.processes),
		.protected_buffers = DELTA(prot.buffers), .tee_shms = DELTA(shms.live),
		.protmem_windows = DELTA(protmem.windows), .protmem_bytes = DELTA(protmem.bytes),
		.heaps_removed = heaps_removed(&n.heaps) - heaps_removed(&b->heaps),
	};
}

#undef DELTA

/* Invariant 7 for the buffer-sharing resources: dma-bufs, files, protected memory, heaps. */
static void judge_buffer_leaks(const struct checker_leaks *l)
{
	always(!l->dma_bufs && !l->dma_buf_attachments, "invariant 7 (everything released): %"
	       PRId64 " dma-bufs and %" PRId64 " attachments still live", l->dma_bufs,
	       l->dma_buf_attachments);
	always(!l->files && !l->processes, "invariant 7 (everything released): %" PRId64
	       " files still open and %" PRId64 " processes not exited", l->files, l->processes);
	always(!l->protected_buffers && !l->tee_shms, "invariant 7 (everything released): %"
	       PRId64 " protected buffers and %" PRId64 " TEE shms still live",
	       l->protected_buffers, l->tee_shms);
	always(!l->protmem_windows && !l->protmem_bytes, "invariant 7 (everything released): %"
	       PRId64 " protected-memory windows (%" PRId64 " bytes) still assigned",
	       l->protmem_windows, l->protmem_bytes);
	always(!l->heaps_removed, "invariant 7 (everything released): %" PRId64 " heaps removed "
	       "but not freed", l->heaps_removed);
}

static void judge_leaks(struct checker *c)
{
	const struct checker_leaks *l = &c->leaks;

	measure_leaks(c);
	always(!l->kmem_objects && !l->kmem_pages, "invariant 7 (everything released): %" PRId64
	       " kmalloc objects and %" PRId64 " pages still allocated", l->kmem_objects,
	       l->kmem_pages);
	always(!l->dma_mappings && !l->dma_coherent, "invariant 7 (everything released): %" PRId64
	       " DMA mappings and %" PRId64 " coherent buffers still live", l->dma_mappings,
	       l->dma_coherent);
	always(!l->crypto_tfms, "invariant 7 (everything released): %" PRId64 " crypto transforms "
	       "still allocated", l->crypto_tfms);
	always(!l->timers, "invariant 7 (everything released): %" PRId64 " timers still armed",
	       l->timers);
	always(!l->tee_sessions, "invariant 7 (everything released): %" PRId64 " TEE sessions "
	       "still open", l->tee_sessions);
	judge_buffer_leaks(l);
}

void checker_judge(struct checker *c)
{
	int owner = bam_lock_owner_ee(c->bam);

	c->judged = true;
	judge_aborts(c);
	always(owner == BAM_NO_EE, "invariant 5 (nothing stays locked): EE %d still holds the "
	       "pipe lock at the end of the run", owner);
	if (c->m->has_tee) {
		always(!tee_calls_in_flight(&c->m->tee), "invariant 5 (every request completes): "
		       "%u calls into the secure world never came back",
		       tee_calls_in_flight(&c->m->tee));
		always(!tee_bam_busy(&c->m->tee), "invariant 5 (every request completes): the "
		       "secure world's BAM driver still has an operation posted");
	}
	judge_leaks(c);
}

/* ---- the report ---- */

static void report_lock(const struct checker *c, const char *key, int ee, struct report *r)
{
	struct bam_lock_stats st;

	checker_lock_stats(c, ee, &st);
	report_section_begin(r, key);
	report_u64(r, "ee", (u64)ee);
	report_u64(r, "acquisitions", st.acquisitions);
	report_u64(r, "hold_ns", st.hold_ns);
	report_u64(r, "max_hold_ns", st.max_hold_ns);
	report_u64(r, "waits", st.waits);
	report_u64(r, "wait_ns", st.wait_ns);
	report_u64(r, "max_wait_ns", st.max_wait_ns);
	report_section_end(r);
}

/* Aborts taken since set-up, those of expected attacks among them, and their denials. */
static void report_aborts(const struct checker *c, struct report *r)
{
	const struct soc *soc = c->m->soc;
	u64 n = soc->secure_cpu.aborts - c->aborts0[SOC_NS_CPUS_MAX];
	u64 expected = c->expected_aborts[SOC_NS_CPUS_MAX];

	for (unsigned int i = 0; i < soc->nr_cpus; i++) {
		n += soc->cpus[i].aborts - c->aborts0[i];
		expected += c->expected_aborts[i];
	}
	report_u64(r, "external_aborts", n);
	report_u64(r, "expected_aborts", expected);
	report_u64(r, "expected_denials", c->expected_denials);
}

static void report_leaks(const struct checker *c, struct report *r)
{
	const struct checker_leaks *l = &c->leaks;

	report_section_begin(r, "leaks");
	report_bool(r, "judged", c->judged);
	report_u64(r, "kmem_objects", (u64)l->kmem_objects);
	report_u64(r, "kmem_pages", (u64)l->kmem_pages);
	report_u64(r, "dma_mappings", (u64)l->dma_mappings);
	report_u64(r, "dma_coherent", (u64)l->dma_coherent);
	report_u64(r, "crypto_tfms", (u64)l->crypto_tfms);
	report_u64(r, "timers", (u64)l->timers);
	report_u64(r, "tee_sessions", (u64)l->tee_sessions);
	report_u64(r, "dma_bufs", (u64)l->dma_bufs);
	report_u64(r, "dma_buf_attachments", (u64)l->dma_buf_attachments);
	report_u64(r, "files", (u64)l->files);
	report_u64(r, "processes", (u64)l->processes);
	report_u64(r, "protected_buffers", (u64)l->protected_buffers);
	report_u64(r, "tee_shms", (u64)l->tee_shms);
	report_u64(r, "protmem_windows", (u64)l->protmem_windows);
	report_u64(r, "protmem_bytes", (u64)l->protmem_bytes);
	report_u64(r, "heaps_removed", (u64)l->heaps_removed);
	report_section_end(r);
}

void checker_report(const struct checker *c, struct report *r)
{
	report_section_begin(r, "invariants");
	report_u64(r, "outputs_checked", c->outputs_checked);
	report_u64(r, "outputs_wrong", c->outputs_wrong);
	report_u64(r, "cfg_writes_while_busy", c->cfg_writes_busy);
	report_u64(r, "own_writes_while_busy", c->cfg_writes_own);
	report_u64(r, "unlocks_in_flight", c->unlocks_in_flight);
	report_u64(r, "protected_memory_touches", c->protected_touches);
	report_u64(r, "plaintext_leaks", c->plaintext_leaks);
	report_aborts(c, r);
	report_section_end(r);
	report_lock(c, "lock_linux", c->linux_ee, r);
	if (c->tee_ee != BAM_NO_EE)
		report_lock(c, "lock_tee", c->tee_ee, r);
	report_leaks(c, r);
}
