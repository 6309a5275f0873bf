/*
 * test_scenario_checker.c - the invariant checker of the crypto scenarios
 * (scenarios/checker.c) on the built-in board: each invariant it watches
 * is broken on purpose and must be reported as a violation naming it
 * (invariant 7 also for dma-bufs, shms, protected windows, files and
 * removed heaps); announced attacks are excused and nothing else; a clean
 * machine reports nothing.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/crypto.h>
#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/tee_shm.h>
#include <secsoc/timer.h>

#include "scenarios/checker.h"

#include "helpers.h"

struct fx {
	struct machine m;
	struct checker c;
};

static int fx_setup(void **state)
{
	static struct fx fx;
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	memset(&fx, 0, sizeof(fx));
	if (machine_open(&fx.m, NULL, NULL, &cfg, SCENARIO_NEEDS_SECURE_WORLD, &err) ||
	    checker_attach(&fx.c, &fx.m, &err)) {
		fprintf(stderr, "set-up: %s\n", err.msg);
		return -1;
	}
	*state = &fx;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *fx = *state;

	checker_detach(&fx->c);
	machine_close(&fx->m);
	return 0;
}

/* The one violation recorded so far must name @invariant. */
static void assert_violation(struct fx *fx, const char *invariant)
{
	const struct sim_violation *v = sim_violation(fx->m.sim, 0);

	assert_int_equal(sim_violation_count(fx->m.sim), 1);
	assert_non_null(strstr(v->msg, invariant));
}

static void test_clean_machine_passes(void **state)
{
	struct fx *fx = *state;

	checker_judge(&fx->c);
	assert_int_equal(sim_violation_count(fx->m.sim), 0);
	assert_int_equal(fx->c.leaks.kmem_objects, 0);
}

static void test_engine_and_bam_found(void **state)
{
	struct fx *fx = *state;

	assert_ptr_equal(fx->c.qce, fx->m.soc->qce);
	assert_int_equal(fx->c.linux_ee, 0);
	assert_int_equal(fx->c.tee_ee, 1);
	assert_int_equal(fx->c.prot_base, fx->m.tee.prot_base);
}

static void test_wrong_output_is_invariant_1(void **state)
{
	struct fx *fx = *state;
	const u8 want[4] = { 1, 2, 3, 4 }, got[4] = { 1, 2, 9, 4 };

	assert_false(checker_output(&fx->c, "sample 7", got, want, sizeof(want)));
	assert_violation(fx, "invariant 1 (every output equals OpenSSL's): sample 7: byte 2 of 4 "
			 "is 0x09, OpenSSL says 0x03");
	assert_true(checker_output(&fx->c, "same", want, want, sizeof(want)));
	assert_int_equal(fx->c.outputs_checked, 2);
	assert_int_equal(fx->c.outputs_wrong, 1);
}

/* A normal-world CPU reads the carve-out: invariant 6 (and 4 when the TZC aborts it). */
static void test_normal_world_touching_carveout_is_invariant_6(void **state)
{
	struct fx *fx = *state;
	u32 v;

	cpu_read(&fx->m.soc->cpus[0], fx->m.tee.prot_base + 64, &v, sizeof(v));
	assert_true(sim_violation_count(fx->m.sim) >= 1);
	for (unsigned int i = 0; i < sim_violation_count(fx->m.sim); i++) {
		const char *msg = sim_violation(fx->m.sim, i)->msg;

		assert_true(strstr(msg, "invariant 6 (no normal-world master touches protected "
				   "memory): cpu0 read") || strstr(msg, "invariant 4"));
	}
	assert_int_equal(fx->c.protected_touches, 1);
}

static void test_secure_world_in_carveout_is_fine(void **state)
{
	struct fx *fx = *state;
	u32 v = 0x5ec;

	cpu_write(fx->m.tee.cpu, fx->m.tee.prot_base, &v, sizeof(v));
	assert_int_equal(sim_violation_count(fx->m.sim), 0);
}

static void test_plaintext_outside_secure_memory_is_invariant_6(void **state)
{
	struct fx *fx = *state;
	u32 *normal = kmalloc(sizeof(*normal), GFP_KERNEL);	/* not someone else's object */
	u32 v = 0;

	bus_write(fx->m.soc->bus, fx->c.ta_out, virt_to_phys(normal), &v, sizeof(v));
	assert_violation(fx, "invariant 6 (no protected plaintext reaches non-protected memory)");
	assert_int_equal(fx->c.plaintext_leaks, 1);
	kfree(normal);
}

static void test_cpu_abort_is_invariant_4(void **state)
{
	struct fx *fx = *state;
	u32 v;

	/* Nothing decodes address 0: a DECERR, an external abort on the CPU. */
	cpu_read(&fx->m.soc->cpus[1], 0, &v, sizeof(v));
	assert_violation(fx, "invariant 4 (no external abort on any CPU): cpu1 took an external "
			 "abort");
}

static void test_leaked_allocation_is_invariant_7(void **state)
{
	struct fx *fx = *state;
	void *p = kmalloc(64, GFP_KERNEL);

	checker_judge(&fx->c);
	assert_violation(fx, "invariant 7 (everything released): 1 kmalloc objects");
	assert_int_equal(fx->c.leaks.kmem_objects, 1);
	kfree(p);
}

static void test_reference_is_openssl_xts(void **state)
{
	/* IEEE 1619 XTS-AES-256 vector 10, first 16 bytes. */
	static const u8 key[64] = {
		0x27, 0x18, 0x28, 0x18, 0x28, 0x45, 0x90, 0x45, 0x23, 0x53, 0x60, 0x28, 0x74,
		0x71, 0x35, 0x26, 0x62, 0x49, 0x77, 0x57, 0x24, 0x70, 0x93, 0x69, 0x99, 0x59,
		0x57, 0x49, 0x66, 0x96, 0x76, 0x27, 0x31, 0x41, 0x59, 0x26, 0x53, 0x58, 0x97,
		0x93, 0x23, 0x84, 0x62, 0x64, 0x33, 0x83, 0x27, 0x95, 0x02, 0x88, 0x41, 0x97,
		0x16, 0x93, 0x99, 0x37, 0x51, 0x05, 0x82, 0x09, 0x74, 0x94, 0x45, 0x92,
	};
	static const u8 want[16] = { 0x1c, 0x3b, 0x3a, 0x10, 0x2f, 0x77, 0x03, 0x86,
				     0xe4, 0x83, 0x6c, 0x99, 0xe3, 0x70, 0xcf, 0x9b };
	u8 iv[16] = { 0xff }, in[512], out[512];

	(void)state;
	for (unsigned int i = 0; i < sizeof(in); i++)
		in[i] = (u8)i;
	assert_int_equal(checker_ref("aes-256-xts", key, iv, in, out, sizeof(in), true), 0);
	assert_memory_equal(out, want, sizeof(want));
	assert_int_equal(checker_ref("no-such-cipher", key, iv, in, out, 16, true), -EINVAL);
}

/* ---- invariant 7 over the buffer-sharing resources, and announced attacks ---- */

static bool has_violation(const struct fx *fx, const char *text)
{
	for (unsigned int i = 0; i < sim_violation_count(fx->m.sim); i++)
		if (strstr(sim_violation(fx->m.sim, i)->msg, text))
			return true;
	return false;
}

static void test_clean_machine_has_no_leaks(void **state)
{
	struct fx *fx = *state;

	checker_judge(&fx->c);
	assert_int_equal(sim_violation_count(fx->m.sim), 0);
	assert_int_equal(fx->c.leaks.dma_bufs, 0);
	assert_int_equal(fx->c.leaks.protmem_windows, 0);
}

static void test_leaked_dma_buf_is_invariant_7(void **state)
{
	struct fx *fx = *state;
	struct dma_heap *heap = dma_heap_find("system");
	struct dma_buf *buf = dma_heap_buffer_alloc(heap, PAGE_SIZE, O_RDWR, 0);

	assert_false(IS_ERR(buf));
	checker_judge(&fx->c);
	assert_true(has_violation(fx, "invariant 7 (everything released): 1 dma-bufs and 0 "
				  "attachments still live"));
	assert_int_equal(fx->c.leaks.dma_bufs, 1);
	dma_buf_put(buf);
	dma_heap_put(heap);
}

/* A shm keeps its protected buffer, and so its window, alive. */
static void test_leaked_shm_is_invariant_7(void **state)
{
	struct fx *fx = *state;
	struct dma_heap *heap = dma_heap_find("protected,secure-video");
	struct dma_buf *buf = dma_heap_buffer_alloc(heap, PAGE_SIZE, O_RDWR, 0);
	struct tee_context *ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	struct tee_shm *shm;

	assert_false(IS_ERR(buf));
	assert_false(IS_ERR(ctx));
	shm = tee_shm_register_dma_buf(ctx, buf);
	assert_false(IS_ERR(shm));
	dma_buf_put(buf);
	checker_judge(&fx->c);
	assert_true(has_violation(fx, "1 protected buffers and 1 TEE shms still live"));
	assert_true(has_violation(fx, "1 protected-memory windows (65536 bytes) still assigned"));
	assert_int_equal(fx->c.leaks.tee_shms, 1);
	tee_shm_free(shm);
	tee_client_close_context(ctx);
	dma_heap_put(heap);
}

static void test_leaked_window_is_invariant_7(void **state)
{
	struct fx *fx = *state;
	void *pages = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL);
	u64 pa = virt_to_phys(pages);
	struct arm_smccc_res res;

	tee_smc_call(fx->m.soc, &fx->m.soc->cpus[0], TEE_SMC_PROTMEM_ASSIGN, (u32)(pa >> 32),
		     (u32)pa, 2 * PAGE_SIZE, &res);
	assert_int_equal(res.a0, TEE_SUCCESS);
	checker_judge(&fx->c);
	assert_true(has_violation(fx, "invariant 7 (everything released): 1 protected-memory "
				  "windows (8192 bytes) still assigned"));
	tee_smc_call(fx->m.soc, &fx->m.soc->cpus[0], TEE_SMC_PROTMEM_RELEASE, (u32)(pa >> 32),
		     (u32)pa, 2 * PAGE_SIZE, &res);
	assert_int_equal(res.a0, TEE_SUCCESS);
	free_pages_exact(pages, 2 * PAGE_SIZE);
}

static void test_open_file_and_process_are_invariant_7(void **state)
{
	struct fx *fx = *state;
	struct process p;

	assert_int_equal(process_init(&p, "leaker", &fx->m.soc->cpus[0]), 0);
	assert_true(sys_open(&p, "/dev/dma_heap/system", O_RDWR) >= 0);
	checker_judge(&fx->c);
	assert_true(has_violation(fx, "1 files still open and 1 processes not exited"));
	process_exit(&p);
}

static struct dma_buf *never_allocate(struct dma_heap *heap, unsigned long len, u32 fd_flags,
				      u64 heap_flags)
{
	return ERR_PTR(-ENOMEM);
}

static void test_removed_heap_not_freed_is_invariant_7(void **state)
{
	static const struct dma_heap_ops ops = { .allocate = never_allocate };
	struct fx *fx = *state;
	struct dma_heap_export_info info = { .name = "checker-test", .ops = &ops, .priv = fx };
	struct dma_heap *heap = dma_heap_add(&info), *held;

	assert_false(IS_ERR(heap));
	held = dma_heap_find("checker-test");
	dma_heap_remove(heap);
	checker_judge(&fx->c);
	assert_true(has_violation(fx, "1 heaps removed but not freed"));
	dma_heap_put(held);
}

/* An announced attack: its denial and its abort are expected, nothing else is. */
static void test_announced_denial_is_excused(void **state)
{
	struct fx *fx = *state;
	struct cpu *cpu0 = &fx->m.soc->cpus[0];
	u64 carveout = fx->m.tee.prot_base;
	struct checker_expect seen;
	u32 v;

	assert_int_equal(checker_expect_denial(&fx->c, &cpu0->master, carveout, PAGE_SIZE), 0);
	assert_int_equal(checker_expect_denial(&fx->c, &cpu0->master, carveout, PAGE_SIZE),
			 -EBUSY);
	cpu_read(cpu0, carveout, &v, sizeof(v));
	checker_expect_end(&fx->c, &seen);
	assert_int_equal(seen.denied, 1);
	assert_int_equal(seen.allowed, 0);
	assert_int_equal(seen.aborts, 1);
	assert_int_equal(sim_violation_count(fx->m.sim), 0);
	checker_judge(&fx->c);
	assert_int_equal(sim_violation_count(fx->m.sim), 0);
	assert_int_equal(fx->c.expected_aborts[0], 1);
}

/* Outside the announced range, or by another master, or once disarmed: violations. */
static void test_unannounced_access_is_still_a_violation(void **state)
{
	struct fx *fx = *state;
	struct cpu *cpu0 = &fx->m.soc->cpus[0], *cpu1 = &fx->m.soc->cpus[1];
	u64 carveout = fx->m.tee.prot_base;
	u32 v;

	assert_int_equal(checker_expect_denial(&fx->c, &cpu0->master, carveout, PAGE_SIZE), 0);
	cpu_read(cpu1, carveout, &v, sizeof(v));
	cpu_read(cpu0, carveout + PAGE_SIZE, &v, sizeof(v));
	checker_expect_end(&fx->c, NULL);
	cpu_read(cpu0, carveout, &v, sizeof(v));
	assert_int_equal(fx->c.protected_touches, 3);
	assert_int_equal(fx->c.expected_denials, 0);
	assert_true(has_violation(fx, "invariant 6"));
	assert_true(has_violation(fx, "invariant 4"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_clean_machine_passes, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_engine_and_bam_found, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_wrong_output_is_invariant_1, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_normal_world_touching_carveout_is_invariant_6,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_secure_world_in_carveout_is_fine, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_plaintext_outside_secure_memory_is_invariant_6,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_cpu_abort_is_invariant_4, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_leaked_allocation_is_invariant_7, fx_setup,
						fx_teardown),
		cmocka_unit_test(test_reference_is_openssl_xts),
		cmocka_unit_test_setup_teardown(test_clean_machine_has_no_leaks, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_leaked_dma_buf_is_invariant_7, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_leaked_shm_is_invariant_7, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_leaked_window_is_invariant_7, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_open_file_and_process_are_invariant_7,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_removed_heap_not_freed_is_invariant_7,
						fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_announced_denial_is_excused, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_unannounced_access_is_still_a_violation,
						fx_setup, fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
