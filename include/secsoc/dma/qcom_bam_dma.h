/*
 * dma/qcom_bam_dma.h - what clients of the BAM DMA driver use:
 * command elements (include/linux/dma/qcom_bam_dma.h) and the descriptor
 * metadata through which the pipe-locking series hands the BAM driver a
 * scratchpad register for its LOCK/UNLOCK dummy writes.
 */
#ifndef SECSOC_DMA_QCOM_BAM_DMA_H
#define SECSOC_DMA_QCOM_BAM_DMA_H

#include <secsoc/dmaengine.h>

/* A command element: 16 bytes, little-endian, only 24 address bits. */
struct bam_cmd_element {
	__le32 cmd_and_addr;
	__le32 data;
	__le32 mask;
	__le32 reserved;
} __attribute__((packed));

enum bam_command_type {
	BAM_WRITE_COMMAND = 0,
	BAM_READ_COMMAND,
};

/**
 * bam_prep_ce_le32 - fill @bam_ce with one command
 * @addr: the register's physical address (only bits 23:0 are carried)
 * @cmd: BAM_WRITE_COMMAND or BAM_READ_COMMAND
 * @data: the value to write, or the low 32 bits of the read destination
 *
 * A write uses mask 0xffffffff. A read sets mask to 0: from BAM v1.6.0 on
 * it carries destination bits 35:32, and writing all ones there broke
 * reads on newer BAMs (reference §1.5).
 */
static inline void bam_prep_ce_le32(struct bam_cmd_element *bam_ce, u32 addr,
				    enum bam_command_type cmd, __le32 data)
{
	bam_ce->cmd_and_addr = cpu_to_le32((addr & 0xffffff) | ((u32)cmd << 24));
	bam_ce->data = data;
	bam_ce->mask = cmd == BAM_WRITE_COMMAND ? cpu_to_le32(0xffffffff) : 0;
	bam_ce->reserved = 0;
}

/** bam_prep_ce - bam_prep_ce_le32() with a CPU-order @data */
static inline void bam_prep_ce(struct bam_cmd_element *bam_ce, u32 addr,
			       enum bam_command_type cmd, u32 data)
{
	bam_prep_ce_le32(bam_ce, addr, cmd, cpu_to_le32(data));
}

/**
 * struct bam_desc_metadata - client metadata for pipe locking (series v15+)
 * @scratchpad_addr: physical address of a register of the peripheral that
 *	the LOCK/UNLOCK command descriptors write (the QCE's VERSION)
 * @direction: the channel's transfer direction; only DMA_MEM_TO_DEV
 *	channels are locked
 *
 * Attached once to a descriptor with dmaengine_desc_attach_metadata(); the
 * driver keeps it per channel.
 */
struct bam_desc_metadata {
	phys_addr_t scratchpad_addr;
	enum dma_transfer_direction direction;
};

#endif /* SECSOC_DMA_QCOM_BAM_DMA_H */
