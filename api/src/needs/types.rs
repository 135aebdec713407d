//! GraphQL types of the needs map.

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use entity::enums;
use uuid::Uuid;

use super::service;
use crate::{
    countries::types::Country,
    error::ApiError,
    graphql::{
        context::{db, loader, policy, request},
        enums::mirror_enum,
        loader::batch_loader,
        scalars::CountryCode,
        user_error::payload,
    },
};

mirror_enum! {
    /// What kind of need a challenge is. The first ten are the training
    /// topics the network teaches.
    NeedCategory => enums::NeedCategory {
        /// Protecting devices, accounts, communications and people.
        DigitalSecurity,
        /// Showing data in charts and maps.
        DataVisualisation,
        /// Telling the organization's stories online.
        OnlineStorytelling,
        /// Campaigns on social media.
        SocialMediaCampaigns,
        /// Raising money.
        Fundraising,
        /// Graphic design.
        GraphicDesign,
        /// Video with open-source tools.
        OpenSourceVideo,
        /// Office suites.
        OfficeSuites,
        /// Analysing data.
        DataAnalysis,
        /// Investigative techniques.
        InvestigativeTechniques,
        /// Devices, connectivity and hosting.
        Infrastructure,
        /// Anything else.
        Other,
    }
}

mirror_enum! {
    /// The level of technology a need takes.
    TechnologyLevel => enums::TechnologyLevel {
        /// Everyday tools, no specialist.
        Low,
        /// Configured tools or some training.
        Medium,
        /// Specialist skills or systems.
        High,
    }
}

batch_loader! {
    /// The challenges of each organization, in rank order.
    ChallengesOf: Uuid => Vec<entity::organization_challenge::Model>,
    |db, keys| service::challenges_of(db, keys).await
}

/// A challenge an organization faces, in its ranked list.
pub struct OrganizationChallenge(pub entity::organization_challenge::Model);

/// A challenge an organization faces, in its ranked list.
#[Object]
impl OrganizationChallenge {
    /// Its rank in the organization's list, from 1 (the most pressing).
    async fn rank(&self) -> i32 {
        self.0.position
    }

    /// In a few words.
    async fn title(&self) -> &str {
        &self.0.title
    }

    /// What kind of need it is.
    async fn category(&self) -> NeedCategory {
        self.0.category.into()
    }

    /// How urgent, from 1 (can wait) to 5 (now).
    async fn urgency(&self) -> i32 {
        self.0.urgency
    }

    /// The level of technology it takes.
    async fn technology_level(&self) -> TechnologyLevel {
        self.0.technology_level.into()
    }
}

/// `Organization.challenges`: its ranked list for those who may read it
/// (its members, staff of the partners serving its country, platform
/// admins), null for everyone else.
pub async fn challenges_field(ctx: &Context<'_>, organization: &entity::organization::Model) -> Result<Option<Vec<OrganizationChallenge>>> {
    if !policy(ctx)?.may_read_challenges(&request(ctx)?.caller, organization.id, &organization.country_code) {
        return Ok(None);
    }
    let list = loader::<ChallengesOf>(ctx)?.load_one(organization.id).await?.unwrap_or_default();
    Ok(Some(list.into_iter().map(OrganizationChallenge).collect()))
}

/// An upcoming session recommended to an organization, and why.
pub struct TrainingRecommendation(pub super::recommend::Recommendation);

/// An upcoming session recommended to an organization because its
/// training's topics answer some of the organization's challenges.
#[Object]
impl TrainingRecommendation {
    /// The session: open for registration, and held in the organization's
    /// country or online.
    async fn session(&self) -> crate::trainings::types::TrainingSession {
        self.0.session.clone().into()
    }

    /// The organization's challenges its training answers (the category of
    /// each is one of the training's topics), most urgent first.
    async fn answers(&self) -> Vec<OrganizationChallenge> {
        self.0.answers.iter().cloned().map(OrganizationChallenge).collect()
    }

    /// Why, in a sentence in the caller's language: the most urgent
    /// challenge it answers, and how many more.
    async fn reason(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "BCP 47 tag, e.g. `es`: overrides the request's `Accept-Language` (English when unsupported).")] locale: Option<
            String,
        >,
    ) -> Result<String> {
        let locale = crate::graphql::context::locale(ctx, locale.as_deref())?;
        let first = &self.0.answers[0];
        let mut args = crate::i18n::FluentArgs::new();
        args.set("challenge", first.title.clone());
        args.set("urgency", first.urgency);
        args.set("more", self.0.answers.len() - 1);
        Ok(crate::i18n::t(locale, "recommendation-reason", Some(&args)))
    }
}

/// `Organization.recommendedTrainings`: for those who may read its
/// challenges (what it asks reveals them), null for everyone else.
pub async fn recommendations_field(
    ctx: &Context<'_>,
    organization: &entity::organization::Model,
    first: i32,
) -> Result<Option<Vec<TrainingRecommendation>>> {
    let limit = usize::try_from(first)
        .ok()
        .filter(|n| (1..=super::recommend::MAX_RECOMMENDATIONS).contains(n))
        .ok_or_else(|| ApiError::BadUserInput(format!("first must be 1 to {}", super::recommend::MAX_RECOMMENDATIONS)))?;
    if !policy(ctx)?.may_read_challenges(&request(ctx)?.caller, organization.id, &organization.country_code) {
        return Ok(None);
    }
    let challenges = loader::<ChallengesOf>(ctx)?.load_one(organization.id).await?.unwrap_or_default();
    let now = crate::graphql::context::clock(ctx)?.now();
    let list = super::recommend::for_organization(db(ctx)?, organization, &challenges, now, limit).await?;
    Ok(Some(list.into_iter().map(TrainingRecommendation).collect()))
}

/// One challenge of `setOrganizationChallenges`.
#[derive(InputObject)]
pub struct ChallengeInput {
    /// In a few words (at most 200 characters), e.g. "Staff phones are not encrypted".
    pub title: String,
    /// What kind of need it is.
    pub category: NeedCategory,
    /// How urgent, from 1 (can wait) to 5 (now).
    pub urgency: i32,
    /// The level of technology it takes.
    pub technology_level: TechnologyLevel,
}

/// Input of `setOrganizationChallenges`.
#[derive(InputObject)]
pub struct SetOrganizationChallengesInput {
    /// The organization.
    pub organization: ID,
    /// Its whole list, most pressing first (at most 20; empty clears it). It
    /// replaces the list saved before.
    pub challenges: Vec<ChallengeInput>,
}

payload! {
    /// Result of `setOrganizationChallenges`.
    SetOrganizationChallengesPayload { challenges: Vec<OrganizationChallenge>, "The organization's list as saved, in rank order" }
}

/// One cell of a needs map: the challenges of one category, urgency and
/// technology level across a country's organizations.
#[derive(SimpleObject)]
pub struct NeedsMapCell {
    /// The challenges' category.
    pub category: NeedCategory,
    /// Their urgency (1 to 5).
    pub urgency: i32,
    /// The technology they take.
    pub technology_level: TechnologyLevel,
    /// Distinct organizations with such a challenge.
    pub organizations: i32,
    /// Challenges counted.
    pub challenges: i32,
}

/// What a country's organizations need: their challenges counted per
/// category, urgency and technology level.
#[derive(SimpleObject)]
pub struct NeedsMap {
    /// The country.
    pub country: Country,
    /// The cells shown, by category, then most urgent first, then LOW to
    /// HIGH. Cells of fewer than `minCellOrganizations` organizations are
    /// left out (see `suppressedCells`); there are no totals per row or
    /// column, so a left-out cell cannot be worked out from the others.
    pub cells: Vec<NeedsMapCell>,
    /// How many cells were left out.
    pub suppressed_cells: i32,
    /// The fewest organizations a cell must count to be shown.
    pub min_cell_organizations: i32,
}

/// Parses a country argument.
pub fn country_of(code: &CountryCode) -> Result<crate::domain::CountryCode> {
    Ok(crate::domain::CountryCode::parse(&code.0).map_err(|e| crate::error::ApiError::BadUserInput(e.to_string()))?)
}
