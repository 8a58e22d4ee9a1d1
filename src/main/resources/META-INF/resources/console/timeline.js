// The history of a database as a strip (commits over time, compaction boundaries, snapshots, the
// retention window) and a slider over its moments: the slider is the keyboard control, the strip
// the picture (a click picks the nearest moment).

import { api } from './api.js';
import { el } from './table.js';

const PAGE = 500;
const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

export const fmtTime = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$|Z$/, ' UTC') : '');
/** A TXID without most of its leading zeros (hex, at least 4 digits): 0000000000000168 is 0168. */
export const shortTxid = (txid) => (txid ? txid.replace(/^0+(?=.{4})/, '') : '');

/** The `at` that reads a moment: its header time plus 1 ms (a read sees what was written strictly before). */
export const atOf = (m) => new Date(Date.parse(m.time) + 1).toISOString();

export class Timeline {
  constructor({ strip, slider, text, summary, older }, onPick) {
    Object.assign(this, { strip, slider, text, summary, older, onPick });
    this.moments = []; // oldest first
    slider.addEventListener('input', () => this.select(+slider.value, false));
    slider.addEventListener('change', () => this.select(+slider.value, true));
    strip.addEventListener('click', (e) => this.clickAt(e));
    older.addEventListener('click', () => this.loadOlder());
    new ResizeObserver(() => this.draw()).observe(strip);
  }

  async load(db) {
    this.db = db;
    this.moments = [];
    this.info = null;
    this.summary.textContent = 'loading…';
    this.draw();
    const page = await api.history(db, { limit: PAGE });
    if (this.db !== db) return;
    this.info = page;
    this.moments = page.moments.slice().reverse();
    this.index = this.moments.length - 1;
    this.update();
  }

  async loadOlder() {
    if (!this.info?.next) return;
    const db = this.db;
    const page = await api.history(db, { limit: PAGE, before: this.info.next });
    if (this.db !== db) return;
    const selected = this.selected();
    this.info = { ...this.info, next: page.next };
    this.moments = page.moments.slice().reverse().concat(this.moments);
    this.index = selected ? this.moments.indexOf(selected) : this.moments.length - 1;
    this.update();
  }

  selected() {
    return this.moments[this.index];
  }

  oldest() {
    return this.info?.oldest;
  }

  has(txid) {
    return this.moments.some((m) => m.txid === txid);
  }

  /** Selects the moment of `txid` (after a query read it). */
  showAt(txid) {
    const i = this.moments.findIndex((m) => m.txid === txid);
    if (i >= 0) {
      this.index = i;
      this.update();
    }
  }

  select(i, commit) {
    this.index = Math.max(0, Math.min(i, this.moments.length - 1));
    this.update();
    if (this.selected()) this.onPick(this.selected(), commit);
  }

  update() {
    const n = this.moments.length;
    this.slider.disabled = n === 0;
    this.slider.max = Math.max(0, n - 1);
    this.slider.value = this.index ?? 0;
    const m = this.selected();
    const text = m ? this.describe(m) : 'no moments';
    this.text.textContent = text;
    this.slider.setAttribute('aria-valuetext', text);
    this.older.hidden = !this.info?.next;
    if (this.info) {
      const { oldest, newest, total } = this.info;
      this.summary.textContent = oldest
        ? `${total} moments kept, ${fmtTime(oldest.time)} → ${fmtTime(newest.time)}` +
          (n < total ? ` (${n} newest shown)` : '')
        : 'no LTX files yet';
    }
    this.draw();
  }

  describe(m) {
    const where = m.levels.includes(9) ? 'snapshot' : m.levels.some((l) => l > 0) ? `L${Math.max(...m.levels.filter((l) => l < 9))} boundary` : 'L0';
    return m.exact
      ? `TXID ${shortTxid(m.txid)} · ${fmtTime(m.time)} · ${m.pageCount} pages · ${where}`
      : `TXID ${shortTxid(m.txid)} · ${fmtTime(m.time)} · compacted away: reads TXID ${shortTxid(m.resolvesTo)}`;
  }

  /** x in [0, 1000] for a time in the retention window. */
  x(t) {
    const lo = Date.parse(this.info.oldest.time);
    const hi = Date.parse(this.info.newest.time);
    return hi === lo ? 1000 : 8 + ((t - lo) / (hi - lo)) * 984;
  }

  clickAt(e) {
    if (!this.moments.length) return;
    const box = this.strip.getBoundingClientRect();
    const x = ((e.clientX - box.left) / box.width) * 1000;
    let best = 0;
    let bestD = Infinity;
    this.moments.forEach((m, i) => {
      const d = Math.abs(this.x(Date.parse(m.time)) - x);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    });
    this.select(best, true);
    this.slider.focus();
  }

  draw() {
    this.strip.replaceChildren();
    if (!this.info?.oldest) return;
    const s = svg('svg', { viewBox: '0 0 1000 64', preserveAspectRatio: 'none', class: 'strip-svg' });
    s.append(svg('rect', { x: 0, y: 0, width: 1000, height: 64, class: 'window' }));
    const first = this.moments[0];
    if (first && this.info.next) {
      // Older moments not loaded yet: hatched.
      s.append(svg('rect', { x: 0, y: 0, width: this.x(Date.parse(first.time)), height: 64, class: 'unloaded' }));
    }
    for (const [i, m] of this.moments.entries()) {
      const x = this.x(Date.parse(m.time));
      const boundary = m.levels.some((l) => l > 0 && l < 9);
      const cls = !m.exact ? 'inexact' : boundary ? 'boundary' : 'exact';
      s.append(svg('line', { x1: x, x2: x, y1: boundary ? 10 : 26, y2: 56, class: 'tick ' + cls }));
      if (m.levels.includes(9)) s.append(svg('rect', { x: x - 3, y: 2, width: 6, height: 6, class: 'snap' }));
      if (i === this.index) s.append(svg('line', { x1: x, x2: x, y1: 0, y2: 64, class: 'sel' }));
    }
    this.strip.append(s, el('div', { class: 'axis' },
      el('span', { text: 'oldest kept ' + fmtTime(this.info.oldest.time) }),
      el('span', { text: 'newest ' + fmtTime(this.info.newest.time) })));
  }
}
