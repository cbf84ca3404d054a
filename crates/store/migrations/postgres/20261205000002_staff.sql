-- Staff accounts (issue 15): staff users are authors who can sign in, so bylines, author pages
-- and the APIs keep naming the same rows. An author with no role is a byline only.
ALTER TABLE authors ADD COLUMN role TEXT;
ALTER TABLE authors ADD COLUMN status TEXT NOT NULL DEFAULT 'active';
ALTER TABLE authors ADD COLUMN password_hash TEXT;
ALTER TABLE authors ADD COLUMN totp_secret TEXT;
-- Social links as a JSON object of network name to URL.
ALTER TABLE authors ADD COLUMN social TEXT NOT NULL DEFAULT '{}';
-- At most one owner, whoever writes.
CREATE UNIQUE INDEX authors_one_owner ON authors (role) WHERE role = 'owner';

-- Staff sessions: ids stored only as SHA-256 hashes, like members' (never the member cookie).
CREATE TABLE staff_sessions (
    id_hash      TEXT PRIMARY KEY NOT NULL,
    author_id    TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    client       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX staff_sessions_by_author ON staff_sessions (author_id);

-- Browsers a staff user has verified with an emailed code (the device cookie's hash).
CREATE TABLE staff_devices (
    author_id    TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    device_hash  TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    PRIMARY KEY (author_id, device_hash)
);

-- Sign-ins waiting for the code mailed to a staff user on a device not seen before (hashes).
CREATE TABLE staff_device_codes (
    token_hash TEXT PRIMARY KEY NOT NULL,
    code_hash  TEXT NOT NULL,
    author_id  TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    attempts   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Invitations to join the staff (token hashes), and one-time set-password tokens.
CREATE TABLE staff_invitations (
    token_hash  TEXT PRIMARY KEY NOT NULL,
    email       TEXT NOT NULL,
    role        TEXT NOT NULL,
    inviter_id  TEXT REFERENCES authors (id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    accepted_at BIGINT
);
CREATE INDEX staff_invitations_by_email ON staff_invitations (email);

CREATE TABLE staff_password_tokens (
    token_hash TEXT PRIMARY KEY NOT NULL,
    author_id  TEXT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at    BIGINT
);

-- Every staff action that changes something: who (NULL: the command line), what, on what,
-- the changed fields before and after (JSON objects), when.
CREATE TABLE audit_log (
    id         TEXT PRIMARY KEY NOT NULL,
    actor_id   TEXT,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    before     TEXT NOT NULL DEFAULT '{}',
    after      TEXT NOT NULL DEFAULT '{}',
    created_at BIGINT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (created_at);
