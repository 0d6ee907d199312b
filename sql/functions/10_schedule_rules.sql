-- 10_schedule_rules: the scheduling rules of SPEC §3 in one place, shared by
-- assigning, copying a week and the conflicts report.

-- The first day of the week containing d, for a week starting on
-- first_day ('monday' .. 'sunday'). NULL for an unknown day name.
create or replace function es_week_start(d date, first_day text) returns date
    language sql immutable parallel safe
    return d - ((extract(isodow from d)::int - array_position(es_weekdays(), first_day) + 7) % 7);

-- The workplace time zone and week start from the settings document.
create or replace function es_time_zone() returns text
    language sql stable parallel safe
    return coalesce((select doc ->> 'time_zone' from settings where id = 1), 'UTC');

create or replace function es_first_weekday() returns text
    language sql stable parallel safe
    return coalesce((select doc ->> 'week_start' from settings where id = 1), 'monday');

-- The first day of the schedule week holding instant t (workplace time).
create or replace function es_week_of(t timestamptz) returns date
    language sql stable parallel safe
    return es_week_start((t at time zone es_time_zone())::date, es_first_weekday());

-- The instant a workplace-local date and "HH:MM" clock time stand for.
create or replace function es_local_instant(d date, hhmm text) returns timestamptz
    language sql stable parallel safe
    return (d + hhmm::time) at time zone es_time_zone();

-- A shift part of a day (settings.shift_parts) as [starts, ends); NULL parts
-- when the part is unknown. A part whose end is not after its start ends the
-- next day.
create or replace function es_part_range(d date, part text, out starts_at timestamptz, out ends_at timestamptz)
    language sql stable parallel safe
    return (select row(es_local_instant(d, p ->> 'start'),
                       es_local_instant(d + case when (p ->> 'end')::time <= (p ->> 'start')::time
                                                 then 1 else 0 end, p ->> 'end'))
              from (select doc -> 'shift_parts' -> part as p from settings where id = 1) s
             where p is not null);

-- Problems with user p_user holding p_role on shift p_shift. For a new
-- assignment (p_existing false) a full role is one already at its
-- requirement; for an existing one (the conflicts report) one beyond it.
-- soft: a manager's force overrides it.
create or replace function es_assignment_problems(p_shift bigint, p_user bigint, p_role text,
                                       p_existing boolean default false)
    returns table (rule text, soft boolean, detail jsonb)
    language sql stable
as $$
    with s as (select * from shifts where id = p_shift),
         u as (select u.role, u.active, u.approved,
                      coalesce(c.can_crew_chief, false) as can_crew_chief,
                      coalesce(c.can_forklift, false) as can_forklift,
                      coalesce(c.can_truck, false) as can_truck
                 from users u left join certifications c on c.user_id = u.id
                where u.id = p_user),
         cfg as (select coalesce((doc ->> 'allow_overlapping_shifts')::boolean, false) as allow_overlap,
                        make_interval(secs => coalesce((doc ->> 'min_rest_hours')::numeric, 8) * 3600)
                            as min_rest
                   from settings where id = 1),
         other as (select distinct o.id, o.starts_at, o.ends_at
                     from assignments a join shifts o on o.id = a.shift_id, s
                    where a.user_id = p_user and o.id <> s.id
                      and o.starts_at < s.ends_at + interval '3 days'
                      and o.ends_at > s.starts_at - interval '3 days'),
         filled as (select count(*) as n from assignments a, s
                     where a.shift_id = s.id and a.role = p_role)
    select 'worker_not_eligible', false,
           jsonb_build_object('user_id', p_user,
                              'reason', case when u.role <> 'employee' then 'not an employee'
                                             when not u.approved then 'pending approval'
                                             else 'inactive' end)
      from u where not (u.role = 'employee' and u.active and u.approved)
    union all
    select 'certification_missing', false, jsonb_build_object('role', p_role)
      from u
     where (p_role = 'crew_chief' and not u.can_crew_chief)
        or (p_role = 'forklift_operator' and not u.can_forklift)
        or (p_role = 'truck_driver' and not u.can_truck)
    union all
    select 'overlap', false,
           jsonb_build_object('shift_id', o.id, 'starts_at', o.starts_at, 'ends_at', o.ends_at)
      from other o, s, cfg
     where not cfg.allow_overlap
       and tstzrange(o.starts_at, o.ends_at) && tstzrange(s.starts_at, s.ends_at)
    union all
    select 'rest_period', true,
           jsonb_build_object('shift_id', o.id, 'starts_at', o.starts_at, 'ends_at', o.ends_at,
                              'min_rest_hours', extract(epoch from cfg.min_rest) / 3600)
      from other o, s, cfg
     where (o.ends_at < s.starts_at and s.starts_at - o.ends_at < cfg.min_rest)
        or (s.ends_at < o.starts_at and o.starts_at - s.ends_at < cfg.min_rest)
    union all
    select 'role_full', true,
           jsonb_build_object('role', p_role,
                              'required', coalesce((s.required ->> p_role)::int, 0),
                              'assigned', f.n)
      from s, filled f
     where case when p_existing then f.n > coalesce((s.required ->> p_role)::int, 0)
                else f.n >= coalesce((s.required ->> p_role)::int, 0) end
$$;

-- How full each role of the given shifts is: one row per shift and role it
-- requires or has people in, with the counts required and assigned.
create or replace function es_shift_fills(p_shifts bigint[])
    returns table (shift_id bigint, role text, required int, assigned bigint)
    language sql stable
as $$
    select r.shift_id, r.role, max(r.required), count(r.user_id)
      from (select s.id as shift_id, e.key as role, e.value::int as required, null::bigint as user_id
              from shifts s, jsonb_each_text(s.required) as e
             where s.id = any (p_shifts)
            union all
            select a.shift_id, a.role, 0, a.user_id from assignments a where a.shift_id = any (p_shifts)) r
     group by r.shift_id, r.role
$$;

-- One shift's fill as {role: {required, assigned}}, from es_shift_fills.
create or replace function es_shift_fill(p_shift bigint) returns jsonb
    language sql stable
    return (select coalesce(jsonb_object_agg(f.role, jsonb_build_object('required', f.required,
                                                                         'assigned', f.assigned)), '{}')
              from es_shift_fills(array[p_shift]) f);

