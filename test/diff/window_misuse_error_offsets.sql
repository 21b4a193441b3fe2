-- Where errors about misused window and aggregate calls and too-big hex literals point (the shell shows
-- sqlite3_error_offset under the statement): at the call or literal the message names.
CREATE TABLE p(name, price);
SELECT max(abs(sum(price))), sum(price) FROM p;
SELECT sum(sum(price) OVER (PARTITION BY name)) OVER (PARTITION BY price) FROM p;
SELECT lower(name) OVER (PARTITION BY price) FROM p;
SELECT nosuch_fn(name) OVER () FROM p;
SELECT abs(1,2) OVER () FROM p;
SELECT max(price) OVER (PARTITION BY count(*) OVER()) FROM p;
SELECT 1, -0x1FFFFFFFFFFFFFFFF;
SELECT 0x1FFFFFFFFFFFFFFFF;
