// Shared by the e2e tests, `./x serve`, `./x bench` and `./x screenshot`: a tiny static file
// server for dist/ (any free port on 127.0.0.1) and headless Debian Chromium through
// playwright-core. Nothing here downloads a browser.
//
// CLI: node e2e/support.mjs serve [DIR] [PORT]
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';

export const ROOT = resolve(fileURLToPath(import.meta.url), '../..');
export const DIST = process.env.KUBELAB_DIST ?? join(ROOT, 'dist');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.yaml': 'text/yaml; charset=utf-8',
};

/** Serves `dir` on 127.0.0.1:`port` (0 = any free port). Resolves to { url, close }. */
export function serve(dir = DIST, port = 0) {
  const root = resolve(dir);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, path));
      if (!file.startsWith(root)) throw new Error('outside root');
      if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found');
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => {
      const { port } = server.address();
      ok({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) });
    });
  });
}

/** Chromium flags that work as root in a container with no network (see toolchain.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** Launches headless Debian Chromium (never a downloaded browser). */
export async function launch() {
  const { chromium } = await import('playwright-core');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run ./x setup`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** Checks dist/ was built, so a test fails with a clear message instead of a 404 page. */
export function requireDist(dir = DIST) {
  if (!existsSync(join(dir, 'index.html'))) {
    throw new Error(`${dir}/index.html is missing: run \`trunk build --release\` (./x test does)`);
  }
}

/** Opens the app and waits until the console accepts input. */
export async function openApp(page, url) {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByTestId('console-input').waitFor({ state: 'visible', timeout: 10_000 });
  return errors;
}

/** Types one console line and presses Enter. */
export async function run(page, line) {
  const input = page.getByTestId('console-input');
  await input.fill(line);
  await input.press('Enter');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [cmd, dir = DIST, port = '8080'] = process.argv.slice(2);
  if (cmd !== 'serve') {
    console.error('usage: node e2e/support.mjs serve [DIR] [PORT]');
    process.exit(2);
  }
  const { url } = await serve(dir, Number(port));
  console.log(`kubelab is being served at ${url}  (Ctrl-C stops)`);
}
