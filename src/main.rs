//! The `thidua` binary: parse arguments, run the command, map the outcome
//! to an exit code (0 clean, 1 problems in the inputs, 2 could not run).

use std::process::ExitCode;

// A national run reads thousands of workbooks on several threads, each a
// burst of short-lived cells; mimalloc returns that memory instead of
// leaving it fragmented (measured in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay` (the sixteenth option of
/// `mi_option_e` in its `mimalloc.h`; the Rust bindings do not name it).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Lets mimalloc give freed pages back to the system at once instead of a
/// second later: each workbook is a burst of cells freed once it is checked,
/// and with pages kept for later the bursts add up (peak memory at 1,200
/// workbooks: about 60 MB → 40 MB, no slower; docs/performance.md).
fn return_freed_memory_at_once() {
    // SAFETY: sets one mimalloc option by number; it runs first in `main`,
    // before any other thread exists, as the setter is not thread safe.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, 0) };
}

fn main() -> ExitCode {
    return_freed_memory_at_once();
    // A panic inside the spreadsheet reader (a calamine bug on a damaged
    // file) is caught and reported as a `reader-crash` finding; its raw
    // message would only alarm the user. Other panics print as usual.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let reported = thidua::workbook::panic_is_reported() || thidua::output::panic_is_reported();
        if !reported {
            default_hook(info);
        }
    }));
    // File names need not be UTF-8; only the language is read from text.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let text: Vec<String> = args
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let lang = thidua::help::language(&text);
    let cli = thidua::help::parse(args, lang);
    match thidua::commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // A closed pipe (`thidua plan … | head`) is not a failure.
            if thidua::messages::is_broken_pipe(&err) {
                return ExitCode::SUCCESS;
            }
            eprintln!("thidua: {}", thidua::messages::error_text(&err, lang));
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purge_delay_is_the_option_set() {
        // SAFETY: reads an option; no other thread sets one.
        let get = || unsafe { libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY) };
        // mimalloc's default delay (1,000 ms), unless the environment set
        // one: the number names the purge delay.
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(get(), 1000);
        }
        return_freed_memory_at_once();
        assert_eq!(get(), 0);
    }
}
