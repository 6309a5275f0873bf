#!/bin/sh
# fault_seeds.sh - contention under injected faults (delayed and dropped
# interrupts, descriptor errors, TA crashes while it holds the lock):
# every request completes or fails with an error code, nothing hangs,
# nothing leaks, and every successful output is still right, so every
# seed must pass (exit 0). Prints how many requests failed overall.
# usage: fault_seeds.sh SECSOC BOARDS_DIR
# SECSOC_FAULT_SEEDS sets the seed count (default 100).
secsoc=$1
seeds=${SECSOC_FAULT_SEEDS:-100}
faults="irq-delay:0.05,bam-desc-error:0.01,bam-irq-drop:0.01,ta-crash:0.05"
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
failed=0
errors=0
seed=0
while [ $seed -lt "$seeds" ]; do
	"$secsoc" run --scenario contention --faults "$faults" --seed $seed > out.txt 2>&1
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL (exit $rc): secsoc run --scenario contention --faults $faults --seed $seed"
		grep -A2 "violations:" out.txt || tail -5 out.txt
		failed=$((failed + 1))
	fi
	n=$(sed -n 's/^ *errors: \([0-9]*\)$/\1/p' out.txt | awk '{ s += $1 } END { print s + 0 }')
	errors=$((errors + n))
	seed=$((seed + 1))
done
[ $failed -eq 0 ] || { echo "$failed of $seeds runs failed"; exit 1; }
echo "fault seeds ok: $seeds runs passed; $errors requests completed with an error code"
