-- 00_shifts: worker roles, shift parts, weekdays, and the checks of the
-- JSON columns of shifts, schedule_weeks and availability.
--
-- Functions, views and triggers have one home each in this folder, which
-- holds only their current version.
--
-- `easyshifts migrate` applies every file here on every run, in name order,
-- in the one transaction of the numbered migrations (../NNN_name.sql):
--   * 0N_name.sql before the pending migrations: functions that read no
--     table, the ones the migrations' CHECK constraints, DEFAULTs, domains
--     and data changes call
--   * the others after them: functions and views that read tables (or name
--     a table's row type in their signature), trigger functions and their
--     triggers
--
-- Conventions for every file in this folder:
--   * create or replace (function, view, trigger), so a run replaces what
--     the one before made and a changed file takes effect on the next run
--   * a function comes after what its body names: SQL bodies and views are
--     checked when they are made, PL/pgSQL bodies when they run
--   * what create or replace cannot change needs a numbered migration that
--     drops the old object first, and this folder makes the new one after
--     it: a function's return type, parameter names or defaults (drop
--     function es_x(argument types)), a view's columns other than new ones
--     at the end (drop view), an object removed for good (drop it there).
--     cascade takes the functions and views built on it along: the files
--     here make them again
--   * a 0N function is replaced before any migration runs, so it cannot be
--     dropped and made again that way: give the new version a new name or
--     other argument types, point the constraints at it in a migration and
--     drop the old one there
--   * a numbered migration may call only 0N functions (the others do not
--     exist yet on a new database), and its data changes fire the triggers
--     of the previous run on an existing database, none on a new one

-- Worker roles, one list for the domain and the requirements check.
-- crew_chief, forklift_operator and truck_driver need the matching
-- certification (can_crew_chief, can_forklift, can_truck), checked by the API.
create or replace function es_worker_roles() returns text[]
    language sql immutable parallel safe
    return array['crew_chief', 'stagehand', 'forklift_operator', 'truck_driver', 'general'];

-- Shift parts by name. Their clock times live in settings.shift_parts.
create or replace function es_shift_parts() returns text[]
    language sql immutable parallel safe
    return array['morning', 'noon', 'evening'];

-- Weekday names as used by settings.week_start and week preferences,
-- in ISO order (monday = 1).
create or replace function es_weekdays() returns text[]
    language sql immutable parallel safe
    return array['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

-- True when v is a JSON number with no fractional part within lo..hi
-- ("5.0" is refused so that json-c reads every count as an integer).
create or replace function es_json_int_between(v jsonb, lo numeric, hi numeric) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(v) = 'number'
                then scale(v::numeric) = 0 and v::numeric between lo and hi
                else false end;

-- Shift requirements: {"stagehand":5,"crew_chief":1}, keys are worker roles,
-- counts are integers 0..500. CASE guards keep jsonb_each away from non-objects.
create or replace function es_valid_requirements(r jsonb) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(r) = 'object'
                then not exists (select 1
                                   from jsonb_each(r) as e (k, v)
                                  where not (k = any (es_worker_roles()))
                                     or not es_json_int_between(v, 0, 500))
                else false end;

-- Week preferences: {"closed_days": ["sunday"],
--                    "default_parts": {"monday": ["morning", "noon"]}}
-- both keys optional, days are weekday names, parts are shift part names.
create or replace function es_valid_week_preferences(p jsonb) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(p) is distinct from 'object' then false
                else not exists (select 1
                                   from jsonb_object_keys(p) as k
                                  where k not in ('closed_days', 'default_parts'))
                 and case when not p ? 'closed_days' then true
                          when jsonb_typeof(p -> 'closed_days') is distinct from 'array' then false
                          else not exists (select 1
                                             from jsonb_array_elements(p -> 'closed_days') as d
                                            where jsonb_typeof(d) is distinct from 'string'
                                               or not (d #>> '{}' = any (es_weekdays())))
                     end
                 and case when not p ? 'default_parts' then true
                          when jsonb_typeof(p -> 'default_parts') is distinct from 'object' then false
                          else not exists (
                              select 1
                                from jsonb_each(p -> 'default_parts') as dp (day, parts)
                               where not (day = any (es_weekdays()))
                                  or jsonb_typeof(parts) is distinct from 'array'
                                  or exists (select 1
                                               from jsonb_array_elements(
                                                        case when jsonb_typeof(parts) = 'array'
                                                             then parts else '[]' end) as pt
                                              where jsonb_typeof(pt) is distinct from 'string'
                                                 or not (pt #>> '{}' = any (es_shift_parts()))))
                     end
           end;

-- An ISO date string (YYYY-MM-DD) independent of DateStyle. to_char and the
-- date-to-text cast are only STABLE, so build it from extract.
create or replace function es_iso_date(d date) returns text
    language sql immutable parallel safe
    return lpad(extract(year from d)::text, 4, '0') || '-'
        || lpad(extract(month from d)::text, 2, '0') || '-'
        || lpad(extract(day from d)::text, 2, '0');

-- Availability entries: [{"date":"2024-06-03","part":"morning","state":"available"}]
-- exactly these three keys, date inside the week, part a shift part,
-- state available|unavailable|preferred, each (date, part) at most once.
create or replace function es_valid_availability(entries jsonb, week date) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(entries) is distinct from 'array' then false
                else not exists (
                         select 1
                           from jsonb_array_elements(entries) as e
                          where case when jsonb_typeof(e) is distinct from 'object' then true
                                     else (select count(*) from jsonb_object_keys(e)) <> 3
                                       or not e ?& array['date', 'part', 'state']
                                       or jsonb_typeof(e -> 'date') is distinct from 'string'
                                       or jsonb_typeof(e -> 'part') is distinct from 'string'
                                       or jsonb_typeof(e -> 'state') is distinct from 'string'
                                       or not (e ->> 'part' = any (es_shift_parts()))
                                       or e ->> 'state' not in ('available', 'unavailable', 'preferred')
                                       or e ->> 'date' not in (select es_iso_date(week + i)
                                                                 from generate_series(0, 6) as i)
                                end)
                 and (select count(*) = count(distinct (e ->> 'date', e ->> 'part'))
                        from jsonb_array_elements(entries) as e)
           end;
