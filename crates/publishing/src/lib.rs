//! The editorial rules of Kinograph, with no I/O: who may see, edit and move an essay through
//! draft → submitted → in review → approved → published (→ corrected | unpublished), what a
//! fact-check sign-off requires, and how two revisions differ. The store keeps the state; the web
//! crate asks these functions before it changes anything.

mod diff;
mod names;
mod records;
mod secrets;
mod workflow;

pub use diff::{DiffLine, DiffOp, line_diff};
pub use names::{check_password, check_user_name, slugify};
pub use records::{
    AuditEntry, Correction, EditorialFilter, EssayHead, Member, NewRevision, NewUser, Override,
    Publication, Revision, RevisionCheck, User,
};
pub use secrets::{hash_password, new_token, same_secret, token_hash, verify_password};
pub use workflow::{
    Action, Actor, ClaimKey, EssayState, Refusal, Role, can_edit, can_view, transition, unresolved,
};
