//! The xlsx fast path (đọc nhanh xlsx). Reads an xlsx package on the
//! foundations calamine stands on (`zip`, `quick-xml`), but in one pass per
//! sheet part — values, the number formats that make a date or a
//! percentage, and merged regions together — and without the parts the tool
//! never uses (fonts, fills, borders, themes, core and app properties,
//! defined names' values). The sheet data, the shared strings and the styles
//! go through a byte scanner (`scan.rs`) where they have the shapes
//! spreadsheet programs write, and through `quick-xml` events where they do
//! not.
//!
//! It returns exactly what reading with calamine returns (custom properties
//! excepted: both readers take them from `properties` here); the differential
//! tests below and in `tests/cli/corpus.rs` hold it to that on every
//! committed workbook and every damaged file, and `examples/mutate
//! --fast-path` on damaged ones. Whatever is out of the ordinary — a
//! malformed part, a chart sheet, an unknown cell type, a number written
//! oddly, a sheet over the limits — makes it decline (`None`), and the
//! caller reads the file with calamine, which then reads it or says what is
//! wrong. Formulas are read only on demand: a sheet with a blank cell keeps
//! its XML, with the places of its `<f>` elements when the byte scanner
//! read it, and [`formulas_of`] reads them from there when asked (the
//! event reader reads the part again only for a sheet the scanner left).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::io::Cursor;
use std::sync::Arc;
use std::time::Instant;

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};

use super::{Book, Cell, Format, MAX_SHEET_CELLS, MAX_SHEETS, OpenError, Sheet, Value};

mod scan;

/// A zip archive over the file's bytes.
pub(super) type Zip<'b> = zip::ZipArchive<Cursor<&'b [u8]>>;

/// A workbook read by the fast path, and which of its sheets hold a blank
/// cell (whose formula may have to be read later), each with its part,
/// kept (it was inflated once already) for its formulas to be read from if
/// they are asked for.
pub(super) struct FastBook {
    pub book: Book,
    pub blank_sheets: Vec<(usize, SheetPart)>,
}

/// A sheet part kept for its formulas, and where its `<f>` elements are
/// when the byte scanner read it (else the event reader reads them).
#[derive(Clone)]
pub(crate) struct SheetPart {
    xml: Arc<str>,
    formulas: Option<Arc<[scan::FormulaSpan]>>,
}

/// Reads the package, or declines (`Ok(None)`). Past `deadline` no part is
/// opened any more and the read ends with [`OpenError::Timeout`]; each part
/// is read in time linear in its size, which the caller has bounded.
pub(super) fn read<'b>(
    bytes: &'b [u8],
    zip: Zip<'b>,
    deadline: Option<Instant>,
) -> Result<Option<FastBook>, OpenError> {
    let Some(mut package) = Package::new(bytes, zip, deadline) else {
        return Ok(None);
    };
    let book = read_package(&mut package, true);
    if package.timed_out {
        return Err(OpenError::Timeout);
    }
    Ok(book)
}

/// Reads with or without the byte scanner for the cells (the tests read
/// every file both ways), with no deadline.
fn read_with<'b>(bytes: &'b [u8], zip: Zip<'b>, scanner: bool) -> Option<FastBook> {
    read_package(&mut Package::new(bytes, zip, None)?, scanner)
}

/// The last part of one kind read on a thread, with what it read to.
type Last<T> = std::cell::RefCell<Option<(String, T)>>;

thread_local! {
    static LAST_DOCUMENT: Last<String> = const { std::cell::RefCell::new(None) };
    static LAST_STYLES: Last<Vec<Style>> = const { std::cell::RefCell::new(None) };
    static LAST_WORKBOOK: Last<Workbook> = const { std::cell::RefCell::new(None) };
    static LAST_PROPERTIES: Last<HashMap<String, String>> = const { std::cell::RefCell::new(None) };
}

/// What `read` makes of a part's text, remembered for the next part of the
/// kind read on this thread. The units of a bloc fill in the same
/// template, whose package, styles, workbook and properties parts are the
/// same bytes in every file: compared whole, each is read once.
fn remembered<T: Clone>(
    last: &'static std::thread::LocalKey<Last<T>>,
    text: String,
    read: impl FnOnce(&str) -> Option<T>,
) -> Option<T> {
    last.with(|last| {
        if let Some((seen, value)) = &*last.borrow()
            && *seen == text
        {
            return Some(value.clone());
        }
        let value = read(&text)?;
        *last.borrow_mut() = Some((text, value.clone()));
        Some(value)
    })
}

fn read_package(package: &mut Package<'_>, scanner: bool) -> Option<FastBook> {
    let document = remembered(
        &LAST_DOCUMENT,
        package.text("_rels/.rels")??,
        office_document,
    )?;
    let (dir, file) = match document.rfind('/') {
        Some(i) => document.split_at(i + 1),
        None => ("", document.as_str()),
    };
    let dir = dir.strip_prefix('/').unwrap_or(dir).to_string();
    let file = if file.is_empty() {
        "workbook.xml"
    } else {
        file
    };
    let strings = match package.text(&format!("{dir}sharedStrings.xml"))? {
        Some(xml) => shared_strings(&xml, scanner)?,
        None => Vec::new(),
    };
    let styles = match package.text(&format!("{dir}styles.xml"))? {
        Some(xml) if scanner => remembered(&LAST_STYLES, xml, |t| cell_styles(t, true))?,
        Some(xml) => cell_styles(&xml, scanner)?,
        None => Vec::new(),
    };
    let rels = package.text(&format!("{dir}_rels/{file}.rels"))??;
    let workbook = match package.text(&format!("{dir}{file}"))? {
        // The sheets' parts are found through the relationships, in the
        // folder: all three are what is read.
        Some(xml) => remembered(
            &LAST_WORKBOOK,
            crate::text::key_of(&[&dir, &rels, &xml]),
            |_| workbook(&xml, &relationships(&rels)?, &dir),
        )?,
        // Still read: a malformed relationships part declines the package.
        None => {
            relationships(&rels)?;
            Workbook::default()
        }
    };
    if workbook.sheets.len() > MAX_SHEETS {
        return None;
    }
    let context = Context {
        strings: &strings,
        styles: &styles,
        scanner,
    };
    let mut sheets = Vec::with_capacity(workbook.sheets.len());
    let mut blank_sheets = Vec::new();
    for (name, path) in workbook.sheets {
        let xml = package.text(&path)??;
        let (sheet, blanks, formulas) = worksheet(name, &xml, &context)?;
        if blanks {
            let xml = Arc::from(xml);
            let formulas = formulas.map(Arc::from);
            blank_sheets.push((sheets.len(), SheetPart { xml, formulas }));
        }
        sheets.push(sheet);
    }
    let properties = properties(package)?;
    Some(FastBook {
        book: Book {
            format: Format::Xlsx,
            sheets,
            properties,
        },
        blank_sheets,
    })
}

thread_local! {
    /// One inflater for every part a thread reads (a new one costs more than
    /// inflating a small part). A part is inflated whole into a buffer of
    /// its declared size; a stream libdeflate refuses is declined, and
    /// calamine, inflating with zlib, then reads the file or says why not.
    static INFLATER: std::cell::RefCell<libdeflater::Decompressor> =
        std::cell::RefCell::new(libdeflater::Decompressor::new());
}

/// The package's parts, looked up as calamine looks them up: by the
/// lower-case form of their name, `\` read as `/`.
struct Package<'b> {
    bytes: &'b [u8],
    zip: Zip<'b>,
    index: HashMap<String, usize>,
    /// When to stop opening parts, and whether that time came.
    deadline: Option<Instant>,
    timed_out: bool,
}

impl<'b> Package<'b> {
    /// Declines a package whose names collide once folded (which entry
    /// calamine would open is then its own business).
    fn new(bytes: &'b [u8], zip: Zip<'b>, deadline: Option<Instant>) -> Option<Self> {
        let mut index = HashMap::with_capacity(zip.len());
        for i in 0..zip.len() {
            let name = zip.name_for_index(i)?.ok()?;
            if index
                .insert(name.replace('\\', "/").to_ascii_lowercase(), i)
                .is_some()
            {
                return None;
            }
        }
        Some(Package {
            bytes,
            zip,
            index,
            deadline,
            timed_out: false,
        })
    }

    /// A part as text: `Some(None)` when the package has no such part,
    /// `None` (decline) when it is encrypted, stored by another method,
    /// does not inflate to its declared size and checksum, or is not UTF-8,
    /// and when the deadline has passed.
    fn text(&mut self, path: &str) -> Option<Option<String>> {
        if self.deadline.is_some_and(|at| Instant::now() >= at) {
            self.timed_out = true;
            return None;
        }
        if path.contains('\\') {
            return None;
        }
        let Some(&i) = self.index.get(&path.to_ascii_lowercase()) else {
            return Some(None);
        };
        let entry = self.zip.by_index_raw(i).ok()?;
        if entry.encrypted() {
            return None;
        }
        let start = usize::try_from(entry.data_start()?).ok()?;
        let end = start.checked_add(usize::try_from(entry.compressed_size()).ok()?)?;
        let raw = self.bytes.get(start..end)?;
        let size = usize::try_from(entry.size()).ok()?;
        let bytes = match entry.compression() {
            zip::CompressionMethod::Stored => raw.to_vec(),
            zip::CompressionMethod::Deflated => {
                let mut out = vec![0; size];
                let written = INFLATER
                    .with_borrow_mut(|inflater| inflater.deflate_decompress(raw, &mut out))
                    .ok()?;
                out.truncate(written);
                out
            }
            _ => return None,
        };
        if bytes.len() != size || crc32fast::hash(&bytes) != entry.crc32() {
            return None;
        }
        // Validated by simdutf8 (already calamine's, through encoding_rs),
        // several times faster than the standard library's check on this
        // mostly-ASCII text.
        simdutf8::basic::from_utf8(&bytes).ok()?;
        // SAFETY: `bytes` was found to be UTF-8 just above.
        Some(Some(unsafe { String::from_utf8_unchecked(bytes) }))
    }
}

/// A reader configured as calamine configures its own, so both see the
/// same events: an empty element `<x/>` comes as a start and an end, which
/// matters wherever a reader looks for the end of an `x`.
fn xml(text: &str) -> Reader<&[u8]> {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    config.expand_empty_elements = true;
    config.trim_text(false);
    reader
}

/// A reader just past the first start tag named `local` (an event reader
/// for what follows it); `None` when there is none or the XML breaks first.
fn reader_after<'a>(text: &'a str, local: &str) -> Option<Reader<&'a [u8]>> {
    let mut reader = xml(text);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == local => return Some(reader),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A tag's attributes as raw `(key, value)` pairs, without allocating;
/// `None` for a malformed one (and the iteration ends).
fn raw_attributes<'a>(e: &'a BytesStart<'_>) -> impl Iterator<Item = Option<(&'a str, &'a str)>> {
    raw_attribute_pairs(e.attributes_raw())
}

/// The `(key, value)` pairs of a tag's raw attribute text.
fn raw_attribute_pairs(raw: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
    let bytes = raw.as_bytes();
    // calamine's own attribute reader takes form feed for a space too.
    let space = |b: u8| b.is_ascii_whitespace();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        // key, optional spaces, `=`, optional spaces, a quoted value.
        let key_start = at;
        while at < bytes.len() && bytes[at] != b'=' && !space(bytes[at]) {
            at += 1;
        }
        let key = &raw[key_start..at];
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        if key.is_empty() || bytes.get(at) != Some(&b'=') {
            at = bytes.len();
            return Some(None);
        }
        at += 1;
        while at < bytes.len() && space(bytes[at]) {
            at += 1;
        }
        let quote = match bytes.get(at) {
            Some(&q @ (b'"' | b'\'')) => q,
            _ => {
                at = bytes.len();
                return Some(None);
            }
        };
        let value_start = at + 1;
        let Some(len) = bytes[value_start..].iter().position(|&b| b == quote) else {
            at = bytes.len();
            return Some(None);
        };
        at = value_start + len + 1;
        Some(Some((key, &raw[value_start..value_start + len])))
    })
}

/// The values of the named attributes of a tag; `None` when an attribute
/// is malformed or a named one repeats (calamine would take one of them).
fn attributes<'a, const N: usize>(
    e: &'a BytesStart<'_>,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    named_attributes(e.attributes_raw(), keys)
}

/// [`attributes`] from a tag's raw attribute text.
fn named_attributes<'a, const N: usize>(
    raw: &'a str,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    let mut out = [None; N];
    for pair in raw_attribute_pairs(raw) {
        let (key, value) = pair?;
        if let Some(i) = keys.iter().position(|k| *k == key)
            && out[i].replace(value).is_some()
        {
            return None;
        }
    }
    Some(out)
}

/// The value of one attribute (see [`attributes`]).
fn attribute<'a>(e: &'a BytesStart<'_>, key: &str) -> Option<Option<&'a str>> {
    attributes(e, [key]).map(|[v]| v)
}

/// `key` or `prefix:key`.
fn local_key(key: &str, local: &str) -> bool {
    key == local
        || key
            .strip_suffix(local)
            .is_some_and(|prefix| prefix.ends_with(':'))
}

/// An attribute value with its entities replaced.
fn decoded(raw: &str) -> Option<String> {
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|v| v.into_owned())
}

/// Appends what an entity reference stands for, or declines.
fn push_entity(entity: &BytesRef<'_>, out: &mut String) -> Option<()> {
    if let Some(text) = quick_xml::escape::resolve_xml_entity(entity.as_ref()) {
        out.push_str(text);
    } else {
        out.push(entity.resolve_char_ref().ok()??);
    }
    Some(())
}

/// The target of the package's `officeDocument` relationship (the last
/// one, as calamine takes it).
fn office_document(text: &str) -> Option<String> {
    let mut reader = reader_after(text, "Relationships")?;
    let mut target = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [kind, t] = attributes(&e, ["Type", "Target"])?;
                if kind.is_some_and(|t| t.ends_with("/relationships/officeDocument"))
                    && let Some(t) = t
                {
                    target = Some(decoded(t)?);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return target,
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// A relationships part: id → (target, type), raw as calamine keeps them.
fn relationships(text: &str) -> Option<HashMap<String, (String, String)>> {
    let mut reader = xml(text);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "Relationship" => {
                let [id, target, kind] = attributes(&e, ["Id", "Target", "Type"])?;
                if let Some(id) = id {
                    let target = target.unwrap_or_default();
                    let kind = kind.unwrap_or_default();
                    out.insert(id.to_string(), (target.to_string(), kind.to_string()));
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Relationships" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

#[derive(Default, Clone)]
struct Workbook {
    /// (name, part path) in the workbook's order; worksheets only.
    sheets: Vec<(String, String)>,
}

/// The workbook part: its sheets (the date system does not change what is
/// read: a date is kept as its serial). Declines chart and dialog sheets
/// (calamine cannot read their cells either).
fn workbook(text: &str, rels: &HashMap<String, (String, String)>, dir: &str) -> Option<Workbook> {
    let mut reader = xml(text);
    let mut out = Workbook::default();
    let mut names = HashSet::new();
    loop {
        let event = reader.read_event().ok()?;
        let e = match &event {
            Event::Start(e) => e,
            Event::End(e) if e.local_name().as_ref() == "workbook" => return Some(out),
            Event::Eof => return None,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "sheet" => {
                let mut name = String::new();
                let mut id = "";
                for pair in raw_attributes(e) {
                    let (key, value) = pair?;
                    match key {
                        "name" => name = decoded(value)?,
                        "state" if !matches!(value, "visible" | "hidden" | "veryHidden") => {
                            return None;
                        }
                        key if local_key(key, "id") => id = value,
                        _ => {}
                    }
                }
                let (target, kind) = rels.get(id)?;
                if kind.rsplit('/').next() != Some("worksheet") || !names.insert(name.clone()) {
                    return None;
                }
                let path = match target.strip_prefix('/') {
                    Some(absolute) => absolute.to_string(),
                    None => format!("{dir}{target}"),
                };
                out.sheets.push((name, path));
            }
            "definedName" => {
                // calamine reads the name's text; one it cannot is an error.
                let mut text = String::new();
                loop {
                    match reader.read_event().ok()? {
                        Event::GeneralRef(r) => push_entity(&r, &mut text)?,
                        Event::End(end) if end.name() == e.name() => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
            }
            _ => {}
        }
    }
}

/// Reads past the end of an element whose start was just read.
fn skip_to_end(reader: &mut Reader<&[u8]>, name: &str) -> Option<()> {
    reader
        .read_to_end(quick_xml::name::QName(name))
        .ok()
        .map(|_| ())
}

/// A rich or plain string (`<si>` of the shared strings, `<is>` of an
/// inline string): the text of its `<t>` runs, phonetic runs left out,
/// trimmed unless `xml:space="preserve"`, Excel's `_xHHHH_` escapes
/// replaced. The start tag has been read; this reads to its end.
fn string(reader: &mut Reader<&[u8]>, closing: &str) -> Option<String> {
    let mut out: Option<String> = None;
    let mut phonetic = false;
    loop {
        let event = reader.read_event().ok()?;
        let e = match &event {
            Event::Start(e) => e,
            Event::End(e) if e.name().as_ref() == closing => return Some(out.unwrap_or_default()),
            Event::End(e) if e.local_name().as_ref() == "rPh" => {
                phonetic = false;
                continue;
            }
            Event::Eof => return None,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "r" if out.is_none() => out = Some(String::new()),
            "rPh" => phonetic = true,
            "t" if !phonetic => {
                let preserve = attribute(e, "xml:space")? == Some("preserve");
                let text = element_text(reader, e.name().as_ref())?;
                let text = if preserve {
                    &text
                } else {
                    text.trim_matches([' ', '\t', '\r', '\n'])
                };
                let text = excel_unescape(text);
                match &mut out {
                    Some(s) => s.push_str(&text),
                    None => out = Some(text.into_owned()),
                }
            }
            _ => {}
        }
    }
}

/// The text of an element whose start was just read, to its end: text,
/// CDATA and entities, line ends normalised. Borrowed when it is one piece.
fn element_text<'a>(reader: &mut Reader<&'a [u8]>, name: &str) -> Option<Cow<'a, str>> {
    let mut text = Cow::Borrowed("");
    loop {
        let piece = match reader.read_event().ok()? {
            Event::Text(t) => t.xml10_content(),
            Event::CData(t) => t.xml10_content(),
            Event::GeneralRef(r) => {
                let mut resolved = String::new();
                push_entity(&r, &mut resolved)?;
                Cow::Owned(resolved)
            }
            Event::End(end) if end.name().as_ref() == name => return Some(text),
            Event::Eof => return None,
            _ => continue,
        };
        if text.is_empty() {
            text = piece;
        } else {
            text.to_mut().push_str(&piece);
        }
    }
}

/// Replaces Excel's `_xHHHH_` escapes (UTF-16 code units; a surrogate pair
/// is two escapes; an unpaired surrogate becomes U+FFFD).
fn excel_unescape(text: &str) -> Cow<'_, str> {
    // Most text has no `_` at all: one byte search, no substring searcher.
    let bytes = text.as_bytes();
    if !memchr::memchr_iter(b'_', bytes).any(|i| bytes.get(i + 1) == Some(&b'x')) {
        return Cow::Borrowed(text);
    }
    fn unit(text: &str, at: usize) -> Option<u16> {
        let b = text.as_bytes().get(at..at + 7)?;
        if b[0] != b'_'
            || b[1] != b'x'
            || b[6] != b'_'
            || !b[2..6].iter().all(u8::is_ascii_hexdigit)
        {
            return None;
        }
        u16::from_str_radix(std::str::from_utf8(&b[2..6]).ok()?, 16).ok()
    }
    let mut out = String::with_capacity(text.len());
    let (mut copied, mut at) = (0, 0);
    while let Some(offset) = text[at..].find('_') {
        let i = at + offset;
        let Some(u) = unit(text, i) else {
            at = i + 1;
            continue;
        };
        out.push_str(&text[copied..i]);
        let mut next = i + 7;
        let c = match u {
            0xD800..=0xDBFF => match unit(text, next) {
                Some(low @ 0xDC00..=0xDFFF) => {
                    next += 7;
                    char::from_u32(
                        0x10000 + ((u32::from(u) - 0xD800) << 10) + (u32::from(low) - 0xDC00),
                    )
                }
                _ => None,
            },
            0xDC00..=0xDFFF => None,
            _ => char::from_u32(u32::from(u)),
        };
        out.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
        copied = next;
        at = next;
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

/// The shared strings part.
fn shared_strings(text: &str, scanner: bool) -> Option<Vec<String>> {
    let mut reader = reader_after(text, "sst")?;
    let start = usize::try_from(reader.buffer_position()).ok()?;
    if scanner
        && !text[..start].ends_with("/>")
        && let Some(strings) = scan::shared_strings(text, start)
    {
        return Some(strings);
    }
    #[cfg(test)]
    if scanner {
        tests::EVENT_READS.with(|n| n.set(n.get() + 1));
    }
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "si" => {
                out.push(string(&mut reader, e.name().as_ref())?);
            }
            Event::End(e) if e.local_name().as_ref() == "sst" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// What a cell style (`<xf>` of `cellXfs`) does to a number.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Style {
    date: DateKind,
    percent: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum DateKind {
    No,
    DateTime,
    Duration,
}

/// The cell styles of the styles part, in order: read by the byte scanner
/// where it can, by events otherwise.
fn cell_styles(text: &str, scanner: bool) -> Option<Vec<Style>> {
    if scanner && let Some(styles) = scan::styles(text) {
        return Some(styles);
    }
    #[cfg(test)]
    if scanner {
        tests::EVENT_READS.with(|n| n.set(n.get() + 1));
    }
    let mut reader = xml(text);
    let mut formats: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "numFmts" => loop {
                match reader.read_event().ok()? {
                    Event::Start(f) if f.local_name().as_ref() == "numFmt" => {
                        if let [Some(id), Some(code)] = attributes(&f, ["numFmtId", "formatCode"])?
                        {
                            formats.insert(id.to_string(), decoded(code)?);
                        }
                    }
                    Event::End(f) if f.local_name().as_ref() == "numFmts" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::Start(e) if e.local_name().as_ref() == "cellXfs" => loop {
                match reader.read_event().ok()? {
                    Event::Start(x) if x.local_name().as_ref() == "xf" => {
                        out.push(style(attribute(&x, "numFmtId")?, &formats)?);
                        // calamine reads to the first end of an `xf`, which
                        // may be a nested empty one's.
                        loop {
                            match reader.read_event().ok()? {
                                Event::End(end) if end.local_name().as_ref() == "xf" => break,
                                Event::Eof => return None,
                                _ => {}
                            }
                        }
                    }
                    Event::End(x) if x.local_name().as_ref() == "cellXfs" => break,
                    Event::Eof => return None,
                    _ => {}
                }
            },
            Event::End(e) if e.local_name().as_ref() == "styleSheet" => return Some(out),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// One cell style from its number format id.
fn style(id: Option<&str>, formats: &HashMap<String, String>) -> Option<Style> {
    let Some(id) = id else {
        return Some(Style {
            date: DateKind::No,
            percent: false,
        });
    };
    // Ids are plain numbers; anything else is left to calamine.
    if id.is_empty()
        || id.len() > 9
        || !id.bytes().all(|b| b.is_ascii_digit())
        || id.len() > 1 && id.starts_with('0')
    {
        return None;
    }
    let custom = formats.get(id);
    let number: u32 = id.parse().ok()?;
    let date = match custom {
        Some(code) => date_kind(code),
        None => builtin_date_kind(number),
    };
    let code = custom
        .map(String::as_str)
        .or_else(|| builtin_code(number))
        .unwrap_or("General");
    Some(Style {
        date,
        percent: code.contains('%'),
    })
}

/// Whether a custom number format shows a date or time: the first section
/// holds a date or time letter outside quotes, escapes and brackets, or an
/// elapsed-time bracket like `[h]`.
fn date_kind(code: &str) -> DateKind {
    let (mut escaped, mut quoted, mut ampm, mut elapsed) = (false, false, false, false);
    let mut brackets = 0u8;
    let mut prev = ' ';
    for c in code.chars() {
        if escaped {
            escaped = false;
        } else if matches!(c, '_' | '\\' | '*') {
            // The next character is a literal.
            escaped = true;
        } else if quoted {
            quoted = c != '"';
        } else if c == '"' {
            quoted = true;
        } else if c == ';' {
            return DateKind::No;
        } else if c == '[' {
            brackets = brackets.wrapping_add(1);
        } else if c == ']' && brackets == 1 && elapsed {
            return DateKind::Duration;
        } else if c == ']' {
            brackets = brackets.saturating_sub(1);
        } else if brackets == 0 && !ampm && matches!(c, 'a' | 'A') {
            ampm = true;
        } else if brackets == 0
            && if ampm {
                matches!(c, 'p' | 'm' | '/' | 'P' | 'M')
            } else {
                matches!(c.to_ascii_lowercase(), 'd' | 'm' | 'h' | 'y' | 's')
            }
        {
            // After an `a` (AM/PM), `p`, `m` or `/`; else a date letter.
            return DateKind::DateTime;
        } else if !(elapsed && c.eq_ignore_ascii_case(&prev)) {
            elapsed = prev == '[' && matches!(c.to_ascii_lowercase(), 'm' | 'h' | 's');
        }
        prev = c;
    }
    DateKind::No
}

/// The built-in number formats (ECMA-376 18.8.30) that show dates and times.
fn builtin_date_kind(id: u32) -> DateKind {
    match id {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => DateKind::DateTime,
        46 => DateKind::Duration,
        _ => DateKind::No,
    }
}

/// The built-in number formats whose code holds `%`; the others only
/// matter here for not holding one.
fn builtin_code(id: u32) -> Option<&'static str> {
    match id {
        9 => Some("0%"),
        10 => Some("0.00%"),
        0..=4 | 11..=22 | 37..=49 => Some("General"),
        _ => None,
    }
}

struct Context<'a> {
    strings: &'a [String],
    styles: &'a [Style],
    /// Cells read by the byte scanner where it can (always, but in tests).
    scanner: bool,
}

/// One worksheet part: its cells, merged regions, and whether a cell came
/// back blank.
/// A sheet part's cells and merged regions, whether a cell came back
/// blank, and where its formulas are if the byte scanner read its data.
fn worksheet(
    name: String,
    text: &str,
    context: &Context<'_>,
) -> Option<(Sheet, bool, Option<Vec<scan::FormulaSpan>>)> {
    let mut reader = xml(text);
    let mut sheet = Sheet::new(name);
    // The first `mergeCells` block, wherever it is, as calamine finds it.
    let mut merges: Option<Vec<Dimensions>> = None;
    let mut formulas = None;
    let blanks = loop {
        let event = reader.read_event().ok()?;
        let e = match &event {
            Event::Start(e) => e,
            Event::Eof => return None,
            _ => continue,
        };
        match e.local_name().as_ref() {
            // calamine refuses a sheet whose declared range it cannot read.
            "dimension" => {
                range(attribute(e, "ref")??)?;
            }
            "sheetData" => {
                let start = usize::try_from(reader.buffer_position()).ok()?;
                // The byte scanner reads the common shapes; the events what
                // it gives up on (and an empty `<sheetData/>`).
                let scanned = (context.scanner && !text[..start].ends_with("/>"))
                    .then(|| scan::cells(&sheet.name, text, start, context))
                    .flatten();
                let (blanks, end) = match scanned {
                    Some(found) => {
                        sheet = found.sheet;
                        formulas = Some(found.formulas);
                        // The event reader goes on from `</sheetData>`, its
                        // open elements as if it had read the data itself.
                        *reader.get_mut() = &text.as_bytes()[found.end_tag..];
                        reader.read_event().ok()?;
                        (found.blanks, found.end_tag)
                    }
                    None => {
                        #[cfg(test)]
                        if context.scanner {
                            tests::EVENT_READS.with(|n| n.set(n.get() + 1));
                        }
                        let blanks = cells(&mut reader, &mut sheet, context)?;
                        (blanks, usize::try_from(reader.buffer_position()).ok()?)
                    }
                };
                // calamine takes the first `mergeCells` of the part, even one
                // inside the data (in a string, say); such a sheet is its.
                if merges.is_none()
                    && memchr::memmem::find(&text.as_bytes()[..end], b"mergeCells").is_some()
                {
                    return None;
                }
                break blanks;
            }
            "mergeCells" if merges.is_none() => merges = Some(merge_cells(&mut reader)?),
            _ => {}
        }
    };
    if merges.is_none() {
        // After the data; an unreadable rest gives no regions, as calamine's
        // separate scan gives none when it fails.
        merges = Some(loop {
            match reader.read_event() {
                Ok(Event::Start(e)) if e.local_name().as_ref() == "mergeCells" => {
                    break merge_cells(&mut reader)?;
                }
                Ok(Event::Eof) | Err(_) => break Vec::new(),
                Ok(_) => {}
            }
        });
    }
    sheet.merges = merges.unwrap_or_default();
    Some((sheet, blanks, formulas))
}

/// The cells of `<sheetData>`, whose start was just read. True when a cell
/// came back blank.
fn cells(reader: &mut Reader<&[u8]>, sheet: &mut Sheet, context: &Context<'_>) -> Option<bool> {
    let (mut row, mut col) = (0u32, 0u32);
    let mut blanks = false;
    loop {
        let event = reader.read_event().ok()?;
        let e = match &event {
            Event::Start(e) => e,
            Event::End(e) => {
                match e.local_name().as_ref() {
                    "row" => (row, col) = (row.checked_add(1)?, 0),
                    "sheetData" => return Some(blanks),
                    _ => {}
                }
                continue;
            }
            Event::Eof => return None,
            _ => continue,
        };
        match e.local_name().as_ref() {
            "row" => {
                if let Some(r) = attribute(e, "r")? {
                    row = row_number(r)?;
                }
            }
            "c" => {
                let [r, s, kind] = attributes(e, ["r", "s", "t"])?;
                let at = match r {
                    Some(r) => cell_position(r)?,
                    None => (row, col),
                };
                col = at.1.checked_add(1)?;
                let style = match s {
                    Some(s) => Some(index(s)?),
                    None => None,
                };
                let mut value = Value::Empty;
                loop {
                    match reader.read_event().ok()? {
                        Event::Start(child) => {
                            value = cell_value(reader, &child, kind, style, context)?;
                        }
                        Event::End(end) if end.local_name().as_ref() == "c" => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                place(sheet, at, value, style, context, &mut blanks)?;
            }
            "mergeCells" => return None,
            _ => {}
        }
    }
}

/// Puts a cell either reader read into the sheet. A blank value only
/// marks the sheet as having one; a sheet over the cell limit is declined.
fn place(
    sheet: &mut Sheet,
    at: (u32, u32),
    value: Value,
    style: Option<usize>,
    context: &Context<'_>,
    blanks: &mut bool,
) -> Option<()> {
    if value == Value::Empty {
        *blanks = true;
        return Some(());
    }
    // Cells out of order (which no spreadsheet program writes) are left to
    // calamine, rather than sorted in one by one.
    if sheet.len() >= MAX_SHEET_CELLS || sheet.last_position().is_some_and(|last| last >= at) {
        return None;
    }
    // A cell without a style takes style 0's percent sign (but is never a
    // date), as calamine's two lookups differ.
    let percent = context
        .styles
        .get(style.unwrap_or(0))
        .is_some_and(|s| s.percent);
    sheet.insert(
        at.0,
        at.1,
        Cell {
            value,
            formula: None,
            percent,
        },
    );
    Some(())
}

/// The value of one child element of a cell (`<v>`, `<is>`, `<f>`); the
/// last child read is the cell's value, as in calamine.
fn cell_value(
    reader: &mut Reader<&[u8]>,
    e: &BytesStart<'_>,
    kind: Option<&str>,
    style: Option<usize>,
    context: &Context<'_>,
) -> Option<Value> {
    match e.local_name().as_ref() {
        "is" => string(reader, e.name().as_ref()).map(text_value),
        "f" => {
            skip_to_end(reader, e.name().as_ref())?;
            Some(Value::Empty)
        }
        "v" => match kind {
            Some("inlineStr" | "is") => {
                skip_to_end(reader, e.name().as_ref())?;
                Some(Value::Empty)
            }
            None | Some("n" | "s" | "b" | "e") => {
                // Only the first piece of text counts, as in calamine.
                let raw = match reader.read_event().ok()? {
                    Event::Text(t) => Some(t.into_inner()),
                    Event::End(end) if end.name() == e.name() => return Some(Value::Empty),
                    Event::Eof => return None,
                    _ => None,
                };
                skip_to_end(reader, e.name().as_ref())?;
                match raw {
                    Some(raw) => plain_value(&raw, kind, style, context),
                    None => Some(Value::Empty),
                }
            }
            Some(other) => {
                let text = element_text_plain(reader, e.name().as_ref())?;
                match other {
                    "str" => Some(text_value(excel_unescape(&text).into_owned())),
                    "d" => Some(Value::DateText(text)),
                    _ => None,
                }
            }
        },
        _ => None,
    }
}

/// A `<v>` of a number, shared string, boolean or error cell.
fn plain_value(
    raw: &str,
    kind: Option<&str>,
    style: Option<usize>,
    context: &Context<'_>,
) -> Option<Value> {
    match kind {
        Some("s") if raw.is_empty() => Some(Value::Empty),
        Some("s") => Some(text_value(context.strings.get(index(raw)?)?.clone())),
        Some("b") => match raw.trim() {
            "" => Some(Value::Empty),
            v if v == "0" || v.eq_ignore_ascii_case("false") => Some(Value::Bool(false)),
            v if v == "1" || v.eq_ignore_ascii_case("true") => Some(Value::Bool(true)),
            _ => None,
        },
        Some("e") => matches!(
            raw,
            "#DIV/0!" | "#N/A" | "#NAME?" | "#NULL!" | "#NUM!" | "#REF!" | "#VALUE!"
        )
        .then(|| Value::Error(raw.to_string())),
        _ if raw.is_empty() => Some(Value::Empty),
        _ => {
            let n = number(raw)?;
            let date = style
                .and_then(|s| context.styles.get(s))
                .is_some_and(|s| s.date != DateKind::No);
            Some(if date {
                Value::Date(n)
            } else if n.is_finite() {
                Value::Number(n)
            } else {
                Value::Text(n.to_string())
            })
        }
    }
}

/// A string cell's value: blank text is no value.
fn text_value(text: String) -> Value {
    if text.trim().is_empty() {
        Value::Empty
    } else {
        Value::Text(text)
    }
}

/// A number written plainly (`-12`, `0.5`, `.5`, `1E-3`); anything else
/// (`inf`, `+1`, spaces) is left to calamine.
fn number(raw: &str) -> Option<f64> {
    let b = raw.as_bytes();
    let mut i = usize::from(b.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let from = *i;
        while b.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - from
    };
    let mut mantissa = digits(&mut i);
    if b.get(i) == Some(&b'.') {
        i += 1;
        mantissa += digits(&mut i);
    }
    if mantissa == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(b.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    raw.parse().ok()
}

/// A style or shared-string index: plain digits.
fn index(raw: &str) -> Option<usize> {
    if raw.is_empty() || raw.len() > 9 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// The regions of a `<mergeCells>` block whose start was just read. A
/// block calamine cannot read gives no regions, as it does there.
fn merge_cells(reader: &mut Reader<&[u8]>) -> Option<Vec<Dimensions>> {
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "mergeCell" => {
                if let Some(text) = attribute(&e, "ref")? {
                    match range(text) {
                        Some(region) => out.push(region),
                        None => return Some(Vec::new()),
                    }
                }
            }
            Ok(Event::End(e)) if e.local_name().as_ref() == "mergeCells" => return Some(out),
            Ok(Event::Eof) | Err(_) => return Some(Vec::new()),
            Ok(_) => {}
        }
    }
}

/// `A1:C3` (or `B2`) as zero-based rows and columns, as calamine reads a
/// dimension or a merged region; `None` where calamine refuses it.
fn range(text: &str) -> Option<Dimensions> {
    let mut parts = text.split(':');
    let start = cell_position(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => cell_position(p)?,
        None => start,
    };
    if parts.next().is_some() {
        return None;
    }
    // A reversed range is kept as written, as calamine keeps it.
    Some(Dimensions::new(start, end))
}

/// `B12` as (11, 1): letters (either case) then digits, row from 1.
fn cell_position(cell: &str) -> Option<(u32, u32)> {
    let bytes = cell.as_bytes();
    let (mut col, mut letters) = (0u32, 0);
    // Four letters are already too many: no need to read further.
    while let Some(b) = bytes
        .get(letters)
        .filter(|b| letters < 4 && b.is_ascii_alphabetic())
    {
        col = col * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1);
        letters += 1;
    }
    if letters == 0 || letters > 3 {
        return None;
    }
    Some((row_number(&cell[letters..])?, col - 1))
}

/// A row attribute (`12`) as zero-based.
fn row_number(text: &str) -> Option<u32> {
    if text.is_empty() || text.len() > 7 {
        return None;
    }
    // At most seven digits: no overflow.
    let number = text.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })?;
    number.checked_sub(1)
}

/// The formulas of one sheet part (its XML) the fast path read, as
/// calamine gives them cell by cell (`next_cell_with_formula`): the text of
/// each `<f>`, a shared formula's anchor text, and its other cells' formulas
/// shifted from the anchor by calamine's own `expand_shared_formula`. A
/// formula calamine cannot read ends the reading there, as it does there.
pub(super) fn formulas_of(part: &SheetPart) -> HashMap<(u32, u32), String> {
    let mut out = HashMap::new();
    match &part.formulas {
        Some(spans) => spanned_formulas(&part.xml, spans, &mut out),
        None => sheet_formulas(&part.xml, &mut out),
    };
    out
}

/// [`sheet_formulas`] from the places the byte scanner noted, without
/// reading the part again: the same formulas, and the same stop where one
/// cannot be read.
fn spanned_formulas(
    text: &str,
    spans: &[scan::FormulaSpan],
    out: &mut HashMap<(u32, u32), String>,
) -> Option<()> {
    let mut shared = Vec::new();
    for cell in spans.chunk_by(|a, b| a.cell == b.cell) {
        let mut formula = None;
        for span in cell {
            let content = plain_text(&text[span.content.clone()])?;
            let attributes =
                attributes_as_calamine(&text[span.attributes.clone()], ["t", "si", "ref"])?;
            formula = formula_of(content, attributes, span.at, &mut shared)?;
        }
        if let Some(f) = formula.filter(|f| !f.is_empty()) {
            #[cfg(test)]
            tests::SPANNED_FORMULAS.with(|n| n.set(n.get() + 1));
            out.insert(cell[0].at, f);
        }
    }
    Some(())
}

/// The text of an element's content holding no markup, as
/// [`element_text_plain`] reads it: line ends normalised in each run of
/// text, entities replaced.
fn plain_text(content: &str) -> Option<String> {
    let mut out = String::with_capacity(content.len());
    let mut runs = content.split('&');
    let first = runs.next().unwrap_or_default();
    out.push_str(&quick_xml::events::BytesText::from_escaped(first).xml10_content());
    for run in runs {
        let (name, rest) = run.split_once(';')?;
        push_entity(&BytesRef::new(name), &mut out)?;
        out.push_str(&quick_xml::events::BytesText::from_escaped(rest).xml10_content());
    }
    Some(out)
}

/// Reads the formulas of a sheet part into `out`; `None` where calamine
/// would stop with an error.
fn sheet_formulas(text: &str, out: &mut HashMap<(u32, u32), String>) -> Option<()> {
    let mut reader = reader_after(text, "sheetData")?;
    let (mut row, mut col) = (0u32, 0u32);
    // Shared formulas by index: the anchor's text and position.
    let mut shared: Vec<Option<(String, (u32, u32))>> = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "row" => {
                if let Some(r) = attribute(&e, "r")? {
                    row = row_number(r)?;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "row" => {
                (row, col) = (row.checked_add(1)?, 0);
            }
            Event::Start(e) if e.local_name().as_ref() == "c" => {
                let [r, kind] = attributes(&e, ["r", "t"])?;
                let at = match r {
                    Some(r) => cell_position(r)?,
                    None => (row, col),
                };
                col = at.1.checked_add(1)?;
                let mut formula = None;
                loop {
                    match reader.read_event().ok()? {
                        Event::Start(f) if f.local_name().as_ref() == "f" => {
                            formula = cell_formula(&mut reader, &f, at, &mut shared)?;
                        }
                        Event::Start(child) => skip_value(&mut reader, &child, kind)?,
                        Event::End(end) if end.local_name().as_ref() == "c" => break,
                        Event::Eof => return None,
                        _ => {}
                    }
                }
                if let Some(f) = formula.filter(|f| !f.is_empty()) {
                    out.insert(at, f);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "sheetData" => return Some(()),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// Reads past a cell's value element as calamine's value reader does (an
/// empty `<v/>` is a start and an end, and must not be read "to its end").
fn skip_value(reader: &mut Reader<&[u8]>, e: &BytesStart<'_>, kind: Option<&str>) -> Option<()> {
    match e.local_name().as_ref() {
        "is" => string(reader, e.name().as_ref()).map(|_| ()),
        "v" => match kind {
            Some("inlineStr" | "is") => skip_to_end(reader, e.name().as_ref()),
            None | Some("n" | "s" | "b" | "e") => match reader.read_event().ok()? {
                Event::End(end) if end.name() == e.name() => Some(()),
                Event::Eof => None,
                _ => skip_to_end(reader, e.name().as_ref()),
            },
            Some(_) => element_text_plain(reader, e.name().as_ref()).map(|_| ()),
        },
        _ => None,
    }
}

/// One `<f>` (its start just read) of the cell at `at`.
fn cell_formula(
    reader: &mut Reader<&[u8]>,
    f: &BytesStart<'_>,
    at: (u32, u32),
    shared: &mut Vec<Option<(String, (u32, u32))>>,
) -> Option<Option<String>> {
    let text = element_text_plain(reader, f.name().as_ref())?;
    let attributes = attributes_as_calamine(f.attributes_raw(), ["t", "si", "ref"])?;
    formula_of(text, attributes, at, shared)
}

/// The named attributes of a `<f>` as calamine's formula reader takes them
/// (its `get_attrs!`), which is laxer than [`named_attributes`]: a key runs
/// to the next `=`, trailing blanks trimmed; a repeated key keeps its last
/// value; reading stops once as many keys as asked for were met, so a
/// malformed attribute after them is never seen. `None` where it stops
/// with an error: a key with no `=`, a value without quotes. The fast path
/// has accepted the sheet by then, so it cannot decline: it must read what
/// calamine reads.
fn attributes_as_calamine<'a, const N: usize>(
    raw: &'a str,
    keys: [&str; N],
) -> Option<[Option<&'a str>; N]> {
    let bytes = raw.as_bytes();
    let mut out = [None; N];
    let (mut at, mut found) = (0, 0);
    loop {
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        if at >= bytes.len() {
            return Some(out);
        }
        let key_start = at;
        at += memchr::memchr(b'=', &bytes[at..])?;
        let key = raw[key_start..at].trim_ascii_end();
        at += 1;
        while bytes.get(at).is_some_and(u8::is_ascii_whitespace) {
            at += 1;
        }
        let quote = *bytes.get(at).filter(|q| matches!(q, b'"' | b'\''))?;
        let value_start = at + 1;
        let value_end =
            memchr::memchr(quote, &bytes[value_start..]).map_or(bytes.len(), |n| value_start + n);
        at = (value_end + 1).min(bytes.len());
        if let Some(i) = keys.iter().position(|k| *k == key) {
            out[i] = Some(&raw[value_start..value_end]);
            found += 1;
        }
        if found == N {
            return Some(out);
        }
    }
}

/// The formula of a `<f>` with this text and these `t`, `si` and `ref`
/// attributes, in the cell at `at`: a shared formula's anchor is noted, and
/// a cell sharing it gets the anchor's formula moved to where it is.
fn formula_of(
    text: String,
    [kind, index_attr, range_attr]: [Option<&str>; 3],
    at: (u32, u32),
    shared: &mut Vec<Option<(String, (u32, u32))>>,
) -> Option<Option<String>> {
    if kind != Some("shared") {
        return Some(Some(text));
    }
    let i = index(index_attr?)?;
    match range_attr {
        Some(r) => {
            let start = range(r)?.start;
            if shared.len() <= i {
                shared.resize(i + 1, None);
            }
            shared[i] = Some((text.clone(), start));
            Some(Some(text))
        }
        None => match shared.get(i).cloned().flatten() {
            Some((template, start)) => calamine::expand_shared_formula(&template, start, at)
                .ok()
                .map(Some),
            None => Some(None),
        },
    }
}

/// The text of an element whose start was just read: text and entities,
/// line ends normalised (CDATA is not text here, as in calamine's formula
/// reader).
fn element_text_plain(reader: &mut Reader<&[u8]>, name: &str) -> Option<String> {
    let mut text = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Text(t) => text.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => push_entity(&r, &mut text)?,
            Event::End(end) if end.name().as_ref() == name => return Some(text),
            Event::Eof => return None,
            _ => {}
        }
    }
}

/// The package's custom properties (`docProps/custom.xml`); none when
/// the part cannot be read. Both readers take them from here, so a damaged
/// core or app part (which makes calamine give no properties at all) does
/// not hide the template's plan code.
fn properties(package: &mut Package<'_>) -> Option<HashMap<String, String>> {
    Some(match package.text("docProps/custom.xml")? {
        Some(text) => remembered(&LAST_PROPERTIES, text, |t| {
            Some(custom_properties(t).unwrap_or_default())
        })?,
        None => HashMap::new(),
    })
}

/// The custom properties of an xlsx package held in memory, for the
/// calamine reader (see [`properties`]).
pub(super) fn custom_properties_of(bytes: &[u8]) -> HashMap<String, String> {
    Zip::new(Cursor::new(bytes))
        .ok()
        .and_then(|zip| Package::new(bytes, zip, None))
        .and_then(|mut package| properties(&mut package))
        .unwrap_or_default()
}

/// `docProps/custom.xml`: each `<property name="…">`'s value as text.
fn custom_properties(text: &str) -> Option<HashMap<String, String>> {
    let mut reader = xml(text);
    let mut out = HashMap::new();
    let (mut name, mut value, mut in_value) = (None, String::new(), false);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == "property" => {
                name = match attribute(&e, "name")? {
                    Some(raw) => Some(decoded(raw)?),
                    None => None,
                };
                value.clear();
            }
            // The value is the text of the `vt:*` element inside.
            Event::Start(_) => in_value = name.is_some(),
            Event::Text(t) if in_value => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let mut resolved = String::new();
                push_entity(&r, &mut resolved)?;
                if in_value {
                    value.push_str(&resolved);
                }
            }
            Event::End(e) => {
                in_value = false;
                if e.local_name().as_ref() == "property"
                    && let Some(name) = name.take()
                {
                    out.insert(name, std::mem::take(&mut value));
                }
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// For the differential tests and the fuzzer: where the fast path's reading
/// of an xlsx package differs from calamine's — sheets, cells, percent
/// signs, merged regions, properties, which sheets may hold formulas.
/// `None` when the fast path declines the package or calamine cannot read
/// it (nothing to compare).
#[doc(hidden)]
pub fn differences_from_calamine(bytes: &[u8]) -> Option<Vec<String>> {
    // calamine's own panics on damaged input are not the fast path's.
    let slow = std::panic::catch_unwind(|| super::open::read_xlsx(bytes.to_vec()));
    let slow = slow.ok()?.ok();
    let mut out = Vec::new();
    let mut read_any = false;
    for scanner in [true, false] {
        let zip = Zip::new(Cursor::new(bytes)).ok()?;
        let Some(fast) = read_with(bytes, zip, scanner) else {
            continue;
        };
        read_any = true;
        let Some(slow) = &slow else {
            // Read here, refused by calamine: not comparable.
            return None;
        };
        let how = if scanner { "scanned" } else { "events" };
        out.extend(
            compare(&fast, slow)
                .into_iter()
                .map(|d| format!("{how}: {d}")),
        );
    }
    read_any.then_some(out)
}

/// Where a fast reading differs from calamine's.
fn compare(fast: &FastBook, slow: &Book) -> Vec<String> {
    let mut out = Vec::new();
    let (ours, theirs) = (&fast.book, slow);
    if ours.properties != theirs.properties {
        out.push(format!(
            "properties {:?} ≠ calamine {:?}",
            ours.properties, theirs.properties
        ));
    }
    let names = |b: &Book| b.sheets.iter().map(|s| s.name.clone()).collect::<Vec<_>>();
    if names(ours) != names(theirs) {
        out.push(format!(
            "sheets {:?} ≠ calamine {:?}",
            names(ours),
            names(theirs)
        ));
        return out;
    }
    for (i, (a, b)) in ours.sheets.iter().zip(&theirs.sheets).enumerate() {
        let cells = |s: &Sheet| {
            s.cells()
                .map(|(p, c)| (p, c.value.clone(), c.percent))
                .collect::<Vec<_>>()
        };
        let (ca, cb) = (cells(a), cells(b));
        if ca != cb {
            let first = ca.iter().zip(&cb).find(|(x, y)| x != y);
            out.push(format!(
                "{}: {} cells ≠ calamine {}; first difference {first:?}",
                a.name,
                ca.len(),
                cb.len()
            ));
        }
        if a.merges != b.merges {
            out.push(format!(
                "{}: merges {:?} ≠ calamine {:?}",
                a.name, a.merges, b.merges
            ));
        }
        let part = fast
            .blank_sheets
            .iter()
            .find(|(k, _)| *k == i)
            .map(|(_, x)| x);
        if part.is_some() != b.lazy_formulas.is_some() {
            out.push(format!("{}: blank cells seen differently", a.name));
        }
        if let Some(part) = part {
            let mut ours: Vec<_> = formulas_of(part).into_iter().collect();
            ours.sort();
            if part.formulas.is_some() {
                // Read from the scanner's notes: as the events read them.
                let mut events = HashMap::new();
                sheet_formulas(&part.xml, &mut events);
                let mut events: Vec<_> = events.into_iter().collect();
                events.sort();
                if ours != events {
                    out.push(format!(
                        "{}: {} formulas from the scan ≠ {} from events; first difference {:?}",
                        a.name,
                        ours.len(),
                        events.len(),
                        ours.iter().zip(&events).find(|(x, y)| x != y)
                    ));
                }
            }
            let theirs = b.all_formulas();
            if ours != theirs {
                out.push(format!(
                    "{}: {} formulas ≠ calamine {}; first difference {:?}",
                    a.name,
                    ours.len(),
                    theirs.len(),
                    ours.iter().zip(&theirs).find(|(x, y)| x != y)
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    thread_local! {
        /// Sheets, shared-string tables and styles parts the byte scanner
        /// gave to the event reader.
        pub(super) static EVENT_READS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// Formulas read from the byte scanner's notes.
        pub(super) static SPANNED_FORMULAS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    proptest::proptest! {
        /// A formula's text read from the scanner's note of where it is
        /// equals the text the event reader reads: line ends normalised in
        /// each run, entities and character references replaced, a bad
        /// reference refused by both.
        #[test]
        fn formula_text_as_the_events_read_it(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "Đạt", " ", "\"", "'", "\r", "\n", "\r\n", "&amp;", "&lt;", "&gt;",
                    "&quot;", "&apos;", "&#10;", "&#13;", "&#x41;", "&#0;", "&nbsp;", "&#xD800;",
                ]),
                0..12,
            )
        ) {
            let content = parts.concat();
            let xml_text = format!("<f>{content}</f>");
            let mut reader = xml(&xml_text);
            let by_events = match reader.read_event() {
                Ok(Event::Start(_)) => element_text_plain(&mut reader, "f"),
                _ => None,
            };
            proptest::prop_assert_eq!(plain_text(&content), by_events);
        }
    }

    #[test]
    fn excel_escapes_and_surrogates() {
        assert_eq!(excel_unescape("a_x000D_b"), "a\rb");
        assert_eq!(excel_unescape("_x005F_x000D_"), "_x000D_");
        assert_eq!(excel_unescape("_xD83D__xDCF7_"), "📷");
        assert_eq!(excel_unescape("_xD83D_x"), "\u{FFFD}x");
        assert_eq!(excel_unescape("_x12_ plain"), "_x12_ plain");
    }

    #[test]
    fn date_formats_as_calamine_reads_them() {
        for (code, kind) in [
            ("dd/mm/yyyy", DateKind::DateTime),
            ("[$-42A]dd/mm/yyyy", DateKind::DateTime),
            ("[h]:mm:ss", DateKind::Duration),
            ("#,##0.00_);[Red](#,##0.00)", DateKind::No),
            ("0.0%", DateKind::No),
            ("\"ngày\" 0", DateKind::No),
            ("General;dd", DateKind::No),
            ("AM/PM h", DateKind::DateTime),
            ("_(* #,##0_)", DateKind::No),
            ("[Red]0", DateKind::No),
        ] {
            assert_eq!(date_kind(code), kind, "{code}");
        }
    }

    /// A committed workbook with one part's text changed by `edit`.
    fn edited(file: &str, part: &str, edit: impl Fn(String) -> String) -> Vec<u8> {
        edited_bytes(file, part, |data| {
            edit(String::from_utf8(data).unwrap()).into_bytes()
        })
    }

    /// A committed workbook with one part's bytes changed by `edit`.
    fn edited_bytes(file: &str, part: &str, edit: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
        use std::io::{Read, Write};
        let good = std::fs::read(format!("{}/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
        let mut zip = zip::ZipArchive::new(Cursor::new(&good[..])).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            let name = entry.name().unwrap().to_string();
            let mut data = Vec::new();
            entry.read_to_end(&mut data).unwrap();
            if name == part {
                data = edit(data);
            }
            out.start_file(name, zip::write::SimpleFileOptions::default())
                .unwrap();
            out.write_all(&data).unwrap();
        }
        out.finish().unwrap().into_inner()
    }

    /// A part that is not UTF-8 — a Vietnamese letter cut after its first
    /// byte, a stray Latin-1 byte — is declined, and calamine says what it
    /// makes of the file; the same text whole is read.
    #[test]
    fn a_part_that_is_not_utf8_is_declined() {
        let with = |bad: &[u8]| {
            edited_bytes(
                "samples/ktkt-2022/don-vi/KBNN_NAM.xlsx",
                "xl/sharedStrings.xml",
                |mut data| {
                    let at = data.windows(3).position(|w| w == b"<t>").unwrap() + 3;
                    data.splice(at..at, bad.iter().copied());
                    data
                },
            )
        };
        let read =
            |bytes: &[u8]| read_with(bytes, Zip::new(Cursor::new(bytes)).unwrap(), true).is_some();
        assert!(read(&with("Ừ".as_bytes())));
        assert!(!read(&with(&"Ừ".as_bytes()[..1])));
        assert!(!read(&with(b"\xff")));
    }

    /// A damaged core-properties part (calamine then gives no properties
    /// at all) does not hide the custom ones, through either reader.
    #[test]
    fn custom_properties_survive_a_damaged_core_part() {
        let damaged = edited(
            "samples/ktkt-2022/don-vi/KBNN_NAM.xlsx",
            "docProps/core.xml",
            |_| "<cp:coreProperties><dc:title>&bogus;</dc:title>".to_string(),
        );
        let plan = crate::vocab::PROP_PLAN;
        let fast = crate::workbook::read_bytes(damaged.clone()).unwrap();
        let slow = crate::workbook::open::read_xlsx(damaged).unwrap();
        assert!(fast.properties.contains_key(plan), "{:?}", fast.properties);
        assert_eq!(fast.properties, slow.properties);
    }

    /// A `<f>` whose attributes are odd is read as calamine's formula
    /// reader reads it (found by the fuzzer: the fast path, which accepted
    /// the sheet, stopped at such a tag where calamine went on): a key
    /// holding a blank, a repeated key, a malformed attribute after the
    /// three it wants, one before them, a value without quotes.
    #[test]
    fn odd_formula_attributes_read_as_calamine_reads_them() {
        let anchor = r#"<f t="shared" ref="G2:G5" si="0">"#;
        for odd in [
            r#"<f bad t="shared" ref="G2:G5" si="0">"#,
            r#"<f t="x" t="shared" ref="G2:G5" si="0">"#,
            r#"<f t="shared" ref="G2:G5" si="0" x y>"#,
            r#"<f t="shared" ref="G2:G5" oops si="0">"#,
            r#"<f t=shared ref="G2:G5" si="0">"#,
            r#"<f t="shared" si="0" ref="G2:G5" si="1">"#,
        ] {
            let bytes = edited(
                "tests/fixtures/openpyxl-formulas.xlsx",
                "xl/worksheets/sheet1.xml",
                |xml| {
                    assert!(xml.contains(anchor));
                    xml.replace(anchor, odd)
                },
            );
            assert_eq!(differences_from_calamine(&bytes), Some(Vec::new()), "{odd}");
        }
    }

    /// Formulas as calamine gives them: an empty `<v/>` after the
    /// formula (as openpyxl writes it), a shared formula shifted to the
    /// cells below its anchor, entities replaced.
    #[test]
    fn formulas_as_calamine_reads_them() {
        let xml = r#"<worksheet><sheetData><row r="2"><c r="A2"><f>SUM(B1:B2)</f><v/></c><c r="B2"><f t="shared" ref="B2:B4" si="0">A2*2</f><v>1</v></c></row><row r="3"><c r="B3"><f t="shared" si="0"/><v>2</v></c><c r="C3" t="str"><f>"a"&amp;"b"</f><v>ab</v></c></row></sheetData></worksheet>"#;
        let mut out = HashMap::new();
        assert_eq!(sheet_formulas(xml, &mut out), Some(()));
        assert_eq!(out[&(1, 0)], "SUM(B1:B2)");
        assert_eq!(out[&(1, 1)], "A2*2");
        assert_eq!(out[&(2, 1)], "A3*2");
        assert_eq!(out[&(2, 2)], "\"a\"&\"b\"");
        assert_eq!(out.len(), 4);
    }

    #[test]
    fn plain_numbers_only() {
        assert_eq!(number("-12.5E-1"), Some(-1.25));
        assert_eq!(number(".5"), Some(0.5));
        assert_eq!(number("5."), Some(5.0));
        for odd in ["", "-", "+1", " 1", "1e", "inf", "NaN", "1,5", "0x10", "."] {
            assert_eq!(number(odd), None, "{odd:?}");
        }
    }

    #[test]
    fn positions_and_ranges() {
        assert_eq!(cell_position("ab10"), Some((9, 27)));
        assert_eq!(cell_position("A0"), None);
        assert_eq!(cell_position("10"), None);
        assert_eq!(cell_position("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_position("ABCD1"), None);
        assert_eq!(cell_position("AAAAAAAAAAAAAAAA1"), None);
        assert_eq!(cell_position("A12345678"), None);
        assert_eq!(cell_position("A1x"), None);
        assert_eq!(cell_position("A-1"), None);
        assert_eq!(range("B2:C3"), Some(Dimensions::new((1, 1), (2, 2))));
        assert_eq!(range("C3:B2"), Some(Dimensions::new((2, 2), (1, 1))));
        assert_eq!(range("A1:B2:C3"), None);
    }
}

#[cfg(test)]
mod differential {
    /// Every committed xlsx — samples, fixtures, the layouts corpus — reads
    /// the same through the fast path as through calamine, and most are not
    /// declined.
    #[test]
    fn committed_workbooks_agree_with_calamine() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    if path.file_name().is_some_and(|n| n == "node_modules") {
                        continue;
                    }
                    walk(&path, out);
                } else if path.extension().is_some_and(|e| {
                    e.eq_ignore_ascii_case("xlsx") || e.eq_ignore_ascii_case("xlsm")
                }) {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        walk(&root.join("samples"), &mut files);
        walk(&root.join("tests"), &mut files);
        let mut compared = 0;
        let mut declined = Vec::new();
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            match super::differences_from_calamine(&bytes) {
                Some(differences) => {
                    assert!(
                        differences.is_empty(),
                        "{}: {differences:?}",
                        path.display()
                    );
                    compared += 1;
                }
                None => declined.push(path.display().to_string()),
            }
        }
        // Every committed sheet, string table and styles part is read by
        // the byte scanner.
        assert_eq!(super::tests::EVENT_READS.with(|n| n.get()), 0);
        // Formulas of sheets with blank cells (openpyxl's, LibreOffice's
        // unsaved ones) come from the scanner's notes, and agree with the
        // event reader and calamine.
        let spanned = super::tests::SPANNED_FORMULAS.with(|n| n.get());
        assert!(spanned > 300, "{spanned} formulas read from the scan");
        assert!(
            compared > 100,
            "{compared} of {} files compared; declined: {declined:?}",
            files.len()
        );
    }
}
