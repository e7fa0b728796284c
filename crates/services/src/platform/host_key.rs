//! The host's secret key, kept in a file outside the database (and outside its backups):
//! 32 random bytes written in hexadecimal, created at the first start with owner-only
//! permissions. Each use gets a key of its own derived from it (HMAC-SHA256 of the use's
//! name), so that one file serves the audit trail's seal and the encryption of secrets.

use crate::platform::audit_seal::AuditSeal;
use crate::platform::secret_box::SecretBox;
use crate::platform::secrets::random_bytes;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

#[derive(Clone)]
pub struct HostKey([u8; 32]);

impl std::fmt::Debug for HostKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("HostKey(…)")
    }
}

/// The key file as read: the key, and whether this start created it.
pub struct Loaded {
    pub key: HostKey,
    pub created: bool,
}

impl HostKey {
    /// Reads the key at `path`, or creates it (and its folder) when there is no file.
    pub fn load_or_create(path: &Path) -> Result<Loaded, String> {
        let shown = path.display();
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let bytes = hex::decode(text.trim())
                    .ok()
                    .and_then(|b| <[u8; 32]>::try_from(b).ok())
                    .ok_or_else(|| {
                        format!("clé secrète {shown} : 64 chiffres hexadécimaux attendus")
                    })?;
                Ok(Loaded {
                    key: HostKey(bytes),
                    created: false,
                })
            }
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                    std::fs::DirBuilder::new()
                        .recursive(true)
                        .mode(0o700)
                        .create(folder)
                        .map_err(|e| format!("dossier de la clé secrète {shown} : {e}"))?;
                }
                let bytes: [u8; 32] = random_bytes(32).try_into().expect("32 bytes");
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .mode(0o600)
                    .open(path)
                    .map_err(|e| format!("clé secrète {shown} : {e}"))?;
                writeln!(file, "{}", hex::encode(bytes))
                    .and_then(|()| file.sync_all())
                    .map_err(|e| format!("clé secrète {shown} : {e}"))?;
                Ok(Loaded {
                    key: HostKey(bytes),
                    created: true,
                })
            }
            Err(error) => Err(format!("clé secrète {shown} : {error}")),
        }
    }

    /// The key of one use, named `purpose`.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac =
            <Hmac<Sha256> as Mac>::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }
}

/// What a host derives from its key file: the audit trail's seal (with the checkpoint file
/// and the syslog socket it writes to) and the box that seals stored secrets.
#[derive(Clone)]
pub struct HostKeys {
    pub audit_seal: Arc<AuditSeal>,
    pub secret_box: Arc<SecretBox>,
}

impl HostKeys {
    pub fn new(host: &HostKey, checkpoints: PathBuf, syslog: Option<PathBuf>) -> Self {
        Self {
            audit_seal: Arc::new(AuditSeal::new(host, checkpoints, syslog)),
            secret_box: Arc::new(SecretBox::new(host)),
        }
    }
}
