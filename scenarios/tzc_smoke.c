/*
 * tzc_smoke.c - the first scenario: the TZC-400 keeps the normal world out
 * of protected memory.
 *
 * The secure CPU protects the board's protected carve-out through a free
 * TZC region and stores a secret in it. Then, concurrently, normal-world
 * CPU0 reads the secret and an ordinary page, and CPU1 overwrites the
 * secret and tries to reprogram the TZC itself. Every one of those attempts
 * must fail as the TZC's ACTION register says (zeros read, write dropped,
 * external abort on DECERR) and the secure world's fail-register handler
 * must see them; finally the secure CPU reads the secret back intact. The
 * report lists every bus access decision made during the run.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "scenarios/scenario.h"

#define SMOKE_ACCESSES_MAX 256
#define SMOKE_SECRET 0x5ec2e7c0U
#define SMOKE_SECRET2 0x0ddba11U
#define SMOKE_PROBE 0xbad0bad0U
#define SMOKE_CONTROL 0x600dda7aU
#define SMOKE_NW_TASKS 4

/* Coverage goals: the run report shows whether each was reached. */
#define GOAL_DENIED "tzc-smoke: normal world denied while the region is protected"
#define GOAL_OVERRUN "tzc-smoke: a second failure arrived before the first was cleared (overrun)"

struct smoke_access {
	const char *master;
	char reg[32];		/* TZC register accesses: its name */
	u64 addr;
	u32 len;
	bool write;
	enum bus_target target;
	bool allowed;
	int region;
	const char *reason;
	enum bus_resp resp;
};

struct tzc_smoke {
	struct machine *m;
	struct cpu_task protect, verify;	/* secure CPU */
	struct cpu_task nw_read, nw_control;	/* CPU0 */
	struct cpu_task nw_write, nw_tzc;	/* CPU1 */
	u64 secret_addr;
	u64 control_addr;
	unsigned int region;
	bool protected;
	unsigned int nw_done;
	bool verified;
	u32 nw_read_val, control_val, secret_val, secret2_val, id_access_after;
	u64 aborts_before[2];
	struct smoke_access accesses[SMOKE_ACCESSES_MAX];
	unsigned int nr_accesses;
	u64 accesses_dropped;
};

static struct tzc_smoke *smoke_of(struct cpu_task *t)
{
	return t->priv;
}

static void smoke_name_register(const struct tzc_smoke *s, struct smoke_access *rec)
{
	const struct soc *soc = s->m->soc;
	u64 base = soc->tzc_node->reg[0].addr;
	char buf[sizeof(rec->reg)];
	const char *name;

	if (rec->target != BUS_TARGET_MMIO || rec->addr < base ||
	    rec->addr - base >= TZC400_MMIO_SIZE)
		return;
	name = tzc400_reg_name(soc->tzc, rec->addr - base, buf, sizeof(buf));
	snprintf(rec->reg, sizeof(rec->reg), "%s", name ? name : "unimplemented");
}

static void smoke_observe(void *opaque, const struct bus_access *a)
{
	struct tzc_smoke *s = opaque;
	struct smoke_access *rec;

	if (s->nr_accesses == SMOKE_ACCESSES_MAX) {
		s->accesses_dropped++;
		return;
	}
	rec = &s->accesses[s->nr_accesses++];
	*rec = (struct smoke_access){
		.master = a->master->name, .addr = a->addr, .len = a->len, .write = a->write,
		.target = a->target, .allowed = a->decision.allowed,
		.region = a->decision.region, .reason = a->decision.reason, .resp = a->resp,
	};
	smoke_name_register(s, rec);
}

/* Secure CPU: protect the carve-out and put secrets in it. */
static bool smoke_protect(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);
	struct tee *tee = &s->m->tee;
	int ret = tee_protect_region(tee, tee->prot_base, tee->prot_size, &s->region);

	always(ret == 0, "tee_protect_region failed: %d", ret);
	cpu_write32(tee->cpu, s->secret_addr, SMOKE_SECRET);
	cpu_write32(tee->cpu, s->secret_addr + 4, SMOKE_SECRET2);
	s->protected = true;
	return true;
}

static bool smoke_nw_may_start(struct cpu_task *t)
{
	return smoke_of(t)->protected;
}

static bool smoke_nw_read(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);

	s->nw_read_val = cpu_read32(&s->m->soc->cpus[0], s->secret_addr);
	s->nw_done++;
	return true;
}

static bool smoke_nw_control(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);

	s->control_val = cpu_read32(&s->m->soc->cpus[0], s->control_addr);
	s->nw_done++;
	return true;
}

static bool smoke_nw_write(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);

	cpu_write32(&s->m->soc->cpus[1], s->secret_addr + 4, SMOKE_PROBE);
	s->nw_done++;
	return true;
}

/* CPU1 tries to open the region for everyone: the TZC only obeys the secure world. */
static bool smoke_nw_tzc(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);
	u64 reg = s->m->tee.tzc_base + TZC400_REGION_ID_ACCESS(s->region);

	cpu_write32(&s->m->soc->cpus[1], reg, 0xffffffffU);
	s->nw_done++;
	return true;
}

static bool smoke_verify_ready(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);

	/* Wait for the normal world and for every TZC interrupt to be handled. */
	return s->nw_done == SMOKE_NW_TASKS && !s->m->soc->tzc_irq.level;
}

static bool smoke_verify(struct cpu_task *t)
{
	struct tzc_smoke *s = smoke_of(t);
	struct tee *tee = &s->m->tee;

	s->secret_val = cpu_read32(tee->cpu, s->secret_addr);
	s->secret2_val = cpu_read32(tee->cpu, s->secret_addr + 4);
	s->id_access_after = cpu_read32(tee->cpu, tee->tzc_base +
				    TZC400_REGION_ID_ACCESS(s->region));
	tee_release_region(tee, s->region);
	s->verified = true;
	return true;
}

static void smoke_task(struct cpu *c, struct cpu_task *t, const char *name,
		       bool (*runnable)(struct cpu_task *), bool (*run)(struct cpu_task *),
		       struct tzc_smoke *s)
{
	*t = (struct cpu_task){ .name = name, .runnable = runnable, .run = run, .priv = s };
	cpu_add_task(c, t);
}

static bool in_range(u64 addr, u64 base, u64 size)
{
	return addr >= base && addr - base < size;
}

/* An ordinary page: the first page of RAM outside both secure-world ranges. */
static int smoke_pick_control_page(struct tzc_smoke *s, struct secsoc_error *err)
{
	const struct tee *tee = &s->m->tee;
	const struct dt_reg *bank = &dt_memory_node(s->m->dt, 0)->reg[0];
	u64 addr = bank->addr;

	while (in_range(addr, tee->priv_base, tee->priv_size) ||
	       in_range(addr, tee->prot_base, tee->prot_size))
		addr = in_range(addr, tee->priv_base, tee->priv_size) ?
		       tee->priv_base + tee->priv_size : tee->prot_base + tee->prot_size;
	if (!in_range(addr, bank->addr, bank->size))
		return input_error(err, "%s: tzc-smoke needs a page of normal memory in %s, "
				   "but the secure world's ranges cover it all", s->m->dt->source,
				   dt_memory_node(s->m->dt, 0)->path);
	s->control_addr = addr;
	return 0;
}

static int smoke_setup(struct machine *m, void *state, struct secsoc_error *err)
{
	struct tzc_smoke *s = state;
	struct soc *soc = m->soc;
	u32 *control;

	if (soc->nr_cpus < 2)
		return input_error(err, "%s: tzc-smoke needs two normal-world CPUs; the board "
				   "has %u", soc->dt->source, soc->nr_cpus);
	s->m = m;
	s->secret_addr = m->tee.prot_base;
	if (smoke_pick_control_page(s, err))
		return -EINVAL;
	control = bus_ram_backdoor(soc->bus, s->control_addr, sizeof(*control));
	*control = SMOKE_CONTROL;
	s->aborts_before[0] = soc->cpus[0].aborts;
	s->aborts_before[1] = soc->cpus[1].aborts;
	smoke_task(&soc->secure_cpu, &s->protect, "protect", NULL, smoke_protect, s);
	smoke_task(&soc->secure_cpu, &s->verify, "verify", smoke_verify_ready, smoke_verify, s);
	smoke_task(&soc->cpus[0], &s->nw_read, "read-secret", smoke_nw_may_start, smoke_nw_read, s);
	smoke_task(&soc->cpus[0], &s->nw_control, "read-normal", smoke_nw_may_start,
		   smoke_nw_control, s);
	smoke_task(&soc->cpus[1], &s->nw_write, "write-secret", smoke_nw_may_start,
		   smoke_nw_write, s);
	smoke_task(&soc->cpus[1], &s->nw_tzc, "reprogram-tzc", smoke_nw_may_start, smoke_nw_tzc, s);
	sim_sometimes_declare(m->sim, GOAL_DENIED);
	sim_sometimes_declare(m->sim, GOAL_OVERRUN);
	return bus_add_observer(soc->bus, smoke_observe, s) ? internal_error(err, "too many bus "
				"observers") : 0;
}

static unsigned int expected_aborts(const struct tzc_smoke *s, unsigned int cpu)
{
	bool decerr = s->m->tee.action & TZC400_ACTION_ERR_BIT;

	/* CPU0: the secret read; CPU1: the secret write and the TZC register write. */
	return cpu == 0 ? decerr : decerr + 1;
}

static void smoke_check_faults(const struct tzc_smoke *s)
{
	const struct tee *tee = &s->m->tee;

	if (!(tee->action & TZC400_ACTION_INT_BIT))
		return;
	always(tee->nr_faults >= 1, "the secure world saw no TZC failure");
	for (unsigned int i = 0; i < tee->nr_faults; i++) {
		const struct tee_tzc_fault *f = &tee->faults[i];

		always(f->addr >= tee->prot_base && f->addr < tee->prot_base + tee->prot_size,
		       "TZC failure at 0x%" PRIx64 " outside the protected range", f->addr);
		always(f->control & TZC400_FAIL_CONTROL_NONSECURE,
		       "TZC failure %u not marked non-secure (FAIL_CONTROL 0x%x)", i, f->control);
		sometimes(f->overrun, GOAL_OVERRUN);
	}
}

static void smoke_check(struct machine *m, void *state)
{
	struct tzc_smoke *s = state;

	always(s->verified, "the secure world never verified the region (tasks left: %u of %u)",
	       SMOKE_NW_TASKS - s->nw_done, SMOKE_NW_TASKS);
	always(s->nw_read_val == 0, "a denied read returned 0x%x, not zeros", s->nw_read_val);
	always(s->control_val == SMOKE_CONTROL, "a normal read returned 0x%x, not 0x%x",
	       s->control_val, SMOKE_CONTROL);
	always(s->secret_val == SMOKE_SECRET && s->secret2_val == SMOKE_SECRET2,
	       "the secret changed: 0x%x 0x%x", s->secret_val, s->secret2_val);
	always(s->id_access_after == s->m->tee.protected_ids,
	       "the normal world reprogrammed the TZC: ID_ACCESS is 0x%x, the secure world "
	       "programmed 0x%x", s->id_access_after, s->m->tee.protected_ids);
	for (unsigned int c = 0; c < 2; c++)
		always(m->soc->cpus[c].aborts - s->aborts_before[c] == expected_aborts(s, c),
		       "cpu%u took %" PRIu64 " external aborts, expected %u", c,
		       m->soc->cpus[c].aborts - s->aborts_before[c], expected_aborts(s, c));
	always(m->soc->secure_cpu.aborts == 0, "the secure CPU took %" PRIu64 " external aborts",
	       m->soc->secure_cpu.aborts);
	smoke_check_faults(s);
	for (unsigned int i = 0; i < s->nr_accesses; i++)
		sometimes(!s->accesses[i].allowed && s->accesses[i].target == BUS_TARGET_RAM,
			  GOAL_DENIED);
}

static const char *target_name(enum bus_target t)
{
	return t == BUS_TARGET_RAM ? "ram" : t == BUS_TARGET_MMIO ? "mmio" : "unmapped";
}

static void report_accesses(const struct tzc_smoke *s, struct report *r)
{
	report_list_begin(r, "accesses");
	for (unsigned int i = 0; i < s->nr_accesses; i++) {
		const struct smoke_access *a = &s->accesses[i];

		report_row_begin(r);
		report_str(r, "master", a->master);
		report_str(r, "op", a->write ? "write" : "read");
		report_hex(r, "addr", a->addr);
		if (a->reg[0])
			report_str(r, "reg", a->reg);
		report_u64(r, "len", a->len);
		report_str(r, "target", target_name(a->target));
		report_str(r, "decision", a->allowed ? "allowed" : "denied");
		if (a->target == BUS_TARGET_RAM)
			report_u64(r, "region", (u64)a->region);
		if (a->reason)
			report_str(r, "reason", a->reason);
		report_str(r, "response", bus_resp_name(a->resp));
		report_row_end(r);
	}
	report_list_end(r);
	report_u64(r, "accesses_not_listed", s->accesses_dropped);
}

static void report_faults(const struct tee *tee, struct report *r)
{
	report_list_begin(r, "tzc_failures");
	for (unsigned int i = 0; i < tee->nr_faults; i++) {
		const struct tee_tzc_fault *f = &tee->faults[i];

		report_row_begin(r);
		report_u64(r, "filter", f->filter);
		report_hex(r, "addr", f->addr);
		report_str(r, "op", f->control & TZC400_FAIL_CONTROL_WRITE ? "write" : "read");
		report_bool(r, "non_secure", f->control & TZC400_FAIL_CONTROL_NONSECURE);
		report_u64(r, "nsaid", FIELD_GET(TZC400_FAIL_ID_ID, f->id));
		report_bool(r, "overrun", f->overrun);
		report_u64(r, "time_ns", f->time_ns);
		report_row_end(r);
	}
	report_list_end(r);
}

static void smoke_report(struct machine *m, void *state, struct report *r)
{
	struct tzc_smoke *s = state;
	const struct tee *tee = &m->tee;

	report_u64(r, "tzc_region", s->region);
	report_hex(r, "protected_base", tee->prot_base);
	report_hex(r, "protected_size", tee->prot_size);
	report_u64(r, "tzc_action", tee->action);
	report_hex(r, "nw_read_value", s->nw_read_val);
	report_hex(r, "secure_read_value", s->secret_val);
	for (unsigned int c = 0; c < 2; c++) {
		char key[24];

		snprintf(key, sizeof(key), "cpu%u_external_aborts", c);
		report_u64(r, key, m->soc->cpus[c].aborts - s->aborts_before[c]);
	}
	report_accesses(s, r);
	report_faults(tee, r);
}

static void smoke_teardown(struct machine *m, void *state)
{
	bus_remove_observer(m->soc->bus, smoke_observe, state);
}

const struct scenario scenario_tzc_smoke = {
	.name = "tzc-smoke",
	.summary = "the secure world protects a region; normal-world reads, writes and TZC "
		   "reprogramming are denied and reported",
	.needs = SCENARIO_NEEDS_SECURE_WORLD | SCENARIO_NEEDS_TZC | SCENARIO_NEEDS_RAM,
	.state_size = sizeof(struct tzc_smoke),
	.setup = smoke_setup,
	.check = smoke_check,
	.report = smoke_report,
	.teardown = smoke_teardown,
};
