//! The command line: clap parses, [`commands`] validates into library options
//! and calls the library. Nothing here draws or encodes.
//!
//! Exit codes: 0 success, 1 user error (bad input, unknown names, unwritable
//! output), 2 internal error, 130 interrupted (Ctrl-C; nothing is left behind).
//! Errors are one line on stderr.

mod args;
mod commands;
mod edition;

pub use args::Cli;

use crate::error::Error;

/// Runs the CLI with `args` (including the program name); returns the exit code.
pub fn main_with_args(args: Vec<std::ffi::OsString>) -> i32 {
    use clap::Parser as _;
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            use clap::error::ErrorKind::*;
            return match e.kind() {
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => {
                    let _ = e.print();
                    if e.kind() == DisplayHelpOnMissingArgumentOrSubcommand {
                        1
                    } else {
                        0
                    }
                }
                _ => {
                    eprintln!("wastra: {} (see wastra --help)", clap_one_line(&e));
                    1
                }
            };
        }
    };
    // A panic is a bug; the hook (see `install_panic_hook`) has printed one
    // line for it, and the exit code says "internal error".
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| commands::run(cli)));
    let Ok(result) = run else {
        return 2;
    };
    match result {
        Ok(()) => 0,
        // The reader of our stdout has gone (`wastra list | head -1`): what
        // it wanted, it has; like ripgrep, end quietly.
        Err(Error::Write { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("wastra: {}", one_line(&e));
            if matches!(e, Error::Interrupted) {
                130
            } else if e.is_user_error() {
                1
            } else {
                2
            }
        }
    }
}

/// clap's message up to its usage block, on one line: its first line alone
/// may end in a colon with the names (`--height <HEIGHT>`) on the next.
fn clap_one_line(e: &clap::Error) -> String {
    let text = e.render().to_string();
    let words: Vec<&str> = text
        .lines()
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let line = words.join(" ");
    let line = line.trim_start_matches("error: ");
    if line.is_empty() {
        "invalid arguments".into()
    } else {
        line.to_string()
    }
}

fn one_line(e: &Error) -> String {
    e.to_string().replace('\n', " ")
}

/// Makes a panic print one line, `wastra: internal error: …`, instead of a
/// backtrace; [`main_with_args`] then exits with code 2. Only the first panic
/// is printed (render threads may panic together).
pub fn install_panic_hook() {
    use std::sync::atomic::{AtomicBool, Ordering};
    static PRINTED: AtomicBool = AtomicBool::new(false);
    std::panic::set_hook(Box::new(|info| {
        if PRINTED.swap(true, Ordering::SeqCst) {
            return;
        }
        let msg = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".into());
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "wastra: internal error: {}{at} (this is a bug; please report it)",
            msg.replace('\n', " ")
        );
    }));
}
