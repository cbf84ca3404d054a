-- API keys for the Ghost-compatible APIs: content keys (`?key=`, 26 hex characters) and admin
-- keys (`id:secret`, a 24-hex id and a 64-hex secret that signs JWTs).
-- A content key is stored only as its SHA-256 hash (`secret_hash`); `hint` keeps its first
-- characters so `masthead key list` can tell keys apart. An admin key's secret must be stored
-- as is (`secret`): verifying an HMAC signature needs the key itself.
CREATE TABLE api_keys (
    id          TEXT PRIMARY KEY NOT NULL,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    secret_hash TEXT NOT NULL UNIQUE,
    secret      TEXT,
    hint        TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    revoked_at  BIGINT
);
