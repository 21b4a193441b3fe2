-- JSON functions that only read a document take a JSONB argument as it is
-- (no copy): lookups, types and lengths on JSONB values and on a JSONB
-- column, nested documents, and blobs that are not JSONB.
CREATE TABLE j(id INTEGER PRIMARY KEY, x JSONB);
INSERT INTO j VALUES(1, jsonb('{"a":1,"b":[1,2,{"c":"deep"}],"d":{"e":null,"f":2.5}}')), (2, jsonb('[10,20,30]')), (3, jsonb('"text"')), (4, x'00');
SELECT id, x->>'$.a', x->'$.b', x->>'$.b[2].c', x->'$.d', x ->> 1, json_type(x), json_type(x, '$.d.e') FROM j WHERE id < 4 ORDER BY id;
SELECT id, json_extract(x, '$.b[#-1].c', '$.d.f', '$[0]'), json_array_length(x), json_array_length(x, '$.b') FROM j WHERE id < 4 ORDER BY id;
SELECT json_extract(x, '$.a') FROM j WHERE id = 4;
SELECT x->>'$.a' FROM j WHERE id = 4;
SELECT json_extract(x'7b7d', '$'), json_type(x'5b5d'), jsonb(x->'$.b') = jsonb_extract(x, '$.b') FROM j WHERE id = 1;
SELECT json_extract(jsonb_object('k', jsonb_array(1, 2, 3)), '$.k[1]'), jsonb('{"z":[true,false]}') ->> '$.z[0]';
CREATE INDEX j_a ON j(x->>'$.a');
SELECT id FROM j WHERE x->>'$.a' = 1;
