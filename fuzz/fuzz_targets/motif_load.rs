//! Any bytes given as a motif file: loading must return Ok or a one-line
//! error, never panic, hang or exhaust memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Err(e) = wastra::motif::Motif::from_toml(text) {
        assert!(!e.to_string().contains('\n'), "multi-line error: {e}");
    }
});
