-- 013_visibility: the shift's document and visibility rules move to
-- sql/functions/12_shift_docs.sql and 16_visibility.sql. What create or
-- replace cannot do: es_shift_doc loses its second parameter (the crew a
-- viewer sees is es_shift_docs' business), and es_week_published goes
-- (es_visible_shifts reads the published weeks as a set).
drop function if exists es_shift_doc(bigint, bigint);
drop function if exists es_week_published(timestamptz);
