//! Outgoing e-mail behind a trait. The default mailer logs each message with
//! its secrets redacted and, when `MAIL_OUTBOX_DIR` is set, also writes it in
//! full to a file there (for development and tests). A real SMTP or API mailer
//! implements the same trait.

use std::path::PathBuf;

use chrono::Utc;

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
}

impl LogMailer {
    /// A mailer writing full messages to `outbox` when given.
    pub fn new(outbox: Option<PathBuf>) -> Self {
        Self { outbox }
    }
}

#[async_trait::async_trait]
impl Mailer for LogMailer {
    async fn send(&self, email: Email) {
        let redacted = email.body.replace("{secret}", "[redacted]");
        let file = match &self.outbox {
            None => None,
            Some(dir) => {
                let name = format!("{}-{}-{}.eml", Utc::now().format("%Y%m%dT%H%M%S%.6f"), email.kind, uuid::Uuid::new_v4().simple());
                let path = dir.join(name);
                let text = format!("To: {}\nSubject: {}\n\n{}\n", email.to, email.subject, email.render());
                let written = tokio::fs::create_dir_all(dir).await.and(tokio::fs::write(&path, text).await);
                match written {
                    Ok(()) => Some(path.display().to_string()),
                    Err(e) => {
                        tracing::error!(error = %e, "could not write the e-mail to MAIL_OUTBOX_DIR");
                        None
                    }
                }
            }
        };
        tracing::info!(to = %email.to, subject = %email.subject, kind = email.kind, file = ?file, body = %redacted, "e-mail");
    }
}
