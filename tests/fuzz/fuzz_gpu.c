/*
 * fuzz_gpu.c - libFuzzer harness for the Mali-CSF-like GPU model
 * (hw/gpu*.c) on the default board's hardware: no kernel, the harness is
 * a normal-world CPU driving the GPU's registers and the secure CPU that
 * programmed the TZC (TZMP1: the carve-out for the protected NSAID only,
 * normal memory not writable by it).
 *
 * The first byte picks the TZC's ACTION (bits 1:0, so denials are silent
 * or bus errors) and the seed (bits 7:2). The rest is a program, one
 * opcode byte (modulo the number of operations) and its arguments; slot8
 * names a group (bits 1:0) and a stream of it (bit 2):
 *
 *   0 wr reg8 slot8 val32    write a register of the GPU, the group or the stream
 *   1 wr_any off24 val32     write any 32-bit word of the register window
 *   2 rd reg8 slot8          read a register, then check every register's range
 *   3 steps n8               up to n8 + 1 simulation steps
 *   4 boot                   MCU_CONTROL = ENABLE
 *   5 start slot8 prio8 ring8   ring (placement and size from ring8), stream
 *                            and group START, doorbell
 *   6 submit slot8 instr     an instruction (below) written at CS_INSERT into
 *                            the stream's ring through the RAM backdoor,
 *                            CS_INSERT advanced, doorbell
 *   7 protm slot8 fw8 sus8   GLB_PROTM_FW_BASE, the group's suspend buffer,
 *                            PROTM_ENTER toggled, global doorbell
 *   8 glb req8               toggle HALT, PING, PROTM_ENTER (bits 0..2), doorbell
 *   9 doorbell db8           ring doorbell db8 % 5
 *  10 reset hard8            GPU_CMD soft (or hard if bit 0) reset
 *  11 ack slot8              the host acknowledges every event of the group
 *                            and its streams and clears the interrupts
 *  12 state slot8 st8        CSG_REQ state st8 % 8 (4..7 are no state), doorbell
 *
 * An instruction: op8 flags8 arg8 w8 h8 x8 y8 ss8 ds8 color32 and three
 * addresses (src0, src1, dst) of sel8 off16 each; see instr_of().
 *
 * After the program the simulation runs to quiescence or a step bound.
 * Violations abort: an always() failure; a GPU access to protected memory
 * with the normal-mode NSAID that the TZC allowed, or a write outside it
 * with the protected NSAID that it allowed; a normal-mode access while
 * protected mode is active, or a protected-mode read while it is not;
 * PROTM_ACTIVE without a complete protected state save (firmware state and
 * suspend header written with responses OKAY) since the last entry or
 * reset; a register out of its range; the simulation still busy while the
 * GPU reads idle.
 */
#include <string.h>

#include <secsoc/bus.h>
#include <secsoc/gpu.h>
#include <secsoc/sim.h>
#include <secsoc/soc.h>
#include <secsoc/tzc400.h>

#include "fuzz_check.h"
#include "fuzz_input.h"
#include "fuzz_tzmp.h"

#define HARNESS "fuzz_gpu"
#define RING_AREA 0x80100000ULL		/* stream k's ring at RING_AREA + k * 64 KiB */
#define IMG_BASE 0x80400000ULL
#define STEPS_MAX 200000		/* for the program's steps, and again for the end */
#define IDLE_STEPS_MAX 1000		/* what the firmware may still do with the GPU idle */

static struct {
	struct fuzz_hw hw;
	struct gpu *g;
	u64 base;
	u64 steps;
	u64 save_bytes;		/* saved OKAY since the last entry or reset */
	struct gpu_stats last;
} fz;

/* ---- registers ---- */

static u32 rd(u64 off)
{
	return fuzz_reg_rd(fz.hw.soc->bus, HARNESS, "GPU", fz.base, off);
}

static void wr(u64 off, u32 val)
{
	fuzz_reg_wr(fz.hw.soc->bus, HARNESS, "GPU", fz.base, off, val);
}

static const u16 ctrl_regs[] = {
	GPU_ID, GPU_INT_RAWSTAT, GPU_INT_CLEAR, GPU_INT_MASK, GPU_INT_STAT, GPU_CMD,
	GPU_STATUS, GPU_FAULT_STATUS, GPU_FAULT_ADDR_LO, GPU_FAULT_ADDR_HI, MCU_CONTROL,
	MCU_STATUS, JOB_INT_RAWSTAT, JOB_INT_CLEAR, JOB_INT_MASK, JOB_INT_STAT,
};
static const u32 glb_regs[] = {
	GLB_VERSION, GLB_GROUP_NUM, GLB_PROTM_FW_SIZE, GLB_REQ, GLB_ACK, GLB_ACK_IRQ_MASK,
	GLB_PROTM_FW_BASE_LO, GLB_PROTM_FW_BASE_HI, CSF_DOORBELL(0), CSF_DOORBELL(1),
};
/* Offsets inside a group slot, and inside a stream. */
static const u16 csg_regs[] = { 0x00, 0x04, 0x10, 0x14, 0x18, 0x1c, 0x20, 0x24, 0x28 };
static const u16 cs_regs[] = {
	0x00, 0x04, 0x08, 0x10, 0x14, 0x18, 0x20, 0x24, 0x28, 0x30, 0x38, 0x3c, 0x40,
};

static u64 reg_of(u32 sel, u32 slot)
{
	unsigned int n = slot % GPU_CSG_SLOTS, m = (slot >> 2) % GPU_CS_PER_CSG;
	u32 r = sel % (ARRAY_SIZE(ctrl_regs) + ARRAY_SIZE(glb_regs) + ARRAY_SIZE(csg_regs) +
		       ARRAY_SIZE(cs_regs));

	if (r < ARRAY_SIZE(ctrl_regs))
		return ctrl_regs[r];
	r -= ARRAY_SIZE(ctrl_regs);
	if (r < ARRAY_SIZE(glb_regs))
		return glb_regs[r];
	r -= ARRAY_SIZE(glb_regs);
	if (r < ARRAY_SIZE(csg_regs))
		return CSG_BASE(n) + csg_regs[r];
	return CS_BASE(n, m) + cs_regs[r - ARRAY_SIZE(csg_regs)];
}

static void expect(bool ok, const char *what, u64 off, u32 v)
{
	if (!ok)
		fuzz_fail(HARNESS, "%s: register 0x%05llx reads 0x%08x", what,
			  (unsigned long long)off, v);
}

/* The registers of stream @m of group @n: ring bookkeeping and fault values. */
static void check_stream(unsigned int n, unsigned int m)
{
	u32 ins = rd(CS_INSERT(n, m)), ext = rd(CS_EXTRACT(n, m));
	u32 size = rd(CS_RING_SIZE(n, m)), info = rd(CS_FATAL_INFO(n, m));

	expect(!(ext % GPU_INSTR_BYTES), "CS_EXTRACT not whole instructions", CS_EXTRACT(n, m),
	       ext);
	expect(ins - ext <= size, "CS_EXTRACT more than a ring behind CS_INSERT",
	       CS_EXTRACT(n, m), ext);
	expect(!(rd(CS_STATUS_WAIT(n, m)) & ~CS_STATUS_WAIT_PROTM), "CS_STATUS_WAIT bits",
	       CS_STATUS_WAIT(n, m), rd(CS_STATUS_WAIT(n, m)));
	expect(info == 0 || info == GPU_EXCEPTION_CS_CONFIG_FAULT ||
	       info == GPU_EXCEPTION_CS_BUS_FAULT || info == GPU_EXCEPTION_CS_INSTR_INVALID,
	       "CS_FATAL_INFO not an exception type", CS_FATAL_INFO(n, m), info);
}

static void check_regs(void)
{
	u32 raw = rd(GPU_INT_RAWSTAT), jraw = rd(JOB_INT_RAWSTAT), fs = rd(GPU_FAULT_STATUS);

	expect(rd(GPU_ID) == GPU_ID_VALUE, "GPU_ID", GPU_ID, rd(GPU_ID));
	expect(rd(GLB_VERSION) == GLB_VERSION_VALUE, "GLB_VERSION", GLB_VERSION,
	       rd(GLB_VERSION));
	expect(!(rd(GPU_STATUS) & ~(GPU_STATUS_ACTIVE | GPU_STATUS_PROTM_ACTIVE)),
	       "GPU_STATUS bits", GPU_STATUS, rd(GPU_STATUS));
	expect(!(raw & ~(GPU_IRQ_FAULT | GPU_IRQ_PROTM_FAULT | GPU_IRQ_RESET_COMPLETED)),
	       "GPU_INT_RAWSTAT bits", GPU_INT_RAWSTAT, raw);
	expect(rd(GPU_INT_STAT) == (raw & rd(GPU_INT_MASK)), "GPU_INT_STAT", GPU_INT_STAT,
	       rd(GPU_INT_STAT));
	expect(!(jraw & ~(JOB_INT_GLOBAL_IF | GENMASK(GPU_CSG_SLOTS - 1, 0))),
	       "JOB_INT_RAWSTAT bits", JOB_INT_RAWSTAT, jraw);
	expect(rd(JOB_INT_STAT) == (jraw & rd(JOB_INT_MASK)), "JOB_INT_STAT", JOB_INT_STAT,
	       rd(JOB_INT_STAT));
	expect(rd(MCU_STATUS) <= MCU_STATUS_ENABLED, "MCU_STATUS", MCU_STATUS, rd(MCU_STATUS));
	expect(fs == 0 || fs == GPU_EXCEPTION_PROTM_FAULT, "GPU_FAULT_STATUS", GPU_FAULT_STATUS,
	       fs);
	expect(rd(CSF_DOORBELL(1)) == 0, "doorbell", CSF_DOORBELL(1), rd(CSF_DOORBELL(1)));
	for (unsigned int n = 0; n < GPU_CSG_SLOTS; n++) {
		expect(rd(CSG_STREAM_NUM(n)) == GPU_CS_PER_CSG, "CSG_STREAM_NUM",
		       CSG_STREAM_NUM(n), rd(CSG_STREAM_NUM(n)));
		for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
			check_stream(n, m);
	}
}

/* ---- the bus, as the GPU uses it ---- */

static bool overlaps_prot(u64 addr, u32 len)
{
	return addr < PROT_BASE + PROT_SIZE && addr + len > PROT_BASE;
}

static bool inside_prot(u64 addr, u32 len)
{
	return addr >= PROT_BASE && addr + len <= PROT_BASE + PROT_SIZE;
}

static void observe(void *opaque, const struct bus_access *a)
{
	bool prot_master = a->master == gpu_bus_master(fz.g, true);

	if (a->master != gpu_bus_master(fz.g, false) && !prot_master)
		return;
	if (a->target == BUS_TARGET_RAM && a->decision.allowed &&
	    (prot_master ? a->write && !inside_prot(a->addr, a->len) :
	     overlaps_prot(a->addr, a->len)))
		fuzz_fail(HARNESS, "the TZC let the GPU (%s) %s 0x%llx+%u", a->master->name,
			  a->write ? "write" : "read", (unsigned long long)a->addr, a->len);
	if (gpu_protected(fz.g) != prot_master && (!prot_master || !a->write))
		fuzz_fail(HARNESS, "%s %s 0x%llx+%u with protected mode %s", a->master->name,
			  a->write ? "writes" : "reads", (unsigned long long)a->addr, a->len,
			  gpu_protected(fz.g) ? "active" : "off");
	/* Writes of the protected master outside protected mode are the entry's save. */
	if (prot_master && !gpu_protected(fz.g))
		fz.save_bytes = a->resp == BUS_OKAY ? fz.save_bytes + a->len : 0;
}

/* After every step: protected mode only after a complete save. */
static void check_step(void)
{
	struct gpu_stats st = gpu_stats(fz.g);
	u64 need = gpu_config(fz.g)->protm_fw_size + GPU_INSTR_BYTES;
	bool active = rd(GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE;

	if (active != gpu_protected(fz.g))
		fuzz_fail(HARNESS, "GPU_STATUS_PROTM_ACTIVE %d but gpu_protected() %d", active,
			  gpu_protected(fz.g));
	if (st.resets != fz.last.resets)
		fz.save_bytes = 0;
	if (st.protm_entries != fz.last.protm_entries) {
		if (st.protm_entries - fz.last.protm_entries > 1 || fz.save_bytes < need)
			fuzz_fail(HARNESS, "protected mode entered (%llu times) after saving %llu "
				  "of %llu bytes", (unsigned long long)st.protm_entries,
				  (unsigned long long)fz.save_bytes, (unsigned long long)need);
		fz.save_bytes = 0;
	}
	fz.last = st;
	fuzz_check_violations(HARNESS, fz.hw.sim);
}

/* Up to @n steps; false once nothing is ready. */
static bool steps(u64 n)
{
	for (; n; n--) {
		if (!sim_step_once(fz.hw.sim))
			return false;
		check_step();
	}
	return true;
}

/* ---- operations ---- */

/* Where rings and images go: RAM, the carve-out and its edges, holes, MMIO. */
static const u64 places[] = {
	IMG_BASE, PROT_BASE + 0x100000, PROT_BASE - 0x800, PROT_BASE + PROT_SIZE - 0x800,
	RING_AREA, TZ_MEM, 0, RAM_END - 0x400, BUS_PA_LIMIT - 0x1000, 0x03d00000ULL,
	PROT_BASE,
};

static u64 place(struct input *in)
{
	u32 sel = take(in, 1), off = take(in, 2);

	if (sel == 0xff)
		return off | (u64)take(in, 4) << 16;
	return places[sel % ARRAY_SIZE(places)] + off;
}

static void op_wr(struct input *in)
{
	u64 off = reg_of(take(in, 1), take(in, 1));

	wr(off, take(in, 4));
}

static void op_wr_any(struct input *in)
{
	u64 off = (u64)take(in, 3) * 4 % GPU_REG_WINDOW;

	wr(off, take(in, 4));
}

static void op_rd(struct input *in)
{
	u64 off = reg_of(take(in, 1), take(in, 1));

	rd(off);
	check_regs();
}

/* The program's steps share one budget. */
static void op_steps(struct input *in)
{
	u64 n = take(in, 1) + 1;

	n = MIN(n, STEPS_MAX - fz.steps);
	fz.steps += n;
	steps(n);
}

static void op_boot(struct input *in)
{
	wr(MCU_CONTROL, MCU_CONTROL_ENABLE);
}

static void set_state(u64 req, u32 mask, u32 state)
{
	wr(req, (rd(req) & ~mask) | state);
}

static void op_start(struct input *in)
{
	u32 slot = take(in, 1), prio = take(in, 1), ring = take(in, 1);
	unsigned int n = slot % GPU_CSG_SLOTS, m = (slot >> 2) % GPU_CS_PER_CSG;
	u64 base = ring & 0x80 ? place(in) : RING_AREA + (n * GPU_CS_PER_CSG + m) * 0x10000ULL;

	wr(CSG_EP_REQ(n), prio << 28);
	wr(CS_RING_BASE_LO(n, m), (u32)base);
	wr(CS_RING_BASE_HI(n, m), (u32)(base >> 32));
	wr(CS_RING_SIZE(n, m), ring & 0x40 ? 96 : 64u << MIN(ring & 15, 10u));
	set_state(CS_REQ(n, m), CS_STATE_MASK, CS_STATE_START);
	set_state(CSG_REQ(n), CSG_STATE_MASK, CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(n)), 1);
}

/* Row bytes of an image operand: luma bytes for NV12 sources, else pixels. */
static u32 stride_of(struct input *in, u32 row)
{
	u32 s = take(in, 1);

	return s == 0xff ? take(in, 4) : row + s * 4;
}

static struct gpu_instr instr_of(struct input *in)
{
	struct gpu_instr i = { 0 };
	u32 op = take(in, 1), flags = take(in, 1);

	i.op = op % 6 == 5 ? take(in, 4) : op % 6;
	i.flags = flags & 0x80 ? flags : flags & GPU_INSTR_F_IRQ;
	i.arg = take(in, 1);
	i.width = take(in, 1) + 1;
	i.height = take(in, 1) + 1;
	i.x = take(in, 1);
	i.y = take(in, 1);
	i.src_stride = stride_of(in, i.op == GPU_OP_CONVERT_NV12 ? i.width : i.width * 4);
	i.dst_stride = stride_of(in, (i.x + i.width) * 4);
	i.color = take(in, 4);
	i.src0 = place(in);
	i.src1 = place(in);
	i.dst = place(in);
	return i;
}

static void op_submit(struct input *in)
{
	u32 slot = take(in, 1);
	unsigned int n = slot % GPU_CSG_SLOTS, m = (slot >> 2) % GPU_CS_PER_CSG;
	struct gpu_instr i = instr_of(in);
	u64 base = rd(CS_RING_BASE_LO(n, m)) | (u64)rd(CS_RING_BASE_HI(n, m)) << 32;
	u32 size = rd(CS_RING_SIZE(n, m)), ins = rd(CS_INSERT(n, m));
	void *p = size ? bus_ram_backdoor(fz.hw.soc->bus, base + ins % size, sizeof(i)) : NULL;

	if (p)
		memcpy(p, &i, sizeof(i));
	wr(CS_INSERT(n, m), ins + GPU_INSTR_BYTES);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(n)), 1);
}

/* The firmware's protected sections and the suspend buffer: in the carve-out, or not. */
static u64 protm_place(u32 sel)
{
	static const u64 at[] = {
		PROT_BASE, PROT_BASE + 0x10000, IMG_BASE, 0, PROT_BASE + PROT_SIZE - 0x8000,
		TZ_MEM,
	};

	return at[sel % ARRAY_SIZE(at)] + (sel >> 4) * 0x40000ULL;
}

static void op_protm(struct input *in)
{
	unsigned int n = take(in, 1) % GPU_CSG_SLOTS;
	u64 fw = protm_place(take(in, 1)), sus = protm_place(take(in, 1)) + 0x20000;

	wr(GLB_PROTM_FW_BASE_LO, (u32)fw);
	wr(GLB_PROTM_FW_BASE_HI, (u32)(fw >> 32));
	wr(CSG_PROTM_SUSPEND_BUF_LO(n), (u32)sus);
	wr(CSG_PROTM_SUSPEND_BUF_HI(n), (u32)(sus >> 32));
	wr(GLB_REQ, rd(GLB_REQ) ^ GLB_PROTM_ENTER);
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
}

static void op_glb(struct input *in)
{
	u32 req = take(in, 1);
	u32 bits = (req & 1 ? GLB_HALT : 0) | (req & 2 ? GLB_PING : 0) |
		   (req & 4 ? GLB_PROTM_ENTER : 0);

	wr(GLB_REQ, rd(GLB_REQ) ^ bits);
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
}

static void op_doorbell(struct input *in)
{
	wr(CSF_DOORBELL(take(in, 1) % (1 + GPU_CSG_SLOTS)), 1);
}

static void op_reset(struct input *in)
{
	wr(GPU_CMD, take(in, 1) & 1 ? GPU_HARD_RESET : GPU_SOFT_RESET);
}

/* What a driver's interrupt handler does: acknowledge every event, clear. */
static void op_ack(struct input *in)
{
	unsigned int n = take(in, 1) % GPU_CSG_SLOTS;
	u32 ev = CSG_SYNC_UPDATE | CSG_IDLE, cs_ev = CS_FATAL | CS_PROTM_PENDING;

	wr(CSG_REQ(n), (rd(CSG_REQ(n)) & ~ev) | (rd(CSG_ACK(n)) & ev));
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		wr(CS_REQ(n, m), (rd(CS_REQ(n, m)) & ~cs_ev) | (rd(CS_ACK(n, m)) & cs_ev));
	wr(GLB_REQ, (rd(GLB_REQ) & ~GLB_PROTM_EXIT) | (rd(GLB_ACK) & GLB_PROTM_EXIT));
	wr(JOB_INT_CLEAR, ~0u);
	wr(GPU_INT_CLEAR, ~0u);
}

static void op_state(struct input *in)
{
	unsigned int n = take(in, 1) % GPU_CSG_SLOTS;

	set_state(CSG_REQ(n), CSG_STATE_MASK, take(in, 1) % 8);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(n)), 1);
}

static void (*const ops[])(struct input *in) = {
	op_wr, op_wr_any, op_rd, op_steps, op_boot, op_start, op_submit, op_protm, op_glb,
	op_doorbell, op_reset, op_ack, op_state,
};

/* ---- the machine ---- */

static void boot(u32 cfg)
{
	memset(&fz, 0, sizeof(fz));
	fuzz_hw_boot(&fz.hw, HARNESS, cfg, TZC400_ID_ACCESS_RD(GPU_NSAID_PROT) |
		     TZC400_ID_ACCESS_WR(GPU_NSAID_PROT));
	fz.g = fz.hw.soc->gpu;
	if (!fz.g)
		fuzz_fail(HARNESS, "the default board has no GPU");
	fz.base = gpu_config(fz.g)->base;
	if (bus_add_observer(fz.hw.soc->bus, observe, NULL))
		fuzz_fail(HARNESS, "too many bus observers");
}

/* Run to quiescence; past the bound only a busy GPU may keep the simulation going. */
static void finish(void)
{
	if (steps(STEPS_MAX) && !(rd(GPU_STATUS) & GPU_STATUS_ACTIVE) &&
	    steps(IDLE_STEPS_MAX) && !(rd(GPU_STATUS) & GPU_STATUS_ACTIVE))
		fuzz_fail(HARNESS, "%d steps past the bound with the GPU idle, and the "
			  "simulation is still busy", IDLE_STEPS_MAX);
	check_regs();
	bus_remove_observer(fz.hw.soc->bus, observe, NULL);
	fuzz_hw_close(&fz.hw);
}

/**
 * LLVMFuzzerTestOneInput - boot the default board's hardware, run the
 * program on the GPU, run to the end and check (see the file comment)
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	boot(take(&in, 1));
	while (in.left)
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&in);
	finish();
	return 0;
}
