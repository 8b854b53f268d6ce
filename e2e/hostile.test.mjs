// Hostile input in a real browser: HTML and script in object names, labels, annotations, logs,
// lesson text and the address render as text and never run; huge pastes are refused with the
// limits stated while the page stays responsive and the cluster keeps what it had.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launch, openApp, requireDist, run, serve } from './support.mjs';
import { LESSONS_DIR } from './lesson-data.mjs';

const XSS = '<img src=x onerror=alert(1)>';

let server;
let browser;

before(async () => {
  requireDist();
  server = await serve();
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function freshContext() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US' });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  // Anything injected would show up as an element the app never makes, or as a fired handler.
  await page.addInitScript(() => {
    window.__pwned = 0;
    window.alert = () => window.__pwned++;
  });
  return { context, page, dialogs };
}

/** Nothing ran and nothing was injected. */
async function assertInert(page, dialogs) {
  assert.deepEqual(dialogs, [], 'no dialog opened');
  assert.equal(await page.evaluate(() => window.__pwned), 0, 'no injected handler ran');
  assert.equal(await page.locator('img').count(), 0, 'no <img> element anywhere');
  assert.equal(await page.locator('body script').count(), 0, 'no <script> element in the body');
  assert.equal(await page.locator('[onerror]').count(), 0, 'no element with an onerror attribute');
}

const output = (page) => page.getByTestId('console-output').textContent();
const waitOutput = (page, text, timeout = 10_000) =>
  page.waitForFunction((t) => document.querySelector('[data-testid=console-output]').textContent.includes(t), text, { timeout });

test('HTML in names, labels, annotations, logs and manifests is shown as text', async () => {
  const { context, page, dialogs } = await freshContext();
  const errors = await openApp(page, `${server.url}#/sandbox`);
  // A deployment name and a label value: the API server refuses them, quoting them back.
  await run(page, `kubectl create deployment '${XSS}' --image=nginx`);
  await run(page, `kubectl run xss --image=busybox --labels='app=${XSS}' -- sh -c 'echo "${XSS}"; sleep 3600'`);
  await run(page, `kubectl run logger --image=busybox --labels=app=logger -- sh -c 'echo "${XSS}"; echo "<script>alert(2)</script>"; sleep 3600'`);
  await run(page, `kubectl annotate pod logger note='${XSS}' title='"><svg onload=alert(3)>'`);
  await run(page, 'cat > evil.yaml <<EOF');
  for (const line of [
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    '  name: evil',
    '  labels:',
    '    app: evil',
    '  annotations:',
    `    html: "${XSS}"`,
    'spec:',
    '  containers:',
    '  - name: main',
    '    image: busybox',
    `    command: ["sh", "-c", "echo '<b onmouseover=alert(4)>bold</b>'; sleep 3600"]`,
    'EOF',
  ])
    await run(page, line);
  await run(page, 'kubectl apply -f evil.yaml');
  await page.getByTestId('clock-step').click();
  await page.locator('[data-testid=pod][data-name=logger][data-phase=Running]').waitFor({ timeout: 10_000 });
  await run(page, 'kubectl logs logger');
  await run(page, 'kubectl logs evil');
  await run(page, 'kubectl get pod logger -o yaml');
  await run(page, 'kubectl describe pod evil');
  await waitOutput(page, '<b onmouseover=alert(4)>bold</b>');
  const text = await output(page);
  assert.ok(text.includes(`"${XSS}"`) || text.includes(XSS), 'the name is quoted back as text');
  assert.ok(text.includes(`${XSS}\n<script>alert(2)</script>\n`), `the log lines, verbatim:\n${text}`);
  assert.ok(text.includes(`note: <img src=x onerror=alert(1)>`), 'the annotation, verbatim');
  // The console keeps text in text nodes only.
  assert.equal(await page.locator('[data-testid=console-output] *:not(span)').count(), 0);
  // Diagram tooltips and attributes carry the names as text.
  const title = await page.locator('[data-testid=pod][data-name=logger] title').textContent();
  assert.match(title, /default\/logger/);
  // Hover every pod (tooltips) and move over the output, then check nothing ran.
  await page.locator('[data-testid=pod][data-name=evil]').hover();
  await page.getByTestId('console-output').hover();
  await page.waitForTimeout(300);
  await assertInert(page, dialogs);
  assert.deepEqual(errors, []);
  await context.close();
});

test('HTML in lesson text and in the address is shown as text', async () => {
  const { context, page, dialogs } = await freshContext();
  // Serve a lesson whose title, text, task and hint carry HTML and script.
  const file = '01-cluster.yaml';
  const original = readFileSync(join(LESSONS_DIR, file), 'utf8');
  const evil = original
    .replace(/^( {2}en: ).*$/m, `$1"${XSS} <script>alert(5)</script>"`)
    .replace(/^( {4}task:\n {6}zh: .*\n {6}en: ).*$/m, `$1"Do it ${XSS} \`<svg onload=alert(6)>\`"`);
  assert.notEqual(evil, original, 'the lesson was changed');
  await page.route(`**/lessons/${file}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'text/yaml', body: evil }),
  );
  await openApp(page, `${server.url}#/lesson/cluster/1`);
  await page.getByTestId('lesson-panel').waitFor();
  assert.equal(await page.getByTestId('lesson-title').textContent(), `${XSS} <script>alert(5)</script>`);
  assert.match(await page.getByTestId('step-task').textContent(), /Do it <img src=x onerror=alert\(1\)> <svg onload=alert\(6\)>/);
  await page.getByTestId('nav-lessons').click();
  assert.match(await page.locator('[data-testid=lesson-card][data-lesson=cluster]').textContent(), /<script>alert\(5\)<\/script>/);

  // An address carrying HTML: a notice quotes it as text.
  await page.goto(`${server.url}#/lesson/${encodeURIComponent(XSS)}/1`);
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /There is no lesson at “\/lesson\/<img src=x onerror=alert\(1\)>\/1”/);
  await page.goto(`${server.url}#/${XSS}`);
  await page.waitForTimeout(300);
  await assertInert(page, dialogs);
  await context.close();
});

test('a 10 MB paste is refused with the limit, the page stays responsive and the cluster keeps its state', async () => {
  const { context, page, dialogs } = await freshContext();
  const errors = await openApp(page, `${server.url}#/sandbox`);
  await run(page, 'kubectl create deployment keep --image=nginx --replicas=2');
  await waitOutput(page, 'keep created');
  // A heartbeat: the longest gap between animation frames while the paste is handled.
  await page.evaluate(() => {
    window.__gap = 0;
    let last = performance.now();
    const beat = (t) => {
      window.__gap = Math.max(window.__gap, t - last);
      last = t;
      window.__beat = requestAnimationFrame(beat);
    };
    window.__beat = requestAnimationFrame(beat);
  });
  const t0 = Date.now();
  await page.evaluate(() => {
    const line = 'kubectl delete deployment keep # padding padding padding padding padding padding padding padding\n';
    const text = line.repeat(Math.ceil((10 * 1024 * 1024) / line.length)); // 10 MB, ~100,000 lines
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document
      .querySelector('[data-testid=console-input]')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await page.locator('[data-testid=console-output] .warn').waitFor({ timeout: 5_000 });
  const elapsed = Date.now() - t0;
  const warn = await page.locator('[data-testid=console-output] .warn').textContent();
  assert.match(warn, /paste refused: 10\.0 MB in [\d,]+ lines is more than the console takes at once \(512\.0 KB, 5,000 lines\)/);
  assert.match(warn, /Nothing was run; the cluster is unchanged/);
  assert.ok(elapsed < 3_000, `refused in ${elapsed} ms`);
  await page.waitForTimeout(200);
  const gap = await page.evaluate(() => window.__gap);
  assert.ok(gap < 1_000, `the longest frame gap was ${gap.toFixed(0)} ms`);
  assert.equal(await page.getByTestId('console-input').inputValue(), '', 'nothing landed in the input');

  // Within the limits, a long paste runs a frame's budget at a time, with progress, in order.
  await page.evaluate(() => (window.__gap = 0));
  const lines = Array.from({ length: 3_000 }, (_, i) => `echo line-${i}`);
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document
      .querySelector('[data-testid=console-input]')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, lines.join('\n') + '\n');
  await page.getByTestId('console-busy').waitFor({ timeout: 5_000 });
  await waitOutput(page, '$ echo line-2999\nline-2999\n', 60_000);
  assert.equal(await page.getByTestId('console-busy').count(), 0);
  const gap2 = await page.evaluate(() => window.__gap);
  assert.ok(gap2 < 400, `the longest frame gap while running 3,000 lines was ${gap2.toFixed(0)} ms`);

  // What was there before is still there.
  await run(page, 'kubectl get deployment keep');
  await waitOutput(page, 'keep   ');
  assert.match(await output(page), /\nkeep\s+\d\/2\s+2\s+\d\s+\S+\n/);
  await assertInert(page, dialogs);
  assert.deepEqual(errors, []);
  await context.close();
});
