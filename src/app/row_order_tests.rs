use std::sync::Arc;

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::model::{CertRequest, Scope, StatusChange};

/// Rows that tie in every way a column can: equal times, times a nanosecond apart, times
/// before 1970 and at chrono's ends, none at all, the same spsId in two pairs, no domains.
fn entries() -> Vec<(Row, CertRequest)> {
    let pairs = [
        Arc::new(Scope::pair("C-2", "2")),
        Arc::new(Scope::pair("C-1", "1")),
    ];
    let statuses = [
        "Awaiting User",
        "Pending",
        "SPS Request Complete",
        "CPS cancelled",
        "Brand new",
    ];
    let base = Utc.with_ymd_and_hms(2026, 11, 28, 10, 0, 0).unwrap();
    (0..300u64)
        .map(|i| {
            let mut request: CertRequest = crate::sps::neutral::from_json(serde_json::json!({
                "spsId": i % 97, "status": statuses[(i % 5) as usize],
                "dvStatus": [{"domain": "a.example.com", "status": "Valid"},
                             {"domain": "b.example.com", "status": "Pending"}]
            }))
            .expect("fixture parses");
            request.last_change = match i % 6 {
                0 => None,
                1 => Some(StatusChange::At(base)),
                2 => Some(StatusChange::from(format!(
                    "2026-11-28T10:00:00.{:09}Z",
                    i % 3
                ))),
                3 => Some(StatusChange::At(DateTime::<Utc>::MIN_UTC)),
                4 => Some(StatusChange::At(DateTime::<Utc>::MAX_UTC)),
                _ => Some(StatusChange::At(base - Duration::days(30_000 + i as i64))),
            };
            request.enrollment_id = match i % 4 {
                0 => None,
                1 => Some(u64::MAX),
                _ => Some(i % 11 * 1000),
            };
            request.domains.truncate((i % 3) as usize);
            let mut row = Row::new(&pairs[(i % 2) as usize], &request);
            row.expires = (i % 5 != 0).then(|| base + Duration::seconds((i % 7) as i64));
            (row, request)
        })
        .collect()
}

fn refs(count: usize) -> Vec<RowRef> {
    (0..count).map(|row| RowRef { dataset: 0, row }).collect()
}

#[test]
fn the_radix_order_is_the_order_compare_gives() {
    let entries = entries();
    let row = |at: &RowRef| {
        let (row, request) = &entries[at.row];
        ShownRow::new(row, request)
    };
    for column in Column::ALL {
        for descending in [false, true] {
            let spec = SortSpec { column, descending };
            let mut by_compare = refs(entries.len());
            by_compare.sort_by(|a, b| ordered(spec, row(a), row(b)));
            let mut collected = refs(entries.len());
            sort_collected(&mut collected, spec, &row);
            assert_eq!(collected, by_compare, "{spec:?}");
        }
    }
}

#[test]
fn a_summary_never_contradicts_compare() {
    let entries = entries();
    for column in Column::ALL {
        let Some(summary) = summary_of(column) else {
            assert!(matches!(
                column,
                Column::Name | Column::Kind | Column::Validation | Column::Authority
            ));
            continue;
        };
        for (a_row, a_request) in &entries {
            for (b_row, b_request) in &entries {
                let (a, b) = (
                    ShownRow::new(a_row, a_request),
                    ShownRow::new(b_row, b_request),
                );
                if compare(a, b, column) == Ordering::Less {
                    assert!(summary(a) <= summary(b), "{column:?}: {a_row:?} {b_row:?}");
                }
            }
        }
    }
}

#[test]
fn the_radix_sort_orders_numbers_across_every_byte() {
    let mut items: Vec<(u64, u32)> = (0u32..2000)
        .map(|i| {
            let spread = u64::from(i).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            (spread ^ (spread >> 29), i)
        })
        .collect();
    items.push((0, 2000));
    items.push((u64::MAX, 2001));
    let mut expected = items.clone();
    expected.sort_by_key(|item| item.0);
    radix_sort(&mut items);
    let numbers: Vec<u64> = items.iter().map(|item| item.0).collect();
    let wanted: Vec<u64> = expected.iter().map(|item| item.0).collect();
    assert_eq!(numbers, wanted);
}
