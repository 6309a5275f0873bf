/*
 * fuzz_qce.c - libFuzzer harness for the crypto engine model: the input is
 * a program of register reads and writes (as a CPU), data pushes and pulls
 * through qce_periph_ops, engine steps, lock changes, pipe resets and lent
 * output buffers, run on a detached engine. Whatever the program, the
 * model must not crash, leak, break the port's contract (a pull never
 * returns more than was available, a lent buffer is never overrun) or trip
 * one of its own always() checks.
 *
 * Opcodes (one byte, then its arguments):
 *   0 reg off8 val32     write register number off8 of the offset table
 *   1 reg off8           read it
 *   2 push len16         push up to len16 bytes (din_space bounds it)
 *   3 pull len16         pull up to len16 bytes from the producer pipe
 *   4 step n8            up to n8 + 1 engine steps
 *   5 lock ee8           lock_changed(ee8 % 9 - 1)
 *   6 reset pipe8        pipe_reset(pipe8 % 16)
 *   7 window len16       lend an output buffer of len16 bytes (0: take it back)
 */
#include <stdlib.h>
#include <string.h>

#include <secsoc/bus.h>
#include <secsoc/qce.h>
#include <secsoc/sim.h>

#define QCE_BASE 0x01dfa000ULL
#define PAIRS 4
#define WINDOW_MAX 65536
#define STEPS_MAX 100000

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size);

static const struct bus_master cpu0 = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .privileged = true,
};

/* Every register, and a few offsets where there is none. */
static const u16 offsets[] = {
	QCE_VERSION, QCE_STATUS, QCE_STATUS2, QCE_ENGINES_AVAIL, QCE_FIFO_SIZES, QCE_SEG_SIZE,
	QCE_GOPROC, QCE_ENCR_SEG_CFG, QCE_ENCR_SEG_SIZE, QCE_ENCR_SEG_START, QCE_CNTR_IV(0),
	QCE_CNTR_IV(1), QCE_CNTR_IV(2), QCE_CNTR_IV(3), QCE_CNTR_MASK, QCE_ENCR_XTS_DU_SIZE,
	QCE_CNTR_MASK2, QCE_CNTR_MASK1, QCE_CNTR_MASK0, QCE_AUTH_SEG_CFG, QCE_AUTH_SEG_SIZE,
	QCE_AUTH_SEG_START, QCE_AUTH_IV(0), QCE_AUTH_IV(1), QCE_AUTH_IV(4), QCE_AUTH_IV(7),
	QCE_AUTH_BYTECNT(0), QCE_AUTH_BYTECNT(1), QCE_CONFIG, QCE_GOPROC_QC_KEY,
	QCE_ENCR_KEY(0), QCE_ENCR_KEY(4), QCE_ENCR_KEY(7), QCE_ENCR_XTS_KEY(0),
	QCE_ENCR_XTS_KEY(7), QCE_AUTH_KEY(0), QCE_AUTH_KEY(15), QCE_AUTH_EXP_MAC(0),
	0x114, 0x500, 0x5ffc,
};

struct prog {
	const u8 *p;
	size_t left;
};

static u32 arg(struct prog *pr, unsigned int bytes)
{
	u32 v = 0;

	for (unsigned int i = 0; i < bytes && pr->left; i++, pr->left--)
		v |= (u32)*pr->p++ << (8 * i);
	return v;
}

struct rig {
	struct sim *sim;
	struct bus *bus;
	struct qce *q;
	u8 *window;
	u32 window_len;
	u8 buf[WINDOW_MAX];
};

/* The producer pipe of the pair CONFIG selects (the data path's view). */
static unsigned int pair_of(struct rig *r)
{
	return FIELD_GET(QCE_CONFIG_PIPE_SET_SELECT, qce_reg_peek(r->q, QCE_CONFIG));
}

static void check_window(struct rig *r)
{
	if (r->window && qce_dout_buffer_used(r->q) > r->window_len)
		__builtin_trap();
}

static void op_push(struct rig *r, u32 len)
{
	unsigned int pipe = 2 * pair_of(r);
	u32 space = qce_periph_ops.din_space(r->q, pipe);

	len = MIN(MIN(len, space), (u32)sizeof(r->buf));
	qce_periph_ops.din_push(r->q, pipe, r->buf, len, false);
	check_window(r);
}

static void op_pull(struct rig *r, u32 len)
{
	unsigned int pipe = 2 * pair_of(r) + 1;
	u32 avail = qce_periph_ops.dout_avail(r->q, pipe), got;

	len = MIN(len, (u32)sizeof(r->buf));
	got = qce_periph_ops.dout_pull(r->q, pipe, r->buf, len);
	if (got != MIN(len, avail))
		__builtin_trap();
}

static void op_window(struct rig *r, u32 len)
{
	free(r->window);
	r->window = len ? malloc(len) : NULL;
	r->window_len = r->window ? len : 0;
	qce_set_dout_buffer(r->q, r->window, r->window_len);
}

static void run(struct rig *r, struct prog *pr)
{
	u64 v;

	while (pr->left && !sim_violation_count(r->sim)) {
		switch (arg(pr, 1) % 8) {
		case 0:
			v = offsets[arg(pr, 1) % ARRAY_SIZE(offsets)];
			bus_write_sized(r->bus, &cpu0, QCE_BASE + v, 4, arg(pr, 4));
			break;
		case 1:
			v = offsets[arg(pr, 1) % ARRAY_SIZE(offsets)];
			bus_read_sized(r->bus, &cpu0, QCE_BASE + v, 4, &v);
			break;
		case 2:
			op_push(r, arg(pr, 2));
			break;
		case 3:
			op_pull(r, arg(pr, 2));
			break;
		case 4:
			for (u32 n = arg(pr, 1) + 1; n && sim_step_once(r->sim); n--)
				check_window(r);
			break;
		case 5:
			qce_periph_ops.lock_changed(r->q, (int)(arg(pr, 1) % 9) - 1);
			break;
		case 6:
			qce_periph_ops.pipe_reset(r->q, arg(pr, 1) % 16);
			break;
		default:
			op_window(r, arg(pr, 2));
			break;
		}
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sim_config scfg = { .seed = 1 };
	struct qce_config cfg = { .name = "qce", .base = QCE_BASE, .version = 0x05060000,
				  .nr_pipe_pairs = PAIRS, .timing = qce_timing_defaults };
	struct secsoc_error err = { 0 };
	struct prog pr = { .p = data, .left = size };
	struct rig *r = calloc(1, sizeof(*r));

	if (!r)
		return 0;
	r->sim = sim_create(&scfg);
	r->bus = bus_create();
	r->q = qce_create(r->sim, r->bus, NULL, &cfg, &err);
	if (!r->q)
		__builtin_trap();
	for (size_t i = 0; i < sizeof(r->buf); i++)
		r->buf[i] = (u8)(i * 131);
	run(r, &pr);
	for (unsigned int n = 0; n < STEPS_MAX && sim_step_once(r->sim); n++)
		check_window(r);
	if (sim_violation_count(r->sim))
		__builtin_trap();
	qce_destroy(r->q);
	bus_destroy(r->bus);
	sim_destroy(r->sim);
	free(r->window);
	free(r);
	return 0;
}
