//! The server's integration tests, one binary: each module is an area,
//! speaking HTTP to a real server on 127.0.0.1 with a temporary SQLite file
//! (`common`, shared with the benchmarks). One binary links the server once.
//!
//! Run one area with `cargo test -p gocua-server --test server sync::`.

mod common;
mod server_process;

mod accounts;
mod api;
mod app_shell;
mod audit_with_change;
mod authorization;
mod busy;
mod cli;
mod commune_filter;
mod commune_setup;
mod community_sessions;
mod contract;
mod convergence;
mod dashboard;
mod demo;
mod exports;
mod faults;
mod migrations;
mod moving_up;
mod operations;
mod personal_data;
mod provinces;
mod scope;
mod several_servers;
mod sign_in_limits;
mod submission;
mod sync;
mod voiding;
