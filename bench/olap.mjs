// bench/olap.mjs — the analytic workloads of bench/run.mjs: a full sort, a LIKE '%…%' scan and a window function
// over run.mjs's table t, and JSON extraction and three TPC-H queries (Q1, Q3, Q6) over a database of their own
// (populateOlap). The TPC-H tables follow the specification's columns and value ranges at a small scale factor
// (OLAP_SF: 0.01 gives 1,500 customers, 15,000 orders, ~60,000 line items), generated deterministically rather than
// by dbgen, so every engine stores the same rows; dates are ISO-8601 TEXT as SQLite users store them.

import { xorshift } from './data.mjs';

export const OLAP_SF = 0.01;
const CUSTOMERS = Math.round(150_000 * OLAP_SF);
const ORDERS = CUSTOMERS * 10;
const JSON_DOCS = 50_000;
const SEGMENTS = ['AUTOMOBILE', 'BUILDING', 'FURNITURE', 'HOUSEHOLD', 'MACHINERY'];
const PRIORITIES = ['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'];
const SHIPMODES = ['AIR', 'FOB', 'MAIL', 'RAIL', 'REG AIR', 'SHIP', 'TRUCK'];
const INSTRUCTS = ['COLLECT COD', 'DELIVER IN PERSON', 'NONE', 'TAKE BACK RETURN'];
const DAY_MS = 86_400_000;
const START = Date.UTC(1992, 0, 1);
const END = Date.UTC(1998, 7, 2);  // the specification's last order date
const CURRENT = Date.UTC(1995, 5, 17);  // before it a line item is returned (R/A) or not (N), and shipped (F) or not (O)

const iso = (ms) => new Date(ms).toISOString().slice(0, 10);

function makeData() {
  const next = xorshift(0x6a09e667);
  const pick = (list) => list[next() % list.length];
  const customer = Array.from({ length: CUSTOMERS }, (_, i) => [
    i + 1, `Customer#${String(i + 1).padStart(9, '0')}`, `addr-${next().toString(36)}`, next() % 25,
    `${10 + (next() % 25)}-${100 + (next() % 900)}-${100 + (next() % 900)}-${1000 + (next() % 9000)}`,
    ((next() % 1099999) - 99999) / 100, pick(SEGMENTS), `comment ${next().toString(36)}`,
  ]);
  const orders = [];
  const lineitem = [];
  for (let o = 1; o <= ORDERS; o++) {
    const orderdate = START + (next() % Math.floor((END - START) / DAY_MS)) * DAY_MS;
    const lines = 1 + (next() % 7);
    let total = 0;
    let shipped = 0;
    for (let l = 1; l <= lines; l++) {
      const quantity = 1 + (next() % 50);
      const price = quantity * (900 + (next() % 1100)) + (next() % 100) / 100;
      const discount = (next() % 11) / 100;
      const tax = (next() % 9) / 100;
      const shipdate = orderdate + (1 + (next() % 121)) * DAY_MS;
      const commitdate = orderdate + (30 + (next() % 61)) * DAY_MS;
      const receiptdate = shipdate + (1 + (next() % 30)) * DAY_MS;
      const returnflag = receiptdate <= CURRENT ? (next() % 2 ? 'R' : 'A') : 'N';
      const linestatus = shipdate > CURRENT ? 'O' : 'F';
      if (linestatus === 'F') shipped++;
      total += price * (1 - discount) * (1 + tax);
      lineitem.push([o, 1 + (next() % 2000), 1 + (next() % 100), l, quantity, price, discount, tax, returnflag,
        linestatus, iso(shipdate), iso(commitdate), iso(receiptdate), pick(INSTRUCTS), pick(SHIPMODES),
        `note ${next().toString(36)}`]);
    }
    const status = shipped === lines ? 'F' : shipped === 0 ? 'O' : 'P';
    orders.push([o, 1 + (next() % CUSTOMERS), status, Math.round(total * 100) / 100, iso(orderdate),
      pick(PRIORITIES), `Clerk#${String(1 + (next() % 1000)).padStart(9, '0')}`, 0, `order ${next().toString(36)}`]);
  }
  const docs = Array.from({ length: JSON_DOCS }, (_, i) => [i + 1, JSON.stringify({
    id: i + 1, name: `user-${i}`, score: next() % 1000, active: next() % 3 !== 0,
    tags: [pick(SEGMENTS), pick(SHIPMODES)], address: { city: `city-${next() % 200}`, zip: String(next() % 100000) },
  })]);
  return { customer, orders, lineitem, docs };
}

let DATA = null;
const data = () => (DATA ??= makeData());

function insertAll(db, sql, rows) {
  const ins = db.prepare(sql);
  db.exec('BEGIN');
  for (const r of rows) ins.run(...r);
  db.exec('COMMIT');
}

export function populateOlap(db) {
  const d = data();
  db.exec(`CREATE TABLE customer(c_custkey INTEGER PRIMARY KEY, c_name TEXT, c_address TEXT, c_nationkey INTEGER,
    c_phone TEXT, c_acctbal REAL, c_mktsegment TEXT, c_comment TEXT)`);
  db.exec(`CREATE TABLE orders(o_orderkey INTEGER PRIMARY KEY, o_custkey INTEGER, o_orderstatus TEXT,
    o_totalprice REAL, o_orderdate TEXT, o_orderpriority TEXT, o_clerk TEXT, o_shippriority INTEGER, o_comment TEXT)`);
  db.exec(`CREATE TABLE lineitem(l_orderkey INTEGER, l_partkey INTEGER, l_suppkey INTEGER, l_linenumber INTEGER,
    l_quantity REAL, l_extendedprice REAL, l_discount REAL, l_tax REAL, l_returnflag TEXT, l_linestatus TEXT,
    l_shipdate TEXT, l_commitdate TEXT, l_receiptdate TEXT, l_shipinstruct TEXT, l_shipmode TEXT, l_comment TEXT,
    PRIMARY KEY (l_orderkey, l_linenumber))`);
  db.exec('CREATE TABLE docs(id INTEGER PRIMARY KEY, doc TEXT)');
  insertAll(db, 'INSERT INTO customer VALUES (?, ?, ?, ?, ?, ?, ?, ?)', d.customer);
  insertAll(db, 'INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)', d.orders);
  insertAll(db, 'INSERT INTO lineitem VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)', d.lineitem);
  insertAll(db, 'INSERT INTO docs VALUES (?, ?)', d.docs);
  db.exec('CREATE INDEX orders_cust ON orders(o_custkey)');
}

// TPC-H's queries with the specification's default substitution parameters (Q1 DELTA 90, Q3 SEGMENT BUILDING and
// DATE 1995-03-15, Q6 DATE 1994-01-01, DISCOUNT 0.06, QUANTITY 24); date arithmetic done in the literals.
const Q1 = `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price,
  sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge, avg(l_quantity) AS avg_qty,
  avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
  FROM lineitem WHERE l_shipdate <= '1998-09-02'
  GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`;
const Q3 = `SELECT l_orderkey, sum(l_extendedprice * (1 - l_discount)) AS revenue, o_orderdate, o_shippriority
  FROM customer, orders, lineitem
  WHERE c_mktsegment = 'BUILDING' AND c_custkey = o_custkey AND l_orderkey = o_orderkey
    AND o_orderdate < '1995-03-15' AND l_shipdate > '1995-03-15'
  GROUP BY l_orderkey, o_orderdate, o_shippriority ORDER BY revenue DESC, o_orderdate LIMIT 10`;
const Q6 = `SELECT sum(l_extendedprice * l_discount) AS revenue FROM lineitem
  WHERE l_shipdate >= '1994-01-01' AND l_shipdate < '1995-01-01' AND l_discount BETWEEN 0.05 AND 0.07
    AND l_quantity < 24`;

// Rounds the REAL columns of rows so that the check does not depend on the last bits of a floating-point sum.
const digest = (rows) => JSON.stringify(rows.map((r) => Object.values(r).map((v) => (typeof v === 'number' &&
  !Number.isInteger(v) ? v.toFixed(4) : v))));

// A workload running one query `queries` times per timed run (once in the warm-up).
function queryWorkload(name, db, sql, queries, now, check = digest, params = []) {
  return {
    name, db, ops: queries, sql,
    timed(conn, warm) {
      const st = conn.prepare(sql);
      let rows;
      const t0 = now();
      for (let i = 0; i < (warm ? 1 : queries); i++) rows = st.all(...params);
      return { ms: now() - t0, check: check(rows) };
    },
  };
}

// The workloads; `now` is run.mjs's clock (ms), `scans` the queries per timed run over the 100k-row table t.
export function olapWorkloads(now, scans) {
  return [
    queryWorkload('full sort: ORDER BY s (all rows)', 'main', 'SELECT id, s FROM t ORDER BY s', scans, now,
      (rows) => `${rows.length}:${rows[0].id}:${rows[rows.length - 1].id}:${rows[rows.length >> 1].id}`),
    queryWorkload("LIKE '%…%' scan", 'main', "SELECT count(*) AS n FROM t WHERE s LIKE '%7a%'", scans, now),
    queryWorkload('window: running sum per group', 'main',
      'SELECT max(rs) AS m, sum(rn) AS srn FROM (SELECT sum(x) OVER (PARTITION BY g ORDER BY id) AS rs, ' +
        'row_number() OVER (ORDER BY y DESC, id) AS rn FROM t)', scans, now),
    queryWorkload('JSON: json_extract filter + sum', 'olap',
      "SELECT count(*) AS n, sum(json_extract(doc, '$.score')) AS s FROM docs " +
        "WHERE json_extract(doc, '$.active') AND doc ->> '$.address.city' < 'city-100'", scans * 5, now),
    queryWorkload('TPC-H Q1 (pricing summary)', 'olap', Q1, scans * 5, now),
    queryWorkload('TPC-H Q3 (shipping priority)', 'olap', Q3, scans * 5, now),
    queryWorkload('TPC-H Q6 (forecast revenue)', 'olap', Q6, scans * 10, now),
  ];
}

export const olapNote = () => {
  const d = data();
  return `Analytic workloads: a full sort of t by its TEXT column, a LIKE '%7a%' count over t, a window query ` +
    `(sum OVER PARTITION BY g ORDER BY id, row_number OVER ORDER BY y) over t; JSON: ${d.docs.length} documents ` +
    `in TEXT, json_extract and ->> in WHERE and in sum; TPC-H Q1, Q3, Q6 with the specification's default ` +
    `parameters over TPC-H-shaped tables at scale factor ${OLAP_SF} (${d.customer.length} customers, ` +
    `${d.orders.length} orders, ${d.lineitem.length} line items; lineitem keyed by (l_orderkey, l_linenumber), ` +
    `an index on o_custkey; rows generated deterministically in bench/olap.mjs, not by dbgen). One op = one query.`;
};
