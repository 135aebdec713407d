//! `organization.recommendedTrainings`: upcoming sessions whose topics
//! answer the organization's most urgent challenges, ranked, each with the
//! challenges it answers (the reason). No GraphQL types.
//!
//! The rule: a session answers a challenge when its training covers the
//! topic of the challenge's category (the first ten categories are the
//! training topics; INFRASTRUCTURE and OTHER have none). Sessions rank by
//! the most urgent challenge they answer, then by that challenge's rank in
//! the organization's list, then by how many challenges they answer, then
//! soonest first. Only sessions the organization can attend are candidates
//! (`trainings::matching`).

use chrono::{DateTime, Utc};
use entity::{enums::NeedCategory, organization, organization_challenge as challenge, training_session};

use crate::{error::ApiError, trainings::matching};

/// Most recommendations answered.
pub const MAX_RECOMMENDATIONS: usize = 20;

/// The training topic (its slug) that answers a category, if any.
pub fn topic_of(category: NeedCategory) -> Option<&'static str> {
    Some(match category {
        NeedCategory::DigitalSecurity => "digital-security",
        NeedCategory::DataVisualisation => "data-visualisation",
        NeedCategory::OnlineStorytelling => "online-storytelling",
        NeedCategory::SocialMediaCampaigns => "social-media-campaigns",
        NeedCategory::Fundraising => "fundraising",
        NeedCategory::GraphicDesign => "graphic-design",
        NeedCategory::OpenSourceVideo => "open-source-video",
        NeedCategory::OfficeSuites => "office-suites",
        NeedCategory::DataAnalysis => "data-analysis",
        NeedCategory::InvestigativeTechniques => "investigative-techniques",
        NeedCategory::Infrastructure | NeedCategory::Other => return None,
    })
}

/// A session recommended to an organization, and why.
#[derive(Clone, Debug)]
pub struct Recommendation {
    /// The session.
    pub session: training_session::Model,
    /// The organization's challenges it answers, most urgent first (then
    /// by their rank in its list); never empty.
    pub answers: Vec<challenge::Model>,
}

/// Ranks `candidates` for an organization with `challenges` (see the
/// module's rule), at most `limit`.
pub fn rank(challenges: &[challenge::Model], candidates: Vec<matching::Candidate>, limit: usize) -> Vec<Recommendation> {
    let mut ranked: Vec<Recommendation> = candidates
        .into_iter()
        .filter_map(|candidate| {
            let mut answers: Vec<challenge::Model> = challenges
                .iter()
                .filter(|c| topic_of(c.category).is_some_and(|topic| candidate.topics.iter().any(|t| t == topic)))
                .cloned()
                .collect();
            answers.sort_by(|a, b| b.urgency.cmp(&a.urgency).then(a.position.cmp(&b.position)));
            (!answers.is_empty()).then_some(Recommendation { session: candidate.session, answers })
        })
        .collect();
    ranked.sort_by(|a, b| {
        let (first_a, first_b) = (&a.answers[0], &b.answers[0]);
        first_b
            .urgency
            .cmp(&first_a.urgency)
            .then(first_a.position.cmp(&first_b.position))
            .then(b.answers.len().cmp(&a.answers.len()))
            .then(a.session.starts_at.cmp(&b.session.starts_at))
            .then(a.session.id.cmp(&b.session.id))
    });
    ranked.truncate(limit);
    ranked
}

/// The recommendations for `organization` with its `challenges` (read by
/// the caller), at most `limit`: two statements when it has challenges
/// with a topic, none otherwise.
pub async fn for_organization(
    db: &impl sea_orm::ConnectionTrait,
    organization: &organization::Model,
    challenges: &[challenge::Model],
    now: DateTime<Utc>,
    limit: usize,
) -> Result<Vec<Recommendation>, ApiError> {
    let mut topics: Vec<&str> = challenges.iter().filter_map(|c| topic_of(c.category)).collect();
    topics.sort_unstable();
    topics.dedup();
    let candidates = matching::open_sessions_on(db, &topics, &organization.country_code, now).await?;
    Ok(rank(challenges, candidates, limit.min(MAX_RECOMMENDATIONS)))
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone};
    use entity::enums::{TechnologyLevel, TrainingSessionStatus};
    use sea_orm::Iterable;
    use uuid::Uuid;

    use super::*;

    fn challenge(position: i32, category: NeedCategory, urgency: i32) -> challenge::Model {
        let at = Utc.with_ymd_and_hms(2027, 1, 1, 0, 0, 0).single().expect("a time");
        challenge::Model {
            id: Uuid::now_v7(),
            organization_id: Uuid::nil(),
            position,
            title: format!("challenge {position}"),
            category,
            urgency,
            technology_level: TechnologyLevel::Low,
            created_at: at,
        }
    }

    fn candidate(days: i64, topics: &[&str]) -> matching::Candidate {
        let starts = Utc.with_ymd_and_hms(2027, 2, 1, 9, 0, 0).single().expect("a time") + Duration::days(days);
        matching::Candidate {
            session: training_session::Model {
                id: Uuid::now_v7(),
                training_id: Uuid::now_v7(),
                starts_at: starts,
                ends_at: starts + Duration::hours(3),
                time_zone: "UTC".to_owned(),
                venue_address: None,
                venue_city: None,
                country_code: None,
                online_url: None,
                capacity: 20,
                registered_count: 0,
                registration_sequence: 0,
                registration_deadline: starts,
                status: TrainingSessionStatus::Scheduled,
                version: 1,
                created_at: starts,
                updated_at: starts,
            },
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        }
    }

    #[test]
    fn every_category_but_infrastructure_and_other_names_a_distinct_topic() {
        let topics: Vec<&str> = NeedCategory::iter().filter_map(topic_of).collect();
        assert_eq!(topics.len(), NeedCategory::iter().count() - 2);
        let mut unique = topics.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), topics.len());
    }

    #[test]
    fn the_most_urgent_challenge_answered_ranks_first_then_rank_then_breadth_then_date() {
        let challenges = vec![
            challenge(1, NeedCategory::Fundraising, 3),
            challenge(2, NeedCategory::DigitalSecurity, 5),
            challenge(3, NeedCategory::DataAnalysis, 5),
            challenge(4, NeedCategory::Infrastructure, 5),
        ];
        let fundraising = candidate(1, &["fundraising"]);
        let security_late = candidate(30, &["digital-security"]);
        let security_and_fundraising = candidate(40, &["digital-security", "fundraising"]);
        let analysis = candidate(2, &["data-analysis"]);
        let unrelated = candidate(0, &["graphic-design"]);
        let ids = |list: &[Recommendation]| list.iter().map(|r| r.session.id).collect::<Vec<_>>();
        let ranked = rank(
            &challenges,
            vec![fundraising.clone(), security_late.clone(), security_and_fundraising.clone(), analysis.clone(), unrelated],
            10,
        );
        // Urgency 5 first; among them rank 2 (security) before rank 3
        // (analysis); among security sessions the broader one first.
        assert_eq!(
            ids(&ranked),
            vec![security_and_fundraising.session.id, security_late.session.id, analysis.session.id, fundraising.session.id]
        );
        let reasons: Vec<i32> = ranked[0].answers.iter().map(|c| c.position).collect();
        assert_eq!(reasons, vec![2, 1], "answers most urgent first");
        assert_eq!(rank(&challenges, vec![security_late.clone(), analysis.clone()], 1).len(), 1);
        // Same challenge, same breadth: the sooner session first.
        let security_soon = candidate(3, &["digital-security"]);
        assert_eq!(
            ids(&rank(&challenges, vec![security_late.clone(), security_soon.clone()], 10)),
            vec![security_soon.session.id, security_late.session.id]
        );
        assert!(rank(&[challenge(1, NeedCategory::Other, 5)], vec![security_soon], 10).is_empty());
    }
}
