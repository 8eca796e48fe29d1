//! Which of the request table's columns fit a width, and how wide each is: by priority, the
//! sorted column with room for its arrow, the columns an API has no data for left out.

use crate::app::Column;
use crate::model::Api;

/// Columns in the order they are dropped last-to-first when space runs out.
const PRIORITY: [Column; 12] = [
    Column::SpsId,
    Column::Status,
    Column::Name,
    Column::Domains,
    Column::LastChange,
    Column::Validation,
    Column::Kind,
    Column::Sans,
    Column::Authority,
    Column::Enrollment,
    Column::Expires,
    Column::Served,
];

/// Width each column wants; the name takes what is left. CPS's statuses are codes, longer
/// than SPS's words (`wait-review-pre-verification-safety-checks`); SPS's longest word
/// ("SPS Request Complete") is cut either way, so its column gives the name one more.
pub(super) fn wanted_width(column: Column, api: Api) -> u16 {
    match column {
        Column::SpsId => 6,
        Column::Name => 13,
        Column::Sans => 4,
        Column::Kind => 8,
        Column::Validation => 3,
        Column::Authority => 12,
        Column::Status if api == Api::Cps => 27,
        Column::Status => 15,
        Column::Domains => 5,
        Column::LastChange => 11,
        Column::Enrollment => 10,
        Column::Expires => 9,
        Column::Served => 6,
    }
}

/// Width a column gets: the sorted one also fits its title and the sort arrow, which a
/// column exactly as wide as its title ("last change", "val") would otherwise cut.
pub(super) fn column_width(column: Column, sorted: Column, api: Api) -> u16 {
    let wanted = wanted_width(column, api);
    if column == sorted {
        wanted.max(column.title().chars().count() as u16 + 1)
    } else {
        wanted
    }
}

/// Where the time starts in the last-change column: after the age ("just now" is the longest)
/// and a space. The column's title names both ("last change (age, UTC)"), so the time never
/// reads as a column without one, and needs no "Z".
pub(super) const ISO_AT: usize = 9;

/// The time's format in the table: minutes (the detail view shows seconds).
pub(super) const ISO_FORMAT: &str = "%Y-%m-%d %H:%M";

/// Extra width of the last-change column when the time follows the age ("5m ago   2026-11-28
/// 11:55" is 25 wide instead of 11).
pub(super) const ISO_WIDTH: u16 = ISO_AT as u16 + 16 - 11;

pub(super) struct Plan {
    pub(super) columns: Vec<Column>,
    pub(super) with_iso: bool,
}

/// Which columns fit in `width` (the `sorted` one with its arrow), by priority; the ISO time
/// goes last.
pub(super) fn plan(
    width: u16,
    sorted: Column,
    with_expires: bool,
    with_served: bool,
    api: Api,
) -> Plan {
    // Glyph column + separators.
    let mut used = 2u16;
    let mut chosen = Vec::new();
    // `expires` only once CPS told anything: without a CPS grant it would stay empty. A CPS
    // request is its enrollment (the id says it already), and CPS stamps no time on a change;
    // an SPS request names its kind (san, wildcard) and its issuer only among its parameters.
    let wanted: Vec<Column> = PRIORITY
        .into_iter()
        .filter(|column| with_expires || *column != Column::Expires)
        // `served` only once a row on screen was probed (CPS).
        .filter(|column| with_served || *column != Column::Served)
        .filter(|column| match api {
            Api::Sps => !matches!(column, Column::Sans | Column::Authority),
            Api::Cps => !matches!(column, Column::Enrollment | Column::LastChange),
        })
        .collect();
    let count = wanted.len();
    for column in wanted {
        let need = column_width(column, sorted, api) + 1;
        // `expires` and `served` are narrower than some columns before them, yet go first:
        // only when all the others fit.
        let last = matches!(column, Column::Expires | Column::Served);
        let others_fit = chosen.len() + 1 >= count - usize::from(with_served && with_expires);
        if used + need <= width && (!last || others_fit) {
            used += need;
            chosen.push(column);
        }
    }
    let with_iso = chosen.contains(&Column::LastChange) && used + ISO_WIDTH <= width;
    let columns = Column::ALL
        .into_iter()
        .filter(|column| chosen.contains(column))
        .collect();
    Plan { columns, with_iso }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrow_tables_drop_columns_by_priority() {
        let narrow = plan(40, Column::LastChange, true, false, Api::Sps);
        assert_eq!(
            narrow.columns,
            vec![Column::SpsId, Column::Name, Column::Status]
        );
        let wide = plan(120, Column::LastChange, false, false, Api::Sps);
        assert_eq!(wide.columns.len(), 8);
        assert!(
            !wide.columns.contains(&Column::Sans) && !wide.columns.contains(&Column::Authority)
        );
        assert!(wide.with_iso);
        assert!(
            plan(120, Column::LastChange, true, false, Api::Sps)
                .columns
                .contains(&Column::Expires)
        );
        // `expires` is the first to go: whenever it shows, every other column does too (SPS
        // has no SANs, CA or served column).
        for width in 20..200 {
            let plan = plan(width, Column::LastChange, true, false, Api::Sps);
            if plan.columns.contains(&Column::Expires) {
                assert_eq!(plan.columns.len(), Column::ALL.len() - 3, "at {width}");
            }
        }
        // `served` and `expires` go first on CPS: whenever either shows, every other column
        // CPS has does too.
        for width in 20..250 {
            let plan = plan(width, Column::LastChange, true, true, Api::Cps);
            let others = plan
                .columns
                .iter()
                .filter(|column| !matches!(column, Column::Expires | Column::Served))
                .count();
            if plan.columns.contains(&Column::Served) || plan.columns.contains(&Column::Expires) {
                assert_eq!(others, Column::ALL.len() - 4, "at {width}");
            }
        }
        assert!(
            plan(250, Column::LastChange, true, true, Api::Cps)
                .columns
                .contains(&Column::Served)
        );
        assert!(
            !plan(250, Column::LastChange, true, false, Api::Cps)
                .columns
                .contains(&Column::Served)
        );
        let medium = plan(60, Column::LastChange, true, false, Api::Sps);
        assert!(medium.columns.contains(&Column::LastChange));
        assert!(!medium.columns.contains(&Column::Enrollment));
        // A CPS request is its enrollment, and its changes carry no time: neither column,
        // whatever the width.
        let cps = plan(200, Column::LastChange, true, false, Api::Cps).columns;
        assert!(!cps.contains(&Column::Enrollment) && !cps.contains(&Column::LastChange));
        // The row: id, CN, SAN count, kind, validation, CA, state, domains, expiry.
        assert_eq!(
            cps,
            vec![
                Column::SpsId,
                Column::Name,
                Column::Sans,
                Column::Kind,
                Column::Validation,
                Column::Authority,
                Column::Status,
                Column::Domains,
                Column::Expires,
            ]
        );
        assert!(
            plan(200, Column::LastChange, true, false, Api::Cps)
                .columns
                .contains(&Column::Expires),
            "expires still shows once the others fit"
        );
        assert!(!medium.with_iso);
    }

    #[test]
    fn the_sorted_column_keeps_room_for_its_arrow() {
        // "last change" and "val" are as wide as their titles: sorted, they grow by one.
        assert_eq!(
            column_width(Column::LastChange, Column::LastChange, Api::Sps),
            12
        );
        assert_eq!(
            column_width(Column::LastChange, Column::SpsId, Api::Sps),
            11
        );
        assert_eq!(
            column_width(Column::Validation, Column::Validation, Api::Sps),
            4
        );
        assert_eq!(column_width(Column::Name, Column::Name, Api::Sps), 13);
    }
}
