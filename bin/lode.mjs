#!/usr/bin/env node
// `lode` (npx lode): the Lode shell, run inside the Node addon.
let driver;
try {
  driver = (await import('../js/native.mjs')).default;
} catch (e) {
  if (e.code !== 'LODE_NO_ADDON') throw e;
  process.stderr.write(`${e.message}\nThe lode shell needs the native addon (a C compiler at install).\n`);
  process.exit(1);
}
process.exitCode = driver.shellMain(process.argv.slice(2));
