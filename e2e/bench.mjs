// `./x bench`: what a learner downloads, how soon they can type, and how the page copes with a
// big cluster. All in headless Debian Chromium from a local server:
//  - initial transfer: gzip -9 size of dist's wasm + js + css (budget 250 KB)
//  - time to interactive console: navigation start → the console input exists, median of 7
//    cold loads (budget 200 ms)
//  - the runtime with big clusters (e2e/bench-runtime.mjs): `kubectl get pods` with 100 and
//    1,000 pods (budget 2 ms), the longest main-thread task while a Deployment scales 0 → 1,000
//    pods (budget 50 ms), frames per second with 300 pods coming up (budget ≥ 55 fps), the saved
//    bytes and the reload time of a 1,000-pod sandbox
// Usage: node e2e/bench.mjs [DIST] [--quick] (--quick: load time only). Writes target/bench.json.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, ROOT, launch, requireDist, serve } from './support.mjs';
import { runtimeBench, runtimeTable } from './bench-runtime.mjs';

const BUDGET_BYTES = 250 * 1024;
const BUDGET_MS = 200;
const RUNS = 7;

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const dist = args.find((a) => !a.startsWith('--')) ?? DIST;
requireDist(dist);

const files = readdirSync(dist).filter((f) => ['.wasm', '.js', '.css'].includes(extname(f)));
const sizes = files.map((f) => {
  const raw = readFileSync(join(dist, f));
  return { file: f, raw: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
});
const totalGzip = sizes.reduce((n, s) => n + s.gzip, 0);
// Fetched after the first paint, so not in the initial transfer: lessons, kubectl's help texts.
const later = readdirSync(dist, { withFileTypes: true })
  .filter((d) => d.isDirectory() && !d.name.startsWith('.'))
  .map((d) => {
    const files = readdirSync(join(dist, d.name), { recursive: true }).filter((f) => /\.(ya?ml|txt|tsv)$/.test(f));
    const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(dist, d.name, f)), { level: 9 }).length, 0);
    return { dir: d.name, files: files.length, gzip };
  });

let interaction = null;
const server = await serve(dist);
const browser = await launch();
const runs = [];
try {
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // cold: nothing cached
    const page = await context.newPage();
    await page.addInitScript(() => {
      const seen = () => {
        if (!window.__klInput && document.querySelector('[data-testid=console-input]')) window.__klInput = performance.now();
        if (!window.__klNodes && document.querySelector('[data-testid=node]')) window.__klNodes = performance.now();
      };
      new MutationObserver(seen).observe(document, { childList: true, subtree: true });
    });
    await page.goto(server.url);
    await page.locator('[data-testid=node]').first().waitFor({ timeout: 10_000 });
    runs.push(
      await page.evaluate(() => {
        const mark = (n) => performance.getEntriesByName(n)[0]?.startTime ?? NaN;
        const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('.wasm'));
        return {
          input: window.__klInput,
          nodes: window.__klNodes,
          wasm_loaded: wasm?.responseEnd ?? NaN,
          wasm_started: mark('kubelab-start'),
          ready: mark('kubelab-ready'),
        };
      }),
    );
    await context.close();
  }
  if (!quick) interaction = await runtimeBench(browser, server.url);
} finally {
  await browser.close();
  await server.close();
}
const median = (key) => {
  const xs = runs.map((r) => r[key]).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)];
};
const times = runs.map((r) => r.input).sort((a, b) => a - b);
const med = median('input');

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const mark = (ok) => (ok ? 'ok' : 'OVER BUDGET');
console.log('\n| file | raw | gzip -9 |\n|---|---:|---:|');
for (const s of sizes) console.log(`| ${s.file.replace(/-[0-9a-f]{12,}/, '')} | ${kb(s.raw)} | ${kb(s.gzip)} |`);
console.log('\n| metric | value | budget | |\n|---|---:|---:|---|');
console.log(`| initial transfer (wasm+js+css, gzip -9) | ${kb(totalGzip)} | ${kb(BUDGET_BYTES)} | ${mark(totalGzip <= BUDGET_BYTES)} |`);
console.log(`| navigation → interactive console (median of ${RUNS}) | ${med.toFixed(0)} ms | ${BUDGET_MS} ms | ${mark(med <= BUDGET_MS)} |`);
console.log(`\nfetched after the first paint (not counted): ${later.map((l) => `${l.dir}/ ${l.files} files ${kb(l.gzip)}`).join(', ')}`);
console.log(`\nmedians (ms since navigation): wasm downloaded ${median('wasm_loaded').toFixed(0)}, ` +
  `wasm started ${median('wasm_started').toFixed(0)}, console input ${med.toFixed(0)}, ` +
  `nodes drawn ${median('nodes').toFixed(0)}, first render done ${median('ready').toFixed(0)}`);
console.log(`console input, all runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
if (interaction) console.log(`\n${runtimeTable(interaction)}`);

mkdirSync(join(ROOT, 'target'), { recursive: true });
writeFileSync(
  join(ROOT, 'target', 'bench.json'),
  JSON.stringify({ sizes, total_gzip_bytes: totalGzip, later, tti_ms: med, runs, interaction }, null, 2),
);
