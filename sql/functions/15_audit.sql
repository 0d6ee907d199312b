-- 15_audit: one function writes the audit log (../005_settings_audit.sql).
-- The API's statements call it, one row at a time (auth/audit.c) or one
-- row per changed row inside a statement that changes many (a shift's end,
-- bulk shifts, a time entry's change), always in the transaction that made
-- the change: who (NULL: the system or the CLI), what was done to which
-- entity, the row before and after, the request.

create or replace function es_audit(p_actor bigint, p_action text, p_entity text,
                                    p_entity_id bigint, p_before jsonb, p_after jsonb,
                                    p_request_id text) returns void
    language sql volatile
as $$
    insert into audit_log (actor_id, action, entity, entity_id, before, after, request_id)
    values (p_actor, p_action, p_entity, p_entity_id, p_before, p_after, p_request_id)
$$;
