#!/bin/sh
# explore_jobs.sh - `secsoc explore --jobs 2` against one process: v12 gives
# the same verdict (exit 1) and byte for byte the same counterexample under
# bfs and dfs; nwd explored at bound 0 is safe and complete in both, with
# the union of the workers' states reported.
# usage: explore_jobs.sh SECSOC BOARDS_DIR
set -eu
secsoc=$1
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# explore_code WANT DIR ARGS...: run into DIR, the summary in DIR.txt, expect exit WANT.
explore_code() {
	want=$1
	dir=$2
	shift 2
	set +e
	"$secsoc" explore --scenario lock-race --out "$dir" "$@" > "$dir.txt" 2>&1
	code=$?
	set -e
	[ $code -eq "$want" ] || { cat "$dir.txt"; fail "$dir: exit $code, expected $want"; }
}

for strategy in bfs dfs; do
	explore_code 1 "v12-$strategy-1" --lock-policy v12 --strategy "$strategy" --jobs 1
	explore_code 1 "v12-$strategy-2" --lock-policy v12 --strategy "$strategy" --jobs 2
	grep -q '^parts: 2$' "v12-$strategy-2.txt" ||
		{ cat "v12-$strategy-2.txt"; fail "$strategy: no 'parts: 2'"; }
	cmp "v12-$strategy-1/counterexample.schedule" "v12-$strategy-2/counterexample.schedule" ||
		fail "$strategy: --jobs 2 saved another counterexample than --jobs 1"
done

for jobs in 1 2; do
	explore_code 0 "nwd-$jobs" --lock-policy nwd --max-preemptions 0 --jobs "$jobs"
	grep -q '^verdict: safe$' "nwd-$jobs.txt" || { cat "nwd-$jobs.txt"; fail "nwd $jobs: not safe"; }
	grep -q '^complete: yes$' "nwd-$jobs.txt" ||
		{ cat "nwd-$jobs.txt"; fail "nwd $jobs: not complete"; }
done
grep -q '^unique_states_of_parts: union$' nwd-2.txt || { cat nwd-2.txt; fail "nwd: no union"; }
echo "explore_jobs: ok"
