-- 001_core: people, client companies and jobs.
--
-- Conventions for every migration in this folder:
--   * no BEGIN/COMMIT: the migrate runner wraps each file in its own transaction
--   * lower-case SQL, bigint identity keys, timestamptz with default now()
--   * constraints and indexes are named explicitly so the C code can map a
--     SQLSTATE 23505/23514/23503 plus constraint name to a 409/422 detail
--   * no dollar-quoted bodies and no semicolons inside comments or literals,
--     so the files survive even a naive statement splitter
--   * the application sets updated_at = now() in its UPDATE statements

create table client_companies (
    id            bigint generated always as identity primary key,
    name          text not null,
    contact_name  text,
    contact_email text,
    contact_phone text,
    created_at    timestamptz not null default now(),
    updated_at    timestamptz not null default now(),
    constraint client_companies_name_check
        check (char_length(name) between 1 and 200 and name = btrim(name)),
    constraint client_companies_contact_name_check
        check (char_length(contact_name) <= 200),
    constraint client_companies_contact_email_check
        check (char_length(contact_email) <= 254 and contact_email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint client_companies_contact_phone_check
        check (char_length(contact_phone) <= 50)
);

-- "Acme" and "ACME" are the same client.
create unique index client_companies_name_key on client_companies (lower(name));

create table users (
    id                bigint generated always as identity primary key,
    username          text not null,
    name              text not null,
    email             text,
    role              text not null,
    -- PHC string (argon2id or yescrypt), NULL for Google-only accounts
    password_hash     text,
    google_sub        text,
    picture_url       text,
    -- RESTRICT: a company with user accounts cannot vanish underneath them
    client_company_id bigint references client_companies (id) on delete restrict,
    active            boolean not null default true,
    -- false = pending self-signup, fail closed: creators must set it explicitly
    approved          boolean not null default false,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    last_login_at     timestamptz,
    constraint users_username_check
        check (char_length(username) between 3 and 64 and username !~ '[[:space:][:cntrl:]]'),
    constraint users_name_check
        check (char_length(name) between 1 and 200 and name = btrim(name)),
    constraint users_email_check
        check (char_length(email) <= 254 and email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
    constraint users_role_check
        check (role in ('admin', 'manager', 'employee', 'client')),
    constraint users_password_hash_check
        check (char_length(password_hash) between 1 and 512),
    constraint users_google_sub_check
        check (char_length(google_sub) between 1 and 255),
    constraint users_picture_url_check
        check (char_length(picture_url) <= 2048 and picture_url ~ '^https?://'),
    -- Google subject identifiers are opaque and case-sensitive: plain unique
    constraint users_google_sub_key unique (google_sub),
    -- Only clients belong to a company. Not "iff": a client user may outlive
    -- the link while an admin reassigns or removes it.
    constraint users_client_company_check
        check (role = 'client' or client_company_id is null)
);

create unique index users_username_key on users (lower(username));
create unique index users_email_key on users (lower(email)) where email is not null;
create index users_client_company_id_idx on users (client_company_id) where client_company_id is not null;

-- One row per user, absent row = no certifications (read with coalesce).
create table certifications (
    user_id        bigint primary key references users (id) on delete cascade,
    can_crew_chief boolean not null default false,
    can_forklift   boolean not null default false,
    can_truck      boolean not null default false,
    updated_at     timestamptz not null default now(),
    updated_by     bigint references users (id) on delete set null
);

create table jobs (
    id                bigint generated always as identity primary key,
    -- RESTRICT: jobs carry shifts and hours that are billed to the client
    client_company_id bigint not null references client_companies (id) on delete restrict,
    name              text not null,
    description       text,
    venue_name        text,
    venue_address     text,
    venue_contact     text,
    estimated_start   date,
    estimated_end     date,
    active            boolean not null default true,
    created_by        bigint references users (id) on delete set null,
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now(),
    constraint jobs_name_check
        check (char_length(name) between 1 and 200 and name = btrim(name)),
    constraint jobs_description_check   check (char_length(description) <= 4000),
    constraint jobs_venue_name_check    check (char_length(venue_name) <= 200),
    constraint jobs_venue_address_check check (char_length(venue_address) <= 500),
    constraint jobs_venue_contact_check check (char_length(venue_contact) <= 500),
    constraint jobs_estimated_dates_check
        check (estimated_end >= estimated_start)
);

create index jobs_client_company_id_active_idx on jobs (client_company_id, active);
