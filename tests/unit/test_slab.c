/*
 * test_slab.c - the normal world's memory (kernel/slab.c) on the default
 * board: the managed range (memory node minus reserved-memory, largest
 * piece), kmalloc() size classes, alignment, zeroing and reuse, whole-page
 * allocations and extent merging, exhaustion, leak accounting, the linear
 * map, and frees of anything that is not a live allocation (always()
 * violations recorded in the simulation).
 */
#include <errno.h>
#include <stdlib.h>

#include <secsoc/slab.h>

#include "kmem_fixture.h"

/*
 * The default board's 1 GiB at 0x80000000 loses 0x9c000000..0x9e000000 (the
 * protected carve-out) and 0x9ff00000..0xa0000000 (the TEE): the largest
 * piece left is the upper 512 MiB.
 */
#define DEFAULT_BASE 0xa0000000ULL
#define DEFAULT_SIZE 0x20000000ULL

static bool in_range(const void *p, size_t len)
{
	return virt_addr_valid(p) && virt_addr_valid((const u8 *)p + len - 1);
}

static struct dt *load_test_dt(const char *name)
{
	struct secsoc_error err = { 0 };
	char rel[128];
	struct dt *dt = NULL;

	snprintf(rel, sizeof(rel), "tests/unit/dt/%s", name);
	assert_int_equal(dt_load_dts_file(test_src_path(rel), &dt, &err), 0);
	return dt;
}

/* ---- the managed range ---- */

static void test_default_range_is_the_largest_piece(void **state)
{
	phys_addr_t base;
	u64 size;

	kmem_range(&base, &size);
	assert_int_equal(base, DEFAULT_BASE);
	assert_int_equal(size, DEFAULT_SIZE);
	assert_true(kmem_stats().free_pages <= DEFAULT_SIZE / PAGE_SIZE);
	assert_ptr_equal(phys_to_virt(base), bus_ram_backdoor(fx.soc->bus, base, 1));
}

static void test_range_is_largest_aligned_piece(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = load_test_dt("kmem_reserved.dts");
	phys_addr_t base;
	u64 size;

	assert_int_equal(kmem_init(fx.soc->bus, dt, &err), 0);
	kmem_range(&base, &size);
	/* The disabled region at 0x80800000 reserves nothing. */
	assert_int_equal(base, 0x80401000);
	assert_int_equal(size, 0x80e00000 - 0x80401000);
	assert_int_equal(kmem_stats().free_pages, size / PAGE_SIZE);
	assert_true(in_range(kmalloc(100, GFP_KERNEL), 100));
	dt_free(dt);
}

static void test_no_memory_node_is_refused(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = load_test_dt("kmem_no_memory.dts");
	phys_addr_t base;
	u64 size;

	assert_int_equal(kmem_init(fx.soc->bus, dt, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "no memory node"));
	kmem_range(&base, &size);
	assert_int_equal(size, 0);
	dt_free(dt);
}

static void test_no_page_left_is_refused(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = load_test_dt("kmem_all_reserved.dts");

	assert_int_equal(kmem_init(fx.soc->bus, dt, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "node /memory@80000000: no whole page"));
	assert_null(kmalloc(16, GFP_KERNEL));
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "before kmem_init"));
	dt_free(dt);
}

static void test_reinit_forgets_allocations(void **state)
{
	struct secsoc_error err = { 0 };
	struct kmem_stats st;

	assert_non_null(kmalloc(64, GFP_KERNEL));
	assert_non_null(alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL));
	assert_int_equal(kmem_init(fx.soc->bus, fx.dt, &err), 0);
	st = kmem_stats();
	assert_int_equal(st.objects, 0);
	assert_int_equal(st.pages, 0);
	assert_int_equal(st.free_pages, DEFAULT_SIZE / PAGE_SIZE);
}

static void test_exit_forgets_the_range(void **state)
{
	void *p = kmalloc(64, GFP_KERNEL);
	phys_addr_t base;
	u64 size;

	kmem_exit();
	assert_false(virt_addr_valid(p));
	kmem_range(&base, &size);
	assert_int_equal(base, 0);
	assert_int_equal(size, 0);
	assert_int_equal(kmem_stats().objects, 0);
	assert_int_equal(kmem_fx_violations(), 0);
}

/* ---- kmalloc ---- */

static void test_kmalloc_is_aligned_kernel_memory(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 24, 100, 1000, 4096, 4097, 100000 };

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);

		assert_non_null(p);
		assert_true(in_range(p, MAX(sizes[i], 1)));
		assert_int_equal((uintptr_t)p % KMALLOC_MIN_ALIGN, 0);
		if (sizes[i] > KMALLOC_MAX_CACHE_SIZE)
			assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
		kfree(p);
	}
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_size_classes_are_powers_of_two(void **state)
{
	static const size_t sizes[][2] = {
		{ 1, 16 }, { 16, 16 }, { 17, 32 }, { 33, 64 }, { 100, 128 }, { 257, 512 },
		{ 2048, 2048 }, { 2049, 4096 }, { 4096, 4096 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(sizes); i++) {
		u64 before = kmem_stats().object_bytes;
		u8 *p = kmalloc(sizes[i][0], GFP_KERNEL);

		assert_int_equal(kmem_stats().object_bytes - before, sizes[i][1]);
		assert_int_equal((uintptr_t)p % sizes[i][1], 0);	/* aligned to its class */
		kfree(p);
		assert_int_equal(kmem_stats().object_bytes, before);
	}
}

static int cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

/* 2000 objects of 48 bytes span two 64 KiB slabs of 64-byte objects. */
static void test_objects_do_not_overlap(void **state)
{
	enum { N = 2000 };
	uintptr_t *p = calloc(N, sizeof(*p));

	assert_non_null(p);
	for (unsigned int i = 0; i < N; i++)
		p[i] = (uintptr_t)kmalloc(48, GFP_KERNEL);
	qsort(p, N, sizeof(*p), cmp_ptr);
	for (unsigned int i = 1; i < N; i++)
		assert_true(p[i] - p[i - 1] >= 64);
	for (unsigned int i = 0; i < N; i++)
		kfree((void *)p[i]);
	assert_int_equal(kmem_stats().objects, 0);
	free(p);
}

static void test_freed_object_is_reused(void **state)
{
	void *p = kmalloc(200, GFP_KERNEL);

	kfree(p);
	assert_ptr_equal(kmalloc(200, GFP_KERNEL), p);
	/* Now live again: the next object of its class is another one. */
	assert_ptr_not_equal(kmalloc(256, GFP_KERNEL), p);
}

static void test_kzalloc_zeroes_reused_memory(void **state)
{
	u8 *p = kmalloc(200, GFP_KERNEL);
	u8 *q;

	memset(p, 0xa5, 200);
	kfree(p);
	q = kzalloc(200, GFP_KERNEL);
	assert_ptr_equal(q, p);
	for (unsigned int i = 0; i < 200; i++)
		assert_int_equal(q[i], 0);
}

static void test_kcalloc_zeroes_and_refuses_overflow(void **state)
{
	u64 failures = kmem_stats().failures;
	u32 *p = kmalloc(10 * sizeof(u32), GFP_KERNEL);

	memset(p, 0xff, 10 * sizeof(u32));
	kfree(p);
	p = kcalloc(10, sizeof(u32), GFP_KERNEL);
	for (unsigned int i = 0; i < 10; i++)
		assert_int_equal(p[i], 0);
	assert_null(kcalloc(SIZE_MAX / 2 + 1, 2, GFP_KERNEL));
	assert_int_equal(kmem_stats().failures, failures);
}

static void test_large_kmalloc_takes_whole_pages(void **state)
{
	struct kmem_stats st = kmem_stats();
	u8 *p = kmalloc(2 * PAGE_SIZE + 1, GFP_KERNEL);

	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	assert_int_equal(kmem_stats().pages - st.pages, 3);
	assert_int_equal(kmem_stats().objects - st.objects, 1);
	assert_int_equal(kmem_stats().object_bytes - st.object_bytes, 3 * PAGE_SIZE);
	assert_int_equal(st.free_pages - kmem_stats().free_pages, 3);
	p[0] = 1;
	p[2 * PAGE_SIZE] = 2;
	kfree(p);
	assert_int_equal(kmem_stats().pages, st.pages);
	assert_int_equal(kmem_stats().free_pages, st.free_pages);
}

/* ---- pages ---- */

static void test_alloc_pages_exact_is_page_aligned_and_zeroed(void **state)
{
	struct kmem_stats st = kmem_stats();
	u8 *p = alloc_pages_exact(PAGE_SIZE + 100, GFP_KERNEL);
	u8 *q;

	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	assert_int_equal(kmem_stats().pages - st.pages, 2);
	memset(p, 0x5a, 2 * PAGE_SIZE);
	free_pages_exact(p, PAGE_SIZE + 100);
	q = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL | __GFP_ZERO);
	assert_ptr_equal(q, p);
	for (unsigned int i = 0; i < 2 * PAGE_SIZE; i++)
		assert_int_equal(q[i], 0);
	free_pages_exact(q, 2 * PAGE_SIZE);
	assert_null(alloc_pages_exact(0, GFP_KERNEL));
	assert_int_equal(kmem_stats().pages, st.pages);
}

/* Freeing the middle of three neighbours merges all three back into one extent. */
static void test_freed_pages_merge_with_both_neighbours(void **state)
{
	u64 free_pages = kmem_stats().free_pages;
	u8 *a = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL);
	u8 *b = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL);
	u8 *c = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL);

	assert_ptr_equal(b, a + PAGE_SIZE);
	assert_ptr_equal(c, b + PAGE_SIZE);
	free_pages_exact(a, PAGE_SIZE);
	free_pages_exact(c, PAGE_SIZE);
	free_pages_exact(b, PAGE_SIZE);
	assert_int_equal(kmem_stats().free_pages, free_pages);
	/* First fit: a 3-page request lands where the three were. */
	a = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL);
	assert_ptr_equal(a, b - PAGE_SIZE);
	free_pages_exact(a, 3 * PAGE_SIZE);
}

#define CHUNK (32UL << 20)

static void test_exhaustion_returns_null_and_counts(void **state)
{
	struct kmem_stats st = kmem_stats();
	void *pad = alloc_pages_exact(PAGE_SIZE, GFP_KERNEL);
	void *chunks[DEFAULT_SIZE / CHUNK + 1], *rest, *objs[64];
	unsigned int n = 0, nobjs = 0;
	u64 rest_pages;

	while (n < ARRAY_SIZE(chunks) && (chunks[n] = alloc_pages_exact(CHUNK, GFP_KERNEL)))
		n++;
	assert_int_equal(n, (st.free_pages - 1) / (CHUNK / PAGE_SIZE));
	assert_int_equal(kmem_stats().failures, st.failures + 1);
	rest_pages = kmem_stats().free_pages;
	rest = alloc_pages_exact(rest_pages * PAGE_SIZE, GFP_KERNEL);
	assert_non_null(rest);
	assert_int_equal(kmem_stats().free_pages, 0);
	assert_null(kmalloc(PAGE_SIZE + 1, GFP_KERNEL));
	/* Small objects fail once the class's slabs are full. */
	while (nobjs < ARRAY_SIZE(objs) && (objs[nobjs] = kmalloc(2048, GFP_KERNEL)))
		nobjs++;
	assert_true(nobjs < ARRAY_SIZE(objs));
	assert_int_equal(kmem_stats().failures, st.failures + 3);
	while (nobjs)
		kfree(objs[--nobjs]);
	free_pages_exact(rest, rest_pages * PAGE_SIZE);
	while (n)
		free_pages_exact(chunks[--n], CHUNK);
	free_pages_exact(pad, PAGE_SIZE);
	assert_int_equal(kmem_stats().free_pages, st.free_pages);
	assert_int_equal(kmem_stats().pages, 0);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_stats_return_to_zero(void **state)
{
	struct kmem_stats st = kmem_stats();
	void *small[10], *large, *pages;

	for (unsigned int i = 0; i < ARRAY_SIZE(small); i++)
		small[i] = kmalloc(16u << i, GFP_KERNEL);
	large = kzalloc(10000, GFP_KERNEL);
	pages = alloc_pages_exact(5 * PAGE_SIZE, GFP_KERNEL);
	assert_int_equal(kmem_stats().objects - st.objects, ARRAY_SIZE(small) + 1);
	assert_int_equal(kmem_stats().pages - st.pages, 3 + 5 + 2);	/* 8192 B, 10000, 5 pages */
	for (unsigned int i = 0; i < ARRAY_SIZE(small); i++)
		kfree(small[i]);
	kfree(large);
	free_pages_exact(pages, 5 * PAGE_SIZE);
	assert_int_equal(kmem_stats().objects, st.objects);
	assert_int_equal(kmem_stats().object_bytes, st.object_bytes);
	assert_int_equal(kmem_stats().pages, st.pages);
	assert_int_equal(kmem_stats().objects, 0);
	assert_int_equal(kmem_stats().pages, 0);
}

/* ---- frees that are programming errors ---- */

static void test_double_free_is_caught(void **state)
{
	void *p = kmalloc(64, GFP_KERNEL);
	u64 objects;

	kfree(p);
	objects = kmem_stats().objects;
	kfree(p);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "double free"));
	assert_int_equal(kmem_stats().objects, objects);
}

static void test_double_free_of_large_object_is_caught(void **state)
{
	void *p = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(p);
	kfree(p);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "free memory"));
}

static void test_free_of_interior_pointer_is_caught(void **state)
{
	u8 *small = kmalloc(64, GFP_KERNEL);
	u8 *large = kmalloc(3 * PAGE_SIZE, GFP_KERNEL);

	kfree(small + 16);
	kfree(large + 16);
	kfree(large + PAGE_SIZE);
	assert_int_equal(kmem_fx_violations(), 3);
	assert_true(kmem_fx_violation_has(0, "not the start of a 64-byte object"));
	assert_true(kmem_fx_violation_has(1, "points inside a large kmalloc"));
	assert_true(kmem_fx_violation_has(2, "inside a multi-page allocation"));
	kfree(small);
	kfree(large);
	assert_int_equal(kmem_stats().objects, 0);
}

static void test_free_of_foreign_memory_is_caught(void **state)
{
	int local = 0;

	kfree(&local);
	kfree(NULL);
	assert_int_equal(kmem_fx_violations(), 1);
	assert_true(kmem_fx_violation_has(0, "not kernel memory"));
}

static void test_mixing_page_and_object_frees_is_caught(void **state)
{
	void *pages = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL);
	void *large = kmalloc(2 * PAGE_SIZE, GFP_KERNEL);

	kfree(pages);
	free_pages_exact(large, 2 * PAGE_SIZE);
	free_pages_exact(pages, PAGE_SIZE);	/* its first page alone: allowed, as in Linux */
	free_pages_exact(pages, PAGE_SIZE);	/* ... once */
	assert_int_equal(kmem_fx_violations(), 3);
	assert_true(kmem_fx_violation_has(0, "kfree"));
	assert_true(kmem_fx_violation_has(0, "alloc_pages_exact() allocation"));
	assert_true(kmem_fx_violation_has(1, "large kmalloc() allocation"));
	assert_true(kmem_fx_violation_has(2, "free memory"));
	free_pages_exact((u8 *)pages + PAGE_SIZE, PAGE_SIZE);
	kfree(large);
	assert_int_equal(kmem_stats().pages, 0);
}

/* ---- the linear map ---- */

static void test_linear_map_round_trips(void **state)
{
	u8 *p = kmalloc(100, GFP_KERNEL);
	phys_addr_t pa = virt_to_phys(p);

	assert_true(pa >= DEFAULT_BASE && pa < DEFAULT_BASE + DEFAULT_SIZE);
	assert_ptr_equal(phys_to_virt(pa), p);
	assert_ptr_equal(phys_to_virt(pa + 10), p + 10);
	assert_ptr_equal(bus_ram_backdoor(fx.soc->bus, pa, 100), p);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_linear_map_refuses_other_memory(void **state)
{
	int local = 0;

	assert_false(virt_addr_valid(&local));
	assert_int_equal(virt_to_phys(&local), 0);
	assert_null(phys_to_virt(0x9c000000));		/* the carve-out */
	assert_null(phys_to_virt(0x80000000));		/* RAM, but a smaller piece */
	assert_null(phys_to_virt(DEFAULT_BASE + DEFAULT_SIZE));
	assert_int_equal(kmem_fx_violations(), 4);
	assert_true(kmem_fx_violation_has(0, "virt_to_phys"));
	assert_true(kmem_fx_violation_has(1, "phys_to_virt(0x9c000000)"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KMEM_TEST(test_default_range_is_the_largest_piece),
		KMEM_TEST(test_range_is_largest_aligned_piece),
		KMEM_TEST(test_no_memory_node_is_refused),
		KMEM_TEST(test_no_page_left_is_refused),
		KMEM_TEST(test_reinit_forgets_allocations),
		KMEM_TEST(test_exit_forgets_the_range),
		KMEM_TEST(test_kmalloc_is_aligned_kernel_memory),
		KMEM_TEST(test_size_classes_are_powers_of_two),
		KMEM_TEST(test_objects_do_not_overlap),
		KMEM_TEST(test_freed_object_is_reused),
		KMEM_TEST(test_kzalloc_zeroes_reused_memory),
		KMEM_TEST(test_kcalloc_zeroes_and_refuses_overflow),
		KMEM_TEST(test_large_kmalloc_takes_whole_pages),
		KMEM_TEST(test_alloc_pages_exact_is_page_aligned_and_zeroed),
		KMEM_TEST(test_freed_pages_merge_with_both_neighbours),
		KMEM_TEST(test_exhaustion_returns_null_and_counts),
		KMEM_TEST(test_stats_return_to_zero),
		KMEM_TEST(test_double_free_is_caught),
		KMEM_TEST(test_double_free_of_large_object_is_caught),
		KMEM_TEST(test_free_of_interior_pointer_is_caught),
		KMEM_TEST(test_free_of_foreign_memory_is_caught),
		KMEM_TEST(test_mixing_page_and_object_frees_is_caught),
		KMEM_TEST(test_linear_map_round_trips),
		KMEM_TEST(test_linear_map_refuses_other_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
