/*
 * qce_internal.h - the crypto engine model's private state, shared by
 * hw/qce.c (register file, MMIO, GOPROC, creation), hw/qce_op.c (the
 * actor: an operation from setup to done), hw/qce_port.c (the BAM
 * peripheral port: input, output staging, done),
 * hw/qce_engine.c (the cipher, and the checks an operation's settings must
 * pass) and hw/qce_hash.c (SHA-1/SHA-256 and HMAC with continuation).
 */
#ifndef SECSOC_HW_QCE_INTERNAL_H
#define SECSOC_HW_QCE_INTERNAL_H

#include <openssl/evp.h>
#include <openssl/sha.h>

#include <secsoc/qce.h>

typedef unsigned __int128 u128;

#define QCE_NAME_MAX 64
#define QCE_REG_WORDS (QCE_MMIO_SIZE / 4)
#define QCE_AES_BLOCK 16
#define QCE_SHA_BLOCK 64
/* Input taken per push at most (a whole XTS data unit may be larger). */
#define QCE_DIN_CHUNK (16 * 1024)
/* Input taken but not yet paid for by an engine step, at most. */
#define QCE_PENDING_MAX (2 * QCE_DIN_CHUNK)
/* No more input while this much output waits for the producer pipe. */
#define QCE_STAGE_HIGH (32 * 1024)
#define QCE_XTS_DU_MAX (QCE_XTS_DU_SIZE_MAX + 1)
/* Input held back across pushes: XTS keeps a unit's last full and partial block. */
#define QCE_CARRY_MAX (2 * QCE_AES_BLOCK - 1)
/*
 * Staged output never exceeds: below the high mark before a push, plus a
 * mid-operation flush (the carry), plus one push's output (at most a whole
 * data unit, plus the carry it completes), plus the finish step's flush
 * and the dump.
 */
#define QCE_STAGE_MAX (QCE_STAGE_HIGH + QCE_XTS_DU_MAX + 3 * QCE_CARRY_MAX + \
		       QCE_RESULT_DUMP_BYTES)

enum qce_state {
	QCE_IDLE,
	QCE_ARMED,	/* GO written; the setup step has not run */
	QCE_RUNNING,	/* taking input */
	QCE_DRAINING,	/* finished; output (dump included) still staged */
};

enum qce_kind {
	QCE_OP_DISCARD,	/* refused at setup: input is consumed and dropped */
	QCE_OP_CIPHER,
	QCE_OP_HASH,
};

struct qce_op {
	enum qce_state state;
	enum qce_kind kind;
	bool dump;		/* GOPROC.RESULTS_DUMP */
	bool hw_key;		/* started through GOPROC_QC_KEY / GOPROC_OEM_KEY */
	bool dirty;		/* configuration written since the settings were taken */
	bool broken;		/* cipher settings became unusable mid-operation */
	unsigned int pair;
	int ee;			/* who wrote GO, BAM_NO_EE if unknown */
	u32 seg_size;
	u32 in_left;		/* input bytes the operation still expects */
	u64 pending;		/* bytes taken, not yet paid for by an engine step */
	u64 out_bytes;		/* data bytes produced */
	u64 start_ns;
	char alg[24];		/* for traces, e.g. "cbc(aes128)" */
};

/*
 * What an EVP context was last set up with. The key schedule stays in the
 * context while the key registers do not change (one driver, one tfm key):
 * setting it up again would cost more host time than a 4 KiB request.
 */
struct qce_evp_key {
	const EVP_CIPHER *evp;		/* NULL: nothing usable (never set up, or refused) */
	int enc;
	u32 len;
	u8 key[64];
};

struct qce_cipher {
	EVP_CIPHER_CTX *ctx;		/* the mode's cipher */
	EVP_CIPHER_CTX *tctx[2];	/* XTS: AES-ECB [decryption, encryption] with Key2 */
	EVP_CIPHER *evp[4][2];		/* [ECB, CBC, CTR, XTS][AES-128, AES-256] */
	struct qce_evp_key cur;		/* what ctx was last set up with */
	struct qce_evp_key tcur[2];	/* what tctx[] were last set up with */
	bool tkeys;			/* XTS: tctx[] hold this operation's Key2 */
	u32 mode;			/* QCE_ENCR_MODE_* */
	bool enc;
	bool aes256;
	u8 iv[QCE_AES_BLOCK];		/* CBC: the last ciphertext block */
	/* ECB/CBC: a block split across pushes; XTS: the bytes held back. */
	u8 carry[QCE_CARRY_MAX];
	u32 ncarry;
	/* CTR: counter of the current block, bytes of it used, increment mask. */
	u128 ctr;
	u128 mask;
	u32 ctr_pos;
	u64 ctr_run;			/* bytes until the masked increment departs from +1 */
	/* XTS: the sequence number of the next data unit (CNTR_IV as a 128-bit number). */
	u128 tweak;
	u128 seq;			/* XTS: the current unit's sequence number */
	u128 t;				/* XTS: the tweak of block blk of the unit */
	u32 blk;			/* XTS: blocks of the unit processed */
	u32 du;				/* ENCR_XTS_DU_SIZE */
	u32 du_len;			/* length of the current data unit */
	u32 du_fill;			/* bytes of it taken (processed or held back) */
};

struct qce_hash {
	bool sha256;
	bool hmac;
	bool last;
	u64 count;			/* message bytes, including earlier requests */
	u8 key[QCE_SHA_BLOCK];		/* HMAC: the block-sized key from AUTH_KEY */
	union {
		SHA_CTX sha1;
		SHA256_CTX sha256;
	} c;
};

struct qce {
	struct sim_actor actor;
	struct sim *sim;
	struct bus *bus;
	struct bam *bam;
	char name[QCE_NAME_MAX];
	struct qce_config cfg;
	u32 regs[QCE_REG_WORDS];
	u8 reg_index[QCE_REG_WORDS];	/* 1 + index in the register table; 0: none */
	u32 status;			/* the sticky STATUS bits */
	int lock_ee;			/* from lock_changed (detached engines) */
	int cfg_ee;
	struct qce_op op;
	struct qce_cipher cipher;
	struct qce_hash hash;
	/* Output waiting for the producer pipe: [stage_head, stage_tail). */
	u8 *stage;
	u32 stage_cap;
	u32 stage_head;
	u32 stage_tail;
	unsigned int stage_pipe;
	/* Detached engines: qce_set_dout_buffer(). */
	u8 *ext_buf;
	u32 ext_len;
	u32 ext_used;
	/* Counters. */
	u64 access_violations;
	u64 cfg_change_errors;
	u64 ops_done;
	u64 ops_failed;
	int vcd_busy;
	/* The checker watching (qce_set_monitor), or NULL. */
	const struct qce_monitor_ops *mon;
	void *mon_ctx;
};

/* Turns @n input bytes into @n output bytes (@in may be NULL for generated output). */
typedef void (*qce_xform_fn)(struct qce *q, u8 *out, const u8 *in, u32 n);

static inline u32 qce_rd(const struct qce *q, u32 off)
{
	return q->regs[off / 4];
}

static inline unsigned int qce_producer_pipe(const struct qce *q)
{
	return 2 * q->op.pair + 1;
}

/* Big-endian words of byte strings (keys, IVs, digests). */
static inline u32 qce_get_be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static inline void qce_put_be32(u8 *p, u32 v)
{
	p[0] = (u8)(v >> 24);
	p[1] = (u8)(v >> 16);
	p[2] = (u8)(v >> 8);
	p[3] = (u8)v;
}

static inline void qce_put_le32(u8 *p, u32 v)
{
	p[0] = (u8)v;
	p[1] = (u8)(v >> 8);
	p[2] = (u8)(v >> 16);
	p[3] = (u8)(v >> 24);
}

/* qce.c */
void qce_set_status(struct qce *q, u32 bits);
u32 qce_status_value(const struct qce *q);
u32 qce_status2_value(const struct qce *q);
void qce_vcd_busy(struct qce *q, bool busy);
void qce_load_be_words(const struct qce *q, u32 off, u8 *out, unsigned int words);

/* qce_op.c */
extern const struct sim_actor_ops qce_actor_ops;
void qce_op_fail(struct qce *q, const char *why);
void qce_op_reconfigure(struct qce *q);

/* qce_port.c: input space and output. */
u32 qce_din_space_now(const struct qce *q);
void qce_out_xform(struct qce *q, const u8 *in, u32 n, u32 gran, qce_xform_fn fn);
void qce_out_zeros(struct qce *q, u32 n);
u32 qce_staged(const struct qce *q);
void qce_stage_drop(struct qce *q);
void qce_port_fini(struct qce *q);

/* qce_engine.c: the operation's settings and the cipher. */
int qce_cipher_init(struct qce_cipher *c);
void qce_cipher_fini(struct qce_cipher *c);
const char *qce_op_check(const struct qce *q, enum qce_kind *kind);
const char *qce_cipher_start(struct qce *q);
void qce_cipher_input(struct qce *q, const u8 *data, u32 len);
void qce_cipher_finish(struct qce *q);
void qce_cipher_reconfigure(struct qce *q);
u32 qce_cipher_cycles(const struct qce *q);
void qce_cipher_name(const struct qce *q, char *buf, size_t size);

/* qce_hash.c */
const char *qce_hash_check(const struct qce *q, bool at_start);
const char *qce_hash_start(struct qce *q);
void qce_hash_input(struct qce *q, const u8 *data, u32 len);
void qce_hash_finish(struct qce *q);
void qce_hash_reconfigure(struct qce *q);
u32 qce_hash_cycles(const struct qce *q);
void qce_hash_name(const struct qce *q, char *buf, size_t size);

#endif /* SECSOC_HW_QCE_INTERNAL_H */
