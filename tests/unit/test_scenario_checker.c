/*
 * test_scenario_checker.c - the invariant checker of the crypto scenarios
 * (scenarios/checker.c) on the built-in board: each invariant it watches
 * is broken on purpose and must be reported as a violation naming it;
 * a clean machine reports nothing.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/crypto.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
