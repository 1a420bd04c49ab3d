//! The policy for cedar (`policy/vgr.cedar`): a request becomes a flat context of
//! booleans, strings and numbers (dates as `YYYYMMDD` and as day numbers, identifiers in
//! canonical case), decided by cedar's authorizer; the reason of a `dölj` is the
//! highest-ranked forbid among cedar's determining policies.

use crate::request::{Category, Reader, Request};
use crate::{Outcome, Verdict};
use cedar_policy::{
    Authorizer, Context, Decision, Entities, EntityUid, PolicyId, PolicySet, RestrictedExpression,
};
use std::collections::HashMap;
use std::str::FromStr;

pub const POLICY: &str = include_str!("../policy/vgr.cedar");

/// What a policy contributes to the reason: its `@reason`, and for a forbid its `@rank`.
struct Annotation {
    reason: String,
    rank: u32,
}

pub struct Cedar {
    policies: PolicySet,
    authorizer: Authorizer,
    entities: Entities,
    annotations: HashMap<PolicyId, Annotation>,
    principal: EntityUid,
    action: EntityUid,
    resource: EntityUid,
}

impl Cedar {
    pub fn new() -> Result<Cedar, String> {
        let policies = PolicySet::from_str(POLICY).map_err(|e| format!("vgr.cedar: {e}"))?;
        let mut annotations = HashMap::new();
        for policy in policies.policies() {
            let reason = policy
                .annotation("reason")
                .ok_or_else(|| format!("policy {} has no @reason", policy.id()))?;
            let rank = match policy.annotation("rank") {
                Some(rank) => rank
                    .parse()
                    .map_err(|e| format!("policy {}: @rank: {e}", policy.id()))?,
                None => u32::MAX,
            };
            annotations.insert(
                policy.id().clone(),
                Annotation {
                    reason: reason.to_owned(),
                    rank,
                },
            );
        }
        let uid = |text: &str| EntityUid::from_str(text).map_err(|e| e.to_string());
        Ok(Cedar {
            policies,
            authorizer: Authorizer::new(),
            entities: Entities::empty(),
            annotations,
            principal: uid(r#"Reader::"reader""#)?,
            action: uid(r#"Action::"direktatkomst""#)?,
            resource: uid(r#"Entry::"entry""#)?,
        })
    }

    /// The request as cedar's request: the flat context the policy reads.
    pub fn request(&self, r: &Request) -> Result<cedar_policy::Request, String> {
        let mut pairs: Vec<(String, RestrictedExpression)> = Vec::with_capacity(32);
        let mut put = |key: &str, value: RestrictedExpression| pairs.push((key.to_owned(), value));
        let text = |s: &str| RestrictedExpression::new_string(s.to_owned());
        let bool = RestrictedExpression::new_bool;
        let long = |n: i32| RestrictedExpression::new_long(i64::from(n));
        put("datum_ymd", long(r.date.ymd()));
        put("datum_dag", long(r.date.days()));
        put(
            "lasare",
            text(match r.reader {
                Reader::Patient => "patient",
                Reader::Guardian => "vårdnadshavare",
                Reader::Proxy => "ombud",
            }),
        );
        put("lasarval_radrum", bool(r.delay_chosen));
        put("fodelsedatum_ymd", long(r.born.ymd()));
        put("reservnummer", bool(r.reserve_number));
        put("skyddad_identitet", bool(r.protected_identity));
        put(
            "vardnadshavare_med_skyddad_identitet",
            bool(r.guardian_protected_identity),
        );
        put(
            "forsegling",
            text(if r.sealed_by_patient {
                "av_patienten"
            } else {
                "ingen"
            }),
        );
        if let Some(grant) = &r.early_access {
            put("tidig_atkomst_enhet", text(&grant.unit));
            put("tidig_atkomst_signerad_ymd", long(grant.signed.ymd()));
        }
        put("vardforsegling_finns", bool(r.care_sealing.is_some()));
        if let Some(sealing) = &r.care_sealing {
            put(
                "vardforsegling_omfattning",
                text(if sealing.all_units {
                    "alla_enheter"
                } else {
                    "enhet"
                }),
            );
            if let Some(unit) = &sealing.unit {
                put("vardforsegling_enhet", text(unit));
            }
            put("vardforsegling_slutdatum_ymd", long(sealing.last_day.ymd()));
        }
        put("vardnadshavare_blockerad", bool(r.guardian_blocked));
        if let Some(grant) = &r.extension {
            put("forlangning_enhet", text(&grant.unit));
            put("forlangning_signerad_ymd", long(grant.signed.ymd()));
        }
        put("post_datum_ymd", long(r.entry_date.ymd()));
        put("post_datum_dag", long(r.entry_date.days()));
        put("post_vardenhet", text(&r.entry_unit));
        put("post_signerad", bool(r.signed));
        put(
            "post_kategori",
            text(match r.category {
                Category::Note => "anteckning",
                Category::Other => "annan",
            }),
        );
        put("post_verksamhet", text(r.service.name()));
        put("post_undantag", text(r.exception.name()));
        let context = Context::from_pairs(pairs).map_err(|e| e.to_string())?;
        cedar_policy::Request::new(
            self.principal.clone(),
            self.action.clone(),
            self.resource.clone(),
            context,
            None,
        )
        .map_err(|e| e.to_string())
    }

    /// Decides a request built by [`Cedar::request`].
    pub fn decide(&self, request: &cedar_policy::Request) -> Result<(Outcome, &str), String> {
        let response = self
            .authorizer
            .is_authorized(request, &self.policies, &self.entities);
        if let Some(error) = response.diagnostics().errors().next() {
            return Err(format!("cedar: {error}"));
        }
        let determining = response
            .diagnostics()
            .reason()
            .filter_map(|id| self.annotations.get(id));
        match response.decision() {
            Decision::Allow => {
                let reason = determining
                    .map(|a| a.reason.as_str())
                    .next()
                    .ok_or("cedar: allow without a permit")?;
                Ok((Outcome::Show, reason))
            }
            Decision::Deny => Ok((
                Outcome::Hide,
                determining
                    .min_by_key(|a| a.rank)
                    .map_or("ingen_behörighet", |a| a.reason.as_str()),
            )),
        }
    }

    /// From JSON text to a decision: parse, read the typed request, build the context,
    /// decide.
    pub fn decide_text(&self, text: &str) -> Result<(Outcome, &str), String> {
        let request = Request::from_text(text).map_err(|e| e.to_string())?;
        self.decide(&self.request(&request)?)
    }

    pub fn verdict(&self, text: &str) -> Result<Verdict, String> {
        self.decide_text(text).map(Verdict::from)
    }
}
