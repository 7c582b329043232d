//! The `wastra` command: a thin shell over the library (see `wastra::cli`).
#![forbid(unsafe_code)]

fn main() {
    std::process::exit(wastra::cli::main_with_args(std::env::args_os().collect()));
}
