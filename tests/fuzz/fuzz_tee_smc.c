/*
 * fuzz_tee_smc.c - libFuzzer harness for the secure world as the normal
 * world attacks it: raw SMCs (tee/smc.c), messages of any content at any
 * address (tee/tee_core.c), DRM decrypt requests with fuzzed sub-sample
 * tables, keys and buffers (tee/ta_drm.c, tee/tee_bam.c), some through the
 * client driver (drivers/tee/tee_drv.c), with simulation steps in between.
 *
 * Every input boots the default board (machine_open(), secure world and
 * every built-in driver) with one content key provisioned. Its first byte
 * picks the fault sites (bits 1:0: none, bam-irq-drop, bam-desc-error,
 * ta-crash and bam-irq-drop), the random strategy instead of the timed one
 * (bit 2) and the seed (bits 7:3). The rest is at most H_OPS_MAX
 * operations, one opcode byte (modulo their number) and its arguments:
 *
 *   0 smc a0sel8 a0:32 a1:32 a2:32 a3:32  any SMC: a known function ID, a
 *                           fuzzed one, or a yielding one at an address of
 *                           a class below
 *   1 msg buf8 ...          a message of fuzzed fields (func, session,
 *                           num_params, reserved, uuid, each parameter's
 *                           type, address class, size)
 *   2 bytes buf8 off8 n8 {byte}*  raw bytes into a message buffer
 *   3 yield fn8 buf8 off8 len8 cpu8  a yielding SMC on a message buffer
 *   4 decrypt sel8 nr8 {clear16 enc16}* mut8 [..] out8 off32 in8 [..] sess8
 *                           a DRM decrypt of content encrypted with the
 *                           provisioned key, raw or through the client API;
 *                           mut8 breaks the descriptor (key id, sizes,
 *                           reserved, count, scheme; each takes its value),
 *                           out8 >= 0xc0 moves the output to another
 *                           address class, in8 the input, descriptor,
 *                           sizes or types (sample_params())
 *   5 open buf8 sel8        6 close buf8 sess8   well-formed OPEN / CLOSE
 *   7 steps n8              up to n8 + 1 simulation steps
 *   8 run                   until quiescence (within the step budget)
 *   9 poke sel8 off24 x8    change a byte of a sample or descriptor buffer
 *
 * Addresses name the harness's own buffers, the secure world's private
 * memory, the protected carve-out, its edges, MMIO, RAM's end, beyond RAM,
 * above 4 GiB and wrapping ranges. A yielding SMC whose message would be
 * normal memory the harness does not own is not made (the secure world
 * would rightly overwrite it: the normal world attacking itself).
 *
 * Bugs it reports by abort(): an always() failure; a normal-world master
 * writing the private memory or the carve-out, or a secure master writing
 * normal memory anywhere but the message of a call in flight (a bus
 * observer); a 16-byte window of the decrypted content or the key in any
 * buffer the harness owns; an SMC answer other than docs/tee.md's; a call
 * notified twice or never; a TEE_SUCCESS for a command the DRM TA must
 * refuse, or with wrong protected output; a well-formed decrypt failing
 * without a fault; a run that does not become quiescent; a session left
 * open after closing them all, anything left allocated after every driver
 * is removed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include <secsoc/bam.h>
#include <secsoc/dma-mapping.h>
#include <secsoc/err.h>
#include <secsoc/io.h>
#include <secsoc/slab.h>

#include "scenarios/scenario.h"

#include "fuzz_check.h"
#include "fuzz_input.h"

#define HARNESS "fuzz_tee_smc"

#define H_OPS_MAX 48
#define H_OP_STEPS 30000	/* steps the operations may take in all */
#define H_END_STEPS 400000	/* then, to quiescence */
#define H_MSGS 4
#define H_MSG_BUF 256		/* a message (168 bytes) at offsets up to 88 */
#define H_MSG_LEN ((u32)sizeof(struct tee_msg_arg))
#define H_SAMPLES 2
#define H_SAMPLE_MAX (64u << 10)
#define H_DESC_LEN ((u32)sizeof(struct tee_drm_decrypt_desc))
#define H_RECS 16		/* decrypts in flight: more than the call slots */
#define H_KEY_ID 7
#define H_QCE_BASE 0x01dfa000ULL
#define H_BAM_BASE 0x01dc4000ULL
#define H_SECRET_BITS 18	/* the hash set of secret windows */

static const u8 h_key[TEE_DRM_KEY_BYTES] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const u8 h_uuid[16] = TEE_DRM_TA_UUID;

/* A decrypt the harness built, from its submission to its completion. */
struct h_rec {
	bool used;
	bool client;		/* through tee_client_invoke_func() */
	bool well_formed;	/* everything right: only a fault or a lost session fails it */
	bool solo;		/* nothing else could write the output or change the input */
	unsigned int sample;
	u32 sample_gen;		/* its buffers' generation when built */
	u64 out_pa;
	u32 len;
	struct tee_param params[TEE_NUM_PARAMS];
	struct tee_ioctl_invoke_arg arg;
};

/* A yielding call made by a raw SMC, by call id. */
struct h_raw {
	bool posted;
	unsigned int msg;	/* the buffer */
	u32 msg_gen;		/* its generation when posted */
	u64 pa;
	u32 func;
	int rec;		/* the decrypt it carries, or -1 */
};

static struct {
	struct machine m;
	bool faults;
	struct tee_context *ctx;
	void (*drv_notify)(void *ctx, u32 call_id);
	void *drv_ctx;
	u8 *msg[H_MSGS];
	u32 msg_gen[H_MSGS];	/* changes with every harness write */
	u8 *in[H_SAMPLES];
	struct tee_drm_decrypt_desc *desc[H_SAMPLES];
	u32 sample_gen[H_SAMPLES];	/* changes with every rebuild or poke */
	u8 clear[H_SAMPLES][H_SAMPLE_MAX];	/* what the sample decrypts to */
	struct h_raw raw[TEE_CALLS_MAX];
	struct h_rec recs[H_RECS];
	u64 op_steps;
} hz;

/* Content and filler, and the hash set of the content's 16-byte windows. */
static u8 h_content[H_SAMPLE_MAX], h_filler[H_SAMPLE_MAX];
static u64 h_secret[1u << H_SECRET_BITS];
static bool h_secret_ready;

#define fail(...) fuzz_fail(HARNESS, __VA_ARGS__)

static void check_violations(void)
{
	fuzz_check_violations(HARNESS, hz.m.sim);
}

/* ---- the secret: no window of it may reach normal memory ---- */

static void secret_add(const u8 *p)
{
	u64 h = fuzz_window_hash(p);
	u32 i = (u32)(h >> (64 - H_SECRET_BITS));

	while (h_secret[i] && h_secret[i] != h)
		i = (i + 1) & ((1u << H_SECRET_BITS) - 1);
	h_secret[i] = h;
}

/* Hashes, not bytes, are compared: libFuzzer cannot learn the content from them. */
static bool secret_has(const u8 *p)
{
	u64 h = fuzz_window_hash(p);
	u32 i = (u32)(h >> (64 - H_SECRET_BITS));

	for (; h_secret[i]; i = (i + 1) & ((1u << H_SECRET_BITS) - 1))
		if (h_secret[i] == h)
			return true;
	return false;
}

static void secret_init(void)
{
	fuzz_fill(h_content, sizeof(h_content), 0x5ec5ec5ec5ec5ecULL);
	fuzz_fill(h_filler, sizeof(h_filler), 0x0123456789abcdefULL);
	for (u32 i = 0; i + 16 <= sizeof(h_content); i++)
		secret_add(h_content + i);
	secret_add(h_key);
	h_secret_ready = true;
}

static void scan(const char *what, const u8 *p, size_t n)
{
	for (size_t i = 0; i + 16 <= n; i++)
		if (secret_has(p + i))
			fail("%s holds decrypted content or the key at byte %zu", what, i);
}

/* Every buffer the harness owns in normal memory. */
static void scan_all(void)
{
	for (unsigned int i = 0; i < H_MSGS; i++)
		scan("a message buffer", hz.msg[i], H_MSG_BUF);
	for (unsigned int i = 0; i < H_SAMPLES; i++) {
		scan("a descriptor buffer", (const u8 *)hz.desc[i], H_DESC_LEN);
		scan("an input buffer", hz.in[i], H_SAMPLE_MAX);
	}
}

/* ---- the bus observer ---- */

static bool overlaps(u64 a, u64 alen, u64 b, u64 blen)
{
	return a < b + blen && b < a + alen;
}

static bool inside(u64 a, u64 alen, u64 b, u64 blen)
{
	return a >= b && a + alen <= b + blen;
}

static bool in_flight_msg(u64 addr, u32 len)
{
	const struct tee_call *c = hz.m.tee.calls;

	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++)
		if (c[i].used && inside(addr, len, c[i].msg_pa, H_MSG_LEN))
			return true;
	return false;
}

static void observe(void *opaque, const struct bus_access *a)
{
	const struct tee *t = &hz.m.tee;
	bool secret;

	if (!a->write || a->target != BUS_TARGET_RAM || !a->decision.allowed)
		return;
	secret = overlaps(a->addr, a->len, t->priv_base, t->priv_size) ||
		 overlaps(a->addr, a->len, t->prot_base, t->prot_size);
	if (!a->master->secure && secret)
		fail("normal-world master %s wrote [0x%llx, +%u) of secure memory", a->master->name,
		     (unsigned long long)a->addr, a->len);
	if (a->master->secure && !secret &&
	    !(a->master->kind == BUS_MASTER_CPU && in_flight_msg(a->addr, a->len)))
		fail("secure master %s wrote [0x%llx, +%u) of normal memory", a->master->name,
		     (unsigned long long)a->addr, a->len);
}

/* ---- addresses ---- */

static u64 pa_of(const void *p)
{
	return virt_to_phys(p);
}

/* An address of class @cls (modulo 12) for @len bytes; @off varies it. */
static u64 addr_of(u32 cls, u32 off, u64 len, unsigned int sample)
{
	const struct tee *t = &hz.m.tee;
	u64 prot_room = t->prot_size > len ? t->prot_size - len : 1;

	switch (cls % 12) {
	case 0:
		return t->prot_base + ((u64)off % prot_room & ~15ULL);
	case 1:
		return t->prot_base + (u64)off % t->prot_size;
	case 2:
		return t->prot_base + t->prot_size - len + off % 32;
	case 3:
		return t->prot_base - 1 - off % 64;
	case 4:
		return t->priv_base + (u64)off % t->priv_size;
	case 5:
		return t->priv_base + t->priv_size - off % 64;
	case 6:
		return pa_of(hz.in[sample]) + off % H_SAMPLE_MAX;
	case 7:
		return pa_of(hz.desc[sample]) + off % 8;
	case 8:
		return (off & 1 ? H_QCE_BASE : H_BAM_BASE) + (off >> 1) % 0x6000;
	case 9:
		return 0xc0000000ULL - off % 256;
	case 10:
		return (off & 1 ? BUS_PA_LIMIT : 0x100000000ULL) + (off >> 1);
	default:
		return ~0ULL - off;
	}
}

/* ---- calls ---- */

static bool is_yielding(u32 a0)
{
	return a0 == TEE_SMC_OPEN_SESSION || a0 == TEE_SMC_INVOKE_COMMAND ||
	       a0 == TEE_SMC_CLOSE_SESSION;
}

/* The harness's message buffer [pa, pa + len) lies in, or -1. */
static int msg_of(u64 pa, u64 len)
{
	for (unsigned int i = 0; i < H_MSGS; i++)
		if (inside(pa, len, pa_of(hz.msg[i]), H_MSG_BUF))
			return (int)i;
	return -1;
}

static void msg_touch(unsigned int i)
{
	hz.msg_gen[i]++;
}

/* Is a raw call on buffer @i in flight? */
static bool msg_shared(int i)
{
	for (unsigned int c = 0; c < TEE_CALLS_MAX; c++)
		if (hz.raw[c].posted && hz.raw[c].msg == (unsigned int)i)
			return true;
	return false;
}

/* Anything that may change what another decrypt reads or writes. */
static void recs_unsolo(void)
{
	for (unsigned int i = 0; i < H_RECS; i++)
		hz.recs[i].solo = false;
}

static int rec_alloc(void)
{
	for (unsigned int i = 0; i < H_RECS; i++)
		if (!hz.recs[i].used)
			return (int)i;
	return -1;
}

static bool is_protmem(u32 a0)
{
	return a0 == TEE_SMC_PROTMEM_ASSIGN || a0 == TEE_SMC_PROTMEM_RELEASE ||
	       a0 == TEE_SMC_PROTMEM_INFO;
}

/*
 * The protected-memory service with forged arguments: whatever it answers,
 * an accepted assign leaves the range protected and no longer normal, and
 * an accepted release leaves it scrubbed and normal again.
 */
static void check_protmem(u32 a0, u64 pa, u32 len, const struct arm_smccc_res *res)
{
	const struct tee *t = &hz.m.tee;
	const u8 *mem;

	if (a0 == TEE_SMC_PROTMEM_INFO || res->a0 != TEE_SUCCESS)
		return;
	if (a0 == TEE_SMC_PROTMEM_ASSIGN &&
	    (!tee_range_protected(t, pa, len) || tee_range_normal(t, pa, len)))
		fail("assign of 0x%llx (+%u) accepted, but the range is not protected",
		     (unsigned long long)pa, len);
	if (a0 != TEE_SMC_PROTMEM_RELEASE)
		return;
	if (tee_range_protected(t, pa, len) || !tee_range_normal(t, pa, len))
		fail("release of 0x%llx (+%u) accepted, but the range is still protected",
		     (unsigned long long)pa, len);
	mem = bus_ram_backdoor(hz.m.soc->bus, pa, len);
	for (u32 i = 0; mem && i < len; i++)
		if (mem[i])
			fail("release of 0x%llx (+%u): byte %u is 0x%02x, not scrubbed",
			     (unsigned long long)pa, len, i, mem[i]);
}

static void check_fast(u32 a0, const struct arm_smccc_res *res)
{
	struct arm_smccc_res want = { SMCCC_RET_NOT_SUPPORTED, 0, 0, 0 };

	if (is_protmem(a0))
		return;
	if (a0 == TEE_SMC_GET_VERSION)
		want = (struct arm_smccc_res){ TEE_SUCCESS, TEE_VERSION_MAJOR, TEE_VERSION_MINOR,
					       TEE_CALLS_MAX };
	else if (a0 == TEE_SMC_CALLS_COUNT)
		want = (struct arm_smccc_res){ 9, 0, 0, 0 };
	else if (a0 == TEE_SMC_CALLS_UID)
		want = (struct arm_smccc_res){ TEE_SMC_UID_0, TEE_SMC_UID_1, TEE_SMC_UID_2,
					       TEE_SMC_UID_3 };
	if (res->a0 != want.a0 || res->a1 != want.a1 || res->a2 != want.a2 || res->a3 != want.a3)
		fail("SMC 0x%08x answered 0x%lx 0x%lx 0x%lx 0x%lx", a0, res->a0, res->a1, res->a2,
		     res->a3);
}

/*
 * The SMC instruction on normal-world CPU @cpu. A yielding call is posted
 * exactly when its message is well placed and a slot is free. Return: the
 * call id, or -1 when nothing was posted.
 */
static int smc(unsigned int cpu, u32 a0, u64 pa, u32 len, int rec)
{
	struct soc *soc = hz.m.soc;
	bool placed = len == H_MSG_LEN && !(pa % 8) && tee_range_normal(&hz.m.tee, pa, len);
	unsigned int busy = tee_calls_in_flight(&hz.m.tee);
	int mi = msg_of(pa, len);
	struct arm_smccc_res res;

	if (is_yielding(a0) && placed && mi < 0)
		return -1;	/* normal memory the harness does not own */
	tee_smc_call(soc, &soc->cpus[cpu % soc->nr_cpus], a0, (u32)(pa >> 32), (u32)pa, len,
		     &res);
	check_violations();
	if (!is_yielding(a0)) {
		check_fast(a0, &res);
		check_protmem(a0, pa, len, &res);
		return -1;
	}
	if (res.a0 != (!placed ? TEE_ERROR_BAD_PARAMETERS :
		       busy == TEE_CALLS_MAX ? TEE_ERROR_BUSY : TEE_SUCCESS))
		fail("yielding SMC 0x%08x at 0x%llx (+%u) with %u calls in flight: a0 0x%lx", a0,
		     (unsigned long long)pa, len, busy, res.a0);
	if (res.a0 != TEE_SUCCESS)
		return -1;
	if (res.a1 >= TEE_CALLS_MAX || hz.raw[res.a1].posted)
		fail("yielding SMC got call id %lu, which is in use", res.a1);
	if (a0 == TEE_SMC_INVOKE_COMMAND && busy)
		recs_unsolo();
	/*
	 * Calls sharing a buffer overwrite each other's message: the secure
	 * side may even read one call's write-back as the next one's message.
	 */
	msg_touch((unsigned int)mi);
	hz.raw[res.a1] = (struct h_raw){ .posted = true, .msg = (unsigned int)mi,
					 .msg_gen = hz.msg_gen[mi] - msg_shared(mi), .pa = pa,
					 .func = a0, .rec = rec };
	return (int)res.a1;
}

/* ---- completions ---- */

static bool ret_known(u32 ret)
{
	static const u32 codes[] = {
		TEE_SUCCESS, TEE_ERROR_GENERIC, TEE_ERROR_ACCESS_DENIED,
		TEE_ERROR_BAD_PARAMETERS, TEE_ERROR_ITEM_NOT_FOUND, TEE_ERROR_NOT_SUPPORTED,
		TEE_ERROR_OUT_OF_MEMORY, TEE_ERROR_BUSY, TEE_ERROR_COMMUNICATION,
		TEE_ERROR_SECURITY, TEE_ERROR_TARGET_DEAD,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(codes); i++)
		if (ret == codes[i])
			return true;
	return false;
}

/* Only a decrypt the DRM TA must accept may succeed (docs/tee.md, its checks). */
static void check_invoke_ok(const struct tee_msg_arg *m)
{
	const struct tee_msg_param *d = &m->params[0], *in = &m->params[1], *out = &m->params[2];
	const struct tee *t = &hz.m.tee;

	if (m->func != TEE_DRM_CMD_DECRYPT || m->num_params != 3 ||
	    d->attr != TEE_PARAM_ATTR_TYPE_MEMREF_INPUT ||
	    in->attr != TEE_PARAM_ATTR_TYPE_MEMREF_INPUT ||
	    out->attr != TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT || d->b != H_DESC_LEN || !in->b ||
	    in->b > TEE_DRM_SAMPLE_MAX || out->b < in->b || !tee_range_normal(t, d->a, d->b) ||
	    !tee_range_normal(t, in->a, in->b) || !tee_range_protected(t, out->a, out->b) ||
	    m->params[3].attr)
		fail("an invoke succeeded that the DRM TA must refuse: func %u, %u params, types "
		     "%llu %llu %llu, desc 0x%llx+%llu, in 0x%llx+%llu, out 0x%llx+%llu", m->func,
		     m->num_params, (unsigned long long)d->attr, (unsigned long long)in->attr,
		     (unsigned long long)out->attr, (unsigned long long)d->a,
		     (unsigned long long)d->b, (unsigned long long)in->a,
		     (unsigned long long)in->b, (unsigned long long)out->a,
		     (unsigned long long)out->b);
}

/* A decrypt the harness built finished with @ret. */
static void rec_done(struct h_rec *r, u32 ret)
{
	const u8 *out;

	bool intact = r->sample_gen == hz.sample_gen[r->sample];

	if (r->well_formed && intact && ret != TEE_SUCCESS && ret != TEE_ERROR_ITEM_NOT_FOUND &&
	    ret != TEE_ERROR_TARGET_DEAD &&
	    (!hz.faults || (ret != TEE_ERROR_COMMUNICATION && ret != TEE_ERROR_GENERIC)))
		fail("a well-formed decrypt of %u bytes failed: 0x%08x", r->len, ret);
	if (ret == TEE_SUCCESS && r->solo && r->well_formed && intact) {
		out = bus_ram_backdoor(hz.m.soc->bus, r->out_pa, r->len);
		for (u32 i = 0; out && i < r->len; i++)
			if (out[i] != hz.clear[r->sample][i])
				fail("decrypt of %u bytes succeeded; output byte %u is 0x%02x, "
				     "not 0x%02x", r->len, i, out[i], hz.clear[r->sample][i]);
	}
	r->used = false;
}

/* A raw call finished; its message is reliable if nothing wrote it since the SMC. */
static void raw_done(struct h_raw *c)
{
	struct tee_msg_arg m;
	bool reliable = hz.msg_gen[c->msg] == c->msg_gen;

	c->posted = false;
	memcpy(&m, phys_to_virt(c->pa), sizeof(m));
	scan("a message written back", (const u8 *)&m, sizeof(m));
	if (reliable && (!ret_known(m.ret) || m.ret_origin < TEE_ORIGIN_API ||
			 m.ret_origin > TEE_ORIGIN_TRUSTED_APP))
		fail("a call of 0x%08x finished with ret 0x%08x origin %u", c->func, m.ret,
		     m.ret_origin);
	if (reliable && m.ret == TEE_SUCCESS && c->func == TEE_SMC_INVOKE_COMMAND)
		check_invoke_ok(&m);
	if (reliable && m.ret == TEE_SUCCESS && c->func == TEE_SMC_OPEN_SESSION &&
	    (memcmp(m.uuid, h_uuid, sizeof(h_uuid)) || !m.session))
		fail("an open of another TA succeeded, or gave session 0");
	if (c->rec >= 0 && reliable)
		rec_done(&hz.recs[c->rec], m.ret);
	else if (c->rec >= 0)
		hz.recs[c->rec].used = false;
}

static void notify(void *ctx, u32 id)
{
	if (id < TEE_CALLS_MAX && hz.raw[id].posted)
		raw_done(&hz.raw[id]);
	else if (hz.drv_notify)
		hz.drv_notify(hz.drv_ctx, id);
	else
		fail("a notification for call %u, which nobody made", id);
}

static void client_done(void *data, u32 ret)
{
	struct h_rec *r = data;

	if (!r->used || !r->client)
		fail("a client completion for a decrypt not in flight");
	if (r->arg.ret != ret || !ret_known(ret))
		fail("client completion 0x%08x, arg says 0x%08x", ret, r->arg.ret);
	rec_done(r, ret);
}

/* ---- simulation ---- */

/* Up to @n steps within @budget steps of the run; false once nothing is ready. */
static bool steps(u64 n, u64 budget)
{
	for (; n && hz.op_steps < budget; n--, hz.op_steps++) {
		if (!sim_step_once(hz.m.sim))
			return false;
		check_violations();
	}
	return true;
}

/* ---- operations ---- */

static void op_smc(struct input *in)
{
	static const u32 known[] = {
		TEE_SMC_GET_VERSION, TEE_SMC_CALLS_COUNT, TEE_SMC_CALLS_UID,
		TEE_SMC_OPEN_SESSION, TEE_SMC_INVOKE_COMMAND, TEE_SMC_CLOSE_SESSION,
		TEE_SMC_FAST_CALL(1), TEE_SMC_STD_CALL(3), 0x84000000u, 0xC2000000u,
		TEE_SMC_PROTMEM_ASSIGN, TEE_SMC_PROTMEM_RELEASE, TEE_SMC_PROTMEM_INFO,
	};
	u32 sel = take(in, 1), a0 = take(in, 4), a1 = take(in, 4), a2 = take(in, 4);
	u32 a3 = take(in, 4);
	u64 pa = (u64)a1 << 32 | a2;

	switch (sel & 3) {
	case 0:
		a0 = known[(sel >> 2) % ARRAY_SIZE(known)];
		break;
	case 1:
		a0 = TEE_SMC_FAST_CALL(a0 & 0xffff) ^ (sel >> 7) << 30;
		break;
	case 2:
		a0 = TEE_SMC_STD_CALL((sel >> 2) % 3);
		pa = addr_of(sel >> 4, a1, H_MSG_LEN, a2 & 1);
		a3 = a3 & 1 ? H_MSG_LEN : a3 % 512;
		break;
	}
	if (is_protmem(a0) && (sel & 0x80)) {
		/* Mostly well-formed: pages near the regions the harness knows. */
		pa = addr_of(sel >> 4, a1, PAGE_SIZE, 0) & ~(u64)(PAGE_SIZE - 1);
		a3 = (a3 % 16 + 1) * (u32)PAGE_SIZE;
	}
	smc(a2, a0, pa, a3, -1);
}

static void put_param(struct tee_msg_param *p, struct input *in)
{
	u32 attr = take(in, 1), cls = take(in, 1), off = take(in, 4);

	p->attr = attr < 0xf0 ? attr % 8 : attr;
	p->b = take(in, 3);
	if (cls & 0x80)
		p->b = cls & 0x40 ? H_DESC_LEN : ~0ULL - (cls & 15);
	p->a = addr_of(cls, off, p->b, cls >> 7);
	p->c = take(in, 4);
}

/* The session of @sel: one the TEE has open, or any number. */
static u32 session_of(u32 sel)
{
	const struct tee_session *s = &hz.m.tee.sessions[sel % TEE_SESSIONS_MAX];

	return sel < 0xe0 && s->used ? s->id : sel;
}

static void op_msg(struct input *in)
{
	unsigned int i = take(in, 1) % H_MSGS;
	u32 sel = take(in, 1);
	struct tee_msg_arg m = {
		.func = take(in, 1), .session = session_of(take(in, 1)),
		.ret = TEE_ERROR_COMMUNICATION, .ret_origin = TEE_ORIGIN_COMMS,
		.num_params = take(in, 1) % 6, .reserved = sel & 1 ? take(in, 4) : 0,
	};

	memcpy(m.uuid, h_uuid, sizeof(m.uuid));
	if (sel & 2)
		m.uuid[take(in, 1) % 16] ^= (u8)take(in, 1) | 1;
	for (unsigned int p = 0; p < TEE_NUM_PARAMS; p++)
		if (p < m.num_params || sel & 4)
			put_param(&m.params[p], in);
	memcpy(hz.msg[i] + (sel >> 3) % (H_MSG_BUF - H_MSG_LEN + 1), &m, sizeof(m));
	msg_touch(i);
}

static void op_bytes(struct input *in)
{
	unsigned int i = take(in, 1) % H_MSGS;
	u32 off = take(in, 1), n = take(in, 1) % 32;

	for (; n && off < H_MSG_BUF; n--, off++)
		hz.msg[i][off] = (u8)take(in, 1);
	msg_touch(i);
}

/* The message at buffer @buf, offset @off (8-aligned unless @off says otherwise). */
static u64 msg_pa(u32 buf, u32 off)
{
	u32 o = off & 0x80 ? off % 89 : off % 12 * 8;

	return pa_of(hz.msg[buf % H_MSGS]) + o;
}

static void op_yield(struct input *in)
{
	u32 fn = take(in, 1), buf = take(in, 1), off = take(in, 1), len = take(in, 1);
	u32 cpu = take(in, 1);

	smc(cpu, TEE_SMC_STD_CALL(fn < 0xf0 ? fn % 3 : fn), msg_pa(buf, off),
	    len < 0xf0 ? H_MSG_LEN : len, -1);
}

/* A well-formed message for @func in buffer @buf at offset 0. */
static u64 msg_put(unsigned int buf, const struct tee_msg_arg *m)
{
	memcpy(hz.msg[buf], m, sizeof(*m));
	msg_touch(buf);
	return pa_of(hz.msg[buf]);
}

static void op_open(struct input *in)
{
	unsigned int buf = take(in, 1) % H_MSGS;
	u32 sel = take(in, 1);
	struct tee_msg_arg m = { .ret = TEE_ERROR_COMMUNICATION, .ret_origin = TEE_ORIGIN_COMMS };

	memcpy(m.uuid, h_uuid, sizeof(m.uuid));
	if (sel >= 0xf0)
		m.uuid[sel % 16] ^= 1;
	smc(sel, TEE_SMC_OPEN_SESSION, msg_put(buf, &m), H_MSG_LEN, -1);
}

static void op_close(struct input *in)
{
	unsigned int buf = take(in, 1) % H_MSGS;
	struct tee_msg_arg m = { .session = session_of(take(in, 1)),
				 .ret = TEE_ERROR_COMMUNICATION, .ret_origin = TEE_ORIGIN_COMMS };

	smc(0, TEE_SMC_CLOSE_SESSION, msg_put(buf, &m), H_MSG_LEN, -1);
}

static void op_steps(struct input *in)
{
	steps(take(in, 1) + 1, H_OP_STEPS);
}

static void op_run(struct input *in)
{
	steps(H_OP_STEPS, H_OP_STEPS);
}

static void op_poke(struct input *in)
{
	u32 sel = take(in, 1), off = take(in, 3), x = take(in, 1) | 1;
	unsigned int s = sel & 1;

	if (sel & 2)
		((u8 *)hz.desc[s])[off % H_DESC_LEN] ^= (u8)x;
	else
		hz.in[s][off % H_SAMPLE_MAX] ^= (u8)x;
	hz.sample_gen[s]++;
}

/* ---- samples ---- */

static u32 cbcs_blocks(u32 enc)
{
	return DIV_ROUND_UP(enc / 16, TEE_DRM_CBCS_CRYPT_BLOCKS + TEE_DRM_CBCS_SKIP_BLOCKS);
}

/* What the sample decrypts to: content where encrypted, filler where clear. */
static void sample_clear(const struct tee_drm_decrypt_desc *d, u8 *clear, u32 len)
{
	u32 off = 0;

	memcpy(clear, h_filler, len);
	for (unsigned int i = 0; i < d->nr_subsamples; i++) {
		const struct tee_drm_subsample *s = &d->subsamples[i];
		u32 e = off + s->clear_bytes;

		if (d->scheme == TEE_DRM_SCHEME_CENC)
			memcpy(clear + e, h_content + e, s->encrypted_bytes);
		for (u32 b = 0; d->scheme == TEE_DRM_SCHEME_CBCS &&
				b < cbcs_blocks(s->encrypted_bytes); b++)
			memcpy(clear + e + b * 160, h_content + e + b * 160, 16);
		off = e + s->encrypted_bytes;
	}
}

/* What a packager does (tests/unit/tee_fixture.h's fx_ref_crypt, encrypting). */
static void sample_encrypt(const struct tee_drm_decrypt_desc *d, const u8 *src, u8 *dst)
{
	bool cenc = d->scheme == TEE_DRM_SCHEME_CENC;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	u32 off = 0;
	int outl;

	if (!ctx || !EVP_EncryptInit_ex(ctx, cenc ? EVP_aes_128_ctr() : EVP_aes_128_cbc(), NULL,
					h_key, d->iv))
		fail("OpenSSL cipher set-up failed");
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	for (unsigned int i = 0; i < d->nr_subsamples; i++) {
		const struct tee_drm_subsample *s = &d->subsamples[i];
		u32 e = off + s->clear_bytes;

		memcpy(dst + off, src + off, s->clear_bytes + s->encrypted_bytes);
		if (cenc && s->encrypted_bytes)
			EVP_EncryptUpdate(ctx, dst + e, &outl, src + e, (int)s->encrypted_bytes);
		if (!cenc)
			EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, d->iv);
		for (u32 b = 0; !cenc && b + 16 <= s->encrypted_bytes; b += 160)
			EVP_EncryptUpdate(ctx, dst + e + b, &outl, src + e + b, 16);
		off = e + s->encrypted_bytes;
	}
	EVP_CIPHER_CTX_free(ctx);
}

/* A sub-sample table from the input, within H_SAMPLE_MAX; returns the sample's size. */
static u32 sample_layout(struct tee_drm_decrypt_desc *d, struct input *in)
{
	u32 nr = take(in, 1), len = 0;

	d->nr_subsamples = nr < 0xe0 ? nr % 4 + 1 : nr % TEE_DRM_SUBSAMPLES_MAX + 1;
	for (unsigned int i = 0; i < d->nr_subsamples; i++) {
		u32 c = take(in, 2) % 4096, e = take(in, 2);

		e = e & 0x8000 ? e % 64 : e % 16384;
		c = MIN(c, H_SAMPLE_MAX - len);
		e = MIN(e, H_SAMPLE_MAX - len - c);
		d->subsamples[i] = (struct tee_drm_subsample){ c, e };
		len += c + e;
	}
	if (!len)
		d->subsamples[0].encrypted_bytes = len = 16;
	return len;
}

/* Break what mut8 asks for; the decrypt is then no longer well formed. */
static bool sample_mutate(struct tee_drm_decrypt_desc *d, u32 mut, struct input *in)
{
	if (mut & 1)
		d->key_id = take(in, 4);
	if (mut & 2)
		d->subsamples[d->nr_subsamples - 1].clear_bytes ^= 1;
	if (mut & 4)
		d->reserved = take(in, 4) | 1;
	if (mut & 8)
		d->nr_subsamples = take(in, 1);
	if (mut & 16)
		d->scheme = take(in, 4);
	return !(mut & 31);
}

/* The three parameters: output class out8 (0: valid), in8 picks input and sizes. */
static bool sample_params(struct h_rec *r, u32 len, struct input *in)
{
	u32 out = take(in, 1), off = take(in, 4), sel = take(in, 1);
	unsigned int s = r->sample;
	u64 out_len = sel & 0x10 ? len + (off >> 24) : len;
	u64 in_pa = sel & 0x20 ? addr_of(sel >> 6 | 4, off, len, s) : pa_of(hz.in[s]);
	u64 desc_pa = sel & 0x40 ? addr_of(sel >> 2, off >> 8, H_DESC_LEN, s) :
			pa_of(hz.desc[s]);

	r->out_pa = addr_of(out < 0xc0 ? 0 : out, off, out_len, s);
	r->params[0] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
					   .u.memref = { .pa = desc_pa, .size = H_DESC_LEN } };
	r->params[1] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_INPUT,
					   .u.memref = { .pa = in_pa, .size = len } };
	r->params[2] = (struct tee_param){ TEE_PARAM_ATTR_TYPE_MEMREF_OUTPUT,
					   .u.memref = { .pa = r->out_pa, .size = out_len } };
	if (sel & 8)
		r->params[sel & 3].u.memref.size = take(in, 4);
	if (sel & 4)
		r->params[sel & 3].attr = take(in, 1) % 8;
	return out < 0xc0 && !(sel & 0x6c);
}

/* Post @r: a raw SMC on message buffer @buf, or the client API. */
static void sample_submit(struct h_rec *r, u32 session, u32 sel)
{
	struct tee_msg_arg m = { .func = TEE_DRM_CMD_DECRYPT, .session = session,
				 .ret = TEE_ERROR_COMMUNICATION, .ret_origin = TEE_ORIGIN_COMMS,
				 .num_params = 3 };
	int ret;

	r->arg = (struct tee_ioctl_invoke_arg){ .func = TEE_DRM_CMD_DECRYPT, .session = session,
						.num_params = 3 };
	r->used = true;
	r->solo = true;
	if (tee_calls_in_flight(&hz.m.tee))
		recs_unsolo();
	r->client = sel & 4;
	if (r->client) {
		ret = tee_client_invoke_func(hz.ctx, &r->arg, r->params, client_done, r);
		if (ret && ret != -EBUSY)
			fail("tee_client_invoke_func: %d", ret);
		r->used = !ret;
		return;
	}
	for (unsigned int p = 0; p < 3; p++)
		m.params[p] = (struct tee_msg_param){ r->params[p].attr, r->params[p].u.memref.pa,
						      r->params[p].u.memref.size, 0 };
	r->used = smc(sel >> 5, TEE_SMC_INVOKE_COMMAND, msg_put((sel >> 3) % H_MSGS, &m),
		      H_MSG_LEN, (int)(r - hz.recs)) >= 0;
}

static void op_decrypt(struct input *in)
{
	u32 sel = take(in, 1);
	unsigned int s = sel & 1;
	struct tee_drm_decrypt_desc *d = hz.desc[s];
	int ri = rec_alloc();
	struct h_rec *r = &hz.recs[ri < 0 ? 0 : ri];
	bool ok;
	u32 len;

	if (ri < 0)
		return;
	memset(d, 0, sizeof(*d));
	*r = (struct h_rec){ .sample = s, .sample_gen = ++hz.sample_gen[s] };
	d->key_id = H_KEY_ID;
	d->scheme = sel & 2 ? TEE_DRM_SCHEME_CBCS : TEE_DRM_SCHEME_CENC;
	fuzz_fill(d->iv, sizeof(d->iv), sel + 1);
	len = sample_layout(d, in);
	sample_clear(d, hz.clear[s], len);
	sample_encrypt(d, hz.clear[s], hz.in[s]);
	r->len = len;
	ok = sample_mutate(d, take(in, 1), in);
	r->well_formed = sample_params(r, len, in) && ok;
	sample_submit(r, session_of(take(in, 1)), sel);
}

static void (*const ops[])(struct input *in) = {
	op_smc, op_msg, op_bytes, op_yield, op_decrypt, op_open, op_close, op_steps, op_run,
	op_poke,
};

/* ---- the machine ---- */

static void *kzalloc_or_fail(size_t n)
{
	void *p = kzalloc(n, GFP_KERNEL);

	if (!p)
		fail("kzalloc(%zu) failed", n);
	return p;
}

static void h_boot(u32 cfg)
{
	static const char *const faults[] = {
		"", "bam-irq-drop:0.05", "bam-desc-error:0.05", "ta-crash:0.2,bam-irq-drop:0.02",
	};
	struct sim_config sc = { .seed = cfg >> 3, .max_steps = H_OP_STEPS + H_END_STEPS };
	struct secsoc_error err = { 0 };

	memset(&hz.raw, 0, sizeof(hz.raw));
	memset(&hz.recs, 0, sizeof(hz.recs));
	hz.op_steps = 0;
	hz.faults = cfg & 3;
	if (cfg & 4)
		sc.strategy = &sim_strategy_random;
	if (fault_spec_parse(faults[cfg & 3], &sc.faults, &err) ||
	    machine_open(&hz.m, NULL, NULL, &sc, SCENARIO_NEEDS_SECURE_WORLD, &err) ||
	    tee_drm_provision_key(&hz.m.tee, H_KEY_ID, h_key))
		fail("boot: %s", err.msg);
	hz.ctx = tee_client_open_context(NULL, NULL, NULL, NULL);
	if (IS_ERR(hz.ctx))
		fail("no TEE client context: %ld", PTR_ERR(hz.ctx));
	hz.drv_notify = hz.m.tee.notifier;
	hz.drv_ctx = hz.m.tee.notifier_ctx;
	tee_smc_set_notifier(hz.m.soc, notify, NULL);
	if (bus_add_observer(hz.m.soc->bus, observe, NULL))
		fail("no room for the bus observer");
	for (unsigned int i = 0; i < H_MSGS; i++)
		hz.msg[i] = kzalloc_or_fail(H_MSG_BUF);
	for (unsigned int i = 0; i < H_SAMPLES; i++) {
		hz.in[i] = kzalloc_or_fail(H_SAMPLE_MAX);
		hz.desc[i] = kzalloc_or_fail(H_DESC_LEN);
	}
}

/* Quiescence: every call notified, nothing in flight, the lock free. */
static void h_quiesce(const char *when)
{
	hz.op_steps = 0;
	if (steps(H_END_STEPS, H_END_STEPS))
		fail("%s: no quiescence after %u steps", when, H_END_STEPS);
	for (unsigned int i = 0; i < TEE_CALLS_MAX; i++)
		if (hz.raw[i].posted)
			fail("%s: call %u was never notified", when, i);
	for (unsigned int i = 0; i < H_RECS; i++)
		if (hz.recs[i].used)
			fail("%s: a decrypt never completed", when);
	if (tee_calls_in_flight(&hz.m.tee) || tee_bam_busy(&hz.m.tee) ||
	    bam_lock_owner_ee(hz.m.tee.bam->bam) != BAM_NO_EE)
		fail("%s: %u calls in flight, secure BAM %s, lock owner %d", when,
		     tee_calls_in_flight(&hz.m.tee), tee_bam_busy(&hz.m.tee) ? "busy" : "idle",
		     bam_lock_owner_ee(hz.m.tee.bam->bam));
}

/* Close every session the TEE has open, TEE_CALLS_MAX at a time. */
static void h_close_sessions(void)
{
	for (unsigned int round = 0; tee_sessions_open(&hz.m.tee) && round < 8; round++) {
		unsigned int posted = 0;

		for (unsigned int i = 0; i < TEE_SESSIONS_MAX && posted < H_MSGS; i++) {
			struct tee_msg_arg m = { .session = hz.m.tee.sessions[i].id };

			if (hz.m.tee.sessions[i].used)
				posted += smc(0, TEE_SMC_CLOSE_SESSION, msg_put(posted, &m),
					      H_MSG_LEN, -1) >= 0;
		}
		h_quiesce("closing the sessions");
	}
	if (tee_sessions_open(&hz.m.tee))
		fail("%u sessions still open after closing them all", tee_sessions_open(&hz.m.tee));
}

static void h_teardown(void)
{
	h_quiesce("the end of the input");
	scan_all();
	h_close_sessions();
	for (unsigned int i = 0; i < H_MSGS; i++)
		kfree(hz.msg[i]);
	for (unsigned int i = 0; i < H_SAMPLES; i++) {
		kfree(hz.in[i]);
		kfree(hz.desc[i]);
	}
	tee_client_close_context(hz.ctx);
	bus_remove_observer(hz.m.soc->bus, observe, NULL);
	tee_smc_set_notifier(hz.m.soc, hz.drv_notify, hz.drv_ctx);
	driver_core_remove_all(&hz.m.kernel.dc);
	check_violations();
	fuzz_check_released(HARNESS);
	machine_close(&hz.m);
}

/**
 * LLVMFuzzerTestOneInput - boot the default board as the first byte says,
 * run the rest as the normal world's attack on the secure world, then
 * check that it held, close everything and check that nothing leaked
 */
int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct input in = { data, size };

	if (!h_secret_ready)
		secret_init();
	h_boot(take(&in, 1));
	for (unsigned int n = 0; in.left && n < H_OPS_MAX; n++) {
		ops[take(&in, 1) % ARRAY_SIZE(ops)](&in);
		check_violations();
	}
	h_teardown();
	return 0;
}
