-- 012_audit_list: GET /audit reads one entity's rows newest first (by id);
-- with the id in the index a page needs no sort of the entity's history.
drop index audit_log_entity_idx;
create index audit_log_entity_idx on audit_log (entity, entity_id, id);
