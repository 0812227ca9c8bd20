//! Findings made by hand for the unit tests (the integration tests have their
//! own in `tests/it/common/findings.rs`).

use super::{Finding, MatchedWord, Priority, RuleHit};
use crate::structure::{Part, ProvisionKind};

/// A posting finding in 第5条第2項, for the unit tests of every format that
/// writes, reads back or compares findings.
pub(crate) fn posting() -> Finding {
    Finding {
        id: "posting-0001".into(),
        file: "b/屋外広告物条例.txt".into(),
        title: "つばき町屋外広告物条例".into(),
        number: Some("平成15年条例第9号".into()),
        doc_kind: "条例".into(),
        part: Part::Main,
        unit: ProvisionKind::Paragraph,
        citation: "第5条第2項".into(),
        normalized: "5/2".into(),
        article: "第5条".into(),
        paragraph: "2".into(),
        caption: Some("許可の表示".into()),
        excerpt: "許可を受けた者は、許可証を\"見やすい場所\"に【掲示】しなければならない。".into(),
        code: "posting".into(),
        code_name: "書面掲示規制".into(),
        matched: vec![MatchedWord {
            text: "掲示".into(),
            start: 10,
            end: 12,
        }],
        rules: vec![
            RuleHit {
                id: "posting.keiji".into(),
                name: "掲示の義務".into(),
                reason: "「掲示」+ 義務「しなければならない」".into(),
            },
            RuleHit {
                id: "posting.place".into(),
                name: "見やすい場所".into(),
                reason: "「見やすい場所」".into(),
            },
        ],
        digital_alternative: false,
        priority: Priority::High,
        phase: "Phase 1 紙の掲示 → Phase 2 インターネットでも公開 → Phase 3 インターネットのみ"
            .into(),
        technology: "ウェブサイトでの公開, 電子掲示板".into(),
        basis: Vec::new(),
        basis_kind: None,
        statutes: Vec::new(),
        national: Vec::new(),
        precedents: Vec::new(),
    }
}
