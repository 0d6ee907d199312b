-- 12_shift_docs: the public JSON of shifts, built in one place for the
-- lists, one shift and the week view.

-- The JSON array of the documents of shifts p_shifts, in that order, as the
-- viewer (p_kind, p_viewer) sees them: the crew they may see (see
-- es_visible_crew) and how full each role is. The caller has checked that
-- the viewer may see the shifts. p_week: the week view's compact form
-- (job without address, no texts or times of the row, open places). One
-- pass over all the shifts; PL/pgSQL with a generic plan, planned once per
-- connection. NULL for no shifts.
create or replace function es_shift_docs(p_kind text, p_viewer bigint, p_shifts bigint[],
                                         p_week boolean default false) returns json
    language plpgsql stable
    set plan_cache_mode = force_generic_plan
as $$
declare
    tz text := es_time_zone();
    first_day text := es_first_weekday();
begin
    return (
    with fill as (select f.shift_id,
                         jsonb_object_agg(f.role, jsonb_build_object('required', f.required,
                                                                     'assigned', f.assigned))
                             filter (where not p_week) as doc,
                         json_object_agg(f.role, json_build_object('required', f.required,
                                                                   'assigned', f.assigned)
                                         order by f.role) filter (where p_week) as week,
                         sum(greatest(f.required - f.assigned, 0)) as open_places
                    from es_shift_fills(p_shifts) f
                   group by f.shift_id),
         crew as (select a.shift_id,
                         json_agg(json_build_object('user_id', a.user_id, 'name', u.name, 'role', a.role)
                                  order by a.role, u.name, a.user_id) filter (where not p_week) as doc,
                         json_agg(m order by a.role, u.name, a.user_id) filter (where p_week) as week
                    from es_visible_crew(p_kind, p_viewer) a
                    join users u on u.id = a.user_id
                   cross join lateral (select a.user_id, u.name, a.role) m
                   where a.shift_id = any (p_shifts)
                   group by a.shift_id)
    select coalesce(
               json_agg(json_build_object(
                   'id', s.id,
                   'job', json_build_object('id', j.id, 'name', j.name, 'venue_name', j.venue_name,
                                            'venue_address', j.venue_address),
                   'client', json_build_object('id', c.id, 'name', c.name),
                   'starts_at', s.starts_at,
                   'ends_at', s.ends_at,
                   'week_start', es_week_start((s.starts_at at time zone tz)::date, first_day),
                   'required', s.required,
                   'client_po_number', s.client_po_number,
                   'description', s.description,
                   'special_instructions', s.special_instructions,
                   'assignments', coalesce(crew.doc, '[]'),
                   'fill', coalesce(fill.doc, '{}'),
                   'created_at', s.created_at,
                   'updated_at', s.updated_at) order by x.o) filter (where not p_week),
               json_agg(w order by x.o) filter (where p_week))
      from unnest(p_shifts) with ordinality as x (id, o)
      join shifts s on s.id = x.id
      join jobs j on j.id = s.job_id
      join client_companies c on c.id = j.client_company_id
      left join fill on fill.shift_id = s.id
      left join crew on crew.shift_id = s.id
     cross join lateral (select s.id,
                                json_build_object('id', j.id, 'name', j.name,
                                                  'venue_name', j.venue_name) as job,
                                json_build_object('id', c.id, 'name', c.name) as client,
                                s.starts_at, s.ends_at, s.required,
                                coalesce(crew.week, '[]') as assignments,
                                coalesce(fill.week, '{}') as fill,
                                coalesce(fill.open_places, 0) as open_places) w);
end
$$;

-- The document of one shift as managers see it: what the write routes
-- answer and audit.
create or replace function es_shift_doc(p_shift bigint) returns json
    language sql stable
    return es_shift_docs('manager', null, array[p_shift]) -> 0;
