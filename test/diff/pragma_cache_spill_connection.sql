-- PRAGMA cache_spill: ON/OFF is the connection's, for every database (attached later too); N sets one
-- database's spill size and turns spilling on for all.
PRAGMA cache_spill;
PRAGMA temp.cache_spill;
PRAGMA main.cache_spill = OFF;
PRAGMA cache_spill;
PRAGMA main.cache_spill;
PRAGMA temp.cache_spill;
ATTACH ':memory:' AS aux;
PRAGMA aux.cache_spill;
PRAGMA temp.cache_spill = 300;
PRAGMA temp.cache_spill;
PRAGMA main.cache_spill;
PRAGMA aux.cache_spill;
PRAGMA cache_spill = ON;
PRAGMA aux.cache_spill;
PRAGMA temp.cache_spill;
PRAGMA cache_spill = 0;
PRAGMA temp.cache_spill;
PRAGMA cache_spill = yes;
PRAGMA main.cache_spill;
