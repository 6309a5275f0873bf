/*
 * test_bus_recycle.c - RAM banks recycled between buses (hw/bus.c): a bank
 * comes back all zeros whichever way it was written (bus write, write span,
 * backdoor, linear map with bus_ram_touch()), a bank of another size is a
 * fresh one, and the detector of unreported writes finds one. Then every
 * scenario, run whole on the default board (and contention with every
 * fault site enabled), leaves no page written behind the bitmap's back: a
 * page it missed would carry one run's data into the next machine.
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/bus.h>

#include "scenarios/scenario.h"

#include "helpers.h"

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (4ULL << 20)
#define PAGE 4096ULL

static const struct bus_master cpu = { .name = "cpu", .nsaid = 0 };

static struct bus *bus_with_ram(u64 size)
{
	struct secsoc_error err = { 0 };
	struct bus *b = bus_create();

	assert_non_null(b);
	if (bus_add_ram(b, "ram", RAM_BASE, size, &err))
		fail_msg("bus_add_ram: %s", err.msg);
	return b;
}

/* The bank of a new bus of @size holds only zeros at every offset in @offs. */
static void assert_zero_after_recycle(u64 size, const u64 *offs, unsigned int n)
{
	struct bus *b = bus_with_ram(size);
	const u8 *ram = bus_ram_backdoor(b, RAM_BASE, size);

	for (unsigned int i = 0; i < n; i++) {
		u8 page[PAGE] = { 0 };

		if (memcmp(ram + offs[i], page, PAGE))
			fail_msg("offset %#llx: the recycled page is not zero",
				 (unsigned long long)offs[i]);
	}
	bus_destroy(b);
}

static void test_bus_write_zeroed(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);
	u8 data[64];
	const u64 off = 3 * PAGE + 100;

	(void)state;
	memset(data, 0xa5, sizeof(data));
	assert_int_equal(bus_write(b, &cpu, RAM_BASE + off, data, sizeof(data)), BUS_OKAY);
	assert_int_equal(bus_ram_untracked_pages(b), 0);
	bus_destroy(b);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 3 * PAGE }, 1);
}

static void test_write_span_zeroed(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);
	enum bus_resp resp;
	u8 *p = bus_dma_span(b, &cpu, RAM_BASE + 5 * PAGE - 8, 16, true, &resp);

	(void)state;
	assert_non_null(p);
	memset(p, 0x5a, 16);	/* straddles two pages */
	assert_int_equal(bus_ram_untracked_pages(b), 0);
	bus_destroy(b);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 4 * PAGE, 5 * PAGE }, 2);
}

static void test_backdoor_zeroed(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);

	(void)state;
	memset(bus_ram_backdoor(b, RAM_BASE + 7 * PAGE, 2 * PAGE), 0x11, 2 * PAGE);
	assert_int_equal(bus_ram_untracked_pages(b), 0);
	bus_destroy(b);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 7 * PAGE, 8 * PAGE }, 2);
}

static void test_linear_map_touched_zeroed(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);
	u8 *map = bus_ram_linear_map(b, RAM_BASE, RAM_SIZE);

	(void)state;
	assert_non_null(map);
	bus_ram_touch(b, RAM_BASE + 9 * PAGE, PAGE);
	memset(map + 9 * PAGE, 0x22, PAGE);
	assert_int_equal(bus_ram_untracked_pages(b), 0);
	bus_destroy(b);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 9 * PAGE }, 1);
}

static void test_unreported_write_detected(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);
	u8 *map = bus_ram_linear_map(b, RAM_BASE, RAM_SIZE);

	(void)state;
	map[11 * PAGE + 1] = 1;
	map[12 * PAGE] = 1;
	assert_int_equal(bus_ram_untracked_pages(b), 2);
	/* Reported after the fact, the pages are zeroed for the next bus. */
	bus_ram_touch(b, RAM_BASE + 11 * PAGE, 2 * PAGE);
	assert_int_equal(bus_ram_untracked_pages(b), 0);
	bus_destroy(b);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 11 * PAGE, 12 * PAGE }, 2);
}

static void test_other_size_fresh(void **state)
{
	struct bus *b = bus_with_ram(RAM_SIZE);

	(void)state;
	memset(bus_ram_backdoor(b, RAM_BASE, PAGE), 0x33, PAGE);
	bus_destroy(b);
	assert_zero_after_recycle(2 * RAM_SIZE, (const u64[]){ 0 }, 1);
	assert_zero_after_recycle(RAM_SIZE, (const u64[]){ 0 }, 1);
}

/* ---- whole scenarios ---- */

/* Run scenario @name whole; before the machine goes, no unreported page. */
static void assert_scenario_tracked(const char *name, const char *faults)
{
	struct secsoc_error err = { 0 };
	const struct scenario *scn = scenario_find(name, &err);
	struct sim_config cfg = { .seed = 3, .scenario = name,
				  .jitter_pct = SIM_DEFAULT_JITTER_PCT };
	struct machine m;
	void *st;
	u64 untracked;

	assert_non_null(scn);
	if (faults && fault_spec_parse(faults, &cfg.faults, &err))
		fail_msg("%s: %s", faults, err.msg);
	st = calloc(1, scn->state_size);
	assert_non_null(st);
	if (machine_open(&m, NULL, NULL, &cfg, scn->needs, &err) || scn->setup(&m, st, &err))
		fail_msg("%s: set-up: %s", name, err.msg);
	if (sim_run(m.sim) != SIM_STOP_VIOLATION)
		scn->check(&m, st);
	if (scn->teardown)
		scn->teardown(&m, st);
	untracked = bus_ram_untracked_pages(m.soc->bus);
	machine_close(&m);
	free(st);
	if (untracked)
		fail_msg("%s: %llu page(s) written behind the dirty bitmap's back", name,
			 (unsigned long long)untracked);
}

static void test_scenario_tracked(void **state)
{
	assert_scenario_tracked(*state, NULL);
}

static void test_contention_faults_tracked(void **state)
{
	(void)state;
	assert_scenario_tracked("contention", "irq-delay:0.05,bam-lock-alloc:0.05,"
				"bam-desc-error:0.02,bam-irq-drop:0.02,ta-crash:0.01");
}

/* One test per scenario, named after it. */
#define SCENARIO_TEST(name) \
	{ "scenario " name, test_scenario_tracked, NULL, NULL, (void *)(name) }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bus_write_zeroed),
		cmocka_unit_test(test_write_span_zeroed),
		cmocka_unit_test(test_backdoor_zeroed),
		cmocka_unit_test(test_linear_map_touched_zeroed),
		cmocka_unit_test(test_unreported_write_detected),
		cmocka_unit_test(test_other_size_fresh),
		SCENARIO_TEST("secure-playback"),
		SCENARIO_TEST("tzc-smoke"),
		SCENARIO_TEST("disk-crypt"),
		SCENARIO_TEST("drm-decrypt"),
		SCENARIO_TEST("contention"),
		SCENARIO_TEST("lock-race"),
		SCENARIO_TEST("sdp"),
		SCENARIO_TEST("heap-security"),
		cmocka_unit_test(test_contention_faults_tracked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
