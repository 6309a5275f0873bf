/* The built-in SoC device tree blob, compiled from soc/secsoc.dts at build time. */
	.section .rodata
	.balign 8
	.global secsoc_builtin_dtb
	.global secsoc_builtin_dtb_end
secsoc_builtin_dtb:
	.incbin SECSOC_DTB_PATH
secsoc_builtin_dtb_end:
	.byte 0
	.section .note.GNU-stack,"",%progbits
