#!/bin/sh
# explore_shard.sh - `secsoc explore --shard I/N` and `--merge`: the shards
# of a v12 bfs search exit 0 and write their results; merged they give the
# one-process verdict (exit 1) and counterexample, which replays; nwd shards
# merge into a complete safe verdict (exit 0); a missing shard, a shard given
# twice and a shard of another exploration are errors (exit 2) naming them.
# usage: explore_shard.sh SECSOC BOARDS_DIR
set -eu
secsoc=$1
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# run_code WANT OUTFILE ARGS...: secsoc ARGS, output in OUTFILE, expect exit WANT.
run_code() {
	want=$1
	out=$2
	shift 2
	set +e
	"$secsoc" "$@" > "$out" 2>&1
	code=$?
	set -e
	[ $code -eq "$want" ] || { cat "$out"; fail "$*: exit $code, expected $want"; }
}

v12="--scenario lock-race --lock-policy v12 --strategy bfs"
run_code 1 one.txt explore $v12 --out one
for i in 0 1 2; do
	run_code 0 "shard$i.txt" explore $v12 --shard "$i/3" --out shards
	[ -s "shards/shard-$i-of-3.json" ] || fail "shard $i wrote no result"
done
run_code 1 merged.txt explore --merge shards --out merged
grep -q '^parts: 3$' merged.txt || { cat merged.txt; fail "merge: no 'parts: 3'"; }
cmp one/counterexample.schedule merged/counterexample.schedule ||
	fail "merge: another counterexample than one process"
run_code 1 replay.txt replay --schedule merged/counterexample.schedule
grep -q '^  stopped: violation' replay.txt || { cat replay.txt; fail "merged: no replay"; }

nwd="--scenario lock-race --lock-policy nwd --max-preemptions 0"
run_code 0 nwd0.txt explore $nwd --shard 0/2 --out nwd
run_code 0 nwd1.txt explore $nwd --shard 1/2 --out nwd
run_code 0 nwd.txt explore --merge nwd --json
grep -q '"verdict": "safe"' nwd.txt || { cat nwd.txt; fail "nwd merge: not safe"; }
grep -q '"complete": true' nwd.txt || { cat nwd.txt; fail "nwd merge: not complete"; }

# Errors: a shard missing, given twice, of another exploration.
mkdir dup other
cp shards/shard-0-of-3.json shards/shard-0-of-3.schedule dup/
run_code 2 dup.txt explore --merge shards --merge dup
grep -q 'shard 0 of 3 is given twice' dup.txt || { cat dup.txt; fail "no 'given twice'"; }
cp nwd/shard-1-of-2.json other/shard-1-of-3.json
sed -i 's/"shards": 2/"shards": 3/' other/shard-1-of-3.json
rm shards/shard-1-of-3.json
run_code 2 missing.txt explore --merge shards
grep -q '1 of 3 shards missing: 1$' missing.txt || { cat missing.txt; fail "no missing shard"; }
run_code 2 other.txt explore --merge shards --merge other
grep -q 'shard of another exploration' other.txt || { cat other.txt; fail "no other exploration"; }
echo "explore_shard: ok"
