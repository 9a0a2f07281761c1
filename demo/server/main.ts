/** `npm run server`: the reference CRM API server, configured from the environment. */
import { configFromEnv, exitOnStartupError, startServer } from './index.js';

const config = (() => {
  try {
    return configFromEnv();
  } catch (error) {
    return exitOnStartupError(error);
  }
})();
const started = Date.now();
const server = await startServer(config).catch(exitOnStartupError);
console.log(`MoveMentors CRM API listening on ${server.url} (${Date.now() - started} ms)`);
console.log(
  config.databaseUrl
    ? 'Database: PostgreSQL (DATABASE_URL)'
    : `Database: PGlite in ${config.dataDir === 'memory' ? 'memory' : (config.dataDir ?? '.data/crm')}`,
);
if (config.now) console.log(`Clock fixed at ${config.now} (CRM_NOW)`);
if (config.platformToken) console.log('Platform endpoints enabled (CRM_PLATFORM_TOKEN)');
for (const t of server.demoTokens ?? []) {
  console.log(`\n${t.name} <${t.email}> — ${t.crms.join(', ')}\n  token: ${t.token}`);
}
if (server.demoTokens?.length) {
  const first = server.demoTokens[0]!;
  console.log(`\nTry: curl -H 'Authorization: Bearer ${first.token}' ${server.url}/v1/me`);
}

// A terminal's Ctrl-C reaches both npm and this process, and npm relays it once more: a
// repeated signal changes nothing, the deadline bounds the wait.
let stopping = false;
const stop = async (signal: NodeJS.Signals) => {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: answering the requests already sent (up to 10 s), then stopping ...`);
  const { answered, cut } = await server.close();
  console.log(
    `Stopped: ${answered} requests answered since ${signal}, ${cut} cut off at the deadline; ` +
      'database closed.',
  );
  process.exit(0);
};
process.on('SIGINT', (signal) => void stop(signal));
process.on('SIGTERM', (signal) => void stop(signal));
