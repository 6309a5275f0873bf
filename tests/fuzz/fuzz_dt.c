/*
 * fuzz_dt.c - libFuzzer harness for the device-tree loader (soc/dt.c).
 *
 * Feeds arbitrary bytes to dt_load_blob(); when a blob is accepted, walks
 * every node and calls every accessor on every property of it, so that
 * whatever validation lets through is also safe to read. Must be leak-free
 * on both paths. Built only with -DSECSOC_FUZZ=ON (clang).
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include <secsoc/dt.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Sink so the compiler cannot drop the reads. */
static volatile u64 sink;

static void poke_property(const struct dt_node *n, const char *name)
{
	struct secsoc_error err = { 0 };
	struct dt_phandle_args args;
	const char *s;
	u32 v;

	sink += (u64)dt_prop_u32(n, name, &v, &err);
	for (unsigned int i = 0; dt_prop_u32_index(n, name, i, &v, &err) == 0 && i < 64; i++)
		sink += v;
	if (dt_prop_string(n, name, &s, &err) == 0)
		sink += strlen(s);
	for (unsigned int i = 0; dt_prop_string_index(n, name, i, &s) == 0 && i < 64; i++)
		sink += (u64)dt_prop_match_string(n, name, s);
	for (unsigned int i = 0; i < 8; i++) {
		if (dt_parse_phandle_with_args(n, name, "#dma-cells", i, &args, &err) == 0)
			sink += args.nargs + args.np->phandle;
		if (dt_parse_phandle_with_args(n, name, NULL, i, &args, &err) == 0)
			sink += args.np->depth;
	}
	sink += dt_prop_bool(n, name);
}

static void walk_node(const struct dt *dt, const struct dt_node *n)
{
	int off;

	if (dt_find_path(dt, n->path) != n)
		__builtin_trap();
	if (n->phandle && dt_find_phandle(dt, n->phandle) != n)
		__builtin_trap();
	for (unsigned int i = 0; i < n->ncompat; i++)
		sink += (u64)(uintptr_t)dt_find_compatible(dt, NULL, n->compatible[i]);
	for (unsigned int i = 0; i < n->nirq; i++)
		sink += n->irq[i].ctrl->phandle + n->irq[i].cells[n->irq[i].ncells - 1];
	for (unsigned int i = 0; i < n->nreg; i++)
		sink += n->reg[i].addr ^ n->reg[i].size;
	sink += dt_node_available(n);
	fdt_for_each_property_offset(off, dt->blob, n->offset) {
		const char *name;

		if (!fdt_getprop_by_offset(dt->blob, off, &name, NULL) || !name)
			continue;
		poke_property(n, name);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct secsoc_error err = { 0 };
	struct dt *dt;

	if (dt_load_blob(data, size, "fuzz.dtb", &dt, &err)) {
		if (err.kind == SECSOC_ERR_NONE || !err.msg[0])
			__builtin_trap();	/* every failure must say why */
		return 0;
	}
	for (unsigned int i = 0; i < dt->nr_nodes; i++)
		walk_node(dt, &dt->nodes[i]);
	for (unsigned int i = 0; dt_memory_node(dt, i); i++)
		sink += i;
	dt_free(dt);
	return 0;
}
