/**
 * Notes benchmark: `<mm-client-notes save-delay=N>` in headless Chromium against the in-process
 * server. Each save: puppeteer types a short burst of keys into the textarea, then the page
 * measures from the last `input` event to (a) the local draft written (`localStorage.setItem`
 * of the draft key) and (b) the server's acknowledgement (`mm-note-saved` for the final text,
 * nothing left unsaved). (b) includes the save delay, the pause the element waits for.
 */
import { sql } from 'kysely';
import { generateBenchCrm } from '../demo/server/seed/generate.js';
import { NOW } from './server.js';
import { startSite } from './site.js';
import { round, summarise, type Summary } from './stats.js';

export interface NotesResult {
  saves: number;
  saveDelayMs: number;
  draft: Summary;
  ack: Summary;
  ackMinusDelay: Summary;
}

export async function notesBench(opts: {
  saves: number;
  saveDelay: number;
  log: (line: string) => void;
}): Promise<NotesResult> {
  const site = await startSite();
  try {
    const g = await generateBenchCrm(site.api.db, { clients: 20, now: new Date(NOW) });
    const client = await sql<{ id: string }>`
      select id from clients where crm_id = ${g.crmId} and not erased order by id limit 1
    `.execute(site.api.db);
    const page = await site.newPage();
    await page.evaluate((o) => window.bench.mountNotes(o), {
      apiBase: site.origin,
      crm: g.crmId,
      token: g.token,
      clientId: client.rows[0]!.id,
      saveDelay: opts.saveDelay,
    });
    const draft: number[] = [];
    const ack: number[] = [];
    const words = ['stretch ', 'knee ', 'prefers mornings ', 'ok ', 'hips '];
    for (let i = -5; i < opts.saves; i++) {
      await page.keyboard.type(words[(i + 5) % words.length]!);
      const r = await page.evaluate(() => window.bench.notesSettled());
      if (i < 0) continue; // warm-up
      draft.push(r.draftMs);
      ack.push(r.ackMs);
      if ((i + 1) % 50 === 0) opts.log(`notes: ${i + 1} saves`);
    }
    await page.close();
    return {
      saves: opts.saves,
      saveDelayMs: opts.saveDelay,
      draft: summarise(draft),
      ack: summarise(ack),
      ackMinusDelay: summarise(ack.map((a) => round(a - opts.saveDelay))),
    };
  } finally {
    await site.close();
  }
}
