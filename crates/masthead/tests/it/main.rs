//! Masthead's integration tests: one binary that boots the real app (`TestApp`).
#![allow(
    clippy::unwrap_used,
    clippy::missing_panics_doc,
    reason = "test helpers panic on failure, and the failing test says where"
)]
#![allow(
    clippy::too_many_lines,
    reason = "a test is one scenario, read from top to bottom"
)]
#![allow(
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::used_underscore_binding,
    clippy::case_sensitive_file_extension_comparisons,
    clippy::needless_pass_by_value,
    reason = "tests count a handful of things, keep their temporary folder alive in `_dir`, compare the exact names we produce, and hand fixtures over by value"
)]

mod architecture;
mod browser;
mod cache;
mod cli;
mod cli_member_import;
mod cli_tiers;
mod code_injection;
mod codes;
mod console_journey;
mod console_permissions;
mod console_settings;
mod crawl;
mod credentials;
mod dashboard;
mod editor_bundle;
mod feeds;
mod ghost_admin;
mod ghost_admin_members_filters;
mod ghost_admin_tiers;
mod ghost_clients;
mod ghost_content;
mod ghost_newsletter;
mod gifts;
mod grace_setting;
mod helpers;
mod html_valid;
mod http;
mod import_csv;
mod jobs;
mod leaks;
mod logs;
mod media;
mod member_activity;
mod member_import;
mod members;
mod members_console;
mod newsroom;
mod newsroom_journey;
mod newsroom_media;
mod newsroom_ops;
mod newsroom_posts;
mod newsroom_social;
mod newsroom_tags;
mod page_numbers;
mod pages;
mod postgres;
mod rate_limits;
mod redirects;
mod retention_offer;
mod revisions;
mod schedule_restart;
mod search;
mod seo;
mod sitemaps;
mod smtp;
mod staff_ops;
mod stripe;
mod stripe_order;
mod stripe_subscriptions_fake;
mod theme;
mod tiers;
mod webhook_delivery;
mod webhook_events;
mod webhooks;
