//! Unit tests of the iCalendar feeds: written, parsed back with the
//! `icalendar` crate's parser, and read field by field.

use chrono::{NaiveDate, TimeZone};
use icalendar::{Calendar, DatePerhapsTime};

use super::*;

fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("a time")
}

fn entry(starts_at: DateTime<Utc>, zone: &str) -> CalendarEntry {
    CalendarEntry {
        session_id: Uuid::now_v7(),
        title: "Segurança digital; para rádios, comunitárias".to_owned(),
        summary: "Threat models, phones and passwords.".to_owned(),
        organizer: Some("Rede Cívica Brasil".to_owned()),
        starts_at,
        ends_at: starts_at + Duration::hours(3),
        time_zone: zone.to_owned(),
        venue_address: Some("Rua Augusta 100".to_owned()),
        venue_city: Some("São Paulo".to_owned()),
        country_code: Some("BR".to_owned()),
        online_url: None,
        url: None,
        cancelled: false,
        version: 3,
        updated_at: at(2027, 1, 5, 12, 0),
    }
}

fn local(value: Option<DatePerhapsTime>) -> (NaiveDateTime, String) {
    match value {
        Some(DatePerhapsTime::DateTime(CalendarDateTime::WithTimezone { date_time, tzid })) => (date_time, tzid),
        other => panic!("a local time with its zone, not {other:?}"),
    }
}

fn naive(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> NaiveDateTime {
    NaiveDate::from_ymd_opt(y, mo, d).and_then(|d| d.and_hms_opt(h, mi, 0)).expect("a local time")
}

#[test]
fn a_session_reads_back_at_the_venues_local_time_with_its_zone() {
    // 13:00 UTC is 10:00 in São Paulo (UTC-3, no daylight saving since 2019).
    let e = entry(at(2027, 3, 10, 13, 0), "America/Sao_Paulo");
    let text = calendar("Trainings", std::slice::from_ref(&e));
    assert!(text.lines().all(|l| l.len() <= 75), "lines are folded");
    assert!(text.contains("DTSTART;TZID=America/Sao_Paulo:20270310T100000"), "{text}");
    let parsed: Calendar = text.parse().expect("it parses");
    let event = parsed.events().next().expect("one event");
    assert_eq!(local(event.get_start()), (naive(2027, 3, 10, 10, 0), "America/Sao_Paulo".to_owned()));
    assert_eq!(local(event.get_end()), (naive(2027, 3, 10, 13, 0), "America/Sao_Paulo".to_owned()));
    assert_eq!(event.get_uid(), Some(format!("{}@civic-graph", e.session_id).as_str()));
    assert_eq!(event.get_summary(), Some("Segurança digital; para rádios, comunitárias"));
    assert_eq!(event.get_sequence(), Some(2));
    assert_eq!(event.get_status(), Some(EventStatus::Confirmed));
    assert_eq!(event.get_timestamp(), Some(e.updated_at));
    assert_eq!(event.get_location(), Some("Rua Augusta 100, São Paulo, Brazil"));
    assert!(event.get_description().is_some_and(|d| d.contains("Organized by Rede Cívica Brasil.")));
    // Back to UTC through the tz database: the same instant.
    let (start, zone) = local(event.get_start());
    let tz: Tz = zone.parse().expect("an IANA zone");
    assert_eq!(tz.from_local_datetime(&start).single().map(|t| t.with_timezone(&Utc)), Some(e.starts_at));
    // The zone is defined in the calendar, with its offset.
    assert!(text.contains("BEGIN:VTIMEZONE\r\nTZID:America/Sao_Paulo\r\n"), "{text}");
    assert!(text.contains("TZOFFSETTO:-0300"), "{text}");
}

#[test]
fn a_zone_changing_its_offset_between_sessions_has_both_observances() {
    // Berlin moves to summer time on 28 March 2027 at 01:00 UTC (02:00 local).
    let winter = entry(at(2027, 3, 20, 9, 0), "Europe/Berlin");
    let summer = entry(at(2027, 4, 10, 8, 0), "Europe/Berlin");
    let text = calendar("Trainings", &[winter.clone(), summer.clone()]);
    assert_eq!(text.matches("BEGIN:VTIMEZONE").count(), 1, "one VTIMEZONE per zone: {text}");
    assert!(
        text.contains("BEGIN:STANDARD\r\nDTSTART:20270319T100000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"),
        "{text}"
    );
    assert!(
        text.contains("BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"),
        "{text}"
    );
    let parsed: Calendar = text.parse().expect("it parses");
    let starts: Vec<_> = parsed.events().map(|e| local(e.get_start()).0).collect();
    assert_eq!(starts, [naive(2027, 3, 20, 10, 0), naive(2027, 4, 10, 10, 0)], "10:00 local both times");
}

#[test]
fn a_cancelled_session_says_so_and_a_link_appears_only_when_given() {
    let mut e = entry(at(2027, 3, 10, 13, 0), "Asia/Bangkok");
    e.cancelled = true;
    e.version = 1;
    let text = calendar("Trainings", std::slice::from_ref(&e));
    assert!(text.contains("STATUS:CANCELLED"), "{text}");
    assert!(text.contains("SEQUENCE:0"), "{text}");
    assert!(text.contains("DTSTART;TZID=Asia/Bangkok:20270310T200000"), "{text}");
    assert!(!text.contains("https://"), "no link was given: {text}");

    e.online_url = Some("https://meet.example.org/abc-defg".to_owned());
    e.url = Some("https://civic-graph.example/trainings/sessions/x.ics".to_owned());
    let text = calendar("Trainings", std::slice::from_ref(&e));
    let parsed: Calendar = text.parse().expect("it parses");
    let event = parsed.events().next().expect("one event");
    assert!(event.get_location().is_some_and(|l| l.ends_with("https://meet.example.org/abc-defg")));
    assert!(event.get_description().is_some_and(|d| d.contains("Join online: https://meet.example.org/abc-defg")));
    assert_eq!(event.get_url(), Some("https://civic-graph.example/trainings/sessions/x.ics"));
}

#[test]
fn the_same_sessions_give_the_same_bytes() {
    let e = entry(at(2027, 3, 10, 13, 0), "America/Sao_Paulo");
    assert_eq!(calendar("A", std::slice::from_ref(&e)), calendar("A", std::slice::from_ref(&e)));
    let empty = calendar("Nothing yet", &[]);
    let parsed: Calendar = empty.parse().expect("an empty calendar parses");
    assert_eq!(parsed.events().count(), 0);
    assert!(empty.contains("X-WR-CALNAME:Nothing yet"), "{empty}");
}

#[test]
fn offsets_are_written_as_rfc_5545_wants() {
    assert_eq!(utc_offset(-3 * 3600), "-0300");
    assert_eq!(utc_offset(5 * 3600 + 45 * 60), "+0545");
    assert_eq!(utc_offset(0), "+0000");
    assert_eq!(utc_offset(-(3600 + 1)), "-010001");
}
