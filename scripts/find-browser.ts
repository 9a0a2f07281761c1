/**
 * `npm test`'s first step: find the Chromium the browser tests will use before anything else
 * runs (test/helpers/chromium.ts says where it looks), so a machine without one fails in
 * seconds with the fix, not minutes later inside the test runner.
 */
import { findChromium } from '../test/helpers/chromium.js';

try {
  const { path, source } = await findChromium();
  console.log(`Chromium for the browser tests: ${path} (${source})`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
