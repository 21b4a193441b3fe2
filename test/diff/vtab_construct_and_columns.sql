-- An fts4 table whose content table is itself (and names no column) is refused at
-- CREATE: its constructor would construct it again, without end.
-- pragma_table_info() of a virtual table not used yet shows the columns its module declares.
CREATE VIRTUAL TABLE x1 USING fts4(content=x1);
SELECT count(*) FROM sqlite_schema WHERE name = 'x1';
CREATE TABLE base(a, b);
CREATE VIRTUAL TABLE x2 USING fts4(content=base);
SELECT name FROM pragma_table_info('x2');
CREATE VIRTUAL TABLE x4 USING fts4(title, body);
SELECT name, type, hidden FROM pragma_table_xinfo('x4');
SELECT count(*) FROM pragma_table_info('x4');
