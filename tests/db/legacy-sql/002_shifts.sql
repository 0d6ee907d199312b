-- 002_shifts: worker roles, shifts, assignments, schedule weeks, availability.

-- Worker roles, one list for the domain and the requirements check.
-- crew_chief, forklift_operator and truck_driver need the matching
-- certification (can_crew_chief, can_forklift, can_truck), checked by the API.
create function es_worker_roles() returns text[]
    language sql immutable parallel safe
    return array['crew_chief', 'stagehand', 'forklift_operator', 'truck_driver', 'general'];

create domain worker_role as text
    constraint worker_role_check check (value = any (es_worker_roles()));

-- Shift parts by name. Their clock times live in settings.shift_parts.
create function es_shift_parts() returns text[]
    language sql immutable parallel safe
    return array['morning', 'noon', 'evening'];

-- Weekday names as used by settings.week_start and week preferences,
-- in ISO order (monday = 1).
create function es_weekdays() returns text[]
    language sql immutable parallel safe
    return array['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

-- The first day of the week containing d, for a week starting on
-- first_day ('monday' .. 'sunday'). NULL for an unknown day name.
create function es_week_start(d date, first_day text) returns date
    language sql immutable parallel safe
    return d - ((extract(isodow from d)::int - array_position(es_weekdays(), first_day) + 7) % 7);

-- True when v is a JSON number with no fractional part within lo..hi
-- ("5.0" is refused so that json-c reads every count as an integer).
create function es_json_int_between(v jsonb, lo numeric, hi numeric) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(v) = 'number'
                then scale(v::numeric) = 0 and v::numeric between lo and hi
                else false end;

-- Shift requirements: {"stagehand":5,"crew_chief":1}, keys are worker roles,
-- counts are integers 0..500. CASE guards keep jsonb_each away from non-objects.
create function es_valid_requirements(r jsonb) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(r) = 'object'
                then not exists (select 1
                                   from jsonb_each(r) as e (k, v)
                                  where not (k = any (es_worker_roles()))
                                     or not es_json_int_between(v, 0, 500))
                else false end;

create table shifts (
    id                   bigint generated always as identity primary key,
    -- RESTRICT: a job with shifts keeps its history, deactivate it instead
    job_id               bigint not null references jobs (id) on delete restrict,
    starts_at            timestamptz not null,
    ends_at              timestamptz not null,
    required             jsonb not null default '{}',
    client_po_number     text,
    description          text,
    special_instructions text,
    created_by           bigint references users (id) on delete set null,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    constraint shifts_time_check check (ends_at > starts_at),
    constraint shifts_required_check check (es_valid_requirements(required)),
    constraint shifts_client_po_number_check     check (char_length(client_po_number) <= 100),
    constraint shifts_description_check          check (char_length(description) <= 4000),
    constraint shifts_special_instructions_check check (char_length(special_instructions) <= 4000)
);

create index shifts_starts_at_idx on shifts (starts_at);
create index shifts_job_id_starts_at_idx on shifts (job_id, starts_at);
-- Overlap queries: tstzrange(starts_at, ends_at) && tstzrange($1, $2).
-- The default '[)' bounds mean shifts that touch end-to-start do not overlap.
create index shifts_period_idx on shifts using gist (tstzrange(starts_at, ends_at));

create table assignments (
    id         bigint generated always as identity primary key,
    -- CASCADE: an assignment means nothing without its shift. Safe because
    -- time_entries references assignments ON DELETE RESTRICT, so deleting a
    -- shift that has recorded time fails (23503) instead of losing payroll.
    shift_id   bigint not null references shifts (id) on delete cascade,
    -- RESTRICT: people who worked shifts are deactivated, not deleted
    user_id    bigint not null references users (id) on delete restrict,
    role       worker_role not null,
    created_by bigint references users (id) on delete set null,
    created_at timestamptz not null default now(),
    -- one user may hold several roles on a shift, each only once
    constraint assignments_shift_user_role_key unique (shift_id, user_id, role)
);

-- A worker's shifts (overlap and rest checks, /me/shifts).
create index assignments_user_id_shift_id_idx on assignments (user_id, shift_id);

-- Week preferences: {"closed_days": ["sunday"],
--                    "default_parts": {"monday": ["morning", "noon"]}}
-- both keys optional, days are weekday names, parts are shift part names.
create function es_valid_week_preferences(p jsonb) returns boolean
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

-- A row exists once a manager publishes the week, opens the request
-- window or sets preferences. week_start is the first day of the week per
-- settings.week_start at the time the row was made (see es_week_start).
create table schedule_weeks (
    week_start        date primary key,
    published         boolean not null default false,
    published_at      timestamptz,
    published_by      bigint references users (id) on delete set null,
    request_opens_at  timestamptz,
    request_closes_at timestamptz,
    preferences       jsonb not null default '{}',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    constraint schedule_weeks_published_check
        check (not published or published_at is not null),
    constraint schedule_weeks_request_window_check
        check (request_closes_at > request_opens_at),
    constraint schedule_weeks_preferences_check
        check (es_valid_week_preferences(preferences))
);

-- An ISO date string (YYYY-MM-DD) independent of DateStyle. to_char and the
-- date-to-text cast are only STABLE, so build it from extract.
create function es_iso_date(d date) returns text
    language sql immutable parallel safe
    return lpad(extract(year from d)::text, 4, '0') || '-'
        || lpad(extract(month from d)::text, 2, '0') || '-'
        || lpad(extract(day from d)::text, 2, '0');

-- Availability entries: [{"date":"2024-06-03","part":"morning","state":"available"}]
-- exactly these three keys, date inside the week, part a shift part,
-- state available|unavailable|preferred, each (date, part) at most once.
create function es_valid_availability(entries jsonb, week date) returns boolean
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

-- Submitted availability per employee per week. The API accepts it only
-- while the week's request window is open, so the week row exists.
create table availability (
    user_id      bigint not null references users (id) on delete cascade,
    -- RESTRICT: weeks are not deleted, and never from under submitted data
    week_start   date not null references schedule_weeks (week_start) on delete restrict,
    entries      jsonb not null default '[]',
    note         text,
    submitted_at timestamptz not null default now(),
    primary key (user_id, week_start),
    constraint availability_entries_check check (es_valid_availability(entries, week_start)),
    constraint availability_note_check check (char_length(note) <= 2000)
);

-- Managers read a whole week at once.
create index availability_week_start_idx on availability (week_start);
