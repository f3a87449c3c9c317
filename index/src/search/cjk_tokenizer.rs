//! The tokenizer for Chinese text in names, units, titles and full text: a unigram and a bigram
//! at every character position, positions kept, on normalized text (width-folded, simplified,
//! lowercased), with offsets into the text as written so that highlights land on the original.
//!
//! Why not tantivy's `NgramTokenizer`: it puts every gram at position 0, so a phrase matches in
//! the wrong places. Why not a word segmenter alone: it decides names wrongly (谢林霞 kept
//! whole, 单成芸 split). Unigrams find any single character (a two-character name 王磊 is two
//! unigrams in a row); bigrams make two-character matches precise and fast.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};
use unicode_normalization::UnicodeNormalization;

/// A character of the normalized text and where its original stands.
#[derive(Debug, Clone, Copy)]
struct Mapped {
    ch: char,
    from: usize,
    to: usize,
}

/// Normalize `text` character by character, keeping each result's original byte range.
fn normalize_mapped(text: &str) -> Vec<Mapped> {
    let mut folded: Vec<Mapped> = Vec::with_capacity(text.len());
    for (from, original) in text.char_indices() {
        let to = from + original.len_utf8();
        for ch in std::iter::once(original).nfkc() {
            for lower in ch.to_lowercase() {
                folded.push(Mapped {
                    ch: lower,
                    from,
                    to,
                });
            }
        }
    }
    // Traditional → simplified over the whole text, so that phrases keep their context
    // (乾坤 stays 乾); it maps character for character, else each character alone.
    let joined: String = folded.iter().map(|m| m.ch).collect();
    let simplified = crate::text::to_simplified(&joined);
    if simplified.chars().count() == folded.len() {
        for (m, ch) in folded.iter_mut().zip(simplified.chars()) {
            m.ch = ch;
        }
    } else {
        for m in folded.iter_mut() {
            let mut buf = [0u8; 4];
            if let Some(ch) = crate::text::to_simplified(m.ch.encode_utf8(&mut buf))
                .chars()
                .next()
            {
                m.ch = ch;
            }
        }
    }
    folded
}

/// Characters indexed one by one: ideographs and the □ that stands for one nobody could type.
fn is_gram_char(ch: char) -> bool {
    crate::text::is_cjk(ch) || ch == '□'
}

#[derive(Clone, Default)]
pub struct CjkTokenizer;

/// The name under which the tokenizer is registered with an index.
pub const CJK_TOKENIZER: &str = "archivedesk_cjk";

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream {
        CjkTokenStream {
            tokens: tokenize(text),
            next: 0,
            current: Token::default(),
        }
    }
}

fn tokenize(text: &str) -> Vec<Token> {
    let chars = normalize_mapped(text);
    let mut tokens = Vec::new();
    let mut position = 0;
    let mut i = 0;
    let token = |text: String, from: usize, to: usize, position: usize| Token {
        offset_from: from,
        offset_to: to,
        position,
        text,
        position_length: 1,
    };
    while i < chars.len() {
        let c = chars[i];
        if is_gram_char(c.ch) {
            tokens.push(token(c.ch.to_string(), c.from, c.to, position));
            if let Some(next) = chars.get(i + 1).filter(|n| is_gram_char(n.ch)) {
                tokens.push(token(
                    format!("{}{}", c.ch, next.ch),
                    c.from,
                    next.to,
                    position,
                ));
            }
            position += 1;
            i += 1;
        } else if c.ch.is_alphanumeric() {
            // A run of letters and digits (pinyin, 档号 parts, years) is one token.
            let start = i;
            while i < chars.len() && chars[i].ch.is_alphanumeric() && !is_gram_char(chars[i].ch) {
                i += 1;
            }
            let word: String = chars[start..i].iter().map(|m| m.ch).collect();
            tokens.push(token(word, chars[start].from, chars[i - 1].to, position));
            position += 1;
        } else {
            i += 1;
        }
    }
    tokens
}

pub struct CjkTokenStream {
    tokens: Vec<Token>,
    next: usize,
    current: Token,
}

impl TokenStream for CjkTokenStream {
    fn advance(&mut self) -> bool {
        match self.tokens.get(self.next) {
            Some(token) => {
                self.current = token.clone();
                self.next += 1;
                true
            }
            None => false,
        }
    }

    fn token(&self) -> &Token {
        &self.current
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.current
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::query::{PhraseQuery, TermQuery};
    use tantivy::schema::{
        IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
    };
    use tantivy::{doc, Index, TantivyDocument, Term};

    fn tokens(text: &str) -> Vec<(String, usize, &str)> {
        let mut tokenizer = CjkTokenizer;
        let mut stream = tokenizer.token_stream(text);
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((
                t.text.clone(),
                t.position,
                &text[t.offset_from..t.offset_to],
            ));
        }
        out
    }

    #[test]
    fn unigrams_and_bigrams_at_every_position() {
        let t = tokens("王磊");
        assert_eq!(
            t,
            vec![
                ("王".into(), 0, "王"),
                ("王磊".into(), 0, "王磊"),
                ("磊".into(), 1, "磊")
            ]
        );
    }

    #[test]
    fn normalized_text_with_offsets_into_the_original() {
        let t = tokens("劉建國，１９９８年");
        let texts: Vec<&str> = t.iter().map(|(s, _, _)| s.as_str()).collect();
        assert_eq!(texts, vec!["刘", "刘建", "建", "建国", "国", "1998", "年"]);
        let jianguo = t.iter().find(|(s, _, _)| s == "建国").unwrap();
        assert_eq!(jianguo.2, "建國", "the highlight covers what was written");
        let year = t.iter().find(|(s, _, _)| s == "1998").unwrap();
        assert_eq!(year.2, "１９９８");
    }

    #[test]
    fn no_bigram_across_a_separator_and_the_placeholder_is_a_character() {
        let texts: Vec<String> = tokens("阿依·买买提 王□").into_iter().map(|t| t.0).collect();
        assert!(!texts.contains(&"依买".to_string()), "{texts:?}");
        assert!(texts.contains(&"王□".to_string()));
    }

    #[test]
    fn phrases_match_only_where_the_characters_are_adjacent() {
        let mut schema = Schema::builder();
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(CJK_TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let name = schema.add_text_field(
            "name",
            TextOptions::default().set_indexing_options(indexing) | STORED,
        );
        let index = Index::create_in_ram(schema.build());
        index.tokenizers().register(CJK_TOKENIZER, CjkTokenizer);
        let mut writer = index.writer(15_000_000).unwrap();
        for n in ["王磊", "王大磊", "单成芸", "磊王"] {
            writer.add_document(doc!(name => n)).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let names = |query: &dyn tantivy::query::Query| -> Vec<String> {
            let mut found: Vec<String> = searcher
                .search(query, &TopDocs::with_limit(10).order_by_score())
                .unwrap()
                .into_iter()
                .map(|(_, address)| {
                    let d: TantivyDocument = searcher.doc(address).unwrap();
                    d.get_first(name)
                        .and_then(|v| v.as_str())
                        .unwrap()
                        .to_string()
                })
                .collect();
            found.sort();
            found
        };
        let term = |s: &str| Term::from_field_text(name, s);
        let phrase = PhraseQuery::new(vec![term("王"), term("磊")]);
        assert_eq!(
            names(&phrase),
            vec!["王磊"],
            "a two-character name matches exactly"
        );
        let bigram = TermQuery::new(term("成芸"), IndexRecordOption::Basic);
        assert_eq!(
            names(&bigram),
            vec!["单成芸"],
            "a segmenter would have split this name"
        );
        let unigram = TermQuery::new(term("磊"), IndexRecordOption::Basic);
        assert_eq!(names(&unigram).len(), 3);
    }
}
