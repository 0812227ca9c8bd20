//! The provisions that carry text ("units"): one per 条・項・号 (or 附則, 別表
//! row …) with text of its own, not headings. The index and the export store
//! one entry per unit and `diff` compares units; all three take them from
//! here, so they agree on what a provision is and on its id.

use super::{Document, Provision, ProvisionKind};
use crate::hashing::fnv64;

/// One provision that carries text.
#[derive(Debug, Clone, Copy)]
pub struct TextUnit<'d> {
    pub provision: &'d Provision,
    /// The 見出し that applies: its own, else its article's.
    pub caption: Option<&'d str>,
    /// 1 for the first unit with its normal form in the document, 2 for the next …
    pub occurrence: usize,
}

impl TextUnit<'_> {
    /// Its id within the file whose key (canonical path) is `key`.
    pub fn id(&self, key: &str) -> String {
        provision_id(key, &self.provision.normalized, self.occurrence)
    }
}

/// A document's units, in document order.
pub fn text_units(document: &Document) -> Vec<TextUnit<'_>> {
    let mut found = Vec::new();
    for provision in &document.provisions {
        collect(provision, None, &mut found);
    }
    let mut occurrences: std::collections::HashMap<&str, usize> = Default::default();
    found
        .into_iter()
        .map(|(provision, caption)| {
            let occurrence = occurrences
                .entry(provision.normalized.as_str())
                .or_default();
            *occurrence += 1;
            TextUnit {
                provision,
                caption,
                occurrence: *occurrence,
            }
        })
        .collect()
}

fn collect<'d>(
    provision: &'d Provision,
    inherited: Option<&'d str>,
    out: &mut Vec<(&'d Provision, Option<&'d str>)>,
) {
    let caption = provision.caption.as_deref().or(inherited);
    let heading = provision.kind.division_unit().is_some();
    if !heading && !provision.text.trim().is_empty() {
        out.push((provision, caption));
    }
    let passed = if heading || provision.kind == ProvisionKind::Appendix {
        None
    } else {
        caption
    };
    for child in &provision.children {
        collect(child, passed, out);
    }
}

/// A provision's id: stable while its file stays where it is and its
/// normalised citation (and rank among equal ones) stays the same.
pub fn provision_id(key: &str, normalized: &str, occurrence: usize) -> String {
    format!(
        "{:016x}",
        fnv64(&[key, normalized, &occurrence.to_string()])
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provision_ids_are_stable_hex() {
        let id = provision_id("/a/b.txt", "3/2", 1);
        assert_eq!(id, provision_id("/a/b.txt", "3/2", 1));
        assert_ne!(id, provision_id("/a/b.txt", "3/2", 2));
        assert_ne!(id, provision_id("/a/c.txt", "3/2", 1));
        assert_eq!(id.len(), 16);
    }
}
