//! Masthead's integration tests: one binary that boots the real app (`TestApp`).

mod architecture;
mod browser;
mod cache;
mod cli;
mod crawl;
mod feeds;
mod ghost_admin;
mod ghost_clients;
mod ghost_content;
mod ghost_newsletter;
mod gifts;
mod helpers;
mod http;
mod leaks;
mod members;
mod pages;
mod postgres;
mod search;
mod seo;
mod sitemaps;
mod smtp;
mod stripe;
mod theme;
mod webhook_delivery;
mod webhook_events;
mod webhooks;
