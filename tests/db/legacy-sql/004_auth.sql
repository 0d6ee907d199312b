-- 004_auth: sessions, login throttling, OAuth authorization-code state.

-- The cookie/Bearer token is 256 random bits. Only its SHA-256 is stored,
-- so a database leak does not hand out live sessions.
-- Valid means: expires_at > now() (absolute lifetime) and
-- last_seen_at > now() - settings.session_timeout_minutes (sliding idle timeout).
create table sessions (
    id           bigint generated always as identity primary key,
    token_hash   bytea not null,
    user_id      bigint not null references users (id) on delete cascade,
    csrf_token   text not null,
    created_at   timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at   timestamptz not null,
    user_agent   text,
    ip           text,
    constraint sessions_token_hash_key unique (token_hash),
    constraint sessions_token_hash_check check (octet_length(token_hash) = 32),
    constraint sessions_csrf_token_check check (char_length(csrf_token) between 16 and 128),
    constraint sessions_expires_at_check check (expires_at > created_at),
    -- the API truncates, these only cap what a client can make us store
    constraint sessions_user_agent_check check (char_length(user_agent) <= 512),
    constraint sessions_ip_check check (char_length(ip) <= 64)
);

-- Logout everywhere, deactivation and role change drop a user's sessions.
create index sessions_user_id_idx on sessions (user_id);
-- Periodic purge of expired sessions.
create index sessions_expires_at_idx on sessions (expires_at);

-- One row per failed login, keyed per username ('u:' || lower(username))
-- and per client address ('ip:' || address). 5 rows for a key within
-- 15 minutes means 429.
create table login_attempts (
    id           bigint generated always as identity primary key,
    key          text not null,
    attempted_at timestamptz not null default now(),
    constraint login_attempts_key_check check (char_length(key) between 1 and 300)
);

create index login_attempts_key_attempted_at_idx on login_attempts (key, attempted_at);
-- Periodic purge of rows older than the throttling window.
create index login_attempts_attempted_at_idx on login_attempts (attempted_at);

-- State of a Google authorization-code flow between /auth/google/start and
-- the callback. Keyed by SHA-256 of the state parameter, consumed once
-- with DELETE ... RETURNING.
create table oauth_states (
    state_hash    bytea primary key,
    nonce         text not null,
    code_verifier text not null,
    next_path     text not null default '/',
    created_at    timestamptz not null default now(),
    expires_at    timestamptz not null,
    constraint oauth_states_state_hash_check check (octet_length(state_hash) = 32),
    constraint oauth_states_nonce_check check (char_length(nonce) between 16 and 256),
    -- RFC 7636: 43..128 characters
    constraint oauth_states_code_verifier_check check (char_length(code_verifier) between 43 and 128),
    -- same-origin path only: one leading slash, not "//host" or "/\host",
    -- and nothing that could split the Location header
    constraint oauth_states_next_path_check
        check (char_length(next_path) <= 2048 and next_path ~ '^/([^/\\]|$)'
               and next_path !~ '[[:cntrl:]]'),
    constraint oauth_states_expires_at_check check (expires_at > created_at)
);

create index oauth_states_expires_at_idx on oauth_states (expires_at);
