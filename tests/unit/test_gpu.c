/*
 * test_gpu.c - the Mali-CSF-like GPU model on the default board's hardware:
 * the test is the CPU driving its registers (no kernel, no secure world;
 * the test programs the TZC itself as the secure CPU), running the
 * simulation until it is quiescent and checking registers, memory and
 * statistics. Also the SoC layer's checks of the GPU node.
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"

#include <secsoc/bus.h>
#include <secsoc/gpu.h>
#include <secsoc/pixel.h>
#include <secsoc/sim.h>
#include <secsoc/soc.h>
#include <secsoc/tzc400.h>

#define GPU_BASE 0x03d00000ULL
#define TZC_BASE 0x0a000000ULL
#define PROT_BASE 0x9c000000ULL		/* the protected carve-out, 32 MiB */
#define PROT_SIZE 0x2000000ULL
#define RING_BASE 0x80100000ULL		/* rings: 64 KiB apart per stream */
#define RING_SIZE 4096u
#define IMG_BASE 0x80400000ULL		/* normal images */
#define PROT_FW PROT_BASE
#define PROT_SUSPEND (PROT_BASE + GPU_PROTM_FW_SIZE_DEFAULT)
#define PROT_IMG (PROT_BASE + 0x100000)
#define GPU_NSAID_PROT 2

static const struct bus_master cpu_ns = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true,
};
static const struct bus_master cpu_s = {
	.name = "secure-cpu", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
};

static struct {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	u32 inserted[GPU_CSG_SLOTS][GPU_CS_PER_CSG];
} fx;

static u32 rd(u64 off)
{
	u64 v = 0;

	assert_int_equal(bus_read_sized(fx.soc->bus, &cpu_ns, GPU_BASE + off, 4, &v), BUS_OKAY);
	return (u32)v;
}

static void wr(u64 off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.soc->bus, &cpu_ns, GPU_BASE + off, 4, val), BUS_OKAY);
}

static void tzc_wr(u64 off, u32 val)
{
	assert_int_equal(bus_write_sized(fx.soc->bus, &cpu_s, TZC_BASE + off, 4, val), BUS_OKAY);
}

/*
 * What the secure world does (TZMP1): normal memory readable by every
 * NSAID and writable by all but the GPU's protected NSAID; the carve-out
 * for the protected NSAID only; denials answered with DECERR.
 */
static void program_tzc(void)
{
	u32 attrs = TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN;
	u64 top = PROT_BASE + PROT_SIZE - 1;

	tzc_wr(TZC400_REGION_ID_ACCESS(0), ~TZC400_ID_ACCESS_WR(GPU_NSAID_PROT));
	tzc_wr(TZC400_REGION_ATTRIBUTES(0), attrs);
	tzc_wr(TZC400_REGION_BASE_LOW(1), (u32)PROT_BASE);
	tzc_wr(TZC400_REGION_BASE_HIGH(1), (u32)(PROT_BASE >> 32));
	tzc_wr(TZC400_REGION_TOP_LOW(1), (u32)top);
	tzc_wr(TZC400_REGION_TOP_HIGH(1), (u32)(top >> 32));
	tzc_wr(TZC400_REGION_ID_ACCESS(1), TZC400_ID_ACCESS_RD(GPU_NSAID_PROT) |
	       TZC400_ID_ACCESS_WR(GPU_NSAID_PROT));
	tzc_wr(TZC400_REGION_ATTRIBUTES(1), attrs | 1);
	tzc_wr(TZC400_ACTION, TZC400_ACTION_DECERR);
	tzc_wr(TZC400_GATE_KEEPER, 1);
}

static void boot_faults(const char *faults)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };

	memset(&fx, 0, sizeof(fx));
	assert_int_equal(fault_spec_parse(faults, &cfg.faults, &err), 0);
	assert_int_equal(soc_load_builtin(SOC_BUILTIN_DEFAULT, &fx.dt, &err), 0);
	fx.sim = sim_create(&cfg);
	assert_int_equal(soc_create(fx.sim, fx.dt, &fx.soc, &err), 0);
	assert_non_null(fx.soc->gpu);
	program_tzc();
}

static int setup(void **state)
{
	boot_faults(NULL);
	return 0;
}

static int teardown(void **state)
{
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
	return 0;
}

static void run(void)
{
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
}

static void *ram(u64 addr, size_t len)
{
	void *p = bus_ram_backdoor(fx.soc->bus, addr, len);

	assert_non_null(p);
	return p;
}

static u32 pixel_at(u64 addr)
{
	u32 v;

	memcpy(&v, ram(addr, 4), 4);
	return v;
}

static void boot_mcu(void)
{
	wr(MCU_CONTROL, MCU_CONTROL_ENABLE);
	run();
	assert_int_equal(rd(MCU_STATUS), MCU_STATUS_ENABLED);
}

static u64 ring_of(unsigned int n, unsigned int m)
{
	return RING_BASE + (n * GPU_CS_PER_CSG + m) * 0x10000ULL;
}

/* Start group @n (stream 0 with a ring) at priority @prio, and let the firmware see it. */
static void start_group(unsigned int n, unsigned int prio)
{
	wr(CSG_EP_REQ(n), prio << 28);
	wr(CS_RING_BASE_LO(n, 0), (u32)ring_of(n, 0));
	wr(CS_RING_BASE_HI(n, 0), 0);
	wr(CS_RING_SIZE(n, 0), RING_SIZE);
	wr(CS_REQ(n, 0), CS_STATE_START);
	wr(CSG_REQ(n), CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(n)), 1);
	run();
	assert_int_equal(rd(CSG_ACK(n)) & CSG_STATE_MASK, CSG_STATE_START);
	assert_int_equal(rd(CS_ACK(n, 0)) & CS_STATE_MASK, CS_STATE_START);
}

/* Append @in to stream 0 of group @n and ring its doorbell (run by the caller). */
static void submit(unsigned int n, const struct gpu_instr *in)
{
	u32 *ins = &fx.inserted[n][0];

	memcpy(ram(ring_of(n, 0) + *ins % RING_SIZE, sizeof(*in)), in, sizeof(*in));
	*ins += GPU_INSTR_BYTES;
	wr(CS_INSERT(n, 0), *ins);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(n)), 1);
}

static struct gpu_instr fill(u64 dst, u32 w, u32 h, u32 color)
{
	return (struct gpu_instr){ .op = GPU_OP_FILL, .width = w, .height = h,
				   .dst_stride = w * 4, .color = color, .dst = dst };
}

static struct gpu_instr prot_region(u32 n)
{
	return (struct gpu_instr){ .op = GPU_OP_PROT_REGION, .arg = n };
}

static struct gpu_stats stats(void)
{
	return gpu_stats(fx.soc->gpu);
}

/* ---- identification and boot ---- */

static void test_gpu_id(void **state)
{
	assert_int_equal(rd(GPU_ID), GPU_ID_VALUE);
	assert_int_equal(rd(GLB_VERSION), GLB_VERSION_VALUE);
	assert_int_equal(rd(GLB_GROUP_NUM), GPU_CSG_SLOTS);
	assert_int_equal(rd(GLB_PROTM_FW_SIZE), GPU_PROTM_FW_SIZE_DEFAULT);
	assert_int_equal(rd(CSG_STREAM_NUM(3)), GPU_CS_PER_CSG);
	assert_int_equal(rd(CSG_PROTM_SUSPEND_SIZE(0)), GPU_PROTM_SUSPEND_SIZE_DEFAULT);
	assert_int_equal(gpu_config(fx.soc->gpu)->nsaid, 4);
	assert_int_equal(gpu_config(fx.soc->gpu)->protected_nsaid, 2);
}

static void test_mcu_boot(void **state)
{
	assert_int_equal(rd(MCU_STATUS), MCU_STATUS_DISABLED);
	wr(JOB_INT_MASK, JOB_INT_GLOBAL_IF);
	wr(MCU_CONTROL, MCU_CONTROL_ENABLE);
	assert_int_equal(rd(MCU_STATUS), MCU_STATUS_DISABLED);
	run();
	assert_int_equal(rd(MCU_STATUS), MCU_STATUS_ENABLED);
	assert_true(sim_now_ns(fx.sim) >= GPU_FW_BOOT_NS_DEFAULT);
	assert_int_equal(rd(JOB_INT_STAT), JOB_INT_GLOBAL_IF);
	assert_true(fx.soc->gpu_irq_job.level);
}

static void test_doorbell_before_boot_is_kept(void **state)
{
	wr(CS_RING_BASE_LO(0, 0), (u32)ring_of(0, 0));
	wr(CS_RING_SIZE(0, 0), RING_SIZE);
	wr(CS_REQ(0, 0), CS_STATE_START);
	wr(CSG_REQ(0), CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
	run();
	assert_int_equal(rd(CSG_ACK(0)), 0);
	boot_mcu();
	assert_int_equal(rd(CSG_ACK(0)) & CSG_STATE_MASK, CSG_STATE_START);
}

/* ---- image instructions ---- */

static void test_fill(void **state)
{
	struct gpu_instr in = fill(IMG_BASE, 8, 20, 0x00123456);

	in.x = 2;
	in.y = 1;
	in.dst_stride = 64;
	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal(pixel_at(IMG_BASE + 64 + 8), 0xff123456);
	assert_int_equal(pixel_at(IMG_BASE + 20 * 64 + 9 * 4), 0xff123456);
	assert_int_equal(pixel_at(IMG_BASE + 64 + 4), 0);	/* left of the rectangle */
	assert_int_equal(pixel_at(IMG_BASE + 8), 0);		/* above it */
	assert_int_equal(pixel_at(IMG_BASE + 21 * 64 + 8), 0);	/* below it */
	assert_int_equal(rd(CS_EXTRACT(0, 0)), GPU_INSTR_BYTES);
	assert_int_equal(stats().pixels, 8 * 20);
	assert_int_equal(stats().instrs, 1);
}

static void test_convert(void **state)
{
	const u32 w = 32, h = 20, stride = 64;
	u64 luma = IMG_BASE, chroma = IMG_BASE + 0x10000, dst = IMG_BASE + 0x20000;
	u8 *y = ram(luma, (size_t)stride * h), *c = ram(chroma, (size_t)stride * h / 2);
	struct gpu_instr in = {
		.op = GPU_OP_CONVERT_NV12, .width = w, .height = h, .src_stride = stride,
		.dst_stride = w * 4, .src0 = luma, .src1 = chroma, .dst = dst,
	};

	for (u32 i = 0; i < stride * h; i++)
		y[i] = (u8)(16 + i * 7);
	for (u32 i = 0; i < stride * h / 2; i++)
		c[i] = (u8)(16 + i * 13);
	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	for (u32 r = 0; r < h; r++)
		for (u32 x = 0; x < w; x++) {
			const u8 *cc = &c[(r / 2) * stride + (x / 2) * 2];
			u32 want = pixel_yuv_to_xrgb(y[r * stride + x], cc[0], cc[1]);

			assert_int_equal(pixel_at(dst + (r * w + x) * 4), want);
		}
	assert_int_equal(stats().pixels, w * h);
}

static void test_blend(void **state)
{
	u64 src = IMG_BASE, dst = IMG_BASE + 0x10000;
	u32 argb[3] = { 0xff102030, 0x00aabbcc, 0x80ffffff };
	u8 expect[12];
	struct gpu_instr in = {
		.op = GPU_OP_BLEND_ARGB, .width = 3, .height = 1, .src_stride = 12,
		.dst_stride = 64, .x = 1, .y = 2, .src0 = src, .dst = dst,
	};

	memcpy(ram(src, sizeof(argb)), argb, sizeof(argb));
	for (unsigned int i = 0; i < 16; i++)
		memcpy(ram(dst + 2 * 64 + i * 4, 4), &(u32){ 0xff000000 | i }, 4);
	memcpy(expect, ram(dst + 2 * 64 + 4, 12), 12);
	pixel_blend_argb_row((const u8 *)argb, expect, 3);
	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal(pixel_at(dst + 2 * 64 + 4), 0xff102030);	/* opaque */
	assert_int_equal(pixel_at(dst + 2 * 64 + 8), 0xff000002);	/* transparent */
	assert_memory_equal(ram(dst + 2 * 64 + 4, 12), expect, 12);
	assert_int_equal(pixel_at(dst + 2 * 64), 0xff000000);	/* left of x */
}

static void test_higher_priority_runs_first(void **state)
{
	struct gpu_instr low = fill(IMG_BASE, 64, 64, 0x00000001);
	struct gpu_instr high = fill(IMG_BASE, 64, 64, 0x00000002);

	boot_mcu();
	start_group(0, 1);
	start_group(1, 8);
	submit(0, &low);
	submit(1, &high);
	run();
	/* Both wrote the same pixels; the low-priority group's came last. */
	assert_int_equal(pixel_at(IMG_BASE), 0xff000001);
	assert_int_equal(stats().instrs, 2);
}

static void test_terminate_stops_streams(void **state)
{
	boot_mcu();
	start_group(0, 1);
	wr(CSG_REQ(0), CSG_STATE_TERMINATE);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
	run();
	assert_int_equal(rd(CSG_ACK(0)) & CSG_STATE_MASK, CSG_STATE_TERMINATE);
	assert_int_equal(rd(CS_ACK(0, 0)) & CS_STATE_MASK, CS_STATE_STOP);
}

/* ---- interrupts ---- */

static void test_sync_update_irq_and_clear(void **state)
{
	struct gpu_instr in = fill(IMG_BASE, 4, 4, 1);

	in.flags = GPU_INSTR_F_IRQ;
	boot_mcu();
	wr(JOB_INT_CLEAR, ~0u);
	wr(JOB_INT_MASK, JOB_INT_CSG_IF(0));
	wr(CSG_ACK_IRQ_MASK(0), CSG_SYNC_UPDATE);
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal((rd(CSG_ACK(0)) ^ rd(CSG_REQ(0))) & CSG_SYNC_UPDATE, CSG_SYNC_UPDATE);
	assert_int_equal(rd(JOB_INT_STAT), JOB_INT_CSG_IF(0));
	assert_true(fx.soc->gpu_irq_job.level);
	wr(JOB_INT_CLEAR, JOB_INT_CSG_IF(0));
	assert_int_equal(rd(JOB_INT_RAWSTAT), 0);
	assert_false(fx.soc->gpu_irq_job.level);
}

static void test_event_masked_raises_nothing(void **state)
{
	struct gpu_instr in = fill(IMG_BASE, 4, 4, 1);

	in.flags = GPU_INSTR_F_IRQ;
	boot_mcu();
	wr(JOB_INT_CLEAR, ~0u);
	wr(JOB_INT_MASK, ~0u);
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal((rd(CSG_ACK(0)) ^ rd(CSG_REQ(0))) & CSG_SYNC_UPDATE, CSG_SYNC_UPDATE);
	assert_int_equal(rd(JOB_INT_RAWSTAT), 0);
	assert_false(fx.soc->gpu_irq_job.level);
}

static void test_group_idle_event(void **state)
{
	struct gpu_instr in = fill(IMG_BASE, 4, 4, 1);

	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal((rd(CSG_ACK(0)) ^ rd(CSG_REQ(0))) & CSG_IDLE, CSG_IDLE);
}

/* ---- stream faults ---- */

static void test_ring_config_fault(void **state)
{
	u64 errors = sim_guest_error_count(fx.sim);

	boot_mcu();
	wr(CS_RING_BASE_LO(0, 0), (u32)RING_BASE + 0x10);
	wr(CS_RING_SIZE(0, 0), RING_SIZE);
	wr(CS_REQ(0, 0), CS_STATE_START);
	wr(CSG_REQ(0), CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
	run();
	assert_true(sim_guest_error_count(fx.sim) > errors);
	assert_int_equal(rd(CS_ACK(0, 0)) & (CS_FATAL | CS_STATE_MASK), CS_FATAL | CS_STATE_STOP);
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_CONFIG_FAULT);
	assert_int_equal(stats().cs_faults, 1);
}

static void test_ring_size_not_power_of_two(void **state)
{
	boot_mcu();
	wr(CS_RING_BASE_LO(0, 0), (u32)RING_BASE);
	wr(CS_RING_SIZE(0, 0), 96);
	wr(CS_REQ(0, 0), CS_STATE_START);
	wr(CSG_REQ(0), CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
	run();
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_CONFIG_FAULT);
}

static void test_unknown_op_is_invalid(void **state)
{
	struct gpu_instr in = { .op = 99 };

	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal(rd(CS_ACK(0, 0)) & (CS_FATAL | CS_STATE_MASK), CS_FATAL | CS_STATE_STOP);
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_INSTR_INVALID);
	assert_int_equal(rd(CS_FATAL_ADDR_LO(0, 0)), (u32)ring_of(0, 0));
	assert_int_equal(rd(CS_EXTRACT(0, 0)), 0);
}

static void test_bad_operands_are_invalid(void **state)
{
	struct gpu_instr zero = fill(IMG_BASE, 0, 4, 1);
	struct gpu_instr narrow = fill(IMG_BASE, 8, 4, 1);
	struct gpu_instr wrap = fill(~0ULL - 8, 8, 4, 1);

	narrow.dst_stride = 16;		/* smaller than a row */
	boot_mcu();
	start_group(0, 1);
	for (unsigned int i = 0; i < 3; i++) {
		submit(0, i == 0 ? &zero : i == 1 ? &narrow : &wrap);
		run();
		assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_INSTR_INVALID);
		assert_int_equal(stats().cs_faults, i + 1);
		/* A new ring restarts the stream past the bad instruction. */
		wr(CS_RING_SIZE(0, 0), RING_SIZE);
		fx.inserted[0][0] = 0;
		wr(CS_REQ(0, 0), CS_STATE_START | (rd(CS_ACK(0, 0)) & CS_FATAL));
		wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
		run();
		assert_int_equal(rd(CS_ACK(0, 0)) & CS_STATE_MASK, CS_STATE_START);
	}
	assert_int_equal(stats().pixels, 0);
}

static void test_normal_mode_reading_protected_is_bus_fault(void **state)
{
	struct gpu_instr in = {
		.op = GPU_OP_BLEND_ARGB, .width = 4, .height = 2, .src_stride = 16,
		.dst_stride = 16, .src0 = PROT_IMG, .dst = IMG_BASE,
	};

	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal(rd(CS_ACK(0, 0)) & (CS_FATAL | CS_STATE_MASK), CS_FATAL | CS_STATE_STOP);
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_BUS_FAULT);
	assert_int_equal(rd(CS_FATAL_ADDR_LO(0, 0)), (u32)PROT_IMG);
	assert_int_equal(rd(CS_FATAL_ADDR_HI(0, 0)), 0);
	assert_int_equal(rd(GPU_INT_RAWSTAT), 0);
}

static void test_faulted_stream_restarts_only_when_acked(void **state)
{
	struct gpu_instr in = fill(PROT_IMG, 4, 4, 1);

	boot_mcu();
	start_group(0, 1);
	submit(0, &in);
	run();
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), GPU_EXCEPTION_CS_BUS_FAULT);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);	/* CS_REQ still says START */
	run();
	assert_int_equal(rd(CS_ACK(0, 0)) & CS_STATE_MASK, CS_STATE_STOP);
	assert_int_equal(stats().cs_faults, 1);
	wr(CS_REQ(0, 0), rd(CS_REQ(0, 0)) ^ CS_FATAL);	/* acknowledge the fault */
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(0)), 1);
	run();
	/* It retries the instruction at CS_EXTRACT, which faults again. */
	assert_int_equal(stats().cs_faults, 2);
	assert_int_equal(rd(CS_EXTRACT(0, 0)), 0);
}

/* ---- protected mode ---- */

/* Group @n at @prio submits PROT_REGION(@len) and a FILL of @dst; it stalls. */
static void stall_at_region(unsigned int n, unsigned int prio, u32 len, u64 dst)
{
	struct gpu_instr region = prot_region(len), in = fill(dst, 4, 4, 0x00abcdef);

	wr(CS_ACK_IRQ_MASK(n, 0), CS_PROTM_PENDING | CS_FATAL);
	start_group(n, prio);
	submit(n, &region);
	submit(n, &in);
	run();
}

static void request_protm(void)
{
	wr(GLB_REQ, rd(GLB_REQ) ^ GLB_PROTM_ENTER);
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
}

static void set_protm_buffers(u64 fw, u64 suspend)
{
	wr(GLB_PROTM_FW_BASE_LO, (u32)fw);
	wr(GLB_PROTM_FW_BASE_HI, (u32)(fw >> 32));
	wr(CSG_PROTM_SUSPEND_BUF_LO(0), (u32)suspend);
	wr(CSG_PROTM_SUSPEND_BUF_HI(0), (u32)(suspend >> 32));
}

static void test_prot_region_stalls(void **state)
{
	boot_mcu();
	wr(JOB_INT_CLEAR, ~0u);
	wr(JOB_INT_MASK, ~0u);
	stall_at_region(0, 1, 1, PROT_IMG);
	assert_int_equal(rd(CS_STATUS_WAIT(0, 0)), CS_STATUS_WAIT_PROTM);
	assert_int_equal((rd(CS_ACK(0, 0)) ^ rd(CS_REQ(0, 0))) & CS_PROTM_PENDING,
			 CS_PROTM_PENDING);
	assert_int_equal(rd(JOB_INT_RAWSTAT) & JOB_INT_CSG_IF(0), JOB_INT_CSG_IF(0));
	assert_int_equal(rd(CS_EXTRACT(0, 0)), 0);
	assert_false(gpu_protected(fx.soc->gpu));
	assert_int_equal(rd(GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE, 0);
}

static void check_entry_fault(u64 addr)
{
	assert_int_equal(rd(GPU_INT_RAWSTAT), GPU_IRQ_PROTM_FAULT);
	assert_true(fx.soc->gpu_irq_gpu.level);
	assert_int_equal(rd(GPU_FAULT_STATUS), GPU_EXCEPTION_PROTM_FAULT);
	assert_int_equal(rd(GPU_FAULT_ADDR_LO), (u32)addr);
	assert_int_equal(rd(GPU_FAULT_ADDR_HI), (u32)(addr >> 32));
	assert_int_equal((rd(GLB_ACK) ^ rd(GLB_REQ)) & GLB_PROTM_ENTER, GLB_PROTM_ENTER);
	assert_false(gpu_protected(fx.soc->gpu));
	assert_int_equal(stats().protm_faults, 1);
	assert_int_equal(stats().protm_entries, 0);
}

static void test_protm_entry_fw_base_zero_faults(void **state)
{
	boot_mcu();
	wr(GPU_INT_MASK, GPU_IRQ_PROTM_FAULT);
	stall_at_region(0, 1, 1, PROT_IMG);
	set_protm_buffers(0, PROT_SUSPEND);
	request_protm();
	run();
	check_entry_fault(0);
}

static void test_protm_entry_fw_in_normal_memory_faults(void **state)
{
	boot_mcu();
	wr(GPU_INT_MASK, GPU_IRQ_PROTM_FAULT);
	stall_at_region(0, 1, 1, PROT_IMG);
	set_protm_buffers(IMG_BASE, PROT_SUSPEND);
	request_protm();
	run();
	check_entry_fault(IMG_BASE);
}

static void test_protm_fault_halts_until_reset(void **state)
{
	boot_mcu();
	stall_at_region(0, 2, 1, PROT_IMG);
	set_protm_buffers(0, PROT_SUSPEND);
	request_protm();
	run();
	/* The firmware stopped: a new group is never acknowledged. */
	wr(CSG_REQ(1), CSG_STATE_START);
	wr(CSF_DOORBELL(CSF_CSG_DOORBELL_ID(1)), 1);
	run();
	assert_int_equal(rd(CSG_ACK(1)), 0);
	assert_int_equal(rd(GPU_STATUS), 0);
}

static void enter_protm(void)
{
	set_protm_buffers(PROT_FW, PROT_SUSPEND);
	request_protm();
}

static void test_protm_entry_acks_then_activates(void **state)
{
	boot_mcu();
	stall_at_region(0, 1, 1, PROT_IMG);
	enter_protm();
	while ((rd(GLB_ACK) ^ rd(GLB_REQ)) & GLB_PROTM_ENTER)
		assert_true(sim_step_once(fx.sim));
	/* Acknowledged, but the driver still has to poll for PROTM_ACTIVE. */
	assert_int_equal(rd(GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE, 0);
	while (!(rd(GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE))
		assert_true(sim_step_once(fx.sim));
	assert_true(gpu_protected(fx.soc->gpu));
	assert_int_equal(stats().protm_entries, 1);
	assert_int_equal(rd(CS_STATUS_WAIT(0, 0)), 0);
}

static void test_protected_job_writes_protected_memory(void **state)
{
	u32 header[3];

	boot_mcu();
	stall_at_region(0, 1, 1, PROT_IMG);
	enter_protm();
	run();
	assert_int_equal(pixel_at(PROT_IMG), 0xffabcdef);
	assert_int_equal(pixel_at(PROT_IMG + 15 * 4), 0xffabcdef);
	memcpy(header, ram(PROT_SUSPEND, sizeof(header)), sizeof(header));
	assert_int_equal(header[0], 0x4d544f50);	/* the firmware's suspend header */
	assert_int_equal(header[1], 0);
	assert_int_equal(rd(CS_EXTRACT(0, 0)), 2 * GPU_INSTR_BYTES);
	assert_int_equal(stats().protm_entries, 1);
	assert_int_equal(stats().protected_instrs, 1);
	assert_int_equal(stats().protm_faults, 0);
	assert_true(stats().protm_ns >= GPU_PROTM_EXIT_NS_DEFAULT);
}

static void test_protected_job_writing_normal_memory_faults(void **state)
{
	boot_mcu();
	wr(GPU_INT_MASK, GPU_IRQ_PROTM_FAULT);
	stall_at_region(0, 1, 1, IMG_BASE);
	enter_protm();
	run();
	assert_int_equal(rd(GPU_INT_RAWSTAT), GPU_IRQ_PROTM_FAULT);
	assert_int_equal(rd(GPU_FAULT_STATUS), GPU_EXCEPTION_PROTM_FAULT);
	assert_int_equal(rd(GPU_FAULT_ADDR_LO), (u32)IMG_BASE);
	assert_int_equal(pixel_at(IMG_BASE), 0);
	assert_int_equal(stats().protm_faults, 1);
	assert_int_equal(stats().cs_faults, 0);
	assert_int_equal(rd(CS_FATAL_INFO(0, 0)), 0);
}

static void test_protm_exit_event_after_region(void **state)
{
	boot_mcu();
	wr(JOB_INT_MASK, JOB_INT_GLOBAL_IF);
	wr(GLB_ACK_IRQ_MASK, GLB_PROTM_EXIT);
	stall_at_region(0, 1, 1, PROT_IMG);
	enter_protm();
	wr(JOB_INT_CLEAR, ~0u);
	run();
	assert_int_equal((rd(GLB_ACK) ^ rd(GLB_REQ)) & GLB_PROTM_EXIT, GLB_PROTM_EXIT);
	assert_int_equal(rd(JOB_INT_RAWSTAT) & JOB_INT_GLOBAL_IF, JOB_INT_GLOBAL_IF);
	assert_int_equal(rd(GPU_STATUS) & GPU_STATUS_PROTM_ACTIVE, 0);
	assert_false(gpu_protected(fx.soc->gpu));
}

static void test_ping_forces_exit(void **state)
{
	boot_mcu();
	stall_at_region(0, 1, 2, PROT_IMG);	/* the region's second instruction never comes */
	enter_protm();
	run();
	assert_true(gpu_protected(fx.soc->gpu));
	assert_int_equal(stats().protected_instrs, 1);
	wr(GLB_REQ, rd(GLB_REQ) ^ GLB_PING);
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
	run();
	assert_false(gpu_protected(fx.soc->gpu));
	assert_int_equal(rd(GLB_ACK) ^ rd(GLB_REQ), GLB_PROTM_EXIT);	/* PING acked too */
	assert_int_equal(stats().protm_entries, 1);
}

static void test_protected_mode_holds_lower_priority_group(void **state)
{
	struct gpu_instr in = fill(IMG_BASE, 4, 4, 0x00112233);

	boot_mcu();
	stall_at_region(0, 9, 2, PROT_IMG);
	enter_protm();
	run();
	assert_true(gpu_protected(fx.soc->gpu));
	start_group(1, 1);
	submit(1, &in);
	run();
	assert_int_equal(pixel_at(IMG_BASE), 0);
	assert_int_equal(rd(CS_EXTRACT(1, 0)), 0);
	wr(GLB_REQ, rd(GLB_REQ) ^ GLB_PING);
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
	run();
	assert_int_equal(pixel_at(IMG_BASE), 0xff112233);
}

static void test_ack_drop_fault_never_acks(void **state)
{
	teardown(state);
	boot_faults("gpu-protm-ack-drop:1");
	boot_mcu();
	stall_at_region(0, 1, 1, PROT_IMG);
	enter_protm();
	run();
	assert_int_equal(sim_fault_fired(fx.sim, FAULT_GPU_PROTM_ACK_DROP), 1);
	assert_int_equal((rd(GLB_ACK) ^ rd(GLB_REQ)) & GLB_PROTM_ENTER, GLB_PROTM_ENTER);
	assert_false(gpu_protected(fx.soc->gpu));
	assert_int_equal(rd(CS_STATUS_WAIT(0, 0)), CS_STATUS_WAIT_PROTM);
	assert_int_equal(rd(GPU_INT_RAWSTAT), 0);
	/* Ringing again does not make the firmware reconsider the dropped request. */
	wr(CSF_DOORBELL(CSF_GLB_DOORBELL_ID), 1);
	run();
	assert_false(gpu_protected(fx.soc->gpu));
	assert_int_equal(sim_fault_fired(fx.sim, FAULT_GPU_PROTM_ACK_DROP), 1);
}

/* ---- reset ---- */

static void test_reset_clears_state(void **state)
{
	u64 t0;

	boot_mcu();
	wr(GPU_INT_MASK, GPU_IRQ_RESET_COMPLETED | GPU_IRQ_PROTM_FAULT);
	wr(JOB_INT_MASK, ~0u);
	stall_at_region(0, 1, 1, PROT_IMG);
	set_protm_buffers(0, PROT_SUSPEND);
	request_protm();
	run();
	assert_int_equal(rd(GPU_INT_RAWSTAT), GPU_IRQ_PROTM_FAULT);
	t0 = sim_now_ns(fx.sim);
	wr(GPU_CMD, GPU_SOFT_RESET);
	run();
	assert_true(sim_now_ns(fx.sim) - t0 >= GPU_RESET_NS_DEFAULT);
	assert_int_equal(rd(GPU_INT_RAWSTAT), GPU_IRQ_RESET_COMPLETED);
	assert_true(fx.soc->gpu_irq_gpu.level);	/* GPU_INT_MASK survives */
	assert_int_equal(rd(GPU_INT_MASK), GPU_IRQ_RESET_COMPLETED | GPU_IRQ_PROTM_FAULT);
	assert_int_equal(rd(GPU_FAULT_STATUS), 0);
	assert_int_equal(rd(MCU_STATUS), MCU_STATUS_DISABLED);
	assert_int_equal(rd(JOB_INT_MASK), 0);
	assert_int_equal(rd(JOB_INT_RAWSTAT), 0);
	assert_int_equal(rd(CSG_ACK(0)), 0);
	assert_int_equal(rd(CS_STATUS_WAIT(0, 0)), 0);
	assert_int_equal(rd(CS_RING_SIZE(0, 0)), 0);
	assert_int_equal(rd(GLB_PROTM_FW_BASE_LO), 0);
	assert_int_equal(stats().resets, 1);
	/* And the GPU works again. */
	fx.inserted[0][0] = 0;
	boot_mcu();
	start_group(0, 1);
}

/* ---- register file errors ---- */

static void test_read_only_write_is_guest_error(void **state)
{
	u64 errors = sim_guest_error_count(fx.sim);

	wr(GPU_ID, 0);
	wr(CS_EXTRACT(0, 0), 64);
	assert_int_equal(sim_guest_error_count(fx.sim), errors + 2);
	assert_int_equal(rd(GPU_ID), GPU_ID_VALUE);
	assert_int_equal(rd(CS_EXTRACT(0, 0)), 0);
}

/* ---- the SoC layer ---- */

static void expect_board_error(const char *from, const char *to, const char *prop)
{
	const char *path = test_board_variant("soc/secsoc.dts", "gpu.dts", from, to);
	struct secsoc_error err = { 0 };
	struct dt *dt;
	struct soc *soc = NULL;
	struct sim *sim;

	assert_int_equal(soc_load_dt(NULL, path, &dt, &err), 0);
	sim = sim_create(&(struct sim_config){ .seed = 1 });
	assert_int_equal(soc_create(sim, dt, &soc, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_non_null(strstr(err.msg, "gpu@3d00000"));
	assert_non_null(strstr(err.msg, prop));
	sim_destroy(sim);
	dt_free(dt);
}

static void test_board_nsaid_out_of_range(void **state)
{
	expect_board_error("secsoc,nsaid = <4>;", "secsoc,nsaid = <16>;", "'secsoc,nsaid'");
}

static void test_board_same_nsaids(void **state)
{
	expect_board_error("secsoc,protected-nsaid = <2>;", "secsoc,protected-nsaid = <4>;",
			   "'secsoc,protected-nsaid'");
}

static void test_board_zero_ps_per_pixel(void **state)
{
	expect_board_error("secsoc,protected-nsaid = <2>;",
			   "secsoc,protected-nsaid = <2>; secsoc,ps-per-pixel = <0>;",
			   "'secsoc,ps-per-pixel'");
}

static void test_board_bad_fw_size(void **state)
{
	expect_board_error("secsoc,protected-nsaid = <2>;",
			   "secsoc,protected-nsaid = <2>; secsoc,protm-fw-size = <100>;",
			   "'secsoc,protm-fw-size'");
}

static void test_board_missing_job_interrupt(void **state)
{
	expect_board_error("interrupt-names = \"job\", \"mmu\", \"gpu\";",
			   "interrupt-names = \"jobs\", \"mmu\", \"gpu\";", "'interrupt-names'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_gpu_id),
		T(test_mcu_boot),
		T(test_doorbell_before_boot_is_kept),
		T(test_fill),
		T(test_convert),
		T(test_blend),
		T(test_higher_priority_runs_first),
		T(test_terminate_stops_streams),
		T(test_sync_update_irq_and_clear),
		T(test_event_masked_raises_nothing),
		T(test_group_idle_event),
		T(test_ring_config_fault),
		T(test_ring_size_not_power_of_two),
		T(test_unknown_op_is_invalid),
		T(test_bad_operands_are_invalid),
		T(test_normal_mode_reading_protected_is_bus_fault),
		T(test_faulted_stream_restarts_only_when_acked),
		T(test_prot_region_stalls),
		T(test_protm_entry_fw_base_zero_faults),
		T(test_protm_entry_fw_in_normal_memory_faults),
		T(test_protm_fault_halts_until_reset),
		T(test_protm_entry_acks_then_activates),
		T(test_protected_job_writes_protected_memory),
		T(test_protected_job_writing_normal_memory_faults),
		T(test_protm_exit_event_after_region),
		T(test_ping_forces_exit),
		T(test_protected_mode_holds_lower_priority_group),
		T(test_ack_drop_fault_never_acks),
		T(test_reset_clears_state),
		T(test_read_only_write_is_guest_error),
		T(test_board_nsaid_out_of_range),
		T(test_board_same_nsaids),
		T(test_board_zero_ps_per_pixel),
		T(test_board_bad_fw_size),
		T(test_board_missing_job_interrupt),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
