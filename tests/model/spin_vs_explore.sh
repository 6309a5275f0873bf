#!/bin/sh
# spin_vs_explore.sh - SPIN on model/bam_lock.pml and `secsoc explore` on the
# lock-race scenario agree (docs/exploration.md, "Cross-check"): the verdict
# of each lock policy (none and v12 unsafe, with the same invariant; nwd
# safe: SPIN's full search, the explorer's bound-0 search, complete), and
# for none and v12 the shortest counterexample's length projected onto pipe
# events: SPIN's BFS trail (NCFG 29, the C driver's register count) counts
# its "pipe p: executes" steps, the explorer's BFS counterexample counts the
# rows of its step table where an input pipe executes a command element
# ("ce write": LOCK, configuration writes, GO, UNLOCK) or pushes data
# ("push"). The relation checked is equality.
# Without spin the test is skipped (exit 77, CTest's SKIP_RETURN_CODE).
# usage: spin_vs_explore.sh SECSOC MODEL.pml
set -eu
secsoc=$1
model=$2

. "$(dirname "$0")/spin_env.sh"
cd "$work"
fail() { echo "FAIL: $*"; exit 1; }

# spin_run POLICY: BFS search of the policy at NCFG 29; sets spin_errors,
# spin_inv (the invariant the trail names) and spin_events (its pipe events).
spin_run() {
	defs="-DPOLICY_$(echo "$1" | tr a-z A-Z) -DNCFG=29"
	spin $defs -a bam_lock.pml > spin.out 2>&1 || { cat spin.out; fail "$1: spin -a"; }
	"$cc" -O2 -DSAFETY -DNOREDUCE -DBFS -o pan pan.c
	rm -f bam_lock.pml.trail
	./pan -m1000000 -w22 > pan.out 2>&1 || true
	spin_errors=$(sed -n 's/.*errors: \([0-9]*\).*/\1/p' pan.out | head -n 1)
	spin_inv=- spin_events=-
	[ "$spin_errors" != 0 ] || return 0
	spin $defs -t bam_lock.pml > trail.out 2>&1 || true
	spin_inv=$(sed -n 's/.*invariant \([0-9]\) violated.*/\1/p' trail.out | head -n 1)
	spin_events=$(grep -c 'pipe [0-9]: executes' trail.out || true)
}

# explore_run POLICY ARGS...: sets x_code, x_inv and x_events (as above).
explore_run() {
	policy=$1
	shift
	set +e
	"$secsoc" explore --scenario lock-race --lock-policy "$policy" --out "x-$policy" "$@" \
		> "x-$policy.txt" 2>&1
	x_code=$?
	set -e
	x_inv=$(sed -n 's/^  message: .*invariant \([0-9]\) .*/\1/p' "x-$policy.txt" | head -n 1)
	x_events=-
	[ -f "x-$policy/counterexample.steps.txt" ] || return 0
	x_events=$(grep -cE '^ *[0-9]+ +[0-9]+ +/[^ ]*pipe[0-9]+ +(ce write|push) ' \
		"x-$policy/counterexample.steps.txt" || true)
}

for policy in none v12; do
	spin_run "$policy"
	explore_run "$policy" --strategy bfs
	[ "$spin_errors" -ge 1 ] || fail "$policy: SPIN finds it safe"
	[ "$x_code" -eq 1 ] || { cat "x-$policy.txt"; fail "$policy: explore exit $x_code"; }
	[ "$spin_inv" = "$x_inv" ] ||
		fail "$policy: SPIN breaks invariant $spin_inv, the explorer invariant $x_inv"
	[ "$spin_events" = "$x_events" ] ||
		fail "$policy: shortest counterexample of $spin_events pipe events in SPIN," \
			"$x_events in the explorer"
	echo "ok: $policy: both unsafe (invariant $x_inv), shortest $x_events pipe events"
done

spin_run nwd
explore_run nwd --max-preemptions 0
[ "$spin_errors" = 0 ] || fail "nwd: SPIN finds $spin_errors errors"
[ "$x_code" -eq 0 ] || { cat x-nwd.txt; fail "nwd: explore exit $x_code"; }
grep -q '^complete: yes' x-nwd.txt || { cat x-nwd.txt; fail "nwd: explorer incomplete"; }
echo "ok: nwd: both safe (SPIN in full, the explorer within bound 0)"
echo "PASS"
