-- Text that is not valid UTF-8 is split into characters as SQLite splits it: a byte
-- below 0xc0 is a character (a stray continuation byte too), a lead byte takes every
-- continuation byte after it; length, substr, unicode, instr, trim and LIKE agree.
SELECT length(x'80' || 'abc'), length(CAST(x'80' AS TEXT)), substr(x'80' || 'abc', 2), length(x'41c3' || 'z');
SELECT unicode(x'80' || 'a'), instr(x'80' || 'abc', 'b'), unicode(CAST(x'c3' AS TEXT)), unicode(CAST(x'c3a9a9' AS TEXT)), unicode(CAST(x'eda080' AS TEXT)), unicode(CAST(x'f4908080' AS TEXT)), unicode(CAST(x'efbfbf' AS TEXT)), unicode(CAST(x'ff' AS TEXT)), unicode(CAST(x'f88080' AS TEXT));
SELECT length(CAST(x'61c3a9a9a9808062' AS TEXT)), hex(substr(CAST(x'61c3a9a9a9808062' AS TEXT), 2, 1)), hex(substr(CAST(x'61c3a9a9a9808062' AS TEXT), 3)), hex(substr(CAST(x'8080c3' AS TEXT), -1)), hex(substr(CAST(x'8080c3' AS TEXT), 2, 1));
SELECT CAST(x'80' AS TEXT) LIKE '_', CAST(x'c3a980' AS TEXT) LIKE '_', CAST(x'6180' AS TEXT) LIKE 'a_', CAST(x'6180' AS TEXT) GLOB 'a?', CAST(x'80' AS TEXT) LIKE CAST(x'80' AS TEXT), CAST(x'80' AS TEXT) LIKE CAST(x'81' AS TEXT), CAST(x'c3' AS TEXT) LIKE '_';
SELECT hex(trim(CAST(x'6180' AS TEXT), CAST(x'80' AS TEXT))), hex(rtrim(CAST(x'61c3a9' AS TEXT), CAST(x'a9' AS TEXT))), hex(ltrim(CAST(x'8061' AS TEXT), CAST(x'c380' AS TEXT)));
SELECT length('héllo wörld, ünïcödé tëxt that is longer than eight bytes 日本語'), substr('日本語テキスト', 3, 2), unicode('日'), length(CAST(x'e697a5e69cac8080' AS TEXT));
SELECT char(128, 65533), upper(CAST(x'80' AS TEXT)) = CAST(x'80' AS TEXT), replace(CAST(x'618062' AS TEXT), CAST(x'80' AS TEXT), 'X');
SELECT printf('%.2s', CAST(x'80c3a961' AS TEXT)) = CAST(x'80c3a9' AS TEXT), hex(printf('%.1s', CAST(x'80c3a961' AS TEXT)));
