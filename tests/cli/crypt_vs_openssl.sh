#!/bin/sh
# crypt_vs_openssl.sh - `secsoc crypt` and `secsoc dgst` must give the bytes
# OpenSSL gives: ecb/cbc/ctr against `openssl enc -nopad`, xts against the
# EVP program tests/ref/xts_ref.c (openssl enc has no XTS), sha1/sha256 and
# their HMACs against `openssl dgst`. Inputs, keys and IVs come from
# xts_ref --random with fixed seeds, so every run checks the same bytes.
# Every ciphertext is also decrypted back to the input (stdin to stdout;
# encryption uses --in and --out). Each run takes the current seed as
# --seed, so the runs see different schedules too.
# usage: crypt_vs_openssl.sh SECSOC XTS_REF [--tee-load]
#   --tee-load: a smaller set, each run with the DRM TA as background load
secsoc=$1
ref=$2
load=$3
# Each script works in its own directory: ctest runs them in parallel.
work=$(mktemp -d) && cd "$work" || exit 1
trap 'rm -rf "$work"' EXIT
failed=0
checks=0
seed=0
opts=""

# random_hex N: N random bytes as hex in $hex (next seed)
random_hex() {
	seed=$((seed + 1))
	hex=$("$ref" --random $seed "$1" --hex) || { echo "xts_ref --random failed"; exit 1; }
}

# random_file N F: N random bytes in file F (next seed)
random_file() {
	seed=$((seed + 1))
	"$ref" --random $seed "$1" > "$2" || { echo "xts_ref --random failed"; exit 1; }
}

# reference_failed WHAT: the reference could not compute the expected output
reference_failed() {
	echo "FAIL: $1: the reference failed"
	failed=$((failed + 1))
}

# same WHAT WANT GOT: count a check, report a difference
same() {
	checks=$((checks + 1))
	if ! cmp -s "$2" "$3"; then
		echo "FAIL: $1"
		cmp "$2" "$3" | head -1
		failed=$((failed + 1))
	fi
}

# run WHAT CMD...: run a secsoc command; a failure is reported with its output
run() {
	what=$1
	shift
	# shellcheck disable=SC2086 # $opts and $load are lists of options
	"$@" --seed $seed $opts $load 2> err.txt
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL: $what: exit code $rc from: $* --seed $seed $opts $load"
		head -5 err.txt
		failed=$((failed + 1))
		return 1
	fi
}

# cipher MODE KEYBYTES SIZE [REQUEST_SIZE]: one AES mode against the reference
cipher() {
	mode=$1 keybytes=$2 size=$3 rs=${4:-65536}
	random_hex "$keybytes"
	key=$hex
	random_hex 16
	iv=$hex
	random_file "$size" in.bin
	what="$mode(aes) key=$keybytes size=$size request-size=$rs"
	case $mode in
	xts) "$ref" -e -k "$key" -i "$iv" --request-size "$rs" < in.bin > want.bin ;;
	ecb) openssl enc -aes-$((keybytes * 8))-ecb -nopad -K "$key" -in in.bin -out want.bin ;;
	*) openssl enc -aes-$((keybytes * 8))-"$mode" -nopad -K "$key" -iv "$iv" \
		-in in.bin -out want.bin ;;
	esac || { reference_failed "$what"; return; }
	[ "$mode" = ecb ] && ivopt="" || ivopt="-i $iv"
	# shellcheck disable=SC2086 # $ivopt is an option and its value, or nothing
	run "$what encrypt" "$secsoc" crypt -c "$mode(aes)" -k "$key" $ivopt -e \
		--request-size "$rs" --in in.bin --out got.bin &&
		same "$what encrypt" want.bin got.bin
	# shellcheck disable=SC2086
	run "$what decrypt" "$secsoc" crypt -c "$mode(aes)" -k "$key" $ivopt -d \
		--request-size "$rs" < want.bin > back.bin &&
		same "$what decrypt" in.bin back.bin
	rm -f got.bin back.bin
}

# digest ALG SIZE [KEYBYTES [REQUEST_SIZE]]: sha1/sha256, or their HMAC with a key
digest() {
	alg=$1 size=$2 keybytes=$3 rs=${4:-65536}
	random_file "$size" in.bin
	what="$alg size=$size key=${keybytes:-none} request-size=$rs"
	if [ -n "$keybytes" ]; then
		random_hex "$keybytes"
		openssl dgst -"$alg" -mac HMAC -macopt hexkey:"$hex" -r < in.bin > want.txt ||
			{ reference_failed "$what"; return; }
		cut -d' ' -f1 want.txt > want.hex
		run "$what" "$secsoc" dgst -c "hmac($alg)" -k "$hex" --request-size "$rs" \
			--in in.bin > got.txt && same "$what" want.hex got.txt
	else
		openssl dgst -"$alg" -r < in.bin > want.txt || { reference_failed "$what"; return; }
		cut -d' ' -f1 want.txt > want.hex
		run "$what" "$secsoc" dgst -c "$alg" --request-size "$rs" < in.bin > got.txt &&
			same "$what" want.hex got.txt
	fi
}

full_set() {
	for mode in ecb cbc; do
		for keybytes in 16 32; do
			for size in 0 16 48 4096 65552 1048576; do
				cipher "$mode" "$keybytes" $size
			done
		done
		cipher "$mode" 16 4096 48
	done
	for keybytes in 16 32; do
		for size in 0 1 16 1000 4096 65552 65553 1048575; do
			cipher ctr "$keybytes" $size
		done
	done
	cipher ctr 16 1000 32
	for keybytes in 32 64; do
		for size in 0 16 48 4096 65552 1048576; do
			cipher xts "$keybytes" $size
		done
	done
	cipher xts 32 16400 4096
	cipher xts 32 4116 4096
	cipher xts 64 12288 512
	for alg in sha1 sha256; do
		for size in 0 1 16 64 1000 4096 65552; do
			digest "$alg" $size
		done
		digest "$alg" 1048575
		digest "$alg" 1000 "" 16
		for keybytes in 1 20 64 100; do
			digest "$alg" 1000 "$keybytes"
		done
		digest "$alg" 65553 32
		digest "$alg" 4100 32 48
	done
	# Policy none (the CPU writes the registers) gives the same bytes. v12
	# breaks invariant 3 (its UNLOCK overtakes the operation): cases.cmake.
	opts="--lock-policy none"
	cipher cbc 32 65552
	cipher xts 64 65552 4096
	digest sha256 65553 20
	opts=""
}

# With the DRM TA competing for the engine: every mode, key size and hash,
# from 0 bytes to 1 MiB.
load_set() {
	for mode in ecb cbc ctr; do
		for keybytes in 16 32; do
			cipher "$mode" "$keybytes" 0
			cipher "$mode" "$keybytes" 65552 4096
		done
		cipher "$mode" 32 1048576
	done
	cipher ctr 16 1000001
	cipher xts 32 16384 4096
	cipher xts 64 65552
	cipher xts 64 1048560 65536
	for alg in sha1 sha256; do
		digest "$alg" 0
		digest "$alg" 1048575
		digest "$alg" 4100 32 48
		digest "$alg" 65553 100
	done
}

if [ "$load" = "--tee-load" ]; then
	load_set
else
	full_set
fi
[ $failed -eq 0 ] || { echo "$failed failures ($checks outputs compared)"; exit 1; }
echo "crypt vs openssl ok: $checks outputs identical${load:+ with $load}"
