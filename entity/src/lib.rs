//! SeaORM entities and active enums of civic-graph.
//!
//! Nothing else lives here: no GraphQL derives, no business rules. The API maps
//! these models into its own GraphQL types, so a new column can never leak by
//! accident.

pub mod api_key;
pub mod audit_event;
pub mod calendar_feed;
pub mod donation_request;
pub mod donor;
pub mod donor_country;
pub mod email_token;
pub mod enums;
pub mod event;
pub mod focus_area;
pub mod invitation;
pub mod job;
pub mod job_schedule;
pub mod membership;
pub mod notification;
pub mod organization;
pub mod organization_challenge;
pub mod organization_focus_area;
pub mod organization_registration;
pub mod partner;
pub mod partner_country;
pub mod program;
pub mod program_country;
pub mod program_text;
pub mod string_list;
pub mod training;
pub mod training_co_organizer;
pub mod training_feedback;
pub mod training_language;
pub mod training_registration;
pub mod training_session;
pub mod training_topic;
pub mod training_topic_link;
pub mod user;
pub mod validation;
pub mod validation_criteria;
pub mod validation_evidence;
pub mod validation_lookup;
pub mod validation_share_token;
pub mod webhook_attempt;
pub mod webhook_delivery;
pub mod webhook_endpoint;

pub use string_list::StringList;
