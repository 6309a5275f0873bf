/*
 * io.c - memory-mapped I/O for normal-world drivers (io.h). Owns the table
 * of live ioremap()s.
 *
 * A cookie is IOMEM_COOKIE_BASE + the physical address: above the bus's
 * physical address width, so it is never a host pointer anyone could
 * dereference, and decoding it is one subtraction. Every access must fall
 * inside a live mapping; it then goes through the bus as a CPU master (the
 * running normal-world CPU, CPU 0 outside CPU steps), so a device sees who
 * accessed it and an error response becomes an external abort on that CPU
 * (hw/cpu.c). The table is small (IOREMAP_MAX), kept compact and searched
 * linearly; kmem_init() and kmem_exit() reset it (kmem_internal.h).
 * Secure-world code does not use this file: it has its own CPU.
 */
#include <secsoc/bus.h>
#include <secsoc/cpu.h>
#include <secsoc/io.h>
#include <secsoc/kernel.h>
#include <secsoc/sim.h>

#include "kmem_internal.h"

#define IOMEM_COOKIE_BASE BUS_PA_LIMIT

_Static_assert(sizeof(uintptr_t) >= sizeof(u64), "cookies need 64-bit host pointers");

struct ioremap_slot {
	phys_addr_t phys;
	u64 size;
};

static struct ioremap_slot maps[IOREMAP_MAX];
static unsigned int nr_maps;

/** ioremap_reset - see kmem_internal.h */
void ioremap_reset(void)
{
	nr_maps = 0;
}

/** ioremap - see io.h; a range beyond the physical address space is an always() violation */
void __iomem *ioremap(phys_addr_t phys, size_t size)
{
	bool in_pa = phys < BUS_PA_LIMIT && size <= BUS_PA_LIMIT - phys;

	if (!size || nr_maps == IOREMAP_MAX)
		return NULL;
	always(in_pa, "ioremap(%#llx, %#zx): beyond the %d-bit physical address space",
	       (unsigned long long)phys, size, BUS_PA_BITS);
	if (!in_pa)
		return NULL;
	maps[nr_maps++] = (struct ioremap_slot){ phys, size };
	return (void __iomem *)(uintptr_t)(IOMEM_COOKIE_BASE + phys);
}

/** iounmap - see io.h; NULL is ignored, anything but a live cookie is a violation */
void iounmap(void __iomem *addr)
{
	u64 phys = (uintptr_t)addr - IOMEM_COOKIE_BASE;
	bool found = false;
	unsigned int i;

	if (!addr)
		return;
	for (i = 0; i < nr_maps && !found; i++)
		found = maps[i].phys == phys;
	always(found, "iounmap(%p): not a live ioremap() cookie", addr);
	if (found)
		maps[i - 1] = maps[--nr_maps];
}

/** ioremap_count - see io.h */
unsigned int ioremap_count(void)
{
	return nr_maps;
}

static bool slot_covers(const struct ioremap_slot *s, u64 phys, u64 len)
{
	return phys - s->phys < s->size && s->size - (phys - s->phys) >= len;
}

/* The physical address of a 4-byte access at @addr; false (a violation) if unmapped. */
static bool io_phys(const char *fn, const void __iomem *addr, u64 *pa)
{
	u64 phys = (uintptr_t)addr - IOMEM_COOKIE_BASE;
	bool mapped = false;

	for (unsigned int i = 0; i < nr_maps && !mapped; i++)
		mapped = slot_covers(&maps[i], phys, sizeof(u32));
	always(mapped, "%s(%p): not inside a live ioremap()", fn, addr);
	*pa = phys;
	return mapped;
}

/* The CPU the access is made as: the running normal-world CPU, else CPU 0. */
static struct cpu *io_cpu(const char *fn)
{
	struct cpu *c = cpu_current();
	struct kernel *k;

	if (c && !c->secure)
		return c;
	k = kernel_current();
	always(k, "%s outside a CPU step with no normal-world kernel booted", fn);
	return k ? &k->soc->cpus[0] : NULL;
}

static u32 io_read(const char *fn, const void __iomem *addr)
{
	struct cpu *c;
	u64 pa;

	if (!io_phys(fn, addr, &pa) || !(c = io_cpu(fn)))
		return 0;
	return cpu_read32(c, pa);
}

static void io_write(const char *fn, u32 val, void __iomem *addr)
{
	struct cpu *c;
	u64 pa;

	if (io_phys(fn, addr, &pa) && (c = io_cpu(fn)))
		cpu_write32(c, pa, val);
}

/** readl - see io.h; 0 after a violation or an external abort */
u32 readl(const void __iomem *addr)
{
	return io_read("readl", addr);
}

/** writel - see io.h */
void writel(u32 val, void __iomem *addr)
{
	io_write("writel", val, addr);
}

/** readl_relaxed - readl(): the model's bus is strongly ordered */
u32 readl_relaxed(const void __iomem *addr)
{
	return io_read("readl_relaxed", addr);
}

/** writel_relaxed - writel(): the model's bus is strongly ordered */
void writel_relaxed(u32 val, void __iomem *addr)
{
	io_write("writel_relaxed", val, addr);
}
