-- The variadic JSON functions take any number of arguments: with none, or
-- with the document alone, they answer NULL or the document; an even count
-- for the editing ones is a runtime error.
SELECT json_extract() IS NULL, json_set() IS NULL, json_insert() IS NULL, json_replace() IS NULL, json_remove() IS NULL;
SELECT typeof(json_extract()), typeof(json_remove());
SELECT json_extract('[1]'), json_set('[1]'), json_insert('{"a":1}'), json_replace('[2]'), json_remove('[3]');
SELECT json_extract(NULL), json_remove(NULL), json_set(NULL);
SELECT json_set('[1]', '$[0]');
SELECT json_insert('{}', '$.a', 1, '$.b');
CREATE TABLE t(j);
INSERT INTO t VALUES ('{"a":[1,2]}');
SELECT json_extract(j), json_remove(j), json_extract() FROM t;
