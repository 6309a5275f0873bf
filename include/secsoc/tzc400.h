/*
 * tzc400.h - the TrustZone address space controller (Arm CoreLink TZC-400)
 * that filters every RAM transaction on the bus.
 *
 * Register map and bit fields follow Arm DDI 0504 and TF-A's tzc400.h. The
 * model installs itself as the bus RAM filter; its register window is
 * reachable by secure masters only. docs/tzc400.md describes the decision
 * procedure and the choices the model makes where hardware is undefined.
 */
#ifndef SECSOC_TZC400_H
#define SECSOC_TZC400_H

#include <secsoc/bus.h>
#include <secsoc/error.h>
#include <secsoc/gic.h>
#include <secsoc/types.h>

struct tzc400;

#define TZC400_REGIONS_MAX 9		/* region 0 (background) + 8 */
#define TZC400_FILTERS_MAX 4
#define TZC400_MMIO_SIZE 0x1000
#define TZC400_NSAID_MAX 16
#define TZC400_GRANULE 4096		/* region alignment and filter interleave */

/* Registers (32-bit accesses only). */
#define TZC400_BUILD_CONFIG		0x000
#define TZC400_ACTION			0x004
#define TZC400_GATE_KEEPER		0x008
#define TZC400_SPECULATION_CTRL		0x00c
#define TZC400_INT_STATUS		0x010
#define TZC400_INT_CLEAR		0x014
#define TZC400_FAIL_ADDRESS_LOW(f)	(0x020 + 0x10 * (f))
#define TZC400_FAIL_ADDRESS_HIGH(f)	(0x024 + 0x10 * (f))
#define TZC400_FAIL_CONTROL(f)		(0x028 + 0x10 * (f))
#define TZC400_FAIL_ID(f)		(0x02c + 0x10 * (f))
#define TZC400_REGION_BASE_LOW(n)	(0x100 + 0x20 * (n))
#define TZC400_REGION_BASE_HIGH(n)	(0x104 + 0x20 * (n))
#define TZC400_REGION_TOP_LOW(n)	(0x108 + 0x20 * (n))
#define TZC400_REGION_TOP_HIGH(n)	(0x10c + 0x20 * (n))
#define TZC400_REGION_ATTRIBUTES(n)	(0x110 + 0x20 * (n))
#define TZC400_REGION_ID_ACCESS(n)	(0x114 + 0x20 * (n))
#define TZC400_PID4			0xfd0
#define TZC400_PID5			0xfd4
#define TZC400_PID6			0xfd8
#define TZC400_PID7			0xfdc
#define TZC400_PID0			0xfe0
#define TZC400_PID1			0xfe4
#define TZC400_PID2			0xfe8
#define TZC400_PID3			0xfec
#define TZC400_CID0			0xff0
#define TZC400_CID1			0xff4
#define TZC400_CID2			0xff8
#define TZC400_CID3			0xffc

/* BUILD_CONFIG */
#define TZC400_BUILD_CONFIG_NR		GENMASK(4, 0)	/* regions - 1 */
#define TZC400_BUILD_CONFIG_AW		GENMASK(13, 8)	/* address width - 1 */
#define TZC400_BUILD_CONFIG_NF		GENMASK(25, 24)	/* filters - 1 */

/* ACTION: how a denied transaction is signalled. */
#define TZC400_ACTION_MASK		GENMASK(1, 0)
#define TZC400_ACTION_OKAY		0	/* OKAY, no interrupt */
#define TZC400_ACTION_DECERR		1	/* DECERR, no interrupt */
#define TZC400_ACTION_OKAY_INT		2	/* OKAY + interrupt */
#define TZC400_ACTION_DECERR_INT	3	/* DECERR + interrupt */
#define TZC400_ACTION_ERR_BIT		BIT(0)
#define TZC400_ACTION_INT_BIT		BIT(1)

/* GATE_KEEPER */
#define TZC400_GATE_KEEPER_OPEN_REQUEST	GENMASK(3, 0)
#define TZC400_GATE_KEEPER_OPEN_STATUS	GENMASK(19, 16)

/* SPECULATION_CTRL */
#define TZC400_SPECULATION_READ_DISABLE	BIT(0)
#define TZC400_SPECULATION_WRITE_DISABLE BIT(1)

/* INT_STATUS and INT_CLEAR */
#define TZC400_INT_STATUS_STATUS	GENMASK(3, 0)
#define TZC400_INT_STATUS_OVERRUN	GENMASK(11, 8)
#define TZC400_INT_STATUS_OVERLAP	GENMASK(19, 16)
#define TZC400_INT_CLEAR_MASK		GENMASK(3, 0)

/* FAIL_CONTROL and FAIL_ID */
#define TZC400_FAIL_CONTROL_WRITE	BIT(24)
#define TZC400_FAIL_CONTROL_NONSECURE	BIT(21)
#define TZC400_FAIL_CONTROL_PRIVILEGED	BIT(20)
#define TZC400_FAIL_ID_ID		GENMASK(7, 0)
#define TZC400_FAIL_ID_VNET		GENMASK(27, 24)

/* REGION_ATTRIBUTES and REGION_ID_ACCESS */
#define TZC400_ATTR_FILTER_EN		GENMASK(3, 0)
#define TZC400_ATTR_S_RD_EN		BIT(30)
#define TZC400_ATTR_S_WR_EN		BIT(31)
#define TZC400_ID_ACCESS_RD(nsaid)	BIT(nsaid)
#define TZC400_ID_ACCESS_WR(nsaid)	BIT(16 + (nsaid))

/* Peripheral and component identification (part 0x460, r0p0, Arm). */
#define TZC400_PERIPHERAL_ID		0x460
#define TZC400_COMPONENT_ID		0xb105f00dU

struct tzc400_config {
	unsigned int nr_regions;	/* 1..9, including region 0; 0 means 9 */
	unsigned int nr_filters;	/* 1..4; 0 means 1 */
	unsigned int addr_width;	/* 32..64; 0 means BUS_PA_BITS */
};

/**
 * tzc400_create - a TZC-400 at @base, filtering every RAM transaction of @bus
 * @bus: maps the 4 KiB register window there and becomes the bus filter
 * @name: region and device name for errors and guest-error reports
 * @cfg: build configuration; NULL means the defaults
 * @irq: the interrupt output (may be NULL); not owned
 * @err: names the bad configuration value or the MMIO overlap
 *
 * The controller starts in its reset state: every gate closed and every
 * region permission clear, so no RAM access passes until the secure world
 * programs it.
 *
 * Return: the controller, or NULL with @err set.
 */
struct tzc400 *tzc400_create(struct bus *bus, const char *name, u64 base,
			     const struct tzc400_config *cfg, struct irq_line *irq,
			     struct secsoc_error *err);

/**
 * tzc400_destroy - free the controller
 * @t: may be NULL. The bus keeps pointers to it: destroy the bus first, or
 * at least make no further bus accesses.
 */
void tzc400_destroy(struct tzc400 *t);

/** tzc400_denials - number of transactions denied so far */
u64 tzc400_denials(const struct tzc400 *t);

/** tzc400_reg_name - register name at @off ("ACTION", "FAIL_ID_1"), NULL if none */
const char *tzc400_reg_name(const struct tzc400 *t, u64 off, char *buf, size_t size);

/** tzc400_filter_of - the filter (DMC port) that sees @addr: (addr / 4 KiB) % filters */
unsigned int tzc400_filter_of(const struct tzc400 *t, u64 addr);

#endif /* SECSOC_TZC400_H */
