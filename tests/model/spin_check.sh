#!/bin/sh
# spin_check.sh - SPIN checks model/bam_lock.pml against model/expected.txt:
# for each line, the verdict of a full search (pan -DSAFETY), and for an
# unsafe configuration the shortest counterexample (pan -DBFS), its length
# and the invariant its replay (spin -t -p) names. A safe configuration
# must also have the recorded number of states and no truncated search.
# Without spin the test is skipped (exit 77, CTest's SKIP_RETURN_CODE).
# usage: spin_check.sh MODEL.pml EXPECTED.txt
set -eu
model=$1
expected=$2

. "$(dirname "$0")/spin_env.sh"
cp "$expected" "$work/expected.txt"
cd "$work"
fail() { echo "FAIL: $*"; }

# build DEFS PAN-FLAGS: generate pan.c for the configuration and compile it.
# -DNOREDUCE: every reachable state is stored (the explorer's state hashing
# reduces nothing either) and BFS stays exact.
build() {
	spin $1 -a bam_lock.pml > spin.out 2>&1 || { cat spin.out; return 1; }
	"$cc" -O2 -DSAFETY -DNOREDUCE $2 -o pan pan.c
}

# search: run pan with a depth limit far beyond any trail (-m), into pan.out.
search() {
	rm -f bam_lock.pml.trail
	./pan -m1000000 -w22 > pan.out 2>&1 || true
	if grep -q "max search depth too small" pan.out; then
		cat pan.out
		return 1
	fi
}

# field SED-REGEX: the first match's \1 in pan.out.
field() { sed -n "s/$1/\\1/p" pan.out | head -n 1; }

check_safe() {
	build "$1" "" && search || { fail "$2: pan did not complete"; return; }
	errors=$(field '.*errors: \([0-9]*\).*')
	states=$(field '^ *\([0-9]*\) states, stored.*')
	[ "$errors" = 0 ] || { cat pan.out; fail "$2: $errors errors, expected none"; return; }
	[ "$states" = "$3" ] || { fail "$2: $states states stored, expected $3"; return; }
	echo "ok: $2: safe, $states states stored"
}

# check_unsafe DEFS NAME INV LENGTH
check_unsafe() {
	build "$1" "" && search || { fail "$2: pan did not complete"; return; }
	errors=$(field '.*errors: \([0-9]*\).*')
	[ "$errors" -ge 1 ] || { cat pan.out; fail "$2: no error found, expected unsafe"; return; }
	build "$1" "-DBFS" && search || { fail "$2: pan -DBFS did not complete"; return; }
	depth=$(field '.*assertion violated.*(at depth \([0-9]*\)).*')
	[ -n "$depth" ] && [ -f bam_lock.pml.trail ] ||
		{ cat pan.out; fail "$2: BFS found no assertion violation"; return; }
	spin $1 -t -p bam_lock.pml > replay.out 2>&1 || true
	steps=$(sed -n 's/^spin: trail ends after \([0-9]*\) steps.*/\1/p' replay.out)
	if ! grep -q "Error: assertion violated" replay.out ||
	   ! grep -q "invariant $3 violated" replay.out; then
		grep -E "violated|trail ends" replay.out
		fail "$2: the replay does not name invariant $3"
		return
	fi
	[ "$steps" = $((depth + 1)) ] ||
		{ fail "$2: trail of $steps steps, pan's depth $depth"; return; }
	[ "$steps" = "$4" ] ||
		{ fail "$2: shortest counterexample of $steps steps, expected $4"; return; }
	echo "ok: $2: invariant $3 violated, shortest counterexample $steps steps"
}

grep -v '^#' expected.txt | while read -r policy reqs ncfg switch verdict inv length states; do
	[ -n "$policy" ] || continue
	defs="-DPOLICY_$(echo "$policy" | tr a-z A-Z) -DREQS=$reqs -DNCFG=$ncfg"
	name="$policy reqs=$reqs ncfg=$ncfg"
	if [ "$switch" != - ]; then
		defs="$defs -D$switch"
		name="$name $switch"
	fi
	case $verdict in
	safe) check_safe "$defs" "$name" "$states" ;;
	unsafe) check_unsafe "$defs" "$name" "$inv" "$length" ;;
	*) fail "expected.txt: unknown verdict '$verdict'" ;;
	esac
done > results.txt
cat results.txt
# Every configuration must have said ok: a check that stopped early did not.
want=$(grep -v '^#' expected.txt | grep -c . || true)
count=$(grep -c '^ok: ' results.txt || true)
[ "$want" -gt 0 ] || { echo "FAIL: expected.txt holds no configuration"; exit 1; }
! grep -q '^FAIL' results.txt || exit 1
[ "$count" = "$want" ] || { echo "FAIL: $count of $want configurations as recorded"; exit 1; }
echo "PASS: $count configurations as recorded"
