-- 009_time: what the time sheets compute. The clock window setting, the
-- sheet state of an entry, worked minutes and overtime, and the JSON of an
-- entry, shared by /shifts/{id}/timesheet and /timesheets.
--
-- Hours, exactly (integer minutes, never floating point):
--   * an entry's worked minutes are the seconds of its closed pairs, summed,
--     then rounded once to the nearest minute, a half minute rounding up:
--     floor((seconds + 30) / 60). An open pair counts nothing yet.
--   * a day is the workplace-local date (settings.time_zone) of the shift's
--     start: a shift across midnight counts whole on the day it started.
--     A week is the schedule week (settings.week_start) of the shift's start.
--   * only submitted and approved entries count towards a worker's day and
--     week, in chronological order (shift start, then assignment id). A
--     draft shows what it would get if it were submitted now: the counted
--     minutes before it plus its own.
--   * daily tiers split each entry's minutes on the day's running total:
--     with 8 h at 1.5 and 12 h at 2.0, the minutes past 480 of the day are
--     1.5x up to 720 and 2.0x beyond.
--   * weekly tiers split the minutes left regular by the daily tiers, on the
--     week's running total of those, so no minute is overtime twice.
--   * thresholds are whole minutes (the API accepts after_hours only when
--     after_hours x 60 is whole).

-- The clock window: clock times lie within clock_window_hours (0..72,
-- default 12) of the shift's start and end. A new settings key, added the
-- way 005 describes.
alter table settings drop constraint settings_doc_check;

-- The hours an entry was approved with, frozen at approval (see es_time_hours).
alter table time_entries add column approved_hours jsonb;

create or replace function es_settings_defaults() returns jsonb
    language sql immutable parallel safe
    return '{
        "time_zone": "UTC",
        "week_start": "monday",
        "shift_parts": {
            "morning": {"start": "08:00", "end": "12:00"},
            "noon":    {"start": "12:00", "end": "17:00"},
            "evening": {"start": "17:00", "end": "22:00"}
        },
        "max_clock_pairs": 3,
        "min_rest_hours": 8,
        "allow_overlapping_shifts": false,
        "clock_window_hours": 12,
        "overtime": {
            "daily":  [{"after_hours": 8, "multiplier": 1.5},
                       {"after_hours": 12, "multiplier": 2.0}],
            "weekly": [{"after_hours": 40, "multiplier": 1.5}]
        },
        "session_timeout_minutes": 480,
        "session_lifetime_days": 7,
        "signup_enabled": true,
        "google_signup_enabled": false,
        "google_link_by_email": false,
        "google_hosted_domain": null
    }'::jsonb;

create or replace function es_valid_settings(d jsonb) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(d) is distinct from 'object' then false
                when (select array_agg(k order by k) from jsonb_object_keys(d) as k)
                     is distinct from
                     (select array_agg(k order by k) from jsonb_object_keys(es_settings_defaults()) as k)
                then false
                else jsonb_typeof(d -> 'time_zone') = 'string'
                 and d ->> 'time_zone' ~ '^[A-Za-z][A-Za-z0-9_+/-]{0,63}$'
                 and jsonb_typeof(d -> 'week_start') = 'string'
                 and d ->> 'week_start' = any (es_weekdays())
                 and es_json_has_exactly(d -> 'shift_parts', es_shift_parts())
                 and es_valid_shift_part(d #> '{shift_parts,morning}')
                 and es_valid_shift_part(d #> '{shift_parts,noon}')
                 and es_valid_shift_part(d #> '{shift_parts,evening}')
                 and es_json_int_between(d -> 'max_clock_pairs', 1, 10)
                 and es_json_int_between(d -> 'min_rest_hours', 0, 48)
                 and jsonb_typeof(d -> 'allow_overlapping_shifts') = 'boolean'
                 and es_json_int_between(d -> 'clock_window_hours', 0, 72)
                 and es_json_has_exactly(d -> 'overtime', array['daily', 'weekly'])
                 and es_valid_overtime_tiers(d #> '{overtime,daily}', 24)
                 and es_valid_overtime_tiers(d #> '{overtime,weekly}', 168)
                 and es_json_int_between(d -> 'session_timeout_minutes', 5, 10080)
                 and es_json_int_between(d -> 'session_lifetime_days', 1, 90)
                 and jsonb_typeof(d -> 'signup_enabled') = 'boolean'
                 and jsonb_typeof(d -> 'google_signup_enabled') = 'boolean'
                 and jsonb_typeof(d -> 'google_link_by_email') = 'boolean'
                 and case jsonb_typeof(d -> 'google_hosted_domain')
                          when 'null' then true
                          when 'string' then char_length(d ->> 'google_hosted_domain') <= 253
                               and d ->> 'google_hosted_domain'
                                   ~ '^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$'
                          else false end
           end;

update settings set doc = es_settings_defaults() || doc where id = 1;

alter table settings add constraint settings_doc_check check (es_valid_settings(doc));

-- Where a shift's clock times may lie: the shift widened on both sides by
-- settings.clock_window_hours. NULL for an unknown shift.
create function es_clock_window(p_shift bigint) returns tstzrange
    language sql stable
    return (select tstzrange(s.starts_at - make_interval(hours => c.w),
                             s.ends_at + make_interval(hours => c.w), '[]')
              from shifts s,
                   (select coalesce((doc ->> 'clock_window_hours')::int, 12) as w
                      from settings where id = 1) c
             where s.id = p_shift);

-- The sheet state of an entry: draft, submitted or approved (see 003).
create function es_entry_state(submitted_at timestamptz, approved_at timestamptz) returns text
    language sql immutable parallel safe
    return case when approved_at is not null then 'approved'
                when submitted_at is not null then 'submitted'
                else 'draft' end;

-- Instant t as RFC 3339 in the workplace time zone, to the second
-- ("2026-03-07T22:00:00-05:00", "Z" at offset zero). For the CSV export.
create function es_local_rfc3339(t timestamptz) returns text
    language sql stable parallel safe
    return (select to_char(l, 'YYYY-MM-DD"T"HH24:MI:SS')
                || case when o = 0 then 'Z'
                        else case when o < 0 then '-' else '+' end
                             || lpad((abs(o) / 3600)::text, 2, '0') || ':'
                             || lpad((abs(o) % 3600 / 60)::text, 2, '0') end
              from (select t at time zone es_time_zone() as l) x,
                   lateral (select extract(epoch from x.l - (t at time zone 'UTC'))::int as o) y);

-- An overtime tier's threshold in minutes.
create function es_tier_start(tier jsonb) returns bigint
    language sql immutable parallel safe
    return round((tier ->> 'after_hours')::numeric * 60)::bigint;

-- Of the minutes [b, b + m) of a running total, those below the threshold
-- `first` (minutes; NULL: no tiers, all of them).
create function es_regular_minutes(b bigint, m bigint, first bigint) returns bigint
    language sql immutable parallel safe
    return greatest(0, least(b + m, coalesce(first, b + m)) - b);

-- Of the minutes [b, b + m) of a running total, those in each tier:
-- [{"period", "after_hours", "multiplier", "minutes"}], one per tier.
-- (PL/pgSQL: planned once per connection, not once per calling query.)
create function es_overtime_tiers(b bigint, m bigint, tiers jsonb, period text) returns jsonb
    language plpgsql immutable parallel safe
as $$
begin
    return (select coalesce(jsonb_agg(jsonb_build_object(
                       'period', period,
                       'after_hours', t.tier -> 'after_hours',
                       'multiplier', t.tier -> 'multiplier',
                       'minutes', greatest(0, least(b + m, coalesce(t.next_start, b + m))
                                              - greatest(b, es_tier_start(t.tier))))
                       order by t.i), '[]')
              from (select x.tier, x.i, es_tier_start(lead(x.tier) over (order by x.i)) as next_start
                      from jsonb_array_elements(tiers) with ordinality as x (tier, i)) t);
end
$$;

-- Worked minutes and overtime of the entries of the given assignments
-- (zero for an assignment without time). The running totals need each
-- worker's other entries of the same weeks: that context is computed with
-- plain arithmetic, the tier lists only for the assignments asked for.
-- PL/pgSQL with a generic plan: each connection plans the query once
-- (a SQL function would be planned again by every query that calls it).
create function es_time_hours(p_assignments bigint[])
    returns table (assignment_id bigint, total_minutes bigint, regular_minutes bigint,
                   overtime_minutes bigint, overtime jsonb)
    language plpgsql stable rows 20
    set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    with cfg as (select coalesce(doc ->> 'time_zone', 'UTC') as tz,
                        coalesce(doc ->> 'week_start', 'monday') as week_start,
                        coalesce(doc #> '{overtime,daily}', '[]') as daily,
                        coalesce(doc #> '{overtime,weekly}', '[]') as weekly,
                        es_tier_start(doc #> '{overtime,daily,0}') as daily_first,
                        es_tier_start(doc #> '{overtime,weekly,0}') as weekly_first
                   from settings where id = 1),
         spans as (select distinct a.user_id,
                          es_week_start((s.starts_at at time zone cfg.tz)::date, cfg.week_start) as week
                     from assignments a join shifts s on s.id = a.shift_id, cfg
                    where a.id = any (p_assignments)),
         -- the workers' entries near those weeks, found through each worker's assignments
         near as materialized (
                 select a.id, a.user_id, s.starts_at, w.week, te.id as entry_id,
                        (s.starts_at at time zone cfg.tz)::date as day,
                        te.submitted_at is not null or te.approved_at is not null as counted
                   from spans w
                   cross join cfg
                   join assignments a on a.user_id = w.user_id
                   join shifts s on s.id = a.shift_id
                   join time_entries te on te.assignment_id = a.id
                  where s.starts_at > w.week - 2 and s.starts_at < w.week + 9),
         -- those of the same weeks, with their minutes: the closed pairs' seconds, rounded
         -- once, half up
         ctx as (select n.id, n.user_id, n.starts_at, n.week, n.day, n.counted,
                        coalesce(floor((extract(epoch from p.worked) + 30) / 60), 0)::bigint as minutes
                   from near n
                   cross join cfg
                   cross join lateral (select sum(clock_out - clock_in) as worked
                                         from time_entry_pairs
                                        where time_entry_id = n.entry_id and clock_out is not null) p
                  where es_week_start(n.day, cfg.week_start) = n.week),
         by_day as (select c.*,
                           coalesce(sum(case when c.counted then c.minutes end)
                                        over (partition by c.user_id, c.day order by c.starts_at, c.id
                                              rows between unbounded preceding and 1 preceding), 0)::bigint
                               as day_before
                      from ctx c),
         daily as (select d.*, es_regular_minutes(d.day_before, d.minutes, cfg.daily_first) as day_regular
                     from by_day d, cfg),
         by_week as (select d.*,
                            coalesce(sum(case when d.counted then d.day_regular end)
                                         over (partition by d.user_id, d.week order by d.starts_at, d.id
                                               rows between unbounded preceding and 1 preceding), 0)::bigint
                                as week_before
                       from daily d),
         asked as (select x.id, coalesce(w.minutes, 0) as minutes, coalesce(w.day_before, 0) as day_before,
                          coalesce(w.day_regular, 0) as day_regular, coalesce(w.week_before, 0) as week_before
                     from (select distinct unnest(p_assignments) as id) x
                     left join by_week w on w.id = x.id)
    -- an approved entry keeps the hours it was approved with (payroll does
    -- not move when later entries, the shift or the settings change)
    select h.id,
           coalesce((fz.hours ->> 'total_minutes')::bigint, h.minutes),
           coalesce((fz.hours ->> 'regular_minutes')::bigint,
                    es_regular_minutes(h.week_before, h.day_regular, cfg.weekly_first)),
           coalesce((fz.hours ->> 'overtime_minutes')::bigint,
                    h.minutes - es_regular_minutes(h.week_before, h.day_regular, cfg.weekly_first)),
           coalesce(fz.hours -> 'overtime',
                    es_overtime_tiers(h.day_before, h.minutes, cfg.daily, 'daily')
                    || es_overtime_tiers(h.week_before, h.day_regular, cfg.weekly, 'weekly'))
      from asked h
     cross join cfg
      left join lateral (select te.approved_hours as hours from time_entries te
                          where te.assignment_id = h.id and te.approved_at is not null) fz on true;
end
$$;

-- The JSON of the time entry of each given assignment, with its shift, its
-- pairs, hours and overtime. An assignment without a time_entries row is a
-- not_started draft. For clients (p_for_client) notes and the rejection
-- are left out. PL/pgSQL with a generic plan, as es_time_hours.
create function es_time_entry_docs(p_assignments bigint[], p_for_client boolean default false)
    returns table (assignment_id bigint, entry_id bigint, user_id bigint, role text, name text,
                   starts_at timestamptz, state text, status text, doc json)
    language plpgsql stable rows 20
    set plan_cache_mode = force_generic_plan
as $$
#variable_conflict use_column
begin
    return query
    select a.id, te.id, a.user_id, a.role::text, u.name, s.starts_at,
           es_entry_state(te.submitted_at, te.approved_at),
           coalesce(te.status, 'not_started'),
           json_build_object(
               'entry_id', te.id,
               'assignment_id', a.id,
               'user_id', a.user_id,
               'name', u.name,
               'role', a.role,
               'shift', json_build_object('id', s.id, 'starts_at', s.starts_at, 'ends_at', s.ends_at,
                                          'job', json_build_object('id', j.id, 'name', j.name),
                                          'client', json_build_object('id', c.id, 'name', c.name)),
               'status', coalesce(te.status, 'not_started'),
               'state', es_entry_state(te.submitted_at, te.approved_at),
               'pairs', coalesce((select json_agg(json_build_object('in', p.clock_in, 'out', p.clock_out)
                                                  order by p.ordinal)
                                    from time_entry_pairs p where p.time_entry_id = te.id), '[]'),
               'total_minutes', h.total_minutes,
               'regular_minutes', h.regular_minutes,
               'overtime_minutes', h.overtime_minutes,
               'overtime', h.overtime,
               'notes', case when not p_for_client then te.notes end,
               'submitted_at', te.submitted_at,
               'submitted_by', te.submitted_by,
               'approved_at', te.approved_at,
               'approved_by', te.approved_by,
               'rejection', case when te.rejected_at is not null and not p_for_client
                                 then json_build_object('reason', te.rejection_reason,
                                                        'at', te.rejected_at, 'by', te.rejected_by) end)
      from es_time_hours(p_assignments) h
      join assignments a on a.id = h.assignment_id
      join users u on u.id = a.user_id
      join shifts s on s.id = a.shift_id
      join jobs j on j.id = s.job_id
      join client_companies c on c.id = j.client_company_id
      left join time_entries te on te.assignment_id = a.id;
end
$$;

-- What is wrong with replacing entry p_entry's pairs by p_pairs
-- ([{"in": t, "out": t|null}], in order): {"pairs[1].in": "reason", ...},
-- {} when nothing. The API has checked the shape and that only the last
-- pair may be open.
create function es_time_pairs_problems(p_entry bigint, p_pairs jsonb) returns jsonb
    language plpgsql stable
as $$
begin
    return (
    with me as (select te.id, a.user_id, a.shift_id, es_clock_window(a.shift_id) as window
                  from time_entries te join assignments a on a.id = te.assignment_id
                 where te.id = p_entry),
         cfg as (select (doc ->> 'max_clock_pairs')::int as max_pairs,
                        (doc ->> 'clock_window_hours')::int as window_hours
                   from settings where id = 1),
         p as (select i - 1 as idx, (x ->> 'in')::timestamptz as t_in, (x ->> 'out')::timestamptz as t_out,
                      lag((x ->> 'out')::timestamptz) over (order by i) as prev_out
                 from jsonb_array_elements(p_pairs) with ordinality as e (x, i)),
         problems as (
             select 'pairs' as field,
                    format('at most %s pairs (settings.max_clock_pairs)', cfg.max_pairs) as reason,
                    0 as rank
               from cfg where jsonb_array_length(p_pairs) > cfg.max_pairs
             union all
             select format('pairs[%s].in', p.idx),
                    format('must be within %s hours of the shift (settings.clock_window_hours)',
                           cfg.window_hours), 2
               from p, me, cfg where not p.t_in <@ me.window
             union all
             select format('pairs[%s].out', p.idx),
                    format('must be within %s hours of the shift (settings.clock_window_hours)',
                           cfg.window_hours), 2
               from p, me, cfg where p.t_out is not null and not p.t_out <@ me.window
             union all
             select format('pairs[%s].in', p.idx), 'must not be in the future', 3
               from p where p.t_in > clock_timestamp()
             union all
             select format('pairs[%s].out', p.idx), 'must not be in the future', 3
               from p where p.t_out > clock_timestamp()
             union all
             select format('pairs[%s].out', p.idx), 'must be after in', 1
               from p where p.t_out <= p.t_in
             union all
             select format('pairs[%s].in', p.idx),
                    'must not be before the previous pair''s out (pairs in order, without overlap)', 1
               from p where p.t_in < p.prev_out
             union all
             select format('pairs[%s].in', p.idx),
                    'overlaps time the worker has recorded on another shift or role', 4
               from p, me
              where exists (select 1
                              from time_entry_pairs op
                              join time_entries o on o.id = op.time_entry_id
                              join assignments oa on oa.id = o.assignment_id
                             where oa.user_id = me.user_id and o.id <> me.id
                               and tstzrange(op.clock_in, coalesce(op.clock_out, 'infinity'))
                                   && tstzrange(p.t_in, coalesce(p.t_out, 'infinity'))))
    -- one reason per field: the most basic (lowest rank) comes last and wins
    select coalesce(jsonb_object_agg(field, reason order by rank desc), '{}') from problems);
end
$$;
