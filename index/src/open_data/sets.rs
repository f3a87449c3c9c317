//! OAI-PMH sets, one per category. A setSpec may hold ASCII letters, digits and a few marks
//! only, so a category is named by its pinyin (退休审批 → tuixiushenpi), with a short hash of
//! the category added where two would read alike; the set's name is the category itself.

use ::pinyin::ToPinyin;
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// (setSpec, category) for each of `categories`.
pub fn set_specs(categories: &[String]) -> Vec<(String, String)> {
    let read: Vec<String> = categories.iter().map(|c| reading(c)).collect();
    let mut times: HashMap<&str, usize> = HashMap::new();
    for r in &read {
        *times.entry(r.as_str()).or_default() += 1;
    }
    categories
        .iter()
        .zip(&read)
        .map(|(category, reading)| {
            let spec = if reading.is_empty() || times[reading.as_str()] > 1 {
                let hash = hex::encode(&Sha256::digest(category.as_bytes())[..4]);
                if reading.is_empty() {
                    format!("c{hash}")
                } else {
                    format!("{reading}-{hash}")
                }
            } else {
                reading.clone()
            };
            (spec, category.clone())
        })
        .collect()
}

/// The category a setSpec names, among `categories`.
pub fn category_of(spec: &str, categories: &[String]) -> Option<String> {
    set_specs(categories)
        .into_iter()
        .find(|(s, _)| s == spec)
        .map(|(_, category)| category)
}

fn reading(category: &str) -> String {
    let mut out = String::new();
    for (c, pinyin) in category.chars().zip(category.to_pinyin()) {
        match pinyin {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_category_is_named_by_its_pinyin_and_alike_readings_are_told_apart() {
        let categories: Vec<String> = ["退休审批", "文书", "闻书", "——"]
            .iter()
            .map(|c| c.to_string())
            .collect();
        let specs = set_specs(&categories);
        assert_eq!(specs[0].0, "tuixiushenpi");
        assert!(specs[1].0.starts_with("wenshu-") && specs[2].0.starts_with("wenshu-"));
        assert_ne!(specs[1].0, specs[2].0);
        assert!(specs[3].0.starts_with('c'));
        for (spec, category) in &specs {
            assert!(
                spec.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{spec}"
            );
            assert_eq!(category_of(spec, &categories).as_ref(), Some(category));
        }
        assert_eq!(category_of("nothing", &categories), None);
    }
}
