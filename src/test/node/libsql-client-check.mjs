// Drives the real npm client @libsql/client (HTTP mode, Hrana v2 JSON pipeline) against an
// ltxvfs server and checks that reads work and writes are refused.
//
// Env:
//   LTXVFS_URL                 database URL, e.g. http://127.0.0.1:8080/libsql/demo
//                              (a trailing "/" is added when missing: the client resolves
//                              "v2/pipeline" relative to the URL, so without it the last path
//                              segment would be dropped)
//   LTXVFS_TOKEN               optional; sent as "Authorization: Bearer <token>"
//   LTXVFS_EXPECT_WRITE_CODE   error code the refused write must carry (default SQLITE_READONLY;
//                              "*" accepts any code)
//   LTXVFS_CHECK_TIMEOUT_MS    overall timeout (default 30000)
//
// Prints one JSON line; exit 0 when every expectation holds, 1 otherwise.
import { createClient } from "@libsql/client";

const rawUrl = process.env.LTXVFS_URL;
if (!rawUrl) {
  console.error("libsql-client-check: set LTXVFS_URL, e.g. http://127.0.0.1:8080/libsql/demo");
  process.exit(1);
}
const url = rawUrl.endsWith("/") ? rawUrl : rawUrl + "/";
const authToken = process.env.LTXVFS_TOKEN || undefined;
const expectWriteCode = process.env.LTXVFS_EXPECT_WRITE_CODE ?? "SQLITE_READONLY";
const timeoutMs = Number(process.env.LTXVFS_CHECK_TIMEOUT_MS || 30000);

const report = { url_used: url, auth: authToken !== undefined, checks: {}, failures: [] };

const timer = setTimeout(() => {
  report.failures.push(`timed out after ${timeoutMs} ms`);
  finish();
}, timeoutMs);

function finish() {
  clearTimeout(timer);
  report.ok = report.failures.length === 0;
  console.log(JSON.stringify(report));
  if (!report.ok) {
    console.error("libsql-client-check FAILED: " + report.failures.join("; "));
  }
  process.exit(report.ok ? 0 : 1);
}

function errInfo(e) {
  return {
    name: e?.name,
    code: e?.code,
    message: String(e?.message ?? e),
    cause: e?.cause ? String(e.cause.message ?? e.cause) : undefined,
  };
}

function blobBytes(v) {
  if (v instanceof ArrayBuffer) return Array.from(new Uint8Array(v));
  if (ArrayBuffer.isView(v)) return Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  return v; // wrong type: compared as-is and reported
}

// Plain-JSON rendering of a row (blobs as byte arrays) so the report line is readable.
function plainRow(columns, row) {
  const out = {};
  columns.forEach((c, i) => {
    const v = row[i];
    out[c] = v instanceof ArrayBuffer || ArrayBuffer.isView(v) ? { blob: blobBytes(v) }
      : typeof v === "bigint" ? v.toString() : v;
  });
  return out;
}

function expectEqual(check, what, actual, expected) {
  const a = JSON.stringify(actual), e = JSON.stringify(expected);
  if (a !== e) report.failures.push(`${check}: ${what} expected ${e}, got ${a}`);
}

// A read check: runs fn, records the result; any exception is a failure.
async function read(check, fn) {
  try {
    const value = await fn();
    report.checks[check] = { ok: true, ...value };
    return value;
  } catch (e) {
    report.checks[check] = { ok: false, error: errInfo(e) };
    report.failures.push(`${check}: unexpected error ${e?.code ?? ""} ${e?.message ?? e}`);
    return undefined;
  }
}

// A write check: must throw, with the expected code.
async function mustFail(check, fn) {
  try {
    const rs = await fn();
    report.checks[check] = { ok: false, unexpected_success: true, rowsAffected: rs?.rowsAffected };
    report.failures.push(`${check}: the write succeeded but must be refused`);
  } catch (e) {
    const info = errInfo(e);
    const codeOk = expectWriteCode === "*" || info.code === expectWriteCode;
    report.checks[check] = { ok: codeOk, error: info };
    if (!codeOk) {
      report.failures.push(`${check}: refused with code ${JSON.stringify(info.code)} (${info.message}), expected ${expectWriteCode}`);
    }
  }
}

const client = createClient({ url, authToken });

try {
  await read("execute_literals", async () => {
    const rs = await client.execute("SELECT 1 AS i, 2.5 AS f, 'x' AS t, x'0102' AS b, NULL AS n");
    expectEqual("execute_literals", "columns", rs.columns, ["i", "f", "t", "b", "n"]);
    expectEqual("execute_literals", "row count", rs.rows.length, 1);
    const r = rs.rows[0] ?? [];
    expectEqual("execute_literals", "i", r.i, 1);
    expectEqual("execute_literals", "f", r.f, 2.5);
    expectEqual("execute_literals", "t", r.t, "x");
    expectEqual("execute_literals", "b", blobBytes(r.b), [1, 2]);
    expectEqual("execute_literals", "n", r.n, null);
    expectEqual("execute_literals", "row[0] (index access)", r[0], 1);
    return { columns: rs.columns, columnTypes: rs.columnTypes, rows: rs.rows.map(x => plainRow(rs.columns, x)) };
  });

  await read("execute_positional", async () => {
    const rs = await client.execute({
      sql: "SELECT ? AS a, ? AS b, ? AS c, ? AS d, ? AS e, ? AS g",
      args: [7n, "hello", 1.5, null, new Uint8Array([3, 4]), 42],
    });
    const r = rs.rows[0] ?? [];
    expectEqual("execute_positional", "a (bigint arg -> integer)", r.a, 7);
    expectEqual("execute_positional", "b (text)", r.b, "hello");
    expectEqual("execute_positional", "c (float)", r.c, 1.5);
    expectEqual("execute_positional", "d (null)", r.d, null);
    expectEqual("execute_positional", "e (blob)", blobBytes(r.e), [3, 4]);
    expectEqual("execute_positional", "g (JS number arg, sent as float)", r.g, 42);
    return { rows: rs.rows.map(x => plainRow(rs.columns, x)) };
  });

  await read("execute_named", async () => {
    const rs = await client.execute({
      sql: "SELECT :a AS a, @b AS b, $c AS c",
      args: { a: 1n, b: "named", c: 2.25 },
    });
    const r = rs.rows[0] ?? [];
    expectEqual("execute_named", "a", r.a, 1);
    expectEqual("execute_named", "b", r.b, "named");
    expectEqual("execute_named", "c", r.c, 2.25);
    return { rows: rs.rows.map(x => plainRow(rs.columns, x)) };
  });

  await read("execute_named_prefixed", async () => {
    const rs = await client.execute({
      sql: "SELECT :a AS a, @b AS b, $c AS c",
      args: { ":a": "p1", "@b": "p2", "$c": "p3" },
    });
    const r = rs.rows[0] ?? [];
    expectEqual("execute_named_prefixed", "values", [r.a, r.b, r.c], ["p1", "p2", "p3"]);
    return { rows: rs.rows.map(x => plainRow(rs.columns, x)) };
  });

  await read("batch_read", async () => {
    const results = await client.batch([
      "SELECT 1 AS one",
      { sql: "SELECT ? AS two, 'b' AS t", args: [2n] },
    ], "read");
    expectEqual("batch_read", "result count", results.length, 2);
    expectEqual("batch_read", "first", results[0]?.rows?.[0]?.one, 1);
    expectEqual("batch_read", "second", [results[1]?.rows?.[0]?.two, results[1]?.rows?.[0]?.t], [2, "b"]);
    return { results: results.map(rs => rs.rows.map(x => plainRow(rs.columns, x))) };
  });

  await mustFail("execute_write_refused", () => client.execute("CREATE TABLE x(a)"));
  await mustFail("batch_write_refused", () => client.batch(["SELECT 1", "CREATE TABLE y(a)"], "read"));

  // The client must still work after refused writes.
  await read("execute_after_refusal", async () => {
    const rs = await client.execute("SELECT 3 AS three");
    expectEqual("execute_after_refusal", "three", rs.rows[0]?.three, 3);
    return { rows: rs.rows.map(x => plainRow(rs.columns, x)) };
  });

  client.close();
  expectEqual("close", "client.closed", client.closed, true);
  report.checks.close = { ok: client.closed === true };
} catch (e) {
  report.failures.push(`driver error: ${e?.stack ?? e}`);
}
finish();
