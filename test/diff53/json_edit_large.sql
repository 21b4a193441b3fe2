-- JSON edits of documents that span many overflow pages, as JSONB and as
-- text, in UPDATEs whose other arguments and index expressions read the
-- same document: the document is copied once and edited in place, the
-- statement's parse of a text document is reused, the result handed over
-- without a copy, and the index keys of the new row read it where it is.
-- Edits move containers across the 2- and 4-byte size fields.
CREATE TABLE j(id INTEGER PRIMARY KEY, x JSONB, t TEXT);
INSERT INTO j(id, x) WITH RECURSIVE c(n) AS (VALUES(1) UNION ALL SELECT n + 1 FROM c WHERE n < 6)
  SELECT n, jsonb_object('a', n, 'b', n * 10, 'big', (WITH RECURSIVE d(k) AS (VALUES(1) UNION ALL SELECT k + 1 FROM d WHERE k < 400 * n)
  SELECT jsonb_group_array(jsonb_object('k', k, 's', printf('%.*c', 20, 'q'))) FROM d), 'f', n + 100) FROM c;
UPDATE j SET t = json(x);
CREATE INDEX j_a ON j(x ->> 'a');
CREATE INDEX j_f ON j(x ->> 'f');
CREATE INDEX t_f ON j(t ->> 'f');
SELECT id, length(x), length(t), json_array_length(x, '$.big'), t ->> '$.big[#-1].k' FROM j ORDER BY id;
UPDATE j SET x = jsonb_insert(x, '$.g', (x ->> 'f') + 1, '$.h', 3.5, '$.i', 'hello', '$.j', json('{x:99}'), '$.k', '{y:98}');
UPDATE j SET x = jsonb_set(x, '$.a', (x ->> 'f') - 1, '$.big[0].s', 'first');
UPDATE j SET x = jsonb_remove(x, '$.b', '$.big[#-1]');
SELECT id, length(x), hex(substr(x, 1, 12)), x ->> 'a', x ->> 'g', x -> '$.j', x ->> '$.big[0].s', json_array_length(x, '$.big') FROM j ORDER BY id;
SELECT id FROM j WHERE x ->> 'a' > 102 ORDER BY id;
SELECT id, x ->> 'f' FROM j WHERE x ->> 'f' = 103;
UPDATE j SET t = json_insert(t, '$.g', (t ->> 'f') + 1);
UPDATE j SET t = json_set(t, '$.e', (t ->> 'f') - 1, '$.big[1].k', t ->> '$.big[2].k');
UPDATE j SET t = json_remove(t, '$.a', '$.big[#-2]');
UPDATE j SET t = json_replace(t, '$.f', json_array(t ->> 'f', length(t)));
SELECT id, length(t), substr(t, 1, 40), substr(t, -60), t ->> 'e', t -> 'f' FROM j ORDER BY id;
SELECT id FROM j WHERE t ->> 'f' IS NOT NULL ORDER BY id;
SELECT id, length(json_set(x, '$.big', json(t -> '$.big'))), length(jsonb_patch(x, '{"big":null,"z":[1,2]}')), hex(substr(jsonb_patch(x, '{"big":null}'), 1, 20)) FROM j ORDER BY id;
SELECT id, json_set(x, '$', 1), json_remove(x, '$'), jsonb_set(x, '$.big[#]', NULL) IS NULL, json_set(x, NULL, 1) FROM j WHERE id = 2;
UPDATE j SET x = jsonb_set(x, '$.big', jsonb_set(x -> '$.big', '$[#]', 'tail')) WHERE id = 1;
SELECT id, json_array_length(x, '$.big'), x ->> '$.big[#-1]', length(x) FROM j WHERE id = 1;
UPDATE j SET x = jsonb_set(x, '$.big[0]', x -> '$.big') WHERE id = 1;
SELECT id, length(x), hex(substr(x, 1, 16)), json_array_length(x, '$.big[0]') FROM j WHERE id = 1;
UPDATE j SET x = jsonb_remove(x, '$.big') WHERE id = 6;
SELECT id, hex(x), json(x) FROM j WHERE id = 6;
UPDATE j SET x = jsonb_set(x, '$.x', json('{x:0x10}')) WHERE id = 5;
SELECT id, x ->> '$.x.x', hex(substr(x, -12)) FROM j WHERE id = 5;
SELECT json_set(x, '$.q', x ->> 'a', '$.r', json_extract(x, '$.big[3]')) = json_set(json(x), '$.q', x ->> 'a', '$.r', json_extract(x, '$.big[3]')) FROM j ORDER BY id;
SELECT count(*) FROM j WHERE json_valid(x, 8) AND json_valid(t);
SELECT id, t ->> '$.big[#-1].k', t ->> '$.big[#-16].k', t ->> '$.big[#-17].k', x ->> '$.big[#-100].k', x -> '$.big[#]', x ->> '$.big[#-0]', json_type(x, '$.big[#-15]'), x ->> '$.big[#-401].k' FROM j ORDER BY id;
SELECT json_extract('[1,2,3]', '$[#-1]', '$[#-3]', '$[#-4]', '$[#]'), json_set('[1,2,3]', '$[#-1]', 9, '$[#]', 4), json_remove('[1,2,3]', '$[#-3]');
