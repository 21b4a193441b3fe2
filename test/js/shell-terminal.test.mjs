// The `lode` shell on a real terminal: tmux runs it in a pane, send-keys
// types, capture-pane reads the screen.  Prompts, line editing (libedit),
// history in ~/.lode_history, Ctrl-C on a running statement and at the
// prompt, Ctrl-D.  Each test waits for what it expects to appear on the
// screen (polling), so no test depends on timing beyond an upper bound.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LODE, requireLode } from '../diff/lib.mjs';

const TMUX = '/usr/bin/tmux';
const WAIT_MS = 15000;

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

class Terminal {
  constructor(socket, home) {
    this.socket = socket;
    this.home = home;
  }

  tmux(...args) {
    const r = spawnSync(TMUX, ['-L', this.socket, ...args], { encoding: 'utf8' });
    if (r.error) throw r.error;
    return r;
  }

  /** Starts lode in a fresh 100x40 pane; when it ends the pane says [exit N]. */
  start(args = []) {
    const cmd = [LODE, ...args].map((a) => `'${a}'`).join(' ');
    const r = this.tmux('new-session', '-d', '-s', 'lode', '-x', '100', '-y', '40',
      `env HOME='${this.home}' TERM=xterm ${cmd}; echo "[exit $?]"; sleep 600`);
    assert.equal(r.status, 0, r.stderr);
  }

  stop() {
    this.tmux('kill-server');
  }

  /** Types text literally.  tmux reads a ';' ending an argument as a command
   *  separator, so semicolons go as their byte. */
  type(text) {
    const parts = text.split(';');
    parts.forEach((part, i) => {
      if (part) this.tmux('send-keys', '-t', 'lode', '-l', part);
      if (i < parts.length - 1) this.tmux('send-keys', '-t', 'lode', '-H', '3b');
    });
  }

  keys(...names) {
    this.tmux('send-keys', '-t', 'lode', ...names);
  }

  line(text) {
    this.type(text);
    this.keys('Enter');
  }

  /** The pane's text; tmux drops trailing blanks, so "lode> " reads "lode>",
   *  and the blank lines below the cursor are left out. */
  screen() {
    const text = this.tmux('capture-pane', '-p', '-t', 'lode', '-S', '-200').stdout;
    return text.replace(/[ \t]+$/gm, '').replace(/\n+$/, '');
  }

  async waitFor(pattern, what = String(pattern)) {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const text = this.screen();
      if (pattern.test(text)) return text;
      if (Date.now() > deadline) assert.fail(`waiting for ${what}; the screen shows:\n${text}`);
      await sleep(50);
    }
  }
}

describe('lode shell on a terminal (tmux)', function () {
  let home, term, n = 0;
  before(function () {
    requireLode();
    if (!existsSync(TMUX)) {
      if (process.env.CI) throw new Error(`${TMUX} is missing (apt-get install tmux)`);
      console.log(`      (skipped: ${TMUX} is not installed; apt-get install tmux)`);
      this.skip();
    }
    home = mkdtempSync(join(tmpdir(), 'lode-home-'));
  });
  beforeEach(function () {
    term = new Terminal(`lode-test-${process.pid}-${n++}`, home);
  });
  afterEach(function () {
    term?.stop();
  });
  after(function () {
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('shows the banner and the prompt, and pretty tables by default', async function () {
    term.start();
    await term.waitFor(/Enter "\.help" for usage hints\.\n.*\nUse "\.open FILENAME".*\nlode>$/, 'banner');
    term.line("SELECT 1 AS x, 'two' AS y;");
    await term.waitFor(/┌───┬─────┐\n│ x │ y   │\n├───┼─────┤\n│ 1 │ two │\n└───┴─────┘\nlode>$/, 'the box table');
  });

  it('shows the continuation prompt while a statement is unfinished', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.line('SELECT');
    await term.waitFor(/^ {3}\.\.\.>$/m, 'continuation prompt');
    term.line('6 * 7;');
    await term.waitFor(/\n {3}\.\.\.> 6 \* 7;\n42\nlode>$/, 'the result after the continuation');
  });

  it('edits the line with emacs keys before running it', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.type("ELECT 'abc'");
    term.keys('C-a');
    term.type('S');
    term.keys('C-e', 'BSpace', 'BSpace');
    term.type("Z';");
    term.keys('Enter');
    await term.waitFor(/^lode> SELECT 'abZ';\nabZ\nlode>$/m, 'the edited statement ran');
  });

  it('recalls earlier lines with Up, and keeps them in ~/.lode_history across sessions', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.line("SELECT 'first';");
    await term.waitFor(/^first$/m);
    term.line("SELECT 'second';");
    await term.waitFor(/^second$/m);
    term.keys('Up', 'Up', 'Enter');
    await term.waitFor(/^first\n(.*\n)*first$/m, 'first again');
    term.keys('C-d');
    await term.waitFor(/\[exit 0\]/);
    const history = readFileSync(join(home, '.lode_history'), 'utf8');
    assert.match(history, /first/);
    assert.match(history, /second/);
    term.stop();
    term = new Terminal(`lode-test-${process.pid}-${n++}`, home);
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.keys('Up');
    await term.waitFor(/^lode> SELECT 'first';$/m, 'the last line of the earlier session');
  });

  it('Ctrl-C interrupts a running statement and the shell goes on', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    const grow = 'INSERT INTO t SELECT a + 1 FROM t;';
    term.line(`CREATE TABLE t(a); INSERT INTO t VALUES (0); ${grow.repeat(7)} SELECT count(*) FROM t;`);
    await term.waitFor(/^128$/m, '128 rows');
    // 128^4 rows to count: minutes of work, unless interrupted.
    term.line('SELECT count(*) FROM t w, t x, t y, t z;');
    await term.waitFor(/t z;$/, 'the statement running');
    await sleep(300);
    term.keys('C-c');
    await term.waitFor(/Runtime error: interrupted \(9\)\nlode>$/, 'the interrupt');
    term.line("SELECT 'still here';");
    await term.waitFor(/still here\nlode>$/, 'the shell still running');
    assert.doesNotMatch(term.screen(), /\[exit/);
  });

  it('Ctrl-C at the prompt drops the line being typed', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.line("SELECT 'unfinished");
    await term.waitFor(/^ {3}\.\.\.>$/m, 'continuation prompt');
    term.keys('C-c');
    await term.waitFor(/\.\.\.>\nlode>$/, 'a fresh prompt');
    term.line("SELECT 'fresh';");
    await term.waitFor(/fresh\nlode>$/, 'a statement of its own');
    assert.doesNotMatch(term.screen(), /unrecognized token|error/i);
  });

  it('keeps going after an error, and Ctrl-D exits with status 0', async function () {
    term.start(['-q', '-m', 'list']);
    await term.waitFor(/^lode>/m, 'prompt');
    term.line('SELEC 1;');
    await term.waitFor(/^Parse error: near "SELEC": syntax error$/m, 'the error');
    term.line('SELECT 2;');
    await term.waitFor(/^2$/m);
    term.keys('C-d');
    await term.waitFor(/\[exit 0\]/, 'the exit status');
  });
});
