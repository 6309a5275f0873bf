/*
 * qce.h - the Qualcomm Crypto Engine v5 model.
 *
 * A register file (regs-v5 offsets and bit fields) and an engine that runs
 * one operation at a time: AES-128/256 ECB/CBC/CTR/XTS and SHA-1/SHA-256
 * with their HMACs, computed with OpenSSL. Data comes in over the BAM
 * consumer pipe of the selected pipe pair (CONFIG.PIPE_SET_SELECT; pair k
 * is pipes 2k and 2k + 1) and goes out, followed by the result dump, over
 * the producer pipe of that pair. GOPROC.GO starts an operation, written by
 * a CPU or by a command element from a pipe. The engine is a sim actor:
 * work happens in its steps and the pipes' steps, never in a register write.
 *
 * docs/qce.md describes the model; docs/model-assumptions.md the choices
 * made where public facts are thin (key/IV byte order, LITTLE_ENDIAN_MODE).
 */
#ifndef SECSOC_QCE_H
#define SECSOC_QCE_H

#include <secsoc/bam.h>
#include <secsoc/bus.h>
#include <secsoc/error.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

struct qce;

#define QCE_MMIO_SIZE 0x6000

/* Register offsets (regs-v5.h). */
#define QCE_VERSION 0x000
#define QCE_STATUS 0x100
#define QCE_STATUS2 0x104
#define QCE_ENGINES_AVAIL 0x108
#define QCE_FIFO_SIZES 0x10c
#define QCE_SEG_SIZE 0x110
#define QCE_GOPROC 0x120
#define QCE_ENCR_SEG_CFG 0x200
#define QCE_ENCR_SEG_SIZE 0x204
#define QCE_ENCR_SEG_START 0x208
#define QCE_CNTR_IV(n) (0x20c + 4 * (n))	/* n = 0..3 */
#define QCE_CNTR_MASK 0x21c
#define QCE_ENCR_CCM_INT_CNTR(n) (0x220 + 4 * (n))
#define QCE_ENCR_XTS_DU_SIZE 0x230
#define QCE_CNTR_MASK2 0x234
#define QCE_CNTR_MASK1 0x238
#define QCE_CNTR_MASK0 0x23c
#define QCE_AUTH_SEG_CFG 0x300
#define QCE_AUTH_SEG_SIZE 0x304
#define QCE_AUTH_SEG_START 0x308
#define QCE_AUTH_IV(n) (0x310 + 4 * (n))	/* n = 0..15 */
#define QCE_AUTH_INFO_NONCE(n) (0x350 + 4 * (n))	/* n = 0..3 */
#define QCE_AUTH_BYTECNT(n) (0x390 + 4 * (n))	/* n = 0..3 */
#define QCE_AUTH_EXP_MAC(n) (0x3a0 + 4 * (n))	/* n = 0..7 */
#define QCE_CONFIG 0x400
#define QCE_GOPROC_QC_KEY 0x1000
#define QCE_GOPROC_OEM_KEY 0x2000
#define QCE_ENCR_KEY(n) (0x3000 + 4 * (n))	/* n = 0..7 */
#define QCE_ENCR_XTS_KEY(n) (0x3020 + 4 * (n))	/* n = 0..7 */
#define QCE_AUTH_KEY(n) (0x3040 + 4 * (n))	/* n = 0..15 */

/* STATUS */
#define QCE_STATUS_SW_ERR BIT(0)
#define QCE_STATUS_OPERATION_DONE BIT(1)
#define QCE_STATUS_DIN_RDY BIT(2)
#define QCE_STATUS_DOUT_RDY BIT(3)
#define QCE_STATUS_ERR_INTR BIT(4)
#define QCE_STATUS_OP_DONE_INTR BIT(5)
#define QCE_STATUS_DIN_INTR BIT(6)
#define QCE_STATUS_DOUT_INTR BIT(7)
#define QCE_STATUS_AUTH_BUSY BIT(8)
#define QCE_STATUS_ENCR_BUSY BIT(9)
#define QCE_STATUS_CRYPTO_STATE GENMASK(13, 10)
#define QCE_STATUS_AXI_ERR BIT(14)
#define QCE_STATUS_DIN_ERR BIT(15)
#define QCE_STATUS_DOUT_ERR BIT(16)
#define QCE_STATUS_CFG_CHNG_ERR BIT(17)
#define QCE_STATUS_PIPE_ACTIVE_ERR BIT(18)
#define QCE_STATUS_ACCESS_VIOL BIT(19)
#define QCE_STATUS_HSD_ERR BIT(20)
#define QCE_STATUS_DIN_SIZE_AVAIL GENMASK(25, 21)
#define QCE_STATUS_DOUT_SIZE_AVAIL GENMASK(30, 26)
#define QCE_STATUS_MAC_FAILED BIT(31)

/* STATUS2 */
#define QCE_STATUS2_AXI_EXTRA BIT(1)
#define QCE_STATUS2_LOCKED BIT(2)

/* CONFIG */
#define QCE_CONFIG_MASK_INTR GENMASK(3, 0)
#define QCE_CONFIG_HIGH_SPD_EN_N BIT(4)
#define QCE_CONFIG_PIPE_SET_SELECT GENMASK(8, 5)
#define QCE_CONFIG_LITTLE_ENDIAN_MODE BIT(9)
#define QCE_CONFIG_IRQ_ENABLES GENMASK(13, 10)
#define QCE_CONFIG_REQ_SIZE GENMASK(20, 17)

/* ENCR_SEG_CFG */
#define QCE_ENCR_ALG GENMASK(2, 0)
#define QCE_ENCR_ALG_NONE 0
#define QCE_ENCR_ALG_DES 1
#define QCE_ENCR_ALG_AES 2
#define QCE_ENCR_KEY_SZ GENMASK(5, 3)
#define QCE_ENCR_KEY_SZ_AES128 0
#define QCE_ENCR_KEY_SZ_AES256 2
#define QCE_ENCR_MODE GENMASK(9, 6)
#define QCE_ENCR_MODE_ECB 0
#define QCE_ENCR_MODE_CBC 1
#define QCE_ENCR_MODE_CTR 2
#define QCE_ENCR_MODE_XTS 3
#define QCE_ENCR_MODE_CCM 4
#define QCE_ENCR_ENCODE BIT(10)
#define QCE_ENCR_CNTR_ALG GENMASK(12, 11)
#define QCE_ENCR_LAST_CCM BIT(13)
#define QCE_ENCR_USE_HW_KEY BIT(14)
#define QCE_ENCR_USE_PIPE_KEY BIT(15)

/* AUTH_SEG_CFG */
#define QCE_AUTH_ALG GENMASK(2, 0)
#define QCE_AUTH_ALG_SHA 1
#define QCE_AUTH_ALG_AES 2
#define QCE_AUTH_KEY_SIZE GENMASK(5, 3)
#define QCE_AUTH_MODE GENMASK(8, 6)
#define QCE_AUTH_MODE_HASH 0
#define QCE_AUTH_MODE_HMAC 1
#define QCE_AUTH_SIZE GENMASK(13, 9)
#define QCE_AUTH_SIZE_SHA1 0
#define QCE_AUTH_SIZE_SHA256 1
#define QCE_AUTH_POS GENMASK(15, 14)
#define QCE_AUTH_LAST BIT(16)
#define QCE_AUTH_FIRST BIT(17)
#define QCE_AUTH_USE_HW_KEY BIT(18)
#define QCE_AUTH_USE_PIPE_KEY BIT(19)
#define QCE_AUTH_NONCE_NUM_WORDS GENMASK(22, 20)
#define QCE_AUTH_COMP_EXP_MAC BIT(24)

/* GOPROC */
#define QCE_GOPROC_GO BIT(0)
#define QCE_GOPROC_CLR_CNTXT BIT(1)
#define QCE_GOPROC_RESULTS_DUMP BIT(2)

#define QCE_ENGINES_AVAIL_BAM_PIPE_SETS GENMASK(12, 9)
#define QCE_XTS_DU_SIZE_MAX GENMASK(19, 0)

/* The result dump: 26 words, padded to whole 64-byte bursts on the pipe. */
struct qce_result_dump {
	u32 auth_iv[16];
	u32 auth_byte_count[4];
	u32 encr_cntr_iv[4];
	u32 status;
	u32 status2;
};

#define QCE_RESULT_DUMP_BYTES 128	/* ALIGN(sizeof(struct qce_result_dump), 64) */

#define QCE_PIPE_PAIRS_MAX 15		/* ENGINES_AVAIL.BAM_PIPE_SETS is 4 bits */

/* Default costs (docs/qce.md explains the choice). */
#define QCE_CLOCK_MHZ_DEFAULT 80
#define QCE_SETUP_CYCLES_DEFAULT 200
#define QCE_REG_NS_DEFAULT 100
#define QCE_AES128_CYCLES_DEFAULT 11	/* 10 rounds + 1 per 16-byte block */
#define QCE_AES256_CYCLES_DEFAULT 15	/* 14 rounds + 1 */
#define QCE_SHA1_CYCLES_DEFAULT 20	/* 80 rounds per 64-byte block */
#define QCE_SHA256_CYCLES_DEFAULT 16	/* 64 rounds per 64-byte block */

/* Modelled costs; DT properties and defaults in docs/qce.md. */
struct qce_timing {
	u32 clock_mhz;			/* secsoc,clock-mhz */
	u32 setup_cycles;		/* secsoc,setup-cycles: per operation */
	u32 reg_ns;			/* secsoc,reg-access-ns: one register access */
	/* Cycles per 16 bytes (secsoc,cycles-per-block = <aes128 aes256 sha1 sha256>). */
	u32 aes128_cycles, aes256_cycles, sha1_cycles, sha256_cycles;
};

struct qce_config {
	const char *name;		/* the DT node path */
	u64 base;
	u32 version;			/* VERSION: major [31:24] minor [23:16] step [15:0] */
	unsigned int nr_pipe_pairs;	/* ENGINES_AVAIL.BAM_PIPE_SETS, 1..15 */
	struct qce_timing timing;
};

/**
 * qce_create - build the engine, map its registers on @b and register its
 * actor with @s
 * @bam: the BAM whose pipes feed it (attached with bam_attach()), or NULL
 *       for a detached engine driven through qce_periph_ops by a test
 *
 * Return: the engine, or NULL with @err naming the problem.
 */
struct qce *qce_create(struct sim *s, struct bus *b, struct bam *bam,
		       const struct qce_config *cfg, struct secsoc_error *err);
void qce_destroy(struct qce *q);

/* The peripheral side of the BAM port, for tests that play the BAM. */
extern const struct bam_periph_ops qce_periph_ops;

/* The documented default costs (the QCE_*_DEFAULT values above). */
extern const struct qce_timing qce_timing_defaults;

/**
 * qce_set_dout_buffer - detached engines (bam == NULL) only: where output
 * goes next, as bam_periph_dst() would say; output beyond @len bytes is
 * staged for dout_pull. For tests and the engine benchmark (zero-copy
 * without a BAM). @buf NULL stops it. qce_dout_buffer_used() tells how
 * much was written there.
 */
void qce_set_dout_buffer(struct qce *q, u8 *buf, u32 len);
u32 qce_dout_buffer_used(const struct qce *q);

/* ---- state, for checkers and tests ---- */

/** qce_busy - an operation is in flight: GO accepted and "done" not yet signalled */
bool qce_busy(const struct qce *q);
/** qce_op_pair - the pipe pair of the operation in flight, or -1 (idle, or before setup) */
int qce_op_pair(const struct qce *q);
/** qce_op_ee - the EE that started the operation in flight, or BAM_NO_EE (unknown or idle) */
int qce_op_ee(const struct qce *q);
/** qce_config_ee - the EE of the last configuration write, or BAM_NO_EE if unknown */
int qce_config_ee(const struct qce *q);
/** qce_access_violations - CPU accesses refused because another EE held the pipe lock */
u64 qce_access_violations(const struct qce *q);
/** qce_cfg_change_errors - configuration writes (and GOs) that landed while busy */
u64 qce_cfg_change_errors(const struct qce *q);
/** qce_ops_done - operations finished ("done" signalled), including failed ones */
u64 qce_ops_done(const struct qce *q);
/** qce_ops_failed - operations that ended with STATUS.SW_ERR set by the engine */
u64 qce_ops_failed(const struct qce *q);
/**
 * qce_reg_peek - the value a read of register @off would return, without
 * side effects, lock checks or guest errors (write-only keys included);
 * 0 where no register is
 */
u32 qce_reg_peek(const struct qce *q, u32 off);
/** qce_reg_name - the register's name, e.g. "AUTH_IV3" (written into @buf), or NULL */
const char *qce_reg_name(u32 off, char *buf, size_t size);
/*
 * What checkers watch (DESIGN.md invariants 2 and 3). The engine calls
 * these at the moment the event happens, inside the step that causes it,
 * so an always() in the callback stops the run right there.
 */
struct qce_monitor_ops {
	/* A configuration register (or GO) at @off written by @ee while an operation of @op_ee runs. */
	void (*cfg_write_busy)(void *ctx, int ee, int op_ee, u32 off);
	/* The BAM lock held by @ee was released while that EE's operation was in flight. */
	void (*unlock_in_flight)(void *ctx, int ee);
};

/** qce_set_monitor - report events to @ops (NULL: to no one); one monitor at a time */
void qce_set_monitor(struct qce *q, const struct qce_monitor_ops *ops, void *ctx);

/** qce_actor - the engine's sim actor (named after the device) */
struct sim_actor *qce_actor(struct qce *q);

#endif /* SECSOC_QCE_H */
