/**
 * The demo data set and the benchmark generator: deterministic (seeded PRNG), realistic,
 * fast. Rows are generated in JS and bulk-inserted with `insert ... select from unnest(...)`
 * (one array parameter per column, thousands of rows per statement); the per-client
 * aggregates are then computed in SQL by the same `recomputeClients` the booking upsert
 * uses, so seeded data obeys exactly the rules live data does.
 *
 * - `seedDemo`: a mentor CRM (~400 clients, USD) and a studio CRM (8 teachers, ~20,000
 *   clients, EUR), two years of bookings in every status and payment state, notes, tags,
 *   messages, a few erased clients, a few people under two emails. Only into an empty
 *   database.
 * - `generateCrm`: one CRM of N clients, for benchmarks (`npm run seed -- --clients N`).
 *
 * Upcoming classes (SPEC section 7) follow a timetable: for the next two weeks each teacher
 * teaches at plausible local hours in the CRM's time zone, each class with a platform
 * session id, and the upcoming bookings fill those classes (a few of them a client's very
 * first). Some clients carry alerts.
 */
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { addTeacher, createCrm, createUser, issueToken } from '../domain/accounts.js';
import { localDate } from '../domain/alerts.js';
import { eraseEmail } from '../domain/messaging.js';
import { recomputeClients } from '../domain/rules.js';
import { Scope, type CrmKind } from '../../../src/api/schemas.js';

export interface DemoToken {
  userId: string;
  name: string;
  email: string;
  token: string;
  crms: string[];
}

const DAY = 86_400_000;

/** mulberry32: small, fast, deterministic. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const FIRST = `Olivia Liam Emma Noah Ava Elijah Sophia Mateo Isabella Lucas Mia Levi Amelia Ezra
Harper Luca Evelyn Asher Aria Leo Chloe Kai Nora Hugo Zoe Theo Lily Arjun Priya Sakura Yuki
Mei Chen Wei Fatima Omar Amara Kwame Ines Lea Sofia Matteo Giulia Lars Freya Sven Anaya Rohan
Camille Louis Elena Pablo Lucia Diego Aisha Yusuf Hana Jonas Nina Felix Clara Ingrid Maya Sam
Jade Ruby Oscar Ivy Finn Rosa Tomas Alba Mila Emil Ada Otto Leila Karim Zara Ines Paulo Ana`.split(
  /\s+/,
);
const LAST = `Smith Garcia Müller Rossi Dubois Nguyen Kim Tanaka Silva Kowalski Novak Jensen Hansen
Okafor Mensah Haddad Cohen Levi Martin Bernard Moreau Schmidt Weber Fischer Romano Bianchi Costa
Santos Pereira Oliveira Andersson Larsen Nielsen Virtanen Horvat Popescu Ivanova Petrov Sato
Suzuki Wang Li Zhang Patel Shah Singh Khan Ali Hughes Murphy O'Brien Walsh Byrne Evans Clarke
Lopez Hernandez Moreno Jimenez Ruiz Alvarez Vega Castro Ortiz Reyes Keller Baumann Wolf Brandt`.split(
  /\s+/,
);
const DOMAINS = [
  'gmail.com',
  'outlook.com',
  'icloud.com',
  'proton.me',
  'yahoo.com',
  'gmx.de',
  'web.de',
  'mail.com',
];
const TAGS = [
  'beginner',
  'advanced',
  'prenatal',
  'postnatal',
  'injury: knee',
  'injury: lower back',
  'VIP',
  'corporate',
  'morning',
  'evening',
  'weekend',
  'teacher training',
  'workshop',
  'online only',
  'gift card',
  'student discount',
  'referral',
  'retreat 2025',
  'class pack',
  'membership',
];
const NOTES = [
  'Prefers morning classes. Mild lower-back pain: offer modifications in forward folds.',
  'Training for a half marathon in the autumn; focus on hips and hamstrings.',
  'Pregnant (second trimester as of spring). Avoid deep twists and lying on the belly.',
  'Came through a friend referral. Interested in the teacher training next year.',
  'Recovering from a knee operation: no kneeling poses without padding, check in before class.',
  'Corporate client: invoices go to the company, ask for a PO number.',
  'Very consistent, likes to be challenged. Suggested trying the advanced flow on Thursdays.',
  'Nervous in group classes; private sessions first, then a small beginners class.',
];

const ALERTS = [
  'Low-back issue: no deep forward folds',
  'Pregnant, 2nd trimester: no closed twists',
  'Recovering from a knee operation: pad for kneeling',
  'Shoulder injury: no weight on the left arm',
  'High blood pressure: no long inversions',
  'Asthma: inhaler in the bag by the door',
  'Hearing aid: stand where she can see you',
  'Prefers no hands-on adjustments',
];

interface ClassDef {
  title: string;
  price: number;
  locations: string[];
  /** When it is taught (past classes), minutes after local midnight in the CRM's zone. */
  times: number[];
}
/** `HH:MM` as minutes after midnight. */
const hm = (h: number, m = 0) => h * 60 + m;
const MENTOR_CLASSES: ClassDef[] = [
  {
    title: 'Private session',
    price: 9000,
    locations: ['Client home', 'Online'],
    times: [hm(8), hm(10, 30), hm(14), hm(17)],
  },
  {
    title: 'Vinyasa Flow',
    price: 2200,
    locations: ['Riverside Studio Loft'],
    times: [hm(7), hm(18, 30)],
  },
  {
    title: 'Mobility Lab',
    price: 2500,
    locations: ['Riverside Studio Loft'],
    times: [hm(12, 15), hm(19)],
  },
  { title: 'Morning Flow', price: 1500, locations: ['Online'], times: [hm(6, 45), hm(7, 30)] },
  {
    title: 'Weekend workshop: Inversions',
    price: 6500,
    locations: ['Riverside Studio Loft'],
    times: [hm(10), hm(14)],
  },
];
const STUDIO_CLASSES: ClassDef[] = [
  { title: 'Hatha Basics', price: 1800, locations: ['Room A', 'Room B'], times: [hm(9), hm(18)] },
  { title: 'Power Vinyasa', price: 2200, locations: ['Room A'], times: [hm(7), hm(19, 30)] },
  { title: 'Yin & Restore', price: 2000, locations: ['Room B'], times: [hm(17, 30), hm(20)] },
  {
    title: 'Reformer Pilates',
    price: 3500,
    locations: ['Reformer Room'],
    times: [hm(8), hm(12), hm(18, 30)],
  },
  {
    title: 'Mat Pilates',
    price: 2000,
    locations: ['Room B', 'Online'],
    times: [hm(9, 30), hm(17)],
  },
  { title: 'Prenatal Yoga', price: 2200, locations: ['Room B'], times: [hm(11), hm(18)] },
  {
    title: 'Lunchtime Express',
    price: 1500,
    locations: ['Online'],
    times: [hm(12, 30), hm(13, 15)],
  },
  { title: 'Workshop: Arm Balances', price: 5500, locations: ['Room A'], times: [hm(10), hm(15)] },
];

export interface GenerateOptions {
  crmId: string;
  kind: CrmKind;
  clients: number;
  /** Teacher user ids (the owner first for a mentor CRM). */
  teacherIds: string[];
  currency: string;
  now: Date;
  seed: number;
  /** Share of clients with a note, tags, messages. */
  extras?: boolean;
  /** The CRM's time zone: class hours are local to it. Default UTC. */
  timeZone?: string;
}

/** One upcoming class of the timetable. */
interface Slot {
  sessionId: string;
  startsAt: Date;
  cls: ClassDef;
  location: string;
  teacherId: string;
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** The UTC instant of the local time `minutes` after midnight of `date` in `timeZone`. */
export function zonedInstant(date: string, minutes: number, timeZone: string): Date {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    offsetFormats.set(timeZone, format);
  }
  const offset = (t: number) => {
    const part = (type: string) =>
      Number(format.formatToParts(t).find((p) => p.type === type)!.value);
    return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute')) - t;
  };
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const local = Date.UTC(y, m - 1, d, 0, minutes);
  // Twice: the offset at the first guess may differ from the offset at the answer (DST).
  return new Date(local - offset(local - offset(local)));
}

/** Class hours, minutes after local midnight. */
const MENTOR_HOURS = [7 * 60, 9 * 60 + 30, 12 * 60 + 15, 18 * 60 + 30];
const STUDIO_HOURS = [7 * 60, 9 * 60 + 30, 12 * 60 + 15, 17 * 60 + 30, 18 * 60 + 45, 20 * 60];

/** The next two weeks of classes, from `now` on, ordered by start. */
function timetable(o: GenerateOptions, rng: Rng, classes: ClassDef[]): Slot[] {
  const timeZone = o.timeZone ?? 'UTC';
  const prefix = o.crmId.replace(/^crm_/, '');
  const hours = o.kind === 'mentor' ? MENTOR_HOURS : STUDIO_HOURS;
  const slots: Slot[] = [];
  for (let d = 0; d < 14; d++) {
    const date = localDate(timeZone, new Date(o.now.getTime() + d * DAY));
    const sunday = new Date(`${date}T12:00:00Z`).getUTCDay() === 0;
    o.teacherIds.forEach((teacherId, t) => {
      const count = sunday ? rng.int(0, 1) : rng.int(o.kind === 'mentor' ? 1 : 2, 3);
      const free = [...hours];
      for (let k = 0; k < count; k++) {
        const minutes = free.splice(rng.int(0, free.length - 1), 1)[0]!;
        const startsAt = zonedInstant(date, minutes, timeZone);
        if (startsAt <= o.now) continue;
        const cls = rng.pick(classes);
        const hhmm =
          `${Math.floor(minutes / 60)}`.padStart(2, '0') + `${minutes % 60}`.padStart(2, '0');
        slots.push({
          sessionId: `ses_${prefix}_${date.replaceAll('-', '')}_${hhmm}_${t}`,
          startsAt,
          cls,
          location: rng.pick(cls.locations),
          teacherId,
        });
      }
    });
  }
  return slots.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** Places in a class: a private session takes one client, a reformer room ten. */
const capacityOf = (slot: Slot) =>
  slot.cls.title.startsWith('Private') ? 1 : slot.cls.title.startsWith('Reformer') ? 10 : 24;

/** The index of the slot starting nearest to `at`. */
function nearestSlot(slots: Slot[], at: number): number {
  let lo = 0;
  let hi = slots.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (slots[mid]!.startsAt.getTime() < at) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && at - slots[lo - 1]!.startsAt.getTime() < slots[lo]!.startsAt.getTime() - at) {
    return lo - 1;
  }
  return lo;
}

interface Person {
  name: string;
  email: string;
  phone: string | null;
}

const slug = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]/g, '');

function person(rng: Rng, index: number): Person {
  const first = rng.pick(FIRST);
  const last = rng.pick(LAST);
  const style = rng.int(0, 3);
  const local =
    style === 0
      ? `${slug(first)}.${slug(last)}`
      : style === 1
        ? `${slug(first)}${slug(last)}${rng.int(1, 99)}`
        : style === 2
          ? `${slug(first).charAt(0)}${slug(last)}`
          : `${slug(first)}_${slug(last)}`;
  return {
    name: `${first} ${last}`,
    email: `${local}.${index.toString(36)}@${rng.pick(DOMAINS)}`,
    phone: rng.chance(0.6)
      ? `+${rng.pick(['1', '44', '49', '33', '34', '39', '31'])} ${rng.int(200, 999)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`
      : null,
  };
}

/** Sentences a teacher wrote into a note and took out again (the history's deletions). */
const NOTE_ASIDES = [
  'Ask how the new job is going.',
  'Owes for one class from March: settled?',
  'Wants to try the Saturday workshop.',
  'Mentioned a sore wrist: check before arm balances.',
];

/**
 * The versions before a seeded note's current one, for the history view: the version before
 * it had one more sentence, the one before that the first sentence and another one. Days and authors
 * come from the client's index, not from `rng`, so that the rest of the data set is the same.
 */
function earlierVersions(
  [clientId, crmId, text, version, updatedAt, updatedBy]: [
    string,
    string,
    string,
    number,
    string,
    string,
  ],
  index: number,
  teacherIds: string[],
): unknown[][] {
  const first = /^.*?[.:;](?=\s|$)/.exec(text)?.[0] ?? text;
  const aside = (k: number) => NOTE_ASIDES[(index + k) % NOTE_ASIDES.length];
  const texts = [`${text} ${aside(0)}`, `${first} ${aside(1)}`];
  const out: unknown[][] = [];
  let at = Date.parse(updatedAt);
  for (let k = 1; k <= 2 && version - k >= 1; k++) {
    at -= (2 + ((index * 7 + k * 5) % 40)) * DAY;
    const by = teacherIds[(index + k) % teacherIds.length] ?? updatedBy;
    out.push([clientId, crmId, texts[k - 1], version - k, new Date(at).toISOString(), by]);
  }
  return out;
}

/** A note's columns: the `notes` row and its one kept version in `note_versions` alike. */
const NOTE_COLUMNS = [
  { name: 'client_id', type: 'text' },
  { name: 'crm_id', type: 'text' },
  { name: 'text', type: 'text' },
  { name: 'version', type: 'int' },
  { name: 'updated_at', type: 'timestamptz' },
  { name: 'updated_by', type: 'text' },
];

/** Bulk insert through unnest: one array parameter per column. */
async function insertRows(
  db: Db,
  table: string,
  columns: { name: string; type: string }[],
  rows: unknown[][],
  batch = 5000,
) {
  for (let start = 0; start < rows.length; start += batch) {
    const slice = rows.slice(start, start + batch);
    const arrays = columns.map((_, i) => slice.map((r) => r[i] ?? null));
    await sql`
      insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c.name)))})
      select * from unnest(${sql.join(
        arrays.map((a, i) => sql`${a}::${sql.raw(columns[i]!.type)}[]`),
      )})
    `.execute(db);
  }
}

/**
 * Generates one CRM's clients and bookings (the CRM and its teachers must exist), then
 * computes the clients' aggregates in SQL. Returns the generated clients' emails.
 */
export async function generateCrm(
  db: Db,
  o: GenerateOptions,
): Promise<{ emails: string[]; bookings: number }> {
  const rng = prng(o.seed);
  const classes = o.kind === 'mentor' ? MENTOR_CLASSES : STUDIO_CLASSES;
  const now = o.now.getTime();
  const clientRows: unknown[][] = [];
  const bookingRows: unknown[][] = [];
  const emails: string[] = [];
  const prefix = o.crmId.replace(/^crm_/, '');
  const slots = timetable(o, rng, classes);
  const horizon = slots.length ? slots.at(-1)!.startsAt.getTime() + DAY / 2 : now;
  const booked = slots.map(() => 0);

  for (let i = 0; i < o.clients; i++) {
    const p = person(rng, i);
    // A few people book under a second email (work and personal): two clients, never merged.
    const second = i > 0 && rng.chance(0.0015) ? emails.length - 1 : -1;
    const who =
      second >= 0
        ? {
            ...p,
            name: String(clientRows[second]![3]),
            email: `${slug(p.name)}.work${i}@company.example`,
          }
        : p;
    const clientId = `cli_${prefix}_${i.toString(36).padStart(5, '0')}`;
    emails.push(who.email);
    clientRows.push([clientId, o.crmId, who.email, who.name, who.phone]);

    // Activity pattern: newcomer (first class coming up), one-off, occasional, regular,
    // devoted.
    const newcomer = slots.length > 0 && rng.chance(0.006);
    const kind = rng.next();
    const count = newcomer
      ? 1
      : kind < 0.35
        ? 1
        : kind < 0.72
          ? rng.int(2, 4)
          : kind < 0.95
            ? rng.int(5, 20)
            : rng.int(21, 60);
    // The active window: starts up to two years ago; some stopped coming (lapsed).
    const start = now - rng.int(5, 730) * DAY;
    const stillActive = rng.chance(0.55);
    const end = stillActive
      ? now + rng.int(0, 21) * DAY
      : Math.min(now - rng.int(91, 400) * DAY, start + count * 10 * DAY);
    const span = Math.max(end - start, DAY);
    const favourite = rng.pick(o.teacherIds);
    const hadTwoEmailsAvatar = null;
    const taken = new Set<number>();
    for (let k = 0; k < count; k++) {
      let at = new Date(
        Math.floor((start + ((k + rng.next() * 0.9) / count) * span) / (30 * 60_000)) * 30 * 60_000,
      );
      let cls = rng.pick(classes);
      // On that day, at one of the class's local hours (picked without a draw, so the rest of
      // the data set is the same): not at any half hour of the UTC day (2:30 AM in a studio).
      at = zonedInstant(
        localDate(o.timeZone ?? 'UTC', at),
        cls.times[(i + k) % cls.times.length]!,
        o.timeZone ?? 'UTC',
      );
      let location = rng.pick(cls.locations);
      let teacher = o.teacherIds.length > 1 && rng.chance(0.3) ? rng.pick(o.teacherIds) : favourite;
      let sessionId: string | null = null;
      // An upcoming booking is in a class of the timetable within a day or two of when it
      // fell, with a free place, once per client per class.
      if (newcomer || (at.getTime() > now && at.getTime() < horizon)) {
        const near = at.getTime() + rng.int(-36, 36) * 3_600_000;
        let index = newcomer ? rng.int(0, slots.length - 1) : nearestSlot(slots, near);
        const free = (i: number) => !taken.has(i) && booked[i]! < capacityOf(slots[i]!);
        for (let step = 0; step < slots.length && !free(index); step++) {
          index = (index + 1) % slots.length;
        }
        if (free(index)) {
          taken.add(index);
          booked[index]! += 1;
          const slot = slots[index]!;
          ({ cls, location, startsAt: at, sessionId } = slot);
          teacher = slot.teacherId;
        }
      }
      const future = at.getTime() > now;
      let status: string;
      let payment: string;
      let refunded = 0;
      const amount = cls.price + (cls.price >= 5000 ? 0 : rng.pick([0, 0, 0, -300, 500]));
      if (future) {
        status = !newcomer && rng.chance(0.08) ? 'cancelled' : 'booked';
        payment = status === 'cancelled' ? 'refunded' : rng.chance(0.7) ? 'paid' : 'unpaid';
      } else {
        const r = rng.next();
        status = r < 0.84 ? 'completed' : r < 0.9 ? 'no_show' : 'cancelled';
        const q = rng.next();
        if (status === 'completed') {
          payment =
            q < 0.9 ? 'paid' : q < 0.93 ? 'partially_refunded' : q < 0.95 ? 'refunded' : 'unpaid';
        } else if (status === 'no_show') {
          payment = q < 0.8 ? 'paid' : 'unpaid';
        } else {
          payment = q < 0.6 ? 'refunded' : q < 0.85 ? 'paid' : 'unpaid';
        }
      }
      if (payment === 'refunded') refunded = amount;
      if (payment === 'partially_refunded') refunded = Math.round(amount * rng.pick([0.25, 0.5]));
      const paidAmount = payment === 'unpaid' ? amount : amount;
      bookingRows.push([
        `bk_${prefix}_${i.toString(36)}_${k.toString(36)}`,
        o.crmId,
        clientId,
        teacher,
        cls.title,
        at.toISOString(),
        location,
        status,
        payment,
        paidAmount,
        refunded,
        o.currency,
        who.name,
        who.phone,
        hadTwoEmailsAvatar,
        at.toISOString(),
        sessionId,
      ]);
    }
  }

  await insertRows(
    db,
    'clients',
    [
      { name: 'id', type: 'text' },
      { name: 'crm_id', type: 'text' },
      { name: 'email', type: 'text' },
      { name: 'name', type: 'text' },
      { name: 'phone', type: 'text' },
    ],
    clientRows,
  );
  await insertRows(
    db,
    'bookings',
    [
      { name: 'id', type: 'text' },
      { name: 'crm_id', type: 'text' },
      { name: 'client_id', type: 'text' },
      { name: 'teacher_user_id', type: 'text' },
      { name: 'class_title', type: 'text' },
      { name: 'starts_at', type: 'timestamptz' },
      { name: 'location', type: 'text' },
      { name: 'status', type: 'text' },
      { name: 'payment_status', type: 'text' },
      { name: 'amount_minor', type: 'bigint' },
      { name: 'refunded_minor', type: 'bigint' },
      { name: 'currency', type: 'text' },
      { name: 'client_name', type: 'text' },
      { name: 'client_phone', type: 'text' },
      { name: 'client_avatar_url', type: 'text' },
      { name: 'updated_at', type: 'timestamptz' },
      { name: 'session_id', type: 'text' },
    ],
    bookingRows,
  );
  // Statistics before the recompute: without them the planner joins the sessions triggers'
  // transition tables by nested loops (the demo studio's recompute took 33 s at 2,000 clients
  // and over 20 minutes at 20,000; 0.7 s at 2,000 after ANALYZE).
  await sql`analyze clients, bookings, sessions`.execute(db);
  await recomputeClients(db, { crmId: o.crmId }, o.now);

  if (o.extras)
    await addExtras(
      db,
      o,
      rng,
      clientRows.map((r) => String(r[0])),
    );
  // Planner statistics for what was just loaded, and the dead rows of the recompute's
  // updates marked reusable (PGlite runs no autovacuum; PostgreSQL's would come later).
  await sql`vacuum (analyze) clients, bookings, sessions`.execute(db);
  return { emails, bookings: bookingRows.length };
}

/** Notes, tags and messages on a share of the clients. */
async function addExtras(db: Db, o: GenerateOptions, rng: Rng, clientIds: string[]) {
  const iso = o.now.toISOString();
  const notes: unknown[][] = [];
  const versions: unknown[][] = [];
  const tags: unknown[][] = [];
  const messages: unknown[][] = [];
  const alerts: unknown[][] = [];
  const timeZone = o.timeZone ?? 'UTC';
  clientIds.forEach((id, i) => {
    if (rng.chance(0.05)) {
      const n = rng.chance(0.25) ? 2 : 1;
      const texts = new Set(Array.from({ length: n }, () => rng.pick(ALERTS)));
      [...texts].forEach((text, a) => {
        const until = rng.chance(0.3)
          ? localDate(timeZone, new Date(o.now.getTime() + rng.int(3, 120) * DAY))
          : null;
        alerts.push([
          `alr_${o.crmId}_${i.toString(36)}_${a}`,
          o.crmId,
          id,
          text,
          until,
          rng.pick(o.teacherIds),
          new Date(o.now.getTime() - rng.int(1, 200) * DAY).toISOString(),
        ]);
      });
    }
    if (rng.chance(0.12)) {
      const note = [
        id,
        o.crmId,
        rng.pick(NOTES),
        rng.int(1, 6),
        new Date(o.now.getTime() - rng.int(1, 300) * DAY).toISOString(),
        rng.pick(o.teacherIds),
      ] as [string, string, string, number, string, string];
      notes.push(note);
      versions.push(note, ...earlierVersions(note, i, o.teacherIds));
    }
    if (rng.chance(0.3)) {
      const set = [...new Set(Array.from({ length: rng.int(1, 4) }, () => rng.pick(TAGS)))];
      tags.push([id, `{${set.map((t) => JSON.stringify(t)).join(',')}}`]);
    }
    const sent = rng.chance(0.06) ? rng.int(1, 4) : 0;
    for (let m = 0; m < sent; m++) {
      messages.push([
        `msg_${o.crmId}_${i.toString(36)}_${m}`,
        o.crmId,
        id,
        rng.pick(o.teacherIds),
        rng.pick([
          'We miss you on the mat!',
          'New class times this season',
          'Your class pack is running low',
          'Workshop this weekend',
        ]),
        new Date(o.now.getTime() - rng.int(1, 200) * DAY).toISOString(),
      ]);
    }
  });
  await insertRows(db, 'notes', NOTE_COLUMNS, notes);
  // each seeded note's current text is kept, and up to two earlier versions (the history view)
  await insertRows(db, 'note_versions', NOTE_COLUMNS, versions);
  await insertRows(
    db,
    'messages',
    [
      { name: 'id', type: 'text' },
      { name: 'crm_id', type: 'text' },
      { name: 'client_id', type: 'text' },
      { name: 'sender_user_id', type: 'text' },
      { name: 'subject', type: 'text' },
      { name: 'sent_at', type: 'timestamptz' },
    ],
    messages,
  );
  await insertRows(
    db,
    'client_alerts',
    [
      { name: 'id', type: 'text' },
      { name: 'crm_id', type: 'text' },
      { name: 'client_id', type: 'text' },
      { name: 'text', type: 'text' },
      { name: 'until', type: 'date' },
      { name: 'created_by', type: 'text' },
      { name: 'created_at', type: 'timestamptz' },
    ],
    alerts,
  );
  // tags: one statement, from (id, text[] literal) pairs
  for (let s = 0; s < tags.length; s += 5000) {
    const slice = tags.slice(s, s + 5000);
    await sql`
      update clients c set tags = t.tags::text[], tags_lower = lower(t.tags)::text[],
        tags_updated_at = ${iso}::timestamptz
      from unnest(${slice.map((r) => r[0])}::text[], ${slice.map((r) => r[1])}::text[]) as t(id, tags)
      where c.id = t.id
    `.execute(db);
  }
}

export const DEMO = {
  mentor: { id: 'usr_demo_maya', name: 'Maya Ortiz', email: 'maya@movementors.example' },
  owner: { id: 'usr_demo_olive', name: 'Olive Park', email: 'olive@lotus-studio.example' },
  teachers: [
    ['usr_demo_t1', 'Jonas Weber'],
    ['usr_demo_t2', 'Priya Shah'],
    ['usr_demo_t3', 'Lea Dubois'],
    ['usr_demo_t4', 'Kwame Mensah'],
    ['usr_demo_t5', 'Sakura Tanaka'],
    ['usr_demo_t6', 'Diego Alvarez'],
    ['usr_demo_t7', 'Ingrid Larsen'],
  ] as const,
  mentorCrm: 'crm_demo_maya',
  studioCrm: 'crm_demo_lotus',
  mentorTimeZone: 'America/New_York',
  studioTimeZone: 'Europe/Berlin',
};

/** Seeds the demo data set into an empty database; returns false when it was not empty. */
export async function seedDemo(
  db: Db,
  opts: { now: Date; mentorClients?: number; studioClients?: number; log?: (line: string) => void },
): Promise<boolean> {
  const existing = await sql<{ n: number }>`select count(*)::int as n from crms`.execute(db);
  if (Number(existing.rows[0]?.n) > 0) {
    opts.log?.('Database not empty: demo seed skipped');
    return false;
  }
  const started = Date.now();
  const users: [string, string, string][] = [
    [DEMO.mentor.id, DEMO.mentor.name, DEMO.mentor.email],
    [DEMO.owner.id, DEMO.owner.name, DEMO.owner.email],
    ...DEMO.teachers.map(([id, name]): [string, string, string] => [
      id,
      name,
      `${slug(name.split(' ')[0]!)}@lotus-studio.example`,
    ]),
  ];
  // Users, CRMs and members as the platform creates them, with the demo's fixed ids.
  for (const [id, name, email] of users) await createUser(db, { name, email }, id);
  const mentorCrm = {
    kind: 'mentor',
    name: 'Maya Ortiz Yoga',
    ownerUserId: DEMO.mentor.id,
    currency: 'USD',
    timeZone: DEMO.mentorTimeZone,
  } as const;
  await createCrm(db, mentorCrm, DEMO.mentorCrm);
  const studioCrm = {
    kind: 'studio',
    name: 'Lotus Movement Studio',
    ownerUserId: DEMO.owner.id,
    currency: 'EUR',
    timeZone: DEMO.studioTimeZone,
  } as const;
  await createCrm(db, studioCrm, DEMO.studioCrm);
  // Maya teaches at the studio too: one user, two CRMs, nothing crosses between them.
  const studioTeachers = [DEMO.mentor.id, ...DEMO.teachers.map(([id]) => id)];
  for (const id of studioTeachers) await addTeacher(db, DEMO.studioCrm, id);
  const mentor = await generateCrm(db, {
    crmId: DEMO.mentorCrm,
    kind: 'mentor',
    clients: opts.mentorClients ?? 400,
    teacherIds: [DEMO.mentor.id],
    currency: 'USD',
    now: opts.now,
    seed: 400,
    extras: true,
    timeZone: DEMO.mentorTimeZone,
  });
  const studio = await generateCrm(db, {
    crmId: DEMO.studioCrm,
    kind: 'studio',
    clients: opts.studioClients ?? 20_000,
    teacherIds: studioTeachers,
    currency: 'EUR',
    now: opts.now,
    seed: 20_000,
    extras: true,
    timeZone: DEMO.studioTimeZone,
  });
  // A few erasure requests, processed the way live ones are.
  for (const email of [
    mentor.emails[7],
    mentor.emails[123],
    studio.emails[42],
    studio.emails[4242],
    studio.emails[9001],
  ]) {
    if (email) await eraseEmail(db, email, opts.now);
  }
  opts.log?.(
    `Seeded demo data: ${mentor.emails.length + studio.emails.length} clients, ` +
      `${mentor.bookings + studio.bookings} bookings in ${Date.now() - started} ms`,
  );
  return true;
}

/** A token with every scope for the seeded users, issued as the platform issues one. */
export const allScopesToken = async (db: Db, userId: string, now: Date) =>
  (await issueToken(db, userId, Scope.options, 365 * 86_400, now)).token;

/** Mints a fresh token (all scopes, one year) for each demo user present in the database. */
export async function mintDemoTokens(db: Db, now: Date): Promise<DemoToken[]> {
  const ids = [DEMO.mentor.id, DEMO.owner.id, ...DEMO.teachers.map(([id]) => id)];
  const users = await sql<{ id: string; name: string; email: string; crms: string[] }>`
    select u.id, u.name, u.email,
      array(select k.name from memberships m join crms k on k.id = m.crm_id
            where m.user_id = u.id order by (m.role = 'owner') desc, k.name) as crms
    from users u where u.id = any(${ids}::text[])
  `.execute(db);
  const byId = new Map(users.rows.map((u) => [u.id, u]));
  const out: DemoToken[] = [];
  for (const id of ids) {
    const u = byId.get(id);
    if (!u) continue;
    const token = await allScopesToken(db, u.id, now);
    out.push({ userId: u.id, name: u.name, email: u.email, token, crms: u.crms });
  }
  return out;
}

/**
 * A studio CRM of `clients` clients with 8 teachers, for benchmarks; returns its id and an
 * owner token with every scope. Ids are fresh, so it can run against a non-empty database.
 */
export async function generateBenchCrm(
  db: Db,
  opts: { clients: number; now: Date; seed?: number; kind?: CrmKind },
): Promise<{ crmId: string; ownerUserId: string; token: string; bookings: number }> {
  const run = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  const kind = opts.kind ?? 'studio';
  const ownerUserId = `usr_bench_${run}_owner`;
  const teacherIds =
    kind === 'mentor'
      ? [ownerUserId]
      : Array.from({ length: 8 }, (_, i) => `usr_bench_${run}_t${i + 1}`);
  await createUser(db, { name: 'Bench Owner', email: `${ownerUserId}@bench.example` }, ownerUserId);
  const crmId = `crm_bench_${run}`;
  const currency = kind === 'mentor' ? 'USD' : 'EUR';
  const name = `Benchmark ${kind} (${opts.clients} clients)`;
  await createCrm(db, { kind, name, ownerUserId, currency }, crmId);
  if (kind === 'studio') {
    for (const [i, id] of teacherIds.entries()) {
      await createUser(db, { name: `Bench Teacher ${i + 1}`, email: `${id}@bench.example` }, id);
      await addTeacher(db, crmId, id);
    }
  }
  const { bookings } = await generateCrm(db, {
    crmId,
    kind,
    clients: opts.clients,
    teacherIds,
    currency,
    now: opts.now,
    seed: opts.seed ?? opts.clients,
    extras: true,
  });
  const token = await allScopesToken(db, ownerUserId, opts.now);
  return { crmId, ownerUserId, token, bookings };
}
