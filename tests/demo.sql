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
