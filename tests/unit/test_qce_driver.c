/*
 * test_qce_driver.c - the crypto engine driver's probe, remove and the
 * checks made before a request reaches the engine: version and pipe-pair
 * checks, the algorithms it registers (names, priorities, flags), the lock
 * policy's choice of register I/O, key and length refusals.
 */
/* The version strap below pokes the model's register file (hw/qce_internal.h). */
#define OPENSSL_SUPPRESS_DEPRECATED

#include "qce_driver_fixture.h"

#include "hw/qce_internal.h"

static const char *const qd_skciphers[][2] = {
	{ "ecb(aes)", "ecb-aes-qce" }, { "cbc(aes)", "cbc-aes-qce" },
	{ "ctr(aes)", "ctr-aes-qce" }, { "xts(aes)", "xts-aes-qce" },
};

static const char *const qd_hashes[][2] = {
	{ "sha1", "sha1-qce" }, { "sha256", "sha256-qce" },
	{ "hmac(sha1)", "hmac-sha1-qce" }, { "hmac(sha256)", "hmac-sha256-qce" },
};

static const u8 qd_key64[64] = {
	0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
	0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b,
	0x1c, 0x1d, 0x1e, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29,
	0x2a, 0x2b, 0x2c, 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37,
	0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d, 0x3e, 0x3f,
};

/* ---- probe ---- */

static void test_probe_binds_pipe_pair_2_of_version_5_6(void **state)
{
	assert_true(device_is_bound(qd.dev));
	assert_int_equal(qd.qce->pipe_pair_id, QD_PAIR);
	assert_int_equal(qd.qce->dma.rxchan->chan_id, QD_RX_PIPE);
	assert_int_equal(qd.qce->dma.txchan->chan_id, QD_TX_PIPE);
	assert_int_equal(qd.qce->version, 0x05060000);
	assert_int_equal(qd.qce->base_phys, QD_BASE);
}

static void test_registers_four_skciphers_at_priority_275(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qd_skciphers); i++) {
		struct crypto_skcipher *tfm = crypto_alloc_skcipher(qd_skciphers[i][0], 0, 0);

		assert_false(IS_ERR(tfm));
		assert_string_equal(crypto_skcipher_driver_name(tfm), qd_skciphers[i][1]);
		assert_int_equal(tfm->base.__crt_alg->cra_priority, 275);
		assert_true(tfm->base.__crt_alg->cra_flags & CRYPTO_ALG_ASYNC);
		assert_int_equal(crypto_skcipher_ivsize(tfm), i == 0 ? 0 : AES_BLOCK_SIZE);
		assert_int_equal(crypto_skcipher_blocksize(tfm), i == 2 ? 1 : AES_BLOCK_SIZE);
		crypto_free_skcipher(tfm);
	}
}

static void test_registers_four_hashes_at_priority_175(void **state)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(qd_hashes); i++) {
		struct crypto_ahash *tfm = crypto_alloc_ahash(qd_hashes[i][0], 0, 0);

		assert_false(IS_ERR(tfm));
		assert_string_equal(crypto_ahash_driver_name(tfm), qd_hashes[i][1]);
		assert_int_equal(tfm->base.__crt_alg->cra_priority, 175);
		assert_true(tfm->base.__crt_alg->cra_flags & CRYPTO_ALG_ASYNC);
		assert_int_equal(crypto_ahash_digestsize(tfm), i % 2 ? 32 : 20);
		assert_int_equal(crypto_ahash_statesize(tfm), sizeof(struct qce_sha_saved_state));
		crypto_free_ahash(tfm);
	}
	assert_int_equal(crypto_nr_algs(), ARRAY_SIZE(qd_skciphers) + ARRAY_SIZE(qd_hashes));
}

static void test_lock_policy_chooses_register_io(void **state)
{
	static const bool cmd[] = { false, true, true }, fence[] = { false, false, true };

	for (unsigned int i = 0; i < ARRAY_SIZE(qd_policies); i++) {
		qd_boot(qd_policies[i]);
		assert_int_equal(qd.qce->use_cmd, cmd[i]);
		assert_int_equal(qd.qce->use_fence, fence[i]);
		qd_shutdown();
	}
}

/* VERSION strapped to @version before the kernel boots: the probe must refuse it. */
static void qd_expect_version_refused(u32 version, const char *name)
{
	struct sim_config cfg = { .seed = 1 };

	qd_soc_up(NULL, NULL, &cfg);
	dfx.soc->qce->regs[QCE_VERSION / 4] = version;
	qd_kernel_up(LOCK_POLICY_NWD);
	assert_null(qd.qce);
	assert_int_equal(qd.dev->probe_ret, -ENODEV);
	assert_non_null(strstr(qd.dev->err, name));
	assert_int_equal(crypto_nr_algs(), 0);
	qd_shutdown();
}

static void test_probe_refuses_version_5_0(void **state)
{
	qd_expect_version_refused(0x05000002, "version 5.0.2 is not supported");
}

static void test_probe_refuses_major_version_6(void **state)
{
	qd_expect_version_refused(0x06010000, "version 6.1.0 is not supported");
}

static void test_probe_accepts_crypto_v5_1(void **state)
{
	struct sim_config cfg = { .seed = 1 };

	qd_soc_up("\"qcom,sm8550-qce\", \"qcom,sm8150-qce\", \"qcom,qce\"", "\"qcom,crypto-v5.1\"",
		  &cfg);
	qd_kernel_up(LOCK_POLICY_NWD);
	assert_non_null(qd.qce);
	assert_int_equal(qd.qce->version, 0x05010000);
	qd_shutdown();
}

extern const struct platform_driver gic_driver;
extern const struct platform_driver bam_dma_driver;

/* Probed before the BAM driver: "rx" is not there yet, so the probe defers. */
static void test_probe_defers_until_the_bam_is_there(void **state)
{
	static const struct platform_driver *const drivers[] = {
		&gic_driver, &qce_crypto_driver, &bam_dma_driver,
	};
	struct kernel_params params = { .lock_policy = LOCK_POLICY_NWD };
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	const struct dt_node *np;

	qd_soc_up(NULL, NULL, &cfg);
	assert_int_equal(kernel_boot(&dfx.k, dfx.soc, &params, drivers, ARRAY_SIZE(drivers),
				     &err), 0);
	np = dt_find_path(dfx.dt, QD_NODE);
	qd.dev = driver_core_find(&dfx.k.dc, np);
	assert_true(qd.dev->deferrals >= 1);
	assert_true(device_is_bound(qd.dev));
	assert_non_null(qce_device_of(&dfx.k, np));
	qd_shutdown();
}

static void test_remove_unregisters_and_frees(void **state)
{
	qd_boot(LOCK_POLICY_NWD);
	assert_true(crypto_has_alg("xts-aes-qce", 0, 0));
	driver_core_remove_all(&dfx.k.dc);
	assert_false(crypto_has_alg("xts(aes)", 0, 0));
	assert_false(crypto_has_alg("sha256", 0, 0));
	assert_int_equal(crypto_nr_algs(), 0);
	qd_shutdown();	/* every allocation, mapping and ioremap is back */
}

/* ---- refusals before the engine ---- */

static int qd_setkey(const char *alg, const u8 *key, unsigned int keylen)
{
	struct crypto_skcipher *tfm = crypto_alloc_skcipher(alg, 0, 0);
	int ret;

	assert_false(IS_ERR(tfm));
	ret = crypto_skcipher_setkey(tfm, key, keylen);
	crypto_free_skcipher(tfm);
	return ret;
}

static void test_aes_192_and_odd_keys_are_refused(void **state)
{
	for (unsigned int i = 0; i < 3; i++) {
		assert_int_equal(qd_setkey(qd_skciphers[i][0], qd_key64, 24), -EINVAL);
		assert_int_equal(qd_setkey(qd_skciphers[i][0], qd_key64, 20), -EINVAL);
		assert_int_equal(qd_setkey(qd_skciphers[i][0], qd_key64, 16), 0);
		assert_int_equal(qd_setkey(qd_skciphers[i][0], qd_key64, 32), 0);
	}
	assert_int_equal(qd_setkey("xts(aes)", qd_key64, 48), -EINVAL);
	assert_int_equal(qd_setkey("xts(aes)", qd_key64, 40), -EINVAL);
	assert_int_equal(qd_setkey("xts(aes)", qd_key64, 32), 0);
	assert_int_equal(qd_setkey("xts(aes)", qd_key64, 64), 0);
}

static void test_xts_equal_key_halves_are_refused_with_enokey(void **state)
{
	u8 key[64];

	memcpy(key, qd_key64, 32);
	memcpy(key + 32, qd_key64, 32);
	assert_int_equal(qd_setkey("xts(aes)", key, 64), -ENOKEY);
	memcpy(key + 16, qd_key64, 16);
	assert_int_equal(qd_setkey("xts(aes)", key + 16, 32), -ENOKEY);
}

static int qd_crypt_len(const char *alg, unsigned int keylen, unsigned int len)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm(alg, qd_key64, keylen);
	u8 *in = qd_kbuf(len), *out = qd_kbuf(len), iv[16] = { 0 };
	int ret = qd_crypt(tfm, true, iv, in, out, len);

	kfree(in);
	kfree(out);
	crypto_free_skcipher(tfm);
	return ret;
}

static void test_lengths_the_engine_cannot_take_are_refused(void **state)
{
	assert_int_equal(qd_crypt_len("cbc(aes)", 16, 17), -EINVAL);
	assert_int_equal(qd_crypt_len("ecb(aes)", 32, 4095), -EINVAL);
	assert_int_equal(qd_crypt_len("xts(aes)", 32, 15), -EINVAL);
	/* ENCR_XTS_DU_SIZE has 20 bits: one data unit of 1 MiB does not fit. */
	assert_int_equal(qd_crypt_len("xts(aes)", 64, 1u << 20), -EINVAL);
	assert_int_equal(qd_crypt_len("xts(aes)", 64, (1u << 20) - 1), 0);
}

static void test_zero_length_returns_0_without_the_engine(void **state)
{
	u64 ops = qce_ops_done(dfx.soc->qce);

	for (unsigned int i = 0; i < ARRAY_SIZE(qd_skciphers); i++)
		assert_int_equal(qd_crypt_len(qd_skciphers[i][0], 32, 0), 0);
	assert_int_equal(qce_ops_done(dfx.soc->qce), ops);
	assert_int_equal(qd_fifo_count(QD_RX_PIPE), 0);
}

static void test_a_short_scatterlist_fails_the_request(void **state)
{
	struct crypto_skcipher *tfm = qd_cipher_tfm("cbc(aes)", qd_key64, 16);
	struct skcipher_request *req = skcipher_request_alloc(tfm, GFP_KERNEL);
	u8 *buf = qd_kbuf(64), iv[16] = { 0 };
	struct scatterlist sg;
	DECLARE_CRYPTO_WAIT(wait);

	sg_init_one(&sg, buf, 32);
	skcipher_request_set_callback(req, 0, crypto_req_done, &wait);
	skcipher_request_set_crypt(req, &sg, &sg, 64, iv);
	assert_int_equal(crypto_wait_req(crypto_skcipher_encrypt(req), &wait), -EINVAL);
	assert_non_null(strstr(qd.dev->err, "fewer than 64 bytes"));
	skcipher_request_free(req);
	kfree(buf);
	crypto_free_skcipher(tfm);
}

/* The status word of the result dump (v12/nwd), stored big-endian, maps to the errors. */
static void test_status_words_map_to_errors(void **state)
{
	static const struct {
		u32 status;
		int err;
	} cases[] = {
		{ QCE_STATUS_OPERATION_DONE, 0 },
		{ QCE_STATUS_OPERATION_DONE | QCE_STATUS_CFG_CHNG_ERR, 0 },	/* not looked at */
		{ 0, -ENXIO },
		{ QCE_STATUS_OPERATION_DONE | QCE_STATUS_SW_ERR, -ENXIO },
		{ QCE_STATUS_OPERATION_DONE | QCE_STATUS_AXI_ERR, -ENXIO },
		{ QCE_STATUS_OPERATION_DONE | QCE_STATUS_HSD_ERR, -ENXIO },
		{ QCE_STATUS_OPERATION_DONE | QCE_STATUS_MAC_FAILED, -EBADMSG },
	};
	u8 *word = qd.qce->dma.result_buf + offsetof(struct qce_result_dump, status);
	u32 status;

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		put_unaligned_be32(word, cases[i].status);
		assert_int_equal(qce_check_status(qd.qce, &status), cases[i].err);
		assert_int_equal(status, cases[i].status);
	}
	assert_int_equal(qd.nr_log, 0);		/* from the dump, not from the engine */
}

/* Under none, STATUS is read by the CPU. */
static void test_status_is_read_by_the_cpu_under_none(void **state)
{
	u32 status;

	assert_int_equal(qd_crypt_len("ctr(aes)", 16, 33), 0);
	qd_log_reset();
	assert_int_equal(qce_check_status(qd.qce, &status), 0);
	assert_true(status & QCE_STATUS_OPERATION_DONE);
	assert_int_equal(qd.nr_log, 1);
	assert_false(qd.log[0].write);
	assert_int_equal(qd.log[0].off, QCE_STATUS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		QD_TEST(test_probe_binds_pipe_pair_2_of_version_5_6),
		QD_TEST(test_registers_four_skciphers_at_priority_275),
		QD_TEST(test_registers_four_hashes_at_priority_175),
		cmocka_unit_test(test_lock_policy_chooses_register_io),
		cmocka_unit_test(test_probe_refuses_version_5_0),
		cmocka_unit_test(test_probe_refuses_major_version_6),
		cmocka_unit_test(test_probe_accepts_crypto_v5_1),
		cmocka_unit_test(test_probe_defers_until_the_bam_is_there),
		cmocka_unit_test(test_remove_unregisters_and_frees),
		QD_TEST(test_aes_192_and_odd_keys_are_refused),
		QD_TEST(test_xts_equal_key_halves_are_refused_with_enokey),
		QD_TEST(test_lengths_the_engine_cannot_take_are_refused),
		QD_TEST(test_zero_length_returns_0_without_the_engine),
		QD_TEST(test_a_short_scatterlist_fails_the_request),
		QD_TEST(test_status_words_map_to_errors),
		QD_TEST_POLICY(test_status_is_read_by_the_cpu_under_none, none),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
