//! The `thidua` binary: parse arguments, run the command, map the outcome
//! to an exit code (0 clean, 1 problems in the inputs, 2 could not run).

use std::process::ExitCode;

use clap::Parser;

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
        let reported = std::thread::current().name() == Some("thidua-read")
            || thidua::output::panic_is_reported();
        if !reported {
            default_hook(info);
        }
    }));
    let cli = thidua::cli::Cli::parse();
    match thidua::commands::run(cli) {
        Ok(status) => status.into(),
        Err(err) => {
            // A closed pipe (`thidua plan … | head`) is not a failure.
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("thidua: {err:#}");
            ExitCode::from(2)
        }
    }
}
