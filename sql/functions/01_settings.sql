-- 01_settings: the default settings document and its check.

-- The default settings, and the exact key set every stored document has.
-- Adding a key: add it here and to es_valid_settings, and write a numbered
-- migration that drops settings_doc_check, runs
--   update settings set doc = es_settings_defaults() || doc
-- and adds the constraint back (as 009_time.sql did for clock_window_hours).
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

create or replace function es_json_num_between(v jsonb, lo numeric, hi numeric) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(v) = 'number' then v::numeric between lo and hi
                else false end;

-- True when the keys of object o are exactly those of keys (a text[]).
create or replace function es_json_has_exactly(o jsonb, keys text[]) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(o) = 'object'
                then (select count(*) from jsonb_object_keys(o)) = cardinality(keys)
                 and o ?& keys
                else false end;

-- "HH:MM", 00:00 .. 23:59 or 24:00. Valid values sort as text.
create or replace function es_valid_hhmm(v jsonb) returns boolean
    language sql immutable parallel safe
    return jsonb_typeof(v) = 'string'
       and v #>> '{}' ~ '^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$';

-- A shift part: {"start":"08:00","end":"12:00"}, start before end on the same day.
create or replace function es_valid_shift_part(v jsonb) returns boolean
    language sql immutable parallel safe
    return case when es_json_has_exactly(v, array['start', 'end'])
                 and es_valid_hhmm(v -> 'start') and es_valid_hhmm(v -> 'end')
                then v ->> 'start' < v ->> 'end' collate "C"
                else false end;

-- Overtime tiers: [{"after_hours":8,"multiplier":1.5}, ...], at most 5,
-- after_hours in (0, max_hours] and strictly ascending, multiplier 1..10.
-- An empty array means no overtime for that period.
create or replace function es_valid_overtime_tiers(a jsonb, max_hours numeric) returns boolean
    language sql immutable parallel safe
    return case when jsonb_typeof(a) is distinct from 'array' then false
                when jsonb_array_length(a) > 5 then false
                when exists (select 1
                               from jsonb_array_elements(a) as t
                              where not es_json_has_exactly(t, array['after_hours', 'multiplier'])
                                 or not es_json_num_between(t -> 'after_hours', 0, max_hours)
                                 or t -> 'after_hours' = '0'
                                 or not es_json_num_between(t -> 'multiplier', 1, 10))
                then false
                else not exists (select 1
                                   from jsonb_array_elements(a) with ordinality as x (t, i)
                                   join jsonb_array_elements(a) with ordinality as y (t, i)
                                     on y.i = x.i + 1
                                  where (y.t -> 'after_hours')::numeric <= (x.t -> 'after_hours')::numeric)
           end;

-- The whole settings document: exactly the keys of es_settings_defaults(),
-- each of the right type and range. time_zone is only checked for shape
-- here, the API checks it against pg_timezone_names (not immutable).
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
                 and not exists (select 1
                                   from unnest(es_shift_parts()) as p
                                  where not es_valid_shift_part(d -> 'shift_parts' -> p))
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
