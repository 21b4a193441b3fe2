-- Every 'now' read within one step of a statement is the same moment, however
-- long the step runs (300000 reads here).
WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<300000)
SELECT max(julianday('now')) - min(julianday('now')), count(DISTINCT strftime('%f','now')) FROM c;
