//! Demo data of the needs map: every live organization of the demo lists a
//! few challenges, the same first one everywhere (so each country's map has
//! a cell large enough to show) and two others that vary.

use entity::{
    enums::{NeedCategory as C, TechnologyLevel as L},
    organization,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use super::service::{self, ChallengeInput};
use crate::{clock::Clock, error::ApiError, events::Actor, seed::SeedError};

/// The demo's challenges: title, category, urgency, technology level.
const POOL: [(&str, C, i32, L); 8] = [
    ("Staff phones and laptops are not encrypted", C::DigitalSecurity, 5, L::Low),
    ("Our donor list lives in one spreadsheet", C::Fundraising, 4, L::Medium),
    ("No one can turn survey results into charts", C::DataVisualisation, 3, L::Medium),
    ("Campaign videos take days to edit", C::OpenSourceVideo, 2, L::High),
    ("Posts reach only our own members", C::SocialMediaCampaigns, 3, L::Low),
    ("The office connection drops every afternoon", C::Infrastructure, 4, L::High),
    ("Reports are typed again for each funder", C::OfficeSuites, 2, L::Low),
    ("We cannot verify leaked documents", C::InvestigativeTechniques, 5, L::High),
];

fn demo_list(at: usize) -> Vec<ChallengeInput> {
    let others = POOL.len() - 1;
    [0, 1 + at % others, 1 + (at + 3) % others]
        .into_iter()
        .map(|i| {
            let (title, category, urgency, technology_level) = POOL[i];
            ChallengeInput { title: title.to_owned(), category, urgency, technology_level }
        })
        .collect()
}

/// Lists challenges for the live organizations that have none yet; returns
/// how many lists it saved (none on a second run).
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock) -> Result<usize, SeedError> {
    let organizations = organization::Entity::find()
        .filter(organization::Column::ArchivedAt.is_null())
        .order_by_asc(organization::Column::CreatedAt)
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await
        .map_err(ApiError::from)?;
    let ids: Vec<_> = organizations.iter().map(|o| o.id).collect();
    let listed = service::challenges_of(db, &ids).await?;
    let actor = Actor::system("seed");
    let mut saved = 0;
    for (at, organization) in organizations.iter().enumerate() {
        if listed.contains_key(&organization.id) {
            continue;
        }
        // Its event stays in the outbox: the seed runs before anyone subscribes.
        let written = service::set(db, clock, &actor, organization, demo_list(at))
            .await
            .map_err(|e| SeedError::invalid(&organization.display_name, e))?;
        drop(written.value);
        saved += 1;
    }
    Ok(saved)
}
