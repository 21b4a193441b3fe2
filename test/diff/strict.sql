-- STRICT tables: type checks after column affinity, SQLite's messages.
create table s(i INTEGER, r REAL, t TEXT, b BLOB, a ANY) strict; insert into s values ('12', 3, 5, x'00', '1'); select typeof(i), typeof(r), typeof(t), typeof(b), typeof(a) from s;
insert into s(i) values ('x');
create table s2(i INT) strict;
insert into s2 values (1.5);
create table s3(b BLOB) strict;
insert into s3 values (1);
update s set t = x'01';
create table s4(x) strict;
SELECT * FROM s;
CREATE TABLE s5(k INTEGER PRIMARY KEY, v TEXT NOT NULL) STRICT; INSERT INTO s5(v) VALUES ('a'), (1);
SELECT k, v, typeof(v) FROM s5;
