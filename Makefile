# chanval - static validator for sensor channel files.
#
#   make            optimised build/chanval (and build/libchanval.a)
#   make demo       check the bundled corpus and show the findings
#   make test       unit, corpus and CLI tests; again under ASan+UBSan
#   make check-layers  every include points down the layers (validator/README.md)
#   make check-exports a shared build exports chanval.h's functions only
#   make shared     build/libchanval.so (SONAME libchanval.so.$(SOVERSION)) and chanval.pc
#   make install    PREFIX=/usr/local DESTDIR= LIBDIR=
#   make deb        the Debian packages (dpkg-buildpackage), into build/deb/
#   make clean
#
# Dependencies are found with pkg-config; tools/deps.sh installs them.

CC       ?= cc
PKGS     := libxml-2.0 libpcre2-8 libcrypto jansson
PREFIX   ?= /usr/local
BINDIR   ?= $(PREFIX)/bin
LIBDIR   ?= $(PREFIX)/lib
INCDIR   ?= $(PREFIX)/include
MANDIR   ?= $(PREFIX)/share/man
COMPDIR  ?= $(PREFIX)/share/bash-completion/completions
ZSHDIR   ?= $(PREFIX)/share/zsh/vendor-completions
FISHDIR  ?= $(PREFIX)/share/fish/vendor_completions.d
PCDIR    ?= $(LIBDIR)/pkgconfig
BUILD    ?= build

# The version lives in one place, chanval.h; the SONAME's number changes
# only when the ABI does (CHANGELOG.md says when).
VERSION   := $(shell sed -n 's/^\#define CHANVAL_VERSION "\(.*\)"$$/\1/p' validator/chanval.h)
SOVERSION := 0

WARN := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion \
        -Wstrict-prototypes -Wmissing-prototypes -Wformat=2 -Wvla -Wcast-qual \
        -Wundef -Wnull-dereference -Werror
# Recursive (=) so pkg-config runs only when a recipe needs it, after deps.
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS))
OPT      ?= -O2 -D_FORTIFY_SOURCE=2
CFLAGS   ?=
LDFLAGS  ?=
# A _FORTIFY_SOURCE level from the environment (dpkg-buildflags, a
# distribution's CFLAGS such as -Wp,-D_FORTIFY_SOURCE=3) replaces OPT's:
# both on one command line is a redefinition, an error under -Werror.
BUILD_OPT = $(if $(findstring _FORTIFY_SOURCE,$(CPPFLAGS) $(CFLAGS)),$(filter-out -D_FORTIFY_SOURCE%,$(OPT)),$(OPT))
# -fvisibility=hidden: only what chanval.h marks CHANVAL_API is exported
ALL_CFLAGS = $(WARN) $(BUILD_OPT) -g -fstack-protector-strong -fvisibility=hidden -Ivalidator \
             $(PKG_CFLAGS) $(CPPFLAGS) $(CFLAGS)

include validator/sources.mk
LIB_OBJ  = $(LIB_SRC:validator/%.c=$(BUILD)/obj/%.o)
CLI_OBJ  = $(CLI_SRC:validator/%.c=$(BUILD)/obj/%.o)

.PHONY: all demo test check-deps install uninstall clean lint check-layers check-exports \
        shared deb
all: $(BUILD)/chanval

# each object's header dependencies come from the compiler (-MMD -MP)
$(BUILD)/obj/%.o: validator/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d)

$(BUILD)/libchanval.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(BUILD)/chanval: $(CLI_OBJ) $(BUILD)/libchanval.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $^ $(PKG_LIBS) -pthread

# ---- the shared library: position-independent objects of their own; it
# exports chanval.h's functions only (make check-exports)
PIC_OBJ = $(LIB_SRC:validator/%.c=$(BUILD)/pic/%.o)
-include $(PIC_OBJ:.o=.d)
$(BUILD)/pic/%.o: validator/%.c
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(BUILD)/libchanval.so.$(VERSION): $(PIC_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -shared -Wl,-soname,libchanval.so.$(SOVERSION) \
	    -Wl,--no-undefined -o $@ $^ $(PKG_LIBS) -pthread
$(BUILD)/libchanval.so: $(BUILD)/libchanval.so.$(VERSION)
	ln -sf libchanval.so.$(VERSION) $(BUILD)/libchanval.so.$(SOVERSION)
	ln -sf libchanval.so.$(VERSION) $@

# pkg-config: the dependencies are private (a program calls chanval_*
# only), so --libs gives -lchanval and --static adds what the archive needs
PC_LINES = 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
    'Name: chanval' \
    'Description: static validator for sensor channel files and their XML documents' \
    'URL: https://github.com/chanval/chanval' 'Version: $(VERSION)' \
    'Requires.private: $(PKGS)' 'Libs: -L$${libdir} -lchanval' \
    'Libs.private: -pthread' 'Cflags: -I$${includedir}'
$(BUILD)/chanval.pc: validator/chanval.h Makefile
	@mkdir -p $(@D)
	printf '%s\n' $(PC_LINES) >$@

shared: $(BUILD)/libchanval.so $(BUILD)/chanval.pc

# ---- the main job: check the sample world and corpus ---------------------
demo: $(BUILD)/chanval
	@sh tools/demo.sh $(BUILD)/chanval

# ---- tests, benchmarks, fuzzing ------------------------------------------
include tests/tests.mk
include tests/bench/bench.mk
include fuzz/fuzz.mk

# ---- the layers: every include points down (tools/check-layers.py holds
# the table; validator/README.md explains it), and the check catches a
# planted upward include, a sibling's, a bare one and a cycle
check-layers:
	@python3 tools/check-layers.py
	@out=$$(sh tests/layers/planted.sh); rc=$$?; \
	    printf '%s\n' "$$out" | sed 's/^/check-layers: planted includes: /'; exit $$rc

# ---- the exports: a shared build exports chanval.h's functions, nothing else
check-exports:
	@sh tests/exports.sh "$(CC)" "$(LIB_SRC)" "$(PKG_CFLAGS)" "$(PKG_LIBS)"

# ---- static analysis: cppcheck, clang-tidy (.clang-tidy), gcc -fanalyzer --
ANALYZE_SRC = $(LIB_SRC) $(CLI_SRC)
VALIST_SRC  = $(shell grep -l va_list $(ANALYZE_SRC))
lint:
	cppcheck --quiet --enable=warning,performance,portability --std=c11 \
	    --inline-suppr --error-exitcode=1 -Ivalidator $(LIB_SRC) $(CLI_SRC)
	@# a finding must come back on a second run: clang-tidy 14's analyzer
	@# has reported, on one machine only, what a file does not contain
	@for f in $(ANALYZE_SRC); do \
	    out=$$(clang-tidy --quiet $$f -- -std=c11 -Ivalidator $(PKG_CFLAGS) 2>/dev/null) && continue; \
	    clang-tidy --quiet $$f -- -std=c11 -Ivalidator $(PKG_CFLAGS) 2>/dev/null || exit 1; \
	    echo "clang-tidy: $$f: a finding that did not come back on a second run (ignored):"; \
	    printf '%s\n' "$$out" | sed 's/^/  | /'; \
	done
	clang-tidy --quiet --checks='-*,clang-analyzer-valist.CopyToSelf,clang-analyzer-valist.Unterminated' \
	    $(VALIST_SRC) -- -std=c11 -Ivalidator $(PKG_CFLAGS) 2>/dev/null
	for f in $(ANALYZE_SRC); do \
	    gcc -fanalyzer -Werror $(WARN) -O1 -Ivalidator $(PKG_CFLAGS) -c $$f -o /dev/null || exit 1; \
	done
	@echo "lint: cppcheck, clang-tidy and gcc -fanalyzer are clean"

# ---- install --------------------------------------------------------------
install: $(BUILD)/chanval $(BUILD)/libchanval.a shared
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCDIR) \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(COMPDIR) $(DESTDIR)$(ZSHDIR) \
	    $(DESTDIR)$(FISHDIR) $(DESTDIR)$(PCDIR)
	install -m 755 $(BUILD)/chanval $(DESTDIR)$(BINDIR)/chanval
	install -m 644 $(BUILD)/libchanval.a $(DESTDIR)$(LIBDIR)/libchanval.a
	install -m 644 $(BUILD)/libchanval.so.$(VERSION) $(DESTDIR)$(LIBDIR)/
	ln -sf libchanval.so.$(VERSION) $(DESTDIR)$(LIBDIR)/libchanval.so.$(SOVERSION)
	ln -sf libchanval.so.$(SOVERSION) $(DESTDIR)$(LIBDIR)/libchanval.so
	printf '%s\n' $(PC_LINES) >$(DESTDIR)$(PCDIR)/chanval.pc
	chmod 644 $(DESTDIR)$(PCDIR)/chanval.pc
	install -m 644 validator/chanval.h $(DESTDIR)$(INCDIR)/chanval.h
	install -m 644 man/chanval.1 $(DESTDIR)$(MANDIR)/man1/chanval.1
	install -m 644 tools/chanval.bash $(DESTDIR)$(COMPDIR)/chanval
	install -m 644 tools/chanval.zsh $(DESTDIR)$(ZSHDIR)/_chanval
	install -m 644 tools/chanval.fish $(DESTDIR)$(FISHDIR)/chanval.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/chanval $(DESTDIR)$(LIBDIR)/libchanval.a \
	      $(DESTDIR)$(LIBDIR)/libchanval.so $(DESTDIR)$(LIBDIR)/libchanval.so.$(SOVERSION) \
	      $(DESTDIR)$(LIBDIR)/libchanval.so.$(VERSION) $(DESTDIR)$(PCDIR)/chanval.pc \
	      $(DESTDIR)$(INCDIR)/chanval.h $(DESTDIR)$(MANDIR)/man1/chanval.1 \
	      $(DESTDIR)$(COMPDIR)/chanval $(DESTDIR)$(ZSHDIR)/_chanval \
	      $(DESTDIR)$(FISHDIR)/chanval.fish

# ---- the Debian packages, built from a clean copy of the committed tree
deb:
	@sh tools/build-deb.sh $(BUILD)/deb

clean:
	rm -rf build
