-- An in-memory database has no journal file: journal_mode answers "memory"
-- whatever is asked for; temp_store reads back what was set.
pragma journal_mode;
pragma main.journal_mode;
pragma journal_mode = wal;
pragma journal_mode = delete;
pragma journal_mode = off;
pragma journal_mode;
select * from pragma_journal_mode;
pragma temp.journal_mode;
pragma temp_store;
pragma temp_store = memory;
pragma temp_store;
pragma temp_store = 1;
pragma temp_store;
pragma temp_store = file;
pragma temp_store;
pragma temp_store = default;
pragma temp_store;
pragma temp_store = 3;
pragma temp_store;
select * from pragma_temp_store;
create temp table x(a);
insert into x values(1);
select * from x;
pragma temp.journal_mode;
