//! Serving the door's router on its bound port, with the limits `axum::serve` lacks: a client
//! that does not finish its request header in time is closed, only so many connections are
//! served at once, and on shutdown the requests under way finish before `serve` returns (so the
//! archive is closed the proper way afterwards). On the LAN door every connection is TLS first:
//! its handshake must end within the header timeout, and the key the desk proved it holds goes
//! with each of its requests (`DeskKey`).

use crate::lan::keys::Pin;
use crate::lan::tls::peer_pin;
use axum::extract::ConnectInfo;
use axum::http::Request;
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::{service_fn, Service as _};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};
use tokio_rustls::TlsAcceptor;

/// A client that has not sent a whole request header by then is closed: half a header would
/// otherwise hold its connection forever. Also how long an idle keep-alive connection is kept.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// Overrides HEADER_TIMEOUT, in milliseconds, so that tests need not wait 10 s.
const HEADER_TIMEOUT_VAR: &str = "ARCHIVEDESK_HEADER_TIMEOUT_MS";
/// Connections served at once; one clerk's browser opens a handful.
const MAX_CONNECTIONS: u32 = 64;
/// Overrides MAX_CONNECTIONS, so that tests can reach the cap with a few connections.
const MAX_CONNECTIONS_VAR: &str = "ARCHIVEDESK_MAX_CONNECTIONS";
/// How long requests under way may run on once shutdown is asked for: well inside the 5 s
/// Windows gives a console program after its window is closed, so that the archive is still
/// closed and its trail anchored afterwards. A certificate is drawn in well under that.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// The pin of the key a LAN desk proved it holds, in the extensions of each of its requests.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DeskKey(pub Pin);

/// Told of a TLS handshake that failed (not one that timed out): the client's address and why.
pub(crate) type HandshakeFailed = Arc<dyn Fn(SocketAddr, String) + Send + Sync>;

/// Serves `router` on `listener` until `shutdown` resolves; then accepts no more connections,
/// closes idle ones, and waits up to SHUTDOWN_GRACE for the requests under way. Handlers see
/// the client's address as axum's `ConnectInfo<SocketAddr>`. With `tls`, only TLS connections
/// are served.
pub(crate) async fn serve_until(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
) {
    serve_until_telling(listener, router, tls, shutdown, None).await
}

/// `serve_until`, telling `failed` of each TLS handshake that failed: a client proving a key
/// it does not hold (a certificate copied without its key) fails there, before any request.
pub(crate) async fn serve_until_telling(
    listener: TcpListener,
    router: Router,
    tls: Option<TlsAcceptor>,
    shutdown: impl Future<Output = ()>,
    failed: Option<HandshakeFailed>,
) {
    // Read once at start: the environment is not consulted per connection.
    let header_timeout = from_env(HEADER_TIMEOUT_VAR).map_or(HEADER_TIMEOUT, Duration::from_millis);
    let max_connections = from_env(MAX_CONNECTIONS_VAR).unwrap_or(MAX_CONNECTIONS);
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(header_timeout);
    // When all slots are taken, further connections wait in the accept backlog rather than being
    // refused: a browser's extra connection is answered late instead of failing.
    let slots = Arc::new(Semaphore::new(max_connections as usize));
    let (stop, stopping) = watch::channel(false);
    let mut shutdown = pin!(shutdown);
    loop {
        let next_connection = async {
            let slot = Arc::clone(&slots)
                .acquire_owned()
                .await
                .expect("the slots are never closed");
            (slot, accept(&listener).await)
        };
        tokio::select! {
            (slot, (stream, peer)) = next_connection => {
                let (http, router, stopping) = (http.clone(), router.clone(), stopping.clone());
                let tls = tls.clone();
                let failed = failed.clone();
                tokio::spawn(async move {
                    match tls {
                        None => serve_connection(http, stream, peer, None, router, stopping).await,
                        Some(tls) => {
                            let handshake = tokio::time::timeout(header_timeout, tls.accept(stream));
                            // A client that is not TLS, or not done in time, gets nothing.
                            match handshake.await {
                                Ok(Ok(stream)) => {
                                    let desk = peer_pin(stream.get_ref().1.peer_certificates()).map(DeskKey);
                                    serve_connection(http, stream, peer, desk, router, stopping).await;
                                }
                                Ok(Err(why)) => {
                                    if let Some(failed) = failed {
                                        failed(peer, why.to_string());
                                    }
                                }
                                Err(_) => {}
                            }
                        }
                    }
                    drop(slot);
                });
            }
            () = shutdown.as_mut() => break,
        }
    }
    drop(listener);
    stop.send_replace(true);
    // Every connection holds a slot until it ends: all slots free means all connections ended.
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, slots.acquire_many(max_connections)).await;
}

/// Resolves on Ctrl+C; on Unix also on SIGTERM (what service managers and `kill` send), on
/// Windows when the console window is closed or the PC shuts down. The handlers are installed
/// at the call, not at the first poll, so that a signal sent right after the URL is printed
/// already shuts down gracefully. A signal that cannot be watched never resolves, rather than
/// stopping the door at once.
pub(crate) fn shutdown_signal() -> impl Future<Output = ()> {
    let terminate = terminate_signal();
    async move {
        let ctrl_c = async {
            if tokio::signal::ctrl_c().await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            () = ctrl_c => {}
            () = terminate => {}
        }
    }
}

/// SIGTERM, watched from the call on.
#[cfg(unix)]
fn terminate_signal() -> impl Future<Output = ()> {
    let terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate());
    async move {
        match terminate {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    }
}

/// The console window closed, or the PC shutting down, watched from the call on.
#[cfg(windows)]
fn terminate_signal() -> impl Future<Output = ()> {
    let close = tokio::signal::windows::ctrl_close();
    let shutdown = tokio::signal::windows::ctrl_shutdown();
    async move {
        let close = async {
            match close {
                Ok(mut close) => {
                    close.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        let shutdown = async {
            match shutdown {
                Ok(mut shutdown) => {
                    shutdown.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            () = close => {}
            () = shutdown => {}
        }
    }
}

#[cfg(not(any(unix, windows)))]
fn terminate_signal() -> impl Future<Output = ()> {
    std::future::pending()
}

/// One connection, to its end; on `stopping` the request under way is answered and the
/// connection closed (an idle one at once).
async fn serve_connection<S>(
    http: http1::Builder,
    stream: S,
    peer: SocketAddr,
    desk: Option<DeskKey>,
    router: Router,
    mut stopping: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let router = TowerToHyperService::new(router);
    // As axum::serve does with `into_make_service_with_connect_info`.
    let service = service_fn(move |mut request: Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        if let Some(desk) = desk {
            request.extensions_mut().insert(desk);
        }
        router.call(request)
    });
    let mut connection = pin!(http.serve_connection(TokioIo::new(stream), service));
    // Errors here are the client's (gone, too slow, not HTTP): nothing for the door to do.
    tokio::select! {
        _ = connection.as_mut() => return,
        _ = stopping.wait_for(|&stop| stop) => {}
    }
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// The next connection. A client that gave up during the handshake is skipped; other failures
/// (out of file handles, say) are waited out, since connections ending will free what is missing.
async fn accept(listener: &TcpListener) -> (TcpStream, SocketAddr) {
    loop {
        match listener.accept().await {
            Ok(accepted) => {
                // Answers go out at once: with Nagle's algorithm a response written in two
                // parts (TLS records, head and body) waits for the client's delayed ACK, 40 ms.
                let _ = accepted.0.set_nodelay(true);
                return accepted;
            }
            Err(e) if is_client_gone(&e) => {}
            Err(_) => tokio::time::sleep(Duration::from_millis(100)).await,
        }
    }
}

fn is_client_gone(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    )
}

/// A positive number from the environment; anything else leaves the default.
fn from_env<T: std::str::FromStr + PartialOrd + Default>(name: &str) -> Option<T> {
    std::env::var(name)
        .ok()?
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > T::default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::routing::get;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn handlers_see_the_client_address_and_shutdown_ends_serving() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let door = listener.local_addr().unwrap();
        let router = Router::new().route(
            "/",
            get(|ConnectInfo(peer): ConnectInfo<SocketAddr>| async move { peer.to_string() }),
        );
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let serving = tokio::spawn(serve_until(listener, router, None, async {
            let _ = stopped.await;
        }));

        let mut client = TcpStream::connect(door).await.unwrap();
        client
            .write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            .await
            .unwrap();
        let mut answer = String::new();
        client.read_to_string(&mut answer).await.unwrap();
        let me = client.local_addr().unwrap().to_string();
        assert!(answer.ends_with(&me), "{answer}");

        stop.send(()).unwrap();
        tokio::time::timeout(Duration::from_secs(2), serving)
            .await
            .expect("serving ends soon after shutdown")
            .unwrap();
        assert!(TcpStream::connect(door).await.is_err(), "still accepting");
    }
}
