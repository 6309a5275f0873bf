/*
 * dt.h - a parsed, validated, immutable device tree.
 *
 * A flattened device tree (DTB) is checked with libfdt, copied, and turned
 * into an array of nodes in pre-order with their parent/child/sibling links,
 * compatible strings, translated "reg" entries (CPU physical addresses) and
 * decoded "interrupts". Everything a model or driver may later rely on is
 * validated at load time, so a bad board file is rejected with one sentence
 * naming the file, the node and the property, never with a crash.
 *
 * Conventions (documented in docs/soc.md):
 * - #address-cells / #size-cells default to 2 and 1 when absent (Devicetree
 *   specification 2.3.5; they are not inherited). #address-cells must be 1
 *   or 2 where a child has "reg"; #size-cells must be 0, 1 or 2.
 * - Nodes under /cpus and nodes whose parent has #size-cells = 0 are not
 *   memory-mapped: their "reg" keeps its raw values.
 * - All other "reg" entries are translated through every ancestor's
 *   "ranges" ("ranges;" is the identity) and must end below DT_PA_LIMIT.
 * - status absent, "okay" or "ok" means enabled; disabled nodes are kept
 *   and validated, the SoC layer and the driver core skip them.
 */
#ifndef SECSOC_DT_H
#define SECSOC_DT_H

#include <secsoc/error.h>
#include <secsoc/types.h>

#define DT_NODES_MAX 4096
#define DT_COMPAT_MAX 8
#define DT_REG_MAX 8
#define DT_IRQ_MAX 16
#define DT_DEPTH_MAX 32
#define DT_PATH_MAX 1024		/* longest node path accepted */
#define DT_PHANDLE_ARGS_MAX 8		/* longest #...-cells accepted */
#define DT_BLOB_MAX (16U << 20)		/* largest DTB accepted (16 MiB) */
#define DT_PA_LIMIT (1ULL << 40)	/* physical address space (= BUS_PA_LIMIT) */

struct dt;
struct dt_node;

struct dt_reg {
	u64 addr;	/* translated to the CPU physical address */
	u64 size;
};

/* A property of a node, indexed at load so lookups need not walk the blob. */
struct dt_property {
	const char *name;
	const void *value;	/* in the blob */
	int len;
};

struct dt_irq {
	struct dt_node *ctrl;	/* the interrupt controller */
	u32 cells[4];		/* its #interrupt-cells specifier */
	unsigned int ncells;
};

struct dt_node {
	const char *name;		/* "crypto@1dfa000"; "" for the root */
	const char *path;		/* "/soc@0/crypto@1dfa000" */
	struct dt_node *parent, *child, *sibling;
	int offset;			/* in the blob */
	const struct dt_property *props;	/* in blob order */
	unsigned int nr_props;
	u32 phandle;			/* 0 if none */
	bool enabled;			/* status absent, "okay" or "ok" */
	const char *compatible[DT_COMPAT_MAX];
	unsigned int ncompat;
	struct dt_reg reg[DT_REG_MAX];
	unsigned int nreg;
	struct dt_irq irq[DT_IRQ_MAX];
	unsigned int nirq;
	struct dt *tree;		/* the tree this node belongs to */
	/* What this node declares for its children (defaults applied). */
	u32 addr_cells;
	u32 size_cells;
	unsigned int depth;		/* 0 for the root */
	bool mapped;			/* "reg" holds CPU physical addresses */
};

struct dt {
	void *blob;		/* owned copy of the DTB */
	size_t size;
	char source[256];	/* file name used in error messages */
	struct dt_node *nodes;	/* pre-order; nodes[0] is the root */
	unsigned int nr_nodes;
	/* Private: every node's properties, node by node. */
	struct dt_property *props;
	/* Private: soc_create() found no overlapping register windows in it. */
	bool regs_checked;
	/* Private: phandle index sorted by phandle. */
	struct dt_node **by_phandle;
	unsigned int nr_phandles;
};

/**
 * dt_load_blob - parse and validate a flattened device tree
 * @blob: the DTB bytes (copied; the caller keeps ownership)
 * @len: bytes available at @blob
 * @source: name used at the start of every error message ("board.dtb")
 * @out: the new tree on success
 * @err: the reason on failure
 *
 * Return: 0, or -EINVAL (input error recorded) / -ENOMEM (internal error).
 */
int dt_load_blob(const void *blob, size_t len, const char *source, struct dt **out,
		 struct secsoc_error *err);
/** dt_load_dtb_file - read a DTB file (at most DT_BLOB_MAX bytes) and dt_load_blob() it */
int dt_load_dtb_file(const char *path, struct dt **out, struct secsoc_error *err);
/** dt_load_dts_file - compile a DTS file with dtc and dt_load_blob() the result */
int dt_load_dts_file(const char *path, struct dt **out, struct secsoc_error *err);
/** dt_free - release a tree (NULL is fine) */
void dt_free(struct dt *dt);

/** dt_find_path - the node at exactly @path ("/" is the root), or NULL */
struct dt_node *dt_find_path(const struct dt *dt, const char *path);
/** dt_find_phandle - the node with @phandle, or NULL (also for 0) */
struct dt_node *dt_find_phandle(const struct dt *dt, u32 phandle);
/**
 * dt_find_compatible - next node after @from (pre-order) compatible with @compat
 * @from: NULL to start at the root
 *
 * Disabled nodes are returned too; callers check ->enabled.
 */
struct dt_node *dt_find_compatible(const struct dt *dt, const struct dt_node *from,
				   const char *compat);
/** dt_is_compatible - does any of @n's compatible strings equal @compat? */
bool dt_is_compatible(const struct dt_node *n, const char *compat);
/** dt_node_available - @n and all its ancestors are enabled */
bool dt_node_available(const struct dt_node *n);

/** dt_prop - raw value of property @name of @n (NULL if absent); *len gets its length */
const void *dt_prop(const struct dt_node *n, const char *name, int *len);
/** dt_prop_bool - is property @name present? */
bool dt_prop_bool(const struct dt_node *n, const char *name);
/**
 * dt_prop_u32 - read a property that must be exactly one 32-bit cell
 *
 * Return: 0; -ENOENT if absent (no error recorded); -EINVAL with
 * "node /x: property 'y' must be a 32-bit cell" if malformed.
 */
int dt_prop_u32(const struct dt_node *n, const char *name, u32 *val, struct secsoc_error *err);
/**
 * dt_prop_u32_index - read cell @idx of a list of 32-bit cells
 *
 * Return: 0; -ENOENT if absent; -EOVERFLOW if the list has no cell @idx
 * (neither recorded); -EINVAL (recorded) if the length is not a multiple of 4.
 */
int dt_prop_u32_index(const struct dt_node *n, const char *name, unsigned int idx, u32 *val,
		      struct secsoc_error *err);
/**
 * dt_prop_string - read the first string of a string property
 *
 * Return: 0; -ENOENT if absent; -EINVAL (recorded) if not a NUL-terminated string.
 */
int dt_prop_string(const struct dt_node *n, const char *name, const char **val,
		   struct secsoc_error *err);
/**
 * dt_prop_string_index - read string @idx of a string list
 *
 * Return: 0; -ENOENT if absent; -EILSEQ if malformed; -ENODATA past the end.
 */
int dt_prop_string_index(const struct dt_node *n, const char *name, unsigned int idx,
			 const char **val);
/**
 * dt_prop_match_string - index of @str in string list @name
 *
 * Return: the index; -ENOENT if absent; -EILSEQ if malformed; -ENODATA if
 * @str is not in the list.
 */
int dt_prop_match_string(const struct dt_node *n, const char *name, const char *str);

struct dt_phandle_args {
	struct dt_node *np;
	unsigned int nargs;
	u32 args[DT_PHANDLE_ARGS_MAX];
};

/**
 * dt_parse_phandle_with_args - entry @index of a <&phandle args...> list
 * @n: the node holding the list
 * @list: property name ("dmas", "clocks", "secsoc,tzc")
 * @cells_name: property of the target giving its argument count
 *	("#dma-cells"), or NULL for a plain phandle list
 * @index: which entry
 * @out: the target and its arguments
 * @err: records malformed lists (dangling phandle, missing #...-cells)
 *
 * Return: 0; -ENOENT if the property is absent, @index is past the end or
 * the entry is empty (phandle 0, as in Linux); -EINVAL (recorded) if the
 * list is malformed.
 */
int dt_parse_phandle_with_args(const struct dt_node *n, const char *list,
			       const char *cells_name, unsigned int index,
			       struct dt_phandle_args *out, struct secsoc_error *err);
/** dt_parse_phandle - node referenced by entry @index of a plain phandle list, or NULL */
struct dt_node *dt_parse_phandle(const struct dt_node *n, const char *list, unsigned int index);

/** dt_memory_node - the @idx-th enabled node with device_type = "memory", or NULL */
const struct dt_node *dt_memory_node(const struct dt *dt, unsigned int idx);

#endif /* SECSOC_DT_H */
