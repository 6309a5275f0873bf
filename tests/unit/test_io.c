/*
 * test_io.c - memory-mapped I/O (kernel/io.c) on the default board:
 * readl()/writel() reach the crypto BAM's registers through the bus as a
 * normal-world CPU, accesses outside a live ioremap() are always()
 * violations, an unmapped or secure-only address gives an external abort on
 * the CPU that made the access, and the mapping table is bounded and
 * reset with the kernel's memory.
 */
#include <secsoc/bam.h>
#include <secsoc/io.h>
#include <secsoc/tzc400.h>

#include "kmem_fixture.h"

#define BAM_BASE 0x01dc4000ULL		/* cryptobam: qcom,bam-v1.7.4, 4 EEs */
#define BAM_SIZE 0x28000
#define TZC_BASE 0x0a000000ULL
#define HOLE 0x20000000ULL		/* nothing is mapped here */

static u32 bam_off(enum bam_reg reg)
{
	return bam_reg_offset(BAM_V1_7_0, reg, 0, 0);
}

static void test_readl_reaches_the_device(void **state)
{
	void __iomem *regs = ioremap(BAM_BASE, BAM_SIZE);
	u32 rev;

	assert_non_null(regs);
	assert_int_equal(ioremap_count(), 1);
	rev = readl(regs + bam_off(BAM_REVISION));
	assert_int_equal(FIELD_GET(BAM_REVISION_NUM_EES, rev), 4);
	assert_int_equal(rev, cpu_read32(&fx.soc->cpus[1], BAM_BASE + bam_off(BAM_REVISION)));
	assert_int_equal(readl_relaxed(regs + bam_off(BAM_REVISION)), rev);
	assert_int_equal(fx.soc->cpus[0].aborts, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	iounmap(regs);
	assert_int_equal(ioremap_count(), 0);
}

static void test_writel_is_seen_by_the_device(void **state)
{
	void __iomem *regs = ioremap(BAM_BASE, BAM_SIZE);
	u64 pa = BAM_BASE + bam_off(BAM_DESC_CNT_TRSHLD);

	writel(0x20, regs + bam_off(BAM_DESC_CNT_TRSHLD));
	assert_int_equal(cpu_read32(&fx.soc->cpus[1], pa), 0x20);
	writel_relaxed(0x40, regs + bam_off(BAM_DESC_CNT_TRSHLD));
	assert_int_equal(cpu_read32(&fx.soc->cpus[1], pa), 0x40);
	assert_int_equal(fx.soc->cpus[0].aborts, 0);
	iounmap(regs);
}

static void test_access_outside_a_mapping_is_caught(void **state)
{
	void __iomem *regs = ioremap(BAM_BASE, 0x1000);

	assert_int_equal(readl(regs + 0x1000), 0);
	assert_int_equal(readl(regs + 0xffe), 0);	/* runs past the end */
	writel(1, (void __iomem *)(uintptr_t)0x1234);
	assert_int_equal(kmem_fx_violations(), 3);
	assert_true(kmem_fx_violation_has(0, "readl("));
	assert_true(kmem_fx_violation_has(0, "not inside a live ioremap()"));
	assert_true(kmem_fx_violation_has(2, "writel("));
	assert_int_equal(fx.soc->cpus[0].aborts, 0);	/* never reached the bus */
	iounmap(regs);
}

static void test_unmapped_address_aborts_on_cpu0(void **state)
{
	void __iomem *hole = ioremap(HOLE, 0x1000);

	assert_int_equal(readl(hole + 8), 0);
	assert_int_equal(fx.soc->cpus[0].aborts, 1);
	assert_int_equal(fx.soc->cpus[0].last_abort_addr, HOLE + 8);
	assert_false(fx.soc->cpus[0].last_abort_write);
	writel(5, hole);
	assert_int_equal(fx.soc->cpus[0].aborts, 2);
	assert_true(fx.soc->cpus[0].last_abort_write);
	assert_int_equal(fx.soc->cpus[1].aborts, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	iounmap(hole);
}

/* Only the secure world programs the TZC: the normal world's read aborts. */
static void test_secure_only_registers_abort(void **state)
{
	void __iomem *tzc = ioremap(TZC_BASE, TZC400_MMIO_SIZE);

	assert_int_equal(readl(tzc + TZC400_BUILD_CONFIG), 0);
	assert_int_equal(fx.soc->cpus[0].aborts, 1);
	assert_int_equal(fx.soc->cpus[0].last_abort_addr, TZC_BASE + TZC400_BUILD_CONFIG);
	iounmap(tzc);
}

static void __iomem *task_regs;

static bool read_hole(struct cpu_task *t)
{
	readl(task_regs);
	return true;
}

static void test_access_is_made_as_the_running_cpu(void **state)
{
	struct cpu_task t = { .name = "reader", .run = read_hole };

	task_regs = ioremap(HOLE, 0x1000);
	cpu_add_task(&fx.soc->cpus[1], &t);
	assert_int_equal(sim_run(fx.sim), SIM_STOP_QUIESCENT);
	assert_true(t.finished);
	assert_int_equal(fx.soc->cpus[1].aborts, 1);
	assert_int_equal(fx.soc->cpus[0].aborts, 0);
	iounmap(task_regs);
}

static void test_slots_are_bounded_and_freed(void **state)
{
	void __iomem *m[IOREMAP_MAX];

	for (unsigned int i = 0; i < IOREMAP_MAX; i++) {
		m[i] = ioremap(BAM_BASE + 0x1000 * i, 0x1000);
		assert_non_null(m[i]);
	}
	assert_int_equal(ioremap_count(), IOREMAP_MAX);
	assert_null(ioremap(HOLE, 0x1000));
	iounmap(m[3]);
	assert_int_equal(ioremap_count(), IOREMAP_MAX - 1);
	assert_ptr_equal(ioremap(BAM_BASE + 0x3000, 0x1000), m[3]);
	/* Registers stay reachable through the other mappings. */
	assert_int_equal(FIELD_GET(BAM_REVISION_NUM_EES, readl(m[0] + bam_off(BAM_REVISION))), 4);
	for (unsigned int i = 0; i < IOREMAP_MAX; i++)
		iounmap(m[i]);
	assert_int_equal(ioremap_count(), 0);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_bad_iounmap_is_caught(void **state)
{
	void __iomem *regs = ioremap(BAM_BASE, 0x1000);

	iounmap(NULL);
	iounmap(regs + 4);
	iounmap(regs);
	iounmap(regs);
	assert_int_equal(kmem_fx_violations(), 2);
	assert_true(kmem_fx_violation_has(0, "not a live ioremap() cookie"));
	assert_int_equal(ioremap_count(), 0);
}

static void test_ioremap_refusals(void **state)
{
	assert_null(ioremap(BAM_BASE, 0));
	assert_int_equal(kmem_fx_violations(), 0);
	assert_null(ioremap(BUS_PA_LIMIT - 0x1000, 0x2000));
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "physical address space"));
	assert_int_equal(ioremap_count(), 0);
}

static void test_kmem_init_forgets_ioremaps(void **state)
{
	struct secsoc_error err = { 0 };

	assert_non_null(ioremap(BAM_BASE, BAM_SIZE));
	assert_int_equal(kmem_init(fx.soc->bus, fx.dt, &err), 0);
	assert_int_equal(ioremap_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KMEM_TEST(test_readl_reaches_the_device),
		KMEM_TEST(test_writel_is_seen_by_the_device),
		KMEM_TEST(test_access_outside_a_mapping_is_caught),
		KMEM_TEST(test_unmapped_address_aborts_on_cpu0),
		KMEM_TEST(test_secure_only_registers_abort),
		KMEM_TEST(test_access_is_made_as_the_running_cpu),
		KMEM_TEST(test_slots_are_bounded_and_freed),
		KMEM_TEST(test_bad_iounmap_is_caught),
		KMEM_TEST(test_ioremap_refusals),
		KMEM_TEST(test_kmem_init_forgets_ioremaps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
