/*
 * bam_regs.c - the BAM register layouts, one static const table per
 * version, in the shape of the Linux driver's reg_offset_data: a register
 * of pipe p in EE e lives at base + p * pipe_mult + p * evnt_mult +
 * e * ee_mult. The model decodes MMIO offsets with the same tables, so the
 * driver and the hardware cannot disagree about a layout.
 */
#include <errno.h>
#include <string.h>

#include <secsoc/bam.h>

#include "hw/bam_internal.h"

struct bam_reg_info {
	u32 base;
	u32 pipe_mult;
	u32 evnt_mult;
	u32 ee_mult;
};

/* P_TRUST_REG has no public offset: the model puts it at P_CTRL + 0x30. */
static const struct bam_reg_info bam_v1_3_regs[BAM_NR_REGS] = {
	[BAM_CTRL] = { 0xf80, 0, 0, 0 },
	[BAM_REVISION] = { 0xf84, 0, 0, 0 },
	[BAM_NUM_PIPES] = { 0xfbc, 0, 0, 0 },
	[BAM_DESC_CNT_TRSHLD] = { 0xf88, 0, 0, 0 },
	[BAM_IRQ_SRCS] = { 0xf8c, 0, 0, 0 },
	[BAM_IRQ_SRCS_MSK] = { 0xf90, 0, 0, 0 },
	[BAM_IRQ_SRCS_UNMASKED] = { 0xfb0, 0, 0, 0 },
	[BAM_IRQ_STTS] = { 0xf94, 0, 0, 0 },
	[BAM_IRQ_CLR] = { 0xf98, 0, 0, 0 },
	[BAM_IRQ_EN] = { 0xf9c, 0, 0, 0 },
	[BAM_CNFG_BITS] = { 0xffc, 0, 0, 0 },
	[BAM_IRQ_SRCS_EE] = { 0x1800, 0, 0, 0x80 },
	[BAM_IRQ_SRCS_MSK_EE] = { 0x1804, 0, 0, 0x80 },
	[BAM_P_CTRL] = { 0x0000, 0x80, 0, 0 },
	[BAM_P_RST] = { 0x0004, 0x80, 0, 0 },
	[BAM_P_HALT] = { 0x0008, 0x80, 0, 0 },
	[BAM_P_IRQ_STTS] = { 0x0010, 0x80, 0, 0 },
	[BAM_P_IRQ_CLR] = { 0x0014, 0x80, 0, 0 },
	[BAM_P_IRQ_EN] = { 0x0018, 0x80, 0, 0 },
	[BAM_P_TRUST_REG] = { 0x0030, 0x80, 0, 0 },
	[BAM_P_EVNT_DEST_ADDR] = { 0x102c, 0, 0x40, 0 },
	[BAM_P_EVNT_REG] = { 0x1018, 0, 0x40, 0 },
	[BAM_P_SW_OFSTS] = { 0x1000, 0, 0x40, 0 },
	[BAM_P_DATA_FIFO_ADDR] = { 0x1024, 0, 0x40, 0 },
	[BAM_P_DESC_FIFO_ADDR] = { 0x101c, 0, 0x40, 0 },
	[BAM_P_EVNT_GEN_TRSHLD] = { 0x1028, 0, 0x40, 0 },
	[BAM_P_FIFO_SIZES] = { 0x1020, 0, 0x40, 0 },
};

static const struct bam_reg_info bam_v1_4_regs[BAM_NR_REGS] = {
	[BAM_CTRL] = { 0x0000, 0, 0, 0 },
	[BAM_REVISION] = { 0x0004, 0, 0, 0 },
	[BAM_NUM_PIPES] = { 0x003c, 0, 0, 0 },
	[BAM_DESC_CNT_TRSHLD] = { 0x0008, 0, 0, 0 },
	[BAM_IRQ_SRCS] = { 0x000c, 0, 0, 0 },
	[BAM_IRQ_SRCS_MSK] = { 0x0010, 0, 0, 0 },
	[BAM_IRQ_SRCS_UNMASKED] = { 0x0030, 0, 0, 0 },
	[BAM_IRQ_STTS] = { 0x0014, 0, 0, 0 },
	[BAM_IRQ_CLR] = { 0x0018, 0, 0, 0 },
	[BAM_IRQ_EN] = { 0x001c, 0, 0, 0 },
	[BAM_CNFG_BITS] = { 0x007c, 0, 0, 0 },
	[BAM_IRQ_SRCS_EE] = { 0x0800, 0, 0, 0x80 },
	[BAM_IRQ_SRCS_MSK_EE] = { 0x0804, 0, 0, 0x80 },
	[BAM_P_CTRL] = { 0x1000, 0x1000, 0, 0 },
	[BAM_P_RST] = { 0x1004, 0x1000, 0, 0 },
	[BAM_P_HALT] = { 0x1008, 0x1000, 0, 0 },
	[BAM_P_IRQ_STTS] = { 0x1010, 0x1000, 0, 0 },
	[BAM_P_IRQ_CLR] = { 0x1014, 0x1000, 0, 0 },
	[BAM_P_IRQ_EN] = { 0x1018, 0x1000, 0, 0 },
	[BAM_P_TRUST_REG] = { 0x1030, 0x1000, 0, 0 },
	[BAM_P_EVNT_DEST_ADDR] = { 0x182c, 0, 0x1000, 0 },
	[BAM_P_EVNT_REG] = { 0x1818, 0, 0x1000, 0 },
	[BAM_P_SW_OFSTS] = { 0x1800, 0, 0x1000, 0 },
	[BAM_P_DATA_FIFO_ADDR] = { 0x1824, 0, 0x1000, 0 },
	[BAM_P_DESC_FIFO_ADDR] = { 0x181c, 0, 0x1000, 0 },
	[BAM_P_EVNT_GEN_TRSHLD] = { 0x1828, 0, 0x1000, 0 },
	[BAM_P_FIFO_SIZES] = { 0x1820, 0, 0x1000, 0 },
};

static const struct bam_reg_info bam_v1_7_regs[BAM_NR_REGS] = {
	[BAM_CTRL] = { 0x0000, 0, 0, 0 },
	[BAM_REVISION] = { 0x1000, 0, 0, 0 },
	[BAM_NUM_PIPES] = { 0x1008, 0, 0, 0 },
	[BAM_DESC_CNT_TRSHLD] = { 0x0008, 0, 0, 0 },
	[BAM_IRQ_SRCS] = { 0x3010, 0, 0, 0 },
	[BAM_IRQ_SRCS_MSK] = { 0x3014, 0, 0, 0 },
	[BAM_IRQ_SRCS_UNMASKED] = { 0x3018, 0, 0, 0 },
	[BAM_IRQ_STTS] = { 0x0014, 0, 0, 0 },
	[BAM_IRQ_CLR] = { 0x0018, 0, 0, 0 },
	[BAM_IRQ_EN] = { 0x001c, 0, 0, 0 },
	[BAM_CNFG_BITS] = { 0x007c, 0, 0, 0 },
	[BAM_IRQ_SRCS_EE] = { 0x3000, 0, 0, 0x1000 },
	[BAM_IRQ_SRCS_MSK_EE] = { 0x3004, 0, 0, 0x1000 },
	[BAM_P_CTRL] = { 0x13000, 0x1000, 0, 0 },
	[BAM_P_RST] = { 0x13004, 0x1000, 0, 0 },
	[BAM_P_HALT] = { 0x13008, 0x1000, 0, 0 },
	[BAM_P_IRQ_STTS] = { 0x13010, 0x1000, 0, 0 },
	[BAM_P_IRQ_CLR] = { 0x13014, 0x1000, 0, 0 },
	[BAM_P_IRQ_EN] = { 0x13018, 0x1000, 0, 0 },
	[BAM_P_TRUST_REG] = { 0x13030, 0x1000, 0, 0 },
	[BAM_P_EVNT_DEST_ADDR] = { 0x1382c, 0, 0x1000, 0 },
	[BAM_P_EVNT_REG] = { 0x13818, 0, 0x1000, 0 },
	[BAM_P_SW_OFSTS] = { 0x13800, 0, 0x1000, 0 },
	[BAM_P_DATA_FIFO_ADDR] = { 0x13824, 0, 0x1000, 0 },
	[BAM_P_DESC_FIFO_ADDR] = { 0x1381c, 0, 0x1000, 0 },
	[BAM_P_EVNT_GEN_TRSHLD] = { 0x13828, 0, 0x1000, 0 },
	[BAM_P_FIFO_SIZES] = { 0x13820, 0, 0x1000, 0 },
};

static const struct bam_reg_info bam_v2_0_regs[BAM_NR_REGS] = {
	[BAM_CTRL] = { 0x0000, 0, 0, 0 },
	[BAM_REVISION] = { 0x1000, 0, 0, 0 },
	[BAM_NUM_PIPES] = { 0x1008, 0, 0, 0 },
	[BAM_DESC_CNT_TRSHLD] = { 0x0008, 0, 0, 0 },
	[BAM_IRQ_SRCS] = { 0x3010, 0, 0, 0 },
	[BAM_IRQ_SRCS_MSK] = { 0x3014, 0, 0, 0 },
	[BAM_IRQ_SRCS_UNMASKED] = { 0x3018, 0, 0, 0 },
	[BAM_IRQ_STTS] = { 0x0014, 0, 0, 0 },
	[BAM_IRQ_CLR] = { 0x0018, 0, 0, 0 },
	[BAM_IRQ_EN] = { 0x001c, 0, 0, 0 },
	[BAM_CNFG_BITS] = { 0x007c, 0, 0, 0 },
	[BAM_IRQ_SRCS_EE] = { 0x3000, 0, 0, 0x1000 },
	[BAM_IRQ_SRCS_MSK_EE] = { 0x3004, 0, 0, 0x1000 },
	[BAM_P_CTRL] = { 0xc000, 0x1000, 0, 0 },
	[BAM_P_RST] = { 0xc004, 0x1000, 0, 0 },
	[BAM_P_HALT] = { 0xc008, 0x1000, 0, 0 },
	[BAM_P_IRQ_STTS] = { 0xc010, 0x1000, 0, 0 },
	[BAM_P_IRQ_CLR] = { 0xc014, 0x1000, 0, 0 },
	[BAM_P_IRQ_EN] = { 0xc018, 0x1000, 0, 0 },
	[BAM_P_TRUST_REG] = { 0xc030, 0x1000, 0, 0 },
	[BAM_P_EVNT_DEST_ADDR] = { 0xc82c, 0, 0x1000, 0 },
	[BAM_P_EVNT_REG] = { 0xc818, 0, 0x1000, 0 },
	[BAM_P_SW_OFSTS] = { 0xc800, 0, 0x1000, 0 },
	[BAM_P_DATA_FIFO_ADDR] = { 0xc824, 0, 0x1000, 0 },
	[BAM_P_DESC_FIFO_ADDR] = { 0xc81c, 0, 0x1000, 0 },
	[BAM_P_EVNT_GEN_TRSHLD] = { 0xc828, 0, 0x1000, 0 },
	[BAM_P_FIFO_SIZES] = { 0xc820, 0, 0x1000, 0 },
};

struct bam_version_info {
	const char *compatible;
	const char *name;
	const struct bam_reg_info *regs;
	u8 revision;		/* REVISION[7:0] the model reports */
	bool pipe_lock;
};

/* Revision numbers are the model's; only their presence is public. */
static const struct bam_version_info bam_versions[BAM_NR_VERSIONS] = {
	[BAM_V1_3_0] = { "qcom,bam-v1.3.0", "1.3.0", bam_v1_3_regs, 0x13, false },
	[BAM_V1_4_0] = { "qcom,bam-v1.4.0", "1.4.0", bam_v1_4_regs, 0x14, true },
	[BAM_V1_7_0] = { "qcom,bam-v1.7.0", "1.7.0", bam_v1_7_regs, 0x17, true },
	[BAM_V2_0_0] = { "qcom,bam-v2.0.0", "2.0.0", bam_v2_0_regs, 0x20, true },
};

static const char *const bam_reg_names[BAM_NR_REGS] = {
	[BAM_CTRL] = "CTRL",
	[BAM_REVISION] = "REVISION",
	[BAM_NUM_PIPES] = "NUM_PIPES",
	[BAM_DESC_CNT_TRSHLD] = "DESC_CNT_TRSHLD",
	[BAM_IRQ_SRCS] = "IRQ_SRCS",
	[BAM_IRQ_SRCS_MSK] = "IRQ_SRCS_MSK",
	[BAM_IRQ_SRCS_UNMASKED] = "IRQ_SRCS_UNMASKED",
	[BAM_IRQ_STTS] = "IRQ_STTS",
	[BAM_IRQ_CLR] = "IRQ_CLR",
	[BAM_IRQ_EN] = "IRQ_EN",
	[BAM_CNFG_BITS] = "CNFG_BITS",
	[BAM_IRQ_SRCS_EE] = "IRQ_SRCS_EE",
	[BAM_IRQ_SRCS_MSK_EE] = "IRQ_SRCS_MSK_EE",
	[BAM_P_CTRL] = "P_CTRL",
	[BAM_P_RST] = "P_RST",
	[BAM_P_HALT] = "P_HALT",
	[BAM_P_IRQ_STTS] = "P_IRQ_STTS",
	[BAM_P_IRQ_CLR] = "P_IRQ_CLR",
	[BAM_P_IRQ_EN] = "P_IRQ_EN",
	[BAM_P_TRUST_REG] = "P_TRUST_REG",
	[BAM_P_EVNT_REG] = "P_EVNT_REG",
	[BAM_P_SW_OFSTS] = "P_SW_OFSTS",
	[BAM_P_DATA_FIFO_ADDR] = "P_DATA_FIFO_ADDR",
	[BAM_P_DESC_FIFO_ADDR] = "P_DESC_FIFO_ADDR",
	[BAM_P_EVNT_GEN_TRSHLD] = "P_EVNT_GEN_TRSHLD",
	[BAM_P_FIFO_SIZES] = "P_FIFO_SIZES",
	[BAM_P_EVNT_DEST_ADDR] = "P_EVNT_DEST_ADDR",
};

u32 bam_reg_offset(enum bam_version v, enum bam_reg reg, unsigned int pipe, unsigned int ee)
{
	const struct bam_reg_info *r = &bam_versions[v].regs[reg];

	return r->base + pipe * r->pipe_mult + pipe * r->evnt_mult + ee * r->ee_mult;
}

const char *bam_reg_name(enum bam_reg reg)
{
	return bam_reg_names[reg];
}

const char *bam_version_name(enum bam_version v)
{
	return bam_versions[v].name;
}

bool bam_version_has_lock(enum bam_version v)
{
	return bam_versions[v].pipe_lock;
}

u8 bam_version_revision(enum bam_version v)
{
	return bam_versions[v].revision;
}

int bam_version_of_compatible(const char *compatible, enum bam_version *v)
{
	for (unsigned int i = 0; i < BAM_NR_VERSIONS; i++) {
		if (strcmp(compatible, bam_versions[i].compatible) == 0) {
			*v = (enum bam_version)i;
			return 0;
		}
	}
	return -ENOENT;
}

/* Does @off hit instance @index (< @count) of a register with this stride? */
static bool decode_strided(u32 off, u32 base, u32 stride, unsigned int count,
			   unsigned int *index)
{
	if (off < base)
		return false;
	if (stride == 0) {
		*index = 0;
		return off == base;
	}
	if ((off - base) % stride || (off - base) / stride >= count)
		return false;
	*index = (off - base) / stride;
	return true;
}

bool bam_reg_decode(enum bam_version v, u32 off, unsigned int nr_pipes, unsigned int nr_ees,
		    enum bam_reg *reg, unsigned int *index)
{
	const struct bam_reg_info *regs = bam_versions[v].regs;

	for (unsigned int i = 0; i < BAM_NR_REGS; i++) {
		const struct bam_reg_info *r = &regs[i];
		u32 stride = r->ee_mult ? r->ee_mult : r->pipe_mult + r->evnt_mult;
		unsigned int count = r->ee_mult ? nr_ees : nr_pipes;

		if (decode_strided(off, r->base, stride, count, index)) {
			*reg = (enum bam_reg)i;
			return true;
		}
	}
	return false;
}

bool bam_reg_is_pipe(enum bam_reg reg)
{
	return reg >= BAM_P_CTRL;
}
