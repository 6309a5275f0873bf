/*
 * test_dma_mapping.c - scatterlists (kernel/scatterlist.c) and the DMA API
 * (kernel/dma-mapping.c) on the default board: list helpers, copies,
 * tables, streaming maps whose bus address is the physical address,
 * unmaps that must match a live map (an always() violation naming the
 * device and address otherwise), refused maps, coherent memory, and the
 * counters a leak check reads.
 */
#include <errno.h>

#include <secsoc/dma-mapping.h>

#include "kmem_fixture.h"

static struct device test_dev = { .name = "/soc@0/test-dev" };

/* ---- scatterlists ---- */

static void test_init_table_marks_the_last_entry(void **state)
{
	struct scatterlist sg[4];

	memset(sg, 0xff, sizeof(sg));
	sg_init_table(sg, 4);
	assert_int_equal(sg_nents(sg), 4);
	assert_ptr_equal(sg_next(&sg[0]), &sg[1]);
	assert_null(sg_next(&sg[3]));
	assert_int_equal(sg[1].length, 0);
	assert_false(sg[2].end);
	assert_true(sg[3].end);
}

static void test_mark_end_shortens_the_list(void **state)
{
	struct scatterlist sg[4];

	sg_init_table(sg, 4);
	sg_mark_end(&sg[1]);
	assert_int_equal(sg_nents(sg), 2);
	assert_null(sg_next(&sg[1]));
}

static void test_set_buf_records_the_physical_address(void **state)
{
	struct scatterlist sg;
	u8 *buf = kmalloc(300, GFP_KERNEL);

	sg_init_one(&sg, buf + 10, 200);
	assert_int_equal(sg_phys(&sg), virt_to_phys(buf) + 10);
	assert_int_equal(sg.length, 200);
	assert_ptr_equal(sg_virt(&sg), buf + 10);
	assert_true(sg.end);
	kfree(buf);
}

static void test_set_buf_refuses_other_memory(void **state)
{
	struct scatterlist sg;
	u8 local[16] = { 0 };
	phys_addr_t base;
	u64 size;

	sg_init_one(&sg, local, sizeof(local));
	assert_int_equal(sg.length, 0);
	kmem_range(&base, &size);
	/* A buffer that runs past the end of kernel memory. */
	sg_set_buf(&sg, phys_to_virt(base + size - 8), 16);
	assert_int_equal(kmem_fx_violations(), 2);
	assert_true(kmem_fx_violation_has(0, "sg_set_buf"));
	assert_true(kmem_fx_violation_has(1, "16 bytes): not kernel memory"));
}

/* Three pieces of 10, 20 and 30 bytes in separate objects. */
static void three_pieces(struct scatterlist *sg, u8 *bufs[3])
{
	sg_init_table(sg, 3);
	for (unsigned int i = 0; i < 3; i++) {
		bufs[i] = kzalloc(10 * (i + 1), GFP_KERNEL);
		sg_set_buf(&sg[i], bufs[i], 10 * (i + 1));
	}
}

static void test_copy_from_and_to_buffer(void **state)
{
	struct scatterlist sg[3];
	u8 in[60], out[60] = { 0 };
	u8 *bufs[3];

	for (unsigned int i = 0; i < sizeof(in); i++)
		in[i] = (u8)(i + 1);
	three_pieces(sg, bufs);
	assert_int_equal(sg_copy_from_buffer(sg, 3, in, sizeof(in)), 60);
	assert_int_equal(bufs[1][0], 11);
	assert_int_equal(bufs[2][29], 60);
	assert_int_equal(sg_copy_to_buffer(sg, 3, out, sizeof(out)), 60);
	assert_memory_equal(in, out, sizeof(in));
	for (unsigned int i = 0; i < 3; i++)
		kfree(bufs[i]);
}

static void test_copy_stops_at_buflen_and_nents(void **state)
{
	struct scatterlist sg[3];
	u8 out[60];
	u8 *bufs[3];

	three_pieces(sg, bufs);
	memset(bufs[0], 0xaa, 10);
	memset(bufs[1], 0xbb, 20);
	memset(out, 0, sizeof(out));
	assert_int_equal(sg_copy_to_buffer(sg, 3, out, 15), 15);
	assert_int_equal(out[9], 0xaa);
	assert_int_equal(out[14], 0xbb);
	assert_int_equal(out[15], 0);
	assert_int_equal(sg_copy_to_buffer(sg, 2, out, sizeof(out)), 30);
	for (unsigned int i = 0; i < 3; i++)
		kfree(bufs[i]);
}

static void test_alloc_table_uses_kernel_memory(void **state)
{
	struct sg_table t;

	assert_int_equal(sg_alloc_table(&t, 5, GFP_KERNEL), 0);
	assert_true(virt_addr_valid(t.sgl));
	assert_int_equal(t.orig_nents, 5);
	assert_int_equal(t.nents, 5);
	assert_int_equal(sg_nents(t.sgl), 5);
	assert_true(t.sgl[4].end);
	assert_int_equal(kmem_stats().objects, 1);
	sg_free_table(&t);
	assert_null(t.sgl);
	assert_int_equal(kmem_stats().objects, 0);
}

static void test_alloc_table_refuses_bad_sizes(void **state)
{
	struct sg_table t;

	assert_int_equal(sg_alloc_table(&t, 0, GFP_KERNEL), -EINVAL);
	assert_null(t.sgl);
	assert_int_equal(sg_alloc_table(&t, SG_MAX_ENTRIES + 1, GFP_KERNEL), -EINVAL);
	assert_int_equal(sg_alloc_table(&t, SG_MAX_ENTRIES, GFP_KERNEL), 0);
	sg_free_table(&t);
	assert_int_equal(kmem_stats().objects, 0);
}

/* ---- streaming mappings ---- */

static void test_map_single_gives_the_physical_address(void **state)
{
	u8 *buf = kmalloc(512, GFP_KERNEL);
	dma_addr_t addr = dma_map_single(&test_dev, buf, 512, DMA_TO_DEVICE);
	struct dma_mapping_stats st = dma_mapping_stats();

	assert_int_equal(dma_mapping_error(&test_dev, addr), 0);
	assert_int_equal(addr, virt_to_phys(buf));
	assert_int_equal(st.live, 1);
	assert_int_equal(st.maps, 1);
	dma_unmap_single(&test_dev, addr, 512, DMA_TO_DEVICE);
	st = dma_mapping_stats();
	assert_int_equal(st.live, 0);
	assert_int_equal(st.unmaps, 1);
	assert_int_equal(kmem_fx_violations(), 0);
	kfree(buf);
}

static void test_map_single_refusals(void **state)
{
	u8 *buf = kmalloc(64, GFP_KERNEL);
	u8 local[64] = { 0 };
	phys_addr_t base;
	u64 size;

	kmem_range(&base, &size);
	assert_int_equal(dma_map_single(&test_dev, buf, 0, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	assert_int_equal(dma_map_single(&test_dev, buf, 64, DMA_NONE), DMA_MAPPING_ERROR);
	assert_int_equal(dma_map_single(&test_dev, local, 64, DMA_TO_DEVICE), DMA_MAPPING_ERROR);
	assert_int_equal(dma_map_single(&test_dev, phys_to_virt(base + size - 32), 64,
					DMA_FROM_DEVICE), DMA_MAPPING_ERROR);
	assert_int_equal(dma_mapping_error(&test_dev, DMA_MAPPING_ERROR), -ENOMEM);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_mapping_stats().maps, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	kfree(buf);
}

static void test_mismatched_unmap_is_caught(void **state)
{
	u8 *buf = kmalloc(256, GFP_KERNEL);
	dma_addr_t addr = dma_map_single(&test_dev, buf, 256, DMA_TO_DEVICE);
	char where[32];

	dma_unmap_single(&test_dev, addr, 128, DMA_TO_DEVICE);
	dma_unmap_single(&test_dev, addr, 256, DMA_FROM_DEVICE);
	dma_unmap_single(&test_dev, addr + 1, 256, DMA_TO_DEVICE);
	assert_int_equal(kmem_fx_violations(), 3);
	snprintf(where, sizeof(where), "%#llx", (unsigned long long)addr);
	assert_true(kmem_fx_violation_has(0, "dma_unmap_single(/soc@0/test-dev)"));
	assert_true(kmem_fx_violation_has(0, where));
	assert_true(kmem_fx_violation_has(1, "it was mapped DMA_TO_DEVICE"));
	assert_int_equal(dma_mapping_stats().live, 1);
	dma_unmap_single(&test_dev, addr, 256, DMA_TO_DEVICE);
	dma_unmap_single(&test_dev, addr, 256, DMA_TO_DEVICE);	/* twice */
	assert_int_equal(kmem_fx_violations(), 4);
	assert_int_equal(dma_mapping_stats().live, 0);
	kfree(buf);
}

static void test_same_buffer_mapped_twice(void **state)
{
	u8 *buf = kmalloc(64, GFP_KERNEL);
	dma_addr_t a = dma_map_single(&test_dev, buf, 64, DMA_TO_DEVICE);
	dma_addr_t b = dma_map_single(&test_dev, buf, 64, DMA_TO_DEVICE);

	assert_int_equal(a, b);
	assert_int_equal(dma_mapping_stats().live, 2);
	dma_unmap_single(&test_dev, a, 64, DMA_TO_DEVICE);
	dma_unmap_single(&test_dev, b, 64, DMA_TO_DEVICE);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	kfree(buf);
}

/*
 * Thousands of live mappings with colliding probe chains, unmapped in a
 * scattered order: every unmap still finds its map.
 */
static void test_many_mappings_unmap_in_any_order(void **state)
{
	enum { N = 5000, STRIDE = 2039 };	/* STRIDE is prime to N */
	u8 *buf = alloc_pages_exact(N, GFP_KERNEL);
	dma_addr_t base = virt_to_phys(buf);

	for (unsigned int i = 0; i < N; i++)
		assert_int_equal(dma_map_single(&test_dev, buf + i, N - i, DMA_BIDIRECTIONAL),
				 base + i);
	assert_int_equal(dma_mapping_stats().live, N);
	for (unsigned int k = 0; k < N; k++) {
		unsigned int i = (unsigned int)((u64)k * STRIDE % N);

		dma_unmap_single(&test_dev, base + i, N - i, DMA_BIDIRECTIONAL);
	}
	assert_int_equal(kmem_fx_violations(), 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	free_pages_exact(buf, N);
}

static void test_map_sg_sets_dma_addresses(void **state)
{
	struct scatterlist sg[3];
	u8 *bufs[3];

	three_pieces(sg, bufs);
	assert_int_equal(dma_map_sg(&test_dev, sg, 3, DMA_FROM_DEVICE), 3);
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(sg_dma_address(&sg[i]), virt_to_phys(bufs[i]));
		assert_int_equal(sg_dma_len(&sg[i]), 10 * (i + 1));
	}
	assert_int_equal(dma_mapping_stats().live, 3);
	dma_unmap_sg(&test_dev, sg, 3, DMA_FROM_DEVICE);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_mapping_stats().unmaps, 3);
	assert_int_equal(kmem_fx_violations(), 0);
	for (unsigned int i = 0; i < 3; i++)
		kfree(bufs[i]);
}

static void test_map_sg_refusals_map_nothing(void **state)
{
	struct scatterlist sg[3];
	u8 *bufs[3];

	three_pieces(sg, bufs);
	assert_int_equal(dma_map_sg(&test_dev, sg, 3, DMA_NONE), 0);
	assert_int_equal(dma_map_sg(&test_dev, sg, 0, DMA_TO_DEVICE), 0);
	sg[2].phys = 0x9c000000;	/* the protected carve-out: not kernel memory */
	assert_int_equal(dma_map_sg(&test_dev, sg, 3, DMA_TO_DEVICE), 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_mapping_stats().maps, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	for (unsigned int i = 0; i < 3; i++)
		kfree(bufs[i]);
}

static void test_unmap_sg_with_wrong_direction_is_caught(void **state)
{
	struct scatterlist sg[3];
	u8 *bufs[3];

	three_pieces(sg, bufs);
	assert_int_equal(dma_map_sg(&test_dev, sg, 3, DMA_TO_DEVICE), 3);
	dma_unmap_sg(&test_dev, sg, 3, DMA_FROM_DEVICE);
	assert_int_equal(kmem_fx_violations(), 3);
	assert_true(kmem_fx_violation_has(0, "dma_unmap_sg(/soc@0/test-dev)"));
	dma_unmap_sg(&test_dev, sg, 3, DMA_TO_DEVICE);
	assert_int_equal(dma_mapping_stats().live, 0);
	for (unsigned int i = 0; i < 3; i++)
		kfree(bufs[i]);
}

static void test_map_sgtable_sets_nents(void **state)
{
	struct sg_table t;
	u8 *buf = kmalloc(4 * 64, GFP_KERNEL);

	assert_int_equal(sg_alloc_table(&t, 4, GFP_KERNEL), 0);
	for (unsigned int i = 0; i < 4; i++)
		sg_set_buf(&t.sgl[i], buf + 64 * i, 64);
	t.nents = 0;
	assert_int_equal(dma_map_sgtable(&test_dev, &t, DMA_NONE), -EINVAL);
	assert_int_equal(dma_map_sgtable(&test_dev, &t, DMA_TO_DEVICE), 0);
	assert_int_equal(t.nents, 4);
	assert_int_equal(dma_mapping_stats().live, 4);
	dma_unmap_sgtable(&test_dev, &t, DMA_TO_DEVICE);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(kmem_fx_violations(), 0);
	sg_free_table(&t);
	kfree(buf);
}

static void test_kmem_init_forgets_mappings(void **state)
{
	struct secsoc_error err = { 0 };
	u8 *buf = kmalloc(64, GFP_KERNEL);

	dma_map_single(&test_dev, buf, 64, DMA_TO_DEVICE);
	assert_int_equal(kmem_init(fx.soc->bus, fx.dt, &err), 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_mapping_stats().maps, 0);
	buf = kmalloc(64, GFP_KERNEL);
	dma_unmap_single(&test_dev, virt_to_phys(buf), 64, DMA_TO_DEVICE);
	assert_int_equal(kmem_fx_violations(), 1);
}

/* ---- coherent memory ---- */

static void test_coherent_is_zeroed_aligned_and_counted(void **state)
{
	dma_addr_t handle;
	u8 *p = dma_alloc_coherent(&test_dev, 3 * PAGE_SIZE, &handle, GFP_KERNEL);
	u8 *q;

	assert_int_equal((uintptr_t)p % PAGE_SIZE, 0);
	assert_int_equal(handle, virt_to_phys(p));
	assert_int_equal(dma_mapping_stats().coherent, 1);
	assert_int_equal(kmem_stats().pages, 3);
	memset(p, 0x77, 3 * PAGE_SIZE);
	dma_free_coherent(&test_dev, 3 * PAGE_SIZE, p, handle);
	assert_int_equal(dma_mapping_stats().coherent, 0);
	q = dma_alloc_wc(&test_dev, 3 * PAGE_SIZE, &handle, GFP_KERNEL);
	assert_ptr_equal(q, p);
	for (unsigned int i = 0; i < 3 * PAGE_SIZE; i++)
		assert_int_equal(q[i], 0);
	dma_free_wc(&test_dev, 3 * PAGE_SIZE, q, handle);
	assert_int_equal(kmem_stats().pages, 0);
	assert_int_equal(kmem_fx_violations(), 0);
}

static void test_coherent_free_with_wrong_handle_is_caught(void **state)
{
	dma_addr_t handle;
	void *p = dma_alloc_coherent(&test_dev, PAGE_SIZE, &handle, GFP_KERNEL);

	dma_free_coherent(&test_dev, PAGE_SIZE, p, handle + PAGE_SIZE);
	dma_free_coherent(&test_dev, 2 * PAGE_SIZE, p, handle);
	assert_int_equal(kmem_fx_violations(), 2);
	assert_true(kmem_fx_violation_has(0, "dma_free_coherent(/soc@0/test-dev)"));
	assert_true(kmem_fx_violation_has(1, "freed with size 8192"));
	assert_int_equal(dma_mapping_stats().coherent, 1);
	dma_free_coherent(&test_dev, PAGE_SIZE, p, handle);
	assert_int_equal(dma_mapping_stats().coherent, 0);
}

static void test_coherent_failure_gives_null(void **state)
{
	dma_addr_t handle = 0;

	assert_null(dma_alloc_coherent(&test_dev, 0, &handle, GFP_KERNEL));
	assert_int_equal(handle, DMA_MAPPING_ERROR);
	assert_null(dma_alloc_coherent(&test_dev, (size_t)4 << 30, &handle, GFP_KERNEL));
	assert_int_equal(dma_mapping_stats().coherent, 0);
	assert_int_equal(kmem_stats().failures, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		KMEM_TEST(test_init_table_marks_the_last_entry),
		KMEM_TEST(test_mark_end_shortens_the_list),
		KMEM_TEST(test_set_buf_records_the_physical_address),
		KMEM_TEST(test_set_buf_refuses_other_memory),
		KMEM_TEST(test_copy_from_and_to_buffer),
		KMEM_TEST(test_copy_stops_at_buflen_and_nents),
		KMEM_TEST(test_alloc_table_uses_kernel_memory),
		KMEM_TEST(test_alloc_table_refuses_bad_sizes),
		KMEM_TEST(test_map_single_gives_the_physical_address),
		KMEM_TEST(test_map_single_refusals),
		KMEM_TEST(test_mismatched_unmap_is_caught),
		KMEM_TEST(test_same_buffer_mapped_twice),
		KMEM_TEST(test_many_mappings_unmap_in_any_order),
		KMEM_TEST(test_map_sg_sets_dma_addresses),
		KMEM_TEST(test_map_sg_refusals_map_nothing),
		KMEM_TEST(test_unmap_sg_with_wrong_direction_is_caught),
		KMEM_TEST(test_map_sgtable_sets_nents),
		KMEM_TEST(test_kmem_init_forgets_mappings),
		KMEM_TEST(test_coherent_is_zeroed_aligned_and_counted),
		KMEM_TEST(test_coherent_free_with_wrong_handle_is_caught),
		KMEM_TEST(test_coherent_failure_gives_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
