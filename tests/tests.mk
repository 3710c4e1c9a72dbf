# tests.mk - `make test` builds and runs every suite twice: optimised, then
# under AddressSanitizer and UndefinedBehaviorSanitizer; the command's
# threaded work under ThreadSanitizer; then each fuzz harness briefly on its
# seeds (make fuzz-smoke, fuzz/fuzz.mk).

CMOCKA_CFLAGS = $(shell pkg-config --cflags cmocka)
CMOCKA_LIBS   = $(shell pkg-config --libs cmocka)
UNIT_SRC     := $(wildcard tests/unit/test_*.c)
UNIT_BIN      = $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
SANITIZE     := -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all \
                -fno-omit-frame-pointer

.PHONY: test test-run test-asan test-tsan unit lint

$(BUILD)/tests/%: tests/unit/%.c tests/unit/testutil.c tests/unit/testutil.h \
                  $(BUILD)/libchanval.a | $(BUILD)/tests
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -Itests/unit -o $@ $< tests/unit/testutil.c \
	    $(BUILD)/libchanval.a $(PKG_LIBS) $(CMOCKA_LIBS) -pthread

# test_guard includes the command's SIGBUS guard, the unit it tests
$(BUILD)/tests/test_guard: validator/cli/guard.c validator/cli/cli.h

$(BUILD)/tests:
	mkdir -p $@

unit: $(UNIT_BIN)

# One pass of every suite against the build in $(BUILD).
test-run: $(BUILD)/chanval $(UNIT_BIN) $(BUILD)/tools/attacker
	@sh tests/run.sh $(BUILD)

test-asan:
	@CHANVAL_SANITIZED=1 $(MAKE) --no-print-directory BUILD=build/asan OPT="$(SANITIZE)" test-run

# The command under ThreadSanitizer, on what runs on several threads.
test-tsan:
	@$(MAKE) --no-print-directory BUILD=build/tsan OPT="-O1 -g -fsanitize=thread" build/tsan/chanval
	@sh tests/threads/run.sh build/tsan/chanval build/tsan/test-results.txt; rc=$$?; \
	    [ $$rc -eq 0 ] || [ $$rc -eq 77 ]

test:
	@$(MAKE) --no-print-directory check-layers
	@$(MAKE) --no-print-directory check-exports
	@$(MAKE) --no-print-directory lint
	@$(MAKE) --no-print-directory test-run
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory test-tsan
	@$(MAKE) --no-print-directory fuzz-smoke
	@sh tests/summary.sh build/test-results.txt build/asan/test-results.txt \
	    build/tsan/test-results.txt build/fuzz/test-results.txt

# The independent regex attacker of tests/redos/families.sh (PCRE2 only).
$(BUILD)/tools/attacker: tests/bench/redos/attacker.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)
