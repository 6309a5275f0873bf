#!/bin/sh
# expect.sh - run a command and check its exit code and output.
# usage: expect.sh EXIT REGEX CMD [ARGS...]
# The command's stdout and stderr together must match the extended regular
# expression REGEX, read as one text (so . also matches newlines and ^ is the
# start of the output), and it must exit with EXIT. Prints both on failure.
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
if [ $status -ne 0 ]; then
	echo "command: $*"
	echo "output:"
	printf '%s\n' "$out" | head -40
fi
exit $status
