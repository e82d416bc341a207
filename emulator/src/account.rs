//! The emulated account in memory: members, custom roles, teams, tokens (kept in list order) and the
//! secrets that authenticate them.

use crate::secrets::{hash_secret, SecretEntry, SecretHash, SecretIndex};
use std::collections::HashMap;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Arc, RwLock};
use tokengate::Principal;
use tokengate::{CustomRole, Member, Secret, Team, Token};

/// What the server keeps about a token beyond its wire form.
#[derive(Debug)]
pub struct TokenMeta {
    /// Hash of the current secret.
    pub secret_hash: SecretHash,
    /// For a service token, its creator as they were when it was made (the cap that never changes).
    pub creator_snapshot: Option<Member>,
    /// Bumped on every change; sent as the `ETag`, checked against `If-Match`.
    pub version: u64,
    /// Last REST use, epoch ms (0 = never). Atomic so that reads can stamp it under a shared lock.
    pub last_used: AtomicI64,
    /// The `last_used` value last written to disk, so the periodic flush writes only what changed.
    pub last_used_saved: AtomicI64,
}

impl TokenMeta {
    /// Meta for a token whose secret hashes to `secret_hash`.
    pub fn new(secret_hash: SecretHash, creator_snapshot: Option<Member>) -> Self {
        TokenMeta {
            secret_hash,
            creator_snapshot,
            version: 1,
            last_used: AtomicI64::new(0),
            last_used_saved: AtomicI64::new(0),
        }
    }

    /// `lastUsed` as the wire shows it.
    pub fn last_used(&self) -> Option<i64> {
        match self.last_used.load(Ordering::Relaxed) {
            0 => None,
            at => Some(at),
        }
    }
}

/// The account: the single source of truth the handlers read and the store mutates.
pub struct Account {
    pub account_id: String,
    pub owner_id: String,
    members: HashMap<String, Member>,
    roles: Vec<CustomRole>,
    /// Teams, each with its roles and role attributes (expanded; a response leaves out what was not asked).
    teams: Vec<Team>,
    /// Sorted by (`creationDate`, `_id`), the list order; `meta` runs parallel to it.
    tokens: Vec<Token>,
    meta: Vec<TokenMeta>,
    index: HashMap<String, usize>,
    secrets: SecretIndex,
    /// Callers' principals (their roles compiled), reused across requests. A principal depends on its
    /// token, its member, the roles and teams; every token mutation clears the cache (members, roles and teams
    /// never change while the emulator runs).
    principals: RwLock<HashMap<String, Arc<Principal>>>,
}

impl Account {
    /// An account with members and roles and no tokens yet.
    pub fn new(
        account_id: String,
        owner_id: String,
        members: Vec<Member>,
        roles: Vec<CustomRole>,
    ) -> Self {
        Account {
            account_id,
            owner_id,
            members: members.into_iter().map(|m| (m.id.clone(), m)).collect(),
            roles,
            teams: Vec::new(),
            tokens: Vec::new(),
            meta: Vec::new(),
            index: HashMap::new(),
            secrets: SecretIndex::default(),
            principals: RwLock::new(HashMap::new()),
        }
    }

    /// A member by id.
    pub fn member(&self, id: &str) -> Option<&Member> {
        self.members.get(id)
    }

    /// Every member, in no particular order.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.members.values()
    }

    /// Custom roles, in account order.
    pub fn roles(&self) -> &[CustomRole] {
        &self.roles
    }

    /// A custom role by key or id.
    pub fn role(&self, key_or_id: &str) -> Option<&CustomRole> {
        self.roles
            .iter()
            .find(|r| r.key == key_or_id)
            .or_else(|| self.roles.iter().find(|r| r.id == key_or_id))
    }

    /// Gives the account its teams (members name theirs in `Member.teams`).
    pub fn set_teams(&mut self, teams: Vec<Team>) {
        self.forget_principals();
        self.teams = teams;
    }

    /// Teams, in account order.
    pub fn teams(&self) -> &[Team] {
        &self.teams
    }

    /// A team by key.
    pub fn team(&self, key: &str) -> Option<&Team> {
        self.teams.iter().find(|t| t.key == key)
    }

    /// Tokens in list order.
    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// The position of a token in list order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.index.get(id).copied()
    }

    /// A token and its meta by position.
    pub fn entry(&self, position: usize) -> (&Token, &TokenMeta) {
        (&self.tokens[position], &self.meta[position])
    }

    /// A token and its meta by id.
    pub fn token(&self, id: &str) -> Option<(&Token, &TokenMeta)> {
        self.position(id).map(|p| self.entry(p))
    }

    /// Tokens and their meta, in list order.
    pub fn entries(&self) -> impl Iterator<Item = (&Token, &TokenMeta)> {
        self.tokens.iter().zip(self.meta.iter())
    }

    /// How many service tokens exist.
    pub fn service_token_count(&self) -> usize {
        self.tokens.iter().filter(|t| t.is_service()).count()
    }

    /// The token id a secret authenticates at `now`, if any.
    pub fn authenticate(&self, secret: &str, now: i64) -> Option<&str> {
        self.secrets.find(&hash_secret(secret), now)
    }

    /// Every live secret, for persistence.
    pub fn secret_entries(&self) -> impl Iterator<Item = &SecretEntry> {
        self.secrets.entries()
    }

    /// The cached principal of a token, or the one `build` makes (then cached).
    pub fn principal(&self, token_id: &str, build: impl FnOnce() -> Principal) -> Arc<Principal> {
        let cached = self
            .principals
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(token_id)
            .cloned();
        if let Some(principal) = cached {
            return principal;
        }
        let principal = Arc::new(build());
        self.principals
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .insert(token_id.to_owned(), principal.clone());
        principal
    }

    fn forget_principals(&mut self) {
        self.principals
            .get_mut()
            .unwrap_or_else(|e| e.into_inner())
            .clear();
    }

    /// Adds a token whose current secret hashes to `meta.secret_hash`.
    pub fn insert_token(&mut self, token: Token, meta: TokenMeta) {
        self.forget_principals();
        self.secrets.insert(SecretEntry {
            hash: meta.secret_hash,
            token_id: token.id.clone(),
            expires_at: None,
        });
        let key = (token.creation_date, token.id.as_str());
        let at = self
            .tokens
            .partition_point(|t| (t.creation_date, t.id.as_str()) < key);
        self.tokens.insert(at, token);
        self.meta.insert(at, meta);
        self.reindex_from(at);
    }

    /// Adds an old secret that keeps authenticating its token until `expires_at` (restoring saved state).
    pub fn insert_grace_secret(&mut self, hash: SecretHash, token_id: String, expires_at: i64) {
        self.secrets.insert(SecretEntry {
            hash,
            token_id,
            expires_at: Some(expires_at),
        });
    }

    /// Replaces a token's wire form (after a patch), bumping its version.
    pub fn replace_token(&mut self, position: usize, token: Token) {
        self.forget_principals();
        self.tokens[position] = token;
        self.meta[position].version += 1;
    }

    /// Gives a token a new secret; the old one keeps working until `grace_until` when that is later than
    /// `now`, and stops at once otherwise. Secrets replaced by earlier resets and still in their grace period
    /// stop at once (spec §2, Decision 2026-12-07): only the secret being replaced gets a grace period, so a
    /// token never has more than two working secrets.
    pub fn rotate_secret(
        &mut self,
        position: usize,
        new_secret: &Secret,
        last4: Secret,
        grace_until: Option<i64>,
        now: i64,
    ) {
        let old = self.meta[position].secret_hash;
        let expiry = grace_until.filter(|at| *at > now);
        self.secrets.revoke_grace(&self.tokens[position].id);
        self.secrets.expire(&old, expiry);
        self.secrets.prune(now);
        let hash = hash_secret(new_secret.expose());
        let token_id = self.tokens[position].id.clone();
        self.secrets.insert(SecretEntry {
            hash,
            token_id,
            expires_at: None,
        });
        let meta = &mut self.meta[position];
        meta.secret_hash = hash;
        meta.version += 1;
        let token = &mut self.tokens[position];
        token.token = Some(last4);
        token.last_modified = now.max(token.last_modified);
    }

    /// Removes a token and every secret that authenticated it.
    pub fn remove_token(&mut self, position: usize) -> Token {
        self.forget_principals();
        let token = self.tokens.remove(position);
        self.meta.remove(position);
        self.index.remove(&token.id);
        self.secrets.remove_token(&token.id);
        self.reindex_from(position);
        token
    }

    fn reindex_from(&mut self, from: usize) {
        for (i, t) in self.tokens.iter().enumerate().skip(from) {
            self.index.insert(t.id.clone(), i);
        }
    }
}
