//! Evidence documents of validation cases (issue 10, item 2) as clients see
//! them: uploads with the GraphQL multipart request specification, checked on
//! their bytes (a lying content type, too big, empty), required at
//! submission, carried into a renewal, and downloaded through signed links by
//! the people entitled to them only, each download in the audit log.

use entity::enums::{MembershipScope, Role};
use serde_json::{Value, json};

use crate::{
    helpers::{TEST_PASSWORD, answer_as, create_organization, log_in, organization_input, pdf, spawn_app, spawn_app_with_clock},
    validations::{Network, network, network_in},
};

const EVIDENCE: &str = "query($input: ID!) { node(id: $input) { ... on Validation { version status
    evidence { id kind fileName mediaType sizeBytes sha256 downloadUrl } } } }";

/// The 8-byte PNG signature and an IHDR chunk: what `infer` needs to say PNG.
fn png() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00".to_vec();
    bytes.extend_from_slice(&[0x1f, 0x15, 0xc4, 0x89]);
    bytes
}

async fn evidence_of(net: &Network, token: &str, case: &Value) -> Value {
    answer_as(&net.app, Some(token), EVIDENCE, json!(case)).await["data"]["node"].clone()
}

fn user_error(answer: &Value) -> (String, String) {
    let error = &answer["data"]["attachValidationEvidence"]["userErrors"][0];
    (error["code"].as_str().unwrap_or_default().to_owned(), error["message"].as_str().unwrap_or_default().to_owned())
}

async fn download(net: &Network, url: &str) -> crate::helpers::Raw {
    net.app.get(url, None).await
}

#[actix_web::test]
async fn documents_are_checked_on_their_bytes_and_a_refused_one_changes_nothing() {
    let net = network_in(
        spawn_app_with_clock(api::config::AppEnv::Development, &[("EVIDENCE_MAX_BYTES", "4096")], api::clock::Clock::system()).await,
        false,
    )
    .await;
    let case = net.open_bare().await;
    let id = case["id"].clone();

    // HTML claiming to be a PDF, by its name and its content type.
    let lying =
        net.app.attach_evidence(&net.owner, &id, "GOVERNING_DOCUMENT", "statutes.pdf", b"<html><script>alert(1)</script></html>").await;
    let (code, message) = user_error(&lying);
    assert_eq!(code, "UNSUPPORTED_FILE_TYPE", "{lying}");
    assert!(message.contains("PDF, PNG or JPEG"), "{message}");
    // A PDF header tucked inside something else is not a PDF either.
    let mut polyglot = b"<html>".to_vec();
    polyglot.extend_from_slice(&pdf("hidden"));
    assert_eq!(
        user_error(&net.app.attach_evidence(&net.owner, &id, "GOVERNING_DOCUMENT", "x.pdf", &polyglot).await).0,
        "UNSUPPORTED_FILE_TYPE"
    );
    // Empty.
    let empty = net.app.attach_evidence(&net.owner, &id, "GOVERNING_DOCUMENT", "empty.pdf", b"").await;
    assert_eq!(user_error(&empty).0, "BLANK", "{empty}");
    // Over the limit (4 KiB here): refused before the request runs.
    let mut big = pdf("big");
    big.resize(5000, b' ');
    let raw = net
        .app
        .upload(
            Some(&net.owner),
            "mutation($input: AttachValidationEvidenceInput!) { attachValidationEvidence(input: $input) { userErrors { code } } }",
            json!({ "input": { "validation": id, "kind": "GOVERNING_DOCUMENT", "file": null } }),
            &[("variables.input.file", "big.pdf", "application/pdf", &big)],
        )
        .await;
    assert_eq!(raw.status, 413, "{}", raw.body);
    assert_eq!(raw.json()["errors"][0]["extensions"]["code"], "PAYLOAD_TOO_LARGE", "{}", raw.body);
    assert!(raw.body.contains("4 KiB"), "{}", raw.body);

    let after = evidence_of(&net, &net.owner, &id).await;
    assert_eq!((after["version"].clone(), after["evidence"].clone()), (json!(1), json!([])), "nothing changed: {after}");

    // The type comes from the bytes: a PNG sent as "application/pdf" is kept as a PNG.
    let png = png();
    let kept = net.app.attach_evidence(&net.owner, &id, "GOVERNING_DOCUMENT", "../../scan.pdf", &png).await;
    let evidence = &kept["data"]["attachValidationEvidence"]["evidence"];
    assert_eq!(evidence["mediaType"], "image/png", "{kept}");
    assert_eq!(evidence["fileName"], "scan.pdf", "only the last segment of a path is kept");
    assert_eq!(evidence["sizeBytes"], png.len());
    assert_eq!(evidence["sha256"].as_str().map(str::len), Some(64));
    assert_eq!(kept["data"]["attachValidationEvidence"]["validation"]["version"], 2, "the case moved on");
}

#[actix_web::test]
async fn uploads_need_credentials_and_a_file_the_request_carries() {
    let net = network(false).await;
    let case = net.open_bare().await;
    let document = "mutation($input: AttachValidationEvidenceInput!) { attachValidationEvidence(input: $input) { userErrors { code } } }";
    let variables = json!({ "input": { "validation": case["id"], "kind": "GOVERNING_DOCUMENT", "file": null } });
    let file = pdf("statutes");
    // Anonymous multipart (e.g. a form posted from another site): refused before the body is read.
    let raw = net.app.upload(None, document, variables.clone(), &[("variables.input.file", "s.pdf", "application/pdf", &file)]).await;
    assert_eq!(raw.status, 401, "{}", raw.body);
    assert_eq!(raw.json()["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");

    // A client typing the marker async-graphql uses for files, in JSON or inline: an error, never a crash.
    for marker in ["#__graphql_file__:0", "#__graphql_file__:x", "#__graphql_file__:99999999999999999999999"] {
        let mut vars = variables.clone();
        vars["input"]["file"] = json!(marker);
        let answer = answer_as(&net.app, Some(&net.owner), document, vars["input"].clone()).await;
        assert!(answer["errors"][0]["message"].as_str().is_some_and(|m| m.contains("multipart")), "{marker}: {answer}");
        let inline = format!(
            "mutation {{ attachValidationEvidence(input: {{ validation: \"{}\", kind: OTHER, file: \"{marker}\" }}) {{ userErrors {{ code }} }} }}",
            case["id"].as_str().expect("id")
        );
        let answer = answer_as(&net.app, Some(&net.owner), &inline, json!({})).await;
        assert!(answer["errors"].is_array(), "{marker}: {answer}");
    }
    // A map naming no variable leaves the file argument empty: a validation error naming the Upload.
    let raw =
        net.app.upload(Some(&net.owner), document, variables.clone(), &[("variables.nothing", "s.pdf", "application/pdf", &file)]).await;
    let answer = raw.json();
    assert_eq!(answer["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED", "{}", raw.body);
    assert!(answer["errors"][0]["message"].as_str().is_some_and(|m| m.contains("Upload")), "{}", raw.body);
    // Not multipart at all, without credentials: refused before the body is read.
    let raw = net.app.post_raw(Some("multipart/form-data; boundary=x"), None, "garbage").await;
    assert_eq!(raw.status, 401, "{}", raw.body);
    // With credentials: a clear 400.
    let mut res = net
        .app
        .client
        .post(format!("{}/graphql", net.app.address))
        .insert_header(("content-type", "multipart/form-data; boundary=x"))
        .insert_header(("authorization", format!("Bearer {}", net.owner)))
        .send_body("garbage")
        .await
        .expect("sent");
    assert_eq!(res.status().as_u16(), 400);
    let body: Value = serde_json::from_slice(&res.body().await.expect("body")).expect("json");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST", "{body}");
    // The server still answers.
    let ok = net.app.attach_evidence(&net.owner, &case["id"], "GOVERNING_DOCUMENT", "statutes.pdf", &file).await;
    assert_eq!(ok["data"]["attachValidationEvidence"]["userErrors"], json!([]), "{ok}");
}

#[actix_web::test]
async fn only_the_organizations_owners_and_admins_attach_and_only_while_it_prepares_its_case() {
    let net = network(false).await;
    let case = net.open_bare().await;
    let id = case["id"].clone();
    let file = pdf("statutes");
    for (who, token) in [("member", &net.member), ("validator", &net.validator)] {
        let answer = net.app.attach_evidence(token, &id, "GOVERNING_DOCUMENT", "s.pdf", &file).await;
        let code = answer["errors"][0]["extensions"]["code"].as_str().map(str::to_owned).unwrap_or_else(|| user_error(&answer).0);
        assert!(code == "FORBIDDEN" || code == "NOT_FOUND", "{who}: {answer}");
    }
    // Submission asks for what the partner requires, naming each kind.
    let refused = net.run(&net.owner, "submitValidation", json!({ "validation": id })).await;
    let errors = refused["data"]["submitValidation"]["userErrors"].as_array().cloned().unwrap_or_default();
    let messages: Vec<&str> = errors.iter().filter(|e| e["code"] == "EVIDENCE_MISSING").filter_map(|e| e["message"].as_str()).collect();
    assert!(
        messages.iter().any(|m| m.contains("REGISTRATION_CERTIFICATE")) && messages.iter().any(|m| m.contains("GOVERNING_DOCUMENT")),
        "{refused}"
    );

    net.attach_required(&net.owner, &id).await;
    // A document attached by mistake is removed; then it is missing again.
    let listed = evidence_of(&net, &net.owner, &id).await;
    let certificate =
        listed["evidence"].as_array().and_then(|a| a.iter().find(|e| e["kind"] == "REGISTRATION_CERTIFICATE")).cloned().expect("attached");
    let remove = "mutation($input: RemoveValidationEvidenceInput!) { removeValidationEvidence(input: $input) { validation { version } userErrors { code } } }";
    let removed = answer_as(&net.app, Some(&net.owner), remove, json!({ "evidence": certificate["id"] })).await;
    assert_eq!(removed["data"]["removeValidationEvidence"]["userErrors"], json!([]), "{removed}");
    net.refused(&net.owner, "submitValidation", json!({ "validation": id }), "EVIDENCE_MISSING").await;
    net.attach_required(&net.owner, &id).await;
    net.ok(&net.owner, "submitValidation", json!({ "validation": id })).await;

    // Submitted: documents no longer change.
    let late = net.app.attach_evidence(&net.owner, &id, "ANNUAL_REPORT", "r.pdf", &pdf("report")).await;
    let (code, message) = user_error(&late);
    assert_eq!(code, "INVALID_TRANSITION", "{late}");
    assert!(message.contains("SUBMITTED"), "{message}");
    let late_remove = answer_as(&net.app, Some(&net.owner), remove, json!({ "evidence": certificate["id"] })).await;
    assert!(late_remove["data"]["removeValidationEvidence"]["userErrors"][0]["code"].is_string(), "{late_remove}");
}

#[actix_web::test]
async fn an_unregistered_group_stands_on_reference_letters() {
    let net = network(false).await;
    let group = create_organization(&net.app, organization_input("Kondele Youth Circle")).await["id"].as_str().expect("id").to_owned();
    let owner = net.app.member_token("owner@kondele.example.org", MembershipScope::Organization, &group, Role::Owner).await;
    let case = net.ok(&owner, "openValidation", json!({ "organization": group })).await;
    let id = case["id"].clone();
    net.app.attach_evidence(&owner, &id, "GOVERNING_DOCUMENT", "constitution.pdf", &pdf("constitution")).await;
    net.app.attach_evidence(&owner, &id, "REFERENCE_LETTER", "ref-1.pdf", &pdf("reference one")).await;
    let message = net.refused(&owner, "submitValidation", json!({ "validation": id }), "EVIDENCE_MISSING").await;
    assert!(message.contains("2 REFERENCE_LETTER") && message.contains("1 attached"), "{message}");
    net.app.attach_evidence(&owner, &id, "REFERENCE_LETTER", "ref-2.pdf", &pdf("reference two")).await;
    let submitted = net.ok(&owner, "submitValidation", json!({ "validation": id })).await;
    assert_eq!(submitted["status"], "SUBMITTED", "no registration certificate asked of an unregistered group");
}

#[actix_web::test]
async fn documents_are_downloaded_by_those_entitled_through_short_lived_links_each_in_the_audit_log() {
    use api::clock::Clock;
    use chrono::{Duration, Utc};

    let clock = Clock::manual(Utc::now());
    let net = network_in(spawn_app_with_clock(api::config::AppEnv::Development, &[], clock.clone()).await, false).await;
    let case = net.open().await;
    let id = case["id"].clone();
    let mine = evidence_of(&net, &net.owner, &id).await;
    let document = mine["evidence"][0].clone();
    let url = document["downloadUrl"].as_str().expect("a link for the owner").to_owned();
    assert!(url.starts_with("/evidence/"), "{url}");

    let got = download(&net, &url).await;
    assert_eq!(got.status, 200, "{}", got.body);
    assert_eq!(got.headers.get("content-type").map(String::as_str), Some("application/pdf"));
    assert!(got.headers.get("content-disposition").is_some_and(|d| d.starts_with("attachment;")), "{:?}", got.headers);
    assert_eq!(got.headers.get("cache-control").map(String::as_str), Some("private, no-store"));
    assert_eq!(got.body.as_bytes(), pdf("REGISTRATION_CERTIFICATE").as_slice(), "the bytes uploaded");

    // Before submission no partner sees the documents; a plain member never does.
    assert_eq!(evidence_of(&net, &net.validator, &id).await["evidence"], Value::Null);
    assert_eq!(evidence_of(&net, &net.member, &id).await["evidence"], Value::Null);
    // Links are the caller's: an access token, another document's link, a tampered one: 401.
    let evidence_id = url.trim_start_matches("/evidence/").split('?').next().expect("id").to_owned();
    let other = mine["evidence"][1]["downloadUrl"].as_str().expect("second link").to_owned();
    let other_token = other.split("token=").nth(1).expect("token");
    for (what, bad) in [
        ("an access token", format!("/evidence/{evidence_id}?token={}", net.member)),
        ("another document's link", format!("/evidence/{evidence_id}?token={other_token}")),
        ("a tampered link", format!("{url}x")),
        ("no token", format!("/evidence/{evidence_id}")),
    ] {
        let raw = download(&net, &bad).await;
        assert_eq!(raw.status, 401, "{what}: {}", raw.body);
        assert_eq!(raw.json()["errors"][0]["extensions"]["code"], "UNAUTHENTICATED", "{what}");
    }
    assert_eq!(download(&net, "/evidence/not-a-uuid?token=x").await.status, 404);

    // Submitted: the reviewing partner's validator sees them and downloads.
    net.ok(&net.owner, "submitValidation", json!({ "validation": id })).await;
    let theirs = evidence_of(&net, &net.validator, &id).await;
    let validator_url = theirs["evidence"][0]["downloadUrl"].as_str().expect("a link for the validator").to_owned();
    assert_eq!(download(&net, &validator_url).await.status, 200);
    // A link outlives no entitlement: a validator who leaves the partner holds a dead link.
    let leaving = evidence_of(&net, &net.second_validator, &id).await["evidence"][0]["downloadUrl"].as_str().expect("link").to_owned();
    let left = answer_as(
        &net.app,
        Some(&net.second_validator),
        "mutation($input: LeaveMembershipInput!) { leaveMembership(input: $input) { userErrors { code } } }",
        json!({ "scope": "PARTNER", "scopeId": net.partner }),
    )
    .await;
    assert_eq!(left["data"]["leaveMembership"]["userErrors"], json!([]), "{left}");
    let refused = download(&net, &leaving).await;
    assert_eq!(refused.status, 404, "not entitled any more: {}", refused.body);
    // Staff of the partner without a reviewer's role: no documents.
    let manager = net.app.member_token("manager@lake.example.org", MembershipScope::Partner, &net.partner, Role::ProgramManager).await;
    assert_eq!(evidence_of(&net, &manager, &id).await["evidence"], Value::Null);

    // Links last five minutes.
    clock.advance(Duration::minutes(6));
    let expired = download(&net, &url).await;
    assert_eq!(expired.status, 401, "{}", expired.body);
    assert!(expired.body.contains("expired"), "{}", expired.body);

    // ... and only while their session does: a logout ends them.
    let owner = log_in(&net.app, "owner@kisumu.example.org", TEST_PASSWORD).await.0;
    let fresh = evidence_of(&net, &owner, &id).await["evidence"][0]["downloadUrl"].as_str().expect("link").to_owned();
    assert_eq!(download(&net, &fresh).await.status, 200);
    let out = answer_as(&net.app, Some(&owner), "mutation { logOut { revokedSessions } }", json!({})).await;
    assert!(out.get("errors").is_none(), "{out}");
    assert_eq!(download(&net, &fresh).await.status, 401, "the session ended");

    // Every download is in the audit log, with who and which document.
    let admin = net.app.admin_token().await;
    let audit = net.app.data_as(&admin, "{ auditEvents(last: 20) { action actorId subjectType subjectId } }", json!({})).await;
    let downloads: Vec<&Value> =
        audit["auditEvents"].as_array().expect("list").iter().filter(|e| e["action"] == "validation_evidence.download").collect();
    assert_eq!(downloads.len(), 3, "owner, validator, owner again: {audit}");
    assert!(downloads.iter().all(|e| e["subjectType"] == "ValidationEvidence" && e["actorId"].is_string()), "{audit}");
    assert_eq!(
        downloads.iter().filter(|e| e["subjectId"] == document["id"]).count(),
        3,
        "the document downloaded, by its global ID: {audit}"
    );
}

#[actix_web::test]
async fn a_renewal_starts_from_the_documents_of_the_approval_it_renews() {
    let net = network(false).await;
    let case = net.in_review().await;
    let id = case["id"].clone();
    net.ok(&net.validator, "decideValidation", json!({ "validation": id, "decision": "APPROVE" })).await;
    let approved = evidence_of(&net, &net.owner, &id).await;
    let renewal = net.open_bare().await;
    assert_eq!(renewal["renewalOf"], id);
    let carried = evidence_of(&net, &net.owner, &renewal["id"]).await;
    let hashes = |v: &Value| {
        let mut h: Vec<String> = v["evidence"].as_array().expect("list").iter().map(|e| format!("{}{}", e["kind"], e["sha256"])).collect();
        h.sort();
        h
    };
    assert_eq!(hashes(&carried), hashes(&approved), "{carried}");
    assert_ne!(carried["evidence"][0]["id"], approved["evidence"][0]["id"], "new records, the same documents");
    net.ok(&net.owner, "submitValidation", json!({ "validation": renewal["id"] })).await;
}

#[actix_web::test]
async fn the_demo_cases_carry_downloadable_documents() {
    let app = spawn_app().await;
    app.seed_demo().await;
    let admin = app.admin_token().await;
    let data = app
        .data_as(
            &admin,
            "{ organizations(first: 100) { nodes { validation { status evidence { kind mediaType downloadUrl } } } } }",
            json!({}),
        )
        .await;
    let nodes: Vec<Value> =
        data["organizations"]["nodes"].as_array().cloned().unwrap_or_default().into_iter().map(|n| n["validation"].clone()).collect();
    let submitted: Vec<&Value> = nodes.iter().filter(|n| n.is_object() && n["status"] != "DRAFT").collect();
    assert!(!submitted.is_empty(), "{data}");
    for node in &submitted {
        let evidence = node["evidence"].as_array().expect("admins see documents");
        assert!(evidence.len() >= 2, "{node}");
        assert!(evidence.iter().all(|e| e["mediaType"] == "application/pdf"));
    }
    let url = submitted[0]["evidence"][0]["downloadUrl"].as_str().expect("link");
    let raw = app.get(url, None).await;
    assert_eq!(raw.status, 200);
    assert!(raw.body.starts_with("%PDF-1.4") && raw.body.trim_end().ends_with("%%EOF"), "{}", &raw.body[..40.min(raw.body.len())]);
}
