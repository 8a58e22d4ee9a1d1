// Export of a whole answer as CSV or NDJSON. Rows come from the NDJSON stream (no row limit,
// back-pressured by the server) and are converted line by line, so no JSON answer of the whole
// result is ever built; the file is assembled from chunks and saved through a download link.

import { api, parseExact } from './api.js';

function csvField(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? '"' + s.replaceAll('"', '""') + '"' : s;
}

const BIG = '\u0000big:';
/** JSON with BigInts written as exact integers. */
function exactJson(value) {
  return JSON.stringify(value, (k, v) => (typeof v === 'bigint' ? BIG + v : v))
    .replace(/"\\u0000big:(-?\d+)"/g, '$1');
}

/** Reads an NDJSON response line by line, calling onLine(parsed) for each. */
async function eachLine(res, onLine) {
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let rest = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    rest += value;
    let nl;
    while ((nl = rest.indexOf('\n')) >= 0) {
      const line = rest.slice(0, nl).trim();
      rest = rest.slice(nl + 1);
      if (line) onLine(parseExact(line));
    }
  }
  if (rest.trim()) onLine(parseExact(rest.trim()));
}

/**
 * Streams the answer of sql at `at` and saves it as `format` ('csv' or 'ndjson', one JSON
 * object per row). Returns {rows, txid, filename}.
 */
export async function exportAnswer(format, db, sql, at, onProgress) {
  const res = await api.stream(db, sql, at);
  const chunks = [];
  let header = null;
  let rows = 0;
  let batch = [];
  const flush = () => {
    if (batch.length) chunks.push(batch.join(''));
    batch = [];
  };
  await eachLine(res, (item) => {
    if (!header) {
      header = item;
      if (format === 'csv') batch.push(header.columns.map(csvField).join(',') + '\r\n');
      return;
    }
    rows++;
    if (format === 'csv') {
      batch.push(item.map(csvField).join(',') + '\r\n');
    } else {
      const o = {};
      header.columns.forEach((c, i) => { o[c] = item[i]; });
      batch.push(exactJson(o) + '\n');
    }
    if (batch.length >= 1000) {
      flush();
      onProgress?.(rows);
    }
  });
  flush();
  const txid = header ? header.txid : 'answer';
  const filename = `${db}-${txid}.${format}`;
  const blob = new Blob(chunks, { type: format === 'csv' ? 'text/csv' : 'application/x-ndjson' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { rows, txid, filename };
}
