//! Scanned pages reach the viewer through the `page` URI scheme, answered from the archive (or a
//! LAN desk's host) like the HTTP door's `GET /api/page/…`; the webview never gets access to the
//! file system itself.
//!
//! The UI builds the address with `convertFileSrc(`${documentId}/${pageNo}?size=${size}`, 'page')`,
//! which percent-encodes the whole string into the path: `page://localhost/6%2F1%3Fsize%3Dpreview`
//! (Linux, macOS) or `http://page.localhost/6%2F1%3Fsize%3Dpreview` (Windows).

use crate::desk::Desk;
use archivedesk::api::{PageRequest, PageSize};
use archivedesk::page_image::PageImage;
use archivedesk::{Error, ErrorCode, Result};
use std::sync::Arc;
use tauri::http::{header, HeaderValue, Request, Response, StatusCode, Uri};
use tauri::{Builder, Manager, Runtime};

pub const SCHEME: &str = "page";

/// Where the app's own pages are served from; pdf.js fetches a PDF scan from one of them.
const APP_ORIGINS: &[&str] = &[
    "tauri://localhost",
    "http://tauri.localhost",
    "https://tauri.localhost",
];

pub fn register<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.register_asynchronous_uri_scheme_protocol(SCHEME, |context, request, responder| {
        let Some(desk) = context.app_handle().try_state::<Arc<Desk>>() else {
            let starting = Error::new(ErrorCode::DataDir, "档案查询台还在启动，请稍候");
            return responder.respond(response(Err(starting), None));
        };
        let desk = Arc::clone(desk.inner());
        tauri::async_runtime::spawn(async move {
            responder.respond(answer(&desk, &request).await);
        });
    })
}

async fn answer(desk: &Arc<Desk>, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let image = match page_request(request.uri()) {
        Ok(page) => desk.page(page).await,
        Err(e) => Err(e),
    };
    let origin = request
        .headers()
        .get(header::ORIGIN)
        .filter(|o| APP_ORIGINS.iter().any(|app| o.as_bytes() == app.as_bytes()))
        .cloned();
    response(image, origin)
}

/// `6/1?size=full` out of the percent-encoded address.
pub fn page_request(uri: &Uri) -> Result<PageRequest> {
    let encoded = uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("")
        .trim_start_matches('/');
    let decoded = percent_encoding::percent_decode_str(encoded)
        .decode_utf8()
        .map_err(|_| bad_address(encoded))?;
    let (path, query) = decoded.split_once('?').unwrap_or((&decoded, ""));
    let mut parts = path.trim_end_matches('/').split('/');
    let (Some(document), Some(page), None) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad_address(&decoded));
    };
    let number = |text: &str| text.parse::<i64>().map_err(|_| bad_address(&decoded));
    let mut size = PageSize::default();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        size = match pair {
            "size=preview" => PageSize::Preview,
            "size=full" => PageSize::Full,
            _ => return Err(bad_address(&decoded)),
        };
    }
    Ok(PageRequest {
        document_id: number(document)?,
        page_no: number(page)?,
        size,
    })
}

fn bad_address(address: &str) -> Error {
    Error::new(
        ErrorCode::InvalidRequest,
        format!("扫描件地址「{address}」不对：应为 案卷编号/页码?size=preview 或 full"),
    )
}

/// The image with its type, or the engine's error as JSON (`{code, message}`), which the viewer
/// shows to the clerk.
pub fn response(image: Result<PageImage>, origin: Option<HeaderValue>) -> Response<Vec<u8>> {
    // Never kept by the webview: each page served is checked against the clerk's view and
    // recorded, so a re-view (or a clerk switched in) must ask the engine again.
    let (status, mime, body, cache) = match image {
        Ok(image) => (StatusCode::OK, image.mime, image.bytes, "no-store"),
        Err(e) => (
            StatusCode::from_u16(e.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            "application/json; charset=utf-8",
            serde_json::to_vec(&e).unwrap_or_default(),
            "no-store",
        ),
    };
    let mut response = Response::builder()
        .status(status)
        .header(header::CONTENT_TYPE, mime)
        .header(header::CACHE_CONTROL, cache)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    if let Some(origin) = origin {
        response = response.header(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    }
    response.body(body).expect("page response from valid parts")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(address: &str) -> Result<PageRequest> {
        page_request(&address.parse::<Uri>().unwrap())
    }

    #[test]
    fn both_platform_forms_of_the_address_are_read() {
        for address in [
            "page://localhost/6%2F1%3Fsize%3Dpreview",
            "http://page.localhost/6%2F1%3Fsize%3Dpreview",
            "page://localhost/6/1?size=preview",
        ] {
            let page = parsed(address).unwrap();
            assert_eq!((page.document_id, page.page_no), (6, 1), "{address}");
            assert_eq!(page.size, PageSize::Preview);
        }
        let full = parsed("http://page.localhost/123%2F45%3Fsize%3Dfull").unwrap();
        assert_eq!(
            (full.document_id, full.page_no, full.size),
            (123, 45, PageSize::Full)
        );
        let plain = parsed("page://localhost/7%2F2").unwrap();
        assert_eq!(plain.size, PageSize::Preview);
    }

    #[test]
    fn a_wrong_address_is_a_bad_request() {
        for address in [
            "page://localhost/",
            "page://localhost/6",
            "page://localhost/6%2Fone",
            "page://localhost/6%2F1%2F2",
            "page://localhost/6%2F1%3Fsize%3Dhuge",
            "page://localhost/..%2F..%2Fetc%2Fpasswd",
        ] {
            let error = parsed(address).unwrap_err();
            assert_eq!(error.code, ErrorCode::InvalidRequest, "{address}");
        }
    }

    #[test]
    fn a_missing_page_is_a_404_with_the_message_for_the_clerk() {
        let missing = Err(Error::new(ErrorCode::NotFound, "案卷 6 没有第 9 页扫描件"));
        let answer = response(missing, None);
        assert_eq!(answer.status(), StatusCode::NOT_FOUND);
        let body: serde_json::Value = serde_json::from_slice(answer.body()).unwrap();
        assert_eq!(body["code"], "not_found");
        assert_eq!(body["message"], "案卷 6 没有第 9 页扫描件");
    }

    #[test]
    fn an_image_is_answered_with_its_type() {
        let image = PageImage {
            mime: "image/jpeg",
            bytes: vec![0xFF, 0xD8, 0xFF],
        };
        let origin = HeaderValue::from_static("tauri://localhost");
        let answer = response(Ok(image), Some(origin));
        assert_eq!(answer.status(), StatusCode::OK);
        assert_eq!(answer.headers()[header::CONTENT_TYPE], "image/jpeg");
        assert_eq!(
            answer.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
            "tauri://localhost"
        );
        assert_eq!(answer.body(), &vec![0xFF, 0xD8, 0xFF]);
    }
}
