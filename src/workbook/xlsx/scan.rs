//! The cells of a worksheet's `<sheetData>`, and the shared strings, read
//! by a byte scanner rather than by events: the shapes every spreadsheet
//! program writes — rows, cells holding a `<v>` value and perhaps an `<f>`
//! formula, strings of one plain run — and nothing else. Anything it does not know (an inline string, a comment, an entity
//! in a value, an element it has no rule for) makes it give up, and the
//! event reader in the parent module reads the sheet instead; both must
//! give the same cells (the differential tests and the fuzzer compare the
//! whole fast path with calamine).

use std::collections::HashMap;

use super::{
    Context, Style, cell_position, decoded, excel_unescape, index, named_attributes, place,
    plain_value, row_number, style, text_value,
};
use crate::workbook::{Sheet, Value};

/// At most this many cells are reserved ahead for a sheet.
const RESERVED_CELLS: usize = 1 << 16;

/// What the scan found: the sheet's cells, whether one came back blank,
/// where `</sheetData>` starts, and where its formulas are.
pub(super) struct Scanned {
    pub sheet: Sheet,
    pub blanks: bool,
    pub end_tag: usize,
    pub formulas: Vec<FormulaSpan>,
}

/// A `<f>` the scan passed: the cell it is in (counted from the first, and
/// its position), and where its raw attributes and its content are in the
/// part. Its text is read from there only if the sheet's formulas are asked
/// for, without reading the part again.
#[derive(Clone, Debug)]
pub(super) struct FormulaSpan {
    pub cell: usize,
    pub at: (u32, u32),
    pub attributes: std::ops::Range<usize>,
    pub content: std::ops::Range<usize>,
}

/// The formulas met so far, and how many cells came before this one.
struct Formulas {
    spans: Vec<FormulaSpan>,
    cell: usize,
}

/// A tag: its local name, raw attributes (and where they start), whether
/// it closes itself, and the offset past its `>`.
struct Tag<'a> {
    name: &'a str,
    local: &'a str,
    attributes: &'a str,
    attributes_at: usize,
    closed: bool,
    end: usize,
}

/// Scans the cells from `at`, just past the `<sheetData>` start tag.
pub(super) fn cells(
    name: &str,
    text: &str,
    mut at: usize,
    context: &Context<'_>,
) -> Option<Scanned> {
    let mut sheet = Sheet::new(name);
    // Room for as many cells as the data can hold (a cell with a value
    // takes at least 16 bytes, `<c><v>1</v></c>`), in one allocation rather
    // than a doubling series of them (peak memory: docs/performance.md);
    // room never written is never touched. A bigger sheet grows from there.
    sheet.reserve(((text.len() - at) / 16).min(RESERVED_CELLS));
    let (mut row, mut col) = (0u32, 0u32);
    let mut blanks = false;
    let mut formulas = Formulas {
        spans: Vec::new(),
        cell: 0,
    };
    // Rows open: the elements must balance, so that the event reader,
    // which goes on after the data, is where it would have been.
    let mut open = false;
    loop {
        // The common cell tag is read without the general tag reader.
        let (attributes, closed) = match plain_cell_tag(text.as_bytes(), at) {
            Some(c) => {
                at = c.end;
                let values = c.attributes.map(|a| a.map(|(from, to)| &text[from..to]));
                (values, c.closed)
            }
            None => {
                let tag = match next_markup(text, at)? {
                    Markup::End { local, start, end } => {
                        match local {
                            "row" if open => (row, col, open) = (row.checked_add(1)?, 0, false),
                            "sheetData" if !open => {
                                return Some(Scanned {
                                    sheet,
                                    blanks,
                                    end_tag: start,
                                    formulas: formulas.spans,
                                });
                            }
                            _ => return None,
                        }
                        at = end;
                        continue;
                    }
                    Markup::Start(tag) => tag,
                };
                at = tag.end;
                match tag.local {
                    "row" if !open => {
                        if let [Some(r)] = named_attributes(tag.attributes, ["r"])? {
                            row = row_number(r)?;
                        }
                        if tag.closed {
                            (row, col) = (row.checked_add(1)?, 0);
                        } else {
                            open = true;
                        }
                        continue;
                    }
                    "c" => (
                        named_attributes(tag.attributes, ["r", "s", "t"])?,
                        tag.closed,
                    ),
                    _ => return None,
                }
            }
        };
        let (position, value, style) = cell(
            text,
            &mut at,
            attributes,
            closed,
            (row, col),
            context,
            &mut formulas,
        )?;
        formulas.cell += 1;
        col = position.1.checked_add(1)?;
        place(&mut sheet, position, value, style, context, &mut blanks)?;
    }
}

/// One cell from past its start tag: its position (its `r`, or `next`),
/// its value and its style, with `at` moved past it.
fn cell(
    text: &str,
    at: &mut usize,
    [r, s, kind]: [Option<&str>; 3],
    closed: bool,
    next: (u32, u32),
    context: &Context<'_>,
    formulas: &mut Formulas,
) -> Option<((u32, u32), Value, Option<usize>)> {
    let position = match r {
        Some(r) => cell_position(r)?,
        None => next,
    };
    let style = match s {
        Some(s) => Some(index(s)?),
        None => None,
    };
    let value = if closed {
        Value::Empty
    } else {
        let (value, end) = cell_children(text, *at, kind, style, context, position, formulas)?;
        *at = end;
        value
    };
    Some((position, value, style))
}

/// A `<c>` start tag as spreadsheet programs write it: no prefix, and
/// only `r`, `s` and `t` attributes, each once, after one space, in double
/// quotes. It reads as the general tag reader reads it; any other tag is
/// left to that reader.
struct PlainCell {
    /// Where the values of `r`, `s` and `t` are.
    attributes: [Option<(usize, usize)>; 3],
    closed: bool,
    end: usize,
}

fn plain_cell_tag(bytes: &[u8], at: usize) -> Option<PlainCell> {
    let at = skip_space(bytes, at);
    if bytes.get(at..at + 2)? != b"<c" {
        return None;
    }
    let mut i = at + 2;
    let mut attributes = [None; 3];
    loop {
        match bytes.get(i)? {
            b'>' => {
                return Some(PlainCell {
                    attributes,
                    closed: false,
                    end: i + 1,
                });
            }
            b'/' if bytes.get(i + 1) == Some(&b'>') => {
                return Some(PlainCell {
                    attributes,
                    closed: true,
                    end: i + 2,
                });
            }
            b' ' => {
                let slot = match bytes.get(i + 1)? {
                    b'r' => 0,
                    b's' => 1,
                    b't' => 2,
                    _ => return None,
                };
                if bytes.get(i + 2..i + 4)? != b"=\"" || attributes[slot].is_some() {
                    return None;
                }
                let from = i + 4;
                let to = from + memchr::memchr(b'"', &bytes[from..])?;
                attributes[slot] = Some((from, to));
                i = to + 1;
            }
            _ => return None,
        }
    }
}

/// The children of a `<c>` up to its end tag: the last `<v>` or `<f>`
/// decides the value, as in the event reader. Each `<f>` is noted in
/// `formulas`.
fn cell_children(
    text: &str,
    mut at: usize,
    kind: Option<&str>,
    style: Option<usize>,
    context: &Context<'_>,
    position: (u32, u32),
    formulas: &mut Formulas,
) -> Option<(Value, usize)> {
    let bytes = text.as_bytes();
    let mut value = Value::Empty;
    loop {
        // The common shapes, `<v>plain</v>` and `</c>`, read directly.
        let rest = &bytes[at..];
        if rest.starts_with(b"</c>") {
            return Some((value, at + 4));
        }
        if rest.starts_with(b"<v>")
            && let Some(len) = memchr::memchr(b'<', &rest[3..])
            && rest[3 + len..].starts_with(b"</v>")
            && !rest[3..3 + len].iter().any(|b| matches!(b, b'&' | b'\r'))
        {
            value = v_value(&text[at + 3..at + 3 + len], kind, style, context)?;
            at += 3 + len + 4;
            continue;
        }
        let tag = match next_markup(text, at)? {
            Markup::End { local, end, .. } => return (local == "c").then_some((value, end)),
            Markup::Start(tag) => tag,
        };
        at = tag.end;
        if tag.local == "is" {
            let (string, end) = inline_string(text, &tag)?;
            value = text_value(string);
            at = end;
            continue;
        }
        let content_at = at;
        let content = if tag.closed {
            ""
        } else {
            // Plain text up to the element's own end tag.
            let stop = at + memchr::memchr(b'<', &bytes[at..])?;
            let content = &text[at..stop];
            let (name, end) = end_tag_name(text, stop)?;
            // A formula's text is not read, but its entities must be sound;
            // a value with an entity or a CR is left to the event reader.
            let plain = if tag.local == "f" {
                sound_entities(content)
            } else {
                !content.contains(['&', '\r'])
            };
            if name != tag.name || !plain {
                return None;
            }
            at = end;
            content
        };
        if tag.local == "f" {
            formulas.spans.push(FormulaSpan {
                cell: formulas.cell,
                at: position,
                attributes: tag.attributes_at..tag.attributes_at + tag.attributes.len(),
                content: content_at..content_at + content.len(),
            });
        }
        value = match tag.local {
            "f" => Value::Empty,
            "v" => v_value(content, kind, style, context)?,
            _ => return None,
        };
    }
}

/// The value a `<v>` holding plain text gives a cell of type `kind`.
fn v_value(
    content: &str,
    kind: Option<&str>,
    style: Option<usize>,
    context: &Context<'_>,
) -> Option<Value> {
    Some(match kind {
        Some("inlineStr" | "is") => Value::Empty,
        None | Some("n" | "s" | "b" | "e") if content.is_empty() => Value::Empty,
        None | Some("n" | "s" | "b" | "e") => plain_value(content, kind, style, context)?,
        Some("str") => text_value(excel_unescape(content).into_owned()),
        Some("d") => Value::DateText(content.to_string()),
        Some(_) => return None,
    })
}

/// The cell styles of a styles part that holds an XML declaration and
/// tags only (no text, comments or other markup), read as the event reader
/// in the parent module reads them; `None` for anything else, which that
/// reader then reads.
pub(super) fn styles(text: &str) -> Option<Vec<Style>> {
    let at = match text.strip_prefix("<?xml") {
        Some(_) => memchr::memmem::find(text.as_bytes(), b"?>")? + 2,
        None => 0,
    };
    let mut events = Events::new(text, at);
    let mut formats: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    loop {
        match events.next()? {
            Event::Start(e) if e.local == "numFmts" => loop {
                match events.next()? {
                    Event::Start(f) if f.local == "numFmt" => {
                        if let [Some(id), Some(code)] =
                            named_attributes(f.attributes, ["numFmtId", "formatCode"])?
                        {
                            formats.insert(id.to_string(), decoded(code)?);
                        }
                    }
                    Event::End("numFmts") => break,
                    _ => {}
                }
            },
            Event::Start(e) if e.local == "cellXfs" => loop {
                match events.next()? {
                    Event::Start(x) if x.local == "xf" => {
                        let [id] = named_attributes(x.attributes, ["numFmtId"])?;
                        out.push(style(id, &formats)?);
                        // To the first end of an `xf`, as calamine reads.
                        while !matches!(events.next()?, Event::End("xf")) {}
                    }
                    Event::End("cellXfs") => break,
                    _ => {}
                }
            },
            Event::End("styleSheet") => return Some(out),
            _ => {}
        }
    }
}

/// Tags as the event reader gives them with empty elements expanded: a
/// self-closing tag is a start, then an end.
struct Events<'a> {
    text: &'a str,
    at: usize,
    /// The end of the self-closing tag just given.
    pending_end: Option<&'a str>,
}

enum Event<'a> {
    Start(Tag<'a>),
    /// An end tag's local name.
    End(&'a str),
}

impl<'a> Events<'a> {
    fn new(text: &'a str, at: usize) -> Events<'a> {
        Events {
            text,
            at,
            pending_end: None,
        }
    }

    /// The next tag; `None` at the end of the text and for anything but a
    /// tag.
    fn next(&mut self) -> Option<Event<'a>> {
        if let Some(local) = self.pending_end.take() {
            return Some(Event::End(local));
        }
        match next_markup(self.text, self.at)? {
            Markup::End { local, end, .. } => {
                self.at = end;
                Some(Event::End(local))
            }
            Markup::Start(tag) => {
                self.at = tag.end;
                if tag.closed {
                    self.pending_end = Some(tag.local);
                }
                Some(Event::Start(tag))
            }
        }
    }
}

/// The shared strings from `at`, just past the `<sst>` start tag, when
/// each is one plain run (`<si><t>…</t></si>`).
pub(super) fn shared_strings(text: &str, mut at: usize) -> Option<Vec<String>> {
    let mut out = Vec::new();
    loop {
        let si = match next_markup(text, at)? {
            Markup::End { local, .. } => return (local == "sst").then_some(out),
            Markup::Start(tag) => tag,
        };
        if si.local != "si" {
            return None;
        }
        let (string, end) = inline_string(text, &si)?;
        out.push(string);
        at = end;
    }
}

/// An inline string `<is><t>…</t></is>` (one plain run; rich text and
/// phonetic runs are left to the event reader), read as the event reader
/// reads it: trimmed unless `xml:space="preserve"`, escapes replaced.
fn inline_string(text: &str, is: &Tag<'_>) -> Option<(String, usize)> {
    if is.closed {
        return Some((String::new(), is.end));
    }
    let bytes = text.as_bytes();
    // The common shape, `<t>plain</t>` then the end tag, read directly.
    let rest = &bytes[is.end..];
    if rest.starts_with(b"<t>")
        && let Some(len) = memchr::memchr(b'<', &rest[3..])
        && let Some(after) = rest[3 + len..].strip_prefix(b"</t></")
        && let Some(after) = after.strip_prefix(is.name.as_bytes())
        && after.first() == Some(&b'>')
    {
        let content = &text[is.end + 3..is.end + 3 + len];
        if memchr::memchr2(b'&', b'\r', content.as_bytes()).is_none() {
            let content = content.trim_matches([' ', '\t', '\r', '\n']);
            let end = is.end + 3 + len + 6 + is.name.len() + 1;
            return Some((excel_unescape(content).into_owned(), end));
        }
    }
    let mut at = skip_space(bytes, is.end);
    let mut string = String::new();
    if bytes.get(at + 1) != Some(&b'/') {
        let t = start_tag(text, at)?;
        if t.local != "t" {
            return None;
        }
        let [space] = named_attributes(t.attributes, ["xml:space"])?;
        at = t.end;
        let content = if t.closed {
            ""
        } else {
            let stop = at + memchr::memchr(b'<', &bytes[at..])?;
            let (name, end) = end_tag_name(text, stop)?;
            if name != t.name {
                return None;
            }
            let content = &text[at..stop];
            at = end;
            content
        };
        if content.contains('\r') {
            return None;
        }
        let content = quick_xml::escape::unescape(content).ok()?;
        let content = if space == Some("preserve") {
            &content
        } else {
            content.trim_matches([' ', '\t', '\r', '\n'])
        };
        string = excel_unescape(content).into_owned();
        at = skip_space(bytes, at);
    }
    let (name, end) = end_tag_name(text, at)?;
    (name == is.name).then_some((string, end))
}

/// What comes next after whitespace: an end tag (its local name, where it
/// starts and the offset past it) or a start tag; `None` for text or
/// anything malformed.
enum Markup<'a> {
    End {
        local: &'a str,
        start: usize,
        end: usize,
    },
    Start(Tag<'a>),
}

fn next_markup(text: &str, at: usize) -> Option<Markup<'_>> {
    let bytes = text.as_bytes();
    let at = skip_space(bytes, at);
    if bytes.get(at) != Some(&b'<') {
        return None;
    }
    if bytes.get(at + 1) == Some(&b'/') {
        let (local, end) = end_tag(text, at)?;
        return Some(Markup::End {
            local,
            start: at,
            end,
        });
    }
    start_tag(text, at).map(Markup::Start)
}

/// Every `&` starts a reference `&name;` or `&#…;`.
fn sound_entities(text: &str) -> bool {
    text.split('&').skip(1).all(|rest| {
        rest.split_once(';').is_some_and(|(name, _)| {
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'#')
        })
    })
}

fn skip_space(bytes: &[u8], mut at: usize) -> usize {
    while bytes
        .get(at)
        .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        at += 1;
    }
    at
}

/// The name of the element a name stands for without its prefix.
fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// A start tag at `at` (which holds `<`); `None` for a comment, a
/// processing instruction, CDATA or anything malformed.
fn start_tag(text: &str, at: usize) -> Option<Tag<'_>> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'<') {
        return None;
    }
    let from = at + 1;
    let mut i = from;
    while bytes
        .get(i)
        .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b':' | b'_' | b'-' | b'.'))
    {
        i += 1;
    }
    let name = &text[from..i];
    if name.is_empty() || name.bytes().filter(|b| *b == b':').count() > 1 {
        return None;
    }
    let j = tag_end(bytes, i)?;
    let closed = bytes[j - 1] == b'/' && j > i;
    let attributes = &text[i..if closed { j - 1 } else { j }];
    if !attributes.is_empty() && !attributes.starts_with([' ', '\t', '\n', '\r']) {
        return None;
    }
    Some(Tag {
        name,
        local: local(name),
        attributes,
        attributes_at: i,
        closed,
        end: j + 1,
    })
}

/// Where a tag whose name ends at `from` ends: at the first `>` outside
/// quotes (a quoted value is skipped whole); `None` for a `<` before it, or
/// no end.
fn tag_end(bytes: &[u8], from: usize) -> Option<usize> {
    let mut j = from;
    loop {
        match *bytes.get(j)? {
            b'>' => return Some(j),
            b'<' => return None,
            q @ (b'"' | b'\'') => j += 1 + memchr::memchr(q, bytes.get(j + 1..)?)?,
            _ => {}
        }
        j += 1;
    }
}

/// An end tag at `at` (which holds `</`): its full name and the offset
/// past its `>`.
fn end_tag_name(text: &str, at: usize) -> Option<(&str, usize)> {
    let bytes = text.as_bytes();
    if bytes.get(at) != Some(&b'<') || bytes.get(at + 1) != Some(&b'/') {
        return None;
    }
    let close = at + memchr::memchr(b'>', &bytes[at..])?;
    let name = text[at + 2..close].trim_end_matches([' ', '\t', '\n', '\r']);
    if name.is_empty()
        || name.bytes().filter(|b| *b == b':').count() > 1
        || name.contains(|c: char| c.is_ascii_whitespace() || c == '<')
    {
        return None;
    }
    Some((name, close + 1))
}

fn end_tag(text: &str, at: usize) -> Option<(&str, usize)> {
    end_tag_name(text, at).map(|(name, end)| (local(name), end))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Where a tag ends, found a byte at a time as quote states change.
    fn tag_end_by_states(bytes: &[u8], from: usize) -> Option<usize> {
        let mut quote = None;
        let mut j = from;
        loop {
            let b = *bytes.get(j)?;
            match (quote, b) {
                (None, b'>') => return Some(j),
                (None, b'"' | b'\'') => quote = Some(b),
                (None, b'<') => return None,
                (Some(q), b) if b == q => quote = None,
                _ => {}
            }
            j += 1;
        }
    }

    proptest::proptest! {
        /// Skipping quoted values whole ends a tag where the byte walk does.
        #[test]
        fn tag_ends_where_quote_states_say(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    " ", "a", ":", "=", "\"", "'", "<", ">", "/", "x", " a='>'", " b=\"/>\"",
                    " c='\"'", "/>", "\t",
                ]),
                0..8,
            )
        ) {
            let s = format!("<c{}", parts.concat());
            proptest::prop_assert_eq!(tag_end(s.as_bytes(), 2), tag_end_by_states(s.as_bytes(), 2));
        }
    }
}
