//! Tests of `list_split.rs`: the same items and skeleton however the answer is cut.

use super::*;

/// Strings holding brackets, quotes and backslashes; items of every kind; members before and
/// after, one of them holding a `requestList` of its own (not the answer's).
const ANSWER: &str = r#" {"links": {"requestList": [1, 2], "x": "]\"}"},
  "n": -1.5e3, "flag": true,
  "requestList" : [ {"spsId": 1, "status": "a \"quoted\" ] } [ {", "p": [[], {}]},
  {"spsId":2,"s":"back\\slash\\"} ,"text \" ]",17,null ,
  [ "x", {"y": "]"} ] ],
  "after": ["requestList", {"requestList": [{"no": 1}]}] } "#;

const ITEMS: [&str; 6] = [
    r#"{"spsId": 1, "status": "a \"quoted\" ] } [ {", "p": [[], {}]}"#,
    r#"{"spsId":2,"s":"back\\slash\\"}"#,
    r#""text \" ]""#,
    "17",
    "null",
    r#"[ "x", {"y": "]"} ]"#,
];

fn split(answer: &[u8], chunk: usize) -> (Vec<String>, String) {
    let mut splitter = ItemSplitter::default();
    let mut items = Vec::new();
    for part in answer.chunks(chunk) {
        splitter
            .feed(part, &mut |item| {
                items.push(String::from_utf8(item.to_vec()).expect("utf-8"));
                Ok(())
            })
            .expect("no sink error");
    }
    let skeleton = String::from_utf8(splitter.finish()).expect("utf-8");
    (items, skeleton)
}

#[test]
fn the_items_and_skeleton_are_the_same_however_the_answer_is_cut() {
    let mut skeleton = ANSWER.to_string();
    for item in ITEMS {
        skeleton = skeleton.replacen(item, "0", 1);
    }
    for chunk in 1..=ANSWER.len() {
        let (items, got) = split(ANSWER.as_bytes(), chunk);
        assert_eq!(items, ITEMS, "chunks of {chunk}");
        assert_eq!(got, skeleton, "chunks of {chunk}");
    }
    let parsed: serde_json::Value = serde_json::from_str(&skeleton).expect("still JSON");
    assert_eq!(parsed["requestList"].as_array().map(Vec::len), Some(6));
}

#[test]
fn a_member_name_written_with_escapes_is_still_request_list() {
    let answer = br#"{"request\u004cist": [{"spsId": 3}], "requestLists": [{"spsId": 4}]}"#;
    let (items, skeleton) = split(answer, 7);
    assert_eq!(items, [r#"{"spsId": 3}"#]);
    assert_eq!(
        skeleton,
        r#"{"request\u004cist": [0], "requestLists": [{"spsId": 4}]}"#
    );
}

#[test]
fn a_top_level_array_or_null_list_hands_on_nothing() {
    for answer in [
        &br#"[{"requestList": [{"spsId": 1}]}]"#[..],
        br#"{"requestList": null}"#,
        br#""requestList""#,
    ] {
        let (items, skeleton) = split(answer, 3);
        assert!(items.is_empty(), "{items:?}");
        assert_eq!(skeleton.as_bytes(), answer);
    }
}

#[test]
fn a_sink_error_stops_the_feeding() {
    let mut splitter = ItemSplitter::default();
    let result = splitter.feed(ANSWER.as_bytes(), &mut |_| Err("stdout closed".into()));
    assert_eq!(result, Err("stdout closed".to_string()));
}
