-- The access clock: one counter that every change to what a member may read moves, from any
-- process or node, in the same transaction as the change. Page caches remember each session's
-- access class for a moment; when they see this counter move they forget what they remember,
-- so a comp from the CLI, an Admin API edit or a Stripe webhook handled elsewhere takes effect
-- at once. Triggers bump it, so no write path (today's or a future one) can forget to.
--
-- What moves it: any insert, update or delete of a subscription (a member's deletion cascades
-- to theirs), and the end of a session (sign-out, sign-out everywhere, account deletion).
-- The bump is a row update, not a sequence: it becomes visible exactly when the change
-- commits, never before (a cache that forgot too early could remember the old class again).
-- Writers of subscriptions queue on this row until they commit; they are rare and short.
CREATE TABLE access_clock (
    id    BIGINT PRIMARY KEY NOT NULL,
    ticks BIGINT NOT NULL
);
INSERT INTO access_clock (id, ticks) VALUES (1, 0);

CREATE FUNCTION access_clock_tick() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE access_clock SET ticks = ticks + 1 WHERE id = 1;
    RETURN NULL;
END;
$$;

CREATE TRIGGER subscriptions_tick AFTER INSERT OR UPDATE OR DELETE ON subscriptions
    FOR EACH STATEMENT EXECUTE FUNCTION access_clock_tick();

CREATE TRIGGER member_sessions_deleted_tick AFTER DELETE ON member_sessions
    FOR EACH STATEMENT EXECUTE FUNCTION access_clock_tick();
