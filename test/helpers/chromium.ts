/**
 * How every tool here finds and starts Chromium: web-test-runner, the end-to-end tests, the
 * screenshots and the benchmarks.
 *
 * Where the browser comes from, first found wins:
 * 1. `CHROME_PATH`, when set (it must name an executable: a wrong path is an error, not a
 *    silent fall-through to another browser);
 * 2. the system's Chromium or Chrome (`/usr/bin/chromium`, Debian's, is what CI uses);
 * 3. the Chromium shipped inside the npm package `@sparticuz/chromium` (a dev dependency:
 *    `npm ci` brings it with no download of its own; it unpacks to the temp folder on first
 *    use, in about 7 s).
 *
 * `MM_NO_SYSTEM_CHROMIUM=1` skips step 2, so that CI can prove the fallback works on a
 * machine without a system browser.
 */
import { accessSync, constants } from 'node:fs';

export const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

const SYSTEM_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
];

export interface FoundChromium {
  path: string;
  source: 'CHROME_PATH' | 'system' | '@sparticuz/chromium';
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** What to do when no browser can be had: printed as it is by `npm test`'s first step. */
export const NO_BROWSER_FIX = [
  'No Chromium found for the browser tests. Any one of these fixes it:',
  '  - set CHROME_PATH to a Chromium or Chrome executable;',
  "  - install the system's Chromium (Debian/Ubuntu: sudo apt-get install chromium);",
  '  - or run `npm ci` again: it installs @sparticuz/chromium, a Chromium inside an npm package',
  '    (Linux x64/arm64 only).',
].join('\n');

let found: Promise<FoundChromium> | undefined;

/** The Chromium to start; rejects with {@link NO_BROWSER_FIX} when there is none. */
export function findChromium(): Promise<FoundChromium> {
  found ??= (async () => {
    const env = process.env.CHROME_PATH;
    if (env) {
      if (executable(env)) return { path: env, source: 'CHROME_PATH' };
      throw new Error(`CHROME_PATH is set to ${env}, which is not an executable file.`);
    }
    if (process.env.MM_NO_SYSTEM_CHROMIUM !== '1') {
      const system = SYSTEM_PATHS.find(executable);
      if (system) return { path: system, source: 'system' };
    }
    if (process.platform === 'linux') {
      try {
        const { default: chromium } = await import('@sparticuz/chromium');
        return { path: await chromium.executablePath(), source: '@sparticuz/chromium' };
      } catch {
        // Not installed, or not for this platform: fall through to the advice.
      }
    }
    throw new Error(NO_BROWSER_FIX);
  })();
  return found;
}

/** puppeteer-core launch options. */
export async function chromiumLaunchOptions() {
  const { path } = await findChromium();
  return { executablePath: path, headless: true, args: CHROME_ARGS };
}
