-- 002_shifts: worker roles, shifts, assignments, schedule weeks, availability.
-- The checks of their values are functions/00_shifts.sql.

create domain worker_role as text
    constraint worker_role_check check (value = any (es_worker_roles()));

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
