/*
 * protmem.c - the protected-memory service of the secure world: it moves
 * ranges of RAM between the normal and the protected zone on the normal
 * world's request (the fast calls TEE_SMC_PROTMEM_*), keeps the protected
 * ranges in a few *windows* of one TZC region each, scrubs what it gives
 * back, and counts (docs/tee.md, "Protected-memory service"; the heap's
 * side of the design is in docs/heaps.md).
 *
 * The TZC-400 has 8 programmable regions, and the boot firmware keeps two
 * (private memory, carve-out). A region per buffer would run out at once,
 * so a window is a contiguous range under one region that grows and
 * shrinks at its ends: a range next to a window extends that window's
 * region instead of taking a new one (and a range between two windows
 * bridges them, freeing a region). The heap on the other side grows its
 * windows with the pages next to them, so most assignments cost no region.
 *
 * A window is an ordinary region of struct tee (region_base/region_size,
 * regions_used): tee_range_protected(), tee_range_normal() and
 * tee_protect_region() see windows without knowing about them. The service
 * owns only the bitmap of which regions are windows, and its counters. All
 * TZC writes go through tee_tzc_protect()/tee_tzc_disable() (tee/tee.c).
 *
 * Every argument comes from the normal world: everything is checked
 * before anything changes, and a refused call changes nothing.
 */
#include <string.h>

#include "tee/tee_internal.h"

static bool is_window(const struct tee *t, unsigned int n)
{
	return t->protmem.windows & BIT(n);
}

static u64 window_top(const struct tee *t, unsigned int n)
{
	return t->region_base[n] + t->region_size[n];
}

/* Size not 0, base and size 4 KiB aligned, no wrap (nor an end at 2^64). */
static bool range_valid(u64 base, u64 size)
{
	return size && IS_ALIGNED(base | size, TZC400_GRANULE) && base + size > base;
}

/* Inside one RAM bank: what the firmware can protect, and scrub in one go. */
static bool in_one_bank(const struct tee *t, u64 base, u64 size)
{
	return bus_ram_holds(t->soc->bus, base, size);
}

/* The first TZC region nobody uses, or 0. */
static unsigned int region_unused(const struct tee *t)
{
	for (unsigned int n = 1; n < t->nr_regions; n++)
		if (!(t->regions_used & BIT(n)))
			return n;
	return 0;
}

/* The window whose range ends at @addr (@top false: starts at @addr), or 0. */
static unsigned int window_at(const struct tee *t, u64 addr, bool top)
{
	for (unsigned int n = 1; n < t->nr_regions; n++)
		if (is_window(t, n) && (top ? window_top(t, n) : t->region_base[n]) == addr)
			return n;
	return 0;
}

/* The window [base, base + size) lies in entirely, or 0. */
static unsigned int window_holding(const struct tee *t, u64 base, u64 size)
{
	for (unsigned int n = 1; n < t->nr_regions; n++)
		if (is_window(t, n) &&
		    tee_range_inside(base, size, t->region_base[n], t->region_size[n]))
			return n;
	return 0;
}

static u32 assign_check(const struct tee *t, u64 base, u64 size)
{
	if (!range_valid(base, size) || !in_one_bank(t, base, size))
		return TEE_ERROR_BAD_PARAMETERS;
	/* Every region in use: the private memory, the carve-out, other ranges, windows. */
	for (unsigned int n = 1; n < t->nr_regions; n++)
		if ((t->regions_used & BIT(n)) &&
		    tee_ranges_overlap(base, size, t->region_base[n], t->region_size[n]))
			return TEE_ERROR_ACCESS_DENIED;
	return TEE_SUCCESS;
}

/*
 * Put the checked range under a region: the window below it and/or above
 * it grows (two windows become one), else a new window opens. A window
 * stays inside one RAM bank, so that it can be scrubbed in one go; two
 * banks back to back never join. The region that stays is reprogrammed
 * before the one that goes is disabled: in between the TZC denies the
 * overlap to everyone, which is safe, where the other order would leave
 * the range unprotected.
 */
static u32 assign_place(struct tee *t, u64 base, u64 size)
{
	unsigned int lo = window_at(t, base, true), hi = window_at(t, base + size, false);
	unsigned int n;

	if (lo && !in_one_bank(t, t->region_base[lo], t->region_size[lo] + size))
		lo = 0;
	if (hi && !in_one_bank(t, base, size + t->region_size[hi]))
		hi = 0;
	if (lo && hi) {
		sometimes(true, "tee: an assignment bridged two protected windows");
		tee_tzc_protect(t, lo, t->region_base[lo], window_top(t, hi) - t->region_base[lo]);
		tee_tzc_disable(t, hi);
		t->protmem.windows &= ~BIT(hi);
	} else if (lo) {
		tee_tzc_protect(t, lo, t->region_base[lo], t->region_size[lo] + size);
	} else if (hi) {
		tee_tzc_protect(t, hi, base, size + t->region_size[hi]);
	} else {
		n = region_unused(t);
		if (!n) {
			sometimes(true, "tee: no TZC region left for a new protected window");
			return TEE_ERROR_OUT_OF_MEMORY;
		}
		tee_tzc_protect(t, n, base, size);
		t->protmem.windows |= BIT(n);
	}
	return TEE_SUCCESS;
}

u32 tee_protmem_assign(struct tee *t, u64 base, u64 size)
{
	u32 ret = assign_check(t, base, size);

	if (ret == TEE_SUCCESS)
		ret = assign_place(t, base, size);
	if (ret != TEE_SUCCESS) {
		t->protmem.refusals++;
		return ret;
	}
	t->protmem.assigns++;
	return TEE_SUCCESS;
}

/*
 * The DRM TA's running command writes its output as it goes (engine output
 * descriptors, secure-CPU copies): released under it, the rest of the
 * plaintext would land in normal memory.
 */
static bool drm_writes_into(const struct tee *t, u64 base, u64 size)
{
	const struct ta_drm *d = &t->drm;

	return d->call && tee_ranges_overlap(base, size, d->out_pa, d->len);
}

/*
 * Zero the range while it is still protected, as the secure CPU would
 * (through the backdoor for host speed, with the modelled cost charged to
 * the CPU that runs the call: a fast call runs on the core that made the
 * SMC, as on hardware; outside any step, to the secure CPU).
 */
static void scrub(struct tee *t, u64 base, u64 size)
{
	u8 *p = bus_ram_backdoor(t->soc->bus, base, size);
	struct cpu *c = cpu_current();

	always(p != NULL, "tee: window range [0x%llx, +0x%llx) is not RAM",
	       (unsigned long long)base, (unsigned long long)size);
	if (!p)
		return;
	memset(p, 0, size);
	cpu_add_cost(c ? c : t->cpu, size / 1024 * TEE_PROTMEM_SCRUB_NS_PER_KIB);
	t->protmem.scrubbed += size;
}

/*
 * Take [base, base + size) out of window @n: scrub it, then shrink the
 * window from the end it touches, split it (the upper part takes a free
 * region, programmed before the lower part shrinks), or disable it.
 */
static u32 release_from(struct tee *t, unsigned int n, u64 base, u64 size)
{
	u64 wbase = t->region_base[n], wtop = window_top(t, n), top = base + size;
	unsigned int upper = 0;

	if (base > wbase && top < wtop) {
		upper = region_unused(t);
		if (!upper) {
			sometimes(true, "tee: no TZC region left to split a protected window");
			return TEE_ERROR_OUT_OF_MEMORY;
		}
	}
	scrub(t, base, size);
	if (upper) {
		sometimes(true, "tee: a release split a protected window");
		tee_tzc_protect(t, upper, top, wtop - top);
		t->protmem.windows |= BIT(upper);
	}
	if (base > wbase) {
		tee_tzc_protect(t, n, wbase, base - wbase);
	} else if (top < wtop) {
		tee_tzc_protect(t, n, top, wtop - top);
	} else {
		tee_tzc_disable(t, n);
		t->protmem.windows &= ~BIT(n);
	}
	return TEE_SUCCESS;
}

u32 tee_protmem_release(struct tee *t, u64 base, u64 size)
{
	unsigned int n = 0;
	u32 ret = TEE_SUCCESS;

	if (!range_valid(base, size))
		ret = TEE_ERROR_BAD_PARAMETERS;
	else if (!(n = window_holding(t, base, size)))
		ret = TEE_ERROR_ACCESS_DENIED;
	else if (drm_writes_into(t, base, size))
		ret = TEE_ERROR_BUSY;
	else
		ret = release_from(t, n, base, size);
	if (ret != TEE_SUCCESS) {
		t->protmem.refusals++;
		return ret;
	}
	t->protmem.releases++;
	return TEE_SUCCESS;
}

void tee_protmem_info(const struct tee *t, struct tee_protmem_info *info)
{
	*info = (struct tee_protmem_info){
		.assigns = t->protmem.assigns,
		.releases = t->protmem.releases,
		.scrubbed = t->protmem.scrubbed,
		.refusals = t->protmem.refusals,
	};
	for (unsigned int n = 1; n < t->nr_regions; n++) {
		if (!(t->regions_used & BIT(n))) {
			info->regions_free++;
		} else if (is_window(t, n)) {
			info->windows++;
			info->bytes += t->region_size[n];
		}
	}
}
