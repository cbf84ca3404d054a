//! The wait before a failed job is tried again: exponential, capped, a pure function.

use std::time::Duration;

/// The wait after `attempt` (1 for the first) failed: `base` doubled for each earlier failure,
/// never more than `longest`.
pub fn retry_delay(attempt: u32, base: Duration, longest: Duration) -> Duration {
    2u32.checked_pow(attempt.saturating_sub(1))
        .and_then(|factor| base.checked_mul(factor))
        .map_or(longest, |wait| wait.min(longest))
}

#[cfg(test)]
mod tests {
    use super::retry_delay;
    use std::time::Duration;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn waits_double_from_the_base_up_to_the_cap() {
        let hour = Duration::from_hours(1);
        let waits: Vec<u64> = (1..=6)
            .map(|a| retry_delay(a, 10 * S, hour).as_secs())
            .collect();
        assert_eq!(waits, [10, 20, 40, 80, 160, 320]);
        assert_eq!(retry_delay(10, 10 * S, hour), hour);
    }

    #[test]
    fn huge_attempt_counts_and_bases_saturate_at_the_cap() {
        let day = Duration::from_hours(24);
        assert_eq!(retry_delay(u32::MAX, 10 * S, day), day);
        assert_eq!(retry_delay(40, Duration::MAX, day), day);
        assert_eq!(
            retry_delay(0, 10 * S, day),
            10 * S,
            "attempt 0 counts as the first"
        );
    }
}
