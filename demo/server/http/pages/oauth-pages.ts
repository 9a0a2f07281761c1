/**
 * The authorization server's pages (SPEC section 6), rendered on the server: tiny, no
 * framework, every value escaped, in the elements' look (the same tokens as
 * `src/shared/host-styles.ts`, light and dark). Allow and Deny stay in view at the bottom of a
 * small popup or a phone (`.decide`, sticky) while the user reads what they allow. One inline
 * style and, on the result page, one inline script, both allowed by a per-response nonce: the
 * CSP allows nothing else and forbids framing (`frame-ancestors 'none'`).
 */
import { randomBytes } from 'node:crypto';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text for HTML content and quoted attribute values. */
export const esc = (s: string | number) => String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

/** Markup built from escaped parts. */
export class Html {
  constructor(readonly value: string) {}
}

/** A template whose interpolations are escaped unless they are `Html` (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function part(v: unknown): string {
  if (v instanceof Html) return v.value;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === undefined || v === null || v === false) return '';
  return esc(String(v));
}

const STYLE = `
:root{color-scheme:light dark;--bg:light-dark(#fff,#16181d);--surface:light-dark(#f6f7f9,#1f2229);--fg:light-dark(#1b1e24,#e8eaee);--muted:light-dark(#5b6270,#a3a9b6);--border:light-dark(#dde1e7,#343946);--accent:light-dark(#3b5bdb,#8ea6ff);--accent-fg:light-dark(#fff,#0d1020);--danger:light-dark(#c92a2a,#ff8787);font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
*{box-sizing:border-box}
body{margin:0;background:var(--surface);color:var(--fg)}
main{max-width:28rem;margin:0 auto;padding:24px 20px}
.card{background:var(--bg);border:1px solid var(--border);border-radius:8px;padding:20px}
.brand{font-weight:600;color:var(--muted);margin:0 0 12px;font-size:.9rem}
h1{font-size:1.25rem;margin:0 0 12px}
.origin{font-size:1.6rem;font-weight:700;overflow-wrap:anywhere;margin:0 0 4px}
.muted{color:var(--muted);font-size:.9rem}
.error{color:var(--danger)}
label{display:block;font-weight:500;margin:12px 0 4px}
input[type=email],input[type=text]{width:100%;font:inherit;color:inherit;background:var(--bg);border:1px solid var(--border);border-radius:6px;padding:8px 10px}
input.code{font-size:1.5rem;letter-spacing:.3em;font-variant-numeric:tabular-nums}
fieldset{border:1px solid var(--border);border-radius:6px;margin:16px 0;padding:8px 12px}
legend{font-weight:600;padding:0 4px}
.check{display:flex;gap:8px;align-items:center;font-weight:400;margin:6px 0}
ul{padding-left:1.2rem;margin:8px 0}
.actions{display:flex;gap:8px;flex-wrap:wrap;margin-top:16px}
.decide{position:sticky;bottom:0;background:var(--bg);margin:16px -20px 0;padding:12px 20px;border-top:1px solid var(--border)}
button{font:inherit;cursor:pointer;border:1px solid var(--border);background:var(--surface);color:var(--fg);border-radius:6px;padding:8px 16px;min-height:40px}
button.primary{background:var(--accent);border-color:var(--accent);color:var(--accent-fg)}
button.link{border:0;background:none;color:var(--accent);padding:4px 0;min-height:0;text-decoration:underline}
:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
form.inline{display:inline}
`;

export interface Page {
  title: string;
  body: Html;
  /** A script to run (result page), given the nonce. */
  script?: string;
}

/** The document around a page; returns the markup and the CSP that goes with it. */
export function document(page: Page): { body: string; csp: string } {
  const nonce = randomBytes(16).toString('base64');
  const body = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${esc(page.title)} · MoveMentors</title>
<style nonce="${nonce}">${STYLE}</style>
</head>
<body>
<main>
<div class="card">
<p class="brand">MoveMentors</p>
${page.body.value}
</div>
</main>
${page.script ? `<script nonce="${nonce}">${page.script}</script>` : ''}
</body>
</html>`;
  const csp = [
    "default-src 'none'",
    `style-src 'nonce-${nonce}'`,
    `script-src 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
  return { body, csp };
}

/** JSON safe to place inside a `<script>` element. */
export const scriptJson = (value: unknown) =>
  JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
