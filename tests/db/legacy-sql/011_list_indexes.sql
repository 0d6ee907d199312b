-- 011_list_indexes: lists page through people by name; an index in that
-- order lets a page be read without sorting every matching row.
create index users_name_id_idx on users (name, id);
