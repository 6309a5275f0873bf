/*
 * disk_load.c - the disk-encryption workload (scenarios/disk.h): a
 * dm-crypt-like task on a normal-world CPU keeping up to `depth` AES-XTS
 * requests in flight, checking every completion against OpenSSL.
 *
 * The task submits; completion callbacks (bottom halves) check and move
 * the slot on. A slot goes FREE -> WRITING -> WRITTEN -> READING -> FREE.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <secsoc/err.h>

#include "scenarios/disk.h"

static void disk_fill(struct prng *p, u8 *buf, size_t len)
{
	for (size_t i = 0; i < len; i += 8) {
		u64 v = prng_next(p);

		memcpy(buf + i, &v, MIN((size_t)8, len - i));
	}
}

/* plain64: the sector number, little-endian, zero-padded to 16 bytes. */
static void disk_tweak(unsigned int sector, u8 iv[AES_BLOCK_SIZE])
{
	u64 le = cpu_to_le64((u64)sector);

	memset(iv, 0, AES_BLOCK_SIZE);
	memcpy(iv, &le, sizeof(le));
}

static unsigned int disk_pick_size(struct disk_load *d)
{
	unsigned int steps = (d->p.size_max - d->p.size_min) / DISK_SIZE_STEP + 1;

	return d->p.size_min + (unsigned int)prng_below(&d->prng, steps) * DISK_SIZE_STEP;
}

/* ---- completion ---- */

static void disk_check_write(struct disk_slot *s)
{
	struct disk_load *d = s->d;
	u8 want[DISK_SECTOR_MAX], iv[AES_BLOCK_SIZE];
	char what[64];
	int ret;

	disk_tweak(s->sector, iv);
	ret = checker_ref("aes-256-xts", d->key, iv, s->plain, want, s->len, true);
	always(ret == 0, "OpenSSL refused the XTS reference of sector %u: %d", s->sector, ret);
	snprintf(what, sizeof(what), "disk sector %u (%u bytes) encryption", s->sector, s->len);
	if (!ret)
		checker_output(d->chk, what, s->data, want, s->len);
}

static void disk_check_read(struct disk_slot *s)
{
	char what[64];

	/* OpenSSL's decryption of the (checked) ciphertext is the plaintext. */
	snprintf(what, sizeof(what), "disk sector %u (%u bytes) decryption", s->sector, s->len);
	checker_output(s->d->chk, what, s->data, s->plain, s->len);
}

static void disk_complete(struct disk_slot *s, int err)
{
	struct disk_load *d = s->d;
	bool writing = s->phase == DISK_WRITING;

	always(writing || s->phase == DISK_READING, "disk sector %u completed twice", s->sector);
	ee_stats_complete(&d->stats, s->submit_ns, sim_now_ns(d->m->sim), s->len, err);
	if (err) {
		d->sectors_failed++;
		s->phase = DISK_FREE;
		return;
	}
	if (writing) {
		disk_check_write(s);
		s->phase = DISK_WRITTEN;
		return;
	}
	disk_check_read(s);
	d->sectors_done++;
	s->phase = DISK_FREE;
}

/* The request's callback, from a bottom half. */
static void disk_done(void *data, int err)
{
	/* A backlogged request has only started: its real completion follows. */
	if (err == -EINPROGRESS)
		return;
	disk_complete(data, err);
}

/* ---- submission ---- */

static void disk_note_issue(struct disk_load *d)
{
	const struct checker *c = d->chk;

	if (d->goal_mid_ta)
		sometimes(qce_busy(c->qce) && qce_op_ee(c->qce) == c->tee_ee,
			  DISK_GOAL_ISSUED_MID_TA);
}

static void disk_submit(struct disk_slot *s)
{
	struct disk_load *d = s->d;
	bool write = s->phase == DISK_FREE;
	int ret;

	if (write) {
		s->sector = d->next_sector++;
		s->len = disk_pick_size(d);
		disk_fill(&d->prng, s->plain, s->len);
		sg_init_one(&s->src, s->plain, s->len);
	}
	sg_init_one(&s->dst, s->data, s->len);
	disk_tweak(s->sector, s->iv);
	skcipher_request_set_callback(s->req, CRYPTO_TFM_REQ_MAY_BACKLOG, disk_done, s);
	/* A write goes plaintext -> ciphertext buffer; a read decrypts in place. */
	skcipher_request_set_crypt(s->req, write ? &s->src : &s->dst, &s->dst, s->len, s->iv);
	s->phase = write ? DISK_WRITING : DISK_READING;
	s->submit_ns = sim_now_ns(d->m->sim);
	ee_stats_submit(&d->stats, s->submit_ns);
	disk_note_issue(d);
	ret = write ? crypto_skcipher_encrypt(s->req) : crypto_skcipher_decrypt(s->req);
	if (ret != -EINPROGRESS && ret != -EBUSY)
		disk_complete(s, ret);
}

/* The slot the task serves next: a read-back first, then a new write. */
static struct disk_slot *disk_next_slot(struct disk_load *d)
{
	struct disk_slot *free_slot = NULL;

	for (unsigned int i = 0; i < d->p.depth; i++) {
		struct disk_slot *s = &d->slots[i];

		if (s->phase == DISK_WRITTEN)
			return s;
		if (s->phase == DISK_FREE && !free_slot)
			free_slot = s;
	}
	return d->next_sector < d->p.sectors ? free_slot : NULL;
}

static bool disk_task_runnable(struct cpu_task *t)
{
	return disk_next_slot(t->priv) != NULL;
}

/* Nothing will ever need the task again: no sector to write, none to read back. */
static bool disk_task_done(const struct disk_load *d)
{
	if (d->next_sector < d->p.sectors)
		return false;
	for (unsigned int i = 0; i < d->p.depth; i++)
		if (d->slots[i].phase == DISK_WRITING || d->slots[i].phase == DISK_WRITTEN)
			return false;
	return true;
}

static bool disk_task_run(struct cpu_task *t)
{
	struct disk_load *d = t->priv;

	disk_submit(disk_next_slot(d));
	return disk_task_done(d);
}

/* ---- set-up and tear-down ---- */

static int disk_check_params(const struct disk_params *p, struct secsoc_error *err)
{
	if (!p->depth || p->depth > DISK_DEPTH_MAX || !p->sectors ||
	    p->size_min < DISK_SIZE_STEP || p->size_max > DISK_SECTOR_MAX ||
	    p->size_min > p->size_max || p->size_min % DISK_SIZE_STEP ||
	    p->size_max % DISK_SIZE_STEP)
		return internal_error(err, "disk workload: bad parameters (depth %u, %u sectors, "
				      "%u..%u bytes)", p->depth, p->sectors, p->size_min,
				      p->size_max);
	return 0;
}

static int disk_alloc_slots(struct disk_load *d, struct secsoc_error *err)
{
	for (unsigned int i = 0; i < d->p.depth; i++) {
		struct disk_slot *s = &d->slots[i];

		s->d = d;
		s->plain = kmalloc(d->p.size_max, GFP_KERNEL);
		s->data = kmalloc(d->p.size_max, GFP_KERNEL);
		s->req = skcipher_request_alloc(d->tfm, GFP_KERNEL);
		if (!s->plain || !s->data || !s->req)
			return internal_error(err, "disk workload: out of kernel memory");
	}
	return 0;
}

static int disk_alloc_tfm(struct disk_load *d, struct secsoc_error *err)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(DISK_ALG, 0, 0);
	int ret;

	if (IS_ERR_OR_NULL(tfm))
		return input_error(err, "%s: the disk workload needs %s, which no driver provides "
				   "(%ld)", d->m->dt->source, DISK_ALG, PTR_ERR(tfm));
	d->tfm = tfm;
	snprintf(d->driver, sizeof(d->driver), "%s", crypto_skcipher_driver_name(tfm));
	disk_fill(&d->prng, d->key, sizeof(d->key));
	/* XTS refuses equal key halves. */
	if (!memcmp(d->key, d->key + AES_KEYSIZE_256, AES_KEYSIZE_256))
		d->key[0] ^= 1;
	ret = crypto_skcipher_setkey(tfm, d->key, sizeof(d->key));
	return ret ? internal_error(err, "%s: setkey failed: %d", DISK_ALG, ret) : 0;
}

int disk_load_start(struct disk_load *d, struct machine *m, struct checker *chk,
		    const struct disk_params *p, u64 seed, struct secsoc_error *err)
{
	int ret;

	memset(d, 0, sizeof(*d));
	d->m = m;
	d->chk = chk;
	ret = disk_check_params(p, err);
	if (ret)
		return ret;
	d->p = *p;
	prng_seed(&d->prng, seed);
	ret = disk_alloc_tfm(d, err);
	if (!ret)
		ret = disk_alloc_slots(d, err);
	if (ret)
		return ret;
	d->task = (struct cpu_task){ .name = "dm-crypt", .runnable = disk_task_runnable,
				     .run = disk_task_run, .priv = d };
	cpu_add_task(&m->soc->cpus[0], &d->task);
	return 0;
}

unsigned int disk_load_in_flight(const struct disk_load *d)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < d->p.depth; i++)
		n += d->slots[i].phase == DISK_WRITING || d->slots[i].phase == DISK_READING;
	return n;
}

void disk_load_judge(const struct disk_load *d)
{
	unsigned int in_flight = disk_load_in_flight(d);
	bool finished = d->sectors_done + d->sectors_failed == d->p.sectors && !in_flight;

	always(finished, "invariant 5 (every request completes): disk: %u of %u sectors finished, "
	       "%u requests in flight (%" PRIu64 " submitted, %" PRIu64 " completed)",
	       d->sectors_done + d->sectors_failed, d->p.sectors, in_flight, d->stats.requests,
	       d->stats.completed);
}

void disk_load_release(struct disk_load *d)
{
	bool busy = disk_load_in_flight(d) > 0;

	/* The driver may still touch an in-flight request: leave it all to the kernel. */
	if (busy)
		return;
	for (unsigned int i = 0; i < d->p.depth; i++) {
		struct disk_slot *s = &d->slots[i];

		skcipher_request_free(s->req);
		kfree(s->plain);
		kfree(s->data);
		*s = (struct disk_slot){ 0 };
	}
	crypto_free_skcipher(d->tfm);
	d->tfm = NULL;
}

void disk_load_report(const struct disk_load *d, struct report *r)
{
	report_section_begin(r, "disk");
	report_str(r, "algorithm", DISK_ALG);
	report_str(r, "driver", d->driver);
	report_u64(r, "depth", d->p.depth);
	report_u64(r, "sectors", d->p.sectors);
	report_u64(r, "size_min", d->p.size_min);
	report_u64(r, "size_max", d->p.size_max);
	report_u64(r, "sectors_verified", d->sectors_done);
	report_u64(r, "sectors_failed", d->sectors_failed);
	report_section_end(r);
}
