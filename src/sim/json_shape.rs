//! The simulator's own check of JSON request bodies against shapes written down from Akamai's
//! published request schemas (required members, types, enums, `nullable`,
//! `additionalProperties: false`, `minimum`, `maxItems`). Only what those schemas use, and
//! every violation named by its path (`csr.sans[2]`), so a client learns which member to fix.

use serde_json::Value;

/// What a value must be.
#[derive(Debug)]
pub enum Shape {
    Text,
    /// A string from this list (the schema's `enum`).
    OneOf(&'static [&'static str]),
    Flag,
    /// An integer, at least `minimum` when one is published.
    Whole {
        minimum: Option<i64>,
    },
    List {
        item: &'static Shape,
        max_items: Option<usize>,
    },
    Object(&'static Object),
    /// Accepted as it comes: members CPS assigns itself and ignores on a write.
    Anything,
}

/// One member of an object.
#[derive(Debug)]
pub struct Member {
    pub name: &'static str,
    pub shape: Shape,
    pub required: bool,
    pub nullable: bool,
}

impl Member {
    /// Required and never `null`.
    pub const fn must(name: &'static str, shape: Shape) -> Member {
        Member {
            name,
            shape,
            required: true,
            nullable: false,
        }
    }

    /// Required, but `null` is allowed (`required` and `nullable: true` together).
    pub const fn must_or_null(name: &'static str, shape: Shape) -> Member {
        Member {
            nullable: true,
            ..Member::must(name, shape)
        }
    }

    /// Optional and `nullable: true`, as almost every optional member of CPS's schemas is.
    pub const fn may(name: &'static str, shape: Shape) -> Member {
        Member {
            name,
            shape,
            required: false,
            nullable: true,
        }
    }

    /// Optional, but `null` is not a value (PAPI's schemas declare no `nullable`).
    pub const fn may_not_null(name: &'static str, shape: Shape) -> Member {
        Member {
            nullable: false,
            ..Member::may(name, shape)
        }
    }
}

#[derive(Debug)]
pub struct Object {
    pub members: &'static [Member],
    /// `additionalProperties: false`: a member the schema does not name is refused.
    pub closed: bool,
}

/// What is wrong with one member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    Missing,
    /// Not a member the (closed) schema names.
    Unknown,
    Null,
    /// Not of the type the schema gives (`a string`, `an object`…).
    NotA(&'static str),
    NotOneOf(&'static [&'static str]),
    Below(i64),
    TooMany(usize),
    /// A value the schema allows but the simulator refuses, with why and what to send.
    Refused(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// `csr.cn`, `csr.sans[2]`, `networkConfiguration.geography`; empty for the body itself.
    pub field: String,
    pub problem: Problem,
}

impl Violation {
    /// The short name of the problem, for an error's `title`.
    pub fn title(&self) -> &'static str {
        match self.problem {
            Problem::Missing => "Missing member",
            Problem::Unknown => "Unknown member",
            Problem::Null => "Null member",
            Problem::NotA(_) => "Wrong type",
            Problem::NotOneOf(_) => "Value not allowed",
            Problem::Below(_) => "Value too small",
            Problem::TooMany(_) => "Too many items",
            Problem::Refused(_) => "Value refused",
        }
    }

    /// What is wrong and what to send instead.
    pub fn detail(&self) -> String {
        let field = if self.field.is_empty() {
            "The body"
        } else {
            self.field.as_str()
        };
        match &self.problem {
            Problem::Missing => format!("{field} is required."),
            Problem::Unknown => format!(
                "{field} is not a member this object takes (its schema allows no other \
                 members): remove it."
            ),
            Problem::Null => format!("{field} may not be null."),
            Problem::NotA(kind) => format!("{field} must be {kind}."),
            Problem::NotOneOf(allowed) => {
                format!("{field} must be one of: {}.", allowed.join(", "))
            }
            Problem::Below(minimum) => format!("{field} must be {minimum} or more."),
            Problem::TooMany(max) => format!("{field} takes at most {max} items."),
            Problem::Refused(why) => format!("{field}: {why}"),
        }
    }
}

impl Violation {
    pub fn refused(field: &str, why: impl Into<String>) -> Violation {
        Violation {
            field: field.to_string(),
            problem: Problem::Refused(why.into()),
        }
    }
}

/// Every violation of `shape` in `value`, in the order the members are written.
pub fn check(value: &Value, shape: &Shape) -> Vec<Violation> {
    let mut found = Vec::new();
    check_at(value, shape, "", &mut found);
    found
}

fn violation(found: &mut Vec<Violation>, field: &str, problem: Problem) {
    found.push(Violation {
        field: field.to_string(),
        problem,
    });
}

fn check_at(value: &Value, shape: &Shape, field: &str, found: &mut Vec<Violation>) {
    match shape {
        Shape::Anything => {}
        Shape::Text if !value.is_string() => violation(found, field, Problem::NotA("a string")),
        Shape::Text => {}
        Shape::OneOf(allowed) => match value.as_str() {
            Some(text) if allowed.contains(&text) => {}
            _ => violation(found, field, Problem::NotOneOf(allowed)),
        },
        Shape::Flag if !value.is_boolean() => {
            violation(found, field, Problem::NotA("true or false"))
        }
        Shape::Flag => {}
        Shape::Whole { minimum } => match value.as_i64() {
            None => violation(found, field, Problem::NotA("an integer")),
            Some(number) => {
                if let Some(minimum) = minimum.filter(|minimum| number < *minimum) {
                    violation(found, field, Problem::Below(minimum));
                }
            }
        },
        Shape::List { item, max_items } => {
            let Some(items) = value.as_array() else {
                return violation(found, field, Problem::NotA("an array"));
            };
            if let Some(max) = max_items.filter(|max| items.len() > *max) {
                violation(found, field, Problem::TooMany(max));
            }
            for (index, element) in items.iter().enumerate() {
                let at = format!("{field}[{index}]");
                if element.is_null() {
                    violation(found, &at, Problem::Null);
                } else {
                    check_at(element, item, &at, found);
                }
            }
        }
        Shape::Object(object) => check_object(value, object, field, found),
    }
}

fn check_object(value: &Value, object: &Object, field: &str, found: &mut Vec<Violation>) {
    let Some(members) = value.as_object() else {
        return violation(found, field, Problem::NotA("a JSON object"));
    };
    let path = |name: &str| {
        if field.is_empty() {
            name.to_string()
        } else {
            format!("{field}.{name}")
        }
    };
    for member in object.members {
        match members.get(member.name) {
            None if member.required => violation(found, &path(member.name), Problem::Missing),
            None => {}
            Some(Value::Null) if member.nullable => {}
            Some(Value::Null) => violation(found, &path(member.name), Problem::Null),
            Some(given) => check_at(given, &member.shape, &path(member.name), found),
        }
    }
    if object.closed {
        for name in members.keys() {
            if !object.members.iter().any(|member| member.name == name) {
                violation(found, &path(name), Problem::Unknown);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    static INNER: Object = Object {
        members: &[
            Member::must("cn", Shape::Text),
            Member::may(
                "sans",
                Shape::List {
                    item: &Shape::Text,
                    max_items: Some(2),
                },
            ),
        ],
        closed: true,
    };
    static OUTER: Object = Object {
        members: &[
            Member::must("csr", Shape::Object(&INNER)),
            Member::must("ra", Shape::OneOf(&["lets-encrypt", "symantec"])),
            Member::may_not_null("slot", Shape::Whole { minimum: Some(1) }),
            Member::may("id", Shape::Anything),
        ],
        closed: false,
    };

    fn fields(value: Value) -> Vec<(String, Problem)> {
        check(&value, &Shape::Object(&OUTER))
            .into_iter()
            .map(|violation| (violation.field, violation.problem))
            .collect()
    }

    #[test]
    fn a_body_in_shape_passes() {
        let body = json!({"csr": {"cn": "a.example.com", "sans": null}, "ra": "symantec",
                          "id": [1], "extra": true});
        assert_eq!(fields(body), []);
    }

    #[test]
    fn every_violation_is_named_by_its_path() {
        let body = json!({"csr": {"sans": ["a", null, 3], "bogus": 1}, "ra": "digicert",
                          "slot": 0});
        assert_eq!(
            fields(body),
            [
                ("csr.cn".to_string(), Problem::Missing),
                ("csr.sans".to_string(), Problem::TooMany(2)),
                ("csr.sans[1]".to_string(), Problem::Null),
                ("csr.sans[2]".to_string(), Problem::NotA("a string")),
                ("csr.bogus".to_string(), Problem::Unknown),
                (
                    "ra".to_string(),
                    Problem::NotOneOf(&["lets-encrypt", "symantec"])
                ),
                ("slot".to_string(), Problem::Below(1)),
            ]
        );
        assert_eq!(
            fields(json!({"csr": {"cn": "x"}, "ra": "symantec", "slot": null})),
            [("slot".to_string(), Problem::Null)]
        );
        assert_eq!(
            fields(json!([])),
            [(String::new(), Problem::NotA("a JSON object"))]
        );
    }

    #[test]
    fn details_say_what_to_send() {
        let violation = Violation {
            field: "networkConfiguration.geography".to_string(),
            problem: Problem::NotOneOf(&["core", "china+core"]),
        };
        assert_eq!(
            violation.detail(),
            "networkConfiguration.geography must be one of: core, china+core."
        );
        assert_eq!(violation.title(), "Value not allowed");
    }
}
