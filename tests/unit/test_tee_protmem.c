/*
 * test_tee_protmem.c - the TEE's protected-memory service (tee/protmem.c)
 * through its SMC interface, from normal-world CPU0 on the default board:
 * what assign and release do to the TZC and to CPU accesses, the scrub,
 * windows that grow, bridge, split and shrink within the TZC's regions,
 * refusal of every forged argument with its documented error (and nothing
 * changed), the DRM TA writing into a window, and the accounting.
 *
 * Memory comes from the page allocator (an arena of kernel pages), as the
 * secure-video heap takes it.
 */
#include <secsoc/tzc400.h>

#include "tee_fixture.h"

#define P PAGE_SIZE
#define ARENA_PAGES 32
#define DEFAULT_WINDOW_REGIONS 6	/* 9 regions: background, private, carve-out */
#define RAM_END 0xc0000000ULL

static u8 *arena;
static u64 A;				/* its physical address */

static struct arm_smccc_res smc(u32 a0, u32 a1, u32 a2, u32 a3)
{
	struct arm_smccc_res res;

	tee_smc_call(tfx.soc, &tfx.soc->cpus[0], a0, a1, a2, a3, &res);
	return res;
}

static u32 assign(u64 base, u64 size)
{
	return (u32)smc(TEE_SMC_PROTMEM_ASSIGN, (u32)(base >> 32), (u32)base, (u32)size).a0;
}

static u32 release(u64 base, u64 size)
{
	return (u32)smc(TEE_SMC_PROTMEM_RELEASE, (u32)(base >> 32), (u32)base, (u32)size).a0;
}

static struct arm_smccc_res info(void)
{
	struct arm_smccc_res res = smc(TEE_SMC_PROTMEM_INFO, 0, 0, 0);

	assert_int_equal(res.a0, TEE_SUCCESS);
	return res;
}

static unsigned long regions_free(void)
{
	return info().a1;
}

static unsigned long windows(void)
{
	return info().a3;
}

static void arena_get(void)
{
	arena = alloc_pages_exact(ARENA_PAGES * P, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(arena);
	A = virt_to_phys(arena);
}

/* Give every window back, then the pages. */
static void arena_put(void)
{
	for (unsigned int n = 1; n < tfx.tee.nr_regions; n++)
		if (tfx.tee.protmem.windows & BIT(n))
			assert_int_equal(release(tfx.tee.region_base[n], tfx.tee.region_size[n]),
					 TEE_SUCCESS);
	free_pages_exact(arena, ARENA_PAGES * P);
}

static int setup(void **state)
{
	tee_fx_setup(state);
	arena_get();
	return 0;
}

static int teardown(void **state)
{
	arena_put();
	return tee_fx_teardown(state);
}

#define PROTMEM_TEST(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

static u32 tzc_reg(u32 off)
{
	return cpu_read32(&tfx.soc->secure_cpu, tfx.tee.tzc_base + off);
}

/* Everything a refused call must leave as it was. */
struct snapshot {
	struct arm_smccc_res info;
	u32 regs[TZC400_REGIONS_MAX][6];
	u32 used, windows;
	struct tee_protmem_info acct;
};

static void snap(struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	s->info = info();
	for (unsigned int n = 0; n < TZC400_REGIONS_MAX; n++)
		for (unsigned int r = 0; r < 6; r++)
			s->regs[n][r] = tzc_reg(TZC400_REGION_BASE_LOW(n) + 4 * r);
	s->used = tfx.tee.regions_used;
	s->windows = tfx.tee.protmem.windows;
	tee_protmem_info(&tfx.tee, &s->acct);
}

static void assert_unchanged(const struct snapshot *before)
{
	struct snapshot now;

	snap(&now);
	assert_int_equal(now.info.a1, before->info.a1);
	assert_int_equal(now.info.a2, before->info.a2);
	assert_int_equal(now.info.a3, before->info.a3);
	for (unsigned int n = 0; n < TZC400_REGIONS_MAX; n++)
		for (unsigned int r = 0; r < 6; r++)
			assert_int_equal(now.regs[n][r], before->regs[n][r]);
	assert_int_equal(now.used, before->used);
	assert_int_equal(now.windows, before->windows);
	assert_int_equal(now.acct.assigns, before->acct.assigns);
	assert_int_equal(now.acct.releases, before->acct.releases);
	assert_int_equal(now.acct.scrubbed, before->acct.scrubbed);
}

/* @call(@base, @size) answers @err, counts one refusal and changes nothing else. */
static void assert_refused(u32 (*call)(u64, u64), u64 base, u64 size, u32 err)
{
	struct snapshot before;

	snap(&before);
	assert_int_equal(call(base, size), err);
	assert_unchanged(&before);
	assert_int_equal(tfx.tee.protmem.refusals, before.acct.refusals + 1);
}

static enum bus_resp ns_read(u64 pa)
{
	u32 v;

	return cpu_read(&tfx.soc->cpus[0], pa, &v, sizeof(v));
}

static u8 *backdoor(u64 pa, size_t len)
{
	u8 *p = bus_ram_backdoor(tfx.soc->bus, pa, len);

	assert_non_null(p);
	return p;
}

/* The window region holding @pa: its TZC registers say [base, top]. */
static void assert_window_regs(u64 pa, u64 base, u64 size)
{
	unsigned int n;

	for (n = 1; n < tfx.tee.nr_regions; n++)
		if ((tfx.tee.protmem.windows & BIT(n)) &&
		    tee_range_inside(pa, 1, tfx.tee.region_base[n], tfx.tee.region_size[n]))
			break;
	assert_true(n < tfx.tee.nr_regions);
	assert_int_equal(tzc_reg(TZC400_REGION_BASE_LOW(n)), (u32)base);
	assert_int_equal(tzc_reg(TZC400_REGION_BASE_HIGH(n)), (u32)(base >> 32));
	assert_int_equal(tzc_reg(TZC400_REGION_TOP_LOW(n)), (u32)(base + size - 1));
	assert_int_equal(tzc_reg(TZC400_REGION_ATTRIBUTES(n)),
			 tzc_reg(TZC400_REGION_ATTRIBUTES(2)));	/* the carve-out's rights */
	assert_int_equal(tzc_reg(TZC400_REGION_ID_ACCESS(n)), tzc_reg(TZC400_REGION_ID_ACCESS(2)));
}

/* ---- the zones ---- */

static void test_boot_leaves_the_default_budget(void **state)
{
	struct arm_smccc_res res = info();

	assert_int_equal(res.a1, DEFAULT_WINDOW_REGIONS);
	assert_int_equal(res.a2, 0);
	assert_int_equal(res.a3, 0);
}

static void test_assign_denies_the_normal_world(void **state)
{
	u64 aborts;
	u32 v = 0x12345678;

	assert_int_equal(ns_read(A), BUS_OKAY);	/* the TZC remembers the allowed verdict */
	aborts = tfx.soc->cpus[0].aborts;
	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	assert_int_not_equal(ns_read(A), BUS_OKAY);
	assert_int_not_equal(cpu_write(&tfx.soc->cpus[0], A + P, &v, sizeof(v)), BUS_OKAY);
	assert_int_equal(tfx.soc->cpus[0].aborts, aborts + 2);
	assert_int_equal(tfx.soc->cpus[0].last_abort_addr, A + P);
	assert_int_equal(ns_read(A + 2 * P), BUS_OKAY);	/* the page after is still normal */
}

/* A device master with @nsaid reads or writes 4 bytes at @pa. */
static enum bus_resp device_access(unsigned int nsaid, u64 pa, bool write)
{
	const struct bus_master m = { .name = "test-device", .kind = BUS_MASTER_DEVICE,
				      .nsaid = nsaid };
	u32 v = 0;

	return write ? bus_write(tfx.soc->bus, &m, pa, &v, sizeof(v)) :
		       bus_read(tfx.soc->bus, &m, pa, &v, sizeof(v));
}

static void test_boot_grants_protected_access_from_the_node(void **state)
{
	/* secsoc,protected-access = <2 3>, <3 1>: the GPU reads and writes, the display reads. */
	u32 want = TZC400_ID_ACCESS_RD(2) | TZC400_ID_ACCESS_WR(2) | TZC400_ID_ACCESS_RD(3);

	assert_int_equal(tfx.tee.protected_ids, want);
	assert_int_equal(tzc_reg(TZC400_REGION_ID_ACCESS(2)), want);
}

static void test_window_grants_the_same_agents_as_the_carve_out(void **state)
{
	assert_int_equal(assign(A, P), TEE_SUCCESS);
	assert_int_equal(device_access(2, A, true), BUS_OKAY);
	assert_int_equal(device_access(3, A, false), BUS_OKAY);
	assert_int_not_equal(device_access(3, A, true), BUS_OKAY);	/* read only */
	assert_int_not_equal(device_access(1, A, false), BUS_OKAY);	/* the BAM's pipes */
	assert_int_equal(device_access(3, tfx.tee.prot_base, false), BUS_OKAY);
	assert_int_not_equal(device_access(1, tfx.tee.prot_base, false), BUS_OKAY);
}

/* TZMP1's no write-down: an agent that may write protected memory may not write normal memory. */
static void test_protected_writer_may_only_read_normal_memory(void **state)
{
	u32 want = 0xffffffffU & ~TZC400_ID_ACCESS_WR(2);

	assert_int_equal(tfx.tee.background_ids, want);
	assert_int_equal(tzc_reg(TZC400_REGION_ID_ACCESS(0)), want);
	assert_int_equal(device_access(2, A, false), BUS_OKAY);
	assert_int_not_equal(device_access(2, A, true), BUS_OKAY);
	assert_int_equal(device_access(3, A, true), BUS_OKAY);	/* the display only reads protected */
	assert_int_equal(device_access(4, A, true), BUS_OKAY);	/* the GPU outside protected mode */
	assert_int_not_equal(device_access(4, tfx.tee.prot_base, false), BUS_OKAY);
}

static void test_assign_lets_the_secure_world_in(void **state)
{
	u32 v = 0xcafef00d, r = 0;

	assert_int_equal(assign(A, P), TEE_SUCCESS);
	assert_int_equal(cpu_write(&tfx.soc->secure_cpu, A + 8, &v, sizeof(v)), BUS_OKAY);
	assert_int_equal(cpu_read(&tfx.soc->secure_cpu, A + 8, &r, sizeof(r)), BUS_OKAY);
	assert_int_equal(r, v);
	assert_int_equal(tfx.soc->secure_cpu.aborts, 0);
}

static void test_release_scrubs_and_opens_the_range_again(void **state)
{
	u64 aborts;

	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	memset(backdoor(A, 2 * P), 0x5a, 2 * P);	/* secrets written in the protected zone */
	assert_int_equal(release(A, 2 * P), TEE_SUCCESS);
	for (size_t i = 0; i < 2 * P; i++)
		assert_int_equal(backdoor(A, 2 * P)[i], 0);
	aborts = tfx.soc->cpus[0].aborts;
	assert_int_equal(ns_read(A), BUS_OKAY);
	assert_int_equal(ns_read(A + P), BUS_OKAY);
	assert_int_equal(tfx.soc->cpus[0].aborts, aborts);
	assert_false(tee_range_protected(&tfx.tee, A, P));
	assert_true(tee_range_normal(&tfx.tee, A, 2 * P));
}

static void test_release_scrubs_only_the_released_range(void **state)
{
	assert_int_equal(assign(A, 3 * P), TEE_SUCCESS);
	memset(backdoor(A, 3 * P), 0x5a, 3 * P);
	assert_int_equal(release(A + 2 * P, P), TEE_SUCCESS);
	assert_int_equal(backdoor(A, 3 * P)[2 * P - 1], 0x5a);
	assert_int_equal(backdoor(A, 3 * P)[2 * P], 0);
}

/* The scrub's modelled cost: outside any CPU step it is the secure CPU's. */
static void test_scrub_costs_its_documented_time(void **state)
{
	struct cpu *sc = &tfx.soc->secure_cpu;
	u64 before, one, four;

	assert_int_equal(assign(A, 8 * P), TEE_SUCCESS);
	before = sc->extra_ns;
	assert_int_equal(tee_protmem_release(&tfx.tee, A + 7 * P, P), TEE_SUCCESS);
	one = sc->extra_ns - before;
	before = sc->extra_ns;
	assert_int_equal(tee_protmem_release(&tfx.tee, A + 3 * P, 4 * P), TEE_SUCCESS);
	four = sc->extra_ns - before;
	/* Both shrink the window's end: the same TZC writes, 12 KiB more to zero. */
	assert_int_equal(four - one, 12 * TEE_PROTMEM_SCRUB_NS_PER_KIB);
}

static void test_range_protected_inside_a_window_only(void **state)
{
	assert_int_equal(assign(A + P, 2 * P), TEE_SUCCESS);
	assert_true(tee_range_protected(&tfx.tee, A + P, 2 * P));
	assert_true(tee_range_protected(&tfx.tee, A + P + 100, 200));
	assert_false(tee_range_protected(&tfx.tee, A, 2 * P));		/* starts before */
	assert_false(tee_range_protected(&tfx.tee, A + 2 * P, 2 * P));	/* runs past */
	assert_false(tee_range_normal(&tfx.tee, A + 2 * P, 2 * P));
}

/* ---- windows within the TZC's regions ---- */

static void test_window_grows_above_and_below_without_a_region(void **state)
{
	assert_int_equal(assign(A + 4 * P, P), TEE_SUCCESS);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 1);
	assert_int_equal(assign(A + 5 * P, 2 * P), TEE_SUCCESS);	/* above */
	assert_int_equal(assign(A + 3 * P, P), TEE_SUCCESS);		/* below */
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 1);
	assert_int_equal(windows(), 1);
	assert_int_equal(info().a2, 4 * P / 1024);
	assert_window_regs(A + 3 * P, A + 3 * P, 4 * P);
	assert_true(tee_range_protected(&tfx.tee, A + 3 * P, 4 * P));
	assert_int_not_equal(ns_read(A + 3 * P), BUS_OKAY);
	assert_int_not_equal(ns_read(A + 6 * P), BUS_OKAY);
}

static void test_bridging_two_windows_frees_a_region(void **state)
{
	assert_int_equal(assign(A, P), TEE_SUCCESS);
	assert_int_equal(assign(A + 2 * P, P), TEE_SUCCESS);
	assert_int_equal(windows(), 2);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 2);
	assert_int_equal(assign(A + P, P), TEE_SUCCESS);
	assert_int_equal(windows(), 1);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 1);
	assert_window_regs(A, A, 3 * P);
	assert_int_not_equal(ns_read(A + 2 * P), BUS_OKAY);	/* the freed region's too */
}

/* Windows at A, A + 2P, ...: every free region taken. */
static void fill_regions(void)
{
	for (unsigned int i = 0; i < DEFAULT_WINDOW_REGIONS; i++)
		assert_int_equal(assign(A + 4 * i * P, 2 * P), TEE_SUCCESS);
	assert_int_equal(regions_free(), 0);
	assert_int_equal(windows(), DEFAULT_WINDOW_REGIONS);
}

static void test_new_window_without_a_region_is_refused(void **state)
{
	fill_regions();
	assert_refused(assign, A + 4 * DEFAULT_WINDOW_REGIONS * P, P, TEE_ERROR_OUT_OF_MEMORY);
	assert_int_equal(ns_read(A + 4 * DEFAULT_WINDOW_REGIONS * P), BUS_OKAY);
}

static void test_full_budget_still_grows_windows(void **state)
{
	fill_regions();
	assert_int_equal(assign(A + 2 * P, P), TEE_SUCCESS);	/* above window 0 */
	assert_int_equal(windows(), DEFAULT_WINDOW_REGIONS);
	assert_int_equal(assign(A + 3 * P, P), TEE_SUCCESS);	/* bridges windows 0 and 1 */
	assert_int_equal(regions_free(), 1);
}

static void test_release_from_the_middle_splits_the_window(void **state)
{
	assert_int_equal(assign(A, 4 * P), TEE_SUCCESS);
	assert_int_equal(release(A + P, P), TEE_SUCCESS);
	assert_int_equal(windows(), 2);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 2);
	assert_int_equal(info().a2, 3 * P / 1024);
	assert_window_regs(A, A, P);
	assert_window_regs(A + 2 * P, A + 2 * P, 2 * P);
	assert_int_equal(ns_read(A + P), BUS_OKAY);
	assert_int_not_equal(ns_read(A), BUS_OKAY);
	assert_int_not_equal(ns_read(A + 2 * P), BUS_OKAY);
}

static void test_split_without_a_region_changes_nothing(void **state)
{
	fill_regions();
	assert_int_equal(assign(A + 2 * P, P), TEE_SUCCESS);	/* window 0: A .. A + 3P */
	memset(backdoor(A, 3 * P), 0x5a, 3 * P);
	assert_refused(release, A + P, P, TEE_ERROR_OUT_OF_MEMORY);
	assert_int_equal(backdoor(A, 3 * P)[P], 0x5a);		/* not scrubbed either */
	assert_int_not_equal(ns_read(A + P), BUS_OKAY);
}

static void test_release_at_the_ends_shrinks_then_frees_the_window(void **state)
{
	assert_int_equal(assign(A, 4 * P), TEE_SUCCESS);
	assert_int_equal(release(A, P), TEE_SUCCESS);
	assert_window_regs(A + P, A + P, 3 * P);
	assert_int_equal(release(A + 3 * P, P), TEE_SUCCESS);
	assert_window_regs(A + P, A + P, 2 * P);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS - 1);
	assert_int_equal(release(A + P, 2 * P), TEE_SUCCESS);
	assert_int_equal(windows(), 0);
	assert_int_equal(regions_free(), DEFAULT_WINDOW_REGIONS);
	assert_true(tee_range_normal(&tfx.tee, A, 4 * P));
}

/* ---- forged arguments ---- */

static void test_assign_refuses_an_unaligned_base(void **state)
{
	assert_refused(assign, A + 0x800, P, TEE_ERROR_BAD_PARAMETERS);
}

static void test_assign_refuses_an_unaligned_size(void **state)
{
	assert_refused(assign, A, P + 1, TEE_ERROR_BAD_PARAMETERS);
}

static void test_assign_refuses_size_zero(void **state)
{
	assert_refused(assign, A, 0, TEE_ERROR_BAD_PARAMETERS);
}

static void test_assign_refuses_a_wrapping_range(void **state)
{
	assert_refused(assign, 0xfffffffffffff000ULL, 2 * P, TEE_ERROR_BAD_PARAMETERS);
	/* Ends at 2^64. */
	assert_refused(assign, 0xfffffffffffff000ULL, P, TEE_ERROR_BAD_PARAMETERS);
}

static void test_assign_refuses_mmio(void **state)
{
	assert_refused(assign, 0x01dc4000, P, TEE_ERROR_BAD_PARAMETERS);	/* the crypto BAM */
	assert_refused(assign, tfx.tee.tzc_base, P, TEE_ERROR_BAD_PARAMETERS);
}

static void test_assign_refuses_memory_past_the_end_of_ram(void **state)
{
	assert_refused(assign, RAM_END, P, TEE_ERROR_BAD_PARAMETERS);
	assert_refused(assign, RAM_END - P, 2 * P, TEE_ERROR_BAD_PARAMETERS);	/* straddles */
	assert_refused(assign, 0x100000000ULL, P, TEE_ERROR_BAD_PARAMETERS);	/* a1 != 0 */
}

static void test_assign_refuses_the_carve_out(void **state)
{
	assert_refused(assign, tfx.tee.prot_base, tfx.tee.prot_size, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, tfx.tee.prot_base - P, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, tfx.tee.prot_base + tfx.tee.prot_size - P, 2 * P,
		       TEE_ERROR_ACCESS_DENIED);
}

static void test_assign_refuses_the_private_memory(void **state)
{
	assert_refused(assign, tfx.tee.priv_base, P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, tfx.tee.priv_base - P, 2 * P, TEE_ERROR_ACCESS_DENIED);
}

static void test_assign_refuses_an_assigned_range(void **state)
{
	assert_int_equal(assign(A + P, 2 * P), TEE_SUCCESS);
	assert_refused(assign, A + P, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, A, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, A + 2 * P, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(assign, A, 4 * P, TEE_ERROR_ACCESS_DENIED);
}

static void test_windows_and_protected_regions_exclude_each_other(void **state)
{
	unsigned int region, other;

	assert_int_equal(tee_protect_region(&tfx.tee, A + 8 * P, 2 * P, &region), 0);
	assert_refused(assign, A + 9 * P, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(release, A + 8 * P, 2 * P, TEE_ERROR_ACCESS_DENIED);
	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	assert_int_equal(tee_protect_region(&tfx.tee, A, 2 * P, &other), -EBUSY);	/* exact */
	assert_int_equal(tee_protect_region(&tfx.tee, A + P, 2 * P, &other), -EBUSY);
	tee_release_region(&tfx.tee, region);
	assert_false(tee_range_protected(&tfx.tee, A + 8 * P, 2 * P));
	assert_true(tee_range_protected(&tfx.tee, A, 2 * P));
}

static void test_release_refuses_bad_parameters(void **state)
{
	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	assert_refused(release, A + 0x10, P, TEE_ERROR_BAD_PARAMETERS);
	assert_refused(release, A, P - 1, TEE_ERROR_BAD_PARAMETERS);
	assert_refused(release, A, 0, TEE_ERROR_BAD_PARAMETERS);
	assert_refused(release, 0xfffffffffffff000ULL, 2 * P, TEE_ERROR_BAD_PARAMETERS);
}

static void test_release_refuses_a_range_never_assigned(void **state)
{
	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	assert_refused(release, A + 4 * P, P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(release, A + P, 2 * P, TEE_ERROR_ACCESS_DENIED);	/* runs past */
	assert_refused(release, 0x01dc4000, P, TEE_ERROR_ACCESS_DENIED);
}

static void test_release_refuses_the_carve_out_and_private_memory(void **state)
{
	memset(backdoor(tfx.tee.prot_base, P), 0x5a, P);
	assert_refused(release, tfx.tee.prot_base, P, TEE_ERROR_ACCESS_DENIED);
	assert_refused(release, tfx.tee.prot_base, tfx.tee.prot_size, TEE_ERROR_ACCESS_DENIED);
	assert_refused(release, tfx.tee.priv_base, tfx.tee.priv_size, TEE_ERROR_ACCESS_DENIED);
	assert_int_equal(backdoor(tfx.tee.prot_base, P)[0], 0x5a);
	assert_true(tee_range_protected(&tfx.tee, tfx.tee.prot_base, tfx.tee.prot_size));
}

static void test_release_twice_is_refused(void **state)
{
	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	assert_int_equal(release(A, P), TEE_SUCCESS);
	assert_refused(release, A, P, TEE_ERROR_ACCESS_DENIED);
}

static void test_unknown_protmem_function_is_not_supported(void **state)
{
	struct snapshot before;

	snap(&before);
	assert_int_equal(smc(TEE_SMC_FAST_CALL(0x0013), (u32)(A >> 32), (u32)A, P).a0,
			 SMCCC_RET_NOT_SUPPORTED);
	assert_unchanged(&before);
}

/* ---- the DRM TA and windows ---- */

static const u32 fx_layout[] = { 16, 4080 };

static void test_drm_decrypts_into_a_window(void **state)
{
	u32 session = fx_drm_session();
	struct fx_sample s;

	assert_int_equal(assign(A, P), TEE_SUCCESS);
	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, fx_layout, 1, A);
	assert_int_equal(fx_sample_decrypt(&s, session), TEE_SUCCESS);
	fx_assert_decrypted(&s);
	assert_int_equal(release(A, P), TEE_SUCCESS);
	assert_int_equal(backdoor(A, P)[100], 0);		/* the plaintext is gone */
	fx_sample_free(&s);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
}

static void test_release_under_a_running_decrypt_is_busy(void **state)
{
	u32 session = fx_drm_session();
	struct fx_sample s;

	assert_int_equal(assign(A, 2 * P), TEE_SUCCESS);
	fx_sample_init(&s, TEE_DRM_SCHEME_CENC, fx_layout, 1, A + P);
	fx_sample_submit(&s, session);
	while (!tfx.tee.drm.call)
		assert_true(sim_step_once(tfx.sim));
	assert_refused(release, A + P, P, TEE_ERROR_BUSY);
	assert_int_equal(release(A, P), TEE_SUCCESS);	/* the rest of the window may go */
	assert_int_equal(fx_wait(&s.done), TEE_SUCCESS);
	fx_assert_decrypted(&s);
	assert_int_equal(release(A + P, P), TEE_SUCCESS);
	fx_sample_free(&s);
	assert_int_equal(fx_close(session), TEE_SUCCESS);
}

/* ---- accounting ---- */

static void test_accounting_counts_calls_bytes_and_scrubs(void **state)
{
	struct tee_protmem_info in;

	assert_int_equal(assign(A, 4 * P), TEE_SUCCESS);
	assert_int_equal(assign(A + 8 * P, P), TEE_SUCCESS);
	assert_int_equal(release(A + P, P), TEE_SUCCESS);
	assert_int_equal(assign(A + 1, P), TEE_ERROR_BAD_PARAMETERS);
	assert_int_equal(release(A + P, P), TEE_ERROR_ACCESS_DENIED);
	tee_protmem_info(&tfx.tee, &in);
	assert_int_equal(in.assigns, 2);
	assert_int_equal(in.releases, 1);
	assert_int_equal(in.refusals, 2);
	assert_int_equal(in.scrubbed, P);
	assert_int_equal(in.bytes, 4 * P);
	assert_int_equal(in.windows, 3);
	assert_int_equal(in.regions_free, DEFAULT_WINDOW_REGIONS - 3);
	assert_int_equal(info().a2, 4 * P / 1024);
	assert_int_equal(info().a3, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		PROTMEM_TEST(test_boot_leaves_the_default_budget),
		PROTMEM_TEST(test_assign_denies_the_normal_world),
		PROTMEM_TEST(test_boot_grants_protected_access_from_the_node),
		PROTMEM_TEST(test_window_grants_the_same_agents_as_the_carve_out),
		PROTMEM_TEST(test_assign_lets_the_secure_world_in),
		PROTMEM_TEST(test_release_scrubs_and_opens_the_range_again),
		PROTMEM_TEST(test_release_scrubs_only_the_released_range),
		PROTMEM_TEST(test_scrub_costs_its_documented_time),
		PROTMEM_TEST(test_range_protected_inside_a_window_only),
		PROTMEM_TEST(test_window_grows_above_and_below_without_a_region),
		PROTMEM_TEST(test_bridging_two_windows_frees_a_region),
		PROTMEM_TEST(test_new_window_without_a_region_is_refused),
		PROTMEM_TEST(test_full_budget_still_grows_windows),
		PROTMEM_TEST(test_release_from_the_middle_splits_the_window),
		PROTMEM_TEST(test_split_without_a_region_changes_nothing),
		PROTMEM_TEST(test_release_at_the_ends_shrinks_then_frees_the_window),
		PROTMEM_TEST(test_assign_refuses_an_unaligned_base),
		PROTMEM_TEST(test_assign_refuses_an_unaligned_size),
		PROTMEM_TEST(test_assign_refuses_size_zero),
		PROTMEM_TEST(test_assign_refuses_a_wrapping_range),
		PROTMEM_TEST(test_assign_refuses_mmio),
		PROTMEM_TEST(test_assign_refuses_memory_past_the_end_of_ram),
		PROTMEM_TEST(test_assign_refuses_the_carve_out),
		PROTMEM_TEST(test_assign_refuses_the_private_memory),
		PROTMEM_TEST(test_assign_refuses_an_assigned_range),
		PROTMEM_TEST(test_windows_and_protected_regions_exclude_each_other),
		PROTMEM_TEST(test_release_refuses_bad_parameters),
		PROTMEM_TEST(test_release_refuses_a_range_never_assigned),
		PROTMEM_TEST(test_release_refuses_the_carve_out_and_private_memory),
		PROTMEM_TEST(test_protected_writer_may_only_read_normal_memory),
		PROTMEM_TEST(test_release_twice_is_refused),
		PROTMEM_TEST(test_unknown_protmem_function_is_not_supported),
		PROTMEM_TEST(test_drm_decrypts_into_a_window),
		PROTMEM_TEST(test_release_under_a_running_decrypt_is_busy),
		PROTMEM_TEST(test_accounting_counts_calls_bytes_and_scrubs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
