# bench.mk - benchmarks: make bench, make bench-redos.
.PHONY: bench bench-redos

# ---- make bench: the performance table (tests/bench/bench.sh) ------------
BENCH_BUILD := build/bench-opt

$(BENCH_BUILD)/bench/%: tests/bench/%.c $(BENCH_BUILD)/libchanval.a
	@mkdir -p $(@D)
	$(CC) $(WARN) -O2 -Ivalidator $(PKG_CFLAGS) -o $@ $< $(BENCH_BUILD)/libchanval.a $(PKG_LIBS) -pthread

bench:
	@$(MAKE) --no-print-directory BUILD=$(BENCH_BUILD) OPT="-O2" $(BENCH_BUILD)/chanval \
	    $(BENCH_BUILD)/bench/gen $(BENCH_BUILD)/bench/runner
	@sh tests/bench/bench.sh $(BENCH_BUILD)
