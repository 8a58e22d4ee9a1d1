// The service's REST API, same origin only. A token, when the server needs one, travels in the
// Authorization header and lives in this tab's sessionStorage: never in a URL.

const TOKEN_KEY = 'ltxvfs.token';
let token = sessionStorage.getItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function setToken(t) {
  token = t || null;
  if (token) sessionStorage.setItem(TOKEN_KEY, token);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export function hasToken() {
  return !!token;
}

function headers(extra) {
  const h = { ...extra };
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

async function failure(res) {
  let code = 'http_' + res.status;
  let message = res.statusText || 'request failed';
  try {
    const body = await res.json();
    if (body && body.error) {
      code = body.error.code || code;
      message = body.error.message || message;
    }
  } catch {
    // not the API's JSON error shape: keep the status line
  }
  return new ApiError(res.status, code, message);
}

async function call(method, path, body, accept = 'application/json') {
  let res;
  try {
    res = await fetch(path, {
      method,
      headers: headers(body === undefined ? { Accept: accept } : { Accept: accept, 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'unreachable', 'the service did not answer: ' + e.message);
  }
  if (!res.ok) throw await failure(res);
  return res;
}

const dbPath = (db) => '/v1/databases/' + encodeURIComponent(db);

/**
 * JSON with integers past 2^53 kept exact as BigInt (SQLite integers are 64-bit; a JS number
 * would round them). Uses the reviver's source text where the browser gives it.
 */
export function parseExact(text) {
  return JSON.parse(text, (k, v, ctx) =>
    typeof v === 'number' && !Number.isSafeInteger(v) && ctx && /^-?\d+$/.test(ctx.source) ? BigInt(ctx.source) : v);
}

/** "latest" and blank mean the live state: no at. */
export function atParam(at) {
  const t = (at || '').trim();
  return t === '' || t.toLowerCase() === 'latest' ? undefined : t;
}

export const api = {
  async databases() {
    return (await call('GET', '/v1/databases')).json();
  },
  /** One database's figures; opens a catalog's database. */
  async database(db) {
    return (await call('GET', dbPath(db))).json();
  },
  async catalogs() {
    return (await call('GET', '/v1/catalogs')).json();
  },
  /** The first page of a catalog's database names. */
  async catalog(name, limit) {
    return (await call('GET', '/v1/catalogs/' + encodeURIComponent(name) + '?limit=' + limit)).json();
  },
  async history(db, { before, limit } = {}) {
    const q = new URLSearchParams();
    if (limit) q.set('limit', limit);
    if (before) q.set('before', before);
    return (await call('GET', dbPath(db) + '/history?' + q)).json();
  },
  async query(db, sql, at) {
    return parseExact(await (await call('POST', dbPath(db) + '/query', { sql, at: atParam(at) })).text());
  },
  /** The NDJSON stream (no row limit): a header line, then one JSON array per row. */
  async stream(db, sql, at) {
    return call('POST', dbPath(db) + '/query', { sql, at: atParam(at) }, 'application/x-ndjson');
  },
};
