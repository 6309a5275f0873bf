#!/bin/sh
# expect.sh - run a command and check its exit code and output.
# usage: expect.sh EXIT REGEX CMD [ARGS...]
# The command's stdout and stderr together must match the extended regular
# expression REGEX, read as one text (so . also matches newlines and ^ is the
# start of the output), and it must exit with EXIT. Prints both on failure.
#
# The determinism guard: a `secsoc run` that ran a scenario (it printed a
# verdict) is run once more with --check-determinism, which runs it twice
# and must find byte-identical traces and VCDs, with the same exit code.
want_exit=$1
want_text=$2
shift 2
out=$("$@" 2>&1)
got_exit=$?
status=0
if [ "$got_exit" != "$want_exit" ]; then
	echo "FAIL: exit code: expected $want_exit, got $got_exit"
	status=1
fi
if ! printf '%s\n' "$out" | grep -Ezq -- "$want_text"; then
	echo "FAIL: output does not match: $want_text"
	status=1
fi
if [ $status -eq 0 ] && [ "$2" = run ] && printf '%s\n' "$out" | grep -q 'verdict'; then
	case " $* " in
	*" --check-determinism "*) ;;
	*)
		det=$("$@" --check-determinism 2>&1)
		det_exit=$?
		if [ "$det_exit" != "$got_exit" ] ||
		   ! printf '%s\n' "$det" | grep -q "byte-identical traces"; then
			echo "FAIL: determinism guard: --check-determinism exited $det_exit"
			printf '%s\n' "$det" | grep -i "determinism" | head -5
			status=1
		fi
		;;
	esac
fi
if [ $status -ne 0 ]; then
	echo "command: $*"
	echo "output:"
	printf '%s\n' "$out" | head -40
fi
exit $status
