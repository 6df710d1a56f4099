//! Fuzz target `framing`: see `oracles::framing` for what it checks.
#![no_main]

#[path = "../oracles.rs"]
mod oracles;

libfuzzer_sys::fuzz_target!(|data: &[u8]| oracles::framing(data));
