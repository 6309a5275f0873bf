/*
 * bus.c - the physical address space (include/secsoc/bus.h): RAM banks,
 * the MMIO region table, the RAM filter hook, observers and the access
 * paths that split RAM accesses into 4 KiB transactions.
 *
 * Decoding of one access:
 *   - entirely inside RAM (one bank or adjacent banks): split into
 *     transactions at 4 KiB and bank boundaries, each checked by the filter,
 *     performed (or zero-filled / dropped when denied) and reported;
 *   - starting in an MMIO region: one register access, which must have a
 *     permitted size, be naturally aligned and lie inside the region, else
 *     SLVERR and a guest error;
 *   - anything else (unmapped, or RAM running into a hole or into MMIO):
 *     DECERR, nothing is transferred, reads return zeros.
 * A CPU master whose access gets an error response takes one synchronous
 * external abort per access, however many transactions failed. Observers
 * see every RAM transaction, every register access (decision not allowed
 * when the bus or the device refused it) and one record per undecodable
 * access (target BUS_TARGET_UNMAPPED, decision DECERR).
 *
 * Observers may not add or remove observers from inside their callback.
 *
 * Every modelled register access and descriptor fetch comes through here, so
 * the lookups remember the RAM bank and the MMIO region they found last:
 * device models hit the same ones over and over.
 *
 * RAM banks are recycled. The explorer boots a machine per schedule, and a
 * fresh mapping costs a page fault for every page the run touches and an
 * unmap at the end: more than half of a schedule. So bus_destroy() keeps
 * its mappings for the next bus_add_ram() of the same size, which must see
 * all zeros, as from a fresh mapping. Each bank therefore keeps a bitmap of
 * the pages anything may have written: bus writes, write spans, backdoors,
 * and what the holder of a linear map reports with bus_ram_touch(). Only
 * those pages are zeroed for reuse. tests/unit/test_bus_recycle.c checks,
 * after whole scenarios, that no page was written behind the bitmap's back.
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <secsoc/bus.h>
#include <secsoc/sim.h>

#define BUS_NAME_MAX 64
#define BUS_RAM_PAGE 4096ULL	/* the granule of the dirty-page bitmaps */

struct ram_bank {
	char name[BUS_NAME_MAX];
	u64 base;
	u64 size;
	u8 *host;
	u64 *dirty;		/* a bit per page that may be non-zero */
	u64 dirty_lo, dirty_hi;	/* words [lo, hi) of @dirty may have bits set */
};

/*
 * Mappings of destroyed buses, all zero outside their dirty pages: a host
 * resource of the process, not simulation state (a run sees zeros either way).
 */
static struct ram_bank spare_banks[BUS_RAM_BANKS_MAX];
static unsigned int nr_spare_banks;

struct mmio_region {
	char name[BUS_NAME_MAX];
	u64 base;
	u64 size;
	const struct mmio_ops *ops;
	void *opaque;
};

struct bus_observer {
	bus_observer_fn fn;
	void *opaque;
};

/*
 * A bus_dma_span() that met a denial has already put the transactions up
 * to and including the denied one through the filter. The caller then
 * repeats the access with bus_read()/bus_write(); that repeat must not
 * check them again, or the TZC would count the denial twice (and set its
 * overrun bit). It reuses the recorded verdicts instead.
 */
struct span_resume {
	bool valid;
	const struct bus_master *m;
	u64 addr;
	size_t len;
	bool write;
	u64 denied_addr;		/* start of the denied transaction */
	struct bus_filter_decision denied;
};

struct bus {
	struct ram_bank ram[BUS_RAM_BANKS_MAX];
	unsigned int nr_ram;
	struct mmio_region mmio[BUS_MMIO_MAX];	/* sorted by base */
	unsigned int nr_mmio;
	/* The last bank and region found (NULL: none yet); checked first. */
	struct ram_bank *last_ram;
	struct mmio_region *last_mmio;
	const struct bus_filter_ops *filter;
	void *filter_opaque;
	struct bus_observer obs[BUS_OBSERVERS_MAX];
	unsigned int nr_obs;
	struct span_resume resume;
};

static const struct bus_filter_decision allowed_decision = {
	.allowed = true, .resp = BUS_OKAY, .region = -1, .reason = NULL,
};

/** bus_create - an empty address space; NULL if out of memory */
struct bus *bus_create(void)
{
	return calloc(1, sizeof(struct bus));
}

static u64 ram_pages(u64 size)
{
	return DIV_ROUND_UP(size, BUS_RAM_PAGE);
}

static size_t dirty_map_bytes(u64 size)
{
	return DIV_ROUND_UP(ram_pages(size), 64) * sizeof(u64);
}

/* Mark the pages of [@addr, @addr + @len) in bank @r as possibly written. */
static void ram_dirty(struct ram_bank *r, u64 addr, u64 len)
{
	u64 first = (addr - r->base) / BUS_RAM_PAGE;
	u64 last = (addr - r->base + len - 1) / BUS_RAM_PAGE;

	if (!len)
		return;
	for (u64 pg = first; pg <= last; pg++)
		r->dirty[pg / 64] |= 1ULL << (pg % 64);
	r->dirty_lo = MIN(r->dirty_lo, first / 64);
	r->dirty_hi = MAX(r->dirty_hi, last / 64 + 1);
}

/* The bitmap says no page of @r was written. */
static void ram_dirty_none(struct ram_bank *r)
{
	r->dirty_lo = UINT64_MAX;
	r->dirty_hi = 0;
}

/* Zero @n pages of @r from page @first. */
static void ram_zero_pages(struct ram_bank *r, u64 first, u64 n)
{
	u64 off = first * BUS_RAM_PAGE;

	memset(r->host + off, 0, MIN(n * BUS_RAM_PAGE, r->size - off));
}

/* Zero every dirty page of @r, a run of pages at a time, and clear the bitmap. */
static void ram_clean(struct ram_bank *r)
{
	u64 run = 0, start = 0;

	for (u64 w = r->dirty_lo; w < r->dirty_hi; w++) {
		u64 bits = r->dirty[w];

		for (u64 b = 0; b < 64 && (bits || run); b++) {
			if (bits & 1ULL << b) {
				start = run ? start : w * 64 + b;
				run++;
			} else if (run) {
				ram_zero_pages(r, start, run);
				run = 0;
			}
		}
		r->dirty[w] = 0;
	}
	if (run)
		ram_zero_pages(r, start, run);
	ram_dirty_none(r);
}

/* Keep @r's mapping for a later bank of its size, or unmap it if there is no room. */
static void ram_bank_release(struct ram_bank *r)
{
	if (nr_spare_banks < ARRAY_SIZE(spare_banks)) {
		spare_banks[nr_spare_banks++] = *r;
		return;
	}
	munmap(r->host, r->size);
	free(r->dirty);
}

/* A zeroed spare mapping of @size bytes into @r, if one is kept. */
static bool ram_bank_reuse(struct ram_bank *r, u64 size)
{
	for (unsigned int i = 0; i < nr_spare_banks; i++) {
		if (spare_banks[i].size != size)
			continue;
		*r = spare_banks[i];
		spare_banks[i] = spare_banks[--nr_spare_banks];
		ram_clean(r);
		return true;
	}
	return false;
}

/* A zeroed mapping of @size bytes into @r, recycled or new. Return: 0 or -errno. */
static int ram_bank_map(struct ram_bank *r, u64 size)
{
	void *host;

	if (ram_bank_reuse(r, size))
		return 0;
	host = mmap(NULL, size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (host == MAP_FAILED)
		return -errno;
	r->dirty = calloc(1, dirty_map_bytes(size));
	if (!r->dirty) {
		munmap(host, size);
		return -ENOMEM;
	}
	r->host = host;
	r->size = size;
	ram_dirty_none(r);
	return 0;
}

/** bus_destroy - release every RAM bank (kept for reuse) and free @b (may be NULL) */
void bus_destroy(struct bus *b)
{
	unsigned int i;

	if (!b)
		return;
	for (i = 0; i < b->nr_ram; i++)
		ram_bank_release(&b->ram[i]);
	free(b);
}

static bool ram_holds(const struct ram_bank *r, u64 addr)
{
	return addr >= r->base && addr - r->base < r->size;
}

static struct ram_bank *ram_find(struct bus *b, u64 addr)
{
	unsigned int i;

	if (b->last_ram && ram_holds(b->last_ram, addr))
		return b->last_ram;
	for (i = 0; i < b->nr_ram; i++) {
		struct ram_bank *r = &b->ram[i];

		if (ram_holds(r, addr)) {
			b->last_ram = r;
			return r;
		}
	}
	return NULL;
}

/* Index of the first region whose end is above @addr (binary search). */
static unsigned int mmio_lower_bound(const struct bus *b, u64 addr)
{
	unsigned int lo = 0, hi = b->nr_mmio;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		const struct mmio_region *r = &b->mmio[mid];

		if (r->base + r->size <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool mmio_holds(const struct mmio_region *r, u64 addr)
{
	return addr >= r->base && addr - r->base < r->size;
}

static struct mmio_region *mmio_find(struct bus *b, u64 addr)
{
	unsigned int i;

	if (b->last_mmio && mmio_holds(b->last_mmio, addr))
		return b->last_mmio;
	i = mmio_lower_bound(b, addr);
	if (i < b->nr_mmio && addr >= b->mmio[i].base) {
		b->last_mmio = &b->mmio[i];
		return b->last_mmio;
	}
	return NULL;
}

/*
 * check_overlap - reject [base, base + size) if it meets any RAM bank or
 * MMIO region, naming both ranges.
 */
static int check_overlap(struct bus *b, const char *kind, const char *name, u64 base, u64 size,
			 struct secsoc_error *err)
{
	u64 end = base + size;
	unsigned int i;

	for (i = 0; i < b->nr_ram; i++) {
		const struct ram_bank *r = &b->ram[i];

		if (base < r->base + r->size && r->base < end)
			return input_error(err,
				"%s '%s' [0x%llx, 0x%llx) overlaps RAM bank '%s' [0x%llx, 0x%llx)",
				kind, name, (unsigned long long)base, (unsigned long long)end,
				r->name, (unsigned long long)r->base,
				(unsigned long long)(r->base + r->size));
	}
	i = mmio_lower_bound(b, base);
	if (i < b->nr_mmio && b->mmio[i].base < end) {
		const struct mmio_region *r = &b->mmio[i];

		return input_error(err,
			"%s '%s' [0x%llx, 0x%llx) overlaps MMIO region '%s' [0x%llx, 0x%llx)",
			kind, name, (unsigned long long)base, (unsigned long long)end, r->name,
			(unsigned long long)r->base, (unsigned long long)(r->base + r->size));
	}
	return 0;
}

/* Common range checks for RAM banks and MMIO regions. */
static int check_range(struct bus *b, const char *kind, const char *name, u64 base, u64 size,
		       struct secsoc_error *err)
{
	if (!name || !*name)
		return input_error(err, "%s at 0x%llx has no name", kind,
				   (unsigned long long)base);
	if (size == 0)
		return input_error(err, "%s '%s' at 0x%llx has size 0", kind, name,
				   (unsigned long long)base);
	if (base + size < base)
		return input_error(err, "%s '%s': base 0x%llx + size 0x%llx overflows", kind,
				   name, (unsigned long long)base, (unsigned long long)size);
	if (base + size > BUS_PA_LIMIT)
		return input_error(err,
			"%s '%s' [0x%llx, 0x%llx) is above the %d-bit physical address space",
			kind, name, (unsigned long long)base,
			(unsigned long long)(base + size), BUS_PA_BITS);
	return check_overlap(b, kind, name, base, size, err);
}

/**
 * bus_add_ram - map a RAM bank of @size bytes at @base (see bus.h)
 * @b: the bus
 * @name: the bank's name, used in errors (copied, truncated to 63 characters)
 * @base: physical base address
 * @size: bytes; the host mapping is sparse, so large banks are cheap
 * @err: names the bank and the range at fault
 *
 * Return: 0, -EINVAL for a bad range, -EIO if the host mapping fails.
 */
int bus_add_ram(struct bus *b, const char *name, u64 base, u64 size, struct secsoc_error *err)
{
	struct ram_bank *r;
	int ret;

	ret = check_range(b, "RAM bank", name, base, size, err);
	if (ret)
		return ret;
	if (size > BUS_RAM_SIZE_MAX)
		return input_error(err, "RAM bank '%s' [0x%llx, 0x%llx) is larger than %llu GiB",
				   name, (unsigned long long)base,
				   (unsigned long long)(base + size), BUS_RAM_SIZE_MAX >> 30);
	if (b->nr_ram == BUS_RAM_BANKS_MAX)
		return input_error(err, "RAM bank '%s' at 0x%llx: more than %d RAM banks", name,
				   (unsigned long long)base, BUS_RAM_BANKS_MAX);
	r = &b->ram[b->nr_ram];
	ret = ram_bank_map(r, size);
	if (ret)
		return internal_error(err, "RAM bank '%s' [0x%llx, 0x%llx): mapping %llu bytes: %s",
				      name, (unsigned long long)base,
				      (unsigned long long)(base + size), (unsigned long long)size,
				      strerror(-ret));
	b->nr_ram++;
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->base = base;
	return 0;
}

/**
 * bus_add_mmio - map a register region (see bus.h)
 * @b: the bus
 * @name: the region's name, used in errors, guest errors and bus_access
 * @base: physical base address
 * @size: bytes
 * @ops: callbacks, permitted sizes and the secure-only flag (borrowed)
 * @opaque: passed to the callbacks
 * @err: names both regions on an overlap
 *
 * Return: 0, or -EINVAL (-EIO for incomplete @ops, a programming error).
 */
int bus_add_mmio(struct bus *b, const char *name, u64 base, u64 size,
		 const struct mmio_ops *ops, void *opaque, struct secsoc_error *err)
{
	struct mmio_region *r;
	unsigned int i;
	int ret;

	if (!ops || !ops->read || !ops->write || !ops->sizes || (ops->sizes & ~0xfu))
		return internal_error(err, "MMIO region '%s': incomplete mmio_ops",
				      name ? name : "?");
	ret = check_range(b, "MMIO region", name, base, size, err);
	if (ret)
		return ret;
	if (b->nr_mmio == BUS_MMIO_MAX)
		return input_error(err, "MMIO region '%s' at 0x%llx: more than %d MMIO regions",
				   name, (unsigned long long)base, BUS_MMIO_MAX);
	i = mmio_lower_bound(b, base);
	memmove(&b->mmio[i + 1], &b->mmio[i], (b->nr_mmio - i) * sizeof(b->mmio[0]));
	b->nr_mmio++;
	b->last_mmio = NULL;	/* the regions after @i moved */
	r = &b->mmio[i];
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->base = base;
	r->size = size;
	r->ops = ops;
	r->opaque = opaque;
	return 0;
}

/** bus_set_filter - install the RAM filter (NULL @ops: allow everything) */
void bus_set_filter(struct bus *b, const struct bus_filter_ops *ops, void *opaque)
{
	b->filter = ops;
	b->filter_opaque = opaque;
}

/** bus_add_observer - report every transaction to @fn; -ENOSPC beyond the limit */
int bus_add_observer(struct bus *b, bus_observer_fn fn, void *opaque)
{
	if (b->nr_obs == BUS_OBSERVERS_MAX)
		return -ENOSPC;
	b->obs[b->nr_obs].fn = fn;
	b->obs[b->nr_obs].opaque = opaque;
	b->nr_obs++;
	return 0;
}

/** bus_remove_observer - stop reporting to the observer added with @fn, @opaque */
void bus_remove_observer(struct bus *b, bus_observer_fn fn, void *opaque)
{
	unsigned int i;

	for (i = 0; i < b->nr_obs; i++) {
		if (b->obs[i].fn == fn && b->obs[i].opaque == opaque) {
			memmove(&b->obs[i], &b->obs[i + 1],
				(b->nr_obs - i - 1) * sizeof(b->obs[0]));
			b->nr_obs--;
			return;
		}
	}
}

static void bus_report(struct bus *b, const struct bus_access *a)
{
	unsigned int i;

	for (i = 0; i < b->nr_obs; i++)
		b->obs[i].fn(b->obs[i].opaque, a);
}

static void report_txn(struct bus *b, const struct bus_master *m, u64 addr, u64 len, bool write,
		       enum bus_target target, const char *mmio_name,
		       const struct bus_filter_decision *d)
{
	struct bus_access a;

	/* Every transaction comes here: build the record only for someone who reads it. */
	if (!b->nr_obs)
		return;
	a = (struct bus_access){
		.master = m, .addr = addr, .len = (u32)MIN(len, UINT32_MAX), .write = write,
		.target = target, .mmio_name = mmio_name, .decision = *d,
		.resp = d->allowed ? BUS_OKAY : d->resp,
	};
	bus_report(b, &a);
}

static void filter_check(struct bus *b, const struct bus_master *m, u64 addr, u64 len,
			 bool write, struct bus_filter_decision *d)
{
	*d = allowed_decision;
	if (b->filter)
		b->filter->check(b->filter_opaque, m, addr, (u32)len, write, d);
}

/*
 * Is every byte of [addr, addr + len) RAM (possibly over adjacent banks)?
 * If so, *@first is the bank holding @addr (when @first is not NULL).
 */
static bool ram_covers(struct bus *b, u64 addr, size_t len, struct ram_bank **first)
{
	u64 end = addr + len;
	unsigned int hops;

	for (hops = 0; hops <= BUS_RAM_BANKS_MAX; hops++) {
		struct ram_bank *r = ram_find(b, addr);

		if (!r)
			return false;
		if (first && !hops)
			*first = r;
		if (end - r->base <= r->size)
			return true;
		addr = r->base + r->size;
	}
	return false;
}

/* End of the transaction starting at @addr: next 4 KiB or bank boundary. */
static u64 txn_end(const struct ram_bank *r, u64 addr, u64 end)
{
	u64 next = (addr & ~(u64)(BUS_TXN_BYTES - 1)) + BUS_TXN_BYTES;

	return MIN(MIN(next, end), r->base + r->size);
}

/* The verdict for one transaction: recorded by bus_dma_span() or asked now. */
static bool txn_decide(struct bus *b, const struct span_resume *rs, const struct bus_master *m,
		       u64 addr, u64 len, bool write, struct bus_filter_decision *d)
{
	if (rs && addr < rs->denied_addr) {
		*d = allowed_decision;
		return false;
	}
	if (rs && addr == rs->denied_addr) {
		*d = rs->denied;
		return false;
	}
	filter_check(b, m, addr, len, write, d);
	return true;
}

/* One transaction [addr, addr + n) inside bank @r: checked, reported, performed. */
static enum bus_resp ram_txn(struct bus *b, const struct bus_master *m, struct ram_bank *r,
			     u64 addr, u8 *buf, u64 n, bool write, const struct span_resume *rs)
{
	u8 *host = r->host + (addr - r->base);
	struct bus_filter_decision d;

	if (txn_decide(b, rs, m, addr, n, write, &d))
		report_txn(b, m, addr, n, write, BUS_TARGET_RAM, NULL, &d);
	if (d.allowed) {
		if (write)
			ram_dirty(r, addr, n);
		memcpy(write ? host : buf, write ? buf : host, n);
		return BUS_OKAY;
	}
	/* Denied: a read returns zeros, a write is dropped. */
	if (!write)
		memset(buf, 0, n);
	return d.resp;
}

/* @r: the bank holding @addr (bus_decode() found it). */
static enum bus_resp ram_xfer(struct bus *b, const struct bus_master *m, struct ram_bank *r,
			      u64 addr, u8 *buf, size_t len, bool write,
			      const struct span_resume *rs)
{
	enum bus_resp worst = BUS_OKAY;
	u64 end = addr + len;

	while (addr < end) {
		enum bus_resp resp;
		u64 next;

		if (addr - r->base >= r->size)
			r = ram_find(b, addr);
		next = txn_end(r, addr, end);
		resp = ram_txn(b, m, r, addr, buf, next - addr, write, rs);
		worst = MAX(worst, resp);
		buf += next - addr;
		addr = next;
	}
	return worst;
}

/*
 * Is [addr, addr + len) one whole transaction in the bank found last, with
 * no bus_dma_span() verdicts waiting? Most accesses are (descriptors, command
 * elements, small buffers): they need none of the decoding (host speed).
 */
static bool ram_one_txn(const struct bus *b, u64 addr, size_t len)
{
	const struct ram_bank *r = b->last_ram;

	return r && !b->resume.valid && addr - r->base < r->size &&
	       len <= r->size - (addr - r->base) &&
	       !((addr ^ (addr + len - 1)) & ~(u64)(BUS_TXN_BYTES - 1));
}

/*
 * Register values travel as little-endian bytes (@len is 1, 2, 4 or 8).
 * Fixed-size copies with the le*toh()/htole*() conversions compile to one
 * load or store (plus a byte swap on a big-endian host).
 */
static void le_store(u8 *buf, u64 val, size_t len)
{
	u16 v16 = cpu_to_le16((u16)val);
	u32 v32 = cpu_to_le32((u32)val);
	u64 v64 = cpu_to_le64(val);

	switch (len) {
	case 1:
		buf[0] = (u8)val;
		break;
	case 2:
		memcpy(buf, &v16, 2);
		break;
	case 4:
		memcpy(buf, &v32, 4);
		break;
	default:
		memcpy(buf, &v64, 8);
		break;
	}
}

static u64 le_load(const u8 *buf, size_t len)
{
	u16 v16;
	u32 v32;
	u64 v64;

	switch (len) {
	case 1:
		return buf[0];
	case 2:
		memcpy(&v16, buf, 2);
		return le16_to_cpu(v16);
	case 4:
		memcpy(&v32, buf, 4);
		return le32_to_cpu(v32);
	default:
		memcpy(&v64, buf, 8);
		return le64_to_cpu(v64);
	}
}

/* Why the bus refuses a register access before the device sees it, or NULL. */
static const char *mmio_refusal(const struct mmio_region *r, const struct bus_master *m,
				u64 off, size_t len)
{
	if (len > 8 || (len & (len - 1)) || !(r->ops->sizes & BIT(__builtin_ctzll(len))))
		return "access size not supported";
	if (off & (len - 1))
		return "misaligned access";
	if (len > r->size - off)
		return "access runs past the end of the region";
	if (r->ops->secure_only && !m->secure)
		return "non-secure access to a secure-only region";
	return NULL;
}

static enum bus_resp mmio_xfer(struct bus *b, const struct bus_master *m,
			       const struct mmio_region *r, u64 addr, u8 *buf, size_t len,
			       bool write)
{
	struct bus_filter_decision d = allowed_decision;
	enum bus_resp resp = BUS_OKAY;
	u64 off = addr - r->base;
	const char *why;

	why = mmio_refusal(r, m, off, len);
	if (why) {
		sim_guest_error(sim_current(), r->name,
				"%s: %zu-byte %s at 0x%llx (offset 0x%llx) refused: %s", m->name,
				len, write ? "write" : "read", (unsigned long long)addr,
				(unsigned long long)off, why);
		resp = BUS_SLVERR;
	} else if (write) {
		r->ops->write(r->opaque, off, le_load(buf, len), (unsigned int)len, m, &resp);
		why = "refused by the device";
	} else {
		le_store(buf, r->ops->read(r->opaque, off, (unsigned int)len, m, &resp), len);
		why = "refused by the device";
	}
	if (resp != BUS_OKAY) {
		d.allowed = false;
		d.resp = resp;
		d.reason = why;
		if (!write)
			memset(buf, 0, len);
	}
	report_txn(b, m, addr, len, write, BUS_TARGET_MMIO, r->name, &d);
	return resp;
}

static enum bus_resp unmapped_xfer(struct bus *b, const struct bus_master *m, u64 addr, u8 *buf,
				   size_t len, bool write)
{
	static const struct bus_filter_decision decerr = {
		.allowed = false, .resp = BUS_DECERR, .region = -1,
		.reason = "no RAM or MMIO decodes the whole access",
	};

	if (!write)
		memset(buf, 0, len);
	report_txn(b, m, addr, len, write, BUS_TARGET_UNMAPPED, NULL, &decerr);
	return BUS_DECERR;
}

/* Take the recorded bus_dma_span() verdicts if this access repeats that span. */
static bool take_resume(struct bus *b, const struct bus_master *m, u64 addr, size_t len,
			bool write, struct span_resume *out)
{
	struct span_resume *rs = &b->resume;
	bool match;

	if (!rs->valid)		/* nearly always: spare the comparisons and the store */
		return false;
	match = rs->m == m && rs->addr == addr && rs->len == len && rs->write == write;
	if (match)
		*out = *rs;
	rs->valid = false;
	return match;
}

/*
 * What [addr, addr + len) decodes to (*mr: the MMIO region it starts in;
 * *rr: the RAM bank). RAM and MMIO never overlap, so the region found last
 * may be tried first.
 */
static enum bus_target bus_decode(struct bus *b, u64 addr, size_t len, struct mmio_region **mr,
				  struct ram_bank **rr)
{
	if (addr + len < addr || addr + len > BUS_PA_LIMIT)
		return BUS_TARGET_UNMAPPED;
	*mr = b->last_mmio;
	if (*mr && mmio_holds(*mr, addr))
		return BUS_TARGET_MMIO;
	if (ram_covers(b, addr, len, rr))
		return BUS_TARGET_RAM;
	*mr = mmio_find(b, addr);
	return *mr ? BUS_TARGET_MMIO : BUS_TARGET_UNMAPPED;
}

/* Any access: decoded, and split into transactions if it is RAM. */
static enum bus_resp bus_decode_xfer(struct bus *b, const struct bus_master *m, u64 addr,
				     u8 *buf, size_t len, bool write)
{
	struct mmio_region *mr = NULL;
	struct ram_bank *rr = NULL;
	struct span_resume rs;
	bool resume = take_resume(b, m, addr, len, write, &rs);

	switch (bus_decode(b, addr, len, &mr, &rr)) {
	case BUS_TARGET_RAM:
		return ram_xfer(b, m, rr, addr, buf, len, write, resume ? &rs : NULL);
	case BUS_TARGET_MMIO:
		return mmio_xfer(b, m, mr, addr, buf, len, write);
	default:
		return unmapped_xfer(b, m, addr, buf, len, write);
	}
}

static enum bus_resp bus_xfer(struct bus *b, const struct bus_master *m, u64 addr, u8 *buf,
			      size_t len, bool write)
{
	enum bus_resp resp;

	if (len == 0)
		return BUS_OKAY;
	if (ram_one_txn(b, addr, len))
		resp = ram_txn(b, m, b->last_ram, addr, buf, len, write, NULL);
	else
		resp = bus_decode_xfer(b, m, addr, buf, len, write);
	if (resp != BUS_OKAY && m->kind == BUS_MASTER_CPU && m->abort)
		m->abort(m, addr, write, m->abort_opaque);
	return resp;
}

/** bus_read - read @len bytes at @addr as @m; the worst response of its transactions */
enum bus_resp bus_read(struct bus *b, const struct bus_master *m, u64 addr, void *buf, size_t len)
{
	return bus_xfer(b, m, addr, buf, len, false);
}

/** bus_write - write @len bytes at @addr as @m; the worst response of its transactions */
enum bus_resp bus_write(struct bus *b, const struct bus_master *m, u64 addr,
			const void *buf, size_t len)
{
	/* The write path only reads from @buf. */
	return bus_xfer(b, m, addr, (void *)buf, len, true);
}

static void assert_reg_size(unsigned int size)
{
	assert(size == 1 || size == 2 || size == 4 || size == 8);
}

/** bus_read_sized - a little-endian register read of @size (1, 2, 4 or 8) bytes */
enum bus_resp bus_read_sized(struct bus *b, const struct bus_master *m, u64 addr,
			     unsigned int size, u64 *val)
{
	enum bus_resp resp;
	u8 bytes[8];

	assert_reg_size(size);
	resp = bus_xfer(b, m, addr, bytes, size, false);
	*val = le_load(bytes, size);
	return resp;
}

/** bus_write_sized - a little-endian register write of @size (1, 2, 4 or 8) bytes */
enum bus_resp bus_write_sized(struct bus *b, const struct bus_master *m, u64 addr,
			      unsigned int size, u64 val)
{
	u8 bytes[8];

	assert_reg_size(size);
	le_store(bytes, val, size);
	return bus_xfer(b, m, addr, bytes, size, true);
}

/* The single RAM bank holding all of [addr, addr + len), or NULL. */
static struct ram_bank *ram_bank_span(struct bus *b, u64 addr, size_t len)
{
	struct ram_bank *r = ram_find(b, addr);

	if (r && len <= r->size - (addr - r->base))
		return r;
	return NULL;
}

/**
 * bus_dma_span - zero-copy access to RAM for a device model (see bus.h)
 * @b: the bus
 * @m: the device
 * @addr: start of the range
 * @len: bytes
 * @write: direction
 * @resp: set to OKAY with a pointer; when NULL is returned, to the denied
 *        transaction's response, or DECERR if the range is not all RAM
 *        (OKAY if it is RAM over several banks, or @len is 0)
 *
 * Checking stops at the first denied transaction; the bus remembers the
 * verdicts so that the caller's bus_read()/bus_write() of the same range
 * does not put those transactions through the filter a second time.
 */
void *bus_dma_span(struct bus *b, const struct bus_master *m, u64 addr, size_t len,
		   bool write, enum bus_resp *resp)
{
	struct ram_bank *r;
	u64 a, end = addr + len;

	b->resume.valid = false;
	r = len ? ram_bank_span(b, addr, len) : NULL;
	if (!r) {
		/* Not checked: bus_read()/bus_write() decode and report it. */
		bool ram = !len || (addr + len > addr && ram_covers(b, addr, len, NULL));

		*resp = ram ? BUS_OKAY : BUS_DECERR;
		return NULL;
	}
	for (a = addr; a < end; ) {
		struct bus_filter_decision d;
		u64 next = txn_end(r, a, end);

		filter_check(b, m, a, next - a, write, &d);
		report_txn(b, m, a, next - a, write, BUS_TARGET_RAM, NULL, &d);
		if (!d.allowed) {
			b->resume = (struct span_resume){
				.valid = true, .m = m, .addr = addr, .len = len,
				.write = write, .denied_addr = a, .denied = d,
			};
			*resp = d.resp;
			return NULL;
		}
		a = next;
	}
	*resp = BUS_OKAY;
	if (write)
		ram_dirty(r, addr, len);
	return r->host + (addr - r->base);
}

/** bus_ram_backdoor - host pointer to [@addr, @addr + @len) in one bank, no checks */
void *bus_ram_backdoor(struct bus *b, u64 addr, size_t len)
{
	struct ram_bank *r = ram_bank_span(b, addr, len);

	if (!r)
		return NULL;
	ram_dirty(r, addr, len);
	return r->host + (addr - r->base);
}

/** bus_ram_linear_map - see bus.h; the caller reports its writes with bus_ram_touch() */
void *bus_ram_linear_map(struct bus *b, u64 addr, size_t len)
{
	struct ram_bank *r = ram_bank_span(b, addr, len);

	return r ? r->host + (addr - r->base) : NULL;
}

/** bus_ram_touch - see bus.h; a range outside RAM is ignored */
void bus_ram_touch(struct bus *b, u64 addr, size_t len)
{
	struct ram_bank *r = ram_bank_span(b, addr, len);

	if (r)
		ram_dirty(r, addr, len);
}

/** bus_ram_holds - see bus.h */
bool bus_ram_holds(struct bus *b, u64 addr, size_t len)
{
	return ram_bank_span(b, addr, len) != NULL;
}

/* Resident pages of @r with data that its bitmap says were never written. */
static u64 bank_untracked_pages(const struct ram_bank *r)
{
	static const u8 zero[BUS_RAM_PAGE];
	u64 pages = ram_pages(r->size), found = 0;
	unsigned char *resident = malloc(pages);

	if (!resident || mincore(r->host, r->size, resident)) {
		free(resident);
		return UINT64_MAX;
	}
	for (u64 pg = 0; pg < pages; pg++)
		if ((resident[pg] & 1) && !(r->dirty[pg / 64] & 1ULL << (pg % 64)) &&
		    memcmp(r->host + pg * BUS_RAM_PAGE, zero,
			   MIN(BUS_RAM_PAGE, r->size - pg * BUS_RAM_PAGE)))
			found++;
	free(resident);
	return found;
}

/** bus_ram_untracked_pages - see bus.h */
u64 bus_ram_untracked_pages(struct bus *b)
{
	u64 found = 0;

	for (unsigned int i = 0; i < b->nr_ram; i++) {
		u64 n = bank_untracked_pages(&b->ram[i]);

		if (n == UINT64_MAX)
			return n;
		found += n;
	}
	return found;
}

/** bus_resp_name - "OKAY", "DECERR" or "SLVERR" */
const char *bus_resp_name(enum bus_resp r)
{
	switch (r) {
	case BUS_OKAY:
		return "OKAY";
	case BUS_DECERR:
		return "DECERR";
	case BUS_SLVERR:
		return "SLVERR";
	}
	return "?";
}
