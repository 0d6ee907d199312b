-- 010_schedule_versions: a version per schedule week, bumped in the same
-- transaction as any change that alters the manager's week view, so a
-- worker can keep the rendered view and check it with one primary-key read.
-- The '-infinity' row is the version of everything shared by all weeks
-- (names of people, jobs and clients; settings; who is an active employee).
create table schedule_versions (
    week_start date primary key,
    version    bigint not null default 1,
    -- the transaction that last bumped it: one bump per transaction, so a
    -- bulk change does not pile up thousands of row versions in one row
    bumped_by  xid8 not null default pg_current_xact_id()
);

insert into schedule_versions (week_start) values ('-infinity');

create function es_bump_week(w date) returns void
    language sql
as $$
    insert into schedule_versions (week_start) values (w)
    on conflict (week_start) do update
        set version = schedule_versions.version + 1, bumped_by = pg_current_xact_id()
        where schedule_versions.bumped_by <> pg_current_xact_id()
$$;

create function es_shifts_changed() returns trigger
    language plpgsql
as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform es_bump_week(es_week_of(old.starts_at));
    end if;
    if tg_op in ('UPDATE', 'INSERT') and (tg_op = 'INSERT' or new.starts_at is distinct from old.starts_at
                                          or es_week_of(new.starts_at) is distinct from es_week_of(old.starts_at)) then
        perform es_bump_week(es_week_of(new.starts_at));
    end if;
    return null;
end
$$;

create trigger shifts_version after insert or update or delete on shifts
    for each row execute function es_shifts_changed();

create function es_assignments_changed() returns trigger
    language plpgsql
as $$
declare
    t timestamptz;
begin
    select starts_at into t from shifts where id = coalesce(new.shift_id, old.shift_id);
    if found then
        perform es_bump_week(es_week_of(t));
    end if;
    return null;
end
$$;

create trigger assignments_version after insert or update or delete on assignments
    for each row execute function es_assignments_changed();

create function es_week_row_changed() returns trigger
    language plpgsql
as $$
begin
    perform es_bump_week(case when tg_op = 'DELETE' then old.week_start else new.week_start end);
    return null;
end
$$;

create trigger schedule_weeks_version after insert or update or delete on schedule_weeks
    for each row execute function es_week_row_changed();
create trigger availability_version after insert or update or delete on availability
    for each row execute function es_week_row_changed();

create function es_everything_changed() returns trigger
    language plpgsql
as $$
begin
    perform es_bump_week('-infinity');
    return null;
end
$$;

-- Statement level: a bulk change bumps once. Logins (last_login_at) do not count.
create trigger users_version after insert or delete or update of name, role, active, approved
    on users for each statement execute function es_everything_changed();
create trigger jobs_version after update of name, venue_name, client_company_id
    on jobs for each statement execute function es_everything_changed();
create trigger client_companies_version after update of name
    on client_companies for each statement execute function es_everything_changed();
create trigger settings_version after update on settings
    for each statement execute function es_everything_changed();
