/*
 * drm_load.c - the DRM workload (scenarios/drm.h, scenario.h): a media
 * task on a normal-world CPU that opens a session with the DRM TA through
 * the TEE client driver and keeps up to `depth` samples being decrypted
 * into protected buffers, verifying each one there.
 *
 * The output buffers come from the `protected,secure-video` heap as a
 * kernel media driver gets them (dma_heap_find(), dma_heap_buffer_alloc())
 * and are registered with the TEE as shared memory (tee_shm.h); each
 * sample's output is a memory reference into that shm, which the TEE
 * driver checks and resolves to the protected physical address.
 *
 * The task follows its session (scenarios/drm_session.h): it opens one,
 * submits samples while it is open, closes it once nothing is left to do or
 * its TA instance crashed (a new one is then opened), and is done when no
 * session is open and nothing is left.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/tee_shm.h>

#include "scenarios/cenc.h"
#include "scenarios/drm.h"
#include "scenarios/drm_session.h"

#define DRM_LOAD_KEY_ID 0x5ec
#define DRM_BAIT 0xa5			/* what the rogue request's normal buffer holds */
#define DRM_OUTPUT_HEAP "protected,secure-video"

struct drm_slot {
	struct drm_load *l;
	bool busy;
	u64 sample;			/* its number, from 0 */
	struct cenc_sample cs;
	struct tee_drm_decrypt_desc *desc;	/* kmalloc: what the TA reads */
	u8 *in;				/* kmalloc: the encrypted sample */
	struct dma_buf *out_buf;	/* its output: a protected buffer ... */
	struct tee_shm *out_shm;	/* ... registered with the TEE */
	u64 out_pa;			/* where it is, for the checker (outside the model) */
	u8 clear[CENC_SAMPLE_MAX];	/* what the TA must produce */
	struct tee_ioctl_invoke_arg arg;
	struct tee_param param[3];
	u64 submit_ns;
};

struct drm_load {
	struct machine *m;
	struct checker *chk;		/* or NULL */
	struct drm_params p;
	struct prng prng;
	u8 key[TEE_DRM_KEY_BYTES];
	struct dma_heap *heap;		/* where the outputs come from */
	struct drm_session ses;
	bool done;			/* no session open and nothing left to do */
	bool stopped;
	bool started;			/* the task is on its CPU */
	struct cpu_task task;
	struct drm_slot slots[DRM_LOAD_DEPTH_MAX];
	u64 submitted, verified, failed, wrong;
	u32 first_tee_error;		/* the first failed sample's TEE return code */
	u64 by_scheme[2];		/* samples submitted: cenc, cbcs */
	u8 *bait;			/* kmalloc: the rogue request's output, in normal memory */
	bool rogue_sent;
	u32 rogue_ret;			/* the TA's answer to it */
	struct ee_stats stats;
};

const struct drm_params drm_params_default = {
	.depth = 1, .size_min = 16, .size_max = 4096, .subsamples_max = 4,
	.schemes = DRM_LOAD_CENC | DRM_LOAD_CBCS,
};

static void drm_fill(struct prng *p, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v = prng_next(p);

		memcpy(buf + i, &v, MIN((size_t)8, len - i));
	}
}

static unsigned int drm_in_flight(const struct drm_load *l)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < l->p.depth; i++)
		n += l->slots[i].busy;
	return n;
}

static bool drm_rogue_pending(const struct drm_load *l)
{
	return l->p.rogue_first && !l->rogue_sent;
}

static bool drm_more_samples(const struct drm_load *l)
{
	return !l->stopped && !l->ses.refused && (drm_rogue_pending(l) || !l->p.samples ||
			       l->submitted < l->p.samples);
}

static struct drm_slot *drm_free_slot(struct drm_load *l)
{
	for (unsigned int i = 0; i < l->p.depth; i++)
		if (!l->slots[i].busy)
			return &l->slots[i];
	return NULL;
}

/* ---- one sample ---- */

static void drm_verify(struct drm_slot *s)
{
	struct drm_load *l = s->l;
	const u8 *got = bus_ram_backdoor(l->m->soc->bus, s->out_pa, s->cs.len);
	char what[80];
	bool ok;

	snprintf(what, sizeof(what), "DRM sample %" PRIu64 " (%s, %u bytes) decryption",
		 s->sample, cenc_scheme_name(s->cs.scheme), s->cs.len);
	if (l->chk) {
		ok = checker_output(l->chk, what, got, s->clear, s->cs.len);
	} else {
		ok = !memcmp(got, s->clear, s->cs.len);
		always(ok, "invariant 1 (every output equals OpenSSL's): %s is wrong", what);
	}
	l->verified += ok;
	l->wrong += !ok;
}

/* The TA answered; an error code is a failed sample, never a wrong one. */
static void drm_sample_done(void *data, u32 ret)
{
	struct drm_slot *s = data;
	struct drm_load *l = s->l;

	ee_stats_complete(&l->stats, s->submit_ns, sim_now_ns(l->m->sim), s->cs.len,
			  ret == TEE_SUCCESS ? 0 : -EIO);
	if (ret == TEE_SUCCESS)
		drm_verify(s);
	else if (!l->failed++)
		l->first_tee_error = ret;
	drm_session_note(&l->ses, ret);
	s->busy = false;
}

/* Package the next sample: clear content, layout, OpenSSL encryption. */
static void drm_package(struct drm_load *l, struct drm_slot *s)
{
	u32 span = l->p.size_max - l->p.size_min + 1;
	u32 len = l->p.size_min + (u32)prng_below(&l->prng, span);
	bool cbcs = l->p.schemes == DRM_LOAD_CBCS ||
		    (l->p.schemes == (DRM_LOAD_CENC | DRM_LOAD_CBCS) && prng_below(&l->prng, 2));
	int ret;

	cenc_layout(&l->prng, &s->cs, cbcs ? TEE_DRM_SCHEME_CBCS : TEE_DRM_SCHEME_CENC, len,
		    l->p.subsamples_max);
	drm_fill(&l->prng, s->clear, len);
	ret = cenc_encrypt(&s->cs, l->key, s->clear, s->in);
	always(ret == 0, "OpenSSL refused to package DRM sample %" PRIu64 ": %d", l->submitted,
	       ret);
	cenc_desc(&s->cs, DRM_LOAD_KEY_ID, s->desc);
}

/* Post @s to the TA with @out as its output. */
static int drm_post(struct drm_slot *s, struct tee_param_memref out, tee_client_done_t done)
{
	return drm_session_decrypt(&s->l->ses, &s->arg, s->param, virt_to_phys(s->desc),
				   virt_to_phys(s->in), s->cs.len, out, done, s);
}

static void drm_submit(struct drm_load *l, struct drm_slot *s)
{
	int ret;

	drm_package(l, s);
	l->by_scheme[s->cs.scheme == TEE_DRM_SCHEME_CBCS]++;
	s->sample = l->submitted++;
	s->busy = true;
	s->submit_ns = sim_now_ns(l->m->sim);
	ee_stats_submit(&l->stats, s->submit_ns);
	ret = drm_post(s, (struct tee_param_memref){ .shm = s->out_shm }, drm_sample_done);
	if (ret)
		drm_sample_done(s, TEE_ERROR_COMMUNICATION);
}

/* Invariant 6: the TA refuses plaintext for normal memory and writes nothing there. */
static void drm_rogue_done(void *data, u32 ret)
{
	struct drm_slot *s = data;
	struct drm_load *l = s->l;
	u32 len = s->cs.len, at = 0;

	while (at < len && l->bait[at] == DRM_BAIT)
		at++;
	l->rogue_ret = ret;
	always(ret == TEE_ERROR_SECURITY, "invariant 6 (no plaintext outside protected memory): "
	       "the TA answered 0x%x, not TEE_ERROR_SECURITY, to an output in normal memory", ret);
	always(at == len, "invariant 6 (no plaintext outside protected memory): byte %u of the "
	       "normal-memory output changed", at);
	s->busy = false;
}

static void drm_submit_rogue(struct drm_load *l, struct drm_slot *s)
{
	int ret;

	drm_package(l, s);
	memset(l->bait, DRM_BAIT, s->cs.len);
	l->rogue_sent = true;
	s->busy = true;
	ret = drm_post(s, (struct tee_param_memref){ .pa = virt_to_phys(l->bait) }, drm_rogue_done);
	if (ret)
		drm_rogue_done(s, TEE_ERROR_COMMUNICATION);
}

/* ---- the media task ---- */

/* OPEN: time to close (a dead session, or nothing more to do) once all came back. */
static bool drm_should_close(const struct drm_load *l)
{
	return !drm_in_flight(l) && (l->ses.dead || !drm_more_samples(l));
}

static bool drm_task_runnable(struct cpu_task *t)
{
	struct drm_load *l = t->priv;

	if (l->ses.state == DRM_SESSION_IDLE)
		return true;	/* open a session, or finish */
	if (l->ses.state != DRM_SESSION_OPEN)
		return false;
	return drm_should_close(l) ||
	       (!l->ses.dead && drm_more_samples(l) && drm_free_slot(l) != NULL);
}

static bool drm_task_run(struct cpu_task *t)
{
	struct drm_load *l = t->priv;

	if (l->ses.state == DRM_SESSION_IDLE && !drm_more_samples(l)) {
		l->done = true;
		return true;
	}
	if (l->ses.state == DRM_SESSION_IDLE)
		drm_session_open(&l->ses);
	else if (drm_should_close(l))
		drm_session_close(&l->ses);
	else if (drm_rogue_pending(l))
		drm_submit_rogue(l, drm_free_slot(l));
	else
		drm_submit(l, drm_free_slot(l));
	return false;
}

/* ---- set-up ---- */

static int drm_check_params(const struct drm_params *p, struct secsoc_error *err)
{
	if (!p->depth || p->depth > DRM_LOAD_DEPTH_MAX || p->size_min < 16 ||
	    p->size_max > CENC_SAMPLE_MAX || p->size_min > p->size_max || !p->subsamples_max ||
	    !p->schemes || (p->schemes & ~(DRM_LOAD_CENC | DRM_LOAD_CBCS)))
		return internal_error(err, "DRM workload: bad parameters (depth %u, %u..%u bytes)",
				      p->depth, p->size_min, p->size_max);
	return 0;
}

/* A protected output buffer for @s, registered with the TEE, as a media driver does. */
static int drm_alloc_output(struct drm_load *l, struct drm_slot *s, struct secsoc_error *err)
{
	phys_addr_t pa = 0;

	s->out_buf = dma_heap_buffer_alloc(l->heap, CENC_SAMPLE_MAX, O_RDWR, 0);
	if (IS_ERR(s->out_buf))
		return input_error(err, "%s: the DRM workload cannot allocate %u KiB from the %s "
				   "heap (%ld)", l->m->dt->source, CENC_SAMPLE_MAX / 1024,
				   DRM_OUTPUT_HEAP, PTR_ERR(s->out_buf));
	s->out_shm = tee_shm_register_dma_buf(l->ses.ctx, s->out_buf);
	if (IS_ERR(s->out_shm) || tee_shm_get_pa(s->out_shm, 0, &pa))
		return internal_error(err, "DRM workload: the TEE refused its protected buffer "
				      "as shared memory (%ld)", PTR_ERR(s->out_shm));
	s->out_pa = pa;
	return 0;
}

static int drm_alloc_slots(struct drm_load *l, struct secsoc_error *err)
{
	l->heap = dma_heap_find(DRM_OUTPUT_HEAP);
	if (!l->heap)
		return input_error(err, "%s: the DRM workload needs the %s heap, which the TEE "
				   "driver offers when the secure firmware has a protected-memory "
				   "service", l->m->dt->source, DRM_OUTPUT_HEAP);
	for (unsigned int i = 0; i < l->p.depth; i++) {
		struct drm_slot *s = &l->slots[i];
		int ret;

		s->l = l;
		ret = drm_alloc_output(l, s, err);
		if (ret)
			return ret;
		s->desc = kmalloc(sizeof(*s->desc), GFP_KERNEL);
		s->in = kmalloc(CENC_SAMPLE_MAX, GFP_KERNEL);
		if (!s->desc || !s->in)
			return internal_error(err, "DRM workload: out of kernel memory");
	}
	if (l->p.rogue_first && !(l->bait = kmalloc(CENC_SAMPLE_MAX, GFP_KERNEL)))
		return internal_error(err, "DRM workload: out of kernel memory");
	return 0;
}

/* The content key reaches the secure world at set-up, as a key ladder would. */
static int drm_provision(struct drm_load *l, struct secsoc_error *err)
{
	drm_fill(&l->prng, l->key, sizeof(l->key));
	return drm_session_init(&l->ses, l->m, DRM_LOAD_KEY_ID, l->key, "DRM workload", err);
}

static int drm_init(struct drm_load *l, struct machine *m, const struct drm_params *p,
		    u64 seed, struct secsoc_error *err)
{
	struct soc *soc = m->soc;
	int ret;

	l->m = m;
	ret = drm_check_params(p, err);
	if (ret)
		return ret;
	l->p = *p;
	prng_seed(&l->prng, seed);
	ret = drm_provision(l, err);
	if (!ret)
		ret = drm_alloc_slots(l, err);
	if (ret)
		return ret;
	/* The last normal-world CPU: the disk workload starts on the first. */
	l->task = (struct cpu_task){ .name = "media", .runnable = drm_task_runnable,
				     .run = drm_task_run, .priv = l };
	cpu_add_task(&soc->cpus[soc->nr_cpus - 1], &l->task);
	l->started = true;
	return 0;
}

struct drm_load *drm_load_create(struct machine *m, const struct drm_params *p, u64 seed,
				 struct checker *chk, struct secsoc_error *err)
{
	struct drm_load *l = calloc(1, sizeof(*l));

	if (!l) {
		internal_error(err, "out of memory for the DRM workload");
		return NULL;
	}
	l->chk = chk;
	if (drm_init(l, m, p, seed, err)) {
		drm_load_free(l);
		return NULL;
	}
	return l;
}

struct drm_load *drm_load_start(struct machine *m, u64 seed, struct secsoc_error *err)
{
	return drm_load_create(m, &drm_params_default, seed, NULL, err);
}

/* ---- the public API ---- */

void drm_load_stop(struct drm_load *l)
{
	l->stopped = true;
}

bool drm_load_idle(const struct drm_load *l)
{
	return !l->started || l->done;
}

u64 drm_load_samples(const struct drm_load *l)
{
	return l->verified;
}

u64 drm_load_errors(const struct drm_load *l)
{
	return l->failed + l->wrong;
}

unsigned int drm_load_in_flight(const struct drm_load *l)
{
	return drm_in_flight(l);
}

const struct ee_stats *drm_load_ee_stats(const struct drm_load *l)
{
	return &l->stats;
}

void drm_load_judge(const struct drm_load *l)
{
	u64 back = l->verified + l->failed + l->wrong;
	bool finished = l->done && !drm_in_flight(l) && back == l->submitted;
	bool all_sent = !l->p.samples || l->stopped || l->submitted == l->p.samples;

	always(finished, "invariant 5 (every request completes): DRM: %" PRIu64 " samples "
	       "submitted, %" PRIu64 " came back, %u in flight, session state %d", l->submitted,
	       back, drm_in_flight(l), l->ses.state);
	always(all_sent, "invariant 5 (every request completes): DRM: %" PRIu64 " of %" PRIu64
	       " samples submitted", l->submitted, l->p.samples);
	always(!l->p.rogue_first || l->rogue_sent, "DRM: the normal-memory output was never "
	       "tried");
}

/* The protected outputs: a call still in flight holds its own reference on its shm. */
static void drm_release_outputs(struct drm_load *l)
{
	for (unsigned int i = 0; i < DRM_LOAD_DEPTH_MAX; i++) {
		struct drm_slot *s = &l->slots[i];

		tee_shm_free(s->out_shm);
		if (!IS_ERR_OR_NULL(s->out_buf))
			dma_buf_put(s->out_buf);
		s->out_shm = NULL;
		s->out_buf = NULL;
	}
	dma_heap_put(l->heap);
	l->heap = NULL;
}

void drm_load_release(struct drm_load *l)
{
	drm_release_outputs(l);
	if (!drm_load_idle(l))
		return;	/* the TEE may still read a call's message: leave it to the kernel */
	for (unsigned int i = 0; i < DRM_LOAD_DEPTH_MAX; i++) {
		kfree(l->slots[i].desc);
		kfree(l->slots[i].in);
		l->slots[i].desc = NULL;
		l->slots[i].in = NULL;
	}
	kfree(l->bait);
	l->bait = NULL;
	drm_session_release(&l->ses);
}

void drm_load_free(struct drm_load *l)
{
	if (!l)
		return;
	drm_load_release(l);
	/* A task that never finished must not stay on its CPU's list. */
	if (l->started && !l->task.finished)
		list_del_init(&l->task.node);
	free(l);
}

void drm_load_report(const struct drm_load *l, struct report *r)
{
	struct tee_drm_stats ta = tee_drm_stats(&l->m->tee);

	report_section_begin(r, "drm");
	report_u64(r, "depth", l->p.depth);
	report_u64(r, "samples", l->submitted);
	report_u64(r, "samples_cenc", l->by_scheme[0]);
	report_u64(r, "samples_cbcs", l->by_scheme[1]);
	report_u64(r, "size_min", l->p.size_min);
	report_u64(r, "size_max", l->p.size_max);
	report_u64(r, "samples_verified", l->verified);
	report_u64(r, "samples_failed", l->failed);
	report_u64(r, "samples_wrong", l->wrong);
	if (l->failed)
		report_hex(r, "first_tee_error", l->first_tee_error);
	if (l->p.rogue_first)
		report_hex(r, "normal_output_refused_with", l->rogue_ret);
	report_u64(r, "sessions", l->ses.opened);
	report_u64(r, "ta_qce_ops", ta.qce_ops);
	report_u64(r, "ta_panics", ta.panics);
	report_u64(r, "ta_refused", ta.refused);
	report_section_end(r);
}
