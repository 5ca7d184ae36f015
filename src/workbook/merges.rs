//! The merged regions of an xlsx workbook's sheets, found while the sheet
//! part is inflated once more but without parsing its XML a second time:
//! calamine's `merge_cells_by_sheet_name` parses the whole sheet again for
//! the few `<mergeCell ref="…"/>` elements at its end, which cost as much
//! as reading the cells. A package this does not follow (a missing part, a
//! reference it cannot read) gives `None`, and the caller asks calamine.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use calamine::Dimensions;
use quick_xml::events::Event;

/// Each sheet's merged regions, in the workbook's sheet order, keyed by the
/// sheet's name as calamine gives it.
pub fn xlsx_merges(bytes: &[u8]) -> Option<HashMap<String, Vec<Dimensions>>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let names: Vec<String> = (0..zip.len())
        .map(|i| zip.name_for_index(i)?.ok().map(|n| n.to_string()))
        .collect::<Option<_>>()?;
    let mut part = |path: &str| -> Option<Vec<u8>> {
        let wanted = path.replace('\\', "/").to_lowercase();
        let name = names
            .iter()
            .find(|n| *n == path)
            .or_else(|| {
                names
                    .iter()
                    .find(|n| n.replace('\\', "/").to_lowercase() == wanted)
            })?
            .clone();
        let mut out = Vec::new();
        zip.by_name(&name).ok()?.read_to_end(&mut out).ok()?;
        Some(out)
    };
    let document = relationships(&part("_rels/.rels")?)?
        .into_values()
        .find(|(kind, _)| kind.ends_with("/relationships/officeDocument"))
        .map(|(_, target)| target)?;
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
    let rels = relationships(&part(&format!("{dir}_rels/{file}.rels"))?)?;
    let mut out = HashMap::new();
    for (name, id) in sheets(&part(&format!("{dir}{file}"))?)? {
        let (_, target) = rels.get(&id)?;
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("{dir}{target}"),
        };
        out.insert(name, merge_refs(&part(&path)?)?);
    }
    Some(out)
}

/// A relationships part: id → (type, target).
fn relationships(xml: &[u8]) -> Option<HashMap<String, (String, String)>> {
    let mut reader = quick_xml::Reader::from_str(std::str::from_utf8(xml).ok()?);
    let mut out = HashMap::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                let (mut id, mut kind, mut target) = (None, String::new(), String::new());
                for attr in e.attributes() {
                    let attr = attr.ok()?;
                    let value = attr.value.into_owned();
                    match attr.key.as_ref() {
                        "Id" => id = Some(value),
                        "Type" => kind = value,
                        "Target" => target = unescape(&value)?,
                        _ => {}
                    }
                }
                if let Some(id) = id {
                    out.insert(id, (kind, target));
                }
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// The workbook part's sheets: (name, relationship id), in order.
fn sheets(xml: &[u8]) -> Option<Vec<(String, String)>> {
    let mut reader = quick_xml::Reader::from_str(std::str::from_utf8(xml).ok()?);
    let mut out = Vec::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sheet" => {
                let (mut name, mut id) = (None, None);
                for attr in e.attributes() {
                    let attr = attr.ok()?;
                    let key = attr.key.local_name();
                    if key.as_ref() == "name" {
                        name = Some(unescape(&attr.value)?);
                    } else if key.as_ref() == "id" {
                        id = Some(attr.value.into_owned());
                    }
                }
                out.push((name?, id?));
            }
            Event::Eof => return Some(out),
            _ => {}
        }
    }
}

/// An attribute value with its entities replaced, as calamine reads names.
fn unescape(raw: &str) -> Option<String> {
    quick_xml::escape::unescape(raw)
        .ok()
        .map(|v| v.into_owned())
}

/// Every `ref` of a `<mergeCell>` element (with or without a namespace
/// prefix) in a sheet part. Text cannot hold a raw `<`, so a match is an
/// element.
fn merge_refs(xml: &[u8]) -> Option<Vec<Dimensions>> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(found) = find(&xml[at..], b"mergeCell") {
        let start = at + found;
        at = start + b"mergeCell".len();
        // An element name: `<mergeCell` or `<x:mergeCell`, followed by
        // space (not `mergeCells`).
        let before = xml[..start].iter().rev().position(|&b| b == b'<')?;
        let prefix = &xml[start - before..start];
        if !(prefix.is_empty() || prefix.ends_with(b":") && !prefix.contains(&b' '))
            || !xml.get(at).is_some_and(|b| b.is_ascii_whitespace())
        {
            continue;
        }
        let end = at + find(&xml[at..], b">")?;
        let tag = std::str::from_utf8(&xml[at..end]).ok()?;
        out.push(dimension(attribute(tag, "ref")?)?);
    }
    Some(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(haystack, needle)
}

/// The value of `name="…"` (or single-quoted) in a tag's attributes.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    loop {
        let i = rest.find(name)?;
        let boundary = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if let Some(value) = after.strip_prefix('=').map(str::trim_start)
            && boundary
        {
            let quote = value.chars().next()?;
            if quote != '"' && quote != '\'' {
                return None;
            }
            let value = &value[1..];
            return Some(&value[..value.find(quote)?]);
        }
    }
}

/// `A1:C3` (or `B2`) as zero-based rows and columns.
fn dimension(text: &str) -> Option<Dimensions> {
    let mut parts = text.split(':');
    let start = position(parts.next()?)?;
    let end = match parts.next() {
        Some(p) => position(p)?,
        None => start,
    };
    if parts.next().is_some() {
        return None;
    }
    Some(Dimensions::new(start, end))
}

fn position(cell: &str) -> Option<(u32, u32)> {
    let letters = cell.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (col, row) = cell.split_at(letters);
    if letters == 0 || letters > 3 || row.is_empty() || !row.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let col = col.bytes().fold(0u32, |n, b| {
        n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1)
    });
    let row: u32 = row.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merge_cells_with_and_without_prefix() {
        let xml = br#"<worksheet><sheetData/><mergeCells count="2"><mergeCell ref="A1:J1"/><x:mergeCell  ref='B3'/></mergeCells></worksheet>"#;
        assert_eq!(
            merge_refs(xml).unwrap(),
            vec![
                Dimensions::new((0, 0), (0, 9)),
                Dimensions::new((2, 1), (2, 1))
            ]
        );
        assert_eq!(merge_refs(b"<worksheet/>").unwrap(), vec![]);
        assert_eq!(
            dimension("AB10:AC12"),
            Some(Dimensions::new((9, 27), (11, 28)))
        );
        assert_eq!(dimension("A0"), None);
    }
}

/// For the differential tests: where the regions found here differ from
/// calamine's on any sheet of an xlsx package (none when this declines the
/// package, since calamine is then asked).
#[doc(hidden)]
pub fn differences_from_calamine(bytes: &[u8]) -> Vec<String> {
    use calamine::Reader;
    let Some(mut ours) = xlsx_merges(bytes) else {
        return Vec::new();
    };
    let Ok(mut book) = calamine::open_workbook_from_rs::<calamine::Xlsx<_>, _>(Cursor::new(bytes))
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let theirs = book.merge_cells_by_sheet_name(&name).unwrap_or_default();
        match ours.remove(&name) {
            Some(found) if found == theirs => {}
            found => out.push(format!("{name}: {found:?} ≠ calamine {theirs:?}")),
        }
    }
    out.extend(
        ours.into_keys()
            .map(|name| format!("{name}: not a calamine sheet")),
    );
    out
}

#[cfg(test)]
mod differential {
    /// Every committed xlsx — samples, fixtures, the layouts corpus — gives
    /// calamine's merged regions.
    #[test]
    fn committed_workbooks_agree_with_calamine() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, out);
                } else if path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
                {
                    out.push(path);
                }
            }
        }
        let mut files = Vec::new();
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        walk(&root.join("samples"), &mut files);
        walk(&root.join("tests"), &mut files);
        let mut checked = 0;
        for path in &files {
            let bytes = std::fs::read(path).unwrap();
            if super::xlsx_merges(&bytes).is_some() {
                checked += 1;
            }
            let differences = super::differences_from_calamine(&bytes);
            assert!(
                differences.is_empty(),
                "{}: {differences:?}",
                path.display()
            );
        }
        assert!(checked > 60, "{checked} of {} files read here", files.len());
    }
}
