import { createContext } from '@lit/context';
import type { CrmClient } from '../../api/client.js';

/** What `<mm-crm-provider>` gives every CRM element below it. */
export interface CrmContextValue {
  apiBase: string;
  crm: string;
  locale: string | undefined;
  /** The API client, or null while no token source is set. */
  client: CrmClient | null;
}

export const crmContext = createContext<CrmContextValue | undefined>(Symbol('mm-crm-context'));
