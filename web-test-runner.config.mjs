// Browser tests: real headless Chromium (Debian's), against the real reference CRM API server
// started once per run in this process (in-memory PGlite, fixed clock CRM_NOW), reached on
// the test page's own origin under /v1 (and /oauth for the sign-in) so tests need no CORS
// set-up.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { getRequestListener } from '@hono/node-server';
import { tsImport } from 'tsx/esm/api';

const { startTestServer } = await tsImport('./test/helpers/server.ts', import.meta.url);
const { TEST_NOW, TEST_PLATFORM_TOKEN } = await tsImport(
  './test/helpers/platform.ts',
  import.meta.url,
);

const api = await startTestServer();
const forward = getRequestListener(api.fetch);

const { findChromium, CHROME_ARGS } = await tsImport('./test/helpers/chromium.ts', import.meta.url);
const { path: CHROME_PATH } = await findChromium();

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/elements/**/*.test.ts', 'test/e2e/browser/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  rootDir: '.',
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 10 * 60_000,
  testFramework: { config: { timeout: 30_000 } },
  // The API goes through `middleware` (it runs before the file server): Koa composes its
  // middleware when the HTTP server is created, so `app.use` in a plugin's serverStart
  // hook is never reached.
  middleware: [
    async (ctx, next) => {
      // The API, and its sign-in pages and endpoints (SPEC section 6).
      if (!/^\/(v1|oauth)\/|^\/\.well-known\/oauth-authorization-server$/.test(ctx.path)) {
        return next();
      }
      ctx.respond = false;
      await forward(ctx.req, ctx.res);
    },
  ],
  plugins: [
    esbuildPlugin({ ts: true, target: 'es2022', tsconfig: './tsconfig.json' }),
    {
      name: 'crm-api',
      async serverStop() {
        await api.close();
      },
    },
  ],
  testRunnerHtml: (testFramework) => `<!doctype html>
<html lang="en-US">
  <head><meta charset="utf-8"></head>
  <body>
    <script>window.__CRM_TEST__ = ${JSON.stringify({ now: TEST_NOW, platformToken: TEST_PLATFORM_TOKEN })};</script>
    <script type="module" src="${testFramework}"></script>
  </body>
</html>`,
  browsers: [
    chromeLauncher({
      launchOptions: { executablePath: CHROME_PATH, headless: true, args: CHROME_ARGS },
      // Test files run one at a time: two at once, each in a window of its own, still lost a
      // sendKeys command now and then (no answer in 20 s, with the machine otherwise idle).
      // As tabs of one window, the one in the background is hidden: requestAnimationFrame
      // never fires there (until() waits forever) and focus events do not fire. Each page
      // gets its own window, and is told it has focus.
      createPage: async ({ context }) => {
        const page = await context.newPage({ type: 'window' });
        await page.emulateFocusedPage(true);
        return page;
      },
    }),
  ],
};
