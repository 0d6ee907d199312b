-- 008_shift_docs: the public JSON of a shift. p_only_user limits the
-- assignments listed to one person (a worker who does not lead the crew);
-- NULL lists the whole crew.
create function es_shift_doc(p_shift bigint, p_only_user bigint default null) returns json
    language sql stable
    return (select json_build_object(
                'id', s.id,
                'job', json_build_object('id', j.id, 'name', j.name, 'venue_name', j.venue_name,
                                         'venue_address', j.venue_address),
                'client', json_build_object('id', c.id, 'name', c.name),
                'starts_at', s.starts_at,
                'ends_at', s.ends_at,
                'week_start', es_week_of(s.starts_at),
                'required', s.required,
                'client_po_number', s.client_po_number,
                'description', s.description,
                'special_instructions', s.special_instructions,
                'assignments', coalesce((select json_agg(json_build_object(
                                                'user_id', a.user_id, 'name', u.name, 'role', a.role)
                                                order by a.role, u.name, a.user_id)
                                           from assignments a join users u on u.id = a.user_id
                                          where a.shift_id = s.id
                                            and (p_only_user is null or a.user_id = p_only_user)),
                                        '[]'),
                'fill', es_shift_fill(s.id),
                'created_at', s.created_at,
                'updated_at', s.updated_at)
              from shifts s
              join jobs j on j.id = s.job_id
              join client_companies c on c.id = j.client_company_id
             where s.id = p_shift);

-- True when the schedule week holding t is published.
create function es_week_published(t timestamptz) returns boolean
    language sql stable
    return coalesce((select published from schedule_weeks where week_start = es_week_of(t)), false);
