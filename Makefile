# Thin wrapper over CMake.  `make` builds the release binary build/borealis;
# `make test` is what CI runs (the release build compiled, then the debug
# build under ASan+UBSan runs the unit and e2e tests, at most 15 minutes); `make test-slow` and `make test-cluster` run the
# long tiers on the release build.
MAKEFLAGS += --no-print-directory
JOBS ?= $(shell nproc)
CMAKE ?= cmake
FUZZ_SECONDS ?= 60

.PHONY: all release debug test test-unit test-slow test-cluster start fuzz deps clean format format-check

all: release

deps:
	@scripts/install-deps

build/Makefile: CMakeLists.txt
	@$(CMAKE) -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null

build-debug/Makefile: CMakeLists.txt
	@$(CMAKE) -S . -B build-debug -DCMAKE_BUILD_TYPE=Debug -DBOREALIS_SANITIZE=ON >/dev/null

release: build/Makefile
	@$(CMAKE) --build build -j $(JOBS)

debug: build-debug/Makefile
	@$(CMAKE) --build build-debug -j $(JOBS)

# ASan: libraft and RocksDB are not instrumented; leaks inside them at exit
# are theirs, so LeakSanitizer reads tests/lsan.supp.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
          LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
          UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# The release build is compiled too: -O2 finds warnings (-Werror) the debug
# build does not, and `make start` needs it to build.
test: deps debug release
	@cd build-debug && $(SAN_ENV) ctest --output-on-failure -L 'unit|e2e' -j 2
	@scripts/check-format

test-unit: debug
	@cd build-debug && $(SAN_ENV) ctest --output-on-failure -L unit

test-slow: deps release
	@cd build && ctest --output-on-failure -L slow

test-cluster: deps release
	@cd build && ctest --output-on-failure -L cluster

start: deps release
	@build/borealis start $(ARGS)

fuzz:
	@CC=clang $(CMAKE) -S . -B build-fuzz -DCMAKE_BUILD_TYPE=Debug -DBOREALIS_FUZZ=ON \
	  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined" >/dev/null
	@$(CMAKE) --build build-fuzz -j $(JOBS)
	@scripts/run-fuzz build-fuzz $(FUZZ_SECONDS)

format:
	@clang-format -i $$(git ls-files 'src/*.c' 'src/*.h' 'tests/*.c' 'fuzz/*.c' 'bench/*.c')

format-check:
	@scripts/check-format

clean:
	rm -rf build build-debug build-fuzz
