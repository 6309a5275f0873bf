/*
 * dt.c - device-tree loading and validation (see include/secsoc/dt.h).
 *
 * Owns the parsed tree: the copy of the blob, the node array, paths, the
 * phandle index, and every rule a board file must obey before a model or a
 * driver looks at it. The blob comes from untrusted files (and a fuzzer),
 * so libfdt's full check runs first and every length is checked before use.
 *
 * Validators record messages without the file name ("node /x: ...");
 * dt_load_blob() prefixes the source so that every load error starts with
 * the file at fault.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include <secsoc/bus.h>
#include <secsoc/dt.h>

_Static_assert(DT_PA_LIMIT == BUS_PA_LIMIT, "device tree and bus disagree on the PA width");

#define DT_IRQ_CELLS_MAX 4
#define DT_IRQ_WALK_MAX (2 * DT_DEPTH_MAX)	/* interrupt-parent hops + parent steps */

static u32 be32_at(const void *p, unsigned int idx)
{
	return fdt32_ld((const fdt32_t *)p + idx);
}

/* A value of @n cells (n <= 2) starting at cell @idx. */
static u64 cells_at(const void *p, unsigned int idx, unsigned int n)
{
	u64 v = 0;

	for (unsigned int i = 0; i < n; i++)
		v = (v << 32) | be32_at(p, idx + i);
	return v;
}

/* Is @p a list of NUL-terminated strings of exactly @len bytes? */
static bool is_string_list(const char *p, int len)
{
	return p && len > 0 && p[len - 1] == '\0';
}

/*
 * Drivers look properties up at every probe, and the explorer boots a
 * machine per schedule: a scan of the node's own index is several times
 * cheaper than libfdt's walk of the structure block with a string compare
 * through the strings block at each property.
 */
const void *dt_prop(const struct dt_node *n, const char *name, int *len)
{
	for (unsigned int i = 0; i < n->nr_props; i++) {
		if (strcmp(n->props[i].name, name))
			continue;
		if (len)
			*len = n->props[i].len;
		return n->props[i].value;
	}
	if (len)
		*len = 0;
	return NULL;
}

bool dt_prop_bool(const struct dt_node *n, const char *name)
{
	return dt_prop(n, name, NULL) != NULL;
}

int dt_prop_u32(const struct dt_node *n, const char *name, u32 *val, struct secsoc_error *err)
{
	int len;
	const void *p = dt_prop(n, name, &len);

	if (!p)
		return -ENOENT;
	if (len != 4)
		return input_error(err, "node %s: property '%s' must be a 32-bit cell",
				   n->path, name);
	*val = be32_at(p, 0);
	return 0;
}

int dt_prop_u32_index(const struct dt_node *n, const char *name, unsigned int idx, u32 *val,
		      struct secsoc_error *err)
{
	int len;
	const void *p = dt_prop(n, name, &len);

	if (!p)
		return -ENOENT;
	if (len % 4)
		return input_error(err, "node %s: property '%s' has %d bytes, not a multiple of 4",
				   n->path, name, len);
	if (idx >= (unsigned int)len / 4)
		return -EOVERFLOW;
	*val = be32_at(p, idx);
	return 0;
}

int dt_prop_string(const struct dt_node *n, const char *name, const char **val,
		   struct secsoc_error *err)
{
	int len;
	const char *p = dt_prop(n, name, &len);

	if (!p)
		return -ENOENT;
	if (!is_string_list(p, len))
		return input_error(err, "node %s: property '%s' must be a string", n->path, name);
	*val = p;
	return 0;
}

/*
 * Walk a string-list property for the string equal to @str or, when @str is
 * NULL, the one at @idx. Return: its index (and *at), -ENOENT without the
 * property, -EILSEQ if it is not a string list, -ENODATA if not there.
 */
static int string_list_walk(const struct dt_node *n, const char *name, const char *str,
			    unsigned int idx, const char **at)
{
	int len;
	const char *p = dt_prop(n, name, &len);
	const char *end;

	if (!p)
		return -ENOENT;
	if (!is_string_list(p, len))
		return -EILSEQ;
	end = p + len;
	for (unsigned int i = 0; p < end; i++, p += strlen(p) + 1) {
		if (str ? !strcmp(p, str) : i == idx) {
			*at = p;
			return (int)i;
		}
	}
	return -ENODATA;
}

int dt_prop_string_index(const struct dt_node *n, const char *name, unsigned int idx,
			 const char **val)
{
	int ret = string_list_walk(n, name, NULL, idx, val);

	return ret < 0 ? ret : 0;
}

int dt_prop_match_string(const struct dt_node *n, const char *name, const char *str)
{
	const char *at;

	return string_list_walk(n, name, str, 0, &at);
}

bool dt_is_compatible(const struct dt_node *n, const char *compat)
{
	for (unsigned int i = 0; i < n->ncompat; i++)
		if (!strcmp(n->compatible[i], compat))
			return true;
	return false;
}

bool dt_node_available(const struct dt_node *n)
{
	for (; n; n = n->parent)
		if (!n->enabled)
			return false;
	return true;
}

struct dt_node *dt_find_path(const struct dt *dt, const char *path)
{
	for (unsigned int i = 0; i < dt->nr_nodes; i++)
		if (!strcmp(dt->nodes[i].path, path))
			return &dt->nodes[i];
	return NULL;
}

struct dt_node *dt_find_phandle(const struct dt *dt, u32 phandle)
{
	unsigned int lo = 0, hi = dt->nr_phandles;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;
		u32 ph = dt->by_phandle[mid]->phandle;

		if (ph == phandle)
			return dt->by_phandle[mid];
		if (ph < phandle)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

struct dt_node *dt_find_compatible(const struct dt *dt, const struct dt_node *from,
				   const char *compat)
{
	unsigned int i = from ? (unsigned int)(from - dt->nodes) + 1 : 0;

	for (; i < dt->nr_nodes; i++)
		if (dt_is_compatible(&dt->nodes[i], compat))
			return &dt->nodes[i];
	return NULL;
}

const struct dt_node *dt_memory_node(const struct dt *dt, unsigned int idx)
{
	static const char memory[] = "memory";

	for (unsigned int i = 0; i < dt->nr_nodes; i++) {
		const struct dt_node *n = &dt->nodes[i];
		int len;
		const char *type = dt_prop(n, "device_type", &len);

		if (!n->enabled || !type || len != sizeof(memory) || memcmp(type, memory, len))
			continue;
		if (idx-- == 0)
			return n;
	}
	return NULL;
}

/*
 * The one walker over <&phandle args...> lists: finds entry @index, or
 * checks the whole list when @index is UINT_MAX (load-time validation, one
 * linear pass however long the list).
 */
int dt_parse_phandle_with_args(const struct dt_node *n, const char *list,
			       const char *cells_name, unsigned int index,
			       struct dt_phandle_args *out, struct secsoc_error *err)
{
	int len;
	const void *p = dt_prop(n, list, &len);
	unsigned int cells, i = 0, entry = 0;

	if (!p)
		return -ENOENT;
	if (len % 4)
		return input_error(err, "node %s: property '%s' has %d bytes, not a multiple of 4",
				   n->path, list, len);
	cells = (unsigned int)len / 4;
	for (; i < cells; i += 1 + out->nargs, entry++) {
		u32 ph = be32_at(p, i);
		struct dt_node *target = ph ? dt_find_phandle(n->tree, ph) : NULL;
		u32 nargs = 0;

		if (ph && !target)
			return input_error(err, "node %s: property '%s' refers to phandle 0x%x, which no node has",
					   n->path, list, ph);
		if (target && cells_name && dt_prop_u32(target, cells_name, &nargs, NULL))
			return input_error(err, "node %s: property '%s' refers to %s (phandle 0x%x), which has no valid '%s'",
					   n->path, list, target->path, ph, cells_name);
		if (nargs > DT_PHANDLE_ARGS_MAX)
			return input_error(err, "node %s: property '%s': '%s' of %s is %u, more than %u",
					   n->path, list, cells_name, target->path, nargs,
					   DT_PHANDLE_ARGS_MAX);
		if (nargs > cells - i - 1)
			return input_error(err, "node %s: property '%s' entry %u (phandle 0x%x) needs %u argument cells, only %u left",
					   n->path, list, entry, ph, nargs, cells - i - 1);
		out->np = target;
		out->nargs = nargs;
		for (unsigned int a = 0; a < nargs; a++)
			out->args[a] = be32_at(p, i + 1 + a);
		if (entry == index)
			return target ? 0 : -ENOENT;
	}
	return -ENOENT;
}

struct dt_node *dt_parse_phandle(const struct dt_node *n, const char *list, unsigned int index)
{
	struct dt_phandle_args args;

	if (dt_parse_phandle_with_args(n, list, NULL, index, &args, NULL))
		return NULL;
	return args.np;
}

/* ---- load-time validation ---------------------------------------------- */

/* Is @n the /cpus node (whose children's reg are CPU ids, not addresses)? */
static bool is_cpus(const struct dt_node *n)
{
	return n->depth == 1 && !strcmp(n->name, "cpus");
}

/* Do the addresses of @bus's children translate to CPU physical addresses? */
static bool bus_mapped(const struct dt_node *bus)
{
	for (; bus; bus = bus->parent)
		if (bus->size_cells == 0 || is_cpus(bus))
			return false;
	return true;
}

/* #address-cells / #size-cells of @n, spec defaults 2 and 1 when absent. */
static int parse_cells(struct dt_node *n, struct secsoc_error *err)
{
	int ret;

	n->addr_cells = 2;
	n->size_cells = 1;
	ret = dt_prop_u32(n, "#address-cells", &n->addr_cells, err);
	if (ret && ret != -ENOENT)
		return ret;
	ret = dt_prop_u32(n, "#size-cells", &n->size_cells, err);
	if (ret && ret != -ENOENT)
		return ret;
	if (n->addr_cells > 2)
		return input_error(err, "node %s: property '#address-cells' is %u; only 1 or 2 are supported",
				   n->path, n->addr_cells);
	if (n->size_cells > 2)
		return input_error(err, "node %s: property '#size-cells' is %u; only 0, 1 or 2 are supported",
				   n->path, n->size_cells);
	return 0;
}

static int parse_status_compat(struct dt_node *n, struct secsoc_error *err)
{
	int len;
	const char *status = dt_prop(n, "status", &len);
	const char *p, *end;

	n->enabled = !status || (len == 5 && !memcmp(status, "okay", 5)) ||
		     (len == 3 && !memcmp(status, "ok", 3));
	p = dt_prop(n, "compatible", &len);
	if (!p)
		return 0;
	if (!is_string_list(p, len))
		return input_error(err, "node %s: property 'compatible' must be a list of strings",
				   n->path);
	for (end = p + len; p < end; p += strlen(p) + 1) {
		if (n->ncompat == DT_COMPAT_MAX)
			return input_error(err, "node %s: property 'compatible' has more than %u strings",
					   n->path, DT_COMPAT_MAX);
		n->compatible[n->ncompat++] = p;
	}
	return 0;
}

/* Ranges entry of @bus covering [*addr, *addr + size): move *addr to the parent bus. */
static int translate_one_level(const struct dt_node *n, const struct dt_node *bus, u64 *addr,
			       u64 size, struct secsoc_error *err)
{
	int len;
	const void *r = dt_prop(bus, "ranges", &len);
	unsigned int ca = bus->addr_cells, pa = bus->parent->addr_cells, sc = bus->size_cells;
	unsigned int entry = (ca + pa + sc) * 4;

	if (!r)
		return input_error(err, "node %s: property 'reg' is outside the address space of %s (it has no 'ranges')",
				   n->path, bus->path);
	if (len == 0)
		return 0;
	if (ca == 0 || pa == 0 || len % entry)
		return input_error(err, "node %s: property 'ranges' has %d bytes, not a multiple of (child #address-cells %u + parent #address-cells %u + #size-cells %u) * 4",
				   bus->path, len, ca, pa, sc);
	for (unsigned int i = 0; i < (unsigned int)len / entry; i++) {
		unsigned int c = i * (ca + pa + sc);
		u64 cbase = cells_at(r, c, ca), pbase = cells_at(r, c + ca, pa);
		u64 rsize = cells_at(r, c + ca + pa, sc), off = *addr - cbase;

		if (*addr < cbase || off > rsize || size > rsize - off)
			continue;
		if (pbase + off < pbase)
			return input_error(err, "node %s: property 'reg' translated through %s 'ranges' entry %u overflows 64 bits",
					   n->path, bus->path, i);
		*addr = pbase + off;
		return 0;
	}
	return input_error(err, "node %s: property 'reg' is outside the address space of %s (no 'ranges' entry covers 0x%llx)",
			   n->path, bus->path, (unsigned long long)*addr);
}

static int translate_reg(const struct dt_node *n, struct dt_reg *reg, unsigned int idx,
			 struct secsoc_error *err)
{
	u64 start = reg->addr;
	int ret;

	for (const struct dt_node *bus = n->parent; bus->parent; bus = bus->parent) {
		ret = translate_one_level(n, bus, &reg->addr, reg->size, err);
		if (ret)
			return ret;
	}
	if (reg->addr + reg->size < reg->addr || reg->addr + reg->size > DT_PA_LIMIT ||
	    reg->addr >= DT_PA_LIMIT)
		return input_error(err, "node %s: property 'reg' entry %u (0x%llx size 0x%llx, at 0x%llx) is outside the 40-bit physical address space",
				   n->path, idx, (unsigned long long)start,
				   (unsigned long long)reg->size, (unsigned long long)reg->addr);
	return 0;
}

static int parse_reg(struct dt_node *n, struct secsoc_error *err)
{
	int len;
	const void *p = n->parent ? dt_prop(n, "reg", &len) : NULL;
	unsigned int ac, sc, cells;
	int ret;

	if (!p)
		return 0;
	ac = n->parent->addr_cells;
	sc = n->parent->size_cells;
	if (ac == 0)
		return input_error(err, "node %s: property 'reg' needs #address-cells 1 or 2 in %s, not 0",
				   n->path, n->parent->path);
	if (len == 0 || len % ((ac + sc) * 4))
		return input_error(err, "node %s: property 'reg' has %d bytes, not a multiple of (#address-cells %u + #size-cells %u) * 4",
				   n->path, len, ac, sc);
	cells = (unsigned int)len / 4;
	if (cells / (ac + sc) > DT_REG_MAX)
		return input_error(err, "node %s: property 'reg' has %u entries, more than %u",
				   n->path, cells / (ac + sc), DT_REG_MAX);
	n->mapped = bus_mapped(n->parent);
	for (unsigned int c = 0; c < cells; c += ac + sc, n->nreg++) {
		struct dt_reg *r = &n->reg[n->nreg];

		r->addr = cells_at(p, c, ac);
		r->size = cells_at(p, c + ac, sc);
		if (!n->mapped)
			continue;
		ret = translate_reg(n, r, n->nreg, err);
		if (ret)
			return ret;
	}
	return 0;
}

/* The node @n's "interrupt-parent" points to (*out NULL when absent). */
static int irq_parent_prop(const struct dt_node *n, struct dt_node **out,
			   struct secsoc_error *err)
{
	u32 ph;
	int ret = dt_prop_u32(n, "interrupt-parent", &ph, err);

	*out = NULL;
	if (ret == -ENOENT)
		return 0;
	if (ret)
		return ret;
	*out = dt_find_phandle(n->tree, ph);
	if (!*out)
		return input_error(err, "node %s: property 'interrupt-parent' refers to phandle 0x%x, which no node has",
				   n->path, ph);
	return 0;
}

/* #interrupt-cells of controller @ctrl, which @n's interrupts use. */
static int irq_cells(const struct dt_node *n, const struct dt_node *ctrl, const char *prop,
		     u32 *cells, struct secsoc_error *err)
{
	if (dt_prop_u32(ctrl, "#interrupt-cells", cells, NULL) || *cells < 1 ||
	    *cells > DT_IRQ_CELLS_MAX)
		return input_error(err, "node %s: property '%s' uses %s, which has no valid '#interrupt-cells' (1..%u)",
				   n->path, prop, ctrl->path, DT_IRQ_CELLS_MAX);
	return 0;
}

/* Linux's of_irq_find_parent(): follow interrupt-parent or the tree parent. */
static int irq_find_parent(const struct dt_node *n, struct dt_node **ctrl,
			   struct secsoc_error *err)
{
	struct dt_node *cur = (struct dt_node *)n, *next;
	int ret;

	for (unsigned int hops = 0; hops < DT_IRQ_WALK_MAX; hops++) {
		ret = irq_parent_prop(cur, &next, err);
		if (ret)
			return ret;
		cur = next ? next : cur->parent;
		if (!cur)
			break;
		if (dt_prop_bool(cur, "#interrupt-cells")) {
			*ctrl = cur;
			return 0;
		}
	}
	return input_error(err, "node %s: property 'interrupts' has no interrupt controller (no 'interrupt-parent' leads to a node with '#interrupt-cells')",
			   n->path);
}

static int add_irq(struct dt_node *n, struct dt_node *ctrl, const void *p, unsigned int at,
		   unsigned int cells, const char *prop, struct secsoc_error *err)
{
	struct dt_irq *irq;

	if (n->nirq == DT_IRQ_MAX)
		return input_error(err, "node %s: property '%s' has more than %u interrupts",
				   n->path, prop, DT_IRQ_MAX);
	irq = &n->irq[n->nirq++];
	irq->ctrl = ctrl;
	irq->ncells = cells;
	for (unsigned int i = 0; i < cells; i++)
		irq->cells[i] = be32_at(p, at + i);
	return 0;
}

static int parse_irqs_extended(struct dt_node *n, const void *p, int len,
			       struct secsoc_error *err)
{
	static const char prop[] = "interrupts-extended";
	unsigned int total = (unsigned int)len / 4;
	int ret;

	if (len % 4)
		return input_error(err, "node %s: property '%s' has %d bytes, not a multiple of 4",
				   n->path, prop, len);
	for (unsigned int i = 0; i < total;) {
		u32 ph = be32_at(p, i), cells;
		struct dt_node *ctrl = dt_find_phandle(n->tree, ph);

		if (!ctrl)
			return input_error(err, "node %s: property '%s' refers to phandle 0x%x, which no node has",
					   n->path, prop, ph);
		ret = irq_cells(n, ctrl, prop, &cells, err);
		if (ret)
			return ret;
		if (cells > total - i - 1)
			return input_error(err, "node %s: property '%s' ends inside a specifier for %s (#interrupt-cells %u)",
					   n->path, prop, ctrl->path, cells);
		ret = add_irq(n, ctrl, p, i + 1, cells, prop, err);
		if (ret)
			return ret;
		i += 1 + cells;
	}
	return 0;
}

static int parse_irqs(struct dt_node *n, struct secsoc_error *err)
{
	struct dt_node *ctrl = NULL, *ignored;
	int len, ret;
	u32 cells;
	const void *p;

	ret = irq_parent_prop(n, &ignored, err);
	if (ret)
		return ret;
	p = dt_prop(n, "interrupts-extended", &len);
	if (p)
		return parse_irqs_extended(n, p, len, err);
	p = dt_prop(n, "interrupts", &len);
	if (!p)
		return 0;
	ret = irq_find_parent(n, &ctrl, err);
	if (!ret)
		ret = irq_cells(n, ctrl, "interrupts", &cells, err);
	if (ret)
		return ret;
	if (len == 0 || len % (cells * 4))
		return input_error(err, "node %s: property 'interrupts' has %d bytes, not a multiple of (#interrupt-cells %u of %s) * 4",
				   n->path, len, cells, ctrl->path);
	for (unsigned int i = 0; i < (unsigned int)len / 4; i += cells) {
		ret = add_irq(n, ctrl, p, i, cells, "interrupts", err);
		if (ret)
			return ret;
	}
	return 0;
}

/* Well-known phandle lists whose references must resolve at load time. */
static const struct {
	const char *list;
	const char *cells;
} phandle_lists[] = {
	{ "dmas", "#dma-cells" },
	{ "clocks", "#clock-cells" },
	{ "iommus", "#iommu-cells" },
	{ "memory-region", NULL },
};

static int check_phandle_lists(const struct dt_node *n, struct secsoc_error *err)
{
	struct dt_phandle_args args;

	for (unsigned int i = 0; i < ARRAY_SIZE(phandle_lists); i++) {
		int ret = dt_parse_phandle_with_args(n, phandle_lists[i].list,
						     phandle_lists[i].cells, UINT32_MAX,
						     &args, err);

		if (ret != -ENOENT)
			return ret;
	}
	return 0;
}

/* Pre-order: a node's parent has its cells parsed before the node's "reg" is read. */
static int validate_node(struct dt_node *n, struct secsoc_error *err)
{
	int ret = parse_cells(n, err);

	if (!ret)
		ret = parse_status_compat(n, err);
	if (!ret)
		ret = parse_reg(n, err);
	if (!ret)
		ret = parse_irqs(n, err);
	if (!ret)
		ret = check_phandle_lists(n, err);
	return ret;
}

/* ---- building the node array ------------------------------------------- */

static int cmp_phandle(const void *a, const void *b)
{
	u32 pa = (*(struct dt_node *const *)a)->phandle;
	u32 pb = (*(struct dt_node *const *)b)->phandle;

	return pa < pb ? -1 : pa > pb;
}

static int index_phandles(struct dt *dt, struct secsoc_error *err)
{
	unsigned int i, n = 0;

	dt->by_phandle = calloc(dt->nr_nodes, sizeof(*dt->by_phandle));
	if (!dt->by_phandle)
		return internal_error(err, "out of memory for the phandle index");
	for (i = 0; i < dt->nr_nodes; i++) {
		struct dt_node *node = &dt->nodes[i];
		int len;

		if (!dt_prop(node, "phandle", &len) && !dt_prop(node, "linux,phandle", &len))
			continue;
		node->phandle = fdt_get_phandle(dt->blob, node->offset);
		if (len != 4 || node->phandle == 0 || node->phandle == UINT32_MAX)
			return input_error(err, "node %s: property 'phandle' must be a 32-bit cell other than 0 and 0xffffffff",
					   node->path);
		dt->by_phandle[n++] = node;
	}
	qsort(dt->by_phandle, n, sizeof(*dt->by_phandle), cmp_phandle);
	for (i = 1; i < n; i++)
		if (dt->by_phandle[i]->phandle == dt->by_phandle[i - 1]->phandle)
			return input_error(err, "node %s: phandle 0x%x is also used by %s",
					   dt->by_phandle[i]->path, dt->by_phandle[i]->phandle,
					   dt->by_phandle[i - 1]->path);
	dt->nr_phandles = n;
	return 0;
}

/* Count nodes, enforcing the depth and count limits. */
static int count_nodes(const void *blob, unsigned int *count, struct secsoc_error *err)
{
	int depth = -1, off;

	*count = 0;
	for (off = fdt_next_node(blob, -1, &depth); off >= 0 && depth >= 0;
	     off = fdt_next_node(blob, off, &depth)) {
		if (depth >= DT_DEPTH_MAX)
			return input_error(err, "node at offset %d is nested deeper than %u levels",
					   off, DT_DEPTH_MAX);
		if (++*count > DT_NODES_MAX)
			return input_error(err, "more than %u nodes", DT_NODES_MAX);
	}
	if (off < 0 && off != -FDT_ERR_NOTFOUND)
		return input_error(err, "not a valid flattened device tree (%s)", fdt_strerror(off));
	if (*count == 0)
		return input_error(err, "not a valid flattened device tree (no root node)");
	return 0;
}

static int init_node(struct dt *dt, struct dt_node *n, struct dt_node *parent, int off,
		     int depth, struct secsoc_error *err)
{
	int len;
	const char *name = fdt_get_name(dt->blob, off, &len);
	size_t plen = parent ? strlen(parent->path) : 0;
	char *path;

	if (!name)
		return input_error(err, "node at offset %d has no name (%s)", off, fdt_strerror(len));
	if (parent && (len == 0 || memchr(name, '/', (size_t)len)))
		return input_error(err, "node at offset %d under %s has an invalid name '%s'", off,
				   parent->path, name);
	if (plen + (size_t)len + 2 > DT_PATH_MAX)
		return input_error(err, "node %s/%s: path longer than %u characters",
				   parent ? parent->path : "", name, DT_PATH_MAX);
	path = malloc(plen + (size_t)len + 2);
	if (!path)
		return internal_error(err, "out of memory for node paths");
	if (!parent)
		strcpy(path, "/");
	else
		snprintf(path, plen + (size_t)len + 2, "%s/%s", plen > 1 ? parent->path : "",
			 name);
	n->name = parent ? name : "";
	n->path = path;
	n->parent = parent;
	n->offset = off;
	n->depth = (unsigned int)depth;
	n->tree = dt;
	return 0;
}

/* Sibling names must differ, so that every path names one node. */
static int check_unique_name(const struct dt_node *parent, const struct dt_node *n,
			     struct secsoc_error *err)
{
	for (const struct dt_node *sib = parent->child; sib; sib = sib->sibling)
		if (!strcmp(sib->name, n->name))
			return input_error(err, "node %s appears twice", n->path);
	return 0;
}

static int build_nodes(struct dt *dt, struct secsoc_error *err)
{
	struct dt_node *stack[DT_DEPTH_MAX] = { NULL }, *last[DT_DEPTH_MAX + 1] = { NULL };
	unsigned int count, i = 0;
	int depth = -1, off, ret;

	ret = count_nodes(dt->blob, &count, err);
	if (ret)
		return ret;
	dt->nodes = calloc(count, sizeof(*dt->nodes));
	if (!dt->nodes)
		return internal_error(err, "out of memory for %u nodes", count);
	for (off = fdt_next_node(dt->blob, -1, &depth); off >= 0 && depth >= 0 && i < count;
	     off = fdt_next_node(dt->blob, off, &depth)) {
		struct dt_node *n = &dt->nodes[i++], *parent = depth ? stack[depth - 1] : NULL;

		dt->nr_nodes = i;
		ret = init_node(dt, n, parent, off, depth, err);
		if (!ret && parent)
			ret = check_unique_name(parent, n, err);
		if (ret)
			return ret;
		if (parent && !parent->child)
			parent->child = n;
		else if (parent)
			last[depth]->sibling = n;
		last[depth] = n;
		last[depth + 1] = NULL;
		stack[depth] = n;
	}
	return 0;
}

/*
 * Node @n's properties in blob order into @out (NULL: only count them).
 * Return: how many, or a negative error.
 */
static int node_props(const struct dt *dt, const struct dt_node *n, struct dt_property *out,
		      struct secsoc_error *err)
{
	int off, len, count = 0;

	fdt_for_each_property_offset(off, dt->blob, n->offset) {
		const char *name;
		const void *value = fdt_getprop_by_offset(dt->blob, off, &name, &len);

		if (!value || !name)
			return input_error(err, "node %s: unreadable property (%s)", n->path,
					   fdt_strerror(len));
		if (out)
			out[count] = (struct dt_property){ name, value, len };
		count++;
	}
	if (off != -FDT_ERR_NOTFOUND)
		return input_error(err, "node %s: unreadable property (%s)", n->path,
				   fdt_strerror(off));
	return count;
}

/* Index every node's properties: one array for the tree, a slice per node. */
static int index_props(struct dt *dt, struct secsoc_error *err)
{
	unsigned int total = 0, at = 0;
	int ret;

	for (unsigned int i = 0; i < dt->nr_nodes; i++) {
		ret = node_props(dt, &dt->nodes[i], NULL, err);
		if (ret < 0)
			return ret;
		total += (unsigned int)ret;
	}
	dt->props = calloc(total + 1, sizeof(*dt->props));
	if (!dt->props)
		return internal_error(err, "out of memory for %u properties", total);
	for (unsigned int i = 0; i < dt->nr_nodes; i++) {
		struct dt_node *n = &dt->nodes[i];

		n->props = &dt->props[at];
		ret = node_props(dt, n, &dt->props[at], err);
		if (ret < 0)
			return ret;
		n->nr_props = (unsigned int)ret;
		at += n->nr_props;
	}
	return 0;
}

/*
 * Walk the structure block's tags with strict bounds before libfdt does:
 * libfdt 1.6.1's fdt_next_tag() loops forever on a property whose length
 * field is negative, and fdt_check_full() relies on it.
 */
static int prescan_struct(const void *blob)
{
	const u8 *base = (const u8 *)blob + fdt_off_dt_struct(blob);
	u32 size = fdt_size_dt_struct(blob), pos = 0, len;
	const u8 *nul;

	if ((u64)fdt_off_dt_struct(blob) + size > fdt_totalsize(blob))
		return -FDT_ERR_TRUNCATED;
	while (size - pos >= 4) {
		u32 tag = fdt32_ld((const fdt32_t *)(base + pos));

		pos += 4;
		switch (tag) {
		case FDT_BEGIN_NODE:
			nul = memchr(base + pos, '\0', size - pos);
			if (!nul)
				return -FDT_ERR_TRUNCATED;
			pos = ALIGN_UP((u32)(nul - base) + 1, 4U);
			break;
		case FDT_PROP:
			if (size - pos < 8)
				return -FDT_ERR_TRUNCATED;
			len = fdt32_ld((const fdt32_t *)(base + pos));
			pos += 8;
			if (len > size - pos)
				return -FDT_ERR_TRUNCATED;
			pos = ALIGN_UP(pos + len, 4U);
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return 0;
		default:
			return -FDT_ERR_BADSTRUCTURE;
		}
		if (pos > size)
			return -FDT_ERR_TRUNCATED;
	}
	return -FDT_ERR_TRUNCATED;
}

static int check_header(const void *blob, size_t len, struct secsoc_error *err)
{
	int ret;

	if (len < sizeof(struct fdt_header))
		return input_error(err, "not a valid flattened device tree (%s)",
				   fdt_strerror(-FDT_ERR_TRUNCATED));
	if (fdt_magic(blob) != FDT_MAGIC)
		return input_error(err, "not a valid flattened device tree (%s)",
				   fdt_strerror(-FDT_ERR_BADMAGIC));
	if (fdt_totalsize(blob) > len || fdt_totalsize(blob) < sizeof(struct fdt_header))
		return input_error(err, "not a valid flattened device tree (%s)",
				   fdt_strerror(-FDT_ERR_TRUNCATED));
	/*
	 * Only the version dtc writes (17, readable by 16): libfdt 1.6's
	 * checks of older layouts are not robust against corrupt input.
	 */
	if (fdt_version(blob) < 17 || fdt_last_comp_version(blob) > 17)
		return input_error(err, "not a valid flattened device tree (%s)",
				   fdt_strerror(-FDT_ERR_BADVERSION));
	if (fdt_totalsize(blob) > DT_BLOB_MAX)
		return input_error(err, "device tree of %u bytes is larger than %u",
				   fdt_totalsize(blob), DT_BLOB_MAX);
	ret = fdt_check_header(blob);
	if (!ret)
		ret = prescan_struct(blob);
	if (!ret)
		ret = fdt_check_full(blob, fdt_totalsize(blob));
	if (ret)
		return input_error(err, "not a valid flattened device tree (%s)",
				   fdt_strerror(ret));
	return 0;
}

static int load_tree(struct dt *dt, const void *blob, size_t len, struct secsoc_error *err)
{
	int ret = check_header(blob, len, err);

	if (ret)
		return ret;
	dt->size = fdt_totalsize(blob);
	dt->blob = malloc(dt->size);
	if (!dt->blob)
		return internal_error(err, "out of memory for a %zu-byte device tree", dt->size);
	memcpy(dt->blob, blob, dt->size);
	ret = build_nodes(dt, err);
	if (!ret)
		ret = index_props(dt, err);
	if (!ret)
		ret = index_phandles(dt, err);
	for (unsigned int i = 0; !ret && i < dt->nr_nodes; i++)
		ret = validate_node(&dt->nodes[i], err);
	return ret;
}

int dt_load_blob(const void *blob, size_t len, const char *source, struct dt **out,
		 struct secsoc_error *err)
{
	struct secsoc_error why = { 0 };
	struct dt *dt = calloc(1, sizeof(*dt));
	int ret;

	*out = NULL;
	if (!dt)
		return internal_error(err, "%s: out of memory", source);
	snprintf(dt->source, sizeof(dt->source), "%s", source);
	ret = load_tree(dt, blob, len, &why);
	if (ret) {
		dt_free(dt);
		return secsoc_error_set(err, why.kind, "%s: %s", source, why.msg);
	}
	*out = dt;
	return 0;
}

void dt_free(struct dt *dt)
{
	if (!dt)
		return;
	for (unsigned int i = 0; i < dt->nr_nodes; i++)
		free((char *)dt->nodes[i].path);
	free(dt->nodes);
	free(dt->props);
	free(dt->by_phandle);
	free(dt->blob);
	free(dt);
}
