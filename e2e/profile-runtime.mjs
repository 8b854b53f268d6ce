// A CPU profile of the app in headless Chromium, to find where the runtime budgets go (not a
// test): `node e2e/profile-runtime.mjs DIST get-pods|scale|reload`. Prints the top functions by
// self time, then the app's and the engine's functions by inclusive time. For readable wasm
// frames, profile a dist whose wasm kept its names: `wasm-bindgen --keep-debug` on the cargo
// output, without wasm-opt.
import { launch, serve } from './support.mjs';
import { timedCommand } from './bench-runtime.mjs';

const [dist, what = 'get-pods'] = process.argv.slice(2);
const server = await serve(dist);
const browser = await launch();
try {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    window.__klLong = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__klLong.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${server.url}#/sandbox`);
  await page.getByTestId('console-input').waitFor();
  await page.locator('[data-testid=node]').first().waitFor();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  if (what === 'get-pods') {
    await timedCommand(page, 'kubectl create deployment web --image=nginx --replicas=1000');
    for (let i = 0; i < 6; i++) await page.getByTestId('clock-step').click();
    await page.waitForTimeout(3000);
    await page.getByTestId('clock-toggle').click();
    await page.waitForTimeout(500);
    await cdp.send('Profiler.start');
    const ms = [];
    for (let i = 0; i < 10; i++) ms.push(await timedCommand(page, 'kubectl get pods'));
    console.log('get pods ms', ms.map((x) => x.toFixed(1)).join(' '));
  } else if (what === 'reload') {
    // A saved 1,000-pod sandbox, replayed on load.
    await page.evaluate(() =>
      localStorage.setItem(
        'kubelab/v1/sandbox/sandbox',
        JSON.stringify({ v: 2, engine: '0.1.0', seed: 1, workers: 3, speed: 10, paused: false,
          events: [['c', 'kubectl create deployment web --image=nginx --replicas=1000'], ['t', 60000], ['c', 'kubectl get pods']] }),
      ),
    );
    await cdp.send('Profiler.start');
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid=console-output]')?.textContent.includes('Restored this sandbox'), null, { timeout: 60_000 });
  } else {
    await timedCommand(page, 'kubectl create deployment web --image=nginx --replicas=0');
    await page.getByTestId('speed-10x').click();
    await cdp.send('Profiler.start');
    await timedCommand(page, 'kubectl scale deployment web --replicas=1000');
    await page.waitForTimeout(8000);
  }
  const { profile } = await cdp.send('Profiler.stop');
  const longest = await page.evaluate(() => {
    const l = (window.__klLong ?? []).sort((a, b) => b.ms - a.ms)[0];
    return l ?? null;
  });
  const self = new Map();
  const dt = profile.timeDeltas;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const total = new Map();
  // Inclusive time per function: walk each sample's stack (each function once per sample).
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  if (longest) console.log('longest long task', longest);
  const inclusive = new Map();
  profile.samples.forEach((id, i) => {
    const seen = new Set();
    for (let p = id; p !== undefined; p = parent.get(p)) {
      const f = byId.get(p).callFrame.functionName;
      if (f && !seen.has(f)) {
        seen.add(f);
        inclusive.set(f, (inclusive.get(f) ?? 0) + (dt[i] ?? 0) / 1000);
      }
    }
    const n = byId.get(id);
    const name = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}`;
    self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
  });
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 45);
  for (const [name, ms] of top) console.log(ms.toFixed(1).padStart(9), name.slice(0, 150));
  console.log('--- inclusive');
  const keys = [...inclusive.entries()].filter(([f]) => /kubelab|yew::|Diagram|Console|Pod|Node|settle|view|reduce|apply|kubectl|save|fingerprint/.test(f));
  for (const [name, ms] of keys.sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(ms.toFixed(1).padStart(9), name.slice(0, 150));
} finally {
  await browser.close();
  await server.close();
}
