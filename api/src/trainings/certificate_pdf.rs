//! A certificate of attendance as a one-page PDF (A4 landscape): the
//! person's name, the training, its date, the organizing partner, and the
//! public verification code with the address that checks it.
//!
//! Written with krilla (pure Rust): the text is real text, shaped by
//! rustybuzz, with the font subset to the glyphs used and embedded (with a
//! ToUnicode map, so it can be searched, copied and extracted), and streams
//! compressed: a certificate weighs a few dozen kilobytes.
//!
//! The font is DejaVu Sans, whose bytes the `dejavu` crate ships (Bitstream
//! Vera licence, free to embed). It covers Latin with its diacritics,
//! Greek, Cyrillic, Armenian, Georgian, Hebrew and Arabic; right-to-left
//! text (Hebrew, Arabic) is shaped right to left. A line with a character
//! the font lacks (Thai, Devanagari, Chinese, Japanese, Korean, ...) is
//! written in its Latin transliteration (`deunicode`) rather than as empty
//! boxes; the verification page shows the name as registered.

use chrono::NaiveDate;
use krilla::{
    Document,
    color::rgb,
    geom::{PathBuilder, Point, Rect},
    metadata::Metadata,
    num::NormalizedF32,
    page::PageSettings,
    paint::{Fill, Stroke},
    text::{Font, TextDirection},
};
use skrifa::{
    MetadataProvider,
    instance::{LocationRef, Size},
};

/// A4 landscape, in points.
const PAGE_WIDTH: f32 = 841.89;
/// A4 landscape, in points.
const PAGE_HEIGHT: f32 = 595.28;
/// Left and right margin of the text, in points.
const MARGIN: f32 = 72.0;

/// What a certificate says.
#[derive(Clone, Debug)]
pub struct CertificateFacts {
    /// The attendee's name, as registered.
    pub person_name: String,
    /// The training's title.
    pub training_title: String,
    /// The day of the session, in the venue's time zone.
    pub session_date: NaiveDate,
    /// The venue's IANA time zone (printed beside the date).
    pub time_zone: String,
    /// The organizing partner's name.
    pub partner_name: String,
    /// The public verification code.
    pub code: String,
    /// Where anyone checks the code.
    pub verify_url: String,
}

/// Why a certificate could not be written (a bug: the font ships with the
/// service and the facts are plain text).
#[derive(Debug, thiserror::Error)]
pub enum CertificateError {
    /// The embedded font does not load.
    #[error("the certificate font cannot be read")]
    Font,
    /// The PDF writer refused the document.
    #[error("the certificate PDF cannot be written: {0}")]
    Pdf(String),
}

/// The embedded fonts, regular and bold.
struct Fonts {
    regular: Font,
    bold: Font,
    regular_bytes: &'static [u8],
    bold_bytes: &'static [u8],
}

impl Fonts {
    fn load() -> Result<Self, CertificateError> {
        let (regular_bytes, bold_bytes) = (dejavu::sans::regular(), dejavu::sans::bold());
        Ok(Self {
            regular: Font::new(regular_bytes.into(), 0).ok_or(CertificateError::Font)?,
            bold: Font::new(bold_bytes.into(), 0).ok_or(CertificateError::Font)?,
            regular_bytes,
            bold_bytes,
        })
    }
}

/// True when every character that is drawn has a glyph in the font.
fn covers(font: &[u8], text: &str) -> bool {
    let Ok(font) = skrifa::FontRef::new(font) else { return false };
    let charmap = font.charmap();
    text.chars().filter(|c| !c.is_whitespace() && !c.is_control()).all(|c| charmap.map(c).is_some())
}

/// The line as it can be drawn with `font`: itself, or its transliteration.
pub fn drawable(font: &[u8], text: &str) -> String {
    let line: String = text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
    if covers(font, &line) { line } else { deunicode::deunicode(&line) }
}

/// Width of a line at `size` points, from the glyphs' advances (kerning
/// aside: enough to centre and to wrap).
fn width(font: &[u8], text: &str, size: f32) -> f32 {
    let Ok(font) = skrifa::FontRef::new(font) else { return 0.0 };
    let charmap = font.charmap();
    let metrics = font.glyph_metrics(Size::new(size), LocationRef::default());
    text.chars().filter_map(|c| charmap.map(c)).filter_map(|g| metrics.advance_width(g)).sum()
}

fn right_to_left(text: &str) -> bool {
    text.chars().any(|c| matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF))
}

/// `text` in lines no wider than `max` points, at most `lines` of them (the
/// last one cut with an ellipsis when the text goes on).
fn wrap(font: &[u8], text: &str, size: f32, max: f32, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if width(font, &candidate, size) <= max || current.is_empty() {
            current = candidate;
        } else {
            out.push(std::mem::replace(&mut current, word.to_owned()));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    for line in &mut out {
        while width(font, line, size) > max && line.chars().count() > 1 {
            line.pop();
        }
    }
    if out.len() > lines {
        out.truncate(lines);
        if let Some(last) = out.last_mut() {
            while !last.is_empty() && width(font, &format!("{last}…"), size) > max {
                last.pop();
            }
            last.push('…');
        }
    }
    out
}

/// One centred block of text.
struct Block<'a> {
    text: &'a str,
    bold: bool,
    size: f32,
    lines: usize,
    gap_after: f32,
}

/// The certificate of `facts` as PDF bytes.
pub fn render(facts: &CertificateFacts) -> Result<Vec<u8>, CertificateError> {
    let fonts = Fonts::load()?;
    let date = format!("on {} ({})", facts.session_date.format("%-d %B %Y"), facts.time_zone);
    let partner = format!("organized by {}", facts.partner_name);
    let code = format!("Verification code: {}", facts.code);
    let verify = format!("Verify at {}", facts.verify_url);
    let blocks = [
        Block { text: "Certificate of attendance", bold: true, size: 30.0, lines: 1, gap_after: 30.0 },
        Block { text: "This certifies that", bold: false, size: 14.0, lines: 1, gap_after: 14.0 },
        Block { text: &facts.person_name, bold: true, size: 26.0, lines: 2, gap_after: 14.0 },
        Block { text: "attended the training", bold: false, size: 14.0, lines: 1, gap_after: 14.0 },
        Block { text: &facts.training_title, bold: true, size: 20.0, lines: 3, gap_after: 14.0 },
        Block { text: &date, bold: false, size: 14.0, lines: 1, gap_after: 6.0 },
        Block { text: &partner, bold: false, size: 14.0, lines: 2, gap_after: 40.0 },
        Block { text: &code, bold: false, size: 12.0, lines: 1, gap_after: 4.0 },
        Block { text: &verify, bold: false, size: 10.0, lines: 2, gap_after: 0.0 },
    ];

    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("Certificate of attendance: {}", facts.training_title))
            .creator("civic-graph".to_owned())
            .producer("civic-graph".to_owned()),
    );
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or_else(|| CertificateError::Pdf("page size".to_owned()))?;
    let mut page = document.start_page_with(settings);
    let mut surface = page.surface();

    // A thin frame.
    let mut frame = PathBuilder::new();
    if let Some(rect) = Rect::from_xywh(24.0, 24.0, PAGE_WIDTH - 48.0, PAGE_HEIGHT - 48.0) {
        frame.push_rect(rect);
    }
    if let Some(path) = frame.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke { paint: rgb::Color::new(40, 70, 110).into(), width: 2.0, ..Default::default() }));
        surface.draw_path(&path);
        surface.set_stroke(None);
    }
    surface.set_fill(Some(Fill { paint: rgb::Color::new(20, 20, 20).into(), opacity: NormalizedF32::ONE, rule: Default::default() }));

    let mut y = 110.0;
    for block in blocks {
        let (font, bytes) = if block.bold { (&fonts.bold, fonts.bold_bytes) } else { (&fonts.regular, fonts.regular_bytes) };
        let text = drawable(bytes, block.text);
        for line in wrap(bytes, &text, block.size, PAGE_WIDTH - 2.0 * MARGIN, block.lines) {
            y += block.size * 1.25;
            let x = ((PAGE_WIDTH - width(bytes, &line, block.size)) / 2.0).max(MARGIN);
            let direction = if right_to_left(&line) { TextDirection::RightToLeft } else { TextDirection::LeftToRight };
            surface.draw_text(Point::from_xy(x, y), font.clone(), block.size, &line, false, direction);
        }
        y += block.gap_after;
    }
    surface.finish();
    page.finish();
    document.finish().map_err(|e| CertificateError::Pdf(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(name: &str) -> CertificateFacts {
        CertificateFacts {
            person_name: name.to_owned(),
            training_title: "Digital security for community radios".to_owned(),
            session_date: NaiveDate::from_ymd_opt(2027, 3, 10).expect("a date"),
            time_zone: "America/Sao_Paulo".to_owned(),
            partner_name: "Rede Cívica Brasil".to_owned(),
            code: "CERT-7QK4-M2XD".to_owned(),
            verify_url: "https://civic-graph.example/certificates/CERT-7QK4-M2XD".to_owned(),
        }
    }

    fn text_of(pdf: &[u8]) -> String {
        let text = pdf_extract::extract_text_from_mem(pdf).expect("the PDF's text extracts");
        // Extractors may break lines or double spaces: compare words.
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[test]
    fn every_fact_of_a_certificate_is_text_in_its_pdf() {
        let facts = facts("João Ñúñez-Çelik");
        let pdf = render(&facts).expect("a PDF");
        assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
        assert!(pdf.len() < 60_000, "a subset font keeps it small: {} bytes", pdf.len());
        let text = text_of(&pdf);
        for expected in [
            "Certificate of attendance",
            "João Ñúñez-Çelik",
            "Digital security for community radios",
            "10 March 2027",
            "America/Sao_Paulo",
            "Rede Cívica Brasil",
            "CERT-7QK4-M2XD",
            "https://civic-graph.example/certificates/CERT-7QK4-M2XD",
        ] {
            assert!(text.contains(expected), "{expected:?} in {text:?}");
        }
    }

    #[test]
    fn cyrillic_and_greek_names_are_written_as_they_are() {
        for name in ["Олена Коваленко", "Ελένη Παπαδοπούλου"] {
            let text = text_of(&render(&facts(name)).expect("a PDF"));
            assert!(text.contains(name), "{name:?} in {text:?}");
        }
    }

    #[test]
    fn a_name_the_font_cannot_draw_is_transliterated_not_boxes() {
        let regular = dejavu::sans::bold();
        assert_eq!(drawable(regular, "Łucja Wąsowska"), "Łucja Wąsowska");
        // Arabic and Hebrew are in the font (and drawn right to left).
        for name in ["محمد عبد الله", "נועה כהן"] {
            assert_eq!(drawable(regular, name), name);
            assert!(right_to_left(name));
        }
        assert!(!right_to_left("Łucja Wąsowska"));
        let thai = "สมชาย ใจดี";
        let written = drawable(regular, thai);
        assert_eq!(written, deunicode::deunicode(thai));
        assert!(written.is_ascii() && !written.trim().is_empty(), "{written:?}");
        let text = text_of(&render(&facts(thai)).expect("a PDF"));
        assert!(text.contains(written.trim()), "{written:?} in {text:?}");
    }

    #[test]
    fn long_titles_wrap_and_are_cut_with_an_ellipsis() {
        let font = dejavu::sans::bold();
        let title = "word ".repeat(200);
        let lines = wrap(font, &title, 20.0, 500.0, 3);
        assert_eq!(lines.len(), 3);
        assert!(lines.iter().all(|l| width(font, l, 20.0) <= 500.0), "{lines:?}");
        assert!(lines[2].ends_with('…'));
        let unbroken = "x".repeat(500);
        assert!(wrap(font, &unbroken, 20.0, 500.0, 2).iter().all(|l| width(font, l, 20.0) <= 500.0));
    }
}
