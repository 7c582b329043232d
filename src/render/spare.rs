//! Buffers kept for reuse.
//!
//! A fresh multi-megabyte buffer costs its page faults, the kernel zeroing
//! each page (a fifth of an effects render's time here), and once freed it may
//! be handed back to the system and fault again. Strips and blocks are all
//! about the same size, so a few kept buffers serve every later one.

use std::sync::Mutex;

/// Bytes kept; more are dropped. The buffers in flight are a few per thread,
/// so this bounds only what a wide image's buffers keep alive.
const KEEP_BYTES: usize = 96 << 20;

/// A stack of byte buffers to reuse, shared between threads.
#[derive(Debug, Default)]
pub struct Spare(Mutex<Vec<Vec<u8>>>);

impl Spare {
    /// A buffer of `len` bytes whose contents are unspecified (the caller
    /// overwrites them all).
    pub fn take(&self, len: usize) -> Vec<u8> {
        let mut b = super::lock(&self.0).pop().unwrap_or_default();
        b.resize(len, 0);
        b
    }

    /// An empty buffer with room for `cap` bytes.
    pub fn take_empty(&self, cap: usize) -> Vec<u8> {
        let mut b = super::lock(&self.0).pop().unwrap_or_default();
        b.clear();
        b.reserve(cap);
        b
    }

    /// Keeps `b` for a later [`take`](Self::take).
    pub fn give(&self, b: Vec<u8>) {
        if b.capacity() == 0 {
            return;
        }
        let mut kept = super::lock(&self.0);
        let held: usize = kept.iter().map(Vec::capacity).sum();
        if held + b.capacity() <= KEEP_BYTES {
            kept.push(b);
        }
    }
}
