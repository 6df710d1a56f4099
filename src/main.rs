//! The `aiblint` binary.

fn main() -> std::process::ExitCode {
    aiblint::cli::main()
}
