/** Who is asking, and in which CRM: resolved by the auth and membership middleware. */
import type { CrmKind, CrmRole, Scope } from '../../../src/api/schemas.js';

export interface Actor {
  id: string;
  name: string;
  email: string;
  scopes: ReadonlySet<Scope>;
}

export interface CrmAccess {
  id: string;
  kind: CrmKind;
  name: string;
  currency: string;
  ownerUserId: string;
  role: CrmRole;
}
