-- PRAGMA synchronous cannot be set inside a transaction (reading it can).
PRAGMA synchronous;
BEGIN;
PRAGMA synchronous = OFF;
PRAGMA synchronous;
COMMIT;
PRAGMA synchronous;
PRAGMA synchronous = OFF;
PRAGMA synchronous;
