-- JSON built by an aggregate window call's argument stays JSON (not quoted text) though the window's rows keep no subtype.
CREATE TABLE testjson(id INTEGER PRIMARY KEY, j TEXT, x TEXT);
INSERT INTO testjson VALUES(1, '{"a":1}', 'a'), (2, '{"b":2}', 'b'), (3, '{"c":3}', 'c'), (4, '{"d":4}', 'd');
SELECT json_group_array(json(j)) OVER (ORDER BY id) FROM testjson;
SELECT json_group_array(json(j)) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) FROM testjson;
SELECT json_group_object(x, json(j)) OVER (ORDER BY id ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM testjson;
SELECT json_group_array(j) OVER (ORDER BY id) FROM testjson;
SELECT json_group_array(json_object('k', id, 'v', json(j))) OVER (PARTITION BY id % 2 ORDER BY id) FROM testjson;
SELECT json_group_array(json_array(id, x)) FILTER (WHERE id > 1) OVER () FROM testjson;
SELECT json_group_array(j -> '$') OVER (ORDER BY id) FROM testjson;
SELECT json_group_array(json_quote(x)) OVER (ORDER BY id) FROM testjson;
SELECT json_group_array(CASE WHEN id > 2 THEN json(j) ELSE NULL END) OVER (ORDER BY id) FROM testjson;
SELECT id, json_group_array(json(j)) OVER (ORDER BY id RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM testjson;
