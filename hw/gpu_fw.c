/*
 * gpu_fw.c - the GPU's firmware (the MCU) and its reset controller, as two
 * actors of the GPU model (hw/gpu_internal.h).
 *
 * The firmware boots after MCU_CONTROL=ENABLE, then serves doorbells: the
 * global one (GLB_REQ: HALT, PING, PROTM_ENTER) and one per group slot
 * (CSG_REQ state, CSG_EP_REQ priority, and every stream's CS_REQ state).
 * It also runs the two halves of protected-mode entry and exit, each half
 * a step of its own so that a driver sees the acknowledgement before
 * GPU_STATUS_PROTM_ACTIVE changes. Delays are the modelled cost of the
 * step that starts them.
 *
 * The reset controller carries out GPU_CMD resets: nothing runs from the
 * command on; after reset_ns everything is in its power-on state and
 * RESET_COMPLETED is raised.
 */
#include <string.h>

#include "hw/gpu_internal.h"

#define GLB_REQUESTS (GLB_HALT | GLB_PING | GLB_PROTM_ENTER)

bool gpu_fw_running(const struct gpu *g)
{
	return g->reset == GPU_RESET_NONE && !g->st.halted &&
	       g->st.mcu_status == MCU_STATUS_ENABLED;
}

/* ---- protected-mode entry ---- */

static bool group_waits_protm(const struct gpu_csg *csg)
{
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		if (csg->cs[m].status_wait & CS_STATUS_WAIT_PROTM)
			return true;
	return false;
}

/* The top-priority started group with a stream at a PROT_REGION, or -1. */
static int protm_candidate(const struct gpu *g)
{
	int best = -1;

	for (unsigned int n = 0; n < GPU_CSG_SLOTS; n++) {
		const struct gpu_csg *csg = &g->st.csg[n];

		if (csg->running && group_waits_protm(csg) &&
		    (best < 0 || csg->prio > g->st.csg[best].prio))
			best = (int)n;
	}
	return best;
}

/* Write @len bytes of @src at @addr as the protected master, one transaction at a time. */
static bool protm_write(struct gpu *g, u64 addr, const u8 *src, u64 len)
{
	u64 done = 0;

	if (addr == 0) {
		gpu_protm_fault(g, 0);
		return false;
	}
	while (done < len) {
		u64 a = addr + done;
		u64 chunk = MIN(len - done, BUS_TXN_BYTES - (a % BUS_TXN_BYTES));

		if (bus_write(g->bus, &g->protected_master, a, src, chunk) != BUS_OKAY) {
			gpu_protm_fault(g, a);
			return false;
		}
		done += chunk;
	}
	return true;
}

/* The firmware's protected state and group @n's suspend header, in protected memory. */
static bool protm_save(struct gpu *g, unsigned int n)
{
	u32 header[GPU_INSTR_BYTES / 4] = {
		GPU_SUSPEND_MAGIC, n, (u32)g->stats.protm_entries,
	};
	u8 *state = g->bounce[0];

	memset(state, 0xa5, BUS_TXN_BYTES);
	return protm_write(g, g->st.protm_fw_base, state, g->cfg.protm_fw_size) &&
	       protm_write(g, g->st.csg[n].suspend_buf, (const u8 *)header, sizeof(header));
}

static u64 protm_enter(struct gpu *g)
{
	int n = protm_candidate(g);

	if (g->st.protm != GPU_PROTM_OFF || n < 0) {
		sim_guest_error(g->sim, g->name, "GLB_PROTM_ENTER %s; acknowledged, nothing done",
				n < 0 ? "with no group waiting at a PROT_REGION" :
				"while protected mode is already on");
		gpu_glb_event(g, GLB_PROTM_ENTER);
		return GPU_FW_STEP_NS;
	}
	if (!protm_save(g, (unsigned int)n)) {
		sim_actor_label(&g->fw_actor, "protected-mode entry faulted at 0x%llx",
				(unsigned long long)g->st.fault_addr);
		return GPU_FW_STEP_NS;
	}
	if (sim_fault(g->sim, FAULT_GPU_PROTM_ACK_DROP)) {
		sim_actor_label(&g->fw_actor, "PROTM_ENTER for group %d dropped (fault)", n);
		return GPU_FW_STEP_NS;
	}
	gpu_glb_event(g, GLB_PROTM_ENTER);
	g->st.protm = GPU_PROTM_ENTERING;
	g->st.protm_group = n;
	sim_actor_label(&g->fw_actor, "PROTM_ENTER acknowledged, entering for group %d", n);
	return g->cfg.timing.protm_enter_ns;
}

static void protm_entered(struct gpu *g)
{
	struct gpu_csg *csg = &g->st.csg[g->st.protm_group];

	g->st.protm = GPU_PROTM_ON;
	g->st.protm_since_ns = sim_now_ns(g->sim);
	g->stats.protm_entries++;
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		csg->cs[m].status_wait &= ~CS_STATUS_WAIT_PROTM;
	sim_actor_label(&g->fw_actor, "PROTM_ACTIVE (group %d)", g->st.protm_group);
}

/* Streams stopped in the middle of a region resume at a PROT_REGION stall later. */
static void protm_exited(struct gpu *g)
{
	struct gpu_csg *csg = &g->st.csg[g->st.protm_group];

	gpu_protm_leave(g);
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		if (csg->cs[m].prot_left)
			gpu_cs_drop(&csg->cs[m]);
	g->st.protm = GPU_PROTM_OFF;
	g->st.protm_group = -1;
	gpu_glb_event(g, GLB_PROTM_EXIT);
	sim_actor_label(&g->fw_actor, "protected mode left (GLB_PROTM_EXIT)");
}

/* ---- doorbells ---- */

static u64 glb_doorbell(struct gpu *g)
{
	u32 changed = (g->st.glb_req ^ g->st.glb_seen) & GLB_REQUESTS;
	u64 cost = GPU_FW_STEP_NS;

	g->st.glb_seen ^= changed;
	sim_actor_label(&g->fw_actor, "global doorbell: requests 0x%x", changed);
	if (changed & GLB_HALT) {
		gpu_glb_event(g, GLB_HALT);
		g->st.mcu_status = MCU_STATUS_DISABLED;
	}
	if (changed & GLB_PING) {
		gpu_glb_event(g, GLB_PING);
		if (g->st.protm == GPU_PROTM_ENTERING || g->st.protm == GPU_PROTM_ON)
			g->st.exit_requested = true;
	}
	if (changed & GLB_PROTM_ENTER && !(changed & GLB_HALT))
		cost = protm_enter(g);
	return cost;
}

static void cs_set_state(struct gpu *g, unsigned int n, unsigned int m, u32 state)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];

	cs->ack = (cs->ack & ~CS_STATE_MASK) | state;
	if (cs->irq_mask & CS_STATE_MASK)
		g->st.job_rawstat |= JOB_INT_CSG_IF(n);
}

/* A requested stop: like a fault's, but with the state interrupt. */
static void cs_stop(struct gpu *g, unsigned int n, unsigned int m)
{
	gpu_cs_stop(&g->st.csg[n].cs[m]);
	cs_set_state(g, n, m, CS_STATE_STOP);
}

static bool ring_valid(const struct gpu_cs *cs)
{
	return cs->ring_base && IS_ALIGNED(cs->ring_base, 64) && gpu_ring_size_ok(cs->ring_size) &&
	       cs->ring_base + cs->ring_size <= BUS_PA_LIMIT;
}

static void cs_request(struct gpu *g, unsigned int n, unsigned int m)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];
	u32 want = FIELD_GET(CS_STATE_MASK, cs->req);

	if (want == FIELD_GET(CS_STATE_MASK, cs->ack))
		return;
	/*
	 * Streams start with their group; one that stopped on a fault stays
	 * stopped until the host acknowledged the fault.
	 */
	if (want == CS_STATE_START &&
	    (!g->st.csg[n].running || (cs->req ^ cs->ack) & CS_FATAL))
		return;
	if (want == CS_STATE_STOP)
		cs_stop(g, n, m);
	else if (want != CS_STATE_START)
		sim_guest_error(g->sim, g->name, "CS_REQ(%u, %u): unknown state %u", n, m, want);
	else if (!ring_valid(cs))
		gpu_cs_fatal(g, n, m, GPU_EXCEPTION_CS_CONFIG_FAULT, cs->ring_base);
	else
		cs_set_state(g, n, m, CS_STATE_START);
}

static void csg_state(struct gpu *g, unsigned int n, u32 want)
{
	struct gpu_csg *csg = &g->st.csg[n];

	csg->running = want == CSG_STATE_START || want == CSG_STATE_RESUME;
	if (want == CSG_STATE_TERMINATE)
		for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
			cs_stop(g, n, m);
	csg->ack = (csg->ack & ~CSG_STATE_MASK) | want;
	if (csg->irq_mask & CSG_STATE_MASK)
		g->st.job_rawstat |= JOB_INT_CSG_IF(n);
}

static u64 csg_doorbell(struct gpu *g, unsigned int n)
{
	struct gpu_csg *csg = &g->st.csg[n];
	u32 want = FIELD_GET(CSG_STATE_MASK, csg->req);

	sim_actor_label(&g->fw_actor, "group %u doorbell", n);
	csg->prio = FIELD_GET(CSG_EP_REQ_PRIORITY_MASK, csg->ep_req);
	if (want != FIELD_GET(CSG_STATE_MASK, csg->ack))
		csg_state(g, n, want);
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		cs_request(g, n, m);
	gpu_protm_check_done(g);
	return GPU_FW_STEP_NS;
}

/* ---- the firmware actor ---- */

static bool fw_ready(struct sim_actor *a)
{
	const struct gpu *g = a->priv;

	if (g->reset != GPU_RESET_NONE || g->st.halted)
		return false;
	if (g->st.boot_requested || g->st.booting)
		return true;
	if (!gpu_fw_running(g))
		return false;
	return g->st.protm == GPU_PROTM_ENTERING || g->st.protm == GPU_PROTM_EXITING ||
	       (g->st.exit_requested && g->st.protm == GPU_PROTM_ON) || g->st.doorbells;
}

static u64 fw_boot(struct gpu *g)
{
	if (g->st.boot_requested) {
		g->st.boot_requested = false;
		g->st.booting = true;
		sim_actor_label(&g->fw_actor, "MCU boots the firmware");
		return g->cfg.timing.fw_boot_ns;
	}
	g->st.booting = false;
	g->st.mcu_status = MCU_STATUS_ENABLED;
	g->st.job_rawstat |= JOB_INT_GLOBAL_IF;
	sim_actor_label(&g->fw_actor, "firmware up (MCU_STATUS_ENABLED)");
	return GPU_FW_STEP_NS;
}

static u64 fw_work(struct gpu *g)
{
	unsigned int db;

	if (g->st.boot_requested || g->st.booting)
		return fw_boot(g);
	if (g->st.protm == GPU_PROTM_ENTERING) {
		protm_entered(g);
		return GPU_FW_STEP_NS;
	}
	if (g->st.protm == GPU_PROTM_EXITING) {
		protm_exited(g);
		return GPU_FW_STEP_NS;
	}
	if (g->st.exit_requested && g->st.protm == GPU_PROTM_ON) {
		g->st.exit_requested = false;
		g->st.protm = GPU_PROTM_EXITING;
		sim_actor_label(&g->fw_actor, "leaving protected mode");
		return g->cfg.timing.protm_exit_ns;
	}
	db = (unsigned int)__builtin_ctz(g->st.doorbells);
	g->st.doorbells &= ~BIT(db);
	return db == CSF_GLB_DOORBELL_ID ? glb_doorbell(g) : csg_doorbell(g, db - 1);
}

static u64 fw_step(struct sim_actor *a)
{
	struct gpu *g = a->priv;
	u64 cost = fw_work(g);

	gpu_update(g);
	return cost;
}

const struct sim_actor_ops gpu_fw_ops = {
	.ready = fw_ready,
	.step = fw_step,
};

/* ---- the reset controller ---- */

static bool ctrl_ready(struct sim_actor *a)
{
	const struct gpu *g = a->priv;

	return g->reset != GPU_RESET_NONE;
}

static u64 ctrl_step(struct sim_actor *a)
{
	struct gpu *g = a->priv;
	u64 cost = GPU_FW_STEP_NS;

	if (g->reset == GPU_RESET_REQUESTED) {
		g->reset = GPU_RESET_BUSY;
		sim_actor_label(a, "reset");
		cost = g->cfg.timing.reset_ns;
	} else {
		gpu_power_on_state(g);
		g->st.gpu_rawstat |= GPU_IRQ_RESET_COMPLETED;
		g->stats.resets++;
		g->reset = GPU_RESET_NONE;
		sim_actor_label(a, "reset completed");
	}
	gpu_update(g);
	return cost;
}

const struct sim_actor_ops gpu_ctrl_ops = {
	.ready = ctrl_ready,
	.step = ctrl_step,
};
