//! The difference between two revisions of an essay, line by line.

use similar::{ChangeTag, TextDiff};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffOp {
    Same,
    Added,
    Removed,
}

impl DiffOp {
    pub fn as_str(self) -> &'static str {
        match self {
            DiffOp::Same => "same",
            DiffOp::Added => "added",
            DiffOp::Removed => "removed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiffLine {
    pub op: DiffOp,
    pub text: String,
}

/// `old` → `new`, line by line (Myers' algorithm, via `similar`).
pub fn line_diff(old: &str, new: &str) -> Vec<DiffLine> {
    TextDiff::from_lines(old, new)
        .iter_all_changes()
        .map(|change| DiffLine {
            op: match change.tag() {
                ChangeTag::Equal => DiffOp::Same,
                ChangeTag::Insert => DiffOp::Added,
                ChangeTag::Delete => DiffOp::Removed,
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_line_is_removed_then_added() {
        let diff = line_diff("a\nAnora (2019)\nc\n", "a\nAnora (2024)\nc\n");
        let ops: Vec<(DiffOp, &str)> = diff.iter().map(|l| (l.op, l.text.as_str())).collect();
        assert_eq!(
            ops,
            [
                (DiffOp::Same, "a"),
                (DiffOp::Removed, "Anora (2019)"),
                (DiffOp::Added, "Anora (2024)"),
                (DiffOp::Same, "c"),
            ]
        );
    }
}
