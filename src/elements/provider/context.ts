import { createContext } from '@lit/context';
import type { CrmClient } from '../../api/client.js';

/** What `<mm-crm-provider>` gives every CRM element below it. */
export interface CrmContextValue {
  apiBase: string;
  crm: string;
  locale: string | undefined;
  /** The API client; null without a token source: the elements then sign in (SPEC 6). */
  client: CrmClient | null;
}

export const crmContext = createContext<CrmContextValue | undefined>(Symbol('mm-crm-context'));
