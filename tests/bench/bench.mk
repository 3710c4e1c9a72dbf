# bench.mk - benchmarks: make bench, make bench-redos.
.PHONY: bench bench-redos
