// Answers as tables: column names with their types; NULL, blobs and numbers each look distinct.

/** Rows drawn at most; the export has them all. */
export const SHOWN_ROWS = 2000;

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('on')) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c !== undefined && c !== null) e.append(c);
  }
  return e;
}

export const isBlob = (type) => /BLOB/i.test(type || '');

function blobBytes(b64) {
  try {
    return atob(b64);
  } catch {
    return '';
  }
}

function hexPreview(bytes, max = 24) {
  let s = '';
  for (let i = 0; i < Math.min(bytes.length, max); i++) s += bytes.charCodeAt(i).toString(16).padStart(2, '0');
  return "x'" + s + (bytes.length > max ? '…' : '') + "'";
}

/** One value as a table cell's content. */
export function valueNode(v, type) {
  if (v === null || v === undefined) return el('span', { class: 'null', text: 'NULL' });
  if (typeof v === 'string' && isBlob(type)) {
    const bytes = blobBytes(v);
    return el('span', { class: 'blob', title: hexPreview(bytes, 64), text: 'BLOB ' + bytes.length + ' B' });
  }
  if (typeof v === 'number' || typeof v === 'bigint') return el('span', { class: 'num', text: String(v) });
  if (typeof v === 'object') return el('span', { text: JSON.stringify(v) });
  return document.createTextNode(String(v));
}

function headerCell(name, type) {
  return el('th', { scope: 'col' }, el('span', { class: 'col', text: name }),
    el('span', { class: 'type', text: type || 'any' }));
}

/**
 * A table of {columns, types, rows}; {@code lead} adds a first column (compare: the change).
 * Returns the table element.
 */
export function renderTable(answer, { caption, lead, rowClass, cell } = {}) {
  const types = answer.types || [];
  const head = el('tr', {}, lead ? el('th', { scope: 'col' }, el('span', { class: 'col', text: lead.title })) : null,
    answer.columns.map((c, i) => headerCell(c, types[i])));
  const body = el('tbody');
  const shown = answer.rows.slice(0, SHOWN_ROWS);
  for (const [r, row] of shown.entries()) {
    const tr = el('tr', { class: rowClass ? rowClass(r) : undefined });
    if (lead) tr.append(el('td', { class: 'lead' }, lead.cell(r)));
    row.forEach((v, i) => tr.append(el('td', {}, cell ? cell(r, i, v, types[i]) : valueNode(v, types[i]))));
    body.append(tr);
  }
  const table = el('table', {}, caption ? el('caption', { class: 'sr-only', text: caption }) : null, el('thead', {}, head), body);
  return table;
}
