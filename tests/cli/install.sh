#!/bin/sh
# install.sh - `cmake --install` puts the binary, the library, the headers and
# secsoc.pc in place, and a program builds against them with pkg-config.
# usage: install.sh BUILD_DIR LINK(yes|no)
set -eu
build=$1
link=$2
fail() { echo "FAIL: $*"; exit 1; }
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" > install.log
for f in bin/secsoc include/secsoc/sim.h include/secsoc/tzc400.h; do
	[ -e "prefix/$f" ] || fail "$f not installed"
done
lib=$(ls prefix/lib*/libsecsoc.a prefix/lib/*/libsecsoc.a 2>/dev/null | head -n 1)
[ -n "$lib" ] || fail "libsecsoc.a not installed"
pc=$(ls prefix/lib*/pkgconfig/secsoc.pc prefix/lib/*/pkgconfig/secsoc.pc 2>/dev/null | head -n 1)
[ -n "$pc" ] || fail "secsoc.pc not installed"
prefix/bin/secsoc --version | grep -q '^secsoc ' || fail "installed binary does not run"

export PKG_CONFIG_PATH="$(dirname "$pc")"
cflags=$(pkg-config --cflags secsoc)
libs=$(pkg-config --static --libs secsoc)
cat > user.c <<'C'
#include <stdio.h>
#include <secsoc/prng.h>

int main(void)
{
	struct prng p;

	prng_seed(&p, 7);
	printf("%llx\n", (unsigned long long)prng_next(&p));
	return 0;
}
C
cc $cflags -c user.c -o user.o || fail "a user program does not compile with pkg-config --cflags"
if [ "$link" = yes ]; then
	# shellcheck disable=SC2086 # word splitting of the flags is intended
	cc user.o $libs -o user || fail "a user program does not link with pkg-config --libs"
	./user > /dev/null || fail "the user program does not run"
fi
echo "install ok"
