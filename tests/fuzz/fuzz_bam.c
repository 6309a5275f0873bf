/*
 * fuzz_bam.c - libFuzzer harness for the BAM model: the input is a program
 * of register writes and reads (as a normal or secure CPU), descriptors
 * written into the FIFOs, command elements, loopback settings and bursts of
 * simulation steps, run against a fresh BAM and loopback peripheral. Any
 * program must leave the model consistent: no crash, no sanitizer report,
 * no model assertion, and a run that ends.
 */
#include <string.h>

#include <secsoc/bam.h>
#include <secsoc/bam_loopback.h>
#include <secsoc/sim.h>

#include "fuzz_input.h"

#define F_RAM 0x80000000ULL
#define F_RAM_SIZE 0x40000ULL
#define F_BAM 0x01dc4000ULL
#define F_LOOPBACK 0x01dfa000ULL
#define F_PIPES 4
#define F_EES 2
#define F_STEPS_MAX 20000

struct rig {
	struct sim *sim;
	struct bus *bus;
	struct bam *bam;
	struct bam_loopback *lb;
	enum bam_version version;
};

static const struct bus_master cpu_ns = { .name = "cpu0", .kind = BUS_MASTER_CPU };
static const struct bus_master cpu_s = { .name = "cpu-s", .kind = BUS_MASTER_CPU, .secure = true };

/* Addresses the program may point descriptors at: RAM, registers, nothing. */
static u32 pick_addr(struct input *in)
{
	static const u32 bases[] = { (u32)F_RAM, (u32)F_RAM + 0x10000, (u32)F_LOOPBACK,
				     (u32)F_BAM, 0, 0x40000000 };
	u32 sel = take(in, 1);

	return bases[sel % ARRAY_SIZE(bases)] + (take(in, 2) & ~7u);
}

static void op_reg_write(struct rig *r, struct input *in)
{
	enum bam_reg reg = (enum bam_reg)(take(in, 1) % BAM_NR_REGS);
	u32 index = take(in, 1) % (F_PIPES + 1);
	bool per_ee = reg == BAM_IRQ_SRCS_EE || reg == BAM_IRQ_SRCS_MSK_EE;
	u32 off = bam_reg_offset(r->version, reg, per_ee ? 0 : index, per_ee ? index % F_EES : 0);
	u32 val = take(in, 4);

	bus_write_sized(r->bus, take(in, 1) & 1 ? &cpu_s : &cpu_ns, F_BAM + off, 4, val);
}

static void op_reg_read(struct rig *r, struct input *in)
{
	u64 val;

	bus_read_sized(r->bus, &cpu_ns, F_BAM + (take(in, 4) % 0x28000 & ~3u), 4, &val);
}

static void op_descriptor(struct rig *r, struct input *in)
{
	struct bam_desc d;
	u32 slot = take(in, 2) % (0x8000 / 8);

	d.addr = pick_addr(in);
	d.size = (u16)take(in, 2);
	d.flags = (u16)take(in, 2);
	/* FIFOs live at the start of RAM, one 32 KiB ring per pipe. */
	memcpy(bus_ram_backdoor(r->bus, F_RAM + (take(in, 1) % F_PIPES) * 0x8000 + slot * 8, 8),
	       &d, sizeof(d));
}

static void op_command_element(struct rig *r, struct input *in)
{
	struct bam_ce_hw ce;
	u32 at = take(in, 2) & 0xfff0;

	ce.cmd_and_addr = take(in, 4);
	ce.data = take(in, 4);
	ce.mask = take(in, 4);
	ce.reserved = 0;
	memcpy(bus_ram_backdoor(r->bus, F_RAM + 0x10000 + at, sizeof(ce)), &ce, sizeof(ce));
}

static void op_steps(struct rig *r, struct input *in)
{
	for (u32 n = take(in, 1); n && sim_step_once(r->sim); n--)
		;
}

static void op_loopback(struct rig *r, struct input *in)
{
	u32 off = (take(in, 1) % 8) * 4;

	bus_write_sized(r->bus, &cpu_ns, F_LOOPBACK + off, 4, take(in, 4));
}

static void (*const ops[])(struct rig *r, struct input *in) = {
	op_reg_write, op_reg_write, op_reg_write, op_reg_read, op_descriptor, op_descriptor,
	op_command_element, op_steps, op_loopback,
};

static int rig_create(struct rig *r, struct input *in)
{
	struct sim_config sc = { .seed = take(in, 1), .max_steps = F_STEPS_MAX };
	struct bam_config bc = {
		.name = "fuzz-bam", .base = F_BAM, .size = 0x28000, .nr_pipes = F_PIPES,
		.nr_ees = F_EES, .secure_ees = BIT(1), .nsaid = 1,
		.timing = { 40, 30, 250, 100 },
	};
	struct secsoc_error err = { 0 };

	r->version = (enum bam_version)(take(in, 1) % BAM_NR_VERSIONS);
	bc.version = r->version;
	r->sim = sim_create(&sc);
	r->bus = bus_create();
	if (bus_add_ram(r->bus, "ram", F_RAM, F_RAM_SIZE, &err))
		__builtin_trap();
	r->bam = bam_create(r->sim, r->bus, &bc, &err);
	if (!r->bam)
		__builtin_trap();
	r->lb = bam_loopback_create(r->sim, r->bus, r->bam, "fuzz-loopback", F_LOOPBACK, &err);
	return r->lb ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };
	struct rig r;

	if (rig_create(&r, &in))
		__builtin_trap();
	while (in.left)
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&r, &in);
	sim_run(r.sim);		/* bounded by max_steps */
	if (sim_violation_count(r.sim))
		__builtin_trap();	/* the model broke one of its own assertions */
	bam_loopback_destroy(r.lb);
	bam_destroy(r.bam);
	bus_destroy(r.bus);
	sim_destroy(r.sim);
	return 0;
}
