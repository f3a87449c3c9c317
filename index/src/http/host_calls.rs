//! The desktop app as a desk: the UI's operations, page images and catalogue files sent on to
//! the archive's host over the pinned link with this desk's key, as the desk's door
//! (`desk_door.rs`) sends a browser's. The login lives in memory only, and nothing of the archive
//! is kept on the desk.

use super::{new_token, LAN_LOGIN_COOKIE, RETRY_KEY_HEADER};
use crate::api::{
    DeskPlace, ImportJobStarted, ImportStartRequest, LanDeskPlace, PageRequest, PageSize,
    UploadedFiles,
};
use crate::archive::RETRIED_OPS;
use crate::error::{Error, ErrorCode, Result};
use crate::lan::desk_link::{desk_key, pair, DeskConfig, HostLink};
use axum::body::Body;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::{header, Request, Response};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The largest answer read into memory: a full-size scan or a certificate PDF.
const ANSWER_LIMIT: usize = 256 << 20;
/// The most a desk sends in one upload (the host's upload limit).
const UPLOAD_LIMIT: u64 = 1 << 30;
/// How long an act whose answer was cut off is asked for again (as `HostLink::send_act`).
const ACT_RETRY_FOR: Duration = Duration::from_secs(60);

pub struct HostCalls {
    link: HostLink,
    config: DeskConfig,
    /// The host's login token for the clerk at this desk, as the host's cookie carried it.
    login: Mutex<Option<String>>,
}

/// A page image or a PDF as the host sent it.
pub struct HostFile {
    pub content_type: String,
    pub bytes: Vec<u8>,
}

impl HostCalls {
    /// The desk whose data folder is `data_dir`, if that folder holds a pairing.
    pub fn open(data_dir: &Path) -> Result<Option<HostCalls>> {
        let Some(config) = DeskConfig::load(data_dir)? else {
            return Ok(None);
        };
        let key = desk_key(data_dir)?;
        let link = HostLink::new(&config.host, &key, Some(config.pin()?))?;
        Ok(Some(HostCalls {
            link,
            config,
            login: Mutex::new(None),
        }))
    }

    /// Pairs the PC whose data folder is `data_dir` with the host at `host`, with the code
    /// shown there, and works as that desk from now on.
    pub async fn pair(data_dir: &Path, host: &str, code: &str) -> Result<HostCalls> {
        let host = host.trim();
        if host.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "请填写档案库主机的地址（如 192.168.1.10:8443）",
            ));
        }
        pair(data_dir, host, code.trim()).await?;
        HostCalls::open(data_dir)?
            .ok_or_else(|| Error::new(ErrorCode::DataDir, "配对已完成，但柜台配置没有保存下来"))
    }

    pub fn config(&self) -> &DeskConfig {
        &self.config
    }

    /// Where this desk works, as the first-start screen and the header show it.
    pub fn place(&self) -> DeskPlace {
        DeskPlace {
            chosen: true,
            problem: None,
            lan: Some(LanDeskPlace {
                host: self.config.host.clone(),
                desk_code: self.config.desk_code.clone(),
                desk_name: self.config.desk_name.clone(),
                archive_name: self.config.archive_name.clone(),
            }),
        }
    }

    /// One of the engine's operations (`POST /api/<op>` at the host) for the clerk logged in
    /// at this desk. Acts go under a retry key and are asked for again while the host is away.
    pub async fn call(&self, op: &str, request: &serde_json::Value) -> Result<serde_json::Value> {
        let path = format!("/api/{op}");
        let body = if request.is_null() {
            b"{}".to_vec()
        } else {
            serde_json::to_vec(request).expect("JSON values serialize")
        };
        let login = self.login_now();
        let make = |key: Option<&str>| {
            self.request(
                "POST",
                &path,
                Some("application/json"),
                login.as_deref(),
                key,
            )
            .body(Body::from(body.clone()))
            .map_err(unsendable)
        };
        if !RETRIED_OPS.contains(&op) {
            let answer = self.send(make(None)?).await?;
            return self.json(answer, login).await;
        }
        // An act: its answer lost on the way, whether before it began or midway, is asked for
        // again under the same key, and the host gives back what it did the first time.
        let key = new_token();
        let started = Instant::now();
        loop {
            let answer = self.link.send_act(|| make(Some(&key))).await?;
            match self.json(answer, login.clone()).await {
                Err(e)
                    if e.code == ErrorCode::HostUnreachable
                        && started.elapsed() < ACT_RETRY_FOR =>
                {
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
                answered => return answered,
            }
        }
    }

    /// The app is quitting: the clerk's login at the host ends now rather than when it would
    /// time out there. Waits two seconds at most; a host that is away forgets it anyway.
    pub async fn log_out(&self) {
        if self.login_now().is_none() {
            return;
        }
        let _ = tokio::time::timeout(
            Duration::from_secs(2),
            self.call("logout", &serde_json::Value::Null),
        )
        .await;
    }

    /// A scanned page, as `GET /api/page/…` at the host answers it for the clerk at this desk.
    pub async fn page(&self, page: &PageRequest) -> Result<HostFile> {
        let size = match page.size {
            PageSize::Preview => "preview",
            PageSize::Full => "full",
        };
        let path = format!(
            "/api/page/{}/{}?size={size}",
            page.document_id, page.page_no
        );
        let request = self
            .request("GET", &path, None, self.login_now().as_deref(), None)
            .body(Body::empty())
            .map_err(unsendable)?;
        let answer = self.send(request).await?;
        let content_type = answer
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_string();
        let ok = answer.status().is_success();
        let bytes = read(answer).await?;
        if !ok {
            return Err(host_error(&bytes));
        }
        Ok(HostFile {
            content_type,
            bytes,
        })
    }

    /// Catalogue files chosen in the system dialog, uploaded to the host (as a browser uploads
    /// them) and imported or previewed there; the host reports to this desk. Scan folders are
    /// imported at the host itself.
    pub async fn import_files(&self, request: ImportStartRequest) -> Result<ImportJobStarted> {
        if request.paths.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "没有选择要导入的文件",
            ));
        }
        let uploaded = self.upload(&request.paths).await?;
        let start = ImportStartRequest {
            paths: Vec::new(),
            uploads: uploaded.files.into_iter().map(|f| f.upload).collect(),
            ..request
        };
        let value = serde_json::to_value(&start).expect("plain fields serialize");
        let answer = self.call("import_start", &value).await?;
        serde_json::from_value(answer).map_err(unreadable)
    }

    /// The files at `paths` as one multipart upload (`POST /api/upload` at the host).
    async fn upload(&self, paths: &[PathBuf]) -> Result<UploadedFiles> {
        let mut total = 0;
        for path in paths {
            total += catalogue_file_size(path)?;
        }
        if total > UPLOAD_LIMIT {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "所选文件合计超过 1 GB：请分几次导入，或在档案库主机上导入",
            ));
        }
        let boundary = format!("archivedesk-{}", new_token());
        let mut body = Vec::new();
        for path in paths {
            let bytes = std::fs::read(path).map_err(|e| Error::io("无法读取文件", path, &e))?;
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().replace(['"', '\r', '\n'], "_"))
                .unwrap_or_default();
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(&bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let content_type = format!("multipart/form-data; boundary={boundary}");
        let login = self.login_now();
        let request = self
            .request(
                "POST",
                "/api/upload",
                Some(&content_type),
                login.as_deref(),
                None,
            )
            .body(Body::from(body))
            .map_err(unsendable)?;
        let answer = self.send(request).await?;
        let value = self.json(answer, login).await?;
        serde_json::from_value(value).map_err(unreadable)
    }

    fn login_now(&self) -> Option<String> {
        self.login
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// A request to the host with the login `token`.
    fn request(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        token: Option<&str>,
        retry_key: Option<&str>,
    ) -> hyper::http::request::Builder {
        let mut request = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, self.link.host());
        if let Some(content_type) = content_type {
            request = request.header(header::CONTENT_TYPE, content_type);
        }
        if let Some(token) = token {
            request = request.header(header::COOKIE, format!("{LAN_LOGIN_COOKIE}={token}"));
        }
        if let Some(key) = retry_key {
            request = request.header(RETRY_KEY_HEADER, key);
        }
        request
    }

    async fn send(&self, request: Request<Body>) -> Result<Response<Incoming>> {
        self.link
            .send(request)
            .await
            .map_err(|e| e.into_error(self.link.host()))
    }

    /// The host's JSON answer to a request sent with the login `sent`, or its error. A login
    /// made, ended or renewed is kept for the next call — unless another call changed it
    /// meanwhile (a login made while this one ran).
    async fn json<T: DeserializeOwned>(
        &self,
        answer: Response<Incoming>,
        sent: Option<String>,
    ) -> Result<T> {
        for cookie in answer.headers().get_all(header::SET_COOKIE) {
            if let Some(token) = cookie.to_str().ok().and_then(login_token) {
                let mut kept = self.login.lock().unwrap_or_else(PoisonError::into_inner);
                if *kept == sent {
                    *kept = (!token.is_empty()).then(|| token.to_string());
                }
            }
        }
        let ok = answer.status().is_success();
        let bytes = read(answer).await?;
        if !ok {
            return Err(host_error(&bytes));
        }
        serde_json::from_slice(&bytes).map_err(unreadable)
    }
}

/// The token a host's `Set-Cookie` gives the login cookie (empty when the login ended).
fn login_token(set_cookie: &str) -> Option<&str> {
    let value = set_cookie
        .strip_prefix(LAN_LOGIN_COOKIE)?
        .strip_prefix('=')?;
    Some(value.split(';').next().unwrap_or("").trim())
}

/// A catalogue file's size; a folder is refused by name (scan folders are imported at the host).
fn catalogue_file_size(path: &Path) -> Result<u64> {
    let meta = std::fs::metadata(path).map_err(|e| Error::io("无法读取文件", path, &e))?;
    if meta.is_dir() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!(
                "「{}」是文件夹：柜台只能上传目录文件，扫描件文件夹请在档案库主机上导入",
                path.display()
            ),
        ));
    }
    Ok(meta.len())
}

async fn read(answer: Response<Incoming>) -> Result<Vec<u8>> {
    let limited = http_body_util::Limited::new(answer.into_body(), ANSWER_LIMIT);
    Ok(limited
        .collect()
        .await
        .map_err(|e| {
            Error::new(
                ErrorCode::HostUnreachable,
                format!("与档案库主机的连接已断开，正在重试（回答不完整：{e}）"),
            )
        })?
        .to_bytes()
        .to_vec())
}

/// The engine's `{code, message}` as the host sent it.
fn host_error(bytes: &[u8]) -> Error {
    serde_json::from_slice::<Error>(bytes).unwrap_or_else(|_| {
        Error::new(
            ErrorCode::Io,
            "档案库主机的回答无法识别：请检查主机上的档案查询台版本",
        )
    })
}

fn unreadable(e: serde_json::Error) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("档案库主机的回答无法识别：{e}；请检查主机上的档案查询台版本"),
    )
}

fn unsendable(e: hyper::http::Error) -> Error {
    Error::new(ErrorCode::InvalidRequest, format!("请求无法发送：{e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_login_token_is_read_from_the_hosts_cookie_and_an_ended_login_is_empty() {
        assert_eq!(
            login_token("archivedesk_login=abc; HttpOnly; SameSite=Strict; Path=/"),
            Some("abc")
        );
        assert_eq!(login_token("archivedesk_login=; Max-Age=0"), Some(""));
        assert_eq!(login_token("archivedesk_login_8017=abc"), None);
        assert_eq!(login_token("other=abc"), None);
    }

    #[test]
    fn a_folder_is_not_uploaded_from_a_desk() {
        let folder = tempfile::tempdir().unwrap();
        let refused = catalogue_file_size(folder.path()).unwrap_err();
        assert_eq!(refused.code, ErrorCode::InvalidRequest);
        assert!(refused.message.contains("文件夹"), "{}", refused.message);
    }
}
