//! User-facing text in Vietnamese and English: every finding's message (a
//! template over its `found` and `expected` values, keyed by its stable
//! code), the phrases several outputs share (a unit's status, an intake
//! verdict, progress, counts with their nouns, numbers, error sentences),
//! and the language itself. A command's own lines (headings of its terminal
//! output) are worded where they are printed, always in both languages
//! through [`Lang::pick`]; the low layers (`text`) describe what they read
//! in either language when asked (`english: bool`), knowing nothing of
//! [`Lang`].

use crate::archive::{ArchiveError, Verdict};
use crate::bloc::{UnitResult, UnitStatus};
use crate::digest::{Progress, SubmissionStatus};
use crate::finding::{Code, Finding, Severity};
use crate::output::WriteError;
use crate::text::number::{format_en, format_vi};

/// The language of messages (`--lang vi|en`); Vietnamese by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    pub fn is_en(self) -> bool {
        self == Lang::En
    }

    /// Picks the text for this language.
    pub fn pick<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }

    /// A number as this language writes it: `9,5` or `9.5`.
    pub fn num(self, value: f64) -> String {
        match self {
            Lang::Vi => format_vi(value),
            Lang::En => format_en(value),
        }
    }
}

/// The message template of a code: `{found}` and `{expected}` are replaced by
/// the finding's values.
pub fn template(code: Code, lang: Lang) -> &'static str {
    use Code::*;
    let (vi, en) = match code {
        NotAWorkbook => (
            "tệp không phải bảng tính xlsx, xls hay ods",
            "not a spreadsheet (xlsx, xls or ods)",
        ),
        MissingBlocTarget => (
            "cách chấm `Chỉ tiêu khối` cần chỉ tiêu của khối ở cột `Chỉ tiêu khối` (ví dụ `Từ 2 đến 3`)",
            "a `Chỉ tiêu khối` rule needs the bloc's target in the `Chỉ tiêu khối` column (e.g. `Từ 2 đến 3`)",
        ),
        BlocTargetPoints => (
            "chỉ tiêu khối không chấm điểm từng đơn vị: {found} điểm tối đa không được tính",
            "a bloc target scores no unit: its maximum of {found} points is not counted",
        ),
        OcrReading => (
            "chỉ tiêu `{found}` được đọc sau khi sửa lỗi nhận dạng chữ thành `{expected}`; hãy sửa lại trong kế hoạch",
            "the target `{found}` was read once OCR misspellings were undone, as `{expected}`; correct it in the plan",
        ),
        OtherFormat => (
            "tệp này là tài liệu {found}, không phải bảng tính; hãy gửi tệp xlsx, xls hoặc ods",
            "this file is a {found} document, not a spreadsheet; send an xlsx, xls or ods file",
        ),
        CorruptFile => (
            "tệp bị hỏng hoặc không đầy đủ, không đọc được: {found}",
            "the file is damaged or truncated and cannot be read: {found}",
        ),
        EncryptedFile => (
            "tệp có mật khẩu; hãy gỡ mật khẩu rồi gửi lại",
            "the file is password-protected; remove the password and send it again",
        ),
        FileTooLarge => (
            "tệp quá lớn ({found}); giới hạn {expected}",
            "the file is too large ({found}); the limit is {expected}",
        ),
        ExpandsTooLarge => (
            "tệp nén sẽ bung ra quá lớn ({found}); giới hạn {expected} — có thể là tệp độc hại",
            "the file would expand too far ({found}); the limit is {expected} — possibly malicious",
        ),
        TooManySheets => (
            "bảng tính có quá nhiều trang ({found}); giới hạn {expected}",
            "the workbook has too many sheets ({found}); the limit is {expected}",
        ),
        ReadTimeout => (
            "đọc tệp quá lâu (quá {expected}); đã bỏ qua để xử lý các tệp khác",
            "reading the file took too long (over {expected}); skipped so the others go on",
        ),
        SheetTooLarge => (
            "trang tính quá lớn ({found} ô); giới hạn {expected}",
            "the sheet is too large ({found} cells); the limit is {expected}",
        ),
        UnreadableFile => (
            "không mở được tệp: {found}",
            "cannot open the file: {found}",
        ),
        ReaderCrash => (
            "bộ đọc bảng tính gặp lỗi khi đọc tệp này: {found}",
            "the spreadsheet reader failed on this file: {found}",
        ),
        MissingSheet => (
            "thiếu trang tính `{expected}`{found}",
            "sheet `{expected}` is missing{found}",
        ),
        MissingColumn => (
            "thiếu cột `{expected}` ở dòng tiêu đề",
            "column `{expected}` is missing from the header row",
        ),
        ScoreSheetChosen => (
            "bảng tự chấm được đọc từ trang `{found}`; các trang `{expected}` cũng có dạng bảng tự chấm",
            "the score table was read from sheet `{found}`; sheets `{expected}` look like one too",
        ),
        LegacyEncoding => (
            "chữ có vẻ gõ bằng bảng mã cũ {expected} (không phải Unicode): `{found}`; hãy chuyển mã sang Unicode rồi gửi lại",
            "the text looks typed in the legacy {expected} encoding, not Unicode: `{found}`; convert it to Unicode and send again",
        ),
        MissingInfo => (
            "thiếu thông tin `{expected}` trong trang Thông tin",
            "`{expected}` is missing from the information sheet",
        ),
        DuplicateCode => ("mã `{found}` bị trùng", "code `{found}` is used twice"),
        MissingCode => (
            "dòng có điểm nhưng thiếu mã",
            "the row has points but no code",
        ),
        UnknownRule => (
            "cách chấm không rõ: `{found}`; dùng {expected}",
            "unknown scoring rule `{found}`; use {expected}",
        ),
        UnreadableTarget => (
            "không hiểu chỉ tiêu `{found}`",
            "cannot read the target `{found}`",
        ),
        MissingTarget => (
            "thiếu chỉ tiêu (chỉ cách chấm Tự chấm được để trống)",
            "the target is missing (only a `Tự chấm` rule may leave it empty)",
        ),
        RuleTarget => (
            "cách chấm `{found}` không hợp với chỉ tiêu này; chấm như `Đạt`",
            "rule `{found}` does not fit this target; it is scored as `Đạt`",
        ),
        BadNumber => (
            "không đọc được số `{found}`; cần {expected}",
            "cannot read the number `{found}`; expected {expected}",
        ),
        BadDate => (
            "không đọc được ngày `{found}`; cần dd/mm/yyyy",
            "cannot read the date `{found}`; expected dd/mm/yyyy",
        ),
        PointsTotal => (
            "tổng điểm tối đa các tiêu chí là {found}, khác thang điểm {expected}",
            "the indicators' maximum points add up to {found}, not the scale {expected}",
        ),
        UnknownLeader => (
            "khối trưởng `{found}` không có trong danh sách đơn vị",
            "leader `{found}` is not among the units",
        ),
        DeadlineOutsidePeriod => (
            "hạn nộp {found} nằm ngoài kỳ ({expected})",
            "deadline {found} is outside its period ({expected})",
        ),
        DuplicateUnit => (
            "mã đơn vị `{found}` bị trùng",
            "unit code `{found}` is used twice",
        ),
        UnknownGrade => (
            "xếp loại không rõ: `{found}`; dùng {expected}",
            "unknown grade `{found}`; use {expected}",
        ),
        UnknownTieBreak => (
            "tiêu chí phụ không rõ: `{found}`; dùng {expected}",
            "unknown tie-break `{found}`; use {expected}",
        ),
        UnknownScoreSource => (
            "thứ tự điểm không rõ: `{found}`; dùng {expected}",
            "unknown score source `{found}`; use {expected}",
        ),
        NoIndicators => (
            "kế hoạch không có tiêu chí nào",
            "the plan has no indicators",
        ),
        NoInfoSheet => (
            "không có trang Thông tin; nhận đơn vị `{found}` theo tên tệp và kỳ `{expected}`",
            "no information sheet; unit `{found}` taken from the file name and period `{expected}`",
        ),
        UnitFromTitle => (
            "không có trang Thông tin; nhận đơn vị `{found}` theo dòng tiêu đề này và kỳ `{expected}`",
            "no information sheet; unit `{found}` taken from this title row and period `{expected}`",
        ),
        UnknownUnit => (
            "không nhận ra đơn vị `{found}`{expected}",
            "unit `{found}` is not in the plan{expected}",
        ),
        WrongPlan => (
            "tệp thuộc kế hoạch `{found}`, không phải `{expected}`",
            "the file belongs to plan `{found}`, not `{expected}`",
        ),
        TemplateVersion => (
            "mẫu được tạo từ bảng tiêu chí khác ({found}); bảng hiện tại là {expected}",
            "the template was made from another indicator table ({found}); the current one is {expected}",
        ),
        UnknownPeriod => (
            "kỳ báo cáo không rõ: `{found}`; dùng {expected}",
            "unknown reporting period `{found}`; use {expected}",
        ),
        PeriodMismatch => (
            "tệp báo cáo kỳ `{found}`, đang kiểm tra kỳ `{expected}`",
            "the file reports period `{found}`, the check is for `{expected}`",
        ),
        MissingRow => (
            "thiếu dòng tiêu chí `{expected}`",
            "the row for indicator `{expected}` is missing",
        ),
        DuplicateRow => (
            "tiêu chí xuất hiện lần nữa (lần đầu ở {expected})",
            "the indicator appears again (first at {expected})",
        ),
        UnknownRow => (
            "dòng `{found}` không khớp tiêu chí nào của kế hoạch{expected}",
            "row `{found}` matches no indicator of the plan{expected}",
        ),
        MatchedByName => (
            "dòng `{found}` được khớp theo nội dung với tiêu chí {expected}",
            "row `{found}` was matched by its text to indicator {expected}",
        ),
        MatchedByPosition => (
            "dòng `{found}` được khớp theo vị trí (dòng duy nhất còn lại giữa hai tiêu chí đã khớp) với tiêu chí {expected}",
            "row `{found}` was matched by its place (the only row left between two matched ones) to indicator {expected}",
        ),
        AmbiguousMatch => (
            "dòng `{found}` khớp gần như ngang nhau với hai tiêu chí: {expected}; đã chọn tiêu chí thứ nhất, cần ghi mã cho rõ",
            "row `{found}` matches two indicators almost equally: {expected}; the first was taken, write the code to be sure",
        ),
        UnknownAdjustment => (
            "dòng thưởng/trừ `{found}` không có trong kế hoạch; các mục của kế hoạch: {expected}",
            "bonus/penalty row `{found}` is not in the plan; the plan's items: {expected}",
        ),
        NoAdjustments => (
            "không có dòng điểm thưởng, điểm trừ nào: coi như không có",
            "no bonus or penalty rows: none are counted",
        ),
        WeakerTarget => (
            "chỉ tiêu đăng ký `{found}` thấp hơn chỉ tiêu kế hoạch `{expected}`",
            "registered target `{found}` is weaker than the plan's `{expected}`",
        ),
        UnreadableValue => (
            "không đọc được kết quả `{found}`; cần {expected}",
            "cannot read the achieved value `{found}`; expected {expected}",
        ),
        MissingAchieved => ("chưa nhập kết quả thực hiện", "the achieved value is empty"),
        MissingBaseline => (
            "chỉ tiêu cần kết quả năm trước (cột Kết quả năm trước) nhưng không có giá trị đọc được {found}",
            "the target needs last year's value (column Kết quả năm trước) but none can be read {found}",
        ),
        NotAssigned => (
            "không giao: tiêu chí được loại khỏi điểm tối đa của đơn vị",
            "not assigned: the indicator leaves the unit's maximum",
        ),
        MissingScore => ("chưa nhập điểm tự chấm", "the self score is empty"),
        NegativeScore => (
            "điểm tự chấm âm: {found}",
            "the self score is negative: {found}",
        ),
        AboveMax => (
            "điểm {found} vượt điểm tối đa {expected}",
            "score {found} is above the maximum {expected}",
        ),
        OffStep => (
            "điểm {found} không theo bước điểm {expected}",
            "score {found} is not a multiple of the step {expected}",
        ),
        OverClaimed => (
            "tự chấm {found} cao hơn điểm theo kết quả {expected}",
            "self score {found} is above what the result supports, {expected}",
        ),
        OverCap => (
            "điểm {found} vượt mức tối đa {expected} của mục; tính {expected}",
            "{found} points exceed the item's cap {expected}; {expected} is counted",
        ),
        AdjustmentRemainder => (
            "điểm {found} không chia hết cho {expected} điểm mỗi lần",
            "{found} points is not a whole number of times {expected} points each",
        ),
        ScoreAsDate => (
            "ô điểm đã bị Excel đổi thành ngày {found} (có lẽ gõ `{expected}`); không cộng điểm này",
            "Excel turned the score into the date {found} (probably typed `{expected}`); it is not counted",
        ),
        FormulaError => (
            "ô có lỗi công thức {found}",
            "the cell holds the formula error {found}",
        ),
        FormulaNoValue => (
            "công thức `{found}` chưa có giá trị lưu; tổng được tính lại từ các dòng",
            "formula `{found}` has no saved value; the total is recomputed from the rows",
        ),
        TotalMismatch => (
            "tổng ghi {found} khác tổng các dòng {expected}; dùng {expected}",
            "the typed total {found} differs from the sum of the rows {expected}; {expected} is used",
        ),
        TextNumber => (
            "số được nhập dạng chữ `{found}`; đọc là {expected}",
            "number typed as text `{found}`; read as {expected}",
        ),
        AmbiguousNumber => (
            "số `{found}` có hai cách đọc; đã đọc là {expected}",
            "`{found}` can be read two ways; read as {expected}",
        ),
        PercentAsFraction => (
            "`{found}` được hiểu là tỷ lệ {expected}",
            "`{found}` is read as the percentage {expected}",
        ),
        Superseded => (
            "đã có bản nộp sau ({expected}); bản này không được tính",
            "superseded by a later submission ({expected}); this one is not counted",
        ),
        Conflict => (
            "hai bản nộp cùng ngày {found} khác nội dung ({expected}); đơn vị chưa được xếp hạng",
            "two submissions dated {found} differ ({expected}); the unit is not ranked until resolved",
        ),
        NotInBloc => (
            "tệp của đơn vị `{found}` không thuộc khối; không tính",
            "the file is for `{found}`, not a member of the bloc; left out",
        ),
        OtherPeriod => (
            "tệp báo cáo kỳ `{found}`, đang tổng hợp kỳ `{expected}`; không tính",
            "the file reports period `{found}`, the consolidation is for `{expected}`; left out",
        ),
        NotSubmitted => (
            "đơn vị `{found}` chưa nộp báo cáo kỳ `{expected}`: chưa nộp – không xếp loại",
            "unit `{found}` sent nothing for period `{expected}`: not ranked",
        ),
        Incomplete => (
            "chưa đọc được đủ số liệu ({found}): chưa xếp hạng, chưa xếp loại{expected}",
            "not everything could be read ({found}): not ranked or graded{expected}",
        ),
        AwardsProvisional => (
            "đề xuất khen thưởng là tạm tính: cần xử lý trước các đơn vị {found}",
            "the award proposal is provisional: units {found} must be resolved first",
        ),
        Late => (
            "nộp ngày {found}, sau hạn {expected}",
            "submitted on {found}, after the deadline {expected}",
        ),
        SkippedOutput => (
            "tệp do thidua tạo ra ({found}), không phải báo cáo của đơn vị; bỏ qua",
            "a file thidua wrote ({found}), not a unit's report; skipped",
        ),
        SkippedPlan => (
            "đây là tệp kế hoạch (có trang danh sách đơn vị và bảng tiêu chí), không phải báo cáo của đơn vị; bỏ qua",
            "this is a plan (it has the member list and the indicator table), not a unit's report; skipped",
        ),
        SkippedReview => (
            "đây là tệp thẩm định (cột Mã đơn vị, Mã, Điểm thẩm định), không phải báo cáo của đơn vị; bỏ qua",
            "this is a review file (columns Mã đơn vị, Mã, Điểm thẩm định), not a unit's report; skipped",
        ),
        ReviewApplied => (
            "điểm thẩm định {expected} thay điểm {found}",
            "reviewed score {expected} replaces {found}",
        ),
    };
    lang.pick(vi, en)
}

/// The finding's message, with its values filled in.
pub fn message(finding: &Finding, lang: Lang) -> String {
    let found = one_language(finding.found.as_deref().unwrap_or(""), lang);
    let expected = one_language(finding.expected.as_deref().unwrap_or(""), lang);
    template(finding.code, lang)
        .replace("{found}", found)
        .replace("{expected}", expected)
}

/// A value written in both languages, `số / a number` (the finding keeps
/// both, for any reader of the JSON), said in one: the Vietnamese half
/// before ` / `, the English after. Other values are returned whole.
fn one_language(value: &str, lang: Lang) -> &str {
    let vietnamese = |s: &str| {
        s.chars()
            .any(|c| matches!(c, '\u{00C0}'..='\u{024F}' | '\u{1E00}'..='\u{1EFF}'))
    };
    match value.split_once(" / ") {
        Some((vi, en)) if vietnamese(vi) && !vietnamese(en) && !en.contains(" / ") => {
            lang.pick(vi, en)
        }
        _ => value,
    }
}

pub fn severity_label(severity: Severity, lang: Lang) -> &'static str {
    match severity {
        Severity::Error => lang.pick("lỗi", "error"),
        Severity::Warning => lang.pick("cảnh báo", "warning"),
        Severity::Info => lang.pick("ghi chú", "info"),
    }
}

/// A count with its noun: `3 lỗi`; in English `1 error`, `3 errors`.
pub fn counted(n: usize, vi: &str, en_one: &str, en_many: &str, lang: Lang) -> String {
    match (lang, n) {
        (Lang::Vi, _) => format!("{n} {vi}"),
        (Lang::En, 1) => format!("1 {en_one}"),
        (Lang::En, _) => format!("{n} {en_many}"),
    }
}

/// True when the error is a closed pipe (`thidua plan … | head`): the
/// reader has what it wanted, nothing failed.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    use std::io::ErrorKind::BrokenPipe;
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == BrokenPipe)
            || cause
                .downcast_ref::<serde_json::Error>()
                .is_some_and(|e| e.io_error_kind() == Some(BrokenPipe))
    })
}

/// Why a command could not run, in the user's language: each cause of the
/// chain in turn, the errors of the system and of the libraries the tool
/// uses said as a sentence with what to do.
pub fn error_text(err: &anyhow::Error, lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let text = if let Some(e) = cause.downcast_ref::<WriteError>() {
            e.text(lang)
        } else if let Some(e) = cause.downcast_ref::<std::io::Error>() {
            io_text(e, lang)
        } else if let Some(e) = cause.downcast_ref::<ArchiveError>() {
            archive_text(e, lang)
        } else {
            cause.to_string()
        };
        // A cause already said by the line above it is not repeated.
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
    }
    parts.join(": ")
}

/// An error of the operating system as a sentence.
pub fn io_text(e: &std::io::Error, lang: Lang) -> String {
    use std::io::ErrorKind::*;
    let (vi, en) = match e.kind() {
        NotFound => ("không tìm thấy tệp hoặc thư mục", "no such file or folder"),
        PermissionDenied => (
            "không có quyền đọc hoặc ghi; kiểm tra quyền của tệp, thư mục",
            "permission denied; check the file's and folder's permissions",
        ),
        StorageFull => (
            "đĩa đã đầy; giải phóng chỗ trống rồi chạy lại",
            "the disk is full; free some space and run again",
        ),
        ReadOnlyFilesystem => ("ổ đĩa chỉ cho đọc", "the file system is read-only"),
        IsADirectory => (
            "đây là thư mục, không phải tệp",
            "this is a folder, not a file",
        ),
        NotADirectory => (
            "đường dẫn có phần không phải thư mục",
            "a part of the path is not a folder",
        ),
        _ => {
            return format!(
                "{} ({e})",
                lang.pick(
                    "lỗi hệ thống khi đọc hoặc ghi tệp",
                    "a system error reading or writing the file"
                )
            );
        }
    };
    lang.pick(vi, en).to_string()
}

fn archive_text(e: &ArchiveError, lang: Lang) -> String {
    match (e, lang) {
        (_, Lang::En) => e.to_string(),
        (ArchiveError::Io { path, source }, Lang::Vi) => format!(
            "không dùng được kho hồ sơ `{}`: {}",
            path.display(),
            io_text(source, lang)
        ),
        (ArchiveError::Ledger { path, line, why }, Lang::Vi) => format!(
            "sổ nhận `{}` dòng {line} không đọc được ({why}); sửa hoặc xóa dòng đó rồi chạy lại",
            path.display()
        ),
    }
}

/// A unit's submission for a period, as the digest says it.
pub fn submission_label(s: SubmissionStatus, lang: Lang) -> String {
    use SubmissionStatus::*;
    match s {
        OnTime => lang.pick("Đúng hạn", "On time").into(),
        Late(d) => match lang {
            Lang::Vi => format!("Trễ {d} ngày"),
            Lang::En => format!(
                "{} late",
                counted(d.max(0) as usize, "", "day", "days", lang)
            ),
        },
        Rejected => lang
            .pick("Có lỗi – chưa xếp loại", "Has errors – not ranked")
            .into(),
        Missing => lang.pick("Chưa nộp", "Not sent").into(),
    }
}

/// Progress of an indicator towards the year's target.
pub fn progress_label(p: Progress, lang: Lang) -> &'static str {
    use Progress::*;
    match p {
        Met => lang.pick("Đã đạt", "Met"),
        OnTrack => lang.pick("Đúng tiến độ", "On track"),
        Behind => lang.pick("Có nguy cơ không đạt", "At risk"),
        NotMet => lang.pick("Không đạt", "Not met"),
        NotAssigned => lang.pick("Không giao", "Not assigned"),
        NoData => lang.pick("Chưa có số liệu", "No figures yet"),
        NoTarget => "—",
    }
}

/// The intake's verdict on a file, as people say it.
pub fn verdict(v: Verdict, lang: Lang) -> &'static str {
    use Verdict::*;
    match v {
        Accepted => lang.pick("đã nhận", "accepted"),
        Rejected => lang.pick("có lỗi – không nhận", "rejected for errors"),
        Duplicate => lang.pick("gửi trùng", "duplicate"),
        Recovered => lang.pick("ghi bổ sung", "recovered"),
    }
}

/// The line that says a stored file a crash left unrecorded was written
/// into the ledger.
pub fn recovered(entry: &crate::archive::Entry, lang: Lang) -> String {
    format!(
        "{} {} ({})",
        lang.pick("Ghi bổ sung vào sổ:", "Recovered into the ledger:"),
        entry.stored_name,
        entry.unit
    )
}

/// Why a member is not ranked, in one phrase, or `None` for a ranked one:
/// the same words in the terminal, the workbook and the digest.
pub fn unit_status(u: &UnitResult, lang: Lang) -> Option<String> {
    Some(match u.status {
        UnitStatus::Ranked => return None,
        UnitStatus::Missing => lang
            .pick("Chưa nộp – không xếp loại", "Sent nothing – not ranked")
            .to_string(),
        UnitStatus::Conflict => lang
            .pick(
                "Hai bản nộp cùng ngày khác nội dung – chưa xếp hạng",
                "Two different submissions on the same day – not ranked",
            )
            .to_string(),
        UnitStatus::Rejected => format!(
            "{} `{}`, {} {}",
            lang.pick(
                "Có lỗi – chưa xếp loại: tệp",
                "Has errors – not ranked: file"
            ),
            u.file.as_deref().unwrap_or("?"),
            u.file_errors,
            match (lang, u.file_errors) {
                (Lang::Vi, _) => "lỗi (xem trang Kiểm tra)",
                (Lang::En, 1) => "error (see the Kiểm tra sheet)",
                (Lang::En, _) => "errors (see the Kiểm tra sheet)",
            }
        ),
        UnitStatus::Incomplete => format!(
            "{}: {}",
            lang.pick(
                "Chưa đủ số liệu – chưa xếp hạng, xếp loại",
                "Incomplete – not ranked or graded"
            ),
            u.unread
                .iter()
                .map(|x| x.text(lang.is_en()))
                .collect::<Vec<_>>()
                .join("; ")
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_texts_and_uses_its_values() {
        for code in Code::ALL {
            for lang in [Lang::Vi, Lang::En] {
                let t = template(*code, lang);
                assert!(!t.is_empty());
                assert!(!t.ends_with('.'), "{code}: no trailing period");
            }
        }
    }

    #[test]
    fn pins_the_above_max_message() {
        let f = Finding::new(Code::AboveMax, "a.xlsx")
            .found("12")
            .expected("10");
        assert_eq!(message(&f, Lang::Vi), "điểm 12 vượt điểm tối đa 10");
        assert_eq!(message(&f, Lang::En), "score 12 is above the maximum 10");
    }

    #[test]
    fn a_value_in_both_languages_is_said_in_one() {
        let f = Finding::new(Code::BadNumber, "a.xlsx")
            .found("mười")
            .expected("tỷ lệ % / a percentage");
        assert!(message(&f, Lang::Vi).contains("tỷ lệ %"));
        assert!(!message(&f, Lang::Vi).contains("percentage"));
        assert!(message(&f, Lang::En).contains("a percentage"));
        assert!(!message(&f, Lang::En).contains("tỷ lệ"));
        // A value that merely has a slash is kept whole.
        assert_eq!(one_language("1 / 2", Lang::En), "1 / 2");
        assert_eq!(one_language("Đạt / Không đạt", Lang::En), "Đạt / Không đạt");
    }

    #[test]
    fn docs_list_every_code() {
        let doc = include_str!("../docs/findings.md");
        for code in Code::ALL {
            assert!(
                doc.contains(&format!("`{}`", code.as_str())),
                "docs/findings.md lacks `{code}`"
            );
        }
    }
}
