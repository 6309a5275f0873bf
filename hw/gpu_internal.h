/*
 * gpu_internal.h - what the GPU model's files share: the device state,
 * the register file (hw/gpu.c), the firmware actor (hw/gpu_fw.c) and the
 * job engine actor (hw/gpu_job.c).
 *
 * Everything a reset clears lives in struct gpu_state, so that the reset
 * is one assignment; what survives it (configuration, actors, statistics,
 * GPU_INT_MASK) lives in struct gpu itself.
 */
#ifndef SECSOC_HW_GPU_INTERNAL_H
#define SECSOC_HW_GPU_INTERNAL_H

#include <secsoc/gpu.h>
#include <secsoc/pixel.h>

#define GPU_NAME_MAX 64
#define GPU_ROWS_PER_STEP 16		/* rows one job step processes at most */
#define GPU_FETCH_NS 20			/* one instruction fetch */
#define GPU_FW_STEP_NS 100		/* one firmware request or doorbell */
#define GPU_ROW_BYTES_MAX (GPU_IMAGE_DIM_MAX * PIXEL_XRGB_BYTES)
#define GPU_DOORBELLS (1 + GPU_CSG_SLOTS)
#define GPU_STREAMS (GPU_CSG_SLOTS * GPU_CS_PER_CSG)
#define GPU_SUSPEND_MAGIC 0x4d544f50u	/* "POTM": the suspend buffer's header */

enum gpu_protm_phase {
	GPU_PROTM_OFF,
	GPU_PROTM_ENTERING,	/* PROTM_ENTER acknowledged, PROTM_ACTIVE not yet set */
	GPU_PROTM_ON,
	GPU_PROTM_EXITING,	/* leaving: PROTM_ACTIVE still set */
};

enum gpu_reset_phase {
	GPU_RESET_NONE,
	GPU_RESET_REQUESTED,	/* GPU_CMD written; nothing runs any more */
	GPU_RESET_BUSY,		/* the reset takes reset_ns */
};

/* One command stream of a group slot. */
struct gpu_cs {
	u32 req, ack, irq_mask;
	u64 ring_base;
	u32 ring_size, insert, extract;
	u32 status_wait;
	u32 fatal_info;
	u64 fatal_addr;
	bool fetched;			/* @instr holds the instruction at @extract */
	struct gpu_instr instr;
	u32 row;			/* rows of @instr done */
	u32 prot_left;			/* instructions of the open PROT_REGION still to run */
};

/* One group slot. */
struct gpu_csg {
	u32 req, ack, irq_mask;
	u32 ep_req;
	u64 suspend_buf;
	unsigned int prio;		/* latched from CSG_EP_REQ at the doorbell */
	bool running;			/* state START or RESUME acknowledged */
	struct gpu_cs cs[GPU_CS_PER_CSG];
};

/* Everything a reset returns to its power-on value. */
struct gpu_state {
	u32 gpu_rawstat;
	u32 fault_status;
	u64 fault_addr;
	u32 mcu_control, mcu_status;
	bool boot_requested, booting;
	bool halted;			/* after a PROTM fault: nothing runs until reset */
	u32 job_rawstat, job_mask;
	u32 glb_req, glb_ack, glb_irq_mask, glb_seen;
	u64 protm_fw_base;
	u32 doorbells;			/* rung, not processed yet: bit i = doorbell i */
	enum gpu_protm_phase protm;
	int protm_group;		/* the group running in protected mode, or -1 */
	bool exit_requested;		/* the region finished, or GLB_PING */
	u64 protm_since_ns;		/* when PROTM_ACTIVE was set */
	unsigned int last_stream;	/* for round robin among equal priorities */
	struct gpu_csg csg[GPU_CSG_SLOTS];
};

struct gpu {
	struct sim *sim;
	struct bus *bus;
	struct gpu_config cfg;
	char name[GPU_NAME_MAX];
	struct irq_line *line_job, *line_gpu;
	struct bus_master master;		/* normal mode */
	struct bus_master protected_master;	/* protected mode */
	struct sim_actor fw_actor, job_actor, ctrl_actor;
	enum gpu_reset_phase reset;
	u32 gpu_mask;				/* GPU_INT_MASK survives a reset */
	struct gpu_stats stats;
	struct gpu_state st;
	/* Bounce rows for the bus_read/bus_write fallback: src0, src1, dst. */
	u8 bounce[3][2 * GPU_ROW_BYTES_MAX];
};

/* A CS_RING_SIZE the stream can start with: a power of two in 64..65536. */
static inline bool gpu_ring_size_ok(u32 size)
{
	return size >= 64 && size <= 65536 && !(size & (size - 1));
}

/* hw/gpu.c */
/** gpu_update - recompute the interrupt lines and which actors may sleep */
void gpu_update(struct gpu *g);
/** gpu_power_on_state - the state after a reset (or at creation) */
void gpu_power_on_state(struct gpu *g);
/** gpu_protm_fault - a protected-mode fault at @addr: PROTM_FAULT, the GPU halts */
void gpu_protm_fault(struct gpu *g, u64 addr);
/** gpu_csg_event - toggle @bits of CSG_ACK(@n); interrupt if they are in its mask */
void gpu_csg_event(struct gpu *g, unsigned int n, u32 bits);
/** gpu_cs_event - toggle @bits of CS_ACK(@n, @m); interrupt if in its mask */
void gpu_cs_event(struct gpu *g, unsigned int n, unsigned int m, u32 bits);
/** gpu_glb_event - toggle @bits of GLB_ACK; GLOBAL_IF interrupt if in its mask */
void gpu_glb_event(struct gpu *g, u32 bits);
/** gpu_cs_stop - @cs is stopped: its wait, open region and fetched instruction forgotten */
void gpu_cs_stop(struct gpu_cs *cs);
/** gpu_cs_fatal - CS_FATAL with exception @type at @addr; the stream stops */
void gpu_cs_fatal(struct gpu *g, unsigned int n, unsigned int m, u32 type, u64 addr);
/** gpu_protm_leave - PROTM_ACTIVE cleared now: account the time spent */
void gpu_protm_leave(struct gpu *g);

/* hw/gpu_fw.c */
extern const struct sim_actor_ops gpu_fw_ops;
extern const struct sim_actor_ops gpu_ctrl_ops;
/** gpu_fw_running - has the firmware booted and is it not halted or reset? */
bool gpu_fw_running(const struct gpu *g);

/* hw/gpu_job.c */
extern const struct sim_actor_ops gpu_job_ops;
/** gpu_job_pick - the stream the job engine runs next (n * GPU_CS_PER_CSG + m), or -1 */
int gpu_job_pick(const struct gpu *g);
/** gpu_cs_drop - forget @cs's fetched instruction and its progress */
void gpu_cs_drop(struct gpu_cs *cs);
/** gpu_protm_check_done - leave protected mode if the group's regions all finished */
void gpu_protm_check_done(struct gpu *g);

#endif /* SECSOC_HW_GPU_INTERNAL_H */
