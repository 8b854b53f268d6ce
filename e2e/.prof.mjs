// temporary profiling helper (not committed)
import { launch, serve } from './support.mjs';
import { writeFileSync } from 'node:fs';
const dist = process.argv[2];
const mode = process.argv[3] ?? 'getpods';
const server = await serve(dist);
const browser = await launch();
const ctx = await browser.newContext({ viewport: { width: 1360, height: 860 } });
const page = await ctx.newPage();
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
if (mode === 'load') await cdp.send('Profiler.start');
await page.goto(server.url);
await page.getByTestId('console-input').waitFor();
await page.locator('[data-testid=node]').first().waitFor();
if (process.env.CSS) await page.addStyleTag({ content: process.env.CSS });
const runLine = async (line) => { const i = page.getByTestId('console-input'); await i.fill(line); await i.press('Enter'); await page.waitForTimeout(300); };
if (mode !== 'load') {
  await runLine('kubectl create deployment web --image=nginx --replicas=0');
  await page.getByTestId('speed-10x').click();
  if (mode === 'scale') await cdp.send('Profiler.start');
  await runLine('kubectl scale deployment web --replicas=1000');
  await page.waitForTimeout(8000);
  await page.getByTestId('clock-toggle').click();
  if (mode === 'getpods') { await cdp.send('Profiler.start'); for (let i = 0; i < 10; i++) await runLine('kubectl get pods'); }
}
const { profile } = await cdp.send('Profiler.stop');
writeFileSync(`/tmp/perf/${mode}.cpuprofile`, JSON.stringify(profile));
await browser.close(); await server.close();
