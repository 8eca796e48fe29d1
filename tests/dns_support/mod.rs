//! A tiny authoritative-looking DNS server on 127.0.0.1:0 (UDP) for the readiness check's DNS
//! tests: A, AAAA, CNAME (chains answered in full, as a recursive resolver does) and CAA
//! records, NXDOMAIN for unknown names, SERVFAIL for names marked so. Written by hand on the
//! wire format so a test controls every answer.
#![allow(dead_code)]

use std::collections::{HashMap, HashSet};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, Mutex};

use tokio::net::UdpSocket;

#[derive(Debug, Clone)]
pub enum Rr {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Cname(String),
    Caa {
        flags: u8,
        tag: String,
        value: String,
    },
}

const TYPE_A: u16 = 1;
const TYPE_CNAME: u16 = 5;
const TYPE_AAAA: u16 = 28;
const TYPE_CAA: u16 = 257;

impl Rr {
    fn kind(&self) -> u16 {
        match self {
            Rr::A(_) => TYPE_A,
            Rr::Aaaa(_) => TYPE_AAAA,
            Rr::Cname(_) => TYPE_CNAME,
            Rr::Caa { .. } => TYPE_CAA,
        }
    }

    fn rdata(&self) -> Vec<u8> {
        match self {
            Rr::A(ip) => ip.octets().to_vec(),
            Rr::Aaaa(ip) => ip.octets().to_vec(),
            Rr::Cname(name) => encode_name(name),
            Rr::Caa { flags, tag, value } => {
                let mut out = vec![*flags, tag.len() as u8];
                out.extend_from_slice(tag.as_bytes());
                out.extend_from_slice(value.as_bytes());
                out
            }
        }
    }
}

pub fn caa(tag: &str, value: &str) -> Rr {
    Rr::Caa {
        flags: 0,
        tag: tag.into(),
        value: value.into(),
    }
}

#[derive(Default)]
struct Zone {
    records: HashMap<String, Vec<Rr>>,
    servfail: HashSet<(String, u16)>,
    queries: Vec<(String, u16)>,
}

/// The running server: add records at any time; it answers from what is there.
#[derive(Clone)]
pub struct DnsServer {
    pub address: SocketAddr,
    zone: Arc<Mutex<Zone>>,
}

impl DnsServer {
    pub async fn start() -> DnsServer {
        let socket = UdpSocket::bind("127.0.0.1:0").await.expect("bind dns");
        let address = socket.local_addr().expect("dns address");
        let zone = Arc::new(Mutex::new(Zone::default()));
        let served = zone.clone();
        tokio::spawn(async move {
            let mut buffer = vec![0u8; 4096];
            while let Ok((length, peer)) = socket.recv_from(&mut buffer).await {
                if let Some(reply) = answer(&served, &buffer[..length]) {
                    let _ = socket.send_to(&reply, peer).await;
                }
            }
        });
        DnsServer { address, zone }
    }

    pub fn add(&self, name: &str, rr: Rr) -> &Self {
        self.zone
            .lock()
            .unwrap()
            .records
            .entry(name.to_ascii_lowercase())
            .or_default()
            .push(rr);
        self
    }

    /// Queries of `kind` ("A", "AAAA", "CAA", "CNAME") for `name` get SERVFAIL.
    pub fn servfail(&self, name: &str, kind: &str) -> &Self {
        let code = match kind {
            "A" => TYPE_A,
            "AAAA" => TYPE_AAAA,
            "CAA" => TYPE_CAA,
            _ => TYPE_CNAME,
        };
        self.zone
            .lock()
            .unwrap()
            .servfail
            .insert((name.to_ascii_lowercase(), code));
        self
    }

    /// Every (name, type) asked so far.
    pub fn queries(&self) -> Vec<(String, u16)> {
        self.zone.lock().unwrap().queries.clone()
    }
}

fn encode_name(name: &str) -> Vec<u8> {
    let mut out = Vec::new();
    for label in name
        .trim_end_matches('.')
        .split('.')
        .filter(|l| !l.is_empty())
    {
        out.push(label.len() as u8);
        out.extend_from_slice(label.as_bytes());
    }
    out.push(0);
    out
}

/// Parses the one question; returns (name, type, end of question).
fn question(packet: &[u8]) -> Option<(String, u16, usize)> {
    let mut at = 12;
    let mut labels = Vec::new();
    loop {
        let length = *packet.get(at)? as usize;
        at += 1;
        if length == 0 {
            break;
        }
        labels.push(String::from_utf8_lossy(packet.get(at..at + length)?).to_ascii_lowercase());
        at += length;
    }
    let kind = u16::from_be_bytes([*packet.get(at)?, *packet.get(at + 1)?]);
    Some((labels.join("."), kind, at + 4))
}

fn answer(zone: &Mutex<Zone>, packet: &[u8]) -> Option<Vec<u8>> {
    let (name, kind, end) = question(packet)?;
    let mut zone = zone.lock().unwrap();
    zone.queries.push((name.clone(), kind));
    let mut answers: Vec<(String, Rr)> = Vec::new();
    let mut rcode = 0u8;
    let mut current = name.clone();
    for _ in 0..8 {
        if zone.servfail.contains(&(current.clone(), kind)) {
            rcode = 2;
            answers.clear();
            break;
        }
        let Some(records) = zone.records.get(&current) else {
            if answers.is_empty() {
                rcode = 3;
            }
            break;
        };
        if kind != TYPE_CNAME
            && let Some(Rr::Cname(target)) = records.iter().find(|rr| rr.kind() == TYPE_CNAME)
        {
            answers.push((current.clone(), Rr::Cname(target.clone())));
            current = target.trim_end_matches('.').to_ascii_lowercase();
            continue;
        }
        answers.extend(
            records
                .iter()
                .filter(|rr| rr.kind() == kind)
                .map(|rr| (current.clone(), rr.clone())),
        );
        break;
    }
    let mut reply = Vec::new();
    reply.extend_from_slice(&packet[0..2]);
    // QR, RD copied, RA; the response code.
    let rd = packet[2] & 0x01;
    reply.push(0x80 | rd);
    reply.push(0x80 | rcode);
    reply.extend_from_slice(&1u16.to_be_bytes());
    reply.extend_from_slice(&(answers.len() as u16).to_be_bytes());
    reply.extend_from_slice(&0u16.to_be_bytes());
    reply.extend_from_slice(&0u16.to_be_bytes());
    reply.extend_from_slice(&packet[12..end]);
    for (owner, rr) in answers {
        reply.extend_from_slice(&encode_name(&owner));
        reply.extend_from_slice(&rr.kind().to_be_bytes());
        reply.extend_from_slice(&1u16.to_be_bytes());
        reply.extend_from_slice(&60u32.to_be_bytes());
        let rdata = rr.rdata();
        reply.extend_from_slice(&(rdata.len() as u16).to_be_bytes());
        reply.extend_from_slice(&rdata);
    }
    Some(reply)
}
