/**
 * How every tool here starts Chromium: Debian's (`/usr/bin/chromium`, or `CHROME_PATH`),
 * headless, with the background networking this machine's closed network refuses turned
 * off. Used by web-test-runner, the end-to-end test, the screenshots and the benchmarks.
 */
export const CHROME_PATH = process.env.CHROME_PATH || '/usr/bin/chromium';

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

/** puppeteer-core launch options. */
export const chromiumLaunchOptions = () => ({
  executablePath: CHROME_PATH,
  headless: true,
  args: CHROME_ARGS,
});
