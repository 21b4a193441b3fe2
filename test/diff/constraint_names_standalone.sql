-- CONSTRAINT name may follow a constraint or stand alone; the last name before a CHECK names it.
CREATE TABLE t2b(x INTEGER CHECK( typeof(coalesce(x,0))=='integer' ) CONSTRAINT one, y TEXT PRIMARY KEY constraint two, z INTEGER, UNIQUE(x,z) constraint three);
INSERT INTO t2b VALUES('xyzzy','hi',5);
INSERT INTO t2b VALUES(1,'hi',5);
INSERT INTO t2b VALUES(1,'ho',5);
CREATE TABLE t2c(x INTEGER CONSTRAINT x_one CONSTRAINT x_two CHECK( typeof(coalesce(x,0))=='integer' ) CONSTRAINT x_two CONSTRAINT x_three, y INTEGER, z INTEGER, CONSTRAINT u_one UNIQUE(x,y,z) CONSTRAINT u_two);
INSERT INTO t2c VALUES('xyzzy',7,8);
CREATE TABLE t2d(a, b, CONSTRAINT c1 CONSTRAINT c2 CHECK(a<b), CONSTRAINT lonely, CHECK(a>0) CONSTRAINT c3 CHECK(b<10));
INSERT INTO t2d VALUES(2,1);
INSERT INTO t2d VALUES(-1,1);
INSERT INTO t2d VALUES(1,20);
INSERT INTO t2d VALUES(1,2);
SELECT * FROM t2d;
CREATE TABLE t2e(a, CONSTRAINT x y);
CREATE TABLE t2f(a, CONSTRAINT);
SELECT name FROM sqlite_schema ORDER BY name;
