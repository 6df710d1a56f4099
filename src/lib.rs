//! aiblint: lints, migrates and serves the configuration of a self-hosted LLM gateway.
//!
//! The pipeline is `text → syntax::parse → model → rules → Vec<Diagnostic> → emit`; see
//! ARCHITECTURE.md. [`lint::check_set`] is the library entry point.

pub mod alloc;
pub mod cli;
pub mod diagnostic;
pub mod emit;
pub mod fix;
pub mod generate;
pub mod host;
pub mod lint;
pub mod live;
pub mod lsp;
pub mod migrate;
pub mod model;
pub mod parallel;
pub mod rules;
pub mod settings;
pub mod syntax;
pub mod text;
pub mod workspace;
