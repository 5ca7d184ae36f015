//! thidua reads the workbooks of a Vietnamese emulation bloc (khối thi đua).
//!
//! The pipeline runs one way: [`workbook`] turns any xlsx/xls/ods file into
//! cells with A1 positions; [`plan`] reads the leader's plan workbook into one
//! validated [`plan::Plan`]; [`submission`] reads a unit's workbook against
//! that plan into a [`submission::Submission`] plus [`finding::Finding`]s;
//! [`score`] computes what the evidence supports; [`report`] writes
//! workbooks (blank plan, unit templates, annotated copies); [`commands`]
//! sequence those stages for each subcommand and print.

pub mod archive;
pub mod bloc;
pub mod cli;
pub mod commands;
pub mod digest;
pub mod finding;
pub mod help;
pub mod messages;
pub mod output;
pub mod plan;
pub mod rank;
pub mod report;
pub mod review;
pub mod score;
pub mod serve;
pub mod submission;
pub mod text;
pub mod vocab;
pub mod workbook;
