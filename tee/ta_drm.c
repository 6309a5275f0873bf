/*
 * ta_drm.c - the DRM trusted application (include/secsoc/tee_drm.h): it
 * holds the provisioned content keys and decrypts CENC-style samples
 * ('cenc' AES-128-CTR, 'cbcs' AES-128-CBC with the 1:9 pattern) from
 * normal memory into protected memory, with the crypto engine through the
 * secure BAM driver. It runs as a task on the secure CPU, one command at a
 * time (the TEE core queues the others), and refuses any output that is
 * not entirely protected before it writes anything. docs/tee.md, "The DRM
 * TA", has the rules and the return codes.
 *
 * Clear bytes are copied by the secure CPU; encrypted bytes only ever pass
 * through the engine: one operation per sample for cenc (the encrypted
 * ranges gathered on rx and scattered to the same offsets on tx), one per
 * sub-sample with encrypted blocks for cbcs.
 */
#include <errno.h>
#include <string.h>

#include "tee/tee_internal.h"

#define AES_BLOCK 16u
#define CBCS_PERIOD ((TEE_DRM_CBCS_CRYPT_BLOCKS + TEE_DRM_CBCS_SKIP_BLOCKS) * AES_BLOCK)
/* Engine status bits that mean the operation's output cannot be trusted. */
#define QCE_STATUS_FAILED (QCE_STATUS_SW_ERR | QCE_STATUS_CFG_CHNG_ERR | QCE_STATUS_AXI_ERR | \
			   QCE_STATUS_DIN_ERR | QCE_STATUS_DOUT_ERR)

/* ---- keys ---- */

static struct tee_drm_key *key_find(struct ta_drm *d, u32 id)
{
	for (unsigned int i = 0; i < TEE_DRM_KEYS_MAX; i++)
		if (d->keys[i].used && d->keys[i].id == id)
			return &d->keys[i];
	return NULL;
}

int tee_drm_provision_key(struct tee *t, u32 key_id, const u8 key[TEE_DRM_KEY_BYTES])
{
	struct ta_drm *d = &t->drm;
	struct tee_drm_key *k = key_find(d, key_id);

	for (unsigned int i = 0; i < TEE_DRM_KEYS_MAX && !k; i++)
		if (!d->keys[i].used)
			k = &d->keys[i];
	if (!k)
		return -ENOSPC;
	k->used = true;
	k->id = key_id;
	memcpy(k->key, key, TEE_DRM_KEY_BYTES);
	return 0;
}

struct tee_drm_stats tee_drm_stats(const struct tee *t)
{
	return t->drm.stats;
}

/* ---- checking a command (nothing is written before all of it passed) ---- */

static u32 check_params(const struct tee *t, const struct tee_msg_arg *m)
{
	const struct tee_msg_param *desc = &m->params[0], *in = &m->params[1];
	const struct tee_msg_param *out = &m->params[2];

	if (m->num_params != 3 || desc->attr != TEE_PARAM_ATTR_TYPE_MEMREF_INPUT ||
	    in->attr != TEE_PARAM_ATTR_TYPE_MEMREF_INPUT ||
	    out->attr != TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT ||
	    desc->b != sizeof(struct tee_drm_decrypt_desc))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Sizes: a sample is 1..TEE_DRM_SAMPLE_MAX bytes and its output has room for it. */
	if (in->b == 0 || in->b > TEE_DRM_SAMPLE_MAX || out->b < in->b)
		return TEE_ERROR_BAD_PARAMETERS;
	if (!tee_range_normal(t, desc->a, desc->b) || !tee_range_normal(t, in->a, in->b))
		return TEE_ERROR_ACCESS_DENIED;
	if (!tee_range_protected(t, out->a, out->b))
		return TEE_ERROR_SECURITY;
	/* BAM descriptors carry 32-bit addresses. */
	if (in->a + in->b > BIT_ULL(32) || out->a + out->b > BIT_ULL(32))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

static u32 check_desc(struct ta_drm *d, u64 len)
{
	const struct tee_drm_decrypt_desc *desc = &d->desc;
	u64 sum = 0;

	if ((desc->scheme != TEE_DRM_SCHEME_CENC && desc->scheme != TEE_DRM_SCHEME_CBCS) ||
	    desc->reserved || desc->nr_subsamples == 0 ||
	    desc->nr_subsamples > TEE_DRM_SUBSAMPLES_MAX)
		return TEE_ERROR_BAD_PARAMETERS;
	for (unsigned int i = 0; i < desc->nr_subsamples; i++)
		sum += (u64)desc->subsamples[i].clear_bytes + desc->subsamples[i].encrypted_bytes;
	if (sum != len)
		return TEE_ERROR_BAD_PARAMETERS;
	d->key = key_find(d, desc->key_id);
	return d->key ? TEE_SUCCESS : TEE_ERROR_ITEM_NOT_FOUND;
}

/* The descriptor is copied into secure memory once, then only the copy is used. */
static u32 drm_check(struct tee *t, const struct tee_msg_arg *m)
{
	struct ta_drm *d = &t->drm;
	u32 ret;

	if (m->func != TEE_DRM_CMD_DECRYPT)
		return TEE_ERROR_NOT_SUPPORTED;
	ret = check_params(t, m);
	if (ret != TEE_SUCCESS)
		return ret;
	cpu_read(t->cpu, m->params[0].a, &d->desc, sizeof(d->desc));
	return check_desc(d, m->params[1].b);
}

/* ---- the engine ---- */

static void write_be_words(struct tee *t, u32 off, const u8 *bytes, unsigned int len)
{
	for (unsigned int i = 0; i < len; i += 4)
		tee_bam_op_write(t, off + i, (u32)bytes[i] << 24 | (u32)bytes[i + 1] << 16 |
						 (u32)bytes[i + 2] << 8 | bytes[i + 3]);
}

/*
 * CONFIG as Linux's qce_config_reg() builds it: REQ_SIZE 7, interrupts
 * masked, the pipe pair; bit 2 of the mask field is left clear (the
 * driver's quirk), and LITTLE_ENDIAN_MODE only right before GO.
 */
static u32 config_reg(const struct tee *t, bool little)
{
	u32 cfg = ((u32)FIELD_PREP(QCE_CONFIG_REQ_SIZE, 7) | 0xf |
		   (u32)FIELD_PREP(QCE_CONFIG_PIPE_SET_SELECT, tee_bam_pair(t))) & ~BIT(2);

	return little ? cfg | QCE_CONFIG_LITTLE_ENDIAN_MODE : cfg;
}

/* An AES-128 decryption of @len bytes, in the register order of the Linux driver. */
static void program_aes(struct tee *t, u32 mode, const u8 *iv, u32 len)
{
	tee_bam_op_write(t, QCE_STATUS, 0);
	tee_bam_op_write(t, QCE_CONFIG, config_reg(t, false));
	tee_bam_op_write(t, QCE_AUTH_SEG_CFG, 0);
	write_be_words(t, QCE_ENCR_KEY(0), t->drm.key->key, TEE_DRM_KEY_BYTES);
	write_be_words(t, QCE_CNTR_IV(0), iv, TEE_DRM_IV_BYTES);
	tee_bam_op_write(t, QCE_ENCR_SEG_CFG,
			 (u32)(FIELD_PREP(QCE_ENCR_ALG, QCE_ENCR_ALG_AES) |
			       FIELD_PREP(QCE_ENCR_KEY_SZ, QCE_ENCR_KEY_SZ_AES128) |
			       FIELD_PREP(QCE_ENCR_MODE, mode)));
	tee_bam_op_write(t, QCE_ENCR_SEG_SIZE, len);
	tee_bam_op_write(t, QCE_ENCR_SEG_START, 0);
	if (mode == QCE_ENCR_MODE_CTR) {
		/* A full 128-bit counter: it carries across sub-samples like CENC's. */
		tee_bam_op_write(t, QCE_CNTR_MASK, ~0u);
		tee_bam_op_write(t, QCE_CNTR_MASK0, ~0u);
		tee_bam_op_write(t, QCE_CNTR_MASK1, ~0u);
		tee_bam_op_write(t, QCE_CNTR_MASK2, ~0u);
	}
	tee_bam_op_write(t, QCE_SEG_SIZE, len);
	tee_bam_op_write(t, QCE_CONFIG, config_reg(t, true));
	tee_bam_op_write(t, QCE_GOPROC, QCE_GOPROC_GO | QCE_GOPROC_RESULTS_DUMP);
}

/* cenc: one operation over the encrypted parts of every sub-sample. */
static bool submit_cenc(struct tee *t)
{
	struct ta_drm *d = &t->drm;
	const struct tee_drm_decrypt_desc *desc = &d->desc;
	u32 total = 0, off = 0;

	if (d->next_sub == desc->nr_subsamples)
		return false;	/* the one operation is done */
	for (unsigned int i = 0; i < desc->nr_subsamples; i++)
		total += desc->subsamples[i].encrypted_bytes;
	d->next_sub = desc->nr_subsamples;
	if (!total)
		return false;
	tee_bam_op_begin(t);
	program_aes(t, QCE_ENCR_MODE_CTR, desc->iv, total);
	for (unsigned int pass = 0; pass < 2; pass++, off = 0) {
		for (unsigned int i = 0; i < desc->nr_subsamples; i++) {
			const struct tee_drm_subsample *s = &desc->subsamples[i];

			off += s->clear_bytes;
			if (s->encrypted_bytes && !pass)
				tee_bam_op_in(t, d->in_pa + off, s->encrypted_bytes);
			else if (s->encrypted_bytes)
				tee_bam_op_out(t, d->out_pa + off, s->encrypted_bytes);
			off += s->encrypted_bytes;
		}
	}
	tee_bam_op_submit(t);
	return true;
}

static u32 cbcs_blocks(u32 encrypted_bytes)
{
	u32 full = encrypted_bytes / AES_BLOCK;

	return DIV_ROUND_UP(full, TEE_DRM_CBCS_CRYPT_BLOCKS + TEE_DRM_CBCS_SKIP_BLOCKS);
}

/* cbcs: the next sub-sample with encrypted blocks, one operation, one block per descriptor. */
static bool submit_cbcs(struct tee *t)
{
	struct ta_drm *d = &t->drm;
	const struct tee_drm_decrypt_desc *desc = &d->desc;

	for (; d->next_sub < desc->nr_subsamples; d->next_sub++) {
		const struct tee_drm_subsample *s = &desc->subsamples[d->next_sub];
		u32 enc = d->next_off + s->clear_bytes, nb = cbcs_blocks(s->encrypted_bytes);

		d->next_off += s->clear_bytes + s->encrypted_bytes;
		if (!nb)
			continue;
		tee_bam_op_begin(t);
		program_aes(t, QCE_ENCR_MODE_CBC, desc->iv, nb * AES_BLOCK);
		for (u32 b = 0; b < nb; b++)
			tee_bam_op_in(t, d->in_pa + enc + b * CBCS_PERIOD, AES_BLOCK);
		for (u32 b = 0; b < nb; b++)
			tee_bam_op_out(t, d->out_pa + enc + b * CBCS_PERIOD, AES_BLOCK);
		tee_bam_op_submit(t);
		d->next_sub++;
		return true;
	}
	return false;
}

static bool submit_next(struct tee *t)
{
	bool posted = t->drm.desc.scheme == TEE_DRM_SCHEME_CENC ? submit_cenc(t) : submit_cbcs(t);

	t->drm.stats.qce_ops += posted;
	return posted;
}

/*
 * The clear bytes, by the secure CPU. cbcs copies whole sub-samples: the
 * engine then overwrites the encrypted blocks with their plaintext.
 */
static void copy_clear(struct tee *t)
{
	struct ta_drm *d = &t->drm;
	u32 off = 0;

	for (unsigned int i = 0; i < d->desc.nr_subsamples; i++) {
		const struct tee_drm_subsample *s = &d->desc.subsamples[i];
		u32 n = d->desc.scheme == TEE_DRM_SCHEME_CBCS ? s->clear_bytes + s->encrypted_bytes :
							      s->clear_bytes;

		tee_copy_to_protected(t, d->out_pa + off, d->in_pa + off, n);
		off += s->clear_bytes + s->encrypted_bytes;
	}
}

/* ---- the TA's thread ---- */

static void drm_finish(struct tee *t, u32 ret)
{
	struct ta_drm *d = &t->drm;
	struct tee_call *call = d->call;

	if (ret == TEE_SUCCESS) {
		d->stats.samples++;
		d->stats.bytes += d->len;
	} else {
		d->stats.failed++;
	}
	d->call = NULL;
	d->started = false;
	tee_ta_done(t, call, ret);
}

static void drm_start(struct tee *t)
{
	t->drm.started = true;
	copy_clear(t);
	if (!submit_next(t))
		drm_finish(t, TEE_SUCCESS);
}

/* An operation finished: check the engine's status, then the next one or the end. */
static void drm_op_done(struct tee *t)
{
	u32 status = tee_bam_result_status(t);

	if (!(status & QCE_STATUS_OPERATION_DONE) || (status & QCE_STATUS_FAILED)) {
		sim_guest_error(t->soc->sim, "tee", "DRM TA: the engine reported STATUS 0x%08x",
				status);
		drm_finish(t, TEE_ERROR_GENERIC);
	} else if (!submit_next(t)) {
		drm_finish(t, TEE_SUCCESS);
	}
}

/* Woken by the BAM interrupt or the poll timer. */
static void drm_wait(struct tee *t)
{
	switch (tee_bam_poll(t)) {
	case TEE_BAM_LOCKED:
		sometimes(true, "tee: the DRM TA ran while holding the BAM lock");
		if (sim_fault(t->soc->sim, FAULT_TA_CRASH)) {
			t->drm.stats.panics++;
			tee_ta_panic(t, t->drm.call);
		}
		return;
	case TEE_BAM_RUNNING:
		return;
	case TEE_BAM_ERROR:
		tee_bam_recover(t);
		drm_finish(t, TEE_ERROR_COMMUNICATION);
		return;
	case TEE_BAM_DONE:
		drm_op_done(t);
		return;
	}
}

static bool drm_runnable(struct cpu_task *task)
{
	const struct tee *t = task->priv;

	return t->drm.call && (!t->drm.started || tee_bam_event(t));
}

static bool drm_run(struct cpu_task *task)
{
	struct tee *t = task->priv;

	if (!t->drm.started)
		drm_start(t);
	else
		drm_wait(t);
	return false;	/* the TA's thread lives as long as the TEE */
}

/* ---- entry points ---- */

static u32 drm_open_session(struct tee *t, struct tee_session *s)
{
	return tee_bam_usable(t) ? TEE_SUCCESS : TEE_ERROR_NOT_SUPPORTED;
}

static u32 drm_invoke(struct tee *t, struct tee_session *s, struct tee_call *call)
{
	struct ta_drm *d = &t->drm;
	const struct tee_msg_arg *m = &call->msg;
	u32 ret = drm_check(t, m);

	if (ret != TEE_SUCCESS) {
		d->stats.refused++;
		return ret;
	}
	d->call = call;
	d->started = false;
	d->in_pa = m->params[1].a;
	d->out_pa = m->params[2].a;
	d->len = (u32)m->params[1].b;
	d->next_sub = 0;
	d->next_off = 0;
	return TEE_PENDING;
}

static void drm_close_session(struct tee *t, struct tee_session *s)
{
}

/* A fresh instance: no command (the keys are provisioned storage, they stay). */
static void drm_reset(struct tee *t)
{
	t->drm.call = NULL;
	t->drm.started = false;
}

const struct tee_ta_ops ta_drm_ops = {
	.name = "drm",
	.uuid = TEE_DRM_TA_UUID,
	.open_session = drm_open_session,
	.invoke = drm_invoke,
	.close_session = drm_close_session,
	.reset = drm_reset,
};

void ta_drm_init(struct tee *t)
{
	struct ta_drm *d = &t->drm;

	*d = (struct ta_drm){ 0 };
	d->task = (struct cpu_task){ .name = "drm-ta", .runnable = drm_runnable, .run = drm_run,
				     .priv = t };
	cpu_add_task(t->cpu, &d->task);
}
