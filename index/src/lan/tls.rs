//! TLS 1.3 only, both ways, with the keys as the identities: the host asks every desk for its
//! certificate and checks that the desk holds its key (the handshake's signature), then looks
//! the key up among its enrolled desks; a desk accepts the host only when the host's key is the
//! pinned one. No certificate authority, names or dates take part, so nothing but the key file
//! can stand in for either side.

use super::keys::{pin_of_certificate, Pin, TlsKey};
use crate::error::{Error, ErrorCode, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{verify_tls13_signature, CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{CertificateError, DigitallySignedStruct, DistinguishedName, SignatureScheme};
use std::sync::Arc;

/// *ring*: it builds with the C compiler alone, for Windows too. rustls marks it deprecated
/// for lacking post-quantum key exchange, which only aws-lc-rs offers, and that needs CMake and
/// NASM to build for Windows; the LAN's threat is someone on the office network today.
#[allow(deprecated)]
fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn tls_error(e: rustls::Error) -> Error {
    Error::new(ErrorCode::Io, format!("无法设置加密连接：{e}"))
}

/// The host's side: TLS 1.3, a desk certificate required (any key; who it is, is decided after
/// the handshake from its pin).
pub fn host_config(key: &TlsKey) -> Result<rustls::ServerConfig> {
    host_config_with(key, true)
}

/// The host's side when harvesters (open data) share the desks' port: a certificate is asked
/// for, checked when given, and not required; the desks' routes refuse a connection without one.
pub fn host_config_letting_in_harvesters(key: &TlsKey) -> Result<rustls::ServerConfig> {
    host_config_with(key, false)
}

/// The open-data door on a port of its own: TLS 1.3, no certificate asked for.
pub fn open_data_config(key: &TlsKey) -> Result<rustls::ServerConfig> {
    let mut config = rustls::ServerConfig::builder_with_provider(provider())
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .with_no_client_auth()
        .with_single_cert(vec![key.certificate()], key.private_key())
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

fn host_config_with(key: &TlsKey, required: bool) -> Result<rustls::ServerConfig> {
    let provider = provider();
    let verifier = Arc::new(AnyKeyHeld {
        required,
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .with_client_cert_verifier(verifier)
        .with_single_cert(vec![key.certificate()], key.private_key())
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// A desk's side: TLS 1.3 with its own certificate, the host accepted only with the pinned key.
/// Without a pin (pairing, before the host's key is known) any host key is accepted, and the
/// pairing exchange then proves it is the host that knows the code.
pub fn desk_config(key: &TlsKey, host: Option<Pin>) -> Result<rustls::ClientConfig> {
    let provider = provider();
    let verifier = Arc::new(PinnedHost {
        pin: host,
        algorithms: provider.signature_verification_algorithms,
    });
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(tls_error)?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_client_auth_cert(vec![key.certificate()], key.private_key())
        .map_err(tls_error)?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(config)
}

/// The pin of the key the other side of a connection proved it holds.
pub fn peer_pin(certificates: Option<&[CertificateDer<'_>]>) -> Option<Pin> {
    pin_of_certificate(certificates?.first()?)
}

/// What the host's name for itself in a desk's connection is: nothing checks it.
pub fn server_name(host: &str) -> ServerName<'static> {
    let bare = host
        .rsplit_once(':')
        .map_or(host, |(name, _port)| name)
        .trim_start_matches('[')
        .trim_end_matches(']');
    ServerName::try_from(bare.to_string())
        .unwrap_or_else(|_| ServerName::try_from("archivedesk-host").expect("a valid DNS name"))
}

/// Never reached: the configurations offer TLS 1.3 alone.
fn only_tls13() -> rustls::Error {
    rustls::Error::General("only TLS 1.3 is offered".into())
}

#[derive(Debug)]
struct AnyKeyHeld {
    required: bool,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for AnyKeyHeld {
    fn client_auth_mandatory(&self) -> bool {
        self.required
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _now: UnixTime,
    ) -> std::result::Result<ClientCertVerified, rustls::Error> {
        match pin_of_certificate(end_entity) {
            Some(_) => Ok(ClientCertVerified::assertion()),
            None => Err(rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding,
            )),
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        Err(only_tls13())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[derive(Debug)]
struct PinnedHost {
    pin: Option<Pin>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedHost {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let Some(seen) = pin_of_certificate(end_entity) else {
            return Err(rustls::Error::InvalidCertificate(
                CertificateError::BadEncoding,
            ));
        };
        match self.pin {
            Some(pin) if pin != seen => Err(rustls::Error::InvalidCertificate(
                CertificateError::ApplicationVerificationFailure,
            )),
            _ => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        _message: &[u8],
        _cert: &CertificateDer<'_>,
        _dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        Err(only_tls13())
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}
