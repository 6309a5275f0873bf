# CLI contract cases: exit codes and messages, one test per behaviour.
# secsoc_cli_case(NAME EXIT REGEX ARGS...) runs `secsoc ARGS...` through
# expect.sh, which checks the exit code and that the output matches REGEX.
set(SECSOC_CLI_EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set(SECSOC_BOARDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/boards)

function(secsoc_cli_case name exit regex)
	add_test(NAME cli/${name}
		COMMAND ${SECSOC_CLI_EXPECT} ${exit} ${regex} $<TARGET_FILE:secsoc-bin> ${ARGN}
		WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()

function(secsoc_cli_script name)
	add_test(NAME cli/${name}
		COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/${name}.sh $<TARGET_FILE:secsoc-bin>
			${SECSOC_BOARDS}
		WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
endfunction()

# Good runs.
secsoc_cli_case(run-default 0 "verdict: PASS" run)
secsoc_cli_case(run-json 0 "\"verdict\": \"PASS\"" run --json --seed 3)
secsoc_cli_case(run-random 0 "strategy: random" run --strategy random --seed 11)
secsoc_cli_case(run-determinism 0 "byte-identical traces" run --seed 7 --check-determinism)
secsoc_cli_case(run-faults 0 "site=irq-delay probability=1 fired=[1-9]" run --faults irq-delay:1)
secsoc_cli_case(run-dts 0 "verdict: PASS" run --dts ${CMAKE_SOURCE_DIR}/soc/secsoc.dts)
secsoc_cli_case(run-dtb 0 "verdict: PASS" run --dtb ${CMAKE_BINARY_DIR}/secsoc.dtb)
secsoc_cli_case(scenarios 0 "^tzc-smoke +the secure world" scenarios)
secsoc_cli_case(info 0 "model: tzc400" info)
secsoc_cli_case(info-no-model 0 "model: no model yet" info)
secsoc_cli_case(info-board-without-secure-world 0 "secure_world: no"
	info --dts ${SECSOC_BOARDS}/no-secure-world.dts)
secsoc_cli_case(help 0 "usage: secsoc <command>" --help)
secsoc_cli_case(run-help 0 "usage: secsoc run" run --help)
secsoc_cli_case(duration-stops-run 1 "stopped: duration" run --duration-us 1)

# Bad usage.
secsoc_cli_case(no-command 2 "usage: secsoc <command>")
secsoc_cli_case(unknown-command 2 "unknown command 'frobnicate'" frobnicate)
secsoc_cli_case(unknown-option 2 "unknown or incomplete option '--frob'" run --frob)
secsoc_cli_case(missing-option-value 2 "unknown or incomplete option '--seed'" run --seed)
secsoc_cli_case(unknown-scenario 2 "unknown scenario 'nope' \\(known: tzc-smoke"
	run --scenario nope)
secsoc_cli_case(bad-seed 2 "--seed: 'abc' is not a number" run --seed abc)
secsoc_cli_case(negative-seed 2 "--seed: '-1' is not a number" run --seed -1)
secsoc_cli_case(seed-too-big 2 "--seed: 18446744073709551616 is out of range"
	run --seed 18446744073709551616)
secsoc_cli_case(bad-faults-site 2 "unknown fault site 'desc-errr'" run --faults desc-errr:0.1)
secsoc_cli_case(bad-faults-prob 2 "irq-delay" run --faults irq-delay:1.5)
secsoc_cli_case(bad-faults-syntax 2 "irq-delay" run --faults irq-delay)
secsoc_cli_case(bad-lock-policy 2 "--lock-policy: unknown policy 'v13'" run --lock-policy v13)
secsoc_cli_case(bad-strategy 2 "--strategy: unknown strategy 'dfs'" run --strategy dfs)
secsoc_cli_case(bad-duration 2 "--duration-us: 'soon' is not a number" run --duration-us soon)
secsoc_cli_case(dtb-and-dts 2 "mutually exclusive"
	run --dtb ${CMAKE_BINARY_DIR}/secsoc.dtb --dts ${CMAKE_SOURCE_DIR}/soc/secsoc.dts)
secsoc_cli_case(replay-without-schedule 2 "--schedule F is required" replay)
secsoc_cli_case(replay-missing-file 2 "nope.sched" replay --schedule nope.sched)

# Bad boards: each names the file, node or property at fault.
secsoc_cli_case(dtb-missing 2 "no-such.dtb" run --dtb no-such.dtb)
secsoc_cli_case(dtb-not-a-dtb 2 "no-secure-world.dts: not a valid flattened device tree"
	run --dtb ${SECSOC_BOARDS}/no-secure-world.dts)
add_test(NAME cli/dtb-truncated
	COMMAND sh -c "head -c 600 '${CMAKE_BINARY_DIR}/secsoc.dtb' > truncated.dtb && \
		'${SECSOC_CLI_EXPECT}' 2 'truncated.dtb: not a valid flattened device tree' \
		'$<TARGET_FILE:secsoc-bin>' run --dtb truncated.dtb"
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
secsoc_cli_case(dts-syntax-error 2 "syntax-error.dts: dtc failed"
	run --dts ${SECSOC_BOARDS}/syntax-error.dts)
secsoc_cli_case(dts-missing 2 "no-such.dts" run --dts no-such.dts)
secsoc_cli_case(node-without-reg 2 "node /tzc: missing property 'reg'"
	run --dts ${SECSOC_BOARDS}/tzc-without-reg.dts)
secsoc_cli_case(dangling-phandle 2 "node /tzc@a000000: property 'interrupt-parent' .*0x4242"
	run --dts ${SECSOC_BOARDS}/dangling-phandle.dts)
secsoc_cli_case(reg-outside-ranges 2 "/soc@0/tzc@2a000000.*reg"
	run --dts ${SECSOC_BOARDS}/reg-outside.dts)
secsoc_cli_case(reg-above-pa 2 "/tzc@10000000000"
	run --dts ${SECSOC_BOARDS}/above-pa.dts)
secsoc_cli_case(mmio-overlap 2 "/tzc@80001000.*overlaps.*/memory@80000000"
	run --dts ${SECSOC_BOARDS}/mmio-overlap.dts)
secsoc_cli_case(scenario-needs-secure-world 2 "needs a secure world"
	run --dts ${SECSOC_BOARDS}/no-secure-world.dts)

# Multi-step checks: traces, determinism, replay, JSON.
secsoc_cli_script(traces)
secsoc_cli_script(replay)
secsoc_cli_script(info-json)
secsoc_cli_script(seeds)

# tzc-smoke under every TZC ACTION: the expected aborts follow ACTION.
secsoc_cli_case(tzc-action-okay 0 "cpu0_external_aborts: 0.*cpu1_external_aborts: 1.*PASS"
	run --dts ${SECSOC_BOARDS}/tzc-action-0.dts)
secsoc_cli_case(tzc-action-decerr 0 "cpu0_external_aborts: 1.*cpu1_external_aborts: 2.*PASS"
	run --dts ${SECSOC_BOARDS}/tzc-action-1.dts)
secsoc_cli_case(tzc-action-okay-int 0 "cpu0_external_aborts: 0.*tzc_failures:.*- filter=0.*PASS"
	run --dts ${SECSOC_BOARDS}/tzc-action-2.dts)
secsoc_cli_case(tzc-action-bad 2 "node /firmware/tee: property 'secsoc,tzc-action' is 7"
	run --dts ${SECSOC_BOARDS}/tzc-action-bad.dts)

# --dts without dtc installed: a clear message, exit 2.
add_test(NAME cli/dts-without-dtc
	COMMAND ${SECSOC_CLI_EXPECT} 2 "cannot compile .*secsoc.dts: dtc not found in PATH"
		env PATH=/nonexistent $<TARGET_FILE:secsoc-bin> run --dts ${CMAKE_SOURCE_DIR}/soc/secsoc.dts
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# Disabled nodes are honoured.
secsoc_cli_case(disabled-nodes 0 "gpu@3d00000.*status: disabled.*display@ae00000.*status: disabled"
	info --dts ${SECSOC_BOARDS}/disabled-display-gpu.dts)
secsoc_cli_case(disabled-tzc 2 "needs a TZC-400"
	run --dts ${SECSOC_BOARDS}/disabled-tzc.dts)

# Coverage: seed 1 interleaves the two denials so that the second arrives
# before the secure world has cleared the first (FAIL registers overrun).
secsoc_cli_case(tzc-overrun-reached 0 "reached=[1-9][0-9]* evaluated=[0-9]+ goal=\"tzc-smoke: a second failure.*overrun=yes.*PASS"
	run --seed 1)

# Boards whose secure-world wiring cannot work: rejected up front (exit 2),
# not discovered as a failed invariant (exit 1).
secsoc_cli_case(tzc-without-interrupt 2 "node /soc@0/tzc@a000000: missing property 'interrupts'"
	run --dts ${SECSOC_BOARDS}/tzc-no-irq.dts)
secsoc_cli_case(tzc-interrupt-ppi 2 "tzc-ppi.dts: node /soc@0/tzc@a000000: property 'interrupts': the TZC's interrupt must be an SPI"
	run --dts ${SECSOC_BOARDS}/tzc-ppi.dts)
secsoc_cli_case(unmodelled-mmio-overlap 2 "node /soc@0/tzc@a000000: 'reg' entry 0 .* overlaps node /soc@0/display@ae00000"
	run --dts ${SECSOC_BOARDS}/unmodelled-overlap.dts)
secsoc_cli_case(tee-protected-not-carveout 2 "'secsoc,protected-memory' points to /soc@0/gpu@3d00000, which is not a secsoc,protected-carveout"
	info --dts ${SECSOC_BOARDS}/tee-protected-not-carveout.dts)
secsoc_cli_case(tee-same-ee 2 "property 'qcom,ee' is 0, the execution environment Linux uses"
	run --dts ${SECSOC_BOARDS}/tee-same-ee.dts)
secsoc_cli_case(tee-ranges-overlap 2 "'memory-region' and 'secsoc,protected-memory' overlap"
	run --dts ${SECSOC_BOARDS}/tee-ranges-overlap.dts)
secsoc_cli_case(spi-edge-falling 2 "node /soc@0/tzc@a000000: property 'interrupts': interrupt specifier <0 50 2>: SPI trigger 2 \\(edge falling\\) is not valid"
	run --dts ${SECSOC_BOARDS}/spi-edge-falling.dts)
secsoc_cli_case(seed-leading-zero-is-decimal 0 "seed: 10\n" run --seed 010)
secsoc_cli_case(seed-hex 0 "seed: 16\n" run --seed 0x10)
secsoc_cli_case(scenarios-help 0 "usage: secsoc scenarios" scenarios --help)
secsoc_cli_case(trace-to-stdout 2 "--trace: '-' would mix it with the report" run --trace -)
secsoc_cli_case(trace-and-vcd-same-file 2 "--trace and --vcd both name 'same.out'"
	run --trace same.out --vcd same.out)
secsoc_cli_case(trace-unwritable 2 "cannot open trace file '/nonexistent-dir/a.json'"
	run --trace /nonexistent-dir/a.json)

# make install: binary, library, headers and pkg-config file usable by others.
# (Sanitizer and fuzz builds' libraries need their runtimes: compile only.)
if(SECSOC_SANITIZE OR SECSOC_FUZZ)
	set(SECSOC_INSTALL_LINK no)
else()
	set(SECSOC_INSTALL_LINK yes)
endif()
add_test(NAME cli/install
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/install.sh ${CMAKE_BINARY_DIR}
		${SECSOC_INSTALL_LINK})

# The BAM and crypto engine nodes.
secsoc_cli_case(bam-window-too-small 2
	"node /soc@0/dma-controller@1dc4000: register window of 0x4000 bytes is too small"
	info --dts ${SECSOC_BOARDS}/bam-window-too-small.dts)
secsoc_cli_case(bam-ee-out-of-range 2
	"node /soc@0/dma-controller@1dc4000: property 'qcom,ee' is 5, but the BAM has 4"
	info --dts ${SECSOC_BOARDS}/bam-ee-out-of-range.dts)
secsoc_cli_case(qce-pipes-not-a-pair 2
	"node /soc@0/crypto@1dfa000: the \"rx\" and \"tx\" channels must be pipes 2k and 2k"
	info --dts ${SECSOC_BOARDS}/qce-pipes-not-a-pair.dts)
secsoc_cli_case(qce-no-rx 2 "node /soc@0/crypto@1dfa000: property 'dma-names' has no \"rx\""
	info --dts ${SECSOC_BOARDS}/qce-no-rx.dts)

# The BAM loopback board and its secsoc,bam-loopback node.
secsoc_cli_case(info-loopback-board 0
	"path: /soc@0/loopback@1dfa000.*model: bam-loopback.*driver_state: bound.*rx_pipe: 4.*attached: yes"
	info --dts ${CMAKE_SOURCE_DIR}/soc/boards/bam-loopback.dts)
secsoc_cli_case(loopback-outside-ce-window 2
	"node /soc@0/loopback@2000000: property 'reg' .* is outside the 16 MiB command-element window"
	info --dts ${SECSOC_BOARDS}/loopback-outside-ce-window.dts)

# Benchmarks: a quick run proves each works and prints its figures; the
# figures themselves are judged by `secsoc bench`, never by a timed test.
secsoc_cli_case(bench-bam-quick 0
	"\"ratio_vs_memcpy\": [0-9.e+-]+,[[:space:]]+\"target\": 0.5"
	bench bam --quick --json)
secsoc_cli_case(bench-dma-quick 0
	"\"board\": \"built-in bam-loopback.dts\",.*\"bytes\": 1048576,.*\"ratio_vs_memcpy\": [0-9.e+-]+,[[:space:]]+\"target\": 0.5,.*\"verified\": true"
	bench dma --quick --json)
secsoc_cli_case(bench-unknown 2 "unknown benchmark 'nope' \\(known: bam, dma, qce\\)" bench nope)
secsoc_cli_case(bench-missing-name 2 "missing the benchmark name" bench --json)
secsoc_cli_case(bench-qce-quick 0
	"\"algorithm\": \"aes-256-xts\",[[:space:]]+\"bytes\": 65536,.*\"ratio_vs_openssl\": [0-9.e+-]+,[[:space:]]+\"target\": 0.9"
	bench qce --quick --json)
secsoc_cli_case(qce-one-dma 2
	"node /soc@0/crypto@1dfa000: property 'dmas' has no entry 1 for the \"tx\" channel"
	info --dts ${SECSOC_BOARDS}/qce-one-dma.dts)
secsoc_cli_case(memory-unaligned 2
	"node /memory@80000000: RAM must start on a 4 KiB boundary for the kernel's memory, not at 0x80000800"
	info --dts ${SECSOC_BOARDS}/memory-unaligned.dts)
