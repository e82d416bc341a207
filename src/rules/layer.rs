//! One layer of a token's permission: the token's own roles, or the cap its creator puts on it. The two are
//! kept apart so that an explanation can say which layer refused.

use crate::model::{
    AccessTokenPost, CustomRole, Effect, Member, MemberTeamSummary, RoleAttributes, Statement,
    Team, Token,
};
use crate::policy::{
    base_permissions_policy, role_statements, view_rule_applies, BaseRole, ComparedSide,
    CompiledPolicy, Decision, DecisionEffect, PolicyError, PolicySet, PolicySource, Resource,
    Truth,
};

use super::validity::find_custom_role;

/// What one layer answers about an (action, resource), in [`Truth`] (`Unknown` when a role, team or action
/// set it refers to was not supplied, or the resource leaves out what the answer depends on), with the
/// decision that explains it.
pub(crate) struct LayerDecision {
    pub truth: Truth,
    pub decision: Decision,
}

/// The policies of one layer, what is missing from it, and how explanations name it.
#[derive(Clone, Debug)]
pub(crate) struct Layer {
    set: PolicySet,
    /// Keys or ids of roles that were referenced but not supplied, or could not be compiled.
    missing: Vec<String>,
    /// One phrase per missing entry, for explanations.
    missing_notes: Vec<String>,
    /// Roles that were supplied but failed to compile.
    problems: Vec<PolicyError>,
    /// Grants of named action sets, whose actions LaunchDarkly does not publish: each makes unknown only the
    /// answers it could change, on its own resource.
    gaps: Vec<ActionSetGap>,
    /// `the token's role "admin"`, `its creator ada@example.com (writer)`.
    label: String,
    /// A creator's base role that its directly assigned roles replace (spec §4), kept only to say so when
    /// it would have allowed what the cap refuses.
    replaced_base: Option<ReplacedBase>,
}

/// A member's base role that is not in effect, because roles assigned to the member directly replace it.
#[derive(Clone, Debug)]
struct ReplacedBase {
    role: BaseRole,
    /// The base role's row as the member's policy (spec §4's table): what it would allow.
    set: PolicySet,
}

/// A permission grant of a named action set: it may allow any action on its resource.
#[derive(Clone, Debug)]
struct ActionSetGap {
    /// `allow *` on the grant's resource: where the set could reach.
    reach: PolicySet,
    /// `actionSet/<name>`.
    key: String,
    note: String,
}

impl ActionSetGap {
    /// Whether the set could change the answer for `action` on `resource`: it could allow the action there,
    /// or, where the view rule applies, allow viewing the project.
    fn could_change(&self, action: &str, resource: &Resource) -> bool {
        self.reach
            .allows_at_depth(action, resource, resource.depth())
            != Truth::No
            || (view_rule_applies(action, resource)
                && self.reach.project_view(resource) != Truth::No)
    }
}

impl Layer {
    pub fn label(&self) -> &str {
        &self.label
    }

    pub fn missing(&self) -> &[String] {
        &self.missing
    }

    pub fn missing_notes(&self) -> &[String] {
        &self.missing_notes
    }

    /// What is missing that could change the answer for `action` on `resource`: every missing role, and
    /// the action sets whose grants reach the resource.
    pub fn missing_for(&self, action: &str, resource: &Resource) -> Vec<String> {
        let mut keys = self.missing.clone();
        keys.extend(self.gaps_for(action, resource).map(|gap| gap.key.clone()));
        keys
    }

    /// The phrases of [`Layer::missing_for`].
    pub fn missing_notes_for(&self, action: &str, resource: &Resource) -> Vec<String> {
        let mut notes = self.missing_notes.clone();
        notes.extend(self.gaps_for(action, resource).map(|gap| gap.note.clone()));
        notes
    }

    fn gaps_for<'s>(
        &'s self,
        action: &'s str,
        resource: &'s Resource,
    ) -> impl Iterator<Item = &'s ActionSetGap> + 's {
        self.gaps
            .iter()
            .filter(move |gap| gap.could_change(action, resource))
    }

    /// Whether anything missing could change the answer.
    fn anything_missing_for(&self, action: &str, resource: &Resource) -> bool {
        !self.missing.is_empty() || self.gaps_for(action, resource).next().is_some()
    }

    pub fn problems(&self) -> &[PolicyError] {
        &self.problems
    }

    /// The creator's base role, when roles assigned to the member directly replace it and it would have
    /// allowed `action` on `resource`: what an explanation names when the cap refuses.
    pub fn replaced_base_allowing(&self, action: &str, resource: &Resource) -> Option<BaseRole> {
        self.replaced_base
            .as_ref()
            .filter(|base| base.set.truth(action, resource) == Truth::Yes)
            .map(|base| base.role)
    }

    /// Everything missing from this layer: roles and teams not supplied, and action sets whose contents are
    /// not published.
    pub fn all_missing(&self) -> impl Iterator<Item = &String> + '_ {
        self.missing
            .iter()
            .chain(self.gaps.iter().map(|gap| &gap.key))
    }

    /// Checks `action` on `resource` against this layer alone.
    pub fn decide(&self, action: &str, resource: &Resource) -> LayerDecision {
        let decision = self.set.decide(action, resource);
        let truth = if decision.allowed {
            Truth::Yes
        } else if decision.indeterminate || self.anything_missing_for(action, resource) {
            Truth::Unknown
        } else {
            Truth::No
        };
        LayerDecision { truth, decision }
    }

    /// Alloc-free form of [`Layer::decide`] for filters.
    pub fn truth(&self, action: &str, resource: &Resource) -> Truth {
        self.truth_of(self.set.truth(action, resource), action, resource)
    }

    /// A layer's truth from its policies' answer: a missing role can turn a "no" into a "maybe", never the
    /// reverse.
    fn truth_of(&self, truth: Truth, action: &str, resource: &Resource) -> Truth {
        match truth {
            Truth::Yes => Truth::Yes,
            Truth::Unknown => Truth::Unknown,
            Truth::No if self.anything_missing_for(action, resource) => Truth::Unknown,
            Truth::No => Truth::No,
        }
    }

    /// [`Layer::truth`] with the effect [`Layer::decide`]'s decision would carry (`Allow`; `Deny` when a
    /// matching `deny` refused; else `DefaultDeny`), still without allocating.
    pub fn truth_and_effect(&self, action: &str, resource: &Resource) -> (Truth, DecisionEffect) {
        let truth = self.truth_of(self.set.truth(action, resource), action, resource);
        if truth == Truth::Yes {
            return (truth, DecisionEffect::Allow);
        }
        (truth, self.set.refusal_effect(action, resource))
    }

    pub(crate) fn empty(label: String) -> Self {
        Layer {
            set: PolicySet::default(),
            missing: Vec::new(),
            missing_notes: Vec::new(),
            problems: Vec::new(),
            gaps: Vec::new(),
            label,
            replaced_base: None,
        }
    }

    fn add(
        &mut self,
        source: PolicySource,
        statements: &[crate::model::Statement],
        attrs: &RoleAttributes,
    ) {
        match CompiledPolicy::compile(source.clone(), statements, attrs) {
            Ok(policy) => self.set.push(policy),
            Err(err) => {
                self.missing.push(source.key.clone());
                self.missing_notes.push(format!(
                    "{} could not be read ({})",
                    source.describe(),
                    err
                ));
                self.problems.push(err);
            }
        }
    }

    /// Adds a custom role (with what its `basePermissions` add), or notes it as missing.
    fn add_custom_role(&mut self, id: &str, roles: &[CustomRole], attrs: &RoleAttributes) {
        match find_custom_role(roles, id) {
            Some(role) => {
                self.add(
                    PolicySource::custom_role(role),
                    &role_statements(role),
                    attrs,
                );
            }
            None => {
                self.missing.push(id.to_string());
                self.missing_notes
                    .push(format!("custom role \"{id}\" was not supplied"));
            }
        }
    }
}

/// Which permissions a token holds, read in one order wherever it matters: its `role`, else its custom roles,
/// else its inline policy; a token with none of them is a reader token (as a create without any of them makes).
pub(crate) enum OwnPermissions<'a> {
    Role(&'a str),
    CustomRoles(&'a [String]),
    Inline(&'a [Statement]),
    DefaultReader,
}

pub(crate) fn own_permissions(token: &Token) -> OwnPermissions<'_> {
    if let Some(role) = &token.role {
        OwnPermissions::Role(role)
    } else if let Some(ids) = token.custom_role_ids.as_ref().filter(|ids| !ids.is_empty()) {
        OwnPermissions::CustomRoles(ids)
    } else if let Some(statements) = token.inline_role.as_ref().filter(|s| !s.is_empty()) {
        OwnPermissions::Inline(statements)
    } else {
        OwnPermissions::DefaultReader
    }
}

/// What a create asks for, read in the same order as [`own_permissions`].
pub(crate) fn asked_permissions(body: &AccessTokenPost) -> OwnPermissions<'_> {
    if let Some(role) = &body.role {
        OwnPermissions::Role(role)
    } else if let Some(ids) = body.custom_roles_asked() {
        OwnPermissions::CustomRoles(ids)
    } else if let Some(statements) = body.inline_role_asked() {
        OwnPermissions::Inline(statements)
    } else {
        OwnPermissions::DefaultReader
    }
}

/// The token's own roles, as [`own_permissions`] reads them.
pub(crate) fn own_layer(token: &Token, roles: &[CustomRole], attrs: &RoleAttributes) -> Layer {
    permissions_layer(own_permissions(token), roles, attrs)
}

/// The layer of a token's own permissions, read already.
pub(crate) fn permissions_layer(
    permissions: OwnPermissions<'_>,
    roles: &[CustomRole],
    attrs: &RoleAttributes,
) -> Layer {
    match permissions {
        OwnPermissions::Role(role) => {
            let mut layer = Layer::empty(format!("the token's role \"{role}\""));
            match BaseRole::parse(role) {
                Some(base) => layer.add(PolicySource::base_role(base), &base.token_policy(), attrs),
                // An unknown role grants nothing; it cannot come from the API, which accepts only the three.
                None => {
                    layer.label = format!(
                        "the token's role \"{role}\" (not a known role, so it grants nothing)"
                    )
                }
            }
            layer
        }
        OwnPermissions::CustomRoles(ids) => {
            let names: Vec<String> = ids
                .iter()
                .map(|id| {
                    find_custom_role(roles, id)
                        .map_or_else(|| format!("\"{id}\""), |role| format!("\"{}\"", role.key))
                })
                .collect();
            let noun = if ids.len() == 1 {
                "custom role"
            } else {
                "custom roles"
            };
            let mut layer = Layer::empty(format!("the token's {noun} {}", names.join(", ")));
            for id in ids {
                layer.add_custom_role(id, roles, attrs);
            }
            layer
        }
        OwnPermissions::Inline(statements) => {
            let mut layer = Layer::empty("the token's inline policy".to_string());
            layer.add(PolicySource::inline(), statements, attrs);
            layer
        }
        OwnPermissions::DefaultReader => {
            let mut layer = Layer::empty("the token's role \"reader\" (the default)".to_string());
            let reader = BaseRole::Reader;
            layer.add(
                PolicySource::base_role(reader),
                &reader.token_policy(),
                attrs,
            );
            layer
        }
    }
}

/// The base role a member holds **in effect** (spec §3 and §4): its base `role`, unless roles are assigned to
/// it directly (`customRoles`, custom or preset roles alike), which replace it. Team roles never replace it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MemberBaseRole {
    /// The member's base role is in effect: it has no directly assigned roles.
    InEffect(BaseRole),
    /// The member's base role is replaced by the roles assigned to it directly.
    Replaced(BaseRole),
    /// The member's `role` is none of LaunchDarkly's base roles, so it allows nothing.
    Unknown,
}

impl MemberBaseRole {
    /// Reads `member`'s base role and whether its directly assigned roles replace it.
    pub fn of(member: &Member) -> MemberBaseRole {
        match BaseRole::parse(&member.role) {
            Some(base) if member.custom_roles.is_empty() => MemberBaseRole::InEffect(base),
            Some(base) => MemberBaseRole::Replaced(base),
            None => MemberBaseRole::Unknown,
        }
    }

    /// The base role in effect, if any.
    pub fn in_effect(self) -> Option<BaseRole> {
        match self {
            MemberBaseRole::InEffect(base) => Some(base),
            _ => None,
        }
    }

    /// The member's base role as written, in effect or not.
    pub fn written(self) -> Option<BaseRole> {
        match self {
            MemberBaseRole::InEffect(base) | MemberBaseRole::Replaced(base) => Some(base),
            MemberBaseRole::Unknown => None,
        }
    }
}

/// The cap: the creator's directly assigned roles if it has any, else its base role (as a member, with the
/// rights on its own tokens); plus the roles its teams grant and its permission grants (spec §4: "If a member
/// has one or more custom or preset roles, they replace their built-in role. Team Roles always add on top").
/// Without the member, the cap is unknown, and so is every answer the token's own roles allow.
///
/// The member's own role attributes fill the roles assigned to it directly (and its grants); a team's role
/// attributes fill the roles that team grants (spec §4).
pub(crate) fn cap_layer(
    token: &Token,
    member: Option<&Member>,
    roles: &[CustomRole],
    teams: &[Team],
) -> Layer {
    let Some(member) = member else {
        let mut layer = Layer::empty(format!("its creator (member {})", token.member_id));
        layer.note_missing(
            format!("member/{}", token.member_id),
            format!("the creator, member {}, was not supplied", token.member_id),
        );
        return layer;
    };
    let attrs = member.role_attributes.clone().unwrap_or_default();
    let mut layer = Layer::empty(cap_label(member, roles));
    match MemberBaseRole::of(member) {
        MemberBaseRole::InEffect(base) => layer.add(
            PolicySource::member_cap(base, &member.id),
            &base.member_policy(&member.id),
            &attrs,
        ),
        MemberBaseRole::Replaced(base) => {
            let row = CompiledPolicy::compile(
                PolicySource::member_cap(base, &member.id),
                &base.member_policy(&member.id),
                &attrs,
            );
            // The base-role rows compile for any member id that parses; one that does not reaches nothing.
            layer.replaced_base = row.ok().map(|policy| ReplacedBase {
                role: base,
                set: PolicySet::new(vec![policy]),
            });
        }
        MemberBaseRole::Unknown => layer
            .label
            .push_str(" (not a known base role, so it allows nothing)"),
    }
    for id in &member.custom_roles {
        layer.add_custom_role(id, roles, &attrs);
    }
    for summary in member.teams.iter().flatten() {
        layer.add_team(summary, roles, teams);
    }
    layer.add_permission_grants(member, &attrs);
    layer
}

/// `its creator ada@example.com (writer with teams mobile; permission grants)`, or, when roles assigned to
/// the member directly replace its base role, `its creator ada@example.com (custom roles a, b in place of base
/// role writer; teams mobile)`.
fn cap_label(member: &Member, roles: &[CustomRole]) -> String {
    let mut parts = Vec::new();
    let team_keys: Vec<&str> = member
        .teams
        .iter()
        .flatten()
        .map(|t| t.key.as_str())
        .collect();
    if !team_keys.is_empty() {
        parts.push(format!("teams {}", team_keys.join(", ")));
    }
    if member
        .permission_grants
        .as_ref()
        .is_some_and(|g| !g.is_empty())
    {
        parts.push("permission grants".to_string());
    }
    let mut label = format!("its creator {} (", member.email);
    if member.custom_roles.is_empty() {
        label.push_str(&member.role);
        if !parts.is_empty() {
            label.push_str(" with ");
        }
    } else {
        let keys: Vec<String> = member
            .custom_roles
            .iter()
            .map(|id| {
                find_custom_role(roles, id).map_or_else(|| id.clone(), |role| role.key.clone())
            })
            .collect();
        let noun = if keys.len() == 1 {
            "custom role"
        } else {
            "custom roles"
        };
        label.push_str(&format!(
            "{noun} {} in place of base role {}",
            keys.join(", "),
            member.role
        ));
        if !parts.is_empty() {
            label.push_str("; ");
        }
    }
    label.push_str(&parts.join("; "));
    label.push(')');
    label
}

/// Whether any statement of `role` names a role attribute, so that whose attributes fill it matters.
fn reads_role_attributes(role: &CustomRole) -> bool {
    role.policy.iter().any(|statement| {
        statement
            .resources
            .iter()
            .chain(statement.not_resources.iter())
            .flatten()
            .any(|spec| spec.contains("${roleAttribute/"))
    })
}

impl Layer {
    fn note_missing(&mut self, key: String, note: String) {
        if !self.missing.contains(&key) {
            self.missing.push(key);
            self.missing_notes.push(note);
        }
    }

    /// Adds the roles one of the member's teams grants, filled with that team's role attributes.
    ///
    /// Which roles: the keys the member's summary of the team lists, and those of the team's expanded
    /// `roles`, if the team was supplied. A team that was not supplied matters only for its roles that read
    /// role attributes (the others mean the same whoever's attributes fill them): those make the team
    /// missing, named `team/<key>`. So does a supplied team fetched without `expand=roleAttributes`, or one
    /// whose expanded roles leave some out.
    fn add_team(&mut self, summary: &MemberTeamSummary, roles: &[CustomRole], teams: &[Team]) {
        let team = teams.iter().find(|t| t.key == summary.key);
        let team_key = format!("team/{}", summary.key);
        let mut keys: Vec<&str> = summary
            .custom_role_keys
            .iter()
            .map(String::as_str)
            .collect();
        if let Some(listed) = team.and_then(Team::role_keys) {
            for key in listed {
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
        }
        if let Some(team) = team {
            let total = team.roles.as_ref().and_then(|r| r.total_count);
            if team.roles_left_out() > 0 && total.is_some_and(|t| t > keys.len() as u64) {
                self.note_missing(
                    team_key.clone(),
                    format!(
                        "team \"{}\" has {} roles, but only {} were listed",
                        summary.name,
                        total.unwrap_or(0),
                        keys.len()
                    ),
                );
            }
        }
        let attrs = team.and_then(|t| t.role_attributes.clone());
        for key in keys {
            let Some(role) = find_custom_role(roles, key) else {
                self.note_missing(
                    key.to_string(),
                    format!(
                        "custom role \"{key}\" of team \"{}\" was not supplied",
                        summary.name
                    ),
                );
                continue;
            };
            let attrs = match &attrs {
                Some(attrs) => attrs.clone(),
                None if !reads_role_attributes(role) => RoleAttributes::new(),
                None => {
                    let why = if team.is_some() {
                        "was supplied without its role attributes (expand=roleAttributes)"
                    } else {
                        "was not supplied"
                    };
                    self.note_missing(
                        team_key.clone(),
                        format!(
                            "team \"{}\" {why}, and its role \"{}\" reads role attributes",
                            summary.name, role.key
                        ),
                    );
                    // What `basePermissions: reader` adds names no attribute; only the role's own denies
                    // could take it away, so a role without any still grants it for certain.
                    let extra = base_permissions_policy(role);
                    if !extra.is_empty() && role.policy.iter().all(|s| s.effect == Effect::Allow) {
                        self.add(
                            PolicySource::team_role(role, &summary.key, &summary.name),
                            &extra,
                            &RoleAttributes::new(),
                        );
                    }
                    continue;
                }
            };
            self.add(
                PolicySource::team_role(role, &summary.key, &summary.name),
                &role_statements(role),
                &attrs,
            );
        }
    }

    /// Adds the member's permission grants: each grant with `actions` is an allow statement on its
    /// `resource`. A grant of a named `actionSet` allows actions LaunchDarkly does not list, so it is kept as
    /// a gap (`actionSet/<name>`): the answers it could change, on its resource, become indeterminate.
    fn add_permission_grants(&mut self, member: &Member, attrs: &RoleAttributes) {
        let mut statements = Vec::new();
        for grant in member.permission_grants.iter().flatten() {
            if let Some(actions) = grant.actions.as_ref().filter(|a| !a.is_empty()) {
                statements.push(Statement::allow([grant.resource.as_str()], actions));
            }
            if let Some(set) = &grant.action_set {
                let note = format!(
                    "the permission grant of action set \"{set}\" on {} may allow it (LaunchDarkly does not publish which actions the set holds)",
                    grant.resource
                );
                let reach = Statement::allow([grant.resource.as_str()], ["*"]);
                match CompiledPolicy::compile(
                    PolicySource::permission_grants(&member.id),
                    &[reach],
                    attrs,
                ) {
                    Ok(policy) => self.gaps.push(ActionSetGap {
                        reach: PolicySet::new(vec![policy]),
                        key: format!("actionSet/{set}"),
                        note,
                    }),
                    // A resource that does not parse reaches nowhere we can name: anything may change.
                    Err(_) => self.note_missing(format!("actionSet/{set}"), note),
                }
            }
        }
        if !statements.is_empty() {
            self.add(
                PolicySource::permission_grants(&member.id),
                &statements,
                attrs,
            );
        }
    }
}

impl ComparedSide for Layer {
    /// The layer's policies and where its action sets reach: a gap turns answers it reaches into unknowns,
    /// so its patterns must tell resources apart too.
    fn compared_policies(&self) -> Vec<&CompiledPolicy> {
        self.set
            .policies()
            .iter()
            .chain(self.gaps.iter().flat_map(|gap| gap.reach.policies()))
            .collect()
    }

    fn compared_truth(&self, action: &str, resource: &Resource) -> Truth {
        self.truth(action, resource)
    }
}
