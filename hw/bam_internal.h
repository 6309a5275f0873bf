/*
 * bam_internal.h - what the BAM model's files share: register decoding
 * (hw/bam_regs.c) for the register file and pipes (hw/bam.c).
 */
#ifndef SECSOC_HW_BAM_INTERNAL_H
#define SECSOC_HW_BAM_INTERNAL_H

#include <secsoc/bam.h>

/**
 * bam_reg_decode - which register instance an MMIO offset hits
 * @index: the pipe or EE number for per-pipe and per-EE registers, else 0
 *
 * Return: false when no register of @v's layout lives at @off.
 */
bool bam_reg_decode(enum bam_version v, u32 off, unsigned int nr_pipes, unsigned int nr_ees,
		    enum bam_reg *reg, unsigned int *index);
/** bam_reg_is_pipe - is @reg one of the per-pipe registers? */
bool bam_reg_is_pipe(enum bam_reg reg);
/** bam_version_revision - REVISION[7:0] the model reports for @v */
u8 bam_version_revision(enum bam_version v);

#include <secsoc/trace.h>

#define BAM_ERROR_MAX 160
#define BAM_FLOWS_MAX 8		/* pending P_EVNT_REG -> fetch flows per pipe */

enum bam_pipe_phase {
	BAM_PIPE_IDLE,		/* between descriptors: fetch the next one */
	BAM_PIPE_EXEC,		/* executing the fetched descriptor */
	BAM_PIPE_NWD_WAIT,	/* executed, NWD: waiting for the peripheral's done */
};

struct bam;

struct bam_pipe {
	struct sim_actor actor;
	struct bam *bam;
	unsigned int id;
	char name[80];
	struct bus_master master;
	/* Registers. */
	u32 ctrl, halt, irq_stts, irq_en, trust;
	u32 evnt_reg, sw_ofsts, desc_fifo_addr, fifo_sizes;
	u32 data_fifo_addr, evnt_gen_trshld, evnt_dest_addr;
	bool in_reset;			/* P_RST held at 1 */
	/* The descriptor being executed. */
	enum bam_pipe_phase phase;
	struct bam_desc desc;
	u32 done_bytes;			/* bytes moved, or command-element bytes executed */
	u8 *dst;			/* producer: host span of the descriptor's buffer */
	bool periph_done;		/* "operation done" seen since this descriptor's fetch */
	u32 irq_pending;		/* P_IRQ_STTS bits raised by the next interrupt step */
	u64 irq_due_ns;			/* ... once the interrupt latency has passed */
	/* Errors halt the pipe until it is reset. */
	bool error;
	char error_msg[BAM_ERROR_MAX];
	u64 retired;
	/* Trace flows from a P_EVNT_REG write to the fetch of its first descriptor. */
	struct { u32 slot; u64 id; } flows[BAM_FLOWS_MAX];
	unsigned int nr_flows;
	int vcd_busy;
	u8 *bounce;			/* for accesses the TZC answers without an error */
	u64 lock_wait_since;		/* 1 + when it began waiting for another EE's lock; 0: not */
};

/* A remembered MMIO decode (hw/bam.c). */
struct bam_decode_slot {
	u32 off;
	u8 reg;				/* enum bam_reg */
	u8 index;			/* pipe or EE */
	bool valid;
};

#define BAM_DECODE_CACHE_BITS 7
_Static_assert(BAM_NR_REGS <= 256 && BAM_PIPES_MAX <= 256 && BAM_EES_MAX <= 256,
	       "a decode slot holds the register and index in a byte each");

struct bam {
	struct bam_config cfg;
	char name[64];
	struct sim *sim;
	struct bus *bus;
	/* Global registers. */
	u32 ctrl, desc_cnt_trshld, irq_stts, irq_en, cnfg_bits, irq_srcs_msk;
	u32 irq_srcs_msk_ee[BAM_EES_MAX];
	struct irq_line *ee_irq[BAM_EES_MAX];
	bool ee_level[BAM_EES_MAX];
	struct bam_pipe pipes[BAM_PIPES_MAX];
	/* The pipe lock. */
	int lock_pipe;			/* -1: free */
	unsigned int lock_group;
	u64 lock_since;			/* when the holder took it */
	struct bam_lock_stats lock_stats[BAM_EES_MAX];
	/* The attached peripheral. */
	const struct bam_periph_ops *periph_ops;
	void *periph;
	u64 next_flow;
	int vcd_lock;
	struct bam_decode_slot decode_cache[1u << BAM_DECODE_CACHE_BITS];
};

/* hw/bam.c */
/** bam_update_irqs - recompute every EE's interrupt line from the status bits */
void bam_update_irqs(struct bam *bam);
/** bam_enabled - BAM_EN set and SW_RST clear */
static inline bool bam_enabled(const struct bam *bam)
{
	return (bam->ctrl & BAM_CTRL_BAM_EN) && !(bam->ctrl & BAM_CTRL_SW_RST);
}
/** bam_set_lock - the lock goes to @pipe (or nobody, -1); tells the peripheral */
void bam_set_lock(struct bam *bam, int pipe);
/** bam_raise_global - set IRQ_STTS bits (ERROR, HRESP_ERR) */
void bam_raise_global(struct bam *bam, u32 bits);

/* hw/bam_lock_stats.c */
void bam_lock_note_change(struct bam *bam, int pipe);
void bam_lock_note_posted(struct bam_pipe *p);
void bam_lock_note_reset(struct bam_pipe *p);

/* hw/bam_pipe.c */
extern const struct sim_actor_ops bam_pipe_actor_ops;
/** bam_pipe_reset - P_RST or SW_RST: back to reset values, lock released */
void bam_pipe_reset(struct bam_pipe *p);
/**
 * bam_pipe_update_sleep - put @p to sleep (the simulation stops asking it)
 * while it is idle with no interrupt to raise, wake it otherwise; called
 * after anything that changes its phase, FIFO offsets or pending interrupt
 */
void bam_pipe_update_sleep(struct bam_pipe *p);
/** bam_pipe_post - P_EVNT_REG written: validate the new tail */
void bam_pipe_post(struct bam_pipe *p, u32 val);
/** bam_pipe_lock_group - P_CTRL.P_LOCK_GROUP */
unsigned int bam_pipe_lock_group(const struct bam_pipe *p);
/** bam_pipe_fifo_bytes - descriptor FIFO size from P_FIFO_SIZES */
u32 bam_pipe_fifo_bytes(const struct bam_pipe *p);
/** bam_pipe_fail - halt @p on an error: status bits, guest error, interrupt */
void bam_pipe_fail(struct bam_pipe *p, bool bus_error, const char *fmt, ...)
	SECSOC_PRINTF(3, 4);

#endif /* SECSOC_HW_BAM_INTERNAL_H */
