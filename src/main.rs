//! The `thidua` binary: parse arguments, run the command, map the outcome
//! to an exit code (0 clean, 1 problems in the inputs, 2 could not run).

use std::process::ExitCode;

// A national run reads thousands of workbooks on several threads, each a
// burst of short-lived cells; mimalloc returns that memory instead of
// leaving it fragmented (measured in docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
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
