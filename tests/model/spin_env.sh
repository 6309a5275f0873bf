# spin_env.sh - sourced by the SPIN tests: skip without spin (exit 77,
# CTest's SKIP_RETURN_CODE), pick the C compiler pan.c is built with, and
# make a scratch directory of our own (pan.c, pan and trails never land
# in the tree) holding a copy of $model as bam_lock.pml.
# usage: model=MODEL.pml; . spin_env.sh   (sets $cc and $work)
if ! command -v spin >/dev/null 2>&1; then
	echo "SKIP: spin not installed (apt-get install spin)"
	exit 77
fi
cc=${CC:-gcc}
command -v "$cc" >/dev/null 2>&1 || cc=cc
work=$(mktemp -d) || exit 1
trap 'rm -rf "$work"' EXIT
cp "$model" "$work/bam_lock.pml"
