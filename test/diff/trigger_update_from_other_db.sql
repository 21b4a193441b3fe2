-- A trigger's UPDATE ... FROM may name only its own database's objects (a TEMP trigger any).
ATTACH ':memory:' AS aux;
CREATE TABLE t1(a, b);
CREATE TABLE aux.t3(x, y);
INSERT INTO aux.t3 VALUES('x', 'y');
CREATE TRIGGER tr2 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = y FROM aux.t3 WHERE a=new.a; END;
CREATE TRIGGER tr2 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = y FROM (SELECT * FROM aux.t3) WHERE a=new.a; END;
CREATE TRIGGER tr2 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = y FROM main.t1 AS o JOIN aux.t3 ON 1 WHERE t1.a=new.a; END;
CREATE TRIGGER tr2 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = value FROM json_each((SELECT y FROM aux.t3)) WHERE a=new.a; END;
CREATE TRIGGER tr3 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = o.a FROM main.t1 AS o WHERE t1.a=new.a; END;
CREATE TEMP TRIGGER tr4 AFTER INSERT ON t1 BEGIN UPDATE t1 SET b = y FROM aux.t3 WHERE a=new.a; END;
INSERT INTO t1(a) VALUES(10);
SELECT * FROM t1;
SELECT name FROM sqlite_master WHERE type='trigger';
