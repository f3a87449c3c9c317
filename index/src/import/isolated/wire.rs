//! What the reader child tells its parent, one message after another on its stdout: the
//! workbook's sheets, then each sheet's rows, as compact binary frames (faster than JSON, and
//! a row is decoded exactly as it was read).

use crate::import::cell::{Cell, DecodeError, SourceRow};
use crate::text::date::PartialDate;
use std::io::{self, Read, Write};

/// Longest text the parent accepts in one frame; the record limits reject long cells later,
/// row by row, as for every other format.
const MAX_TEXT: usize = 256 << 20;

/// Raised whenever a frame changes. The child says it first, with the program's version, so
/// that a binary replaced on disk while the app runs (an upgrade) is noticed, not misread.
pub const PROTOCOL: u32 = 1;
pub const PROGRAM: &str = env!("CARGO_PKG_VERSION");

/// This build, as the child introduces itself.
pub fn hello() -> Message {
    Message::Hello {
        protocol: PROTOCOL,
        program: PROGRAM.to_string(),
    }
}

#[derive(Debug)]
pub enum Message {
    /// The child's first word: its frame version and program version (`hello`).
    Hello {
        protocol: u32,
        program: String,
    },
    /// The workbook opened: how it was read and its sheets in order.
    Opened {
        describe: String,
        sheets: Vec<String>,
    },
    SheetStart(u32),
    Row(SourceRow),
    SheetEnd,
    /// Bytes of the file read so far: the child is working, not stuck.
    Progress(u64),
    /// The child could not read the file; the message names it and why.
    Failed(String),
    Finished,
}

fn put_u32(out: &mut impl Write, n: u32) -> io::Result<()> {
    out.write_all(&n.to_le_bytes())
}

fn put_text(out: &mut impl Write, text: &str) -> io::Result<()> {
    put_u32(out, text.len() as u32)?;
    out.write_all(text.as_bytes())
}

fn put_cell(out: &mut impl Write, cell: &Cell) -> io::Result<()> {
    match cell {
        Cell::Empty => out.write_all(&[0]),
        Cell::Text(t) => {
            out.write_all(&[1])?;
            put_text(out, t)
        }
        Cell::Number { value, decimals } => {
            out.write_all(&[2])?;
            out.write_all(&value.to_le_bytes())?;
            out.write_all(&[decimals.unwrap_or(u8::MAX)])
        }
        Cell::Date(d) => {
            out.write_all(&[3])?;
            out.write_all(&d.year.to_le_bytes())?;
            out.write_all(&[d.month.unwrap_or(0), d.day.unwrap_or(0)])
        }
        Cell::Bool(b) => out.write_all(&[4, *b as u8]),
    }
}

pub fn write(out: &mut impl Write, message: &Message) -> io::Result<()> {
    match message {
        Message::Hello { protocol, program } => {
            out.write_all(b"H")?;
            put_u32(out, *protocol)?;
            put_text(out, program)?;
        }
        Message::Opened { describe, sheets } => {
            out.write_all(b"O")?;
            put_text(out, describe)?;
            put_u32(out, sheets.len() as u32)?;
            for sheet in sheets {
                put_text(out, sheet)?;
            }
        }
        Message::SheetStart(i) => {
            out.write_all(b"S")?;
            put_u32(out, *i)?;
        }
        Message::Row(row) => {
            out.write_all(b"R")?;
            out.write_all(&(row.number as u64).to_le_bytes())?;
            put_u32(out, row.cells.len() as u32)?;
            for cell in &row.cells {
                put_cell(out, cell)?;
            }
            match &row.decode_error {
                None => out.write_all(&[0])?,
                Some(e) => {
                    out.write_all(&[1])?;
                    put_u32(out, e.column.map_or(0, |c| c as u32 + 1))?;
                    put_text(out, &e.reason)?;
                }
            }
        }
        Message::SheetEnd => out.write_all(b"E")?,
        Message::Progress(n) => {
            out.write_all(b"P")?;
            out.write_all(&n.to_le_bytes())?;
        }
        Message::Failed(why) => {
            out.write_all(b"F")?;
            put_text(out, why)?;
        }
        Message::Finished => out.write_all(b"Z")?,
    }
    Ok(())
}

fn bytes<const N: usize>(input: &mut impl Read) -> io::Result<[u8; N]> {
    let mut b = [0u8; N];
    input.read_exact(&mut b)?;
    Ok(b)
}

fn get_u32(input: &mut impl Read) -> io::Result<u32> {
    Ok(u32::from_le_bytes(bytes(input)?))
}

fn garbled(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

fn get_text(input: &mut impl Read) -> io::Result<String> {
    let len = get_u32(input)? as usize;
    if len > MAX_TEXT {
        return Err(garbled("text longer than any cell"));
    }
    let mut text = vec![0u8; len];
    input.read_exact(&mut text)?;
    String::from_utf8(text).map_err(|_| garbled("text not UTF-8"))
}

fn get_cell(input: &mut impl Read) -> io::Result<Cell> {
    Ok(match bytes::<1>(input)?[0] {
        0 => Cell::Empty,
        1 => Cell::Text(get_text(input)?),
        2 => {
            let value = f64::from_le_bytes(bytes(input)?);
            let decimals = bytes::<1>(input)?[0];
            Cell::Number {
                value,
                decimals: (decimals != u8::MAX).then_some(decimals),
            }
        }
        3 => {
            let year = i32::from_le_bytes(bytes(input)?);
            let [month, day] = bytes::<2>(input)?;
            Cell::Date(PartialDate {
                year,
                month: (month != 0).then_some(month),
                day: (day != 0).then_some(day),
            })
        }
        4 => Cell::Bool(bytes::<1>(input)?[0] != 0),
        _ => return Err(garbled("unknown cell kind")),
    })
}

/// The next message; None at the end of the stream.
pub fn read(input: &mut impl Read) -> io::Result<Option<Message>> {
    let mut tag = [0u8; 1];
    loop {
        match input.read(&mut tag) {
            Ok(0) => return Ok(None),
            Ok(_) => break,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(Some(match tag[0] {
        b'H' => Message::Hello {
            protocol: get_u32(input)?,
            program: get_text(input)?,
        },
        b'O' => {
            let describe = get_text(input)?;
            let count = get_u32(input)?;
            let sheets = (0..count)
                .map(|_| get_text(input))
                .collect::<io::Result<Vec<_>>>()?;
            Message::Opened { describe, sheets }
        }
        b'S' => Message::SheetStart(get_u32(input)?),
        b'R' => {
            let number = u64::from_le_bytes(bytes(input)?) as usize;
            let count = get_u32(input)?;
            let mut cells = Vec::with_capacity(count.min(1 << 14) as usize);
            for _ in 0..count {
                cells.push(get_cell(input)?);
            }
            let decode_error = match bytes::<1>(input)?[0] {
                0 => None,
                _ => {
                    let column = get_u32(input)?;
                    Some(DecodeError {
                        column: column.checked_sub(1).map(|c| c as usize),
                        reason: get_text(input)?,
                    })
                }
            };
            Message::Row(SourceRow {
                number,
                cells,
                decode_error,
            })
        }
        b'E' => Message::SheetEnd,
        b'P' => Message::Progress(u64::from_le_bytes(bytes(input)?)),
        b'F' => Message::Failed(get_text(input)?),
        b'Z' => Message::Finished,
        _ => return Err(garbled("unknown message")),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_cell_comes_back_as_it_was_sent() {
        let row = SourceRow {
            number: 15,
            cells: vec![
                Cell::Empty,
                Cell::Text("张三 430726195001011234".into()),
                Cell::Number {
                    value: 612.5,
                    decimals: Some(2),
                },
                Cell::Number {
                    value: 1956.1,
                    decimals: None,
                },
                Cell::Date(PartialDate {
                    year: 1998,
                    month: Some(7),
                    day: None,
                }),
                Cell::Bool(true),
            ],
            decode_error: Some(DecodeError {
                column: Some(0),
                reason: "无法解码".into(),
            }),
        };
        let mut stream = Vec::new();
        for m in [
            hello(),
            Message::Opened {
                describe: "XLSX".into(),
                sheets: vec!["1998年调资".into(), "说明".into()],
            },
            Message::SheetStart(0),
            Message::Row(row.clone()),
            Message::SheetEnd,
            Message::Progress(4096),
            Message::Failed("文件「a.xlsx」无法读取".into()),
            Message::Finished,
        ] {
            write(&mut stream, &m).unwrap();
        }
        let mut input = stream.as_slice();
        let mut got = Vec::new();
        while let Some(m) = read(&mut input).unwrap() {
            got.push(format!("{m:?}"));
        }
        assert_eq!(got.len(), 8);
        assert_eq!(got[0], format!("{:?}", hello()));
        assert!(got[1].contains("1998年调资") && got[1].contains("说明"));
        assert_eq!(got[3], format!("{:?}", Message::Row(row)));
        assert_eq!(got[5], "Progress(4096)");
        assert!(got[6].contains("a.xlsx"));
    }

    #[test]
    fn a_garbled_stream_is_an_error_not_a_panic() {
        let mut input: &[u8] = b"R\x01\x00\x00\x00\x00\x00\x00\x00\x02\x00\x00\x00\x09";
        assert!(read(&mut input).is_err());
        let mut input: &[u8] = b"O\xff\xff\xff\xff";
        assert!(read(&mut input).is_err());
        let mut input: &[u8] = b"Q";
        assert!(read(&mut input).is_err());
    }
}
