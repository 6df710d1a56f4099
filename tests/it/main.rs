//! The integration tests, one crate so that the library and its dependencies link once:
//! each module is the suite of one concern (see ARCHITECTURE.md, `tests/it/`).

mod common;
mod live_support;

mod architecture;
mod cli;
mod cli_litellm;
mod cli_migrate;
mod cli_migrate_safety;
mod docs;
mod emit;
mod first_run;
mod fuzz_corpus;
mod generate;
mod generate_props;
mod init;
mod live;
mod live_stack;
mod lsp;
mod migrate;
mod migrate_props;
mod monitoring;
mod monitoring_live;
mod msrv;
mod precision;
mod reliability;
mod robustness;
mod rules;
mod schema;
mod syntax;
