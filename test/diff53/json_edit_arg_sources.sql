-- jsonb_set() and jsonb() of large JSONB documents from every kind of
-- argument: a column read off its overflow pages (the call may take those
-- bytes over), a constant subquery kept for the run, a CTE, an aggregate, a
-- window function, a join's other table, a trigger's NEW and OLD rows, and
-- the same document twice in one call: each row's result must not depend
-- on what an earlier call did with its arguments.
CREATE TABLE d(id INTEGER PRIMARY KEY, j BLOB);
INSERT INTO d SELECT value, jsonb_object('id', value, 'pad', printf('%.*c', 6000 + value, 'p'), 'n', jsonb_array(value, value * 2)) FROM (WITH RECURSIVE c(value) AS (VALUES(1) UNION ALL SELECT value + 1 FROM c WHERE value < 5) SELECT value FROM c);
SELECT id, length(jsonb_set(j, '$.x', id)), jsonb_set(j, '$.x', id) ->> '$.x', length(jsonb(j)), jsonb(j) = j FROM d ORDER BY id;
SELECT id, length(jsonb_set((SELECT j FROM d WHERE id = 3), '$.x', id)), jsonb_set((SELECT j FROM d WHERE id = 3), '$.x', id) ->> '$.id' FROM d ORDER BY id;
SELECT id, jsonb((SELECT j FROM d WHERE id = 2)) ->> 'id', length(jsonb((SELECT j FROM d WHERE id = 2))) FROM d ORDER BY id;
WITH c AS (SELECT id, j FROM d) SELECT id, jsonb_set(j, '$.y', 1) ->> 'id', length(jsonb(j)) FROM c ORDER BY id;
SELECT length(jsonb_set(max(j), '$.z', 2)), jsonb_set(max(j), '$.z', 2) ->> 'id', jsonb(min(j)) ->> 'id' FROM d;
SELECT id, jsonb_set(first_value(j) OVER (ORDER BY id), '$.w', id) ->> '$.id', jsonb(last_value(j) OVER (ORDER BY id)) ->> 'id' FROM d ORDER BY id;
SELECT a.id, b.id, jsonb_set(b.j, '$.v', a.id) ->> '$.v', jsonb(b.j) ->> 'id' FROM d a, d b WHERE b.id IN (1, 4) ORDER BY a.id, b.id;
SELECT id, json_array_length(jsonb_set(j, '$.n[#]', jsonb(j) -> 'n'), '$.n'), jsonb_set(j, '$.q', j) -> '$.q.id' FROM d ORDER BY id;
CREATE TABLE log(id, before_len, after_id, doc_id);
CREATE TRIGGER tu AFTER UPDATE ON d BEGIN INSERT INTO log VALUES (NEW.id, length(jsonb(OLD.j)), jsonb_set(NEW.j, '$.t', 1) ->> 'id', jsonb(NEW.j) ->> '$.edited'); END;
UPDATE d SET j = jsonb_set(j, '$.edited', id * 10) WHERE id > 2;
SELECT * FROM log ORDER BY id;
SELECT id, j ->> '$.edited', length(j) FROM d ORDER BY id;
UPDATE d SET j = jsonb_remove(jsonb_set(j, '$.pad', 'short'), '$.edited');
SELECT id, hex(j) FROM d ORDER BY id;
