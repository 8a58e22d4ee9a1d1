// The same answer at two moments: rows removed, added, and (with a key column) changed.

import { el, renderTable, valueNode } from './table.js';

/** A value as a comparable string (BigInt-safe, blobs by their base64). */
const token = (v) => (v === null || v === undefined ? '\u0000null' : typeof v === 'bigint' ? 'n' + v : typeof v + ':' + v);
const rowKey = (row) => row.map(token).join('\u0001');

/**
 * Differences from answer a to answer b (same columns). Without a key, rows are compared whole as
 * multisets; with a key column index, rows with the same key and other values are "changed".
 * Returns {items: [{kind, row, before?}], unchanged}.
 */
export function diff(a, b, keyIndex) {
  const items = [];
  let unchanged = 0;
  if (keyIndex === undefined || keyIndex < 0) {
    const left = new Map();
    for (const r of a.rows) {
      const k = rowKey(r);
      (left.get(k) || left.set(k, []).get(k)).push(r);
    }
    for (const r of b.rows) {
      const same = left.get(rowKey(r));
      if (same && same.length) {
        same.pop();
        unchanged++;
      } else {
        items.push({ kind: 'added', row: r });
      }
    }
    for (const rows of left.values()) rows.forEach((r) => items.push({ kind: 'removed', row: r }));
  } else {
    const before = new Map(a.rows.map((r) => [token(r[keyIndex]), r]));
    const seen = new Set();
    for (const r of b.rows) {
      const k = token(r[keyIndex]);
      const old = before.get(k);
      seen.add(k);
      if (!old) items.push({ kind: 'added', row: r });
      else if (rowKey(old) !== rowKey(r)) items.push({ kind: 'changed', row: r, before: old });
      else unchanged++;
    }
    for (const [k, r] of before) if (!seen.has(k)) items.push({ kind: 'removed', row: r });
  }
  const order = { removed: 0, changed: 1, added: 2 };
  items.sort((x, y) => order[x.kind] - order[y.kind]);
  return { items, unchanged };
}

const SIGN = { removed: '−', added: '+', changed: '~' };

/** The diff as a table: one row per difference, changed cells as old → new. */
export function renderDiff(a, b, result) {
  const answer = { columns: b.columns, types: b.types, rows: result.items.map((i) => i.row) };
  return renderTable(answer, {
    caption: 'Rows that differ between the two moments',
    lead: {
      title: 'Change',
      cell: (r) => el('span', { class: 'badge ' + result.items[r].kind, text: SIGN[result.items[r].kind] + ' ' + result.items[r].kind }),
    },
    rowClass: (r) => 'diff-' + result.items[r].kind,
    cell: (r, i, v, type) => {
      const item = result.items[r];
      if (item.kind === 'changed' && token(item.before[i]) !== token(v)) {
        return el('span', { class: 'change' }, el('del', {}, valueNode(item.before[i], type)), ' → ', el('ins', {}, valueNode(v, type)));
      }
      return valueNode(v, type);
    },
  });
}
