/**
 * PostgreSQL start-up failures as one line each: what failed, `DATABASE_URL` with its
 * password masked, and the likely fix. Codes: connection errors from Node (`ECONNREFUSED`,
 * `ENOTFOUND`, ...) and SQLSTATEs from the server (`28P01` wrong password, `28000` no such
 * role or no pg_hba.conf entry, `3D000` no such database, `42501` no right to create tables).
 */
import { StartupError } from '../startup-error.js';

/** What pg's Client knows after resolving the URL and its defaults (PGUSER, $USER, ...). */
export interface ConnectionFacts {
  user?: string | undefined;
  database?: string | undefined;
  host?: string | undefined;
  port?: number | undefined;
}

/** The URL with its password (and any password-like query parameter) replaced by `***`. */
export function maskDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    for (const key of [...url.searchParams.keys()]) {
      if (/pass|secret|key/i.test(key)) url.searchParams.set(key, '***');
    }
    return url.toString();
  } catch {
    return '(not a URL: postgres://USER:PASSWORD@HOST:PORT/DATABASE)';
  }
}

export function postgresStartupError(
  error: unknown,
  databaseUrl: string,
  facts: ConnectionFacts,
): StartupError {
  const e = error as { code?: string; message?: string };
  const message = String(e.message ?? error).split('\n')[0]!;
  const url = `DATABASE_URL=${maskDatabaseUrl(databaseUrl)}`;
  const hasUser = (() => {
    try {
      return new URL(databaseUrl).username !== '';
    } catch {
      return false;
    }
  })();
  const role = facts.user ? `"${facts.user}"` : 'the role';
  const database = facts.database ? `"${facts.database}"` : 'the database';
  const at = `${facts.host ?? 'localhost'}:${facts.port ?? 5432}`;
  const noUser = hasUser
    ? ''
    : ` (the URL names no user, so your login name ${role} was used: write postgres://USER@HOST/DB)`;
  const line = (() => {
    switch (e.code) {
      case 'ECONNREFUSED':
        return `Cannot reach PostgreSQL at ${at} (${url}): connection refused. Start the server, or fix the host and port in DATABASE_URL; unset DATABASE_URL to use the embedded database.`;
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return `Cannot reach PostgreSQL (${url}): the host ${facts.host ?? ''} is not known. Fix the host in DATABASE_URL.`;
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return `Cannot reach PostgreSQL at ${at} (${url}): no answer (${e.code}). Check the host, the port and any firewall.`;
      case '28P01':
        return `PostgreSQL refused the password for role ${role} (${url}). Put the role's password in DATABASE_URL: postgres://USER:PASSWORD@HOST/DB (URL-encoded).`;
      case '28000':
        return /does not exist/.test(message)
          ? `PostgreSQL has no role ${role} (${url})${noUser}. Name an existing role, or create it: createuser ${facts.user ?? 'USER'}.`
          : `PostgreSQL refused role ${role} (${url}): ${message}. Allow it in pg_hba.conf, or connect as another role.`;
      case '3D000':
        return `PostgreSQL has no database ${database} (${url}). Create it (createdb -O ${facts.user ?? 'USER'} ${facts.database ?? 'DB'}) or name an existing one in DATABASE_URL.`;
      case '42501':
        return `Role ${role} may not create the CRM's tables in database ${database} (${url}): ${message}. Make it the database's owner (ALTER DATABASE ${facts.database ?? 'DB'} OWNER TO ${facts.user ?? 'USER'}) or GRANT CREATE ON SCHEMA public TO ${facts.user ?? 'USER'}.`;
      default:
        if (/SASL|password must be a string|password authentication/i.test(message)) {
          return `PostgreSQL asks for a password for role ${role} and DATABASE_URL has none (${url}). Write postgres://USER:PASSWORD@HOST/DB.`;
        }
        if (/SSL/i.test(message)) {
          return `PostgreSQL and this server disagree on SSL (${url}): ${message}. Add or remove ?sslmode=require in DATABASE_URL.`;
        }
        return `Cannot use PostgreSQL (${url}): ${message}${e.code ? ` (${e.code})` : ''}.`;
    }
  })();
  return new StartupError(line);
}
