//! The `wastra` command: a thin shell over the library (see `wastra::cli`).
#![forbid(unsafe_code)]

// Strips of up to 64 MiB are allocated and freed continuously; glibc's
// allocator returns them to the kernel and faults fresh pages in again
// (about 0.5 s per GiB here), mimalloc keeps and reuses them.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    wastra::cli::install_panic_hook();
    std::process::exit(wastra::cli::main_with_args(std::env::args_os().collect()));
}
