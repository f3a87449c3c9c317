//! OAI-PMH 2.0 (<http://www.openarchives.org/OAI/openarchivesprotocol.html>): the six verbs over
//! the published catalogue, `oai_dc` records, sets by category, `from`/`until` to the second,
//! resumption tokens that carry the whole request (nothing is kept between requests), and
//! deleted records kept for ever (`deletedRecord=persistent`).

use super::xml::{dc_elements, element, escaped};
use super::{sets, DcRecord};
use crate::error::Result;
use crate::store::open_records::{self, HarvestRange, PublishedRow};
use base64::Engine;
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};

/// Records (or headers) per answer; the rest follows with a resumption token.
pub const PAGE: usize = 100;
/// What an identifier's local part keeps as it is: RFC 3986's unreserved marks.
const IDENTIFIER_KEEPS: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_');

const OAI_DC: &str = "oai_dc";

/// Who answers: written into Identify and into every identifier.
pub struct Repository<'a> {
    pub name: &'a str,
    pub base_url: &'a str,
    /// The identifiers' namespace: `oai:<namespace>:<档号>`.
    pub namespace: &'a str,
    pub admin_email: &'a str,
    /// The answer's moment (responseDate), and the earliest datestamp when nothing is published.
    pub now: &'a str,
}

/// An OAI-PMH error: its code and what to tell the harvester.
struct OaiError {
    code: &'static str,
    message: String,
}

fn error(code: &'static str, message: impl Into<String>) -> OaiError {
    OaiError {
        code,
        message: message.into(),
    }
}

/// The answer to a request with these arguments (as sent, repeated ones included).
pub fn respond(
    conn: &Connection,
    repository: &Repository,
    arguments: &[(String, String)],
) -> Result<String> {
    let (echo, body) = match Request::check(arguments) {
        // Arguments that were what was wrong are not echoed.
        Err(e) => (None, Err(e)),
        Ok(request) => {
            let body = request.answer(conn, repository)?;
            let wrong_arguments = matches!(&body, Err(e) if e.code == "badArgument");
            ((!wrong_arguments).then_some(request.given), body)
        }
    };
    let mut out = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">"#,
    );
    out.push_str("\n<responseDate>");
    out.push_str(repository.now);
    out.push_str("</responseDate>\n<request");
    for (name, value) in echo.iter().flatten() {
        out.push_str(&format!(r#" {name}="{}""#, escaped(value)));
    }
    out.push('>');
    out.push_str(&escaped(repository.base_url));
    out.push_str("</request>\n");
    match body {
        Ok(body) => out.push_str(&body),
        Err(e) => {
            out.push_str(&format!(r#"<error code="{}">"#, e.code));
            out.push_str(&escaped(&e.message));
            out.push_str("</error>");
        }
    }
    out.push_str("\n</OAI-PMH>\n");
    Ok(out)
}

/// The identifier of the record of a 档号.
pub fn identifier(namespace: &str, ref_key: &str) -> String {
    format!(
        "oai:{namespace}:{}",
        utf8_percent_encode(ref_key, IDENTIFIER_KEEPS)
    )
}

/// The 档号 an identifier of this repository names.
fn ref_key_of(namespace: &str, identifier: &str) -> Option<String> {
    let local = identifier.strip_prefix(&format!("oai:{namespace}:"))?;
    percent_decode_str(local)
        .decode_utf8()
        .ok()
        .map(|k| k.into_owned())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verb {
    Identify,
    ListMetadataFormats,
    ListSets,
    GetRecord,
    ListIdentifiers,
    ListRecords,
}

impl Verb {
    fn named(name: &str) -> Option<Verb> {
        Some(match name {
            "Identify" => Verb::Identify,
            "ListMetadataFormats" => Verb::ListMetadataFormats,
            "ListSets" => Verb::ListSets,
            "GetRecord" => Verb::GetRecord,
            "ListIdentifiers" => Verb::ListIdentifiers,
            "ListRecords" => Verb::ListRecords,
            _ => return None,
        })
    }

    /// The arguments the verb takes, and those of them it requires (without a token).
    fn arguments(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Verb::Identify => (&[], &[]),
            Verb::ListMetadataFormats => (&["identifier"], &[]),
            Verb::ListSets => (&["resumptionToken"], &[]),
            Verb::GetRecord => (
                &["identifier", "metadataPrefix"],
                &["identifier", "metadataPrefix"],
            ),
            Verb::ListIdentifiers | Verb::ListRecords => (
                &["metadataPrefix", "from", "until", "set", "resumptionToken"],
                &["metadataPrefix"],
            ),
        }
    }
}

/// A request whose verb and arguments are as the protocol allows.
struct Request {
    verb: Verb,
    /// The arguments as given, verb first, for the echo.
    given: Vec<(String, String)>,
}

impl Request {
    fn check(arguments: &[(String, String)]) -> std::result::Result<Request, OaiError> {
        let mut seen = std::collections::HashSet::new();
        for (name, _) in arguments {
            if !seen.insert(name.as_str()) {
                // A repeated verb is an illegal verb; any other argument, an illegal argument.
                let code = if name == "verb" {
                    "badVerb"
                } else {
                    "badArgument"
                };
                return Err(error(code, format!("参数 {name} 重复")));
            }
        }
        let verb = arguments
            .iter()
            .find(|(name, _)| name == "verb")
            .ok_or_else(|| error("badVerb", "缺少 verb 参数"))?;
        let verb = Verb::named(&verb.1)
            .ok_or_else(|| error("badVerb", format!("不支持的 verb：{}", verb.1)))?;
        let (allowed, required) = verb.arguments();
        for (name, _) in arguments {
            if name != "verb" && !allowed.contains(&name.as_str()) {
                return Err(error("badArgument", format!("{verb:?} 不接受参数 {name}")));
            }
        }
        let has = |name: &str| arguments.iter().any(|(n, _)| n == name);
        if has("resumptionToken") {
            if arguments.len() > 2 {
                return Err(error("badArgument", "resumptionToken 须单独使用"));
            }
        } else if let Some(missing) = required.iter().find(|name| !has(name)) {
            return Err(error("badArgument", format!("缺少参数 {missing}")));
        }
        let mut given = vec![("verb".to_string(), format!("{verb:?}"))];
        given.extend(arguments.iter().filter(|(n, _)| n != "verb").cloned());
        Ok(Request { verb, given })
    }

    fn argument(&self, name: &str) -> Option<&str> {
        self.given
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn answer(
        &self,
        conn: &Connection,
        repository: &Repository,
    ) -> Result<std::result::Result<String, OaiError>> {
        match self.verb {
            Verb::Identify => identify(conn, repository).map(Ok),
            Verb::ListMetadataFormats => {
                if let Some(identifier) = self.argument("identifier") {
                    if find(conn, repository, identifier)?.is_none() {
                        return Ok(Err(no_such_record(identifier)));
                    }
                }
                Ok(Ok(METADATA_FORMATS.to_string()))
            }
            Verb::ListSets => {
                if self.argument("resumptionToken").is_some() {
                    return Ok(Err(error("badResumptionToken", "本库的集合列表不分页")));
                }
                list_sets(conn)
            }
            Verb::GetRecord => {
                let identifier = self.argument("identifier").unwrap_or_default();
                if self.argument("metadataPrefix") != Some(OAI_DC) {
                    return Ok(Err(cannot_disseminate()));
                }
                let Some(row) = find(conn, repository, identifier)? else {
                    return Ok(Err(no_such_record(identifier)));
                };
                let sets = sets::kept(conn)?;
                let mut out = String::from("<GetRecord>");
                record(&mut out, repository, &row, &sets, true);
                out.push_str("</GetRecord>");
                Ok(Ok(out))
            }
            Verb::ListIdentifiers | Verb::ListRecords => {
                let harvest = match self.argument("resumptionToken") {
                    Some(token) => Token::read(token),
                    None => Token::first(self),
                };
                match harvest {
                    Ok(token) => list(conn, repository, self.verb == Verb::ListRecords, token),
                    Err(e) => Ok(Err(e)),
                }
            }
        }
    }
}

const METADATA_FORMATS: &str = r#"<ListMetadataFormats><metadataFormat><metadataPrefix>oai_dc</metadataPrefix><schema>http://www.openarchives.org/OAI/2.0/oai_dc.xsd</schema><metadataNamespace>http://www.openarchives.org/OAI/2.0/oai_dc/</metadataNamespace></metadataFormat></ListMetadataFormats>"#;

fn no_such_record(identifier: &str) -> OaiError {
    error("idDoesNotExist", format!("没有这条记录：{identifier}"))
}

fn cannot_disseminate() -> OaiError {
    error("cannotDisseminateFormat", "本库只提供 oai_dc 格式")
}

fn find(
    conn: &Connection,
    repository: &Repository,
    identifier: &str,
) -> Result<Option<PublishedRow>> {
    match ref_key_of(repository.namespace, identifier) {
        Some(ref_key) => open_records::one(conn, &ref_key),
        None => Ok(None),
    }
}

fn identify(conn: &Connection, repository: &Repository) -> Result<String> {
    let earliest = open_records::earliest(conn)?.unwrap_or_else(|| repository.now.to_string());
    let mut out = String::from("<Identify>");
    element(&mut out, "repositoryName", repository.name);
    element(&mut out, "baseURL", repository.base_url);
    element(&mut out, "protocolVersion", "2.0");
    element(&mut out, "adminEmail", repository.admin_email);
    element(&mut out, "earliestDatestamp", &earliest);
    element(&mut out, "deletedRecord", "persistent");
    element(&mut out, "granularity", "YYYY-MM-DDThh:mm:ssZ");
    out.push_str("</Identify>");
    Ok(out)
}

fn list_sets(conn: &Connection) -> Result<std::result::Result<String, OaiError>> {
    let sets = sets::kept(conn)?;
    if sets.is_empty() {
        return Ok(Err(error("noSetHierarchy", "本库还没有公开的档案门类")));
    }
    let mut out = String::from("<ListSets>");
    for (spec, category) in sets {
        out.push_str("<set>");
        element(&mut out, "setSpec", &spec);
        element(&mut out, "setName", &category);
        out.push_str("</set>");
    }
    out.push_str("</ListSets>");
    Ok(Ok(out))
}

/// A record's header, and with `whole` its metadata (none for a deleted record).
fn record(
    out: &mut String,
    repository: &Repository,
    row: &PublishedRow,
    sets: &[(String, String)],
    whole: bool,
) {
    if whole {
        out.push_str("<record>");
    }
    out.push_str(if row.deleted {
        r#"<header status="deleted">"#
    } else {
        "<header>"
    });
    element(
        out,
        "identifier",
        &identifier(repository.namespace, &row.ref_key),
    );
    element(out, "datestamp", &row.datestamp);
    if let Some(category) = &row.category {
        if let Some((spec, _)) = sets.iter().find(|(_, c)| c == category) {
            element(out, "setSpec", spec);
        }
    }
    out.push_str("</header>");
    if whole {
        let dc = row
            .record_json
            .as_deref()
            .and_then(|json| serde_json::from_str::<DcRecord>(json).ok());
        if let Some(dc) = dc {
            out.push_str(r#"<metadata><oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">"#);
            dc_elements(out, &dc, repository.name);
            out.push_str("</oai_dc:dc></metadata>");
        }
        out.push_str("</record>");
    }
}

/// A list request, whole: the first page carries it, and each resumption token carries it on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Token {
    #[serde(rename = "s", default, skip_serializing_if = "Option::is_none")]
    set: Option<String>,
    #[serde(rename = "f", default, skip_serializing_if = "Option::is_none")]
    from: Option<String>,
    #[serde(rename = "u", default, skip_serializing_if = "Option::is_none")]
    until: Option<String>,
    /// The last 档号 answered.
    #[serde(rename = "a", default, skip_serializing_if = "Option::is_none")]
    after: Option<String>,
    /// How many were answered before.
    #[serde(rename = "c", default)]
    cursor: usize,
}

impl Token {
    fn first(request: &Request) -> std::result::Result<Token, OaiError> {
        if request.argument("metadataPrefix") != Some(OAI_DC) {
            return Err(cannot_disseminate());
        }
        let from = request
            .argument("from")
            .map(|d| moment(d, false))
            .transpose()?;
        let until = request
            .argument("until")
            .map(|d| moment(d, true))
            .transpose()?;
        if let (Some(f), Some(u)) = (request.argument("from"), request.argument("until")) {
            if f.len() != u.len() {
                return Err(error("badArgument", "from 与 until 的精度须相同"));
            }
        }
        if let (Some(from), Some(until)) = (&from, &until) {
            if from > until {
                return Err(error("badArgument", "from 晚于 until"));
            }
        }
        Ok(Token {
            set: request.argument("set").map(str::to_string),
            from,
            until,
            after: None,
            cursor: 0,
        })
    }

    fn read(token: &str) -> std::result::Result<Token, OaiError> {
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(token)
            .ok()
            .and_then(|json| serde_json::from_slice::<Token>(&json).ok())
            .ok_or_else(|| error("badResumptionToken", "resumptionToken 无效"))
    }

    fn written(&self) -> String {
        let json = serde_json::to_vec(self).expect("a token serializes");
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
    }
}

/// A datestamp argument as the moment it stands for: a day from its first second (`from`) or
/// to its last (`until`).
fn moment(given: &str, until: bool) -> std::result::Result<String, OaiError> {
    let bad = || {
        error(
            "badArgument",
            format!("日期格式不对：{given}（应为 YYYY-MM-DD 或 YYYY-MM-DDThh:mm:ssZ）"),
        )
    };
    if given.len() == 10 {
        chrono::NaiveDate::parse_from_str(given, "%Y-%m-%d").map_err(|_| bad())?;
        Ok(format!(
            "{given}T{}Z",
            if until { "23:59:59" } else { "00:00:00" }
        ))
    } else {
        chrono::NaiveDateTime::parse_from_str(given, "%Y-%m-%dT%H:%M:%SZ").map_err(|_| bad())?;
        Ok(given.to_string())
    }
}

fn list(
    conn: &Connection,
    repository: &Repository,
    records: bool,
    token: Token,
) -> Result<std::result::Result<String, OaiError>> {
    let sets = sets::kept(conn)?;
    let category = match &token.set {
        Some(spec) => match sets.iter().find(|(s, _)| s == spec) {
            Some((_, category)) => Some(category.clone()),
            None => return Ok(Err(error("noRecordsMatch", format!("没有集合 {spec}")))),
        },
        None => None,
    };
    let range = HarvestRange {
        category: category.as_deref(),
        from: token.from.as_deref(),
        until: token.until.as_deref(),
    };
    let rows = open_records::harvest(conn, &range, token.after.as_deref(), PAGE)?;
    if rows.is_empty() {
        return Ok(Err(if token.after.is_some() {
            error("badResumptionToken", "resumptionToken 已失效")
        } else {
            error("noRecordsMatch", "没有符合条件的记录")
        }));
    }
    let size = open_records::harvest_size(conn, &range)?;
    let verb = if records {
        "ListRecords"
    } else {
        "ListIdentifiers"
    };
    let mut out = format!("<{verb}>");
    for row in &rows {
        record(&mut out, repository, row, &sets, records);
    }
    let answered = token.cursor + rows.len();
    let more = rows.len() == PAGE && answered < size;
    if more || token.after.is_some() {
        let next = Token {
            after: rows.last().map(|r| r.ref_key.clone()),
            cursor: answered,
            ..token.clone()
        };
        out.push_str(&format!(
            r#"<resumptionToken completeListSize="{size}" cursor="{}">"#,
            token.cursor
        ));
        if more {
            out.push_str(&next.written());
        }
        out.push_str("</resumptionToken>");
    }
    out.push_str(&format!("</{verb}>"));
    Ok(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identifier_names_its_documents_ref_code_and_back() {
        let id = identifier("archivedesk.ab12", "J012-WS-1998-Y-0034");
        assert_eq!(id, "oai:archivedesk.ab12:J012-WS-1998-Y-0034");
        let chinese = identifier("archivedesk.ab12", "文书-1998-永久-3");
        assert!(chinese.is_ascii(), "{chinese}");
        assert_eq!(
            ref_key_of("archivedesk.ab12", &chinese).as_deref(),
            Some("文书-1998-永久-3")
        );
        assert_eq!(ref_key_of("another", &chinese), None);
    }

    #[test]
    fn a_token_carries_the_whole_request_and_a_forged_one_is_refused() {
        let token = Token {
            set: Some("wenshu".into()),
            from: Some("2026-01-01T00:00:00Z".into()),
            until: None,
            after: Some("J012-WS-1998-Y-0034".into()),
            cursor: 100,
        };
        assert_eq!(Token::read(&token.written()).ok(), Some(token));
        assert_eq!(
            Token::read("not a token").err().map(|e| e.code),
            Some("badResumptionToken")
        );
    }

    #[test]
    fn days_stand_for_their_first_and_last_second() {
        assert_eq!(
            moment("2026-12-07", false).ok().as_deref(),
            Some("2026-12-07T00:00:00Z")
        );
        assert_eq!(
            moment("2026-12-07", true).ok().as_deref(),
            Some("2026-12-07T23:59:59Z")
        );
        assert!(moment("2026-12-07T10:00:00Z", false).is_ok());
        assert!(moment("2026-13-07", false).is_err());
        assert!(moment("2026-12-07T10:00:00", false).is_err());
    }
}
