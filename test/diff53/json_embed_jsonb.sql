-- JSONB values embedded in json_array(), json_object(), the group
-- aggregates and json_quote(): canonical JSONB goes in as it is, anything
-- else as the parse of its rendering (JSON5 numbers and strings rewritten,
-- strings stored raw by edits, headers wider than needed), and JSONB that
-- does not read back is an error.
SELECT hex(jsonb_array(jsonb('[1,-2.5e3,"a\nb",{"k":null}]'))), json_array(jsonb('[1,-2.5e3,"a\nb",{"k":null}]'));
SELECT hex(jsonb_object('a', jsonb('{x:0x1F,y:.5,z:5.,w:+1,v:''q''}'))), json_object('a', jsonb('{x:0x1F,y:.5,z:5.,w:+1,v:''q''}'));
SELECT hex(jsonb_array(jsonb_set('{}', '$.t', 'raw "text"'))), json_array(jsonb_set('{}', '$.t', 'raw "text"'));
SELECT hex(jsonb_array(jsonb_set('[1]', '$[0]', 'plain'))), hex(jsonb_set('[1]', '$[0]', 'plain'));
SELECT hex(jsonb_array(x'c70161')), hex(jsonb_array(x'2c1761')), hex(jsonb_array(x'2b1331'));
SELECT hex(jsonb_array(x'3861625c')), json_array(x'385c6e61'), hex(jsonb_array(x'385c6e61'));
SELECT json_array(x'23303031');
SELECT json_array(x'2c1331');
SELECT json_object('k', x'1c1761');
SELECT hex(jsonb_array(x'1000')), hex(jsonb_array(x'1300'));
SELECT json_valid(x'38616263', 4), json_valid(x'385c', 4), json_valid(x'3861625c', 4), json_valid(x'3a61625c', 4), json_valid(x'3961625c', 4), json_valid(x'23303031', 4), json_valid(x'2c1331', 4), json_valid(x'3b133113', 4);
SELECT json_valid(x'7b13311332133313341335', 4), json_valid(x'5b1331', 4), json_valid(x'5b1331133213', 4), json_valid(x'8b1331133213331334', 4);
SELECT json(x'3861625c');
SELECT json_extract(x'23303031', '$'), json_type(x'3861625c'), json_array_length(x'5b1331133213');
SELECT hex(jsonb_group_array(v)), json_group_array(v) FROM (WITH RECURSIVE c(value) AS (VALUES(1) UNION ALL SELECT value + 1 FROM c WHERE value < 5) SELECT jsonb('[' || value || ',"s"]') AS v FROM c);
SELECT hex(jsonb_group_object('k' || value, jsonb('{a:' || value || '}'))) FROM (WITH RECURSIVE c(value) AS (VALUES(1) UNION ALL SELECT value + 1 FROM c WHERE value < 3) SELECT value FROM c);
SELECT json_quote(jsonb('[1,{"a":"\u00e9"}]')), json_quote(jsonb('{a:.5}'));
SELECT length(jsonb_array(jsonb(json_group_array(json_object('i', value, 's', printf('%.*c', 300, 'x')))))) FROM (WITH RECURSIVE c(value) AS (VALUES(1) UNION ALL SELECT value + 1 FROM c WHERE value < 200) SELECT value FROM c);
SELECT hex(jsonb_array(jsonb('"\u0041\t\/"'), jsonb('[[[[[]]]]]'), jsonb('{"":{}}'), jsonb('-0'), jsonb('1E+5')));
CREATE TABLE d(j BLOB);
INSERT INTO d VALUES (jsonb('{"n":[1,2,3],"s":"x\"y"}')), (jsonb('[Infinity,-Infinity,NaN]')), (jsonb('{"a":1}'));
SELECT hex(jsonb_object('doc', j, 'again', j)), json_object('doc', j) FROM d;
SELECT json(j), hex(jsonb(j)), json_array(json(j)) FROM d;
SELECT json(x'c70161'), hex(jsonb(x'c70161'));
