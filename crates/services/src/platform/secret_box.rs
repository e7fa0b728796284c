//! Secrets the database must hold but must not show (TOTP seeds): sealed with
//! ChaCha20-Poly1305 under a key derived from the host key file, so that a copy of the
//! database or of its backups alone gives none of them away.

use crate::platform::host_key::HostKey;
use crate::platform::secrets::random_bytes;
use ring::aead::{Aad, CHACHA20_POLY1305, LessSafeKey, NONCE_LEN, Nonce, UnboundKey};

/// The first byte of a sealed value: how it was sealed.
const VERSION: u8 = 1;

/// The key that seals and opens this host's stored secrets.
pub struct SecretBox(LessSafeKey);

/// A sealed value that does not open: altered, cut, sealed under another host's key, or
/// moved to another row than the one it was sealed for.
#[derive(Debug, PartialEq, Eq)]
pub struct Unopenable;

impl SecretBox {
    pub fn new(host: &HostKey) -> Self {
        let key = host.derive("maillage stored secrets");
        let key = UnboundKey::new(&CHACHA20_POLY1305, &key).expect("a 32-byte key");
        Self(LessSafeKey::new(key))
    }

    /// `plain`, sealed for `context` (what it belongs to, such as « totp:42 »): the version,
    /// a random nonce, the ciphertext and its tag.
    pub fn seal(&self, plain: &[u8], context: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = random_bytes(NONCE_LEN).try_into().expect("12 bytes");
        let mut sealed = plain.to_vec();
        self.0
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(context.as_bytes()),
                &mut sealed,
            )
            .expect("a secret far under the cipher's limit");
        [&[VERSION][..], &nonce, &sealed].concat()
    }

    /// What `sealed` holds, if it was sealed by this key for `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, Unopenable> {
        let Some((&VERSION, rest)) = sealed.split_first() else {
            return Err(Unopenable);
        };
        if rest.len() < NONCE_LEN {
            return Err(Unopenable);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_LEN);
        let nonce = Nonce::try_assume_unique_for_key(nonce).map_err(|_| Unopenable)?;
        let mut buffer = ciphertext.to_vec();
        let plain = self
            .0
            .open_in_place(nonce, Aad::from(context.as_bytes()), &mut buffer)
            .map_err(|_| Unopenable)?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host(path: &str) -> HostKey {
        let file = std::env::temp_dir().join(format!("{path}-{}", std::process::id()));
        let _ = std::fs::remove_file(&file);
        HostKey::load_or_create(&file).unwrap().key
    }

    #[test]
    fn a_sealed_secret_opens_only_with_its_key_and_for_its_row() {
        let secrets = SecretBox::new(&host("box-a"));
        let sealed = secrets.seal(b"twenty bytes of seed", "totp:7");
        assert!(!sealed.windows(20).any(|w| w == b"twenty bytes of seed"));
        assert_eq!(sealed.len(), 1 + 12 + 20 + 16);
        assert_eq!(
            secrets.open(&sealed, "totp:7").as_deref(),
            Ok(&b"twenty bytes of seed"[..])
        );
        assert_ne!(
            sealed,
            secrets.seal(b"twenty bytes of seed", "totp:7"),
            "a nonce of its own"
        );
        assert_eq!(secrets.open(&sealed, "totp:8"), Err(Unopenable));
        assert_eq!(
            SecretBox::new(&host("box-b")).open(&sealed, "totp:7"),
            Err(Unopenable)
        );
        let mut altered = sealed.clone();
        altered[20] ^= 1;
        assert_eq!(secrets.open(&altered, "totp:7"), Err(Unopenable));
        assert_eq!(secrets.open(&sealed[..10], "totp:7"), Err(Unopenable));
        assert_eq!(secrets.open(b"", "totp:7"), Err(Unopenable));
    }
}
