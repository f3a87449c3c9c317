//! README tells a newcomer what to type in the demo archive. Those searches must find what it
//! promises, in the demo every door builds (the app's first start, `--demo`, `archivedesk demo`).
#![cfg(not(windows))]

use archivedesk::api::SearchRequest;
use archivedesk::demo::build::build_demo_archive;
use archivedesk::demo::DemoOptions;
use archivedesk::Archive;

/// The paragraph of README that begins with "Try:", up to the next blank line.
fn try_paragraph() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md"))
        .expect("README.md");
    let start = readme
        .find("Try:")
        .expect("README has a \"Try:\" paragraph");
    let rest = &readme[start..];
    let end = rest.find("\n\n").unwrap_or(rest.len());
    rest[..end].replace('\n', " ")
}

/// The name after "type ", and every `quoted` query.
fn examples(paragraph: &str) -> (String, Vec<String>) {
    let after = &paragraph[paragraph.find("type ").expect("Try: type NAME") + 5..];
    let name: String = after
        .chars()
        .take_while(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .collect();
    assert!(
        name.chars().count() >= 2,
        "a name after \"type\": {paragraph}"
    );
    let quoted: Vec<String> = paragraph
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();
    (name, quoted)
}

#[test]
fn readme_examples_find_what_they_promise_in_the_demo_archive() {
    let (name, quoted) = examples(&try_paragraph());
    assert!(
        quoted.len() >= 2,
        "README names a pinyin and an ID: {quoted:?}"
    );
    let dir = tempfile::tempdir().unwrap();
    let demo = DemoOptions::default();
    // The app's demo with its pages drawn: the same rows (pages are made after them).
    build_demo_archive(dir.path(), demo.entries, demo.seed, false, &mut |_| {}).unwrap();
    let mut archive = Archive::open(dir.path()).unwrap();
    for query in std::iter::once(name.clone()).chain(quoted) {
        let answer = archive
            .search(&SearchRequest {
                query: query.clone(),
                ..SearchRequest::default()
            })
            .unwrap();
        let first = answer
            .hits
            .first()
            .unwrap_or_else(|| panic!("README's 「{query}」 finds nothing in the demo"));
        assert_eq!(
            first.name.as_deref(),
            Some(name.as_str()),
            "README's 「{query}」 should find {name} first"
        );
    }
}
