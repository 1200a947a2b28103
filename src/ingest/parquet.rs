//! Parquet exports, read lazily so only the wanted columns are decoded.

use polars::prelude::*;

use super::header::match_header;
use super::{FileColumns, IngestError, RowRef, SourceFile, SourceRow, WantedColumn};

pub(super) fn read(
    file: &mut SourceFile,
    id: u16,
    wanted: &[WantedColumn],
    sink: &mut dyn FnMut(SourceRow<'_>),
) -> Result<FileColumns, IngestError> {
    let unreadable = |e: PolarsError| IngestError::Unreadable {
        file: file.display.clone(),
        reason: format!("not a readable Parquet file ({e})"),
    };
    let path = file.path.to_string_lossy().into_owned();
    let mut lazy =
        LazyFrame::scan_parquet(PlRefPath::new(path.as_str()), ScanArgsParquet::default())
            .map_err(unreadable)?;
    let schema = lazy.collect_schema().map_err(unreadable)?;
    let header: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    let matched = match_header(&file.display, "header", &header, wanted)?;

    // Every wanted column as text; dates print as ISO yyyy-mm-dd.
    let exprs: Vec<Expr> = matched
        .index
        .iter()
        .enumerate()
        .filter_map(|(k, i)| {
            i.map(|i| {
                col(header[i].as_str())
                    .cast(DataType::String)
                    .alias(format!("c{k}"))
            })
        })
        .collect();
    let frame = if exprs.is_empty() {
        DataFrame::empty()
    } else {
        lazy.select(exprs).collect().map_err(unreadable)?
    };
    let height = frame.height();
    let mut columns: Vec<Option<&StringChunked>> = Vec::with_capacity(wanted.len());
    for (k, i) in matched.index.iter().enumerate() {
        match i {
            Some(_) => columns.push(Some(
                frame
                    .column(&format!("c{k}"))
                    .and_then(Column::str)
                    .map_err(unreadable)?,
            )),
            None => columns.push(None),
        }
    }
    let mut iters: Vec<Option<_>> = columns.iter().map(|c| c.map(|c| c.iter())).collect();
    let mut cells: Vec<&str> = Vec::with_capacity(wanted.len());
    for row in 0..height {
        cells.clear();
        for it in &mut iters {
            cells.push(it.as_mut().and_then(|i| i.next().flatten()).unwrap_or(""));
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            file.blank_rows += 1;
            continue;
        }
        file.rows += 1;
        sink(SourceRow {
            at: RowRef {
                file: id,
                line: row as u64 + 1,
            },
            cells: &cells,
            field_count: None,
        });
    }
    Ok(FileColumns {
        file: id,
        headers: matched.headers,
        unused: matched.unused,
    })
}
