// Latency of a 5-statement read transaction against 5 single executes and a batch of 5, with the real npm
// @libsql/client against an ltxvfs server (used by src/test/scripts/bench-clients.sh).
// Env: LTXVFS_URL (…/libsql/<db>/), BENCH_SQL (one read statement), BENCH_ROUNDS (default 100).
import { createClient } from "@libsql/client";

const url = process.env.LTXVFS_URL.endsWith("/") ? process.env.LTXVFS_URL : process.env.LTXVFS_URL + "/";
const sql = process.env.BENCH_SQL || "SELECT 1";
const rounds = Number(process.env.BENCH_ROUNDS || 100);
const client = createClient({ url });

async function transaction() {
  const tx = await client.transaction("read");
  for (let i = 0; i < 5; i++) await tx.execute(sql);
  await tx.commit();
  tx.close();
}

async function singles() {
  for (let i = 0; i < 5; i++) await client.execute(sql);
}

async function batch() {
  await client.batch([sql, sql, sql, sql, sql], "read");
}

function stats(ms) {
  ms.sort((a, b) => a - b);
  const q = (p) => ms[Math.min(ms.length - 1, Math.floor(p * ms.length))];
  return { median_ms: +q(0.5).toFixed(2), p90_ms: +q(0.9).toFixed(2) };
}

const out = {};
for (const [name, fn] of [["transaction_5", transaction], ["singles_5", singles], ["batch_5", batch]]) {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const ms = [];
  for (let i = 0; i < rounds; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  out[name] = stats(ms);
}
client.close();
console.log(JSON.stringify(out));
