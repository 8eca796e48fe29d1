//! What a list keeps of each request (issue 12). A list answer with `information=true`
//! carries ~23 parameters per request (contacts, address, CSR fields): ~2 KB of JSON and,
//! decoded, most of the dashboard's memory at 10,000 requests. The screens that show a list
//! need only a few of them; the detail view reads its own request whole.

use super::model::SpsRequest;

/// The parameters a list entry keeps: the table's name and kind (`cnameHostname`, `csr.cn`,
/// `createType`), its validation (`issuer`), and what the "add domains" wizard and the
/// reconciliation of a lost submission start from (`csr.sans`, `add.sans`).
pub const LIST_PARAMETERS: &[&str] = &[
    "cnameHostname",
    "csr.cn",
    "createType",
    "issuer",
    "csr.sans",
    "add.sans",
];

/// A list made ready for the dashboard, before it is handed to the loop: every request
/// compacted and no spare capacity. The poller and the cache reader call this on their own
/// threads, while the list is still in cache; the reducer takes lists as they come (at
/// 10,000 requests, walking each request's parameters once more on the loop thread was a
/// fifth of applying a list, nearly all of it cache misses).
pub fn compact_list(requests: &mut Vec<SpsRequest>) {
    for request in requests.iter_mut() {
        request.compact_for_list();
    }
    requests.shrink_to_fit();
}

impl SpsRequest {
    /// Drops the parameters no list screen shows, and the spare capacity decoding left.
    pub fn compact_for_list(&mut self) {
        self.parameters
            .retain(|parameter| LIST_PARAMETERS.contains(&&*parameter.name));
        self.parameters.shrink_to_fit();
        self.dv_status.shrink_to_fit();
    }

    /// True when the parameters are only the list's few (the detail reads the rest).
    pub fn has_only_list_parameters(&self) -> bool {
        self.parameters
            .iter()
            .all(|parameter| LIST_PARAMETERS.contains(&&*parameter.name))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_entry_keeps_only_what_the_list_screens_use() {
        let mut request: SpsRequest = serde_json::from_value(serde_json::json!({
            "spsId": 1,
            "status": "Awaiting User",
            "parameters": [
                {"name": "cnameHostname", "value": "www.example.com"},
                {"name": "admin-contact.email", "value": "ann@example.com"},
                {"name": "csr.sans", "value": "a.example.com"},
                {"name": "csr.sans", "value": "b.example.com"},
                {"name": "organization-information.city", "value": "Cambridge"},
                {"name": "createType", "value": "san"}
            ]
        }))
        .unwrap();
        assert!(!request.has_only_list_parameters());
        request.compact_for_list();
        let names: Vec<&str> = request
            .parameters
            .iter()
            .map(|parameter| &*parameter.name)
            .collect();
        assert_eq!(
            names,
            ["cnameHostname", "csr.sans", "csr.sans", "createType"]
        );
        assert_eq!(request.cname_hostname(), Some("www.example.com"));
        assert!(request.is_san());
        assert!(request.has_only_list_parameters());
    }
}
