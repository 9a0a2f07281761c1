/** Who is asking, and in which CRM: resolved by the auth and membership middleware. */
import type { CrmKind, CrmRole, Scope } from '../../../src/api/schemas.js';

export interface Actor {
  id: string;
  name: string;
  email: string;
  scopes: ReadonlySet<Scope>;
  /** A token minted by `/oauth/token`: the CRMs its approval covers (others are 404). */
  crmIds?: ReadonlySet<string>;
  /** A token minted by `/oauth/token`: its approval. */
  approvalId?: string;
}

export interface CrmAccess {
  id: string;
  kind: CrmKind;
  name: string;
  currency: string;
  timeZone: string;
  ownerUserId: string;
  role: CrmRole;
}
