//! The HTTP door (`archivedesk serve`): the operations of `Archive` as JSON, the scanned pages,
//! and the built UI, so that the same UI runs in a browser.
//!
//! - `POST /api/<op>` with the op's request type (api.rs) as the JSON body answers its response
//!   type, or an `Error` (`{code, message}`) with a 4xx/5xx status. Ops: those of `crate::ops`,
//!   and import_start. `login` sets a login cookie of its own: every op but a few (`ops`) is done
//!   for the clerk logged in with it.
//! - `GET /api/page/<document_id>/<page_no>?size=preview|full`: a page image (or PDF).
//! - `POST /api/upload`: multipart files, answered with `UploadedFiles`; `import_start` names them
//!   by upload id. This door imports only what was uploaded to it, never a path on the machine.
//! - Everything else: the files of the built UI.
//!
//! Any web page the clerk opens can send requests to a port on loopback, and a DNS-rebinding
//! page can even read the answers; so every request must name an allowed Host, carry no foreign
//! Origin, and present the token made at start (a cookie set when the printed URL is opened, or
//! `Authorization: Bearer <token>`).

pub mod desk_door;
pub mod host_calls;
pub mod lan_beside;
pub mod lan_door;
mod loopback_guard;
mod open_data_door;
pub mod peer_beside;
mod peer_door;
mod rate_limit;
pub mod remembered_door;
mod uploads;

use loopback_guard::LoopbackGuard;

/// The header that carries an act's retry key (`Archive::retry_key`).
pub(crate) const RETRY_KEY_HEADER: &str = "idempotency-key";

/// The login cookie of the LAN door: only desks' own doors talk to it, never a browser.
pub(crate) const LAN_LOGIN_COOKIE: &str = "archivedesk_login";

use crate::api::{
    Caller, ImportJobRequest, ImportJobStatus, ImportStartRequest, PageRequest, PageSize,
};
use crate::error::{Error, ErrorCode, Result};
use crate::ops::DoorLogin;
use crate::session::Session;
use crate::Archive;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Path as UrlPath, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

mod listen;

/// Catalogues of a whole county fit; a larger upload is refused. Uploads go to disk as they
/// arrive, never whole into memory.
const UPLOAD_LIMIT: usize = 1 << 30;
const UPLOAD_FOLDER: &str = "uploads";
/// Operations carry small JSON bodies; only a certificate presented for verification is large
/// (base64 of the largest certificate the archive issues, and room for the JSON around it).
const OPERATION_BODY_LIMIT: usize = 2 << 20;
use crate::register::proofs::PROOF_BODY_LIMIT;
const VERIFY_BODY_LIMIT: usize =
    crate::certificate::issue::MAX_CERTIFICATE_BYTES / 3 * 4 + (1 << 20);

pub struct ServeOptions {
    pub listen: SocketAddr,
    pub data_dir: PathBuf,
    /// The built UI (`ui/dist`); without it the API is served alone.
    pub ui_dir: Option<PathBuf>,
    /// Where `open_demo` builds or opens the demo archive.
    pub demo_dir: PathBuf,
    /// Other archives' door (跨馆), for an archive served on one PC: the archive's own key,
    /// peers' keys required, as beside a LAN host.
    pub peer_listen: Option<SocketAddr>,
}

/// What the loopback door says when it is open: the URL to open, and where other archives
/// reach this one.
pub struct ServeStarted {
    pub url: String,
    pub peer_address: Option<SocketAddr>,
}

/// A file uploaded and waiting to be previewed or imported, by the clerk who uploaded it.
struct Upload {
    path: PathBuf,
    owner: Option<i64>,
    bytes: u64,
}

struct Door {
    session: Arc<Session>,
    uploads: Mutex<HashMap<String, Upload>>,
    /// Where uploads wait to be imported: fixed at start, whichever archive is open later.
    uploads_dir: PathBuf,
    /// The loopback door's Host, Origin and token checks; unused on the LAN door.
    loopback: Arc<LoopbackGuard>,
    /// The cookie that carries a clerk's login token (the engine's `logins`).
    login_cookie: String,
    /// The LAN door's key and pairings; None on the loopback door.
    lan: Option<lan_door::LanHost>,
    /// The port the door listens on.
    port: u16,
    /// Where the peer door listens beside the LAN door, if it was asked for.
    peer_address: Option<SocketAddr>,
    /// Where open data is served, if it was turned on.
    open_data_address: Option<SocketAddr>,
}

impl Door {
    fn uploads(&self) -> MutexGuard<'_, HashMap<String, Upload>> {
        self.uploads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The login the request's cookie carries, and where the request comes from.
    fn login_of(&self, headers: &HeaderMap, from: Whence) -> DoorLogin {
        DoorLogin {
            token: token_in_cookie(headers, &self.login_cookie).map(str::to_string),
            address: from.address,
            desk: from.desk,
            retry_key: headers
                .get(RETRY_KEY_HEADER)
                .and_then(|v| v.to_str().ok())
                .filter(|key| crate::archive::valid_retry_key(key))
                .map(str::to_string),
        }
    }

    /// The clerk logged in with the request's cookie.
    fn at_desk(&self, headers: &HeaderMap, from: Whence) -> Result<Caller> {
        crate::ops::caller_at(&self.session, &mut self.login_of(headers, from))
    }
}

/// Where a request comes from, as logins and the trail name it: the client's address, and on
/// the LAN door the enrolled desk whose key the connection holds (`lan_door::guard` found it).
#[derive(Debug, Clone)]
pub(crate) struct Whence {
    /// The address, after the desk's code and name on the LAN door.
    pub address: String,
    /// The desk's code on the LAN door.
    pub desk: Option<String>,
}

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for Whence {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _state: &S,
    ) -> std::result::Result<Self, Self::Rejection> {
        let address = parts
            .extensions
            .get::<axum::extract::ConnectInfo<SocketAddr>>()
            .map_or_else(|| "未知地址".to_string(), |c| c.0.ip().to_string());
        Ok(match parts.extensions.get::<lan_door::AtLanDesk>() {
            Some(desk) => Whence {
                address: format!("柜台{}（{}）{address}", desk.0.code, desk.0.name),
                desk: Some(desk.0.code.clone()),
            },
            None => Whence {
                address,
                desk: None,
            },
        })
    }
}

/// Serve until Ctrl+C or SIGTERM. `started` gets the URL to open (with the token in it) once the
/// port is bound, before any request is answered.
pub fn serve(options: ServeOptions, started: impl FnOnce(&ServeStarted)) -> Result<()> {
    if !options.listen.ip().is_loopback() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "只能在本机回环地址上提供服务（如 127.0.0.1:8017），不能在「{}」上：局域网请用 serve --lan（加密，只接受配对过的柜台）",
                options.listen
            ),
        ));
    }
    let archive = Archive::open(&options.data_dir)?;
    let ui_dir = options.ui_dir.clone();
    run_door(
        DoorOpening {
            archive,
            data_dir: &options.data_dir,
            demo_dir: options.demo_dir,
            listen: options.listen,
            lan: None,
            peer_door: options.peer_listen,
            open_data: None,
        },
        move |door| router(door, ui_dir.as_deref()),
        |door, bound| {
            started(&ServeStarted {
                url: door.loopback.url(bound),
                peer_address: door.peer_address,
            })
        },
    )
}

/// The doors' runtime: two worker threads, as the office PCs have two cores.
pub(crate) fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法启动网络服务：{e}")))
}

/// What a door is opened with: the archive, its folders, the address, and on the LAN the key.
struct DoorOpening<'a> {
    archive: Archive,
    data_dir: &'a Path,
    demo_dir: PathBuf,
    listen: SocketAddr,
    lan: Option<lan_door::LanHost>,
    /// Other archives' door, on a port of its own beside the LAN door (never without it).
    peer_door: Option<SocketAddr>,
    /// Open data, beside the LAN door or on a port of its own (never without the LAN door).
    open_data: Option<lan_door::OpenDataAt>,
}

/// Opens the runtime and the port, serves the door `make_router` builds until Ctrl+C or
/// SIGTERM, and closes the archive the proper way. With `lan`, the door speaks TLS alone.
fn run_door(
    opening: DoorOpening<'_>,
    make_router: impl FnOnce(Arc<Door>) -> Router,
    started: impl FnOnce(&Door, SocketAddr),
) -> Result<()> {
    run_door_until(opening, make_router, started, listen::shutdown_signal)
}

/// `run_door`, until the future `shutdown` makes (inside the runtime, before `started` is
/// told) resolves: Ctrl+C and SIGTERM for the command line, the service manager's stop for a
/// Windows service.
fn run_door_until<F: std::future::Future<Output = ()>>(
    opening: DoorOpening<'_>,
    make_router: impl FnOnce(Arc<Door>) -> Router,
    started: impl FnOnce(&Door, SocketAddr),
    shutdown: impl FnOnce() -> F,
) -> Result<()> {
    let DoorOpening {
        archive,
        data_dir,
        demo_dir,
        listen,
        lan,
        peer_door,
        open_data,
    } = opening;
    // On one PC the peers' door speaks with the archive's own key, as a LAN host's does.
    let own_peer_tls = match (&lan, peer_door) {
        (None, Some(_)) => {
            let config = crate::lan::tls::host_config(&archive.host_key()?)?;
            Some(tokio_rustls::TlsAcceptor::from(Arc::new(config)))
        }
        _ => None,
    };
    if open_data.is_some() && lan.is_none() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "开放数据（OAI-PMH、SRU）只能与局域网主机（serve --lan）一起打开",
        ));
    }
    let session = Arc::new(Session::new(archive, demo_dir));
    // Uploads left from an earlier run were never imported.
    forget_leftover_uploads(data_dir);
    runtime()?.block_on(async move {
        let (listener, bound) = bind(listen).await?;
        let peers = match peer_door {
            Some(address) => Some(bind(address).await?),
            None => None,
        };
        let open_data_own = match open_data {
            Some(lan_door::OpenDataAt::Own(address)) => Some(bind(address).await?),
            _ => None,
        };
        let beside = open_data == Some(lan_door::OpenDataAt::LanDoor);
        // The peers' door always asks for a key; the desks' only when harvesters are elsewhere.
        let peer_tls = lan.as_ref().map(|lan| lan.acceptor()).or(own_peer_tls);
        let (tls, open_data_tls) = match &lan {
            Some(lan) if beside => (Some(lan.acceptor_letting_in_harvesters()?), None),
            Some(lan) => (
                Some(lan.acceptor()),
                open_data_own
                    .as_ref()
                    .map(|_| lan.open_data_acceptor())
                    .transpose()?,
            ),
            None => (None, None),
        };
        let peer_address = peers.as_ref().map(|(_, peer_bound)| *peer_bound);
        let open_data_address = match (&open_data_own, beside) {
            (Some((_, own_bound)), _) => Some(*own_bound),
            (None, true) => Some(bound),
            (None, false) => None,
        };
        let door = new_door(
            session,
            data_dir,
            bound,
            lan,
            [peer_address, open_data_address],
        );
        door.session.check_in_background();
        crate::session::keep_delivering(&door.session);
        crate::session::keep_reading_pages(&door.session);
        let daily = Arc::downgrade(&door);
        crate::session::keep_daily_backups(move || {
            let Some(door) = daily.upgrade() else {
                return false;
            };
            match door.session.expire_proofs_tick() {
                Some(Ok(count)) => eprintln!("已删除保存期满的证明材料 {count} 份"),
                Some(Err(e)) => eprintln!("删除保存期满的证明材料失败：{}", e.message),
                None => {}
            }
            match door.session.daily_backup_tick() {
                Some(Ok(report)) => eprintln!("每日备份已完成：{}", report.folder),
                Some(Err(e)) => eprintln!("每日备份失败：{}", e.message),
                None => {}
            }
            true
        });
        let mut app = make_router(Arc::clone(&door));
        if beside {
            let open = open_data_door::OpenDataDoor::new(Arc::clone(&door.session), bound);
            app = open_data_door::routes(open).merge(app);
        }
        // SIGTERM is watched from before the URL is printed.
        let shutdown = shutdown();
        // The peer door stops with the LAN door.
        let (stop_peers, peers_stopping) = tokio::sync::watch::channel(false);
        let peer_serving = peers.map(|(peer_listener, _)| {
            let peer_door = peer_door::PeerDoor::new(Arc::clone(&door.session));
            let failed = peer_door::handshake_failed(&peer_door);
            let router = peer_door::router(peer_door);
            let mut stopping = peers_stopping.clone();
            tokio::spawn(listen::serve_until_telling(
                peer_listener,
                router,
                peer_tls.clone(),
                async move {
                    let _ = stopping.wait_for(|stop| *stop).await;
                },
                Some(failed),
            ))
        });
        let open_data_serving = open_data_own.map(|(listener, own_bound)| {
            let open = open_data_door::OpenDataDoor::new(Arc::clone(&door.session), own_bound);
            let mut stopping = peers_stopping.clone();
            tokio::spawn(listen::serve_until(
                listener,
                open_data_door::router(open),
                open_data_tls,
                async move {
                    let _ = stopping.wait_for(|stop| *stop).await;
                },
            ))
        });
        started(&door, bound);
        // Both doors are told at once, so that both wind down within the one grace.
        let shutdown = async move {
            shutdown.await;
            stop_peers.send_replace(true);
        };
        listen::serve_until(listener, app, tls, shutdown).await;
        for serving in [peer_serving, open_data_serving].into_iter().flatten() {
            let _ = serving.await;
        }
        // The looks journaled so far are chained and the trail anchored before the process
        // ends (connections still winding down get "archive closed").
        door.session.close();
        let _ = std::fs::remove_dir_all(&door.uploads_dir);
        Ok(())
    })
}

/// The port bound, and the address it was bound on (port 0 picks a free one).
async fn bind(listen: SocketAddr) -> Result<(tokio::net::TcpListener, SocketAddr)> {
    let listener = tokio::net::TcpListener::bind(listen)
        .await
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法在 {listen} 上监听：{e}")))?;
    let bound = listener
        .local_addr()
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法读取监听地址：{e}")))?;
    Ok((listener, bound))
}

/// Removes the uploads an earlier run left (never imported); only at a process's start, since
/// the imports of a session that outlives its door still read theirs.
pub fn forget_leftover_uploads(data_dir: &Path) {
    let _ = std::fs::remove_dir_all(data_dir.join(UPLOAD_FOLDER));
}

/// A door on `session`, bound at `bound`, keeping uploads in the data folder; beside it, the
/// peers' door and open data where they listen.
fn new_door(
    session: Arc<Session>,
    data_dir: &Path,
    bound: SocketAddr,
    lan: Option<lan_door::LanHost>,
    [peer_address, open_data_address]: [Option<SocketAddr>; 2],
) -> Arc<Door> {
    let uploads_dir = data_dir.join(UPLOAD_FOLDER);
    Arc::new(Door {
        session,
        uploads: Mutex::new(HashMap::new()),
        uploads_dir,
        loopback: Arc::new(LoopbackGuard::new(bound)),
        // A desk's own door renames it for its browser (`desk_door`).
        login_cookie: match lan {
            Some(_) => LAN_LOGIN_COOKIE.to_string(),
            None => format!("archivedesk_login_{}", bound.port()),
        },
        lan,
        port: bound.port(),
        peer_address,
        open_data_address,
    })
}

/// Reports name an uploaded file by its own name, not by the folder the door kept it in.
fn hide_upload_folders(mut status: ImportJobStatus, folder: &Path) -> ImportJobStatus {
    let shown = |path: &mut String| {
        let p = Path::new(path.as_str());
        if p.starts_with(folder) {
            if let Some(name) = p.file_name() {
                *path = name.to_string_lossy().into_owned();
            }
        }
    };
    if let Some(progress) = status.progress.as_mut() {
        shown(&mut progress.file);
    }
    if let Some(report) = status.report.as_mut() {
        for file in &mut report.files {
            shown(&mut file.path);
            file.rejected.iter_mut().for_each(|r| shown(&mut r.file));
            file.warnings.iter_mut().for_each(|w| shown(&mut w.file));
        }
    }
    status
}

/// The operations, pages and uploads: the same on the loopback door and the LAN door.
fn api_routes() -> Router<Arc<Door>> {
    Router::new()
        .route("/api/page/{document_id}/{page_no}", get(page))
        .route(
            "/api/upload",
            post(uploads::upload).layer(DefaultBodyLimit::max(UPLOAD_LIMIT)),
        )
        .route(
            "/api/verify_certificate",
            post(verify_operation).layer(DefaultBodyLimit::max(VERIFY_BODY_LIMIT)),
        )
        .route(
            "/api/proof_add",
            post(proof_operation).layer(DefaultBodyLimit::max(PROOF_BODY_LIMIT)),
        )
        .route(
            "/api/{op}",
            post(operation).layer(DefaultBodyLimit::max(OPERATION_BODY_LIMIT)),
        )
}

/// The built UI's files, or a note that there are none.
fn with_ui<S: Clone + Send + Sync + 'static>(
    routes: Router<S>,
    ui_dir: Option<&Path>,
) -> Router<S> {
    match ui_dir {
        Some(dir) => routes.fallback_service(
            tower_http::services::ServeDir::new(dir)
                .fallback(tower_http::services::ServeFile::new(dir.join("index.html"))),
        ),
        None => routes.fallback(|| async {
            (StatusCode::NOT_FOUND, "界面文件未构建：只提供 /api")
        }),
    }
}

fn router(door: Arc<Door>, ui_dir: Option<&Path>) -> Router {
    with_ui(api_routes(), ui_dir)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&door.loopback),
            loopback_guard::guard,
        ))
        .layer(middleware::from_fn(security_headers))
        .with_state(door)
}

pub(crate) use crate::logins::new_token;

pub(crate) fn refuse(status: StatusCode, code: ErrorCode, message: &str) -> Response {
    (status, axum::Json(Error::new(code, message))).into_response()
}

pub(crate) fn token_in_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (k, v) = pair.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

pub(crate) async fn security_headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' blob: data:; style-src 'self' 'unsafe-inline'; \
             worker-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             frame-ancestors 'none'",
        ),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

pub(super) fn error_response(error: Error) -> Response {
    let status =
        StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (status, axum::Json(error)).into_response()
}

/// Run blocking archive work off the async threads.
pub(super) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T> + Send + 'static,
) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::new(ErrorCode::Io, format!("处理请求时出错：{e}")))?
}

/// A certificate PDF presented for verification: the one operation with a large body.
async fn verify_operation(
    State(door): State<Arc<Door>>,
    from: Whence,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_operation(door, from, headers, "verify_certificate".into(), body).await
}

/// A scan or photo of a proof, captured at the counter: the other operation with a large body.
async fn proof_operation(
    State(door): State<Arc<Door>>,
    from: Whence,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    run_operation(door, from, headers, "proof_add".into(), body).await
}

async fn operation(
    State(door): State<Arc<Door>>,
    from: Whence,
    headers: HeaderMap,
    UrlPath(op): UrlPath<String>,
    body: Bytes,
) -> Response {
    run_operation(door, from, headers, op, body).await
}

async fn run_operation(
    door: Arc<Door>,
    from: Whence,
    headers: HeaderMap,
    op: String,
    body: Bytes,
) -> Response {
    let before = door.login_of(&headers, from);
    let worker = Arc::clone(&door);
    let outcome = blocking(move || {
        let mut login = before.clone();
        let json = dispatch(&worker, &mut login, &op, &body);
        let changed = (login.token != before.token).then_some(login.token);
        Ok((json, changed))
    })
    .await;
    let (json, changed) = match outcome {
        Ok(done) => done,
        Err(e) => return error_response(e),
    };
    let mut response = match json {
        Ok(json) => axum::Json(json).into_response(),
        Err(e) => error_response(e),
    };
    // A login made, ended or renewed (or found ended) changes the cookie either way.
    if let Some(now) = changed {
        let cookie = match now {
            Some(token) => format!(
                "{}={token}; HttpOnly; SameSite=Strict; Path=/",
                door.login_cookie
            ),
            None => format!(
                "{}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0",
                door.login_cookie
            ),
        };
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
    }
    response
}

fn parse<T: DeserializeOwned + Default>(body: &[u8]) -> Result<T> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("请求格式不对：{e}")))
}

fn answer<T: Serialize>(value: T) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::new(ErrorCode::Io, format!("无法生成回答：{e}")))
}

/// The operations of `crate::ops`, and importing, which only this door does by uploads.
fn dispatch(
    door: &Door,
    login: &mut DoorLogin,
    op: &str,
    body: &[u8],
) -> Result<serde_json::Value> {
    match op {
        "import_start" => {
            let caller = crate::ops::caller_at(&door.session, login)?;
            answer(uploads::start_import(
                door,
                parse::<ImportStartRequest>(body)?,
                caller,
            )?)
        }
        "import_status" => {
            let caller = crate::ops::caller_at(&door.session, login)?;
            let request: ImportJobRequest = serde_json::from_slice(body)
                .map_err(|e| Error::new(ErrorCode::InvalidRequest, format!("请求格式不对：{e}")))?;
            let status = door.session.import_status(request.job, &caller)?;
            answer(hide_upload_folders(status, &door.uploads_dir))
        }
        op if lan_door::HOST_OPERATIONS.contains(&op) => {
            let caller = crate::ops::caller_at(&door.session, login)?;
            lan_door::host_operation(&door.session, door.lan.as_ref(), caller, op, body)
        }
        _ => crate::ops::call(&door.session, login, op, body),
    }
}

#[derive(Deserialize)]
struct PageQuery {
    #[serde(default)]
    size: PageSize,
}

/// A page image, served only within the clerk's recorded view of its document (the engine
/// decides and records it) and never kept by the browser: a re-view or a clerk switched in at
/// the same browser must ask the engine again.
async fn page(
    State(door): State<Arc<Door>>,
    from: Whence,
    headers: HeaderMap,
    UrlPath((document_id, page_no)): UrlPath<(i64, i64)>,
    Query(query): Query<PageQuery>,
) -> Response {
    let request = PageRequest {
        document_id,
        page_no,
        size: query.size,
    };
    let image = blocking(move || {
        let caller = door.at_desk(&headers, from)?;
        door.session.page_image(&request, &caller)
    })
    .await;
    match image {
        Ok(image) => (
            [
                (header::CONTENT_TYPE, image.mime),
                (header::CACHE_CONTROL, "no-store"),
            ],
            image.bytes,
        )
            .into_response(),
        Err(e) => error_response(e),
    }
}

#[cfg(test)]
mod tests {
    use super::uploads::safe_file_name;

    #[test]
    fn uploaded_names_keep_to_a_plain_file_name_windows_accepts() {
        assert_eq!(safe_file_name(Some("..\\..\\x.csv")), "x.csv");
        assert_eq!(safe_file_name(Some("../../etc/工资表.xlsx")), "工资表.xlsx");
        assert_eq!(safe_file_name(Some("NUL.csv")), "_NUL.csv");
        assert_eq!(safe_file_name(Some("com1")), "_com1");
        assert_eq!(safe_file_name(Some("<>:*?")), "上传文件");
        assert_eq!(safe_file_name(Some("..")), "上传文件");
        assert_eq!(safe_file_name(None), "上传文件");
        assert_eq!(safe_file_name(Some("退休 名册 .csv ")), "退休 名册 .csv");
    }
}
