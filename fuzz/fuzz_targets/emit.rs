//! Fuzz target `emit`: see `oracles::emit` for what it checks.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::emit(data));
