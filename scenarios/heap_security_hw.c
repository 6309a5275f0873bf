/*
 * heap_security_hw.c - the heap-security attacks that go through hardware
 * (scenarios/heap_security.h): normal-world CPU loads and stores to the
 * victim's physical address, a normal-world BAM pipe made to write and read
 * it, and, as controls, the same pipe writing normal memory and the secure
 * CPU using the victim as its own.
 *
 * Only the TZC stands between these masters and protected memory, so every
 * attack is announced to the checker (checker_expect_denial()): what the
 * TZC denies is expected, and the report shows how many transactions that
 * was; what it allows is an invariant 6 violation. The secure CPU then
 * reads the victim back: a denied write must have changed nothing.
 *
 * The BAM pipe is one of the Linux EE's pipes that no driver uses, driven
 * by raw register writes as a compromised kernel would: a descriptor FIFO
 * in its own memory, one command descriptor whose command element reads a
 * crypto-engine register and writes the value to a destination address of
 * its choice (or whose command element sits in protected memory). Nothing
 * of the bam_dma driver is touched, and the pipe is reset after each
 * attempt, which is its state at boot.
 */
#include <string.h>

#include <secsoc/err.h>
#include <secsoc/slab.h>

#include "scenarios/heap_security.h"

#define HS_READ_LEN 64			/* the CPU load */
#define HS_WRITE_OFF 16			/* the CPU store, inside the secret */
#define HS_WRITE_LEN 16
#define HS_BAM_TARGET_OFF 64		/* the BAM's store, inside the secret */
#define HS_CE_OFF 0x100			/* in the pipe's page: its command element */
#define HS_CONTROL_OFF 0x200		/* ... and the control's destination */
#define HS_FIFO_BYTES (8 * sizeof(struct bam_desc))
#define HS_CE_WINDOW GENMASK_ULL(BUS_PA_BITS - 1, 24)	/* a command element's upper bits */

/* How the TZC judged the attack's transactions. */
static const char *hs_tzc(const struct checker_expect *seen)
{
	if (seen->allowed)
		return "ALLOWED";
	return seen->denied ? "denied" : "never reached the TZC";
}

/* ---- the CPUs ---- */

void hs_secure_access(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_SECURE);
	u64 aborts = c->aborts;
	u8 back[HS_SECRET_LEN];
	enum bus_resp w, r;

	w = cpu_write(c, s->victim_pa, s->secret, sizeof(s->secret));
	r = cpu_read(c, s->victim_pa, back, sizeof(back));
	hs_observe(s, HS_SECURE_ACCESS, !memcmp(back, s->secret, sizeof(back)), "%s, %s, %s",
		   w == BUS_OKAY && r == BUS_OKAY ? "allowed" : "REFUSED",
		   memcmp(back, s->secret, sizeof(back)) ? "READ BACK SOMETHING ELSE" :
		   "read back what it wrote", c->aborts == aborts ? "no abort" : "ABORTED");
}

static bool hs_all_zero(const u8 *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

void hs_cpu_read(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_NW0);
	u64 aborts = c->aborts;
	u8 buf[HS_READ_LEN];

	memset(buf, 0xee, sizeof(buf));
	checker_expect_denial(&s->chk, &c->master, s->victim_pa, HS_VICTIM_SIZE);
	cpu_read(c, s->victim_pa, buf, sizeof(buf));
	checker_expect_end(&s->chk, &s->seen);
	hs_observe(s, HS_CPU_READ, s->seen.denied > 0, "%s, %s, %s", hs_tzc(&s->seen),
		   hs_all_zero(buf, sizeof(buf)) ? "zeros read" : "DATA READ",
		   c->aborts > aborts ? "external abort" : "no abort");
}

/* The store; the secure CPU judges what it did (hs_cpu_write_verify()). */
void hs_cpu_write(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_NW1);
	u64 aborts = c->aborts;
	u8 probe[HS_WRITE_LEN];

	memset(probe, 0xbd, sizeof(probe));
	checker_expect_denial(&s->chk, &c->master, s->victim_pa, HS_VICTIM_SIZE);
	cpu_write(c, s->victim_pa + HS_WRITE_OFF, probe, sizeof(probe));
	checker_expect_end(&s->chk, &s->seen);
	snprintf(s->partial, sizeof(s->partial), "%s, %s", hs_tzc(&s->seen),
		 c->aborts > aborts ? "external abort" : "no abort");
}

void hs_cpu_write_verify(struct hsec *s)
{
	hs_observe(s, HS_CPU_WRITE, s->seen.denied > 0, "%s, %s", s->partial,
		   hs_secret_intact(s) ? "secret intact" : "SECRET CHANGED");
}

/* ---- the BAM pipe ---- */

static u64 hs_preg(const struct hs_bam *b, enum bam_reg reg)
{
	return b->base + bam_reg_offset(bam_config(b->bam)->version, reg, b->pipe, b->ee);
}

static void hs_pipe_reset(struct hs_bam *b, struct cpu *c)
{
	cpu_write32(c, hs_preg(b, BAM_P_RST), BAM_P_RST_RESET);
	cpu_write32(c, hs_preg(b, BAM_P_RST), 0);
}

/* Does @np's dmas name pipe @pipe of the BAM @bam_np (a pipe some driver owns)? */
static bool hs_pipe_named(const struct dt_node *np, const struct dt_node *bam_np,
			  unsigned int pipe)
{
	struct dt_phandle_args args;

	for (unsigned int i = 0;
	     np && !dt_parse_phandle_with_args(np, "dmas", "#dma-cells", i, &args, NULL); i++)
		if (args.np == bam_np && args.nargs && args.args[0] == pipe)
			return true;
	return false;
}

/* Is pipe @p of @sb Linux's and free: in its EE, named by neither world's driver? */
static bool hs_pipe_free(const struct soc *soc, const struct soc_bam *sb, unsigned int p)
{
	return bam_pipe_ee(sb->bam, p) == sb->linux_ee &&
	       !hs_pipe_named(soc->qce_node, sb->np, p) && !hs_pipe_named(soc->tee_node, sb->np, p);
}

/* The highest free pipe (hs_pipe_free()) of the engine's BAM. */
static int hs_pick_pipe(struct hsec *s, struct secsoc_error *err)
{
	struct soc *soc = s->m->soc;
	struct hs_bam *b = &s->pipe;
	const struct soc_bam *sb = NULL;

	for (unsigned int i = 0; i < soc->nr_bams; i++)
		if (soc->bams[i].bam == s->chk.bam)
			sb = &soc->bams[i];
	for (unsigned int p = bam_config(s->chk.bam)->nr_pipes; sb && p-- > 0;) {
		if (!hs_pipe_free(soc, sb, p))
			continue;
		*b = (struct hs_bam){ .bam = sb->bam, .base = bam_config(sb->bam)->base,
				      .pipe = p, .ee = sb->linux_ee };
		return 0;
	}
	return input_error(err, "%s: heap-security needs a pipe of the crypto engine's BAM in "
			   "Linux's EE that no driver uses; every one is taken", s->m->dt->source);
}

int hs_hw_setup(struct hsec *s, struct secsoc_error *err)
{
	const struct dt_node *qce = s->m->soc->qce_node;
	struct hs_bam *b = &s->pipe;
	int ret = hs_pick_pipe(s, err);

	if (ret)
		return ret;
	b->reg_pa = qce->reg[0].addr + QCE_VERSION;
	if ((b->base & HS_CE_WINDOW) != (b->reg_pa & HS_CE_WINDOW))
		return input_error(err, "%s: node %s is outside the command-element window of its "
				   "BAM", s->m->dt->source, qce->path);
	b->mem = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	if (!b->mem)
		return internal_error(err, "heap-security: out of memory for the BAM attack");
	b->mem_pa = virt_to_phys(b->mem);
	if (b->mem_pa + PAGE_SIZE > BIT_ULL(32))
		return input_error(err, "%s: heap-security needs kernel memory below 4 GiB for the "
				   "BAM's descriptors", s->m->dt->source);
	hs_expect(s, HS_CPU_READ, "denied, zeros read, %s", s->decerr ? "external abort" :
		  "no abort");
	hs_expect(s, HS_CPU_WRITE, "denied, %s, secret intact", s->decerr ? "external abort" :
		  "no abort");
	hs_expect(s, HS_BAM_WRITE, "denied, %s, pipe reset, secret intact", s->decerr ?
		  "pipe error (bus error)" : "write dropped");
	hs_expect(s, HS_BAM_READ, "denied, %s, pipe reset", s->decerr ? "pipe error (bus error)" :
		  "pipe error");
	hs_expect(s, HS_BAM_CONTROL, "allowed, the register's value written, pipe reset");
	return 0;
}

void hs_hw_release(struct hsec *s)
{
	struct hs_bam *b = &s->pipe;

	if (!b->mem)
		return;
	hs_pipe_reset(b, hs_cpu_of(s, HS_NW0));	/* it stops using its page */
	free_pages_exact(b->mem, PAGE_SIZE);
	b->mem = NULL;
}

/*
 * The command element reads the engine's VERSION register and stores it:
 * into the victim (WRITE) or into normal memory (CONTROL); for READ the
 * element itself is fetched from the victim.
 */
static void hs_bam_program(struct hs_bam *b, enum hs_bam_kind kind, u64 victim_pa)
{
	u64 dest = kind == HS_BAM_KIND_CONTROL ? b->mem_pa + HS_CONTROL_OFF :
		   victim_pa + HS_BAM_TARGET_OFF;
	u64 ce_pa = kind == HS_BAM_KIND_READ ? victim_pa : b->mem_pa + HS_CE_OFF;
	struct bam_ce_hw *ce = (struct bam_ce_hw *)(b->mem + HS_CE_OFF);
	struct bam_desc *fifo = (struct bam_desc *)b->mem;

	*ce = (struct bam_ce_hw){
		.cmd_and_addr = cpu_to_le32((u32)(FIELD_PREP(BAM_CE_CMD, BAM_CE_READ) |
						  FIELD_PREP(BAM_CE_ADDR, b->reg_pa))),
		.data = cpu_to_le32((u32)dest),
		.mask = cpu_to_le32((u32)(dest >> 32) & 0xf),
	};
	fifo[0] = (struct bam_desc){ .addr = cpu_to_le32((u32)ce_pa),
				     .size = cpu_to_le16(sizeof(*ce)),
				     .flags = cpu_to_le16(BAM_DESC_CMD | BAM_DESC_INT) };
	memset(b->mem + HS_CONTROL_OFF, 0, sizeof(u32));
}

void hs_bam_start(struct hsec *s, enum hs_bam_kind kind)
{
	struct hs_bam *b = &s->pipe;
	struct cpu *c = hs_cpu_of(s, HS_NW0);

	hs_bam_program(b, kind, s->victim_pa);
	if (kind != HS_BAM_KIND_CONTROL)
		checker_expect_denial(&s->chk, bam_pipe_master(b->bam, b->pipe), s->victim_pa,
				      HS_VICTIM_SIZE);
	hs_pipe_reset(b, c);
	cpu_write32(c, hs_preg(b, BAM_P_DESC_FIFO_ADDR), (u32)b->mem_pa);
	cpu_write32(c, hs_preg(b, BAM_P_FIFO_SIZES), HS_FIFO_BYTES);
	cpu_write32(c, hs_preg(b, BAM_P_CTRL), BAM_P_EN | BAM_P_SYS_MODE);
	cpu_write32(c, hs_preg(b, BAM_P_EVNT_REG), sizeof(struct bam_desc));
}

/* The pipe retired its descriptor or halted (what its interrupt would tell the kernel). */
bool hs_bam_idle(const struct hsec *s)
{
	const struct hs_bam *b = &s->pipe;

	return bam_pipe_retired(b->bam, b->pipe) > 0 || bam_pipe_error(b->bam, b->pipe)[0];
}

static const char *hs_pipe_outcome(u32 stts, u32 ofsts)
{
	if (stts & BAM_P_ERR)
		return stts & BAM_P_HRESP_ERR ? "pipe error (bus error)" : "pipe error";
	return ofsts == sizeof(struct bam_desc) ? "write dropped" : "PIPE STUCK";
}

static void hs_bam_control_result(struct hsec *s, struct cpu *c, u32 stts, bool reset)
{
	struct hs_bam *b = &s->pipe;
	u32 value = le32_to_cpu(*(u32 *)(b->mem + HS_CONTROL_OFF));
	bool written = value == cpu_read32(c, b->reg_pa);

	hs_observe(s, HS_BAM_CONTROL, written, "%s, %s, %s", stts & BAM_P_ERR ? "PIPE ERROR" :
		   "allowed", written ? "the register's value written" : "NOTHING WRITTEN",
		   reset ? "pipe reset" : "PIPE NOT RESET");
}

/* Read what the pipe reports (as the kernel would, by MMIO), then reset it. */
void hs_bam_finish(struct hsec *s, enum hs_bam_kind kind)
{
	struct hs_bam *b = &s->pipe;
	struct cpu *c = hs_cpu_of(s, HS_NW0);
	u32 stts = cpu_read32(c, hs_preg(b, BAM_P_IRQ_STTS));
	u32 ofsts = cpu_read32(c, hs_preg(b, BAM_P_SW_OFSTS)) & BAM_P_SW_OFSTS_OFFSET;
	bool reset;

	hs_pipe_reset(b, c);
	reset = !cpu_read32(c, hs_preg(b, BAM_P_CTRL)) && !bam_pipe_error(b->bam, b->pipe)[0];
	if (kind == HS_BAM_KIND_CONTROL) {
		hs_bam_control_result(s, c, stts, reset);
		return;
	}
	checker_expect_end(&s->chk, &s->seen);
	snprintf(s->partial, sizeof(s->partial), "%s, %s, %s", hs_tzc(&s->seen),
		 hs_pipe_outcome(stts, ofsts), reset ? "pipe reset" : "PIPE NOT RESET");
	if (kind == HS_BAM_KIND_READ)
		hs_observe(s, HS_BAM_READ, s->seen.denied > 0, "%s", s->partial);
}

void hs_bam_write_verify(struct hsec *s)
{
	hs_observe(s, HS_BAM_WRITE, s->seen.denied > 0, "%s, %s", s->partial,
		   hs_secret_intact(s) ? "secret intact" : "SECRET CHANGED");
}
