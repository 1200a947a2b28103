//! Sessions: one row per contact.

use chrono::NaiveDate;

use super::check::{At, Cell, Checker};
use super::finding::{Action, FindingCode};
use super::referrals::ClientRegister;
use super::{Cells, TableRun, ValidateError, dependent_row, wanted_fields};
use sprout_config::{Config, TableSpec};
use sprout_core::fxhash::FxHashMap;
use sprout_core::vocab::{CachedLabels, Vocabulary};
use sprout_tables::{
    ColumnBuilder, PhaseIx, SESSION_FIELDS, Sessions, Status, TableBuilder, TableKind, position,
    schema,
};

const SESSION_DATE: usize = position(SESSION_FIELDS, "session_date");
const PHASE: usize = position(SESSION_FIELDS, "phase");
const CONTACT_MODE: usize = position(SESSION_FIELDS, "contact_mode");
const DURATION: usize = position(SESSION_FIELDS, "duration_minutes");
const STATUS: usize = position(SESSION_FIELDS, "status");
const LINK_WORKER: usize = position(SESSION_FIELDS, "link_worker");
const SUPPORT_TYPE: usize = position(SESSION_FIELDS, "support_type");

/// Longest plausible single contact, in minutes (a full day out with a group).
const MAX_MINUTES: f64 = 600.0;

pub(super) fn validate(
    config: &Config,
    spec: &TableSpec,
    register: &ClientRegister,
    run: &mut TableRun,
) -> Result<(Sessions, FxHashMap<u32, NaiveDate>), ValidateError> {
    let wanted = wanted_fields(spec, TableKind::Sessions.fields());
    let map = |v| config.label_map(v);
    let (phase_map, mode_map, status_map) = (
        map(Vocabulary::Phase),
        map(Vocabulary::ContactMode),
        map(Vocabulary::Status),
    );
    let (mut phases, mut modes, mut statuses) =
        (phase_map.cached(), mode_map.cached(), status_map.cached());
    // A phase label the config maps to one of its phases is recorded as its position.
    let phase_of = |id: &str| {
        config
            .phases
            .iter()
            .position(|p| p.id == id)
            .and_then(PhaseIx::new)
    };

    let mut t = TableBuilder::new();
    let client_col = t.add(schema::CLIENT, ColumnBuilder::client());
    let date_col = t.add(schema::sessions::SESSION_DATE, ColumnBuilder::date());
    let phase_col = t.add(schema::sessions::PHASE, ColumnBuilder::phase());
    let mode_col = t.add(schema::sessions::CONTACT_MODE, ColumnBuilder::text());
    let minutes_col = t.add(schema::sessions::DURATION_MINUTES, ColumnBuilder::number());
    let status_col = t.add(schema::sessions::STATUS, ColumnBuilder::status());
    let worker_col = t.add(schema::sessions::LINK_WORKER, ColumnBuilder::text());
    let support_col = t.add(schema::sessions::SUPPORT_TYPE, ColumnBuilder::text());
    // The first canonical row of each file, in the order read.
    let mut file_rows: Vec<(u16, usize)> = Vec::new();
    // Each client's first attended session: when an episode built from events started.
    let mut first_attended: FxHashMap<u32, NaiveDate> = FxHashMap::default();

    run.read(
        spec,
        &config.base_dir,
        &wanted,
        &spec.date_formats,
        |check, row| {
            let cells = Cells::new(&row, &wanted);
            let cell = |i: usize, required: bool| cells.at(i, required);
            let Some((client, referral, date)) =
                dependent_row(check, &cells, SESSION_DATE, register, 0)
            else {
                return;
            };
            if date < referral {
                let reason = format!("session on {date} is before the referral date {referral}");
                check.flag_with(
                    &cell(SESSION_DATE, true),
                    FindingCode::SessionBeforeReferral,
                    Action::RowExcluded,
                    reason,
                );
                return;
            }
            let phase = check
                .label(
                    &cell(PHASE, false),
                    &mut phases,
                    FindingCode::UnknownLabel,
                    "phase",
                )
                .ok()
                .map(|i| phases.value(i));
            let mode = check
                .label(
                    &cell(CONTACT_MODE, false),
                    &mut modes,
                    FindingCode::UnknownLabel,
                    "contact_mode",
                )
                .ok()
                .map(|i| modes.value(i));
            let status = status(check, &cells, &mut statuses);
            let minutes = minutes(check, &cell(DURATION, false));
            let worker = check.text(&cell(LINK_WORKER, false)).ok();
            let support = check.text(&cell(SUPPORT_TYPE, false)).ok();

            if status == Some("attended") {
                let first = first_attended.entry(client).or_insert(date);
                *first = (*first).min(date);
            }
            if file_rows.last().is_none_or(|(f, _)| *f != row.at.file) {
                file_rows.push((row.at.file, t.rows()));
            }
            t.push_client(client_col, client.into());
            t.push_date(date_col, Some(date));
            t.push_phase(phase_col, phase.and_then(phase_of));
            t.push_text(mode_col, mode);
            t.push_number(minutes_col, minutes);
            t.push_status(status_col, status.and_then(Status::from_label));
            t.push_text(worker_col, worker);
            t.push_text(support_col, support);
        },
    )?;
    // A file without the status column that the config maps (or other files have) did
    // not record it: its sessions are not counted as attended by default.
    let total = t.rows();
    for file in run.files_lacking(&wanted[STATUS].key) {
        if let Some(i) = file_rows.iter().position(|(f, _)| *f == file) {
            let end = file_rows.get(i + 1).map_or(total, |(_, start)| *start);
            t.clear_status(status_col, file_rows[i].1..end);
        }
    }
    Ok((Sessions::from_frame(t.finish()?), first_attended))
}

/// A session's status. It defaults to attended when the cell is empty; an unrecognised
/// status is a finding and, like any doubtful optional value, counted as a session with
/// no status is. A formula without a value is not known, so not recorded.
fn status<'m>(
    check: &mut Checker,
    cells: &Cells,
    statuses: &mut CachedLabels<'m>,
) -> Option<&'m str> {
    match check.label(
        &cells.at(STATUS, false),
        statuses,
        FindingCode::UnknownLabel,
        "status",
    ) {
        Cell::Value(i) => Some(statuses.value(i)),
        Cell::Missing if cells.unknown(STATUS) => None,
        Cell::Missing => Some("attended"),
        Cell::Bad => {
            check.and_then_say("counted as attended, as a session with no status is");
            Some("attended")
        }
    }
}

/// A session's length in minutes ("45", "45 mins", "1:30"), within the plausible range.
fn minutes(check: &mut Checker, at: &At) -> Option<f64> {
    if at.text.trim().is_empty() {
        return None;
    }
    match super::parse::parse_minutes(at.text) {
        Some(m) => check.range(at, m, 0.0, MAX_MINUTES, false).ok(),
        None => {
            check.flag(
                at,
                FindingCode::NotANumber,
                "not a number of minutes (e.g. 45, 45 mins, 1:30)",
            );
            None
        }
    }
}
