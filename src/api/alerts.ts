/**
 * Client alerts (SPEC section 7): the calls that change them. Apart from `client.ts` so that
 * they travel with the card's alerts editor, a lazy chunk of the standalone bundle. The
 * client detail carries the live alerts; `GET .../alerts` lists them too.
 */
import type { CallOptions, CrmClient } from './client.js';
import type { AlertCreate } from './requests.js';
import { ClientAlert } from './schemas.js';

const alertsPath = (crmId: string, clientId: string) =>
  `/v1/crms/${encodeURIComponent(crmId)}/clients/${encodeURIComponent(clientId)}/alerts`;

/** Pins an alert on a client; 400 when the client already has the most live alerts. */
export async function addAlert(
  client: CrmClient,
  crmId: string,
  clientId: string,
  alert: AlertCreate,
  o?: CallOptions,
): Promise<ClientAlert> {
  return client.request('post', alertsPath(crmId, clientId), ClientAlert, o, { json: alert });
}

export async function deleteAlert(
  client: CrmClient,
  crmId: string,
  clientId: string,
  alertId: string,
  o?: CallOptions,
): Promise<void> {
  await client.request(
    'delete',
    `${alertsPath(crmId, clientId)}/${encodeURIComponent(alertId)}`,
    null,
    o,
  );
}
