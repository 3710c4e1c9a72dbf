# bench.mk - benchmarks: make bench, make bench-redos.
.PHONY: bench bench-redos

# ---- make bench: the performance table (tests/bench/bench.sh) ------------
BENCH_BUILD := build/bench-opt

$(BENCH_BUILD)/bench/%: tests/bench/%.c $(BENCH_BUILD)/libchanval.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -Ivalidator $(PKG_CFLAGS) -o $@ $< $(BENCH_BUILD)/libchanval.a $(PKG_LIBS) -pthread

# jansson beside json-c (make bench only: chanval itself does not use json-c)
$(BENCH_BUILD)/bench/json-parse: tests/bench/json/parse.c tests/bench/json/parse_jansson.c \
        tests/bench/json/parse_jsonc.c tests/bench/json/parse.h
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 $$(pkg-config --cflags jansson json-c) -o $@ tests/bench/json/parse.c \
	    tests/bench/json/parse_jansson.c tests/bench/json/parse_jsonc.c $$(pkg-config --libs jansson json-c)

bench:
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) OPT="-O2" $(BENCH_BUILD)/chanval \
	    $(BENCH_BUILD)/bench/gen $(BENCH_BUILD)/bench/runner $(BENCH_BUILD)/bench/eval \
	    $(BENCH_BUILD)/bench/json-parse
	@sh tests/bench/bench.sh $(BENCH_BUILD)

# ---- make bench-redos: regex cost (CV502/CV503) on the labelled set ---------
# The labelled set is not part of the repository; REDOS_SET points at it
# (relative to the top of the repository by default).  recheck and
# redos-detector are installed with npm into a cache under $TMPDIR at
# bench time, never into the repository.
REDOS_SET    ?= ../shared/data/redos/public.tsv
REDOS_BUDGET ?= 100000
REDOS_LENGTH ?= 4096
REDOS_NPM    ?= $${TMPDIR:-/tmp}/chanval-bench-npm

$(BENCH_BUILD)/bench/redos_bench: tests/bench/redos/redos_bench.c $(BENCH_BUILD)/libchanval.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -Ivalidator $(PKG_CFLAGS) -o $@ $< $(BENCH_BUILD)/libchanval.a $(PKG_LIBS) -pthread

# The independent attacker: PCRE2 only, nothing of chanval.
$(BENCH_BUILD)/bench/attacker: tests/bench/redos/attacker.c
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 $(PKG_CFLAGS) -o $@ $< $(PKG_LIBS)

bench-redos:
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) OPT="-O2" $(BENCH_BUILD)/bench/redos_bench \
	    $(BENCH_BUILD)/chanval $(BENCH_BUILD)/bench/attacker
	@sh tests/bench/redos/run.sh $(BENCH_BUILD)/bench/redos_bench "$(REDOS_SET)" \
	    "$(REDOS_BUDGET)" "$(REDOS_LENGTH)" "$(REDOS_NPM)"
	@if [ -z "$(REDOS_NO_FAMILIES)" ]; then echo; \
	    ATTACKER=$(BENCH_BUILD)/bench/attacker sh tests/bench/redos/families.sh \
	    $(BENCH_BUILD)/chanval --budget "$(REDOS_BUDGET)" --length "$(REDOS_LENGTH)"; fi
