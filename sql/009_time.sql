-- 009_time: the clock window setting, and the hours an approved entry keeps.

-- The clock window: clock times lie within clock_window_hours (0..72,
-- default 12) of the shift's start and end. A new settings key, added the
-- way functions/01_settings.sql describes.
alter table settings drop constraint settings_doc_check;

-- The hours an entry was approved with, frozen at approval (see es_time_hours).
alter table time_entries add column approved_hours jsonb;

update settings set doc = es_settings_defaults() || doc where id = 1;

alter table settings add constraint settings_doc_check check (es_valid_settings(doc));
