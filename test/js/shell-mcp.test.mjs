// `lode --mcp`: the Model Context Protocol server, driven by the official MCP
// client (@modelcontextprotocol/sdk) over stdio, and by hand-written
// malformed JSON-RPC messages.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { LODE, lode, requireLode } from '../diff/lib.mjs';

/** Sends each message as one line to a fresh `lode --mcp` and returns the
 *  responses, parsed, in order. */
function exchange(lines, args = []) {
  const r = lode(['--mcp', ...args], lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n');
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

const init = {
  jsonrpc: '2.0',
  id: 0,
  method: 'initialize',
  params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'test', version: '1' } },
};
const call = (id, name, args) => ({ jsonrpc: '2.0', id, method: 'tools/call', params: { name, arguments: args } });

describe('lode --mcp with the official MCP client', function () {
  let dir, client, db;
  before(async function () {
    requireLode();
    dir = mkdtempSync(join(tmpdir(), 'lode-mcp-'));
    db = join(dir, 'mcp.db');
    lode([db], "CREATE TABLE pets(id INTEGER PRIMARY KEY, name TEXT NOT NULL, weight REAL, photo BLOB);\n" +
      "INSERT INTO pets(name, weight, photo) VALUES ('Rex', 12.5, x'0102'), ('Tom', NULL, NULL);\n" +
      'CREATE TABLE owners(id INTEGER PRIMARY KEY, pet INTEGER);\n');
    client = new Client({ name: 'lode-test', version: '1.0.0' });
    await client.connect(new StdioClientTransport({ command: LODE, args: ['--mcp', db], stderr: 'pipe' }));
  });
  after(async function () {
    await client?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('initializes and names itself', function () {
    assert.equal(client.getServerVersion().name, 'lode');
    assert.ok(client.getServerCapabilities().tools);
  });

  it('lists the four tools with their input schemas', async function () {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name), ['list_tables', 'describe_table', 'read_query', 'write_query']);
    for (const t of tools) assert.equal(t.inputSchema.type, 'object');
    assert.deepEqual(tools.find((t) => t.name === 'read_query').inputSchema.required, ['query']);
  });

  it('list_tables names the tables', async function () {
    const r = await client.callTool({ name: 'list_tables', arguments: {} });
    assert.equal(r.isError, false);
    assert.equal(r.content[0].text, 'owners\npets');
  });

  it('describe_table gives the CREATE statement and the columns', async function () {
    const r = await client.callTool({ name: 'describe_table', arguments: { table: 'pets' } });
    const d = JSON.parse(r.content[0].text);
    assert.match(d.sql, /^CREATE TABLE pets\(/);
    assert.deepEqual(d.columns.map((c) => [c.name, c.type, c.notnull, c.pk]), [
      ['id', 'INTEGER', false, 1],
      ['name', 'TEXT', true, 0],
      ['weight', 'REAL', false, 0],
      ['photo', 'BLOB', false, 0],
    ]);
    const missing = await client.callTool({ name: 'describe_table', arguments: { table: 'nope' } });
    assert.equal(missing.isError, true);
    assert.equal(missing.content[0].text, 'no such table: nope');
  });

  it('read_query returns rows as JSON objects', async function () {
    const r = await client.callTool({ name: 'read_query', arguments: { query: 'SELECT * FROM pets ORDER BY id' } });
    assert.equal(r.isError, false);
    assert.deepEqual(JSON.parse(r.content[0].text), [
      { id: 1, name: 'Rex', weight: 12.5, photo: "X'0102'" },
      { id: 2, name: 'Tom', weight: null, photo: null },
    ]);
  });

  it('write_query changes the database and reports the changes', async function () {
    const r = await client.callTool({ name: 'write_query', arguments: { query: "INSERT INTO pets(name) VALUES ('Kit')" } });
    assert.equal(r.isError, false);
    assert.deepEqual(JSON.parse(r.content[0].text), { changes: 1, last_insert_rowid: 3 });
    const count = await client.callTool({ name: 'read_query', arguments: { query: 'SELECT count(*) AS n FROM pets' } });
    assert.deepEqual(JSON.parse(count.content[0].text), [{ n: 3 }]);
  });

  it('read_query refuses a write, which leaves the database unchanged', async function () {
    const r = await client.callTool({ name: 'read_query', arguments: { query: 'DELETE FROM pets' } });
    assert.equal(r.isError, true);
    assert.match(r.content[0].text, /read-only statements only/);
    const count = await client.callTool({ name: 'read_query', arguments: { query: 'SELECT count(*) AS n FROM pets' } });
    assert.deepEqual(JSON.parse(count.content[0].text), [{ n: 3 }]);
  });

  it('a failing write is a tool error and changes nothing', async function () {
    const r = await client.callTool({ name: 'write_query', arguments: { query: 'INSERT INTO pets(name) VALUES (NULL)' } });
    assert.equal(r.isError, true);
    assert.equal(r.content[0].text, 'NOT NULL constraint failed: pets.name');
    const bad = await client.callTool({ name: 'write_query', arguments: { query: 'UPDATE pets SET nope = 1' } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /no such column: nope/);
  });

  it('answers an unknown tool with a JSON-RPC error', async function () {
    await assert.rejects(client.callTool({ name: 'drop_everything', arguments: {} }), /Unknown tool: drop_everything/);
  });
});

describe('lode --mcp with malformed requests', function () {
  before(function () {
    requireLode();
  });

  it('answers bad JSON with a parse error (-32700, id null) and keeps serving', function () {
    const [bad, good] = exchange(['{"jsonrpc": "2.0", "id": 1,', { jsonrpc: '2.0', id: 2, method: 'ping' }]);
    assert.deepEqual(bad, { jsonrpc: '2.0', id: null, error: { code: -32700, message: 'Parse error' } });
    assert.deepEqual(good, { jsonrpc: '2.0', id: 2, result: {} });
  });

  it('answers messages that are no JSON-RPC requests with -32600', function () {
    const out = exchange([
      '[1, 2]',
      '"just a string"',
      { id: 3, method: 'ping' },
      { jsonrpc: '1.0', id: 4, method: 'ping' },
      { jsonrpc: '2.0', id: 5, method: 7 },
      { jsonrpc: '2.0', id: { no: 1 }, method: 'ping' },
      { jsonrpc: '2.0', id: 6, method: 'ping', params: 'x' },
    ]);
    assert.equal(out.length, 7);
    for (const r of out) assert.equal(r.error.code, -32600);
    assert.deepEqual(out.map((r) => r.id), [null, null, 3, 4, 5, null, 6]);
  });

  it('answers an unknown method with -32601 and ignores unknown notifications', function () {
    const out = exchange([init, { jsonrpc: '2.0', method: 'notifications/whatever' }, { jsonrpc: '2.0', id: 'a', method: 'resources/list' }]);
    assert.equal(out.length, 2);
    assert.equal(out[0].result.protocolVersion, '2025-06-18');
    assert.deepEqual(out[1], { jsonrpc: '2.0', id: 'a', error: { code: -32601, message: 'Method not found: resources/list' } });
  });

  it('answers a protocol version it does not speak with its own newest', function () {
    const [r] = exchange([{ ...init, params: { ...init.params, protocolVersion: '1999-01-01' } }]);
    assert.equal(r.result.protocolVersion, '2025-06-18');
    const [old] = exchange([{ ...init, params: { ...init.params, protocolVersion: '2024-11-05' } }]);
    assert.equal(old.result.protocolVersion, '2024-11-05');
  });

  it('answers wrong tool arguments with -32602', function () {
    const out = exchange([
      call(1, 'read_query', {}),
      call(2, 'read_query', { query: 42 }),
      call(3, 'describe_table', { name: 'x' }),
      { jsonrpc: '2.0', id: 4, method: 'tools/call', params: { arguments: {} } },
      { jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'read_query', arguments: 'SELECT 1' } },
      call(6, 'no_such_tool', {}),
    ]);
    assert.deepEqual(out.map((r) => [r.id, r.error.code]), [[1, -32602], [2, -32602], [3, -32602], [4, -32602], [5, -32602], [6, -32602]]);
    assert.match(out[0].error.message, /read_query needs the string argument "query"/);
  });

  it('refuses more than one statement in a query, and SQL errors are tool errors', function () {
    const out = exchange([
      call(1, 'write_query', { query: 'CREATE TABLE t(a); DROP TABLE t' }),
      call(2, 'read_query', { query: 'SELEC 1' }),
      call(3, 'read_query', { query: '  ' }),
      call(4, 'list_tables', {}),
    ]);
    assert.equal(out[0].result.isError, true);
    assert.match(out[0].result.content[0].text, /exactly one SQL statement/);
    assert.deepEqual(out[1].result, { content: [{ type: 'text', text: 'near "SELEC": syntax error' }], isError: true });
    assert.equal(out[2].result.isError, true);
    assert.equal(out[3].result.content[0].text, '', 'the refused CREATE TABLE did not run');
  });

  it('keeps writes out of a database opened with --readonly', function () {
    const dir = mkdtempSync(join(tmpdir(), 'lode-mcp-ro-'));
    try {
      const db = join(dir, 'ro.db');
      lode([db], 'CREATE TABLE t(a); INSERT INTO t VALUES (1);\n');
      const out = exchange([call(1, 'write_query', { query: 'INSERT INTO t VALUES (2)' }), call(2, 'read_query', { query: 'SELECT count(*) AS n FROM t' })], ['--readonly', db]);
      assert.equal(out[0].result.isError, true);
      assert.match(out[0].result.content[0].text, /readonly database/);
      assert.equal(out[1].result.content[0].text, '[{"n":1}]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips strings with escapes, unicode and surrogate pairs', function () {
    const text = 'quote " backslash \\ tab \t newline \n é 日本 😀';
    const [r] = exchange([call(1, 'read_query', { query: `SELECT '${text}' AS v` })]);
    assert.deepEqual(JSON.parse(r.result.content[0].text), [{ v: text }]);
    const [e] = exchange(['{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"read_query","arguments":{"query":"SELECT \'\\ud83d\\ude00\' AS v"}}}']);
    assert.deepEqual(JSON.parse(e.result.content[0].text), [{ v: '😀' }]);
  });
});
