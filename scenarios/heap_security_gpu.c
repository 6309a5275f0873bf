/*
 * heap_security_gpu.c - the heap-security attacks on the GPU and the
 * display (scenarios/heap_security.h): a normal-mode GPU job that reads the
 * victim, a protected job that writes normal memory, the firmware's
 * protected section moved into normal memory by the compromised kernel,
 * and, as a control, the display showing the victim.
 *
 * The GPU has two NSAIDs (include/secsoc/gpu.h): the secure world grants
 * protected memory to the protected-mode one only, and takes write access
 * to normal memory away from it ("no write-down"), so the TZC is what
 * stops the three GPU attacks. Each is announced to the checker on the
 * GPU's master of that mode (checker_expect_denial()); the driver's and
 * the GPU's reactions (a stream fault, a protected-mode fault and reset)
 * are read from its counters and the GPU's registers, and the buffers from
 * the RAM backdoor (the checker's view). After each protected attack a
 * legitimate protected job must succeed: the GPU recovered.
 *
 * The jobs go through the Panthor-like driver's API (include/secsoc/panthor.h)
 * on a group of the attacker's; the firmware-section attack also writes
 * GLB_PROTM_FW_BASE by MMIO from the attacker's CPU, as a kernel that
 * mapped the GPU's registers would. The display row commits the victim
 * through the display driver and compares the frame's CRC with the one of
 * the victim's bytes: the normal world checks protected content without
 * reading it.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/dma-heap.h>
#include <secsoc/err.h>
#include <secsoc/pixel.h>

#include "scenarios/heap_security.h"

#define HS_GPU_W 64				/* the jobs' images: 64 x 16 pixels */
#define HS_GPU_H 16
#define HS_GPU_STRIDE (HS_GPU_W * PIXEL_XRGB_BYTES)
#define HS_GPU_BYTES (HS_GPU_STRIDE * HS_GPU_H)
#define HS_GPU_BUF_SIZE HS_VICTIM_SIZE		/* each buffer of the GPU rows */
#define HS_GPU_PRIORITY 8
#define HS_GPU_FILL 0x00c0ffeeu			/* what the protected attack writes */
#define HS_DISP_W 64				/* the displayed part of the victim */
#define HS_DISP_H 64
#define HS_DISP_STRIDE (HS_DISP_W * PIXEL_XRGB_BYTES)
#define HS_NO_GPU "no GPU with a protected mode"

_Static_assert(HS_DISP_STRIDE * HS_DISP_H <= HS_VICTIM_SIZE, "the frame fits the victim");
_Static_assert(HS_GPU_BYTES <= HS_VICTIM_SIZE, "the jobs' images fit the buffers");

static const enum hs_row_id hs_gpu_rows[] = {
	HS_GPU_NORMAL_READ, HS_GPU_PROTECTED_WRITE, HS_GPU_PROTM_FW_NORMAL,
};

/* ---- set-up and release ---- */

/* Does the secure world let the display read protected memory? */
static bool hs_disp_granted(const struct hsec *s)
{
	struct dt_node *np = s->m->soc->display_node;
	struct device dev = { .name = np ? np->path : NULL, .of_node = np };
	int nsaid = np ? protected_device_nsaid(&dev) : -ENODEV;

	return nsaid >= 0 && s->acc.nsaid[nsaid] & SOC_PROTECTED_READ;
}

/* A buffer of @heap imported into the GPU driver (which also tells its bus address). */
static int hs_gpu_buffer(struct hsec *s, struct dma_heap *heap, size_t len,
			 struct panthor_bo **bo, struct secsoc_error *err)
{
	int ret = panthor_bo_alloc(s->gpu.ptdev, heap, len, bo);

	if (ret)
		return internal_error(err, "heap-security: a %zu KiB '%s' buffer for the GPU: %s",
				      len / 1024, dma_heap_get_name(heap), hs_errno(ret));
	return 0;
}

static int hs_gpu_buffers(struct hsec *s, struct secsoc_error *err)
{
	struct hs_gpu *g = &s->gpu;
	u32 fw = cpu_read32(hs_cpu_of(s, HS_NW0), g->regs + GLB_PROTM_FW_SIZE);
	int ret;

	/* Big enough that the firmware's whole state lands in it, were it allowed. */
	g->fw_size = ALIGN_UP(MAX((u64)fw, 1), (u64)HS_GPU_BUF_SIZE);
	ret = hs_gpu_buffer(s, s->sys_heap, HS_GPU_BUF_SIZE, &g->dst_bo, err);
	if (!ret)
		ret = hs_gpu_buffer(s, s->sys_heap, g->fw_size, &g->fw_bo, err);
	if (!ret)
		ret = hs_gpu_buffer(s, s->sv_heap, HS_GPU_BUF_SIZE, &g->scratch_bo, err);
	if (ret)
		return ret;
	ret = panthor_bo_import(g->ptdev, s->victim, &g->victim_bo);
	if (ret)
		return input_error(err, "%s: heap-security needs the GPU's protected-mode NSAID "
				   "granted protected memory (secsoc,protected-access); the GPU "
				   "driver could not import the victim: %s", s->m->dt->source,
				   hs_errno(ret));
	return 0;
}

static void hs_gpu_expect(struct hsec *s)
{
	const struct hs_gpu *g = &s->gpu;

	for (unsigned int i = 0; !g->ptdev && i < ARRAY_SIZE(hs_gpu_rows); i++)
		hs_expect(s, hs_gpu_rows[i], HS_NO_GPU);
	if (g->ptdev && s->decerr) {
		hs_expect(s, HS_GPU_NORMAL_READ, "denied, CS_BUS_FAULT, job -EIO, destination "
			  "unchanged");
		hs_expect(s, HS_GPU_PROTECTED_WRITE, "denied, PROTM fault, reset, job -EIO, buffer "
			  "unchanged, next protected job 0");
		hs_expect(s, HS_GPU_PROTM_FW_NORMAL, "denied, PROTM fault, reset, job -EIO, buffer "
			  "unchanged, driver's FW base back, next protected job 0");
	} else if (g->ptdev) {
		/* An OKAY answer: reads see zeros, writes vanish, nothing faults. */
		hs_expect(s, HS_GPU_NORMAL_READ, "denied, no fault, job 0, destination unchanged");
		hs_expect(s, HS_GPU_PROTECTED_WRITE, "denied, no fault, no reset, job 0, buffer "
			  "unchanged, next protected job 0");
		hs_expect(s, HS_GPU_PROTM_FW_NORMAL, "denied, no fault, no reset, job 0, buffer "
			  "unchanged, attacker's FW base kept, next protected job 0");
	}
	if (!g->disp)
		hs_expect(s, HS_DISPLAY_PROTECTED, "no display");
	else if (!g->disp_granted)
		hs_expect(s, HS_DISPLAY_PROTECTED, "commit -EBUSY");
	else
		hs_expect(s, HS_DISPLAY_PROTECTED, "scanned out, no fault, CRC matches the buffer");
}

int hs_gpu_setup(struct hsec *s, struct secsoc_error *err)
{
	struct hs_gpu *g = &s->gpu;
	struct soc *soc = s->m->soc;
	int ret = 0;

	g->disp = secsoc_disp_get();
	g->disp_granted = hs_disp_granted(s);
	g->ptdev = panthor_device_get();
	if (!g->ptdev || !panthor_has_protected(g->ptdev) || !soc->gpu || !soc->gpu_node)
		g->ptdev = NULL;
	if (g->ptdev) {
		g->regs = soc->gpu_node->reg[0].addr;
		ret = hs_gpu_buffers(s, err);
	}
	hs_gpu_expect(s);
	return ret;
}

/* The group, then the bos and their buffers (the group first: it may still use them). */
static void hs_gpu_put(struct hs_gpu *g)
{
	struct panthor_bo **bos[] = { &g->victim_bo, &g->dst_bo, &g->fw_bo, &g->scratch_bo };

	panthor_group_destroy(g->group);
	g->group = NULL;
	for (unsigned int i = 0; i < ARRAY_SIZE(bos); i++) {
		panthor_bo_put(*bos[i]);
		*bos[i] = NULL;
	}
}

/* The display stops showing the victim and lets it go (invariant 7). */
static void hs_display_stop(struct hs_gpu *g)
{
	if (!g->commit)
		return;
	secsoc_disp_release_fbs(g->disp);
	secsoc_disp_set_vblank_cb(g->disp, NULL, NULL);
	g->commit = 0;
}

void hs_gpu_release(struct hsec *s)
{
	hs_display_stop(&s->gpu);
	hs_gpu_put(&s->gpu);
}

/* ---- jobs ---- */

static void hs_gpu_job_done(void *ctx, int status)
{
	struct hsec *s = ctx;

	s->gpu.status = status;
	s->gpu.pending = false;
}

static void hs_gpu_submit(struct hsec *s, const struct gpu_instr *in, bool protected)
{
	struct panthor_job_desc d = { .instrs = in, .n = 1, .protected = protected,
				      .done = hs_gpu_job_done, .ctx = s };
	int ret;

	s->gpu.pending = true;
	ret = panthor_job_submit(s->gpu.group, &d);
	if (ret) {
		s->gpu.pending = false;
		s->gpu.status = ret;
	}
}

/* ARGB8888 at @src over the XRGB8888 image at @dst: the source's bytes reach the output. */
static struct gpu_instr hs_blend(const struct panthor_bo *src, const struct panthor_bo *dst)
{
	return (struct gpu_instr){ .op = GPU_OP_BLEND_ARGB, .width = HS_GPU_W,
				   .height = HS_GPU_H, .src_stride = HS_GPU_STRIDE,
				   .dst_stride = HS_GPU_STRIDE, .src0 = panthor_bo_dma_addr(src),
				   .dst = panthor_bo_dma_addr(dst) };
}

bool hs_gpu_settled(const struct hsec *s)
{
	const struct hs_gpu *g = &s->gpu;

	return !g->pending && (!g->group || panthor_fw_ready(g->ptdev));
}

/* Opaque pixels of varied colour; a zero-alpha blend over them changes nothing. */
static void hs_gpu_pattern(u8 *img)
{
	for (u32 i = 0; i < HS_GPU_BYTES / PIXEL_XRGB_BYTES; i++) {
		u32 px = cpu_to_le32(0xff000000u | ((i * 0x00030507u + 0x00405060u) & 0x00ffffffu));

		memcpy(img + (size_t)i * PIXEL_XRGB_BYTES, &px, PIXEL_XRGB_BYTES);
	}
}

static bool hs_dst_unchanged(struct hsec *s)
{
	u8 want[HS_GPU_BYTES];
	const u8 *got = bus_ram_backdoor(s->m->soc->bus, panthor_bo_dma_addr(s->gpu.dst_bo),
					 HS_GPU_BYTES);

	hs_gpu_pattern(want);
	return got && !memcmp(got, want, sizeof(want));
}

/* The firmware's state never reached the buffer: still the system heap's zeros. */
static bool hs_fw_unchanged(struct hsec *s)
{
	const u8 *got = bus_ram_backdoor(s->m->soc->bus, panthor_bo_dma_addr(s->gpu.fw_bo),
					 s->gpu.fw_size);

	for (u64 i = 0; got && i < s->gpu.fw_size; i++)
		if (got[i])
			return false;
	return got != NULL;
}

/* The rows a group error (or no GPU) leaves without an attack. */
static void hs_gpu_observe_all(struct hsec *s, const char *what)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(hs_gpu_rows); i++)
		hs_observe(s, hs_gpu_rows[i], false, "%s", what);
}

void hs_gpu_open(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	u8 img[HS_GPU_BYTES];
	char what[HS_TEXT_MAX];

	if (!g->ptdev) {
		hs_gpu_observe_all(s, HS_NO_GPU);
		return;
	}
	g->group_err = panthor_group_create(g->ptdev, HS_GPU_PRIORITY, &g->group);
	if (g->group_err) {
		g->group = NULL;
		snprintf(what, sizeof(what), "group %s", hs_errno(g->group_err));
		hs_gpu_observe_all(s, what);
		return;
	}
	hs_gpu_pattern(img);
	cpu_write(hs_cpu_of(s, HS_NW0), panthor_bo_dma_addr(g->dst_bo), img, sizeof(img));
}

/* ---- gpu-normal-read ---- */

void hs_gpu_normal_read(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	struct gpu_instr in;

	if (!g->group)
		return;
	in = hs_blend(g->victim_bo, g->dst_bo);
	g->before = panthor_stats(g->ptdev);
	checker_expect_denial(&s->chk, gpu_bus_master(s->m->soc->gpu, false), s->victim_pa,
			      HS_VICTIM_SIZE);
	hs_gpu_submit(s, &in, false);
}

/* Did a stream stop on a bus fault inside the victim? (The GPU's registers, by MMIO.) */
static bool hs_gpu_bus_fault(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_NW0);
	u64 r = s->gpu.regs;

	for (unsigned int n = 0; n < GPU_CSG_SLOTS; n++) {
		for (unsigned int m = 0; m < GPU_CS_PER_CSG; m++) {
			u32 info = cpu_read32(c, r + CS_FATAL_INFO(n, m)) & 0xff;
			u64 addr = cpu_read32(c, r + CS_FATAL_ADDR_LO(n, m)) |
				   (u64)cpu_read32(c, r + CS_FATAL_ADDR_HI(n, m)) << 32;

			if (info == GPU_EXCEPTION_CS_BUS_FAULT && addr >= s->victim_pa &&
			    addr - s->victim_pa < HS_VICTIM_SIZE)
				return true;
		}
	}
	return false;
}

/* How the TZC judged the attack's transactions. */
static const char *hs_gpu_tzc(const struct checker_expect *seen)
{
	if (seen->allowed)
		return "ALLOWED";
	return seen->denied ? "denied" : "never reached the TZC";
}

/* The stream faults the driver counted since the attack began, and of which kind. */
static const char *hs_gpu_cs_fault(struct hsec *s)
{
	u64 faults = panthor_stats(s->gpu.ptdev).cs_faults - s->gpu.before.cs_faults;

	if (!faults)
		return "no fault";
	return faults == 1 && hs_gpu_bus_fault(s) ? "CS_BUS_FAULT" : "ANOTHER FAULT";
}

void hs_gpu_normal_read_done(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;

	if (!g->group)
		return;
	checker_expect_end(&s->chk, &s->seen);
	hs_observe(s, HS_GPU_NORMAL_READ, s->seen.denied > 0, "%s, %s, job %s, destination %s",
		   hs_gpu_tzc(&s->seen), hs_gpu_cs_fault(s), hs_errno(g->status),
		   hs_dst_unchanged(s) ? "unchanged" : "CHANGED");
}

/* ---- the protected attacks ---- */

static u64 hs_fw_base_now(struct hsec *s)
{
	struct cpu *c = hs_cpu_of(s, HS_NW0);

	return cpu_read32(c, s->gpu.regs + GLB_PROTM_FW_BASE_LO) |
	       (u64)cpu_read32(c, s->gpu.regs + GLB_PROTM_FW_BASE_HI) << 32;
}

/* The attacker notes the driver's GLB_PROTM_FW_BASE before an attack, to check it after. */
static void hs_fw_base_note(struct hsec *s)
{
	u64 base = hs_fw_base_now(s);

	s->gpu.fw_base[0] = (u32)base;
	s->gpu.fw_base[1] = (u32)(base >> 32);
}

static void hs_fw_base_set(struct hsec *s, u64 base)
{
	struct cpu *c = hs_cpu_of(s, HS_NW0);

	cpu_write32(c, s->gpu.regs + GLB_PROTM_FW_BASE_LO, (u32)base);
	cpu_write32(c, s->gpu.regs + GLB_PROTM_FW_BASE_HI, (u32)(base >> 32));
}

/* Arm the attack on the protected master over @bo, note the driver's state, submit @in. */
static void hs_gpu_protected_attack(struct hsec *s, const struct panthor_bo *bo,
				    const struct gpu_instr *in)
{
	struct hs_gpu *g = &s->gpu;

	g->before = panthor_stats(g->ptdev);
	checker_expect_denial(&s->chk, gpu_bus_master(s->m->soc->gpu, true),
			      panthor_bo_dma_addr(bo), panthor_bo_size(bo));
	hs_gpu_submit(s, in, true);
}

void hs_gpu_protected_write(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	struct gpu_instr in = { .op = GPU_OP_FILL, .width = HS_GPU_W, .height = HS_GPU_H,
				.dst_stride = HS_GPU_STRIDE, .color = HS_GPU_FILL };

	if (!g->group)
		return;
	in.dst = panthor_bo_dma_addr(g->dst_bo);
	hs_fw_base_note(s);
	hs_gpu_protected_attack(s, g->dst_bo, &in);
}

/*
 * The compromised kernel moves the firmware's protected section into a
 * system buffer, then asks for protected work: entering protected mode
 * saves the firmware's state there with the protected NSAID.
 */
void hs_gpu_protm_fw_normal(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	struct gpu_instr in;

	if (!g->group)
		return;
	in = hs_blend(g->victim_bo, g->scratch_bo);
	hs_fw_base_note(s);
	hs_fw_base_set(s, panthor_bo_dma_addr(g->fw_bo));
	hs_gpu_protected_attack(s, g->fw_bo, &in);
}

void hs_gpu_attack_done(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	u64 driver = g->fw_base[0] | (u64)g->fw_base[1] << 32;
	struct gpu_instr in;

	if (!g->group)
		return;
	checker_expect_end(&s->chk, &s->seen);
	g->attack_status = g->status;
	g->after = panthor_stats(g->ptdev);
	/* A reset makes the driver program its section again; else the attacker undoes it. */
	g->base_driver = hs_fw_base_now(s) == driver;
	if (!g->base_driver)
		hs_fw_base_set(s, driver);
	in = hs_blend(g->victim_bo, g->scratch_bo);
	hs_gpu_submit(s, &in, true);
}

/* "PROTM fault, reset, job -EIO": the driver's counters across the attack. */
static void hs_gpu_reaction(const struct hs_gpu *g, char *buf, size_t len)
{
	u64 faults = g->after.protm_faults - g->before.protm_faults;
	u64 resets = g->after.resets - g->before.resets;

	snprintf(buf, len, "%s, %s, job %s", faults == 1 ? "PROTM fault" : faults ?
		 "SEVERAL PROTM FAULTS" : "no fault", resets == 1 ? "reset" : resets ?
		 "SEVERAL RESETS" : "no reset", hs_errno(g->attack_status));
}

void hs_gpu_protected_write_recovered(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	char how[HS_TEXT_MAX];

	if (!g->group)
		return;
	hs_gpu_reaction(g, how, sizeof(how));
	hs_observe(s, HS_GPU_PROTECTED_WRITE, s->seen.denied > 0, "%s, %s, buffer %s, next "
		   "protected job %s", hs_gpu_tzc(&s->seen), how,
		   hs_dst_unchanged(s) ? "unchanged" : "CHANGED", hs_errno(g->status));
}

void hs_gpu_protm_fw_normal_recovered(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	char how[HS_TEXT_MAX];

	if (!g->group)
		return;
	hs_gpu_reaction(g, how, sizeof(how));
	hs_observe(s, HS_GPU_PROTM_FW_NORMAL, s->seen.denied > 0, "%s, %s, buffer %s, %s, next "
		   "protected job %s", hs_gpu_tzc(&s->seen), how,
		   hs_fw_unchanged(s) ? "unchanged" : "CHANGED",
		   g->base_driver ? "driver's FW base back" : "attacker's FW base kept",
		   hs_errno(g->status));
}

void hs_gpu_close(struct hsec *s)
{
	hs_gpu_put(&s->gpu);
}

/* ---- display-protected ---- */

/* Hard-interrupt context: keep the first frame that showed the victim's commit. */
static void hs_display_vblank(void *ctx, const struct secsoc_disp_vblank *vb)
{
	struct hs_gpu *g = ctx;

	if (vb->blank || g->shown || !g->commit || vb->commit != g->commit)
		return;
	g->shown = true;
	g->crc = vb->crc;
	g->fault = vb->fault;
}

void hs_display_commit(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	int ret;

	if (!g->disp) {
		hs_observe(s, HS_DISPLAY_PROTECTED, false, "no display");
		return;
	}
	secsoc_disp_set_vblank_cb(g->disp, hs_display_vblank, g);
	ret = secsoc_disp_commit(g->disp, s->victim, 0, HS_DISP_W, HS_DISP_H, HS_DISP_STRIDE);
	if (ret) {
		secsoc_disp_set_vblank_cb(g->disp, NULL, NULL);
		hs_observe(s, HS_DISPLAY_PROTECTED, false, "commit %s", hs_errno(ret));
		return;
	}
	g->commit = secsoc_disp_stats(g->disp).commits;
	secsoc_disp_enable(g->disp);
}

bool hs_display_shown(const struct hsec *s)
{
	return !s->gpu.commit || s->gpu.shown;
}

void hs_display_done(struct hsec *s)
{
	struct hs_gpu *g = &s->gpu;
	const u8 *img;
	bool match;

	if (!g->commit)
		return;
	hs_display_stop(g);
	/* The CRC the victim's bytes give, computed outside the model. */
	img = bus_ram_backdoor(s->m->soc->bus, s->victim_pa, HS_DISP_STRIDE * HS_DISP_H);
	match = img && g->crc == pixel_crc_rows(0, img, HS_DISP_STRIDE, HS_DISP_W, HS_DISP_H);
	hs_observe(s, HS_DISPLAY_PROTECTED, match && !g->fault, "scanned out, %s, CRC %s",
		   g->fault ? "SCAN-OUT FAULT" : "no fault", match ? "matches the buffer" :
		   "DIFFERS FROM THE BUFFER");
}
