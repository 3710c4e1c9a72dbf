# fuzz.mk - libFuzzer and AFL++ harnesses: make fuzz, fuzz-smoke, fuzz-afl.
.PHONY: fuzz fuzz-smoke fuzz-afl
