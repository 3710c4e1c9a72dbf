/* rules.c - the rule table of rules-v1.md: IDs are an API, never renumber. */
#include "diag/rules.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const chanval_rule rules[] = {
    {100, "truncated-header", "E", "magic present but file shorter than the 80-byte header",
     "The file starts with \"CHNL\" but ends before the 80-byte header does, "
     "so nothing else in it can be located. Usually an interrupted copy or "
     "upload. Re-export the file from its source with `chanval pack`."},
    {101, "bad-magic", "E", "fewer than 4 bytes, or magic is not \"CHNL\"",
     "Every channel file starts with the four bytes 43 48 4E 4C (\"CHNL\"). "
     "A file that does not is not a channel file: an empty or all-zero file "
     "(a failed write or a pre-allocated file that was never filled, as in "
     "some crash dumps of 2024-07-19), another format, or XML that does not "
     "start with '<'. Check which file the pipeline picked up."},
    {102, "unsupported-major-version", "E", "format_major != 1",
     "The header's format_major (offset 4) is not 1. A different major "
     "version may lay out everything differently, so nothing else is "
     "checked. Produce the file with a chanval that matches the fleet."},
    {103, "newer-minor-version", "W", "format_minor > 0",
     "The file declares a newer minor version than 1.0. Every v1.0 rule "
     "still applies, but sensors that only know 1.0 ignore what the newer "
     "version adds. Make sure the fleet understands it before release."},
    {104, "bad-header-size", "E", "header_size != 80",
     "header_size (offset 8) must be 80. Any other value means the header is "
     "damaged or from an unknown producer; nothing after it can be trusted."},
    {105, "reserved-nonzero", "E",
     "a reserved field, a header flags bit, or a reserved payload byte is "
     "non-zero",
     "Reserved fields (header flags and reserved word, section reserved "
     "words, instance and criterion reserved bytes, the unused payload of a "
     "wildcard or the reserved u64 of a string criterion) must be zero so "
     "that future versions can give them meaning. A non-zero byte there is "
     "corruption or a producer bug; the message names the field."},
    {106, "file-size-mismatch", "E", "header file_size != real length (truncated or appended)",
     "file_size (offset 32) records the length the producer wrote. A "
     "different real length means the file was truncated in transit or "
     "something was appended. Fetch the file again; do not ship it."},
    {107, "digest-mismatch", "E", "SHA-256 does not match",
     "Bytes 48..79 hold the SHA-256 of the whole file computed with those "
     "32 bytes set to zero. A mismatch means the bytes changed after "
     "packing (corruption, a manual edit, a bad transfer). Re-pack."},
    {108, "bad-section-table", "E",
     "section_count 0 or > 16, table offset != header_size, or table outside "
     "file",
     "The section table locates everything else; when its count is 0 or over "
     "the limit (--max-sections, default 16), its offset is not 80, or it "
     "does not fit in the file, no section can be found."},
    {109, "section-out-of-bounds", "E", "section misaligned, overflowing, or past end of file",
     "A section's offset must be a multiple of 4 and offset+size must not "
     "overflow or pass the end of the file. Otherwise the interpreter would "
     "read outside the file."},
    {110, "section-overlap", "E", "section overlaps header, table or another section",
     "Non-empty sections must not share bytes with the header, the section "
     "table or each other: overlapping sections let one piece of data be "
     "read two different ways."},
    {111, "stray-bytes", "E",
     "bytes belonging to nothing (non-zero padding, gaps > 3, trailing data)",
     "Between the header, the table and the sections only 0-3 zero bytes of "
     "alignment padding are allowed, and the file must end with its last "
     "section. Other bytes are hidden data that no check covers."},
    {112, "unknown-section-kind", "E", "section kind not 1..3",
     "Section kinds are 1 STRINGS, 2 TYPES, 3 INSTANCES. Any other kind is "
     "unknown to version 1 sensors."},
    {113, "section-multiplicity", "E", "a required section missing or repeated",
     "STRINGS, TYPES and INSTANCES must each appear exactly once; with a "
     "section missing or doubled, readers may disagree on which one counts."},
    {114, "string-out-of-bounds", "E", "string reference leaves STRINGS",
     "A string reference (offset, length) must lie inside the STRINGS "
     "section, computed without overflow; otherwise the interpreter reads "
     "memory outside the file."},
    {115, "string-not-utf8", "E", "referenced bytes not valid UTF-8, or contain NUL",
     "Criterion strings are compared with UTF-8 event data and compiled as "
     "UTF-8 regexes; ill-formed UTF-8 (overlong forms, surrogates, values "
     "above U+10FFFF, truncated sequences) or a NUL makes the sensor's "
     "behaviour undefined. Fix the string in the channel source."},
    {116, "types-table-malformed", "E", "TYPES size != 4 + 8*count",
     "The TYPES section is a u32 count followed by count 8-byte entries; its "
     "size must be exactly 4 + 8*count."},
    {117, "instances-malformed", "E",
     "record overruns section, wrong record_size, count/section size "
     "disagree",
     "Each instance record is 16 + 20*field_count bytes, its record_size "
     "must say so, and count records must fill INSTANCES exactly. Once a "
     "record is out of step the rest cannot be located."},
    {118, "type-index-out-of-range", "E", "instance type_index >= TYPES count",
     "An instance names its template type by index into TYPES; an index past "
     "the table makes the interpreter read a type entry that does not "
     "exist."},
    {119, "bad-instance-id", "E", "instance id 0, or duplicated",
     "Instance ids are >= 1 and unique in a file: they name detections in "
     "telemetry and suppressions. Give each instance its own id."},
    {120, "limit-exceeded", "E",
     "a configured limit of formats-v1 section 4 other than sections and "
     "fields is exceeded",
     "chanval bounds everything it reads: file size (--max-bytes), instance "
     "count (--max-instances), string criterion length (--max-string-bytes), "
     "regex length (--max-regex-bytes), XML size (--max-xml-bytes), XML "
     "nesting (--max-xml-depth) and attributes on one XML element "
     "(--max-xml-attributes). The message names the limit and its "
     "option; raise it only if the fleet can take it."},
    {200, "xml-not-well-formed", "E", "libxml2 cannot parse it",
     "The document is not well-formed XML (or not UTF-8, or declares "
     "another encoding). The message is libxml2's, at its line:column; a "
     "NUL byte, which libxml2 would take for the end of the document, is "
     "reported at its own line:column."},
    {201, "xml-dtd-forbidden", "E",
     "DOCTYPE, DTD, entity declaration or external reference present",
     "chanval documents never use a DTD. DOCTYPEs carry entity expansion "
     "bombs (\"billion laughs\") and external references (XXE), so they are "
     "rejected before anything in them is read; nothing is ever fetched. "
     "Remove the DOCTYPE."},
    {202, "xml-schema-violation", "E",
     "unknown/missing element or attribute, bad value syntax, stray text",
     "The document breaks the schema of formats-v1 (see the XSDs in "
     "formats/): an unknown or misplaced element, an unknown or missing "
     "attribute, a value of the wrong syntax (integers without +, leading "
     "zeros or spaces; booleans true/false; names [A-Za-z][A-Za-z0-9_]*), "
     "text where none belongs, or a processing instruction."},
    {203, "xml-unknown-document", "E",
     "root is not the element the document's role expects, or formatVersion "
     "is missing or not exactly 1",
     "-t wants a <templateTypes> document, -f a <fleet>, a checked file any "
     "of those or <channel>; every root carries formatVersion=\"1\"."},
    {210, "duplicate-template-type", "E", "(id, version) defined twice",
     "A template type (id, version) may be defined once across all -t files "
     "of a run; two definitions could disagree on the fields."},
    {211, "duplicate-field-name", "E", "field name repeated in a type",
     "Field names identify criteria in channel sources; each must be unique "
     "within its template type."},
    {212, "bad-field-bounds", "E", "integer min > max; string maxLength outside 1..65535",
     "An integer field needs min <= max; a string field a maxLength between "
     "1 and 65535 bytes (the longest value the sensor passes)."},
    {213, "field-count-out-of-range", "E", "template type with 0 or more than 64 fields",
     "A template type has 1 to 64 fields (--max-fields); in a channel file "
     "the same bound applies to TYPES entries and instance records."},
    {220, "duplicate-sensor-version", "E", "sensor version listed twice",
     "Each sensor build appears once in the fleet; two entries could "
     "disagree on inputs or limits."},
    {221, "supports-unknown-type", "E", "fleet names a type not in the template types",
     "A sensor's <supports> must name a template type defined by the -t "
     "files of the run, or nothing can be checked against it. Pass the "
     "right template types or fix typeId/typeVersion."},
    {222, "duplicate-supports", "E", "a sensor lists a type twice",
     "A sensor supplies one input array per type; two <supports> for one "
     "type could disagree on its length."},
    {230, "source-unknown-field", "E",
     "criterion names no field of the type, or index out of range",
     "A criterion's field= must name a field of the instance's template "
     "type, and index= must be below the type's field count."},
    {231, "source-duplicate-criterion", "E", "a field has two criteria in one instance",
     "An instance holds one criterion per field; combine the conditions or "
     "use a second instance."},
    {300, "unknown-template-type", "E", "type (id, version) not defined in the template types",
     "The file uses a template type the run's template types do not define "
     "(or no -t was given), so its fields cannot be checked. Pass the "
     "template types the fleet ships, or fix the type id/version."},
    {301, "field-count-mismatch", "E", "field count differs from the type definition",
     "A TYPES entry or instance declares a field count other than the "
     "template type's. Criteria would be matched against the wrong fields."},
    {302, "unknown-operator", "E", "op not 0..3",
     "Criterion operators are wildcard (0), equals (1), regex (2) and range "
     "(3); in channel sources equals, regex and range."},
    {303, "operator-kind-mismatch", "E",
     "EQUALS/REGEX on an integer field, RANGE on a string field",
     "Strings are compared with equals or regex, integers with range; the "
     "interpreter would read an input as the wrong kind."},
    {304, "bad-flags", "E", "undefined flag bit; any flag on WILDCARD; case-insensitive on RANGE",
     "Criterion flags are bit0 case-insensitive and bit1 negate. Other bits "
     "are undefined; a wildcard takes no flags; a range cannot be "
     "case-insensitive."},
    {305, "empty-range", "E", "RANGE min > max",
     "A range criterion with min > max matches nothing (or, negated, "
     "everything). Swap the bounds."},
    {306, "never-matches", "W",
     "no value the sensor can pass satisfies the criterion, negate included",
     "An equals string longer than the field's maxLength, a range disjoint "
     "from the field's [min, max], or a negated range covering all of it: "
     "the instance can never fire. Usually a wrong field or a typo."},
    {307, "bad-action", "E", "action not 1..3 or severity > 4",
     "Actions are log (1), detect (2) and block (3); severities info (0), "
     "low, medium, high, critical (4)."},
    {308, "match-all-instance", "W/E", "every criterion's op is WILDCARD",
     "An instance whose criteria are all wildcards fires on every event of "
     "its type: noise for log/detect (warning), and for block it would "
     "block every such event on every endpoint (error)."},
    {310, "duplicate-type-entry", "E", "TYPES lists one (id, version) twice",
     "Each template type appears once in TYPES."},
    {400, "input-index-out-of-bounds", "E",
     "a non-wildcard criterion at index i, and some sensor supplies <= i "
     "inputs for that type",
     "The channel-file-291 class. The interpreter reads inputs[i] for every "
     "non-wildcard criterion without a bounds check; a sensor that supplies "
     "only i inputs for the type reads past its input array, which in a "
     "kernel is a crash. Checked against every sensor of the fleet. Fix: "
     "keep criteria at index >= inputs wildcard, target a type version "
     "every sensor supplies in full, or ship after the fleet is updated."},
    {401, "latent-input-mismatch", "W", "a type has more fields than a sensor supplies inputs",
     "The type declares more fields than this sensor hands the interpreter. "
     "Harmless only while every criterion past the inputs stays wildcard: "
     "the next content update that uses one of those fields crashes that "
     "sensor (CV400). Align the sensor's inputs with the type."},
    {402, "type-unsupported-by-sensor", "W", "a sensor has no supports for a type the file uses",
     "That sensor ignores instances of the type: the detection silently "
     "does not run there."},
    {403, "regex-too-long-for-sensor", "E", "regex pattern longer than a sensor's maxRegexLength",
     "The sensor refuses (or truncates) patterns above its maxRegexLength. "
     "Shorten the pattern or split the instance."},
    {404, "exceeds-sensor-limits", "E",
     "file larger than maxChannelBytes or more instances than maxInstances",
     "Every sensor receives every channel file; one over a sensor's "
     "maxChannelBytes or maxInstances is rejected or exhausts its memory."},
    {409, "no-fleet", "W", "a channel file or source checked with no fleet manifest",
     "Without -f the fleet rules (CV400-CV404, CV502) were not checked: the "
     "file's safety for real sensors is unknown. Pass the fleet manifest "
     "(--strict makes this an error)."},
    {500, "regex-syntax", "E", "PCRE2 will not compile it",
     "The sensor compiles regex criteria with PCRE2 in UTF mode (caseless "
     "when flagged). The message gives PCRE2's error and the offset in the "
     "pattern."},
    {501, "regex-unsupported-feature", "E",
     "backreference, lookbehind, recursion, conditional, callout, \\C, "
     "(*VERB) or start-of-pattern item",
     "These constructs are outside the regex subset the interpreter "
     "supports: they defeat the cost analysis (backreferences make matching "
     "NP-hard), change the engine's limits or options, or read bytes "
     "outside UTF-8 characters. Inline options like (?i) are allowed. "
     "A pattern that PCRE2 compiles but chanval's own regex parser cannot "
     "follow is CV501 too (the message says so): its cost cannot be proven, "
     "so the gate fails closed; rewrite the construct and report the pattern "
     "as a chanval limitation. So is a regex whose cost analysis runs out of "
     "one of its limits (a work budget proportional to the pattern's size, "
     "the size of its automaton, the memory of one counted match) before it "
     "finishes, or whose generic attack runs out of its step allowance "
     "before it has counted every input it must, when no input chanval then "
     "measures at the field's maxLength costs more than the budget (one that "
     "does is CV502): \"chanval cannot prove a bound for this regex\", with "
     "the limit that ran out. Simplify it: fewer nested or counted groups, "
     "possessive or atomic repeats. The same holds for a repeated regex with "
     "a Unicode property chanval's tables do not model (a bidi class, most "
     "scripts): the analysis cannot tell which characters it matches, and "
     "the message names it."},
    {502, "regex-catastrophic-backtracking", "E",
     "some input no longer than the field's maxLength costs more steps than "
     "a sensor's regexMatchLimit",
     "The regex backtracks catastrophically: an input the sensor may pass "
     "exhausts its matching budget (a fleet-wide CPU hazard and a missed "
     "detection). The message gives a witness input and its cost. Make "
     "the repeats unambiguous, possessive or atomic, or bound them. "
     "The budget decides, not the growth: a regex whose cost only grows "
     "linearly but is over the budget at maxLength is CV502 too "
     "(\"polynomial, degree 1\"). Besides the inputs the analysis proposes, "
     "every regex is attacked with inputs of the field's maxLength built "
     "from its own alphabet (each character it names, alone, in pairs and "
     "after another, its literals repeated, with a failing suffix): a long "
     "alternation tried at every start position or a bounded wildcard "
     "between literals can be over the budget with no backtracking blow-up. "
     "chanval counts at most 10,000,000 steps: a regex whose count reaches "
     "that is CV502 for any sensor whose budget is higher, not proven "
     "within it."},
    {503, "regex-superlinear", "W",
     "worst-case cost grows faster than linearly but within every budget",
     "The regex's cost grows super-linearly with input length but stays "
     "within every sensor's budget at the field's maxLength. Safe today; a "
     "longer field or smaller budget would make it CV502. It is reported "
     "only once proven: every input chanval tried at maxLength (the "
     "analysis' proposals and the generic attack) was counted within the "
     "budget, and the witness fits the field as reported, costs steps there "
     "and more than with half its repetitions. A regex that is super-linear "
     "only on inputs longer than the field (70 literal characters before "
     "the loop on a 64-byte field) gets no CV503: within the field its cost "
     "does not grow."},
    {504, "regex-empty", "W", "empty pattern",
     "An empty regex matches every value, like a wildcard, but costs a "
     "regex evaluation per event. Use no criterion (wildcard) instead."},
    {600, "instance-count-growth", "E",
     "chanval diff: the instance count grows by more than the allowed factor",
     "A content update whose instance count jumps (by default: more than doubles) is more "
     "often a generator or merge bug than new content; a feature file that doubled in size "
     "once took a large CDN down. Check what changed with chanval diff; allow a deliberate "
     "change with --max-growth or <diff maxGrowthPercent> in the project configuration."},
    {601, "file-size-growth", "E", "chanval diff: the file grows by more than the allowed factor",
     "Like CV600 for the file size: sensors load the whole file, and a sudden growth is a "
     "common sign of duplicated content."},
    {602, "block-instance-added", "W", "chanval diff: an instance with action block is added",
     "A block instance stops matching events on every endpoint of the fleet. A new one, or "
     "an instance that becomes block, deserves a second reviewer before release."},
    {603, "content-version-not-increasing", "E",
     "chanval diff: the new content_version is not greater than the old",
     "Sensors use content_version to tell a newer file from an older one; an update that does "
     "not increase it may be ignored, or roll a sensor back. Give every release a higher "
     "content version."},
    {604, "channel-id-changed", "E", "chanval diff: the channel id differs",
     "An update to a channel keeps its channel id; a different one usually means the wrong "
     "file was picked up as the new version."},
};

enum { NRULES = sizeof rules / sizeof rules[0] };

size_t chanval_rule_count(void) { return NRULES; }

const chanval_rule *chanval_rule_at(size_t index) { return index < NRULES ? &rules[index] : NULL; }

const chanval_rule *cv_rule(unsigned id)
{
    for (size_t i = 0; i < NRULES; i++)
        if (rules[i].id == id)
            return &rules[i];
    return NULL;
}

const chanval_rule *chanval_rule_find(const char *id)
{
    if (!id)
        return NULL;
    if ((id[0] == 'C' || id[0] == 'c') && (id[1] == 'V' || id[1] == 'v'))
        id += 2;
    if (strlen(id) != 3)
        return NULL;
    unsigned n = 0;
    for (int i = 0; i < 3; i++) {
        if (!isdigit((unsigned char)id[i]))
            return NULL;
        n = n * 10 + (unsigned)(id[i] - '0');
    }
    return cv_rule(n);
}

chanval_severity cv_rule_severity(unsigned id)
{
    const chanval_rule *r = cv_rule(id);
    return r && r->severity[0] == 'W' ? CHANVAL_SEV_WARNING : CHANVAL_SEV_ERROR;
}
