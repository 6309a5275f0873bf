/*
 * soc.h - the hardware of one board, instantiated from its device tree.
 *
 * soc_create() walks the tree and creates a hardware model for every
 * enabled node whose compatible (or device_type) has one: RAM banks, the
 * interrupt controller, the CPUs (normal world from /cpus, the secure CPU
 * from the secure-world node), the TZC-400. Nodes without a model are kept
 * and reported as such by `secsoc info`. Software (secure firmware, the
 * normal-world kernel and its drivers) is booted on top by the layers above.
 */
#ifndef SECSOC_SOC_H
#define SECSOC_SOC_H

#include <secsoc/bam.h>
#include <secsoc/bam_loopback.h>
#include <secsoc/bus.h>
#include <secsoc/cpu.h>
#include <secsoc/display.h>
#include <secsoc/dt.h>
#include <secsoc/error.h>
#include <secsoc/gic.h>
#include <secsoc/gpu.h>
#include <secsoc/qce.h>
#include <secsoc/report.h>
#include <secsoc/sim.h>
#include <secsoc/tzc400.h>

#define SOC_NS_CPUS_MAX 8
#define SOC_BAMS_MAX 4

/*
 * A BAM instance, the interrupt lines of its execution environments, and
 * the one peripheral behind its pipes (a crypto engine or a loopback).
 */
struct soc_bam {
	struct dt_node *np;
	struct bam *bam;
	unsigned int linux_ee;		/* the node's qcom,ee */
	struct irq_line ee_irq[BAM_EES_MAX];
	const struct dt_node *periph_np;	/* the peripheral's node, or NULL */
	struct bam_loopback *loopback;	/* when that peripheral is a secsoc,bam-loopback */
};

struct soc;

/* What the SoC layer did with a device-tree node (node->binding). */
struct soc_binding {
	const struct soc_model *model;	/* NULL: no model (yet) */
	const char *driver;		/* normal-world driver bound to it, or NULL */
	const char *driver_state;	/* "bound", "deferred", "failed", or NULL */
};

struct soc_model {
	bool (*match)(const struct dt_node *np);
	const char *name;		/* model name shown by info */
	const char *version;		/* modelled hardware version */
	int (*create)(struct soc *soc, struct dt_node *np, struct secsoc_error *err);
	/* Key properties of the instance, for `secsoc info`. */
	void (*info)(const struct soc *soc, const struct dt_node *np, struct report *r);
};

struct soc {
	struct sim *sim;
	struct dt *dt;
	struct bus *bus;
	struct gic *gic;
	struct dt_node *gic_node;
	struct tzc400 *tzc;
	struct dt_node *tzc_node;
	struct irq_line tzc_irq;
	struct cpu cpus[SOC_NS_CPUS_MAX];
	unsigned int nr_cpus;
	struct cpu secure_cpu;
	struct dt_node *tee_node;	/* NULL: the board has no secure world */
	struct soc_bam bams[SOC_BAMS_MAX];
	unsigned int nr_bams;
	struct qce *qce;
	struct dt_node *qce_node;
	struct gpu *gpu;			/* soc/models_gpu.c */
	struct dt_node *gpu_node;
	struct irq_line gpu_irq_job, gpu_irq_gpu;
	struct display *display;		/* soc/models_display.c */
	struct dt_node *display_node;
	struct irq_line display_irq;
	struct soc_binding *bindings;	/* one per node, indexed like dt->nodes */
};

/**
 * soc_load_dt - load the board description
 * @dtb: a .dtb file, or NULL
 * @dts: a .dts file (compiled with dtc), or NULL
 *
 * With neither, the built-in default SoC (soc/secsoc.dts) is used.
 */
int soc_load_dt(const char *dtb, const char *dts, struct dt **out, struct secsoc_error *err);

#define SOC_BUILTIN_DEFAULT "secsoc"

/**
 * soc_load_builtin - load a board compiled into the binary
 * @name: "secsoc" (soc/secsoc.dts, the default SoC) or "bam-loopback"
 *	(soc/boards/bam-loopback.dts: the BAM with the loopback test peripheral)
 *
 * Return: 0, or -EINVAL naming the known boards when @name is not one.
 */
int soc_load_builtin(const char *name, struct dt **out, struct secsoc_error *err);

/**
 * soc_create - instantiate the hardware models of @dt in @sim
 *
 * The tree is borrowed and must outlive the SoC. Errors name the node and
 * property at fault.
 */
int soc_create(struct sim *sim, struct dt *dt, struct soc **out, struct secsoc_error *err);
void soc_destroy(struct soc *soc);

/** soc_binding - what was done with @np */
struct soc_binding *soc_binding(const struct soc *soc, const struct dt_node *np);

/**
 * soc_irq_of - translate interrupt @idx of @np into a GIC interrupt ID and
 * configure its trigger (normal world, CPU 0) on the GIC
 *
 * Return: 0, or -EINVAL naming the node when the specifier is bad or the
 * SPI already belongs to the secure world (group 0).
 */
int soc_irq_of(struct soc *soc, const struct dt_node *np, unsigned int idx,
	       unsigned int *intid, struct secsoc_error *err);

/**
 * soc_spi_line - connect @line to the first interrupt of @np, which must be an
 * SPI (configured for the normal world, CPU 0, like soc_irq_of())
 * @what: names the interrupt in messages, e.g. "the TZC's interrupt"
 */
int soc_spi_line(struct soc *soc, const struct dt_node *np, const char *what,
		 struct irq_line *line, struct secsoc_error *err);

/** soc_bam_of - the BAM model created for node @np, or NULL */
struct soc_bam *soc_bam_of(struct soc *soc, const struct dt_node *np);

/*
 * Who may reach protected memory: the secure world's
 * `secsoc,protected-access` list (<nsaid access> pairs), per NSAID a mask
 * of SOC_PROTECTED_READ/WRITE. The secure firmware grants exactly this in
 * the TZC (soc_protected_id_access()); the normal world's protected heaps
 * read the same list to refuse, at attach, a device not on it.
 */
#define SOC_PROTECTED_READ BIT(0)
#define SOC_PROTECTED_WRITE BIT(1)

struct soc_protected_access {
	u8 nsaid[TZC400_NSAID_MAX];
};

/**
 * soc_protected_access_parse - read `secsoc,protected-access` of @np (the
 * secsoc,tee node) into @acc: nsaid 0..15, access 1 (read), 2 (write) or
 * 3 (both); absent means nobody
 *
 * Return: 0, or -EINVAL naming node and property in @err.
 */
int soc_protected_access_parse(const struct dt_node *np, struct soc_protected_access *acc,
			       struct secsoc_error *err);
/** soc_protected_id_access - @acc as the TZC's REGION_ID_ACCESS value */
u32 soc_protected_id_access(const struct soc_protected_access *acc);
/**
 * soc_background_id_access - REGION_ID_ACCESS of normal memory (region 0):
 * every NSAID may read it, and every NSAID but those @acc lets write
 * protected memory may write it. A master that can write protected memory
 * (the GPU in protected mode) must not be able to write anything else, or
 * it could copy protected content out (TZMP1's "no write-down").
 */
u32 soc_background_id_access(const struct soc_protected_access *acc);

/** soc_report_devices - the `devices` list of `secsoc info` */
void soc_report_devices(const struct soc *soc, struct report *r);

#endif /* SECSOC_SOC_H */
