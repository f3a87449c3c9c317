//! The keyed hash of an ID number that asking every peer sends in place of the ID: HMAC-SHA256
//! under the province's shared key (from the peer list). A peer compares it with the hashes of
//! its own IDs; without the key nobody can test guesses against it, and a peer that holds
//! nothing learns nothing.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::collections::HashMap;

/// The province's shared key, as the peer list carries it (hex, at least 16 bytes).
pub fn parse_key(text: &str) -> Option<Vec<u8>> {
    let key = hex::decode(text.trim()).ok()?;
    (key.len() >= 16).then_some(key)
}

/// The hash of an ID's canonical 18-character key (as `text::id_number` makes it), in hex.
pub fn id_hash(key: &[u8], id_key: &str) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(b"archivedesk-id-v1:");
    mac.update(id_key.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// The archive's own IDs by their hash, for answering hashed questions. Built from every ID
/// key once, and again only when the archive changed (`generation`). Kept small: the first 16
/// bytes of each hash (a collision among a county's IDs is not to be expected) and the ID's 18
/// characters, about 50 bytes an ID.
#[derive(Default)]
pub struct IdHashes {
    built_for: Option<(Vec<u8>, i64)>,
    by_hash: HashMap<[u8; 16], [u8; 18]>,
}

fn short(hash_hex: &str) -> Option<[u8; 16]> {
    let bytes = hex::decode(hash_hex).ok()?;
    (bytes.len() == 32).then(|| bytes[..16].try_into().expect("16 of 32 bytes"))
}

impl IdHashes {
    /// The ID key whose hash is `hash`, building the table first when `key` or `generation`
    /// differ from what it was built for.
    pub fn find(
        &mut self,
        key: &[u8],
        generation: i64,
        hash: &str,
        all_ids: impl FnOnce() -> crate::error::Result<Vec<String>>,
    ) -> crate::error::Result<Option<String>> {
        let current = (key.to_vec(), generation);
        if self.built_for.as_ref() != Some(&current) {
            self.by_hash = all_ids()?
                .into_iter()
                .filter_map(|id| {
                    let id_bytes: [u8; 18] = id.as_bytes().try_into().ok()?;
                    Some((short(&id_hash(key, &id))?, id_bytes))
                })
                .collect();
            self.built_for = Some(current);
        }
        let Some(wanted) = short(hash) else {
            return Ok(None);
        };
        Ok(self
            .by_hash
            .get(&wanted)
            .map(|id| String::from_utf8_lossy(id).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_depends_on_the_key_and_finds_the_id_it_was_made_from() {
        let key = parse_key("00112233445566778899aabbccddeeff").unwrap();
        let other = parse_key("ffeeddccbbaa99887766554433221100").unwrap();
        let hash = id_hash(&key, "11010519491231002X");
        assert_eq!(hash.len(), 64);
        assert_ne!(hash, id_hash(&other, "11010519491231002X"));
        assert_ne!(hash, id_hash(&key, "110105194912310021"));

        let mut table = IdHashes::default();
        let ids = || {
            Ok(vec![
                "11010519491231002X".to_string(),
                "620902194203212464".to_string(),
            ])
        };
        assert_eq!(
            table.find(&key, 1, &hash, ids).unwrap().as_deref(),
            Some("11010519491231002X")
        );
        let never = || -> crate::error::Result<Vec<String>> {
            panic!("built again for the same generation")
        };
        assert_eq!(
            table
                .find(&key, 1, &hash.to_uppercase(), never)
                .unwrap()
                .as_deref(),
            Some("11010519491231002X")
        );
        assert_eq!(table.find(&other, 1, &hash, ids).unwrap(), None);
    }

    #[test]
    fn a_short_or_unreadable_key_is_refused() {
        assert!(parse_key("0011").is_none());
        assert!(parse_key("not hex at all, not hex at all").is_none());
    }
}
