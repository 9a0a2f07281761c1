// The dev outbox: every email text goes into the DOM as text (textContent), never as HTML.
const KINDS = {
  message: 'Message',
  erasure_notice: 'Erasure notice',
  sign_in_code: 'Sign-in code',
};

interface OutboxItem {
  kind: keyof typeof KINDS;
  to: string;
  replyTo: string | null;
  subject: string;
  body: string;
  sentAt: string;
}

const table = document.querySelector<HTMLTableElement>('#outbox')!;
const state = document.querySelector<HTMLElement>('#state')!;

async function load() {
  state.textContent = 'Loading…';
  try {
    const res = await fetch('/dev/outbox', { cache: 'no-store' });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const { items } = (await res.json()) as { items: OutboxItem[] };
    const all = [...items].sort((a, b) => b.sentAt.localeCompare(a.sentAt));
    // The newest 200 (the seeded data set has many).
    const rows = all.slice(0, 200);
    const tbody = table.tBodies[0]!;
    tbody.replaceChildren(
      ...rows.map((item) => {
        const tr = document.createElement('tr');
        const cells = [
          new Date(item.sentAt).toLocaleString(),
          KINDS[item.kind] ?? item.kind,
          item.to,
          item.replyTo ?? '—',
          item.subject,
          item.body,
        ];
        cells.forEach((text, i) => {
          const td = document.createElement('td');
          td.textContent = text;
          if (i === 5) td.className = 'body';
          tr.append(td);
        });
        return tr;
      }),
    );
    table.hidden = rows.length === 0;
    state.textContent = all.length
      ? `${all.length} emails${all.length > rows.length ? `, the newest ${rows.length} shown` : ''}`
      : 'No email yet.';
  } catch (error) {
    state.textContent = `Could not read the outbox: ${String(error)}`;
  }
}

document.querySelector('#refresh')!.addEventListener('click', () => void load());
void load();
