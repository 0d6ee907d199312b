-- 11_user_docs: the public JSON of a user, in one place for every route
-- that returns users (never the password hash or the Google subject): doc
-- as the user routes answer it, signin_doc as the sign-in routes do (no
-- status or certifications).
create or replace view user_docs as
select u.id,
       u.username,
       u.name,
       u.email,
       u.role,
       u.active,
       u.approved,
       u.client_company_id,
       case when not u.approved then 'pending'
            when not u.active then 'inactive'
            else 'active' end as status,
       json_build_object(
           'id', u.id,
           'username', u.username,
           'name', u.name,
           'email', u.email,
           'role', u.role,
           'status', case when not u.approved then 'pending'
                          when not u.active then 'inactive'
                          else 'active' end,
           'active', u.active,
           'approved', u.approved,
           'client_company_id', u.client_company_id,
           'picture_url', u.picture_url,
           'google_linked', u.google_sub is not null,
           'certifications', json_build_object(
               'can_crew_chief', coalesce(c.can_crew_chief, false),
               'can_forklift', coalesce(c.can_forklift, false),
               'can_truck', coalesce(c.can_truck, false)),
           'created_at', u.created_at,
           'last_login_at', u.last_login_at) as doc,
       json_build_object(
           'id', u.id,
           'username', u.username,
           'name', u.name,
           'email', u.email,
           'role', u.role,
           'client_company_id', u.client_company_id,
           'picture_url', u.picture_url,
           'active', u.active,
           'approved', u.approved,
           'google_linked', u.google_sub is not null,
           'created_at', u.created_at,
           'last_login_at', u.last_login_at) as signin_doc
  from users u
  left join certifications c on c.user_id = u.id;
