//! Properties of the Chinese-text rules over generated input (proptest): normalizing twice
//! changes nothing, t2s after t2s is t2s, a 15-digit ID goes to 18 digits and back, and an
//! imported row shows the name and (masked) ID written.

mod common;

use archivedesk::text::{
    mask_id, normalize_name, normalize_text, parse_id_number, to_simplified, IdStatus,
};
use archivedesk::Archive;
use common::*;
use proptest::prelude::*;

/// Characters catalogues are made of: simplified and traditional hanzi, full-width and
/// half-width letters and digits, spaces of both widths, and the punctuation clerks paste.
fn catalogue_char() -> impl Strategy<Value = char> {
    prop_oneof![
        prop::sample::select(
            "张王李刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐許陳劉張黃趙鄭蘇葉國軍華濤龍鳳麗"
                .chars()
                .collect::<Vec<_>>()
        ),
        prop::char::range('\u{4e00}', '\u{9fa5}'),
        prop::char::range('a', 'z'),
        prop::char::range('A', 'Z'),
        prop::char::range('0', '9'),
        prop::char::range('\u{ff10}', '\u{ff19}'),
        prop::char::range('\u{ff21}', '\u{ff3a}'),
        prop::sample::select(vec![
            ' ', '\u{3000}', '·', '•', '，', '。', '、', '（', '）', '〔', '〕', '-', '—', '\t'
        ]),
    ]
}

fn catalogue_text() -> impl Strategy<Value = String> {
    prop::collection::vec(catalogue_char(), 0..24).prop_map(|chars| chars.into_iter().collect())
}

/// A real birth date and a region code that exists, as a 15-digit ID writes them.
fn id15() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec![
            "110101", "310104", "440106", "620102", "431128", "520102",
        ]),
        1900i32..2000,
        1u32..=12,
        1u32..=28,
        0u32..1000,
    )
        .prop_map(|(region, year, month, day, seq)| {
            format!("{region}{:02}{month:02}{day:02}{seq:03}", year % 100)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn normalizing_text_twice_changes_nothing(s in catalogue_text()) {
        let once = normalize_text(&s);
        prop_assert_eq!(normalize_text(&once), once);
    }

    #[test]
    fn normalizing_a_name_twice_changes_nothing(s in catalogue_text()) {
        let once = normalize_name(&s);
        prop_assert_eq!(normalize_name(&once), once);
    }

    #[test]
    fn t2s_after_t2s_is_t2s(s in catalogue_text()) {
        let once = to_simplified(&s).into_owned();
        prop_assert_eq!(to_simplified(&once).into_owned(), once);
    }

    #[test]
    fn a_15_digit_id_goes_to_18_digits_and_back(id in id15()) {
        let parsed = parse_id_number(&id).expect("not blank");
        prop_assert_eq!(parsed.status, IdStatus::Valid15);
        let key = parsed.key;
        prop_assert_eq!(key.len(), 18);
        // Back: the century dropped and the check digit taken off.
        let back = format!("{}{}", &key[..6], &key[8..17]);
        prop_assert_eq!(&back, &id);
        let again = parse_id_number(&key).expect("not blank");
        prop_assert_eq!(again.status, IdStatus::Valid18);
        prop_assert_eq!(again.key, key);
    }
}

proptest! {
    // Each case imports into an archive of its own: few cases.
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn an_imported_row_shows_the_name_and_id_written(
        name in prop::collection::vec(prop::char::range('\u{4e00}', '\u{9fa5}'), 2..4)
            .prop_map(|c| c.into_iter().collect::<String>()),
        id in id15(),
        wage in 100u32..2000,
    ) {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("工资.csv");
        let id18 = parse_id_number(&id).unwrap().key;
        write_utf8_csv(
            &csv,
            &[
                "档号,题名,姓名,身份证号码,原工资",
                &format!("J001-WS·1998-Y-0001,工资调整表,{name},{id18},{wage}.00"),
            ],
            false,
        );
        let mut archive = Archive::open(&dir.path().join("data")).unwrap();
        import(&mut archive, &[&csv]);
        let shown = archive.show("J001-WS·1998-Y-0001").unwrap();
        prop_assert_eq!(shown.entries.len(), 1);
        let entry = &shown.entries[0];
        prop_assert_eq!(&entry.name, &name);
        // Shown masked, as every screen shows it; valid, and masked from the number written.
        prop_assert_eq!(entry.id_valid, Some(true));
        prop_assert_eq!(entry.id_number_masked.clone(), Some(mask_id(&id18)));
    }
}
