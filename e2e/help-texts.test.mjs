// kubectl's help pages and explain schema are not in the wasm (issue #6): the page fetches them
// from dist/kubectl/ as it starts. A `--help` typed at once waits for them and prints
// kubectl's text; if they cannot be fetched, help says so and other commands still work.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, launch, openApp, requireDist, run, serve } from './support.mjs';

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

/** Waits until `cmd`'s echo is followed by output that matches `re`; returns that output. */
async function outputOf(page, cmd, re) {
  await page.waitForFunction(
    ([cmd, source]) => {
      const text = document.querySelector('[data-testid=console-output]').textContent;
      const at = text.lastIndexOf(`$ ${cmd}\n`);
      return at >= 0 && new RegExp(source).test(text.slice(at + cmd.length + 3));
    },
    [cmd, re.source],
    { timeout: 10_000 },
  );
  const text = await page.getByTestId('console-output').textContent();
  return text.slice(text.lastIndexOf(`$ ${cmd}\n`) + cmd.length + 3);
}

test('kubectl get --help typed at once prints kubectl\'s own text, after the fetch', async () => {
  const page = await browser.newPage({ locale: 'en-US' });
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const errors = await openApp(page, server.url);
  await run(page, 'kubectl get --help');
  const want = readFileSync(join(ROOT, 'crates/kubectl/help/get.txt'), 'utf8');
  const out = await outputOf(page, 'kubectl get --help', /Usage:/);
  assert.ok(out.startsWith(want), `the help of get:\n${out.slice(0, 400)}`);
  await run(page, 'kubectl explain pod.spec.restartPolicy');
  assert.match(await outputOf(page, 'kubectl explain pod.spec.restartPolicy', /DESCRIPTION/), /^KIND:\s+Pod\n/);
  assert.ok(requested.some((p) => p.endsWith('/kubectl/help/get.txt')), requested.join('\n'));
  assert.deepEqual(errors, []);
  await page.close();
});

test('when the texts cannot be fetched, help says so and kubectl still works', async () => {
  const page = await browser.newPage({ locale: 'en-US' });
  await page.route(/\/kubectl\/(help|explain)\//, (route) => route.fulfill({ status: 404, body: 'not found' }));
  const errors = await openApp(page, server.url);
  await run(page, 'kubectl get --help');
  assert.match(
    await outputOf(page, 'kubectl get --help', /error:/),
    /^error: kubectl's reference texts could not be loaded \(.*HTTP 404.*\)\n/,
  );
  await run(page, 'kubectl get ns');
  assert.match(await outputOf(page, 'kubectl get ns', /kube-system/), /^NAME\s+STATUS\s+AGE\n/);
  assert.deepEqual(errors, []);
  await page.close();
});
