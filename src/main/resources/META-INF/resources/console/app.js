// The console: pick a database, run read-only SQL at any moment the replica keeps, drag through
// its history, compare two moments, export. Plain modules, no framework, same origin only.

import { api, ApiError, hasToken, setToken, atParam } from './api.js';
import { el, renderTable, SHOWN_ROWS } from './table.js';
import { Timeline, atOf, fmtTime, shortTxid } from './timeline.js';
import { diff, renderDiff } from './compare.js';
import { exportAnswer } from './export.js';

const $ = (id) => document.getElementById(id);
const ui = {
  db: $('db'), dbinfo: $('dbinfo'), forget: $('forget-token'),
  tokenForm: $('token-form'), token: $('token'), tokenError: $('token-error'),
  console: $('console'), queryForm: $('query-form'), sql: $('sql'), at: $('at'), latest: $('latest'), run: $('run'),
  error: $('error'), meta: $('answer-meta'), answer: $('answer'), csv: $('export-csv'), ndjson: $('export-ndjson'),
  compareForm: $('compare-form'), from: $('from'), to: $('to'), key: $('key'), compare: $('compare'),
  compareMeta: $('compare-meta'), diff: $('diff'),
};

/** The answer on screen: what the exports save. */
let shown = null;

const timeline = new Timeline({
  strip: $('strip'), slider: $('moment'), text: $('moment-text'), summary: $('timeline-summary'), older: $('older'),
}, (moment, commit) => {
  ui.at.value = atOf(moment);
  if (commit) {
    // Dragging or holding an arrow key commits often: read the moment it settles on.
    clearTimeout(pickTimer);
    pickTimer = setTimeout(run, 200);
  }
});
let pickTimer;

// ---- errors ---------------------------------------------------------------------------------

const TITLES = {
  sql_error: 'SQLite error',
  read_only: 'Refused: this console only reads',
  point_in_time_unavailable: 'Outside the history kept',
  bad_request: 'Not a valid request',
  unknown_database: 'No such database',
  forbidden: 'This token may not read this database',
  timeout: 'The query took too long',
  overloaded: 'The service is busy',
  storage_unavailable: 'The replica cannot be read right now',
  not_ready: 'The database is still opening',
};

function showError(e, { retryAtOldest } = {}) {
  if (e instanceof ApiError && e.status === 401) {
    askForToken(hasToken() ? 'The token was refused: ' + e.message : '');
    return;
  }
  const code = e.code || 'error';
  ui.error.replaceChildren(
    el('h2', { text: TITLES[code] || 'Error' }),
    el('p', { class: 'message', text: e.message }),
  );
  const oldest = timeline.oldest();
  if (retryAtOldest && code === 'point_in_time_unavailable' && oldest) {
    ui.error.insertBefore(el('p', {
      text: `This replica keeps its history from ${fmtTime(oldest.time)} (TXID ${shortTxid(oldest.txid)}) on; older states were removed by retention.`,
    }), ui.error.lastChild);
    ui.error.append(el('button', {
      type: 'button', class: 'primary', onclick: () => {
        ui.at.value = atOf(oldest);
        run();
      },
    }, `Read at the oldest moment kept (${fmtTime(oldest.time)}, TXID ${shortTxid(oldest.txid)})`));
  }
  ui.error.hidden = false;
}

function clearError() {
  ui.error.hidden = true;
  ui.error.replaceChildren();
}

// ---- tokens and databases --------------------------------------------------------------------

function askForToken(message) {
  ui.console.hidden = true;
  ui.tokenForm.hidden = false;
  ui.tokenError.textContent = message || '';
  ui.token.value = '';
  ui.token.focus();
}

ui.tokenForm.addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(ui.token.value.trim());
  start();
});

ui.forget.addEventListener('click', () => {
  setToken(null);
  location.reload();
});

let databases = [];
/** Names shown per catalog: one LIST each; more are reachable by SQL clients, not listed here. */
const CATALOG_NAMES = 1000;

/** Catalogs and the first names in each; a catalog that cannot be listed is left out, not fatal. */
async function catalogGroups() {
  let catalogs;
  try {
    catalogs = await api.catalogs();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) throw e;
    return []; // a service without catalogs
  }
  const pages = await Promise.all(catalogs.map((c) => api.catalog(c.name, CATALOG_NAMES).catch(() => null)));
  return pages.filter((p) => p && p.databases.length);
}

async function start() {
  let groups;
  try {
    [databases, groups] = await Promise.all([api.databases().then((l) => l.databases), catalogGroups()]);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      askForToken(hasToken() ? 'The token was refused: ' + e.message : '');
      return;
    }
    ui.console.hidden = false;
    showError(e);
    return;
  }
  ui.tokenForm.hidden = true;
  ui.console.hidden = false;
  ui.forget.hidden = !hasToken();
  const remembered = sessionStorage.getItem('ltxvfs.db');
  // Configured (and open) databases first, then each catalog's names (they open on first use).
  const listed = new Set(databases.filter((d) => !d.catalog).map((d) => d.name));
  ui.db.replaceChildren(
    ...databases.filter((d) => !d.catalog).map((d) => el('option', { value: d.name, text: d.name })),
    ...groups.map((g) => el('optgroup', { label: `catalog ${g.catalog}${g.next ? ` (first ${g.databases.length})` : ''}` },
      ...g.databases.filter((n) => !listed.has(n)).map((n) => el('option', { value: n, text: n })))),
  );
  ui.db.disabled = ui.db.options.length === 0;
  if ([...ui.db.options].some((o) => o.value === remembered)) ui.db.value = remembered;
  await selectDatabase();
  document.body.dataset.ready = 'true';
  performance.mark('ltxvfs-ready');
}

function describeDatabase(d) {
  if (!d) return '';
  if (!d.ready) return `${d.replica} · opening${d.lastError ? ': ' + d.lastError : ''}`;
  return `${d.replica} · TXID ${shortTxid(d.txid)} · ${fmtTime(d.time)} · ${d.pageCount} pages of ${d.pageSize} B · lag ${d.lagSeconds} s`;
}

async function selectDatabase() {
  const db = ui.db.value;
  sessionStorage.setItem('ltxvfs.db', db);
  const known = databases.find((d) => d.name === db);
  ui.dbinfo.textContent = known ? describeDatabase(known) : 'opening…';
  ui.dbinfo.title = ui.dbinfo.textContent;
  clearError();
  if (!known) {
    // A catalog's database: this request opens it.
    api.database(db).then((d) => {
      if (ui.db.value !== db) return;
      ui.dbinfo.textContent = ui.dbinfo.title = describeDatabase(d);
    }, (e) => showError(e));
  }
  loadTables(db);
  try {
    await timeline.load(db);
  } catch (e) {
    showError(e);
  }
}

ui.db.addEventListener('change', selectDatabase);

/** Buttons for the database's tables and views, each running SELECT * on it. */
async function loadTables(db) {
  const box = $('tables');
  box.replaceChildren();
  let answer;
  try {
    answer = await api.query(db, "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') "
      + "AND name NOT LIKE 'sqlite_%' ORDER BY name");
  } catch {
    return; // only a shortcut: the SQL box still works
  }
  if (ui.db.value !== db) return;
  box.replaceChildren(el('span', { class: 'muted', text: 'Tables:' }), ...answer.rows.map(([name]) => el('button', {
    type: 'button', class: 'chip', title: `SELECT * FROM ${name} LIMIT 100`,
    onclick: () => {
      ui.sql.value = `SELECT * FROM "${name.replaceAll('"', '""')}" LIMIT 100`;
      run();
    },
  }, name)));
}

// ---- running queries --------------------------------------------------------------------------

let running = 0;

async function run() {
  const db = ui.db.value;
  const sql = ui.sql.value.trim();
  if (!db || !sql) return;
  const ticket = ++running;
  const at = ui.at.value;
  ui.run.disabled = true;
  ui.meta.textContent = 'Running…';
  const t0 = performance.now();
  try {
    const answer = await api.query(db, sql, at);
    if (ticket !== running) return;
    clearError();
    const ms = Math.round(performance.now() - t0);
    shown = { db, sql, at: atParam(at) ? at : undefined, answer };
    showAnswer(answer, ms, at);
    if (!atParam(at) && !timeline.has(answer.txid)) {
      await timeline.load(db); // the replica moved on since the history was listed
    }
    timeline.showAt(answer.txid);
  } catch (e) {
    if (ticket !== running) return;
    // No answer for this query: an older one left on screen would look like it.
    shown = null;
    ui.meta.textContent = 'No answer: see the error above.';
    ui.answer.replaceChildren();
    ui.csv.disabled = ui.ndjson.disabled = true;
    showError(e, { retryAtOldest: true });
  } finally {
    if (ticket === running) ui.run.disabled = false;
  }
}

function showAnswer(a, ms, at) {
  const rows = a.rows.length;
  ui.meta.replaceChildren(
    el('strong', { text: `${rows} row${rows === 1 ? '' : 's'}${a.truncated ? ' (truncated: export for all)' : ''}` }),
    ` · ${ms} ms (server ${a.elapsedMs} ms) · read at `,
    el('span', { class: 'mono', 'data-txid': a.txid, text: 'TXID ' + a.txid }),
    ' · state of ' + fmtTime(a.time),
    atParam(at) ? ' · point in time ' + at : ' · latest',
    rows > SHOWN_ROWS ? ` · first ${SHOWN_ROWS} shown` : '',
  );
  ui.answer.replaceChildren(a.columns.length
    ? renderTable(a, { caption: `Answer: ${rows} rows at TXID ${a.txid}` })
    : el('p', { class: 'muted', text: 'The statement returned no columns.' }));
  ui.csv.disabled = ui.ndjson.disabled = false;
  const keep = ui.key.value;
  ui.key.replaceChildren(el('option', { value: '', text: 'none (whole rows)' }),
    ...a.columns.map((c, i) => el('option', { value: String(i), text: c })));
  if (keep && +keep < a.columns.length) ui.key.value = keep;
}

ui.queryForm.addEventListener('submit', (e) => {
  e.preventDefault();
  run();
});

ui.sql.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    run();
  }
});

ui.latest.addEventListener('click', () => {
  ui.at.value = '';
  run();
});

// ---- export -----------------------------------------------------------------------------------

async function doExport(format) {
  if (!shown) return;
  // Pinned to the moment on screen: a live answer is exported at its own state's time.
  const at = shown.at || atOf({ time: shown.answer.time });
  const button = format === 'csv' ? ui.csv : ui.ndjson;
  button.disabled = true;
  try {
    const r = await exportAnswer(format, shown.db, shown.sql, at, (n) => {
      ui.meta.dataset.progress = `exported ${n} rows…`;
    });
    ui.meta.dataset.progress = '';
    ui.meta.append(el('span', { class: 'exported', text: ` · saved ${r.filename} (${r.rows} rows)` }));
  } catch (e) {
    showError(e);
  } finally {
    button.disabled = false;
  }
}

ui.csv.addEventListener('click', () => doExport('csv'));
ui.ndjson.addEventListener('click', () => doExport('ndjson'));

// ---- compare ----------------------------------------------------------------------------------

$('compare-from-moment').addEventListener('click', () => {
  if (timeline.selected()) ui.from.value = atOf(timeline.selected());
});
$('compare-to-moment').addEventListener('click', () => {
  if (timeline.selected()) ui.to.value = atOf(timeline.selected());
});

ui.compareForm.addEventListener('submit', async (e) => {
  e.preventDefault();
  const db = ui.db.value;
  const sql = ui.sql.value.trim();
  if (!db || !sql) return;
  ui.compare.disabled = true;
  ui.compareMeta.textContent = 'Comparing…';
  ui.diff.replaceChildren();
  try {
    const [a, b] = await Promise.all([api.query(db, sql, ui.from.value), api.query(db, sql, ui.to.value)]);
    clearError();
    if (a.columns.join('\u0001') !== b.columns.join('\u0001')) {
      throw new ApiError(400, 'bad_request', 'the two answers have different columns: ' + a.columns + ' / ' + b.columns);
    }
    const key = ui.key.value === '' ? -1 : +ui.key.value;
    const d = diff(a, b, key);
    const count = (k) => d.items.filter((i) => i.kind === k).length;
    ui.compareMeta.replaceChildren(
      `From TXID ${shortTxid(a.txid)} (${fmtTime(a.time)}) to TXID ${shortTxid(b.txid)} (${fmtTime(b.time)}): `,
      el('span', { class: 'badge removed', text: `− ${count('removed')} removed` }), ' ',
      el('span', { class: 'badge added', text: `+ ${count('added')} added` }), ' ',
      key >= 0 ? el('span', { class: 'badge changed', text: `~ ${count('changed')} changed` }) : '',
      ` · ${d.unchanged} unchanged` + (key >= 0 ? ` · key ${a.columns[key]}` : ''),
      a.truncated || b.truncated ? ' · only the first rows of a truncated answer were compared' : '',
    );
    ui.diff.replaceChildren(d.items.length ? renderDiff(a, b, d) : el('p', { class: 'muted', text: 'No difference.' }));
  } catch (err) {
    ui.compareMeta.textContent = '';
    showError(err, { retryAtOldest: false });
  } finally {
    ui.compare.disabled = false;
  }
});

start();
