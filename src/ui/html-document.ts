/**
 * The shell of every page glassbox exports: a self-contained HTML document that opens offline. No
 * script and no reference to anything outside the file; its own policy forbids both, so the texts
 * in it (which anybody may have written) cannot run or fetch anything where it is opened.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

/** Styles every exported page shares: text, fact lists, tables, highlighted words and bars. */
const BASE_STYLES = `body { font: 16px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 52rem; padding: 0 1rem; color: #1d1f23; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
mark { border-radius: 3px; padding: 0 1px; color: inherit; }
mark.towards { background: rgb(217 72 15 / calc(0.08 + 0.72 * var(--strength))); }
mark.against { background: rgb(28 126 214 / calc(0.08 + 0.72 * var(--strength))); text-decoration: underline dotted; }
table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
th, td { padding: 0.15rem 0.5rem; text-align: left; }
.chart { width: 100%; } .chart th { text-align: right; width: 10rem; font-weight: normal; }
.bar { position: relative; height: 1.1rem; } .bar span { position: absolute; top: 0.15rem; bottom: 0.15rem; }
span.towards { background: #d9480f; } span.against { background: #1c7ed6; }
.number { text-align: right; }`;

/** A whole page: `title` (plain text), then `body` (HTML the caller escaped) under a list of facts. */
export function htmlDocument(title: string, facts: readonly (readonly [string, string])[], body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
${BASE_STYLES}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
<dl>
${facts.map(([name, value]) => `<dt>${escapeHtml(name)}</dt><dd>${escapeHtml(value)}</dd>`).join('\n')}
</dl>
${body}
</body>
</html>
`;
}

/** One bar of a two-sided chart row: its side and its length, relative to the largest weight. */
export function chartRow(word: string, weight: number, largest: number, number: string): string {
  const width = ((Math.abs(weight) / (largest || 1)) * 50).toFixed(2);
  const side = weight < 0 ? `right: 50%` : `left: 50%`;
  return `<tr><th scope="row">${escapeHtml(word)}</th><td class="bar"><span class="${weight < 0 ? 'against' : 'towards'}" style="${side}; width: ${width}%"></span></td><td class="number">${escapeHtml(number)}</td></tr>`;
}
