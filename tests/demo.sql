-- Demo data for ./dev up: a few clients, venues and jobs. Idempotent.
INSERT INTO client_companies (name, contact_name, contact_email, contact_phone)
VALUES ('Riverside Arena', 'Dana Cole', 'dana@riverside.example', '+1 555 0100'),
       ('Blue Note Festival', 'Sam Ortiz', 'sam@bluenote.example', '+1 555 0101'),
       ('Metro Convention Center', 'Lee Park', 'lee@metrocc.example', '+1 555 0102')
ON CONFLICT DO NOTHING;

INSERT INTO jobs (client_company_id, name, description, venue_name, venue_address, active)
SELECT c.id, j.name, j.description, j.venue, j.address, true
FROM (VALUES
        ('Riverside Arena', 'Spring concert series', 'Load-in and load-out for 6 shows', 'Riverside Arena', '1 River Rd'),
        ('Blue Note Festival', 'Main stage build', 'Stage, truss and PA', 'Harbor Park', '200 Harbor Way'),
        ('Metro Convention Center', 'Auto show', 'Booth builds, forklifts needed', 'Metro CC Hall B', '50 Expo Blvd')
     ) AS j(client, name, description, venue, address)
JOIN client_companies c ON c.name = j.client
WHERE NOT EXISTS (SELECT 1 FROM jobs x WHERE x.client_company_id = c.id AND x.name = j.name);

-- People: every demo account shares the admin's password (./dev up makes the
-- admin with easyshifts create-admin, then runs this file).
INSERT INTO users (username, name, email, role, password_hash, client_company_id, active, approved)
SELECT v.username, v.name, v.email, v.role, a.password_hash,
       (SELECT id FROM client_companies WHERE name = v.company), true, true
  FROM (VALUES ('manager', 'Morgan Manager', 'manager@demo.example', 'manager', NULL),
               ('chief', 'Casey Chief', 'chief@demo.example', 'employee', NULL),
               ('worker', 'Wes Worker', 'worker@demo.example', 'employee', NULL),
               ('client', 'Dana Cole', 'dana.client@demo.example', 'client', 'Riverside Arena'))
       AS v(username, name, email, role, company)
  JOIN users a ON a.username = 'admin'
ON CONFLICT DO NOTHING;
INSERT INTO certifications (user_id, can_crew_chief, can_forklift)
SELECT id, username = 'chief', username = 'worker' FROM users WHERE username IN ('chief', 'worker')
ON CONFLICT (user_id) DO NOTHING;

-- Next week: three shifts on the arena job, the chief leading one, published.
INSERT INTO shifts (job_id, starts_at, ends_at, required, description)
SELECT j.id, es_local_instant(es_week_of(now()) + 7 + d, '08:00'), es_local_instant(es_week_of(now()) + 7 + d, '16:00'),
       '{"crew_chief": 1, "stagehand": 3, "forklift_operator": 1}', 'Load-in day ' || (d + 1)
  FROM jobs j, generate_series(0, 2) d
 WHERE j.name = 'Spring concert series'
   AND NOT EXISTS (SELECT 1 FROM shifts s WHERE s.job_id = j.id);
INSERT INTO assignments (shift_id, user_id, role)
SELECT s.id, u.id, CASE u.username WHEN 'chief' THEN 'crew_chief' ELSE 'stagehand' END
  FROM shifts s JOIN jobs j ON j.id = s.job_id, users u
 WHERE j.name = 'Spring concert series' AND u.username IN ('chief', 'worker')
ON CONFLICT DO NOTHING;
INSERT INTO schedule_weeks (week_start, published, published_at)
VALUES (es_week_of(now()) + 7, true, now())
ON CONFLICT (week_start) DO NOTHING;
