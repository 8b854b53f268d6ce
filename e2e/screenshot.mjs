// Takes docs/screenshot.png: a lesson whose first goal was just reached, the cluster diagram
// and the console beside it.
// Usage: node e2e/screenshot.mjs [OUT.png] [DIST]   (./x screenshot builds dist first)
import { join } from 'node:path';
import { DIST, ROOT, launch, openApp, requireDist, run, serve } from './support.mjs';
import { readLesson } from './lesson-data.mjs';

const out = process.argv[2] ?? join(ROOT, 'docs', 'screenshot.png');
const dist = process.argv[3] ?? DIST;
requireDist(dist);
const lesson = readLesson('04-deployments.yaml');
const server = await serve(dist);
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, deviceScaleFactor: 1, locale: 'en-US' });
  await openApp(page, `${server.url}#/lesson/${lesson.id}/1`);
  await page.getByTestId('lesson-panel').waitFor();
  for (const line of lesson.steps[0].lines) await run(page, line);
  await page.locator('[data-testid=lesson-step][data-active=true] [data-testid=goal-met]').waitFor({ timeout: 10_000 });
  await run(page, 'kubectl get pods');
  await page.waitForTimeout(1_200); // let the pod and tick transitions finish
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
