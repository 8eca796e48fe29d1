//! Random but plausible enrollments for `--enrollments N`: mostly certificates on the network
//! with nothing pending, and about a fifth with a change under way, some of those waiting for
//! the customer, as a large real account looks.

use rand::Rng;
use rand::rngs::StdRng;

use super::cps_book::Ra;
use super::cps_stories::{CpsStory, Wanted};

const BRANDS: &[&str] = &[
    "acme",
    "northwind",
    "contoso",
    "fabrikam",
    "tailspin",
    "wingtip",
    "adatum",
    "litware",
    "proseware",
    "woodgrove",
    "lucerne",
    "margie",
    "alpine",
    "bluesky",
    "coho",
    "fineart",
    "humongous",
    "lamna",
    "relecloud",
    "southridge",
    "trey",
    "wideworld",
    "blueyonder",
    "harbor",
    "ironwood",
    "juniper",
    "keystone",
    "lakeside",
    "meridian",
    "summit",
];
const ZONES: &[&str] = &["example.com", "example.net", "example.org", "example"];
const PREFIXES: &[&str] = &[
    "www", "shop", "api", "cdn", "static", "img", "m", "blog", "login", "pay", "media", "app",
];

/// The `index`th generated enrollment (its names are unique by index).
pub(super) fn draw(rng: &mut StdRng, index: usize) -> Wanted {
    let brand = BRANDS[index % BRANDS.len()];
    let zone = ZONES[(index / BRANDS.len()) % ZONES.len()];
    let round = index / (BRANDS.len() * ZONES.len());
    let base = format!("{brand}{round}.{zone}");
    let roll: f64 = rng.random();
    let ra = if roll < 0.70 {
        Ra::LetsEncrypt
    } else if roll < 0.97 {
        Ra::Symantec
    } else {
        Ra::ThirdParty
    };
    let (certificate_type, names) = if ra == Ra::ThirdParty {
        ("third-party", vec![format!("www.{base}")])
    } else if ra == Ra::Symantec && rng.random_bool(0.3) {
        ("wildcard", vec![format!("*.{base}")])
    } else {
        let count = rng.random_range(1..=4);
        let mut names: Vec<String> = Vec::with_capacity(count);
        for prefix in PREFIXES.iter().cycle().skip(index % PREFIXES.len()) {
            if names.len() == count {
                break;
            }
            names.push(format!("{prefix}.{base}"));
        }
        ("san", names)
    };
    let roll: f64 = rng.random();
    // About 80 % settled, the rest under way; of those about half wait for the customer.
    let wanted = if roll < 0.80 {
        CpsStory::Deployed
    } else if roll < 0.86 {
        CpsStory::New
    } else if roll < 0.89 {
        CpsStory::AwaitingChallenges
    } else if roll < 0.91 {
        CpsStory::Renewing
    } else if roll < 0.93 {
        CpsStory::Staging
    } else if roll < 0.95 {
        CpsStory::ChangeManagement
    } else if roll < 0.96 {
        CpsStory::PreVerificationWarnings
    } else if roll < 0.97 {
        CpsStory::PostVerificationWarnings
    } else if roll < 0.98 {
        CpsStory::Error
    } else {
        CpsStory::OvValidating
    };
    let story = match ra {
        Ra::ThirdParty if wanted != CpsStory::Deployed => CpsStory::ThirdParty,
        _ if wanted.fits(ra) => wanted,
        // What the certificate's own authority does at that point.
        Ra::Symantec => CpsStory::OvValidating,
        _ => CpsStory::New,
    };
    Wanted {
        ra,
        certificate_type,
        names,
        story,
    }
}
