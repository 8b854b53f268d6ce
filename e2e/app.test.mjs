// End-to-end: the built app (dist/) in headless Debian Chromium, driven like a learner would.
// Run by `./x test` after `trunk build --release`; alone: `node --test e2e/`.
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

/** A fresh page (its own cluster) with the console ready; page errors are collected. */
async function freshPage() {
  const page = await browser.newPage({ viewport: { width: 1360, height: 860 }, locale: 'en-US' });
  const errors = await openApp(page, server.url);
  return { page, errors };
}

/** Text the console printed after the last echo of `cmd`. */
async function outputAfter(page, cmd) {
  const text = await page.getByTestId('console-output').textContent();
  const at = text.lastIndexOf(`$ ${cmd}\n`);
  assert.notEqual(at, -1, `the console echoed "$ ${cmd}":\n${text}`);
  return text.slice(at + cmd.length + 3);
}

/** Waits until `cmd`'s echo is followed by some output. */
async function waitForOutput(page, cmd) {
  await page.waitForFunction(
    (cmd) => {
      const text = document.querySelector('[data-testid=console-output]').textContent;
      const at = text.lastIndexOf(`$ ${cmd}\n`);
      return at >= 0 && text.length > at + cmd.length + 3;
    },
    cmd,
    { timeout: 5_000 },
  );
  return outputAfter(page, cmd);
}

const runningWebPods = (page) =>
  page.locator('[data-testid=cluster-diagram] [data-testid=pod][data-phase=Running][data-name^="web-"]');

test('a Deployment of three nginx Pods comes up Running, in the diagram and in kubectl get pods', async () => {
  const { page, errors } = await freshPage();
  await run(page, 'kubectl create deployment web --image=nginx --replicas=3');
  assert.match(await waitForOutput(page, 'kubectl create deployment web --image=nginx --replicas=3'), /^deployment\.apps\/web created\n/);

  // Pods appear at once (Pending/ContainerCreating), then run as virtual time passes.
  await page.locator('[data-testid=pod][data-name^="web-"]').first().waitFor({ timeout: 5_000 });
  for (let i = 0; i < 6 && (await runningWebPods(page).count()) < 3; i++) {
    await page.getByTestId('clock-step').click();
    await page.waitForTimeout(400);
  }
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=pod][data-phase=Running][data-name^="web-"]').length >= 3,
    null,
    { timeout: 10_000 },
  );
  assert.equal(await runningWebPods(page).count(), 3, 'exactly three Running web- pods');
  assert.equal(await page.locator('[data-testid=pod][data-name^="web-"]').count(), 3, 'and no others');
  // Each Running web pod sits inside a node box, none in the Pending lane.
  for (const node of await runningWebPods(page).evaluateAll((pods) => pods.map((p) => p.dataset.node))) {
    assert.match(node, /\S/, 'a Running pod is drawn on its node');
  }

  await run(page, 'kubectl get pods');
  const table = await waitForOutput(page, 'kubectl get pods');
  const lines = table.split('\n');
  assert.match(lines[0], /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/, table);
  const running = lines.filter((l) => /^web-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s+\S+$/.test(l));
  assert.equal(running.length, 3, `three Running rows:\n${table}`);
  assert.deepEqual(errors, []);
  await page.close();
});

test('an unknown command shows kubectl\'s error and the console keeps working', async () => {
  const { page, errors } = await freshPage();
  await run(page, 'kubectl frobnicate');
  const err = page.locator('[data-testid=console-output] .stderr').last();
  await err.waitFor({ timeout: 5_000 });
  assert.match(await err.textContent(), /^Error: unknown command "frobnicate" for "kubectl"$/m);
  assert.equal(await page.getByTestId('console-input').inputValue(), '', 'Enter empties the input');

  await run(page, 'kubectl get nodes');
  const nodes = await waitForOutput(page, 'kubectl get nodes');
  assert.match(nodes, /^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\n/);
  assert.equal(nodes.trim().split('\n').length, 5, `a header and four nodes:\n${nodes}`);
  assert.equal(await page.locator('[data-testid=node]').count(), 4);
  assert.deepEqual(errors, []);
  await page.close();
});

test('kubectl exec -it … -- sh opens the container\'s shell: its prompt, its commands, exit and Ctrl-D', async () => {
  const { page, errors } = await freshPage();
  const prompt = page.getByTestId('console-prompt');
  const output = page.getByTestId('console-output');
  await run(page, 'kubectl run box --image=busybox:1.28 -- sleep 3600');
  await run(page, 'kubectl wait --for=condition=Ready pod/box');
  await page.waitForFunction(
    () => document.querySelector('[data-testid=console-output]').textContent.includes('pod/box condition met'),
    null,
    { timeout: 10_000 },
  );
  assert.equal(await prompt.textContent(), '$');

  await run(page, 'kubectl exec -it box -- sh');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '/ #', null, {
    timeout: 5_000,
  });
  await run(page, 'ls');
  await page.waitForFunction(
    () => /\/ # ls\n(.*\n)*.*\bbin\b/.test(document.querySelector('[data-testid=console-output]').textContent),
    null,
    { timeout: 5_000 },
  );
  await run(page, 'cd /tmp');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '/tmp #', null, {
    timeout: 5_000,
  });
  await run(page, 'exit');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '$', null, {
    timeout: 5_000,
  });
  assert.match(await output.textContent(), /\/tmp # exit\n$/);

  // Ctrl-D on an empty line ends the shell's input too; `exit 3` is kubectl's exit code.
  await run(page, 'kubectl exec -it box -- sh');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '/ #');
  await page.getByTestId('console-input').press('Control+d');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '$');
  await run(page, 'kubectl exec -it box -- sh');
  await page.waitForFunction(() => document.querySelector('[data-testid=console-prompt]').textContent === '/ #');
  await run(page, 'exit 3');
  const err = page.locator('[data-testid=console-output] .stderr').last();
  await err.waitFor({ timeout: 5_000 });
  assert.equal(await err.textContent(), 'command terminated with exit code 3\n');
  assert.equal(await prompt.textContent(), '$');
  assert.deepEqual(errors, []);
  await page.close();
});

test('the console: history, heredocs, Ctrl-L, multi-line paste, focus', async () => {
  const { page, errors } = await freshPage();
  const input = page.getByTestId('console-input');
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'the input has focus on load');

  await run(page, 'kubectl get nodes');
  await run(page, 'kubectl get pods');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get pods');
  await input.press('ArrowUp');
  assert.equal(await input.inputValue(), 'kubectl get nodes');
  await input.press('ArrowDown');
  await input.press('ArrowDown');
  assert.equal(await input.inputValue(), '');

  await run(page, 'cat <<EOF');
  assert.equal(await page.locator('.console-line .prompt').textContent(), '>');
  await run(page, 'hello from a heredoc');
  await run(page, 'EOF');
  assert.equal(await page.locator('.console-line .prompt').textContent(), '$');
  assert.match(await page.getByTestId('console-output').textContent(), /> hello from a heredoc\n> EOF\nhello from a heredoc\n/);

  await input.press('Control+l');
  assert.equal(await page.getByTestId('console-output').textContent(), '');

  // A multi-line paste runs line by line; an unfinished last line stays in the input.
  await input.focus();
  await page.evaluate(() => {
    const dt = new DataTransfer();
    dt.setData('text/plain', 'kubectl get nodes\nkubectl get ns\nkubectl get');
    const el = document.querySelector('[data-testid=console-input]');
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  });
  await waitForOutput(page, 'kubectl get ns');
  const text = await page.getByTestId('console-output').textContent();
  assert.ok(text.indexOf('$ kubectl get nodes\n') < text.indexOf('$ kubectl get ns\n'), text);
  assert.equal(await input.inputValue(), 'kubectl get');

  // Clicking the transcript gives the focus back to the input.
  await page.getByTestId('lesson-next').click();
  await page.getByTestId('console-output').click();
  assert.ok(await input.evaluate((el) => el === document.activeElement));
  assert.deepEqual(errors, []);
  await page.close();
});

test('lesson steps render, navigate, switch language and fill the console', async () => {
  const { page, errors } = await freshPage();
  await page.getByTestId('lesson-panel').waitFor();
  const steps = page.getByTestId('lesson-step');
  assert.ok((await steps.count()) >= 2);
  assert.equal(await steps.first().getAttribute('data-active'), 'true');
  assert.equal(await page.getByTestId('lesson-prev').isDisabled(), true);

  await page.getByTestId('lesson-next').click();
  assert.equal(await steps.nth(1).getAttribute('data-active'), 'true');
  assert.equal(await page.locator('[data-testid=lesson-step][data-active=true]').count(), 1);
  assert.match(new URL(page.url()).hash, /^#\/lesson\/[a-z0-9-]+\/2$/);
  const cmd = page.locator('[data-testid=lesson-step][data-active=true] [data-testid=lesson-command]').first();
  const text = (await cmd.textContent()).replace(/\s+/g, ' ').trim();
  assert.match(text, /^kubectl /);
  await cmd.click();
  const input = page.getByTestId('console-input');
  assert.equal(await input.inputValue(), text);
  assert.ok(await input.evaluate((el) => el === document.activeElement), 'ready to press Enter');

  const en = await page.getByTestId('lesson-title').textContent();
  await page.getByTestId('lang-zh').click();
  const zh = await page.getByTestId('lesson-title').textContent();
  assert.notEqual(zh, en);
  assert.match(zh, /[\u4e00-\u9fff]/, 'Chinese characters');
  await page.getByTestId('lang-en').click();
  assert.equal(await page.getByTestId('lesson-title').textContent(), en);
  assert.deepEqual(errors, []);
  await page.close();
});

test('the language follows the browser: Chinese for zh-CN', async () => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await openApp(page, server.url);
  await page.getByTestId('lesson-panel').waitFor();
  assert.equal(await page.getByTestId('lesson-panel').getAttribute('lang'), 'zh-CN');
  assert.match(await page.getByTestId('lesson-title').textContent(), /[\u4e00-\u9fff]/);
  await context.close();
});

test('the virtual clock runs, pauses and steps', async () => {
  const { page, errors } = await freshPage();
  const seconds = async () => {
    const [m, s] = (await page.getByTestId('clock-time').textContent()).split(':').map(Number);
    return m * 60 + s;
  };
  const until = (test) =>
    page.waitForFunction(
      (src) => {
        const [m, s] = document.querySelector('[data-testid=clock-time]').textContent.split(':').map(Number);
        return new Function('t', `return ${src}`)(m * 60 + s);
      },
      test,
      { timeout: 5_000 },
    );
  await until('t >= 1');
  await page.getByTestId('clock-toggle').click();
  await page.waitForTimeout(300);
  const paused = await seconds();
  await page.waitForTimeout(1_300);
  assert.equal(await seconds(), paused, 'paused');
  await page.getByTestId('clock-step').click();
  await until(`t === ${paused + 10}`);
  await page.getByTestId('speed-10x').click();
  await page.getByTestId('clock-toggle').click();
  await page.waitForTimeout(1_000);
  assert.ok((await seconds()) >= paused + 15, 'ten times faster');
  assert.deepEqual(errors, []);
  await page.close();
});

test('three hundred pods fit the diagram', async () => {
  const { page, errors } = await freshPage();
  await run(page, 'kubectl create deployment big --image=nginx --replicas=300');
  await waitForOutput(page, 'kubectl create deployment big --image=nginx --replicas=300');
  await page.getByTestId('clock-step').click();
  await page.waitForFunction(
    () => document.querySelectorAll('[data-testid=pod][data-name^="big-"]').length === 300,
    null,
    { timeout: 10_000 },
  );
  const outside = await page.evaluate(() => {
    const svg = document.querySelector('[data-testid=cluster-diagram]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-testid=pod]')].filter((p) => {
      const r = p.getBoundingClientRect();
      return r.left < svg.left - 1 || r.right > svg.right + 1 || r.top < svg.top - 1 || r.bottom > svg.bottom + 1;
    }).length;
  });
  assert.equal(outside, 0, 'every pod is drawn inside the diagram');
  await run(page, 'kubectl get deployments');
  assert.match(await waitForOutput(page, 'kubectl get deployments'), /^big\s+/m);
  assert.deepEqual(errors, []);
  await page.close();
});

test('wasmBindings.mount adds independent sandboxes to a page', async () => {
  const { page, errors } = await freshPage();
  const mounted = await page.evaluate(() => {
    for (const id of ['box-a', 'box-b']) {
      const el = document.createElement('div');
      el.id = id;
      document.body.append(el);
    }
    return [window.wasmBindings.mount('box-a'), window.wasmBindings.mount('box-b'), window.wasmBindings.mount('nope')];
  });
  assert.deepEqual(mounted, [true, true, false]);
  const a = page.locator('#box-a');
  const b = page.locator('#box-b');
  await a.getByTestId('console-input').waitFor();
  assert.equal(await a.getByTestId('lesson-panel').count(), 0, 'a sandbox has no lesson');
  await a.getByTestId('console-input').fill('kubectl create deployment solo --image=nginx');
  await a.getByTestId('console-input').press('Enter');
  await a.locator('[data-testid=pod][data-name^="solo-"]').first().waitFor({ timeout: 5_000 });
  assert.equal(await b.locator('[data-testid=pod][data-name^="solo-"]').count(), 0);
  assert.equal(await page.locator('#kubelab [data-testid=pod][data-name^="solo-"]').count(), 0);
  assert.doesNotMatch(await b.getByTestId('console-output').textContent(), /solo/);
  assert.deepEqual(errors, []);
  await page.close();
});
