//! Who may use the server: one access code per unit and plan, and the
//! leader's password, kept in the archive only as salted hashes
//! (`.truy-cap.json`), with the secret that signs the sessions. Codes are
//! random, told once when made; a lost code is renewed, never recovered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::output::write_atomic;
use crate::plan::Plan;

/// The file in the archive.
pub const FILE: &str = ".truy-cap.json";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Hashed {
    salt: String,
    hash: String,
}

impl Hashed {
    fn new(secret: &str) -> Hashed {
        let salt = random_hex(16);
        let hash = hash(&salt, secret);
        Hashed { salt, hash }
    }

    fn matches(&self, secret: &str) -> bool {
        // Both sides are hex digests of the same length: compared whole.
        let given = hash(&self.salt, secret);
        given.len() == self.hash.len()
            && given
                .bytes()
                .zip(self.hash.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Store {
    /// Signs session cookies.
    secret: String,
    leader: Option<Hashed>,
    /// Plan code → unit code → hashed access code.
    plans: BTreeMap<String, BTreeMap<String, Hashed>>,
}

/// The access store of an archive.
pub struct Access {
    path: PathBuf,
    store: Store,
}

/// Codes made now, to tell once: the leader's password (when new) and the
/// units' codes.
#[derive(Debug, Default)]
pub struct Issued {
    pub leader: Option<String>,
    pub units: Vec<(String, String)>,
}

impl Access {
    /// Opens the archive's store, making the secret, the leader's password
    /// and a code for every unit of the plan that has none.
    pub fn open(archive: &Path, plan: &Plan) -> anyhow::Result<(Access, Issued)> {
        let path = archive.join(FILE);
        let mut store: Store = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Store::default(),
            Err(e) => return Err(e.into()),
        };
        let mut issued = Issued::default();
        if store.secret.is_empty() {
            store.secret = random_hex(32);
        }
        if store.leader.is_none() {
            let password = random_code(12);
            store.leader = Some(Hashed::new(&password));
            issued.leader = Some(password);
        }
        let codes = store.plans.entry(plan.code.clone()).or_default();
        for unit in &plan.units {
            if !codes.contains_key(&unit.code) {
                let code = random_code(10);
                codes.insert(unit.code.clone(), Hashed::new(&code));
                issued.units.push((unit.code.clone(), code));
            }
        }
        let access = Access { path, store };
        if issued.leader.is_some() || !issued.units.is_empty() {
            access.save()?;
        }
        Ok((access, issued))
    }

    /// A new code for a unit (the old one stops working).
    pub fn renew(&mut self, plan: &str, unit: &str) -> anyhow::Result<String> {
        let code = random_code(10);
        self.store
            .plans
            .entry(plan.to_string())
            .or_default()
            .insert(unit.to_string(), Hashed::new(&code));
        self.save()?;
        Ok(code)
    }

    fn save(&self) -> anyhow::Result<()> {
        let bytes = serde_json::to_vec_pretty(&self.store)?;
        write_atomic(&self.path, &bytes, true)?;
        Ok(())
    }

    /// The unit a code opens, for this plan.
    pub fn unit_of(&self, plan: &str, code: &str) -> Option<String> {
        let code = normalise(code);
        self.store
            .plans
            .get(plan)?
            .iter()
            .find(|(_, h)| h.matches(&code))
            .map(|(unit, _)| unit.clone())
    }

    /// True for the leader's password.
    pub fn is_leader(&self, password: &str) -> bool {
        self.store
            .leader
            .as_ref()
            .is_some_and(|h| h.matches(password.trim()))
    }

    /// A signature of `text` with the archive's secret (hex).
    pub fn sign(&self, text: &str) -> String {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.store.secret.as_bytes()).expect("any key length");
        mac.update(text.as_bytes());
        hex(&mac.finalize().into_bytes())
    }

    /// True when `signature` is `text`'s.
    pub fn verify(&self, text: &str, signature: &str) -> bool {
        let mut mac =
            Hmac::<Sha256>::new_from_slice(self.store.secret.as_bytes()).expect("any key length");
        mac.update(text.as_bytes());
        let Ok(bytes) = unhex(signature) else {
            return false;
        };
        mac.verify_slice(&bytes).is_ok()
    }
}

/// Codes are typed by people: case and spaces do not matter.
fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

fn hash(salt: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(b":");
    h.update(secret.as_bytes());
    hex(&h.finalize())
}

fn random_bytes(n: usize) -> Vec<u8> {
    let mut bytes = vec![0u8; n];
    getrandom::fill(&mut bytes).expect("the system's random source");
    bytes
}

fn random_hex(n: usize) -> String {
    hex(&random_bytes(n))
}

/// A code of letters and digits people can read aloud (no 0/O, 1/I/L).
fn random_code(len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    random_bytes(len)
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Result<Vec<u8>, ()> {
    if !text.len().is_multiple_of(2) {
        return Err(());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).ok_or(())?, 16).map_err(|_| ()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_open_their_unit_only_and_are_stored_hashed() {
        let dir = tempfile::tempdir().unwrap();
        let plan = crate::plan::load(std::path::Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/samples/ktkt-2022/ke-hoach.xlsx"
        )))
        .unwrap()
        .plan;
        let (access, issued) = Access::open(dir.path(), &plan).unwrap();
        assert_eq!(issued.units.len(), 12);
        let (unit, code) = &issued.units[0];
        assert_eq!(
            access.unit_of("KTKT-2022", code).as_deref(),
            Some(unit.as_str())
        );
        let typed = format!(" {} ", code.to_lowercase());
        assert_eq!(
            access.unit_of("KTKT-2022", &typed).as_deref(),
            Some(unit.as_str())
        );
        assert_eq!(access.unit_of("KTKT-2022", "WRONGCODE"), None);
        assert_eq!(access.unit_of("KHAC", code), None);
        assert!(access.is_leader(issued.leader.as_deref().unwrap()));
        let stored = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
        assert!(!stored.contains(code.as_str()), "only hashes are stored");
        // Opening again tells nothing new; a renewed code replaces the old.
        let (mut again, none) = Access::open(dir.path(), &plan).unwrap();
        assert!(none.leader.is_none() && none.units.is_empty());
        let new = again.renew("KTKT-2022", unit).unwrap();
        assert_eq!(again.unit_of("KTKT-2022", code), None);
        assert_eq!(
            again.unit_of("KTKT-2022", &new).as_deref(),
            Some(unit.as_str())
        );
        let sig = again.sign("SCT|1");
        assert!(again.verify("SCT|1", &sig));
        assert!(!again.verify("SCT|2", &sig));
    }
}
