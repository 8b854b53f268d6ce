// Lessons in the built app: completing a whole lesson by typing its solutions, deep links that
// survive reload and the back button, hints, "show solution", the lesson list, languages.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launch, openApp, requireDist, run, serve } from './support.mjs';
import { readLesson } from './lesson-data.mjs';

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

async function freshPage(hash = '', locale = 'en-US') {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, locale });
  const page = await context.newPage();
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  const errors = await openApp(page, server.url + hash);
  return { page, errors, dialogs, context };
}

const active = (page) => page.locator('[data-testid=lesson-step][data-active=true]');
const hash = (page) => new URL(page.url()).hash;

/** Waits until the lesson's setup ran (the console says the lesson is ready). */
async function lessonReady(page) {
  await page.waitForFunction(
    () => /Lesson “.*” is ready/.test(document.querySelector('[data-testid=console-output]').textContent),
    null,
    { timeout: 15_000 },
  );
}

test('completing rolling-updates by typing each solution ticks every goal green', async () => {
  const lesson = readLesson('07-rolling-updates.yaml');
  const { page, errors, dialogs, context } = await freshPage(`#/lesson/${lesson.id}/1`);
  await page.locator(`[data-testid=lesson-panel][data-lesson=${lesson.id}]`).waitFor({ timeout: 10_000 });
  await lessonReady(page);
  assert.equal(await page.getByTestId('lesson-title').textContent(), lesson.title);
  for (const [i, step] of lesson.steps.entries()) {
    assert.equal(hash(page), `#/lesson/${lesson.id}/${i + 1}`);
    assert.equal(await page.locator('[data-testid=lesson-step]').nth(i).getAttribute('data-active'), 'true');
    const checks = active(page).getByTestId('goal-check');
    const n = await checks.count();
    assert.ok(n >= 1, `step ${i + 1} has a goal`);
    const before = await checks.evaluateAll((cs) => cs.map((c) => c.dataset.met));
    assert.ok(before.includes('false'), `step ${i + 1}: not met before its solution (${before})`);
    assert.equal(await active(page).getAttribute('data-done'), 'false');

    for (const line of step.lines) await run(page, line);
    await active(page).getByTestId('goal-met').waitFor({ timeout: 10_000 });
    assert.deepEqual(
      await checks.evaluateAll((cs) => cs.map((c) => c.dataset.met)),
      Array(n).fill('true'),
      `step ${i + 1}: every check ticked`,
    );
    assert.equal(await active(page).getAttribute('data-done'), 'true');
    assert.equal(
      await page.getByTestId('lesson-progress').getAttribute('aria-valuenow'),
      String(i + 1),
      'the progress bar counts it',
    );
    if (i + 1 < lesson.steps.length) await page.getByTestId('lesson-next').click();
  }
  await page.getByTestId('lesson-complete').waitFor();
  assert.equal(await page.getByTestId('lesson-next-lesson').count(), 1, 'offers the next lesson');

  // The list shows it complete.
  await page.getByTestId('nav-lessons').click();
  const card = page.locator(`[data-testid=lesson-card][data-lesson=${lesson.id}]`);
  assert.equal(await card.getAttribute('data-done'), String(lesson.steps.length));
  assert.deepEqual(errors, []);
  assert.deepEqual(dialogs, []);
  await context.close();
});

test('a deep link lands on its step (solutions before it done), survives reload and the back button', async () => {
  const lesson = readLesson('07-rolling-updates.yaml');
  // A unique prefix of the id works and becomes the canonical address.
  const short = lesson.id.slice(0, -1);
  const { page, errors, context } = await freshPage(`#/lesson/${short}/3`);
  await page.waitForFunction((id) => location.hash === `#/lesson/${id}/3`, lesson.id);
  await lessonReady(page);
  assert.match(await page.getByTestId('console-output').textContent(), /steps 1–2 were done for you/);
  assert.equal(await page.locator('[data-testid=lesson-step]').nth(2).getAttribute('data-active'), 'true');
  // The cluster is where step 3 starts: step 1's image is out.
  await run(page, 'kubectl get deployment web -o jsonpath={.spec.template.spec.containers[0].image}');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-output]').textContent.includes('nginx:1.27'));

  await page.getByTestId('lesson-prev').click();
  assert.equal(hash(page), `#/lesson/${lesson.id}/2`);
  assert.equal(await page.locator('[data-testid=lesson-step]').nth(1).getAttribute('data-active'), 'true');
  await page.goBack();
  await page.waitForFunction((id) => location.hash === `#/lesson/${id}/3`, lesson.id);
  await page.locator('[data-testid=lesson-step]').nth(2).and(page.locator('[data-active=true]')).waitFor();
  await page.goForward();
  await page.locator('[data-testid=lesson-step]').nth(1).and(page.locator('[data-active=true]')).waitFor();

  await page.reload();
  await page.getByTestId('console-input').waitFor();
  await page.locator('[data-testid=lesson-step]').nth(1).and(page.locator('[data-active=true]')).waitFor();
  assert.equal(hash(page), `#/lesson/${lesson.id}/2`);
  // The saved events replay over a few frames (after kubectl's help texts are fetched).
  await page.waitForFunction(() => document.querySelector('[data-testid=console-output]').textContent.includes('nginx:1.27'));
  assert.match(await page.getByTestId('console-output').textContent(), /nginx:1\.27/, 'the transcript survived');

  // Going to another lesson and back keeps each lesson's own cluster.
  await page.getByTestId('nav-sandbox').click();
  assert.equal(hash(page), '#/sandbox');
  await page.getByTestId('sandbox-panel').waitFor();
  assert.doesNotMatch(await page.getByTestId('console-output').textContent(), /nginx:1\.27/);
  await page.goBack();
  await page.locator(`[data-testid=lesson-panel][data-lesson=${lesson.id}]`).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid=console-output]').textContent.includes('nginx:1.27'));
  assert.deepEqual(errors, []);
  await context.close();
});

test('hints one at a time; show solution puts the lines in the console, Enter runs each', async () => {
  const lesson = readLesson('07-rolling-updates.yaml');
  const { page, errors, context } = await freshPage(`#/lesson/${lesson.id}/1`);
  await lessonReady(page);
  const body = active(page);
  assert.equal(await body.getByTestId('hint').count(), 0);
  await body.getByTestId('show-hint').click();
  assert.equal(await body.getByTestId('hint').count(), 1);
  await body.getByTestId('show-hint').click();
  assert.equal(await body.getByTestId('hint').count(), 2);
  assert.equal(await body.getByTestId('show-hint').count(), 0, 'no more hints');

  await body.getByTestId('show-solution').click();
  const input = page.getByTestId('console-input');
  assert.equal(await input.inputValue(), lesson.steps[0].lines[0], 'the first line, not run');
  assert.doesNotMatch(await page.getByTestId('console-output').textContent(), /image updated/);
  await page.getByTestId('suggestion-bar').waitFor();
  await input.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-output]').textContent.includes('image updated'));
  assert.equal(await input.inputValue(), lesson.steps[0].lines[1], 'then the next line');
  await input.press('Enter');
  await body.getByTestId('goal-met').waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('suggestion-bar').count(), 0, 'done suggesting');
  assert.equal(await input.inputValue(), '');

  // A lesson command in the text goes into the input; Esc drops a suggestion.
  await page.getByTestId('lesson-next').click();
  await active(page).getByTestId('show-solution').click();
  await input.press('Escape');
  assert.equal(await input.inputValue(), '');
  assert.equal(await page.getByTestId('suggestion-bar').count(), 0);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the lesson list, the sandbox, reset, and both languages', async () => {
  const { page, errors, context } = await freshPage('', 'zh-CN');
  // A first visit opens the first lesson, in the browser's language.
  await page.getByTestId('lesson-panel').waitFor();
  assert.match(hash(page), /^#\/lesson\/[a-z0-9-]+\/1$/);
  assert.equal(await page.locator('.kl-app').getAttribute('lang'), 'zh-CN');
  assert.equal(await page.getByTestId('lang-zh').getAttribute('aria-pressed'), 'true');
  const zhTitle = await page.getByTestId('lesson-title').textContent();
  await page.getByTestId('lang-en').click();
  const enTitle = await page.getByTestId('lesson-title').textContent();
  assert.notEqual(zhTitle, enTitle);
  assert.equal(await page.locator('.kl-app').getAttribute('lang'), 'en');

  await page.getByTestId('nav-lessons').click();
  const cards = page.getByTestId('lesson-card');
  assert.ok((await cards.count()) >= 5, 'the course');
  await cards.nth(1).click();
  await page.getByTestId('lesson-panel').waitFor();
  assert.match(hash(page), /^#\/lesson\/[a-z0-9-]+\/1$/);

  await page.getByTestId('nav-sandbox').click();
  await page.getByTestId('sandbox-panel').waitFor();
  await run(page, 'kubectl create deployment keep --image=nginx');
  await page.locator('[data-testid=pod][data-name^="keep-"]').first().waitFor();
  // Reset asks twice, then starts a fresh cluster.
  await page.getByTestId('reset').click();
  assert.equal(await page.locator('[data-testid=pod][data-name^="keep-"]').count(), 1, 'not yet');
  await page.getByTestId('reset').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=pod][data-name^="keep-"]'));
  assert.doesNotMatch(await page.getByTestId('console-output').textContent(), /keep/);
  await page.reload();
  await page.getByTestId('sandbox-panel').waitFor();
  assert.equal(await page.locator('.kl-app').getAttribute('lang'), 'en', 'the chosen language is kept');
  assert.equal(await page.locator('[data-testid=pod][data-name^="keep-"]').count(), 0, 'the reset is kept');
  assert.deepEqual(errors, []);
  await context.close();
});
