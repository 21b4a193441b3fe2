-- WINDOW begins a WINDOW clause only when a name and AS follow it: elsewhere
-- it is a name (a table, a column, an alias), also right before a real
-- WINDOW clause, and an alias it cannot be twice in a row.
CREATE TABLE window(window);
INSERT INTO window VALUES (1), (2), (3);
SELECT sum(window) OVER window window FROM window window window window AS (ORDER BY window);
SELECT sum(window) OVER window FROM window window window AS (ORDER BY window);
SELECT window FROM window window;
SELECT window.window FROM window window WINDOW w AS ();
SELECT x.window FROM window x window w AS ();
SELECT sum(window) OVER w window FROM window WINDOW w AS (ORDER BY window);
SELECT 1 window;
SELECT 1 FROM window WINDOW w;
SELECT LIKE('!', '', '!') "" window "";
SELECT count(*) OVER window FROM window WINDOW window AS ();
