//! Policies compiled for checking: every specifier parsed and every glob built once, so that a check is a
//! handful of comparisons and never allocates.

use super::error::Diagnostic;
use super::glob::{Glob, Key};
use super::matcher::ResourcePattern;
use super::resource::TypeId;
use super::specifier::check_action;
use super::validate::{check_list_pair, ListField};
use super::{BaseRole, PolicyError, Resource, Truth};
use crate::json::{JsonOut, ObjectBuilder, ToJson};
use crate::model::{CustomRole, Effect, RoleAttributes, Statement};
use serde::Serialize;

/// What kind of thing a policy came from, for explanations.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum SourceKind {
    /// A token's own base `role`.
    BaseRole,
    /// A custom role (`customRoleIds`, or a member's custom roles).
    CustomRole,
    /// A token's `inlineRole`.
    InlineRole,
    /// The base role of the member behind a token, capping what the token may do.
    MemberCap,
    /// A custom role a member holds through one of its teams.
    TeamRole,
    /// A member's permission grant: actions on one resource without a role.
    PermissionGrant,
    /// A bare list of statements (for example, a policy being edited).
    Statements,
}

/// Where a policy came from: its kind, key and display name.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PolicySource {
    /// What kind of thing the policy came from.
    pub kind: SourceKind,
    /// Its key: a custom role's key, a base role's wire name, a member id for a member cap, `inline` for an
    /// inline policy.
    pub key: String,
    /// Its name as shown to people.
    pub name: String,
}

impl ToJson for SourceKind {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            SourceKind::BaseRole => "baseRole",
            SourceKind::CustomRole => "customRole",
            SourceKind::InlineRole => "inlineRole",
            SourceKind::MemberCap => "memberCap",
            SourceKind::TeamRole => "teamRole",
            SourceKind::PermissionGrant => "permissionGrant",
            SourceKind::Statements => "statements",
        }
        .write_json(out)
    }
}

impl ToJson for PolicySource {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("kind", &self.kind)
            .field("key", &self.key)
            .field("name", &self.name)
            .end()
    }
}

impl PolicySource {
    /// A source with the given parts.
    pub fn new(kind: SourceKind, key: impl Into<String>, name: impl Into<String>) -> Self {
        PolicySource {
            kind,
            key: key.into(),
            name: name.into(),
        }
    }

    /// A token's own base role.
    pub fn base_role(role: BaseRole) -> Self {
        Self::new(SourceKind::BaseRole, role.as_str(), role.display_name())
    }

    /// The base role of the member `member_id`, as the cap on that member's tokens.
    pub fn member_cap(role: BaseRole, member_id: &str) -> Self {
        Self::new(SourceKind::MemberCap, member_id, role.as_str())
    }

    /// A custom role.
    pub fn custom_role(role: &CustomRole) -> Self {
        Self::new(SourceKind::CustomRole, role.key.clone(), role.name.clone())
    }

    /// A custom role held through the team `team_key` (named `team_name`).
    pub fn team_role(role: &CustomRole, team_key: &str, team_name: &str) -> Self {
        Self::new(
            SourceKind::TeamRole,
            role.key.clone(),
            format!("{} (through team {team_name}, {team_key})", role.name),
        )
    }

    /// The permission grants of the member `member_id`, as one policy of allow statements.
    pub fn permission_grants(member_id: &str) -> Self {
        Self::new(
            SourceKind::PermissionGrant,
            member_id,
            "the member's permission grants",
        )
    }

    /// A token's inline policy.
    pub fn inline() -> Self {
        Self::new(SourceKind::InlineRole, "inline", "Inline policy")
    }

    /// A bare list of statements.
    pub fn statements() -> Self {
        Self::new(SourceKind::Statements, "", "policy")
    }

    /// How explanations name this source: `custom role "Token managers" (token-managers)`, `inline policy`...
    pub fn describe(&self) -> String {
        match self.kind {
            SourceKind::BaseRole => format!("base role \"{}\"", self.key),
            SourceKind::CustomRole => format!("custom role \"{}\" ({})", self.name, self.key),
            SourceKind::InlineRole => "inline policy".to_string(),
            SourceKind::MemberCap => format!("the member's base role \"{}\"", self.name),
            SourceKind::TeamRole => format!("custom role \"{}\" ({})", self.name, self.key),
            SourceKind::PermissionGrant => "the member's permission grants".to_string(),
            SourceKind::Statements => "policy".to_string(),
        }
    }
}

/// The result of checking one policy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PolicyOutcome {
    /// An `allow` matched and no `deny` did.
    Allowed,
    /// A `deny` matched (whatever else did).
    Denied,
    /// Nothing matched: denied by default.
    NoMatch,
    /// Whether it allows depends on a property or view the resource does not state.
    Unknown,
}

/// The action the view rule asks for: viewing a project is required to act on anything in it.
pub(crate) const VIEW_PROJECT: &str = "viewProject";

/// Whether an action is a view action (its name begins with `view`), which the view rule does not restrict.
#[inline]
pub(crate) fn is_view_action(action: &str) -> bool {
    action.starts_with("view")
}

/// One statement, compiled.
#[derive(Clone, Debug)]
struct CompiledStatement {
    /// Position in the policy as written, for explanations.
    index: usize,
    resources: Box<[ResourcePattern]>,
    /// Bit `d` set when some entry of `resources` can match a resource of depth `d` (bit 0 stands for every
    /// depth from 32 up). Lets a check skip entries of the wrong depth without looking at them.
    depths: u32,
    /// ORed [`ResourcePattern::last_type_bits`] of `resources`.
    last_types: u64,
    /// `notResources`: matches what none of `resources` matches.
    resources_negated: bool,
    actions: Box<[Glob]>,
    /// ORed [`Glob::prefilter`] masks of `actions`: an action outside them matches none of the globs.
    action_lengths: u64,
    action_first_bytes: u64,
    /// `notActions`: matches what none of `actions` matches.
    actions_negated: bool,
}

impl CompiledStatement {
    /// Whether the statement applies to `action` on the first `depth` segments of `resource`.
    #[inline]
    fn matches(&self, action: &str, action_key: &Key, resource: &Resource, depth: usize) -> Truth {
        // Actions first: they are cheaper to check and rule out most statements.
        if self.matches_action(action, action_key) == self.actions_negated {
            return Truth::No;
        }
        self.matches_resource(resource, depth)
            .negated_if(self.resources_negated)
    }

    /// Whether any entry of the action list matches (before negation).
    #[inline]
    fn matches_action(&self, action: &str, action_key: &Key) -> bool {
        self.action_lengths & action_key.length_bit() != 0
            && self.action_first_bytes & action_key.first_byte_bit() != 0
            && self
                .actions
                .iter()
                .any(|glob| glob.matches_keyed(action, action_key))
    }

    /// Whether any entry of the resource list matches (before negation).
    #[inline]
    fn matches_resource(&self, resource: &Resource, depth: usize) -> Truth {
        if self.depths & depth_bit(depth) == 0 || self.last_types & resource.type_bit_at(depth) == 0
        {
            return Truth::No;
        }
        let mut truth = Truth::No;
        for pattern in self.resources.iter() {
            truth = truth.or(pattern.matches(resource, depth));
            if truth == Truth::Yes {
                break;
            }
        }
        truth
    }

    /// What the resource leaves out that this statement's resource list asks about.
    fn unstated(&self, resource: &Resource, depth: usize, out: &mut Vec<String>) {
        for pattern in self.resources.iter() {
            if pattern.matches(resource, depth) == Truth::Unknown {
                pattern.unstated(resource, depth, out);
            }
        }
    }
}

/// A policy ready for checking. Statements are kept split by effect, so that a deny is found before any allow
/// is looked at; the order they were written in never matters.
#[derive(Clone, Debug)]
pub struct CompiledPolicy {
    source: PolicySource,
    statements: Vec<Statement>,
    denies: Box<[CompiledStatement]>,
    allows: Box<[CompiledStatement]>,
    /// ORed action prefilters of every allow (every bit for a `notActions` allow): an action outside them is
    /// allowed by nothing in this policy.
    allow_lengths: u64,
    allow_first_bytes: u64,
    /// Whether this policy allows `viewProject` on every project for certain: an allow of it on `proj/*` (or
    /// `*`), and no deny that could match `viewProject` on a project.
    views_every_project: bool,
}

impl CompiledPolicy {
    /// Compiles `statements`, expanding `${roleAttribute/key}` from `attrs`. Every problem is reported in the
    /// error's `diagnostics` (only errors; warnings do not stop compilation: see `validate_statements`).
    pub fn compile(
        source: PolicySource,
        statements: &[Statement],
        attrs: &RoleAttributes,
    ) -> Result<CompiledPolicy, PolicyError> {
        let mut diagnostics = Vec::new();
        let mut denies = Vec::new();
        let mut allows = Vec::new();
        for (index, statement) in statements.iter().enumerate() {
            if let Some(compiled) = compile_statement(index, statement, attrs, &mut diagnostics) {
                match statement.effect {
                    Effect::Deny => denies.push(compiled),
                    Effect::Allow => allows.push(compiled),
                }
            }
        }
        if !diagnostics.is_empty() {
            return Err(PolicyError::InvalidPolicy {
                source: source.describe(),
                diagnostics,
            });
        }
        let (allow_lengths, allow_first_bytes) =
            allows
                .iter()
                .fold((0, 0), |(lengths, firsts), s: &CompiledStatement| {
                    if s.actions_negated {
                        // `notActions` can match any action, whatever its list holds.
                        (u64::MAX, u64::MAX)
                    } else {
                        (lengths | s.action_lengths, firsts | s.action_first_bytes)
                    }
                });
        let view_key = Key::of(VIEW_PROJECT);
        let views_every_project = allows.iter().any(|s| {
            s.matches_action(VIEW_PROJECT, &view_key) != s.actions_negated
                && !s.resources_negated
                && s.resources
                    .iter()
                    .any(ResourcePattern::covers_every_project)
        }) && denies.iter().all(|s| {
            // A deny touches viewing a project only if it covers the action and can match a project
            // (a resource of depth 1 of type `proj`, or anything when negated).
            s.matches_action(VIEW_PROJECT, &view_key) == s.actions_negated
                || (!s.resources_negated
                    && (s.depths & depth_bit(1) == 0 || s.last_types & TypeId::PROJ.bit() == 0))
        });
        Ok(CompiledPolicy {
            views_every_project,
            source,
            statements: statements.to_vec(),
            denies: denies.into(),
            allows: allows.into(),
            allow_lengths,
            allow_first_bytes,
        })
    }

    /// Checks one action on one resource: a matching deny beats any matching allow; nothing matching is
    /// `NoMatch`. Allocation-free.
    #[inline]
    pub fn outcome(&self, action: &str, resource: &Resource) -> PolicyOutcome {
        self.outcome_keyed(action, &Key::of(action), resource)
    }

    #[inline]
    fn outcome_keyed(&self, action: &str, action_key: &Key, resource: &Resource) -> PolicyOutcome {
        let depth = resource.depth();
        let deny = any_matches(&self.denies, action, action_key, resource, depth);
        if deny == Truth::Yes {
            return PolicyOutcome::Denied;
        }
        match any_matches(&self.allows, action, action_key, resource, depth).and(deny.negate()) {
            Truth::Yes => PolicyOutcome::Allowed,
            Truth::Unknown => PolicyOutcome::Unknown,
            Truth::No if deny == Truth::Unknown => PolicyOutcome::Unknown,
            Truth::No => PolicyOutcome::NoMatch,
        }
    }

    /// Whether this policy allows `action` on the first `depth` segments of `resource`: some allow matches
    /// and no deny does. Allows are consulted first, because most checks match no allow of a given policy, and
    /// then its denies need not be looked at at all. An allow that may match, or a deny that may, makes the
    /// answer unknown; a deny never becomes an allow.
    #[inline]
    fn allows_keyed(
        &self,
        action: &str,
        action_key: &Key,
        resource: &Resource,
        depth: usize,
    ) -> Truth {
        if self.allow_lengths & action_key.length_bit() == 0
            || self.allow_first_bytes & action_key.first_byte_bit() == 0
        {
            return Truth::No;
        }
        let allow = any_matches(&self.allows, action, action_key, resource, depth);
        if allow == Truth::No {
            return Truth::No;
        }
        allow.and(any_matches(&self.denies, action, action_key, resource, depth).negate())
    }

    /// Every statement that matches or may match, as (index as written, effect, whether it matches for
    /// certain), in written order: for explanations.
    pub fn matching_statements(
        &self,
        action: &str,
        resource: &Resource,
    ) -> Vec<(usize, Effect, Truth)> {
        self.matching_statements_at(action, resource, resource.depth())
    }

    pub(crate) fn matching_statements_at(
        &self,
        action: &str,
        resource: &Resource,
        depth: usize,
    ) -> Vec<(usize, Effect, Truth)> {
        let key = Key::of(action);
        // One slot per statement as written, so the result comes out in written order without a sort.
        let mut by_index = vec![None; self.statements.len()];
        for (statements, effect) in [(&self.denies, Effect::Deny), (&self.allows, Effect::Allow)] {
            for statement in statements.iter() {
                let truth = statement.matches(action, &key, resource, depth);
                if truth != Truth::No {
                    by_index[statement.index] = Some((effect, truth));
                }
            }
        }
        by_index
            .into_iter()
            .enumerate()
            .filter_map(|(index, hit)| hit.map(|(effect, truth)| (index, effect, truth)))
            .collect()
    }

    /// What the resource leaves out that the statements which may match `action` ask about.
    pub(crate) fn unstated(
        &self,
        action: &str,
        resource: &Resource,
        depth: usize,
        out: &mut Vec<String>,
    ) {
        let key = Key::of(action);
        for statement in self.denies.iter().chain(self.allows.iter()) {
            if statement.matches(action, &key, resource, depth) == Truth::Unknown {
                statement.unstated(resource, depth, out);
            }
        }
    }

    /// Every action glob of the policy (`actions` and `notActions` alike), for analyses of the policy.
    pub(crate) fn action_globs(&self) -> impl Iterator<Item = &Glob> + '_ {
        self.denies
            .iter()
            .chain(self.allows.iter())
            .flat_map(|statement| statement.actions.iter())
    }

    /// Every resource pattern of the policy (`resources` and `notResources` alike).
    pub(crate) fn resource_patterns(&self) -> impl Iterator<Item = &ResourcePattern> + '_ {
        self.denies
            .iter()
            .chain(self.allows.iter())
            .flat_map(|statement| statement.resources.iter())
    }

    /// Where the policy came from.
    pub fn source(&self) -> &PolicySource {
        &self.source
    }

    /// The statements as written (before role attributes were expanded).
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

fn compile_statement(
    index: usize,
    statement: &Statement,
    attrs: &RoleAttributes,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<CompiledStatement> {
    let before = diagnostics.len();
    let resources = check_list_pair(
        index,
        ListField::from_option("resources", statement.resources.as_ref()),
        ListField::from_option("notResources", statement.not_resources.as_ref()),
        diagnostics,
    );
    let actions = check_list_pair(
        index,
        ListField::from_option("actions", statement.actions.as_ref()),
        ListField::from_option("notActions", statement.not_actions.as_ref()),
        diagnostics,
    );
    let (resource_field, resources_negated, resource_specs) = resources?;
    let (action_field, actions_negated, action_specs) = actions?;
    let mut patterns = Vec::with_capacity(resource_specs.len());
    for (j, spec) in resource_specs.iter().enumerate() {
        match ResourcePattern::compile(spec, attrs) {
            Ok(pattern) => patterns.push(pattern),
            Err(err) => diagnostics.push(Diagnostic::specifier(
                format!("/{index}/{resource_field}/{j}"),
                &err,
            )),
        }
    }
    let mut globs = Vec::with_capacity(action_specs.len());
    for (j, action) in action_specs.iter().enumerate() {
        match check_action(action) {
            Ok(()) => globs.push(Glob::new(action)),
            Err(err) => diagnostics.push(Diagnostic::specifier(
                format!("/{index}/{action_field}/{j}"),
                &err,
            )),
        }
    }
    if diagnostics.len() > before {
        return None;
    }
    let depths = patterns.iter().fold(0, |mask, pattern| {
        mask | pattern.depth().map_or(u32::MAX, depth_bit)
    });
    let last_types = patterns
        .iter()
        .fold(0, |mask, pattern| mask | pattern.last_type_bits());
    let (action_lengths, action_first_bytes) =
        globs.iter().fold((0, 0), |(lengths, firsts), glob| {
            let (l, f) = glob.prefilter();
            (lengths | l, firsts | f)
        });
    Some(CompiledStatement {
        index,
        depths,
        last_types,
        action_lengths,
        action_first_bytes,
        resources: patterns.into(),
        resources_negated,
        actions: globs.into(),
        actions_negated,
    })
}

/// Whether any of `statements` matches: the OR of their answers, stopping at the first certain match.
#[inline]
fn any_matches(
    statements: &[CompiledStatement],
    action: &str,
    action_key: &Key,
    resource: &Resource,
    depth: usize,
) -> Truth {
    let mut truth = Truth::No;
    for statement in statements {
        truth = truth.or(statement.matches(action, action_key, resource, depth));
        if truth == Truth::Yes {
            break;
        }
    }
    truth
}

/// The bit of [`CompiledStatement::depths`] for resources of `depth` segments.
#[inline]
fn depth_bit(depth: usize) -> u32 {
    if depth < 32 {
        1 << depth
    } else {
        1
    }
}

/// Several policies held at once (a token's roles, a member's roles): permissions add up. Something is
/// allowed when any one policy allows it; a deny in one policy does not cancel another's allow.
#[derive(Clone, Debug, Default)]
pub struct PolicySet {
    policies: Vec<CompiledPolicy>,
    /// Some policy views every project for certain, so the view rule never refuses.
    views_every_project: bool,
}

impl PolicySet {
    /// A set of policies held together.
    pub fn new(policies: Vec<CompiledPolicy>) -> Self {
        let views_every_project = policies.iter().any(|p| p.views_every_project);
        PolicySet {
            policies,
            views_every_project,
        }
    }

    /// Adds one more policy.
    pub fn push(&mut self, policy: CompiledPolicy) {
        self.views_every_project |= policy.views_every_project;
        self.policies.push(policy);
    }

    /// The policies, in the order given.
    pub fn policies(&self) -> &[CompiledPolicy] {
        &self.policies
    }

    /// Whether `action` on `resource` is certainly allowed. Allocation-free.
    #[inline]
    pub fn is_allowed(&self, action: &str, resource: &Resource) -> bool {
        self.truth(action, resource) == Truth::Yes
    }

    /// Whether `action` on `resource` is allowed: some policy allows it, and, for anything but a view action
    /// on a resource in a project, some policy allows `viewProject` on that project (the view rule).
    /// `Unknown` when the answer depends on a property or view the resource does not state. Allocation-free.
    #[inline]
    pub fn truth(&self, action: &str, resource: &Resource) -> Truth {
        let allowed = self.allows_at(action, &Key::of(action), resource, resource.depth());
        if allowed == Truth::No || !view_rule_applies(action, resource) {
            return allowed;
        }
        allowed.and(self.project_view(resource))
    }

    /// Whether any policy allows `action` on the first `depth` segments of `resource` (no view rule).
    #[inline]
    pub(crate) fn allows_at(
        &self,
        action: &str,
        key: &Key,
        resource: &Resource,
        depth: usize,
    ) -> Truth {
        let mut truth = Truth::No;
        for policy in &self.policies {
            truth = truth.or(policy.allows_keyed(action, key, resource, depth));
            if truth == Truth::Yes {
                break;
            }
        }
        truth
    }

    /// [`PolicySet::allows_at`], keying the action itself.
    pub(crate) fn allows_at_depth(&self, action: &str, resource: &Resource, depth: usize) -> Truth {
        self.allows_at(action, &Key::of(action), resource, depth)
    }

    /// Whether the holder may view the project `resource` lies in (its first segment, as written).
    #[inline]
    pub(crate) fn project_view(&self, resource: &Resource) -> Truth {
        if self.views_every_project {
            return Truth::Yes;
        }
        self.allows_at(VIEW_PROJECT, &Key::of(VIEW_PROJECT), resource, 1)
    }
}

/// Whether the view rule restricts `action` on `resource`: "if a member cannot view a resource, they also
/// cannot modify it in any way" (LaunchDarkly's docs, "Creating private projects with custom roles",
/// https://launchdarkly.com/docs/home/account/private-projects), read as: anything but a view action on a
/// resource under `proj/<key>` also needs `viewProject` on `proj/<key>`.
#[inline]
pub(crate) fn view_rule_applies(action: &str, resource: &Resource) -> bool {
    !is_view_action(action) && resource.is_in_project()
}
