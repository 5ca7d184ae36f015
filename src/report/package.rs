//! The annotated copy of an xlsx workbook, made inside the unit's own
//! package: every part is copied as it was (widths, borders, merges,
//! number formats, formulas, print settings, pictures), the problem cells
//! get a red fill on top of their own format, and a `Lỗi` sheet listing
//! every finding, with a link to its cell, is added and opened first. The
//! original file is never touched.
//!
//! Only the parts that change are edited, as text: `xl/styles.xml` (one
//! fill, a marked copy of each style a problem cell used, a bold style for
//! the header), the marked sheets' `s` attributes and `tabSelected`,
//! `xl/workbook.xml` (the new sheet, the active tab), its relationships and
//! `[Content_Types].xml`. A package this cannot follow (no styles part, a
//! macro workbook) is refused, and the caller rebuilds the copy instead.

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};

use crate::finding::{Finding, a1, parse_a1};
use crate::messages::Lang;

/// Why the package could not be annotated in place.
#[derive(Debug)]
pub struct Unsupported(pub String);

const SHEET_TYPE: &str =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
const SHEET_CONTENT: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml";
const MAIN_CONTENT: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml";
const PART: &str = "xl/worksheets/thidua-loi.xml";
const REL_ID: &str = "rIdThiduaLoi";

/// The annotated package's bytes.
pub fn annotate(original: &[u8], findings: &[Finding], lang: Lang) -> Result<Vec<u8>, Unsupported> {
    let mut parts = read_parts(original)?;
    let text = |parts: &Parts, name: &str| -> Result<String, Unsupported> {
        let bytes = parts
            .get(name)
            .ok_or_else(|| Unsupported(format!("no {name}")))?;
        String::from_utf8(bytes.clone()).map_err(|_| Unsupported(format!("{name} is not UTF-8")))
    };
    let types = text(&parts, "[Content_Types].xml")?;
    if !types.contains(MAIN_CONTENT) {
        return Err(Unsupported("not a plain xlsx workbook (macros?)".into()));
    }
    let mut workbook = text(&parts, "xl/workbook.xml")?;
    let mut rels = text(&parts, "xl/_rels/workbook.xml.rels")?;
    let mut styles = text(&parts, "xl/styles.xml")?;
    let sheets = sheet_parts(&workbook, &rels);

    // Styles: the problem fill, a marked copy of each style in use, a bold
    // header style.
    let fill = append(
        &mut styles,
        "fills",
        "<fill><patternFill patternType=\"solid\"><fgColor rgb=\"FFFFC7CE\"/><bgColor indexed=\"64\"/></patternFill></fill>",
    )?;
    let font = append(
        &mut styles,
        "fonts",
        "<font><b/><sz val=\"11\"/><name val=\"Times New Roman\"/></font>",
    )?;
    let xfs = cell_xfs(&styles)?;
    let mut marked_style: BTreeMap<usize, usize> = BTreeMap::new();
    let mut new_xfs = Vec::new();
    let header_style = xfs.len();
    new_xfs.push(format!(
        "<xf numFmtId=\"0\" fontId=\"{font}\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyFont=\"1\"/>"
    ));
    new_xfs.push(
        "<xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" xfId=\"0\" applyAlignment=\"1\"><alignment vertical=\"top\" wrapText=\"1\"/></xf>".into(),
    );

    // The problem cells of each sheet.
    let mut cells: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for f in findings {
        if let (Some(sheet), Some(cell)) = (f.sheet.as_deref(), f.cell.as_deref())
            && parse_a1(cell).is_some()
        {
            cells.entry(sheet).or_default().push(cell.to_string());
        }
    }
    for (name, path) in &sheets {
        let mut xml = text(&parts, path)?;
        // The copy opens on `Lỗi`: no other sheet stays selected (two
        // selected sheets are grouped, and an edit would change both).
        xml = xml.replace(" tabSelected=\"1\"", "");
        for cell in cells.get(name.as_str()).into_iter().flatten() {
            let Some((start, end)) = find_cell(&xml, cell) else {
                continue;
            };
            let tag = &xml[start..end];
            let old: usize = attribute(tag, "s")
                .and_then(|s| s.parse().ok())
                .unwrap_or(0);
            let Some(base) = xfs.get(old) else {
                continue;
            };
            let marked = *marked_style.entry(old).or_insert_with(|| {
                new_xfs.push(with_fill(base, fill));
                xfs.len() + new_xfs.len() - 1
            });
            let new_tag = set_attribute(tag, "s", &marked.to_string());
            xml.replace_range(start..end, &new_tag);
        }
        parts.insert(path.clone(), xml.into_bytes());
    }
    let count = xfs.len() + new_xfs.len();
    styles = replace_in(&styles, "cellXfs", |inner| {
        format!("{inner}{}", new_xfs.concat())
    })?;
    styles = set_count(&styles, "cellXfs", count);

    // The `Lỗi` sheet, last (sheet indexes in defined names stay right),
    // and the active one.
    let taken: Vec<String> = sheets.iter().map(|(n, _)| n.clone()).collect();
    let name = ["Lỗi", "Lỗi (thidua)", "thidua"]
        .into_iter()
        .find(|n| !taken.iter().any(|t| t.eq_ignore_ascii_case(n)))
        .unwrap_or("thidua-loi");
    let next_id = ids(&workbook, "<sheet ", "sheetId").max().unwrap_or(0) + 1;
    workbook = replace_in(&workbook, "sheets", |inner| {
        format!(
            "{inner}<sheet name=\"{}\" sheetId=\"{next_id}\" r:id=\"{REL_ID}\"/>",
            escape(name)
        )
    })?;
    if !workbook.contains("xmlns:r=") {
        return Err(Unsupported(
            "workbook.xml without the relationships namespace".into(),
        ));
    }
    workbook = activate(&workbook, sheets.len());
    rels = rels.replace(
        "</Relationships>",
        &format!("<Relationship Id=\"{REL_ID}\" Type=\"{SHEET_TYPE}\" Target=\"worksheets/thidua-loi.xml\"/></Relationships>"),
    );
    let types = types.replace(
        "</Types>",
        &format!("<Override PartName=\"/{PART}\" ContentType=\"{SHEET_CONTENT}\"/></Types>"),
    );
    parts.insert(
        PART.into(),
        error_sheet(findings, lang, header_style).into_bytes(),
    );
    parts.insert("xl/workbook.xml".into(), workbook.into_bytes());
    parts.insert("xl/_rels/workbook.xml.rels".into(), rels.into_bytes());
    parts.insert("xl/styles.xml".into(), styles.into_bytes());
    parts.insert("[Content_Types].xml".into(), types.into_bytes());
    write_parts(parts)
}

/// The parts of a package in their order, by name.
struct Parts {
    order: Vec<String>,
    bytes: BTreeMap<String, Vec<u8>>,
}

impl Parts {
    fn get(&self, name: &str) -> Option<&Vec<u8>> {
        self.bytes.get(name)
    }

    fn insert(&mut self, name: String, bytes: Vec<u8>) {
        if !self.bytes.contains_key(&name) {
            self.order.push(name.clone());
        }
        self.bytes.insert(name, bytes);
    }
}

fn read_parts(original: &[u8]) -> Result<Parts, Unsupported> {
    let bad = |e: zip::result::ZipError| Unsupported(e.to_string());
    let mut archive = zip::ZipArchive::new(Cursor::new(original)).map_err(bad)?;
    let mut parts = Parts {
        order: Vec::new(),
        bytes: BTreeMap::new(),
    };
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::new();
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| Unsupported(e.to_string()))?;
        let name = entry.name().map_err(bad)?.to_string();
        parts.insert(name, bytes);
    }
    Ok(parts)
}

fn write_parts(parts: Parts) -> Result<Vec<u8>, Unsupported> {
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for name in &parts.order {
        let bad = |e: String| Unsupported(e);
        out.start_file(name.as_str(), options)
            .map_err(|e| bad(e.to_string()))?;
        out.write_all(&parts.bytes[name])
            .map_err(|e| bad(e.to_string()))?;
    }
    out.finish()
        .map(Cursor::into_inner)
        .map_err(|e| Unsupported(e.to_string()))
}

/// Each sheet's name and part, in the workbook's order.
fn sheet_parts(workbook: &str, rels: &str) -> Vec<(String, String)> {
    let targets: BTreeMap<String, String> = tags(rels, "<Relationship ")
        .filter_map(|t| Some((attribute(t, "Id")?, attribute(t, "Target")?)))
        .collect();
    tags(workbook, "<sheet ")
        .filter_map(|t| {
            let name = unescape(&attribute(t, "name")?);
            let id = attribute(t, "r:id")?;
            let target = targets.get(&id)?;
            let path = match target.strip_prefix('/') {
                Some(absolute) => absolute.to_string(),
                None => format!("xl/{target}"),
            };
            Some((name, path))
        })
        .collect()
}

/// Every start tag beginning with `open` (`<sheet `).
fn tags<'a>(xml: &'a str, open: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    xml.match_indices(open).filter_map(move |(i, _)| {
        let end = xml[i..].find('>')?;
        Some(&xml[i..i + end + 1])
    })
}

fn ids<'a>(xml: &'a str, open: &'a str, name: &'a str) -> impl Iterator<Item = u64> + 'a {
    tags(xml, open).filter_map(move |t| attribute(t, name)?.parse().ok())
}

/// An attribute's value in a start tag (`name="value"`).
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(tag[start..start + len].to_string())
}

fn set_attribute(tag: &str, name: &str, value: &str) -> String {
    let key = format!(" {name}=\"");
    match tag.find(&key) {
        Some(i) => {
            let start = i + key.len();
            let len = tag[start..].find('"').unwrap_or(0);
            format!("{}{value}{}", &tag[..start], &tag[start + len..])
        }
        None => {
            let close = if tag.ends_with("/>") {
                tag.len() - 2
            } else {
                tag.len() - 1
            };
            format!("{} {name}=\"{value}\"{}", &tag[..close], &tag[close..])
        }
    }
}

/// The start tag of cell `r` in a sheet's XML (byte range).
fn find_cell(xml: &str, r: &str) -> Option<(usize, usize)> {
    let key = format!("<c r=\"{r}\"");
    let start = xml.find(&key)?;
    let end = start + xml[start..].find('>')? + 1;
    Some((start, end))
}

/// The text between `<name …>` and `</name>` rewritten by `edit`.
fn replace_in(
    xml: &str,
    name: &str,
    edit: impl FnOnce(&str) -> String,
) -> Result<String, Unsupported> {
    let open = xml
        .find(&format!("<{name}>"))
        .or_else(|| xml.find(&format!("<{name} ")))
        .ok_or_else(|| Unsupported(format!("no <{name}>")))?;
    let inner_start = open + xml[open..].find('>').unwrap_or(0) + 1;
    let close = xml[inner_start..]
        .find(&format!("</{name}>"))
        .map(|i| inner_start + i)
        .ok_or_else(|| Unsupported(format!("no </{name}>")))?;
    Ok(format!(
        "{}{}{}",
        &xml[..inner_start],
        edit(&xml[inner_start..close]),
        &xml[close..]
    ))
}

fn set_count(xml: &str, name: &str, count: usize) -> String {
    let open = format!("<{name} ");
    match xml.find(&open) {
        Some(i) => {
            let end = i + xml[i..].find('>').unwrap_or(0) + 1;
            let tag = &xml[i..end];
            let new = if attribute(tag, "count").is_some() {
                set_attribute(tag, "count", &count.to_string())
            } else {
                tag.to_string()
            };
            format!("{}{new}{}", &xml[..i], &xml[end..])
        }
        None => xml.to_string(),
    }
}

/// Appends an element to a counted list (`fills`, `fonts`); its index.
fn append(xml: &mut String, name: &str, element: &str) -> Result<usize, Unsupported> {
    let singular = &name[..name.len() - 1];
    let inner = {
        let edited = replace_in(xml, name, |inner| inner.to_string())?;
        let open = edited.find(&format!("<{name}")).unwrap_or(0);
        let start = open + edited[open..].find('>').unwrap_or(0) + 1;
        let close = start + edited[start..].find(&format!("</{name}>")).unwrap_or(0);
        edited[start..close].to_string()
    };
    let index = count_elements(&inner, singular);
    *xml = replace_in(xml, name, |inner| format!("{inner}{element}"))?;
    *xml = set_count(xml, name, index + 1);
    Ok(index)
}

/// Top-level `<name>`/`<name …>` elements in a list's inner XML.
fn count_elements(inner: &str, name: &str) -> usize {
    let mut depth = 0usize;
    let mut count = 0;
    let mut rest = inner;
    while let Some(i) = rest.find('<') {
        let after = &rest[i + 1..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        if let Some(closing) = tag.strip_prefix('/') {
            if closing.trim() == name {
                depth = depth.saturating_sub(1);
            }
        } else if tag == name
            || tag.starts_with(&format!("{name} "))
            || tag.starts_with(&format!("{name}/"))
        {
            if depth == 0 {
                count += 1;
            }
            if !tag.ends_with('/') {
                depth += 1;
            }
        }
        rest = &after[end.min(after.len())..];
    }
    count
}

/// The `<xf>` elements of `cellXfs`, whole.
fn cell_xfs(styles: &str) -> Result<Vec<String>, Unsupported> {
    let mut out = Vec::new();
    replace_in(styles, "cellXfs", |inner| {
        let mut rest = inner;
        while let Some(i) = rest.find("<xf") {
            let after = &rest[i..];
            let head_end = after.find('>').unwrap_or(after.len() - 1) + 1;
            let len = if after[..head_end].ends_with("/>") {
                head_end
            } else {
                after.find("</xf>").map_or(head_end, |e| e + "</xf>".len())
            };
            out.push(after[..len].to_string());
            rest = &after[len..];
        }
        inner.to_string()
    })?;
    Ok(out)
}

/// A copy of a cell format with the problem fill.
fn with_fill(xf: &str, fill: usize) -> String {
    let head_end = xf.find('>').unwrap_or(xf.len() - 1) + 1;
    let head = &xf[..head_end];
    let head = set_attribute(head, "fillId", &fill.to_string());
    let head = set_attribute(&head, "applyFill", "1");
    format!("{head}{}", &xf[head_end..])
}

/// The workbook opening on the sheet at `index`.
fn activate(workbook: &str, index: usize) -> String {
    match tags(workbook, "<workbookView").next() {
        Some(tag) => {
            let new = set_attribute(tag, "activeTab", &index.to_string());
            let new = set_attribute(&new, "firstSheet", "0");
            workbook.replacen(tag, &new, 1)
        }
        None => workbook.replacen(
            "<sheets>",
            &format!("<bookViews><workbookView activeTab=\"{index}\"/></bookViews><sheets>"),
            1,
        ),
    }
}

/// The `Lỗi` sheet: one row per finding, the cell linked to its place.
/// `header_style` and the next style are the bold header and the wrapped
/// body cells.
fn error_sheet(findings: &[Finding], lang: Lang, header_style: usize) -> String {
    let columns = super::finding_columns(lang);
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">",
    );
    // Printed one page wide, like every sheet the tool writes.
    xml.push_str("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>");
    xml.push_str("<sheetViews><sheetView tabSelected=\"1\" workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>");
    xml.push_str("<cols>");
    for (i, (_, w)) in columns.iter().enumerate() {
        xml.push_str(&format!(
            "<col min=\"{0}\" max=\"{0}\" width=\"{w}\" customWidth=\"1\"/>",
            i + 1
        ));
    }
    xml.push_str("</cols><sheetData>");
    let row = |xml: &mut String, r: u32, values: &[String], style: Option<usize>| {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, v) in values.iter().enumerate() {
            let s = style.map(|s| format!(" s=\"{s}\"")).unwrap_or_default();
            xml.push_str(&format!(
                "<c r=\"{}\"{s} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
                a1(r, c as u32),
                escape(v)
            ));
        }
        xml.push_str("</row>");
    };
    let head: Vec<String> = columns.iter().map(|(h, _)| h.to_string()).collect();
    row(&mut xml, 0, &head, Some(header_style));
    let mut links = Vec::new();
    for (i, f) in findings.iter().enumerate() {
        let r = 1 + i as u32;
        row(
            &mut xml,
            r,
            &super::finding_cells(f, lang),
            Some(header_style + 1),
        );
        if let (Some(sheet), Some(cell)) = (&f.sheet, &f.cell) {
            links.push(format!(
                "<hyperlink ref=\"{}\" location=\"{}\" display=\"{}\"/>",
                a1(r, 3),
                escape(&format!("'{}'!{cell}", sheet.replace('\'', "''"))),
                escape(cell)
            ));
        }
    }
    xml.push_str("</sheetData>");
    if !links.is_empty() {
        xml.push_str(&format!("<hyperlinks>{}</hyperlinks>", links.concat()));
    }
    xml.push_str("<pageMargins left=\"0.5\" right=\"0.5\" top=\"0.6\" bottom=\"0.6\" header=\"0.3\" footer=\"0.3\"/><pageSetup paperSize=\"9\" orientation=\"landscape\" fitToWidth=\"1\" fitToHeight=\"0\"/></worksheet>");
    xml
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            // Characters XML 1.0 forbids are dropped.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_are_read_and_set_in_place() {
        let tag = "<c r=\"I16\" s=\"5\" t=\"n\">";
        assert_eq!(attribute(tag, "s").as_deref(), Some("5"));
        assert_eq!(
            set_attribute(tag, "s", "12"),
            "<c r=\"I16\" s=\"12\" t=\"n\">"
        );
        assert_eq!(
            set_attribute("<c r=\"A1\"/>", "s", "3"),
            "<c r=\"A1\" s=\"3\"/>"
        );
        assert_eq!(
            set_attribute("<c r=\"A1\">", "s", "3"),
            "<c r=\"A1\" s=\"3\">"
        );
    }

    #[test]
    fn nested_list_elements_are_counted_once() {
        let fills = "<fill><patternFill patternType=\"none\"/></fill><fill><patternFill patternType=\"gray125\"/></fill>";
        assert_eq!(count_elements(fills, "fill"), 2);
        let fonts = "<font><b/><sz val=\"11\"/></font><font/>";
        assert_eq!(count_elements(fonts, "font"), 2);
    }

    #[test]
    fn a_style_gets_the_fill_and_keeps_the_rest() {
        let xf = "<xf numFmtId=\"9\" fontId=\"1\" fillId=\"0\" borderId=\"2\" xfId=\"0\" applyNumberFormat=\"1\"><alignment wrapText=\"1\"/></xf>";
        let marked = with_fill(xf, 7);
        assert!(marked.contains("numFmtId=\"9\"") && marked.contains("borderId=\"2\""));
        assert!(marked.contains("fillId=\"7\"") && marked.contains("applyFill=\"1\""));
        assert!(marked.ends_with("<alignment wrapText=\"1\"/></xf>"));
    }
}
