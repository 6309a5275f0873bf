#!/bin/sh
# explore.sh - `secsoc explore` on lock-race: the v12 and none lock policies
# give a violation (exit 1) and a counterexample schedule that `secsoc
# replay` reproduces with the same violation, under dfs, bfs (not minimised)
# and sampling (minimised, with the original kept, a step table marking the
# violation's step and a trace); nwd explored at bound 0 is safe and
# complete (exit 0); with --faults the schedule records the spec and its
# fault choices replay too.
# usage: explore.sh SECSOC BOARDS_DIR
set -eu
secsoc=$1
# Each script works in its own directory: ctest runs them in parallel.
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# explore_violates POLICY REGEX [ARGS...]: exit 1, a violation matching REGEX,
# and a schedule whose replay prints the same violation.
explore_violates() {
	policy=$1
	regex=$2
	shift 2
	set +e
	"$secsoc" explore --scenario lock-race --lock-policy "$policy" --out "$policy" "$@" \
		> explore.txt 2>&1
	code=$?
	set -e
	[ $code -eq 1 ] || { cat explore.txt; fail "$policy: exit $code, expected 1"; }
	grep -Eq "$regex" explore.txt || { cat explore.txt; fail "$policy: no '$regex'"; }
	[ -s "$policy/counterexample.schedule" ] || fail "$policy: no counterexample.schedule"
	set +e
	"$secsoc" replay --schedule "$policy/counterexample.schedule" > replay.txt 2>&1
	code=$?
	set -e
	[ $code -eq 1 ] || { cat replay.txt; fail "$policy: replay exit $code, expected 1"; }
	want=$(grep -m1 '^  message:' explore.txt | sed 's/^ *message: //')
	grep -qF -- "message: $want" replay.txt ||
		{ cat replay.txt; fail "$policy: the replay does not print '$want'"; }
	grep -q '^  stopped: violation' replay.txt || fail "$policy: the replay did not stop there"
}

# steps_mark DIR: the step table marks the violation's step, and the trace exists.
steps_mark() {
	step=$(grep -m1 '^  step:' explore.txt | sed 's/^ *step: //')
	grep -Eq "^ *$step .*<-- VIOLATION scenarios/" "$1/counterexample.steps.txt" ||
		{ cat "$1/counterexample.steps.txt"; fail "$1: step $step not marked"; }
	[ -s "$1/counterexample.json" ] || fail "$1: no counterexample.json"
}

explore_violates v12 'invariant [23] '
[ -s v12/counterexample.original.schedule ] || fail "v12: dfs kept no original"
grep -q '^minimised:' explore.txt || { cat explore.txt; fail "v12: dfs not minimised"; }
steps_mark v12
rm -rf v12
explore_violates v12 'invariant [23] ' --strategy bfs
grep -q '^  choices: 17$' explore.txt || { cat explore.txt; fail "v12: bfs not 17 choices"; }
[ ! -e v12/counterexample.original.schedule ] || fail "v12: bfs was minimised"
steps_mark v12
# Fault choices in a counterexample: the header names the spec, replay follows them.
rm -rf v12
explore_violates v12 'invariant [23] ' --strategy bfs --faults bam-irq-drop:0.5
grep -q '^faults bam-irq-drop:0.5$' v12/counterexample.schedule ||
	{ head -12 v12/counterexample.schedule; fail "v12: the schedule does not record the faults"; }
grep -q '^fault [01] 2 bam-irq-drop$' v12/counterexample.schedule ||
	{ cat v12/counterexample.schedule; fail "v12: no fault choice in the counterexample"; }
explore_violates none 'invariant [0-9]+ '
explore_violates none 'invariant [0-9]+ ' --strategy random --runs 200
grep -q '^  deviations_after: ' explore.txt || { cat explore.txt; fail "random: not minimised"; }
steps_mark none
explore_violates none 'invariant [0-9]+ ' --strategy random --runs 200 --no-minimise
grep -q '^minimised:' explore.txt && fail "random: minimised despite --no-minimise"
explore_violates none 'invariant [0-9]+ ' --strategy pct --runs 200

# nwd: every schedule without preemptions, exhaustively, without a violation.
"$secsoc" explore --scenario lock-race --lock-policy nwd --max-preemptions 0 \
	--out nwd > nwd.txt || { cat nwd.txt; fail "nwd: non-zero exit, expected 0"; }
grep -q '^verdict: safe' nwd.txt || { cat nwd.txt; fail "nwd: not safe"; }
grep -q '^complete: yes' nwd.txt || { cat nwd.txt; fail "nwd: not complete"; }
[ ! -e nwd/counterexample.schedule ] || fail "nwd: wrote a counterexample"

# A limit makes the search incomplete, never safe.
"$secsoc" explore --scenario lock-race --lock-policy nwd --max-schedules 5 --json \
	> limit.txt || fail "limited: non-zero exit, expected 0"
grep -q '"verdict": "incomplete"' limit.txt || { cat limit.txt; fail "limited: not incomplete"; }
grep -q 'max-schedules' limit.txt || { cat limit.txt; fail "limited: no reason"; }
echo "explore: ok"
