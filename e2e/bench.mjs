// `./x bench`: what a learner downloads, how soon they can type, and how the page copes with a
// big cluster. All in headless Debian Chromium from a local server:
//  - initial transfer: gzip -9 size of dist's wasm + js + css (budget 250 KB)
//  - time to interactive console: navigation start → the console input exists, median of 7
//    cold loads (budget 200 ms)
//  - `kubectl get pods` with 1,000 pods: Enter → the output is in the DOM, median of 15, clock
//    paused (budget 2 ms)
//  - longest main-thread task while a Deployment scales 0 → 1,000 pods at 10× speed: the longest
//    PerformanceObserver `longtask` (reported from 50 ms up) and the longest gap between two
//    animation frames (budget 50 ms)
//  - frames per second while 300 pods come up and animate, over 5 s (budget ≥ 55 fps)
// Usage: node e2e/bench.mjs [DIST] [--quick] (--quick: load time only). Writes target/bench.json.
import { readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, ROOT, launch, requireDist, serve } from './support.mjs';

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
  if (!quick) interaction = await interactionBench(browser, server.url);
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
console.log(`\nmedians (ms since navigation): wasm downloaded ${median('wasm_loaded').toFixed(0)}, ` +
  `wasm started ${median('wasm_started').toFixed(0)}, console input ${med.toFixed(0)}, ` +
  `nodes drawn ${median('nodes').toFixed(0)}, first render done ${median('ready').toFixed(0)}`);
console.log(`console input, all runs (ms): ${times.map((t) => t.toFixed(0)).join(', ')}`);
if (interaction) {
  const i = interaction;
  const ms = (x) => (x == null ? 'n/a' : `${x.toFixed(1)} ms`);
  console.log('\n| metric | value | budget | |\n|---|---:|---:|---|');
  console.log(`| kubectl get pods, ${i.get_pods.pods} pods (Enter → output in DOM, median of ${i.get_pods.runs.length}) | ${ms(i.get_pods.median_ms)} | 2 ms | ${mark(i.get_pods.median_ms <= 2)} |`);
  const longest = Math.max(i.scale.longest_longtask_ms ?? 0, i.scale.longest_frame_gap_ms ?? 0);
  console.log(`| longest main-thread task, scale 0 → ${i.scale.pods} (longtask / frame gap) | ${ms(i.scale.longest_longtask_ms)} / ${ms(i.scale.longest_frame_gap_ms)} | 50 ms | ${mark(longest <= 50)} |`);
  console.log(`| diagram fps, ${i.fps.pods} pods coming up (${i.fps.seconds} s) | ${i.fps.fps.toFixed(1)} fps | 55 fps | ${mark(i.fps.fps >= 55)} |`);
  console.log(`\nget pods runs (ms): ${i.get_pods.runs.map((t) => t.toFixed(1)).join(', ')}`);
  console.log(`scale 0 → ${i.scale.pods}: ${i.scale.running} Running, ${i.scale.total} pods in the diagram after ${(i.scale.wall_ms / 1000).toFixed(1)} s; ` +
    `${i.scale.longtasks} long tasks; 99th percentile frame gap ${ms(i.scale.p99_frame_gap_ms)}`);
}

mkdirSync(join(ROOT, 'target'), { recursive: true });
writeFileSync(
  join(ROOT, 'target', 'bench.json'),
  JSON.stringify({ sizes, total_gzip_bytes: totalGzip, tti_ms: med, runs, interaction }, null, 2),
);

/** Runs `line` in the console and resolves once its output is in the DOM: wall ms in the page. */
async function timedCommand(page, line) {
  return page.evaluate(async (line) => {
    const out = document.querySelector('[data-testid=console-output]');
    const input = document.querySelector('[data-testid=console-input]');
    const before = out.textContent.length;
    const echoed = () => {
      const text = out.textContent;
      const at = text.lastIndexOf(`$ ${line}\n`);
      return at >= 0 && at >= before - 1 && text.length > at + line.length + 3;
    };
    const done = new Promise((resolve) => {
      const mo = new MutationObserver(() => {
        if (echoed()) {
          mo.disconnect();
          resolve(performance.now());
        }
      });
      mo.observe(out, { childList: true, subtree: true, characterData: true });
    });
    input.value = line;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    const t0 = performance.now();
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true, cancelable: true }));
    const t1 = await Promise.race([done, new Promise((r) => setTimeout(() => r(NaN), 20_000))]);
    return t1 - t0;
  }, line);
}

function count(page, selector) {
  return page.evaluate((s) => document.querySelectorAll(s).length, selector);
}

/** Scale 0 → 1,000 (long tasks, frame gaps), then `get pods` at 1,000, then fps with 300 pods. */
async function interactionBench(browser, url) {
  const SCALE_PODS = 1000;
  const FPS_PODS = 300;
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__klLong = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__klLong.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
    // Gaps between animation frames: what a learner sees as a stutter.
    window.__klGaps = [];
    let last = null;
    const frame = (t) => {
      if (last !== null && window.__klRecordGaps) window.__klGaps.push(t - last);
      last = t;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  await page.goto(url);
  await page.getByTestId('console-input').waitFor({ timeout: 10_000 });
  await page.locator('[data-testid=node]').first().waitFor({ timeout: 10_000 });
  const run = async (line) => {
    const ms = await timedCommand(page, line);
    if (Number.isNaN(ms)) throw new Error(`no output for: ${line}`);
    return ms;
  };

  // Scale 0 → 1,000 at 10× speed; record long tasks and frame gaps until the cluster is steady
  // (every pod drawn, the Running count unchanged for 2 s).
  await run('kubectl create deployment web --image=nginx --replicas=0');
  await page.getByTestId('speed-10x').click();
  await page.evaluate(() => {
    window.__klLong.length = 0;
    window.__klGaps.length = 0;
    window.__klRecordGaps = true;
  });
  const t0 = Date.now();
  await run(`kubectl scale deployment web --replicas=${SCALE_PODS}`);
  let running = -1;
  let stableSince = Date.now();
  let total = 0;
  while (Date.now() - t0 < 180_000) {
    await page.waitForTimeout(500);
    total = await count(page, '[data-testid=pod][data-name^="web-"]');
    const r = await count(page, '[data-testid=pod][data-phase=Running][data-name^="web-"]');
    if (r !== running) {
      running = r;
      stableSince = Date.now();
    } else if (total >= SCALE_PODS && running > 0 && Date.now() - stableSince > 2_000) {
      break;
    }
  }
  const wall = Date.now() - t0;
  const { longtasks, gaps } = await page.evaluate(() => {
    window.__klRecordGaps = false;
    return { longtasks: window.__klLong.map((e) => e.ms), gaps: window.__klGaps.slice() };
  });
  gaps.sort((a, b) => a - b);
  const scale = {
    pods: SCALE_PODS,
    total,
    running,
    wall_ms: wall,
    longtasks: longtasks.length,
    longest_longtask_ms: longtasks.length ? Math.max(...longtasks) : 0,
    longest_frame_gap_ms: gaps.length ? gaps[gaps.length - 1] : null,
    p99_frame_gap_ms: gaps.length ? gaps[Math.floor(gaps.length * 0.99)] : null,
  };

  // `kubectl get pods` with 1,000 pods, clock paused so nothing else runs.
  await page.getByTestId('clock-toggle').click();
  await run('kubectl get pods'); // warm-up
  const runsMs = [];
  for (let i = 0; i < 15; i++) runsMs.push(await run('kubectl get pods'));
  const sorted = [...runsMs].sort((a, b) => a - b);
  const getPods = { pods: SCALE_PODS, runs: runsMs, median_ms: sorted[Math.floor(sorted.length / 2)] };
  await context.close();

  // Frames per second while 300 pods are created, scheduled, started and drawn (normal speed).
  const ctx2 = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const p2 = await ctx2.newPage();
  await p2.goto(url);
  await p2.getByTestId('console-input').waitFor({ timeout: 10_000 });
  await p2.locator('[data-testid=node]').first().waitFor({ timeout: 10_000 });
  await timedCommand(p2, `kubectl create deployment web --image=nginx --replicas=${FPS_PODS}`);
  const seconds = 5;
  const frames = await p2.evaluate(
    (seconds) =>
      new Promise((resolve) => {
        let n = 0;
        const start = performance.now();
        const tick = (t) => {
          if (t - start >= seconds * 1000) return resolve({ n, ms: t - start });
          n++;
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    seconds,
  );
  const drawn = await count(p2, '[data-testid=pod][data-name^="web-"]');
  await ctx2.close();
  return {
    scale,
    get_pods: getPods,
    fps: { pods: FPS_PODS, drawn, seconds, fps: (frames.n * 1000) / frames.ms },
  };
}
