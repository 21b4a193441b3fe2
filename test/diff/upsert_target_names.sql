-- The names of an ON CONFLICT target and its WHERE are resolved before the target is matched.
CREATE TABLE ut1(a INTEGER PRIMARY KEY, b, c);
CREATE UNIQUE INDEX uti ON ut1(b);
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(x) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(b+zz) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(ut1.b) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(q.b) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(rowid) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(c) DO NOTHING;
INSERT INTO ut1(a,b) VALUES(5,6) ON CONFLICT(b) WHERE zz DO NOTHING;
-- The DO UPDATE's SET values are resolved before its WHERE: a wrong name
-- in both is reported as the SET's.
create table un1(a integer primary key, b int, c default 0);
insert into un1 as un2(a,b) values(1,8) on conflict(a) do update set b=excluded.b, c=un1.c+1 where un1.b<excluded.b;
insert into un1 as un2(a,b) values(1,8) on conflict(a) do update set b=nosuch where alsonot;
