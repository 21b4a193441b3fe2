-- PRAGMA full_column_names / short_column_names decide a statement's result
-- column names (without AS), and statements prepared before a change follow it.
.headers on
CREATE TABLE tn1(f1, f2); INSERT INTO tn1 VALUES(11, 22);
CREATE TABLE tn2(t1); INSERT INTO tn2 VALUES('abc');
SELECT f1, tn1.f2, f1 + 1, f1 AS x FROM tn1;
PRAGMA full_column_names = ON;
SELECT f1, tn1.f2, f1 + 1, f1 AS x FROM tn1;
SELECT a.f1 FROM tn1 a;
SELECT * FROM tn1;
SELECT * FROM tn1 a, tn2 b;
PRAGMA short_column_names = OFF;
SELECT f1, tn1 . f2, f1 + 1 FROM tn1;
SELECT * FROM tn1 a, tn2 b;
SELECT * FROM tn1 a, (SELECT 5 AS x) b;
PRAGMA full_column_names = OFF;
SELECT f1, tn1 . f2, a . f1 FROM tn1 a JOIN tn1 USING(f1);
SELECT * FROM tn1 a, tn2 b;
PRAGMA short_column_names = ON;
SELECT f1, tn1 . f2 FROM tn1;
