# Makefile - the README's two commands, `make run` and `make check`, as thin
# wrappers around CMake/CTest. Each first makes sure the Debian packages are
# there (installing the missing ones when run as root), then configures,
# builds and runs or tests. The build itself lives in CMakeLists.txt.

PREFIX ?= /usr/local
DESTDIR ?=
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= 2
MAKEFLAGS += --no-print-directory

# Build dependencies (Debian names); libFuzzer's runtime is added by `deps`.
DEB_PACKAGES := build-essential cmake pkg-config libssl-dev libfdt-dev libpng-dev \
	device-tree-compiler libcmocka-dev python3 clang spin zlib1g-dev

# $(call configure,DIR,EXTRA-FLAGS)
configure = cmake -S . -B $(1) -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	-DCMAKE_INSTALL_PREFIX=$(PREFIX) $(2)
# $(call build_and_test,DIR,CTEST-FLAGS)
build_and_test = cmake --build $(1) -j$(JOBS) && \
	ctest --test-dir $(1) --output-on-failure -j$(JOBS) $(2)

# A one-line libFuzzer program: does this clang have a usable libFuzzer?
FUZZ_PROBE := int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }

.PHONY: all deps run check install clean
# Targets run one after another (deps before configure); cmake does the -j.
.NOTPARALLEL:

all: build/CMakeCache.txt
	cmake --build build -j$(JOBS)

build/CMakeCache.txt:
	$(call configure,build)

# libclang-rt-dev is the unversioned name where the archive has it (else -14).
deps:
	@command -v dpkg >/dev/null || { echo "deps: not a Debian system, skipped"; exit 0; }; \
	missing=; \
	for p in $(DEB_PACKAGES); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	dpkg -s libclang-rt-dev >/dev/null 2>&1 || dpkg -s libclang-rt-14-dev >/dev/null 2>&1 \
		|| missing="$$missing libclang-rt-dev"; \
	[ -n "$$missing" ] || exit 0; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "deps: missing Debian packages:$$missing (not root: continuing)"; exit 0; \
	fi; \
	apt-get update || exit 1; \
	case "$$missing" in *libclang-rt-dev) apt-cache show libclang-rt-dev >/dev/null 2>&1 \
		|| missing="$${missing%libclang-rt-dev}libclang-rt-14-dev";; esac; \
	echo "deps: installing$$missing"; \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

run: deps build/CMakeCache.txt
	cmake --build build -j$(JOBS) --target secsoc-bin
	./build/secsoc run

check: deps
	$(call configure,build,-DSECSOC_WERROR=ON)
	$(call build_and_test,build)
	$(call configure,build-asan,-DSECSOC_SANITIZE=ON)
	$(call build_and_test,build-asan)
	@if ! command -v clang >/dev/null; then \
		echo "fuzz: skipped: clang not found"; \
	elif ! echo '$(FUZZ_PROBE)' | clang -x c -fsanitize=fuzzer -o /dev/null - \
			2>/dev/null; then \
		echo "fuzz: skipped: clang cannot link libFuzzer (install libclang-rt-dev)"; \
	else \
		set -e; \
		CC=clang $(call configure,build-fuzz,-DSECSOC_FUZZ=ON -DSECSOC_SANITIZE=ON); \
		$(call build_and_test,build-fuzz,-R '^fuzz/'); \
	fi

install:
	$(call configure,build)
	cmake --build build -j$(JOBS)
	DESTDIR=$(DESTDIR) cmake --install build

clean:
	rm -rf build build-asan build-fuzz
