# sources.mk - the library's and the command's sources, by layer, lowest
# first (validator/README.md says what each layer holds and may include;
# tools/check-layers.sh enforces it).  The one list that Makefile,
# tests/tests.mk and fuzz/fuzz.mk build from.

LIB_SRC := \
    validator/base/alloc.c validator/base/buf.c validator/base/escape.c validator/base/fileio.c \
    validator/base/idset.c validator/base/sha.c validator/base/utf8.c validator/base/diskcache.c \
    validator/regex/parse.c validator/regex/nfa.c validator/regex/possess.c \
    validator/regex/analyse.c validator/regex/meter.c validator/regex/measure.c \
    validator/regex/attack.c \
    validator/regex/cache.c \
    validator/model/world.c validator/model/content.c \
    validator/diag/rules.c validator/diag/diag.c validator/diag/suppress.c validator/diag/persist.c \
    validator/format/xmldoc.c validator/format/binfile.c validator/format/pack.c \
    validator/format/dump.c validator/format/layout.c validator/format/decode.c \
    validator/check/criteria.c validator/check/channel.c validator/check/source.c \
    validator/check/types.c \
    validator/check/fleet.c validator/check/diff.c \
    validator/eval/program.c validator/eval/event.c validator/eval/interp.c \
    validator/api/session.c validator/api/batch.c validator/api/config.c \
    validator/api/outfile.c validator/api/run.c validator/api/diff_run.c \
    validator/api/test_run.c validator/api/test_benign.c validator/api/test_api.c \
    validator/api/eval_api.c validator/api/test_shard.c validator/api/merge.c \
    validator/report/common.c validator/report/walk.c validator/report/text.c \
    validator/report/json.c validator/report/sarif.c validator/report/junit.c \
    validator/report/github.c validator/report/codequality.c \
    validator/report/rules.c validator/report/hexview.c validator/report/html.c \
    validator/report/tests.c

CLI_SRC := \
    validator/cli/main.c validator/cli/commands.c validator/cli/help.c validator/cli/say.c \
    validator/cli/guard.c validator/cli/view.c validator/cli/test.c
