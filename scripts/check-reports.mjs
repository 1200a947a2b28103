// The checks behind scripts/check-reports (which installs what this needs and runs it):
//
//   node scripts/check-reports.mjs --cache CACHE --vnu VNU_JAR --chromium CHROMIUM -- DIR
//
// For every *.html under DIR: network (only its own file:// URL and data: URIs may be
// requested), axe (WCAG 2.0 A/AA, 2.1 AA), nu (Nu Html Checker errors), phone (a 390 px
// screenshot; charts at least 320 px wide, no caption cut off) and pdf (A4 page count;
// trustee/report.html may have at most TRUSTEE_MAX_PAGES). Every *.svg under a
// charts/ folder of DIR gets the nu check too. Prints one line per passed check, the
// details of each failure, a summary, and exits 0 only when every check passed.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const TRUSTEE_REPORT = 'trustee/report.html';
const TRUSTEE_MAX_PAGES = 2;
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa'];
const PHONE_WIDTH = 390;
const PHONE_MIN_CHART = 320;
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const IMPACT_ORDER = { critical: 0, serious: 1, moderate: 2, minor: 3 };

function intEnv(name, fallback) {
  const v = process.env[name];
  return v && /^\d+$/.test(v) ? Number(v) : fallback;
}
const AXE_NODES = intEnv('CHECK_REPORTS_AXE_NODES', 5);
const NU_LINES = intEnv('CHECK_REPORTS_NU_LINES', 50);

// --- arguments --------------------------------------------------------------------------
const opts = {};
const argv = process.argv.slice(2);
while (argv.length && argv[0] !== '--') {
  const k = argv.shift();
  if (!k.startsWith('--') || !argv.length) usage();
  opts[k.slice(2)] = argv.shift();
}
argv.shift();
if (argv.length !== 1 || !opts.cache || !opts.vnu || !opts.chromium) usage();
function usage() {
  console.error('usage: node check-reports.mjs --cache CACHE --vnu VNU_JAR --chromium CHROMIUM -- DIR');
  process.exit(2);
}
const root = path.resolve(argv[0]);
const cache = path.resolve(opts.cache);
const outDir = path.join(cache, 'out');
const require = createRequire(path.join(cache, 'package.json'));
const { chromium } = require('playwright-core');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// --- results ----------------------------------------------------------------------------
// results: rel path -> check name -> { status: 'PASS'|'FAIL'|'INFO', summary, details[] }
const results = new Map();
function record(rel, check, status, summary, details = []) {
  if (!results.has(rel)) results.set(rel, new Map());
  results.get(rel).set(check, { status, summary, details });
}
const pageCounts = new Map();

const rel = (abs) => path.relative(root, abs).split(path.sep).join('/');
const clip = (s, n = 240) => {
  s = String(s).replace(/\s+/g, ' ').trim();
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
};
const plural = (n, one, many = one + 's') => `${n} ${n === 1 ? one : many}`;
const outName = (relPath, ext) => relPath.replace(/\//g, '--').replace(/\.[^.]*$/, '') + ext;

function walk(dir) {
  const out = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}
const allFiles = walk(root).sort();
const htmlFiles = allFiles.filter((f) => f.toLowerCase().endsWith('.html'));
const svgFiles = allFiles.filter(
  (f) => f.toLowerCase().endsWith('.svg') && path.basename(path.dirname(f)) === 'charts',
);

fs.rmSync(outDir, { recursive: true, force: true });
fs.mkdirSync(outDir, { recursive: true });

const started = Date.now();

// --- nu (runs beside the browser checks) ------------------------------------------------
function runNu() {
  const files = [...htmlFiles, ...svgFiles];
  if (!files.length) return Promise.resolve();
  const args = ['-jar', opts.vnu, '--errors-only', '--format', 'gnu', '--stdout'];
  if (svgFiles.length) args.push('--also-check-svg');
  args.push(...files);
  return new Promise((resolve) => {
    execFile('java', args, { maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      fs.writeFileSync(path.join(outDir, 'nu.txt'), stdout + stderr);
      const byFile = new Map(files.map((f) => [f, []]));
      const stray = [];
      for (const line of (stdout + '\n' + stderr).split('\n')) {
        if (!line.trim()) continue;
        // "file:/abs/path":L.C-L.C: error: message   (the range may be missing)
        const m = /^"(file:[^"]*)":(?:(\d+)\.(\d+)(?:-(\d+)\.(\d+))?:)?\s*(\w[\w ]*):\s?(.*)$/.exec(line);
        let file = null;
        if (m) {
          try {
            file = fileURLToPath(m[1]);
          } catch {
            file = null;
          }
        }
        if (m && byFile.has(file)) {
          byFile.get(file).push({ line: m[2] ? Number(m[2]) : null, col: m[3] ? Number(m[3]) : null, kind: m[6], message: m[7] });
        } else {
          stray.push(line);
        }
      }
      const exitCode = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      for (const [file, errs] of byFile) {
        const check = file.toLowerCase().endsWith('.svg') ? 'nu-svg' : 'nu';
        if (!errs.length) {
          record(rel(file), check, 'PASS', 'no errors');
        } else {
          const shown = NU_LINES ? errs.slice(0, NU_LINES) : errs;
          const details = shown.map(
            (e) => `${e.line !== null ? `line ${e.line}:${e.col}` : 'document'}: ${e.kind === 'error' ? '' : e.kind + ': '}${e.message}`,
          );
          if (shown.length < errs.length) details.push(`… and ${errs.length - shown.length} more (all in ${path.join(outDir, 'nu.txt')})`);
          record(rel(file), check, 'FAIL', plural(errs.length, 'error'), details);
        }
      }
      // Output that names no checked file (a crash, an I/O error) fails the run too.
      const anyFileError = [...byFile.values()].some((e) => e.length);
      if (stray.length || (exitCode !== 0 && !anyFileError)) {
        record('(vnu)', 'nu', 'FAIL', `vnu exited ${exitCode} with output that names no checked file`, stray.slice(0, 30).map((l) => clip(l, 400)));
      }
      resolve();
    });
  });
}

// --- PDF page count ---------------------------------------------------------------------
function countPages(pdfPath) {
  return new Promise((resolve) => {
    execFile('pdfinfo', [pdfPath], (err, stdout) => {
      const m = !err && /^Pages:\s+(\d+)/m.exec(stdout);
      if (m) return resolve(Number(m[1]));
      // No pdfinfo: count the page objects (Chromium writes no object streams).
      const text = fs.readFileSync(pdfPath, 'latin1');
      resolve((text.match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length);
    });
  });
}

// --- browser checks ---------------------------------------------------------------------
function isAllowed(url, ownUrl) {
  if (url.startsWith('data:')) return true;
  return url.split('#')[0] === ownUrl;
}

// Opens the page in a new context; every request goes into `requests`, and anything but
// the page itself and data: URIs is aborted, so that the checker never reaches out.
async function openPage(browser, url, contextOptions, requests, consoleErrors) {
  const context = await browser.newContext(contextOptions);
  context.on('request', (r) => requests.push(r.url()));
  await context.route('**/*', (route) =>
    isAllowed(route.request().url(), url) ? route.continue() : route.abort('blockedbyclient'),
  );
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
  await page.goto(url, { waitUntil: 'load', timeout: 120_000 });
  await page.waitForLoadState('networkidle', { timeout: 10_000 }).catch(() => {});
  return { context, page };
}

async function checkHtml(browser, file) {
  const r = rel(file);
  const url = pathToFileURL(file).href;
  const requests = [];
  const consoleErrors = [];

  // 1. As a reader gets it, with the page's own Content-Security-Policy: network + PDF.
  {
    const { context, page } = await openPage(browser, url, {}, requests, consoleErrors);
    try {
      const pdfPath = path.join(outDir, outName(r, '.pdf'));
      await page.pdf({ path: pdfPath, format: 'A4', preferCSSPageSize: true, printBackground: true });
      const pages = await countPages(pdfPath);
      pageCounts.set(r, pages);
      const where = `(${path.relative(process.cwd(), pdfPath) || pdfPath})`;
      if (r === TRUSTEE_REPORT) {
        if (pages <= TRUSTEE_MAX_PAGES) record(r, 'pdf', 'PASS', `${plural(pages, 'A4 page')} (limit ${TRUSTEE_MAX_PAGES}) ${where}`);
        else record(r, 'pdf', 'FAIL', `${plural(pages, 'A4 page')}, more than the limit of ${TRUSTEE_MAX_PAGES} ${where}`);
      } else {
        record(r, 'pdf', 'INFO', `${plural(pages, 'A4 page')} ${where}`);
      }
    } catch (e) {
      record(r, 'pdf', 'FAIL', `printing failed: ${clip(e.message)}`);
    }
    await context.close();
  }

  // 2. With CSP bypassed, so that axe-core can be injected. Requests here count too: a
  //    reference the CSP would have blocked shows up as an attempted request.
  {
    const { context, page } = await openPage(browser, url, { bypassCSP: true }, requests, []);
    try {
      await page.addScriptTag({ content: axeSource });
      const res = await page.evaluate(
        (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
        AXE_TAGS,
      );
      fs.writeFileSync(
        path.join(outDir, outName(r, '.axe.json')),
        JSON.stringify({ violations: res.violations, incomplete: res.incomplete }, null, 2),
      );
      const v = [...res.violations].sort((a, b) => (IMPACT_ORDER[a.impact] ?? 9) - (IMPACT_ORDER[b.impact] ?? 9));
      const info = `axe-core ${res.testEngine.version}, ${AXE_TAGS.join('/')}`;
      if (!v.length) {
        const review = res.incomplete.length ? `; to review by hand: ${res.incomplete.map((x) => x.id).join(', ')}` : '';
        record(r, 'axe', 'PASS', `no violations (${info}${review})`);
      } else {
        const nodes = v.reduce((n, x) => n + x.nodes.length, 0);
        const details = [];
        for (const x of v) {
          details.push(`${x.id} (${x.impact}, ${plural(x.nodes.length, 'element')}): ${x.help}  [${x.helpUrl.replace(/\?.*$/, '')}]`);
          const shown = AXE_NODES ? x.nodes.slice(0, AXE_NODES) : x.nodes;
          for (const n of shown) {
            details.push(`    target: ${n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ')}`);
            details.push(`      html: ${clip(n.html)}`);
            const why = (n.failureSummary || '').split('\n').slice(1).map((s) => s.trim()).filter(Boolean);
            if (why.length) details.push(`       why: ${clip(why.join('; '), 300)}`);
          }
          if (shown.length < x.nodes.length) details.push(`    … and ${x.nodes.length - shown.length} more elements`);
        }
        details.push(`(full results: ${path.join(outDir, outName(r, '.axe.json'))})`);
        record(r, 'axe', 'FAIL', `${plural(v.length, 'violation')} on ${plural(nodes, 'element')} (${info})`, details);
      }
    } catch (e) {
      record(r, 'axe', 'FAIL', `axe-core could not run: ${clip(e.message)}`);
    }
    await context.close();
  }

  // 3. On a phone (390 px): a screenshot of the whole page; every chart at least
  //    PHONE_MIN_CHART px wide (it scrolls sideways in its frame rather than shrink),
  //    no table caption or figure caption cut off, and the page itself no wider than the
  //    screen.
  {
    const { context, page } = await openPage(browser, url, { viewport: { width: PHONE_WIDTH, height: 844 } }, requests, []);
    try {
      const shot = path.join(outDir, outName(r, '.phone.png'));
      await page.screenshot({ path: shot, fullPage: true });
      const m = await page.evaluate(() => {
        const width = (e) => e.getBoundingClientRect().width;
        const charts = [...document.querySelectorAll('.chart-frame svg')].map((s) => ({
          id: s.closest('figure')?.id || '?',
          w: Math.round(width(s)),
        }));
        const clipped = [...document.querySelectorAll('.table-caption, figcaption')]
          .filter((e) => e.scrollWidth > e.clientWidth + 1 || e.getBoundingClientRect().right > window.innerWidth + 1)
          .map((e) => e.textContent.trim().slice(0, 80));
        return { charts, clipped, page: document.documentElement.scrollWidth, view: window.innerWidth };
      });
      const narrow = m.charts.filter((c) => c.w < PHONE_MIN_CHART);
      const problems = [
        ...narrow.map((c) => `chart ${c.id} is ${c.w} px wide (at least ${PHONE_MIN_CHART})`),
        ...m.clipped.map((t) => `caption cut off: ${t}`),
        ...(m.page > m.view + 1 ? [`the page is ${m.page} px wide on a ${m.view} px screen`] : []),
      ];
      const smallest = m.charts.length ? Math.min(...m.charts.map((c) => c.w)) : 0;
      const where = `(${path.relative(process.cwd(), shot) || shot})`;
      if (problems.length) record(r, 'phone', 'FAIL', `${plural(problems.length, 'problem')} at ${PHONE_WIDTH} px ${where}`, problems);
      else record(r, 'phone', 'PASS', `${plural(m.charts.length, 'chart')} at ${PHONE_WIDTH} px, the narrowest ${smallest} px; no caption cut off ${where}`);
    } catch (e) {
      record(r, 'phone', 'FAIL', `could not check at ${PHONE_WIDTH} px: ${clip(e.message)}`);
    }
    await context.close();
  }

  const bad = [...new Set(requests.filter((u) => !isAllowed(u, url)))];
  const csp = [...new Set(consoleErrors.filter((m) => /Content Security Policy|Refused to/i.test(m)))];
  const errs = [...new Set(consoleErrors.filter((m) => !csp.includes(m)))];
  if (!bad.length && !csp.length) {
    const own = requests.filter((u) => !u.startsWith('data:')).length;
    const data = requests.length - own;
    const extra = errs.length ? `; console errors: ${errs.map((e) => clip(e, 120)).join(' / ')}` : '';
    record(r, 'network', 'PASS', `only the page itself and data: URIs (${own} + ${data} requests)${extra}`);
  } else {
    const details = [
      ...bad.map((u) => `request: ${clip(u, 300)}`),
      ...csp.map((m) => `blocked by the page's CSP: ${clip(m, 300)}`),
    ];
    record(r, 'network', 'FAIL', `${plural(bad.length, 'outside request')}, ${plural(csp.length, 'CSP violation')}`, details);
  }
}

async function runBrowser() {
  if (!htmlFiles.length) return;
  const browser = await chromium.launch({ executablePath: opts.chromium, headless: true, args: CHROMIUM_ARGS });
  try {
    for (const f of htmlFiles) {
      try {
        await checkHtml(browser, f);
      } catch (e) {
        record(rel(f), 'network', 'FAIL', `page could not be checked: ${clip(e.message, 400)}`);
      }
    }
  } finally {
    await browser.close();
  }
}

// --- the PDFs sprout wrote ---------------------------------------------------------------
// pdfinfo says tagged, and its page count (the trustee summary must be exactly two pages);
// pdftoppm renders every page; pdffonts shows every font embedded.
const pdfFiles = allFiles.filter((f) => f.toLowerCase().endsWith('.pdf'));
const TRUSTEE_PDF = 'trustee/report.pdf';
function run(cmd, args) {
  return new Promise((resolve) => {
    execFile(cmd, args, { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) =>
      resolve({ ok: !err, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}
async function checkPdf(f) {
  const r = rel(f);
  const info = await run('pdfinfo', [f]);
  const pages = Number((/^Pages:\s+(\d+)/m.exec(info.stdout) || [])[1] || 0);
  const tagged = /^Tagged:\s+yes/m.test(info.stdout);
  const problems = [];
  if (!info.ok) problems.push(`pdfinfo failed: ${clip(info.stderr)}`);
  if (!tagged) problems.push('not tagged (pdfinfo: Tagged: no)');
  if (!pages) problems.push('no pages');
  if (r === TRUSTEE_PDF && pages !== TRUSTEE_MAX_PAGES) problems.push(`${pages} pages; the trustee summary must be exactly ${TRUSTEE_MAX_PAGES}`);
  const prefix = path.join(outDir, outName(r, ''));
  const ppm = await run('pdftoppm', ['-png', '-r', '30', f, prefix]);
  const rendered = fs.readdirSync(outDir).filter((n) => n.startsWith(path.basename(prefix) + '-') && n.endsWith('.png')).length;
  if (!ppm.ok || rendered !== pages) problems.push(`pdftoppm rendered ${rendered} of ${pages} pages${ppm.ok ? '' : ': ' + clip(ppm.stderr)}`);
  const fonts = await run('pdffonts', [f]);
  const rows = fonts.stdout.split('\n').slice(2).filter((l) => l.trim());
  const notEmbedded = rows.filter((l) => {
    const cols = l.trim().split(/\s+/);
    return cols[cols.length - 5] !== 'yes';
  });
  if (!fonts.ok || !rows.length) problems.push(`pdffonts failed or found no fonts: ${clip(fonts.stderr)}`);
  if (notEmbedded.length) problems.push(`fonts not embedded: ${notEmbedded.map((l) => l.trim().split(/\s+/)[0]).join(', ')}`);
  pageCounts.set(r, pages);
  const summary = `${pages} A4 pages, tagged, ${plural(rows.length, 'font')} embedded, every page rendered`;
  record(r, 'sprout-pdf', problems.length ? 'FAIL' : 'PASS', problems.length ? plural(problems.length, 'problem') : summary, problems);
}

await Promise.all([runBrowser(), runNu(), ...pdfFiles.map(checkPdf)]);

if (!htmlFiles.length) record('(dir)', 'files', 'FAIL', `no *.html under ${root}`);
else if (!results.has(TRUSTEE_REPORT)) record(TRUSTEE_REPORT, 'pdf', 'FAIL', `missing: ${path.join(root, TRUSTEE_REPORT)} not found`);

// --- report -----------------------------------------------------------------------------
const CHECK_ORDER = ['files', 'network', 'axe', 'nu', 'nu-svg', 'phone', 'pdf', 'sprout-pdf'];
const tty = process.stdout.isTTY && !process.env.NO_COLOR;
const paint = (code, s) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
const tag = { PASS: paint('32', 'PASS'), FAIL: paint('1;31', 'FAIL'), INFO: paint('36', 'INFO') };

console.log(`check-reports: ${root}`);
console.log(`  ${plural(htmlFiles.length, 'HTML file')}, ${plural(svgFiles.length, 'chart SVG')}; PDFs and full results in ${outDir}`);

// HTML files one by one; chart SVGs one line per charts/ folder unless some fail.
const groups = new Map(); // heading -> [ [label, check, result] ]
const add = (heading, label, check, res) => {
  if (!groups.has(heading)) groups.set(heading, []);
  groups.get(heading).push([label, check, res]);
};
const keys = [...results.keys()].sort();
for (const k of keys.filter((k) => !k.endsWith('.svg'))) {
  const checks = [...results.get(k)].sort((a, b) => CHECK_ORDER.indexOf(a[0]) - CHECK_ORDER.indexOf(b[0]));
  for (const [check, res] of checks) add(k, null, check, res);
}
const svgDirs = new Map();
for (const k of keys.filter((k) => k.endsWith('.svg'))) {
  const d = path.posix.dirname(k);
  if (!svgDirs.has(d)) svgDirs.set(d, []);
  svgDirs.get(d).push([k, results.get(k).get('nu-svg')]);
}
for (const [d, items] of svgDirs) {
  const failed = items.filter(([, res]) => res.status === 'FAIL');
  const heading = `${d}/*.svg`;
  if (!failed.length) add(heading, null, 'nu-svg', { status: 'PASS', summary: `no errors in ${plural(items.length, 'file')}`, details: [] });
  for (const [k, res] of failed) add(heading, path.posix.basename(k), 'nu-svg', res);
  if (failed.length && failed.length < items.length) {
    add(heading, null, 'nu-svg', { status: 'PASS', summary: `no errors in the other ${plural(items.length - failed.length, 'file')}`, details: [] });
  }
}
for (const [heading, lines] of groups) {
  console.log(`\n${paint('1', heading)}`);
  for (const [label, check, res] of lines) {
    console.log(`  ${tag[res.status]}  ${check.padEnd(7)}  ${label ? label + ': ' : ''}${res.summary}`);
    for (const d of res.details) console.log(`          ${d}`);
  }
}

// Summary per check.
const tally = new Map();
for (const [, checks] of results) {
  for (const [check, res] of checks) {
    if (!tally.has(check)) tally.set(check, { PASS: 0, FAIL: 0, INFO: 0 });
    tally.get(check)[res.status]++;
  }
}
console.log(`\n${paint('1', 'Summary')}`);
let failures = 0;
for (const check of CHECK_ORDER.filter((c) => tally.has(c))) {
  const t = tally.get(check);
  failures += t.FAIL;
  const parts = [`${t.PASS} passed`, `${t.FAIL} failed`];
  if (t.INFO) parts.push(`${t.INFO} informational`);
  const unit = check === 'nu-svg' ? ' (files)' : '';
  console.log(`  ${(t.FAIL ? tag.FAIL : tag.PASS)}  ${check.padEnd(7)}  ${parts.join(', ')}${unit}`);
}
if (pageCounts.size) {
  console.log(`        pages    ${[...pageCounts].map(([k, n]) => `${k}: ${n}`).join(', ')}`);
}
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(failures ? `\n${tag.FAIL}: ${plural(failures, 'check')} failed (${secs}s)` : `\n${tag.PASS}: every check passed (${secs}s)`);
process.exit(failures ? 1 : 0);
