/*
 * io.h - memory-mapped I/O as in <linux/io.h>: ioremap() and
 * readl()/writel() reach device registers through the bus as the CPU that
 * runs the code (CPU 0 outside any CPU step, e.g. during boot), so the
 * device models see a CPU master and an error response is an external
 * abort on that CPU.
 *
 * An __iomem cookie is never dereferenced: it encodes the physical address
 * above the physical address width, and every access checks that it falls
 * inside a live ioremap() (an always() violation otherwise). Barriers are
 * no-ops: the model's bus is strongly ordered, and they are kept so the
 * driver code reads like its Linux original.
 */
#ifndef SECSOC_IO_H
#define SECSOC_IO_H

#include <secsoc/types.h>

#define __iomem
#define IOREMAP_MAX 64

/** ioremap - map @size bytes of registers at @phys; NULL if no slot is left or @size is 0 */
void __iomem *ioremap(phys_addr_t phys, size_t size);
void iounmap(void __iomem *addr);
/** ioremap_count - live mappings, for leak checks */
unsigned int ioremap_count(void);

u32 readl(const void __iomem *addr);
void writel(u32 val, void __iomem *addr);
u32 readl_relaxed(const void __iomem *addr);
void writel_relaxed(u32 val, void __iomem *addr);

#define wmb() __asm__ __volatile__("" ::: "memory")
#define rmb() __asm__ __volatile__("" ::: "memory")
#define mb() __asm__ __volatile__("" ::: "memory")

#endif /* SECSOC_IO_H */
