-- 14_schedule_versions: what bumps the versions of schedule_versions
-- (../010_schedule_versions.sql), in the same transaction as any change
-- that alters the manager's week view. Triggers on the tables that view
-- reads call es_bump_week: per row for a week's shifts, assignments, week
-- row and availability; per statement for what all weeks share.

create or replace function es_bump_week(w date) returns void
    language sql
as $$
    insert into schedule_versions (week_start) values (w)
    on conflict (week_start) do update
        set version = schedule_versions.version + 1, bumped_by = pg_current_xact_id()
        where schedule_versions.bumped_by <> pg_current_xact_id()
$$;

create or replace function es_shifts_changed() returns trigger
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

create or replace trigger shifts_version after insert or update or delete on shifts
    for each row execute function es_shifts_changed();

create or replace function es_assignments_changed() returns trigger
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

create or replace trigger assignments_version after insert or update or delete on assignments
    for each row execute function es_assignments_changed();

create or replace function es_week_row_changed() returns trigger
    language plpgsql
as $$
begin
    perform es_bump_week(case when tg_op = 'DELETE' then old.week_start else new.week_start end);
    return null;
end
$$;

create or replace trigger schedule_weeks_version after insert or update or delete on schedule_weeks
    for each row execute function es_week_row_changed();
create or replace trigger availability_version after insert or update or delete on availability
    for each row execute function es_week_row_changed();

create or replace function es_everything_changed() returns trigger
    language plpgsql
as $$
begin
    perform es_bump_week('-infinity');
    return null;
end
$$;

-- Statement level: a bulk change bumps once. Logins (last_login_at) do not count.
create or replace trigger users_version after insert or delete or update of name, role, active, approved
    on users for each statement execute function es_everything_changed();
create or replace trigger jobs_version after update of name, venue_name, client_company_id
    on jobs for each statement execute function es_everything_changed();
create or replace trigger client_companies_version after update of name
    on client_companies for each statement execute function es_everything_changed();
create or replace trigger settings_version after update on settings
    for each statement execute function es_everything_changed();
