//! Demo data of trainings: two partners' courses with sessions past and
//! future, people registered (some on behalf of their organization), a
//! full session with its waitlist, attendance marked on the past sessions
//! (so certificates exist), all written through the area's services, each
//! step at the time it would have happened (a manual clock), so every rule
//! holds as it would have then.
//!
//! The participants are demo accounts with random passwords (they are
//! there to fill the lists, not to sign in). Idempotent: nothing is written
//! when the first demo training exists.

use chrono::{DateTime, Duration, DurationRound, Utc};
use entity::{
    donor,
    enums::{MembershipScope, Role, TrainingAttendance, TrainingFormat, TrainingLevel, TrainingStatus, Visibility},
    organization, partner, training,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::{attendance, registrations, sessions, write};
use crate::{
    auth::{Caller, Grant, OrgScope, UserCaller},
    clock::Clock,
    error::ApiError,
    seed::SeedError,
};

/// The demo's participants: name, e-mail's local part.
const PEOPLE: [(&str, &str); 8] = [
    ("Achieng Otieno", "achieng"),
    ("Brian Mugisha", "brian"),
    ("Chiku Mwakyusa", "chiku"),
    ("Daniel Habimana", "daniel"),
    ("Esther Nakato", "esther"),
    ("Faraji Kombo", "faraji"),
    ("Grace Wanjiru", "grace"),
    ("Hassan Juma", "hassan"),
];

/// A demo training: partner slug, slug, title, summary, level, format, topics, languages.
type Course = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    TrainingLevel,
    TrainingFormat,
    &'static [&'static str],
    &'static [&'static str],
);

const COURSES: [Course; 3] = [
    (
        "amani-digital-commons",
        "digital-security-for-community-radio",
        "Digital security for community radio",
        "Phones, passwords and threat models for newsrooms under pressure.",
        TrainingLevel::Basic,
        TrainingFormat::InPerson,
        &["digital-security"],
        &["en", "sw"],
    ),
    (
        "amani-digital-commons",
        "fundraising-with-open-data",
        "Fundraising with open data",
        "Find funders and tell your impact with public data sets.",
        TrainingLevel::Intermediate,
        TrainingFormat::Online,
        &["fundraising", "data-analysis"],
        &["en"],
    ),
    (
        "harmattan-civic-tech",
        "video-stories-with-open-source-tools",
        "Video stories with open-source tools",
        "Shoot on a phone, edit with Kdenlive, publish safely.",
        TrainingLevel::Basic,
        TrainingFormat::Hybrid,
        &["open-source-video", "online-storytelling"],
        &["en", "fr"],
    ),
];

/// A session of the demo: course index, days from today, city, country,
/// time zone, capacity, attendance to mark (past sessions).
type Slot = (usize, i64, &'static str, &'static str, &'static str, i32);

const SLOTS: [Slot; 5] = [
    (0, -45, "Nairobi", "KE", "Africa/Nairobi", 8),
    (0, 21, "Kampala", "UG", "Africa/Kampala", 4),
    (1, 14, "", "", "Africa/Nairobi", 50),
    (2, -30, "Accra", "GH", "Africa/Accra", 12),
    (2, 35, "Dakar", "SN", "Africa/Dakar", 12),
];

fn bad(record: &str) -> impl Fn(ApiError) -> SeedError + '_ {
    move |e| SeedError::bad(record, &e.to_string())
}

/// A participant as the services see them signed in.
fn person(user: Uuid, organization: Option<Uuid>) -> Caller {
    Caller::User(UserCaller {
        user_id: user,
        session_id: Uuid::nil(),
        is_platform_admin: false,
        email_verified: true,
        grants: organization
            .map(|scope_id| Grant { scope: MembershipScope::Organization, scope_id, role: Role::Member })
            .into_iter()
            .collect(),
        partner_countries: Vec::new(),
    })
}

/// Seeds the demo trainings unless they exist; returns how many
/// registrations it made (0 on a second run, or without the demo partners).
pub async fn seed_demo(db: &DatabaseConnection, now: DateTime<Utc>) -> Result<usize, SeedError> {
    let first = COURSES[0].1;
    if training::Entity::find().filter(training::Column::Slug.eq(first)).one(db).await.map_err(ApiError::from)?.is_some() {
        return Ok(0);
    }
    let mut partners = Vec::new();
    for course in COURSES {
        let found = partner::Entity::find().filter(partner::Column::Slug.eq(course.0)).one(db).await.map_err(ApiError::from)?;
        let Some(found) = found else { return Ok(0) };
        partners.push(found);
    }
    // Whole hours, so sessions start on the hour.
    let today = now.duration_trunc(Duration::hours(1)).unwrap_or(now);
    let start = today - Duration::days(90);
    let clock = Clock::manual(start);
    let system = Caller::System;

    // People, some members of a demo organization of Kenya or Uganda.
    let organizations = organization::Entity::find()
        .filter(organization::Column::CountryCode.is_in(["KE", "UG"]))
        .filter(organization::Column::ArchivedAt.is_null())
        .order_by_asc(organization::Column::CreatedAt)
        .order_by_asc(organization::Column::Id)
        .all(db)
        .await
        .map_err(ApiError::from)?;
    let mut people = Vec::new();
    for (at, (name, local)) in PEOPLE.into_iter().enumerate() {
        let email = format!("{local}@participants.demo.civic.example.org");
        let (user, _) = crate::accounts::service::ensure_user(db, &email, crate::auth::tokens::random_token(), name, false)
            .await
            .map_err(|e| SeedError::invalid(&email, e))?;
        let organization = (at % 2 == 0).then(|| organizations.get(at / 2 % organizations.len().max(1))).flatten().map(|o| o.id);
        if let Some(organization) = organization {
            crate::memberships::service::grant(db, &clock, user.id, MembershipScope::Organization, organization, Role::Member)
                .await
                .map_err(bad(&email))?;
        }
        people.push(person(user.id, organization));
    }

    // The first course is co-organized by the demo donor and a public
    // organization of Kenya or Uganda.
    let donor = donor::Entity::find().order_by_asc(donor::Column::CreatedAt).one(db).await.map_err(ApiError::from)?;
    let local = organizations.iter().find(|o| o.visibility == Visibility::Public);
    let mut co_organizers: Vec<write::CoOrganizer> = donor.map(|d| write::CoOrganizer::Donor(d.id)).into_iter().collect();
    co_organizers.extend(local.map(|o| write::CoOrganizer::Organization(o.id)));

    let mut trainings = Vec::new();
    for (i, (course, partner)) in COURSES.iter().zip(&partners).enumerate() {
        let (_, slug, title, summary, level, format, topics, languages) = *course;
        let input = write::TrainingInput {
            partner: partner.id,
            slug: Some(slug.to_owned()),
            title: title.to_owned(),
            summary: Some(summary.to_owned()),
            description: None,
            level,
            format,
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            languages: languages.iter().map(|l| (*l).to_owned()).collect(),
            materials: vec![format!("https://materials.demo.civic.example.org/{slug}")],
            co_organizers: if i == 0 { co_organizers.clone() } else { Vec::new() },
        };
        let created = write::create(db, &clock, &system, input).await.map_err(|e| SeedError::invalid(slug, e))?.value;
        let published = write::transition(db, &clock, &system, created.id, created.version, TrainingStatus::Published)
            .await
            .map_err(|e| SeedError::invalid(slug, e))?
            .value;
        trainings.push(published);
    }

    let mut registered = 0;
    for (course, days, city, country, zone, capacity) in SLOTS {
        let training = &trainings[course];
        let starts_at = today + Duration::days(days) + Duration::hours(6);
        let record = format!("{} on day {days}", training.slug);
        let online = training.format != TrainingFormat::InPerson;
        let input = sessions::SessionInput {
            starts_at,
            ends_at: starts_at + Duration::hours(3),
            time_zone: zone.to_owned(),
            venue_address: None,
            venue_city: (!city.is_empty()).then(|| city.to_owned()),
            country: (!country.is_empty()).then(|| country.to_owned()),
            online_url: online.then(|| format!("https://meet.demo.civic.example.org/{}-{}", training.slug, days.abs())),
            capacity,
            registration_deadline: None,
        };
        // Scheduled a month before a past session starts, two days ago for
        // a future one (whose registrations then stay in the past).
        clock.set(if starts_at < today { starts_at - Duration::days(30) } else { today - Duration::days(2) });
        let session = sessions::schedule(db, &clock, &system, training.id, input).await.map_err(|e| SeedError::invalid(&record, e))?.value;
        // Everyone registers (some on behalf of their organization) over
        // the following days: the small session fills and waitlists.
        let mut rows = Vec::new();
        for (at, caller) in people.iter().enumerate() {
            clock.advance(Duration::hours(5));
            let organization = match caller {
                Caller::User(u) => u.grants.first().map(|g| g.scope_id),
                _ => None,
            };
            let input = registrations::RegistrationInput { session: session.id, organization: organization.filter(|_| at % 4 == 0) };
            let row = registrations::register(db, &clock, caller, &OrgScope::all(), input)
                .await
                .map_err(|e| SeedError::invalid(&record, e))?
                .value;
            rows.push(row);
            registered += 1;
        }
        // After a past session, its organizers mark who came.
        if starts_at < today {
            clock.set(starts_at + Duration::hours(4));
            let marking =
                attendance::session_for_marking(db, &clock, &system, session.id).await.map_err(|e| SeedError::invalid(&record, e))?;
            for (at, row) in rows.iter().enumerate().filter(|(_, r)| r.status == entity::enums::TrainingRegistrationStatus::Registered) {
                let mark = if at % 5 == 3 { TrainingAttendance::NoShow } else { TrainingAttendance::Attended };
                // Its events stay in the outbox: the seed runs before anyone subscribes.
                let marked = attendance::mark(db, &clock, &system, (&marking.0, &marking.1), row.id, mark)
                    .await
                    .map_err(|e| SeedError::invalid(&record, e))?;
                drop(marked.value);
            }
        }
    }
    Ok(registered)
}
