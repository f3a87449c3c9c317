//! A workbook read by a reader child (`child`): the rows arrive from the child's stdout on a
//! thread of their own and are handed on as the import asks for them. The child is stopped when
//! it goes without progress for longer than the watchdog allows, and its end — a memory
//! ceiling reached, a crash, a kill — becomes a clear reason naming the file.

use super::wire::{self, Message};
use super::{ReaderChild, CHILD_ARGUMENT};
use crate::error::{Error, ErrorCode, Result};
use crate::import::cell::SourceRow;
use crate::import::source::{RowStream, Workbook};
use crate::memory_ceiling::CEILING_REACHED;
use std::io::{BufReader, Read};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{sync_channel, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

/// What the child said last, kept to explain its end.
const STDERR_KEPT: usize = 4096;

pub struct ChildWorkbook {
    child: Child,
    /// Held open while this lives: the child ends when it closes (`child::end_with_the_parent`).
    _lifeline: Option<ChildStdin>,
    stderr_reader: Option<JoinHandle<()>>,
    messages: Receiver<std::io::Result<Message>>,
    stderr: Arc<Mutex<Vec<u8>>>,
    describe: String,
    sheets: Vec<String>,
    /// The sheet whose rows arrive now, if one has started.
    current: Option<u32>,
    name: String,
    limits: ReaderChild,
}

enum Heard {
    Message(Message),
    /// The child ended, or its stream broke: why, in words for the clerk.
    Ended(String),
}

impl ChildWorkbook {
    /// Starts the child on the file and waits for it to list the sheets.
    pub fn open(reader: &ReaderChild, kind: &str, path: &Path, name: &str) -> Result<Self> {
        let mut command = Command::new(&reader.program);
        #[cfg(windows)]
        {
            // No console window for the child of a `serve` started without one.
            use std::os::windows::process::CommandExt;
            const CREATE_NO_WINDOW: u32 = 0x0800_0000;
            command.creation_flags(CREATE_NO_WINDOW);
        }
        let mut child = command
            .arg(CHILD_ARGUMENT)
            .arg(kind)
            .arg(reader.memory_mb.to_string())
            .arg(path)
            .arg(name)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法启动读取「{name}」的进程：{e}")))?;
        let stdout = child.stdout.take().expect("piped above");
        let stderr = child.stderr.take().expect("piped above");
        let lifeline = child.stdin.take();
        let (send, messages) = sync_channel(256);
        std::thread::spawn(move || {
            let mut stdout = BufReader::with_capacity(1 << 16, stdout);
            loop {
                let message = wire::read(&mut stdout).transpose();
                let end = !matches!(message, Some(Ok(_)));
                if let Some(message) = message {
                    if send.send(message).is_err() {
                        return;
                    }
                }
                if end {
                    return;
                }
            }
        });
        let said = Arc::new(Mutex::new(Vec::new()));
        let keep = said.clone();
        let stderr_reader = std::thread::spawn(move || keep_last_words(stderr, keep));
        let mut book = ChildWorkbook {
            child,
            _lifeline: lifeline,
            stderr_reader: Some(stderr_reader),
            messages,
            stderr: said,
            describe: String::new(),
            sheets: Vec::new(),
            current: None,
            name: name.to_string(),
            limits: reader.clone(),
        };
        match book.hear()? {
            Message::Hello { protocol, program } => {
                if let Err(why) = same_build(protocol, &program, &book.name) {
                    let _ = book.child.kill();
                    return Err(why);
                }
            }
            other => return Err(book.out_of_step(&other)),
        }
        match book.hear()? {
            Message::Opened { describe, sheets } => {
                book.describe = describe;
                book.sheets = sheets;
                Ok(book)
            }
            other => Err(book.out_of_step(&other)),
        }
    }

    /// The next message that is not a heartbeat, or the reason the child is gone.
    fn hear(&mut self) -> Result<Message> {
        loop {
            match self.next_heard() {
                Heard::Message(Message::Progress(_)) => continue,
                Heard::Message(Message::Failed(why)) => {
                    return Err(Error::new(ErrorCode::FileRefused, why));
                }
                Heard::Message(message) => return Ok(message),
                Heard::Ended(why) => {
                    return Err(Error::new(ErrorCode::FileRefused, why));
                }
            }
        }
    }

    fn next_heard(&mut self) -> Heard {
        match self.messages.recv_timeout(self.limits.stall) {
            Ok(Ok(message)) => Heard::Message(message),
            Ok(Err(e)) => Heard::Ended(self.ended(Some(e))),
            Err(RecvTimeoutError::Disconnected) => Heard::Ended(self.ended(None)),
            Err(RecvTimeoutError::Timeout) => {
                let _ = self.child.kill();
                let _ = self.child.wait();
                Heard::Ended(format!(
                    "文件「{}」读取时 {} 秒没有任何进展（可能是损坏或恶意构造的文件），已停止读取，未导入",
                    self.name,
                    self.limits.stall.as_secs()
                ))
            }
        }
    }

    /// Why the child's stream ended before it said it was finished.
    fn ended(&mut self, garbled: Option<std::io::Error>) -> String {
        if garbled.is_some() {
            // Its stream makes no sense: it may still be running, and would never stop.
            let _ = self.child.kill();
        }
        let status = self.child.wait();
        // Everything it wrote to stderr, to its end (the ceiling's note comes last).
        if let Some(reader) = self.stderr_reader.take() {
            let _ = reader.join();
        }
        let said = {
            let said = self.stderr.lock().unwrap_or_else(|e| e.into_inner());
            String::from_utf8_lossy(&said).into_owned()
        };
        if said.contains(CEILING_REACHED) {
            return format!(
                "文件「{}」读取时所需内存超过上限（{} MB），可能是损坏或恶意构造的文件，未导入",
                self.name, self.limits.memory_mb
            );
        }
        let how = match (garbled, status) {
            (Some(e), _) => format!("输出无法识别：{e}"),
            (None, Ok(status)) => format!("读取进程意外结束：{status}"),
            (None, Err(e)) => format!("读取进程意外结束：{e}"),
        };
        let last = said.lines().rev().find(|l| !l.trim().is_empty());
        match last {
            Some(line) => format!(
                "文件「{}」无法读取（{how}；{}），未导入",
                self.name,
                line.trim()
            ),
            None => format!("文件「{}」无法读取（{how}），未导入", self.name),
        }
    }

    fn out_of_step(&mut self, message: &Message) -> Error {
        let _ = self.child.kill();
        Error::new(
            ErrorCode::FileRefused,
            format!(
                "文件「{}」无法读取（读取进程的输出次序不对：{}），未导入",
                self.name,
                kind_of(message)
            ),
        )
    }
}

/// The child must be this very build: a program replaced on disk while the app runs (an
/// upgrade) may frame its rows differently, and would be misread rather than refused.
fn same_build(protocol: u32, program: &str, name: &str) -> Result<()> {
    let (ours, our_program) = (wire::PROTOCOL, wire::PROGRAM);
    if protocol == ours && program == our_program {
        return Ok(());
    }
    Err(Error::new(
        ErrorCode::FileRefused,
        format!(
            "文件「{name}」未导入：读取进程的版本（{program}，格式 {protocol}）与正在运行的程序（{our_program}，格式 {ours}）不同，程序可能刚被升级，请关闭后重新打开档案查询台再导入"
        ),
    ))
}

fn kind_of(message: &Message) -> &'static str {
    match message {
        Message::Hello { .. } => "Hello",
        Message::Opened { .. } => "Opened",
        Message::SheetStart(_) => "SheetStart",
        Message::Row(_) => "Row",
        Message::SheetEnd => "SheetEnd",
        Message::Progress(_) => "Progress",
        Message::Failed(_) => "Failed",
        Message::Finished => "Finished",
    }
}

fn keep_last_words(mut stderr: impl Read, said: Arc<Mutex<Vec<u8>>>) {
    let mut buf = [0u8; 1024];
    while let Ok(n) = stderr.read(&mut buf) {
        if n == 0 {
            return;
        }
        let mut said = said.lock().unwrap_or_else(|e| e.into_inner());
        said.extend_from_slice(&buf[..n]);
        if said.len() > STDERR_KEPT * 2 {
            let cut = said.len() - STDERR_KEPT;
            said.drain(..cut);
        }
    }
}

impl Drop for ChildWorkbook {
    fn drop(&mut self) {
        // A child still reading (the import gave up on the file) is of no use to anyone.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Workbook for ChildWorkbook {
    fn describe(&self) -> String {
        self.describe.clone()
    }

    fn sheet_names(&self) -> Vec<String> {
        self.sheets.clone()
    }

    fn open_sheet<'a>(&'a mut self, name: &str) -> Result<Box<dyn RowStream + Send + 'a>> {
        let wanted = self.sheets.iter().position(|s| s == name).ok_or_else(|| {
            Error::new(
                ErrorCode::FileRefused,
                format!("文件「{}」中没有工作表「{name}」", self.name),
            )
        })? as u32;
        // Rows of sheets the import did not read to the end are passed over.
        while self.current != Some(wanted) {
            match self.hear()? {
                Message::SheetStart(i) if i <= wanted => self.current = Some(i),
                Message::Row(_) | Message::SheetEnd if self.current.is_some() => {}
                other => return Err(self.out_of_step(&other)),
            }
        }
        Ok(Box::new(ChildRows {
            book: self,
            done: false,
        }))
    }
}

struct ChildRows<'a> {
    book: &'a mut ChildWorkbook,
    done: bool,
}

impl RowStream for ChildRows<'_> {
    fn next_row(&mut self) -> Result<Option<SourceRow>> {
        if self.done {
            return Ok(None);
        }
        match self.book.hear()? {
            Message::Row(row) => Ok(Some(row)),
            Message::SheetEnd => {
                self.done = true;
                self.book.current = None;
                Ok(None)
            }
            other => Err(self.book.out_of_step(&other)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_child_of_another_build_is_refused_with_a_reason_naming_the_file() {
        let (protocol, program) = (wire::PROTOCOL, wire::PROGRAM);
        assert!(same_build(protocol, program, "调资.xlsx").is_ok());
        let older = same_build(protocol, "0.0.1", "调资.xlsx").unwrap_err();
        assert!(older.message.contains("调资.xlsx") && older.message.contains("0.0.1"));
        assert!(older.message.contains("重新打开"));
        assert!(same_build(protocol + 1, program, "调资.xlsx").is_err());
    }
}
