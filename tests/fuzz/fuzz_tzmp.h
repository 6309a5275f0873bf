/*
 * fuzz_tzmp.h - what the GPU and display fuzzers share: the default board's
 * memory map and the TZC programming the secure world does for the video
 * path (TZMP1), written as the secure CPU.
 *
 * Normal memory is readable by every NSAID and writable by all but the
 * GPU's protected-mode one; the carve-out is open to @carveout_ids; the
 * secure world's memory to nobody. Also the board's hardware without a
 * kernel, as those harnesses boot it, and their register accessors.
 */
#ifndef SECSOC_FUZZ_TZMP_H
#define SECSOC_FUZZ_TZMP_H

#include <secsoc/bus.h>
#include <secsoc/soc.h>
#include <secsoc/tzc400.h>

#include "fuzz_check.h"

#define TZC_BASE 0x0a000000ULL
#define PROT_BASE 0x9c000000ULL		/* the board's protected carve-out */
#define PROT_SIZE 0x2000000ULL
#define TZ_MEM 0x9ff00000ULL		/* secure-world memory: nobody may touch it */
#define RAM_END 0xc0000000ULL
#define GPU_NSAID_PROT 2
#define DISPLAY_NSAID 3

static const struct bus_master cpu_ns = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true,
};
static const struct bus_master cpu_s = {
	.name = "secure-cpu", .kind = BUS_MASTER_CPU, .secure = true, .privileged = true,
};

static inline void fuzz_tzc_wr(struct bus *b, const char *harness, u64 off, u32 val)
{
	if (bus_write_sized(b, &cpu_s, TZC_BASE + off, 4, val) != BUS_OKAY)
		fuzz_fail(harness, "TZC register 0x%03llx: bus error", (unsigned long long)off);
}

/* @action: the TZC's ACTION (how a denial is signalled). */
static inline void fuzz_program_tzmp(struct bus *b, const char *harness, u32 action,
				     u32 carveout_ids)
{
	u32 attrs = TZC400_ATTR_S_RD_EN | TZC400_ATTR_S_WR_EN;
	const u64 lo[] = { PROT_BASE, TZ_MEM }, hi[] = { PROT_BASE + PROT_SIZE - 1, RAM_END - 1 };

	fuzz_tzc_wr(b, harness, TZC400_REGION_ID_ACCESS(0), ~TZC400_ID_ACCESS_WR(GPU_NSAID_PROT));
	fuzz_tzc_wr(b, harness, TZC400_REGION_ATTRIBUTES(0), attrs);
	for (unsigned int r = 1; r <= ARRAY_SIZE(lo); r++) {
		fuzz_tzc_wr(b, harness, TZC400_REGION_BASE_LOW(r), (u32)lo[r - 1]);
		fuzz_tzc_wr(b, harness, TZC400_REGION_BASE_HIGH(r), (u32)(lo[r - 1] >> 32));
		fuzz_tzc_wr(b, harness, TZC400_REGION_TOP_LOW(r), (u32)hi[r - 1]);
		fuzz_tzc_wr(b, harness, TZC400_REGION_TOP_HIGH(r), (u32)(hi[r - 1] >> 32));
		fuzz_tzc_wr(b, harness, TZC400_REGION_ID_ACCESS(r), r == 1 ? carveout_ids : 0);
		fuzz_tzc_wr(b, harness, TZC400_REGION_ATTRIBUTES(r), attrs | 1);
	}
	fuzz_tzc_wr(b, harness, TZC400_ACTION, action & TZC400_ACTION_MASK);
	fuzz_tzc_wr(b, harness, TZC400_GATE_KEEPER, 1);
}

/* The hardware of the default board, without a kernel: what the harness drives. */
struct fuzz_hw {
	struct dt *dt;
	struct sim *sim;
	struct soc *soc;
};

/*
 * fuzz_hw_boot - create the default board's hardware into @hw and program
 * the TZC with fuzz_program_tzmp(); @cfg is the input's first byte, the
 * TZC's ACTION in bits 1:0 and the seed in bits 7:2
 */
static inline void fuzz_hw_boot(struct fuzz_hw *hw, const char *harness, u32 cfg,
				u32 carveout_ids)
{
	struct sim_config sc = { .seed = cfg >> 2 };
	struct secsoc_error err = { 0 };

	if (soc_load_builtin(SOC_BUILTIN_DEFAULT, &hw->dt, &err))
		fuzz_fail(harness, "%s", err.msg);
	hw->sim = sim_create(&sc);
	if (soc_create(hw->sim, hw->dt, &hw->soc, &err))
		fuzz_fail(harness, "boot: %s", err.msg);
	fuzz_program_tzmp(hw->soc->bus, harness, cfg, carveout_ids);
}

/** fuzz_hw_close - free what fuzz_hw_boot() created */
static inline void fuzz_hw_close(struct fuzz_hw *hw)
{
	soc_destroy(hw->soc);
	sim_destroy(hw->sim);
	dt_free(hw->dt);
}

/** fuzz_reg_rd - read the register at @base + @off of @what as the normal-world CPU */
static inline u32 fuzz_reg_rd(struct bus *b, const char *harness, const char *what, u64 base,
			      u64 off)
{
	u64 v = 0;

	if (bus_read_sized(b, &cpu_ns, base + off, 4, &v) != BUS_OKAY)
		fuzz_fail(harness, "read of %s register 0x%05llx: bus error", what,
			  (unsigned long long)off);
	return (u32)v;
}

/** fuzz_reg_wr - write the register at @base + @off of @what as the normal-world CPU */
static inline void fuzz_reg_wr(struct bus *b, const char *harness, const char *what, u64 base,
			       u64 off, u32 val)
{
	if (bus_write_sized(b, &cpu_ns, base + off, 4, val) != BUS_OKAY)
		fuzz_fail(harness, "write of %s register 0x%05llx: bus error", what,
			  (unsigned long long)off);
}

#endif /* SECSOC_FUZZ_TZMP_H */
