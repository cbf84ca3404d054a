//! Secrets: random tokens and codes, their hashes, HMAC-signed values, password hashes.

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::{Rng, RngCore};
use sha2::{Digest, Sha256};

/// A 256-bit random token, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A six-digit one-time code.
pub fn six_digit_code() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// SHA-256 of a secret, hex: what the database stores instead of the secret.
pub fn hash(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// HMAC-SHA256 signing with the site's secret key, for values handed to browsers.
#[derive(Clone)]
pub struct Signer {
    key: Vec<u8>,
}

impl Signer {
    pub fn new(key: &[u8]) -> Signer {
        Signer { key: key.to_vec() }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        Hmac::<Sha256>::new_from_slice(&self.key)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }

    /// `payload.signature`; the payload must not contain '.'-free assumptions: it is kept as is.
    pub fn seal(&self, payload: &str) -> String {
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        format!(
            "{payload}.{}",
            URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
        )
    }

    /// The payload of a sealed value when its signature is valid (constant-time comparison).
    pub fn open<'a>(&self, sealed: &'a str) -> Option<&'a str> {
        let (payload, signature) = sealed.rsplit_once('.')?;
        let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
        let mut mac = self.mac();
        mac.update(payload.as_bytes());
        mac.verify_slice(&signature).ok().map(|()| payload)
    }
}

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer(…)")
    }
}

/// Why a password could not be hashed (argon2's errors carry no source to keep).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct HashError(String);

/// An argon2id hash of a password, in PHC string form.
pub fn hash_password(password: &str) -> Result<String, HashError> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| HashError(format!("salt: {e}")))?;
    let hash = argon2::Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| HashError(format!("hashing the password failed: {e}")))?;
    Ok(hash.to_string())
}

/// An argon2id hash of a random password nobody knows, made by `hash_password` (so with the
/// same parameters) once per process.
fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash_password(&random_token()).unwrap_or_default());
    &DUMMY
}

/// Checks `password` against the stored hash, or, when there is none (an unknown address, a
/// member who never set a password), against a dummy hash with the same parameters that no
/// password matches: both answers take as long as a real check, so response time does not
/// tell which addresses have accounts with passwords.
pub fn verify_stored(password: &str, stored: Option<&str>) -> bool {
    verify_with(password, stored, verify_password)
}

fn verify_with(password: &str, stored: Option<&str>, verify: impl Fn(&str, &str) -> bool) -> bool {
    if let Some(phc) = stored {
        verify(password, phc)
    } else {
        // The outcome is ignored; the work is the point.
        let _ = verify(password, dummy_hash());
        false
    }
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|parsed| {
        argon2::Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// Constant-time equality of two strings (for CSRF tokens and codes).
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_values_reject_tampering() {
        let signer = Signer::new(b"key");
        let sealed = signer.seal("gift:123");
        assert_eq!(signer.open(&sealed), Some("gift:123"));
        assert_eq!(signer.open(&sealed.replace("123", "124")), None);
        assert_eq!(Signer::new(b"other").open(&sealed), None);
        for junk in ["", ".", "a.b", "nodot", "x.%%%"] {
            assert_eq!(signer.open(junk), None);
        }
    }

    #[test]
    fn tokens_codes_and_passwords() {
        assert_ne!(random_token(), random_token());
        assert_eq!(random_token().len(), 43);
        let code = six_digit_code();
        assert!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()));
        let phc = hash_password("correct horse battery").unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("wrong", &phc));
        assert!(!verify_password("x", "not a hash"));
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }

    /// Regression (issue 13): an unknown address answered before any hashing, so its response
    /// came measurably sooner than a wrong password's.
    #[test]
    fn without_a_stored_hash_the_password_is_still_verified_against_a_dummy() {
        let calls = std::cell::RefCell::new(Vec::new());
        let spy = |password: &str, phc: &str| {
            calls
                .borrow_mut()
                .push((password.to_owned(), phc.to_owned()));
            true
        };
        assert!(!verify_with("guess", None, spy), "no hash: never a match");
        assert_eq!(
            *calls.borrow(),
            [("guess".to_owned(), dummy_hash().to_owned())],
            "the guess was verified against the dummy hash"
        );
        assert!(verify_with("guess", Some("$stored"), spy));
        assert_eq!(calls.borrow()[1].1, "$stored");

        // The dummy costs what a real hash costs: argon2id with the same parameters.
        let real = hash_password("a real password").unwrap();
        let (dummy, real) = (
            PasswordHash::new(dummy_hash()).unwrap(),
            PasswordHash::new(&real).unwrap(),
        );
        assert_eq!(dummy.algorithm, real.algorithm);
        assert_eq!(dummy.algorithm.as_str(), "argon2id");
        assert_eq!((dummy.version, &dummy.params), (real.version, &real.params));
        assert!(!verify_stored("a real password", None));
    }
}
