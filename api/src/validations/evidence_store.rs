//! Where the evidence documents of validation cases are kept (issue 10).
//!
//! A document is stored under the SHA-256 of its bytes
//! (`evidence/sha256/ab/cd/abcd…`), so the same file uploaded twice, by one
//! case or by several, is stored once, and a stored key can never be
//! overwritten with other bytes. The database row (`validation_evidence`)
//! keeps the hash, the media type and the uploader's file name; the store
//! keeps only bytes.
//!
//! What is accepted is decided from the bytes, never from the client's file
//! name or content type: [`inspect`] recognizes PDF, PNG and JPEG by their
//! signature at the start of the file and refuses everything else, empty
//! files and files over the limit, with a message the uploader can act on.
//!
//! The store is an [`object_store`] backend chosen by one setting
//! ([`EvidenceStore::from_setting`]): a local directory, S3 (or an
//! S3-compatible server such as MinIO), or memory for tests.

use std::{fmt, sync::Arc};

use bytes::Bytes;
use object_store::{
    ObjectStore, ObjectStoreExt, PutPayload,
    aws::{AmazonS3Builder, AmazonS3ConfigKey},
    local::LocalFileSystem,
    memory::InMemory,
    path::Path,
};
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// Largest document accepted by default: 10 MiB.
pub const DEFAULT_MAX_BYTES: usize = 10 * 1024 * 1024;

/// The media types accepted, with the signature their bytes must start with.
/// infer recognizes a PDF whose `%PDF` appears anywhere in its first KiB (as
/// Acrobat tolerates); here the signature must open the file, which refuses
/// HTML or scripts with a PDF header tucked inside (polyglots).
const ACCEPTED: [(&str, &[u8]); 3] = [("application/pdf", b"%PDF-"), ("image/png", b"\x89PNG\r\n\x1a\n"), ("image/jpeg", b"\xFF\xD8\xFF")];

/// What the bytes of an accepted document are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Inspected {
    /// SHA-256 of the bytes, 64 lowercase hex digits: the document's key.
    pub sha256: String,
    /// The media type found in the bytes: `application/pdf`, `image/png` or `image/jpeg`.
    pub media_type: &'static str,
    /// Size in bytes.
    pub size: u64,
}

/// Why a document is refused; the messages are meant for the uploader.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EvidenceRefusal {
    /// The file has no bytes.
    #[error("the document is empty")]
    Empty,
    /// The file is larger than accepted.
    #[error("the document is too large ({}): documents of at most {} are accepted", Size(*size), Size(*max))]
    TooLarge {
        /// Its size in bytes.
        size: u64,
        /// The most accepted, in bytes.
        max: u64,
    },
    /// The bytes are not a PDF, PNG or JPEG, whatever the file is called.
    #[error("{}", unsupported_message(found.as_deref()))]
    UnsupportedType {
        /// What the bytes look like (a media type), when recognized.
        found: Option<String>,
    },
}

fn unsupported_message(found: Option<&str>) -> String {
    match found {
        Some(found) => format!("this kind of file ({found}) is not accepted: send a PDF, PNG or JPEG document"),
        None => "the file is not a PDF, PNG or JPEG document (checked on its content, not its name)".to_owned(),
    }
}

/// A size for people: bytes below 1 KiB, else KiB or MiB with one decimal.
struct Size(u64);

impl fmt::Display for Size {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (unit, name) = match self.0 {
            n if n < 1024 => return write!(f, "{n} bytes"),
            n if n < 1024 * 1024 => (1024, "KiB"),
            _ => (1024 * 1024, "MiB"),
        };
        // Tenths, rounded up: a file one byte over 10 MiB reads "10.1 MiB".
        let tenths = self.0.saturating_mul(10).div_ceil(unit);
        match tenths % 10 {
            0 => write!(f, "{} {name}", tenths / 10),
            d => write!(f, "{}.{d} {name}", tenths / 10),
        }
    }
}

fn len_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// Checks a document's bytes and hashes them: empty, too large (over
/// `max_bytes`) and anything but PDF, PNG or JPEG are refused. The type comes
/// from the bytes alone. Hashing 10 MiB takes tens of milliseconds: async
/// callers use [`EvidenceStore::put`], which runs this on a blocking thread.
pub fn inspect(bytes: &[u8], max_bytes: usize) -> Result<Inspected, EvidenceRefusal> {
    if bytes.is_empty() {
        return Err(EvidenceRefusal::Empty);
    }
    if bytes.len() > max_bytes {
        return Err(EvidenceRefusal::TooLarge { size: len_u64(bytes.len()), max: len_u64(max_bytes) });
    }
    let found = infer::get(bytes).map(|kind| kind.mime_type());
    let media_type = ACCEPTED
        .iter()
        .find(|(media_type, signature)| found == Some(*media_type) && bytes.starts_with(signature))
        .map(|(media_type, _)| *media_type)
        .ok_or_else(|| EvidenceRefusal::UnsupportedType {
            // An accepted type without its signature at the start is not one.
            found: found.filter(|f| !ACCEPTED.iter().any(|(a, _)| a == f)).map(str::to_owned),
        })?;
    Ok(Inspected { sha256: hex::encode(Sha256::digest(bytes)), media_type, size: len_u64(bytes.len()) })
}

/// True for 64 lowercase hex digits, the only form a key is made from.
fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// A failure of the evidence store.
#[derive(Debug, thiserror::Error)]
pub enum EvidenceStoreError {
    /// The document itself is refused; the message is for the uploader.
    #[error(transparent)]
    Refused(#[from] EvidenceRefusal),
    /// No document has this hash (or the hash is malformed).
    #[error("evidence document not found")]
    NotFound,
    /// The backend failed (disk, network, S3); the cause is for the logs.
    #[error("the evidence store is unavailable")]
    Unavailable(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The setting does not describe a usable store.
    #[error("invalid evidence store setting: {reason}")]
    InvalidSetting {
        /// What is wrong, without secrets.
        reason: String,
        /// The underlying failure, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
}

impl EvidenceStoreError {
    fn unavailable(err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Unavailable(Box::new(err))
    }

    fn setting(reason: impl Into<String>) -> Self {
        Self::InvalidSetting { reason: reason.into(), source: None }
    }

    fn setting_because(reason: impl Into<String>, err: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::InvalidSetting { reason: reason.into(), source: Some(Box::new(err)) }
    }
}

impl From<EvidenceStoreError> for ApiError {
    fn from(err: EvidenceStoreError) -> Self {
        match err {
            EvidenceStoreError::Refused(refusal) => Self::BadUserInput(refusal.to_string()),
            EvidenceStoreError::NotFound => Self::NotFound("evidence document"),
            EvidenceStoreError::Unavailable(_) => Self::Unavailable(Box::new(err)),
            EvidenceStoreError::InvalidSetting { .. } => Self::internal(err),
        }
    }
}

/// Where an `s3://bucket/prefix` setting points.
#[derive(Clone, Debug, PartialEq, Eq)]
struct S3Location {
    bucket: String,
    prefix: Path,
}

/// Parses `s3://bucket` or `s3://bucket/some/prefix` (bucket names as S3
/// allows them: 3 to 63 lowercase letters, digits, dots and hyphens).
fn parse_s3_url(value: &str) -> Result<S3Location, EvidenceStoreError> {
    let rest = value.strip_prefix("s3://").ok_or_else(|| EvidenceStoreError::setting("an S3 location starts with s3://"))?;
    let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
    let bucket_ok = (3..=63).contains(&bucket.len()) && bucket.bytes().all(|b| matches!(b, b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-'));
    if !bucket_ok {
        return Err(EvidenceStoreError::setting(
            "expected s3://bucket or s3://bucket/prefix, with a bucket name of 3 to 63 lowercase letters, digits, dots and hyphens",
        ));
    }
    let prefix = Path::parse(prefix.trim_matches('/'))
        .map_err(|e| EvidenceStoreError::setting_because("the prefix after the S3 bucket is not a valid key prefix", e))?;
    Ok(S3Location { bucket: bucket.to_owned(), prefix })
}

/// Points `builder` (credentials, region and endpoint already set) at the
/// bucket. Plain HTTP is allowed only when the endpoint itself is `http://`
/// (a MinIO on a private network), whatever `AWS_ALLOW_HTTP` says.
fn s3_builder(builder: AmazonS3Builder, location: &S3Location) -> AmazonS3Builder {
    let http_endpoint = builder
        .get_config_value(&AmazonS3ConfigKey::Endpoint)
        .is_some_and(|endpoint| endpoint.trim().get(..7).is_some_and(|scheme| scheme.eq_ignore_ascii_case("http://")));
    builder.with_bucket_name(&location.bucket).with_allow_http(http_endpoint)
}

/// Content-addressed storage of evidence documents. Cheap to clone.
#[derive(Clone)]
pub struct EvidenceStore {
    store: Arc<dyn ObjectStore>,
    /// Prepended to every key (the path after an S3 bucket).
    prefix: Path,
    /// Where it is, for logs: `memory:`, a directory, `s3://bucket/prefix`.
    location: String,
}

/// Only the location: a backend's configuration may hold keys.
impl fmt::Debug for EvidenceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EvidenceStore").field("location", &self.location).finish_non_exhaustive()
    }
}

impl fmt::Display for EvidenceStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.location)
    }
}

impl EvidenceStore {
    /// The store a setting names: `s3://bucket/optional/prefix` is S3 with the
    /// standard `AWS_*` variables (`AWS_REGION`, `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, and `AWS_ENDPOINT` for an S3-compatible
    /// server), `memory:` keeps documents in memory (tests), anything else is
    /// a local directory, created if missing. Other `scheme://` values are
    /// refused rather than taken for a directory named after the scheme.
    pub fn from_setting(value: &str) -> Result<Self, EvidenceStoreError> {
        let value = value.trim();
        if value == "memory:" {
            return Ok(Self::memory());
        }
        if value.starts_with("s3://") {
            return Self::s3(AmazonS3Builder::from_env(), &parse_s3_url(value)?);
        }
        if let Some((scheme, _)) = value.split_once("://") {
            return Err(EvidenceStoreError::setting(format!(
                "unsupported scheme {scheme}://: use s3://bucket/prefix, memory: or a directory path"
            )));
        }
        if value.is_empty() {
            return Err(EvidenceStoreError::setting("empty: use s3://bucket/prefix, memory: or a directory path"));
        }
        Self::local(value)
    }

    /// Documents in memory, gone with the process (tests, demos).
    pub fn memory() -> Self {
        Self { store: Arc::new(InMemory::new()), prefix: Path::ROOT, location: "memory:".to_owned() }
    }

    /// Documents in a local directory, created if missing. Every write is
    /// flushed to disk (file and directory) before it returns, so a database
    /// row never refers to a document a crash lost.
    pub fn local(dir: impl AsRef<std::path::Path>) -> Result<Self, EvidenceStoreError> {
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)
            .map_err(|e| EvidenceStoreError::setting_because(format!("cannot create the directory {}", dir.display()), e))?;
        let store = LocalFileSystem::new_with_prefix(dir)
            .map_err(|e| EvidenceStoreError::setting_because(format!("cannot use the directory {}", dir.display()), e))?
            .with_fsync(true);
        Ok(Self { store: Arc::new(store), prefix: Path::ROOT, location: dir.display().to_string() })
    }

    /// S3 from `builder` (credentials, region, endpoint), at `location`.
    fn s3(builder: AmazonS3Builder, location: &S3Location) -> Result<Self, EvidenceStoreError> {
        // reqwest is built without a TLS crypto provider of its own (the
        // default one compiles aws-lc from C); use ring, as the rest of the
        // tree does. Err means a provider is already installed: fine.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let store = s3_builder(builder, location)
            .build()
            .map_err(|e| EvidenceStoreError::setting_because("cannot configure S3 from the AWS_* variables", e))?;
        let location_text = match location.prefix.as_ref() {
            "" => format!("s3://{}", location.bucket),
            prefix => format!("s3://{}/{prefix}", location.bucket),
        };
        Ok(Self { store: Arc::new(store), prefix: location.prefix.clone(), location: location_text })
    }

    /// The key of a document, `evidence/sha256/ab/cd/abcd…` under the prefix;
    /// None unless `sha256` is 64 lowercase hex digits, so nothing a caller
    /// sends can name another path.
    fn key(&self, sha256: &str) -> Option<Path> {
        is_sha256_hex(sha256).then(|| self.key_of_checked(sha256))
    }

    /// The key of a hash known to be 64 lowercase hex digits.
    fn key_of_checked(&self, sha256: &str) -> Path {
        ["evidence", "sha256", sha256.get(..2).unwrap_or_default(), sha256.get(2..4).unwrap_or_default(), sha256]
            .into_iter()
            .fold(self.prefix.clone(), |path, part| path.join(part))
    }

    /// Inspects a document ([`inspect`], on a blocking thread) and stores it
    /// under its hash, unless a document of that hash and size is already there.
    pub async fn put(&self, bytes: Bytes, max_bytes: usize) -> Result<Inspected, EvidenceStoreError> {
        let inspected = {
            let bytes = bytes.clone();
            tokio::task::spawn_blocking(move || inspect(&bytes, max_bytes)).await.map_err(EvidenceStoreError::unavailable)??
        };
        let key = self.key_of_checked(&inspected.sha256);
        match self.store.head(&key).await {
            // Same hash, same size: the same bytes. Writing them again would
            // be harmless (the key fixes the content) but costs a transfer.
            Ok(meta) if meta.size == inspected.size => return Ok(inspected),
            Ok(_) | Err(object_store::Error::NotFound { .. }) => {}
            Err(e) => return Err(EvidenceStoreError::unavailable(e)),
        }
        self.store.put(&key, PutPayload::from(bytes)).await.map_err(EvidenceStoreError::unavailable)?;
        Ok(inspected)
    }

    /// The bytes of the document with this SHA-256 (64 lowercase hex digits);
    /// [`EvidenceStoreError::NotFound`] when there is none or the hash is
    /// malformed (the store is not asked then).
    pub async fn get(&self, sha256: &str) -> Result<Bytes, EvidenceStoreError> {
        let key = self.key(sha256).ok_or(EvidenceStoreError::NotFound)?;
        let found = match self.store.get(&key).await {
            Ok(found) => found,
            Err(object_store::Error::NotFound { .. }) => return Err(EvidenceStoreError::NotFound),
            Err(e) => return Err(EvidenceStoreError::unavailable(e)),
        };
        found.bytes().await.map_err(EvidenceStoreError::unavailable)
    }

    /// Whether a document with this SHA-256 is stored (false for a malformed hash).
    pub async fn exists(&self, sha256: &str) -> Result<bool, EvidenceStoreError> {
        let Some(key) = self.key(sha256) else { return Ok(false) };
        match self.store.head(&key).await {
            Ok(_) => Ok(true),
            Err(object_store::Error::NotFound { .. }) => Ok(false),
            Err(e) => Err(EvidenceStoreError::unavailable(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use futures_util::TryStreamExt;

    use super::*;
    use crate::error::ErrorCode;

    // The smallest files their signatures allow.
    const PDF: &[u8] = b"%PDF-1.7\n%%EOF\n";
    const PDF_SHA256: &str = "1e7313ace78f0fb481a486939b4885902663102818090805515553d84e0bbfd3";
    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89";
    const JPEG: &[u8] = b"\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0\xFF\xD9";
    const GIF: &[u8] = b"GIF89a\x01\0\x01\0\0\0\0;";
    const TEXT: &[u8] = b"Certificate of registration (typed by hand)\n";

    /// A directory under the system's temporary one, removed when dropped.
    struct TempDir(std::path::PathBuf);

    impl TempDir {
        fn new() -> Self {
            Self(std::env::temp_dir().join(format!("civic-graph-evidence-{}", uuid::Uuid::new_v4())))
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    async fn keys(store: &EvidenceStore) -> Vec<String> {
        let listed: Vec<_> = store.store.list(None).try_collect().await.expect("list");
        listed.into_iter().map(|meta| meta.location.to_string()).collect()
    }

    #[test]
    fn pdf_png_and_jpeg_are_recognized_by_their_bytes() {
        let pdf = inspect(PDF, DEFAULT_MAX_BYTES).expect("a PDF");
        assert_eq!(pdf, Inspected { sha256: PDF_SHA256.to_owned(), media_type: "application/pdf", size: 15 });
        assert_eq!(inspect(PNG, DEFAULT_MAX_BYTES).map(|i| (i.media_type, i.size)), Ok(("image/png", 33)));
        assert_eq!(inspect(JPEG, DEFAULT_MAX_BYTES).map(|i| (i.media_type, i.size)), Ok(("image/jpeg", 22)));
    }

    #[test]
    fn text_is_refused_whatever_it_is_called() {
        // The name and the claimed content type never reach `inspect`: a
        // text file sent as "statutes.pdf" is still text.
        let refusal = inspect(TEXT, DEFAULT_MAX_BYTES);
        assert_eq!(refusal, Err(EvidenceRefusal::UnsupportedType { found: None }));
        assert_eq!(
            refusal.map_err(|r| r.to_string()),
            Err("the file is not a PDF, PNG or JPEG document (checked on its content, not its name)".to_owned())
        );
    }

    #[test]
    fn a_pdf_header_inside_another_file_is_not_a_pdf() {
        // infer alone calls this a PDF (the header is in the first KiB).
        let polyglot = b"<script>alert(1)</script>\n%PDF-1.7\n%%EOF\n";
        assert_eq!(infer::get(polyglot).map(|k| k.mime_type()), Some("application/pdf"));
        assert_eq!(inspect(polyglot, DEFAULT_MAX_BYTES), Err(EvidenceRefusal::UnsupportedType { found: None }));
    }

    #[test]
    fn a_gif_is_refused_and_named() {
        let refusal = inspect(GIF, DEFAULT_MAX_BYTES);
        assert_eq!(refusal, Err(EvidenceRefusal::UnsupportedType { found: Some("image/gif".to_owned()) }));
        assert_eq!(
            refusal.map_err(|r| r.to_string()),
            Err("this kind of file (image/gif) is not accepted: send a PDF, PNG or JPEG document".to_owned())
        );
    }

    #[test]
    fn an_empty_file_is_refused() {
        assert_eq!(inspect(b"", DEFAULT_MAX_BYTES), Err(EvidenceRefusal::Empty));
        assert_eq!(EvidenceRefusal::Empty.to_string(), "the document is empty");
    }

    #[test]
    fn the_limit_is_inclusive() {
        let mut png = PNG.to_vec();
        png.resize(64, 0);
        assert_eq!(inspect(&png, 63), Err(EvidenceRefusal::TooLarge { size: 64, max: 63 }));
        assert_eq!(inspect(&png, 64).map(|i| i.size), Ok(64));
        assert_eq!(
            EvidenceRefusal::TooLarge { size: 64, max: 63 }.to_string(),
            "the document is too large (64 bytes): documents of at most 63 bytes are accepted"
        );
    }

    #[tokio::test]
    async fn ten_mib_are_accepted_and_one_byte_more_refused() {
        let store = EvidenceStore::memory();
        let mut pdf = PDF.to_vec();
        pdf.resize(DEFAULT_MAX_BYTES + 1, b' ');
        let refused = store.put(Bytes::from(pdf.clone()), DEFAULT_MAX_BYTES).await;
        let Err(EvidenceStoreError::Refused(refusal)) = refused else { panic!("expected a refusal, got {refused:?}") };
        assert_eq!(refusal, EvidenceRefusal::TooLarge { size: 10_485_761, max: 10_485_760 });
        assert_eq!(refusal.to_string(), "the document is too large (10.1 MiB): documents of at most 10 MiB are accepted");
        assert!(keys(&store).await.is_empty(), "nothing refused is stored");

        pdf.truncate(DEFAULT_MAX_BYTES);
        let stored = store.put(Bytes::from(pdf), DEFAULT_MAX_BYTES).await.expect("exactly the maximum");
        assert_eq!((stored.media_type, stored.size), ("application/pdf", 10_485_760));
    }

    #[test]
    fn sizes_read_for_people() {
        assert_eq!(Size(1023).to_string(), "1023 bytes");
        assert_eq!(Size(1536).to_string(), "1.5 KiB");
        assert_eq!(Size(10 * 1024 * 1024).to_string(), "10 MiB");
        assert_eq!(Size(10 * 1024 * 1024 + 1).to_string(), "10.1 MiB");
    }

    #[tokio::test]
    async fn the_same_bytes_are_stored_once_under_their_hash() {
        let store = EvidenceStore::memory();
        let first = store.put(Bytes::from_static(PDF), DEFAULT_MAX_BYTES).await.expect("stored");
        let key = store.key(PDF_SHA256).expect("a key");
        // The memory store gives each write a new e-tag.
        let written = store.store.head(&key).await.expect("stored").e_tag;
        let second = store.put(Bytes::from_static(PDF), DEFAULT_MAX_BYTES).await.expect("stored again");
        assert_eq!(first, second);
        assert_eq!(store.store.head(&key).await.expect("stored").e_tag, written, "the second put wrote nothing");
        assert_eq!(first.sha256, PDF_SHA256);
        assert_eq!(keys(&store).await, [format!("evidence/sha256/1e/73/{PDF_SHA256}")]);
        assert_eq!(store.get(PDF_SHA256).await.expect("read back"), Bytes::from_static(PDF));
        assert!(store.exists(PDF_SHA256).await.expect("head"));
    }

    #[tokio::test]
    async fn a_refused_document_is_not_stored() {
        let store = EvidenceStore::memory();
        let refused = store.put(Bytes::from_static(GIF), DEFAULT_MAX_BYTES).await;
        assert!(
            matches!(&refused, Err(EvidenceStoreError::Refused(EvidenceRefusal::UnsupportedType { found: Some(f) })) if f == "image/gif"),
            "{refused:?}"
        );
        assert!(keys(&store).await.is_empty());
    }

    #[tokio::test]
    async fn an_unknown_hash_is_not_found() {
        let store = EvidenceStore::memory();
        let unknown = "0".repeat(64);
        assert!(matches!(store.get(&unknown).await, Err(EvidenceStoreError::NotFound)));
        assert!(!store.exists(&unknown).await.expect("head"));
    }

    #[tokio::test]
    async fn malformed_hashes_are_not_found_without_asking_the_store() {
        // A store whose directory became a file: every lookup it is asked
        // fails, so NotFound below means it was not asked.
        let tmp = TempDir::new();
        let store = EvidenceStore::local(&tmp.0).expect("a directory");
        std::fs::remove_dir_all(&tmp.0).expect("removed");
        std::fs::write(&tmp.0, b"not a directory").expect("a file in its place");
        assert!(matches!(store.get(PDF_SHA256).await, Err(EvidenceStoreError::Unavailable(_))), "a well-formed hash asks the store");

        let malformed = [
            "../etc/passwd".to_owned(),
            "/etc/passwd".to_owned(),
            PDF_SHA256.to_uppercase(),
            PDF_SHA256[..63].to_owned(),
            format!("{PDF_SHA256}0"),
            format!("evidence/sha256/1e/73/{PDF_SHA256}"),
            format!("{}/..", &PDF_SHA256[..61]),
            String::new(),
        ];
        for hash in &malformed {
            assert!(matches!(store.get(hash).await, Err(EvidenceStoreError::NotFound)), "{hash}");
            assert!(matches!(store.exists(hash).await, Ok(false)), "{hash}");
        }
        let _ = std::fs::remove_file(&tmp.0);
    }

    #[tokio::test]
    async fn a_local_directory_is_created_and_keeps_the_bytes() {
        let tmp = TempDir::new();
        let dir = tmp.0.join("nested").join("evidence-store");
        assert!(!dir.exists());
        let store = EvidenceStore::local(&dir).expect("created");
        assert!(dir.is_dir());
        assert_eq!(store.to_string(), dir.display().to_string());

        let png = store.put(Bytes::from_static(PNG), DEFAULT_MAX_BYTES).await.expect("stored");
        let file = dir.join("evidence").join("sha256").join(&png.sha256[..2]).join(&png.sha256[2..4]).join(&png.sha256);
        assert_eq!(std::fs::read(&file).expect("the file"), PNG);
        let siblings = std::fs::read_dir(file.parent().expect("a parent")).expect("listed").count();
        assert_eq!(siblings, 1, "no staging file left beside it");

        // Another process (a restart) reads what this one stored.
        let reopened = EvidenceStore::local(&dir).expect("reopened");
        assert_eq!(reopened.get(&png.sha256).await.expect("read back"), Bytes::from_static(PNG));
        // A file beside the store cannot be reached through a hash.
        std::fs::write(tmp.0.join("nested").join("secret"), b"x").expect("written");
        assert!(matches!(reopened.get("../secret").await, Err(EvidenceStoreError::NotFound)));
    }

    #[test]
    fn s3_urls_give_a_bucket_and_a_prefix() {
        let at = |bucket: &str, prefix: &str| S3Location { bucket: bucket.to_owned(), prefix: Path::from(prefix) };
        assert_eq!(parse_s3_url("s3://civic-evidence/validations/eu").ok(), Some(at("civic-evidence", "validations/eu")));
        assert_eq!(parse_s3_url("s3://civic-evidence/validations/").ok(), Some(at("civic-evidence", "validations")));
        assert_eq!(parse_s3_url("s3://civic-evidence").ok(), Some(at("civic-evidence", "")));
        assert_eq!(parse_s3_url("s3://civic-evidence/").ok(), Some(at("civic-evidence", "")));
        for bad in [
            "s3://",
            "s3:///prefix",
            "s3://ab",
            "s3://Civic_Evidence",
            "s3://key:secret@bucket/x",
            "s3://bucket/a//b",
            "s3://bucket/a/../b",
        ] {
            assert!(matches!(parse_s3_url(bad), Err(EvidenceStoreError::InvalidSetting { .. })), "{bad}");
        }
    }

    #[test]
    fn plain_http_is_allowed_only_for_an_http_endpoint() {
        let location = at_bucket();
        let allow_http = |builder: AmazonS3Builder| {
            s3_builder(builder, &location).get_config_value(&AmazonS3ConfigKey::Client(object_store::ClientConfigKey::AllowHttp))
        };
        let minio = AmazonS3Builder::new().with_endpoint("http://127.0.0.1:9000");
        assert_eq!(allow_http(minio).as_deref(), Some("true"));
        let https = AmazonS3Builder::new().with_endpoint("https://s3.example.org").with_allow_http(true);
        assert_eq!(allow_http(https).as_deref(), Some("false"));
        assert_eq!(allow_http(AmazonS3Builder::new()).as_deref(), Some("false"));
        let bucket = s3_builder(AmazonS3Builder::new(), &location).get_config_value(&AmazonS3ConfigKey::Bucket);
        assert_eq!(bucket.as_deref(), Some("civic-evidence"));
    }

    fn at_bucket() -> S3Location {
        S3Location { bucket: "civic-evidence".to_owned(), prefix: Path::from("validations/eu") }
    }

    #[test]
    fn an_s3_store_keeps_documents_under_its_prefix() {
        // The builder stands for AmazonS3Builder::from_env(): tests do not
        // set process variables (other tests run at the same time).
        let builder = AmazonS3Builder::new()
            .with_region("eu-west-1")
            .with_access_key_id("AKIAEXAMPLE")
            .with_secret_access_key("not-a-real-secret")
            .with_endpoint("http://127.0.0.1:9000");
        let store = EvidenceStore::s3(builder, &at_bucket()).expect("configured");
        assert_eq!(store.to_string(), "s3://civic-evidence/validations/eu");
        assert_eq!(store.key(PDF_SHA256).map(|k| k.to_string()), Some(format!("validations/eu/evidence/sha256/1e/73/{PDF_SHA256}")));
        assert!(!format!("{store:?}").contains("not-a-real-secret"), "the secret never prints");
    }

    #[test]
    fn the_setting_picks_the_backend() {
        assert_eq!(EvidenceStore::from_setting("memory:").map(|s| s.to_string()).ok().as_deref(), Some("memory:"));

        let tmp = TempDir::new();
        let local = EvidenceStore::from_setting(&tmp.0.display().to_string()).expect("a directory");
        assert_eq!(local.to_string(), tmp.0.display().to_string());
        assert!(tmp.0.is_dir());

        // Reads the AWS_* variables the machine has, sets none.
        let s3 = EvidenceStore::from_setting("s3://civic-evidence/validations").expect("S3");
        assert_eq!(s3.to_string(), "s3://civic-evidence/validations");
        assert_eq!(s3.prefix, Path::from("validations"));

        for bad in ["", "  ", "https://minio:9000/civic-evidence", "s3://"] {
            assert!(matches!(EvidenceStore::from_setting(bad), Err(EvidenceStoreError::InvalidSetting { .. })), "{bad:?}");
        }
    }

    #[test]
    fn errors_map_to_stable_codes_without_their_causes() {
        let refused = ApiError::from(EvidenceStoreError::Refused(EvidenceRefusal::Empty));
        assert_eq!((refused.code(), refused.to_string()), (ErrorCode::BadUserInput, "the document is empty".to_owned()));
        assert_eq!(ApiError::from(EvidenceStoreError::NotFound).code(), ErrorCode::NotFound);
        let down = ApiError::from(EvidenceStoreError::unavailable(std::io::Error::other("disk /srv/evidence full")));
        assert_eq!(down.code(), ErrorCode::ServiceUnavailable);
        assert!(!down.to_string().contains("/srv/evidence"));
        assert!(crate::error::cause_chain(&down).contains("disk /srv/evidence full"), "the log keeps the cause");
        assert_eq!(ApiError::from(EvidenceStoreError::setting("x")).code(), ErrorCode::InternalServerError);
    }
}
