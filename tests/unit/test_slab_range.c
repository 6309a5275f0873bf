/*
 * test_slab_range.c - the page allocator's physical-range operations
 * (kernel/slab.c) that a protected heap's windows rely on: alloc_pages_at()
 * takes exactly the pages asked for or nothing, and free_pages_exact()
 * frees any page-aligned part of page allocations, page by page, with exact
 * accounting; a bad free frees nothing.
 */
#include <secsoc/slab.h>

#include "kmem_fixture.h"

#define P PAGE_SIZE

/* @pages pages known to be free: allocated, then freed again. */
static phys_addr_t free_block(unsigned int pages)
{
	void *p = alloc_pages_exact(pages * P, GFP_KERNEL);
	phys_addr_t pa;

	assert_non_null(p);
	pa = virt_to_phys(p);
	free_pages_exact(p, pages * P);
	return pa;
}

static void assert_stats_equal(struct kmem_stats a, struct kmem_stats b)
{
	assert_int_equal(a.pages, b.pages);
	assert_int_equal(a.free_pages, b.free_pages);
	assert_int_equal(a.failures, b.failures);
	assert_int_equal(a.objects, b.objects);
}

/* ---- alloc_pages_at ---- */

static void test_at_takes_exactly_the_pages_asked(void **state)
{
	phys_addr_t pa = free_block(4);
	struct kmem_stats st = kmem_stats();
	u8 *p = alloc_pages_at(pa + P, 2 * P, GFP_KERNEL);

	assert_ptr_equal(p, phys_to_virt(pa + P));
	assert_int_equal(kmem_stats().pages, st.pages + 2);
	assert_int_equal(kmem_stats().free_pages, st.free_pages - 2);
	assert_null(alloc_pages_at(pa + 2 * P, P, GFP_KERNEL));	/* taken */
	free_pages_exact(p, 2 * P);
	assert_stats_equal(kmem_stats(), st);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_at_leaves_the_pages_around_free(void **state)
{
	phys_addr_t pa = free_block(4);
	void *mid = alloc_pages_at(pa + P, 2 * P, GFP_KERNEL);
	void *below = alloc_pages_at(pa, P, GFP_KERNEL);
	void *above = alloc_pages_at(pa + 3 * P, P, GFP_KERNEL);

	assert_non_null(mid);
	assert_ptr_equal(below, phys_to_virt(pa));
	assert_ptr_equal(above, phys_to_virt(pa + 3 * P));
	free_pages_exact(below, P);
	free_pages_exact(mid, 2 * P);
	free_pages_exact(above, P);
	assert_int_equal(kmem_stats().pages, 0);
}

static void test_at_refuses_a_range_with_a_page_in_use(void **state)
{
	phys_addr_t pa = free_block(8);
	void *busy = alloc_pages_at(pa + 3 * P, P, GFP_KERNEL);
	struct kmem_stats st = kmem_stats();

	assert_non_null(busy);
	assert_null(alloc_pages_at(pa + 3 * P, P, GFP_KERNEL));
	assert_null(alloc_pages_at(pa + 2 * P, 2 * P, GFP_KERNEL));
	assert_null(alloc_pages_at(pa, 8 * P, GFP_KERNEL));
	assert_stats_equal(kmem_stats(), st);	/* not an out-of-memory failure either */
	free_pages_exact(busy, P);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_at_refuses_misaligned_or_empty_ranges(void **state)
{
	phys_addr_t pa = free_block(2);
	struct kmem_stats st = kmem_stats();

	assert_null(alloc_pages_at(pa + 16, P, GFP_KERNEL));
	assert_null(alloc_pages_at(pa, P + 1, GFP_KERNEL));
	assert_null(alloc_pages_at(pa, 0, GFP_KERNEL));
	assert_stats_equal(kmem_stats(), st);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_at_refuses_memory_it_does_not_manage(void **state)
{
	struct kmem_stats st = kmem_stats();
	phys_addr_t base;
	u64 size;

	kmem_range(&base, &size);
	assert_null(alloc_pages_at(base - P, P, GFP_KERNEL));
	assert_null(alloc_pages_at(base - P, 2 * P, GFP_KERNEL));	/* straddles the base */
	assert_null(alloc_pages_at(base + size, P, GFP_KERNEL));
	assert_null(alloc_pages_at(base + size - P, 2 * P, GFP_KERNEL));
	assert_null(alloc_pages_at(0x9c000000, P, GFP_KERNEL));	/* the carve-out */
	assert_null(alloc_pages_at(~(phys_addr_t)(P - 1), P, GFP_KERNEL));	/* wraps */
	assert_stats_equal(kmem_stats(), st);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_at_takes_the_last_page_of_the_range(void **state)
{
	phys_addr_t base;
	u64 size;
	void *p;

	kmem_range(&base, &size);
	p = alloc_pages_at(base + size - P, P, GFP_KERNEL);
	assert_ptr_equal(p, phys_to_virt(base + size - P));
	free_pages_exact(p, P);
	assert_int_equal(kmem_stats().pages, 0);
}

static void test_at_zeroes_on_request(void **state)
{
	u8 *p = alloc_pages_exact(2 * P, GFP_KERNEL);
	phys_addr_t pa = virt_to_phys(p);

	memset(p, 0xa5, 2 * P);
	free_pages_exact(p, 2 * P);
	p = alloc_pages_at(pa, 2 * P, GFP_KERNEL | __GFP_ZERO);
	assert_non_null(p);
	for (size_t i = 0; i < 2 * P; i++)
		assert_int_equal(p[i], 0);
	free_pages_exact(p, 2 * P);
}

static void test_free_of_at_pages_merges_the_extent_back(void **state)
{
	phys_addr_t pa = free_block(8);
	void *mid = alloc_pages_at(pa + 4 * P, P, GFP_KERNEL);
	void *all;

	assert_non_null(mid);
	free_pages_exact(mid, P);
	all = alloc_pages_at(pa, 8 * P, GFP_KERNEL);	/* one free extent again */
	assert_ptr_equal(all, phys_to_virt(pa));
	free_pages_exact(all, 8 * P);
	assert_int_equal(kmem_stats().pages, 0);
}

/* ---- free_pages_exact of parts ---- */

static void test_free_of_the_middle_keeps_both_ends(void **state)
{
	struct kmem_stats st = kmem_stats();
	u8 *p = alloc_pages_exact(4 * P, GFP_KERNEL);
	phys_addr_t pa = virt_to_phys(p);
	void *again;

	free_pages_exact(p + P, 2 * P);
	assert_int_equal(kmem_stats().pages, st.pages + 2);
	assert_int_equal(kmem_stats().free_pages, st.free_pages - 2);
	assert_null(alloc_pages_at(pa, P, GFP_KERNEL));		/* the ends stay allocated */
	assert_null(alloc_pages_at(pa + 3 * P, P, GFP_KERNEL));
	again = alloc_pages_at(pa + P, 2 * P, GFP_KERNEL);	/* the middle is free */
	assert_non_null(again);
	free_pages_exact(again, 2 * P);
	free_pages_exact(p + 3 * P, P);
	free_pages_exact(p, P);
	assert_stats_equal(kmem_stats(), st);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_free_granule_by_granule_from_either_end(void **state)
{
	struct kmem_stats st = kmem_stats();
	u8 *p = alloc_pages_exact(6 * P, GFP_KERNEL);

	free_pages_exact(p, P);				/* the head */
	free_pages_exact(p + 5 * P, P);			/* the last tail */
	assert_int_equal(kmem_stats().pages, st.pages + 4);
	free_pages_exact(p + P, 2 * P);
	free_pages_exact(p + 4 * P, P);
	free_pages_exact(p + 3 * P, P);
	assert_stats_equal(kmem_stats(), st);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_free_may_span_adjacent_allocations(void **state)
{
	phys_addr_t pa = free_block(4);
	u8 *a = alloc_pages_at(pa, 2 * P, GFP_KERNEL);
	u8 *b = alloc_pages_at(pa + 2 * P, 2 * P, GFP_KERNEL);
	struct kmem_stats st = kmem_stats();

	assert_non_null(a);
	assert_non_null(b);
	free_pages_exact(a + P, 2 * P);			/* a's last page and b's first */
	assert_int_equal(kmem_stats().pages, st.pages - 2);
	free_pages_exact(a, P);
	free_pages_exact(b + P, P);
	assert_int_equal(kmem_stats().pages, 0);
	assert_int_equal(kmem_stats().free_pages, st.free_pages + 4);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_free_reaching_free_memory_frees_nothing(void **state)
{
	phys_addr_t pa = free_block(3);
	u8 *a = alloc_pages_at(pa, 2 * P, GFP_KERNEL);	/* pa + 2P stays free */
	struct kmem_stats st = kmem_stats();

	free_pages_exact(a + P, 2 * P);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "page 1 of the range is free memory"));
	assert_stats_equal(kmem_stats(), st);
	assert_null(alloc_pages_at(pa + P, P, GFP_KERNEL));	/* still a's */
	free_pages_exact(a, 2 * P);
	assert_int_equal(kmem_stats().pages, 0);
}

static void test_sub_range_freed_twice_is_caught(void **state)
{
	u8 *p = alloc_pages_exact(3 * P, GFP_KERNEL);
	struct kmem_stats st;

	free_pages_exact(p + P, P);
	st = kmem_stats();
	free_pages_exact(p + P, P);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "free memory"));
	assert_stats_equal(kmem_stats(), st);
	free_pages_exact(p, P);
	free_pages_exact(p + 2 * P, P);
	assert_int_equal(kmem_stats().pages, 0);
}

static void test_misaligned_or_empty_free_is_caught(void **state)
{
	u8 *p = alloc_pages_exact(2 * P, GFP_KERNEL);
	struct kmem_stats st = kmem_stats();

	free_pages_exact(p + 16, P);
	free_pages_exact(p, 0);
	assert_int_equal(kmem_fx_violations(), 2);
	assert_true(kmem_fx_violation_has(0, "not page aligned"));
	assert_true(kmem_fx_violation_has(1, "size 0 frees nothing"));
	assert_stats_equal(kmem_stats(), st);
	free_pages_exact(p, 2 * P);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KMEM_TEST(test_at_takes_exactly_the_pages_asked),
		KMEM_TEST(test_at_leaves_the_pages_around_free),
		KMEM_TEST(test_at_refuses_a_range_with_a_page_in_use),
		KMEM_TEST(test_at_refuses_misaligned_or_empty_ranges),
		KMEM_TEST(test_at_refuses_memory_it_does_not_manage),
		KMEM_TEST(test_at_takes_the_last_page_of_the_range),
		KMEM_TEST(test_at_zeroes_on_request),
		KMEM_TEST(test_free_of_at_pages_merges_the_extent_back),
		KMEM_TEST(test_free_of_the_middle_keeps_both_ends),
		KMEM_TEST(test_free_granule_by_granule_from_either_end),
		KMEM_TEST(test_free_may_span_adjacent_allocations),
		KMEM_TEST(test_free_reaching_free_memory_frees_nothing),
		KMEM_TEST(test_sub_range_freed_twice_is_caught),
		KMEM_TEST(test_misaligned_or_empty_free_is_caught),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
