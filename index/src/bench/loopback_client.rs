//! A small HTTP/1.1 client that keeps one connection open to a door on a loopback address, as a
//! browser tab does: requests one after another on the same socket, bodies by Content-Length
//! or chunked. Enough for the soak benchmark; not a general client.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

pub struct LoopbackClient {
    host: String,
    headers: Vec<String>,
    stream: Option<BufReader<TcpStream>>,
}

pub struct Answer {
    pub status: u16,
    pub set_cookie: Option<String>,
    pub body: Vec<u8>,
}

impl LoopbackClient {
    /// `headers`: "Name: value" lines sent with every request (the token, the login cookie).
    pub fn new(host: &str, headers: Vec<String>) -> LoopbackClient {
        LoopbackClient {
            host: host.to_string(),
            headers,
            stream: None,
        }
    }

    /// One request. A failure is the caller's to count; the connection is opened anew for the
    /// next request.
    pub fn send(&mut self, method: &str, path: &str, body: &[u8]) -> std::io::Result<Answer> {
        let answer = self.try_send(method, path, body);
        if answer.is_err() {
            self.stream = None;
        }
        answer
    }

    fn try_send(&mut self, method: &str, path: &str, body: &[u8]) -> std::io::Result<Answer> {
        if self.stream.is_none() {
            let stream = TcpStream::connect(&self.host)?;
            stream.set_read_timeout(Some(Duration::from_secs(60)))?;
            stream.set_nodelay(true)?;
            self.stream = Some(BufReader::new(stream));
        }
        let reader = self.stream.as_mut().expect("connected above");
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {}\r\n", self.host);
        for h in &self.headers {
            head.push_str(h);
            head.push_str("\r\n");
        }
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            body.len()
        ));
        let socket = reader.get_mut();
        socket.write_all(head.as_bytes())?;
        socket.write_all(body)?;
        let (answer, closing) = read_answer(reader)?;
        if closing {
            self.stream = None;
        }
        Ok(answer)
    }
}

fn broken(what: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string())
}

/// The answer, and whether the server closes the connection after it.
fn read_answer(reader: &mut BufReader<TcpStream>) -> std::io::Result<(Answer, bool)> {
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(broken("connection closed"));
    }
    let status = line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| broken("no status line"))?;
    let (mut length, mut chunked, mut set_cookie, mut close) = (0usize, false, None, false);
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Err(broken("connection closed in the headers"));
        }
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(':') else {
            continue;
        };
        let value = value.trim();
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.parse().map_err(|_| broken("content-length"))?,
            "transfer-encoding" => chunked = value.contains("chunked"),
            "set-cookie" => set_cookie = Some(value.to_string()),
            "connection" => close = value.eq_ignore_ascii_case("close"),
            _ => {}
        }
    }
    let body = if chunked {
        read_chunks(reader)?
    } else {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        body
    };
    Ok((
        Answer {
            status,
            set_cookie,
            body,
        },
        close,
    ))
}

fn read_chunks(reader: &mut BufReader<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        // A size may carry extensions after ';'.
        let size = line.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size, 16).map_err(|_| broken("chunk size"))?;
        if size == 0 {
            // Trailers, if any, up to the empty line.
            loop {
                line.clear();
                if reader.read_line(&mut line)? == 0 || line.trim_end().is_empty() {
                    return Ok(body);
                }
            }
        }
        let mut chunk = vec![0; size + 2];
        reader.read_exact(&mut chunk)?;
        body.extend_from_slice(&chunk[..size]);
    }
}
