/*
 * test_dt.c - device-tree loading: address translation, interrupts,
 * phandles, accessors, and the error messages for bad input (see soc/dt.c).
 * Inputs are the .dts files in tests/unit/dt/, compiled through dt_load_dts_file().
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "helpers.h"

#include <secsoc/dt.h>

static const char *fixture(const char *name)
{
	static char path[4096];
	char rel[256];

	snprintf(rel, sizeof(rel), "tests/unit/dt/%s", name);
	snprintf(path, sizeof(path), "%s", test_src_path(rel));
	return path;
}

static struct dt *load_good(const char *name)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	int ret = dt_load_dts_file(fixture(name), &dt, &err);

	if (ret)
		fail_msg("%s", err.msg);
	assert_non_null(dt);
	return dt;
}

/* Load @name, expect an input error starting with the file and containing @what. */
static void expect_load_error(const char *name, const char *what)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	const char *path = fixture(name);
	int ret = dt_load_dts_file(path, &dt, &err);

	assert_int_equal(ret, -EINVAL);
	assert_null(dt);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_int_equal(strncmp(err.msg, path, strlen(path)), 0);
	if (!strstr(err.msg, what))
		fail_msg("message \"%s\" lacks \"%s\"", err.msg, what);
}

static struct dt_node *node(const struct dt *dt, const char *path)
{
	struct dt_node *n = dt_find_path(dt, path);

	if (!n)
		fail_msg("no node %s", path);
	return n;
}

static void assert_reg(const struct dt_node *n, unsigned int idx, u64 addr, u64 size)
{
	assert_true(idx < n->nreg);
	assert_int_equal(n->reg[idx].addr, addr);
	assert_int_equal(n->reg[idx].size, size);
}

static void test_two_cell_root_reg(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *mem = node(dt, "/memory@100000000");

	assert_int_equal(mem->nreg, 1);
	assert_reg(mem, 0, 0x100000000ULL, 0x10000000);
	assert_true(mem->mapped);
	assert_int_equal(dt->nodes[0].addr_cells, 2);
	assert_int_equal(dt->nodes[0].size_cells, 2);
	dt_free(dt);
}

static void test_one_cell_offset_ranges(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *uart = node(dt, "/bus@10000000/uart@1000");

	assert_int_equal(uart->nreg, 1);
	assert_reg(uart, 0, 0x10001000, 0x100);
	dt_free(dt);
}

static void test_nested_ranges(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *dev = node(dt, "/bus@10000000/sub@20000/dev@100");

	assert_int_equal(dev->nreg, 2);
	assert_reg(dev, 0, 0x10020100, 0x10);
	assert_reg(dev, 1, 0x10020200, 0x10);
	dt_free(dt);
}

static void test_identity_ranges(void **state)
{
	struct dt *dt = load_good("good.dts");

	assert_reg(node(dt, "/bus@10000000/ident/leaf@40"), 0, 0x10000040, 4);
	dt_free(dt);
}

static void test_unmapped_reg_kept_raw(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *cpu = node(dt, "/cpus/cpu@0");
	struct dt_node *eeprom = node(dt, "/i2c/eeprom@50");

	assert_false(cpu->mapped);
	assert_reg(cpu, 0, 0, 0);
	assert_false(eeprom->mapped);
	assert_reg(eeprom, 0, 0x50, 0);
	dt_free(dt);
}

static void test_disabled_nodes_kept(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *off = node(dt, "/bus@10000000/off@80000");

	assert_false(off->enabled);
	assert_false(dt_node_available(off));
	assert_reg(off, 0, 0x10080000, 0x100);
	assert_true(node(dt, "/bus@10000000/uart@1000")->enabled);
	/* The disabled memory node is skipped by dt_memory_node(). */
	assert_ptr_equal(dt_memory_node(dt, 0), node(dt, "/memory@100000000"));
	assert_ptr_equal(dt_memory_node(dt, 1), node(dt, "/memory@300000000"));
	assert_null(dt_memory_node(dt, 2));
	dt_free(dt);
}

static void test_tree_links_and_paths(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *root = &dt->nodes[0];
	struct dt_node *bus = node(dt, "/bus@10000000");

	assert_string_equal(root->path, "/");
	assert_string_equal(root->name, "");
	assert_ptr_equal(dt_find_path(dt, "/"), root);
	assert_null(root->parent);
	assert_ptr_equal(root->child, node(dt, "/cpus"));
	assert_ptr_equal(node(dt, "/cpus")->sibling, node(dt, "/memory@100000000"));
	assert_ptr_equal(bus->child, node(dt, "/bus@10000000/uart@1000"));
	assert_ptr_equal(bus->child->sibling, node(dt, "/bus@10000000/sub@20000"));
	assert_ptr_equal(bus->child->parent, bus);
	assert_string_equal(bus->child->name, "uart@1000");
	assert_null(dt_find_path(dt, "/bus@10000000/nothing"));
	dt_free(dt);
}

static void test_phandle_lookup(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *gic = node(dt, "/intc@1000");

	assert_int_not_equal(gic->phandle, 0);
	assert_ptr_equal(dt_find_phandle(dt, gic->phandle), gic);
	assert_ptr_equal(dt_find_phandle(dt, node(dt, "/dma@3000")->phandle),
			 node(dt, "/dma@3000"));
	assert_null(dt_find_phandle(dt, 0));
	assert_null(dt_find_phandle(dt, 0x999));
	dt_free(dt);
}

static void test_irq_parent_inherited_three_cells(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *uart = node(dt, "/bus@10000000/uart@1000");

	assert_int_equal(uart->nirq, 1);
	assert_ptr_equal(uart->irq[0].ctrl, node(dt, "/intc@1000"));
	assert_int_equal(uart->irq[0].ncells, 3);
	assert_int_equal(uart->irq[0].cells[0], 0);
	assert_int_equal(uart->irq[0].cells[1], 5);
	assert_int_equal(uart->irq[0].cells[2], 4);
	dt_free(dt);
}

static void test_irq_parent_from_bus(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *dev = node(dt, "/bus@10000000/sub@20000/dev@100");

	assert_int_equal(dev->nirq, 2);
	assert_ptr_equal(dev->irq[0].ctrl, node(dt, "/intc@2000"));
	assert_int_equal(dev->irq[0].ncells, 1);
	assert_int_equal(dev->irq[0].cells[0], 7);
	assert_int_equal(dev->irq[1].cells[0], 8);
	dt_free(dt);
}

static void test_interrupts_extended(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *ext = node(dt, "/bus@10000000/ext");

	assert_int_equal(ext->nirq, 2);
	assert_ptr_equal(ext->irq[0].ctrl, node(dt, "/intc@1000"));
	assert_int_equal(ext->irq[0].ncells, 3);
	assert_int_equal(ext->irq[0].cells[1], 9);
	assert_ptr_equal(ext->irq[1].ctrl, node(dt, "/intc@2000"));
	assert_int_equal(ext->irq[1].ncells, 1);
	assert_int_equal(ext->irq[1].cells[0], 3);
	dt_free(dt);
}

static void test_phandle_args(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *c = node(dt, "/consumer");
	struct dt_phandle_args args;

	assert_int_equal(dt_parse_phandle_with_args(c, "dmas", "#dma-cells", 1, &args, NULL), 0);
	assert_ptr_equal(args.np, node(dt, "/dma@3000"));
	assert_int_equal(args.nargs, 2);
	assert_int_equal(args.args[0], 3);
	assert_int_equal(args.args[1], 4);
	assert_int_equal(dt_parse_phandle_with_args(c, "dmas", "#dma-cells", 2, &args, NULL),
			 -ENOENT);
	assert_int_equal(dt_parse_phandle_with_args(c, "nope", "#dma-cells", 0, &args, NULL),
			 -ENOENT);
	assert_ptr_equal(dt_parse_phandle(c, "memory-region", 0), node(dt, "/intc@1000"));
	assert_null(dt_parse_phandle(c, "memory-region", 1));
	dt_free(dt);
}

static void test_prop_accessors(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *c = node(dt, "/consumer");
	struct secsoc_error err = { 0 };
	const char *s;
	u32 v = 0;

	assert_int_equal(dt_prop_u32(c, "count", &v, &err), 0);
	assert_int_equal(v, 7);
	assert_int_equal(dt_prop_u32(c, "absent", &v, &err), -ENOENT);
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
	assert_int_equal(dt_prop_u32_index(c, "pair", 1, &v, &err), 0);
	assert_int_equal(v, 2);
	assert_int_equal(dt_prop_u32_index(c, "pair", 2, &v, &err), -EOVERFLOW);
	assert_int_equal(dt_prop_string(c, "label", &s, &err), 0);
	assert_string_equal(s, "hello");
	assert_int_equal(dt_prop_string_index(c, "dma-names", 1, &s), 0);
	assert_string_equal(s, "tx");
	assert_int_equal(dt_prop_string_index(c, "dma-names", 2, &s), -ENODATA);
	assert_int_equal(dt_prop_match_string(c, "dma-names", "tx"), 1);
	assert_int_equal(dt_prop_match_string(c, "dma-names", "xx"), -ENODATA);
	assert_int_equal(dt_prop_match_string(c, "absent", "tx"), -ENOENT);
	assert_true(dt_prop_bool(node(dt, "/intc@1000"), "interrupt-controller"));
	assert_false(dt_prop_bool(c, "interrupt-controller"));
	assert_int_equal(err.kind, SECSOC_ERR_NONE);
	dt_free(dt);
}

static void test_prop_u32_malformed_message(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct secsoc_error err = { 0 };
	u32 v;

	assert_int_equal(dt_prop_u32(node(dt, "/consumer"), "pair", &v, &err), -EINVAL);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_string_equal(err.msg, "node /consumer: property 'pair' must be a 32-bit cell");
	dt_free(dt);
}

static void test_find_compatible(void **state)
{
	struct dt *dt = load_good("good.dts");
	struct dt_node *first = dt_find_compatible(dt, NULL, "test,uart");

	assert_ptr_equal(first, node(dt, "/bus@10000000/uart@1000"));
	assert_true(dt_is_compatible(first, "test,generic-uart"));
	assert_int_equal(first->ncompat, 2);
	/* Disabled nodes are found too. */
	assert_ptr_equal(dt_find_compatible(dt, first, "test,uart"),
			 node(dt, "/bus@10000000/off@80000"));
	assert_null(dt_find_compatible(dt, node(dt, "/bus@10000000/off@80000"), "test,uart"));
	dt_free(dt);
}

static void test_reg_outside_ranges(void **state)
{
	expect_load_error("reg_outside.dts",
			  "node /bus@10000000/dev@2000: property 'reg' is outside the address space of /bus@10000000 (no 'ranges' entry covers 0x2000)");
}

static void test_reg_above_pa_limit(void **state)
{
	expect_load_error("reg_above_pa.dts",
			  "node /dev@10000000000: property 'reg' entry 0");
	expect_load_error("reg_above_pa.dts", "outside the 40-bit physical address space");
}

static void test_bus_without_ranges(void **state)
{
	expect_load_error("no_ranges.dts", "node /bus/dev@2000: property 'reg' is outside the address space of /bus (it has no 'ranges')");
}

static void test_dangling_interrupt_parent(void **state)
{
	expect_load_error("irq_parent_dangling.dts",
			  ": node /soc/x: property 'interrupt-parent' refers to phandle 0x17, which no node has");
}

static void test_interrupts_without_controller(void **state)
{
	expect_load_error("irq_no_ctrl.dts", "node /x: property 'interrupts' has no interrupt controller");
}

static void test_interrupts_bad_length(void **state)
{
	expect_load_error("irq_bad_len.dts",
			  "node /x: property 'interrupts' has 8 bytes, not a multiple of (#interrupt-cells 3 of /intc) * 4");
}

static void test_dangling_dmas(void **state)
{
	expect_load_error("dmas_dangling.dts",
			  "node /x: property 'dmas' refers to phandle 0x42, which no node has");
}

static void test_dmas_target_without_cells(void **state)
{
	expect_load_error("dmas_no_cells.dts",
			  "node /x: property 'dmas' refers to /dma (phandle 0x1), which has no valid '#dma-cells'");
}

static void test_bad_address_cells(void **state)
{
	expect_load_error("address_cells_bad.dts",
			  "node /bus: property '#address-cells' is 3; only 1 or 2 are supported");
}

static void test_reg_length_not_multiple(void **state)
{
	expect_load_error("reg_not_multiple.dts",
			  ": node /soc/tzc@a000000: property 'reg' has 12 bytes, not a multiple of (#address-cells 1 + #size-cells 1) * 4");
}

static void test_dts_syntax_error(void **state)
{
	expect_load_error("syntax_error.dts", "dtc failed: ");
	expect_load_error("syntax_error.dts", "syntax error");
}

static void expect_blob_error(const void *blob, size_t len, const char *what)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;

	assert_int_equal(dt_load_blob(blob, len, "board.dtb", &dt, &err), -EINVAL);
	assert_null(dt);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_string_equal(err.msg, what);
}

static void test_truncated_blob(void **state)
{
	struct dt *dt = load_good("good.dts");

	expect_blob_error(dt->blob, dt->size / 2,
			  "board.dtb: not a valid flattened device tree (FDT_ERR_TRUNCATED)");
	dt_free(dt);
}

static void test_not_a_dtb(void **state)
{
	char junk[128];

	expect_blob_error("hello", 5,
			  "board.dtb: not a valid flattened device tree (FDT_ERR_TRUNCATED)");
	memset(junk, 'x', sizeof(junk));
	expect_blob_error(junk, sizeof(junk),
			  "board.dtb: not a valid flattened device tree (FDT_ERR_BADMAGIC)");
}

static void test_corrupt_blob(void **state)
{
	struct dt *dt = load_good("good.dts");
	u8 *copy = malloc(dt->size);
	struct secsoc_error err = { 0 };
	struct dt *bad = NULL;

	assert_non_null(copy);
	memcpy(copy, dt->blob, dt->size);
	/* Point off_dt_struct past the end of the blob. */
	copy[8] = 0x7f;
	assert_int_equal(dt_load_blob(copy, dt->size, "board.dtb", &bad, &err), -EINVAL);
	assert_null(bad);
	assert_non_null(strstr(err.msg, "board.dtb: not a valid flattened device tree (FDT_ERR_"));
	free(copy);
	dt_free(dt);
}

/* libfdt 1.6.1 loops forever on a negative property length; we must not. */
static void test_negative_property_length(void **state)
{
	struct dt *dt = load_good("good.dts");
	u8 *copy = malloc(dt->size);
	struct secsoc_error err = { 0 };
	struct dt *bad = NULL;
	u32 off = 0;

	assert_non_null(copy);
	memcpy(copy, dt->blob, dt->size);
	for (int i = 0; i < 4; i++)
		off = off << 8 | copy[8 + i];	/* off_dt_struct */
	/* BEGIN_NODE "" (8 bytes), then the root's first property tag. */
	assert_int_equal(copy[off + 11], 3);
	memcpy(copy + off + 12, "\xff\xff\xff\xf4", 4);
	assert_int_equal(dt_load_blob(copy, dt->size, "board.dtb", &bad, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "board.dtb: not a valid flattened device tree (FDT_ERR_TRUNCATED)");
	free(copy);
	dt_free(dt);
}

static void test_empty_dtb_file(void **state)
{
	const char *path = test_tmp_path("empty.dtb");
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	char want[4200];

	test_write_file(path, "", 0);
	assert_int_equal(dt_load_dtb_file(path, &dt, &err), -EINVAL);
	snprintf(want, sizeof(want), "%s: not a valid flattened device tree (FDT_ERR_TRUNCATED)",
		 path);
	assert_string_equal(err.msg, want);
	unlink(path);
}

static void test_dtb_file_round_trip(void **state)
{
	struct dt *dt = load_good("good.dts"), *again = NULL;
	const char *path = test_tmp_path("good.dtb");
	struct secsoc_error err = { 0 };

	test_write_file(path, dt->blob, dt->size);
	assert_int_equal(dt_load_dtb_file(path, &again, &err), 0);
	assert_int_equal(again->nr_nodes, dt->nr_nodes);
	assert_string_equal(again->source, path);
	unlink(path);
	dt_free(again);
	dt_free(dt);
}

static void test_oversized_dtb_file(void **state)
{
	const char *path = test_tmp_path("huge.dtb");
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;

	test_write_file(path, "", 0);
	assert_int_equal(truncate(path, (off_t)DT_BLOB_MAX + 1), 0);
	assert_int_equal(dt_load_dtb_file(path, &dt, &err), -EINVAL);
	assert_non_null(strstr(err.msg, "larger than the 16777216-byte device-tree limit"));
	unlink(path);
}

static void test_missing_files(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;

	assert_int_equal(dt_load_dtb_file("no-such-board.dtb", &dt, &err), -EINVAL);
	assert_string_equal(err.msg, "no-such-board.dtb: No such file or directory");
	memset(&err, 0, sizeof(err));
	assert_int_equal(dt_load_dts_file("no-such-board.dts", &dt, &err), -EINVAL);
	assert_string_equal(err.msg, "no-such-board.dts: No such file or directory");
	assert_null(dt);
}

static void test_dtc_not_in_path(void **state)
{
	char *saved = strdup(getenv("PATH") ? getenv("PATH") : "");
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	const char *path = fixture("good.dts");
	char want[4200];
	int ret;

	setenv("PATH", "/nonexistent-secsoc-dir", 1);
	ret = dt_load_dts_file(path, &dt, &err);
	setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(ret, -EINVAL);
	snprintf(want, sizeof(want),
		 "cannot compile %s: dtc not found in PATH (install device-tree-compiler)", path);
	assert_string_equal(err.msg, want);
}

static unsigned int count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	unsigned int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

static void test_dtc_temp_file_removed(void **state)
{
	char dir[64] = "./tmp-dtcXXXXXX";
	char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	struct dt *dt;

	assert_non_null(mkdtemp(dir));
	setenv("TMPDIR", dir, 1);
	dt = load_good("good.dts");
	if (saved)
		setenv("TMPDIR", saved, 1);
	else
		unsetenv("TMPDIR");
	free(saved);
	assert_int_equal(count_entries(dir), 0);
	assert_int_equal(rmdir(dir), 0);
	dt_free(dt);
}

/* A file name that begins with '-' must reach dtc as a file, not as options. */
static void test_dts_name_starting_with_dash(void **state)
{
	static const char dts[] = "/dts-v1/;\n/ {\n\tdash { compatible = \"test,dash\"; };\n};\n";
	const char *name = "-tmp-dash-board.dts";
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	int ret;

	test_write_file("./-tmp-dash-board.dts", dts, strlen(dts));
	ret = dt_load_dts_file(name, &dt, &err);
	unlink(name);
	if (ret)
		fail_msg("%s", err.msg);
	assert_string_equal(dt->source, name);
	assert_ptr_equal(dt_find_compatible(dt, NULL, "test,dash"), node(dt, "/dash"));
	dt_free(dt);
}

static void test_default_soc(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt = NULL;
	struct dt_node *qce, *bam, *tee;
	struct dt_phandle_args args;

	assert_int_equal(dt_load_dts_file(test_src_path("soc/secsoc.dts"), &dt, &err), 0);
	qce = dt_find_compatible(dt, NULL, "qcom,sm8550-qce");
	bam = node(dt, "/soc@0/dma-controller@1dc4000");
	assert_ptr_equal(qce, node(dt, "/soc@0/crypto@1dfa000"));
	assert_reg(qce, 0, 0x1dfa000, 0x6000);
	assert_reg(bam, 0, 0x1dc4000, 0x28000);
	assert_int_equal(bam->nirq, 1);
	assert_int_equal(bam->irq[0].cells[0], 0);
	assert_int_equal(bam->irq[0].cells[1], 272);
	assert_int_equal(bam->irq[0].cells[2], 4);
	assert_ptr_equal(bam->irq[0].ctrl, node(dt, "/soc@0/interrupt-controller@17100000"));
	for (unsigned int i = 0; i < 2; i++) {
		assert_int_equal(dt_parse_phandle_with_args(qce, "dmas", "#dma-cells", i, &args,
							    &err), 0);
		assert_ptr_equal(args.np, bam);
		assert_int_equal(args.nargs, 1);
		assert_int_equal(args.args[0], 4 + i);
	}
	tee = dt_find_compatible(dt, NULL, "secsoc,tee");
	assert_non_null(tee);
	assert_ptr_equal(dt_parse_phandle(tee, "secsoc,protected-memory", 0),
			 node(dt, "/reserved-memory/protected@9c000000"));
	assert_reg(node(dt, "/reserved-memory/protected@9c000000"), 0, 0x9c000000, 0x2000000);
	assert_reg(dt_memory_node(dt, 0), 0, 0x80000000, 0x40000000);
	assert_int_equal(dt_find_compatible(dt, NULL, "arm,cortex-a55")->nreg, 1);
	dt_free(dt);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_cell_root_reg),
		cmocka_unit_test(test_one_cell_offset_ranges),
		cmocka_unit_test(test_nested_ranges),
		cmocka_unit_test(test_identity_ranges),
		cmocka_unit_test(test_unmapped_reg_kept_raw),
		cmocka_unit_test(test_disabled_nodes_kept),
		cmocka_unit_test(test_tree_links_and_paths),
		cmocka_unit_test(test_phandle_lookup),
		cmocka_unit_test(test_irq_parent_inherited_three_cells),
		cmocka_unit_test(test_irq_parent_from_bus),
		cmocka_unit_test(test_interrupts_extended),
		cmocka_unit_test(test_phandle_args),
		cmocka_unit_test(test_prop_accessors),
		cmocka_unit_test(test_prop_u32_malformed_message),
		cmocka_unit_test(test_find_compatible),
		cmocka_unit_test(test_reg_outside_ranges),
		cmocka_unit_test(test_reg_above_pa_limit),
		cmocka_unit_test(test_bus_without_ranges),
		cmocka_unit_test(test_dangling_interrupt_parent),
		cmocka_unit_test(test_interrupts_without_controller),
		cmocka_unit_test(test_interrupts_bad_length),
		cmocka_unit_test(test_dangling_dmas),
		cmocka_unit_test(test_dmas_target_without_cells),
		cmocka_unit_test(test_bad_address_cells),
		cmocka_unit_test(test_reg_length_not_multiple),
		cmocka_unit_test(test_dts_syntax_error),
		cmocka_unit_test(test_truncated_blob),
		cmocka_unit_test(test_not_a_dtb),
		cmocka_unit_test(test_corrupt_blob),
		cmocka_unit_test(test_negative_property_length),
		cmocka_unit_test(test_empty_dtb_file),
		cmocka_unit_test(test_dtb_file_round_trip),
		cmocka_unit_test(test_oversized_dtb_file),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_dtc_not_in_path),
		cmocka_unit_test(test_dtc_temp_file_removed),
		cmocka_unit_test(test_dts_name_starting_with_dash),
		cmocka_unit_test(test_default_soc),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
