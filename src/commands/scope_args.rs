//! `--contract`, `--group` and the request id, checked for the account's API: SPS names a
//! request within a group/contract pair; CPS lists enrollments per contract and names one by
//! its id alone (a group means nothing to it).

use crate::cli::{PairArgs, PairFilter};
use crate::model::{Api, Scope};

use super::CommandError;
use super::output::eprint;

/// What the command does with the scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Lists a scope: the contract is needed (and for SPS the group).
    List,
    /// Reads one request: SPS needs the pair, CPS nothing (the enrollment id is enough).
    Request,
}

/// The scope `args` name for `api`, `None` where the API needs none; a usage error saying
/// what to pass otherwise.
pub fn scope_of(
    api: Api,
    args: &PairArgs,
    purpose: Purpose,
) -> Result<Option<Scope>, CommandError> {
    let contract = given(args.contract.as_deref(), "--contract")?;
    let group = given(args.group.as_deref(), "--group")?;
    match api {
        Api::Sps => match (contract, group) {
            (Some(contract), Some(group)) => Ok(Some(Scope::pair(contract, group))),
            _ => Err(CommandError::usage(
                "SPS names requests within a group and contract: pass --contract C and --group G \
                 (see `spsdash --backend sps groups`)",
            )),
        },
        Api::Cps => {
            if group.is_some() {
                // Not an error: a command line written for SPS still does what it says.
                eprint(
                    "spsdash: note: --group is left aside: CPS enrollments belong to a contract\n",
                );
            }
            match (contract, purpose) {
                (Some(contract), _) => Ok(Some(Scope::contract(contract))),
                (None, Purpose::Request) => Ok(None),
                (None, Purpose::List) => Err(CommandError::usage(
                    "CPS lists enrollments per contract: pass --contract C (see `spsdash groups`)",
                )),
            }
        }
    }
}

/// The scope a `--contract`/`--group` filter names (`None`: every scope PAPI lists).
pub fn filter_of(api: Api, filter: &PairFilter) -> Result<Option<Scope>, CommandError> {
    if filter.contract.is_none() && filter.group.is_none() {
        return Ok(None);
    }
    let args = PairArgs {
        contract: filter.contract.clone(),
        group: filter.group.clone(),
    };
    scope_of(api, &args, Purpose::List)
}

/// A request id as the API names it: an spsId, an enrollment id.
pub fn request_id(api: Api, text: &str) -> Result<u64, CommandError> {
    text.trim().parse().map_err(|_| {
        let example = match api {
            Api::Sps => "an SPS request id, a number such as 1856",
            Api::Cps => "a CPS enrollment id, a number such as 10018",
        };
        CommandError::usage(format!(
            "`{}` is not {example} (see `spsdash list`)",
            crate::text::inert(text)
        ))
    })
}

fn given<'a>(value: Option<&'a str>, flag: &str) -> Result<Option<&'a str>, CommandError> {
    match value.map(str::trim) {
        Some("") => Err(CommandError::usage(format!(
            "{flag} must not be empty (see `spsdash groups`)"
        ))),
        other => Ok(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(contract: Option<&str>, group: Option<&str>) -> PairArgs {
        PairArgs {
            contract: contract.map(str::to_string),
            group: group.map(str::to_string),
        }
    }

    #[test]
    fn sps_needs_the_pair_and_cps_the_contract_only_to_list() {
        let pair = args(Some("ctr_C-1"), Some("grp_12"));
        assert_eq!(
            scope_of(Api::Sps, &pair, Purpose::Request).unwrap(),
            Some(Scope::pair("C-1", "12"))
        );
        assert!(scope_of(Api::Sps, &args(Some("C-1"), None), Purpose::Request).is_err());
        assert_eq!(
            scope_of(Api::Cps, &args(None, None), Purpose::Request).unwrap(),
            None
        );
        assert_eq!(
            scope_of(Api::Cps, &pair, Purpose::List).unwrap(),
            Some(Scope::contract("C-1"))
        );
        let missing = scope_of(Api::Cps, &args(None, None), Purpose::List).unwrap_err();
        assert!(
            missing.message.contains("--contract"),
            "{}",
            missing.message
        );
        assert!(scope_of(Api::Cps, &args(Some(" "), None), Purpose::List).is_err());
    }

    #[test]
    fn an_id_that_is_not_a_number_says_what_one_looks_like() {
        assert_eq!(request_id(Api::Cps, " 10018 ").unwrap(), 10018);
        let error = request_id(Api::Cps, "abc").unwrap_err();
        assert!(error.message.contains("enrollment id"), "{}", error.message);
        assert!(request_id(Api::Sps, "-1").is_err());
    }
}
