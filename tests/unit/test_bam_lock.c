/*
 * test_bam_lock.c - the BAM pipe lock at register level: exclusion between
 * two EEs on two lock groups, same-group pipes that keep running, a LOCK
 * that waits for the holder, when LOCK and UNLOCK take effect, the owner the
 * peripheral is told, release by P_RST and SW_RST, and v1.3, which ignores
 * the bits. Issue #3 acceptance; the bench is in bam_fixture.h.
 */
#include <string.h>

#include "bam_fixture.h"

#define PAIR_BYTES 256

static u32 secure_index(unsigned int pipe)
{
	return hw_index_as(&cpu_s, pipe);
}

/* EE 1 queues a transfer on its pair (pipes 2 and 3, lock group 1). */
static void secure_transfer(void)
{
	fill(BUF(2), PAIR_BYTES, 0x22);
	queue(3, BUF(3), PAIR_BYTES, BAM_DESC_INT | BAM_DESC_EOT);
	kick_as(&cpu_s, 3);
	queue(2, BUF(2), PAIR_BYTES, BAM_DESC_INT | BAM_DESC_EOT);
	kick_as(&cpu_s, 2);
}

static void check_secure_transfer_done(void)
{
	assert_int_equal(secure_index(2), 1);
	assert_int_equal(secure_index(3), 1);
	assert_memory_equal(host(BUF(3), PAIR_BYTES), host(BUF(2), PAIR_BYTES), PAIR_BYTES);
	assert_true(ee_irq(SECURE_EE));
}

/* Pipe 2 has not fetched, moved a byte or retired anything. */
static void check_secure_pair_stalled(u32 loop_bytes)
{
	assert_int_equal(secure_index(2), 0);
	assert_int_equal(secure_index(3), 0);
	assert_int_equal(bam_pipe_retired(fx.bam, 2), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), loop_bytes);
	assert_int_equal(bam_loopback_staged(fx.lb, 1), 0);
	assert_false(ee_irq(SECURE_EE));
}

static void check_lock_free(void)
{
	assert_int_equal(bam_lock_owner_pipe(fx.bam), -1);
	assert_int_equal(bam_lock_owner_ee(fx.bam), BAM_NO_EE);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_OWNER), 0);
}

static void check_lock_held(int pipe, int ee)
{
	assert_int_equal(bam_lock_owner_pipe(fx.bam), pipe);
	assert_int_equal(bam_lock_owner_ee(fx.bam), ee);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_OWNER), ee + 1);
}

/*
 * The QCE stream [LOCK ce] [data, NWD + EOT] [UNLOCK ce] on EE 0's pipe 0
 * (group 0): EE 1's pipe 2 (group 1) makes no progress in between, and
 * resumes after the UNLOCK.
 */
static void test_lock_excludes_other_group(void **state)
{
	bam_fx_linux();
	bam_fx_secure_pair();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0x100);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 1);

	secure_transfer();
	run();
	check_secure_pair_stalled(0);

	/* The holder's own data (and its producer, same group) run. */
	fill(BUF(0), PAIR_BYTES, 0x11);
	post(1, BUF(1), PAIR_BYTES, BAM_DESC_INT | BAM_DESC_EOT);
	post(0, BUF(0), PAIR_BYTES, BAM_DESC_NWD | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(hw_index(1), 1);
	assert_memory_equal(host(BUF(1), PAIR_BYTES), host(BUF(0), PAIR_BYTES), PAIR_BYTES);
	check_secure_pair_stalled(PAIR_BYTES);
	check_lock_held(0, LINUX_EE);

	post_cmd(0, 1, 0x200, BAM_DESC_UNLOCK);
	run();
	check_lock_free();
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 2);
	assert_int_equal(hw_index(0), 3);
	check_secure_transfer_done();
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 2 * PAIR_BYTES);
	assert_int_equal(guest_errors(), 0);
}

static u64 goal_reached(const char *name)
{
	for (unsigned int i = 0; i < sim_sometimes_count(fx.sim); i++)
		if (!strcmp(sim_sometimes_goal(fx.sim, i)->name, name))
			return sim_sometimes_goal(fx.sim, i)->reached;
	return 0;
}

/* bam_lock_stats: the holder's hold time covers the waiter's wait. */
static void test_lock_stats_hold_and_wait(void **state)
{
	struct bam_lock_stats linux_st, secure_st;

	bam_fx_linux();
	bam_fx_secure_pair();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	secure_transfer();
	run();
	sim_actor_wait_until(bam_pipe_actor(fx.bam, 0), sim_now_ns(fx.sim) + 5000);
	post_cmd(0, 1, 0x200, BAM_DESC_UNLOCK);
	run();
	check_secure_transfer_done();

	bam_lock_stats(fx.bam, LINUX_EE, &linux_st);
	bam_lock_stats(fx.bam, SECURE_EE, &secure_st);
	assert_int_equal(linux_st.acquisitions, 1);
	assert_int_equal(linux_st.waits, 0);
	assert_int_equal(secure_st.acquisitions, 0);
	assert_int_equal(secure_st.waits, 2);	/* its consumer and its producer pipe */
	assert_true(linux_st.hold_ns >= 5000);
	assert_int_equal(linux_st.max_hold_ns, linux_st.hold_ns);
	assert_true(secure_st.max_wait_ns <= linux_st.hold_ns);
	assert_true(secure_st.max_wait_ns >= 5000);
	assert_true(goal_reached("bam: EE 1 waited while EE 0 held the lock") > 0);
	assert_int_equal(goal_reached("bam: EE 0 waited while EE 1 held the lock"), 0);
}

/* The other way round: the secure EE holds, Linux waits. */
static void test_secure_lock_excludes_linux(void **state)
{
	bam_fx_linux();
	bam_fx_secure_pair();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0x1, 0xffffffff);
	queue(2, CE_ADDR(0), 16, BAM_DESC_CMD | BAM_DESC_LOCK);
	kick_as(&cpu_s, 2);
	run();
	check_lock_held(2, SECURE_EE);

	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 0);
	assert_int_equal(hw_index(1), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);

	put_ce(CE_ADDR(1), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0x2, 0xffffffff);
	queue(2, CE_ADDR(1), 16, BAM_DESC_CMD | BAM_DESC_UNLOCK);
	kick_as(&cpu_s, 2);
	run();
	check_lock_free();
	assert_int_equal(hw_index(0), 1);
	assert_int_equal(hw_index(1), 1);
}

/* The lock group decides, not the EE: EE 1's pipes in group 0 run, Linux's in group 2 wait. */
static void test_lock_excludes_by_group_not_ee(void **state)
{
	bam_fx_linux();
	assign_pipe(2, SECURE_EE);
	assign_pipe(3, SECURE_EE);
	pipe_init_as(&cpu_s, 2, SECURE_EE, false, 0, FIFO_BYTES);
	pipe_init_as(&cpu_s, 3, SECURE_EE, true, 0, FIFO_BYTES);
	pipe_init_as(&cpu_ns, 4, LINUX_EE, false, 2, FIFO_BYTES);
	pipe_init_as(&cpu_ns, 5, LINUX_EE, true, 2, FIFO_BYTES);
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);

	secure_transfer();
	post(5, BUF(5), 64, 0);
	post(4, BUF(4), 64, BAM_DESC_EOT);
	run();
	check_secure_transfer_done();
	assert_int_equal(hw_index(4), 0);
	assert_int_equal(hw_index(5), 0);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), PAIR_BYTES);

	post_cmd(0, 1, 0x200, BAM_DESC_UNLOCK);
	run();
	assert_int_equal(hw_index(4), 1);
	assert_int_equal(hw_index(5), 1);
}

/* Another pipe of the holder's group (Linux's pair 2) keeps running. */
static void test_same_group_pipe_keeps_running(void **state)
{
	bam_fx_linux();
	pipe_init(4, false);
	pipe_init(5, true);
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);
	fill(BUF(4), 1024, 0x44);
	post(5, BUF(5), 1024, BAM_DESC_INT | BAM_DESC_EOT);
	post(4, BUF(4), 1024, BAM_DESC_INT | BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(4), 1);
	assert_int_equal(hw_index(5), 1);
	assert_memory_equal(host(BUF(5), 1024), host(BUF(4), 1024), 1024);
	check_lock_held(0, LINUX_EE);
}

/* A LOCK on another pipe of the group waits for the holder's UNLOCK, then takes it. */
static void test_lock_waits_for_holder(void **state)
{
	bam_fx_linux();
	pipe_init(4, false);
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	post_cmd(4, 1, 0x444, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0x100);	/* its element did not run */
	assert_int_equal(hw_index(4), 0);
	assert_string_equal(bam_pipe_error(fx.bam, 4), "");

	post_cmd(0, 2, 0x200, BAM_DESC_UNLOCK);
	run();
	check_lock_held(4, LINUX_EE);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0x444);
	assert_int_equal(hw_index(4), 1);
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 3);
}

/* A LOCK from another group waits too (it is not even served), then takes over. */
static void test_lock_hands_over_between_groups(void **state)
{
	bam_fx_linux();
	bam_fx_secure_pair();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	put_ce(CE_ADDR(1), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0x222, 0xffffffff);
	queue(2, CE_ADDR(1), 16, BAM_DESC_CMD | BAM_DESC_LOCK);
	kick_as(&cpu_s, 2);
	run();
	check_lock_held(0, LINUX_EE);
	assert_int_equal(secure_index(2), 0);
	post_cmd(0, 2, 0x200, BAM_DESC_UNLOCK);
	run();
	check_lock_held(2, SECURE_EE);
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0x222);
	/* Now Linux's pipes wait. */
	post(0, BUF(0), 64, BAM_DESC_EOT);
	run();
	assert_int_equal(hw_index(0), 2);
	assert_int_equal(lb_rd(LOOPBACK_BYTES), 0);
}

static bool scratch_is_a(void)
{
	return lb_rd(LOOPBACK_SCRATCH) == 0xa;
}

static bool scratch_is_c(void)
{
	return lb_rd(LOOPBACK_SCRATCH) == 0xc;
}

/*
 * LOCK takes effect before its descriptor's first element runs (the
 * peripheral already knows the owner when the write lands); UNLOCK only
 * after its last element.
 */
static void test_lock_and_unlock_timing(void **state)
{
	bam_fx_linux();
	put_ce(CE_ADDR(0), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xa, 0xffffffff);
	put_ce(CE_ADDR(0), 1, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xb, 0xffffffff);
	post(0, CE_ADDR(0), 32, BAM_DESC_CMD | BAM_DESC_LOCK);
	step_until(scratch_is_a);
	check_lock_held(0, LINUX_EE);
	run();
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0xb);

	put_ce(CE_ADDR(1), 0, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xc, 0xffffffff);
	put_ce(CE_ADDR(1), 1, BAM_CE_WRITE, LOOP_CE(LOOPBACK_SCRATCH), 0xd, 0xffffffff);
	post(0, CE_ADDR(1), 32, BAM_DESC_CMD | BAM_DESC_UNLOCK);
	step_until(scratch_is_c);
	check_lock_held(0, LINUX_EE);
	run();
	assert_int_equal(lb_rd(LOOPBACK_SCRATCH), 0xd);
	check_lock_free();
}

/* Resetting the holder releases the lock and tells the peripheral. */
static void test_pipe_reset_releases_lock(void **state)
{
	bam_fx_linux();
	bam_fx_secure_pair();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	secure_transfer();
	run();
	check_secure_pair_stalled(0);
	wr(BAM_P_RST, 0, 1);
	check_lock_free();
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 2);
	wr(BAM_P_RST, 0, 0);
	run();
	check_secure_transfer_done();
	assert_int_equal(guest_errors(), 0);
}

static void test_sw_rst_releases_lock(void **state)
{
	bam_fx_linux();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);
	wr(BAM_CTRL, 0, BAM_CTRL_SW_RST);
	check_lock_free();
	wr(BAM_CTRL, 0, 0);
	bam_fx_linux();
	post_cmd(0, 1, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);	/* not a nested LOCK: the reset freed it */
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
}

/* LOCK/UNLOCK work from v1.4 on. */
static void test_lock_supported(void **state)
{
	bam_fx_linux();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_held(0, LINUX_EE);
	post_cmd(0, 1, 0x200, BAM_DESC_UNLOCK);
	run();
	check_lock_free();
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 2);
}

/*
 * v1.3 has no pipe lock: the bits are ignored, so no owner change, no
 * exclusion and none of the errors they would raise on v1.4+ (UNLOCK when
 * free, LOCK on a data descriptor).
 */
static void test_v1_3_ignores_lock_unlock(void **state)
{
	bam_fx_linux();
	bam_fx_secure_pair();
	post_cmd(0, 0, 0x100, BAM_DESC_LOCK);
	run();
	check_lock_free();
	secure_transfer();
	run();
	check_secure_transfer_done();

	post_cmd(0, 1, 0x200, BAM_DESC_UNLOCK);
	post_cmd(0, 2, 0x300, BAM_DESC_UNLOCK);
	post(1, BUF(1), 64, 0);
	post(0, BUF(0), 64, BAM_DESC_LOCK);
	run();
	assert_int_equal(hw_index(0), 4);
	assert_int_equal(hw_index(1), 1);
	check_lock_free();
	assert_int_equal(lb_rd(LOOPBACK_LOCK_CHANGES), 0);
	assert_string_equal(bam_pipe_error(fx.bam, 0), "");
	assert_int_equal(rd(BAM_P_IRQ_STTS, 0) & BAM_P_ERR, 0);
	assert_int_equal(rd(BAM_IRQ_STTS, 0), 0);
	assert_int_equal(guest_errors(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		BAM_TEST(test_lock_excludes_other_group),
		BAM_TEST(test_lock_stats_hold_and_wait),
		BAM_TEST(test_secure_lock_excludes_linux),
		BAM_TEST(test_lock_excludes_by_group_not_ee),
		BAM_TEST(test_same_group_pipe_keeps_running),
		BAM_TEST(test_lock_waits_for_holder),
		BAM_TEST(test_lock_hands_over_between_groups),
		BAM_TEST(test_lock_and_unlock_timing),
		BAM_TEST(test_pipe_reset_releases_lock),
		BAM_TEST(test_sw_rst_releases_lock),
		VERSION_TEST(test_lock_supported, BAM_V1_4_0),
		VERSION_TEST(test_lock_supported, BAM_V1_7_0),
		VERSION_TEST(test_lock_supported, BAM_V2_0_0),
		VERSION_TEST(test_v1_3_ignores_lock_unlock, BAM_V1_3_0),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
