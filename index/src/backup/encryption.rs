//! A backup's database encrypted with a passphrase (age: scrypt and ChaCha20-Poly1305), as a
//! stream, so that the plain copy never reaches the backup's folder (a USB drive, a share).

use crate::error::{Error, ErrorCode, Result};
use age::secrecy::SecretString;
use std::io::{BufReader, BufWriter, Write};
use std::path::Path;

/// The shortest passphrase taken: a backup leaves the building.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

pub fn check_passphrase(passphrase: &str) -> Result<()> {
    if passphrase.chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("备份密码至少 {MIN_PASSPHRASE_CHARS} 个字符"),
        ));
    }
    Ok(())
}

pub fn encrypt_file(plain: &Path, out: &Path, passphrase: &str) -> Result<()> {
    let reading = |e: std::io::Error| Error::io("无法读取备份副本", plain, &e);
    let writing = |e: std::io::Error| Error::io("无法写入备份", out, &e);
    let mut input = BufReader::new(std::fs::File::open(plain).map_err(reading)?);
    let file = std::fs::File::create(out).map_err(writing)?;
    let encryptor = age::Encryptor::with_user_passphrase(SecretString::from(passphrase.to_owned()));
    let mut writer = encryptor
        .wrap_output(BufWriter::new(file))
        .map_err(writing)?;
    std::io::copy(&mut input, &mut writer).map_err(writing)?;
    let mut inner = writer.finish().map_err(writing)?;
    inner.flush().map_err(writing)?;
    inner
        .into_inner()
        .map_err(|e| writing(e.into_error()))?
        .sync_all()
        .map_err(writing)
}

pub fn decrypt_file(encrypted: &Path, out: &Path, passphrase: &str) -> Result<()> {
    let reading = |e: std::io::Error| Error::io("无法读取备份", encrypted, &e);
    let writing = |e: std::io::Error| Error::io("无法写入", out, &e);
    let input = BufReader::new(std::fs::File::open(encrypted).map_err(reading)?);
    let wrong = || {
        Error::new(
            ErrorCode::InvalidRequest,
            format!("备份密码不对，或备份「{}」已损坏", encrypted.display()),
        )
    };
    let decryptor = age::Decryptor::new(input).map_err(|_| wrong())?;
    let identity = age::scrypt::Identity::new(SecretString::from(passphrase.to_owned()));
    let mut reader = decryptor
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .map_err(|_| wrong())?;
    let mut output = BufWriter::new(std::fs::File::create(out).map_err(writing)?);
    std::io::copy(&mut reader, &mut output).map_err(|e| match e.kind() {
        std::io::ErrorKind::InvalidData => wrong(),
        _ => writing(e),
    })?;
    output
        .into_inner()
        .map_err(|e| writing(e.into_error()))?
        .sync_all()
        .map_err(writing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_comes_back_with_the_passphrase_and_not_without_it() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain");
        let text = "张三 431128351209246 ".repeat(5000);
        std::fs::write(&plain, &text).unwrap();
        let sealed = dir.path().join("sealed.age");
        encrypt_file(&plain, &sealed, "正确的备份密码").unwrap();
        let bytes = std::fs::read(&sealed).unwrap();
        assert!(
            !bytes.windows(15).any(|w| w == b"431128351209246"),
            "no plain ID in the sealed file"
        );
        let back = dir.path().join("back");
        decrypt_file(&sealed, &back, "正确的备份密码").unwrap();
        assert_eq!(std::fs::read_to_string(&back).unwrap(), text);
        let wrong = decrypt_file(&sealed, &dir.path().join("x"), "错误的备份密码").unwrap_err();
        assert!(wrong.message.contains("备份密码不对"), "{}", wrong.message);
    }
}
