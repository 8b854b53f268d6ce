// What survives a reload: the cluster, the console transcript and history, the virtual files and
// lesson progress; what happens to a damaged or foreign saved state; the crash screen.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, requireDist, run, serve } from './support.mjs';

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

const SANDBOX_KEY = 'kubelab/v1/sandbox/sandbox';
const PROGRESS_KEY = 'kubelab/v1/progress';

async function freshContext() {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale: 'en-US' });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  return { context, page, dialogs };
}

const output = (page) => page.getByTestId('console-output').textContent();
const waitOutput = (page, text, timeout = 10_000) =>
  page.waitForFunction((t) => document.querySelector('[data-testid=console-output]').textContent.includes(t), text, { timeout });

async function reload(page) {
  await page.reload();
  await page.getByTestId('console-input').waitFor();
  await waitOutput(page, 'Restored this sandbox');
}

test('a reload keeps the cluster, the transcript, the history, the files and lesson progress', async () => {
  const { context, page, dialogs } = await freshContext();
  const errors = await openApp(page, `${server.url}#/sandbox`);
  await run(page, 'kubectl create deployment web --image=nginx --replicas=3');
  await run(page, 'cat > note.txt <<EOF');
  await run(page, 'kept across reloads');
  await run(page, 'EOF');
  await page.getByTestId('clock-step').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=pod][data-phase=Running][data-name^="web-"]').length === 3);
  await run(page, 'kubectl get pods -o name');
  await waitOutput(page, 'pod/web-');
  const names = (await output(page)).match(/pod\/web-\S+/g).sort();
  const before = await output(page);

  await reload(page);
  const after = await output(page);
  assert.ok(after.startsWith(before), `the transcript is back:\n${after}`);
  const pods = await page
    .locator('[data-testid=pod][data-name^="web-"]')
    .evaluateAll((ps) => ps.map((p) => `pod/${p.dataset.name}`).sort());
  assert.deepEqual(pods, names, 'the same pods, by name');
  // History: ArrowUp brings back the last command.
  const input = page.getByTestId('console-input');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get pods -o name');
  await input.fill('cat note.txt');
  await input.press('Enter');
  await waitOutput(page, '$ cat note.txt\nkept across reloads\n');

  // The saved state is the inputs, not the cluster: a handful of events for a 1,000-pod sandbox.
  await run(page, 'kubectl scale deployment web --replicas=1000');
  await page.getByTestId('clock-step').click();
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=pod][data-name^="web-"]').length > 500);
  await page.waitForTimeout(2_500); // a clock-only change is saved within two seconds
  const saved = JSON.parse(await page.evaluate((k) => localStorage.getItem(k), SANDBOX_KEY));
  assert.equal(saved.v, 1);
  assert.ok(saved.events.length < 20, `${saved.events.length} events`);
  assert.ok(JSON.stringify(saved).length < 2_000, `${JSON.stringify(saved).length} bytes`);
  const count = await page.locator('[data-testid=pod][data-name^="web-"]').count();
  await reload(page);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid=pod][data-name^="web-"]').length >= n, count, { timeout: 20_000 });

  // Lesson progress: a finished step stays finished.
  await page.goto(`${server.url}#/lesson/cluster/1`);
  await page.getByTestId('lesson-panel').waitFor();
  await waitOutput(page, 'is ready');
  await run(page, 'kubectl get nodes');
  await page.locator('[data-testid=lesson-step][data-active=true] [data-testid=goal-met]').waitFor();
  await page.reload();
  await page.getByTestId('lesson-panel').waitFor();
  assert.equal(await page.locator('[data-testid=lesson-step]').first().getAttribute('data-done'), 'true');
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test('a damaged or foreign saved sandbox is reported, set aside and replaced; progress is kept', async () => {
  const { context, page } = await freshContext();
  await openApp(page, `${server.url}#/sandbox`);
  const progress = JSON.stringify({ v: 1, lang: 'en', last: 'sandbox', lessons: { cluster: { step: 1, done: [0] } } });
  await page.evaluate(
    ([k, p, pk]) => {
      localStorage.setItem(k, '{"v":1,"seed":1,"workers":3,"events":[["c","kubectl get pods"],["c"');
      localStorage.setItem(pk, p);
    },
    [SANDBOX_KEY, progress, PROGRESS_KEY],
  );
  await page.reload();
  await page.getByTestId('console-input').waitFor();
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /could not be restored: it is damaged/);
  assert.match(await notice.textContent(), /fresh cluster was started; your lesson progress was kept/);
  // The console works and saves again; the damaged value was kept aside.
  await run(page, 'kubectl get nodes');
  await waitOutput(page, 'kind-control-plane');
  assert.ok(await page.evaluate(() => localStorage.getItem('kubelab/v1/backup/sandbox')));
  assert.equal(JSON.parse(await page.evaluate((k) => localStorage.getItem(k), SANDBOX_KEY)).v, 1);
  await notice.getByTestId('notice-dismiss').click();
  assert.equal(await page.getByTestId('notice').count(), 0);
  // Lesson progress survived.
  await page.getByTestId('nav-lessons').click();
  assert.equal(await page.locator('[data-testid=lesson-card][data-lesson=cluster]').getAttribute('data-done'), '1');

  // Saved by another version.
  await page.evaluate((k) => localStorage.setItem(k, '{"v":0,"log":[]}'), SANDBOX_KEY);
  await page.reload();
  await page.getByTestId('notice').waitFor();
  assert.match(await page.getByTestId('notice').textContent(), /saved by a different version of kubelab/);

  // Damaged progress: reported, the sandbox is untouched.
  await run(page, 'kubectl create deployment survivor --image=nginx');
  await waitOutput(page, 'survivor created');
  await page.evaluate((k) => localStorage.setItem(k, '{"v":1,"lessons":{"cluster":{"step":"x"'), PROGRESS_KEY);
  await page.reload();
  await page.getByTestId('notice').first().waitFor();
  assert.match(await page.locator('[data-testid=notice]').allTextContents().then((t) => t.join('\n')), /lesson progress could not be read/);
  await waitOutput(page, 'survivor created');
  await context.close();
});

test('a panic shows the crash screen; reload restores, reset starts afresh, progress stays', async () => {
  const { context, page } = await freshContext();
  // Some lesson progress first: it must outlive any crash and any reset of the sandbox.
  await openApp(page, `${server.url}#/lesson/cluster/1`);
  await waitOutput(page, 'is ready');
  await run(page, 'kubectl get nodes');
  await page.locator('[data-testid=lesson-step][data-active=true] [data-testid=goal-met]').waitFor();
  const progress = () => page.evaluate((k) => JSON.parse(localStorage.getItem(k)).lessons.cluster.done, PROGRESS_KEY);
  assert.deepEqual(await progress(), [0]);
  await page.getByTestId('nav-sandbox').click();
  await page.getByTestId('sandbox-panel').waitFor();
  await run(page, 'kubectl create deployment before-crash --image=nginx');
  await waitOutput(page, 'before-crash created');
  await page.evaluate(() => {
    try {
      window.wasmBindings.crash_for_tests();
    } catch {
      // the module aborted, as it does on any panic
    }
  });
  const crash = page.getByTestId('crash');
  await crash.waitFor();
  assert.match(await crash.textContent(), /kubelab stopped/);
  assert.match(await crash.textContent(), /crash requested by crash_for_tests/);
  await crash.getByTestId('crash-reload').click();
  await page.getByTestId('console-input').waitFor();
  await waitOutput(page, 'before-crash created');

  await page.evaluate(() => {
    try {
      window.wasmBindings.crash_for_tests();
    } catch {}
  });
  await page.getByTestId('crash-reset').click();
  await page.getByTestId('console-input').waitFor();
  await page.waitForTimeout(300);
  assert.doesNotMatch(await output(page), /before-crash/, 'a fresh sandbox');
  assert.equal(await page.getByTestId('sandbox-panel').count(), 1, 'still on the sandbox');
  assert.deepEqual(await progress(), [0], 'lesson progress stays');

  // A crash while a saved sandbox is being replayed: the next load does not replay it again.
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document
      .querySelector('[data-testid=console-input]')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, 'kubectl create deployment replayed --image=nginx\n' + 'kubectl get pods -A -o wide\n'.repeat(1_500));
  await page.waitForFunction(() => !document.querySelector('[data-testid=console-busy]'), null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  await page.reload();
  await page.getByTestId('restoring').waitFor({ timeout: 10_000 });
  await page.evaluate(() => {
    try {
      window.wasmBindings.crash_for_tests();
    } catch {}
  });
  await page.getByTestId('crash-reload').click();
  await page.getByTestId('console-input').waitFor();
  const notice = page.getByTestId('notice');
  await notice.waitFor();
  assert.match(await notice.textContent(), /stopped while restoring the sandbox last time, so a fresh cluster was started/);
  assert.doesNotMatch(await output(page), /replayed created/);
  assert.ok(await page.evaluate(() => localStorage.getItem('kubelab/v1/backup/sandbox')), 'the events were kept aside');

  // Leaving the page mid-replay (no crash) is not mistaken for one.
  await run(page, 'kubectl create deployment again --image=nginx');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document
      .querySelector('[data-testid=console-input]')
      .dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, 'kubectl get pods -A -o wide\n'.repeat(1_500));
  await page.waitForFunction(() => !document.querySelector('[data-testid=console-busy]'), null, { timeout: 60_000 });
  await page.waitForTimeout(300);
  await page.reload();
  await page.getByTestId('restoring').waitFor({ timeout: 10_000 });
  await page.reload();
  await page.getByTestId('console-input').waitFor();
  await waitOutput(page, 'Restored this sandbox', 30_000);
  assert.equal(await page.locator('[data-testid=pod][data-name^="again-"]').count(), 1, 'replayed again');
  assert.equal(await page.getByTestId('notice').count(), 0, 'no crash was reported');
  assert.deepEqual(await progress(), [0], 'lesson progress stays');
  await context.close();
});
