/**
 * The attendance strip of `<mm-client-card>` (SPEC section 8): one column per calendar month
 * (in the CRM's time zone: the server names the months), attended sessions as a solid bar,
 * no-shows hatched and marked ×, cancellations as a dashed outline, each month labelled. Plain
 * HTML and CSS, no chart library. The picture is hidden from screen readers; the sentence
 * under it ("12 classes in the last 3 months, none in October") says the same for everyone.
 */
import { css, html, nothing } from 'lit';
import type { AttendanceMonth } from '../../api/schemas.js';
import { formatCount, safeLocale } from '../../shared/format.js';

export const stripStyles = css`
  .strip {
    display: grid;
    grid-template-columns: repeat(var(--_strip-months, 12), minmax(0, 1fr));
    gap: 3px;
    margin: 0;
    padding: 0;
    list-style: none;
  }
  .month {
    display: flex;
    flex-direction: column;
    gap: 2px;
    min-width: 0;
  }
  .bars {
    display: flex;
    flex-direction: column-reverse;
    height: 56px;
    border-bottom: 2px solid var(--_border);
  }
  .bars span {
    display: grid;
    place-items: center;
    min-height: 0;
    overflow: hidden;
    font-size: 10px;
    line-height: 1;
  }
  .attended {
    background: var(--_accent);
  }
  .no-show {
    color: var(--_danger);
    background: repeating-linear-gradient(-45deg, var(--_danger) 0 2px, transparent 2px 5px);
    border: 1px solid var(--_danger);
  }
  .cancelled {
    border: 1px dashed var(--_muted);
    background: var(--_bg);
  }
  .label {
    font-size: 0.7em;
    color: var(--_muted);
    text-align: center;
    white-space: nowrap;
    overflow: hidden;
  }
  .legend {
    display: flex;
    flex-wrap: wrap;
    gap: 2px calc(var(--_space) * 1.5);
    margin: 0;
    padding: 0;
    list-style: none;
    font-size: 0.8em;
    color: var(--_muted);
  }
  .legend li {
    display: inline-flex;
    align-items: center;
    gap: 4px;
  }
  .legend .key {
    display: inline-block;
    width: 12px;
    height: 12px;
  }
`;

/** `2026-05` → a date in the middle of that month, for naming it (UTC, the month as given). */
const monthDate = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return Date.UTC(y!, m! - 1, 15);
};

const monthName = (month: string, locale: string | undefined, style: 'long' | 'short') =>
  new Intl.DateTimeFormat(safeLocale(locale), { month: style, timeZone: 'UTC' }).format(
    monthDate(month),
  );

const plural = (n: number, one: string, many: string, locale?: string) =>
  `${formatCount(n, locale)} ${n === 1 ? one : many}`;

const or = (items: string[]) => new Intl.ListFormat('en', { type: 'disjunction' }).format(items);

/**
 * What the strip shows, as one sentence: the classes attended in the last 3 months and the
 * empty months among them, the year's total, then the no-shows and cancellations. `months` is
 * oldest first and ends with the current month.
 */
export function attendanceSentence(months: AttendanceMonth[], locale?: string): string {
  const n = months.length;
  const sum = (list: AttendanceMonth[], key: 'attended' | 'noShow' | 'cancelled') =>
    list.reduce((total, m) => total + m[key], 0);
  const name = (m: AttendanceMonth) => monthName(m.month, locale, 'long');
  const total = sum(months, 'attended');
  const span = `in the last ${n} months`;
  const recentMonths = months.slice(-3);
  const recent = sum(recentMonths, 'attended');
  const parts: string[] = [];
  if (!total) {
    parts.push(`No classes attended ${span}`);
  } else if (n <= 3) {
    parts.push(`${plural(total, 'class', 'classes', locale)} attended ${span}`);
  } else if (recent) {
    const current = recentMonths.at(-1)!;
    const empty = recentMonths.slice(0, -1).filter((m) => !m.attended);
    const gaps = [
      empty.length ? `none in ${or(empty.map(name))}` : '',
      current.attended ? '' : `none yet in ${name(current)}`,
    ].filter(Boolean);
    parts.push(
      `${plural(recent, 'class', 'classes', locale)} in the last 3 months${
        gaps.length ? `, ${gaps.join(' and ')}` : ''
      }`,
    );
    if (total !== recent) parts.push(`${formatCount(total, locale)} ${span}`);
  } else {
    const last = months.findLast((m) => m.attended)!;
    parts.push(
      `No classes in the last 3 months, the last in ${name(last)} ${last.month.slice(0, 4)}`,
      `${plural(total, 'class', 'classes', locale)} ${span}`,
    );
  }
  const noShow = sum(months, 'noShow');
  const cancelled = sum(months, 'cancelled');
  if (noShow || cancelled) {
    const missed = [
      noShow ? plural(noShow, 'no-show', 'no-shows', locale) : '',
      cancelled ? plural(cancelled, 'cancellation', 'cancellations', locale) : '',
    ].join(noShow && cancelled ? ' and ' : '');
    // The span once per sentence: after the no-shows only when nothing before named it.
    parts.push(parts.some((p) => p.endsWith(span)) ? missed : `${missed} ${span}`);
  }
  return `${parts.join('; ')}.`;
}

/** The strip and its legend (hidden from screen readers), then the sentence. */
export function attendanceStrip(months: AttendanceMonth[], locale?: string) {
  // At least 4 a month for the full height: one class is a short bar, not a full one.
  const max = Math.max(4, ...months.map((m) => m.attended + m.noShow + m.cancelled));
  const bar = (cls: string, n: number, mark = '') =>
    n ? html`<span class=${cls} style="flex: 0 0 ${(n / max) * 100}%">${mark}</span>` : nothing;
  const anyMissed = months.some((m) => m.noShow || m.cancelled);
  return html`<div class="strip-figure" aria-hidden="true">
      <ol class="strip" part="strip" style="--_strip-months: ${months.length}">
        ${months.map(
          (m) =>
            html`<li
              class="month"
              data-month=${m.month}
              title=${`${monthName(m.month, locale, 'long')} ${m.month.slice(0, 4)}: ${m.attended} attended, ${m.noShow} no-show, ${m.cancelled} cancelled`}
            >
              <div class="bars">
                ${bar('attended', m.attended)}${bar('no-show', m.noShow, '×')}${bar(
                  'cancelled',
                  m.cancelled,
                )}
              </div>
              <span class="label">${monthName(m.month, locale, 'short')}</span>
            </li>`,
        )}
      </ol>
      ${
        anyMissed
          ? html`<ul class="legend">
              <li><span class="key attended"></span>Attended</li>
              <li><span class="key no-show"></span>No-show</li>
              <li><span class="key cancelled"></span>Cancelled</li>
            </ul>`
          : nothing
      }
    </div>
    <p class="strip-summary small" part="strip-summary">${attendanceSentence(months, locale)}</p>`;
}
