-- The schema table's columns qualified by either of its names (sqlite_master,
-- sqlite_schema; sqlite_temp_master, sqlite_temp_schema in temp), "*" by its
-- legacy name only; a table-valued function's arguments read result aliases
-- and refuse aggregates as WHERE does (sqlite-utils' "indexes" query);
-- CREATE VIRTUAL TABLE names an existing table as written.
CREATE TABLE people(id INTEGER PRIMARY KEY, team TEXT);
CREATE INDEX idx_people_team ON people(team);
SELECT sqlite_master.name FROM sqlite_master ORDER BY 1;
SELECT sqlite_schema.name FROM sqlite_master ORDER BY 1;
SELECT sqlite_master.name FROM sqlite_schema ORDER BY 1;
SELECT main.sqlite_master.name FROM sqlite_master ORDER BY 1;
SELECT main.sqlite_schema.name FROM main.sqlite_master ORDER BY 1;
SELECT SQLITE_MASTER.type FROM Sqlite_Master ORDER BY 1;
SELECT sqlite_master.* FROM sqlite_master ORDER BY name;
SELECT sqlite_schema.* FROM sqlite_master;
SELECT sqlite_schema.name FROM sqlite_master AS x;
SELECT sqlite_temp_master.name FROM sqlite_master;
SELECT sqlite_temp_master.name FROM sqlite_temp_master;
SELECT sqlite_temp_schema.name FROM temp.sqlite_schema;
SELECT temp.sqlite_master.name FROM temp.sqlite_master;
SELECT sqlite_master.name FROM temp.sqlite_master;
SELECT sqlite_temp_master.* FROM sqlite_temp_master;
SELECT sqlite_temp_schema.* FROM sqlite_temp_schema;
SELECT sqlite_master.name, i.name FROM sqlite_master JOIN pragma_index_list(sqlite_master.name) i;
SELECT sqlite_master.name AS "table", indexes.name AS index_name, xinfo.* FROM sqlite_master JOIN pragma_index_list(sqlite_master.name) indexes JOIN pragma_index_xinfo(index_name) xinfo WHERE sqlite_master.type = 'table';
SELECT id + 1 AS x, value FROM people, json_each(json_array(x, 5)) ORDER BY 1, 2;
SELECT count(*) FROM people, json_each(json_array(count(*)));
SELECT count(*) AS c FROM people, json_each(json_array(c));
SELECT name FROM sqlite_master JOIN pragma_index_list(sqlite_master.name);
CREATE VIRTUAL TABLE [people] USING fts4(x);
CREATE VIRTUAL TABLE "people" USING fts4(x);
CREATE VIRTUAL TABLE main.[people] USING fts4(x);
INSERT INTO people VALUES (1, 'a'), (2, 'b');
SELECT id + 1 AS x, value FROM people, json_each(json_array(x, 5)) ORDER BY 1, 2;
