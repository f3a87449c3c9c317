//! A key pair of this machine for the LAN door — the host's, or a desk's — made once and kept in
//! the data folder, and the certificate that carries it, made afresh from the key at every start
//! (a renewed certificate keeps the key). What the other side pins is the SHA-256 of the public
//! key (SPKI), so it never changes while the key file is kept.

use crate::error::{Error, ErrorCode, Result};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use std::fmt;
use std::path::Path;

/// The SHA-256 of a public key (its DER SubjectPublicKeyInfo).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Pin(pub [u8; 32]);

impl Pin {
    pub fn hex(&self) -> String {
        hex::encode(self.0)
    }

    /// Read from its hex form, with or without the spaces and colons it is shown with.
    pub fn parse(text: &str) -> Option<Pin> {
        let digits: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != ':')
            .collect();
        let bytes = hex::decode(digits).ok()?;
        Some(Pin(bytes.try_into().ok()?))
    }

    /// In groups of four, as it is read aloud or compared by eye.
    pub fn shown(&self) -> String {
        let hex = self.hex().to_uppercase();
        hex.as_bytes()
            .chunks(4)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

impl fmt::Debug for Pin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pin({})", self.hex())
    }
}

/// The pin of the key a certificate carries; None for bytes that are no certificate.
pub fn pin_of_certificate(der: &[u8]) -> Option<Pin> {
    use x509_parser::prelude::FromDer;
    let (_, certificate) = x509_parser::certificate::X509Certificate::from_der(der).ok()?;
    Some(Pin(Sha256::digest(
        certificate.tbs_certificate.subject_pki.raw,
    )
    .into()))
}

pub struct TlsKey {
    certificate: CertificateDer<'static>,
    key_pkcs8: Vec<u8>,
    pin: Pin,
}

impl TlsKey {
    /// The key kept at `path`, made there first if there is none. `name` goes into the
    /// certificate (nothing checks it: the pin is the identity).
    pub fn load_or_make(path: &Path, name: &str) -> Result<TlsKey> {
        let key_pair = match std::fs::read_to_string(path) {
            Ok(pem) => rcgen::KeyPair::from_pem(&pem).map_err(|e| {
                Error::new(
                    ErrorCode::DataDir,
                    format!("密钥文件「{}」已损坏，无法读取：{e}", path.display()),
                )
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => make(path)?,
            Err(e) => return Err(Error::io("无法读取密钥文件", path, &e)),
        };
        let params = rcgen::CertificateParams::new(vec![name.to_string()])
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成证书：{e}")))?;
        let certificate = params
            .self_signed(&key_pair)
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成证书：{e}")))?;
        let certificate = CertificateDer::from(certificate.der().to_vec());
        let pin = pin_of_certificate(&certificate)
            .ok_or_else(|| Error::new(ErrorCode::Io, "生成的证书无法读取"))?;
        Ok(TlsKey {
            certificate,
            key_pkcs8: key_pair.serialize_der(),
            pin,
        })
    }

    pub fn pin(&self) -> Pin {
        self.pin
    }

    pub fn certificate(&self) -> CertificateDer<'static> {
        self.certificate.clone()
    }

    pub fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_pkcs8.clone()))
    }
}

/// A new key pair written to `path` whole or not at all (a temporary file renamed), readable by
/// this account alone (`private_file`).
fn make(path: &Path) -> Result<rcgen::KeyPair> {
    let key_pair = rcgen::KeyPair::generate()
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成密钥：{e}")))?;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder).map_err(|e| Error::io("无法创建文件夹", folder, &e))?;
    }
    let temporary = path.with_extension("new");
    // A file left there by an interrupted run is not written through (its mode, a link).
    let _ = std::fs::remove_file(&temporary);
    let written = crate::private_file::create_private(&temporary).and_then(|mut file| {
        use std::io::Write;
        file.write_all(key_pair.serialize_pem().as_bytes())?;
        file.sync_all()
    });
    written
        .and_then(|()| std::fs::rename(&temporary, path))
        .map_err(|e| Error::io("无法保存密钥文件", path, &e))?;
    Ok(key_pair)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_its_pin_survives_a_new_certificate() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("局域网").join("host_key.pem");
        let first = TlsKey::load_or_make(&path, "archivedesk-host").unwrap();
        let again = TlsKey::load_or_make(&path, "archivedesk-host").unwrap();
        assert_eq!(first.pin(), again.pin());
        let other =
            TlsKey::load_or_make(&dir.path().join("other.pem"), "archivedesk-host").unwrap();
        assert_ne!(first.pin(), other.pin());
        assert_eq!(pin_of_certificate(&again.certificate()), Some(first.pin()));
    }

    #[test]
    fn a_pin_reads_back_from_how_it_is_shown() {
        let pin = Pin([0xab; 32]);
        assert_eq!(Pin::parse(&pin.shown()), Some(pin));
        assert_eq!(Pin::parse(&pin.hex()), Some(pin));
        assert_eq!(Pin::parse("abcd"), None);
        assert!(pin_of_certificate(b"not a certificate").is_none());
    }

    #[test]
    fn a_damaged_key_file_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("host_key.pem");
        std::fs::write(&path, "garbage").unwrap();
        let error = TlsKey::load_or_make(&path, "h").err().unwrap();
        assert!(error.message.contains("host_key.pem"), "{}", error.message);
    }
}
