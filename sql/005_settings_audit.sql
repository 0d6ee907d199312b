-- 005_settings_audit: the single validated settings document, audit log.
-- The document's defaults and check are functions/01_settings.sql.

-- Exactly one row (id = 1). The API reads doc whole and writes it with
--   update settings set doc = doc || $1, updated_at = now(), updated_by = $2 where id = 1
-- (a shallow merge: nested objects such as shift_parts are replaced whole).
create table settings (
    id         smallint primary key default 1,
    doc        jsonb not null default es_settings_defaults(),
    updated_at timestamptz not null default now(),
    updated_by bigint references users (id) on delete set null,
    constraint settings_single_row_check check (id = 1),
    constraint settings_doc_check check (es_valid_settings(doc))
);

insert into settings (id, doc) values (1, es_settings_defaults()) on conflict do nothing;

-- Who changed what. Append-only by convention (the API only inserts).
-- actor_id has no foreign key on purpose: the record must keep naming a
-- user after that user is deleted. NULL actor = the system or the CLI.
create table audit_log (
    id         bigint generated always as identity primary key,
    at         timestamptz not null default now(),
    actor_id   bigint,
    action     text not null,
    entity     text not null,
    entity_id  bigint,
    before     jsonb,
    after      jsonb,
    request_id text,
    constraint audit_log_action_check check (char_length(action) between 1 and 64),
    constraint audit_log_entity_check check (char_length(entity) between 1 and 64),
    constraint audit_log_request_id_check check (char_length(request_id) <= 64)
);

create index audit_log_entity_idx on audit_log (entity, entity_id);
create index audit_log_at_idx on audit_log (at);
create index audit_log_actor_id_idx on audit_log (actor_id, at) where actor_id is not null;
