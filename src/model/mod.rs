//! Wire types of LaunchDarkly's Access Tokens API and the identity and role endpoints, field for field as the
//! official OpenAPI schemas name them. Unknown fields are ignored on input, so a newer server never breaks a
//! decode; optional fields are omitted on output rather than sent as `null`.

mod error;
mod identity;
mod links;
mod lists;
mod patch_op;
mod role;
mod secret;
mod statement;
mod team;
mod token;

pub use error::ErrorBody;
pub use identity::{
    CallerIdentity, Member, MemberSummary, MemberTeamSummary, PermissionGrant, RoleAttributes,
};
pub use links::{Link, Links, UnixMillis};
pub use lists::non_empty;
pub use patch_op::{PatchOperation, PatchRequest};
pub use role::{CustomRole, CustomRoles};
pub use secret::Secret;
pub(crate) use statement::{keep_lists, ListPresence};
pub use statement::{Effect, Statement, StatementPair, StatementPost};
pub use team::{Team, TeamCustomRole, TeamCustomRoles, TeamMembers};
pub use token::{AccessTokenPost, Token, Tokens};
