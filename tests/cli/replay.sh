#!/bin/sh
# replay.sh - a saved schedule replays to the same report and trace; a
# tampered schedule diverges with a message and exit code 1; a malformed one
# is bad input (exit 2).
# usage: replay.sh SECSOC BOARDS_DIR
set -eu
secsoc=$1
# Each script works in its own directory: ctest runs them in parallel.
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

for strategy in timed random; do
	"$secsoc" run --seed 5 --strategy $strategy --faults irq-delay:0.5 \
		--save-schedule r.sched --trace r1.json > run.txt
	"$secsoc" replay --schedule r.sched --trace r2.json > replay.txt
	cmp r1.json r2.json || fail "$strategy: the replay's trace differs from the run's"
	grep -v '^  strategy:' run.txt > run.cmp
	grep -v '^  strategy:' replay.txt > replay.cmp
	diff run.cmp replay.cmp || fail "$strategy: the replay's report differs"
done

# replay_expects EXIT TEXT SCHEDULE [WHAT]: replaying SCHEDULE exits with EXIT
# and says TEXT (a fixed string).
replay_expects() {
	set +e
	"$secsoc" replay --schedule "$3" > out.txt 2>&1
	code=$?
	set -e
	[ $code -eq "$1" ] || { cat out.txt; fail "$3: exit $code, expected $1"; }
	grep -qF -- "$2" out.txt || { cat out.txt; fail "$3: output lacks '$2'"; }
}

# A run cut short by --max-steps replays to the same stop (both exit 1).
set +e
"$secsoc" run --seed 3 --max-steps 4 --save-schedule m.sched > run.txt
run_code=$?
set -e
[ $run_code -eq 1 ] || fail "step-limited run: exit $run_code, expected 1"
replay_expects 1 "stopped: steps" m.sched
grep -q "replay diverged" out.txt && { cat out.txt; fail "faithful replay diverged"; }

# Choices the run never asks for are a divergence too.
n=$(sed -n 's/^choices //p' r.sched)
{ sed "s/^choices .*/choices $((n + 1))/" r.sched; echo "sched 0 2 cpu0"; } > long.sched
replay_expects 1 "never asked for" long.sched

# Tamper with the first sched choice: swap its answer.
awk 'BEGIN { done = 0 } /^sched / && !done { $2 = ($2 == 0 ? 1 : 0); done = 1 } { print }' \
	r.sched > bad.sched
replay_expects 1 "replay diverged" bad.sched

# Malformed files and bad header values are bad input, named with the file.
printf 'secsoc-schedule 1\nversion x\n' > short.sched
replay_expects 2 "short.sched" short.sched
sed 's/^lock-policy .*/lock-policy v99/' r.sched > policy.sched
replay_expects 2 "policy.sched: --lock-policy: unknown policy 'v99'" policy.sched
echo "replay ok"
