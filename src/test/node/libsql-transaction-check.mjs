// Drives the real npm @libsql/client through an interactive read transaction against ltxvfs, with
// a commit landing between its two reads (the Java test makes it while this script waits on stdin).
//
// Env: LTXVFS_URL (as for libsql-client-check.mjs), LTXVFS_IDLE_MS (the server's stream idle timeout).
// Protocol: prints {"step":"first-read","n":<count>}, waits for one line on stdin, then prints the
// report line {"checks":{...},"failures":[...]}; exit 0 when every expectation holds.
import { createClient } from "@libsql/client";
import * as readline from "node:readline";

const rawUrl = process.env.LTXVFS_URL;
const url = rawUrl.endsWith("/") ? rawUrl : rawUrl + "/";
const idleMs = Number(process.env.LTXVFS_IDLE_MS || 10000);
const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
const report = { checks: {}, failures: [] };
const errInfo = (e) => ({ name: e?.name, code: e?.code, message: String(e?.message ?? e) });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const client = createClient({ url });
const count = async (tx) => Number((await tx.execute("SELECT count(*) AS n FROM t")).rows[0].n);

try {
  const tx = await client.transaction("read");
  const first = await count(tx);
  console.log(JSON.stringify({ step: "first-read", n: first }));
  await lines.next(); // the test commits to the replica and waits until the server serves it

  const second = await count(tx);
  report.checks.second_read = { n: second };
  if (second !== first) report.failures.push(`second read saw ${second} rows, the first ${first}`);
  try {
    await tx.commit();
    report.checks.commit = { ok: true };
  } catch (e) {
    report.checks.commit = { ok: false, error: errInfo(e) };
    report.failures.push(`commit failed: ${e?.code} ${e?.message}`);
  }
  tx.close();

  const next = await client.transaction("read");
  report.checks.next_transaction = { n: await count(next) };
  await next.commit();
  next.close();

  const idle = await client.transaction("read");
  await count(idle);
  await sleep(idleMs + 1500);
  try {
    await count(idle);
    report.failures.push("a read on an expired stream succeeded");
  } catch (e) {
    report.checks.expired = { error: errInfo(e) };
  }
  idle.close();
} catch (e) {
  report.failures.push(`driver error: ${e?.stack ?? e}`);
}
client.close();
console.log(JSON.stringify(report));
process.exit(report.failures.length === 0 ? 0 : 1);
