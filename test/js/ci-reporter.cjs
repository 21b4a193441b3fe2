// ci-reporter.cjs — mocha's spec reporter plus one closing line
// "N passed, N failed, N skipped" that CI logs and tools/test-all.sh read.
// (Mocha's check marks come from picocolors, which colours whenever CI is
// set; tools/test-all.sh sets NO_COLOR=1 to keep CI logs plain.)
const { reporters: { Spec } } = require('mocha');

module.exports = class CiReporter extends Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once('end', () => {
      const s = runner.stats;
      process.stdout.write(`${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
    });
  }
};
