//! Active enums shared by the tables. Stored as short lowercase strings so the
//! database stays readable and portable between SQLite and PostgreSQL.

use sea_orm::entity::prelude::*;

/// Lifecycle of a network partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum PartnerStatus {
    /// Serving its countries.
    #[sea_orm(string_value = "active")]
    Active,
    /// Temporarily not taking new work.
    #[sea_orm(string_value = "paused")]
    Paused,
    /// Left the network; kept for history.
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Kind of civil-society organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum OrganizationType {
    /// A registered charity.
    #[sea_orm(string_value = "charity")]
    Charity,
    /// A non-governmental organization.
    #[sea_orm(string_value = "ngo")]
    Ngo,
    /// A community-based group, often unregistered.
    #[sea_orm(string_value = "community_group")]
    CommunityGroup,
    /// A cooperative.
    #[sea_orm(string_value = "cooperative")]
    Cooperative,
    /// A faith-based organization.
    #[sea_orm(string_value = "faith_based")]
    FaithBased,
    /// An advocacy group.
    #[sea_orm(string_value = "advocacy")]
    Advocacy,
    /// A social enterprise.
    #[sea_orm(string_value = "social_enterprise")]
    SocialEnterprise,
    /// A public or community library.
    #[sea_orm(string_value = "library")]
    Library,
    /// A grant-making or operating foundation.
    #[sea_orm(string_value = "foundation")]
    Foundation,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

/// Who may see an organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum Visibility {
    /// Anyone, signed in or not.
    #[sea_orm(string_value = "public")]
    Public,
    /// Signed-in users of the network.
    #[sea_orm(string_value = "network")]
    Network,
    /// Only its members, the partner serving its country and platform admins.
    #[sea_orm(string_value = "hidden")]
    Hidden,
}

/// Band of paid staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum StaffSize {
    /// No paid staff.
    #[sea_orm(string_value = "volunteer_only")]
    VolunteerOnly,
    /// 1 to 10.
    #[sea_orm(string_value = "1_10")]
    Size1To10,
    /// 11 to 50.
    #[sea_orm(string_value = "11_50")]
    Size11To50,
    /// 51 to 200.
    #[sea_orm(string_value = "51_200")]
    Size51To200,
    /// 201 to 1000.
    #[sea_orm(string_value = "201_1000")]
    Size201To1000,
    /// More than 1000.
    #[sea_orm(string_value = "1001_plus")]
    Size1001Plus,
}

/// Kind of registration identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum RegistrationKind {
    /// A national registry of associations or companies.
    #[sea_orm(string_value = "national_registry")]
    NationalRegistry,
    /// A charity register.
    #[sea_orm(string_value = "charity_register")]
    CharityRegister,
    /// A tax identifier.
    #[sea_orm(string_value = "tax_id")]
    TaxId,
    /// A register of cooperatives.
    #[sea_orm(string_value = "cooperative_register")]
    CooperativeRegister,
    /// Any other official identifier.
    #[sea_orm(string_value = "other")]
    Other,
}

/// What a one-time e-mail token is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TokenPurpose {
    /// Proves the user reads the e-mail address.
    #[sea_orm(string_value = "verify_email")]
    VerifyEmail,
    /// Lets the user choose a new password.
    #[sea_orm(string_value = "reset_password")]
    ResetPassword,
}

/// What a membership gives a role in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum MembershipScope {
    /// A civil-society organization.
    #[sea_orm(string_value = "organization")]
    Organization,
    /// A network partner.
    #[sea_orm(string_value = "partner")]
    Partner,
    /// A donor company.
    #[sea_orm(string_value = "donor")]
    Donor,
}

/// A role within a scope. Organization: owner, admin, member. Partner: admin,
/// validator, program manager. Donor: admin, integrator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum Role {
    /// Owns an organization (the last owner cannot leave).
    #[sea_orm(string_value = "owner")]
    Owner,
    /// Administers an organization, partner or donor.
    #[sea_orm(string_value = "admin")]
    Admin,
    /// A member of an organization.
    #[sea_orm(string_value = "member")]
    Member,
    /// Partner staff who vet organizations.
    #[sea_orm(string_value = "validator")]
    Validator,
    /// Partner staff who run programs.
    #[sea_orm(string_value = "program_manager")]
    ProgramManager,
    /// Donor staff who connect their systems.
    #[sea_orm(string_value = "integrator")]
    Integrator,
}

/// Where a validation case stands. The transitions between them are decided in
/// one place: the API's `validations::state`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ValidationStatus {
    /// Opened by the organization; evidence being gathered.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Sent to the reviewing partner.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// A validator is reviewing it.
    #[sea_orm(string_value = "in_review")]
    InReview,
    /// Sent back to the organization for more information.
    #[sea_orm(string_value = "needs_information")]
    NeedsInformation,
    /// Vetted: eligible until its validity ends.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Not vetted.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Its validity ended.
    #[sea_orm(string_value = "expired")]
    Expired,
    /// Withdrawn after approval, with a reason.
    #[sea_orm(string_value = "revoked")]
    Revoked,
}

/// A kind of evidence an organization attaches to its validation case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum EvidenceKind {
    /// A certificate of registration with the national registry.
    #[sea_orm(string_value = "registration_certificate")]
    RegistrationCertificate,
    /// A letter granting tax exemption.
    #[sea_orm(string_value = "tax_exemption_letter")]
    TaxExemptionLetter,
    /// Statutes, constitution or bylaws.
    #[sea_orm(string_value = "governing_document")]
    GoverningDocument,
    /// The latest annual report.
    #[sea_orm(string_value = "annual_report")]
    AnnualReport,
    /// Financial statements.
    #[sea_orm(string_value = "financial_statement")]
    FinancialStatement,
    /// A reference letter from a validated organization.
    #[sea_orm(string_value = "reference_letter")]
    ReferenceLetter,
    /// Anything else the partner asked for.
    #[sea_orm(string_value = "other")]
    Other,
}

/// What a program donates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(24))")]
pub enum ProgramCategory {
    /// Software licenses.
    #[sea_orm(string_value = "software")]
    Software,
    /// Cloud credits.
    #[sea_orm(string_value = "cloud_credits")]
    CloudCredits,
    /// Hardware, new or refurbished.
    #[sea_orm(string_value = "hardware")]
    Hardware,
    /// Services.
    #[sea_orm(string_value = "services")]
    Services,
    /// Vouchers for trainings.
    #[sea_orm(string_value = "training_vouchers")]
    TrainingVouchers,
}

/// How a program's cap per organization counts its period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum CapPeriod {
    /// The last N months, rolling.
    #[sea_orm(string_value = "rolling")]
    Rolling,
    /// The calendar year (January to December, UTC).
    #[sea_orm(string_value = "calendar_year")]
    CalendarYear,
    /// A fiscal year starting in a given month.
    #[sea_orm(string_value = "fiscal_year")]
    FiscalYear,
}

/// Where a donation request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum DonationRequestStatus {
    /// Made, waiting for the donor.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    /// Approved: stock and cap reserved.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Delivered.
    #[sea_orm(string_value = "fulfilled")]
    Fulfilled,
    /// Refused by the donor.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Withdrawn by the organization before fulfilment.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// What kind of need a challenge of the needs map is. The first ten are
/// the training topics the network teaches, so a need points at a course.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(32))")]
pub enum NeedCategory {
    /// Protecting devices, accounts, communications and people.
    #[sea_orm(string_value = "digital_security")]
    DigitalSecurity,
    /// Showing data in charts and maps.
    #[sea_orm(string_value = "data_visualisation")]
    DataVisualisation,
    /// Telling the organization's stories online.
    #[sea_orm(string_value = "online_storytelling")]
    OnlineStorytelling,
    /// Campaigns on social media.
    #[sea_orm(string_value = "social_media_campaigns")]
    SocialMediaCampaigns,
    /// Raising money.
    #[sea_orm(string_value = "fundraising")]
    Fundraising,
    /// Graphic design.
    #[sea_orm(string_value = "graphic_design")]
    GraphicDesign,
    /// Video with open-source tools.
    #[sea_orm(string_value = "open_source_video")]
    OpenSourceVideo,
    /// Office suites.
    #[sea_orm(string_value = "office_suites")]
    OfficeSuites,
    /// Analysing data.
    #[sea_orm(string_value = "data_analysis")]
    DataAnalysis,
    /// Investigative techniques.
    #[sea_orm(string_value = "investigative_techniques")]
    InvestigativeTechniques,
    /// Devices, connectivity and hosting.
    #[sea_orm(string_value = "infrastructure")]
    Infrastructure,
    /// Anything else.
    #[sea_orm(string_value = "other")]
    Other,
}

/// The level of technology a need takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(8))")]
pub enum TechnologyLevel {
    /// Everyday tools, no specialist.
    #[sea_orm(string_value = "low")]
    Low,
    /// Configured tools or some training.
    #[sea_orm(string_value = "medium")]
    Medium,
    /// Specialist skills or systems.
    #[sea_orm(string_value = "high")]
    High,
}

/// How advanced a training is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingLevel {
    /// For beginners.
    #[sea_orm(string_value = "basic")]
    Basic,
    /// For those with the basics.
    #[sea_orm(string_value = "intermediate")]
    Intermediate,
    /// For practitioners.
    #[sea_orm(string_value = "advanced")]
    Advanced,
}

/// Where a training takes place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingFormat {
    /// At a venue.
    #[sea_orm(string_value = "in_person")]
    InPerson,
    /// Online.
    #[sea_orm(string_value = "online")]
    Online,
    /// At a venue and online.
    #[sea_orm(string_value = "hybrid")]
    Hybrid,
}

/// Where a training stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingStatus {
    /// Being prepared: only its managers see it.
    #[sea_orm(string_value = "draft")]
    Draft,
    /// Public.
    #[sea_orm(string_value = "published")]
    Published,
    /// No longer offered; kept for history.
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Where a session of a training stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingSessionStatus {
    /// Planned.
    #[sea_orm(string_value = "scheduled")]
    Scheduled,
    /// Called off.
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// Took place.
    #[sea_orm(string_value = "completed")]
    Completed,
}

/// Where a registration for a training session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingRegistrationStatus {
    /// Holds a seat.
    #[sea_orm(string_value = "registered")]
    Registered,
    /// Waits for a seat, in the order the session accepted it.
    #[sea_orm(string_value = "waitlisted")]
    Waitlisted,
    /// Withdrawn (kept as history).
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

/// Whether a registered person came to the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, DeriveActiveEnum)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::N(16))")]
pub enum TrainingAttendance {
    /// Came (and gets a certificate).
    #[sea_orm(string_value = "attended")]
    Attended,
    /// Did not come.
    #[sea_orm(string_value = "no_show")]
    NoShow,
}
