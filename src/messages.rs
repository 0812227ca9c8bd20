//! How tenken words what it tells the people who run it.
//!
//! The messages of `tenken scan` and `tenken report` (and the per-file read
//! errors every command shares) are read by municipal legal-affairs staff:
//! they are in Japanese, polite (です・ます), one line each, naming the file
//! first when they are about a file. A line that reports a problem (an
//! error, a warning, a file that failed) ends with a short English gloss in
//! half-width parentheses, `(no such file or folder)`: it is what a bug
//! report or a search quotes, and it carries the technical detail of other
//! libraries (the operating system's words, the XML parser's, calamine's)
//! that has no Japanese. Lines that report progress or results have no
//! gloss.
//!
//! This module holds the wording shared by several error types.

use std::fmt;
use std::io;

/// An I/O error as the end of a message: what went wrong in Japanese, then
/// the operating system's own words as the gloss, e.g.
/// `アクセス権がありません (Permission denied (os error 13))`.
pub struct Io<'a>(pub &'a io::Error);

/// The I/O error `e`, worded for a message.
pub fn io(e: &io::Error) -> Io<'_> {
    Io(e)
}

impl fmt::Display for Io<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", io_reason(self.0), self.0)
    }
}

/// What an I/O error means, in Japanese.
pub fn io_reason(e: &io::Error) -> &'static str {
    // Windows: another program (Excel, most often) has the file open.
    #[cfg(windows)]
    if matches!(e.raw_os_error(), Some(32 | 33)) {
        return "ほかのプログラム（Excel など）が開いているため使えません";
    }
    use io::ErrorKind as K;
    match e.kind() {
        K::NotFound => "見つかりません",
        K::PermissionDenied => "アクセス権がありません",
        K::AlreadyExists => "同じ名前のものがすでにあります",
        K::IsADirectory => "ファイルではなくフォルダです",
        K::NotADirectory => "フォルダではありません",
        K::DirectoryNotEmpty => "フォルダが空ではありません",
        K::ReadOnlyFilesystem => "読み取り専用の場所です",
        K::StorageFull | K::QuotaExceeded => "ディスクの空き容量が足りません",
        K::FileTooLarge => "ファイルが大きすぎます",
        K::InvalidFilename => "ファイル名が正しくありません",
        K::ResourceBusy | K::ExecutableFileBusy => "ほかのプログラムが使用中です",
        K::InvalidData => "内容が壊れています",
        K::UnexpectedEof => "ファイルが途中で終わっています",
        K::Interrupted => "処理が中断されました",
        K::OutOfMemory => "メモリが足りません",
        K::TimedOut => "時間切れになりました",
        _ => "読み書きに失敗しました",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn io_errors_are_worded_in_japanese_with_the_system_words_after() {
        let e = io::Error::new(io::ErrorKind::NotFound, "no such file or folder");
        assert_eq!(
            io(&e).to_string(),
            "見つかりません (no such file or folder)"
        );
        #[cfg(unix)]
        {
            let shown = io(&io::Error::from_raw_os_error(13)).to_string();
            assert!(
                shown.starts_with("アクセス権がありません (") && shown.contains("os error 13"),
                "{shown}"
            );
        }
        let e = io::Error::other("something odd");
        assert_eq!(io(&e).to_string(), "読み書きに失敗しました (something odd)");
    }
}
