//! The checker of recorded requests against the table of published operations
//! (`tests/data/cps_reference/operations.json`): method, path, query, Accept, Content-Type.

use std::sync::OnceLock;

use serde_json::Value;

use super::RecordedRequest;

// Compiled in: the checker needs no file at run time and cannot read a stale copy.
const OPERATIONS: &str = include_str!("../data/cps_reference/operations.json");

/// The published operations (`tests/data/cps_reference/operations.json`).
pub fn operations() -> &'static [Value] {
    static TABLE: OnceLock<Vec<Value>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let table: Value = serde_json::from_str(OPERATIONS)
            .unwrap_or_else(|error| panic!("operations.json is not JSON: {error}"));
        table["operations"].as_array().cloned().unwrap_or_default()
    })
}

/// The table's `source` member: where its operations were read from.
pub fn source() -> Value {
    serde_json::from_str::<Value>(OPERATIONS).map_or(Value::Null, |table| table["source"].clone())
}

fn strings(value: &Value) -> Vec<&str> {
    value
        .as_array()
        .map(|items| items.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

/// The template's `{name}` values when `path` fits it segment for segment.
fn match_template<'a>(template: &'a str, path: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let wanted: Vec<&str> = template.split('/').collect();
    let given: Vec<&str> = path.split('/').collect();
    if wanted.len() != given.len() {
        return None;
    }
    let mut params = Vec::new();
    for (want, give) in wanted.iter().zip(&given) {
        match want
            .strip_prefix('{')
            .and_then(|rest| rest.strip_suffix('}'))
        {
            Some(name) if !give.is_empty() => params.push((name, *give)),
            None if want == give => {}
            _ => return None,
        }
    }
    Some(params)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = bytes
            .get(index + 1..index + 3)
            .and_then(|pair| std::str::from_utf8(pair).ok())
            .and_then(|pair| u8::from_str_radix(pair, 16).ok());
        match (bytes[index], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                index += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                index += 1;
            }
            (byte, _) => {
                out.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// What in `request` the published definitions do not allow, one readable line each; empty
/// when it conforms.
pub fn conformance_problems(request: &RecordedRequest) -> Vec<String> {
    let name = request.describe();
    let on_path: Vec<(&Value, Vec<(&str, &str)>)> = operations()
        .iter()
        .filter_map(|op| {
            let params = match_template(op["path"].as_str()?, &request.path)?;
            Some((op, params))
        })
        .collect();
    if on_path.is_empty() {
        return vec![format!("{name}: no published operation has this path")];
    }
    let chosen: Vec<&(&Value, Vec<(&str, &str)>)> = on_path
        .iter()
        .filter(|(op, _)| op["method"].as_str() == Some(request.method.as_str()))
        .collect();
    let (op, params) = match chosen.as_slice() {
        [one] => (one.0, &one.1),
        [] => {
            let methods: Vec<&str> = on_path
                .iter()
                .filter_map(|(op, _)| op["method"].as_str())
                .collect();
            return vec![format!(
                "{name}: {} is not published for this path (published: {})",
                request.method,
                methods.join(", ")
            )];
        }
        _ => return vec![format!("{name}: matches more than one published operation")],
    };
    let mut problems = Vec::new();
    check_path(op, params, &mut problems);
    check_query(op, &request.query, &mut problems);
    check_accept(op, params, request, &mut problems);
    check_body(op, params, request, &mut problems);
    problems
        .into_iter()
        .map(|problem| format!("{name}: {problem}"))
        .collect()
}

fn check_path(op: &Value, params: &[(&str, &str)], problems: &mut Vec<String>) {
    for (param, value) in params {
        let spec = &op["path_params"][*param];
        if spec["type"] == "integer" && !value.bytes().all(|byte| byte.is_ascii_digit()) {
            problems.push(format!(
                "path parameter {param} is {value:?}, not an integer"
            ));
        }
        let allowed = strings(&spec["enum"]);
        if !allowed.is_empty() && !allowed.contains(value) {
            problems.push(format!(
                "path parameter {param} is {value:?}, not one of {}",
                allowed.join(", ")
            ));
        }
    }
}

fn check_query(op: &Value, query: &str, problems: &mut Vec<String>) {
    let given: Vec<(String, String)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key), percent_decode(value))
        })
        .collect();
    let allowed = strings(&op["query_allowed"]);
    for (index, (key, _)) in given.iter().enumerate() {
        if given[..index].iter().any(|(earlier, _)| earlier == key) {
            continue; // said once, at its first appearance
        }
        if !allowed.contains(&key.as_str()) {
            problems.push(format!(
                "query parameter {key} is not published here (allowed: {})",
                allowed.join(", ")
            ));
        }
        if given.iter().filter(|(other, _)| other == key).count() > 1 {
            problems.push(format!("query parameter {key} is given more than once"));
        }
    }
    for required in strings(&op["query_required"]) {
        match given.iter().find(|(key, _)| key == required) {
            None => problems.push(format!("required query parameter {required} is missing")),
            Some((_, value)) if value.is_empty() => {
                problems.push(format!("required query parameter {required} is empty"));
            }
            Some(_) => {}
        }
    }
}

/// The media types allowed for this request: per path parameter where the table says so.
fn allowed_for<'a>(op: &'a Value, key: &str, params: &[(&str, &str)]) -> Vec<&'a str> {
    let by = &op[format!("{key}_by_path_param")];
    let chosen = by["param"]
        .as_str()
        .and_then(|param| params.iter().find(|(name, _)| *name == param))
        .map(|(_, value)| &by["map"][*value]);
    match chosen {
        Some(list) if list.is_array() => strings(list),
        _ => strings(&op[key]),
    }
}

fn check_accept(
    op: &Value,
    params: &[(&str, &str)],
    request: &RecordedRequest,
    problems: &mut Vec<String>,
) {
    let allowed = allowed_for(op, "accept", params);
    let optional = op["accept_optional"].as_bool().unwrap_or(false);
    match request.accept.as_deref() {
        None | Some("*/*") if optional => {}
        None => problems.push(format!(
            "no Accept header; expected one of {}",
            allowed.join(", ")
        )),
        Some(accept) if allowed.contains(&accept) => {}
        Some(accept) => problems.push(format!(
            "Accept {accept} is not published here; expected one of {}",
            allowed.join(", ")
        )),
    }
}

fn check_body(
    op: &Value,
    params: &[(&str, &str)],
    request: &RecordedRequest,
    problems: &mut Vec<String>,
) {
    let has_body = request.body.as_deref().is_some_and(|body| !body.is_empty());
    let allowed = allowed_for(op, "content_type", params);
    if !has_body {
        if op["body_required"].as_bool().unwrap_or(false) {
            problems.push("no body, but the operation requires one".to_string());
        } else if op["content_type_required"].as_bool().unwrap_or(false)
            && request.content_type.is_none()
        {
            problems.push(format!(
                "no Content-Type, which the operation requires (one of {})",
                allowed.join(", ")
            ));
        }
        return;
    }
    if strings(&op["content_type"]).is_empty() {
        problems.push("sends a body, but the operation takes none".to_string());
        return;
    }
    match request.content_type.as_deref() {
        Some(content_type) if allowed.contains(&content_type) => {}
        Some(content_type) => problems.push(format!(
            "Content-Type {content_type} is not published here; expected one of {}",
            allowed.join(", ")
        )),
        None => problems.push(format!(
            "a body without Content-Type; expected one of {}",
            allowed.join(", ")
        )),
    }
}
