-- The job queue: work done in the background (image variants, scheduled posts, housekeeping),
-- by whichever worker process claims it. `payload` is the kind's JSON input. `idempotency_key`
-- (unique when set) makes enqueueing the same work twice add one row. `status` is `queued`,
-- `running`, `done` or `failed`; a claim moves a due job to `running`, counts the attempt in
-- `attempts` and leases it to `locked_by` until `locked_until` (`locked_by` then keeps naming
-- the worker that last ran it); a running job whose lease has
-- passed (its worker died) may be claimed again. A failed attempt puts it back to `queued` at a
-- later `run_at` until `max_attempts`. `progress_done`/`progress_total` report long jobs.
-- Finished jobs (`finished_at`) are pruned after a while.
CREATE TABLE jobs (
    id              TEXT PRIMARY KEY NOT NULL,
    kind            TEXT NOT NULL,
    payload         TEXT NOT NULL,
    idempotency_key TEXT UNIQUE,
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL,
    max_attempts    BIGINT NOT NULL,
    run_at          BIGINT NOT NULL,
    locked_until    BIGINT,
    locked_by       TEXT,
    last_error      TEXT,
    progress_done   BIGINT NOT NULL,
    progress_total  BIGINT,
    created_at      BIGINT NOT NULL,
    updated_at      BIGINT NOT NULL,
    finished_at     BIGINT
);
CREATE INDEX jobs_due ON jobs (status, run_at);
CREATE INDEX jobs_finished ON jobs (finished_at);
