-- 16_visibility: who may see what, one rule per resource: the shifts, the
-- crew on them, time entries, jobs, client companies, users. Every
-- statement that lists or fetches one of them reads it through its rule.
--
-- A viewer is the pair every such statement passes on: its kind, 'manager'
-- (managers and admins), 'employee' or 'client', derived from the role in
-- one place (handlers/viewer.c), and its user id. A client user sees
-- through their company (users.client_company_id).
--
-- Each rule is a set-returning SQL function that the planner inlines into
-- the statement calling it (LANGUAGE sql, STABLE, one SELECT, not STRICT,
-- no SET clause), so a list still filters, joins, sorts and pages on the
-- tables' indexes. Planned for one viewer, the conditions on the kind fold
-- away: a manager's statement reads the tables as they are. The sets a
-- condition looks up (a worker's assignments, the published weeks) are
-- read once per statement, not once per row.

-- The shifts whose crew a user leads: those they hold crew_chief on.
create or replace function es_led_shifts(p_user bigint) returns setof bigint
    language sql stable
as $$
    select a.shift_id from assignments a where a.user_id = p_user and a.role = 'crew_chief'
$$;

-- Client companies: managers every one, a client user their own.
create or replace function es_visible_client_companies(p_kind text, p_viewer bigint)
    returns setof client_companies
    language sql stable
as $$
    select c.*
      from client_companies c
     where p_kind = 'manager'
        or p_kind = 'client' and c.id in (select u.client_company_id from users u where u.id = p_viewer)
$$;

-- Jobs: those of the client companies the viewer sees. Employees see jobs
-- only inside the shifts they see.
create or replace function es_visible_jobs(p_kind text, p_viewer bigint) returns setof jobs
    language sql stable
as $$
    select j.*
      from jobs j
     where p_kind = 'manager'
        or p_kind = 'client'
           and j.client_company_id in (select c.id from es_visible_client_companies(p_kind, p_viewer) c)
$$;

-- Shifts: managers every shift; in published weeks only (es_week_of of
-- the start), an employee the shifts they are assigned to, a client their
-- company's.
create or replace function es_visible_shifts(p_kind text, p_viewer bigint) returns setof shifts
    language sql stable
as $$
    select s.*
      from shifts s
     where p_kind = 'manager'
        or es_week_start((s.starts_at at time zone (select es_time_zone()))::date,
                         (select es_first_weekday()))
           in (select w.week_start from schedule_weeks w where w.published)
           and (p_kind = 'employee'
                and s.id in (select a.shift_id from assignments a where a.user_id = p_viewer)
                or p_kind = 'client'
                and s.job_id in (select j.id from es_visible_jobs(p_kind, p_viewer) j))
$$;

-- The crew a viewer sees on a shift they may see: everyone on it, except
-- that an employee sees only themselves where they do not lead the crew.
create or replace function es_visible_crew(p_kind text, p_viewer bigint) returns setof assignments
    language sql stable
as $$
    select a.*
      from assignments a
     where p_kind <> 'employee'
        or a.user_id = p_viewer
        or a.shift_id in (select l from es_led_shifts(p_viewer) l)
$$;

-- Time entries, as the assignments they belong to (an assignment without
-- recorded time is a not-started entry): those of the crew the viewer sees
-- on the shifts they see, and for a client only the approved ones.
create or replace function es_visible_time_entries(p_kind text, p_viewer bigint) returns setof assignments
    language sql stable
as $$
    select a.*
      from es_visible_crew(p_kind, p_viewer) a
     where p_kind = 'manager'
        or exists (select 1 from es_visible_shifts(p_kind, p_viewer) s where s.id = a.shift_id)
           and (p_kind <> 'client'
                or exists (select 1 from time_entries te
                            where te.assignment_id = a.id and te.approved_at is not null))
$$;

-- Users: managers everyone, anyone else themselves.
create or replace function es_visible_users(p_kind text, p_viewer bigint) returns setof users
    language sql stable
as $$
    select u.* from users u where p_kind = 'manager' or u.id = p_viewer
$$;
