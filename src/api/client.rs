//! Typed operations over any [`Transport`]: build the request, run the retry loop, decode the answer.

use super::execute::execute;
use super::response::{decode_body, expect_empty};
use super::transport::Transport;
use super::{ApiError, ApiRequest, ClientConfig, ListParams, RoleListParams};
use crate::model::{
    AccessTokenPost, CallerIdentity, CustomRole, CustomRoles, Member, PatchRequest, Team, Token,
    Tokens,
};

/// Most role pages fetched while resolving a principal; a real account has far fewer.
const MAX_ROLE_PAGES: usize = 50;

/// The REST client. Holds only configuration; the transport is passed per call, so each call can carry its
/// own abort signal.
#[derive(Clone, Debug)]
pub struct Client {
    config: ClientConfig,
}

/// Everything needed to build a [`crate::rules::Principal`] for the calling token.
#[derive(Clone, Debug)]
pub struct PrincipalParts {
    /// What `caller-identity` said.
    pub identity: CallerIdentity,
    /// The calling token itself.
    pub token: Token,
    /// Its creator, when the caller may read members.
    pub member: Option<Member>,
    /// The creator's teams the caller could read, with their roles and role attributes expanded.
    pub teams: Vec<Team>,
    /// The custom roles the caller could read: every listed role, plus any role of the token or its creator
    /// the list did not show.
    pub roles: Vec<CustomRole>,
}

/// Whether an error means "you may not see this" rather than a failure of the call itself.
fn is_not_visible(error: &ApiError) -> bool {
    matches!(error.status, 403 | 404)
}

impl Client {
    /// A client for `config`.
    pub fn new(config: ClientConfig) -> Self {
        Client { config }
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    async fn fetch_json<T: crate::json::FromJson, X: Transport>(
        &self,
        transport: &X,
        request: ApiRequest,
        what: &str,
    ) -> Result<T, ApiError> {
        let response = execute(transport, &self.config, &request).await?;
        decode_body(transport, &response, what, transport.now_ms())
    }

    /// `getTokens`: one page.
    pub async fn list<X: Transport>(
        &self,
        transport: &X,
        params: &ListParams,
    ) -> Result<Tokens, ApiError> {
        self.fetch_json(transport, ApiRequest::list_tokens(params), "Tokens")
            .await
    }

    /// `getToken`.
    pub async fn get<X: Transport>(&self, transport: &X, id: &str) -> Result<Token, ApiError> {
        self.fetch_json(transport, ApiRequest::get_token(id)?, "Token")
            .await
    }

    /// `postToken`: the answer carries the whole new secret.
    pub async fn create<X: Transport>(
        &self,
        transport: &X,
        body: &AccessTokenPost,
    ) -> Result<Token, ApiError> {
        self.fetch_json(transport, ApiRequest::create_token(body)?, "Token")
            .await
    }

    /// `patchToken`.
    pub async fn update<X: Transport>(
        &self,
        transport: &X,
        id: &str,
        patch: &PatchRequest,
    ) -> Result<Token, ApiError> {
        self.fetch_json(transport, ApiRequest::patch_token(id, patch)?, "Token")
            .await
    }

    /// `deleteToken`.
    pub async fn delete<X: Transport>(&self, transport: &X, id: &str) -> Result<(), ApiError> {
        let response = execute(transport, &self.config, &ApiRequest::delete_token(id)?).await?;
        expect_empty(transport, &response, transport.now_ms())
    }

    /// `resetToken`: the answer carries the whole new secret; the old one works until `expiry`.
    pub async fn reset<X: Transport>(
        &self,
        transport: &X,
        id: &str,
        expiry: Option<i64>,
    ) -> Result<Token, ApiError> {
        self.fetch_json(transport, ApiRequest::reset_token(id, expiry)?, "Token")
            .await
    }

    /// `GET /api/v2/caller-identity`.
    pub async fn caller_identity<X: Transport>(
        &self,
        transport: &X,
    ) -> Result<CallerIdentity, ApiError> {
        self.fetch_json(transport, ApiRequest::caller_identity(), "CallerIdentity")
            .await
    }

    /// `GET /api/v2/roles`: one page.
    pub async fn list_roles<X: Transport>(
        &self,
        transport: &X,
        params: &RoleListParams,
    ) -> Result<CustomRoles, ApiError> {
        self.fetch_json(transport, ApiRequest::list_roles(params), "CustomRoles")
            .await
    }

    /// `GET /api/v2/roles/{key or id}`.
    pub async fn get_role<X: Transport>(
        &self,
        transport: &X,
        key_or_id: &str,
    ) -> Result<CustomRole, ApiError> {
        self.fetch_json(transport, ApiRequest::get_role(key_or_id)?, "CustomRole")
            .await
    }

    /// `GET /api/v2/members/{id}`.
    pub async fn get_member<X: Transport>(
        &self,
        transport: &X,
        id: &str,
    ) -> Result<Member, ApiError> {
        self.fetch_json(transport, ApiRequest::get_member(id)?, "Member")
            .await
    }

    /// `GET /api/v2/teams/{teamKey}?expand=roles,roleAttributes`.
    pub async fn get_team<X: Transport>(&self, transport: &X, key: &str) -> Result<Team, ApiError> {
        self.fetch_json(transport, ApiRequest::get_team(key)?, "Team")
            .await
    }

    /// Every custom role the caller can list, page by page.
    async fn all_roles<X: Transport>(&self, transport: &X) -> Result<Vec<CustomRole>, ApiError> {
        let mut roles = Vec::new();
        let mut params = RoleListParams::default();
        for _ in 0..MAX_ROLE_PAGES {
            let page = self.list_roles(transport, &params).await?;
            let got = page.items.len() as u64;
            roles.extend(page.items);
            let seen = params.offset.unwrap_or(0) + got;
            let at_end = match page.total_count {
                Some(total) => seen >= total,
                None => true,
            };
            if got == 0 || at_end {
                break;
            }
            params.offset = Some(seen);
        }
        Ok(roles)
    }

    /// Resolves the calling token: identity → token → creator → the creator's teams → the custom roles of
    /// the token, the creator and those teams.
    ///
    /// Identity and token failures reject. A creator, team or role the caller may not read (403/404) is left
    /// out, so the principal's affected decisions come back `indeterminate` instead of the whole call failing.
    pub async fn principal_parts<X: Transport>(
        &self,
        transport: &X,
    ) -> Result<PrincipalParts, ApiError> {
        let identity = self.caller_identity(transport).await?;
        let token_id = identity.token_id.clone().ok_or_else(|| {
            ApiError::unexpected_response(200, "The caller identity names no tokenId")
        })?;
        let token = self.get(transport, &token_id).await?;
        let member_request = ApiRequest::get_member_with_role_attributes(&token.member_id)?;
        let member = match self
            .fetch_json::<Member, X>(transport, member_request, "Member")
            .await
        {
            Ok(member) => Some(member),
            Err(e) if is_not_visible(&e) => None,
            Err(e) => return Err(e),
        };
        let mut teams = Vec::new();
        for summary in member.iter().flat_map(|m| m.teams.iter().flatten()) {
            match self.get_team(transport, &summary.key).await {
                Ok(team) => teams.push(team),
                Err(e) if is_not_visible(&e) => {}
                Err(e) => return Err(e),
            }
        }
        let mut wanted: Vec<String> = token.custom_role_ids.clone().unwrap_or_default();
        if let Some(member) = &member {
            wanted.extend(member.custom_roles.iter().cloned());
            for summary in member.teams.iter().flatten() {
                wanted.extend(summary.custom_role_keys.iter().cloned());
            }
        }
        for team in &teams {
            wanted.extend(team.role_keys().into_iter().flatten().map(str::to_owned));
        }
        wanted.sort_unstable();
        wanted.dedup();
        // Every role the caller can list (a superset is fine, and lets a create naming any role be checked),
        // then any referenced role the list did not show, by id.
        let mut roles = match self.all_roles(transport).await {
            Ok(all) => all,
            Err(e) if is_not_visible(&e) => Vec::new(),
            Err(e) => return Err(e),
        };
        for id in &wanted {
            if roles.iter().any(|r| r.id == *id || r.key == *id) {
                continue;
            }
            match self.get_role(transport, id).await {
                Ok(role) => roles.push(role),
                Err(e) if is_not_visible(&e) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(PrincipalParts {
            identity,
            token,
            member,
            teams,
            roles,
        })
    }
}
