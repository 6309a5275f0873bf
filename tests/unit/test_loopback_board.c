/*
 * test_loopback_board.c - the built-in "bam-loopback" board: it boots, the
 * loopback model sits behind its BAM, the device-tree rules of the
 * secsoc,bam-loopback node (pipe pair, command-element window, one
 * peripheral per BAM) reject bad boards naming the node, and the loopback
 * client driver moves data through the BAM driver under every lock policy.
 *
 * Bad boards are the shipped board with one edit, written to a temporary
 * file in the test's working directory and removed after loading.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <secsoc/bam_loopback_client.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/slab.h>
#include <secsoc/tee.h>

#include "helpers.h"

#define BOARD_DTS "soc/boards/bam-loopback.dts"
#define LOOPBACK_PATH "/soc@0/loopback@1dfa000"
#define BAM_PATH "/soc@0/dma-controller@1dc4000"
#define XFER_BYTES 100000

struct board {
	struct sim *sim;
	struct dt *dt;
	struct soc *soc;
	struct tee tee;
	struct kernel k;
	bool kernel_up;
};

static void create(struct board *b, struct dt *dt)
{
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };

	b->dt = dt;
	b->sim = sim_create(&cfg);
	assert_non_null(b->sim);
	if (soc_create(b->sim, b->dt, &b->soc, &err))
		fail_msg("soc_create: %s", err.msg);
	b->kernel_up = false;
}

static void load_builtin(struct board *b)
{
	struct secsoc_error err = { 0 };
	struct dt *dt;

	if (soc_load_builtin("bam-loopback", &dt, &err))
		fail_msg("soc_load_builtin: %s", err.msg);
	create(b, dt);
}

static void destroy(struct board *b)
{
	if (b->kernel_up)
		kernel_shutdown(&b->k);
	soc_destroy(b->soc);
	sim_destroy(b->sim);
	dt_free(b->dt);
}

/* ---- the board ---- */

static void test_builtin_board_has_attached_loopback(void **state)
{
	struct board b;
	const struct dt_node *np;
	struct soc_bam *sb;

	load_builtin(&b);
	assert_string_equal(b.dt->source, "built-in bam-loopback.dts");
	np = dt_find_path(b.dt, LOOPBACK_PATH);
	assert_non_null(np);
	assert_non_null(soc_binding(b.soc, np)->model);
	assert_string_equal(soc_binding(b.soc, np)->model->name, "bam-loopback");
	sb = soc_bam_of(b.soc, dt_find_path(b.dt, BAM_PATH));
	assert_non_null(sb);
	assert_ptr_equal(sb->periph_np, np);
	assert_non_null(sb->loopback);
	assert_null(b.soc->qce);
	assert_non_null(b.soc->tee_node);
	destroy(&b);
}

static void test_info_reports_pipes_and_attachment(void **state)
{
	struct board b;
	struct report r;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	load_builtin(&b);
	report_begin(&r, out, true);
	soc_report_devices(b.soc, &r);
	report_end(&r);
	fclose(out);
	assert_non_null(strstr(text, "\"model\": \"bam-loopback\""));
	assert_non_null(strstr(text, "\"bam\": \"" BAM_PATH "\""));
	assert_non_null(strstr(text, "\"rx_pipe\": 4"));
	assert_non_null(strstr(text, "\"tx_pipe\": 5"));
	assert_non_null(strstr(text, "\"attached\": true"));
	free(text);
	destroy(&b);
}

static void test_unknown_builtin_board_lists_known(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt sentinel;
	struct dt *dt = &sentinel;

	assert_int_equal(soc_load_builtin("nope", &dt, &err), -EINVAL);
	assert_null(dt);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	assert_non_null(strstr(err.msg, "'nope'"));
	assert_non_null(strstr(err.msg, "known: secsoc, bam-loopback"));
}

static void test_default_board_is_builtin_secsoc(void **state)
{
	struct secsoc_error err = { 0 };
	struct dt *dt;

	assert_int_equal(soc_load_dt(NULL, NULL, &dt, &err), 0);
	assert_string_equal(dt->source, "built-in secsoc.dts");
	assert_non_null(dt_find_path(dt, "/soc@0/crypto@1dfa000"));
	dt_free(dt);
}

/* ---- bad boards ---- */

/* The shipped board with @from replaced by @to; soc_create() must fail. */
static void expect_rejected(const char *from, const char *to, const char *node,
			    const char *what)
{
	char *src = test_read_file(test_src_path(BOARD_DTS), NULL);
	char *at = strstr(src, from);
	const char *path = test_tmp_path("loopback-variant.dts");
	struct secsoc_error err = { 0 };
	struct sim_config cfg = { .seed = 1 };
	struct sim *sim = sim_create(&cfg);
	struct soc *soc = NULL;
	struct dt *dt;
	FILE *f;

	assert_non_null(at);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "%.*s%s%s", (int)(at - src), src, to, at + strlen(from));
	assert_int_equal(fclose(f), 0);
	if (soc_load_dt(NULL, path, &dt, &err))
		fail_msg("soc_load_dt: %s", err.msg);
	unlink(path);
	assert_int_equal(soc_create(sim, dt, &soc, &err), -EINVAL);
	assert_null(soc);
	assert_int_equal(err.kind, SECSOC_ERR_INPUT);
	if (!strstr(err.msg, node) || !strstr(err.msg, what))
		fail_msg("'%s' does not name '%s' and '%s'", err.msg, node, what);
	sim_destroy(sim);
	dt_free(dt);
	free(src);
}

static void test_rx_on_odd_pipe_is_rejected(void **state)
{
	expect_rejected("dmas = <&bam 4>, <&bam 5>;", "dmas = <&bam 5>, <&bam 6>;",
			"node " LOOPBACK_PATH ":", "must be pipes 2k and 2k + 1");
}

static void test_tx_not_next_pipe_is_rejected(void **state)
{
	expect_rejected("dmas = <&bam 4>, <&bam 5>;", "dmas = <&bam 4>, <&bam 7>;",
			"node " LOOPBACK_PATH ":", "not " BAM_PATH " 4 and " BAM_PATH " 7");
}

static void test_missing_rx_channel_is_rejected(void **state)
{
	expect_rejected("dma-names = \"rx\", \"tx\";\n\t\t};\n\n\t\ttzc",
			"dma-names = \"in\", \"tx\";\n\t\t};\n\n\t\ttzc",
			"node " LOOPBACK_PATH ":", "property 'dma-names' has no \"rx\" channel");
}

static void test_outside_ce_window_is_rejected(void **state)
{
	expect_rejected("loopback@1dfa000 {\n\t\t\tcompatible = \"secsoc,bam-loopback\";\n"
			"\t\t\treg = <0x01dfa000 0x1000>;",
			"loopback@2000000 {\n\t\t\tcompatible = \"secsoc,bam-loopback\";\n"
			"\t\t\treg = <0x02000000 0x1000>;",
			"node /soc@0/loopback@2000000: property 'reg'",
			"command-element window [0x1000000, +0x1000000) of " BAM_PATH);
}

static void test_window_straddling_ce_window_is_rejected(void **state)
{
	expect_rejected("loopback@1dfa000 {\n\t\t\tcompatible = \"secsoc,bam-loopback\";\n"
			"\t\t\treg = <0x01dfa000 0x1000>;",
			"loopback@1fff800 {\n\t\t\tcompatible = \"secsoc,bam-loopback\";\n"
			"\t\t\treg = <0x01fff800 0x1000>;",
			"node /soc@0/loopback@1fff800: property 'reg'", "command-element window");
}

static void test_small_register_window_is_rejected(void **state)
{
	expect_rejected("reg = <0x01dfa000 0x1000>;", "reg = <0x01dfa000 0x800>;",
			"node " LOOPBACK_PATH ": property 'reg'", "too small");
}

static void test_crypto_engine_and_loopback_on_one_bam_are_rejected(void **state)
{
	/* The engine's model is created first, so the loopback is the second. */
	expect_rejected("\t\ttzc: tzc@a000000 {",
			"\t\tcrypto@1d00000 {\n"
			"\t\t\tcompatible = \"qcom,qce\";\n"
			"\t\t\treg = <0x01d00000 0x6000>;\n"
			"\t\t\tdmas = <&bam 8>, <&bam 9>;\n"
			"\t\t\tdma-names = \"rx\", \"tx\";\n"
			"\t\t};\n\n"
			"\t\ttzc: tzc@a000000 {",
			"node " LOOPBACK_PATH ": property 'dmas'",
			BAM_PATH " already feeds /soc@0/crypto@1d00000");
}

static void test_second_loopback_on_one_bam_is_rejected(void **state)
{
	expect_rejected("\t\ttzc: tzc@a000000 {",
			"\t\tloopback@1dfb000 {\n"
			"\t\t\tcompatible = \"secsoc,bam-loopback\";\n"
			"\t\t\treg = <0x01dfb000 0x1000>;\n"
			"\t\t\tdmas = <&bam 8>, <&bam 9>;\n"
			"\t\t\tdma-names = \"rx\", \"tx\";\n"
			"\t\t};\n\n"
			"\t\ttzc: tzc@a000000 {",
			"node /soc@0/loopback@1dfb000: property 'dmas'",
			BAM_PATH " already feeds " LOOPBACK_PATH);
}

/* ---- the client driver on the BAM driver ---- */

static void boot(struct board *b, enum lock_policy policy)
{
	struct kernel_params params = { .lock_policy = policy };
	struct secsoc_error err = { 0 };

	load_builtin(b);
	/* The secure world first: it resets and enables the remotely controlled BAM. */
	if (tee_boot(&b->tee, b->soc, &err))
		fail_msg("tee_boot: %s", err.msg);
	if (kernel_boot(&b->k, b->soc, &params, kernel_drivers, kernel_nr_drivers, &err))
		fail_msg("kernel_boot: %s", err.msg);
	b->kernel_up = true;
	/* Let whatever the drivers started at probe settle. */
	assert_int_equal(sim_run(b->sim), SIM_STOP_QUIESCENT);
}

static struct bam_loopback_client *client(struct board *b)
{
	struct bam_loopback_client *lc =
		bam_loopback_client_of(&b->k, dt_find_path(b->dt, LOOPBACK_PATH));

	assert_non_null(lc);
	return lc;
}

static void assert_bound(struct board *b, const struct dt_node *np)
{
	struct device *dev = driver_core_find(&b->k.dc, np);

	assert_non_null(dev);
	if (!device_is_bound(dev))
		fail_msg("%s: probe returned %d (%s)", np->path, dev->probe_ret, dev->err);
}

static void req_done(struct bam_loopback_req *req)
{
	(*(unsigned int *)req->context)++;
}

static void test_client_binds_on_kernel_drivers(void **state)
{
	struct board b;
	const struct dt_node *np;
	struct bam_loopback_client *lc;

	boot(&b, LOCK_POLICY_DEFAULT);
	np = dt_find_path(b.dt, LOOPBACK_PATH);
	assert_bound(&b, np);
	assert_bound(&b, dt_find_path(b.dt, BAM_PATH));
	lc = client(&b);
	assert_non_null(lc->rx);
	assert_non_null(lc->tx);
	assert_ptr_not_equal(lc->rx, lc->tx);
	assert_int_equal(lc->regs_phys, 0x01dfa000);
	assert_int_equal(readl(lc->regs + LOOPBACK_ID), LOOPBACK_ID_VALUE);
	assert_null(bam_loopback_client_of(&b.k, dt_find_path(b.dt, BAM_PATH)));
	destroy(&b);
}

/* One 100000-byte loop transfer under @policy; returns the lock changes seen. */
static u32 round_trip(enum lock_policy policy)
{
	struct board b;
	struct bam_loopback_client *lc;
	struct bam_loopback_req req;
	unsigned int done = 0;
	u8 *src, *dst;
	u32 locks;

	boot(&b, policy);
	lc = client(&b);
	src = kmalloc(XFER_BYTES, GFP_KERNEL);
	dst = kzalloc(XFER_BYTES, GFP_KERNEL);
	assert_non_null(src);
	assert_non_null(dst);
	for (u32 i = 0; i < XFER_BYTES; i++)
		src[i] = (u8)(i * 7 + 3);
	req = (struct bam_loopback_req){ .src = src, .dst = dst, .len = XFER_BYTES,
					 .done = req_done, .context = &done, .result = 1 };
	assert_int_equal(bam_loopback_xfer(lc, &req), 0);
	assert_int_equal(sim_run(b.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done, 1);
	assert_int_equal(req.result, 0);
	assert_memory_equal(dst, src, XFER_BYTES);
	assert_int_equal(lc->xfers_done, 1);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(sim_guest_error_count(b.sim), 0);
	/* The BAM lock is free again whatever the policy. */
	assert_int_equal(readl(lc->regs + LOOPBACK_LOCK_OWNER), 0);
	locks = readl(lc->regs + LOOPBACK_LOCK_CHANGES);
	kfree(src);
	kfree(dst);
	destroy(&b);
	return locks;
}

static void test_round_trip_lock_policy_none(void **state)
{
	assert_int_equal(round_trip(LOCK_POLICY_NONE), 0);
}

static void test_round_trip_lock_policy_v12(void **state)
{
	assert_true(round_trip(LOCK_POLICY_V12) >= 2);
}

static void test_round_trip_lock_policy_nwd(void **state)
{
	assert_true(round_trip(LOCK_POLICY_NWD) >= 2);
}

static void test_xfer_rejects_bad_requests(void **state)
{
	struct board b;
	struct bam_loopback_client *lc;
	unsigned int done = 0;
	u8 *buf;
	struct bam_loopback_req req, second;

	boot(&b, LOCK_POLICY_DEFAULT);
	lc = client(&b);
	buf = kmalloc(4096, GFP_KERNEL);
	req = (struct bam_loopback_req){ .src = buf, .dst = buf, .len = 0, .done = req_done,
					 .context = &done };
	assert_int_equal(bam_loopback_xfer(lc, &req), -EINVAL);
	req.len = 4096;
	req.dst = NULL;
	assert_int_equal(bam_loopback_xfer(lc, &req), -EINVAL);
	req.dst = buf;	/* in place: the loopback copes with overlap */
	second = req;
	assert_int_equal(bam_loopback_xfer(lc, &req), 0);
	assert_int_equal(bam_loopback_xfer(lc, &second), -EBUSY);
	assert_int_equal(sim_run(b.sim), SIM_STOP_QUIESCENT);
	assert_int_equal(done, 1);
	assert_int_equal(req.result, 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	kfree(buf);
	destroy(&b);
}

/*
 * The secure world protects the destination: the producer pipe's writes are
 * denied with a bus error, the request completes with -EIO, and the consumer
 * side (held by NWD: the loopback never drains) is terminated by the client.
 */
static void test_denied_destination_completes_with_eio(void **state)
{
	struct board b;
	struct bam_loopback_client *lc;
	struct bam_loopback_req req;
	unsigned int done = 0, region;
	u8 *src, *dst;

	boot(&b, LOCK_POLICY_NWD);
	lc = client(&b);
	src = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL);
	dst = alloc_pages_exact(2 * PAGE_SIZE, GFP_KERNEL);
	assert_non_null(src);
	assert_non_null(dst);
	assert_int_equal(tee_protect_region(&b.tee, virt_to_phys(dst), 2 * PAGE_SIZE, &region), 0);
	req = (struct bam_loopback_req){ .src = src, .dst = dst, .len = 2 * PAGE_SIZE,
					 .done = req_done, .context = &done };
	assert_int_equal(bam_loopback_xfer(lc, &req), 0);
	sim_run(b.sim);
	assert_int_equal(done, 1);
	assert_int_equal(req.result, -EIO);
	assert_null(lc->cur);
	assert_int_equal(dma_mapping_stats().live, 0);
	free_pages_exact(src, 2 * PAGE_SIZE);
	free_pages_exact(dst, 2 * PAGE_SIZE);
	destroy(&b);
}

static void test_remove_releases_everything(void **state)
{
	struct board b;
	unsigned int maps;

	boot(&b, LOCK_POLICY_DEFAULT);
	maps = ioremap_count();
	assert_true(maps >= 2);	/* the BAM's and the loopback's registers */
	driver_core_remove_all(&b.k.dc);
	assert_int_equal(ioremap_count(), 0);
	assert_int_equal(dma_mapping_stats().live, 0);
	assert_int_equal(dma_mapping_stats().coherent, 0);
	assert_int_equal(kmem_stats().objects, 0);
	destroy(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builtin_board_has_attached_loopback),
		cmocka_unit_test(test_info_reports_pipes_and_attachment),
		cmocka_unit_test(test_unknown_builtin_board_lists_known),
		cmocka_unit_test(test_default_board_is_builtin_secsoc),
		cmocka_unit_test(test_rx_on_odd_pipe_is_rejected),
		cmocka_unit_test(test_tx_not_next_pipe_is_rejected),
		cmocka_unit_test(test_missing_rx_channel_is_rejected),
		cmocka_unit_test(test_outside_ce_window_is_rejected),
		cmocka_unit_test(test_window_straddling_ce_window_is_rejected),
		cmocka_unit_test(test_small_register_window_is_rejected),
		cmocka_unit_test(test_crypto_engine_and_loopback_on_one_bam_are_rejected),
		cmocka_unit_test(test_second_loopback_on_one_bam_is_rejected),
		cmocka_unit_test(test_client_binds_on_kernel_drivers),
		cmocka_unit_test(test_round_trip_lock_policy_none),
		cmocka_unit_test(test_round_trip_lock_policy_v12),
		cmocka_unit_test(test_round_trip_lock_policy_nwd),
		cmocka_unit_test(test_xfer_rejects_bad_requests),
		cmocka_unit_test(test_denied_destination_completes_with_eio),
		cmocka_unit_test(test_remove_releases_everything),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
