#!/usr/bin/env python3
"""Compare batch.sh result directories: which tests SQLite passes and Lode does not.

  compare.py --lode DIR --sq DIR [--sys DIR] [--names N] [--details N] [--tsv FILE]

A test counts against Lode when the SQLite builds given (sq, and sys when given and it has a
result for that file) all print PASS for it and Lode prints anything else for it (FAIL, SKIP,
or nothing because the file stopped early, timed out or crashed).  Tests are matched by file
and name; a name a file uses more than once is matched by its occurrence (name#2, ...).

Prints the totals of each engine, then one line per file with its count of such tests, largest
first, split into those Lode fails, skips, and does not run.  --names N lists up to N test
names under each file, --details N gives Lode's line for up to N of them.  --tsv FILE writes
every such test as file, test, Lode's line.
"""
import argparse
import os
import re
import sys

RESULT = re.compile(r'^(PASS|FAIL|SKIP) (.*)$')
SUMMARY = re.compile(r'^(\d+) errors out of (\d+) tests$')


def parse(path):
    """Return ({test: (status, line)}, info) for one .out file."""
    tests = {}
    seen = {}
    info = {'errors': 0, 'timeout': False, 'crash': False, 'summary': False}
    with open(path, encoding='utf-8', errors='replace') as f:
        for line in f:
            line = line.rstrip('\n')
            m = RESULT.match(line)
            if m:
                status, rest = m.groups()
                name = rest if status == 'PASS' else rest.split(': ', 1)[0]
                n = seen.get(name, 0) + 1
                seen[name] = n
                key = name if n == 1 else '%s#%d' % (name, n)
                tests[key] = (status, line)
            elif line.startswith('ERROR '):
                info['errors'] += 1
            elif line.startswith('TIMEOUT '):
                info['timeout'] = True
            elif line.startswith('CRASH '):
                info['crash'] = True
            elif SUMMARY.match(line):
                info['summary'] = True
    return tests, info


def load(d):
    out = {}
    for fn in sorted(os.listdir(d)):
        if fn.endswith('.out'):
            out[fn[:-4]] = parse(os.path.join(d, fn))
    return out


def totals(res):
    t = {'PASS': 0, 'FAIL': 0, 'SKIP': 0, 'files': len(res), 'timeout': 0, 'crash': 0, 'toplevel': 0}
    for tests, info in res.values():
        for status, _ in tests.values():
            t[status] += 1
        t['timeout'] += info['timeout']
        t['crash'] += info['crash']
        t['toplevel'] += info['errors']
    return t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--lode', required=True)
    ap.add_argument('--sq', required=True)
    ap.add_argument('--sys')
    ap.add_argument('--names', type=int, default=0)
    ap.add_argument('--details', type=int, default=0)
    ap.add_argument('--tsv')
    a = ap.parse_args()

    engines = [('lode', a.lode), ('sq', a.sq)] + ([('sys', a.sys)] if a.sys else [])
    res = {name: load(d) for name, d in engines}
    for name, _ in engines:
        t = totals(res[name])
        print('%-5s files %4d  PASS %7d  FAIL %6d  SKIP %6d  top-level errors %5d  timeouts %3d  crashes %3d'
              % (name, t['files'], t['PASS'], t['FAIL'], t['SKIP'], t['toplevel'], t['timeout'], t['crash']))

    oracles = [n for n, _ in engines if n != 'lode']
    rows = []
    for f in sorted(set(res['sq']) | set(res['lode'])):
        lode_tests, lode_info = res['lode'].get(f, ({}, {}))
        bad = []
        for key, (status, _) in res['sq'].get(f, ({}, {}))[0].items():
            if status != 'PASS':
                continue
            # An oracle directory without this file (say, sys run on a subset) does not vote.
            if any(f in res[o] and res[o][f][0].get(key, ('', ''))[0] != 'PASS' for o in oracles):
                continue
            got = lode_tests.get(key)
            if got is None or got[0] != 'PASS':
                bad.append((key, got[1] if got else '(not run by Lode)'))
        if bad:
            note = ''
            if lode_info.get('timeout'):
                note = ' [lode timed out]'
            elif lode_info.get('crash'):
                note = ' [lode crashed]'
            elif lode_info and not lode_info.get('summary'):
                note = ' [lode stopped early]'
            rows.append((len(bad), f, bad, note))
    rows.sort(key=lambda r: (-r[0], r[1]))

    print()
    print('tests %s pass%s and Lode does not: %d in %d files'
          % (' and '.join(oracles), '' if len(oracles) > 1 else 'es', sum(r[0] for r in rows), len(rows)))
    print('%6s  %-22s %6s %6s %6s' % ('count', 'file', 'FAIL', 'SKIP', 'notrun'))
    for n, f, bad, note in rows:
        kinds = [line.split(' ', 1)[0] if not line.startswith('(') else 'notrun' for _, line in bad]
        print('%6d  %-22s %6d %6d %6d%s'
              % (n, f, kinds.count('FAIL'), kinds.count('SKIP'), kinds.count('notrun'), note))
        if a.names:
            names = [k for k, _ in bad]
            shown = names[:a.names]
            print('        ' + ' '.join(shown) + (' ...' if len(names) > len(shown) else ''))
        for k, line in bad[:a.details]:
            print('        > ' + line[:300])
    if a.tsv:
        with open(a.tsv, 'w') as out:
            for n, f, bad, note in rows:
                for k, line in bad:
                    out.write('%s\t%s\t%s\n' % (f, k, line.replace('\t', ' ')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
