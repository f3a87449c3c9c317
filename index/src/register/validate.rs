//! What a request must say before it is registered: who asks (name and a valid ID number), in
//! what capacity, for what purpose, through which channel, and what is sought. The Archives
//! Law lets only people with valid proof use records, so a request without them is refused.

use crate::api::{NewLookupRequest, Relationship};
use crate::error::{Error, ErrorCode, Result};
use crate::text::id_number::{parse_id_number, IdNumber};

/// 利用目的 as the register and the annual statistics name them.
pub const PURPOSES: [&str; 7] = [
    "退休待遇核定",
    "工龄认定",
    "继承公证",
    "身份认定",
    "工资待遇",
    "落实政策",
    "其他",
];

/// 查档渠道
pub const CHANNELS: [&str; 4] = ["窗口", "代查代送", "跨馆", "线上"];

fn refuse(message: String) -> Error {
    Error::new(ErrorCode::InvalidRequest, message)
}

fn required<'a>(value: Option<&'a str>, field: &str) -> Result<&'a str> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => Ok(v),
        None => Err(refuse(format!("请填写{field}"))),
    }
}

/// A resident ID number that passes GB 11643 (15 or 18 digits); the message names the field.
pub fn valid_id(raw: Option<&str>, field: &str) -> Result<IdNumber> {
    let raw = required(raw, field)?;
    let id = parse_id_number(raw).ok_or_else(|| refuse(format!("请填写{field}")))?;
    if id.status.is_valid() {
        Ok(id)
    } else {
        // Masked: the message may reach a log, and a typo leaves the number nearly whole.
        Err(refuse(format!(
            "{field}「{}」无效：{}",
            crate::text::mask_id(raw),
            id.status.message_zh()
        )))
    }
}

/// The checked request: the IDs parsed, the optional text trimmed.
pub struct Checked {
    pub requester_id: IdNumber,
    pub proxy_id: Option<IdNumber>,
}

/// 代查代送 sends the result somewhere: an address, or 自取 at the counter.
pub const PROXY_DELIVERY_CHANNEL: &str = "代查代送";

pub fn check(request: &NewLookupRequest) -> Result<Checked> {
    let subject = request.relationship.subject_label();
    required(Some(&request.requester_name), &format!("{subject}姓名"))?;
    let requester_id = valid_id(Some(&request.requester_id), &format!("{subject}身份证号"))?;
    let proxy_id = match request.relationship {
        Relationship::Proxy => {
            required(request.proxy_name.as_deref(), "代理人姓名")?;
            Some(valid_id(request.proxy_id.as_deref(), "代理人身份证号")?)
        }
        Relationship::Unit => {
            required(request.unit_name.as_deref(), "单位名称")?;
            None
        }
        Relationship::Oneself => None,
    };
    let purpose = required(Some(&request.purpose), "利用目的")?;
    if !PURPOSES.contains(&purpose) {
        return Err(refuse(format!(
            "利用目的「{purpose}」不在可选项中（{}）",
            PURPOSES.join("、")
        )));
    }
    if purpose == "其他" {
        required(request.purpose_note.as_deref(), "利用目的说明")?;
    }
    let channel = required(Some(&request.channel), "查档渠道")?;
    if !CHANNELS.contains(&channel) {
        return Err(refuse(format!(
            "查档渠道「{channel}」不在可选项中（{}）",
            CHANNELS.join("、")
        )));
    }
    if channel == PROXY_DELIVERY_CHANNEL {
        required(request.delivery.as_deref(), "送达方式（邮寄地址或自取）")?;
    }
    required(Some(&request.sought), "查档内容")?;
    Ok(Checked {
        requester_id,
        proxy_id,
    })
}
