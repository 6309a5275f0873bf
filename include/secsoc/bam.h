/*
 * bam.h - the Qualcomm BAM (Bus Access Manager) DMA engine model and its
 * peripheral port.
 *
 * A BAM has up to 31 pipes. Each pipe is a sim actor with a descriptor FIFO
 * in RAM: software writes 8-byte descriptors into the ring and the new tail
 * into P_EVNT_REG; the pipe fetches, executes and retires them one step at a
 * time, advancing P_SW_OFSTS and raising interrupts. Every memory access is
 * made through the bus as the pipe's own bus master, so the TZC applies.
 *
 * Pipes belong to execution environments (EEs): the secure world assigns
 * them (P_TRUST_REG, a secure-only register of this model). A pipe's EE
 * decides which IRQ_SRCS_EE register and which interrupt line report it,
 * and whether its bus accesses are secure.
 *
 * The attached peripheral (the crypto engine, or the test loopback) sees
 * the pipes through struct bam_periph_ops: consumer pipes (P_DIRECTION 0)
 * push data into it, producer pipes (P_DIRECTION 1) pull data out of it.
 * For zero-copy output, a peripheral may also write straight into the
 * buffer of the descriptor a producer pipe is filling (bam_periph_dst()).
 * The peripheral reports "operation done" for NWD and is told who holds the
 * pipe lock. docs/bam.md describes the model; docs/model-assumptions.md the
 * choices made where public facts are thin.
 */
#ifndef SECSOC_BAM_H
#define SECSOC_BAM_H

#include <secsoc/bus.h>
#include <secsoc/error.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

struct bam;

#define BAM_PIPES_MAX 31	/* IRQ_SRCS bits 0..30; bit 31 is the BAM itself */
#define BAM_EES_MAX 8		/* qcom,ee is 0..7 */
#define BAM_LOCK_GROUPS 32	/* P_CTRL.P_LOCK_GROUP is 5 bits */
#define BAM_NO_EE (-1)

/* Register layouts, as the Linux driver's per-version tables name them. */
enum bam_version {
	BAM_V1_3_0,
	BAM_V1_4_0,
	BAM_V1_7_0,
	BAM_V2_0_0,
	BAM_NR_VERSIONS
};

/* Hardware descriptor flags (the upper half-word of the descriptor). */
#define BAM_DESC_INT BIT(15)
#define BAM_DESC_EOT BIT(14)
#define BAM_DESC_EOB BIT(13)
#define BAM_DESC_NWD BIT(12)
#define BAM_DESC_CMD BIT(11)
#define BAM_DESC_LOCK BIT(10)
#define BAM_DESC_UNLOCK BIT(9)

/* The 8-byte descriptor, little-endian in memory. */
struct bam_desc {
	u32 addr;
	u16 size;
	u16 flags;
} __attribute__((packed));

/* A 16-byte command element (include/linux/dma/qcom_bam_dma.h layout). */
struct bam_ce_hw {
	u32 cmd_and_addr;	/* address [23:0], command [31:24] */
	u32 data;		/* WRITE: the value; READ: destination [31:0] */
	u32 mask;		/* WRITE: bits written; READ (v1.6+): destination [35:32] */
	u32 reserved;
} __attribute__((packed));

#define BAM_CE_ADDR GENMASK(23, 0)
#define BAM_CE_CMD GENMASK(31, 24)
#define BAM_CE_WRITE 0
#define BAM_CE_READ 1

/* Global registers and their bits. */
#define BAM_CTRL_SW_RST BIT(0)
#define BAM_CTRL_BAM_EN BIT(1)
#define BAM_REVISION_REV GENMASK(7, 0)
#define BAM_REVISION_NUM_EES GENMASK(11, 8)
#define BAM_REVISION_CMD_DESC_EN BIT(23)
#define BAM_NUM_PIPES_PIPES GENMASK(7, 0)
#define BAM_IRQ_HRESP_ERR BIT(1)
#define BAM_IRQ_ERROR BIT(2)
#define BAM_IRQ_EMPTY BIT(3)
#define BAM_IRQ_SRCS_BAM BIT(31)
#define BAM_CNFG_BITS_DEFAULT 0x0ffff004u

/* Pipe registers and their bits. */
#define BAM_P_EN BIT(1)
#define BAM_P_DIRECTION BIT(3)		/* 1: producer (peripheral to memory) */
#define BAM_P_SYS_MODE BIT(5)
#define BAM_P_LOCK_GROUP GENMASK(20, 16)
#define BAM_P_RST_RESET BIT(0)
#define BAM_P_HALT_HALT BIT(0)
#define BAM_P_HALT_PROD_HALTED BIT(1)
#define BAM_P_PRCSD_DESC BIT(0)
#define BAM_P_TIMER BIT(1)
#define BAM_P_WAKE BIT(2)
#define BAM_P_OUT_OF_DESC BIT(3)
#define BAM_P_ERR BIT(4)
#define BAM_P_TRNSFR_END BIT(5)
#define BAM_P_HRESP_ERR BIT(7)
#define BAM_P_SW_OFSTS_OFFSET GENMASK(15, 0)
#define BAM_P_FIFO_SIZES_DESC GENMASK(15, 0)
#define BAM_P_TRUST_EE GENMASK(2, 0)
#define BAM_FIFO_SIZE_MAX 0x8000	/* P_FIFO_SIZES desc field is 16 bits */

/* Every register the model decodes (offsets per version in hw/bam_regs.c). */
enum bam_reg {
	BAM_CTRL,
	BAM_REVISION,
	BAM_NUM_PIPES,
	BAM_DESC_CNT_TRSHLD,
	BAM_IRQ_SRCS,
	BAM_IRQ_SRCS_MSK,
	BAM_IRQ_SRCS_UNMASKED,
	BAM_IRQ_STTS,
	BAM_IRQ_CLR,
	BAM_IRQ_EN,
	BAM_CNFG_BITS,
	BAM_IRQ_SRCS_EE,
	BAM_IRQ_SRCS_MSK_EE,
	BAM_P_CTRL,
	BAM_P_RST,
	BAM_P_HALT,
	BAM_P_IRQ_STTS,
	BAM_P_IRQ_CLR,
	BAM_P_IRQ_EN,
	BAM_P_TRUST_REG,	/* model-specific placement, docs/model-assumptions.md */
	BAM_P_EVNT_REG,
	BAM_P_SW_OFSTS,
	BAM_P_DATA_FIFO_ADDR,
	BAM_P_DESC_FIFO_ADDR,
	BAM_P_EVNT_GEN_TRSHLD,
	BAM_P_FIFO_SIZES,
	BAM_P_EVNT_DEST_ADDR,
	BAM_NR_REGS
};

/**
 * bam_reg_offset - offset of register @reg for pipe @pipe and EE @ee in the
 * layout of @v (the Linux driver's base + pipe * pipe_mult + pipe *
 * evnt_mult + ee * ee_mult)
 */
u32 bam_reg_offset(enum bam_version v, enum bam_reg reg, unsigned int pipe, unsigned int ee);
/** bam_reg_name - the register's name, e.g. "P_EVNT_REG" */
const char *bam_reg_name(enum bam_reg reg);
/** bam_version_name - "1.3.0", "1.4.0", "1.7.0" or "2.0.0" */
const char *bam_version_name(enum bam_version v);
/** bam_version_has_lock - LOCK/UNLOCK descriptors exist from v1.4.0 on */
bool bam_version_has_lock(enum bam_version v);
/**
 * bam_version_of_compatible - the layout a compatible string selects
 * ("qcom,bam-v1.7.4" is not one: boards list "qcom,bam-v1.7.0" after it)
 *
 * Return: 0, or -ENOENT if @compatible is not a BAM.
 */
int bam_version_of_compatible(const char *compatible, enum bam_version *v);

/* Modelled costs; DT properties and defaults in docs/bam.md. */
struct bam_timing {
	u32 fetch_ns;		/* secsoc,desc-fetch-ns: one descriptor fetch */
	u32 ce_ns;		/* secsoc,cmd-element-ns: one command element */
	u32 ps_per_byte;	/* secsoc,ps-per-byte: data transfer */
	u32 irq_latency_ns;	/* secsoc,irq-latency-ns: retirement to interrupt */
};

#define BAM_FETCH_NS_DEFAULT 40
#define BAM_CE_NS_DEFAULT 30
#define BAM_PS_PER_BYTE_DEFAULT 250	/* 4 GB/s */
#define BAM_IRQ_LATENCY_NS_DEFAULT 100
#define BAM_STEP_BYTES_MAX 32768	/* data moved by one step, at most */

struct bam_config {
	const char *name;		/* the DT node path; names actors and errors */
	u64 base;			/* MMIO base (command element addresses use its upper bits) */
	u64 size;			/* MMIO window size */
	enum bam_version version;
	unsigned int nr_pipes;		/* 1..BAM_PIPES_MAX */
	unsigned int nr_ees;		/* 1..BAM_EES_MAX */
	unsigned int reset_ee;		/* EE every pipe belongs to after reset */
	u32 secure_ees;			/* bitmap: EEs whose bus accesses are secure */
	unsigned int nsaid;		/* the pipes' non-secure agent ID at the TZC */
	struct bam_timing timing;
};

/**
 * bam_create - build a BAM and map its registers on @b; registers one actor
 * per pipe with @s
 *
 * Return: the BAM, or NULL with @err naming the problem (a bad config or an
 * MMIO overlap).
 */
struct bam *bam_create(struct sim *s, struct bus *b, const struct bam_config *cfg,
		       struct secsoc_error *err);
void bam_destroy(struct bam *bam);
const struct bam_config *bam_config(const struct bam *bam);

/** bam_set_ee_irq - connect EE @ee's interrupt output to @line (not owned) */
void bam_set_ee_irq(struct bam *bam, unsigned int ee, struct irq_line *line);

/* ---- the peripheral port ---- */

struct bam_periph_ops {
	/*
	 * Consumer pipe @pipe: how many bytes the peripheral accepts now
	 * (0 applies back-pressure). Must not change state.
	 */
	u32 (*din_space)(void *periph, unsigned int pipe);
	/*
	 * Consumer pipe @pipe: take @len (<= din_space) bytes. @data points
	 * into modelled RAM and is valid for this call only. @eot: these are
	 * the last bytes of a descriptor that carries EOT.
	 */
	void (*din_push)(void *periph, unsigned int pipe, const u8 *data, u32 len, bool eot);
	/* Producer pipe @pipe: bytes of output ready to pull. Must not change state. */
	u32 (*dout_avail)(void *periph, unsigned int pipe);
	/* Producer pipe @pipe: move up to @len bytes of output to @dst; returns how many. */
	u32 (*dout_pull)(void *periph, unsigned int pipe, u8 *dst, u32 len);
	/* The pipe lock changed hands: @ee holds it now, or BAM_NO_EE. Optional. */
	void (*lock_changed)(void *periph, int ee);
	/* Pipe @pipe was reset: drop what is staged for it. Optional. */
	void (*pipe_reset)(void *periph, unsigned int pipe);
};

/** bam_attach - connect the peripheral behind every pipe of @bam */
void bam_attach(struct bam *bam, const struct bam_periph_ops *ops, void *periph);

/**
 * bam_periph_dst - where the output of producer pipe @pipe goes next
 * @room: set to the bytes left in the descriptor being filled
 *
 * The buffer of the data descriptor the pipe has fetched, already checked
 * by the bus (and the TZC) for the pipe's master when it was fetched.
 * Return: a host pointer into RAM, or NULL when the pipe has no such
 * descriptor (the peripheral then stages output for dout_pull).
 */
u8 *bam_periph_dst(struct bam *bam, unsigned int pipe, u32 *room);
/** bam_periph_produced - @n bytes were written at bam_periph_dst() */
void bam_periph_produced(struct bam *bam, unsigned int pipe, u32 n);
/**
 * bam_periph_done - the peripheral finished the operation fed by consumer
 * pipe @pipe: a descriptor with NWD on that pipe may now let the next one go
 */
void bam_periph_done(struct bam *bam, unsigned int pipe);

/* ---- state, for peripherals, checkers and tests ---- */

/** bam_lock_owner_ee - the EE whose pipe holds the lock, or BAM_NO_EE */
int bam_lock_owner_ee(const struct bam *bam);
/** bam_lock_owner_pipe - the pipe holding the lock, or -1 */
int bam_lock_owner_pipe(const struct bam *bam);
/** bam_pipe_ee - the EE pipe @pipe belongs to */
unsigned int bam_pipe_ee(const struct bam *bam, unsigned int pipe);
/**
 * bam_master_ee - the EE on whose behalf @m accesses: a pipe master of this
 * BAM gives its pipe's EE; a CPU gives the lowest secure EE when secure,
 * else the reset EE (Linux's); anything else BAM_NO_EE
 */
int bam_master_ee(const struct bam *bam, const struct bus_master *m);
/** bam_pipe_master - the bus master pipe @pipe accesses memory with */
const struct bus_master *bam_pipe_master(const struct bam *bam, unsigned int pipe);
/** bam_pipe_error - why pipe @pipe halted on an error ("" if it did not) */
const char *bam_pipe_error(const struct bam *bam, unsigned int pipe);
/** bam_pipe_retired - descriptors pipe @pipe has retired since reset */
u64 bam_pipe_retired(const struct bam *bam, unsigned int pipe);
/*
 * Pipe-lock figures per EE, for run reports: how often and how long its
 * pipes held the lock, and how long LOCK descriptors at the head of its
 * pipes waited for another EE's lock (measured from the first step the
 * LOCK could not be taken to the step that took it).
 */
struct bam_lock_stats {
	u64 acquisitions;
	u64 hold_ns;		/* total, closed holds only */
	u64 max_hold_ns;
	u64 waits;		/* LOCKs that had to wait */
	u64 wait_ns;		/* total */
	u64 max_wait_ns;
};

/** bam_lock_stats - the figures of EE @ee (zeros for an EE that never locked) */
void bam_lock_stats(const struct bam *bam, unsigned int ee, struct bam_lock_stats *st);

/** bam_pipe_actor - the sim actor of pipe @pipe */
struct sim_actor *bam_pipe_actor(struct bam *bam, unsigned int pipe);

#endif /* SECSOC_BAM_H */
