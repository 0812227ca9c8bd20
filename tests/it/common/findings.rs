//! Hand-made findings of the sample corpus's 例規, shared by the tests that
//! write checklists and read them back.

use tenken::matching::{Finding, MatchedWord, Priority, RuleHit};
use tenken::structure::{Part, ProvisionKind};

pub const OKUGAI: &str = "reiki/okugai_koukoku.html";
pub const HOJOKIN: &str = "reiki/hojokin.txt";
pub const KOUKOKUSHIKI: &str = "reiki/koukokushiki.txt";

fn rule(id: &str, reason: &str) -> RuleHit {
    RuleHit {
        id: id.into(),
        name: id.into(),
        reason: reason.into(),
    }
}

fn word(text: &str, start: usize) -> MatchedWord {
    MatchedWord {
        text: text.into(),
        start,
        end: start + text.chars().count(),
    }
}

/// 第5条第2項 of the outdoor-advertising 条例: post the permit where it is seen.
pub fn posting() -> Finding {
    Finding {
        id: "okugai-5-2-posting".into(),
        file: OKUGAI.into(),
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
        excerpt:
            "許可を受けた者は、許可証を当該広告物の【見やすい場所】に【掲示】しなければならない。"
                .into(),
        code: "posting".into(),
        code_name: "書面掲示規制".into(),
        matched: vec![word("見やすい場所", 20), word("掲示", 27)],
        rules: vec![
            rule("posting.keiji", "「掲示」+ 義務「しなければならない」"),
            rule("posting.place", "「見やすい場所」"),
        ],
        digital_alternative: false,
        priority: Priority::High,
        phase: "紙の掲示 → インターネットでも公開 → インターネットのみ".into(),
        technology: "ウェブサイトでの公開, 電子掲示板".into(),
        basis: Vec::new(),
        basis_kind: None,
        statutes: Vec::new(),
        national: Vec::new(),
        precedents: Vec::new(),
    }
}

/// 第8条 of the subsidy 規則: a sealed application, with an online way already.
pub fn seal() -> Finding {
    Finding {
        id: "hojokin-8-seal".into(),
        file: HOJOKIN.into(),
        title: "つばき町補助金交付規則".into(),
        number: Some("令和2年規則第3号".into()),
        doc_kind: "規則".into(),
        part: Part::Main,
        unit: ProvisionKind::Article,
        citation: "第8条".into(),
        normalized: "8".into(),
        article: "第8条".into(),
        paragraph: String::new(),
        caption: Some("交付の申請".into()),
        excerpt: "補助金の交付を受けようとする者は、申請書に【記名押印】し、町長に提出しなければならない。ただし、電子情報処理組織を使用して申請する場合は、この限りでない。".into(),
        code: "seal".into(),
        code_name: "押印・署名".into(),
        matched: vec![word("記名押印", 23)],
        rules: vec![rule("seal.oin", "「記名押印」+ 義務「しなければならない」; 電子的方法あり")],
        digital_alternative: true,
        priority: Priority::Low,
        phase: "押印 → オンラインも可 → オンライン優先".into(),
        technology: "電子申請, 電子署名".into(),
        basis: Vec::new(),
        basis_kind: None,
        statutes: Vec::new(),
        national: Vec::new(),
        precedents: Vec::new(),
    }
}

/// 第12条 of the same 条例: a register open for inspection. Its caption starts
/// with "=", which must stay text in every format.
pub fn inspection() -> Finding {
    Finding {
        id: "okugai-12-visit".into(),
        file: OKUGAI.into(),
        title: "つばき町屋外広告物条例".into(),
        number: Some("平成15年条例第9号".into()),
        doc_kind: "条例".into(),
        part: Part::Main,
        unit: ProvisionKind::Article,
        citation: "第12条".into(),
        normalized: "12".into(),
        article: "第12条".into(),
        paragraph: String::new(),
        caption: Some("=SUM(1,2)".into()),
        excerpt: "町長は、許可台帳を【備え置き】、関係者の請求があったときは、これを【閲覧】させなければならない。".into(),
        code: "visit_inspection".into(),
        code_name: "往訪閲覧・縦覧規制".into(),
        matched: vec![word("備え置き", 9), word("閲覧", 30)],
        rules: vec![rule("visit.etsuran", "「閲覧」+ 義務「させなければならない」")],
        digital_alternative: false,
        priority: Priority::Medium,
        phase: "窓口での閲覧 → オンラインでも閲覧 → オンラインを原則".into(),
        technology: "ウェブ公開, オンライン閲覧システム".into(),
        basis: Vec::new(),
        basis_kind: None,
        statutes: Vec::new(),
        national: Vec::new(),
        precedents: Vec::new(),
    }
}
