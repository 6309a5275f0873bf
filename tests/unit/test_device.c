/*
 * test_device.c - the driver core: matching, probe order with deferral,
 * failures, disabled nodes, match data and remove order (kernel/device.c).
 * Input: tests/unit/dt/devices.dts; each test registers the drivers it needs.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

#include <secsoc/device.h>

#define EVENTS_MAX 32

/* What the test drivers did, in order: "c", "b", ... */
static const char *probed[EVENTS_MAX], *removed[EVENTS_MAX];
static unsigned int nr_probed, nr_removed;

static void record(const char **log, unsigned int *n, const struct device *dev)
{
	assert_true(*n < EVENTS_MAX);
	log[(*n)++] = dev->of_node->name;
}

/* Binds once the node named by "supplier" (if any) is bound; else defers. */
static int consumer_probe(struct platform_device *pdev)
{
	struct device *dev = &pdev->dev;
	struct dt_node *supplier = dt_parse_phandle(dev->of_node, "supplier", 0);

	if (supplier && !driver_core_bound_device(dev->core, supplier))
		return -EPROBE_DEFER;
	record(probed, &nr_probed, dev);
	platform_set_drvdata(pdev, (void *)of_device_get_match_data(dev));
	return 0;
}

static void consumer_remove(struct platform_device *pdev)
{
	record(removed, &nr_removed, &pdev->dev);
}

static int never_probe(struct platform_device *pdev)
{
	return -EPROBE_DEFER;
}

static int bad_probe(struct platform_device *pdev)
{
	dev_err(&pdev->dev, "missing property '%s'", "foo");
	return -EINVAL;
}

static int nodev_probe(struct platform_device *pdev)
{
	return -ENODEV;
}

static const char data_a[] = "a", data_a2[] = "a2", data_b[] = "b", data_b2[] = "b2";
static const char data_c[] = "c";

static const struct of_device_id a_ids[] = {
	{ .compatible = "test,a", .data = data_a },
	{ .compatible = "test,a2", .data = data_a2 },
	{ 0 }
};
static const struct of_device_id b_ids[] = {
	{ .compatible = "test,b", .data = data_b },
	{ .compatible = "test,b2", .data = data_b2 },
	{ 0 }
};
static const struct of_device_id c_ids[] = { { .compatible = "test,c", .data = data_c }, { 0 } };
static const struct of_device_id never_ids[] = { { .compatible = "test,never" }, { 0 } };
static const struct of_device_id bad_ids[] = { { .compatible = "test,bad" }, { 0 } };
static const struct of_device_id nodev_ids[] = { { .compatible = "test,nodev" }, { 0 } };

static const struct platform_driver drv_a = {
	.name = "a", .of_match_table = a_ids, .probe = consumer_probe, .remove = consumer_remove,
};
static const struct platform_driver drv_b = {
	.name = "b", .of_match_table = b_ids, .probe = consumer_probe, .remove = consumer_remove,
};
static const struct platform_driver drv_c = {
	.name = "c", .of_match_table = c_ids, .probe = consumer_probe, .remove = consumer_remove,
};
static const struct platform_driver drv_never = {
	.name = "never", .of_match_table = never_ids, .probe = never_probe,
};
static const struct platform_driver drv_bad = {
	.name = "bad", .of_match_table = bad_ids, .probe = bad_probe,
};
static const struct platform_driver drv_nodev = {
	.name = "nodev", .of_match_table = nodev_ids, .probe = nodev_probe,
};

struct fixture {
	struct dt *dt;
	struct driver_core dc;
	struct secsoc_error err;
};

static void setup(struct fixture *f, const struct platform_driver *const *drivers,
		  unsigned int nr)
{
	char rel[] = "tests/unit/dt/devices.dts";

	memset(f, 0, sizeof(*f));
	nr_probed = nr_removed = 0;
	if (dt_load_dts_file(test_src_path(rel), &f->dt, &f->err))
		fail_msg("%s", f->err.msg);
	assert_int_equal(driver_core_init(&f->dc, f->dt, drivers, nr, &f->err), 0);
}

static void teardown(struct fixture *f)
{
	driver_core_free(&f->dc);
	dt_free(f->dt);
}

static struct device *dev_at(struct fixture *f, const char *path)
{
	struct dt_node *np = dt_find_path(f->dt, path);

	assert_non_null(np);
	return driver_core_find(&f->dc, np);
}

static void test_deferral_order(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_a, &drv_b, &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	assert_int_equal(nr_probed, 4);
	assert_string_equal(probed[0], "c@1000");
	assert_string_equal(probed[1], "b");
	assert_string_equal(probed[2], "a");
	assert_string_equal(probed[3], "multi");
	assert_int_equal(dev_at(&f, "/a")->deferrals, 2);
	assert_int_equal(dev_at(&f, "/b")->deferrals, 1);
	assert_int_equal(dev_at(&f, "/c@1000")->deferrals, 0);
	/* a: 3 calls, b: 2, c: 1, multi: 1 */
	assert_int_equal(f.dc.probe_calls, 7);
	assert_true(list_empty(&f.dc.deferred));
	assert_int_equal(f.err.kind, SECSOC_ERR_NONE);
	teardown(&f);
}

static void test_always_deferring_stays_unbound(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_never, &drv_a, &drv_b, &drv_c };
	struct fixture f;
	struct device *never;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	never = dev_at(&f, "/never");
	assert_non_null(never);
	assert_false(device_is_bound(never));
	assert_int_equal(never->probe_ret, -EPROBE_DEFER);
	/* Deferred at its turn, retried once more after /multi bound. */
	assert_int_equal(never->deferrals, 2);
	assert_false(list_empty(&f.dc.deferred));
	assert_true(device_is_bound(dev_at(&f, "/a")));
	assert_true(device_is_bound(dev_at(&f, "/multi")));
	assert_int_equal(f.err.kind, SECSOC_ERR_NONE);
	teardown(&f);
}

static void test_probe_einval_reported(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_bad, &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), -EINVAL);
	assert_int_equal(f.err.kind, SECSOC_ERR_INPUT);
	assert_string_equal(f.err.msg, "node /bad: driver bad probe failed: missing property 'foo'");
	assert_false(device_is_bound(dev_at(&f, "/bad")));
	assert_int_equal(dev_at(&f, "/bad")->probe_ret, -EINVAL);
	/* The pass went on after the failure. */
	assert_true(device_is_bound(dev_at(&f, "/c@1000")));
	teardown(&f);
}

static void test_other_probe_errors_not_fatal(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_nodev, &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	assert_int_equal(dev_at(&f, "/nodev")->probe_ret, -ENODEV);
	assert_false(device_is_bound(dev_at(&f, "/nodev")));
	assert_int_equal(f.err.kind, SECSOC_ERR_NONE);
	teardown(&f);
}

static void test_disabled_nodes_never_probed(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	/* Only /c@1000: /off is disabled, /bus/child has a disabled parent. */
	assert_int_equal(f.dc.nr_devs, 1);
	assert_null(dev_at(&f, "/off"));
	assert_null(dev_at(&f, "/bus/child"));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	assert_int_equal(f.dc.probe_calls, 1);
	assert_int_equal(nr_probed, 1);
	assert_string_equal(probed[0], "c@1000");
	teardown(&f);
}

static void test_remove_in_reverse_order(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_a, &drv_b, &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	driver_core_remove_all(&f.dc);
	assert_int_equal(nr_removed, 4);
	assert_string_equal(removed[0], "multi");
	assert_string_equal(removed[1], "a");
	assert_string_equal(removed[2], "b");
	assert_string_equal(removed[3], "c@1000");
	assert_false(device_is_bound(dev_at(&f, "/a")));
	assert_null(driver_core_bound_device(&f.dc, dt_find_path(f.dt, "/c@1000")));
	assert_null(dev_get_drvdata(dev_at(&f, "/a")));
	teardown(&f);
	/* Nothing left to remove at free time. */
	assert_int_equal(nr_removed, 4);
}

static void test_free_removes_bound_devices(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_c };
	struct fixture f;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	teardown(&f);
	assert_int_equal(nr_removed, 1);
}

static void test_match_data_reaches_probe(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_a, &drv_b, &drv_c };
	struct fixture f;
	struct device *multi;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), 0);
	assert_ptr_equal(dev_get_drvdata(dev_at(&f, "/a")), data_a);
	assert_ptr_equal(dev_get_drvdata(dev_at(&f, "/c@1000")), data_c);
	/* "test,b2" comes before "test,a2" in the node: driver b wins. */
	multi = dev_at(&f, "/multi");
	assert_ptr_equal(multi->driver, &drv_b);
	assert_ptr_equal(of_device_get_match_data(multi), data_b2);
	assert_ptr_equal(dev_get_drvdata(multi), data_b2);
	teardown(&f);
}

static void test_resource_reg(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_c };
	struct fixture f;
	struct platform_device *pdev;
	struct dt_reg reg;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	pdev = to_platform_device(dev_at(&f, "/c@1000"));
	assert_int_equal(platform_get_resource_reg(pdev, 0, &reg), 0);
	assert_int_equal(reg.addr, 0x1000);
	assert_int_equal(reg.size, 0x100);
	assert_int_equal(platform_get_resource_reg(pdev, 1, &reg), -ENXIO);
	assert_string_equal(dev_name(&pdev->dev), "/c@1000");
	teardown(&f);
}

static void test_dev_err_goes_to_log(void **state)
{
	const struct platform_driver *const drivers[] = { &drv_bad };
	struct fixture f;
	char *buf = NULL;
	size_t len = 0;

	setup(&f, drivers, ARRAY_SIZE(drivers));
	f.dc.log = open_memstream(&buf, &len);
	assert_non_null(f.dc.log);
	assert_int_equal(driver_core_probe_all(&f.dc, &f.err), -EINVAL);
	dev_info(dev_at(&f, "/bad"), "note %d", 42);
	fclose(f.dc.log);
	assert_string_equal(buf, "bad /bad: error: missing property 'foo'\n"
			    "bad /bad: info: note 42\n");
	assert_string_equal(dev_at(&f, "/bad")->err, "missing property 'foo'");
	free(buf);
	teardown(&f);
}

static void test_bad_driver_table(void **state)
{
	static const struct platform_driver no_probe = { .name = "x", .of_match_table = c_ids };
	const struct platform_driver *const drivers[] = { &drv_c, &no_probe };
	struct secsoc_error err = { 0 };
	struct driver_core dc;
	struct dt *dt = NULL;
	char rel[] = "tests/unit/dt/devices.dts";

	assert_int_equal(dt_load_dts_file(test_src_path(rel), &dt, &err), 0);
	assert_int_equal(driver_core_init(&dc, dt, drivers, ARRAY_SIZE(drivers), &err), -EIO);
	assert_int_equal(err.kind, SECSOC_ERR_INTERNAL);
	driver_core_free(&dc);
	dt_free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deferral_order),
		cmocka_unit_test(test_always_deferring_stays_unbound),
		cmocka_unit_test(test_probe_einval_reported),
		cmocka_unit_test(test_other_probe_errors_not_fatal),
		cmocka_unit_test(test_disabled_nodes_never_probed),
		cmocka_unit_test(test_remove_in_reverse_order),
		cmocka_unit_test(test_free_removes_bound_devices),
		cmocka_unit_test(test_match_data_reaches_probe),
		cmocka_unit_test(test_resource_reg),
		cmocka_unit_test(test_dev_err_goes_to_log),
		cmocka_unit_test(test_bad_driver_table),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
