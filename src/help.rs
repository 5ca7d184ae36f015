//! The command line in the user's language: which language (`--lang`, else
//! the environment's `LC_ALL`/`LC_MESSAGES`/`LANG`, else Vietnamese), the
//! help pages and argument errors in Vietnamese (clap writes English; the
//! English text stays in the doc comments of [`crate::cli`]).

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory, FromArgMatches};

use crate::cli::Cli;
use crate::messages::Lang;

/// The language asked for: `--lang` on the command line wins, then an
/// English locale in the environment; Vietnamese otherwise.
pub fn language(args: &[String]) -> Lang {
    let mut named = None;
    for (i, a) in args.iter().enumerate() {
        let value = match a.strip_prefix("--lang") {
            Some("") => args.get(i + 1).map(String::as_str),
            Some(rest) => rest.strip_prefix('='),
            None => None,
        };
        match value {
            Some("en") => named = Some(Lang::En),
            Some("vi") => named = Some(Lang::Vi),
            _ => {}
        }
    }
    named.unwrap_or_else(|| {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.starts_with("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    })
}

/// Parses the command line; help, version and argument errors are printed
/// in `lang` and end the process (0 for help, 2 for errors).
pub fn parse(args: Vec<std::ffi::OsString>, lang: Lang) -> Cli {
    let mut command = Cli::command();
    if lang == Lang::Vi {
        command = vietnamese(command, "");
    }
    let matches = match command.clone().try_get_matches_from(&args) {
        Ok(m) => m,
        Err(e) => exit_with(e, &command, &args, lang),
    };
    let mut cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    cli.lang = lang;
    cli
}

fn exit_with(e: clap::Error, command: &Command, args: &[std::ffi::OsString], lang: Lang) -> ! {
    let quiet = matches!(
        e.kind(),
        ErrorKind::DisplayHelp
            | ErrorKind::DisplayVersion
            | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if quiet || lang == Lang::En {
        e.exit();
    }
    let sub = args.iter().skip(1).find_map(|a| command.find_subcommand(a));
    let usage = sub
        .map(|s| s.clone().render_usage().to_string())
        .unwrap_or_else(|| command.clone().render_usage().to_string());
    let name = sub.map(|s| s.get_name().to_string());
    eprintln!("thidua: {}", error_text(&e));
    eprintln!();
    eprintln!("Cách dùng: {}", usage.trim().trim_start_matches("Usage: "));
    eprintln!();
    eprintln!(
        "Xem thêm: thidua {}--help",
        name.map(|n| format!("{n} ")).unwrap_or_default()
    );
    std::process::exit(2);
}

/// A clap error said in Vietnamese from its context.
fn error_text(e: &clap::Error) -> String {
    let get = |kind| e.get(kind).map(context_text).unwrap_or_default();
    let suggestion = |kind| {
        e.get(kind)
            .map(|v| format!("; có phải ý bạn là `{}`?", context_text(v)))
            .unwrap_or_default()
    };
    match e.kind() {
        ErrorKind::MissingRequiredArgument => {
            format!("thiếu tham số bắt buộc: {}", get(ContextKind::InvalidArg))
        }
        ErrorKind::UnknownArgument => format!(
            "không có tùy chọn `{}`{}",
            get(ContextKind::InvalidArg),
            suggestion(ContextKind::SuggestedArg)
        ),
        ErrorKind::InvalidSubcommand => format!(
            "không có lệnh `{}`{}",
            get(ContextKind::InvalidSubcommand),
            suggestion(ContextKind::SuggestedSubcommand)
        ),
        ErrorKind::InvalidValue => format!(
            "giá trị `{}` không dùng được cho {}; các giá trị: {}",
            get(ContextKind::InvalidValue),
            get(ContextKind::InvalidArg),
            get(ContextKind::ValidValue)
        ),
        ErrorKind::ValueValidation => format!(
            "giá trị `{}` của {} không hợp lệ",
            get(ContextKind::InvalidValue),
            get(ContextKind::InvalidArg)
        ),
        ErrorKind::ArgumentConflict => format!(
            "{} không dùng cùng {}",
            get(ContextKind::InvalidArg),
            get(ContextKind::PriorArg)
        ),
        ErrorKind::TooManyValues => {
            format!("thừa giá trị `{}`", get(ContextKind::InvalidValue))
        }
        ErrorKind::NoEquals | ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("thiếu giá trị cho {}", get(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => "thiếu lệnh".to_string(),
        ErrorKind::InvalidUtf8 => "tham số có ký tự không đọc được (không phải UTF-8)".into(),
        _ => "tham số không hợp lệ".to_string(),
    }
}

fn context_text(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(list) => list.join(", "),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(list) => list
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        _ => String::new(),
    }
}

/// The command with its help in Vietnamese: about texts, argument help,
/// headings, usage and the help/version flags. `path` is the subcommand's
/// name (`""` for the top level).
fn vietnamese(command: Command, path: &str) -> Command {
    let mut command = command
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .help_template("{about-with-newline}\nCách dùng: {usage}\n\n{all-args}{after-help}")
        .subcommand_help_heading("Lệnh")
        .subcommand_value_name("LỆNH")
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("In hướng dẫn này")
                .help_heading("Tùy chọn"),
        );
    if path.is_empty() {
        command = command.arg(
            Arg::new("version")
                .short('V')
                .long("version")
                .action(ArgAction::Version)
                .help("In số phiên bản")
                .help_heading("Tùy chọn"),
        );
    }
    if let Some(about) = about(path) {
        command = command.about(about);
    }
    let ids: Vec<(String, bool, bool)> = command
        .get_arguments()
        .filter(|a| a.get_id() != "help" && a.get_id() != "version")
        .map(|a| {
            let valued = a.get_action().takes_values();
            (a.get_id().to_string(), a.is_positional(), valued)
        })
        .collect();
    for (id, positional, valued) in ids {
        let text = arg_help(path, &id);
        command = command.mut_arg(id.as_str(), |a| {
            // clap's `[default: …]` and `[possible values: …]` are English;
            // the Vietnamese help says them itself.
            let a = a
                .help_heading(if positional {
                    "Đối số"
                } else {
                    "Tùy chọn"
                })
                .hide_default_value(valued)
                .hide_possible_values(valued);
            match text {
                Some(t) => a.help(t),
                None => a,
            }
        });
    }
    let subs: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for name in subs {
        command = command.mut_subcommand(name.as_str(), |s| vietnamese(s, &name));
    }
    let usage = command
        .clone()
        .render_usage()
        .to_string()
        .replace("Usage: ", "")
        .replace("[OPTIONS]", "[TÙY CHỌN]")
        .replace("<COMMAND>", "<LỆNH>");
    let usage = match path {
        "" => usage.trim().to_string(),
        _ => format!("thidua {}", usage.trim()),
    };
    command.override_usage(usage)
}

fn about(command: &str) -> Option<&'static str> {
    Some(match command {
        "" => "Kiểm tra, chấm điểm, xếp hạng và tổng hợp bảng tính thi đua của khối",
        "init" => "Tạo tệp kế hoạch trống để điền (khởi tạo)",
        "plan" => "Kiểm tra kế hoạch và cho biết mỗi chỉ tiêu, cách chấm được hiểu thế nào",
        "template" => "Tạo bảng tính mẫu cho từng đơn vị từ kế hoạch",
        "check" => "Kiểm tra bảng tính của các đơn vị theo kế hoạch",
        "intake" => "Kiểm tra và lưu hồ sơ đơn vị gửi vào kho, ghi sổ nhận",
        "digest" => "Bản tin tháng từ kho hồ sơ",
        "consolidate" => "Chấm điểm, áp dụng thẩm định, xếp hạng và ghi bảng tổng hợp",
        "serve" => "Phục vụ trang web để các đơn vị kiểm tra và gửi bảng tính",
        "access" => "Xem đơn vị nào đã có mã truy cập trang web, hoặc cấp mã mới",
        _ => return None,
    })
}

fn arg_help(command: &str, arg: &str) -> Option<&'static str> {
    Some(match (command, arg) {
        ("", "lang") => {
            "Ngôn ngữ thông báo: vi (tiếng Việt) hoặc en (tiếng Anh); mặc định theo LANG của máy, không có thì vi"
        }
        (_, "plan") => "Tệp kế hoạch (xlsx, xls hoặc ods)",
        ("init", "dir") => "Thư mục ghi `ke-hoach.xlsx` (tạo nếu chưa có)",
        (_, "force") => "Ghi đè tệp đã có",
        ("plan", "format") | ("check", "format") => {
            "Dạng kết quả: text (văn bản, mặc định) hoặc json"
        }
        ("template", "out") => "Thư mục ghi các bảng tính mẫu",
        ("template", "units") => "Chỉ các đơn vị này (mã); mặc định tất cả",
        ("template", "period") | ("consolidate", "period") => {
            "Mã hoặc tên kỳ báo cáo (mặc định: kỳ cuối của kế hoạch, báo cáo năm)"
        }
        ("check", "files") | ("consolidate", "inputs") => {
            "Bảng tính của các đơn vị, hoặc thư mục (tìm các tệp xlsx/xlsm/xls/ods)"
        }
        ("check", "period") => "Kỳ báo cáo được kiểm tra (mặc định: kỳ cuối của kế hoạch)",
        ("check", "annotate") => {
            "Ghi vào thư mục này bản sao mỗi tệp, đánh dấu các ô có vấn đề và thêm trang `Lỗi`"
        }
        (_, "jobs") => "Số luồng đọc bảng tính (mặc định 0: tất cả các nhân)",
        ("consolidate", "review") => {
            "Tệp thẩm định của khối trưởng (Mã đơn vị, Mã, Điểm thẩm định, Lý do)"
        }
        ("consolidate", "out") => "Bảng tổng hợp sẽ ghi (.xlsx)",
        ("consolidate", "json") => "Ghi thêm kết quả dạng JSON (.json)",
        ("intake", "archive") | ("digest", "archive") => "Thư mục kho hồ sơ (tạo nếu chưa có)",
        ("intake", "received") => {
            "Thời điểm nhận: `2022-12-15`, `2022-12-15 08:30` hoặc `15/12/2022` (mặc định: bây giờ), cho hồ sơ nhận trước đó qua thư điện tử"
        }
        ("intake", "period") => {
            "Kỳ báo cáo của các tệp (mặc định: kỳ ghi trong từng tệp; tệp không ghi thì kỳ cuối của kế hoạch)"
        }
        ("intake", "files") => "Các bảng tính đơn vị gửi",
        ("digest", "month") => "Tháng: `2022-07` hoặc `07/2022`",
        ("digest", "out") => "Bản tin sẽ ghi (.xlsx)",
        ("digest", "markdown") => "Ghi thêm bản tin dạng Markdown (.md)",
        ("digest", "html") => "Ghi thêm bản tin dạng HTML (.html) để dán vào thư điện tử",
        ("access", "archive") => "Thư mục kho hồ sơ mà lệnh phục vụ dùng",
        ("access", "renew") => "Cấp mã truy cập mới cho đơn vị này (mã cũ hết hiệu lực)",
        ("template", "archive") => {
            "Kho hồ sơ của lệnh phục vụ: mỗi bảng tính ghi mã truy cập mới của đơn vị (mã cũ hết hiệu lực)"
        }
        ("serve", "archive") => "Thư mục kho hồ sơ, dùng chung với lệnh nhận (tạo nếu chưa có)",
        ("serve", "listen") => {
            "Địa chỉ lắng nghe (mặc định 127.0.0.1:8080, chỉ máy này; dùng sau máy chủ ủy quyền có TLS cho mạng cơ quan)"
        }
        ("serve", "max_upload") => "Tệp tải lên lớn nhất, MiB (mặc định 20)",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_command_line_names_the_language() {
        assert_eq!(
            language(&args(&["thidua", "--lang", "en", "plan"])),
            Lang::En
        );
        assert_eq!(language(&args(&["thidua", "plan", "--lang=vi"])), Lang::Vi);
    }

    #[test]
    fn every_argument_has_vietnamese_help() {
        let command = Cli::command();
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            assert!(about(name).is_some(), "{name}");
            for arg in sub.get_arguments() {
                let id = arg.get_id().as_str();
                assert!(arg_help(name, id).is_some(), "{name} {id}");
            }
        }
        // The help pages build (clap checks them in debug builds).
        vietnamese(command, "").debug_assert();
    }
}
