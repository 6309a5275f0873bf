/*
 * kmem_fixture.h - the default board booted with only the GIC driver, for
 * the tests of the normal world's memory and I/O layer (test_slab.c,
 * test_dma_mapping.c, test_io.c): kernel_boot() sets the memory up, and a
 * programming error is an always() violation recorded in the simulation.
 */
#ifndef SECSOC_TEST_KMEM_FIXTURE_H
#define SECSOC_TEST_KMEM_FIXTURE_H

#include <string.h>

#include <secsoc/kernel.h>
#include <secsoc/slab.h>

#include "helpers.h"

struct kmem_fixture {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct kernel k;
};

static struct kmem_fixture fx;

extern const struct platform_driver gic_driver;

static const struct platform_driver *const kmem_fx_drivers[] = { &gic_driver };

/* cmocka setup: boot the default board. */
static inline int kmem_fx_boot(void **state)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	assert_int_equal(soc_load_dt(NULL, NULL, &fx.dt, &err), 0);
	fx.sim = sim_create(&cfg);
	assert_int_equal(soc_create(fx.sim, fx.dt, &fx.soc, &err), 0);
	assert_int_equal(kernel_boot(&fx.k, fx.soc, NULL, kmem_fx_drivers,
				     ARRAY_SIZE(kmem_fx_drivers), &err), 0);
	return 0;
}

/* cmocka teardown. */
static inline int kmem_fx_shutdown(void **state)
{
	kernel_shutdown(&fx.k);
	soc_destroy(fx.soc);
	sim_destroy(fx.sim);
	dt_free(fx.dt);
	return 0;
}

#define KMEM_TEST(fn) cmocka_unit_test_setup_teardown(fn, kmem_fx_boot, kmem_fx_shutdown)

/** kmem_fx_violations - always() violations recorded so far */
static inline unsigned int kmem_fx_violations(void)
{
	return sim_violation_count(fx.sim);
}

/** kmem_fx_violation_has - does violation @i's message contain @text? */
static inline bool kmem_fx_violation_has(unsigned int i, const char *text)
{
	const struct sim_violation *v = sim_violation(fx.sim, i);

	if (v && !strstr(v->msg, text))
		fprintf(stderr, "violation %u: '%s' lacks '%s'\n", i, v->msg, text);
	return v && strstr(v->msg, text);
}

#endif /* SECSOC_TEST_KMEM_FIXTURE_H */
