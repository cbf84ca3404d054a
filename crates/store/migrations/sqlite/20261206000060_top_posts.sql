-- The dashboard's top posts (issue 16 §4), recounted by the hourly `analytics.snapshot` job:
-- summing a year of per-post-per-day views over 100,000 posts takes seconds, too long for a
-- page. One row per list ('views' or 'signups') and period: the period's last day, when it was
-- counted and how long counting took, and the top posts as JSON `[["post id", count], …]`.
CREATE TABLE top_posts (
    list       TEXT NOT NULL,
    days       BIGINT NOT NULL,
    to_day     BIGINT NOT NULL,
    counted_at BIGINT NOT NULL,
    cost_ms    BIGINT NOT NULL,
    posts      TEXT NOT NULL,
    PRIMARY KEY (list, days)
);
