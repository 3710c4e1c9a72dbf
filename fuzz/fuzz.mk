# fuzz.mk - libFuzzer and AFL++ harnesses (see fuzz/README.md).
#
#   make fuzz           every fuzz/harness_*.c as fuzz/harness_* (libFuzzer,
#                       ASan, UBSan; the library built with fuzzer-no-link)
#   make fuzz-smoke     each harness for FUZZ_SMOKE_SECONDS on its seeds;
#                       fails on any crash, leak, timeout or OOM
#   make fuzz-afl       the same harnesses for AFL++ in fuzz/afl/
#   make fuzz-seeds     seeds, dictionaries, .options in build/fuzz/out/
#   make fuzz-planted   the oracle must find a planted CV400 bug within
#                       FUZZ_PLANTED_SECONDS
#   make fuzz-coverage  llvm-cov report of validator/ over the seed and
#                       campaign corpora (build/fuzz/coverage/)
#   fuzz/campaign       the pre-release campaign runner
#
# Every fuzz/harness_*.c is picked up: one LLVMFuzzerTestOneInput each,
# linked with fuzz/support/, fuzz/oracle/ and the library.

FUZZ_CC              ?= clang
AFL_CC               ?= afl-clang-fast
FUZZ_SMOKE_SECONDS   ?= 15
FUZZ_PLANTED_SECONDS ?= 60
LLVM_PROFDATA        ?= llvm-profdata
LLVM_COV             ?= llvm-cov

FUZZ_SRC     := $(sort $(wildcard fuzz/harness_*.c))
FUZZ_NAMES   := $(FUZZ_SRC:fuzz/harness_%.c=%)
FUZZ_BINS    := $(FUZZ_NAMES:%=fuzz/harness_%)
FUZZ_SUP     := $(notdir $(filter-out fuzz/support/standalone.c,$(wildcard fuzz/support/*.c)) \
                         $(wildcard fuzz/oracle/*.c)) world_data.c
FUZZ_HDR     := $(wildcard fuzz/support/*.h fuzz/oracle/*.h validator/*.h validator/*/*.h)
FUZZ_WORLD   := corpus/world/types.xml corpus/world/fleet.xml corpus/valid/mixed.xml \
                corpus/valid/mixed.bin
FUZZ_INC     := -Ivalidator -Ifuzz/support -Ifuzz/oracle
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# The library keeps its warnings but clang's are not fatal here (it is
# gcc-clean; clang adds e.g. -Wformat-nonliteral for vprintf wrappers).
FUZZ_BASE     = $(WARN) -O1 -g $(FUZZ_INC) $(PKG_CFLAGS)
FUZZ_LIBS     = $(PKG_LIBS) -pthread
FUZZ_OUT     := build/fuzz/out
# Findings on record (corpus/regress/known-failures) are noted, not fatal,
# in every fuzzing build (CHANVAL_FUZZ_KNOWN="" in the environment makes
# them fatal again); the regression tests build without this.
FUZZ_KNOWN   := $(strip $(shell grep -v '^\#' corpus/regress/known-failures 2>/dev/null | cut -f 2 | sort -u))
FUZZ_KNOWN_DEF = -DCVF_FUZZ_KNOWN_DEFAULT='"$(FUZZ_KNOWN)"'

.PHONY: fuzz fuzz-smoke fuzz-afl fuzz-seeds fuzz-planted fuzz-coverage fuzz-clean fuzz-pcre2-tests fuzz-pcre2-attack

# $(call fuzz_tree,DIR,CC,LIBRARY FLAGS,SUPPORT FLAGS,HARNESS FLAGS): the
# object rules of one build flavour in DIR.
define fuzz_tree
$(1)/lib/%.o: validator/%.c
	@mkdir -p $$(@D)
	$(2) $$(FUZZ_BASE) $(3) -MMD -MP -c $$< -o $$@
-include $$(LIB_SRC:validator/%.c=$(1)/lib/%.d)
$(1)/sup/%.o: fuzz/support/%.c $$(FUZZ_HDR) | $(1)/sup
	$(2) $$(FUZZ_BASE) $$(FUZZ_KNOWN_DEF) $(4) -c $$< -o $$@
$(1)/sup/common.o: corpus/regress/known-failures
$(1)/sup/%.o: fuzz/oracle/%.c $$(FUZZ_HDR) | $(1)/sup
	$(2) $$(FUZZ_BASE) $(4) -c $$< -o $$@
$(1)/sup/world_data.o: $(1)/sup/world_data.c fuzz/support/common.h
	$(2) $$(FUZZ_BASE) $(4) -c $$< -o $$@
$(1)/sup/world_data.c: fuzz/tools/embed.sh $$(FUZZ_WORLD) | $(1)/sup
	sh fuzz/tools/embed.sh corpus/world/types.xml cvf_types_xml \
	    corpus/world/fleet.xml cvf_fleet_xml corpus/valid/mixed.xml cvf_source_xml \
	    corpus/valid/mixed.bin cvf_channel_bin >$$@.tmp && mv $$@.tmp $$@
$(1)/h/%.o: fuzz/%.c $$(FUZZ_HDR) | $(1)/h
	$(2) $$(FUZZ_BASE) $(5) -c $$< -o $$@
$(1)/libchanval.a: $$(LIB_SRC:validator/%.c=$(1)/lib/%.o)
	rm -f $$@
	ar rcs $$@ $$^
$(1)/libsupport.a: $$(FUZZ_SUP:%.c=$(1)/sup/%.o)
	rm -f $$@
	ar rcs $$@ $$^
$(1)/lib $(1)/sup $(1)/h:
	mkdir -p $$@
endef

# ---- libFuzzer: fuzz/harness_* ----------------------------------------------
FZ := build/fuzz
$(eval $(call fuzz_tree,$(FZ),$(FUZZ_CC),-fsanitize=fuzzer-no-link $(FUZZ_SAN),$(FUZZ_SAN),-fsanitize=fuzzer-no-link $(FUZZ_SAN)))

fuzz/harness_%: $(FZ)/h/harness_%.o $(FZ)/libsupport.a $(FZ)/libchanval.a
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

fuzz: $(FUZZ_BINS)

fuzz-seeds:
	@python3 fuzz/tools/prepare.py --out $(FUZZ_OUT) >/dev/null

# Each harness on its seeds; the per-harness targets run in parallel under -j.
FUZZ_SMOKE := $(FUZZ_NAMES:%=fuzz-smoke-%)
.PHONY: $(FUZZ_SMOKE)
$(FUZZ_SMOKE): fuzz-smoke-%: fuzz/harness_% fuzz-seeds
	@sh fuzz/tools/smoke.sh fuzz/harness_$* $(FUZZ_OUT) $(FZ)/smoke/harness_$* $(FUZZ_SMOKE_SECONDS)

fuzz-smoke: fuzz
	@rm -rf $(FZ)/smoke
	@$(MAKE) --no-print-directory -k $(FUZZ_SMOKE); \
	  rc=$$?; p=0; f=0; \
	  for n in $(FUZZ_NAMES); do \
	      r=$(FZ)/smoke/harness_$$n/result; \
	      if [ -f $$r ]; then read -r a b <$$r; else a=0; b=1; fi; \
	      p=$$((p + a)); f=$$((f + b)); \
	  done; \
	  echo "$$p $$f" >$(FZ)/test-results.txt; \
	  echo "fuzz-smoke: $$p passed, $$f failed"; \
	  [ $$rc -eq 0 ] && [ $$f -eq 0 ]

# ---- the planted bug: CV400 blind to the last input -------------------------
FP := build/fuzz-planted
$(eval $(call fuzz_tree,$(FP),$(FUZZ_CC),-DCHANVAL_PLANT_BUG_CV400 -fsanitize=fuzzer-no-link $(FUZZ_SAN),$(FUZZ_SAN),-fsanitize=fuzzer-no-link $(FUZZ_SAN)))

$(FP)/harness_oracle: $(FP)/h/harness_oracle.o $(FP)/libsupport.a $(FP)/libchanval.a
	$(FUZZ_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

fuzz-planted: $(FP)/harness_oracle
	@sh fuzz/tools/planted.sh $(FP)/harness_oracle $(FP)/run $(FUZZ_PLANTED_SECONDS)

# ---- coverage: clang source-based coverage, standalone driver ---------------
FC := build/fuzz-cov
FUZZ_COV_FLAGS := -fprofile-instr-generate -fcoverage-mapping
$(eval $(call fuzz_tree,$(FC),$(FUZZ_CC),$(FUZZ_COV_FLAGS),,))

$(FC)/harness_%: $(FC)/h/harness_%.o $(FC)/sup/standalone.o $(FC)/libsupport.a $(FC)/libchanval.a
	$(FUZZ_CC) $(FUZZ_COV_FLAGS) -o $@ $^ $(FUZZ_LIBS)

fuzz-coverage: $(FUZZ_NAMES:%=$(FC)/harness_%) fuzz-seeds
	@python3 fuzz/campaign --coverage-only --no-build --out build/fuzz/coverage

# ---- AFL++: fuzz/afl/harness_* ----------------------------------------------
FA := build/fuzz-afl
$(eval $(call fuzz_tree,$(FA),$(AFL_CC),$(FUZZ_SAN),$(FUZZ_SAN),$(FUZZ_SAN)))

fuzz/afl/harness_%: $(FA)/h/harness_%.o $(FA)/libsupport.a $(FA)/libchanval.a | fuzz/afl
	$(AFL_CC) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $^ $(FUZZ_LIBS)

fuzz/afl:
	mkdir -p $@

fuzz-afl: $(FUZZ_NAMES:%=fuzz/afl/harness_%) fuzz-seeds

# ---- the regression inputs in make test: the harnesses without an engine ---
# corpus/regress/NAME/* runs through harness_NAME built with $(CC) against
# $(BUILD)/libchanval.a, in the optimised and in the sanitized pass.
FUZZ_REGRESS_NAMES := $(filter $(FUZZ_NAMES),$(notdir $(wildcard corpus/regress/*)))
FS = $(BUILD)/fuzz-standalone
FUZZ_STANDALONE = $(FUZZ_REGRESS_NAMES:%=$(FS)/harness_%)

$(BUILD)/fuzz-standalone/world_data.c: fuzz/tools/embed.sh $(FUZZ_WORLD)
	@mkdir -p $(@D)
	sh fuzz/tools/embed.sh corpus/world/types.xml cvf_types_xml \
	    corpus/world/fleet.xml cvf_fleet_xml corpus/valid/mixed.xml cvf_source_xml \
	    corpus/valid/mixed.bin cvf_channel_bin >$@.tmp && mv $@.tmp $@

$(BUILD)/fuzz-standalone/harness_%: fuzz/harness_%.c $(wildcard fuzz/support/*.c fuzz/oracle/*.c) \
        $(BUILD)/fuzz-standalone/world_data.c $(FUZZ_HDR) $(BUILD)/libchanval.a
	$(CC) $(ALL_CFLAGS) $(FUZZ_INC) -o $@ $< $(wildcard fuzz/support/*.c) \
	    $(wildcard fuzz/oracle/*.c) $(BUILD)/fuzz-standalone/world_data.c \
	    $(BUILD)/libchanval.a $(FUZZ_LIBS)

test-run: $(FUZZ_STANDALONE)

# PCRE2's own test patterns through the regex harnesses (fetches the source
# package of the installed PCRE2; make test runs it in both passes, and
# skips it when the package cannot be fetched)
fuzz-pcre2-tests: $(FS)/harness_regex_parse $(FS)/harness_regex $(FS)/harness_oracle $(BUILD)/chanval
	@sh fuzz/tools/pcre2-tests.sh build $(FS) $(BUILD)/chanval

# A generic attack, independent of the analysis, on the PCRE2 test patterns
# chanval accepts (after fuzz-pcre2-tests): each line is a CV502 missed
# (those in fuzz/tools/pcre2-attack-known are reported as known gaps).
# make test runs it in its first pass.
$(BUILD)/fuzz-tools/attack: fuzz/tools/attack.c $(BUILD)/libchanval.a
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(BUILD)/libchanval.a $(PKG_LIBS) -pthread

test-run: $(BUILD)/fuzz-tools/attack

fuzz-pcre2-attack: fuzz-pcre2-tests $(BUILD)/fuzz-tools/attack
	@sh fuzz/tools/pcre2-attack.sh $(BUILD)/fuzz-tools/attack

fuzz-clean:
	rm -rf build/fuzz build/fuzz-planted build/fuzz-cov build/fuzz-afl fuzz/afl $(FUZZ_BINS)
