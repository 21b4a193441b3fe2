-- An upsert target that matches no PRIMARY KEY or UNIQUE constraint: with
-- several ON CONFLICT clauses the message names the clause by its ordinal,
-- with one it does not.
create table t(a, b unique, c, d unique);
insert into t values (1, 2, 3, 4) on conflict (c) do nothing;
insert into t values (1, 2, 3, 4) on conflict (c) do nothing on conflict do nothing;
insert into t values (1, 2, 3, 4) on conflict (b) do nothing on conflict (c) do nothing on conflict do nothing;
insert into t values (1, 2, 3, 4) on conflict (b) do nothing on conflict (d) do nothing on conflict (a) do update set c = 1;
insert into t values (1, 2, 3, 4) on conflict (b) do nothing on conflict (d) do nothing;
select * from t;
