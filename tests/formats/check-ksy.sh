#!/bin/sh
# check-ksy.sh - compile formats/channel-file.ksy with the Kaitai Struct
# compiler and parse the worked example of formats/channel-file.md with the
# generated parser.
#
# Needs node and npm; the compiler, its YAML reader and the JavaScript
# runtime are installed once into a cache directory under ${TMPDIR:-/tmp}.
# Prints "ksy: ok" and exits 0 on success, exits 1 on failure, and exits 77
# (skip) when npm or node is missing or the npm registry cannot be reached.
set -u

KSC_VERSION=0.11.0
RUNTIME_VERSION=0.11.0
YAML_VERSION=4.1.0

here=$(cd "$(dirname "$0")" && pwd) || exit 1
ksy="$here/../../formats/channel-file.ksy"
if [ ! -f "$ksy" ]; then
    echo "ksy: $ksy not found" >&2
    exit 1
fi

if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "ksy: skipped: needs node and npm (Debian: apt-get install nodejs npm)" >&2
    exit 77
fi

tmp=${TMPDIR:-/tmp}
cache="$tmp/chanval-ksc-$KSC_VERSION"
if [ ! -f "$cache/node_modules/kaitai-struct-compiler/package.json" ] ||
   [ ! -f "$cache/node_modules/kaitai-struct/package.json" ] ||
   [ ! -f "$cache/node_modules/js-yaml/package.json" ]; then
    staging="$cache.tmp.$$"
    rm -rf "$staging"
    mkdir -p "$staging" || exit 1
    log="$staging.log"
    if ! (cd "$staging" && npm install --no-audit --no-fund --silent \
            "kaitai-struct-compiler@$KSC_VERSION" \
            "kaitai-struct@$RUNTIME_VERSION" \
            "js-yaml@$YAML_VERSION") >"$log" 2>&1; then
        if ! npm ping --fetch-timeout=15000 >/dev/null 2>&1; then
            echo "ksy: skipped: the npm registry cannot be reached for kaitai-struct-compiler" >&2
            rm -rf "$staging" "$log"
            exit 77
        fi
        cat "$log" >&2
        echo "ksy: npm install of kaitai-struct-compiler failed" >&2
        rm -rf "$staging" "$log"
        exit 1
    fi
    rm -f "$log"
    rm -rf "$cache"
    mv "$staging" "$cache" 2>/dev/null || rm -rf "$staging"
fi

out="$tmp/chanval-ksy-out.$$"
rm -rf "$out"
trap 'rm -rf "$out"' EXIT INT TERM
mkdir -p "$out" || exit 1

# Compile to two targets, then load the JavaScript parser and read the
# worked example byte for byte.
KSC_CACHE="$cache" KSY="$ksy" OUT="$out" node -e '
const fs = require("fs"), path = require("path");
const mods = path.join(process.env.KSC_CACHE, "node_modules");
const yaml = require(path.join(mods, "js-yaml"));
const ksc = require(path.join(mods, "kaitai-struct-compiler"));
const ksy = yaml.load(fs.readFileSync(process.env.KSY, "utf8"));
function fail(msg) { console.error("ksy: " + msg); process.exit(1); }
(async () => {
  for (const lang of ["python", "javascript"]) {
    const dir = path.join(process.env.OUT, lang);
    fs.mkdirSync(dir, { recursive: true });
    let files;
    try {
      files = await ksc.compile(lang, ksy, null, false);
    } catch (e) {
      fail("compiling to " + lang + " failed: " +
           (e && (e.message || e.s$1 || String(e))));
    }
    for (const [name, code] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), code);
  }
  /* The worked example of channel-file.md (205 bytes). */
  const hex =
    "4348 4e4c 0100 0000 5000 0000 0000 0000 2301 0000 0300 0000 899f 6820 2f00 0000" +
    "cd00 0000 0000 0000 5000 0000 0000 0000 bbed b6fb ace7 63e8 91c7 90e9 6209 a140" +
    "1cef 80cf db70 bb8f a718 7e76 ae1e 11fd 0100 0000 c800 0000 0500 0000 0000 0000" +
    "0200 0000 8000 0000 0c00 0000 0000 0000 0300 0000 8c00 0000 3c00 0000 0000 0000" +
    "0100 0000 0700 0000 0300 0200 0100 0000 0100 0000 0000 0200 0203 0000 3800 0000" +
    "0201 0000 0000 0000 0500 0000 0000 0000 0000 0000 0300 0000 0400 0000 0000 0000" +
    "0400 0000 0000 0000 5e65 7669 6c";
  const data = Buffer.from(hex.replace(/ /g, ""), "hex");
  const rt = require(path.join(mods, "kaitai-struct"));
  const KaitaiStream = rt.KaitaiStream || rt;
  /* The generated module loads its runtime as "kaitai-struct/KaitaiStream". */
  const Module = require("module");
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (req, ...rest) {
    if (req.startsWith("kaitai-struct/"))
      return resolve.call(this, path.join(mods, req), ...rest);
    return resolve.call(this, req, ...rest);
  };
  const gen = require(path.join(process.env.OUT, "javascript", "ChanvalChannelFile.js"));
  const C = gen.ChanvalChannelFile || gen;
  let f;
  try {
    f = new C(new KaitaiStream(data));
  } catch (e) {
    fail("parsing the worked example failed: " + (e && e.message));
  }
  const sec = f.sectionTable;
  const inst = sec.find(s => s.kind === C.SectionKind.INSTANCES).body;
  const r = inst.records[0];
  const c0 = r.criteria[0], c1 = r.criteria[1];
  const checks = [
    [f.header.channelId, 291], [f.header.sectionCount, 3],
    [f.header.fileSize, 205], [sec[0].kind, C.SectionKind.STRINGS],
    [f.typesBody.entries[0].typeId, 7], [f.typesBody.entries[0].fieldCount, 2],
    [inst.count, 1], [r.instanceId, 1], [r.recordSize, r.expectedRecordSize],
    [r.typeEntry.typeVersion, 3], [r.action, C.Action.DETECT],
    [r.severity, C.Severity.HIGH], [c0.op, C.Op.REGEX],
    [c0.caseInsensitive, true], [Buffer.from(c0.payload.value).toString(), "^evil"],
    [c1.op, C.Op.RANGE], [Number(c1.payload.min), 4], [Number(c1.payload.max), 4],
  ];
  checks.forEach(([got, want], i) => {
    if (got !== want) fail("worked example: check " + i + ": got " + got + ", want " + want);
  });
})().catch(e => fail(String(e && (e.stack || e))));
' || exit 1

echo "ksy: ok"
