/*
 * cmd_crypt.c - `secsoc crypt` and `secsoc dgst`: encrypt, decrypt or hash
 * a file with the modelled crypto engine, every byte going driver -> BAM ->
 * QCE on a booted machine (docs/cli.md).
 *
 * Owns the options of both commands, the checks of keys, IVs and input
 * lengths (all made before the machine boots, so bad input costs nothing),
 * and the synchronous request loop: the input is copied into kmalloc'd
 * normal-world memory, split into --request-size requests, each one
 * submitted to the QCE driver's transform (looked up by driver name, so
 * nothing else can serve it) and waited for with crypto_wait_req(), which
 * runs the simulation. The scenarios' checker (scenarios/checker.h)
 * watches the engine, the bus and the pipe lock all along and judges the
 * end state. The output is written only when every request succeeded and
 * every invariant held, the machine shut down included.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <secsoc/crypto.h>
#include <secsoc/err.h>

#include "cli/cli.h"
#include "scenarios/checker.h"
#include "scenarios/scenario.h"

#define CRYPT_REQUEST_SIZE_DEFAULT 65536
#define CRYPT_REQUEST_SIZE_MAX 65536
#define CRYPT_INPUT_MAX (64u << 20)	/* bytes read from --in or stdin */
#define CRYPT_KEY_MAX 1024		/* bytes of an HMAC key; AES keys are checked apart */

enum crypt_mode { MODE_ECB, MODE_CBC, MODE_CTR, MODE_XTS, MODE_HASH, MODE_HMAC };

struct crypt_alg {
	const char *name;		/* the Linux crypto API name, what -c takes */
	const char *driver;		/* the QCE driver's implementation */
	enum crypt_mode mode;
};

static const struct crypt_alg crypt_algs[] = {
	{ "cbc(aes)", "cbc-aes-qce", MODE_CBC },
	{ "ctr(aes)", "ctr-aes-qce", MODE_CTR },
	{ "xts(aes)", "xts-aes-qce", MODE_XTS },
	{ "ecb(aes)", "ecb-aes-qce", MODE_ECB },
	{ "sha256", "sha256-qce", MODE_HASH },
	{ "sha1", "sha1-qce", MODE_HASH },
	{ "hmac(sha256)", "hmac-sha256-qce", MODE_HMAC },
	{ "hmac(sha1)", "hmac-sha1-qce", MODE_HMAC },
};

static bool mode_is_hash(enum crypt_mode mode)
{
	return mode == MODE_HASH || mode == MODE_HMAC;
}

struct crypt_cli {
	const char *cmd;		/* "crypt" or "dgst" */
	const char *alg_name;
	const char *key_hex;
	const char *iv_hex;
	char dir;			/* 'e', 'd', or 0 */
	bool both_dirs;			/* -e and -d given */
	const char *in_path;
	const char *out_path;
	u64 request_size;
	const char *lock_policy;
	bool tee_load;
	const char *dtb;
	const char *dts;
	u64 seed;
	bool json;
	/* Checked values. */
	const struct crypt_alg *alg;
	u8 key[CRYPT_KEY_MAX];
	unsigned int keylen;
	u8 iv[AES_BLOCK_SIZE];
};

/* One run: the machine, what it did, and how it went. */
struct crypt_run {
	struct machine m;
	struct checker chk;		/* the invariants of DESIGN.md, as the scenarios check them */
	struct drm_load *load;		/* --tee-load, until freed */
	u64 load_samples;
	u64 load_errors;
	u8 *input;			/* host copy of the input */
	size_t len;
	u8 *output;			/* host copy of the result */
	size_t out_len;
	char driver[CRYPTO_MAX_ALG_NAME];	/* the implementation that served the requests */
	u64 requests;
	u64 start_ns;			/* modelled time of the first request */
	u64 end_ns;			/* ... and of the last completion */
	u64 sim_steps;			/* the whole run, boot included */
	u64 sim_ns;
	u64 sim_choices;
	unsigned int sim_violations;	/* before shutdown */
	struct secsoc_error err;	/* bad input (exit 2) or internal error (exit 3) */
	char fail[SECSOC_ERROR_MSG_MAX];	/* a failed request or check (exit 1) */
};

/* ---- options ---- */

static const char crypt_help[] =
	"usage: secsoc crypt -c ALG -k HEXKEY [-i HEXIV] (-e | -d) [--in F] [--out F]\n"
	"                    [--request-size N] [--lock-policy none|v12|nwd] [--tee-load]\n"
	"                    [--dtb F | --dts F] [--seed N] [--json]\n"
	"Encrypts (-e) or decrypts (-d) F (default stdin) to --out (default stdout) with the\n"
	"modelled crypto engine, in requests of N bytes (default 65536; a multiple of 16,\n"
	"at most 65536). ALG: cbc(aes), ctr(aes), xts(aes), ecb(aes). Keys: 16 or 32 bytes\n"
	"(xts: 32 or 64); IV: 16 bytes (not for ecb). No padding: ecb and cbc take whole\n"
	"blocks. CBC/CTR chain across requests; XTS takes each request as one data unit\n"
	"with tweak IV + request index (128-bit little-endian). --json: a report on stderr.\n"
	"Long forms: --alg, --key, --iv, --encrypt, --decrypt.\n"
	"Exit: 0 done and all invariants held, 1 a request or check failed, 2 bad input.\n";

static const char dgst_help[] =
	"usage: secsoc dgst -c sha256|sha1|hmac(sha256)|hmac(sha1) [-k HEXKEY] [--in F]\n"
	"                   [--request-size N] [--lock-policy none|v12|nwd] [--tee-load]\n"
	"                   [--dtb F | --dts F] [--seed N] [--json]\n"
	"Prints the lowercase hex digest of F (default stdin) and a newline, computed by the\n"
	"modelled crypto engine in updates of N bytes (default 65536; a multiple of 16, at\n"
	"most 65536), the partial state exported and imported between updates. hmac needs\n"
	"-k (any length up to 1024 bytes); plain hashes take no key. --json: a report on\n"
	"stderr. Long forms: --alg, --key.\n"
	"Exit: 0 done and all invariants held, 1 a request or check failed, 2 bad input.\n";

enum { OPT_ALG = 'c', OPT_KEY = 'k', OPT_IV = 'i', OPT_ENCRYPT = 'e', OPT_DECRYPT = 'd',
       OPT_IN = 256, OPT_OUT, OPT_REQUEST_SIZE, OPT_LOCK, OPT_TEE_LOAD, OPT_DTB, OPT_DTS,
       OPT_SEED, OPT_JSON, OPT_HELP };

#define CRYPT_COMMON_OPTIONS \
	{ "alg", required_argument, NULL, OPT_ALG }, \
	{ "key", required_argument, NULL, OPT_KEY }, \
	{ "in", required_argument, NULL, OPT_IN }, \
	{ "request-size", required_argument, NULL, OPT_REQUEST_SIZE }, \
	{ "lock-policy", required_argument, NULL, OPT_LOCK }, \
	{ "tee-load", no_argument, NULL, OPT_TEE_LOAD }, \
	{ "dtb", required_argument, NULL, OPT_DTB }, \
	{ "dts", required_argument, NULL, OPT_DTS }, \
	{ "seed", required_argument, NULL, OPT_SEED }, \
	{ "json", no_argument, NULL, OPT_JSON }, \
	{ "help", no_argument, NULL, OPT_HELP }

static const struct option crypt_longopts[] = {
	CRYPT_COMMON_OPTIONS,
	{ "iv", required_argument, NULL, OPT_IV },
	{ "encrypt", no_argument, NULL, OPT_ENCRYPT },
	{ "decrypt", no_argument, NULL, OPT_DECRYPT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ NULL, 0, NULL, 0 },
};

static const struct option dgst_longopts[] = {
	CRYPT_COMMON_OPTIONS,
	{ NULL, 0, NULL, 0 },
};

static int crypt_option(void *ctx, int opt, const char *arg, struct secsoc_error *err)
{
	struct crypt_cli *c = ctx;
	enum lock_policy policy;

	switch (opt) {
	case OPT_ALG: c->alg_name = arg; return 0;
	case OPT_KEY: c->key_hex = arg; return 0;
	case OPT_IV: c->iv_hex = arg; return 0;
	case OPT_ENCRYPT:
	case OPT_DECRYPT:
		c->both_dirs |= c->dir && c->dir != opt;
		c->dir = (char)opt;
		return 0;
	case OPT_IN: c->in_path = arg; return 0;
	case OPT_OUT: c->out_path = arg; return 0;
	case OPT_REQUEST_SIZE:
		return cli_parse_u64("--request-size", arg, UINT32_MAX, &c->request_size, err);
	case OPT_LOCK:
		c->lock_policy = arg;
		return lock_policy_parse(arg, &policy, err);
	case OPT_TEE_LOAD: c->tee_load = true; return 0;
	case OPT_DTB: c->dtb = arg; return 0;
	case OPT_DTS: c->dts = arg; return 0;
	case OPT_SEED: return cli_parse_u64("--seed", arg, UINT64_MAX, &c->seed, err);
	case OPT_JSON: c->json = true; return 0;
	}
	return -1;
}

/* ---- checks of the options ---- */

static int crypt_unsupported(const struct crypt_cli *c, struct secsoc_error *err)
{
	bool dgst = !strcmp(c->cmd, "dgst");
	char list[128] = "";

	for (size_t i = 0; i < ARRAY_SIZE(crypt_algs); i++) {
		if (mode_is_hash(crypt_algs[i].mode) != dgst)
			continue;
		if (list[0])
			strcat(list, ", ");
		strcat(list, crypt_algs[i].name);
	}
	if (!c->alg_name)
		return input_error(err, "-c ALG is required (supported: %s)", list);
	return input_error(err, "-c: unsupported algorithm '%s' (supported: %s)", c->alg_name,
			   list);
}

static int crypt_find_alg(struct crypt_cli *c, struct secsoc_error *err)
{
	bool dgst = !strcmp(c->cmd, "dgst");

	for (size_t i = 0; c->alg_name && i < ARRAY_SIZE(crypt_algs); i++) {
		if (!strcmp(c->alg_name, crypt_algs[i].name) &&
		    mode_is_hash(crypt_algs[i].mode) == dgst) {
			c->alg = &crypt_algs[i];
			return 0;
		}
	}
	return crypt_unsupported(c, err);
}

/**
 * parse_hex - decode the hex string @text of option @opt into @buf
 * @max: bytes @buf holds
 * @len: set to the bytes decoded
 *
 * Return: 0, or -EINVAL naming @opt and the first bad character (1-based).
 */
static int parse_hex(const char *opt, const char *text, u8 *buf, size_t max, unsigned int *len,
		     struct secsoc_error *err)
{
	size_t n = strlen(text);

	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)text[i]))
			return input_error(err, "%s: character %zu ('%c') is not a hex digit", opt,
					   i + 1, isprint((unsigned char)text[i]) ? text[i] : '?');
	if (n % 2)
		return input_error(err, "%s: odd number of hex digits (%zu); each byte takes two",
				   opt, n);
	if (n / 2 > max)
		return input_error(err, "%s: %zu bytes is too long (at most %zu)", opt, n / 2, max);
	for (size_t i = 0; i < n / 2; i++) {
		char pair[3] = { text[2 * i], text[2 * i + 1], 0 };

		buf[i] = (u8)strtoul(pair, NULL, 16);
	}
	*len = (unsigned int)(n / 2);
	return 0;
}

/* AES keys: 16 or 32 bytes, XTS twice that with different halves. */
static int crypt_check_aes_key(const struct crypt_cli *c, struct secsoc_error *err)
{
	unsigned int unit = c->alg->mode == MODE_XTS ? 2 : 1;
	unsigned int half = c->keylen / 2;

	if (c->keylen != unit * AES_KEYSIZE_128 && c->keylen != unit * AES_KEYSIZE_256)
		return input_error(err, "-k: the key is %u byte%s; %s takes %u or %u bytes "
				   "(%u or %u hex digits)", c->keylen, c->keylen == 1 ? "" : "s",
				   c->alg->name,
				   unit * AES_KEYSIZE_128, unit * AES_KEYSIZE_256,
				   2 * unit * AES_KEYSIZE_128, 2 * unit * AES_KEYSIZE_256);
	if (c->alg->mode == MODE_XTS && !memcmp(c->key, c->key + half, half))
		return input_error(err, "-k: the two halves of the xts(aes) key are equal; XTS "
				   "needs two different keys (the QCE refuses key1 == key2)");
	return 0;
}

static int crypt_check_key(struct crypt_cli *c, struct secsoc_error *err)
{
	enum crypt_mode mode = c->alg->mode;

	if (mode == MODE_HASH) {
		if (c->key_hex)
			return input_error(err, "-k: %s takes no key (only hmac(...) does)",
					   c->alg->name);
		return 0;
	}
	if (!c->key_hex)
		return input_error(err, "-k HEXKEY is required for %s", c->alg->name);
	if (parse_hex("-k", c->key_hex, c->key, mode == MODE_HMAC ? CRYPT_KEY_MAX : 2 *
		      AES_MAX_KEY_SIZE, &c->keylen, err))
		return -EINVAL;
	return mode == MODE_HMAC ? 0 : crypt_check_aes_key(c, err);
}

static int crypt_check_iv(struct crypt_cli *c, struct secsoc_error *err)
{
	unsigned int len;

	if (c->alg->mode == MODE_ECB || mode_is_hash(c->alg->mode)) {
		if (c->iv_hex)
			return input_error(err, "-i: %s takes no IV", c->alg->name);
		return 0;
	}
	if (!c->iv_hex)
		return input_error(err, "-i HEXIV is required for %s (16 bytes, 32 hex digits)",
				   c->alg->name);
	if (parse_hex("-i", c->iv_hex, c->iv, sizeof(c->iv) + 1, &len, err))
		return -EINVAL;
	if (len != AES_BLOCK_SIZE)
		return input_error(err, "-i: the IV is %u byte%s; %s takes 16 (32 hex digits)",
				   len, len == 1 ? "" : "s", c->alg->name);
	return 0;
}

static int crypt_check_options(struct crypt_cli *c, struct secsoc_error *err)
{
	if (crypt_find_alg(c, err) || crypt_check_key(c, err) || crypt_check_iv(c, err))
		return -EINVAL;
	if (!mode_is_hash(c->alg->mode) && (!c->dir || c->both_dirs))
		return input_error(err, "exactly one of -e (encrypt) and -d (decrypt) is required");
	if (!c->request_size || c->request_size % AES_BLOCK_SIZE ||
	    c->request_size > CRYPT_REQUEST_SIZE_MAX)
		return input_error(err, "--request-size: %llu is not a positive multiple of 16 up "
				   "to %d", (unsigned long long)c->request_size,
				   CRYPT_REQUEST_SIZE_MAX);
	if (c->dtb && c->dts)
		return input_error(err, "--dtb and --dts are mutually exclusive");
	return 0;
}

/* ---- input and output ---- */

static int crypt_read_input(const struct crypt_cli *c, struct crypt_run *r)
{
	FILE *f = c->in_path ? fopen(c->in_path, "rb") : stdin;
	const char *name = c->in_path ? c->in_path : "stdin";
	size_t got;

	if (!f)
		return input_error(&r->err, "--in: cannot open '%s': %m", c->in_path);
	r->input = malloc(CRYPT_INPUT_MAX + 1);
	if (!r->input) {
		if (f != stdin)
			fclose(f);
		return internal_error(&r->err, "out of memory for the input");
	}
	got = fread(r->input, 1, CRYPT_INPUT_MAX + 1, f);
	r->len = got;
	if (ferror(f))
		input_error(&r->err, "--in: cannot read '%s': %m", name);
	else if (got > CRYPT_INPUT_MAX)
		input_error(&r->err, "the input (%s) is longer than %u bytes, the most %s reads",
			    name, CRYPT_INPUT_MAX, c->cmd);
	if (f != stdin)
		fclose(f);
	return r->err.kind ? -EINVAL : 0;
}

/* Lengths the modes cannot take, refused before anything boots. */
static int crypt_check_length(const struct crypt_cli *c, struct crypt_run *r)
{
	size_t last = r->len % c->request_size;

	if ((c->alg->mode == MODE_ECB || c->alg->mode == MODE_CBC) && r->len % AES_BLOCK_SIZE)
		return input_error(&r->err, "the input is %zu bytes, not a multiple of 16 (the AES "
				   "block size), which %s needs: crypt adds no padding", r->len,
				   c->alg->name);
	if (c->alg->mode == MODE_XTS && last && last < AES_BLOCK_SIZE)
		return input_error(&r->err, "the input is %zu bytes, so its last xts(aes) data "
				   "unit (the bytes after the last whole --request-size of %llu) is "
				   "%zu bytes; XTS needs at least 16", r->len,
				   (unsigned long long)c->request_size, last);
	return 0;
}

static int crypt_write_output(const struct crypt_cli *c, const struct crypt_run *r,
			      struct secsoc_error *err)
{
	FILE *f = c->out_path ? fopen(c->out_path, "wb") : stdout;
	const char *name = c->out_path ? c->out_path : "stdout";
	bool ok;

	if (!f)
		return input_error(err, "--out: cannot open '%s': %m", c->out_path);
	ok = fwrite(r->output, 1, r->out_len, f) == r->out_len;
	ok = (f == stdout ? fflush(f) == 0 : fclose(f) == 0) && ok;
	return ok ? 0 : input_error(err, "cannot write %s: %m", name);
}

/* ---- the machine ---- */

static int crypt_failed(struct crypt_run *r, const char *fmt, ...) SECSOC_PRINTF(2, 3);

/* Record a failed request or check (exit 1); the first one is kept. */
static int crypt_failed(struct crypt_run *r, const char *fmt, ...)
{
	va_list ap;

	if (!r->fail[0]) {
		va_start(ap, fmt);
		vsnprintf(r->fail, sizeof(r->fail), fmt, ap);
		va_end(ap);
	}
	return -EIO;
}

/* Why the QCE driver's @driver cannot be had on this board: exit 2 naming it. */
static int crypt_no_driver(struct crypt_run *r, const char *driver, long ret)
{
	const struct soc *soc = r->m.soc;
	const struct soc_binding *b;

	if (!soc->qce_node)
		return input_error(&r->err, "%s: the board has no crypto engine (no enabled "
				   "qcom,qce node), which %s needs", r->m.dt->source, driver);
	b = soc_binding(soc, soc->qce_node);
	if (!b->driver_state || strcmp(b->driver_state, "bound"))
		return input_error(&r->err, "%s: node %s: the QCE driver is not bound (%s), so "
				   "there is no %s", r->m.dt->source, soc->qce_node->path,
				   b->driver_state ? b->driver_state : "no driver", driver);
	return internal_error(&r->err, "node %s: the QCE driver is bound but %s is unavailable "
			      "(%ld)", soc->qce_node->path, driver, ret);
}

static int crypt_boot(const struct crypt_cli *c, struct crypt_run *r)
{
	struct sim_config cfg = {
		.seed = c->seed,
		.jitter_pct = SIM_DEFAULT_JITTER_PCT,
		.scenario = c->cmd,
		.lock_policy = c->lock_policy,
		.no_choice_log = true,	/* crypt/dgst never save a schedule */
	};

	if (machine_open(&r->m, c->dtb, c->dts, &cfg, 0, &r->err))
		return -EINVAL;
	if (!crypto_has_alg(c->alg->driver, 0, 0))
		return crypt_no_driver(r, c->alg->driver, -ENOENT);
	if (checker_attach(&r->chk, &r->m, &r->err))
		return -EINVAL;
	if (c->tee_load) {
		r->load = drm_load_start(&r->m, c->seed, &r->err);
		if (!r->load)
			return -EINVAL;
	}
	return 0;
}

/* Step the simulation until the DRM load has nothing in flight. */
static bool crypt_drain_load(struct crypt_run *r)
{
	struct sim *s = r->m.sim;

	drm_load_stop(r->load);
	while (!drm_load_idle(r->load)) {
		if (sim_violation_count(s) || sim_steps(s) >= sim_config(s)->max_steps ||
		    !sim_step_once(s))
			return false;
	}
	return true;
}

static void crypt_finish_load(struct crypt_run *r)
{
	bool idle = crypt_drain_load(r);

	r->load_samples = drm_load_samples(r->load);
	r->load_errors = drm_load_errors(r->load);
	if (!idle) {
		crypt_failed(r, "--tee-load: the DRM load did not finish (%llu samples done)",
			     (unsigned long long)r->load_samples);
		return;		/* still in flight: cannot be freed */
	}
	if (r->load_errors)
		crypt_failed(r, "--tee-load: %llu of the DRM load's %llu samples failed",
			     (unsigned long long)r->load_errors,
			     (unsigned long long)r->load_samples);
	drm_load_free(r->load);
	r->load = NULL;
}

/* ---- the requests ---- */

/* -ETIMEDOUT comes from the driver's watchdog and from crypto_wait_req() alike. */
static const char *crypt_errname(int err)
{
	static char buf[128];

	snprintf(buf, sizeof(buf), "%s (%d)", err == -ETIMEDOUT ? "timed out: the driver gave up "
		 "on it, or the simulation stopped before it completed" : strerror(-err), err);
	return buf;
}

/* XTS: data unit @index has the tweak IV + @index, a 128-bit little-endian sum. */
static void xts_tweak(const u8 *iv, u64 index, u8 *tweak)
{
	unsigned int carry = 0;

	for (int i = 0; i < AES_BLOCK_SIZE; i++) {
		unsigned int sum = iv[i] + (unsigned int)(index & 0xff) + carry;

		tweak[i] = (u8)sum;
		carry = sum >> 8;
		index >>= 8;
	}
}

/* The buffers one cipher run uses, all in normal-world memory. */
struct cipher_bufs {
	struct crypto_skcipher *tfm;
	struct skcipher_request *req;
	u8 *src;
	u8 *dst;
	u8 *iv;
};

static int cipher_requests(const struct crypt_cli *c, struct crypt_run *r, struct cipher_bufs *b)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg_src, sg_dst;
	size_t off = 0;
	int ret = 0;

	skcipher_request_set_callback(b->req, CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done, &wait);
	memcpy(b->iv, c->iv, AES_BLOCK_SIZE);
	r->start_ns = sim_now_ns(r->m.sim);
	for (u64 i = 0; !ret && off < r->len; i++) {
		unsigned int n = (unsigned int)MIN(r->len - off, c->request_size);

		/* CBC and CTR chain through req->iv, which the driver updates. */
		if (c->alg->mode == MODE_XTS)
			xts_tweak(c->iv, i, b->iv);
		sg_init_one(&sg_src, b->src + off, n);
		sg_init_one(&sg_dst, b->dst + off, n);
		skcipher_request_set_crypt(b->req, &sg_src, &sg_dst, n, b->iv);
		ret = c->dir == 'e' ? crypto_skcipher_encrypt(b->req) :
				      crypto_skcipher_decrypt(b->req);
		ret = crypto_wait_req(ret, &wait);
		if (ret)
			crypt_failed(r, "%s request %llu (bytes %zu..%zu) failed: %s", r->driver,
				     (unsigned long long)i, off, off + n - 1, crypt_errname(ret));
		else
			r->requests++;
		off += n;
	}
	r->end_ns = sim_now_ns(r->m.sim);
	return ret ? -EIO : 0;
}

static int cipher_setup(const struct crypt_cli *c, struct crypt_run *r, struct cipher_bufs *b)
{
	int ret;

	b->tfm = crypto_alloc_skcipher(c->alg->driver, 0, 0);
	if (IS_ERR(b->tfm)) {
		ret = (int)PTR_ERR(b->tfm);
		b->tfm = NULL;
		return crypt_no_driver(r, c->alg->driver, ret);
	}
	snprintf(r->driver, sizeof(r->driver), "%s", crypto_skcipher_driver_name(b->tfm));
	ret = crypto_skcipher_setkey(b->tfm, c->key, c->keylen);
	if (ret)
		return input_error(&r->err, "-k: %s refused the %u-byte key: %s", r->driver,
				   c->keylen, strerror(-ret));
	b->req = skcipher_request_alloc(b->tfm, GFP_KERNEL);
	b->src = kmalloc(r->len, GFP_KERNEL);
	b->dst = kmalloc(r->len, GFP_KERNEL);
	b->iv = kmalloc(AES_BLOCK_SIZE, GFP_KERNEL);
	r->output = malloc(r->len ? r->len : 1);
	if (!b->req || !b->src || !b->dst || !b->iv || !r->output)
		return internal_error(&r->err, "out of memory for %zu bytes of %s", r->len,
				      c->alg->name);
	memcpy(b->src, r->input, r->len);
	return 0;
}

static int crypt_cipher(const struct crypt_cli *c, struct crypt_run *r)
{
	struct cipher_bufs b = { 0 };
	int ret = cipher_setup(c, r, &b);

	if (!ret)
		ret = cipher_requests(c, r, &b);
	if (!ret) {
		memcpy(r->output, b.dst, r->len);
		r->out_len = r->len;
	}
	kfree(b.iv);
	kfree(b.dst);
	kfree(b.src);
	skcipher_request_free(b.req);
	crypto_free_skcipher(b.tfm);
	return ret;
}

/*
 * The buffers one hash run uses. Two requests take turns: after every
 * update the state is exported from one and imported into the other, so
 * the driver's partial-state path carries every digest.
 */
struct hash_bufs {
	struct crypto_ahash *tfm;
	struct ahash_request *req[2];
	u8 *data;
	u8 *state;
	u8 *result;
};

/* One step of the hash: @what names it in a failure. */
static int hash_wait(struct crypt_run *r, int ret, struct crypto_wait *wait, const char *what,
		     u64 index)
{
	ret = crypto_wait_req(ret, wait);
	if (ret)
		return crypt_failed(r, "%s %s %llu failed: %s", r->driver, what,
				    (unsigned long long)index, crypt_errname(ret));
	r->requests++;
	return 0;
}

static int hash_requests(const struct crypt_cli *c, struct crypt_run *r, struct hash_bufs *b)
{
	DECLARE_CRYPTO_WAIT(wait);
	struct scatterlist sg;
	unsigned int cur = 0;
	size_t off = 0;
	u64 i = 0;
	int ret;

	for (int k = 0; k < 2; k++)
		ahash_request_set_callback(b->req[k], CRYPTO_TFM_REQ_MAY_BACKLOG, crypto_req_done,
					   &wait);
	r->start_ns = sim_now_ns(r->m.sim);
	ahash_request_set_crypt(b->req[0], NULL, b->result, 0);
	ret = hash_wait(r, crypto_ahash_init(b->req[0]), &wait, "init", 0);
	for (; !ret && off < r->len; i++, cur ^= 1) {
		unsigned int n = (unsigned int)MIN(r->len - off, c->request_size);

		sg_init_one(&sg, b->data + off, n);
		ahash_request_set_crypt(b->req[cur], &sg, b->result, n);
		ret = hash_wait(r, crypto_ahash_update(b->req[cur]), &wait, "update", i);
		if (!ret && crypto_ahash_export(b->req[cur], b->state))
			ret = crypt_failed(r, "%s: export after update %llu failed", r->driver,
					   (unsigned long long)i);
		if (!ret && crypto_ahash_import(b->req[cur ^ 1], b->state))
			ret = crypt_failed(r, "%s: import after update %llu failed", r->driver,
					   (unsigned long long)i);
		off += n;
	}
	if (!ret) {
		ahash_request_set_crypt(b->req[cur], NULL, b->result, 0);
		ret = hash_wait(r, crypto_ahash_final(b->req[cur]), &wait, "final", 0);
	}
	r->end_ns = sim_now_ns(r->m.sim);
	return ret;
}

static int hash_setup(const struct crypt_cli *c, struct crypt_run *r, struct hash_bufs *b)
{
	int ret;

	b->tfm = crypto_alloc_ahash(c->alg->driver, 0, 0);
	if (IS_ERR(b->tfm)) {
		ret = (int)PTR_ERR(b->tfm);
		b->tfm = NULL;
		return crypt_no_driver(r, c->alg->driver, ret);
	}
	snprintf(r->driver, sizeof(r->driver), "%s", crypto_ahash_driver_name(b->tfm));
	if (c->alg->mode == MODE_HMAC) {
		ret = crypto_ahash_setkey(b->tfm, c->key, c->keylen);
		if (ret)
			return input_error(&r->err, "-k: %s refused the %u-byte key: %s",
					   r->driver, c->keylen, strerror(-ret));
	}
	b->req[0] = ahash_request_alloc(b->tfm, GFP_KERNEL);
	b->req[1] = ahash_request_alloc(b->tfm, GFP_KERNEL);
	b->data = kmalloc(r->len, GFP_KERNEL);
	b->state = kzalloc(MAX(crypto_ahash_statesize(b->tfm), 1u), GFP_KERNEL);
	b->result = kzalloc(crypto_ahash_digestsize(b->tfm), GFP_KERNEL);
	r->output = malloc(2 * HASH_MAX_DIGESTSIZE + 1);
	if (!b->req[0] || !b->req[1] || !b->data || !b->state || !b->result || !r->output)
		return internal_error(&r->err, "out of memory for %zu bytes of %s", r->len,
				      c->alg->name);
	memcpy(b->data, r->input, r->len);
	return 0;
}

static int crypt_hash(const struct crypt_cli *c, struct crypt_run *r)
{
	struct hash_bufs b = { 0 };
	int ret = hash_setup(c, r, &b);

	if (!ret)
		ret = hash_requests(c, r, &b);
	if (!ret) {
		for (unsigned int i = 0; i < crypto_ahash_digestsize(b.tfm); i++)
			sprintf((char *)r->output + 2 * i, "%02x", b.result[i]);
		r->out_len = 2 * crypto_ahash_digestsize(b.tfm);
		r->output[r->out_len++] = '\n';
	}
	kfree(b.result);
	kfree(b.state);
	kfree(b.data);
	ahash_request_free(b.req[1]);
	ahash_request_free(b.req[0]);
	crypto_free_ahash(b.tfm);
	return ret;
}

/* ---- the end: checks, report, output ---- */

/* The simulation's figures, taken before shutdown destroys its actors. */
static void crypt_note_sim(struct crypt_run *r)
{
	const struct sim *s = r->m.sim;

	r->sim_steps = sim_steps(s);
	r->sim_ns = sim_now_ns(s);
	r->sim_choices = sim_choices(s);
	r->sim_violations = sim_violation_count(s);
}

static void crypt_report_violations(struct report *rep, const struct sim *sim)
{
	report_list_begin(rep, "violations");
	for (unsigned int i = 0; i < sim_violation_count(sim); i++) {
		const struct sim_violation *v = sim_violation(sim, i);

		report_row_begin(rep);
		report_u64(rep, "step", v->step);
		report_str(rep, "actor", v->actor);
		report_str(rep, "where", v->where);
		report_str(rep, "message", v->msg);
		report_row_end(rep);
	}
	report_list_end(rep);
}

static void crypt_report(const struct crypt_cli *c, struct crypt_run *r, const struct sim *sim)
{
	u64 ns = r->end_ns - r->start_ns;
	struct report rep;

	report_begin(&rep, stderr, true);
	report_str(&rep, "secsoc", SECSOC_VERSION);
	report_str(&rep, "command", c->cmd);
	report_str(&rep, "algorithm", c->alg->name);
	report_str(&rep, "driver", r->driver);
	if (!mode_is_hash(c->alg->mode))
		report_str(&rep, "direction", c->dir == 'e' ? "encrypt" : "decrypt");
	report_u64(&rep, "bytes", r->len);
	report_u64(&rep, "request_size", c->request_size);
	report_u64(&rep, "requests", r->requests);
	report_u64(&rep, "modelled_ns", ns);
	report_double(&rep, "modelled_mb_per_s", ns ? (double)r->len * 1e3 / (double)ns : 0);
	report_str(&rep, "lock_policy", c->lock_policy);
	report_section_begin(&rep, "tee_load");
	report_bool(&rep, "enabled", c->tee_load);
	report_u64(&rep, "samples", r->load_samples);
	report_u64(&rep, "errors", r->load_errors);
	report_section_end(&rep);
	report_section_begin(&rep, "simulation");
	report_u64(&rep, "seed", c->seed);
	report_u64(&rep, "steps", r->sim_steps);
	report_u64(&rep, "modelled_ns", r->sim_ns);
	report_u64(&rep, "choices", r->sim_choices);
	report_section_end(&rep);
	crypt_report_violations(&rep, sim);
	report_str(&rep, "verdict", r->fail[0] ? "FAIL" : "PASS");
	report_end(&rep);
}

/*
 * The violations, on stderr. A violation stops the run with work in
 * flight, so shutting down then breaks more (drivers removed with requests
 * on them): those consequences are counted, not listed. The JSON report
 * lists them all.
 */
static void crypt_print_violations(struct crypt_run *r, struct sim *sim, unsigned int in_run)
{
	unsigned int n = sim_violation_count(sim), shown = in_run ? in_run : n;

	for (unsigned int i = 0; i < shown; i++) {
		const struct sim_violation *v = sim_violation(sim, i);

		fprintf(stderr, "secsoc: invariant violated at step %llu (%s, %s): %s\n",
			(unsigned long long)v->step, v->actor, v->where, v->msg);
	}
	if (n > shown)
		fprintf(stderr, "secsoc: %u more at shutdown, after the run had stopped\n",
			n - shown);
	if (n)
		crypt_failed(r, "%u invariant violation(s)", n);
}

/*
 * Shut the machine down (drivers removed: kernel_shutdown() checks the
 * crypto accounting), judge, report, and only then write the output.
 */
static int crypt_close(const struct crypt_cli *c, struct crypt_run *r)
{
	struct sim *sim = r->m.sim;
	struct dt *dt = r->m.dt;
	int ret;

	if (r->load)
		crypt_finish_load(r);
	/* Everything is released unless a request or the load got stuck. */
	if (r->chk.attached && !r->fail[0] && !r->err.kind)
		checker_judge(&r->chk);
	checker_detach(&r->chk);
	if (sim)
		crypt_note_sim(r);
	machine_shutdown(&r->m);
	if (sim)
		crypt_print_violations(r, sim, r->sim_violations);
	if (sim && c->json && !r->err.kind)
		crypt_report(c, r, sim);
	sim_destroy(sim);
	dt_free(dt);
	if (r->err.kind)
		return cli_fail(&r->err);
	if (r->fail[0]) {
		fprintf(stderr, "secsoc: error: %s\n", r->fail);
		return EXIT_VERIFY_FAILED;
	}
	ret = crypt_write_output(c, r, &r->err);
	return ret ? cli_fail(&r->err) : 0;
}

static int crypt_main(struct crypt_cli *c)
{
	struct crypt_run *r = calloc(1, sizeof(*r));
	int ret;

	if (!r) {
		fprintf(stderr, "secsoc: error: out of memory\n");
		return EXIT_INTERNAL;
	}
	if (!c->lock_policy)
		c->lock_policy = lock_policy_name(LOCK_POLICY_DEFAULT);
	if (crypt_check_options(c, &r->err) || crypt_read_input(c, r) ||
	    crypt_check_length(c, r)) {
		ret = cli_fail(&r->err);
	} else {
		if (!crypt_boot(c, r)) {
			if (mode_is_hash(c->alg->mode))
				crypt_hash(c, r);
			else
				crypt_cipher(c, r);
		}
		ret = crypt_close(c, r);
	}
	free(r->input);
	free(r->output);
	free(r);
	return ret;
}

static int crypt_command(const char *cmd, int argc, char **argv, const char *shortopts,
			 const struct option *longopts, const char *help)
{
	struct crypt_cli c = { .cmd = cmd, .request_size = CRYPT_REQUEST_SIZE_DEFAULT };
	int ret = cli_parse_options(cmd, argc, argv, shortopts, longopts, OPT_HELP, help,
				    crypt_option, &c);

	return ret >= 0 ? ret : crypt_main(&c);
}

/* The short options both commands share with openssl: -c -k (and crypt's -i -e -d). */
int cmd_crypt(int argc, char **argv)
{
	return crypt_command("crypt", argc, argv, "c:k:i:ed", crypt_longopts, crypt_help);
}

int cmd_dgst(int argc, char **argv)
{
	return crypt_command("dgst", argc, argv, "c:k:", dgst_longopts, dgst_help);
}
