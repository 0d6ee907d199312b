-- 003_time: time entries (one per assignment) and their clock pairs.
--
-- A time_entries row is created on the first clock-in, absence or edit.
-- No row means status not_started. Sheet state for /timesheets:
--   draft     submitted_at is null
--   submitted submitted_at set, approved_at and rejected_at null
--   approved  approved_at set (frozen: the API refuses further edits)
--   rejected  rejected_at set, the API clears submitted_* on reject and
--             rejected_* on the next submit, so a rejected sheet is a draft again

create table time_entries (
    id               bigint generated always as identity primary key,
    -- RESTRICT: payroll history never vanishes with an unassignment or a
    -- deleted shift. The API answers 409 first, this is the backstop.
    assignment_id    bigint not null references assignments (id) on delete restrict,
    status           text not null default 'not_started',
    notes            text,
    submitted_at     timestamptz,
    submitted_by     bigint references users (id) on delete set null,
    approved_at      timestamptz,
    approved_by      bigint references users (id) on delete set null,
    rejected_at      timestamptz,
    rejected_by      bigint references users (id) on delete set null,
    rejection_reason text,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    constraint time_entries_assignment_key unique (assignment_id),
    constraint time_entries_status_check
        check (status in ('not_started', 'clocked_in', 'clocked_out', 'absent')),
    constraint time_entries_notes_check check (char_length(notes) <= 2000),
    constraint time_entries_rejection_reason_check check (char_length(rejection_reason) <= 2000),
    constraint time_entries_approved_rejected_check
        check (approved_at is null or rejected_at is null),
    -- the *_by columns may become NULL when a user is deleted, never the reverse
    constraint time_entries_submitted_by_check check (submitted_by is null or submitted_at is not null),
    constraint time_entries_approved_by_check  check (approved_by is null or approved_at is not null),
    constraint time_entries_rejected_by_check
        check (rejected_at is not null or (rejected_by is null and rejection_reason is null))
);

-- Filters on /timesheets?status=...
create index time_entries_submitted_at_idx on time_entries (submitted_at) where submitted_at is not null;
create index time_entries_approved_at_idx on time_entries (approved_at) where approved_at is not null;

-- Clock-in/clock-out pairs. ordinal runs 1..n in time order. The limit of
-- 10 is the ceiling of settings.max_clock_pairs, which the API enforces.
-- Pairs of one entry must not overlap: checked by the API, because an
-- exclusion constraint would need the btree_gist extension.
create table time_entry_pairs (
    -- CASCADE: pairs are part of their entry and are rewritten with it
    time_entry_id bigint not null references time_entries (id) on delete cascade,
    ordinal       smallint not null,
    clock_in      timestamptz not null,
    clock_out     timestamptz,
    primary key (time_entry_id, ordinal),
    constraint time_entry_pairs_ordinal_check check (ordinal between 1 and 10),
    constraint time_entry_pairs_clock_check check (clock_out > clock_in)
);

-- At most one open pair (clocked in, not yet out) per entry.
create unique index time_entry_pairs_one_open_key
    on time_entry_pairs (time_entry_id) where clock_out is null;

-- Worked time per entry from closed pairs. Overtime depends on settings
-- and on the worker's other entries of the day and week, so the API
-- computes it from these totals.
create view time_entry_totals as
select te.id as time_entry_id,
       te.assignment_id,
       coalesce(sum(p.clock_out - p.clock_in), interval '0') as worked,
       coalesce(extract(epoch from sum(p.clock_out - p.clock_in)), 0)::bigint as worked_seconds,
       min(p.clock_in) as first_in,
       max(p.clock_out) as last_out,
       bool_or(p.clock_out is null and p.clock_in is not null) is true as open_pair
  from time_entries as te
  left join time_entry_pairs as p on p.time_entry_id = te.id
 group by te.id, te.assignment_id;
