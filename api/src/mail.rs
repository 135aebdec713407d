//! Outgoing e-mail behind a trait. The default mailer logs each message with
//! its secrets redacted and, when `MAIL_OUTBOX_DIR` is set, also writes it in
//! full to a file there (for development and tests). A real SMTP or API mailer
//! implements the same trait.

use std::{
    path::{Path, PathBuf},
    sync::atomic::{AtomicU64, Ordering},
};

use crate::clock::Clock;

/// One e-mail.
#[derive(Clone, Debug)]
pub struct Email {
    /// Recipient.
    pub to: String,
    /// Subject.
    pub subject: String,
    /// Plain-text body; `{secret}` is where the one-time token goes.
    pub body: String,
    /// The one-time token the body carries; never logged.
    pub secret: String,
    /// What kind of message (file name and log field), e.g. `verify-email`.
    pub kind: &'static str,
}

impl Email {
    fn render(&self) -> String {
        self.body.replace("{secret}", &self.secret)
    }
}

/// Sends e-mail.
#[async_trait::async_trait]
pub trait Mailer: Send + Sync {
    /// Sends one message; failures are logged, not returned to the caller
    /// (so an answer never depends on whether an address exists).
    async fn send(&self, email: Email);
}

/// The default mailer: the log (secrets redacted), plus files when configured.
pub struct LogMailer {
    outbox: Option<PathBuf>,
    clock: Clock,
    /// Orders the files of one instance when the clock stands still (a test's
    /// manual clock), so the newest message still sorts last.
    sent: AtomicU64,
}

impl LogMailer {
    /// A mailer writing full messages to `outbox` when given, named by the
    /// clock's time.
    pub fn new(outbox: Option<PathBuf>, clock: Clock) -> Self {
        Self { outbox, clock, sent: AtomicU64::new(0) }
    }
}

#[async_trait::async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: Email) {
        let redacted = email.body.replace("{secret}", "[redacted]");
        let file = match &self.outbox {
            None => None,
            Some(dir) => {
                let sequence = self.sent.fetch_add(1, Ordering::Relaxed);
                let name = format!(
                    "{}-{sequence:08}-{}-{}.eml",
                    self.clock.now().format("%Y%m%dT%H%M%S%.6f"),
                    email.kind,
                    uuid::Uuid::new_v4().simple()
                );
                let path = dir.join(name);
                let text = format!("To: {}\nSubject: {}\n\n{}\n", email.to, email.subject, email.render());
                match write_private(dir, &path, text).await {
                    Ok(()) => Some(path.display().to_string()),
                    Err(e) => {
                        tracing::error!(error = %e, "could not write the e-mail to MAIL_OUTBOX_DIR");
                        None
                    }
                }
            }
        };
        tracing::info!(to = %mask_address(&email.to), subject = %email.subject, kind = email.kind, file = ?file, body = %redacted, "e-mail");
    }
}

/// Writes an outbox file readable by its owner only (it holds one-time tokens),
/// creating the directory owner-only when it does not exist yet.
async fn write_private(dir: &Path, path: &Path, text: String) -> std::io::Result<()> {
    let (dir, path) = (dir.to_owned(), path.to_owned());
    let write = move || -> std::io::Result<()> {
        use std::io::Write;
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
            builder.mode(0o700);
            options.mode(0o600);
        }
        builder.create(&dir)?;
        options.open(&path)?.write_all(text.as_bytes())
    };
    tokio::task::spawn_blocking(write).await.map_err(std::io::Error::other)?
}

/// An address as the logs show it: the first character of the local part and the
/// domain (`a***@example.org`), enough to follow a delivery, not to list users.
pub fn mask_address(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_masked_in_logs() {
        assert_eq!(mask_address("amina@example.org"), "a***@example.org");
        assert_eq!(mask_address("\u{e9}lise.dupont@example.net"), "\u{e9}***@example.net");
        assert_eq!(mask_address("@example.org"), "***@example.org");
        assert_eq!(mask_address("no-at-sign"), "***");
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn outbox_files_are_readable_by_their_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("civic-graph-mail-{}", uuid::Uuid::new_v4())).join("outbox");
        let email = Email {
            to: "amina@example.org".into(),
            subject: "s".into(),
            body: "token {secret}".into(),
            secret: "t0k3n".into(),
            kind: "verify-email",
        };
        LogMailer::new(Some(dir.clone()), Clock::system()).send(email).await;
        let files: Vec<_> = std::fs::read_dir(&dir).expect("outbox created").filter_map(Result::ok).collect();
        assert_eq!(files.len(), 1);
        let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
        assert_eq!(mode(&files[0].path()), 0o600);
        assert_eq!(mode(&dir), 0o700);
        assert!(std::fs::read_to_string(files[0].path()).expect("readable").contains("t0k3n"), "the file keeps the whole message");
        std::fs::remove_dir_all(dir.parent().expect("parent")).ok();
    }
}
