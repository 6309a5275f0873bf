/*
 * gpu.c - the Mali-CSF-like GPU model (include/secsoc/gpu.h): its register
 * window, the interrupt outputs, the events the firmware and the job
 * engine raise, creation, reset to the power-on state and the accessors.
 *
 * The firmware actor (request/acknowledge processing, protected-mode entry
 * and exit) is in hw/gpu_fw.c, the job engine (instruction fetch and
 * execution) in hw/gpu_job.c. docs/gpu.md describes the model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw/gpu_internal.h"

static void guest_error(struct gpu *g, const char *what, u64 off, u64 val)
{
	sim_guest_error(g->sim, g->name, "%s at 0x%05llx (value 0x%llx)", what,
			(unsigned long long)off, (unsigned long long)val);
}

/* ---- interrupts and events ---- */

void gpu_update(struct gpu *g)
{
	irq_line_set(g->line_job, (g->st.job_rawstat & g->st.job_mask) != 0);
	irq_line_set(g->line_gpu, (g->st.gpu_rawstat & g->gpu_mask) != 0);
	sim_actor_set_asleep(&g->fw_actor, !gpu_fw_ops.ready(&g->fw_actor));
	sim_actor_set_asleep(&g->job_actor, !gpu_job_ops.ready(&g->job_actor));
	sim_actor_set_asleep(&g->ctrl_actor, !gpu_ctrl_ops.ready(&g->ctrl_actor));
}

void gpu_glb_event(struct gpu *g, u32 bits)
{
	g->st.glb_ack ^= bits;
	if (bits & g->st.glb_irq_mask)
		g->st.job_rawstat |= JOB_INT_GLOBAL_IF;
}

void gpu_csg_event(struct gpu *g, unsigned int n, u32 bits)
{
	g->st.csg[n].ack ^= bits;
	if (bits & g->st.csg[n].irq_mask)
		g->st.job_rawstat |= JOB_INT_CSG_IF(n);
}

void gpu_cs_event(struct gpu *g, unsigned int n, unsigned int m, u32 bits)
{
	g->st.csg[n].cs[m].ack ^= bits;
	if (bits & g->st.csg[n].cs[m].irq_mask)
		g->st.job_rawstat |= JOB_INT_CSG_IF(n);
}

void gpu_cs_stop(struct gpu_cs *cs)
{
	cs->ack = (cs->ack & ~CS_STATE_MASK) | CS_STATE_STOP;
	cs->status_wait = 0;
	cs->prot_left = 0;
	gpu_cs_drop(cs);
}

void gpu_cs_fatal(struct gpu *g, unsigned int n, unsigned int m, u32 type, u64 addr)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];

	cs->fatal_info = type;
	cs->fatal_addr = addr;
	gpu_cs_stop(cs);
	gpu_cs_event(g, n, m, CS_FATAL);
	g->stats.cs_faults++;
	gpu_protm_check_done(g);
}

/* Time in protected mode since PROTM_ACTIVE was last set. */
static u64 protm_ns_now(const struct gpu *g)
{
	return sim_now_ns(g->sim) - g->st.protm_since_ns;
}

void gpu_protm_leave(struct gpu *g)
{
	g->stats.protm_ns += protm_ns_now(g);
}

void gpu_protm_fault(struct gpu *g, u64 addr)
{
	g->st.gpu_rawstat |= GPU_IRQ_PROTM_FAULT;
	g->st.fault_status = GPU_EXCEPTION_PROTM_FAULT;
	g->st.fault_addr = addr;
	g->st.halted = true;
	g->stats.protm_faults++;
}

void gpu_power_on_state(struct gpu *g)
{
	if (gpu_protected(g))
		gpu_protm_leave(g);
	memset(&g->st, 0, sizeof(g->st));
	g->st.protm_group = -1;
	g->st.mcu_status = MCU_STATUS_DISABLED;
}

/* ---- register reads ---- */

static bool gpu_active(const struct gpu *g)
{
	return gpu_job_pick(g) >= 0;
}

static u32 status_read(const struct gpu *g)
{
	return (gpu_active(g) ? GPU_STATUS_ACTIVE : 0) |
	       (gpu_protected(g) ? GPU_STATUS_PROTM_ACTIVE : 0);
}

static bool ctrl_read(const struct gpu *g, u64 off, u32 *v)
{
	switch (off) {
	case GPU_ID: *v = GPU_ID_VALUE; break;
	case GPU_INT_RAWSTAT: *v = g->st.gpu_rawstat; break;
	case GPU_INT_MASK: *v = g->gpu_mask; break;
	case GPU_INT_STAT: *v = g->st.gpu_rawstat & g->gpu_mask; break;
	case GPU_STATUS: *v = status_read(g); break;
	case GPU_FAULT_STATUS: *v = g->st.fault_status; break;
	case GPU_FAULT_ADDR_LO: *v = (u32)g->st.fault_addr; break;
	case GPU_FAULT_ADDR_HI: *v = (u32)(g->st.fault_addr >> 32); break;
	case MCU_CONTROL: *v = g->st.mcu_control; break;
	case MCU_STATUS: *v = g->st.mcu_status; break;
	case JOB_INT_RAWSTAT: *v = g->st.job_rawstat; break;
	case JOB_INT_MASK: *v = g->st.job_mask; break;
	case JOB_INT_STAT: *v = g->st.job_rawstat & g->st.job_mask; break;
	case GPU_INT_CLEAR: case GPU_CMD: case JOB_INT_CLEAR: *v = 0; break;
	default: return false;
	}
	return true;
}

static bool glb_read(const struct gpu *g, u64 off, u32 *v)
{
	switch (off) {
	case GLB_VERSION: *v = GLB_VERSION_VALUE; break;
	case GLB_GROUP_NUM: *v = GPU_CSG_SLOTS; break;
	case GLB_PROTM_FW_SIZE: *v = g->cfg.protm_fw_size; break;
	case GLB_REQ: *v = g->st.glb_req; break;
	case GLB_ACK: *v = g->st.glb_ack; break;
	case GLB_ACK_IRQ_MASK: *v = g->st.glb_irq_mask; break;
	case GLB_PROTM_FW_BASE_LO: *v = (u32)g->st.protm_fw_base; break;
	case GLB_PROTM_FW_BASE_HI: *v = (u32)(g->st.protm_fw_base >> 32); break;
	default: return false;
	}
	return true;
}

static bool cs_read(const struct gpu_cs *cs, u64 reg, u32 *v)
{
	switch (reg) {
	case 0x00: *v = cs->req; break;
	case 0x04: *v = cs->ack; break;
	case 0x08: *v = cs->irq_mask; break;
	case 0x10: *v = (u32)cs->ring_base; break;
	case 0x14: *v = (u32)(cs->ring_base >> 32); break;
	case 0x18: *v = cs->ring_size; break;
	case 0x20: *v = cs->insert; break;
	case 0x24: *v = cs->extract; break;
	case 0x28: *v = cs->status_wait; break;
	case 0x30: *v = cs->fatal_info; break;
	case 0x38: *v = (u32)cs->fatal_addr; break;
	case 0x3c: *v = (u32)(cs->fatal_addr >> 32); break;
	default: return false;
	}
	return true;
}

/* @rel: offset inside the slot's 4 KiB page */
static bool csg_read(const struct gpu *g, unsigned int n, u64 rel, u32 *v)
{
	const struct gpu_csg *csg = &g->st.csg[n];

	if (rel >= 0x100 && rel < 0x100 + GPU_CS_PER_CSG * 0x80)
		return cs_read(&csg->cs[(rel - 0x100) / 0x80], (rel - 0x100) % 0x80, v);
	switch (rel) {
	case 0x00: *v = GPU_CS_PER_CSG; break;
	case 0x04: *v = g->cfg.protm_suspend_size; break;
	case 0x10: *v = csg->req; break;
	case 0x14: *v = csg->ack; break;
	case 0x18: *v = csg->irq_mask; break;
	case 0x1c: *v = csg->ep_req; break;
	case 0x20: *v = (u32)csg->suspend_buf; break;
	case 0x24: *v = (u32)(csg->suspend_buf >> 32); break;
	default: return false;
	}
	return true;
}

static bool in_csg(u64 off)
{
	return off >= CSG_BASE(0) && off < CSG_BASE(GPU_CSG_SLOTS);
}

/* The group slot of @off (in_csg); csg_rel() is the offset inside its 4 KiB page. */
static unsigned int csg_slot(u64 off)
{
	return (unsigned int)((off - CSG_BASE(0)) / 0x1000);
}

static u64 csg_rel(u64 off)
{
	return (off - CSG_BASE(0)) % 0x1000;
}

/* A register (not a doorbell) that reads: false if @off is none. */
static bool reg_read(const struct gpu *g, u64 off, u32 *v)
{
	if (in_csg(off))
		return csg_read(g, csg_slot(off), csg_rel(off), v);
	if (off >= GLB_BASE)
		return glb_read(g, off, v);
	return ctrl_read(g, off, v);
}

static bool is_doorbell(u64 off)
{
	return off >= CSF_DOORBELL(0) && off < CSF_DOORBELL(GPU_DOORBELLS);
}

static u64 gpu_mmio_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
			 enum bus_resp *resp)
{
	struct gpu *g = opaque;
	u32 v = 0;

	/* Doorbells read as zero. */
	if (!reg_read(g, off, &v) && !is_doorbell(off))
		guest_error(g, "read of an unimplemented register, reads as zero", off, 0);
	return v;
}

/* ---- register writes ---- */

static void cmd_write(struct gpu *g, u32 val)
{
	if (val != GPU_SOFT_RESET && val != GPU_HARD_RESET) {
		guest_error(g, "unknown GPU_CMD, ignored", GPU_CMD, val);
		return;
	}
	if (g->reset == GPU_RESET_NONE)
		g->reset = GPU_RESET_REQUESTED;
}

static void mcu_control_write(struct gpu *g, u32 val)
{
	if (val != MCU_CONTROL_ENABLE && val != MCU_CONTROL_DISABLE) {
		guest_error(g, "unknown MCU_CONTROL value, ignored", MCU_CONTROL, val);
		return;
	}
	g->st.mcu_control = val;
	if (val == MCU_CONTROL_DISABLE) {
		g->st.mcu_status = MCU_STATUS_DISABLED;
		g->st.boot_requested = false;
		g->st.booting = false;
	} else if (g->st.mcu_status == MCU_STATUS_DISABLED && !g->st.booting) {
		g->st.boot_requested = true;
	}
}

static bool ctrl_write(struct gpu *g, u64 off, u32 val)
{
	switch (off) {
	case GPU_INT_CLEAR: g->st.gpu_rawstat &= ~val; break;
	case GPU_INT_MASK: g->gpu_mask = val; break;
	case GPU_CMD: cmd_write(g, val); break;
	case MCU_CONTROL: mcu_control_write(g, val); break;
	case JOB_INT_CLEAR: g->st.job_rawstat &= ~val; break;
	case JOB_INT_MASK: g->st.job_mask = val; break;
	default: return false;
	}
	return true;
}

static bool glb_write(struct gpu *g, u64 off, u32 val)
{
	switch (off) {
	case GLB_REQ: g->st.glb_req = val; break;
	case GLB_ACK_IRQ_MASK: g->st.glb_irq_mask = val; break;
	case GLB_PROTM_FW_BASE_LO:
		g->st.protm_fw_base = (g->st.protm_fw_base & ~0xffffffffULL) | val;
		break;
	case GLB_PROTM_FW_BASE_HI:
		g->st.protm_fw_base = (g->st.protm_fw_base & 0xffffffffULL) | (u64)val << 32;
		break;
	default: return false;
	}
	return true;
}

static bool cs_stopped(const struct gpu_cs *cs)
{
	return FIELD_GET(CS_STATE_MASK, cs->ack) == CS_STATE_STOP;
}

/* A new ring: only while the stream is stopped; it starts empty. */
static void ring_write(struct gpu *g, struct gpu_cs *cs, u64 reg, u32 val, u64 off)
{
	if (!cs_stopped(cs)) {
		guest_error(g, "ring configuration written while the stream runs, ignored", off,
			    val);
		return;
	}
	if (reg == 0x10 && !IS_ALIGNED(val, 64))
		guest_error(g, "CS_RING_BASE is not 64-byte aligned (CS_CONFIG_FAULT at START)",
			    off, val);
	if (reg == 0x18 && !gpu_ring_size_ok(val))
		guest_error(g, "CS_RING_SIZE is not a power of two in 64..65536 (CS_CONFIG_FAULT "
			    "at START)", off, val);
	if (reg == 0x10)
		cs->ring_base = (cs->ring_base & ~0xffffffffULL) | val;
	else if (reg == 0x14)
		cs->ring_base = (cs->ring_base & 0xffffffffULL) | (u64)val << 32;
	else
		cs->ring_size = val;
	cs->insert = 0;
	cs->extract = 0;
	gpu_cs_drop(cs);
}

static void insert_write(struct gpu *g, struct gpu_cs *cs, u32 val, u64 off)
{
	if (val % GPU_INSTR_BYTES || val - cs->extract < cs->insert - cs->extract ||
	    val - cs->extract > cs->ring_size)
		guest_error(g, "CS_INSERT must grow by whole instructions and stay within a ring "
			    "of CS_EXTRACT, ignored", off, val);
	else
		cs->insert = val;
}

static bool cs_write(struct gpu *g, struct gpu_cs *cs, u64 reg, u32 val, u64 off)
{
	switch (reg) {
	case 0x00: cs->req = val; break;
	case 0x08: cs->irq_mask = val; break;
	case 0x10: case 0x14: case 0x18: ring_write(g, cs, reg, val, off); break;
	case 0x20: insert_write(g, cs, val, off); break;
	default: return false;
	}
	return true;
}

static bool csg_write(struct gpu *g, unsigned int n, u64 rel, u32 val, u64 off)
{
	struct gpu_csg *csg = &g->st.csg[n];

	if (rel >= 0x100 && rel < 0x100 + GPU_CS_PER_CSG * 0x80)
		return cs_write(g, &csg->cs[(rel - 0x100) / 0x80], (rel - 0x100) % 0x80, val, off);
	switch (rel) {
	case 0x10: csg->req = val; break;
	case 0x18: csg->irq_mask = val; break;
	case 0x1c: csg->ep_req = val; break;
	case 0x20: csg->suspend_buf = (csg->suspend_buf & ~0xffffffffULL) | val; break;
	case 0x24:
		csg->suspend_buf = (csg->suspend_buf & 0xffffffffULL) | (u64)val << 32;
		break;
	default: return false;
	}
	return true;
}

static bool doorbell_write(struct gpu *g, u64 off)
{
	if (off % 0x10000 || off >= CSF_DOORBELL(GPU_DOORBELLS))
		return false;
	g->st.doorbells |= BIT((off - CSF_DOORBELL(0)) / 0x10000);
	return true;
}

static void gpu_mmio_write(void *opaque, u64 off, u64 val64, unsigned int size,
			   const struct bus_master *m, enum bus_resp *resp)
{
	struct gpu *g = opaque;
	u32 val = (u32)val64, unused;
	bool ok;

	if (in_csg(off))
		ok = csg_write(g, csg_slot(off), csg_rel(off), val, off);
	else if (off >= GLB_BASE && off < CSG_BASE(0))
		ok = glb_write(g, off, val);
	else if (off >= CSF_DOORBELL(0))
		ok = doorbell_write(g, off);
	else
		ok = ctrl_write(g, off, val);
	if (!ok)
		guest_error(g, reg_read(g, off, &unused) ? "write to a read-only register, ignored" :
			    "write to an unimplemented register, ignored", off, val);
	gpu_update(g);
}

static const struct mmio_ops gpu_mmio_ops = {
	.read = gpu_mmio_read,
	.write = gpu_mmio_write,
	.sizes = BUS_ACCESS_32,
};

/* ---- creation and accessors ---- */

static int check_config(const struct gpu_config *cfg, struct secsoc_error *err)
{
	if (cfg->nsaid >= 16 || cfg->protected_nsaid >= 16)
		return input_error(err, "%s: NSAIDs must be 0..15 (normal %u, protected %u)",
				   cfg->name, cfg->nsaid, cfg->protected_nsaid);
	if (cfg->nsaid == cfg->protected_nsaid)
		return input_error(err, "%s: the protected-mode NSAID must differ from the "
				   "normal one (%u)", cfg->name, cfg->nsaid);
	if (cfg->timing.ps_per_pixel == 0)
		return input_error(err, "%s: ps-per-pixel must not be 0", cfg->name);
	if (cfg->protm_fw_size == 0 || cfg->protm_fw_size % 64 || cfg->protm_suspend_size < 64 ||
	    cfg->protm_suspend_size % 64)
		return input_error(err, "%s: protected firmware and suspend sizes must be "
				   "non-zero multiples of 64 bytes (suspend >= 64)", cfg->name);
	return 0;
}

static void init_actor(struct gpu *g, struct sim_actor *a, const char *name,
		       const struct sim_actor_ops *ops)
{
	a->name = name;
	a->ops = ops;
	a->priv = g;
	sim_actor_add(g->sim, a);
}

static void init_master(struct bus_master *m, const char *name, unsigned int id)
{
	*m = (struct bus_master){ .name = name, .kind = BUS_MASTER_DEVICE, .nsaid = id };
}

struct gpu *gpu_create(struct sim *s, struct bus *b, const struct gpu_config *cfg,
		       struct irq_line *line_job, struct irq_line *line_gpu,
		       struct secsoc_error *err)
{
	struct gpu *g;

	if (check_config(cfg, err))
		return NULL;
	g = calloc(1, sizeof(*g));
	if (!g) {
		internal_error(err, "%s: out of memory", cfg->name);
		return NULL;
	}
	g->sim = s;
	g->bus = b;
	g->cfg = *cfg;
	snprintf(g->name, sizeof(g->name), "%s", cfg->name);
	g->cfg.name = g->name;
	g->line_job = line_job;
	g->line_gpu = line_gpu;
	if (bus_add_mmio(b, g->name, cfg->base, GPU_REG_WINDOW, &gpu_mmio_ops, g, err)) {
		free(g);
		return NULL;
	}
	init_master(&g->master, "gpu", cfg->nsaid);
	init_master(&g->protected_master, "gpu-protected", cfg->protected_nsaid);
	gpu_power_on_state(g);
	init_actor(g, &g->fw_actor, "gpu-fw", &gpu_fw_ops);
	init_actor(g, &g->job_actor, "gpu-job", &gpu_job_ops);
	init_actor(g, &g->ctrl_actor, "gpu-ctrl", &gpu_ctrl_ops);
	gpu_update(g);
	return g;
}

/**
 * gpu_destroy - free the model (the simulation and bus must not run it again)
 * @g: NULL is fine
 */
void gpu_destroy(struct gpu *g)
{
	free(g);
}

/** gpu_config - the configuration the model was created with */
const struct gpu_config *gpu_config(const struct gpu *g)
{
	return &g->cfg;
}

/** gpu_stats - what the GPU did so far, protected time up to now included */
struct gpu_stats gpu_stats(const struct gpu *g)
{
	struct gpu_stats st = g->stats;

	if (gpu_protected(g))
		st.protm_ns += protm_ns_now(g);
	return st;
}

bool gpu_protected(const struct gpu *g)
{
	return g->st.protm == GPU_PROTM_ON || g->st.protm == GPU_PROTM_EXITING;
}

const struct bus_master *gpu_bus_master(const struct gpu *g, bool protected_mode)
{
	return protected_mode ? &g->protected_master : &g->master;
}
