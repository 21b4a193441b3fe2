#!/usr/bin/env node
// `lode` (npx lode): the Lode shell, run inside the Node addon.
import driver from '../js/native.mjs';

const code = driver.shellMain(process.argv.slice(2));
process.exitCode = code;
