-- 010_schedule_versions: a version per schedule week, bumped in the same
-- transaction as any change that alters the manager's week view, so a
-- worker can keep the rendered view and check it with one primary-key read.
-- The '-infinity' row is the version of everything shared by all weeks
-- (names of people, jobs and clients; settings; who is an active employee).
-- The triggers that bump it are functions/14_schedule_versions.sql.
create table schedule_versions (
    week_start date primary key,
    version    bigint not null default 1,
    -- the transaction that last bumped it: one bump per transaction, so a
    -- bulk change does not pile up thousands of row versions in one row
    bumped_by  xid8 not null default pg_current_xact_id()
);

insert into schedule_versions (week_start) values ('-infinity');
