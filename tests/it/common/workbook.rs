//! Workbooks written part by part, for the cases a spreadsheet library will not write:
//! formulas with no saved result, the 1904 date system, hidden sheets, error cells, a
//! huge shared string, ODS rows repeated a million times.

use std::io::Write;
use std::path::Path;

/// One cell of a handmade sheet.
#[derive(Debug, Clone)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    /// A formula with no saved result, as a program that writes but does not calculate
    /// leaves it.
    Formula(String),
    /// An error value as Excel stores it (`#N/A`, `#DIV/0!`).
    Error(String),
    /// Entry `n` of the shared-string table.
    Shared(usize),
}

#[derive(Debug, Clone)]
pub struct Sheet {
    pub name: String,
    pub hidden: bool,
    pub rows: Vec<Vec<Cell>>,
}

impl Sheet {
    /// A visible sheet of text cells from CSV text (no quoting).
    pub fn from_csv(name: &str, text: &str) -> Self {
        Self {
            name: name.to_owned(),
            hidden: false,
            rows: text
                .lines()
                .map(|l| {
                    l.split(',')
                        .map(|c| {
                            if c.is_empty() {
                                Cell::Empty
                            } else {
                                Cell::Text(c.to_owned())
                            }
                        })
                        .collect()
                })
                .collect(),
        }
    }
}

/// A1-style column letters of a 0-based column.
fn letters(mut col: usize) -> String {
    let mut out = String::new();
    col += 1;
    while col > 0 {
        out.insert(0, char::from(b'A' + ((col - 1) % 26) as u8));
        col = (col - 1) / 26;
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn sheet_xml(sheet: &Sheet) -> String {
    let mut x = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    );
    for (r, row) in sheet.rows.iter().enumerate() {
        x.push_str(&format!(r#"<row r="{}">"#, r + 1));
        for (c, cell) in row.iter().enumerate() {
            let at = format!("{}{}", letters(c), r + 1);
            match cell {
                Cell::Empty => {}
                Cell::Text(t) => x.push_str(&format!(
                    r#"<c r="{at}" t="inlineStr"><is><t>{}</t></is></c>"#,
                    escape(t)
                )),
                Cell::Number(n) => x.push_str(&format!(r#"<c r="{at}"><v>{n}</v></c>"#)),
                Cell::Formula(f) => x.push_str(&format!(r#"<c r="{at}"><f>{}</f></c>"#, escape(f))),
                Cell::Error(e) => x.push_str(&format!(r#"<c r="{at}" t="e"><v>{e}</v></c>"#)),
                Cell::Shared(i) => x.push_str(&format!(r#"<c r="{at}" t="s"><v>{i}</v></c>"#)),
            }
        }
        x.push_str("</row>");
    }
    x.push_str("</sheetData></worksheet>");
    x
}

/// Writes an XLSX workbook of `sheets`, in the 1904 date system when asked, with the
/// shared-string table given (its `<si>` entries' text) if any.
pub fn xlsx(path: &Path, sheets: &[Sheet], date1904: bool, shared: Option<&[&str]>) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let mut put = |name: &str, text: &str| {
        zip.start_file(name, options).unwrap();
        zip.write_all(text.as_bytes()).unwrap();
    };
    let mut types = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    );
    let mut rels = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    let mut list = String::new();
    for (i, s) in sheets.iter().enumerate() {
        let n = i + 1;
        types.push_str(&format!(
            r#"<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        ));
        rels.push_str(&format!(
            r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
        ));
        list.push_str(&format!(
            r#"<sheet name="{}" sheetId="{n}"{} r:id="rId{n}"/>"#,
            escape(&s.name),
            if s.hidden { r#" state="hidden""# } else { "" }
        ));
    }
    if shared.is_some() {
        types.push_str(r#"<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#);
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>"#);
    }
    types.push_str("</Types>");
    rels.push_str("</Relationships>");
    put("[Content_Types].xml", &types);
    put(
        "_rels/.rels",
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
    );
    put(
        "xl/workbook.xml",
        &format!(
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><workbookPr{}/><sheets>{list}</sheets></workbook>"#,
            if date1904 { r#" date1904="1""# } else { "" }
        ),
    );
    put("xl/_rels/workbook.xml.rels", &rels);
    for (i, s) in sheets.iter().enumerate() {
        put(&format!("xl/worksheets/sheet{}.xml", i + 1), &sheet_xml(s));
    }
    if let Some(strings) = shared {
        zip.start_file("xl/sharedStrings.xml", options).unwrap();
        write!(
            zip,
            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{0}" uniqueCount="{0}">"#,
            strings.len()
        )
        .unwrap();
        for s in strings {
            zip.write_all(b"<si><t>").unwrap();
            zip.write_all(escape(s).as_bytes()).unwrap();
            zip.write_all(b"</t></si>").unwrap();
        }
        zip.write_all(b"</sst>").unwrap();
    }
    zip.finish().unwrap();
}

/// Writes an XLSX workbook whose shared-string table holds one string of `bytes` bytes
/// (streamed, never held whole), used by cell A2 of a sessions sheet.
pub fn xlsx_with_huge_shared_string(path: &Path, bytes: usize) {
    let sheet = Sheet {
        name: "Sessions".into(),
        hidden: false,
        rows: vec![
            ["Client ID", "Date", "Mode", "Minutes"]
                .iter()
                .map(|h| Cell::Text((*h).into()))
                .collect(),
            vec![
                Cell::Shared(0),
                Cell::Text("08/04/2025".into()),
                Cell::Text("Phone".into()),
                Cell::Number(30.0),
            ],
        ],
    };
    // The table is written by hand, as `xlsx` does, but streamed.
    let tmp = path.with_extension("base.xlsx");
    xlsx(&tmp, std::slice::from_ref(&sheet), false, Some(&["x"]));
    let bytes_in = std::fs::read(&tmp).unwrap();
    let _ = std::fs::remove_file(&tmp);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes_in)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(bytes > u32::MAX as usize / 2);
    for i in 0..archive.len() {
        let mut f = archive.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        out.start_file(name.as_str(), options).unwrap();
        if name == "xl/sharedStrings.xml" {
            out.write_all(br#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#).unwrap();
            let chunk = vec![b'x'; 1 << 20];
            let mut left = bytes;
            while left > 0 {
                let n = left.min(chunk.len());
                out.write_all(&chunk[..n]).unwrap();
                left -= n;
            }
            out.write_all(b"</t></si></sst>").unwrap();
        } else {
            std::io::copy(&mut f, &mut out).unwrap();
        }
    }
    out.finish().unwrap();
}

/// Writes an ODS workbook whose `content.xml` body (the `<table:table>` elements) is
/// given as it is.
pub fn ods(path: &Path, tables: &str) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).unwrap();
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    zip.start_file("META-INF/manifest.xml", deflated).unwrap();
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    zip.start_file("content.xml", deflated).unwrap();
    write!(
        zip,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body></office:document-content>"#
    )
    .unwrap();
    zip.finish().unwrap();
}
