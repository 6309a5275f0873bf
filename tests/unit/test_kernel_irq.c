/*
 * test_kernel_irq.c - the normal-world interrupt core on the default board:
 * translation defers until the irqchip driver has probed, request_irq()
 * handlers run on CPU0 in hard-irq context, and interrupts nobody handles
 * are counted.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/kernel.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define DISPLAY_PATH "/soc@0/display@ae00000"

struct irq_fixture {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct kernel k;
};

static unsigned int display_probes;
static int display_irq;

static int display_probe(struct platform_device *pdev)
{
	display_probes++;
	display_irq = platform_get_irq(pdev, 0);
	return display_irq < 0 ? display_irq : 0;
}

static const struct of_device_id display_match[] = {
	{ .compatible = "secsoc,display" },
	{ 0 },
};

static const struct platform_driver display_driver = {
	.name = "test-display",
	.of_match_table = display_match,
	.probe = display_probe,
};

extern const struct platform_driver gic_driver;

static const struct platform_driver *const drivers[] = { &display_driver, &gic_driver };

static void boot(struct irq_fixture *f)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	display_probes = 0;
	display_irq = 0;
	assert_int_equal(soc_load_dt(NULL, NULL, &f->dt, &err), 0);
	f->sim = sim_create(&cfg);
	assert_int_equal(soc_create(f->sim, f->dt, &f->soc, &err), 0);
	assert_int_equal(kernel_boot(&f->k, f->soc, NULL, drivers, ARRAY_SIZE(drivers), &err), 0);
}

static void shutdown(struct irq_fixture *f)
{
	kernel_shutdown(&f->k);
	soc_destroy(f->soc);
	sim_destroy(f->sim);
	dt_free(f->dt);
}

static void test_consumer_defers_until_irqchip_probes(void **state)
{
	struct irq_fixture f;
	struct device *dev;

	boot(&f);
	dev = driver_core_find(&f.k.dc, dt_find_path(f.dt, DISPLAY_PATH));
	assert_non_null(dev);
	/* The display node comes before the GIC in the tree: first try defers. */
	assert_int_equal(display_probes, 2);
	assert_int_equal(dev->deferrals, 1);
	assert_true(device_is_bound(dev));
	assert_int_equal(display_irq, GIC_SPI_BASE + 83);
	assert_string_equal(soc_binding(f.soc, dev->of_node)->driver_state, "bound");
	shutdown(&f);
}

static unsigned int handled;
static bool handled_in_hardirq;
static struct irq_line *test_line;

static irqreturn_t display_handler(int irq, void *dev_id)
{
	handled++;
	handled_in_hardirq = in_hardirq() && !in_task();
	assert_ptr_equal(dev_id, &handled);
	irq_line_set(test_line, false);	/* the device deasserts once serviced */
	return IRQ_HANDLED;
}

static void test_handler_runs_in_hardirq_on_cpu0(void **state)
{
	struct irq_fixture f;
	struct irq_line line;

	boot(&f);
	assert_int_equal(request_irq((unsigned int)display_irq, display_handler, 0, "display",
				     &handled), 0);
	assert_int_equal(request_irq((unsigned int)display_irq, display_handler, 0, "again",
				     &handled), -EBUSY);
	irq_line_init(&line, f.soc->gic, (unsigned int)display_irq, 0);
	test_line = &line;
	handled = 0;
	irq_line_set(&line, true);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(handled, 1);
	assert_true(handled_in_hardirq);
	assert_int_equal(f.soc->cpus[0].irqs_taken, 1);
	assert_int_equal(f.soc->cpus[1].irqs_taken, 0);
	assert_int_equal(f.k.irqs[display_irq].count, 1);
	free_irq((unsigned int)display_irq, &handled);
	shutdown(&f);
}

static void test_unhandled_interrupt_is_counted(void **state)
{
	struct irq_fixture f;
	struct irq_line line;
	unsigned int intid = GIC_SPI_BASE + 300;	/* the GPU's, which nobody requested */

	boot(&f);
	gic_configure(f.soc->gic, intid, IRQ_TYPE_EDGE_RISING, false, GIC_PRIO_DEFAULT, 0, "gpu",
		      NULL);
	gic_enable(f.soc->gic, intid, true);
	irq_line_init(&line, f.soc->gic, intid, 0);
	irq_line_set(&line, true);
	assert_int_equal(sim_run(f.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(f.k.spurious, 1);
	assert_int_equal(sim_guest_error_count(f.sim), 1);
	shutdown(&f);
}

static void test_request_irq_rejects_bad_arguments(void **state)
{
	struct irq_fixture f;

	boot(&f);
	assert_int_equal(request_irq(5, display_handler, 0, "sgi", NULL), -EINVAL);
	assert_int_equal(request_irq(GIC_SPI_BASE + 480, display_handler, 0, "big", NULL),
			 -EINVAL);
	assert_int_equal(request_irq((unsigned int)display_irq, NULL, 0, "null", NULL), -EINVAL);
	assert_int_equal(request_irq((unsigned int)display_irq, display_handler, 1, "flags",
				     NULL), -EINVAL);
	shutdown(&f);
}

static void test_secure_interrupt_not_handed_to_linux(void **state)
{
	struct secsoc_error err = { 0 };
	struct platform_device pdev = { 0 };
	struct irq_fixture f;
	struct tee tee;

	boot(&f);
	assert_int_equal(tee_boot(&tee, f.soc, &err), 0);
	pdev.dev.of_node = f.soc->tzc_node;
	assert_int_equal(platform_get_irq(&pdev, 0), -EINVAL);
	assert_non_null(strstr(pdev.dev.err, "is the secure world's (group 0)"));
	assert_true(gic_is_secure(f.soc->gic, tee.tzc_intid));
	shutdown(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_consumer_defers_until_irqchip_probes),
		cmocka_unit_test(test_handler_runs_in_hardirq_on_cpu0),
		cmocka_unit_test(test_unhandled_interrupt_is_counted),
		cmocka_unit_test(test_request_irq_rejects_bad_arguments),
		cmocka_unit_test(test_secure_interrupt_not_handed_to_linux),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
