/*
 * test_bus.c - the physical address space: RAM banks, MMIO dispatch, the
 * 4 KiB transaction split, error responses, the filter hook, observers and
 * bus_dma_span().
 */
#include <errno.h>
#include <string.h>

#include "helpers.h"

#include <secsoc/bus.h>
#include <secsoc/sim.h>

#define RAM_BASE 0x80000000ULL
#define RAM_SIZE (16ULL << 20)
#define DEV_BASE 0x10000000ULL

/* Records every reported transaction. */
struct recorder {
	unsigned int n;
	struct bus_access a[64];
};

static void record(void *opaque, const struct bus_access *a)
{
	struct recorder *r = opaque;

	assert_true(r->n < ARRAY_SIZE(r->a));
	r->a[r->n++] = *a;
}

static unsigned int aborts;
static u64 abort_addr;

static void count_abort(const struct bus_master *m, u64 addr, bool write, void *opaque)
{
	aborts++;
	abort_addr = addr;
}

static const struct bus_master cpu_ns = {
	.name = "cpu0", .kind = BUS_MASTER_CPU, .secure = false, .nsaid = 0,
	.abort = count_abort,
};
static const struct bus_master cpu_s = {
	.name = "cpu-s", .kind = BUS_MASTER_CPU, .secure = true, .abort = count_abort,
};
static const struct bus_master dev = {
	.name = "dma", .kind = BUS_MASTER_DEVICE, .nsaid = 3,
};

/* A register file of 16 32-bit registers that logs its last access. */
struct regs {
	u32 r[16];
	unsigned int reads, writes;
	u64 last_off;
	unsigned int last_size;
};

static u64 regs_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
		     enum bus_resp *resp)
{
	struct regs *d = opaque;

	d->reads++;
	d->last_off = off;
	d->last_size = size;
	return d->r[off / 4];
}

static void regs_write(void *opaque, u64 off, u64 val, unsigned int size,
		       const struct bus_master *m, enum bus_resp *resp)
{
	struct regs *d = opaque;

	d->writes++;
	d->last_off = off;
	d->last_size = size;
	d->r[off / 4] = (u32)val;
}

static const struct mmio_ops regs_ops = {
	.read = regs_read, .write = regs_write, .sizes = BUS_ACCESS_32,
};
static const struct mmio_ops secure_regs_ops = {
	.read = regs_read, .write = regs_write, .sizes = BUS_ACCESS_32, .secure_only = true,
};

/* A filter that denies the 4 KiB page at deny_addr and counts its calls. */
struct stub_filter {
	u64 deny_addr;
	enum bus_resp resp;
	unsigned int calls;
};

static void stub_check(void *opaque, const struct bus_master *m, u64 addr, u32 len, bool write,
		       struct bus_filter_decision *d)
{
	struct stub_filter *f = opaque;

	f->calls++;
	if ((addr & ~0xfffULL) != f->deny_addr)
		return;
	d->allowed = false;
	d->resp = f->resp;
	d->region = 5;
	d->reason = "stub says no";
}

static const struct bus_filter_ops stub_ops = { .check = stub_check };

static struct bus *ram_bus(void)
{
	struct secsoc_error err = { 0 };
	struct bus *b = bus_create();

	assert_non_null(b);
	assert_int_equal(bus_add_ram(b, "dram", RAM_BASE, RAM_SIZE, &err), 0);
	aborts = 0;
	return b;
}

static void test_ram_round_trip(void **state)
{
	struct bus *b = ram_bus();
	u8 out[300], in[300];
	u64 v;
	size_t i;

	for (i = 0; i < sizeof(out); i++)
		out[i] = (u8)(i * 7 + 1);
	assert_int_equal(bus_write(b, &cpu_ns, RAM_BASE + 0x123, out, sizeof(out)), BUS_OKAY);
	assert_int_equal(bus_read(b, &dev, RAM_BASE + 0x123, in, sizeof(in)), BUS_OKAY);
	assert_memory_equal(in, out, sizeof(out));
	assert_int_equal(bus_write_sized(b, &cpu_ns, RAM_BASE + 8, 4, 0xdeadbeef), BUS_OKAY);
	assert_int_equal(bus_read_sized(b, &cpu_ns, RAM_BASE + 8, 4, &v), BUS_OKAY);
	assert_int_equal(v, 0xdeadbeef);
	assert_int_equal(((u8 *)bus_ram_backdoor(b, RAM_BASE + 8, 4))[0], 0xef);
	assert_int_equal(aborts, 0);
	bus_destroy(b);
}

static void test_sparse_big_bank(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = bus_create();
	u64 base = 0x800000000ULL, size = 32ULL << 30, v;

	assert_int_equal(bus_add_ram(b, "big", base, size, &err), 0);
	assert_int_equal(bus_write_sized(b, &cpu_ns, base + size - 8, 8, 0x0123456789abcdefULL),
			 BUS_OKAY);
	assert_int_equal(bus_read_sized(b, &cpu_ns, base + size - 8, 8, &v), BUS_OKAY);
	assert_int_equal(v, 0x0123456789abcdefULL);
	assert_int_equal(bus_read_sized(b, &cpu_ns, base + (7ULL << 30), 8, &v), BUS_OKAY);
	assert_int_equal(v, 0);
	assert_null(bus_ram_backdoor(b, base + size - 4, 8));
	bus_destroy(b);
}

static void test_split_at_4k_reported(void **state)
{
	struct bus *b = ram_bus();
	struct recorder rec = { 0 };
	static u8 buf[10000];

	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	/* 0xff0 .. 0xff0 + 10000 = 0x3700: pieces 0x10, 0x1000, 0x1000, 0x700 */
	assert_int_equal(bus_write(b, &dev, RAM_BASE + 0xff0, buf, sizeof(buf)), BUS_OKAY);
	assert_int_equal(rec.n, 4);
	assert_int_equal(rec.a[0].addr, RAM_BASE + 0xff0);
	assert_int_equal(rec.a[0].len, 0x10);
	assert_int_equal(rec.a[1].addr, RAM_BASE + 0x1000);
	assert_int_equal(rec.a[1].len, 0x1000);
	assert_int_equal(rec.a[3].addr, RAM_BASE + 0x3000);
	assert_int_equal(rec.a[3].len, 0x700);
	assert_true(rec.a[2].write);
	assert_int_equal(rec.a[2].target, BUS_TARGET_RAM);
	assert_true(rec.a[2].decision.allowed);
	assert_ptr_equal(rec.a[2].master, &dev);
	bus_remove_observer(b, record, &rec);
	assert_int_equal(bus_read(b, &dev, RAM_BASE, buf, 16), BUS_OKAY);
	assert_int_equal(rec.n, 4);
	bus_destroy(b);
}

static void test_unmapped_decerr_aborts_once(void **state)
{
	struct bus *b = ram_bus();
	struct recorder rec = { 0 };
	u8 buf[3 * 4096];

	memset(buf, 0xaa, sizeof(buf));
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	assert_int_equal(bus_read(b, &cpu_ns, 0x1000, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(aborts, 1);
	assert_int_equal(abort_addr, 0x1000);
	assert_int_equal(buf[0], 0);
	assert_int_equal(buf[sizeof(buf) - 1], 0);
	assert_int_equal(rec.n, 1);
	assert_int_equal(rec.a[0].target, BUS_TARGET_UNMAPPED);
	assert_int_equal(rec.a[0].resp, BUS_DECERR);
	/* RAM running into a hole: nothing is written. */
	memset(buf, 0x55, sizeof(buf));
	assert_int_equal(bus_write(b, &cpu_ns, RAM_BASE + RAM_SIZE - 16, buf, 32), BUS_DECERR);
	assert_int_equal(aborts, 2);
	assert_int_equal(*(u8 *)bus_ram_backdoor(b, RAM_BASE + RAM_SIZE - 16, 1), 0);
	/* A device gets the response but no abort. */
	assert_int_equal(bus_read(b, &dev, 0x1000, buf, 4), BUS_DECERR);
	assert_int_equal(aborts, 2);
	bus_destroy(b);
}

static void test_adjacent_banks(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();
	u8 out[64], in[64];

	assert_int_equal(bus_add_ram(b, "dram1", RAM_BASE + RAM_SIZE, 4096, &err), 0);
	memset(out, 0x3c, sizeof(out));
	assert_int_equal(bus_write(b, &dev, RAM_BASE + RAM_SIZE - 32, out, 64), BUS_OKAY);
	assert_int_equal(bus_read(b, &dev, RAM_BASE + RAM_SIZE - 32, in, 64), BUS_OKAY);
	assert_memory_equal(in, out, 64);
	bus_destroy(b);
}

static void test_mmio_dispatch(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();
	struct regs d = { 0 };
	struct recorder rec = { 0 };
	u64 v;

	assert_int_equal(bus_add_mmio(b, "regs", DEV_BASE, 0x40, &regs_ops, &d, &err), 0);
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE + 0x14, 4, 0xcafe), BUS_OKAY);
	assert_int_equal(d.writes, 1);
	assert_int_equal(d.last_off, 0x14);
	assert_int_equal(d.last_size, 4);
	assert_int_equal(d.r[5], 0xcafe);
	assert_int_equal(bus_read_sized(b, &cpu_ns, DEV_BASE + 0x14, 4, &v), BUS_OKAY);
	assert_int_equal(v, 0xcafe);
	assert_int_equal(d.reads, 1);
	assert_int_equal(rec.n, 2);
	assert_int_equal(rec.a[1].target, BUS_TARGET_MMIO);
	assert_string_equal(rec.a[1].mmio_name, "regs");
	assert_true(rec.a[1].decision.allowed);
	bus_destroy(b);
}

static void test_mmio_byte_buffer_is_sized_access(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();
	struct regs d = { 0 };
	u8 in[4], out[4] = { 0x11, 0x22, 0x33, 0x44 };

	assert_int_equal(bus_add_mmio(b, "regs", DEV_BASE, 0x40, &regs_ops, &d, &err), 0);
	assert_int_equal(bus_write(b, &cpu_ns, DEV_BASE + 4, out, 4), BUS_OKAY);
	assert_int_equal(d.r[1], 0x44332211);
	assert_int_equal(bus_read(b, &cpu_ns, DEV_BASE + 4, in, 4), BUS_OKAY);
	assert_memory_equal(in, out, 4);
	assert_int_equal(bus_read(b, &cpu_ns, DEV_BASE + 4, in, 3), BUS_SLVERR);
	bus_destroy(b);
}

static void test_mmio_bad_access_slverr(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct sim *s = sim_create(&cfg);
	struct bus *b = ram_bus();
	struct regs d = { 0 };
	u64 v = 1;

	assert_int_equal(bus_add_mmio(b, "regs", DEV_BASE, 0x40, &regs_ops, &d, &err), 0);
	assert_int_equal(bus_read_sized(b, &cpu_ns, DEV_BASE, 2, &v), BUS_SLVERR);
	assert_int_equal(v, 0);
	assert_int_equal(sim_guest_error_count(s), 1);
	assert_int_equal(aborts, 1);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE + 2, 4, 1), BUS_SLVERR);
	assert_int_equal(sim_guest_error_count(s), 2);
	assert_int_equal(bus_read(b, &cpu_ns, DEV_BASE + 0x3c, &v, 8), BUS_SLVERR);
	assert_int_equal(sim_guest_error_count(s), 3);
	assert_int_equal(d.reads + d.writes, 0);
	assert_int_equal(aborts, 3);
	bus_destroy(b);
	sim_destroy(s);
}

static void test_mmio_secure_only(void **state)
{
	struct sim_config cfg = { .seed = 1 };
	struct secsoc_error err = { 0 };
	struct sim *s = sim_create(&cfg);
	struct bus *b = ram_bus();
	struct regs d = { 0 };
	struct recorder rec = { 0 };
	u64 v;

	assert_int_equal(bus_add_mmio(b, "sregs", DEV_BASE, 0x40, &secure_regs_ops, &d, &err), 0);
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE, 4, 7), BUS_SLVERR);
	assert_int_equal(d.writes, 0);
	assert_int_equal(d.r[0], 0);
	assert_int_equal(aborts, 1);
	assert_int_equal(sim_guest_error_count(s), 1);
	assert_false(rec.a[0].decision.allowed);
	assert_int_equal(rec.a[0].resp, BUS_SLVERR);
	assert_int_equal(bus_write_sized(b, &cpu_s, DEV_BASE, 4, 7), BUS_OKAY);
	assert_int_equal(bus_read_sized(b, &cpu_s, DEV_BASE, 4, &v), BUS_OKAY);
	assert_int_equal(v, 7);
	bus_destroy(b);
	sim_destroy(s);
}

static void test_overlap_ram_ram(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();

	assert_int_equal(bus_add_ram(b, "dram2", RAM_BASE + RAM_SIZE - 4096, 8192, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "RAM bank 'dram2' [0x80fff000, 0x81001000)"));
	assert_non_null(strstr(err.msg, "RAM bank 'dram' [0x80000000, 0x81000000)"));
	bus_destroy(b);
}

static void test_overlap_mmio_mmio(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = bus_create();
	struct regs d = { 0 };

	assert_int_equal(bus_add_mmio(b, "gic@17100000", 0x17100000, 0x10000, &regs_ops, &d,
				      &err), 0);
	assert_int_equal(bus_add_mmio(b, "tzc@17108000", 0x17108000, 0x1000, &regs_ops, &d,
				      &err), -EINVAL);
	assert_string_equal(err.msg, "MMIO region 'tzc@17108000' [0x17108000, 0x17109000) "
			    "overlaps MMIO region 'gic@17100000' [0x17100000, 0x17110000)");
	bus_destroy(b);
}

static void test_overlap_ram_mmio(void **state)
{
	struct secsoc_error err = { 0 }, err2 = { 0 };
	struct bus *b = ram_bus();
	struct regs d = { 0 };

	assert_int_equal(bus_add_mmio(b, "uart", RAM_BASE + 0x1000, 0x100, &regs_ops, &d, &err),
			 -EINVAL);
	assert_non_null(strstr(err.msg, "MMIO region 'uart'"));
	assert_non_null(strstr(err.msg, "overlaps RAM bank 'dram'"));
	assert_int_equal(bus_add_mmio(b, "uart", DEV_BASE, 0x100, &regs_ops, &d, &err2), 0);
	memset(&err2, 0, sizeof(err2));
	assert_int_equal(bus_add_ram(b, "sram", DEV_BASE - 0x1000, 0x1080, &err2), -EINVAL);
	assert_non_null(strstr(err2.msg, "RAM bank 'sram' [0xffff000, 0x10000080) overlaps "
				    "MMIO region 'uart' [0x10000000, 0x10000100)"));
	bus_destroy(b);
}

static void test_add_ram_rejects_bad_ranges(void **state)
{
	struct bus *b = bus_create();
	struct secsoc_error e1 = { 0 }, e2 = { 0 }, e3 = { 0 }, e4 = { 0 };

	assert_int_equal(bus_add_ram(b, "zero", 0x1000, 0, &e1), -EINVAL);
	assert_non_null(strstr(e1.msg, "'zero'"));
	assert_non_null(strstr(e1.msg, "size 0"));
	assert_int_equal(bus_add_ram(b, "wrap", ~0ULL - 10, 4096, &e2), -EINVAL);
	assert_non_null(strstr(e2.msg, "overflows"));
	assert_int_equal(bus_add_ram(b, "high", BUS_PA_LIMIT - 4096, 8192, &e3), -EINVAL);
	assert_non_null(strstr(e3.msg, "40-bit physical address space"));
	assert_int_equal(bus_add_ram(b, "huge", 0, BUS_RAM_SIZE_MAX + 4096, &e4), -EINVAL);
	assert_non_null(strstr(e4.msg, "larger than 64 GiB"));
	bus_destroy(b);
}

static void test_filter_denial_zeros_and_drops(void **state)
{
	struct bus *b = ram_bus();
	struct stub_filter f = { .deny_addr = RAM_BASE + 0x1000, .resp = BUS_DECERR };
	struct recorder rec = { 0 };
	u8 *host = bus_ram_backdoor(b, RAM_BASE, 3 * 4096);
	u8 buf[3 * 4096];

	memset(host, 0x77, 3 * 4096);
	bus_set_filter(b, &stub_ops, &f);
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	assert_int_equal(bus_read(b, &cpu_ns, RAM_BASE, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(aborts, 1);
	assert_int_equal(f.calls, 3);
	assert_int_equal(buf[0], 0x77);
	assert_int_equal(buf[4096], 0);
	assert_int_equal(buf[8191], 0);
	assert_int_equal(buf[8192], 0x77);
	assert_false(rec.a[1].decision.allowed);
	assert_int_equal(rec.a[1].decision.region, 5);
	assert_string_equal(rec.a[1].decision.reason, "stub says no");
	memset(buf, 0x11, sizeof(buf));
	assert_int_equal(bus_write(b, &dev, RAM_BASE, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(host[0], 0x11);
	assert_int_equal(host[4096], 0x77);
	assert_int_equal(host[8192], 0x11);
	/* A denial with an OKAY response still zeroes but reports OKAY. */
	f.resp = BUS_OKAY;
	assert_int_equal(bus_read(b, &cpu_ns, RAM_BASE + 4096, buf, 4), BUS_OKAY);
	assert_int_equal(buf[0], 0);
	assert_int_equal(aborts, 1);
	bus_destroy(b);
}

static void test_dma_span_allowed(void **state)
{
	struct bus *b = ram_bus();
	struct stub_filter f = { .deny_addr = 1 };
	struct recorder rec = { 0 };
	enum bus_resp resp = BUS_SLVERR;
	u8 *p;

	bus_set_filter(b, &stub_ops, &f);
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	p = bus_dma_span(b, &dev, RAM_BASE + 0x800, 0x2000, true, &resp);
	assert_ptr_equal(p, bus_ram_backdoor(b, RAM_BASE + 0x800, 0x2000));
	assert_int_equal(resp, BUS_OKAY);
	assert_int_equal(f.calls, 3);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.a[2].addr, RAM_BASE + 0x2000);
	assert_int_equal(rec.a[2].len, 0x800);
	/* Outside RAM: no pointer, DECERR, nothing checked. */
	assert_null(bus_dma_span(b, &dev, 0x1000, 16, false, &resp));
	assert_int_equal(resp, BUS_DECERR);
	assert_int_equal(f.calls, 3);
	bus_destroy(b);
}

static void test_dma_span_denied_checks_each_txn_once(void **state)
{
	struct bus *b = ram_bus();
	struct stub_filter f = { .deny_addr = RAM_BASE + 0x1000, .resp = BUS_DECERR };
	struct recorder rec = { 0 };
	enum bus_resp resp = BUS_OKAY;
	u8 *host = bus_ram_backdoor(b, RAM_BASE, 3 * 4096);
	u8 buf[3 * 4096];

	memset(host, 0x77, 3 * 4096);
	bus_set_filter(b, &stub_ops, &f);
	assert_int_equal(bus_add_observer(b, record, &rec), 0);
	assert_null(bus_dma_span(b, &dev, RAM_BASE, sizeof(buf), false, &resp));
	assert_int_equal(resp, BUS_DECERR);
	assert_int_equal(f.calls, 2);
	assert_int_equal(rec.n, 2);
	/* The fallback reuses the verdicts of the first two transactions. */
	assert_int_equal(bus_read(b, &dev, RAM_BASE, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(f.calls, 3);
	assert_int_equal(rec.n, 3);
	assert_int_equal(rec.a[2].addr, RAM_BASE + 0x2000);
	assert_int_equal(buf[0], 0x77);
	assert_int_equal(buf[4096], 0);
	assert_int_equal(buf[8192], 0x77);
	/* Any other access is checked normally. */
	assert_int_equal(bus_read(b, &dev, RAM_BASE, buf, sizeof(buf)), BUS_DECERR);
	assert_int_equal(f.calls, 6);
	bus_destroy(b);
}

static void test_observer_limit(void **state)
{
	struct bus *b = bus_create();
	struct recorder rec[BUS_OBSERVERS_MAX + 1];
	unsigned int i;

	for (i = 0; i < BUS_OBSERVERS_MAX; i++)
		assert_int_equal(bus_add_observer(b, record, &rec[i]), 0);
	assert_int_equal(bus_add_observer(b, record, &rec[i]), -ENOSPC);
	bus_remove_observer(b, record, &rec[0]);
	assert_int_equal(bus_add_observer(b, record, &rec[i]), 0);
	bus_destroy(b);
}

/* A 64-bit register that takes every access size and remembers the value. */
struct wide_reg {
	u64 val;
	unsigned int size;
};

static u64 wide_read(void *opaque, u64 off, unsigned int size, const struct bus_master *m,
		     enum bus_resp *resp)
{
	struct wide_reg *w = opaque;

	w->size = size;
	return w->val;
}

static void wide_write(void *opaque, u64 off, u64 val, unsigned int size,
		       const struct bus_master *m, enum bus_resp *resp)
{
	struct wide_reg *w = opaque;

	w->size = size;
	w->val = val;
}

static const struct mmio_ops wide_ops = {
	.read = wide_read, .write = wide_write,
	.sizes = BUS_ACCESS_8 | BUS_ACCESS_16 | BUS_ACCESS_32 | BUS_ACCESS_64,
};

/* Register values cross the bus as little-endian bytes, whatever the size. */
static void test_mmio_every_size_little_endian(void **state)
{
	static const u8 bytes[8] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef };
	static const u64 vals[4] = { 0x01, 0x2301, 0x67452301, 0xefcdab8967452301ULL };
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();
	struct wide_reg w = { 0 };
	u8 in[8];

	assert_int_equal(bus_add_mmio(b, "wide", DEV_BASE, 8, &wide_ops, &w, &err), 0);
	for (unsigned int i = 0; i < 4; i++) {
		unsigned int size = 1u << i;

		assert_int_equal(bus_write(b, &cpu_ns, DEV_BASE, bytes, size), BUS_OKAY);
		assert_int_equal(w.size, size);
		assert_int_equal(w.val, vals[i]);
		memset(in, 0, sizeof(in));
		assert_int_equal(bus_read(b, &cpu_ns, DEV_BASE, in, size), BUS_OKAY);
		assert_memory_equal(in, bytes, size);
	}
	bus_destroy(b);
}

/* The bus remembers the region it found last; adding regions must not confuse it. */
static void test_mmio_lookup_after_adding_regions(void **state)
{
	struct secsoc_error err = { 0 };
	struct bus *b = ram_bus();
	struct regs hi = { 0 }, lo = { 0 };
	u64 v;

	assert_int_equal(bus_add_mmio(b, "hi", DEV_BASE + 0x1000, 0x40, &regs_ops, &hi, &err), 0);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE + 0x1004, 4, 1), BUS_OKAY);
	/* Sorted in before "hi": the table entries move under the remembered one. */
	assert_int_equal(bus_add_mmio(b, "lo", DEV_BASE, 0x40, &regs_ops, &lo, &err), 0);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE + 0x1004, 4, 2), BUS_OKAY);
	assert_int_equal(bus_write_sized(b, &cpu_ns, DEV_BASE + 0x4, 4, 3), BUS_OKAY);
	assert_int_equal(hi.r[1], 2);
	assert_int_equal(lo.r[1], 3);
	assert_int_equal(hi.writes, 2);
	assert_int_equal(lo.writes, 1);
	/* Between regions, and RAM after MMIO: each decoded afresh. */
	assert_int_equal(bus_read_sized(b, &cpu_ns, DEV_BASE + 0x40, 4, &v), BUS_DECERR);
	assert_int_equal(bus_write_sized(b, &cpu_ns, RAM_BASE, 4, 0x55), BUS_OKAY);
	assert_int_equal(bus_read_sized(b, &cpu_ns, RAM_BASE, 4, &v), BUS_OKAY);
	assert_int_equal(v, 0x55);
	assert_int_equal(bus_read_sized(b, &cpu_ns, DEV_BASE + 0x1004, 4, &v), BUS_OKAY);
	assert_int_equal(v, 2);
	bus_destroy(b);
}

static void test_resp_names(void **state)
{
	assert_string_equal(bus_resp_name(BUS_OKAY), "OKAY");
	assert_string_equal(bus_resp_name(BUS_DECERR), "DECERR");
	assert_string_equal(bus_resp_name(BUS_SLVERR), "SLVERR");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ram_round_trip),
		cmocka_unit_test(test_sparse_big_bank),
		cmocka_unit_test(test_split_at_4k_reported),
		cmocka_unit_test(test_unmapped_decerr_aborts_once),
		cmocka_unit_test(test_adjacent_banks),
		cmocka_unit_test(test_mmio_dispatch),
		cmocka_unit_test(test_mmio_byte_buffer_is_sized_access),
		cmocka_unit_test(test_mmio_bad_access_slverr),
		cmocka_unit_test(test_mmio_secure_only),
		cmocka_unit_test(test_overlap_ram_ram),
		cmocka_unit_test(test_overlap_mmio_mmio),
		cmocka_unit_test(test_overlap_ram_mmio),
		cmocka_unit_test(test_add_ram_rejects_bad_ranges),
		cmocka_unit_test(test_filter_denial_zeros_and_drops),
		cmocka_unit_test(test_dma_span_allowed),
		cmocka_unit_test(test_dma_span_denied_checks_each_txn_once),
		cmocka_unit_test(test_observer_limit),
		cmocka_unit_test(test_resp_names),
		cmocka_unit_test(test_mmio_every_size_little_endian),
		cmocka_unit_test(test_mmio_lookup_after_adding_regions),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
