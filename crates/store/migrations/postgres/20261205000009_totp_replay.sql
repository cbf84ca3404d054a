-- A TOTP code works once: the newest 30-second step spent by each staff user (RFC 6238 §5.2).
ALTER TABLE authors ADD COLUMN totp_last_step BIGINT;
