//! Resolving the configuration: precedence, defaults, and errors that say what to do.

use super::*;

fn db(dir: &Path) -> Overrides {
    Overrides {
        data: Some(dir.to_owned()),
        ..Overrides::default()
    }
}

#[test]
fn flags_beat_file_and_defaults_apply() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::resolve(&db(dir.path())).unwrap();
    assert_eq!(c.addr.to_string(), DEFAULT_ADDR);
    assert_eq!(c.public_url, "http://127.0.0.1:3000");
    assert!(matches!(c.database, Database::Sqlite(ref p) if p.ends_with("masthead.db")));

    assert_eq!(c.past_due_grace_days, 7);
    std::fs::write(
        dir.path().join("masthead.toml"),
        "addr = \"127.0.0.1:4000\"\nurl = \"https://news.example/\"\npast_due_grace_days = 3\n",
    )
    .unwrap();
    let c = Config::resolve(&db(dir.path())).unwrap();
    assert_eq!(c.addr.port(), 4000);
    assert_eq!(c.public_url, "https://news.example");
    assert_eq!(c.past_due_grace_days, 3);
    let addr = |a: &str| Overrides {
        addr: Some(a.into()),
        ..db(dir.path())
    };
    let c = Config::resolve(&addr("127.0.0.1:5000")).unwrap();
    assert_eq!(c.addr.port(), 5000);
}

#[test]
fn bad_values_explain_themselves() {
    let dir = tempfile::tempdir().unwrap();
    let nope = Overrides {
        addr: Some("nope".into()),
        ..db(dir.path())
    };
    let err = Config::resolve(&nope).unwrap_err();
    assert!(err.to_string().contains("HOST:PORT"));
    std::fs::write(dir.path().join("masthead.toml"), "colour = 1").unwrap();
    assert!(
        format!("{:#}", Config::resolve(&db(dir.path())).unwrap_err()).contains("masthead.toml")
    );
    let secret = Secret("postgres://u:pw@h/db".into());
    assert!(!format!("{secret:?}").contains("pw"));
}

#[test]
fn trusted_proxies_and_private_webhooks_are_off_unless_configured() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::resolve(&db(dir.path())).unwrap();
    assert!(c.trusted_proxies.is_empty());
    assert!(!c.webhook_allow_private);
    std::fs::write(
        dir.path().join("masthead.toml"),
        "trusted_proxies = [\"10.0.0.0/8\", \" 127.0.0.1 \", \"2001:db8::/32\"]\nwebhook_allow_private = true\n",
    )
    .unwrap();
    let c = Config::resolve(&db(dir.path())).unwrap();
    let nets: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
    assert_eq!(nets, ["10.0.0.0/8", "127.0.0.1/32", "2001:db8::/32"]);
    assert!(c.webhook_allow_private);
    let args = |list: &str| Overrides {
        trusted_proxies: Some(list.into()),
        ..db(dir.path())
    };
    let c = Config::resolve(&args("192.168.0.0/16, ::1,")).unwrap();
    let nets: Vec<String> = c.trusted_proxies.iter().map(ToString::to_string).collect();
    assert_eq!(
        nets,
        ["192.168.0.0/16", "::1/128"],
        "the flag replaces the file"
    );
    let err = Config::resolve(&args("10.0.0.0/33")).unwrap_err();
    assert!(format!("{err:#}").contains("CIDR"), "{err:#}");
    std::fs::write(
        dir.path().join("masthead.toml"),
        "trusted_proxies = [\"proxy\"]",
    )
    .unwrap();
    let err = Config::resolve(&db(dir.path())).unwrap_err();
    assert!(
        format!("{err:#}").contains("\"proxy\" is not an IP address"),
        "{err:#}"
    );
}

/// The Stripe settings from `masthead.toml` (the environment is shared by parallel tests).
fn stripe_with(webhook_secret: &str) -> Result<Option<StripeConfig>, ConfigError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("masthead.toml"),
        format!("stripe_secret_key = \"sk_test_x\"\nstripe_webhook_secret = {webhook_secret:?}\n"),
    )
    .unwrap();
    Config::resolve(&db(dir.path())).map(|c| c.stripe)
}

#[test]
fn empty_stripe_webhook_secrets_are_dropped_or_refused() {
    let secrets = |raw| {
        let stripe = stripe_with(raw).unwrap().unwrap();
        let list: Vec<String> = stripe
            .webhook_secrets
            .iter()
            .map(|s| s.expose().to_owned())
            .collect();
        list
    };
    assert_eq!(secrets("whsec_x,"), ["whsec_x"]);
    assert_eq!(
        secrets(" whsec_old , ,whsec_new"),
        ["whsec_old", "whsec_new"]
    );
    for only_empty in ["", ",", " , "] {
        let err = format!("{:#}", stripe_with(only_empty).unwrap_err());
        assert!(
            err.contains("MASTHEAD_STRIPE_WEBHOOK_SECRET") && err.contains("whsec_"),
            "{only_empty:?}: {err}"
        );
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("masthead.toml"),
        "stripe_secret_key = \"sk_test_x\"\n",
    )
    .unwrap();
    assert!(
        Config::resolve(&db(dir.path())).is_err(),
        "payments on without any webhook secret"
    );
    assert!(
        Config::resolve(&db(tempfile::tempdir().unwrap().path()))
            .unwrap()
            .stripe
            .is_none()
    );
}

/// An environment holding `pairs` (variable, value) and nothing else.
fn environment(pairs: &[(&str, &str)]) -> Environment {
    Environment::from_lookup(|var| {
        pairs
            .iter()
            .find(|(v, _)| *v == var)
            .map(|(_, value)| (*value).to_owned())
    })
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("masthead.toml"),
        "url = \"https://file.example\"\ncache_mb = 1\nmail_from = \"file@file.example\"\n",
    )
    .unwrap();
    let none = environment(&[]);
    let c = Config::resolve_in(&db(dir.path()), &none).unwrap();
    assert_eq!(c.public_url, "https://file.example");
    assert_eq!((c.cache_mb, c.mail_from.as_str()), (1, "file@file.example"));

    let env = environment(&[
        ("MASTHEAD_URL", "https://env.example/"),
        ("MASTHEAD_CACHE_MB", "2"),
        ("MASTHEAD_MAIL_FROM", "  "),
    ]);
    let c = Config::resolve_in(&db(dir.path()), &env).unwrap();
    assert_eq!(c.public_url, "https://env.example");
    assert_eq!(c.cache_mb, 2);
    assert_eq!(
        c.mail_from, "file@file.example",
        "a blank variable is unset"
    );

    let flag = Overrides {
        url: Some("https://flag.example".into()),
        ..db(dir.path())
    };
    assert_eq!(
        Config::resolve_in(&flag, &env).unwrap().public_url,
        "https://flag.example"
    );
}

#[test]
fn the_data_directory_comes_from_the_flag_or_the_environment() {
    let (flag_dir, env_dir) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let env_path = env_dir.path().to_string_lossy().into_owned();
    let env = environment(&[("MASTHEAD_DATA", env_path.as_str())]);
    let c = Config::resolve_in(&Overrides::default(), &env).unwrap();
    assert_eq!(c.data_dir, env_dir.path());
    let c = Config::resolve_in(&db(flag_dir.path()), &env).unwrap();
    assert_eq!(c.data_dir, flag_dir.path());
    let c = Config::resolve_in(&Overrides::default(), &environment(&[])).unwrap();
    assert_eq!(c.data_dir, Path::new(DEFAULT_DATA));
}

#[test]
fn bad_environment_values_name_their_variable_and_what_would_work() {
    let dir = tempfile::tempdir().unwrap();
    for (var, value, expected) in [
        ("MASTHEAD_CACHE_MB", "lots", "whole number of MiB"),
        ("MASTHEAD_SEARCH_RECENCY_WEIGHT", "11", "from 0 to 10"),
        ("MASTHEAD_WEBHOOK_ALLOW_PRIVATE", "maybe", "true or false"),
        ("MASTHEAD_ADDR", "nope", "HOST:PORT"),
        ("MASTHEAD_URL", "news.example", "http://"),
        ("MASTHEAD_DATABASE_URL", "mysql://x", "postgres://"),
        ("MASTHEAD_TRUSTED_PROXIES", "proxy", "CIDR"),
        ("MASTHEAD_WORKER", "sometimes", "true or false"),
        ("MASTHEAD_JOB_LEASE_MS", "10", "at least 1000"),
    ] {
        let err = Config::resolve_in(&db(dir.path()), &environment(&[(var, value)]))
            .unwrap_err()
            .to_string();
        assert!(err.contains(var) && err.contains(expected), "{var}: {err}");
    }
}

#[test]
fn the_in_process_worker_is_on_unless_the_flag_environment_or_file_turn_it_off() {
    let dir = tempfile::tempdir().unwrap();
    let c = Config::resolve_in(&db(dir.path()), &environment(&[])).unwrap();
    assert!(c.worker);
    assert_eq!(c.job_lease_ms, DEFAULT_JOB_LEASE_MS);
    std::fs::write(
        dir.path().join("masthead.toml"),
        "worker = false\njob_lease_ms = 5000\n",
    )
    .unwrap();
    let c = Config::resolve_in(&db(dir.path()), &environment(&[])).unwrap();
    assert_eq!((c.worker, c.job_lease_ms), (false, 5000));
    let on = environment(&[("MASTHEAD_WORKER", "true")]);
    assert!(Config::resolve_in(&db(dir.path()), &on).unwrap().worker);
    let no_worker = Overrides {
        worker: Some(false),
        ..db(dir.path())
    };
    assert!(
        !Config::resolve_in(&no_worker, &on).unwrap().worker,
        "--no-worker wins"
    );
}

#[test]
fn every_variable_is_in_the_readme() {
    let readme = include_str!("../../../../README.md");
    for (key, var) in VARIABLES {
        assert!(readme.contains(&format!("`{var}`")), "{var} ({key})");
    }
}
