//! The one integration-test binary: temporary repositories driven by real git and by the real
//! `changes` binary, in a sealed environment (see `harness`).

mod checks;
mod collect;
mod commands;
mod config;
mod conventions;
mod eval;
mod faults;
mod findings;
mod harness;
mod hooks;
mod hostile;
mod integrations;
mod models;
mod profiles;
mod push;
mod report;
mod rules_hostile;
mod secrets;
mod snapshots;
mod trust;
