//! The `aiblint` binary.

/// mimalloc for small blocks, glibc's malloc for large ones (see `aiblint::alloc`).
#[global_allocator]
static ALLOCATOR: aiblint::alloc::Allocator = aiblint::alloc::Allocator;

fn main() -> std::process::ExitCode {
    aiblint::alloc::configure();
    aiblint::cli::main()
}
