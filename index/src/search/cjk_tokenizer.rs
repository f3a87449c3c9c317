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
        // NFKC leaves ASCII and the unified ideographs as they are: skip it for them.
        if original.is_ascii() || ('\u{4E00}'..='\u{9FFF}').contains(&original) {
            folded.push(Mapped {
                ch: original.to_ascii_lowercase(),
                from,
                to,
            });
            continue;
        }
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
    fold_ocr_zero(&mut folded);
    folded
}

/// Characters indexed one by one: ideographs, the □ that stands for one nobody could type, and
/// the 〇 of dates written in Chinese numerals.
fn is_gram_char(ch: char) -> bool {
    crate::text::is_cjk(ch) || ch == '□' || ch == '〇'
}

/// OCR and typists write the 〇 of 一九四〇年 as a letter O or a digit 0: read it as 〇 where
/// it stands beside a Chinese numeral.
fn fold_ocr_zero(chars: &mut [Mapped]) {
    let mut plain: Vec<char> = chars.iter().map(|m| m.ch).collect();
    crate::text::fold_ocr_zero_chars(&mut plain);
    for (m, ch) in chars.iter_mut().zip(plain) {
        m.ch = ch;
    }
}

#[derive(Clone, Default)]
pub struct CjkTokenizer;

/// The name under which the tokenizer is registered with an index.
pub const CJK_TOKENIZER: &str = "archivedesk_cjk";

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream {
        CjkTokenStream::new(text, true)
    }
}

/// The same positions with the unigrams a bigram already covers left out: for work units and
/// other long, repeated text, where nobody searches for one character and every token costs
/// indexing time. Phrases of two characters or more match exactly as with `CjkTokenizer`.
#[derive(Clone, Default)]
pub struct CjkBigramTokenizer;

pub const CJK_BIGRAM_TOKENIZER: &str = "archivedesk_cjk_bigram";

impl Tokenizer for CjkBigramTokenizer {
    type TokenStream<'a> = CjkTokenStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream {
        CjkTokenStream::new(text, false)
    }
}

impl CjkTokenStream {
    fn new(text: &str, all_unigrams: bool) -> Self {
        CjkTokenStream {
            chars: normalize_mapped(text),
            next: 0,
            position: 0,
            bigram_pending: false,
            all_unigrams,
            current: Token::default(),
        }
    }
}

/// Tokens are made one at a time into the same buffer: indexing makes millions of them.
pub struct CjkTokenStream {
    chars: Vec<Mapped>,
    /// The next character to read.
    next: usize,
    /// Position of the next unit (a character or a word).
    position: usize,
    /// The unigram at `next - 1` was just given; its bigram comes next.
    bigram_pending: bool,
    /// False: a unigram only where no bigram covers its character.
    all_unigrams: bool,
    current: Token,
}

impl CjkTokenStream {
    fn set(&mut self, from: usize, to: usize, position: usize) {
        self.current.offset_from = from;
        self.current.offset_to = to;
        self.current.position = position;
        self.current.position_length = 1;
    }
}

impl TokenStream for CjkTokenStream {
    fn advance(&mut self) -> bool {
        if self.bigram_pending {
            self.bigram_pending = false;
            let (a, b) = (self.chars[self.next - 1], self.chars[self.next]);
            self.current.text.clear();
            self.current.text.push(a.ch);
            self.current.text.push(b.ch);
            self.set(a.from, b.to, self.position - 1);
            return true;
        }
        while self.next < self.chars.len() {
            let c = self.chars[self.next];
            if is_gram_char(c.ch) {
                let after = self
                    .chars
                    .get(self.next + 1)
                    .is_some_and(|n| is_gram_char(n.ch));
                let before = self.next > 0 && is_gram_char(self.chars[self.next - 1].ch);
                self.position += 1;
                self.next += 1;
                if self.all_unigrams || !(before || after) {
                    self.current.text.clear();
                    self.current.text.push(c.ch);
                    self.set(c.from, c.to, self.position - 1);
                    self.bigram_pending = after;
                    return true;
                }
                if after {
                    self.bigram_pending = true;
                    return self.advance();
                }
                continue;
            }
            if c.ch.is_alphanumeric() {
                // A run of letters and digits (pinyin, 档号 parts, years) is one token.
                let start = self.next;
                self.current.text.clear();
                while self.next < self.chars.len()
                    && self.chars[self.next].ch.is_alphanumeric()
                    && !is_gram_char(self.chars[self.next].ch)
                {
                    self.current.text.push(self.chars[self.next].ch);
                    self.next += 1;
                }
                let (from, to) = (self.chars[start].from, self.chars[self.next - 1].to);
                self.set(from, to, self.position);
                self.position += 1;
                return true;
            }
            self.next += 1;
        }
        false
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
    fn the_bigram_tokenizer_keeps_positions_and_drops_covered_unigrams() {
        let mut tokenizer = CjkBigramTokenizer;
        let mut stream = tokenizer.token_stream("供销社 厂");
        let mut out = Vec::new();
        while stream.advance() {
            let t = stream.token();
            out.push((t.text.clone(), t.position));
        }
        assert_eq!(
            out,
            vec![("供销".into(), 0), ("销社".into(), 1), ("厂".into(), 3)]
        );
    }

    #[test]
    fn a_letter_o_among_chinese_numerals_is_the_zero_of_a_date() {
        let texts: Vec<String> = tokens("一九四O年").into_iter().map(|t| t.0).collect();
        assert!(texts.contains(&"四〇".to_string()), "{texts:?}");
        assert!(texts.contains(&"〇年".to_string()), "{texts:?}");
        let texts: Vec<String> = tokens("ABO型").into_iter().map(|t| t.0).collect();
        assert!(texts.contains(&"abo".to_string()), "{texts:?}");
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
