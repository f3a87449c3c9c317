//! The part of CQL (Contextual Query Language, SRU's query language) that the open catalogue
//! answers: terms, `index relation term` over cql.anywhere, cql.serverChoice, dc.title, dc.date
//! and dc.identifier, `and`/`or`/`not` (left to right, as CQL has no precedence among them) and
//! parentheses. A query becomes a SQL condition over the published catalogue's folded columns.

use crate::text::codes::doc_number_key;
use crate::text::{normalize_text, ref_code_key};

/// Parentheses nested deeper, or more search terms, than a person types: refused before they
/// cost a deep recursion or a condition SQLite will not take.
const MAX_DEPTH: usize = 16;
const MAX_TERMS: usize = 32;

/// Why a query cannot be answered, as an SRU diagnostic: its number and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub diagnostic: u32,
    pub details: String,
}

fn syntax(details: impl Into<String>) -> QueryError {
    QueryError {
        diagnostic: 10,
        details: details.into(),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Open,
    Close,
    Word(String),
    Quoted(String),
    Relation(String),
}

fn tokens(query: &str) -> Result<Vec<Token>, QueryError> {
    let mut out = Vec::new();
    let mut chars = query.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '(' => {
                chars.next();
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                out.push(Token::Close);
            }
            '"' => {
                chars.next();
                let mut term = String::new();
                loop {
                    match chars.next() {
                        Some('\\') => term.extend(chars.next()),
                        Some('"') => break,
                        Some(c) => term.push(c),
                        None => return Err(syntax("引号没有结束")),
                    }
                }
                out.push(Token::Quoted(term));
            }
            '=' | '<' | '>' => {
                let mut relation = String::from(chars.next().unwrap_or_default());
                while let Some(&next) = chars.peek() {
                    if matches!(next, '=' | '>') {
                        relation.push(next);
                        chars.next();
                    } else {
                        break;
                    }
                }
                out.push(Token::Relation(relation));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '=' | '<' | '>') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                out.push(Token::Word(word));
            }
        }
    }
    Ok(out)
}

/// A query as a SQL condition with its values (one `?` each).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub sql: String,
    pub values: Vec<String>,
}

/// Reads `query` into a condition over `search_text`, `title_text`, `date_key` and
/// `identifier_keys`.
pub fn condition(query: &str) -> Result<Condition, QueryError> {
    let tokens = tokens(query)?;
    let terms = tokens
        .iter()
        .filter(|t| matches!(t, Token::Word(_) | Token::Quoted(_)))
        .count();
    if terms > MAX_TERMS * 2 {
        return Err(syntax(format!("查询过长：最多 {MAX_TERMS} 个检索词")));
    }
    let mut reader = Reader {
        tokens,
        at: 0,
        depth: 0,
        terms: 0,
    };
    let condition = reader.query()?;
    if reader.at < reader.tokens.len() {
        return Err(syntax("查询末尾有多余的内容"));
    }
    Ok(condition)
}

struct Reader {
    tokens: Vec<Token>,
    at: usize,
    /// Parentheses open now, and search terms read so far.
    depth: usize,
    terms: usize,
}

impl Reader {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn query(&mut self) -> Result<Condition, QueryError> {
        let mut left = self.clause()?;
        while let Some(Token::Word(word)) = self.peek() {
            let joint = match word.to_ascii_lowercase().as_str() {
                "and" => "AND",
                "or" => "OR",
                "not" => "AND NOT",
                _ => return Err(syntax(format!("应为 and、or 或 not，而不是「{word}」"))),
            };
            self.next();
            let right = self.clause()?;
            left.values.extend(right.values);
            left.sql = format!("({}) {joint} ({})", left.sql, right.sql);
        }
        Ok(left)
    }

    fn clause(&mut self) -> Result<Condition, QueryError> {
        match self.next() {
            Some(Token::Open) => {
                self.depth += 1;
                if self.depth > MAX_DEPTH {
                    return Err(syntax(format!("括号最多嵌套 {MAX_DEPTH} 层")));
                }
                let inner = self.query()?;
                self.depth -= 1;
                match self.next() {
                    Some(Token::Close) => Ok(inner),
                    _ => Err(syntax("括号没有结束")),
                }
            }
            Some(Token::Word(first)) | Some(Token::Quoted(first)) => {
                self.terms += 1;
                if self.terms > MAX_TERMS {
                    return Err(syntax(format!("查询过长：最多 {MAX_TERMS} 个检索词")));
                }
                let relation = match self.peek() {
                    Some(Token::Relation(r)) => Some(r.clone()),
                    Some(Token::Word(w))
                        if matches!(
                            w.to_ascii_lowercase().as_str(),
                            "any" | "all" | "adj" | "exact"
                        ) && self.at + 1 < self.tokens.len() =>
                    {
                        Some(w.to_ascii_lowercase())
                    }
                    _ => None,
                };
                match relation {
                    None => search_clause("cql.serverchoice", "=", &first),
                    Some(relation) => {
                        self.next();
                        let term = match self.next() {
                            Some(Token::Word(t)) | Some(Token::Quoted(t)) => t,
                            _ => return Err(syntax("关系之后缺少检索词")),
                        };
                        search_clause(&first.to_ascii_lowercase(), &relation, &term)
                    }
                }
            }
            _ => Err(syntax("应为检索词或括号")),
        }
    }
}

fn like(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// One `index relation term`.
fn search_clause(index: &str, relation: &str, term: &str) -> Result<Condition, QueryError> {
    // Masking (*, ?) is not needed: every term is matched within the text.
    let term = term.trim_matches(|c| c == '*' || c == '?');
    let folded = normalize_text(term);
    if folded.is_empty() {
        return Err(QueryError {
            diagnostic: 27,
            details: "检索词为空".into(),
        });
    }
    let unsupported_relation = || QueryError {
        diagnostic: 19,
        details: format!("{index} 不支持关系 {relation}"),
    };
    let within = |column: &str| -> Result<Condition, QueryError> {
        let words: Vec<&str> = folded.split(' ').take(MAX_TERMS).collect();
        let (joint, parts): (&str, Vec<String>) = match relation {
            "=" | "==" | "adj" | "exact" => ("AND", vec![folded.clone()]),
            "all" => ("AND", words.iter().map(|w| w.to_string()).collect()),
            "any" => ("OR", words.iter().map(|w| w.to_string()).collect()),
            _ => return Err(unsupported_relation()),
        };
        Ok(Condition {
            sql: parts
                .iter()
                .map(|_| format!("{column} LIKE ? ESCAPE '\\'"))
                .collect::<Vec<_>>()
                .join(&format!(" {joint} ")),
            values: parts.iter().map(|p| like(p)).collect(),
        })
    };
    match index {
        "cql.anywhere" | "cql.serverchoice" | "anywhere" | "serverchoice" => within("search_text"),
        "dc.title" | "title" => within("title_text"),
        "dc.date" | "date" => {
            let operator = match relation {
                "=" | "==" | "exact" => {
                    return Ok(Condition {
                        sql: "(date_key = ? OR date_key LIKE ?)".into(),
                        values: vec![folded.clone(), format!("{folded}-%")],
                    })
                }
                "<" | ">" | "<=" | ">=" => relation,
                _ => return Err(unsupported_relation()),
            };
            Ok(Condition {
                sql: format!("substr(date_key, 1, length(?)) {operator} ?"),
                values: vec![folded.clone(), folded],
            })
        }
        "dc.identifier" | "identifier" => match relation {
            "=" | "==" | "exact" | "adj" => Ok(Condition {
                sql: "(identifier_keys LIKE ? ESCAPE '\\' OR identifier_keys LIKE ? ESCAPE '\\')"
                    .into(),
                values: vec![
                    like(&format!(" {} ", ref_code_key(term))),
                    like(&format!(" {} ", doc_number_key(term))),
                ],
            }),
            _ => Err(unsupported_relation()),
        },
        _ => Err(QueryError {
            diagnostic: 16,
            details: format!(
                "不支持的检索点 {index}（可用 cql.anywhere、dc.title、dc.date、dc.identifier）"
            ),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_relations_and_booleans_read_left_to_right() {
        let c = condition(r#"dc.title = "工资 调整" and dc.date >= 1990 or 退休"#).unwrap();
        assert_eq!(
            c.sql,
            "((title_text LIKE ? ESCAPE '\\') AND (substr(date_key, 1, length(?)) >= ?)) OR (search_text LIKE ? ESCAPE '\\')"
        );
        assert_eq!(c.values, ["%工资 调整%", "1990", "1990", "%退休%"]);
        let all = condition("dc.title all \"工资 调整\"").unwrap();
        assert_eq!(all.values, ["%工资%", "%调整%"]);
        let grouped = condition("(a or b) not c").unwrap();
        assert_eq!(grouped.values.len(), 3);
        assert!(grouped.sql.contains("AND NOT"), "{}", grouped.sql);
    }

    #[test]
    fn a_term_is_folded_as_the_catalogue_is() {
        let c = condition("cql.anywhere=勞動局").unwrap();
        assert_eq!(c.values, ["%劳动局%"]);
        let id = condition("dc.identifier = \"J012-WS·1998-Y-0034\"").unwrap();
        assert!(
            id.values[0].contains(" J012-WS-1998-Y-0034 "),
            "{:?}",
            id.values
        );
        assert_eq!(
            condition("dc.title = \"100%\"").unwrap().values,
            ["%100\\%%"]
        );
    }

    #[test]
    fn what_is_not_answered_is_said_with_its_diagnostic() {
        assert_eq!(condition("dc.creator = x").unwrap_err().diagnostic, 16);
        assert_eq!(condition("dc.identifier any x").unwrap_err().diagnostic, 19);
        assert_eq!(condition("(a or b").unwrap_err().diagnostic, 10);
        assert_eq!(condition("\"a").unwrap_err().diagnostic, 10);
        assert_eq!(condition("a b").unwrap_err().diagnostic, 10);
        assert_eq!(condition("dc.title = \"*\"").unwrap_err().diagnostic, 27);
    }

    #[test]
    fn a_query_deeper_or_longer_than_anyone_types_is_refused_not_followed() {
        let deep = format!("{}a{}", "(".repeat(5000), ")".repeat(5000));
        assert_eq!(condition(&deep).unwrap_err().diagnostic, 10);
        let long = vec!["a"; 2000].join(" or ");
        assert_eq!(condition(&long).unwrap_err().diagnostic, 10);
        let nested = format!("{}a{}", "(".repeat(16), ")".repeat(16));
        assert!(condition(&nested).is_ok());
    }
}
