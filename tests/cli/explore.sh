#!/bin/sh
# explore.sh - `secsoc explore` on lock-race: the v12 and none lock policies
# give a violation (exit 1) and a counterexample schedule that `secsoc
# replay` reproduces with the same violation; nwd explored at bound 0 is
# safe and complete (exit 0).
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

explore_violates v12 'invariant [23] '
explore_violates none 'invariant [0-9]+ '
explore_violates none 'invariant [0-9]+ ' --strategy random --runs 200
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
