import { randomBytes } from 'node:crypto';

/** A new opaque id: a readable prefix and 128 random bits (`cli_4f1c...`). */
export const newId = (prefix: string) => `${prefix}_${randomBytes(16).toString('base64url')}`;
