//! The `wastra` command: a thin shell over the library (see `wastra::cli`).
#![forbid(unsafe_code)]

fn main() {
    wastra::cli::install_panic_hook();
    std::process::exit(wastra::cli::main_with_args(std::env::args_os().collect()));
}
