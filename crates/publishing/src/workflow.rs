//! Roles, essay states and the transitions between them.

use std::fmt;
use std::str::FromStr;

/// What a user may do on the site, in increasing power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads, keeps a diary.
    Reader,
    /// Also drafts essays and submits them.
    Writer,
    /// Also reviews, signs off fact-checks, publishes and corrects.
    Editor,
    /// Also manages users and the site.
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Reader, Role::Writer, Role::Editor, Role::Admin];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Writer => "writer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    pub fn can_write(self) -> bool {
        self >= Role::Writer
    }

    pub fn can_edit(self) -> bool {
        self >= Role::Editor
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| format!("unknown role {s:?} (expected reader, writer, editor or admin)"))
    }
}

/// Where an essay is in the editorial workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EssayState {
    Draft,
    Submitted,
    InReview,
    /// The fact-check is signed off; ready to publish.
    Approved,
    Published,
    /// Published, with at least one correction since.
    Corrected,
    Unpublished,
}

impl EssayState {
    pub const ALL: [EssayState; 7] = [
        EssayState::Draft,
        EssayState::Submitted,
        EssayState::InReview,
        EssayState::Approved,
        EssayState::Published,
        EssayState::Corrected,
        EssayState::Unpublished,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EssayState::Draft => "draft",
            EssayState::Submitted => "submitted",
            EssayState::InReview => "in_review",
            EssayState::Approved => "approved",
            EssayState::Published => "published",
            EssayState::Corrected => "corrected",
            EssayState::Unpublished => "unpublished",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EssayState::Draft => "Draft",
            EssayState::Submitted => "Submitted",
            EssayState::InReview => "In review",
            EssayState::Approved => "Approved",
            EssayState::Published => "Published",
            EssayState::Corrected => "Published, corrected",
            EssayState::Unpublished => "Unpublished",
        }
    }

    /// Whether anyone may read it.
    pub fn is_public(self) -> bool {
        matches!(self, EssayState::Published | EssayState::Corrected)
    }
}

impl fmt::Display for EssayState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EssayState {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        EssayState::ALL
            .into_iter()
            .find(|st| st.as_str() == s)
            .ok_or_else(|| format!("unknown essay state {s:?}"))
    }
}

/// A step of the workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// The author hands a draft to the editors.
    Submit,
    /// The author takes a submission back.
    Withdraw,
    /// An editor takes a submission.
    StartReview,
    /// An editor sends it back to its author.
    RequestChanges,
    /// An editor signs off the fact-check.
    Approve,
    Publish,
    Unpublish,
    Republish,
}

impl Action {
    pub const ALL: [Action; 8] = [
        Action::Submit,
        Action::Withdraw,
        Action::StartReview,
        Action::RequestChanges,
        Action::Approve,
        Action::Publish,
        Action::Unpublish,
        Action::Republish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Withdraw => "withdraw",
            Action::StartReview => "review",
            Action::RequestChanges => "request_changes",
            Action::Approve => "approve",
            Action::Publish => "publish",
            Action::Unpublish => "unpublish",
            Action::Republish => "republish",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Action::Submit => "Submit to the editors",
            Action::Withdraw => "Withdraw the submission",
            Action::StartReview => "Start the review",
            Action::RequestChanges => "Send back to the writer",
            Action::Approve => "Sign off the fact-check and approve",
            Action::Publish => "Publish",
            Action::Unpublish => "Unpublish",
            Action::Republish => "Publish again",
        }
    }

    /// Whether only editors (and admins) may take it.
    pub fn is_editorial(self) -> bool {
        !matches!(self, Action::Submit | Action::Withdraw)
    }
}

impl FromStr for Action {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Action::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| format!("unknown action {s:?}"))
    }
}

/// Who is asking, as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// Whether they wrote the essay in question.
    pub is_author: bool,
}

/// Why an action is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// This actor may never do this (HTTP 403).
    Forbidden(String),
    /// Not in this state, or not yet (HTTP 409).
    Conflict(String),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Forbidden(m) | Refusal::Conflict(m) => f.write_str(m),
        }
    }
}

/// A claim as the sign-off knows it: its kind and its words.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClaimKey {
    pub kind: String,
    pub text: String,
}

/// The contradicted claims no override covers: what still blocks approval.
pub fn unresolved<'a>(contradicted: &'a [ClaimKey], overridden: &[ClaimKey]) -> Vec<&'a ClaimKey> {
    contradicted
        .iter()
        .filter(|claim| !overridden.contains(claim))
        .collect()
}

/// Whether `actor` (`None`: an anonymous visitor) may read an essay in `state`. Essays not
/// published are their author's and the editors' only; to anyone else they do not exist.
pub fn can_view(actor: Option<Actor>, state: EssayState) -> bool {
    state.is_public() || actor.is_some_and(|a| a.is_author || a.role.can_edit())
}

/// Whether `actor` may change an essay's text in `state`: the author while it is a draft;
/// editors while they review it, and to correct it once published.
pub fn can_edit(actor: Actor, state: EssayState) -> bool {
    match state {
        EssayState::Draft => actor.is_author || actor.role.can_edit(),
        EssayState::InReview | EssayState::Approved => actor.role.can_edit(),
        EssayState::Published | EssayState::Corrected | EssayState::Unpublished => {
            actor.role.can_edit()
        }
        EssayState::Submitted => false,
    }
}

/// The state `action` leads to from `state`, if `actor` may take it. `unresolved_claims` is
/// how many contradicted claims of the latest revision no override covers: approval waits for
/// none.
pub fn transition(
    actor: Actor,
    state: EssayState,
    action: Action,
    unresolved_claims: usize,
) -> Result<EssayState, Refusal> {
    use EssayState as S;
    if action.is_editorial() && !actor.role.can_edit() {
        return Err(Refusal::Forbidden(format!(
            "only an editor may {}",
            action.label().to_lowercase()
        )));
    }
    if !action.is_editorial() && !actor.is_author && !actor.role.can_edit() {
        return Err(Refusal::Forbidden(
            "only the essay's author may do that".to_string(),
        ));
    }
    let next = match (action, state) {
        (Action::Submit, S::Draft) => S::Submitted,
        (Action::Withdraw, S::Submitted) => S::Draft,
        (Action::StartReview, S::Submitted) => S::InReview,
        (Action::RequestChanges, S::Submitted | S::InReview | S::Approved) => S::Draft,
        (Action::Approve, S::InReview) => {
            if unresolved_claims > 0 {
                return Err(Refusal::Conflict(format!(
                    "{unresolved_claims} contradicted {} must be fixed or overridden with a reason first",
                    if unresolved_claims == 1 {
                        "claim"
                    } else {
                        "claims"
                    }
                )));
            }
            S::Approved
        }
        (Action::Publish, S::Approved) => S::Published,
        (Action::Unpublish, S::Published | S::Corrected) => S::Unpublished,
        (Action::Republish, S::Unpublished) => S::Published,
        (action, state) => {
            return Err(Refusal::Conflict(format!(
                "cannot {} an essay that is {}",
                action.as_str().replace('_', " "),
                state.label().to_lowercase()
            )));
        }
    };
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WRITER: Actor = Actor {
        role: Role::Writer,
        is_author: true,
    };
    const EDITOR: Actor = Actor {
        role: Role::Editor,
        is_author: false,
    };
    const READER: Actor = Actor {
        role: Role::Reader,
        is_author: false,
    };

    #[test]
    fn the_whole_road_from_draft_to_published() {
        let mut state = EssayState::Draft;
        for (actor, action) in [
            (WRITER, Action::Submit),
            (EDITOR, Action::StartReview),
            (EDITOR, Action::Approve),
            (EDITOR, Action::Publish),
        ] {
            state = transition(actor, state, action, 0).unwrap();
        }
        assert_eq!(state, EssayState::Published);
    }

    #[test]
    fn a_writer_cannot_publish_or_approve() {
        for action in [Action::Publish, Action::Approve, Action::StartReview] {
            assert!(matches!(
                transition(WRITER, EssayState::Approved, action, 0),
                Err(Refusal::Forbidden(_))
            ));
        }
    }

    #[test]
    fn approval_waits_for_every_contradicted_claim() {
        assert!(matches!(
            transition(EDITOR, EssayState::InReview, Action::Approve, 2),
            Err(Refusal::Conflict(m)) if m.starts_with("2 contradicted claims")
        ));
        let claims = [
            ClaimKey {
                kind: "year".into(),
                text: "Anora (2019)".into(),
            },
            ClaimKey {
                kind: "budget".into(),
                text: "$6 million".into(),
            },
        ];
        let overridden = [claims[0].clone()];
        assert_eq!(unresolved(&claims, &overridden), [&claims[1]]);
    }

    #[test]
    fn drafts_are_invisible_to_others() {
        assert!(!can_view(None, EssayState::Draft));
        assert!(!can_view(Some(READER), EssayState::InReview));
        assert!(can_view(Some(WRITER), EssayState::Draft));
        assert!(can_view(Some(EDITOR), EssayState::Submitted));
        assert!(can_view(None, EssayState::Corrected));
    }

    #[test]
    fn states_that_do_not_allow_an_action_say_so() {
        assert_eq!(
            transition(EDITOR, EssayState::Draft, Action::Publish, 0),
            Err(Refusal::Conflict(
                "cannot publish an essay that is draft".into()
            ))
        );
        let stranger = Actor {
            role: Role::Writer,
            is_author: false,
        };
        assert!(matches!(
            transition(stranger, EssayState::Draft, Action::Submit, 0),
            Err(Refusal::Forbidden(_))
        ));
    }

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        for state in EssayState::ALL {
            assert_eq!(state.as_str().parse::<EssayState>(), Ok(state));
        }
        for action in Action::ALL {
            assert_eq!(action.as_str().parse::<Action>(), Ok(action));
        }
    }
}
