//! Injected failures for resilience tests: `--faults error500=P,ratelimit=P,reset=P,
//! malformed=P,latency-ms=N`, rolled per request with a seeded RNG.

use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Faults {
    pub error500: f64,
    /// 429 with `Retry-After`.
    pub ratelimit: f64,
    /// The connection is dropped without an answer.
    pub reset: f64,
    /// A 2xx answer whose JSON is cut short.
    pub malformed: f64,
    /// Added to every API call.
    pub latency: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    Reset,
    Error500,
    RateLimit,
    Malformed,
}

impl Faults {
    pub fn parse(spec: &str) -> Result<Faults, String> {
        let mut faults = Faults::default();
        for part in spec
            .split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
        {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("fault '{part}' needs a value, like error500=0.1"))?;
            let (name, value) = (name.trim(), value.trim());
            if name == "latency-ms" {
                let millis: u64 = value.parse().map_err(|_| {
                    format!("latency-ms must be a whole number of milliseconds, not '{value}'")
                })?;
                faults.latency = Duration::from_millis(millis);
                continue;
            }
            let probability: f64 = value
                .parse()
                .ok()
                .filter(|p: &f64| (0.0..=1.0).contains(p))
                .ok_or_else(|| {
                    format!("{name} must be a probability from 0 to 1, not '{value}'")
                })?;
            match name {
                "error500" => faults.error500 = probability,
                "ratelimit" => faults.ratelimit = probability,
                "reset" => faults.reset = probability,
                "malformed" => faults.malformed = probability,
                other => {
                    return Err(format!(
                        "unknown fault '{other}': use error500, ratelimit, reset, malformed or \
                         latency-ms"
                    ));
                }
            }
        }
        Ok(faults)
    }
}

/// The faults and the dice, shared by every connection.
#[derive(Debug)]
pub struct FaultDice {
    pub faults: Faults,
    rng: Mutex<StdRng>,
}

impl FaultDice {
    pub fn new(faults: Faults, seed: u64) -> Self {
        FaultDice {
            faults,
            rng: Mutex::new(StdRng::seed_from_u64(seed ^ 0x5eed_fa17)),
        }
    }

    /// One draw per kind, in a fixed order, so a seed replays the same sequence of faults.
    pub fn roll(&self) -> Option<Fault> {
        let mut rng = self.rng.lock().unwrap_or_else(PoisonError::into_inner);
        let draws: [(Fault, f64); 4] = [
            (Fault::Reset, self.faults.reset),
            (Fault::Error500, self.faults.error500),
            (Fault::RateLimit, self.faults.ratelimit),
            (Fault::Malformed, self.faults.malformed),
        ];
        let mut hit = None;
        for (fault, probability) in draws {
            let draw: f64 = rng.random();
            if hit.is_none() && draw < probability {
                hit = Some(fault);
            }
        }
        hit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_spec_and_refuses_bad_ones() {
        let faults =
            Faults::parse("error500=0.1, ratelimit=0.2,reset=0,malformed=1,latency-ms=250")
                .unwrap();
        assert_eq!(faults.error500, 0.1);
        assert_eq!(faults.ratelimit, 0.2);
        assert_eq!(faults.malformed, 1.0);
        assert_eq!(faults.latency, Duration::from_millis(250));
        assert!(Faults::parse("error500=2").unwrap_err().contains("0 to 1"));
        assert!(
            Faults::parse("teapot=0.1")
                .unwrap_err()
                .contains("unknown fault")
        );
        assert!(
            Faults::parse("reset")
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(Faults::parse("latency-ms=fast").is_err());
    }

    #[test]
    fn certain_and_impossible_faults_behave() {
        let always = FaultDice::new(Faults::parse("ratelimit=1").unwrap(), 1);
        assert!((0..50).all(|_| always.roll() == Some(Fault::RateLimit)));
        let never = FaultDice::new(Faults::default(), 1);
        assert!((0..50).all(|_| never.roll().is_none()));
        let some = FaultDice::new(Faults::parse("error500=0.5").unwrap(), 9);
        let hits = (0..400).filter(|_| some.roll().is_some()).count();
        assert!((120..280).contains(&hits), "{hits}");
    }
}
