/**
 * The attendance strip's call (SPEC section 8). Apart from `client.ts` so that it travels
 * with the card's insight section, a lazy chunk of the standalone bundle.
 */
import type { CallOptions, CrmClient } from './client.js';
import { Attendance } from './schemas.js';

/** `months` calendar months in the CRM's time zone, oldest first, ending with this month. */
export function getAttendance(
  client: CrmClient,
  crmId: string,
  clientId: string,
  months = 12,
  o?: CallOptions,
): Promise<Attendance> {
  const path = `/v1/crms/${encodeURIComponent(crmId)}/clients/${encodeURIComponent(clientId)}/attendance`;
  return client.request('get', path, Attendance, o, { query: { months } });
}
