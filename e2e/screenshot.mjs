// Takes docs/screenshot.png: the app after a short lesson-1 session.
// Usage: node e2e/screenshot.mjs [OUT.png] [DIST]   (./x screenshot builds dist first)
import { join } from 'node:path';
import { DIST, ROOT, launch, openApp, requireDist, run, serve } from './support.mjs';

const out = process.argv[2] ?? join(ROOT, 'docs', 'screenshot.png');
const dist = process.argv[3] ?? DIST;
requireDist(dist);
const server = await serve(dist);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1, locale: 'en-US' });
  await openApp(page, server.url);
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('lesson-next').click();
  await run(page, 'kubectl get nodes');
  await run(page, 'kubectl create deployment web --image=nginx --replicas=3');
  await page.getByTestId('clock-step').click();
  await page.waitForTimeout(300);
  await run(page, 'kubectl get pods');
  await run(page, 'kubectl get deployments');
  await page.waitForTimeout(900); // let the pod transitions finish
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
