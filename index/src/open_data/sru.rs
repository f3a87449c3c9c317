//! SRU 1.2 (<https://www.loc.gov/standards/sru/sru-1-2.html>): `explain`, and `searchRetrieve`
//! with the CQL of `cql` over the published catalogue, answering Dublin Core records
//! (`info:srw/schema/1/dc-v1.1`) from `startRecord`, `maximumRecords` at a time.

use super::cql::{self, QueryError};
use super::xml::{dc_elements, element, escaped};
use super::DcRecord;
use crate::error::Result;
use crate::store::open_records;
use rusqlite::Connection;

/// Records per answer unless asked otherwise, and at most.
pub const DEFAULT_RECORDS: usize = 10;
pub const MAX_RECORDS: usize = 100;

const SRW: &str = "http://www.loc.gov/zing/srw/";
const DC_SCHEMA: &str = "info:srw/schema/1/dc-v1.1";

/// Who answers: written into explain.
pub struct Database<'a> {
    pub title: &'a str,
    pub host: &'a str,
    pub port: u16,
    /// The path of the SRU door, without its leading slash.
    pub path: &'a str,
}

/// A diagnostic as SRU writes it.
struct Diagnostic {
    number: u32,
    details: String,
    message: &'static str,
}

fn diagnostic(number: u32, details: impl Into<String>) -> Diagnostic {
    let message = match number {
        1 => "General system error",
        4 => "Unsupported operation",
        5 => "Unsupported version",
        6 => "Unsupported parameter value",
        7 => "Mandatory parameter not supplied",
        8 => "Unsupported parameter",
        10 => "Query syntax error",
        16 => "Unsupported index",
        19 => "Unsupported relation",
        27 => "Empty term unsupported",
        61 => "First record position out of range",
        66 => "Unknown schema for retrieval",
        71 => "Unsupported record packing",
        _ => "Unsupported query",
    };
    Diagnostic {
        number,
        details: details.into(),
        message,
    }
}

impl From<QueryError> for Diagnostic {
    fn from(e: QueryError) -> Diagnostic {
        diagnostic(e.diagnostic, e.details)
    }
}

/// The answer to a request with these arguments.
pub fn respond(
    conn: &Connection,
    database: &Database,
    arguments: &[(String, String)],
) -> Result<String> {
    let get = |name: &str| {
        arguments
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let operation = get("operation").unwrap_or(if get("query").is_some() {
        "searchRetrieve"
    } else {
        "explain"
    });
    if let Some(version) = get("version") {
        if version != "1.1" && version != "1.2" {
            let unsupported = diagnostic(5, "本服务支持 SRU 1.2（及 1.1）");
            return Ok(match operation {
                "searchRetrieve" => diagnostics_only(&unsupported),
                _ => explain(database, Some(&unsupported)),
            });
        }
    }
    match operation {
        "explain" => Ok(explain(database, None)),
        "searchRetrieve" => match search_retrieve(conn, database, &get)? {
            Ok(answer) => Ok(answer),
            Err(d) => Ok(diagnostics_only(&d)),
        },
        // An explain record always, as SRU's explainResponse requires, with what went wrong.
        other => Ok(explain(
            database,
            Some(&diagnostic(4, format!("不支持的操作 {other}"))),
        )),
    }
}

fn open(out: &mut String, operation: &str) {
    let root = if operation == "searchRetrieve" {
        "searchRetrieveResponse"
    } else {
        "explainResponse"
    };
    out.push_str(&format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<srw:{root} xmlns:srw="{SRW}"><srw:version>1.2</srw:version>"#
    ));
}

fn close(out: &mut String, operation: &str) {
    let root = if operation == "searchRetrieve" {
        "searchRetrieveResponse"
    } else {
        "explainResponse"
    };
    out.push_str(&format!("</srw:{root}>\n"));
}

fn diagnostics(out: &mut String, d: &Diagnostic) {
    out.push_str(r#"<srw:diagnostics><diag:diagnostic xmlns:diag="http://www.loc.gov/zing/srw/diagnostic/">"#);
    element(
        out,
        "diag:uri",
        &format!("info:srw/diagnostic/1/{}", d.number),
    );
    element(out, "diag:details", &d.details);
    element(out, "diag:message", d.message);
    out.push_str("</diag:diagnostic></srw:diagnostics>");
}

/// A searchRetrieve that found nothing because of `d`.
fn diagnostics_only(d: &Diagnostic) -> String {
    let mut out = String::new();
    open(&mut out, "searchRetrieve");
    out.push_str("<srw:numberOfRecords>0</srw:numberOfRecords>");
    diagnostics(&mut out, d);
    close(&mut out, "searchRetrieve");
    out
}

fn positive(
    given: Option<&str>,
    name: &str,
    default: usize,
) -> std::result::Result<usize, Diagnostic> {
    match given {
        None => Ok(default),
        Some(v) => v
            .trim()
            .parse::<usize>()
            .map_err(|_| diagnostic(6, format!("{name} 须为非负整数"))),
    }
}

fn search_retrieve<'a>(
    conn: &Connection,
    database: &Database,
    get: &dyn Fn(&str) -> Option<&'a str>,
) -> Result<std::result::Result<String, Diagnostic>> {
    let Some(query) = get("query").filter(|q| !q.trim().is_empty()) else {
        return Ok(Err(diagnostic(7, "缺少 query 参数")));
    };
    let checked = (|| {
        let start = positive(get("startRecord"), "startRecord", 1)?;
        if start == 0 {
            return Err(diagnostic(6, "startRecord 从 1 起"));
        }
        let wanted = positive(get("maximumRecords"), "maximumRecords", DEFAULT_RECORDS)?;
        if let Some(schema) = get("recordSchema") {
            if schema != "dc" && schema != DC_SCHEMA {
                return Err(diagnostic(
                    66,
                    format!("本服务只提供 Dublin Core（dc），没有 {schema}"),
                ));
            }
        }
        if let Some(packing) = get("recordPacking") {
            if packing != "xml" {
                return Err(diagnostic(71, "记录只以 xml 提供"));
            }
        }
        let condition = cql::condition(query)?;
        Ok((start, wanted.min(MAX_RECORDS), condition))
    })();
    let (start, wanted, condition) = match checked {
        Ok(checked) => checked,
        Err(d) => return Ok(Err(d)),
    };
    let (count, rows) =
        open_records::search(conn, &condition.sql, &condition.values, start - 1, wanted)?;
    if count > 0 && start > count {
        return Ok(Err(diagnostic(
            61,
            format!("共 {count} 条，startRecord 超出"),
        )));
    }
    let mut out = String::new();
    open(&mut out, "searchRetrieve");
    element(&mut out, "srw:numberOfRecords", &count.to_string());
    if !rows.is_empty() {
        out.push_str("<srw:records>");
        for (i, row) in rows.iter().enumerate() {
            let Some(dc) = row
                .record_json
                .as_deref()
                .and_then(|json| serde_json::from_str::<DcRecord>(json).ok())
            else {
                continue;
            };
            out.push_str("<srw:record>");
            element(&mut out, "srw:recordSchema", DC_SCHEMA);
            element(&mut out, "srw:recordPacking", "xml");
            out.push_str(r#"<srw:recordData><srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:dc="http://purl.org/dc/elements/1.1/">"#);
            dc_elements(&mut out, &dc, database.title);
            out.push_str("</srw_dc:dc></srw:recordData>");
            element(&mut out, "srw:recordPosition", &(start + i).to_string());
            out.push_str("</srw:record>");
        }
        out.push_str("</srw:records>");
    }
    let next = start + rows.len();
    if !rows.is_empty() && next <= count {
        element(&mut out, "srw:nextRecordPosition", &next.to_string());
    }
    out.push_str("<srw:echoedSearchRetrieveRequest>");
    element(&mut out, "srw:version", "1.2");
    element(&mut out, "srw:query", query);
    element(&mut out, "srw:startRecord", &start.to_string());
    element(&mut out, "srw:maximumRecords", &wanted.to_string());
    out.push_str("</srw:echoedSearchRetrieveRequest>");
    close(&mut out, "searchRetrieve");
    Ok(Ok(out))
}

/// The explain record, and after it what went wrong, if anything did.
fn explain(database: &Database, trouble: Option<&Diagnostic>) -> String {
    let mut out = String::new();
    open(&mut out, "explain");
    out.push_str("<srw:record>");
    element(
        &mut out,
        "srw:recordSchema",
        "http://explain.z3950.org/dtd/2.0/",
    );
    element(&mut out, "srw:recordPacking", "xml");
    out.push_str(r#"<srw:recordData><zr:explain xmlns:zr="http://explain.z3950.org/dtd/2.0/">"#);
    out.push_str(r#"<zr:serverInfo protocol="SRU" version="1.2">"#);
    element(&mut out, "zr:host", database.host);
    element(&mut out, "zr:port", &database.port.to_string());
    element(&mut out, "zr:database", database.path);
    out.push_str("</zr:serverInfo><zr:databaseInfo>");
    out.push_str(&format!(
        r#"<zr:title lang="zh" primary="true">{}</zr:title>"#,
        escaped(database.title)
    ));
    element(
        &mut out,
        "zr:description",
        "开放档案目录（文件级），人名已遮盖",
    );
    out.push_str("</zr:databaseInfo><zr:indexInfo>");
    out.push_str(r#"<zr:set name="cql" identifier="info:srw/cql-context-set/1/cql-v1.2"/>"#);
    out.push_str(r#"<zr:set name="dc" identifier="info:srw/cql-context-set/1/dc-v1.1"/>"#);
    for (set, name, title) in [
        ("cql", "anywhere", "任意字段"),
        ("dc", "title", "题名"),
        ("dc", "date", "日期"),
        ("dc", "identifier", "档号或文号"),
    ] {
        out.push_str("<zr:index>");
        element(&mut out, "zr:title", title);
        out.push_str(&format!(
            r#"<zr:map><zr:name set="{set}">{name}</zr:name></zr:map>"#
        ));
        out.push_str("</zr:index>");
    }
    out.push_str("</zr:indexInfo><zr:schemaInfo>");
    out.push_str(&format!(
        r#"<zr:schema identifier="{DC_SCHEMA}" name="dc" sort="false" retrieve="true">"#
    ));
    element(&mut out, "zr:title", "Dublin Core");
    out.push_str("</zr:schema></zr:schemaInfo><zr:configInfo>");
    out.push_str(&format!(
        r#"<zr:default type="numberOfRecords">{DEFAULT_RECORDS}</zr:default>"#
    ));
    out.push_str(&format!(
        r#"<zr:setting type="maximumRecords">{MAX_RECORDS}</zr:setting>"#
    ));
    out.push_str("</zr:configInfo></zr:explain></srw:recordData></srw:record>");
    if let Some(d) = trouble {
        diagnostics(&mut out, d);
    }
    close(&mut out, "explain");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DATABASE: Database = Database {
        title: "丙县档案馆开放档案",
        host: "127.0.0.1",
        port: 8443,
        path: "sru",
    };

    fn answer(arguments: &[(&str, &str)]) -> String {
        let conn = Connection::open_in_memory().unwrap();
        let arguments: Vec<(String, String)> = arguments
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        respond(&conn, &DATABASE, &arguments).unwrap()
    }

    #[test]
    fn an_explain_that_went_wrong_still_carries_the_explain_record_before_its_diagnostic() {
        for (arguments, number) in [
            (&[("operation", "explain"), ("version", "2.0")][..], "/5<"),
            (&[("operation", "scan"), ("version", "1.2")][..], "/4<"),
        ] {
            let xml = answer(arguments);
            assert!(xml.contains("<srw:explainResponse"), "{xml}");
            let record = xml.find("<srw:record>").expect("an explain record");
            let diagnostic = xml.find("<srw:diagnostics>").expect("a diagnostic");
            assert!(record < diagnostic, "the record comes first: {xml}");
            assert!(
                xml.contains(&format!("info:srw/diagnostic/1{number}")),
                "{xml}"
            );
        }
        let fine = answer(&[("operation", "explain")]);
        assert!(fine.contains("<srw:record>") && !fine.contains("diagnostic"));
    }

    #[test]
    fn a_search_in_a_version_not_spoken_is_answered_with_no_records_and_the_diagnostic() {
        let xml = answer(&[
            ("operation", "searchRetrieve"),
            ("version", "2.0"),
            ("query", "dc.title = 工资"),
        ]);
        assert!(xml.contains("<srw:searchRetrieveResponse"), "{xml}");
        assert!(xml.contains("<srw:numberOfRecords>0</srw:numberOfRecords>"));
        assert!(xml.contains("info:srw/diagnostic/1/5<"), "{xml}");
    }
}
