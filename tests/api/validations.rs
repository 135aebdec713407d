//! Validations (issue 10) as clients see them: a partner's criteria, every
//! path of a case's state machine and every illegal step, who may review
//! (partner and country, never one's own organization), four eyes,
//! concurrent decisions, and the case's history.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::helpers::{
    TEST_PASSWORD, TestApp, answer_as, assert_error, create_organization, create_partner, log_in, organization_input, pdf, spawn_app,
    spawn_app_with_clock,
};

const CASE: &str = "id status version validUntil awaitingSecondApproval reasons note partner { slug } submittedAt decidedAt renewalOf
    history { from to event actorKind reasons note }";

fn case_payload(name: &str) -> String {
    format!(
        "mutation($input: {}Input!) {{ {}(input: $input) {{ validation {{ {CASE} }} userErrors {{ field message code }} }} }}",
        input_type(name),
        name
    )
}

fn input_type(name: &str) -> &'static str {
    match name {
        "openValidation" => "OpenValidation",
        "submitValidation" | "startValidationReview" => "ValidationStep",
        "decideValidation" => "DecideValidation",
        "revokeValidation" => "RevokeValidation",
        other => panic!("unknown mutation {other}"),
    }
}

/// A network in Kenya: a partner with criteria, an organization and the people around them.
pub(crate) struct Network {
    pub(crate) app: TestApp,
    pub(crate) partner: String,
    pub(crate) organization: String,
    pub(crate) owner: String,
    pub(crate) member: String,
    pub(crate) validator: String,
    pub(crate) second_validator: String,
    pub(crate) partner_admin: String,
}

pub(crate) async fn network(four_eyes: bool) -> Network {
    network_in(spawn_app().await, four_eyes).await
}

pub(crate) async fn network_in(app: TestApp, four_eyes: bool) -> Network {
    let partner = create_partner(&app, json!({ "name": "Lake Region Partners", "countries": ["KE", "UG"] })).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let mut input = organization_input("Kisumu Makers");
    input["registrations"] = json!([{ "kind": "NATIONAL_REGISTRY", "number": "OP-218/777" }]);
    let organization = create_organization(&app, input).await["id"].as_str().expect("id").to_owned();
    let owner = app.member_token("owner@kisumu.example.org", MembershipScope::Organization, &organization, Role::Owner).await;
    let member = app.member_token("member@kisumu.example.org", MembershipScope::Organization, &organization, Role::Member).await;
    let validator = app.member_token("validator@lake.example.org", MembershipScope::Partner, &partner, Role::Validator).await;
    let second_validator = app.member_token("second@lake.example.org", MembershipScope::Partner, &partner, Role::Validator).await;
    let partner_admin = app.member_token("admin@lake.example.org", MembershipScope::Partner, &partner, Role::Admin).await;
    let set = set_criteria(&app, &partner_admin, &partner, four_eyes).await;
    assert_eq!(set["userErrors"], json!([]), "{set}");
    Network { app, partner, organization, owner, member, validator, second_validator, partner_admin }
}

async fn set_criteria(app: &TestApp, token: &str, partner: &str, four_eyes: bool) -> Value {
    let answer = answer_as(
        app,
        Some(token),
        "mutation($input: SetValidationCriteriaInput!) { setValidationCriteria(input: $input) {
            criteria { partner { slug } country { code } eligibleTypes requiredEvidence referencesForUnregistered validityMonths fourEyes version }
            userErrors { field message code } } }",
        json!({ "partner": partner, "country": "KE", "eligibleTypes": ["NGO", "COMMUNITY_GROUP"],
                "requiredEvidence": ["REGISTRATION_CERTIFICATE", "GOVERNING_DOCUMENT"], "referencesForUnregistered": 2,
                "validityMonths": 12, "fourEyes": four_eyes }),
    )
    .await;
    answer["data"]["setValidationCriteria"].clone()
}

impl Network {
    pub(crate) async fn run(&self, token: &str, name: &str, input: Value) -> Value {
        answer_as(&self.app, Some(token), &case_payload(name), input).await
    }

    /// Runs a step that must succeed and returns the case.
    pub(crate) async fn ok(&self, token: &str, name: &str, input: Value) -> Value {
        let answer = self.run(token, name, input).await;
        assert!(answer.get("errors").is_none(), "{name}: {answer}");
        assert_eq!(answer["data"][name]["userErrors"], json!([]), "{name}: {answer}");
        answer["data"][name]["validation"].clone()
    }

    /// Runs a step that must be refused with the user error `code`, and returns its message.
    pub(crate) async fn refused(&self, token: &str, name: &str, input: Value, code: &str) -> String {
        let answer = self.run(token, name, input).await;
        assert_eq!(answer["data"][name]["validation"], Value::Null, "{name}: {answer}");
        assert_eq!(answer["data"][name]["userErrors"][0]["code"], code, "{name}: {answer}");
        answer["data"][name]["userErrors"][0]["message"].as_str().unwrap_or_default().to_owned()
    }

    /// Opens a case with the documents the partner requires attached (ready to submit).
    pub(crate) async fn open(&self) -> Value {
        let case = self.open_bare().await;
        self.attach_required(&self.owner, &case["id"]).await;
        self.current(&self.owner).await
    }

    /// Attaches the two documents the partner requires of a registered organization.
    pub(crate) async fn attach_required(&self, token: &str, case: &Value) {
        for kind in ["REGISTRATION_CERTIFICATE", "GOVERNING_DOCUMENT"] {
            let answer = self.app.attach_evidence(token, case, kind, &format!("{kind}.pdf"), &pdf(kind)).await;
            assert_eq!(answer["data"]["attachValidationEvidence"]["userErrors"], json!([]), "{answer}");
        }
    }

    /// Opens a case without documents.
    pub(crate) async fn open_bare(&self) -> Value {
        self.ok(&self.owner, "openValidation", json!({ "organization": self.organization })).await
    }

    pub(crate) async fn in_review(&self) -> Value {
        let case = self.open().await;
        let id = case["id"].clone();
        self.ok(&self.owner, "submitValidation", json!({ "validation": id })).await;
        self.ok(&self.validator, "startValidationReview", json!({ "validation": id })).await
    }

    pub(crate) async fn current(&self, token: &str) -> Value {
        let answer = answer_as(
            &self.app,
            Some(token),
            &format!("query($input: ID!) {{ node(id: $input) {{ ... on Organization {{ validation {{ {CASE} }} }} }} }}"),
            json!(self.organization),
        )
        .await;
        answer["data"]["node"]["validation"].clone()
    }
}

#[actix_web::test]
async fn criteria_are_set_by_partner_admins_and_read_by_anyone() {
    let net = network(false).await;
    let read = net
        .app
        .data(
            r#"{ validationCriteria(country: "KE") { partner { slug } eligibleTypes requiredEvidence referencesForUnregistered validityMonths fourEyes version } }"#,
            json!({}),
        )
        .await;
    assert_eq!(
        read["validationCriteria"],
        json!([{ "partner": { "slug": "lake-region-partners" }, "eligibleTypes": ["NGO", "COMMUNITY_GROUP"],
                 "requiredEvidence": ["REGISTRATION_CERTIFICATE", "GOVERNING_DOCUMENT"], "referencesForUnregistered": 2,
                 "validityMonths": 12, "fourEyes": false, "version": 1 }])
    );
    // Setting them again replaces them.
    let again = set_criteria(&net.app, &net.partner_admin, &net.partner, true).await;
    assert_eq!((again["criteria"]["fourEyes"].clone(), again["criteria"]["version"].clone()), (json!(true), json!(2)), "{again}");

    // A validator may not; bad input is reported at once and changes nothing.
    let answer = answer_as(
        &net.app,
        Some(&net.validator),
        "mutation($input: SetValidationCriteriaInput!) { setValidationCriteria(input: $input) { criteria { version } } }",
        json!({ "partner": net.partner, "country": "KE", "eligibleTypes": ["NGO"], "requiredEvidence": [], "validityMonths": 12 }),
    )
    .await;
    assert_error(&answer, "setValidationCriteria", "FORBIDDEN");
    let answer = answer_as(
        &net.app,
        Some(&net.partner_admin),
        "mutation($input: SetValidationCriteriaInput!) { setValidationCriteria(input: $input) { criteria { version } userErrors { field code } } }",
        json!({ "partner": net.partner, "country": "TZ", "eligibleTypes": ["NGO", "NGO"], "requiredEvidence": [],
                "validityMonths": 0, "referencesForUnregistered": 9 }),
    )
    .await;
    assert_eq!(
        answer["data"]["setValidationCriteria"],
        json!({ "criteria": null, "userErrors": [
            { "field": ["input", "eligibleTypes", "1"], "code": "DUPLICATE" },
            { "field": ["input", "referencesForUnregistered"], "code": "OUT_OF_RANGE" },
            { "field": ["input", "validityMonths"], "code": "OUT_OF_RANGE" },
            { "field": ["input", "country"], "code": "INVALID" },
        ]}),
        "{answer}"
    );
    let read = net.app.data(r#"{ validationCriteria(country: "KE") { version fourEyes } }"#, json!({})).await;
    assert_eq!(read["validationCriteria"], json!([{ "version": 2, "fourEyes": true }]));
}

#[actix_web::test]
async fn a_case_goes_from_draft_to_approved_and_expires_or_is_revoked_with_its_history() {
    let net = network(false).await;
    let case = net.open().await;
    // Opened (1), then two documents attached (2, 3).
    assert_eq!((case["status"].clone(), case["partner"].clone(), case["version"].clone()), (json!("DRAFT"), Value::Null, json!(3)));
    let id = case["id"].clone();

    let submitted = net.ok(&net.owner, "submitValidation", json!({ "validation": id, "expectedVersion": 3 })).await;
    assert_eq!(submitted["status"], "SUBMITTED");
    assert_eq!(submitted["partner"]["slug"], "lake-region-partners", "the partner vetting Kenya reviews it");
    assert!(submitted["submittedAt"].is_string());

    let in_review = net.ok(&net.validator, "startValidationReview", json!({ "validation": id })).await;
    assert_eq!(in_review["status"], "IN_REVIEW");

    // Sent back for information, then submitted again.
    let back = net
        .ok(
            &net.validator,
            "decideValidation",
            json!({ "validation": id, "decision": "REQUEST_INFORMATION",
            "reasons": ["DOCUMENTS_UNREADABLE"], "note": "The certificate scan is cut off." }),
        )
        .await;
    assert_eq!((back["status"].clone(), back["reasons"].clone()), (json!("NEEDS_INFORMATION"), json!(["DOCUMENTS_UNREADABLE"])));
    assert_eq!(back["note"], "The certificate scan is cut off.");
    net.ok(&net.owner, "submitValidation", json!({ "validation": id })).await;
    net.ok(&net.validator, "startValidationReview", json!({ "validation": id })).await;

    let approved = net.ok(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" })).await;
    assert_eq!(approved["status"], "APPROVED");
    let valid_until = chrono::DateTime::parse_from_rfc3339(approved["validUntil"].as_str().expect("validUntil")).expect("a time");
    let decided = chrono::DateTime::parse_from_rfc3339(approved["decidedAt"].as_str().expect("decidedAt")).expect("a time");
    let months = (valid_until - decided).num_days();
    assert!((365..=366).contains(&months), "valid for the partner's 12 months: {months} days");

    // The whole history, in order, with reasons and notes.
    let steps: Vec<(Value, Value, Value)> =
        approved["history"].as_array().expect("history").iter().map(|h| (h["from"].clone(), h["to"].clone(), h["event"].clone())).collect();
    assert_eq!(
        steps,
        vec![
            (Value::Null, json!("DRAFT"), json!("validation.opened")),
            (json!("DRAFT"), json!("SUBMITTED"), json!("validation.submitted")),
            (json!("SUBMITTED"), json!("IN_REVIEW"), json!("validation.review_started")),
            (json!("IN_REVIEW"), json!("NEEDS_INFORMATION"), json!("validation.information_requested")),
            (json!("NEEDS_INFORMATION"), json!("SUBMITTED"), json!("validation.submitted")),
            (json!("SUBMITTED"), json!("IN_REVIEW"), json!("validation.review_started")),
            (json!("IN_REVIEW"), json!("APPROVED"), json!("validation.approved")),
        ]
    );
    assert_eq!(approved["history"][3]["reasons"], json!(["DOCUMENTS_UNREADABLE"]));
    assert_eq!(approved["history"][3]["note"], "The certificate scan is cut off.");
    assert_eq!(approved["history"][0]["actorKind"], "USER");

    // organization.validation is the current case, for members and reviewers only.
    assert_eq!(net.current(&net.member).await["status"], "APPROVED");
    assert_eq!(net.current(&net.validator).await["id"], id);
    let stranger = net.app.user_token("stranger@example.org", false).await;
    assert_eq!(net.current(&stranger).await, Value::Null, "not for others");

    // Revoked with a reason; a revoked case cannot be revoked again.
    let message = net.refused(&net.validator, "revokeValidation", json!({ "validation": id, "reasons": [] }), "BLANK").await;
    assert!(message.contains("reason"), "{message}");
    let revoked = net
        .ok(&net.partner_admin, "revokeValidation", json!({ "validation": id, "reasons": ["MISUSE"], "note": "Resold the laptops." }))
        .await;
    assert_eq!((revoked["status"].clone(), revoked["reasons"].clone()), (json!("REVOKED"), json!(["MISUSE"])));
    assert_eq!(revoked["validUntil"], approved["validUntil"], "the end it had is kept");
    let message =
        net.refused(&net.validator, "revokeValidation", json!({ "validation": id, "reasons": ["OTHER"] }), "INVALID_TRANSITION").await;
    assert!(message.contains("REVOKED"), "the message names the current state: {message}");

    // A new case after the revocation renews nothing (it was not approved when opened).
    let renewal = net.open().await;
    assert_eq!(renewal["renewalOf"], Value::Null);
}

#[actix_web::test]
async fn every_illegal_step_is_a_user_error_naming_the_state_and_changes_nothing() {
    let net = network(false).await;
    let case = net.open().await;
    let id = case["id"].clone();
    let decide = |decision: &str| json!({ "validation": id, "decision": decision, "reasons": ["OTHER"] });
    // From DRAFT only submit is allowed.
    for (token, name, input) in [
        (&net.validator, "startValidationReview", json!({ "validation": id })),
        (&net.validator, "decideValidation", decide("APPROVE")),
        (&net.validator, "decideValidation", decide("REJECT")),
        (&net.validator, "decideValidation", decide("REQUEST_INFORMATION")),
        (&net.validator, "revokeValidation", json!({ "validation": id, "reasons": ["OTHER"] })),
    ] {
        let message = net.refused(token, name, input, "INVALID_TRANSITION").await;
        assert!(message.contains("DRAFT"), "{name}: {message}");
    }
    net.ok(&net.owner, "submitValidation", json!({ "validation": id })).await;
    // From SUBMITTED: no second submission, no decision before review.
    let message = net.refused(&net.owner, "submitValidation", json!({ "validation": id }), "INVALID_TRANSITION").await;
    assert!(message.contains("SUBMITTED"), "{message}");
    net.refused(&net.validator, "decideValidation", decide("APPROVE"), "INVALID_TRANSITION").await;
    net.ok(&net.validator, "startValidationReview", json!({ "validation": id })).await;
    // From IN_REVIEW: no new review, no submission, no revocation; a second case cannot be opened.
    net.refused(&net.validator, "startValidationReview", json!({ "validation": id }), "INVALID_TRANSITION").await;
    net.refused(&net.owner, "submitValidation", json!({ "validation": id }), "INVALID_TRANSITION").await;
    net.refused(&net.validator, "revokeValidation", json!({ "validation": id, "reasons": ["OTHER"] }), "INVALID_TRANSITION").await;
    let message = net.refused(&net.owner, "openValidation", json!({ "organization": net.organization }), "INVALID_TRANSITION").await;
    assert!(message.contains("IN_REVIEW"), "{message}");
    // Rejecting needs a reason; then REJECTED is final.
    net.refused(&net.validator, "decideValidation", json!({ "validation": id, "decision": "REJECT" }), "BLANK").await;
    let rejected = net.ok(&net.validator, "decideValidation", decide("REJECT")).await;
    assert_eq!(rejected["status"], "REJECTED");
    for (token, name, input) in [
        (&net.owner, "submitValidation", json!({ "validation": id })),
        (&net.validator, "startValidationReview", json!({ "validation": id })),
        (&net.validator, "decideValidation", decide("APPROVE")),
        (&net.validator, "revokeValidation", json!({ "validation": id, "reasons": ["OTHER"] })),
    ] {
        let message = net.refused(token, name, input, "INVALID_TRANSITION").await;
        assert!(message.contains("REJECTED"), "{name}: {message}");
    }
    let after = net.current(&net.owner).await;
    assert_eq!((after["status"].clone(), after["version"].clone()), (json!("REJECTED"), rejected["version"].clone()), "nothing changed");
    assert_eq!(after["history"].as_array().map(Vec::len), Some(4), "refused steps leave no history");
    // A stale version changes nothing either.
    let fresh = net.open().await;
    net.refused(&net.owner, "submitValidation", json!({ "validation": fresh["id"], "expectedVersion": 7 }), "STALE_VERSION").await;
}

#[actix_web::test]
async fn only_validators_of_the_reviewing_partner_review_and_never_their_own_organization() {
    let net = network(false).await;
    let case = net.open().await;
    let id = case["id"].clone();
    // Members don't submit; only owners and admins.
    let answer = net.run(&net.member, "submitValidation", json!({ "validation": id })).await;
    assert_error(&answer, "submitValidation", "FORBIDDEN");
    net.ok(&net.owner, "submitValidation", json!({ "validation": id })).await;

    // The owner may not review; neither may another partner's validator in Kenya,
    // nor this partner's validator who belongs to the organization.
    let answer = net.run(&net.owner, "startValidationReview", json!({ "validation": id })).await;
    assert_error(&answer, "startValidationReview", "FORBIDDEN");
    let other = create_partner(&net.app, json!({ "name": "Coast Partners", "countries": ["KE"] })).await;
    let other_validator = net
        .app
        .member_token("validator@coast.example.org", MembershipScope::Partner, other["id"].as_str().expect("id"), Role::Validator)
        .await;
    let answer = net.run(&other_validator, "startValidationReview", json!({ "validation": id })).await;
    assert_error(&answer, "startValidationReview", "FORBIDDEN");
    net.app.member_token("insider@lake.example.org", MembershipScope::Partner, &net.partner, Role::Validator).await;
    let insider = net.app.member_token("insider@lake.example.org", MembershipScope::Organization, &net.organization, Role::Member).await;
    let answer = net.run(&insider, "startValidationReview", json!({ "validation": id })).await;
    assert_error(&answer, "startValidationReview", "FORBIDDEN");

    // Someone who may not read the case finds none. A platform admin may
    // review, unless it belongs to the organization (the admin who created it
    // through the API is its owner).
    let stranger = net.app.user_token("stranger@example.org", false).await;
    net.refused(&stranger, "startValidationReview", json!({ "validation": id }), "NOT_FOUND").await;
    let creator = net.app.admin_token().await;
    let answer = net.run(&creator, "startValidationReview", json!({ "validation": id })).await;
    assert_error(&answer, "startValidationReview", "FORBIDDEN");
    let admin = net.app.user_token("platform-reviewer@example.org", true).await;
    assert_eq!(net.ok(&admin, "startValidationReview", json!({ "validation": id })).await["status"], "IN_REVIEW");
}

#[actix_web::test]
async fn four_eyes_needs_a_second_validator_and_concurrent_decisions_have_one_winner() {
    let net = network(true).await;
    let case = net.in_review().await;
    let id = case["id"].clone();
    let first = net.ok(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" })).await;
    assert_eq!((first["status"].clone(), first["awaitingSecondApproval"].clone()), (json!("IN_REVIEW"), json!(true)));
    net.refused(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" }), "SECOND_APPROVAL_REQUIRED").await;
    let second = net.ok(&net.second_validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" })).await;
    assert_eq!((second["status"].clone(), second["awaitingSecondApproval"].clone()), (json!("APPROVED"), json!(false)));
    let events: Vec<Value> = second["history"].as_array().expect("history").iter().map(|h| h["event"].clone()).collect();
    assert_eq!(events[3..], [json!("validation.approval_recorded"), json!("validation.approved")]);

    // Two reviewers decide one case at once: one wins, the other gets CONFLICT
    // (or, when it read the case after the winner, a user error naming the new state).
    let net = network(false).await;
    let case = net.in_review().await;
    let id = case["id"].clone();
    let approve = net.run(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" }));
    let reject =
        net.run(&net.second_validator, "decideValidation", json!({ "validation": id, "decision": "REJECT", "reasons": ["OTHER"] }));
    let (a, b) = futures_util::join!(approve, reject);
    let won = |answer: &Value, name: &str| answer["data"][name]["validation"].is_object();
    assert!(won(&a, "decideValidation") ^ won(&b, "decideValidation"), "exactly one wins: {a} {b}");
    let loser = if won(&a, "decideValidation") { &b } else { &a };
    let code = loser["errors"][0]["extensions"]["code"]
        .as_str()
        .map(str::to_owned)
        .unwrap_or_else(|| loser["data"]["decideValidation"]["userErrors"][0]["code"].as_str().unwrap_or_default().to_owned());
    assert!(code == "CONFLICT" || code == "INVALID_TRANSITION", "{loser}");
    let after = net.current(&net.owner).await;
    assert_eq!(after["history"].as_array().map(Vec::len), Some(4), "one decision recorded: {after}");
}

#[actix_web::test]
async fn without_criteria_in_the_country_a_case_cannot_be_submitted() {
    let app = spawn_app().await;
    create_partner(&app, json!({ "name": "Lake Region Partners", "countries": ["KE"] })).await;
    let organization = create_organization(&app, organization_input("Kisumu Makers")).await["id"].as_str().expect("id").to_owned();
    let owner = app.member_token("owner@kisumu.example.org", MembershipScope::Organization, &organization, Role::Owner).await;
    let opened = answer_as(&app, Some(&owner), &case_payload("openValidation"), json!({ "organization": organization })).await;
    let id = opened["data"]["openValidation"]["validation"]["id"].clone();
    let answer = answer_as(&app, Some(&owner), &case_payload("submitValidation"), json!({ "validation": id })).await;
    assert_eq!(answer["data"]["submitValidation"]["userErrors"][0]["code"], "NO_REVIEWER", "{answer}");
}

#[actix_web::test]
async fn approvals_expire_with_the_clock_and_the_organization_hears_30_days_before() {
    use api::{clock::Clock, jobs::Runner};
    use chrono::{DateTime, Duration, Utc};

    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let case = net.in_review().await;
    let id = case["id"].clone();
    let approved = net.ok(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" })).await;
    assert_eq!(approved["validUntil"], "2027-12-01T10:00:00+00:00", "12 months after the approval");
    // The owners' inboxes, newest first (written in the transactions of the decision and the job).
    let inbox = |token: String| {
        let app = &net.app;
        async move {
            let data = app.data_as(&token, "{ notifications(first: 10) { nodes { kind subject } } }", json!({})).await;
            data["notifications"]["nodes"]
                .as_array()
                .expect("nodes")
                .iter()
                .map(|n| (n["kind"].as_str().unwrap_or_default().to_owned(), n["subject"].clone()))
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(inbox(net.owner.clone()).await, vec![("VALIDATION_APPROVED".to_owned(), id.clone())]);

    let mailer: std::sync::Arc<dyn api::mail::Mailer> =
        std::sync::Arc::new(api::mail::LogMailer::new(Some(net.app.outbox.clone()), clock.clone()));
    let runner = Runner::new(net.app.db.clone(), clock.clone(), api::validations::expiry::register(api::jobs::Registry::new(), mailer));
    let notices = || -> Vec<String> {
        let mut to: Vec<String> = net
            .app
            .emails()
            .into_iter()
            .filter(|(name, _)| name.contains("validation-expiring"))
            .map(|(_, text)| text.lines().next().unwrap_or_default().trim_start_matches("To: ").to_owned())
            .collect();
        to.sort();
        to
    };

    // Nothing is due yet.
    assert_eq!(runner.tick().await.expect("tick").succeeded, 1);
    assert_eq!((net.current(&net.owner).await["status"].clone(), notices()), (json!("APPROVED"), Vec::<String>::new()));

    // 31 days before the end: still nothing; 29 days before: the owners and admins hear it, once.
    clock.advance(Duration::days(334));
    runner.tick().await.expect("tick");
    assert_eq!(notices(), Vec::<String>::new(), "not yet");
    clock.advance(Duration::days(2));
    assert_eq!(runner.tick().await.expect("tick").succeeded, 1);
    assert_eq!(notices(), vec!["admin@civic.example.org".to_owned(), "owner@kisumu.example.org".to_owned()], "its owners, not its members");
    let notice = net.app.emails().into_iter().find(|(name, _)| name.contains("validation-expiring")).expect("a notice").1;
    assert!(notice.contains("2027-12-01") && notice.contains("Kisumu Makers"), "{notice}");
    clock.advance(Duration::hours(2));
    runner.tick().await.expect("tick");
    assert_eq!(notices().len(), 2, "one notice per approval");
    // Access tokens expire with the clock: sign in again.
    let owner = log_in(&net.app, "owner@kisumu.example.org", TEST_PASSWORD).await.0;
    assert_eq!(net.current(&owner).await["status"], "APPROVED");
    let kinds = |list: Vec<(String, Value)>| list.into_iter().map(|(k, _)| k).collect::<Vec<_>>();
    assert_eq!(kinds(inbox(owner.clone()).await), ["VALIDATION_EXPIRING", "VALIDATION_APPROVED"], "one reminder");

    // Past its end, the job expires it through the state machine, once.
    clock.advance(Duration::days(30));
    runner.tick().await.expect("tick");
    let owner = log_in(&net.app, "owner@kisumu.example.org", TEST_PASSWORD).await.0;
    let expired = net.current(&owner).await;
    assert_eq!(expired["status"], "EXPIRED");
    assert_eq!(kinds(inbox(owner.clone()).await), ["VALIDATION_EXPIRED", "VALIDATION_EXPIRING", "VALIDATION_APPROVED"]);
    let last = expired["history"].as_array().and_then(|h| h.last()).cloned().expect("history");
    assert_eq!(
        (last["from"].clone(), last["to"].clone(), last["actorKind"].clone()),
        (json!("APPROVED"), json!("EXPIRED"), json!("SYSTEM"))
    );
    clock.advance(Duration::hours(2));
    runner.tick().await.expect("tick");
    let owner = log_in(&net.app, "owner@kisumu.example.org", TEST_PASSWORD).await.0;
    assert_eq!(net.current(&owner).await["history"], expired["history"], "nothing happens twice");

    // A new case renews the expired approval.
    let renewal = net.ok(&owner, "openValidation", json!({ "organization": net.organization })).await;
    assert_eq!(renewal["renewalOf"], id);
}

#[actix_web::test]
async fn a_partners_queue_lists_its_cases_oldest_first_with_counts_turnaround_and_node_access() {
    use api::clock::Clock;
    use chrono::{DateTime, Duration, Utc};

    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let sign_in = |email: &'static str| {
        let app = &net.app;
        async move { log_in(app, email, TEST_PASSWORD).await.0 }
    };
    // Three organizations submit a day apart.
    let mut cases = Vec::new();
    for (n, name) in ["Kisumu Makers", "Nakuru Weavers", "Eldoret Readers"].into_iter().enumerate() {
        let organization = if n == 0 {
            net.organization.clone()
        } else {
            let mut input = organization_input(name);
            input["registrations"] = json!([{ "kind": "NATIONAL_REGISTRY", "number": format!("OP-218/{n}") }]);
            let id = create_organization(&net.app, input).await["id"].as_str().expect("id").to_owned();
            net.app.member_token("owner@kisumu.example.org", MembershipScope::Organization, &id, Role::Owner).await;
            id
        };
        let owner = sign_in("owner@kisumu.example.org").await;
        let case = net.ok(&owner, "openValidation", json!({ "organization": organization })).await;
        net.attach_required(&owner, &case["id"]).await;
        net.ok(&owner, "submitValidation", json!({ "validation": case["id"] })).await;
        cases.push(case["id"].clone());
        clock.advance(Duration::days(1));
    }
    let queue = |token: String, args: Value| {
        let app = &net.app;
        let partner = net.partner.clone();
        async move {
            let raw = app
                .graphql_as(
                    &token,
                    "query($partner: ID!, $status: ValidationStatus, $first: Int, $after: String, $olderThan: DateTime) {
                        validationQueue(partner: $partner, status: $status, first: $first, after: $after, olderThan: $olderThan) {
                            totalCount nodes { id status } pageInfo { hasNextPage endCursor } } }",
                    {
                        let mut vars = json!({ "partner": partner });
                        if let (Some(vars), Some(args)) = (vars.as_object_mut(), args.as_object()) {
                            vars.extend(args.clone());
                        }
                        vars
                    },
                )
                .await;
            raw.json()
        }
    };
    let validator = sign_in("validator@lake.example.org").await;
    let first = queue(validator.clone(), json!({ "first": 2 })).await;
    let page = &first["data"]["validationQueue"];
    assert_eq!(page["totalCount"], 3, "{first}");
    assert_eq!(page["nodes"], json!([{ "id": cases[0], "status": "SUBMITTED" }, { "id": cases[1], "status": "SUBMITTED" }]));
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    let rest = queue(validator.clone(), json!({ "first": 2, "after": page["pageInfo"]["endCursor"] })).await;
    assert_eq!(rest["data"]["validationQueue"]["nodes"], json!([{ "id": cases[2], "status": "SUBMITTED" }]));
    let older = queue(validator.clone(), json!({ "first": 10, "olderThan": (start + Duration::hours(36)).to_rfc3339() })).await;
    assert_eq!(older["data"]["validationQueue"]["totalCount"], 2, "{older}");

    // Decisions: the first approved 5 days after its submission, the second rejected 4 days after.
    net.ok(&validator, "startValidationReview", json!({ "validation": cases[0] })).await;
    net.ok(&validator, "startValidationReview", json!({ "validation": cases[1] })).await;
    clock.advance(Duration::days(2)); // start + 5 days
    let validator = sign_in("validator@lake.example.org").await;
    net.ok(&validator, "decideValidation", json!({ "validation": cases[0], "decision": "APPROVE" })).await;
    net.ok(&validator, "decideValidation", json!({ "validation": cases[1], "decision": "REJECT", "reasons": ["NOT_CIVIL_SOCIETY"] })).await;
    let submitted = queue(validator.clone(), json!({ "first": 10 })).await;
    assert_eq!(submitted["data"]["validationQueue"]["nodes"], json!([{ "id": cases[2], "status": "SUBMITTED" }]));
    let approved = queue(validator.clone(), json!({ "first": 10, "status": "APPROVED" })).await;
    assert_eq!(approved["data"]["validationQueue"]["nodes"], json!([{ "id": cases[0], "status": "APPROVED" }]));
    let figures = net
        .app
        .data_as(
            &validator,
            "query($p: ID!) { validationCounts(partner: $p) { status count } validationTurnaround(partner: $p) { month decided medianDays } }",
            json!({ "p": net.partner }),
        )
        .await;
    assert_eq!(
        figures["validationCounts"],
        json!([{ "status": "SUBMITTED", "count": 1 }, { "status": "APPROVED", "count": 1 }, { "status": "REJECTED", "count": 1 }])
    );
    assert_eq!(figures["validationTurnaround"], json!([{ "month": "2026-12", "decided": 2, "medianDays": 4.5 }]), "median of 5 and 4 days");

    // Only the partner's validators and admins (and platform admins) see its queue.
    for email in ["owner@kisumu.example.org", "member@kisumu.example.org"] {
        let token = sign_in(email).await;
        let answer = queue(token, json!({ "first": 1 })).await;
        assert_eq!(crate::helpers::first_error_code(&answer), "FORBIDDEN", "{email}: {answer}");
    }
    let anonymous = net.app.graphql("query($p: ID!) { validationCounts(partner: $p) { count } }", json!({ "p": net.partner })).await;
    assert_eq!(crate::helpers::first_error_code(&anonymous), "UNAUTHENTICATED");

    // node(id:) answers a case to its readers only.
    let node = "query($id: ID!) { node(id: $id) { ... on Validation { status } } }";
    let seen = net.app.data_as(&validator, node, json!({ "id": cases[0] })).await;
    assert_eq!(seen["node"], json!({ "status": "APPROVED" }));
    let stranger = net.app.user_token("stranger@example.org", false).await;
    assert_eq!(net.app.data_as(&stranger, node, json!({ "id": cases[0] })).await["node"], Value::Null);
}

#[actix_web::test]
async fn organizations_filter_by_validated_and_by_the_status_of_their_current_case() {
    let net = network(false).await;
    create_organization(&net.app, organization_input("Nakuru Weavers")).await;
    let case = net.in_review().await;
    let list = |filter: Value| async move {
        let query = "query($f: OrganizationFilter) { organizations(first: 10, filter: $f) { totalCount nodes { displayName } } }";
        (query, json!({ "f": filter }))
    };
    let names = |answer: &Value| -> Vec<String> {
        answer["data"]["organizations"]["nodes"]
            .as_array()
            .map(|nodes| nodes.iter().filter_map(|n| n["displayName"].as_str().map(str::to_owned)).collect())
            .unwrap_or_default()
    };
    let (query, vars) = list(json!({ "country": "KE", "isValidated": true })).await;
    assert_eq!(names(&net.app.graphql(query, vars).await), Vec::<String>::new(), "nobody is validated yet");

    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    // Anyone may ask who is validated (among what they may see).
    let (query, vars) = list(json!({ "country": "KE", "isValidated": true })).await;
    assert_eq!(names(&net.app.graphql(query, vars).await), vec!["Kisumu Makers".to_owned()]);
    let (query, vars) = list(json!({ "country": "KE", "isValidated": false })).await;
    assert_eq!(names(&net.app.graphql(query, vars).await), vec!["Nakuru Weavers".to_owned()]);

    // A renewal opened: still validated, but its current case is a DRAFT.
    net.open().await;
    let (query, vars) = list(json!({ "country": "KE", "isValidated": true })).await;
    assert_eq!(names(&net.app.graphql(query, vars).await), vec!["Kisumu Makers".to_owned()], "the approval still runs");
    for (status, expected) in [("DRAFT", vec!["Kisumu Makers".to_owned()]), ("APPROVED", Vec::new())] {
        let (query, vars) = list(json!({ "country": "KE", "validationStatus": status })).await;
        let raw = net.app.graphql_as(&net.validator, query, vars).await;
        assert_eq!(names(&raw.json()), expected, "{status}: {}", raw.body);
    }
    // The status of cases is for their readers: partner staff (in their countries) and platform admins.
    let (query, vars) = list(json!({ "validationStatus": "DRAFT" })).await;
    let raw = net.app.graphql_as(&net.owner, query, vars).await;
    assert_eq!(crate::helpers::first_error_code(&raw.json()), "FORBIDDEN", "{}", raw.body);
    let (query, vars) = list(json!({ "validationStatus": "DRAFT" })).await;
    assert_eq!(crate::helpers::first_error_code(&net.app.graphql(query, vars).await), "UNAUTHENTICATED");
}

#[actix_web::test]
async fn the_demo_has_criteria_for_every_partner_country_and_a_case_in_every_status() {
    use sea_orm::{EntityTrait, PaginatorTrait};

    let app = spawn_app().await;
    app.seed_demo().await;
    let pairs = entity::partner_country::Entity::find().count(&app.db).await.expect("count");
    let criteria = entity::validation_criteria::Entity::find().count(&app.db).await.expect("count");
    assert!(pairs > 0);
    assert_eq!(criteria, pairs, "criteria for every partner and country it serves");
    let mut statuses: Vec<String> = entity::validation::Entity::find()
        .all(&app.db)
        .await
        .expect("cases")
        .into_iter()
        .map(|c| api::validations::state::status_name(c.status).to_owned())
        .collect();
    statuses.sort();
    assert_eq!(
        statuses,
        ["APPROVED", "DRAFT", "EXPIRED", "IN_REVIEW", "NEEDS_INFORMATION", "REJECTED", "REVOKED", "SUBMITTED"].map(str::to_owned).to_vec()
    );
    // Seeding again adds nothing.
    app.seed_demo().await;
    assert_eq!(entity::validation::Entity::find().count(&app.db).await.expect("count"), 8);
    assert_eq!(entity::validation_criteria::Entity::find().count(&app.db).await.expect("count"), criteria);
}

#[actix_web::test]
async fn anyone_who_sees_an_organization_sees_its_badge_while_the_approval_is_in_force() {
    use api::clock::Clock;
    use chrono::{DateTime, Duration, Utc};

    let start: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-12-01T10:00:00Z").expect("time").with_timezone(&Utc);
    let clock = Clock::manual(start);
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let badge = || async {
        let answer = net
            .app
            .graphql(
                "query($id: ID!) { node(id: $id) { ... on Organization { validationBadge { validUntil partner { slug } } validation { status } } } }",
                json!({ "id": net.organization }),
            )
            .await;
        answer["data"]["node"].clone()
    };
    assert_eq!(badge().await["validationBadge"], Value::Null, "not validated yet");
    let case = net.in_review().await;
    assert_eq!(badge().await["validationBadge"], Value::Null, "in review is not validated");
    net.ok(&net.validator, "decideValidation", json!({ "validation": case["id"], "decision": "APPROVE" })).await;
    let shown = badge().await;
    assert_eq!(
        shown["validationBadge"],
        json!({ "validUntil": "2027-12-01T10:00:00+00:00", "partner": { "slug": "lake-region-partners" } }),
        "{shown}"
    );
    assert_eq!(shown["validation"], Value::Null, "the case itself stays private");
    clock.advance(Duration::days(366));
    assert_eq!(badge().await["validationBadge"], Value::Null, "its validity ended (before the expiry job runs)");
}
