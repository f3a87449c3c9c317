//! Writing the XML both protocols answer with: escaped text, and a Dublin Core record.

use super::DcRecord;

/// `text` safe inside an element or a quoted attribute. Characters XML 1.0 cannot carry at all
/// (control characters a catalogue may hold) are left out.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// `<prefix:name>text</prefix:name>`.
pub fn element(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    out.push_str(&escaped(text));
    out.push_str("</");
    out.push_str(name);
    out.push('>');
}

/// The record's Dublin Core elements (`dc:` prefixed; the caller declares the namespace).
pub fn dc_elements(out: &mut String, record: &DcRecord, publisher: &str) {
    let mut one = |name: &str, value: &Option<String>| {
        if let Some(value) = value {
            element(out, name, value);
        }
    };
    one("dc:title", &record.title);
    one("dc:creator", &record.creator);
    one("dc:subject", &record.subject);
    one("dc:date", &record.date);
    one("dc:format", &record.format);
    element(out, "dc:publisher", publisher);
    element(out, "dc:type", "档案");
    element(out, "dc:language", "zh");
    element(out, "dc:rights", "开放");
    for identifier in &record.identifiers {
        element(out, "dc:identifier", identifier);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_characters_xml_cannot_carry_are_escaped_or_left_out() {
        assert_eq!(
            escaped("a<b>&\"'\u{1}c\n"),
            "a&lt;b&gt;&amp;&quot;&apos;c\n"
        );
    }
}
