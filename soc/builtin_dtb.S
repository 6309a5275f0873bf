/*
 * The built-in boards' device tree blobs, compiled by dtc at build time:
 * soc/secsoc.dts (the default SoC) and soc/boards/bam-loopback.dts.
 * soc_load_builtin() (soc/soc.c) finds them by name.
 */
	.section .rodata
	.balign 8
	.global secsoc_builtin_dtb
	.global secsoc_builtin_dtb_end
secsoc_builtin_dtb:
	.incbin SECSOC_DTB_PATH
secsoc_builtin_dtb_end:
	.byte 0
	.balign 8
	.global secsoc_builtin_loopback_dtb
	.global secsoc_builtin_loopback_dtb_end
secsoc_builtin_loopback_dtb:
	.incbin SECSOC_LOOPBACK_DTB_PATH
secsoc_builtin_loopback_dtb_end:
	.byte 0
	.section .note.GNU-stack,"",%progbits
