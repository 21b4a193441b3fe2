// functions.mjs — the argument rules of Database.function(), aggregate(),
// serialize() and backup() (better-sqlite3's), turned into what the driver
// takes (createFunction / createAggregate / serialize / backupInit …, see
// the head comment of native/addon.c).
//
// An aggregate's driver callbacks work on one state object per group,
// { acc }: start() makes it (calling options.start when that is a
// function, so every group gets a fresh accumulator), step and inverse
// replace acc with what they return unless that is undefined, and
// result(acc) — or acc itself without options.result — is the value.

const DETERMINISTIC = 0x800; // LODE_DETERMINISTIC
const DIRECTONLY = 0x80000; // LODE_DIRECTONLY
const MAX_ARGS = 100;
const DEFAULT_BACKUP_PAGES = 100;
const later = globalThis.setImmediate ?? ((fn) => setTimeout(fn, 0)); // browsers lack setImmediate

function booleanOption(options, key) {
  const v = key in options ? options[key] : false;
  if (typeof v !== 'boolean') throw new TypeError(`Expected the "${key}" option to be a boolean`);
  return v;
}

function functionOption(options, key, required) {
  const v = key in options ? options[key] : null;
  if (typeof v === 'function') return v;
  if (v != null) throw new TypeError(`Expected the "${key}" option to be a function`);
  if (required) throw new TypeError(`Missing required option "${key}"`);
  return null;
}

function arity(fn) {
  const n = fn.length;
  if (!Number.isInteger(n) || n < 0) throw new TypeError('Expected function.length to be a positive integer');
  return n;
}

function checkArgCount(n) {
  if (n > MAX_ARGS) throw new RangeError(`User-defined functions cannot have more than ${MAX_ARGS} arguments`);
  return n;
}

function checkName(name) {
  if (typeof name !== 'string') throw new TypeError('Expected first argument to be a string');
}

// The options every function shares: [flags, safeIntegers].
function commonOptions(options, defaultSafe) {
  const safe = 'safeIntegers' in options ? booleanOption(options, 'safeIntegers') : defaultSafe;
  const flags = (booleanOption(options, 'deterministic') ? DETERMINISTIC : 0)
    | (booleanOption(options, 'directOnly') ? DIRECTONLY : 0);
  return [flags, safe];
}

// → arguments of driver.createFunction after the db handle.
export function functionArgs(name, options, fn, defaultSafe) {
  if (options == null) options = {};
  if (typeof options === 'function') {
    fn = options;
    options = {};
  }
  checkName(name);
  if (typeof fn !== 'function') throw new TypeError('Expected last argument to be a function');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  if (!name) throw new TypeError('User-defined function name cannot be an empty string');
  const [flags, safe] = commonOptions(options, defaultSafe);
  const nargs = booleanOption(options, 'varargs') ? -1 : checkArgCount(arity(fn));
  return [name, nargs, flags, safe, fn];
}

// → arguments of driver.createAggregate after the db handle.
export function aggregateArgs(name, options, defaultSafe) {
  checkName(name);
  if (typeof options !== 'object' || options === null) throw new TypeError('Expected second argument to be an options object');
  if (!name) throw new TypeError('User-defined function name cannot be an empty string');
  const start = 'start' in options ? options.start : null;
  const step = functionOption(options, 'step', true);
  const inverse = functionOption(options, 'inverse', false);
  const result = functionOption(options, 'result', false);
  const [flags, safe] = commonOptions(options, defaultSafe);
  let nargs = -1;
  if (!booleanOption(options, 'varargs')) {
    // step and inverse take the accumulator first
    nargs = Math.max(arity(step), inverse ? arity(inverse) : 0);
    if (nargs > 0) nargs -= 1;
    checkArgCount(nargs);
  }
  const begin = typeof start === 'function' ? () => ({ acc: start() }) : () => ({ acc: start });
  const move = (fn) => (state, ...args) => {
    const next = fn(state.acc, ...args);
    if (next !== undefined) state.acc = next;
  };
  const finish = result ? (state) => result(state.acc) : (state) => state.acc;
  return [name, nargs, flags, safe, inverse !== null, begin, move(step), inverse && move(inverse), finish];
}

// → the schema name serialize() copies.
export function serializeSchema(options) {
  if (options == null) options = {};
  if (typeof options !== 'object') throw new TypeError('Expected first argument to be an options object');
  return attachedOption(options);
}

function attachedOption(options) {
  const name = 'attached' in options ? options.attached : 'main';
  if (typeof name !== 'string') throw new TypeError('Expected the "attached" option to be a string');
  if (!name) throw new TypeError('The "attached" option cannot be an empty string');
  return name;
}

// → [filename, schema, progress] of backup().
export function backupArgs(filename, options) {
  if (options == null) options = {};
  if (typeof filename !== 'string') throw new TypeError('Expected first argument to be a string');
  if (typeof options !== 'object') throw new TypeError('Expected second argument to be an options object');
  filename = filename.trim();
  const schema = attachedOption(options);
  const progress = 'progress' in options ? options.progress : null;
  if (!filename) throw new TypeError('Backup filename cannot be an empty string');
  if (filename === ':memory:') throw new TypeError('Invalid backup filename ":memory:"');
  if (progress != null && typeof progress !== 'function') throw new TypeError('Expected the "progress" option to be a function');
  if (/^file:/i.test(filename)) throw new TypeError('URIs are not supported for backups');
  return [filename, schema, progress];
}

// Copies the database page by page, one step per turn of the event loop so
// that the application runs between steps; progress({totalPages,
// remainingPages}) may return how many pages the next step copies.
// isOpen() tells whether the source connection is still open (a backup
// stops with TypeError once it is closed); aborted() runs when the backup
// fails.
export function runBackup(driver, backup, progress, isOpen = () => true, aborted = () => {}) {
  let pages = 0; // the first step only counts the pages
  return new Promise((resolve, reject) => {
    const step = () => {
      try {
        if (!isOpen()) throw new TypeError('The database connection is not open');
        const [done, totalPages, remainingPages] = driver.backupStep(backup, pages);
        const state = { totalPages, remainingPages };
        if (done) {
          resolve({ totalPages, remainingPages: 0 });
          return;
        }
        if (pages === 0) pages = DEFAULT_BACKUP_PAGES;
        if (progress) {
          const n = progress(state);
          if (n !== undefined) {
            if (typeof n !== 'number' || n !== n) throw new TypeError('Expected progress callback to return a number or undefined');
            pages = Math.max(0, Math.min(0x7fffffff, Math.round(n)));
          }
        }
        later(step);
      } catch (e) {
        driver.backupClose(backup);
        aborted();
        reject(e);
      }
    };
    later(step);
  });
}

// ---- Database.table(): virtual tables defined in JavaScript ----------------
// → [name, eponymousOnly, factory] for driver.createTable.  A definition
// object makes a module usable only by its own name (eponymous), checked now;
// a function makes tables with CREATE VIRTUAL TABLE … USING name(args) too,
// called with this = {module, database, table} and the arguments as text.
// The factory the driver calls returns [sql, rows, parameters, safeIntegers,
// directOnly] (see native/addon.c); rows(...parameters) yields each row as an
// array of every column, the parameters first.
// A generator function's prototype: rows must have exactly it (as
// better-sqlite3 checks), which an object or arrow function that merely
// inherits from it has not.
const GeneratorFunctionPrototype = Object.getPrototypeOf(function* () {});
const quoteName = (s) => `"${s.replace(/"/g, '""')}"`;

function tableDefinition(def, verb, module, defaultSafe) {
  const what = `Virtual table module "${module}" ${verb} a table definition`;
  const own = (key) => Object.prototype.hasOwnProperty.call(def, key);
  if (!own('rows')) throw new TypeError(`${what} without a "rows" property`);
  if (!own('columns')) throw new TypeError(`${what} without a "columns" property`);
  const rows = def.rows;
  if (typeof rows !== 'function' || Object.getPrototypeOf(rows) !== GeneratorFunctionPrototype) {
    throw new TypeError(`${what} with an invalid "rows" property (should be a generator function)`);
  }
  const strings = (v) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(def.columns)) throw new TypeError(`${what} with an invalid "columns" property (should be an array of strings)`);
  const columns = [...def.columns];
  if (new Set(columns).size !== columns.length) throw new TypeError(`${what} with duplicate column names`);
  if (columns.length === 0) throw new RangeError(`${what} with zero columns`);
  let parameters;
  if (own('parameters')) {
    if (!strings(def.parameters)) {
      throw new TypeError(`${what} with an invalid "parameters" property (should be an array of strings)`);
    }
    parameters = [...def.parameters];
  } else {
    parameters = Array.from({ length: arity(rows) }, (_, i) => `$${i + 1}`);
  }
  if (new Set(parameters).size !== parameters.length) throw new TypeError(`${what} with duplicate parameter names`);
  if (parameters.length > 32) throw new RangeError(`${what} with more than the maximum number of 32 parameters`);
  const both = parameters.find((p) => columns.includes(p));
  if (both !== undefined) {
    throw new TypeError(`${what} with column "${both}" which was ambiguously defined as both a column and parameter`);
  }
  for (const key of ['safeIntegers', 'directOnly']) {
    if (own(key) && typeof def[key] !== 'boolean') {
      throw new TypeError(`${what} with an invalid "${key}" property (should be a boolean)`);
    }
  }
  const safe = own('safeIntegers') ? def.safeIntegers : defaultSafe;
  const sql = `CREATE TABLE x(${[...parameters.map((p) => `${quoteName(p)} HIDDEN`), ...columns.map(quoteName)].join(', ')})`;
  return [sql, tableRows(rows, parameters.length, columns, module), parameters, safe, own('directOnly') && def.directOnly];
}

// rows() as the driver calls it: each yielded row (an array of the columns in
// order, or an object naming each column once) laid out after the
// parameters' values; one array, refilled for every row.
function tableRows(rows, nparams, columns, module) {
  const index = new Map(columns.map((c, i) => [c, nparams + i]));
  const yielded = `Virtual table module "${module}" yielded`;
  return function* (...args) {
    // A Buffer argument is copied: the generator may change it, and the
    // hidden column must still read what the query gave.
    const out = args.map((a) =>
      globalThis.Buffer?.isBuffer(a) ? globalThis.Buffer.from(a) : a instanceof Uint8Array ? new Uint8Array(a) : a);
    out.length = nparams + columns.length;
    out.fill(null, nparams);
    for (const row of rows(...args)) {
      if (Array.isArray(row)) {
        if (row.length !== columns.length) throw new TypeError(`${yielded} a row with an incorrect number of columns`);
        for (let i = 0; i < row.length; i++) out[nparams + i] = row[i];
      } else if (typeof row === 'object' && row !== null) {
        let n = 0;
        for (const key of Object.keys(row)) {
          const at = index.get(key);
          if (at === undefined) throw new TypeError(`${yielded} a row with an undeclared column "${key}"`);
          out[at] = row[key];
          n++;
        }
        if (n !== columns.length) throw new TypeError(`${yielded} a row with missing columns`);
      } else {
        throw new TypeError(`${yielded} something that isn't a valid row object`);
      }
      yield out;
    }
  };
}

// defaultSafe() reads the connection's defaultSafeIntegers when a table is made.
export function tableArgs(name, factory, defaultSafe) {
  if (typeof name !== 'string') throw new TypeError('Expected first argument to be a string');
  if (!name) throw new TypeError('Virtual table module name cannot be an empty string');
  if (typeof factory === 'object' && factory !== null) {
    const def = tableDefinition(factory, 'used', name, defaultSafe());
    return [name, true, () => def];
  }
  if (typeof factory !== 'function') {
    throw new TypeError('Expected second argument to be a function or a table definition object');
  }
  const make = (module, database, table, ...args) => {
    const def = factory.apply({ module, database, table }, args);
    if (typeof def !== 'object' || def === null) {
      throw new TypeError(`Virtual table module "${module}" did not return a table definition object`);
    }
    return tableDefinition(def, 'returned', module, defaultSafe());
  };
  return [name, false, make];
}
