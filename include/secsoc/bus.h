/*
 * bus.h - the physical address space: RAM, MMIO regions and bus masters.
 *
 * Every access names its master (a CPU in the normal or secure world, or a
 * device with its non-secure agent ID) and goes through the RAM filter (the
 * TZC-400) when it targets RAM. Accesses are split into transactions that
 * never cross a 4 KiB boundary, as on AXI, and each transaction is checked
 * and reported to the observers on its own. A denied read returns zeros, a
 * denied write is dropped, and the response (OKAY or DECERR) is what the
 * filter's ACTION register says; a CPU master that gets an error response
 * takes a synchronous external abort through its abort callback.
 *
 * RAM is one anonymous MAP_NORESERVE mapping per bank: sparse in host
 * memory (pages appear when first touched) and contiguous, so device models
 * can move data zero-copy with bus_dma_span().
 */
#ifndef SECSOC_BUS_H
#define SECSOC_BUS_H

#include <secsoc/error.h>
#include <secsoc/types.h>

struct bus;
struct bus_master;

#define BUS_PA_BITS 40			/* physical address width */
#define BUS_PA_LIMIT (1ULL << BUS_PA_BITS)
#define BUS_RAM_BANKS_MAX 8
#define BUS_RAM_SIZE_MAX (64ULL << 30)	/* per bank; MAP_NORESERVE */
#define BUS_MMIO_MAX 128
#define BUS_OBSERVERS_MAX 8
#define BUS_TXN_BYTES 4096		/* transactions never cross this */

enum bus_master_kind { BUS_MASTER_CPU, BUS_MASTER_DEVICE };

enum bus_resp {
	BUS_OKAY = 0,
	BUS_DECERR,	/* decode error: unmapped, or filter denial with error response */
	BUS_SLVERR,	/* slave error: bad access size or a secure-only register */
};

struct bus_master {
	const char *name;
	enum bus_master_kind kind;
	bool secure;		/* AxPROT[1] low: a secure transaction */
	bool privileged;	/* AxPROT[0] */
	unsigned int cpu;	/* CPU masters: CPU index */
	unsigned int nsaid;	/* non-secure agent ID seen by the TZC (0..15) */
	/* CPU masters: synchronous external abort on an error response. */
	void (*abort)(const struct bus_master *m, u64 addr, bool write, void *opaque);
	void *abort_opaque;
};

enum bus_target { BUS_TARGET_RAM, BUS_TARGET_MMIO, BUS_TARGET_UNMAPPED };

/* The filter's verdict on one RAM transaction. */
struct bus_filter_decision {
	bool allowed;
	enum bus_resp resp;	/* what the master sees when denied */
	int region;		/* matching region, -1 if none */
	const char *reason;	/* why denied, static string; NULL if allowed */
};

/* One transaction, as reported to observers (checkers, reports). */
struct bus_access {
	const struct bus_master *master;
	u64 addr;
	u32 len;
	bool write;
	enum bus_target target;
	const char *mmio_name;	/* MMIO: the region's name */
	struct bus_filter_decision decision;
	enum bus_resp resp;
};

typedef void (*bus_observer_fn)(void *opaque, const struct bus_access *a);

/*
 * The RAM filter: called for every RAM transaction before it happens. The
 * TZC-400 model installs itself here; with no filter everything is allowed.
 */
struct bus_filter_ops {
	void (*check)(void *opaque, const struct bus_master *m, u64 addr, u32 len,
		      bool write, struct bus_filter_decision *d);
};

#define BUS_ACCESS_8 BIT(0)
#define BUS_ACCESS_16 BIT(1)
#define BUS_ACCESS_32 BIT(2)
#define BUS_ACCESS_64 BIT(3)

/*
 * MMIO callbacks get the offset in the region, the access size in bytes and
 * the master. They may set *resp to BUS_SLVERR to refuse the access.
 */
struct mmio_ops {
	u64 (*read)(void *opaque, u64 off, unsigned int size,
		    const struct bus_master *m, enum bus_resp *resp);
	void (*write)(void *opaque, u64 off, u64 val, unsigned int size,
		      const struct bus_master *m, enum bus_resp *resp);
	u32 sizes;		/* BUS_ACCESS_* permitted; accesses must be naturally aligned */
	bool secure_only;	/* non-secure accesses get SLVERR and a guest error */
};

struct bus *bus_create(void);
void bus_destroy(struct bus *b);

/**
 * bus_add_ram - map a RAM bank
 *
 * Return: 0, or -EINVAL naming the problem (overlap, size 0, above the
 * physical address width, too large) in @err.
 */
int bus_add_ram(struct bus *b, const char *name, u64 base, u64 size, struct secsoc_error *err);
/** bus_add_mmio - map a register region; rejects overlaps with RAM or MMIO */
int bus_add_mmio(struct bus *b, const char *name, u64 base, u64 size,
		 const struct mmio_ops *ops, void *opaque, struct secsoc_error *err);
void bus_set_filter(struct bus *b, const struct bus_filter_ops *ops, void *opaque);
int bus_add_observer(struct bus *b, bus_observer_fn fn, void *opaque);
void bus_remove_observer(struct bus *b, bus_observer_fn fn, void *opaque);

/* Reads and writes of any length; RAM accesses are split into transactions. */
enum bus_resp bus_read(struct bus *b, const struct bus_master *m, u64 addr, void *buf, size_t len);
enum bus_resp bus_write(struct bus *b, const struct bus_master *m, u64 addr,
			const void *buf, size_t len);
/* Register-sized accesses (1, 2, 4 or 8 bytes), e.g. readl/writel. */
enum bus_resp bus_read_sized(struct bus *b, const struct bus_master *m, u64 addr,
			     unsigned int size, u64 *val);
enum bus_resp bus_write_sized(struct bus *b, const struct bus_master *m, u64 addr,
			      unsigned int size, u64 val);

/**
 * bus_dma_span - zero-copy access to RAM for a device model
 *
 * Checks [addr, addr + len) transaction by transaction with the filter (and
 * reports each to the observers). If every transaction is allowed and the
 * range lies in one RAM bank, returns the host pointer; otherwise returns
 * NULL and sets *resp (the caller then falls back to bus_read/bus_write,
 * which apply zero-fill and dropped-write semantics piece by piece).
 */
void *bus_dma_span(struct bus *b, const struct bus_master *m, u64 addr, size_t len,
		   bool write, enum bus_resp *resp);

/**
 * bus_ram_backdoor - host pointer for tests and loaders, no checks (NULL if
 * not one RAM bank); the range counts as written (see bus_ram_touch())
 */
void *bus_ram_backdoor(struct bus *b, u64 addr, size_t len);

/** bus_ram_holds - is [@addr, @addr + @len) inside one RAM bank? */
bool bus_ram_holds(struct bus *b, u64 addr, size_t len);

/**
 * bus_ram_linear_map - host pointer to a large range (NULL if not one RAM
 * bank) whose holder reports every page it writes with bus_ram_touch()
 *
 * RAM banks are recycled between buses (bus_destroy()), and a recycled bank
 * is zeroed only where it was written: a page written through this pointer
 * and not reported would leak into the next machine. The kernel's page
 * allocator is the one user: it reports pages as it hands them out.
 */
void *bus_ram_linear_map(struct bus *b, u64 addr, size_t len);

/** bus_ram_touch - the pages of [@addr, @addr + @len) may have been written */
void bus_ram_touch(struct bus *b, u64 addr, size_t len);

/**
 * bus_ram_untracked_pages - pages that hold data but were never reported
 * written (a missing bus_ram_touch()); for tests, slow (it scans every
 * resident page). Return: the count, or UINT64_MAX if the host cannot tell.
 */
u64 bus_ram_untracked_pages(struct bus *b);

/** bus_resp_name - "OKAY", "DECERR" or "SLVERR" */
const char *bus_resp_name(enum bus_resp r);

#endif /* SECSOC_BUS_H */
