/** `npm run server`: the reference CRM API server, configured from the environment. */
import { configFromEnv, startServer } from './index.js';

const config = configFromEnv();
const started = Date.now();
const server = await startServer(config);
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

const stop = async () => {
  await server.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
