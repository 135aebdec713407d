//! iCalendar (RFC 5545) feeds of training sessions, written with the
//! `icalendar` crate: one VEVENT per session.
//!
//! - `UID` is `<session id>@civic-graph`, the same in every feed, so a
//!   calendar that subscribed to a session and to a personal feed holds one
//!   event, and a changed session replaces its event.
//! - `DTSTART`/`DTEND` are local times with `TZID=` the venue's IANA zone, so
//!   calendars show the session at the venue's time and move it with the
//!   zone's rules. RFC 5545 (3.2.19) requires a VTIMEZONE for every TZID: each
//!   zone gets one, with the offsets (and their changes) that hold over the
//!   feed's sessions, computed from the tz database (`chrono-tz`). Clients that
//!   know IANA names (most) use the name; the others (Outlook) the VTIMEZONE.
//! - `SEQUENCE` is the session's version less one (0 when scheduled), `DTSTAMP`
//!   and `LAST-MODIFIED` its last change: the same session gives the same bytes.
//! - `STATUS` is CANCELLED for a cancelled session, else CONFIRMED.
//! - `LOCATION` is the venue (address, city, country), or, when the entry
//!   carries one, the online link; the caller of this module decides whether
//!   the reader may see the link (never in the public per-session feed).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, EventStatus};
use uuid::Uuid;

/// Everything one VEVENT needs about a session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CalendarEntry {
    /// The session.
    pub session_id: Uuid,
    /// Its training's title (`SUMMARY`).
    pub title: String,
    /// Its training's summary (the start of `DESCRIPTION`; may be empty).
    pub summary: String,
    /// The organizing partner's name (in `DESCRIPTION`).
    pub organizer: Option<String>,
    /// Start (UTC).
    pub starts_at: DateTime<Utc>,
    /// End (UTC).
    pub ends_at: DateTime<Utc>,
    /// The venue's IANA time zone.
    pub time_zone: String,
    /// Street address of the venue.
    pub venue_address: Option<String>,
    /// City of the venue.
    pub venue_city: Option<String>,
    /// ISO 3166-1 alpha-2 country of the venue.
    pub country_code: Option<String>,
    /// The online link, only when the feed's reader may see it.
    pub online_url: Option<String>,
    /// An absolute link about the session (`URL`), when there is one.
    pub url: Option<String>,
    /// True when the session is cancelled.
    pub cancelled: bool,
    /// The session's version (1 when scheduled).
    pub version: i32,
    /// When the session last changed.
    pub updated_at: DateTime<Utc>,
}

/// The `UID` of a session's events.
pub fn uid(session: Uuid) -> String {
    format!("{session}@civic-graph")
}

/// `LOCATION`: the venue's address, city and country; the link as well when
/// the entry carries one (alone for an online session).
fn location(entry: &CalendarEntry) -> Option<String> {
    let country = entry
        .country_code
        .as_deref()
        .map(|c| crate::domain::CountryCode::parse(c).map(|c| c.name().to_owned()).unwrap_or_else(|_| c.to_owned()));
    let mut parts: Vec<String> =
        [entry.venue_address.clone(), entry.venue_city.clone(), country].into_iter().flatten().filter(|p| !p.trim().is_empty()).collect();
    if let Some(link) = &entry.online_url {
        parts.push(link.clone());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn description(entry: &CalendarEntry) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    if !entry.summary.trim().is_empty() {
        lines.push(entry.summary.trim().to_owned());
    }
    if let Some(organizer) = &entry.organizer {
        lines.push(format!("Organized by {organizer}."));
    }
    if let Some(link) = &entry.online_url {
        lines.push(format!("Join online: {link}"));
    }
    (!lines.is_empty()).then(|| lines.join("\n\n"))
}

/// The zone of an entry (checked when stored; UTC should it not parse).
fn zone(entry: &CalendarEntry) -> Tz {
    entry.time_zone.parse::<Tz>().unwrap_or(Tz::UTC)
}

fn local(at: DateTime<Utc>, tz: Tz) -> CalendarDateTime {
    CalendarDateTime::WithTimezone { date_time: at.with_timezone(&tz).naive_local(), tzid: tz.name().to_owned() }
}

fn event(entry: &CalendarEntry) -> Event {
    let tz = zone(entry);
    let mut event = Event::new();
    event
        .uid(&uid(entry.session_id))
        .summary(&entry.title)
        .starts(local(entry.starts_at, tz))
        .ends(local(entry.ends_at, tz))
        .timestamp(entry.updated_at)
        .last_modified(entry.updated_at)
        .sequence(u32::try_from(entry.version.saturating_sub(1)).unwrap_or(0))
        .status(if entry.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    if let Some(text) = description(entry) {
        event.description(&text);
    }
    if let Some(place) = location(entry) {
        event.location(&place);
    }
    if let Some(url) = &entry.url {
        event.url(url);
    }
    event.done()
}

/// `+HHMM` (or `+HHMMSS`) of an offset in seconds.
fn utc_offset(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.unsigned_abs();
    let (h, m, sec) = (s / 3600, s / 60 % 60, s % 60);
    if sec == 0 { format!("{sign}{h:02}{m:02}") } else { format!("{sign}{h:02}{m:02}{sec:02}") }
}

fn offset_at(tz: Tz, at: DateTime<Utc>) -> (i32, bool, String) {
    let offset = tz.offset_from_utc_datetime(&at.naive_utc());
    let total = offset.fix().local_minus_utc();
    let daylight = offset.dst_offset() != chrono::TimeDelta::zero();
    (total, daylight, offset.abbreviation().unwrap_or("").to_owned())
}

/// The instants in `[from, to]` at which `tz`'s offset changes, each found
/// to the second by bisection within the day it happens.
fn transitions(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<DateTime<Utc>> {
    let mut found = Vec::new();
    let mut day = from;
    while day < to {
        let next = (day + Duration::days(1)).min(to);
        if offset_at(tz, day).0 != offset_at(tz, next).0 {
            let (mut before, mut after) = (day, next);
            while after - before > Duration::seconds(1) {
                let middle = before + (after - before) / 2;
                if offset_at(tz, middle).0 == offset_at(tz, before).0 { before = middle } else { after = middle }
            }
            found.push(after);
        }
        day = next;
    }
    found
}

fn format_local(at: NaiveDateTime) -> String {
    at.format("%Y%m%dT%H%M%S").to_string()
}

/// The VTIMEZONE of `tz` over `[from, to]` (a day either side): the offset
/// holding at the start, then one observance per change.
fn vtimezone(tz: Tz, from: DateTime<Utc>, to: DateTime<Utc>) -> String {
    let (from, to) = (from - Duration::days(1), to + Duration::days(1));
    // A feed spanning decades would still be a few thousand days to walk.
    let to = to.min(from + Duration::days(366 * 10));
    let observance = |start: DateTime<Utc>, before: i32, (after, daylight, name): (i32, bool, String)| {
        let kind = if daylight { "DAYLIGHT" } else { "STANDARD" };
        let local_start = (start + Duration::seconds(i64::from(before))).naive_utc();
        let mut text = format!(
            "BEGIN:{kind}\r\nDTSTART:{}\r\nTZOFFSETFROM:{}\r\nTZOFFSETTO:{}\r\n",
            format_local(local_start),
            utc_offset(before),
            utc_offset(after)
        );
        if !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-') {
            text.push_str(&format!("TZNAME:{name}\r\n"));
        }
        text.push_str(&format!("END:{kind}\r\n"));
        text
    };
    let first = offset_at(tz, from);
    let mut text = format!("BEGIN:VTIMEZONE\r\nTZID:{}\r\n", tz.name());
    let mut previous = first.0;
    text.push_str(&observance(from, first.0, first));
    for at in transitions(tz, from, to) {
        let now = offset_at(tz, at);
        let next = now.0;
        text.push_str(&observance(at, previous, now));
        previous = next;
    }
    text.push_str("END:VTIMEZONE\r\n");
    text
}

/// A calendar named `name` with one VEVENT per entry and one VTIMEZONE per
/// zone they use, as RFC 5545 text (CRLF lines, folded at 75 octets).
pub fn calendar(name: &str, entries: &[CalendarEntry]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", "-//civic-graph//trainings//EN"))
        .append_property(("CALSCALE", "GREGORIAN"))
        .append_property(("METHOD", "PUBLISH"));
    calendar.name(name);
    calendar.ttl(&Duration::hours(6));
    let mut spans: BTreeMap<String, (Tz, DateTime<Utc>, DateTime<Utc>)> = BTreeMap::new();
    for entry in entries {
        let tz = zone(entry);
        let span = spans.entry(tz.name().to_owned()).or_insert((tz, entry.starts_at, entry.ends_at));
        span.1 = span.1.min(entry.starts_at);
        span.2 = span.2.max(entry.ends_at);
    }
    for entry in entries {
        calendar.push(event(entry));
    }
    // The crate has no VTIMEZONE builder (and a parsed one comes back with a
    // UID and a DTSTAMP, which RFC 5545 does not allow there): the zones are
    // written as text, ASCII lines shorter than 75 octets, before the events.
    let zones: String = spans.into_values().map(|(tz, from, to)| vtimezone(tz, from, to)).collect();
    let text = calendar.to_string();
    let at = text.find("BEGIN:VEVENT\r\n").or_else(|| text.rfind("END:VCALENDAR")).unwrap_or(text.len());
    format!("{}{zones}{}", &text[..at], &text[at..])
}

#[cfg(test)]
#[path = "ical_tests.rs"]
mod tests;
