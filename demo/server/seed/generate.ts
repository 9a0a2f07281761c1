import type { Db } from '../db/database.js';

export interface DemoToken {
  userId: string;
  name: string;
  email: string;
  token: string;
  crms: string[];
}

export async function seedDemo(_db: Db, _opts: { now: Date }): Promise<void> {}
export async function mintDemoTokens(_db: Db, _now: Date): Promise<DemoToken[]> {
  return [];
}
