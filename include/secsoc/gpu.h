/*
 * gpu.h - a Mali-CSF-like GPU with protected mode: its register map, its
 * command-stream instruction format and the model's interface.
 *
 * The register window (docs/gpu.md has every register and bit):
 *   0x00000  GPU control: ID, interrupts, command, status, fault registers
 *   0x00700  MCU control: the firmware microcontroller's enable and status
 *   0x01000  job control: the job interrupt, one bit per group slot plus the
 *            global interface
 *   0x40000  the firmware interface: global, per group slot (CSG), per
 *            command stream (CS) request/acknowledge words and inputs
 *   0x80000  doorbells, one 64 KiB page each: 0 is the global interface's,
 *            1 + n rings group slot n
 *
 * Simplifications, all documented in docs/gpu.md: on silicon the firmware
 * interface is a memory section shared with the MCU and the GPU has an
 * MMU; here the interface is a register block and the GPU uses physical
 * addresses. The firmware's protected sections are one range the driver
 * names in GLB_PROTM_FW_BASE (on silicon: where it mapped the sections
 * flagged CSF_FW_BINARY_IFACE_ENTRY_RD_PROT).
 *
 * Names and bit positions that exist in Panthor (GLB_PROTM_ENTER bit 4,
 * GLB_PROTM_EXIT bit 23, CS_PROTM_PENDING bit 27, CS_STATUS_WAIT_PROTM bit
 * 29, GPU_STATUS_PROTM_ACTIVE bit 7, GPU_IRQ_PROTM_FAULT bit 1, ...) keep
 * Panthor's values.
 *
 * Request/acknowledge words follow CSF's convention. A host request toggles
 * a bit of *_REQ; the firmware toggles the same bit of *_ACK when it has
 * done it, so "REQ bit != ACK bit" means "pending". A firmware event
 * toggles a bit of *_ACK; the host acknowledges it by copying that bit into
 * *_REQ. State fields (CSG_STATE, CS_STATE) are plain values the firmware
 * copies into *_ACK once the state is reached.
 *
 * Protected mode and the TZC (TZMP1 style): the GPU issues its bus
 * transactions with one NSAID in normal mode and another in protected
 * mode. The secure world grants protected memory to the protected-mode
 * NSAID only, and takes write access to normal memory away from it, so
 * "outside protected mode protected memory faults" and "in protected mode
 * only protected memory may be written" are both the TZC's verdicts, not
 * the GPU's opinion. A bus error in normal mode is a fatal fault of the
 * command stream (CS_FATAL, exception CS_BUS_FAULT); in protected mode it
 * is GPU_IRQ_PROTM_FAULT and the GPU stops until it is reset.
 */
#ifndef SECSOC_GPU_H
#define SECSOC_GPU_H

#include <secsoc/bus.h>
#include <secsoc/error.h>
#include <secsoc/gic.h>
#include <secsoc/sim.h>
#include <secsoc/types.h>

/* ---- GPU control ---- */
#define GPU_ID				0x000
#define GPU_ID_VALUE			0xa8670000u	/* arch 10.8.6, a Mali-G610-like part */
#define GPU_INT_RAWSTAT			0x020
#define GPU_INT_CLEAR			0x024
#define GPU_INT_MASK			0x028
#define GPU_INT_STAT			0x02c
#define   GPU_IRQ_FAULT			BIT(0)	/* a bus fault outside any command stream */
#define   GPU_IRQ_PROTM_FAULT		BIT(1)
#define   GPU_IRQ_RESET_COMPLETED	BIT(8)
#define GPU_CMD				0x030
#define   GPU_SOFT_RESET		0x101
#define   GPU_HARD_RESET		0x201
#define GPU_STATUS			0x034
#define   GPU_STATUS_ACTIVE		BIT(0)
#define   GPU_STATUS_PROTM_ACTIVE	BIT(7)
#define GPU_FAULT_STATUS		0x03c	/* exception type in bits 7:0 */
#define GPU_FAULT_ADDR_LO		0x040
#define GPU_FAULT_ADDR_HI		0x044

/* ---- MCU (firmware) control ---- */
#define MCU_CONTROL			0x700
#define   MCU_CONTROL_DISABLE		0
#define   MCU_CONTROL_ENABLE		1
#define MCU_STATUS			0x704
#define   MCU_STATUS_DISABLED		0
#define   MCU_STATUS_ENABLED		1	/* the firmware has booted */

/* ---- job control ---- */
#define JOB_INT_RAWSTAT			0x1000
#define JOB_INT_CLEAR			0x1004
#define JOB_INT_MASK			0x1008
#define JOB_INT_STAT			0x100c
#define   JOB_INT_GLOBAL_IF		BIT(31)
#define   JOB_INT_CSG_IF(n)		BIT(n)

/* ---- firmware interface: global ---- */
#define GLB_BASE			0x40000
#define GLB_VERSION			(GLB_BASE + 0x00)	/* RO */
#define   GLB_VERSION_VALUE		0x00030000u		/* 3.0 */
#define GLB_GROUP_NUM			(GLB_BASE + 0x08)	/* RO: group slots */
#define GLB_PROTM_FW_SIZE		(GLB_BASE + 0x0c)	/* RO: bytes of protected sections */
#define GLB_REQ				(GLB_BASE + 0x10)
#define GLB_ACK				(GLB_BASE + 0x14)	/* RO */
#define GLB_ACK_IRQ_MASK		(GLB_BASE + 0x18)
#define   GLB_HALT			BIT(0)
#define   GLB_PROTM_ENTER		BIT(4)	/* request */
#define   GLB_PING			BIT(8)	/* request; forces a protected-mode exit */
#define   GLB_PROTM_EXIT		BIT(23)	/* event */
#define GLB_PROTM_FW_BASE_LO		(GLB_BASE + 0x20)
#define GLB_PROTM_FW_BASE_HI		(GLB_BASE + 0x24)

/* ---- firmware interface: group slots (CSG) ---- */
#define GPU_CSG_SLOTS			4
#define GPU_CS_PER_CSG			2
#define CSG_BASE(n)			(0x41000 + (n) * 0x1000)
#define CSG_STREAM_NUM(n)		(CSG_BASE(n) + 0x00)	/* RO: command streams */
#define CSG_PROTM_SUSPEND_SIZE(n)	(CSG_BASE(n) + 0x04)	/* RO: bytes */
#define CSG_REQ(n)			(CSG_BASE(n) + 0x10)
#define CSG_ACK(n)			(CSG_BASE(n) + 0x14)	/* RO */
#define CSG_ACK_IRQ_MASK(n)		(CSG_BASE(n) + 0x18)
#define   CSG_STATE_MASK		GENMASK(2, 0)
#define   CSG_STATE_TERMINATE		0
#define   CSG_STATE_START		1
#define   CSG_STATE_SUSPEND		2
#define   CSG_STATE_RESUME		3
#define   CSG_SYNC_UPDATE		BIT(28)	/* event: an instruction with GPU_INSTR_F_IRQ finished */
#define   CSG_IDLE			BIT(29)	/* event: every stream of the group is empty */
#define CSG_EP_REQ(n)			(CSG_BASE(n) + 0x1c)
#define   CSG_EP_REQ_PRIORITY_MASK	GENMASK(31, 28)	/* 15 is the highest */
#define CSG_PROTM_SUSPEND_BUF_LO(n)	(CSG_BASE(n) + 0x20)
#define CSG_PROTM_SUSPEND_BUF_HI(n)	(CSG_BASE(n) + 0x24)

/* ---- firmware interface: command streams (CS) of a group slot ---- */
#define CS_BASE(n, m)			(CSG_BASE(n) + 0x100 + (m) * 0x80)
#define CS_REQ(n, m)			(CS_BASE(n, m) + 0x00)
#define CS_ACK(n, m)			(CS_BASE(n, m) + 0x04)	/* RO */
#define CS_ACK_IRQ_MASK(n, m)		(CS_BASE(n, m) + 0x08)
#define   CS_STATE_MASK			GENMASK(2, 0)
#define   CS_STATE_STOP			0
#define   CS_STATE_START		1
#define   CS_PROTM_PENDING		BIT(27)	/* event: waiting at a PROT_REGION */
#define   CS_FATAL			BIT(30)	/* event: the stream stopped on an error */
#define CS_RING_BASE_LO(n, m)		(CS_BASE(n, m) + 0x10)	/* 64-byte aligned */
#define CS_RING_BASE_HI(n, m)		(CS_BASE(n, m) + 0x14)
#define CS_RING_SIZE(n, m)		(CS_BASE(n, m) + 0x18)	/* power of two, 64 B..64 KiB */
#define CS_INSERT(n, m)			(CS_BASE(n, m) + 0x20)	/* byte offset, only grows */
#define CS_EXTRACT(n, m)		(CS_BASE(n, m) + 0x24)	/* RO: byte offset done */
#define CS_STATUS_WAIT(n, m)		(CS_BASE(n, m) + 0x28)	/* RO */
#define   CS_STATUS_WAIT_PROTM		BIT(29)
#define CS_FATAL_INFO(n, m)		(CS_BASE(n, m) + 0x30)	/* RO: exception type */
#define CS_FATAL_ADDR_LO(n, m)		(CS_BASE(n, m) + 0x38)	/* RO */
#define CS_FATAL_ADDR_HI(n, m)		(CS_BASE(n, m) + 0x3c)	/* RO */

/* Exception types (GPU_FAULT_STATUS, CS_FATAL_INFO), Mali's numbering. */
#define GPU_EXCEPTION_CS_CONFIG_FAULT	0x40	/* bad ring base/size */
#define GPU_EXCEPTION_CS_BUS_FAULT	0x48	/* a bus error (the TZC, unmapped) */
#define GPU_EXCEPTION_CS_INSTR_INVALID	0x49	/* unknown opcode or bad operands */
#define GPU_EXCEPTION_PROTM_FAULT	0x59	/* GPU_FAULT_STATUS after a PROTM fault */

/* ---- doorbells ---- */
#define CSF_DOORBELL(i)			(0x80000 + (i) * 0x10000)
#define CSF_GLB_DOORBELL_ID		0
#define CSF_CSG_DOORBELL_ID(n)		(1 + (n))
#define GPU_REG_WINDOW			0x200000	/* bytes the model decodes */

/*
 * ---- command-stream instructions ----
 * 64 bytes each, little-endian, in a ring in memory the GPU reads with its
 * current NSAID. The GPU executes a stream's instructions in order, from
 * CS_EXTRACT up to CS_INSERT, and advances CS_EXTRACT past each one it
 * finished.
 */
enum gpu_op {
	GPU_OP_NOP = 0,
	/*
	 * The next @arg instructions are protected: the stream stops with
	 * CS_PROTM_PENDING (and CS_STATUS_WAIT_PROTM) until the GPU is in
	 * protected mode, runs them there, and the firmware leaves protected
	 * mode after the last one (GLB_PROTM_EXIT event).
	 */
	GPU_OP_PROT_REGION = 1,
	/* NV12 (src0: luma, src1: chroma, src_stride for both) to XRGB8888 at dst. */
	GPU_OP_CONVERT_NV12 = 2,
	/* ARGB8888 at src0 over the XRGB8888 image at dst, placed at (x, y). */
	GPU_OP_BLEND_ARGB = 3,
	/* XRGB8888 rectangle at dst filled with @color. */
	GPU_OP_FILL = 4,
};

#define GPU_INSTR_F_IRQ			BIT(0)	/* CSG_SYNC_UPDATE when it finishes */
#define GPU_INSTR_BYTES			64
#define GPU_IMAGE_DIM_MAX		4096	/* width and height */

struct gpu_instr {
	u32 op;			/* enum gpu_op */
	u32 flags;		/* GPU_INSTR_F_* */
	u32 arg;		/* PROT_REGION: instructions covered */
	u32 width, height;	/* of the source (CONVERT, BLEND) or rectangle (FILL) */
	u32 src_stride, dst_stride;	/* bytes per row */
	u32 x, y;		/* BLEND, FILL: top-left corner in dst */
	u32 color;		/* FILL: XRGB8888 */
	u64 src0, src1, dst;	/* physical addresses */
};

_Static_assert(sizeof(struct gpu_instr) == GPU_INSTR_BYTES, "instruction layout");

/* ---- the model ---- */

struct gpu;

struct gpu_timing {
	u32 ps_per_pixel;	/* shader work per output pixel */
	u32 fw_boot_ns;		/* MCU enable to MCU_STATUS_ENABLED */
	u32 protm_enter_ns;	/* PROTM_ENTER accepted to PROTM_ACTIVE */
	u32 protm_exit_ns;
	u32 reset_ns;		/* GPU_CMD reset to RESET_COMPLETED */
};

#define GPU_PS_PER_PIXEL_DEFAULT	500	/* 2 Gpixel/s */
#define GPU_FW_BOOT_NS_DEFAULT		1000000
#define GPU_PROTM_ENTER_NS_DEFAULT	50000
#define GPU_PROTM_EXIT_NS_DEFAULT	20000
#define GPU_RESET_NS_DEFAULT		200000
#define GPU_PROTM_FW_SIZE_DEFAULT	(64u * 1024)
#define GPU_PROTM_SUSPEND_SIZE_DEFAULT	(32u * 1024)

struct gpu_config {
	const char *name;		/* the node path, for messages */
	u64 base;			/* register window */
	unsigned int nsaid;		/* normal-mode transactions */
	unsigned int protected_nsaid;	/* protected-mode transactions */
	u32 protm_fw_size;		/* GLB_PROTM_FW_SIZE */
	u32 protm_suspend_size;		/* CSG_PROTM_SUSPEND_SIZE */
	struct gpu_timing timing;
};

/* What the GPU did, for reports and checkers. */
struct gpu_stats {
	u64 instrs;			/* instructions finished */
	u64 pixels;			/* output pixels written */
	u64 protm_entries;		/* times protected mode became active */
	u64 protm_ns;			/* modelled time spent in protected mode */
	u64 protm_faults;
	u64 cs_faults;			/* CS_FATAL events */
	u64 resets;
	u64 protected_instrs;		/* instructions run in protected mode */
};

/**
 * gpu_create - the GPU model: maps its registers and adds its actors to @s
 * @line_job, @line_gpu: the "job" and "gpu" interrupt lines (borrowed)
 *
 * Return: the model, or NULL with @err naming the node and the problem.
 */
struct gpu *gpu_create(struct sim *s, struct bus *b, const struct gpu_config *cfg,
		       struct irq_line *line_job, struct irq_line *line_gpu,
		       struct secsoc_error *err);
void gpu_destroy(struct gpu *g);
const struct gpu_config *gpu_config(const struct gpu *g);
struct gpu_stats gpu_stats(const struct gpu *g);
/** gpu_protected - is the GPU in protected mode now? */
bool gpu_protected(const struct gpu *g);
/**
 * gpu_bus_master - the bus master of the GPU's transactions in one mode
 * @protected_mode: the protected-mode master (else the normal-mode one)
 */
const struct bus_master *gpu_bus_master(const struct gpu *g, bool protected_mode);

#endif /* SECSOC_GPU_H */
