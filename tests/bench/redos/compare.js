// compare.js - recheck and redos-detector on the labelled set, side by side
// with chanval's results (from redos_bench).
//
//   node compare.js SET.tsv CHANVAL_ROWS.tsv NODE_MODULES [DETAILS.tsv]
//
// Both tools understand JavaScript regular expressions only: a pattern
// with PCRE-only syntax (possessive or atomic groups, (?i), \A, \z, \h,
// POSIX classes, (?P<name>...), comments...) is "invalid" for them and is
// counted apart.  recheck answers safe / vulnerable (exponential or
// polynomial) / unknown; redos-detector answers safe / unsafe, or gives up
// (error: hitMaxSteps, timedOut; it then says safe: false, counted as a
// flag and shown apart as "gave-up").
'use strict';

const fs = require('fs');
const path = require('path');

const [setPath, rowsPath, modules, detailsPath] = process.argv.slice(2);
if (!setPath || !rowsPath || !modules) {
  console.error('usage: node compare.js SET.tsv CHANVAL_ROWS.tsv NODE_MODULES [DETAILS.tsv]');
  process.exit(2);
}
const recheck = require(path.join(modules, 'recheck'));
const detector = require(path.join(modules, 'redos-detector'));

const TIMEOUT_MS = Number(process.env.REDOS_TOOL_TIMEOUT_MS || 5000);
const version = (name) => require(path.join(modules, name, 'package.json')).version;

// The data set's escapes: \\ \t \n \r \xHH; anything else kept.
function unescape(s) {
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1];
      if (n === '\\' || n === 't' || n === 'n' || n === 'r') {
        out.push({ '\\': 0x5c, t: 9, n: 10, r: 13 }[n]);
        i++;
        continue;
      }
      if (n === 'x' && i + 3 < s.length && /^[0-9a-fA-F]{2}$/.test(s.slice(i + 2, i + 4))) {
        out.push(parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
        continue;
      }
    }
    out.push(c.charCodeAt(0));
  }
  return Buffer.from(out).toString('utf8');
}

function readTsv(p) {
  const lines = fs.readFileSync(p, 'latin1').split('\n').filter((l) => l.length);
  const head = lines.shift().split('\t');
  return lines.map((l) => {
    const f = l.split('\t');
    const o = {};
    head.forEach((h, i) => { o[h] = f[i] === undefined ? '' : f[i]; });
    return o;
  });
}

function stats(ms) {
  const v = ms.slice().sort((a, b) => a - b);
  const at = (p) => (v.length ? v[Math.min(v.length - 1, Math.round(p * (v.length - 1)))] : 0);
  return `median ${at(0.5).toFixed(3)} ms, p95 ${at(0.95).toFixed(3)} ms, max ${at(1).toFixed(3)} ms`;
}

function pctOf(a, b) {
  return b ? `${a}/${b} = ${((100 * a) / b).toFixed(1)}%` : `${a}/0`;
}

async function main() {
  const set = readTsv(setPath);
  const rows = readTsv(rowsPath);
  if (set.length !== rows.length) {
    console.error('the set and the chanval rows differ in length');
    process.exit(2);
  }
  const results = [];
  for (let i = 0; i < set.length; i++) {
    const source = unescape(set[i].pattern);
    const flags = set[i].flags.includes('i') ? 'i' : '';
    const label = set[i].label;
    const chanval = rows[i].rule; // CV502, CV503, none

    // recheck
    let rc = 'unknown';
    let rcClass = '';
    let rcWhy = '';
    let t0 = process.hrtime.bigint();
    try {
      const d = await recheck.check(source, flags, { timeout: TIMEOUT_MS });
      if (d.status === 'vulnerable') {
        rc = 'vulnerable';
        rcClass = d.complexity.type;
      } else if (d.status === 'safe') {
        rc = 'safe';
      } else {
        rc = d.error && (d.error.kind === 'invalid' || d.error.kind === 'unsupported')
          ? 'invalid' : 'unknown';
        rcWhy = d.error ? String(d.error.kind) : '';
      }
    } catch (e) {
      rc = 'invalid';
      rcWhy = String(e.message || e).replace(/\s+/g, ' ').slice(0, 60);
    }
    const rcMs = Number(process.hrtime.bigint() - t0) / 1e6;

    // redos-detector
    let rd = 'unknown';
    let rdWhy = '';
    t0 = process.hrtime.bigint();
    try {
      new RegExp(source, flags); // its parser takes JavaScript syntax
      const r = detector.isSafePattern(source, {
        caseInsensitive: flags.includes('i'),
        timeout: TIMEOUT_MS,
      });
      if (r.safe) rd = 'safe';
      else if (r.error === 'hitMaxScore') rd = 'unsafe';
      else { rd = 'gave-up'; rdWhy = r.error; }
    } catch (e) {
      rd = 'invalid';
      rdWhy = String(e.message || e).replace(/\s+/g, ' ').slice(0, 60);
    }
    const rdMs = Number(process.hrtime.bigint() - t0) / 1e6;
    results.push({ i, label, chanval, chanvalMs: Number(rows[i].ms), rc, rcClass, rcWhy, rcMs,
      rd, rdWhy, rdMs, source });
  }

  const sup = (r) => r.label !== 'linear';
  const cvFlags = (r) => r.chanval !== 'none';
  const rcFlags = (r) => r.rc === 'vulnerable';
  const rdFlags = (r) => r.rd === 'unsafe' || r.rd === 'gave-up'; // safe: false

  console.log(`\nrecheck ${version('recheck')} and redos-detector ${version('redos-detector')} `
    + `on the same ${results.length} regexes (JavaScript syntax; timeout ${TIMEOUT_MS} ms)\n`);
  for (const [name, key, flagged, answers] of [
    ['recheck', 'rc', rcFlags, ['vulnerable', 'safe', 'unknown', 'invalid']],
    ['redos-detector', 'rd', rdFlags, ['unsafe', 'safe', 'gave-up', 'invalid']],
  ]) {
    console.log(`  ${name}`);
    console.log(`    ${'label'.padEnd(12)} ${answers.map((a) => a.padStart(10)).join(' ')}`);
    for (const label of ['exponential', 'polynomial', 'linear']) {
      const counts = answers.map((a) => results.filter((r) => r.label === label && r[key] === a).length);
      console.log(`    ${label.padEnd(12)} ${counts.map((c) => String(c).padStart(10)).join(' ')}`);
    }
    const supRows = results.filter(sup);
    console.log(`    recall on super-linear rows: ${pctOf(supRows.filter(flagged).length, supRows.length)}`);
    const fl = results.filter(flagged);
    console.log(`    flagged rows labelled linear: ${fl.filter((r) => !sup(r)).length} of ${fl.length}`);
    const js = results.filter((r) => r[key] !== 'invalid');
    const pcreOnly = results.filter((r) => r[key] === 'invalid');
    const pcreSup = pcreOnly.filter(sup);
    console.log(`    PCRE-only syntax (invalid for it): ${pcreOnly.length} rows, ${pcreSup.length} `
      + `super-linear: its recall there 0/${pcreSup.length}, chanval's `
      + `${pctOf(pcreSup.filter(cvFlags).length, pcreSup.length)}`);
    const jsSup = js.filter(sup);
    console.log(`    on the rows it parses: its recall ${pctOf(jsSup.filter(flagged).length, jsSup.length)}, `
      + `chanval's ${pctOf(jsSup.filter(cvFlags).length, jsSup.length)}`);
    const both = js.filter((r) => flagged(r) && cvFlags(r)).length;
    const neither = js.filter((r) => !flagged(r) && !cvFlags(r)).length;
    const onlyCv = js.filter((r) => !flagged(r) && cvFlags(r)).length;
    const onlyIt = js.filter((r) => flagged(r) && !cvFlags(r)).length;
    console.log(`    agreement with chanval on the rows it parses: ${pctOf(both + neither, js.length)} `
      + `(both flag ${both}, neither ${neither}, chanval only ${onlyCv}, ${name} only ${onlyIt})`);
    console.log(`    time per regex: ${stats(results.map((r) => r[key + 'Ms']))}`);
    console.log('');
  }
  console.log(`  chanval (same run): time per regex ${stats(results.map((r) => r.chanvalMs))}`);

  if (detailsPath) {
    const out = ['row\tlabel\tchanval\trecheck\trecheck_class\trecheck_why\tredos_detector'
      + '\tredos_detector_why\tpattern'];
    for (const r of results)
      out.push([r.i, r.label, r.chanval, r.rc, r.rcClass, r.rcWhy, r.rd, r.rdWhy,
        JSON.stringify(r.source).slice(1, -1).slice(0, 160)].join('\t'));
    fs.writeFileSync(detailsPath, out.join('\n') + '\n');
  }
}

main().catch((e) => { console.error(e); process.exit(2); });
