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
secsoc_cli_case(run-json 0 "\"verdict\": \"PASS\"" run --json --seed 3)
secsoc_cli_case(run-random 0 "strategy: random" run --strategy random --seed 11)
secsoc_cli_case(run-pct 0 "strategy: pct" run --strategy pct --pct-depth 2 --seed 3 --scenario lock-race)
secsoc_cli_case(run-determinism 0 "byte-identical traces" run --seed 7 --check-determinism)
secsoc_cli_case(run-faults 0 "site=irq-delay probability=1 fired=[1-9]" run --faults irq-delay:1)
secsoc_cli_case(run-dts 0 "verdict: PASS" run --dts ${CMAKE_SOURCE_DIR}/soc/secsoc.dts)
secsoc_cli_case(run-dtb 0 "verdict: PASS" run --dtb ${CMAKE_BINARY_DIR}/secsoc.dtb)
secsoc_cli_case(scenarios 0 "^secure-playback +the secure video path.*tzc-smoke +the secure world" scenarios)
secsoc_cli_case(info 0 "model: tzc400" info)
secsoc_cli_case(info-no-model 0 "path: /soc@0/watchdog@17c10000.*model: no model yet"
	info --dts ${SECSOC_BOARDS}/unmodelled-node.dts)
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
secsoc_cli_case(unknown-scenario 2 "unknown scenario 'nope' \\(known: secure-playback, tzc-smoke"
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
secsoc_cli_case(bad-strategy-explore 2 "unknown strategy .explore.*to explore" run --strategy explore)
secsoc_cli_case(bad-pct-depth-zero 2 "--pct-depth: 0 is not a bug depth" run --strategy pct --pct-depth 0)
secsoc_cli_case(bad-pct-depth-large 2 "--pct-depth: 17 is out of range" run --strategy pct --pct-depth 17)
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
secsoc_cli_script(explore)
secsoc_cli_script(explore_jobs)
secsoc_cli_script(explore_shard)

# secsoc explore: a quick exhaustive run, and bad input.
secsoc_cli_case(explore-nwd-abstract 0 "verdict: safe.*state_key: abstract.*complete: yes"
	explore --scenario lock-race --lock-policy nwd --max-preemptions 0 --state-key abstract)
secsoc_cli_case(explore-help 0 "usage: secsoc explore.*dfs.bfs.*--no-minimise.*--max-faults F"
	explore --help)
secsoc_cli_case(explore-bad-shard 2 "--shard: '3/3' is not I/N"
	explore --scenario lock-race --shard 3/3)
secsoc_cli_case(explore-jobs-and-shard 2 "--jobs and --shard exclude each other"
	explore --scenario lock-race --jobs 2 --shard 0/2)
secsoc_cli_case(explore-jobs-sampling 2 "--jobs and --shard take --strategy dfs or bfs"
	explore --scenario lock-race --strategy random --jobs 2)
secsoc_cli_case(explore-merge-no-dir 2 "--merge: cannot read directory '/nonexistent'"
	explore --merge /nonexistent)
secsoc_cli_case(explore-merge-with-scenario 2 "--merge takes only --out and --json"
	explore --merge . --scenario lock-race)
secsoc_cli_case(explore-no-scenario 2 "--scenario NAME is required" explore)
secsoc_cli_case(explore-unknown-scenario 2 "nosuch" explore --scenario nosuch)
secsoc_cli_case(explore-bad-number 2 "--max-preemptions: 'x' is not a number"
	explore --scenario lock-race --max-preemptions x)
secsoc_cli_case(explore-bound-too-large 2 "--max-preemptions: 65 is out of range"
	explore --scenario lock-race --max-preemptions 65)
secsoc_cli_case(explore-zero-runs 2 "--runs: 0 is not a limit"
	explore --scenario lock-race --strategy random --runs 0)
secsoc_cli_case(explore-zero-frontier 2 "--max-frontier: 0 is not a limit"
	explore --scenario lock-race --strategy bfs --max-frontier 0)
secsoc_cli_case(explore-zero-minimise-runs 2 "--minimise-runs: 0 is not a limit"
	explore --scenario lock-race --minimise-runs 0)
secsoc_cli_case(explore-bad-policy 2 "lock" explore --scenario lock-race --lock-policy maybe)
secsoc_cli_case(explore-out-not-writable 2 "--out: cannot create directory '/proc/secsoc-x'"
	explore --scenario lock-race --out /proc/secsoc-x)
secsoc_cli_case(explore-out-is-file 2 "--out: '/dev/null' is not a directory"
	explore --scenario lock-race --out /dev/null)
secsoc_cli_case(explore-bad-faults 2 "--faults: .*unknown fault site 'nosuch'"
	explore --scenario lock-race --faults nosuch:1)
secsoc_cli_case(explore-max-faults-too-large 2 "--max-faults: 65 is out of range"
	explore --scenario lock-race --faults bam-irq-drop:0.5 --max-faults 65)
# Faults as choice points: nwd stays safe when any one BAM interrupt is lost
# (every schedule without preemptions; about 23000 schedules, 12 s).
secsoc_cli_case(explore-nwd-irq-drop 0
	"bam-irq-drop:0.5.*verdict: safe.*max_faults: 1.*schedules_with_faults: [1-9].*complete: yes"
	explore --scenario lock-race --lock-policy nwd --faults bam-irq-drop:0.5
	--max-preemptions 0 --max-faults 1)
# ... and when any one descriptor fails (about 9300 schedules, 5 s). This
# found a real bug: Linux's pipe, halted on the error, kept the BAM lock
# because terminate_all reset only pipes with descriptors still queued.
secsoc_cli_case(explore-nwd-desc-error 0 "verdict: safe.*complete: yes"
	explore --scenario lock-race --lock-policy nwd --faults bam-desc-error:0.5
	--max-preemptions 0 --max-faults 1)

# tzc-smoke under every TZC ACTION: the expected aborts follow ACTION.
secsoc_cli_case(tzc-action-okay 0 "cpu0_external_aborts: 0.*cpu1_external_aborts: 1.*PASS"
	run --scenario tzc-smoke --dts ${SECSOC_BOARDS}/tzc-action-0.dts)
secsoc_cli_case(tzc-action-decerr 0 "cpu0_external_aborts: 1.*cpu1_external_aborts: 2.*PASS"
	run --scenario tzc-smoke --dts ${SECSOC_BOARDS}/tzc-action-1.dts)
secsoc_cli_case(tzc-action-okay-int 0 "cpu0_external_aborts: 0.*tzc_failures:.*- filter=0.*PASS"
	run --scenario tzc-smoke --dts ${SECSOC_BOARDS}/tzc-action-2.dts)
secsoc_cli_case(tzc-action-bad 2 "node /firmware/tee: property 'secsoc,tzc-action' is 7"
	run --dts ${SECSOC_BOARDS}/tzc-action-bad.dts)
secsoc_cli_case(protected-access-bad 2
	"node /firmware/tee: property 'secsoc,protected-access' entry 0 is <16 1>"
	run --dts ${SECSOC_BOARDS}/protected-access-bad.dts)
secsoc_cli_case(protected-access-odd 2
	"node /firmware/tee: property 'secsoc,protected-access' must be <nsaid access> pairs"
	run --dts ${SECSOC_BOARDS}/protected-access-odd.dts)

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
	run --scenario tzc-smoke --seed 1)

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
# Found by fuzz_board: a huge qcom,num-ees used to reach a shift by the TEE's EE.
secsoc_cli_case(bam-num-ees-too-large 2
	"node /soc@0/dma-controller@1dc4000: property 'qcom,num-ees' is 600. a BAM has 1..8"
	info --dts ${SECSOC_BOARDS}/bam-num-ees-too-large.dts)
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
secsoc_cli_case(bench-playback-quick 0
	"\"contention_off\": \\{[[:space:]]+\"frames_shown\": 4,[[:space:]]+\"fps_modelled\": [0-9.e+-]+.*\"contention_on\": \\{[[:space:]]+\"frames_shown\": 4"
	bench playback --quick --json)
secsoc_cli_case(bench-explore-quick 0
	"\"explorer\": \\{.*\"unique_states\": [0-9]+,.*\"exhaustive_nwd\": \\{.*\"target_s\": 60"
	bench explore --quick --json)
secsoc_cli_case(bench-unknown 2 "unknown benchmark 'nope' \\(known: bam, crypt, dma, explore, playback, qce\\)" bench nope)
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

# secsoc crypt and dgst: every bad input is refused before the machine boots
# (exit 2, the message names the option and what is wrong).
set(SECSOC_K128 00112233445566778899aabbccddeeff)
set(SECSOC_K256 ${SECSOC_K128}ffeeddccbbaa99887766554433221100)
set(SECSOC_IV 000102030405060708090a0b0c0d0e0f)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/crypt-17-bytes.bin "0123456789abcdefX")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/crypt-20-bytes.bin "0123456789abcdefWXYZ")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/crypt-abc.txt "abc")
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/crypt-empty.bin "")
string(REPEAT "00" 1025 SECSOC_HMAC_KEY_TOO_LONG)
set(SECSOC_CBC crypt -c cbc\(aes\) -k ${SECSOC_K128} -i ${SECSOC_IV})
secsoc_cli_case(crypt-help 0 "usage: secsoc crypt -c ALG -k HEXKEY" crypt --help)
secsoc_cli_case(crypt-no-alg 2
	"-c ALG is required \\(supported: cbc\\(aes\\), ctr\\(aes\\), xts\\(aes\\), ecb\\(aes\\)\\)"
	crypt -k ${SECSOC_K128} -e)
secsoc_cli_case(crypt-unsupported-alg 2
	"-c: unsupported algorithm 'aes-128-cbc' \\(supported: cbc\\(aes\\), ctr\\(aes\\), xts\\(aes\\), ecb\\(aes\\)\\)"
	crypt -c aes-128-cbc -k ${SECSOC_K128} -e)
secsoc_cli_case(crypt-hash-alg 2 "-c: unsupported algorithm 'sha256' \\(supported: cbc\\(aes\\)"
	crypt -c sha256 -k ${SECSOC_K128} -e)
secsoc_cli_case(crypt-no-key 2 "-k HEXKEY is required for cbc\\(aes\\)"
	crypt -c cbc\(aes\) -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-key-bad-hex 2 "-k: character 5 \\('x'\\) is not a hex digit"
	crypt -c cbc\(aes\) -k 0011x233445566778899aabbccddeeff -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-key-odd-hex 2 "-k: odd number of hex digits \\(31\\)"
	crypt -c cbc\(aes\) -k 0011223344556677889aabbccddeeff -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-key-aes192 2
	"-k: the key is 24 bytes. cbc\\(aes\\) takes 16 or 32 bytes \\(32 or 64 hex digits\\)"
	crypt -c cbc\(aes\) -k ${SECSOC_K128}0011223344556677 -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-key-too-long 2 "-k: 65 bytes is too long \\(at most 64\\)"
	crypt -c ecb\(aes\) -k ${SECSOC_K256}${SECSOC_K256}00 -e)
secsoc_cli_case(crypt-key-empty 2 "-k: the key is 0 bytes. ecb\\(aes\\) takes 16 or 32 bytes"
	crypt -c ecb\(aes\) --key= -e)
secsoc_cli_case(crypt-xts-key-length 2
	"-k: the key is 16 bytes. xts\\(aes\\) takes 32 or 64 bytes \\(64 or 128 hex digits\\)"
	crypt -c xts\(aes\) -k ${SECSOC_K128} -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-xts-equal-halves 2
	"-k: the two halves of the xts\\(aes\\) key are equal. XTS needs two different keys"
	crypt -c xts\(aes\) -k ${SECSOC_K128}${SECSOC_K128} -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-no-iv 2 "-i HEXIV is required for ctr\\(aes\\) \\(16 bytes, 32 hex digits\\)"
	crypt -c ctr\(aes\) -k ${SECSOC_K128} -e)
secsoc_cli_case(crypt-iv-length 2 "-i: the IV is 8 bytes. xts\\(aes\\) takes 16 \\(32 hex digits\\)"
	crypt -c xts\(aes\) -k ${SECSOC_K256} -i 0001020304050607 -e)
secsoc_cli_case(crypt-iv-bad-hex 2 "-i: character 32 \\('G'\\) is not a hex digit"
	crypt -c cbc\(aes\) -k ${SECSOC_K128} -i 000102030405060708090a0b0c0d0e0G -e)
secsoc_cli_case(crypt-ecb-refuses-iv 2 "-i: ecb\\(aes\\) takes no IV"
	crypt -c ecb\(aes\) -k ${SECSOC_K128} -i ${SECSOC_IV} -e)
secsoc_cli_case(crypt-no-direction 2 "exactly one of -e \\(encrypt\\) and -d \\(decrypt\\) is required"
	${SECSOC_CBC})
secsoc_cli_case(crypt-both-directions 2 "exactly one of -e \\(encrypt\\) and -d \\(decrypt\\)"
	${SECSOC_CBC} -e -d)
secsoc_cli_case(crypt-request-size-not-multiple 2
	"--request-size: 100 is not a positive multiple of 16 up to 65536"
	${SECSOC_CBC} -e --request-size 100)
secsoc_cli_case(crypt-request-size-zero 2 "--request-size: 0 is not a positive multiple of 16"
	${SECSOC_CBC} -e --request-size 0)
secsoc_cli_case(crypt-request-size-too-big 2 "--request-size: 65552 is not a positive multiple of 16 up to 65536"
	${SECSOC_CBC} -e --request-size 65552)
secsoc_cli_case(crypt-request-size-not-a-number 2 "--request-size: '64k' is not a number"
	${SECSOC_CBC} -e --request-size 64k)
secsoc_cli_case(crypt-cbc-length 2
	"the input is 17 bytes, not a multiple of 16 \\(the AES block size\\), which cbc\\(aes\\) needs: crypt adds no padding"
	${SECSOC_CBC} -e --in crypt-17-bytes.bin)
secsoc_cli_case(crypt-ecb-length 2 "the input is 17 bytes, not a multiple of 16 .*ecb\\(aes\\)"
	crypt -c ecb\(aes\) -k ${SECSOC_K128} -d --in crypt-17-bytes.bin)
secsoc_cli_case(crypt-xts-short-unit 2
	"the input is 20 bytes, so its last xts\\(aes\\) data unit .*--request-size of 16\\) is 4 bytes. XTS needs at least 16"
	crypt -c xts\(aes\) -k ${SECSOC_K256} -i ${SECSOC_IV} -e --request-size 16
	--in crypt-20-bytes.bin)
secsoc_cli_case(crypt-xts-less-than-a-block 2
	"the input is 3 bytes, so its last xts\\(aes\\) data unit .* is 3 bytes"
	crypt -c xts\(aes\) -k ${SECSOC_K256} -i ${SECSOC_IV} -d --in crypt-abc.txt)
secsoc_cli_case(crypt-in-missing 2 "--in: cannot open 'no-such.bin': No such file"
	${SECSOC_CBC} -e --in no-such.bin)
secsoc_cli_case(crypt-key-needs-value 2 "option '-k' needs a value" crypt -c cbc\(aes\) -k)
secsoc_cli_case(crypt-stray-argument 2 "unexpected argument 'file.bin'" ${SECSOC_CBC} -e file.bin)
secsoc_cli_case(crypt-bad-lock-policy 2 "--lock-policy: unknown policy 'v13'"
	${SECSOC_CBC} -e --lock-policy v13)
secsoc_cli_case(crypt-bad-seed 2 "--seed: 'x' is not a number" ${SECSOC_CBC} -e --seed x)
secsoc_cli_case(crypt-dtb-and-dts 2 "--dtb and --dts are mutually exclusive"
	${SECSOC_CBC} -e --dtb a.dtb --dts a.dts)
secsoc_cli_case(crypt-board-without-qce 2
	"bam-loopback.dts: the board has no crypto engine \\(no enabled qcom,qce node\\), which cbc-aes-qce needs"
	${SECSOC_CBC} -e --in crypt-empty.bin --dts ${CMAKE_SOURCE_DIR}/soc/boards/bam-loopback.dts)
secsoc_cli_case(dgst-help 0 "usage: secsoc dgst -c sha256\\|sha1\\|hmac\\(sha256\\)\\|hmac\\(sha1\\)"
	dgst --help)
secsoc_cli_case(dgst-no-alg 2
	"-c ALG is required \\(supported: sha256, sha1, hmac\\(sha256\\), hmac\\(sha1\\)\\)" dgst)
secsoc_cli_case(dgst-unsupported-alg 2
	"-c: unsupported algorithm 'sha512' \\(supported: sha256, sha1, hmac\\(sha256\\), hmac\\(sha1\\)\\)"
	dgst -c sha512)
secsoc_cli_case(dgst-cipher-alg 2 "-c: unsupported algorithm 'cbc\\(aes\\)' \\(supported: sha256"
	dgst -c cbc\(aes\))
secsoc_cli_case(dgst-key-for-plain-hash 2 "-k: sha1 takes no key \\(only hmac\\(...\\) does\\)"
	dgst -c sha1 -k 00)
secsoc_cli_case(dgst-hmac-without-key 2 "-k HEXKEY is required for hmac\\(sha256\\)"
	dgst -c hmac\(sha256\))
secsoc_cli_case(dgst-hmac-key-bad-hex 2 "-k: character 1 \\('-'\\) is not a hex digit"
	dgst -c hmac\(sha1\) -k -1)
secsoc_cli_case(dgst-hmac-key-too-long 2 "-k: 1025 bytes is too long \\(at most 1024\\)"
	dgst -c hmac\(sha1\) -k ${SECSOC_HMAC_KEY_TOO_LONG})
secsoc_cli_case(dgst-refuses-iv 2 "unknown or incomplete option '-i'" dgst -c sha1 -i 00)
secsoc_cli_case(dgst-refuses-direction 2 "unknown or incomplete option '-e'" dgst -c sha1 -e)
secsoc_cli_case(dgst-refuses-out 2 "unknown or incomplete option '--out'" dgst -c sha1 --out x)
secsoc_cli_case(dgst-request-size 2 "--request-size: 8 is not a positive multiple of 16"
	dgst -c sha1 --request-size 8)

# Good runs: known answers, empty input, the JSON report.
secsoc_cli_case(dgst-sha256-abc 0 "^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\n$"
	dgst -c sha256 --in crypt-abc.txt)
secsoc_cli_case(dgst-sha1-abc 0 "^a9993e364706816aba3e25717850c26c9cd0d89d\n$"
	dgst -c sha1 --in crypt-abc.txt)
secsoc_cli_case(dgst-sha256-empty 0 "^e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n$"
	dgst -c sha256 --in crypt-empty.bin)
secsoc_cli_case(dgst-hmac-empty-key 0 "^fd7adb152c05ef80dccf50a1fa4c05d5a3ec6da95575fc312ae7c5d091836351\n$"
	dgst -c hmac\(sha256\) --key= --in crypt-abc.txt)
secsoc_cli_case(crypt-empty-input 0 "^\n$" ${SECSOC_CBC} -e --in crypt-empty.bin)
secsoc_cli_case(crypt-json 0
	"\"algorithm\": \"ctr\\(aes\\)\",.*\"driver\": \"ctr-aes-qce\",.*\"bytes\": 3,.*\"requests\": 1,.*\"lock_policy\": \"none\",.*\"violations\": \\[\\],.*\"verdict\": \"PASS\""
	crypt -c ctr\(aes\) -k ${SECSOC_K256} -i ${SECSOC_IV} -e --in crypt-abc.txt --out ctr.bin
	--lock-policy none --json)
secsoc_cli_case(dgst-json 0
	"\"command\": \"dgst\",.*\"driver\": \"hmac-sha1-qce\",.*\"requests\": 4,.*\"verdict\": \"PASS\""
	dgst -c hmac\(sha1\) -k 0102 --in crypt-20-bytes.bin --request-size 16 --json)

# The invariants are checked as in the scenarios: v12 releases the pipe lock
# while the operation still runs (invariant 3); with policy none the TA
# writes the engine's registers under Linux's operation (invariant 2).
string(REPEAT "0123456789abcdef" 4096 SECSOC_64K)
file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/crypt-64k.bin "${SECSOC_64K}")
secsoc_cli_case(crypt-v12-breaks-invariant-3 1
	"invariant violated at step [0-9]+ .*invariant 3 \\(no UNLOCK while the locking EE's operation is in flight\\).*secsoc: error: cbc-aes-qce request 0 \\(bytes 0..65535\\) failed"
	${SECSOC_CBC} -e --in crypt-64k.bin --out v12.bin --lock-policy v12)
secsoc_cli_case(crypt-tee-load-none-breaks-invariant-2 1
	"invariant 2 \\(no QCE configuration write from one EE while the engine runs another's operation\\)"
	${SECSOC_CBC} -e --in crypt-64k.bin --out none.bin --lock-policy none --tee-load)
secsoc_cli_case(crypt-tee-load-json 0
	"\"tee_load\": \\{[^}]*\"enabled\": true,[^}]*\"samples\": [1-9][0-9]*,[^}]*\"errors\": 0.*\"verdict\": \"PASS\""
	${SECSOC_CBC} -e --in crypt-64k.bin --out nwd.bin --tee-load --json)

# The default board without its secure world: no secsoc,tee node, no TZC (nobody
# would program it) and a BAM that Linux resets itself. crypt works on it;
# --tee-load names what it lacks.
add_test(NAME cli/crypt-without-secure-world
	COMMAND sh -c "sed -e 's/\"secsoc,tee\";/\"secsoc,tee\"; status = \"disabled\";/' \
		-e 's/\"arm,tzc400\";/\"arm,tzc400\"; status = \"disabled\";/' \
		-e '/qcom,controlled-remotely;/d' '${CMAKE_SOURCE_DIR}/soc/secsoc.dts' > no-tee.dts &&
		'$<TARGET_FILE:secsoc-bin>' crypt -c 'cbc(aes)' -k ${SECSOC_K128} -i ${SECSOC_IV} -e \
			--in crypt-64k.bin --dts no-tee.dts > no-tee.bin &&
		openssl enc -aes-128-cbc -nopad -K ${SECSOC_K128} -iv ${SECSOC_IV} \
			-in crypt-64k.bin | cmp - no-tee.bin &&
		'${SECSOC_CLI_EXPECT}' 2 'no-tee.dts: the DRM workload needs a secure world' \
			'$<TARGET_FILE:secsoc-bin>' crypt -c 'cbc(aes)' -k ${SECSOC_K128} \
			-i ${SECSOC_IV} -e --in crypt-64k.bin --dts no-tee.dts --tee-load"
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# secsoc crypt and dgst against OpenSSL on random inputs of 0 bytes to 1 MiB
# (and, with --tee-load, while the DRM TA competes for the engine).
add_test(NAME cli/crypt-vs-openssl
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/crypt_vs_openssl.sh $<TARGET_FILE:secsoc-bin>
		$<TARGET_FILE:xts_ref>
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
add_test(NAME cli/crypt-vs-openssl-tee-load
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/cli/crypt_vs_openssl.sh $<TARGET_FILE:secsoc-bin>
		$<TARGET_FILE:xts_ref> --tee-load
	WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})

# ---- The crypto scenarios (scenarios/, docs/scenarios.md) ----
# Each runs to the end with every invariant checked and reports per EE.
secsoc_cli_case(scenario-disk-crypt 0
	"driver: xts-aes-qce.*sectors_verified: 64.*linux:.*requests: 128.*latency_p99_ns: [1-9].*kmem_objects: 0.*verdict: PASS"
	run --scenario disk-crypt)
secsoc_cli_case(scenario-drm-decrypt 0
	"samples_verified: 32.*samples_wrong: 0.*normal_output_refused_with: 0xffff000f.*tee:.*requests: 32.*tee_sessions: 0.*verdict: PASS"
	run --scenario drm-decrypt)
secsoc_cli_case(scenario-contention 0
	"reached=[1-9][0-9]* evaluated=[0-9]+ goal=\"bam: EE 1 waited while EE 0 held the lock\".*reached=[1-9][0-9]* evaluated=[0-9]+ goal=\"bam: EE 0 waited while EE 1 held the lock\".*reached=[1-9][0-9]* evaluated=[0-9]+ goal=\"Linux issued while the TA was mid-operation\".*lock_linux:.*waits: [1-9].*lock_tee:.*waits: [1-9].*verdict: PASS"
	run --scenario contention)
secsoc_cli_case(scenario-lock-race 0 "sectors_verified: 1.*samples_verified: 1.*verdict: PASS"
	run --scenario lock-race)
secsoc_cli_case(scenario-contention-json 0
	"\"per_ee\": \\{[[:space:]]+\"linux\": \\{.*\"throughput_mbps\": [0-9.]+.*\"tee\": \\{.*\"verdict\": \"PASS\""
	run --scenario contention --json)
secsoc_cli_case(scenario-contention-determinism 0 "byte-identical traces"
	run --scenario contention --seed 5 --check-determinism)
# The policies the reviewers rejected are caught, naming the invariant.
secsoc_cli_case(scenario-contention-none 1
	"invariant 2 \\(no QCE configuration write from one EE while the engine runs another's operation\\).*verdict: FAIL"
	run --scenario contention --lock-policy none)
secsoc_cli_case(scenario-disk-crypt-v12 1
	"invariant 3 \\(no UNLOCK while the locking EE's operation is in flight\\).*verdict: FAIL"
	run --scenario disk-crypt --lock-policy v12)
secsoc_cli_case(scenario-lock-race-v12 1 "invariant 3 .*verdict: FAIL"
	run --scenario lock-race --lock-policy v12)
# Boards that lack a part: exit 2 naming it.
secsoc_cli_case(scenario-disk-crypt-needs-qce 2 "needs a crypto engine fed by a BAM"
	run --scenario disk-crypt --dts ${SECSOC_BOARDS}/no-secure-world.dts)
secsoc_cli_case(scenario-contention-needs-secure-world 2 "needs a secure world"
	run --scenario contention --dts ${SECSOC_BOARDS}/no-secure-world.dts)
# Many seeds: the lock policies (nwd passes every seed with every goal,
# none is caught on most, v12 is counted) and faults (every seed passes).
# 100 seeds per policy take seconds, also in sanitizer builds.
secsoc_cli_script(policy_seeds)
secsoc_cli_script(fault_seeds)

# ---- The SDP regression (scenarios/sdp.c, docs/scenarios.md "sdp") ----
# OP-TEE xtest 1014: 10 verified loops, the out-of-bounds memrefs refused by
# the driver before the TA, everything released.
secsoc_cli_case(scenario-sdp 0
	"loops_verified: 10.*case=\"offset \\+ length wraps\" offset=0x2 len=0xffffffffffffffff expected=\"TEE_ERROR_BAD_PARAMETERS\\|GENERIC, not from trusted_app\" ret=TEE_ERROR_BAD_PARAMETERS ret_code=0xffff0006 origin=api sent_to_tee=no ta_invocations=0 as_expected=yes.*inject: 11.*protmem_windows: 0.*verdict: PASS"
	run --scenario sdp)
secsoc_cli_case(scenario-sdp-json 0
	"\"out_of_bounds\": \\[.*\"case\": \"last byte\".*\"ret\": \"TEE_SUCCESS\".*\"origin\": \"trusted_app\".*\"ret\": \"TEE_ERROR_BAD_PARAMETERS\".*\"origin\": \"api\".*\"verdict\": \"PASS\""
	run --scenario sdp --json)
secsoc_cli_case(scenario-sdp-determinism 0 "byte-identical traces"
	run --scenario sdp --seed 5 --check-determinism)
secsoc_cli_case(scenario-sdp-random 0 "strategy: random.*loops_verified: 10.*verdict: PASS"
	run --scenario sdp --strategy random --seed 9)
secsoc_cli_case(scenario-sdp-needs-secure-world 2 "needs a secure world"
	run --scenario sdp --dts ${SECSOC_BOARDS}/no-secure-world.dts)

# ---- The protected-memory security matrix (scenarios/heap_security*.c,
# docs/heaps.md "Security matrix") ----
# Every attack path as expected; the TZC's ACTION decides whether a denial
# aborts a CPU and halts a BAM pipe, or reads zeros and drops writes.
secsoc_cli_case(scenario-heap-security 0
	"paths_as_expected: 35.*- path=cpu-read attack=[^=]*mechanism=TZC expected=\"denied, zeros read, external abort\" observed=\"denied, zeros read, external abort\" verdict=as-expected.*- path=bam-pipe-write attack=[^=]*mechanism=TZC expected=[^=]*observed=\"denied, pipe error \\(bus error\\), pipe reset, secret intact\" verdict=as-expected.*expected_aborts: 2.*dma_bufs: 0.*protmem_windows: 0.*verdict: PASS"
	run --scenario heap-security)
secsoc_cli_case(scenario-heap-security-json 0
	"\"matrix\": \\[.*\"path\": \"reuse-into-system\",.*\"observed\": \"scrubbed on release, normal again, reused by system, zeros read\",[[:space:]]+\"verdict\": \"as-expected\".*\"path\": \"smc-assign-wrap\",.*\"observed\": \"TEE_ERROR_BAD_PARAMETERS, nothing changed\".*\"verdict\": \"PASS\""
	run --scenario heap-security --json)
secsoc_cli_case(scenario-heap-security-determinism 0 "byte-identical traces"
	run --scenario heap-security --seed 5 --check-determinism)
secsoc_cli_case(scenario-heap-security-random 0 "strategy: random.*paths_as_expected: 35.*verdict: PASS"
	run --scenario heap-security --strategy random --seed 9)
secsoc_cli_case(scenario-heap-security-tzc-okay 0
	"observed=\"denied, zeros read, no abort\".*observed=\"denied, write dropped, pipe reset, secret intact\".*external_aborts: 0.*verdict: PASS"
	run --scenario heap-security --dts ${SECSOC_BOARDS}/tzc-action-0.dts)
secsoc_cli_case(scenario-heap-security-needs-pipe-locking 2 "needs the DRM TA, which needs a BAM with pipe locking"
	run --scenario heap-security --dts ${SECSOC_BOARDS}/bam-v1.3.dts)
secsoc_cli_case(scenario-heap-security-needs-secure-world 2 "needs a secure world"
	run --scenario heap-security --dts ${SECSOC_BOARDS}/no-secure-world.dts)

# secure-playback: the default scenario; the lock policy none breaks it,
# --png writes what the display showed, and needs a scenario that shows frames.
secsoc_cli_case(playback-default 0 "scenario: secure-playback.*frames_shown: 24.*crc_mismatches: 0.*verdict: PASS"
	run)
secsoc_cli_case(playback-none 1 "violations:.*invariant [1-6].*verdict: FAIL"
	run --lock-policy none)
secsoc_cli_case(playback-png 0 "png_written: 24"
	run --png ${CMAKE_BINARY_DIR}/playback-png)
secsoc_cli_case(playback-png-elsewhere 2 "--png: scenario contention shows no frames"
	run --scenario contention --png ${CMAKE_BINARY_DIR})
secsoc_cli_case(playback-no-gpu 2 "secure playback needs a GPU"
	run --dts ${SECSOC_BOARDS}/disabled-display-gpu.dts)
secsoc_cli_case(playback-no-secure-world 2 "needs a secure world"
	run --dts ${SECSOC_BOARDS}/no-secure-world.dts)
# Faults in the video path: a frame in flight may be dropped (a TA crash, a
# GPU that never acknowledges protected mode and is reset), never shown wrong.
secsoc_cli_case(playback-faults 0 "site=ta-crash probability=0.001 fired=[1-9].*site=gpu-protm-ack-drop probability=0.2 fired=[1-9].*crc_mismatches: 0.*resets: [1-9].*verdict: PASS"
	run --seed 5 --faults gpu-protm-ack-drop:0.2,ta-crash:0.001)
# Bad input of the video path: exit 2 naming the node and property, or the directory.
secsoc_cli_case(gpu-bad-protected-nsaid 2 "node /soc@0/gpu@3d00000: property 'secsoc,protected-nsaid' is 16. an NSAID is 0..15"
	run --dts ${SECSOC_BOARDS}/gpu-bad-nsaid.dts)
secsoc_cli_case(display-bad-refresh 2 "node /soc@0/display@ae00000: property 'secsoc,refresh-hz' is 0. it must be 1..1000"
	run --dts ${SECSOC_BOARDS}/display-bad-refresh.dts)
secsoc_cli_case(playback-png-not-a-directory 2 "PNG directory .*/cases.cmake: not a directory"
	run --png ${CMAKE_CURRENT_SOURCE_DIR}/cli/cases.cmake)
