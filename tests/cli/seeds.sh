#!/bin/sh
# seeds.sh - tzc-smoke must pass under every interleaving the strategies
# produce: 100 seeds each of timed, random, and random with delayed
# interrupts. A failure prints the command that reproduces it.
# usage: seeds.sh SECSOC BOARDS_DIR
secsoc=$1
# Each script works in its own directory: ctest runs them in parallel.
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
failed=0
for config in "--strategy timed" "--strategy random" "--strategy random --faults irq-delay:0.3"; do
	seed=0
	while [ $seed -lt 100 ]; do
		# shellcheck disable=SC2086 # $config is a list of options
		if ! "$secsoc" run --scenario tzc-smoke --seed $seed $config > out.txt 2>&1; then
			echo "FAIL: secsoc run --scenario tzc-smoke --seed $seed $config"
			grep -A3 "violations:" out.txt
			failed=$((failed + 1))
		fi
		seed=$((seed + 1))
	done
done
[ $failed -eq 0 ] || { echo "$failed runs failed"; exit 1; }
echo "seeds ok: 300 runs passed"
