-- instr() on text, or on text and a BLOB, matches only where a character
-- starts; two BLOBs match at any byte.
SELECT instr('xä€y', x'a4'), instr('xä€y', x'79'), instr(x'78c3a4e282ac79', 'y'), instr('xä€y', x'c3a4');
SELECT instr(x'78c3a4e282ac79', x'a4'), instr(x'78c3a4', 'ä'), instr('€€€', x'82ac'), instr('€€€', '€');
SELECT instr('abc', ''), instr('', ''), instr('', 'a'), instr('héllo', 'llo'), instr(x'0102', x''), instr(12345, 34);
