//! The `aiblint` binary.

/// mimalloc: large sets check a third faster than with glibc's malloc (see Cargo.toml).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    aiblint::cli::main()
}
