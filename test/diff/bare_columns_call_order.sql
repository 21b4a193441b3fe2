-- Of several min() and max() calls the last to look at a row decides which
-- row the bare columns show, the calls taken in SQLite's order: a CASE's
-- WHEN and THEN terms before its ELSE, a LIKE's pattern before its string.
create table t(a integer, b integer, c text);
insert into t values(60,18,'x'),(9,91,'y'),(4,46,'z'),(30,7,'w');
select case when b < 0 then max(44) else min(a) end, b from t;
select case when b < 0 then min(a) else max(44) end, b from t;
select case min(a) when 4 then max(1) else 0 end, b from t;
select case when max(b) > 0 then 1 else min(a) end, b from t;
select max(c) like min(c), b from t;
select min(c) like max(c), b from t;
