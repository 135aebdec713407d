//! What the benchmark's organizations are made of: invented place names,
//! themes, types and their words in English, French, Spanish and Portuguese,
//! beneficiaries and activities for missions. All fictional.

use entity::enums::{OrganizationType, StaffSize};

use crate::seed::generator::BenchRng;

const SYLLABLES: [&str; 24] = [
    "ka", "ma", "lo", "ri", "sa", "ne", "to", "bu", "zi", "wa", "ya", "de", "mo", "ku", "ti", "na", "ro", "ba", "le", "vi", "sho", "ga",
    "pe", "du",
];

/// An invented place name of two or three syllables, e.g. `Kamalo`.
fn place(rng: &mut BenchRng) -> String {
    let syllables = 2 + rng.index(2);
    let name: String = (0..syllables).map(|_| rng.pick(&SYLLABLES)).collect();
    let mut chars = name.chars();
    chars.next().map(|c| c.to_ascii_uppercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// Languages names are written in, besides English: (tag, connector).
pub(super) const NAME_LANGUAGES: [(&str, &str); 3] = [("fr", "de"), ("es", "de"), ("pt", "de")];

/// Themes: (the focus area they stand for, the theme in English, French, Spanish, Portuguese).
pub(super) const THEMES: [(&str, [&str; 4]); 16] = [
    ("digital-literacy", ["Digital Literacy", "Inclusion Numérique", "Alfabetización Digital", "Inclusão Digital"]),
    ("children-youth", ["Youth Empowerment", "Jeunesse", "Juventud", "Juventude"]),
    ("health", ["Community Health", "Santé Communautaire", "Salud Comunitaria", "Saúde Comunitária"]),
    ("water-sanitation", ["Clean Water", "Eau Potable", "Agua Limpia", "Água Limpa"]),
    ("gender-equality", ["Women's Rights", "Droits des Femmes", "Derechos de las Mujeres", "Direitos das Mulheres"]),
    ("education", ["Education", "Éducation", "Educación", "Educação"]),
    ("food-security", ["Food Security", "Sécurité Alimentaire", "Seguridad Alimentaria", "Segurança Alimentar"]),
    ("environment", ["Climate Action", "Action Climatique", "Acción Climática", "Ação Climática"]),
    ("access-to-justice", ["Legal Aid", "Aide Juridique", "Asistencia Legal", "Assistência Jurídica"]),
    ("livelihoods", ["Livelihoods", "Développement Local", "Desarrollo Local", "Desenvolvimento Local"]),
    ("disability-inclusion", ["Disability Inclusion", "Inclusion du Handicap", "Inclusión de la Discapacidad", "Inclusão da Deficiência"]),
    ("media-freedom", ["Independent Media", "Médias Indépendants", "Medios Independientes", "Mídia Independente"]),
    ("human-rights", ["Human Rights", "Droits Humains", "Derechos Humanos", "Direitos Humanos"]),
    ("arts-culture", ["Arts & Culture", "Arts et Culture", "Arte y Cultura", "Arte e Cultura"]),
    ("refugees-migrants", ["Refugee Support", "Soutien aux Réfugiés", "Apoyo a Refugiados", "Apoio a Refugiados"]),
    ("civic-participation", ["Civic Participation", "Participation Citoyenne", "Participación Ciudadana", "Participação Cidadã"]),
];

/// Types with their weights and the words for them in English, French, Spanish, Portuguese.
pub(super) const TYPES: [(OrganizationType, u32, [&[&str]; 4]); 10] = [
    (OrganizationType::Charity, 10, [&["Trust", "Relief Fund"], &["Œuvre"], &["Obra Social"], &["Obra Social"]]),
    (
        OrganizationType::Ngo,
        30,
        [
            &["Initiative", "Association", "Network", "Centre", "Project"],
            &["Association", "Réseau", "Centre"],
            &["Asociación", "Red", "Centro"],
            &["Associação", "Rede", "Centro"],
        ],
    ),
    (
        OrganizationType::CommunityGroup,
        20,
        [&["Group", "Circle", "Collective"], &["Collectif", "Groupement"], &["Colectivo", "Grupo"], &["Coletivo", "Grupo"]],
    ),
    (
        OrganizationType::Cooperative,
        8,
        [&["Cooperative Society", "Cooperative Union"], &["Coopérative"], &["Cooperativa"], &["Cooperativa"]],
    ),
    (OrganizationType::FaithBased, 8, [&["Mission", "Fellowship"], &["Mission"], &["Misión"], &["Missão"]]),
    (
        OrganizationType::Advocacy,
        8,
        [
            &["Coalition", "Campaign", "Watch"],
            &["Coalition", "Observatoire"],
            &["Coalición", "Observatorio"],
            &["Coalizão", "Observatório"],
        ],
    ),
    (OrganizationType::SocialEnterprise, 6, [&["Works", "Lab"], &["Atelier"], &["Taller"], &["Oficina"]]),
    (OrganizationType::Library, 3, [&["Community Library", "Reading Room"], &["Bibliothèque"], &["Biblioteca"], &["Biblioteca"]]),
    (OrganizationType::Foundation, 4, [&["Foundation"], &["Fondation"], &["Fundación"], &["Fundação"]]),
    (OrganizationType::Other, 3, [&["Forum", "Hub"], &["Forum"], &["Foro"], &["Fórum"]]),
];

pub(super) const QUALIFIERS: [&str; 6] = ["Women's", "Youth", "Rural", "Urban", "Grassroots", "Community"];

pub(super) const BENEFICIARIES: [&str; 10] = [
    "women and girls",
    "young people",
    "smallholder farmers",
    "people with disabilities",
    "older people",
    "displaced families",
    "local journalists",
    "schoolchildren",
    "informal workers",
    "fishing communities",
];

pub(super) const ACTIVITIES: [&str; 6] = [
    "training, small grants and peer support",
    "community meetings and a volunteer helpline",
    "mobile clinics and outreach visits",
    "workshops, mentoring and a shared workspace",
    "research, public campaigns and legal advice",
    "savings groups and access to markets",
];

pub(super) const STAFF_SIZES: [(StaffSize, u32); 6] = [
    (StaffSize::VolunteerOnly, 15),
    (StaffSize::Size1To10, 35),
    (StaffSize::Size11To50, 25),
    (StaffSize::Size51To200, 15),
    (StaffSize::Size201To1000, 7),
    (StaffSize::Size1001Plus, 3),
];

/// The names of one organization: (legal, display, the place in them).
pub(super) fn names(rng: &mut BenchRng, language: usize, theme: &[&str; 4], kinds: &[&[&str]; 4]) -> (String, String, String) {
    let place = place(rng);
    let kind = rng.pick(kinds[language]);
    let theme = theme[language];
    let (legal, short) = if language == 0 {
        let qualifier = if rng.chance(200) { format!("{} ", rng.pick(&QUALIFIERS)) } else { String::new() };
        (format!("{place} {qualifier}{theme} {kind}"), format!("{place} {qualifier}{theme}"))
    } else {
        let connector = NAME_LANGUAGES[language - 1].1;
        (format!("{kind} {theme} {connector} {place}"), format!("{kind} {place}"))
    };
    let display = match rng.below(20) {
        0..=6 => legal.clone(),
        7..=16 => short,
        // An acronym of the legal name's capitalized words.
        _ => legal.split_whitespace().filter_map(|w| w.chars().next().filter(|c| c.is_uppercase())).collect(),
    };
    let display = if display.chars().count() < 2 { legal.clone() } else { display };
    (legal, display, place)
}
