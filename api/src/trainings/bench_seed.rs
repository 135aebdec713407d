//! The benchmark's trainings (version 4 of the data, `seed --bench`): five
//! trainings per partner (300 with the 60 partners), five sessions each
//! (1,500) between January 2025 and December 2027, and 30,000 registrations
//! at scale 1 (they scale with the organizations, as the donation requests
//! do), with the events of every write, in the caller's transaction.
//!
//! Trainings cover one or two topics of the taxonomy, at every level, about
//! 60 % in person, 25 % online and 15 % hybrid, taught in the language of
//! the partner's country (and often English). Most are PUBLISHED; a few whose
//! sessions all lie far ahead are still DRAFTs, a few whose sessions all ended
//! long ago are ARCHIVED. Sessions take place in the partner's countries, in
//! real cities at 09:00 or 14:00 local time (their IANA zone from
//! `countries::venues`), online ones with a link (and mostly the organizers'
//! country), 10 to 40 seats, registrations closing at the start; a few were
//! cancelled.
//!
//! Registrations are played in time order per session as
//! [`super::registrations`] would: a seat while any is left, else the
//! waitlist, each taking the session's next place (`registration_sequence`);
//! a cancelled seat goes at once to the first waitlisted. The people are the
//! benchmark's organization accounts (owners and members), each on behalf of
//! their organization more often than not, preferring sessions in their own
//! country; demand per session is skewed (some sessions stay half empty,
//! some fill up with a waitlist) and grows with the time the session has
//! been open. After a session, its organizers mark attendance (mostly
//! ATTENDED, some NO_SHOW), which issues the ATTENDED a certificate (a code in
//! the service's format, drawn from the benchmark's stream). The history stops
//! at 2026-11-01, as the other areas': nothing later is written, sessions
//! stay SCHEDULED (no write completes a session) and the cancelled sessions'
//! people were told (their notices' jobs are done and purged).

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use entity::{
    StringList,
    enums::{
        TrainingAttendance, TrainingFormat, TrainingLevel, TrainingRegistrationStatus as Status, TrainingSessionStatus, TrainingStatus,
    },
    event, training, training_language, training_registration as registration, training_session, training_topic_link,
};
use sea_orm::{ConnectionTrait, Set};
use uuid::Uuid;

use super::registrations::change;
use crate::{
    accounts::seed::BenchPerson,
    countries::{seed::BENCH_COUNTRIES, venues::bench_venues},
    domain::text,
    error::ApiError,
    events::DomainEvent,
    organizations::seed::BenchOrganization,
    partners::seed::BenchPartner,
    seed::{
        SeedError,
        generator::{BenchContext, BenchRng, event_row, insert_batched},
    },
};

/// Trainings per partner (at every scale).
pub const TRAININGS_PER_PARTNER: usize = 5;
/// Sessions per training (at every scale).
pub const SESSIONS_PER_TRAINING: usize = 5;
/// Registrations at scale 1.
pub const REGISTRATIONS_AT_SCALE_ONE: u64 = 30_000;

/// What the benchmark's trainings wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BenchTrainings {
    /// Trainings.
    pub trainings: usize,
    /// Of which DRAFT, PUBLISHED and ARCHIVED.
    pub training_statuses: [usize; 3],
    /// Sessions.
    pub sessions: usize,
    /// Of which cancelled.
    pub cancelled_sessions: usize,
    /// Registrations.
    pub registrations: usize,
    /// Of which REGISTERED, WAITLISTED and CANCELLED.
    pub registration_statuses: [usize; 3],
    /// Certificates issued.
    pub certificates: usize,
    /// Events (every write's).
    pub events: usize,
}

/// The taxonomy's topics (slug, ids as the migration makes them) with titles.
const TOPICS: [(&str, [&str; 3]); 10] = [
    ("digital-security", ["Digital security essentials", "Protecting your phone and accounts", "Threat modelling for activists"]),
    ("data-visualisation", ["Charts that tell your story", "Mapping your impact", "Data visualisation with free tools"]),
    ("online-storytelling", ["Storytelling for the web", "Writing for social impact", "Podcasting for community voices"]),
    ("social-media-campaigns", ["Running a social media campaign", "Growing your audience online", "Campaigns that move people"]),
    ("fundraising", ["Fundraising online", "Writing winning grant proposals", "Crowdfunding for local causes"]),
    ("graphic-design", ["Graphic design for non-designers", "Posters and flyers that work", "Building a visual identity"]),
    ("open-source-video", ["Video stories on a phone", "Editing video with open-source tools", "Documentary basics"]),
    ("office-suites", ["Spreadsheets for small teams", "Working together in shared documents", "Budgets and reports in a spreadsheet"]),
    ("data-analysis", ["Survey data analysis", "Making sense of your data", "Monitoring and evaluation with data"]),
    ("investigative-techniques", ["Open-source investigation", "Verifying images and videos", "Following the money"]),
];

/// Who a training is for.
const AUDIENCES: [&str; 8] = [
    "for community groups",
    "for youth organizations",
    "for women-led organizations",
    "for small NGOs",
    "for cooperatives",
    "for human-rights defenders",
    "for grassroots media",
    "for faith-based groups",
];

const STREETS: [&str; 8] =
    ["Independence Avenue", "Market Street", "Station Road", "Harbour Road", "Unity Street", "Garden Road", "Hill Street", "Lake Road"];

/// Namespace of the topics' ids (as the migration makes them).
const TOPIC_NAMESPACE: Uuid = uuid::uuid!("3b8f6c52-7d0e-5a41-9c1e-8a2f4d6b0c17");

/// Crockford's base32, as `registration_service::new_certificate_code` writes codes.
/// A certificate code in the service's format (128 bits in Crockford's base32,
/// 26 characters), the bits drawn from the benchmark's stream.
fn certificate_code(rng: &mut BenchRng) -> String {
    super::registration_service::certificate_code_of((u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64()))
}

/// When the benchmark's history stops: 2026-11-01, as the other areas'.
fn history_end(ctx: &BenchContext) -> DateTime<Utc> {
    ctx.at((365 + 366 + 304) * 86_400_000)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// A time in `low..=high` (whole milliseconds).
fn between(rng: &mut BenchRng, low: DateTime<Utc>, high: DateTime<Utc>) -> DateTime<Utc> {
    low + Duration::milliseconds(rng.between(0, (high - low).num_milliseconds().max(0)))
}

/// `hour`:00 on `date` in `zone`, in UTC.
fn local(date: NaiveDate, hour: u32, zone: &str) -> DateTime<Utc> {
    let tz: Tz = zone.parse().unwrap_or(Tz::UTC);
    tz.with_ymd_and_hms(date.year(), date.month(), date.day(), hour, 0, 0)
        .earliest()
        .map_or_else(|| date.and_hms_opt(hour, 0, 0).unwrap_or_default().and_utc(), |t| t.with_timezone(&Utc))
}

/// A session as the registrations need it.
struct Planned {
    row: training_session::Model,
    training: usize,
    /// When registrations open and close (start, cancellation or the history's end).
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
    cancelled_at: Option<DateTime<Utc>>,
    demand: u64,
}

/// Writes the trainings, sessions, registrations and their events (see the
/// module's documentation). `people` are the organizations' accounts.
pub async fn insert_bench(
    db: &impl ConnectionTrait,
    ctx: &BenchContext,
    partners: &[BenchPartner],
    organizations: &[BenchOrganization],
    people: &[BenchPerson],
) -> Result<BenchTrainings, SeedError> {
    let mut rng = ctx.rng("trainings");
    let end = history_end(ctx);
    let (first_day, last_day) = (day(2025, 1, 6), day(2027, 12, 17));
    let mut trainings: Vec<training::Model> = Vec::new();
    let (mut topic_links, mut languages, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut planned: Vec<Planned> = Vec::new();
    for partner in partners {
        let mut slugs: HashSet<String> = HashSet::new();
        for _ in 0..TRAININGS_PER_PARTNER {
            let t = trainings.len();
            let (topic, titles) = TOPICS[rng.index(TOPICS.len())];
            let mut topics = vec![topic];
            if rng.chance(450) {
                let (other, _) = TOPICS[rng.index(TOPICS.len())];
                if other != topic {
                    topics.push(other);
                }
            }
            let title = format!("{} {}", rng.pick(&titles), rng.pick(&AUDIENCES));
            let mut slug = text::slug_from_name(&title).ok_or_else(|| SeedError::bad(&title, "no slug"))?;
            if !slugs.insert(slug.clone()) {
                slug = format!("{slug}-{}", t + 1);
                slugs.insert(slug.clone());
            }
            let level = [TrainingLevel::Basic, TrainingLevel::Intermediate, TrainingLevel::Advanced][rng.weighted(&[45, 35, 20])];
            let format = [TrainingFormat::InPerson, TrainingFormat::Online, TrainingFormat::Hybrid][rng.weighted(&[60, 25, 15])];
            let home = partner.countries[0];
            let spoken = BENCH_COUNTRIES.iter().find(|c| c.code == home).map_or(&["en"][..], |c| c.languages);
            let mut tags = vec![spoken[0].to_owned()];
            if tags[0] != "en" && rng.chance(500) {
                tags.push("en".to_owned());
            }

            // Five sessions 2 to 8 weeks apart, within 2025-01 .. 2027-12.
            let gaps: Vec<i64> = (1..SESSIONS_PER_TRAINING).map(|_| rng.between(14, 56)).collect();
            let span: i64 = gaps.iter().sum();
            let latest_first = (last_day - first_day).num_days() - span;
            let mut date = first_day + Duration::days(rng.between(0, latest_first));
            let first_start = local(date, 9, bench_venues(home).first().map_or("UTC", |v| v.1));
            let created = (first_start - Duration::days(rng.between(30, 90))).min(end - Duration::days(rng.between(14, 60)));
            let created = between(&mut rng, created, created + Duration::hours(8));
            let published = created + Duration::hours(rng.between(20, 240));
            let id = rng.uuid_at(created);
            let mut row = training::Model {
                id,
                partner_id: partner.id,
                slug: slug.clone(),
                title: title.clone(),
                summary: format!("A hands-on course of five sessions: {}.", title.to_lowercase()),
                description: format!(
                    "{title}, run by {}. Bring a laptop or a phone; materials stay online after the course.",
                    partner.name
                ),
                level,
                format,
                languages: StringList(tags.clone()),
                materials: StringList(vec![format!("https://materials.bench.civic.example.org/{slug}")]),
                status: TrainingStatus::Draft,
                version: 1,
                created_at: created,
                updated_at: created,
                published_at: None,
            };
            let draft = first_start > end + Duration::days(60) && rng.chance(120);
            events.push(event_row(&mut rng, created, &DomainEvent::TrainingCreated { training: id, partner: partner.id, slug }));
            if !draft {
                row.status = TrainingStatus::Published;
                row.version = 2;
                row.updated_at = published;
                row.published_at = Some(published);
                events.push(event_row(&mut rng, published, &DomainEvent::TrainingPublished { training: id, partner: partner.id }));
            }
            topic_links.extend(topics.iter().map(|slug| training_topic_link::ActiveModel {
                training_id: Set(id),
                topic_id: Set(Uuid::new_v5(&TOPIC_NAMESPACE, slug.as_bytes())),
            }));
            let mut lower: Vec<String> = tags.iter().map(|l| l.to_ascii_lowercase()).collect();
            lower.sort();
            lower.dedup();
            languages.extend(lower.into_iter().map(|l| training_language::ActiveModel { training_id: Set(id), language: Set(l) }));

            let scheduled_from = row.published_at.unwrap_or(created) + Duration::hours(1);
            for s in 0..SESSIONS_PER_TRAINING {
                if s > 0 {
                    date += Duration::days(gaps[s - 1]);
                }
                let country = partner.countries[rng.index(partner.countries.len())];
                let venues = bench_venues(country);
                let (city, zone) = venues.get(rng.index(venues.len())).copied().unwrap_or(("", "UTC"));
                let online = format != TrainingFormat::InPerson;
                let venue = format != TrainingFormat::Online;
                let starts_at = local(date, if rng.chance(500) { 9 } else { 14 }, zone);
                let hours = if venue { rng.between(2, 6) } else { rng.between(1, 3) };
                let scheduled = scheduled_from + Duration::minutes(i64::try_from(s).unwrap_or(0) * 7);
                let session_id = rng.uuid_at(scheduled);
                let session = training_session::Model {
                    id: session_id,
                    training_id: id,
                    starts_at,
                    ends_at: starts_at + Duration::hours(hours),
                    time_zone: zone.to_owned(),
                    venue_address: venue.then(|| format!("{} {}", rng.between(1, 240), rng.pick(&STREETS))),
                    venue_city: venue.then(|| city.to_owned()),
                    country_code: (venue || rng.chance(800)).then(|| country.to_owned()),
                    online_url: online.then(|| format!("https://meet.bench.civic.example.org/{}-{}", row.slug, s + 1)),
                    capacity: i32::try_from(rng.between(10, 40)).unwrap_or(20),
                    registration_deadline: starts_at,
                    registered_count: 0,
                    registration_sequence: 0,
                    status: TrainingSessionStatus::Scheduled,
                    version: 1,
                    created_at: scheduled,
                    updated_at: scheduled,
                };
                events.push(event_row(
                    &mut rng,
                    scheduled,
                    &DomainEvent::TrainingSessionScheduled { session: session_id, training: id, partner: partner.id },
                ));
                // A few published sessions were called off, more than a week before the history's end.
                let latest_cancel = (starts_at - Duration::days(1)).min(end - Duration::days(8));
                let cancelled_at = (!draft && latest_cancel > scheduled + Duration::days(2) && rng.chance(30))
                    .then(|| between(&mut rng, scheduled + Duration::days(1), latest_cancel));
                let opens = scheduled + Duration::hours(1);
                let closes = cancelled_at.unwrap_or(starts_at).min(end);
                // Demand: a share of the seats (half empty to a long waitlist), as much of it as the time open allows.
                let share = match rng.weighted(&[15, 30, 15, 40]) {
                    0 => rng.between(300, 700),
                    1 => rng.between(700, 950),
                    2 => 1000,
                    _ => rng.between(1050, 1700),
                };
                let open_for = (closes - opens).num_minutes().max(0);
                let full_window = (starts_at - opens).num_minutes().max(1);
                let progress = (open_for * 1000 / full_window).clamp(0, 1000);
                let demand = if draft { 0 } else { u64::try_from(i64::from(session.capacity) * share * progress / 1_000_000).unwrap_or(0) };
                planned.push(Planned { row: session, training: t, opens, closes, cancelled_at, demand });
            }
            trainings.push(row);
        }
    }

    // Archived: a few trainings whose sessions all ended two months before the history's end.
    for (t, row) in trainings.iter_mut().enumerate() {
        let last_end = planned.iter().filter(|p| p.training == t).map(|p| p.row.ends_at).max().unwrap_or(end);
        if row.status == TrainingStatus::Published && last_end < end - Duration::days(60) && rng.chance(150) {
            let at = between(&mut rng, last_end + Duration::days(7), end - Duration::days(10));
            row.status = TrainingStatus::Archived;
            row.version += 1;
            row.updated_at = at;
            events.push(event_row(&mut rng, at, &DomainEvent::TrainingArchived { training: row.id, partner: row.partner_id }));
        }
    }

    let registrations = play_registrations(&mut rng, ctx, &trainings, &mut planned, organizations, people, end, &mut events)?;

    let mut written = BenchTrainings {
        trainings: trainings.len(),
        sessions: planned.len(),
        cancelled_sessions: planned.iter().filter(|p| p.cancelled_at.is_some()).count(),
        registrations: registrations.len(),
        certificates: registrations.iter().filter(|r| r.certificate_code.is_some()).count(),
        events: events.len(),
        ..BenchTrainings::default()
    };
    for row in &trainings {
        written.training_statuses[match row.status {
            TrainingStatus::Draft => 0,
            TrainingStatus::Published => 1,
            TrainingStatus::Archived => 2,
        }] += 1;
    }
    for row in &registrations {
        written.registration_statuses[match row.status {
            Status::Registered => 0,
            Status::Waitlisted => 1,
            Status::Cancelled => 2,
        }] += 1;
    }
    insert_batched(db, trainings.into_iter().map(training::ActiveModel::from).collect()).await.map_err(ApiError::from)?;
    insert_batched(db, topic_links).await.map_err(ApiError::from)?;
    insert_batched(db, languages).await.map_err(ApiError::from)?;
    insert_batched(db, planned.into_iter().map(|p| training_session::ActiveModel::from(p.row)).collect()).await.map_err(ApiError::from)?;
    insert_batched(db, registrations.into_iter().map(registration::ActiveModel::from).collect()).await.map_err(ApiError::from)?;
    insert_batched(db, events).await.map_err(ApiError::from)?;
    Ok(written)
}

/// How many registrations each session gets: the demand of each, in a
/// shuffled order of popularity, until the total is reached (at small scales
/// the least popular get none); scaled up when the demand falls short of the
/// total; never more than the people who could register.
fn allocate(rng: &mut BenchRng, total: u64, planned: &[Planned], available: &[u64]) -> Vec<u64> {
    let demand: u64 = planned.iter().map(|p| p.demand).sum::<u64>().max(1);
    let mut order: Vec<usize> = (0..planned.len()).collect();
    rng.shuffle(&mut order);
    let mut takes = vec![0u64; planned.len()];
    let mut left = total;
    for &i in &order {
        let wanted = if demand < total { planned[i].demand * total / demand } else { planned[i].demand };
        let take = wanted.min(available[i]).min(left);
        takes[i] = take;
        left -= take;
    }
    // What rounding and the people available left over, one more each in the same order.
    while left > 0 {
        let before = left;
        for &i in &order {
            if left > 0 && planned[i].demand > 0 && takes[i] < available[i] {
                takes[i] += 1;
                left -= 1;
            }
        }
        if left == before {
            break;
        }
    }
    takes
}

/// A step of a registration, in a session's time order.
enum Step {
    Register(usize),
    Cancel(usize),
}

/// Plays each session's registrations in time order (see the module's
/// documentation) and returns the rows; sets the sessions' counters.
fn play_registrations(
    rng: &mut BenchRng,
    ctx: &BenchContext,
    trainings: &[training::Model],
    planned: &mut [Planned],
    organizations: &[BenchOrganization],
    people: &[BenchPerson],
    end: DateTime<Utc>,
    events: &mut Vec<event::ActiveModel>,
) -> Result<Vec<registration::Model>, SeedError> {
    // People by account creation (so those who could register by a time are a prefix), and by country.
    let country_of: BTreeMap<Uuid, &'static str> = organizations.iter().map(|o| (o.id, o.country)).collect();
    let mut people: Vec<BenchPerson> = people.to_vec();
    people.sort_by_key(|p| (p.created_at, p.user));
    let mut locals: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for (i, person) in people.iter().enumerate() {
        let country =
            country_of.get(&person.organization).copied().ok_or_else(|| SeedError::bad("bench person", "unknown organization"))?;
        locals.entry(country).or_default().push(i);
    }
    let available: Vec<u64> = planned
        .iter()
        .map(|p| people.partition_point(|person| person.created_at + Duration::hours(1) < p.closes - Duration::minutes(1)) as u64)
        .collect();
    let takes = allocate(rng, ctx.scale.of(REGISTRATIONS_AT_SCALE_ONE), planned, &available);

    let mut rows: Vec<registration::Model> = Vec::new();
    for (p, take) in planned.iter_mut().zip(takes) {
        let training = &trainings[p.training];
        let take = usize::try_from(take).unwrap_or(0);
        if take == 0 {
            continue;
        }
        let avail = people.partition_point(|person| person.created_at + Duration::hours(1) < p.closes - Duration::minutes(1));
        // Six in ten from the session's country when it has that many people, the others from anywhere.
        let home = p.row.country_code.as_deref().unwrap_or("");
        let mut near: Vec<usize> = locals.get(home).map(|l| l.iter().copied().filter(|i| *i < avail).collect()).unwrap_or_default();
        rng.shuffle(&mut near);
        near.truncate(take * 6 / 10);
        let mut chosen: HashSet<usize> = near.iter().copied().collect();
        let mut who = near;
        while who.len() < take {
            let i = rng.index(avail);
            if chosen.insert(i) {
                who.push(i);
            }
        }
        // When each registers (and some cancel), in time order.
        let mut steps: Vec<(DateTime<Utc>, Step)> = Vec::new();
        let mut session_rows: Vec<registration::Model> = Vec::new();
        for (k, i) in who.iter().enumerate() {
            let person = people[*i];
            let at = between(rng, p.opens.max(person.created_at + Duration::hours(1)), p.closes - Duration::minutes(1));
            session_rows.push(registration::Model {
                id: rng.uuid_at(at),
                session_id: p.row.id,
                user_id: person.user,
                organization_id: rng.chance(650).then_some(person.organization),
                status: Status::Waitlisted,
                sequence: 0,
                attendance: None,
                attendance_marked_at: None,
                certificate_code: None,
                certificate_issued_at: None,
                cancellation_notified_at: None,
                version: 1,
                created_at: at,
                updated_at: at,
                cancelled_at: None,
            });
            steps.push((at, Step::Register(k)));
            if rng.chance(80) {
                let cancel = between(rng, at + Duration::minutes(1), p.closes);
                if cancel < p.closes {
                    steps.push((cancel, Step::Cancel(k)));
                }
            }
        }
        steps.sort_by_key(|(at, step)| (*at, matches!(step, Step::Cancel(_))));
        for (at, step) in steps {
            match step {
                Step::Register(k) => {
                    p.row.registration_sequence += 1;
                    let row = &mut session_rows[k];
                    row.sequence = p.row.registration_sequence;
                    if p.row.registered_count < p.row.capacity {
                        p.row.registered_count += 1;
                        row.status = Status::Registered;
                    }
                    events.push(event_row(rng, at, &DomainEvent::TrainingRegistered(change(row, training, None))));
                }
                Step::Cancel(k) => {
                    let row = &mut session_rows[k];
                    let from = row.status;
                    row.status = Status::Cancelled;
                    row.version += 1;
                    row.updated_at = at;
                    row.cancelled_at = Some(at);
                    events.push(event_row(rng, at, &DomainEvent::TrainingRegistrationCancelled(change(row, training, Some(from)))));
                    if from == Status::Registered {
                        p.row.registered_count -= 1;
                        // The seat goes to the first waitlisted, at once.
                        let next =
                            session_rows.iter_mut().filter(|r| r.status == Status::Waitlisted && r.sequence > 0).min_by_key(|r| r.sequence);
                        if let Some(next) = next {
                            next.status = Status::Registered;
                            next.version += 1;
                            next.updated_at = at;
                            p.row.registered_count += 1;
                            let promoted = DomainEvent::TrainingRegistrationPromoted(change(next, training, Some(Status::Waitlisted)));
                            events.push(event_row(rng, at, &promoted));
                        }
                    }
                }
            }
        }
        if let Some(cancelled) = p.cancelled_at {
            for row in session_rows.iter_mut().filter(|r| r.status != Status::Cancelled) {
                row.cancellation_notified_at = Some(cancelled + Duration::seconds(rng.between(5, 600)));
            }
        } else if p.row.ends_at < end && rng.chance(960) {
            // After the session, its organizers mark who came (unless the history ends first).
            let marked = between(rng, p.row.ends_at + Duration::minutes(30), p.row.ends_at + Duration::hours(72));
            if marked <= end {
                for row in session_rows.iter_mut().filter(|r| r.status == Status::Registered) {
                    let came = rng.chance(870);
                    row.attendance = Some(if came { TrainingAttendance::Attended } else { TrainingAttendance::NoShow });
                    row.attendance_marked_at = Some(marked);
                    row.version += 1;
                    row.updated_at = marked;
                    events.push(event_row(
                        rng,
                        marked,
                        &DomainEvent::TrainingAttendanceMarked(change(row, training, Some(Status::Registered))),
                    ));
                    if came {
                        row.certificate_code = Some(certificate_code(rng));
                        row.certificate_issued_at = Some(marked);
                        let issued = DomainEvent::TrainingCertificateIssued(change(row, training, Some(Status::Registered)));
                        events.push(event_row(rng, marked, &issued));
                    }
                }
            }
        }
        rows.extend(session_rows);
    }
    // A cancelled session: its status and version, with its event.
    for p in planned.iter_mut() {
        if let Some(at) = p.cancelled_at {
            let training = &trainings[p.training];
            p.row.status = TrainingSessionStatus::Cancelled;
            p.row.version += 1;
            p.row.updated_at = at;
            let event = DomainEvent::TrainingSessionCancelled { session: p.row.id, training: training.id, partner: training.partner_id };
            events.push(event_row(rng, at, &event));
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::generator::BenchScale;

    #[test]
    fn certificate_codes_have_the_services_format() {
        let mut rng = BenchContext::new(BenchScale::ONE).rng("test");
        for _ in 0..100 {
            let code = certificate_code(&mut rng);
            assert_eq!(super::super::registration_service::normalize_code(&code).as_deref(), Some(code.as_str()));
            assert!(code.starts_with(['0', '1', '2', '3', '4', '5', '6', '7']), "{code}");
        }
    }

    #[test]
    fn sessions_start_at_the_local_hour_of_their_zone() {
        let at = local(day(2027, 3, 10), 9, "America/Sao_Paulo");
        assert_eq!(at.to_rfc3339(), "2027-03-10T12:00:00+00:00");
        assert_eq!(local(day(2026, 7, 1), 14, "Europe/Warsaw").to_rfc3339(), "2026-07-01T12:00:00+00:00");
    }
}
