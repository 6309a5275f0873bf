/*
 * gpu_job.c - the GPU's job engine: which command stream runs, instruction
 * fetch from the ring, operand checks, and the image instructions done a
 * bounded number of rows per step (hw/gpu_internal.h).
 *
 * Every access goes through the bus with the NSAID of the current mode, so
 * the TZC decides what the GPU may touch. Rows are reached zero-copy with
 * bus_dma_span(); when a span is not one allowed RAM range the step falls
 * back to bus_read()/bus_write() row by row through bounce rows, which
 * gives the TZC's zero-fill and dropped-write semantics.
 */
#include <endian.h>
#include <string.h>

#include "hw/gpu_internal.h"

/* One image operand of a step: rows [0, rows) at addr, stride apart. */
struct gpu_plane {
	u64 addr;
	u32 stride, row_bytes, rows;
	u32 div;			/* image rows per plane row: 2 for NV12 chroma */
	bool read, write;
};

enum { PLANE_SRC0, PLANE_SRC1, PLANE_DST, GPU_PLANES };

static const char *const op_names[] = {
	[GPU_OP_NOP] = "NOP", [GPU_OP_PROT_REGION] = "PROT_REGION",
	[GPU_OP_CONVERT_NV12] = "CONVERT_NV12", [GPU_OP_BLEND_ARGB] = "BLEND_ARGB",
	[GPU_OP_FILL] = "FILL",
};

void gpu_cs_drop(struct gpu_cs *cs)
{
	cs->fetched = false;
	cs->row = 0;
}

static bool in_protected_mode(const struct gpu *g)
{
	return g->st.protm == GPU_PROTM_ON;
}

static const struct bus_master *master_now(const struct gpu *g)
{
	return in_protected_mode(g) ? &g->protected_master : &g->master;
}

/* ---- scheduling ---- */

static bool cs_needs_protm(const struct gpu_cs *cs)
{
	return cs->prot_left || (cs->fetched && cs->instr.op == GPU_OP_PROT_REGION);
}

static bool cs_eligible(const struct gpu *g, unsigned int n, const struct gpu_cs *cs)
{
	if (!g->st.csg[n].running || FIELD_GET(CS_STATE_MASK, cs->ack) != CS_STATE_START ||
	    cs->status_wait & CS_STATUS_WAIT_PROTM || (!cs->fetched && cs->insert == cs->extract))
		return false;
	/* In protected mode only the protected group's regions run (and fetch to find one). */
	if (in_protected_mode(g))
		return (int)n == g->st.protm_group && (cs_needs_protm(cs) || !cs->fetched);
	return true;
}

int gpu_job_pick(const struct gpu *g)
{
	int best = -1;

	if (!gpu_fw_running(g) || g->st.exit_requested ||
	    g->st.protm == GPU_PROTM_ENTERING || g->st.protm == GPU_PROTM_EXITING)
		return -1;
	/* From the stream that ran last: it keeps the engine among equal priorities. */
	for (unsigned int i = 0; i < GPU_STREAMS; i++) {
		unsigned int k = (g->st.last_stream + i) % GPU_STREAMS;
		unsigned int n = k / GPU_CS_PER_CSG;

		if (cs_eligible(g, n, &g->st.csg[n].cs[k % GPU_CS_PER_CSG]) &&
		    (best < 0 || g->st.csg[n].prio > g->st.csg[best / GPU_CS_PER_CSG].prio))
			best = (int)k;
	}
	return best;
}

void gpu_protm_check_done(struct gpu *g)
{
	const struct gpu_csg *csg;

	if (g->st.protm != GPU_PROTM_ENTERING && g->st.protm != GPU_PROTM_ON)
		return;
	csg = &g->st.csg[g->st.protm_group];
	for (unsigned int m = 0; csg->running && m < GPU_CS_PER_CSG; m++)
		if (cs_needs_protm(&csg->cs[m]) || csg->cs[m].status_wait & CS_STATUS_WAIT_PROTM)
			return;
	g->st.exit_requested = true;
}

/* ---- operand checks ---- */

/* Rows [0, @rows) of @row_bytes, @stride apart from @base, inside the address space. */
static bool range_ok(u64 base, u32 rows, u32 stride, u32 row_bytes)
{
	return base < BUS_PA_LIMIT &&
	       (u64)(rows - 1) * stride + row_bytes <= BUS_PA_LIMIT - base;
}

/* The top-left pixel of the rectangle at (x, y) of dst. */
static bool corner_ok(const struct gpu_instr *in, u64 *addr)
{
	u64 off = (u64)in->y * in->dst_stride + (u64)in->x * PIXEL_XRGB_BYTES;

	*addr = in->dst + off;
	return in->dst < BUS_PA_LIMIT && off < BUS_PA_LIMIT;
}

static bool image_ok(const struct gpu_instr *in)
{
	u32 w = in->width, h = in->height, row = w * PIXEL_XRGB_BYTES;
	u64 corner;

	if (!w || !h || w > GPU_IMAGE_DIM_MAX || h > GPU_IMAGE_DIM_MAX)
		return false;
	switch (in->op) {
	case GPU_OP_CONVERT_NV12:
		return !(w % 2) && !(h % 2) && in->src_stride >= w && in->dst_stride >= row &&
		       range_ok(in->src0, h, in->src_stride, w) &&
		       range_ok(in->src1, h / 2, in->src_stride, w) &&
		       range_ok(in->dst, h, in->dst_stride, row);
	case GPU_OP_BLEND_ARGB:
		if (in->src_stride < row || !range_ok(in->src0, h, in->src_stride, row))
			return false;
		__attribute__((fallthrough));
	default:	/* FILL; BLEND's destination */
		return (u64)in->x * PIXEL_XRGB_BYTES + row <= in->dst_stride &&
		       corner_ok(in, &corner) && range_ok(corner, h, in->dst_stride, row);
	}
}

static bool instr_ok(const struct gpu_instr *in, const struct gpu_cs *cs)
{
	if (in->flags & ~GPU_INSTR_F_IRQ)
		return false;
	switch (in->op) {
	case GPU_OP_NOP:
		return true;
	case GPU_OP_PROT_REGION:
		return in->arg && in->arg < cs->ring_size / GPU_INSTR_BYTES && !cs->prot_left;
	case GPU_OP_CONVERT_NV12:
	case GPU_OP_BLEND_ARGB:
	case GPU_OP_FILL:
		return image_ok(in);
	default:
		return false;
	}
}

/* ---- faults and completion ---- */

static void bus_fault(struct gpu *g, unsigned int n, unsigned int m, u64 addr)
{
	if (in_protected_mode(g))
		gpu_protm_fault(g, addr);
	else
		gpu_cs_fatal(g, n, m, GPU_EXCEPTION_CS_BUS_FAULT, addr);
}

static bool group_idle(const struct gpu_csg *csg)
{
	for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++)
		if (csg->cs[m].fetched || csg->cs[m].insert != csg->cs[m].extract)
			return false;
	return true;
}

static void finish(struct gpu *g, unsigned int n, unsigned int m)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];

	cs->extract += GPU_INSTR_BYTES;
	g->stats.instrs++;
	if (cs->instr.op == GPU_OP_PROT_REGION) {
		cs->prot_left = cs->instr.arg;
	} else if (cs->prot_left) {
		cs->prot_left--;
		g->stats.protected_instrs++;
	}
	gpu_cs_drop(cs);
	if (cs->instr.flags & GPU_INSTR_F_IRQ)
		gpu_csg_event(g, n, CSG_SYNC_UPDATE);
	if (group_idle(&g->st.csg[n]))
		gpu_csg_event(g, n, CSG_IDLE);
	g->st.last_stream = (n * GPU_CS_PER_CSG + m + 1) % GPU_STREAMS;
	gpu_protm_check_done(g);
}

static u64 fetch(struct gpu *g, unsigned int n, unsigned int m)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];
	u64 addr = cs->ring_base + cs->extract % cs->ring_size;
	struct gpu_instr *in = &cs->instr;

	if (bus_read(g->bus, master_now(g), addr, in, sizeof(*in)) != BUS_OKAY) {
		sim_actor_label(&g->job_actor, "cs%u.%u: fetch @0x%llx: bus error", n, m,
				(unsigned long long)addr);
		bus_fault(g, n, m, addr);
		return GPU_FETCH_NS;
	}
	for (u32 *w = &in->op; w <= &in->color; w++)
		*w = le32toh(*w);
	in->src0 = le64toh(in->src0);
	in->src1 = le64toh(in->src1);
	in->dst = le64toh(in->dst);
	sim_actor_label(&g->job_actor, "cs%u.%u: fetch %s @0x%llx", n, m,
			in->op < ARRAY_SIZE(op_names) ? op_names[in->op] : "?",
			(unsigned long long)addr);
	if (!instr_ok(in, cs)) {
		gpu_cs_fatal(g, n, m, GPU_EXCEPTION_CS_INSTR_INVALID, addr);
		return GPU_FETCH_NS;
	}
	cs->fetched = true;
	cs->row = 0;
	return GPU_FETCH_NS;
}

/* ---- image instructions ---- */

static unsigned int planes_of(const struct gpu_instr *in, u32 row, u32 rows,
			      struct gpu_plane p[GPU_PLANES])
{
	u32 w = in->width, ss = in->src_stride, ds = in->dst_stride;
	u64 corner;

	memset(p, 0, sizeof(*p) * GPU_PLANES);
	corner_ok(in, &corner);
	if (in->op == GPU_OP_CONVERT_NV12) {
		p[PLANE_SRC0] = (struct gpu_plane){ in->src0 + (u64)row * ss, ss, w, rows, 1,
						    true, false };
		p[PLANE_SRC1] = (struct gpu_plane){ in->src1 + (u64)row / 2 * ss, ss, w, rows / 2,
						    2, true, false };
		p[PLANE_DST] = (struct gpu_plane){ in->dst + (u64)row * ds, ds,
						   w * PIXEL_XRGB_BYTES, rows, 1, false, true };
		return 2;	/* rows per fallback unit: a chroma row covers two */
	}
	if (in->op == GPU_OP_BLEND_ARGB)
		p[PLANE_SRC0] = (struct gpu_plane){ in->src0 + (u64)row * ss, ss,
						    w * PIXEL_XRGB_BYTES, rows, 1, true, false };
	p[PLANE_DST] = (struct gpu_plane){ corner + (u64)row * ds, ds, w * PIXEL_XRGB_BYTES, rows,
					   1, in->op == GPU_OP_BLEND_ARGB, true };
	return 1;
}

static void compute(const struct gpu_instr *in, u8 *ptr[GPU_PLANES],
		    const u32 stride[GPU_PLANES], u32 rows)
{
	if (in->op == GPU_OP_CONVERT_NV12) {
		pixel_nv12_rows_to_xrgb(ptr[PLANE_SRC0], ptr[PLANE_SRC1], stride[PLANE_SRC0],
					in->width, 0, rows, ptr[PLANE_DST], stride[PLANE_DST]);
		return;
	}
	for (u32 r = 0; r < rows; r++) {
		u8 *dst = ptr[PLANE_DST] + (size_t)r * stride[PLANE_DST];

		if (in->op == GPU_OP_BLEND_ARGB)
			pixel_blend_argb_row(ptr[PLANE_SRC0] + (size_t)r * stride[PLANE_SRC0], dst,
					     in->width);
		else
			pixel_fill_xrgb_row(dst, in->width, in->color);
	}
}

/*
 * Zero-copy: 1 done, 0 when some plane is not one allowed RAM span (fall
 * back), -1 on a bus error at *@fault.
 */
static int rows_direct(struct gpu *g, const struct gpu_instr *in, const struct gpu_plane *p,
		       u64 *fault)
{
	u8 *ptr[GPU_PLANES] = { NULL };
	u32 stride[GPU_PLANES] = { 0 };
	enum bus_resp resp;

	for (unsigned int i = 0; i < GPU_PLANES; i++) {
		size_t len = (size_t)(p[i].rows - 1) * p[i].stride + p[i].row_bytes;

		if (!p[i].rows)
			continue;
		for (int pass = 0; pass < 2; pass++) {
			bool write = pass == 1;

			if (write ? !p[i].write : !p[i].read)
				continue;
			ptr[i] = bus_dma_span(g->bus, master_now(g), p[i].addr, len, write, &resp);
			if (!ptr[i]) {
				*fault = p[i].addr;
				return resp != BUS_OKAY ? -1 : 0;
			}
		}
		stride[i] = p[i].stride;
	}
	compute(in, ptr, stride, p[PLANE_DST].rows);
	return 1;
}

/* Plane rows of one fallback unit through bounce rows; false on a bus error at *@fault. */
static bool unit_rows_io(struct gpu *g, const struct gpu_plane *p, unsigned int i, u32 first,
			 u32 count, bool write, u64 *fault)
{
	for (u32 r = 0; r < count; r++) {
		u64 addr = p->addr + (u64)(first + r) * p->stride;
		u8 *buf = g->bounce[i] + (size_t)r * p->row_bytes;
		enum bus_resp resp = write ?
			bus_write(g->bus, master_now(g), addr, buf, p->row_bytes) :
			bus_read(g->bus, master_now(g), addr, buf, p->row_bytes);

		if (resp != BUS_OKAY) {
			*fault = addr;
			return false;
		}
	}
	return true;
}

static bool rows_fallback(struct gpu *g, const struct gpu_instr *in, const struct gpu_plane *p,
			  u32 unit, u64 *fault)
{
	u8 *ptr[GPU_PLANES] = { g->bounce[0], g->bounce[1], g->bounce[2] };
	u32 stride[GPU_PLANES];

	for (unsigned int i = 0; i < GPU_PLANES; i++)
		stride[i] = p[i].row_bytes;
	for (u32 row = 0; row < p[PLANE_DST].rows; row += unit) {
		for (unsigned int i = 0; i < GPU_PLANES; i++)
			if (p[i].read && !unit_rows_io(g, &p[i], i, row / p[i].div,
						       unit / p[i].div, false, fault))
				return false;
		compute(in, ptr, stride, unit);
		for (unsigned int i = 0; i < GPU_PLANES; i++)
			if (p[i].write && !unit_rows_io(g, &p[i], i, row / p[i].div,
							unit / p[i].div, true, fault))
				return false;
	}
	return true;
}

static u64 image_step(struct gpu *g, unsigned int n, unsigned int m)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];
	const struct gpu_instr *in = &cs->instr;
	u32 rows = MIN(GPU_ROWS_PER_STEP, in->height - cs->row);
	u64 cost = MAX(1ULL, (u64)rows * in->width * g->cfg.timing.ps_per_pixel / 1000);
	struct gpu_plane p[GPU_PLANES];
	unsigned int unit = planes_of(in, cs->row, rows, p);
	u64 fault = 0;
	int ret = rows_direct(g, in, p, &fault);

	sim_actor_label(&g->job_actor, "cs%u.%u: %s rows %u..%u of %ux%u%s", n, m,
			op_names[in->op], cs->row, cs->row + rows - 1, in->width, in->height,
			in_protected_mode(g) ? " (protected)" : "");
	if (ret == 0 && rows_fallback(g, in, p, unit, &fault))
		ret = 1;
	if (ret != 1) {
		bus_fault(g, n, m, fault);
		return cost;
	}
	g->stats.pixels += (u64)rows * in->width;
	cs->row += rows;
	if (cs->row == in->height)
		finish(g, n, m);
	return cost;
}

/* ---- the job engine actor ---- */

static u64 stall_protm(struct gpu *g, unsigned int n, unsigned int m)
{
	g->st.csg[n].cs[m].status_wait |= CS_STATUS_WAIT_PROTM;
	gpu_cs_event(g, n, m, CS_PROTM_PENDING);
	sim_actor_label(&g->job_actor, "cs%u.%u: waits for protected mode", n, m);
	return GPU_FETCH_NS;
}

static u64 execute(struct gpu *g, unsigned int n, unsigned int m)
{
	struct gpu_cs *cs = &g->st.csg[n].cs[m];

	if (cs_needs_protm(cs) && !in_protected_mode(g))
		return stall_protm(g, n, m);
	if (cs->instr.op == GPU_OP_NOP || cs->instr.op == GPU_OP_PROT_REGION) {
		sim_actor_label(&g->job_actor, "cs%u.%u: %s done", n, m, op_names[cs->instr.op]);
		finish(g, n, m);
		return GPU_FETCH_NS;
	}
	return image_step(g, n, m);
}

static bool job_ready(struct sim_actor *a)
{
	return gpu_job_pick(a->priv) >= 0;
}

static u64 job_step(struct sim_actor *a)
{
	struct gpu *g = a->priv;
	int k = gpu_job_pick(g);
	unsigned int n = (unsigned int)k / GPU_CS_PER_CSG, m = (unsigned int)k % GPU_CS_PER_CSG;
	u64 cost;

	g->st.last_stream = (unsigned int)k;
	cost = g->st.csg[n].cs[m].fetched ? execute(g, n, m) : fetch(g, n, m);
	gpu_update(g);
	return cost;
}

const struct sim_actor_ops gpu_job_ops = {
	.ready = job_ready,
	.step = job_step,
};
