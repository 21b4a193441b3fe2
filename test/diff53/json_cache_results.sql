-- The statement's cache of parsed documents as SQLite 3.53 keeps it: an
-- edit's text result of 100 bytes or more (or one SQLite builds in a heap
-- buffer for another reason: a hex integer rendered, a control character
-- escaped near the end of its 100-byte buffer) keeps the edited JSONB under
-- that text, so jsonb() and the other functions of the same statement read
-- the edited bytes (raw text nodes, JSON5 numbers, the JSON5 flag of the
-- source) where a shorter result is parsed again; four documents are kept,
-- the least recently used dropped first, for one run.  The document is
-- parsed even when a path is NULL.
CREATE TABLE t(id INTEGER PRIMARY KEY, j TEXT);
INSERT INTO t VALUES (1, '{"a":1,"pad":"' || printf('%.*c', 200, 'p') || '"}'), (2, '{"a":1}'), (3, '{"a":0x10}'), (4, '{a:1,pad:"' || printf('%.*c', 100, 'q') || '"}');
SELECT id, substr(hex(jsonb(json_set(j, '$.b', 'x'))), -16), hex(jsonb(json_set(j, '$.b', 'x'))) = hex(jsonb(json(json_set(j, '$.b', 'x')))) FROM t ORDER BY id;
SELECT id, hex(jsonb_extract(json_set(j, '$.c', json_array('y', 'z')), '$.c')), json_type(json_set(j, '$.c', 'y'), '$.c') FROM t ORDER BY id;
SELECT id, json_valid(json_set(j, '$.b', 2), 1), json_valid(json_set(j, '$.b', 2), 2), json_valid(json_set(j, '$.b', 2)) FROM t ORDER BY id;
SELECT id, substr(hex(jsonb(json_remove(j, '$.zz'))), 1, 24), substr(hex(jsonb(json_patch(j, '{"b":"v"}'))), -12) FROM t ORDER BY id;
SELECT id, substr(hex(jsonb(json_insert(j, '$.b', 'x'))), -8), substr(hex(jsonb(json_replace(j, '$.a', 'x'))), 1, 16), substr(hex(jsonb(json_array_insert(json_set(j, '$.arr', json('[1]')), '$.arr[0]', 'x'))), -10) FROM t ORDER BY id;
SELECT id, hex(jsonb(json_set(j))), hex(jsonb(json_set(j, NULL, 1))) = hex(jsonb(j)) FROM t WHERE id IN (2, 3) ORDER BY id;
-- results around 100 bytes: 98, 99, 100 and 101 bytes of text
WITH s(k) AS (VALUES (75), (76), (77), (78)) SELECT k, length(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x')), substr(hex(jsonb(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x'))), -6) FROM s;
-- a control character escaped in a raw string near the end of the 100-byte buffer
WITH s(k) AS (VALUES (60), (70), (80), (84), (85), (86), (90)) SELECT k, length(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x' || char(10) || 'y')), substr(hex(jsonb(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x' || char(10) || 'y'))), -8) FROM s;
WITH s(k) AS (VALUES (60), (70), (80), (84), (85), (86), (90)) SELECT k, length(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x' || char(1) || 'y')), substr(hex(jsonb(json_set('{"a":"' || printf('%.*c', k, 'r') || '"}', '$.b', 'x' || char(1) || 'y'))), -8) FROM s;
WITH s(k) AS (VALUES (70), (80), (84), (86), (88)) SELECT k, substr(hex(jsonb(json_set('{"a":"' || printf('%.*c', k, 'r') || '","t":' || char(39) || 'a' || char(9) || 'b' || char(39) || '}', '$.b', 1))), -12) FROM s;
-- more documents than the cache holds between the edit and the read
SELECT id, substr(hex(jsonb(r)), -8) FROM (SELECT id, json_set(j, '$.b', 'x') AS r FROM t) ORDER BY id;
SELECT substr(hex(jsonb(e)), -8), json_extract(j1, '$.a'), json_extract(j2, '$.a'), json_extract(j3, '$.a'), json_extract(j4, '$.a'), substr(hex(jsonb(e)), -8)
  FROM (SELECT json_set((SELECT j FROM t WHERE id = 1), '$.b', 'x') AS e, '{"a":11}' AS j1, '{"a":12}' AS j2, '{"a":13}' AS j3, '{"a":14}' AS j4);
SELECT substr(hex(jsonb(e)), -8), json_extract(j1, '$.a'), json_extract(j2, '$.a'), json_extract(j3, '$.a'), substr(hex(jsonb(e)), -8)
  FROM (SELECT json_set((SELECT j FROM t WHERE id = 1), '$.b', 'x') AS e, '{"a":11}' AS j1, '{"a":12}' AS j2, '{"a":13}' AS j3);
SELECT substr(hex(jsonb(e)), -8), json_extract(e, '$.a'), json_extract(j1, '$.a'), json_extract(j2, '$.a'), json_extract(j3, '$.a'), json_extract(j4, '$.a'), substr(hex(jsonb(e)), -8)
  FROM (SELECT json_set((SELECT j FROM t WHERE id = 1), '$.b', 'x') AS e, '{"a":11}' AS j1, '{"a":12}' AS j2, '{"a":13}' AS j3, '{"a":14}' AS j4);
-- the document is read before a NULL path is seen
SELECT json_extract('{bad', NULL);
SELECT '{bad' ->> NULL;
SELECT '{bad' -> NULL;
SELECT json_type('{bad', NULL);
SELECT json_array_length('{bad', NULL);
SELECT json_patch('{bad', NULL);
SELECT json_extract('{"a":1}', NULL), json_type('[1]', NULL), json_patch('{}', NULL), json_set('{"a":1}', NULL, 2);
SELECT json_set('{"a":1}', 'a', x'00');
SELECT json_set('{"a":1}', '$.a', x'00');
SELECT json_valid('{a:1}', 1), json_valid('{a:1}', 2), json_valid('{"a":1}', 1), json_valid('{bad', 3), json_valid(x'7b7d', 1);
