//! Whole-command tests: one binary, one file per subcommand, a small
//! workdir helper. They run the built `thidua` and assert on exit codes,
//! messages, cells and the files written.

mod check;
mod consolidate;
mod corpus;
mod digest;
mod faults;
mod first_use;
mod init;
mod intake;
mod layouts;
mod plan;
mod samples;
mod seeds;
mod serve;
mod template;
mod workdir;
