//! Sending mail: SMTP through `lettre` when `MASTHEAD_SMTP_URL` is set, otherwise `.eml` files
//! in `DATA/outbox/` so a site works offline.

use crate::config::Config;
use lettre::message::{Mailbox, MultiPart};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Tokio1Executor};
use std::path::PathBuf;

/// Why a message was not sent. An SMTP refusal keeps only its status code: a server's reply
/// often quotes the recipient's address, which must not reach the log.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the recipient is not an email address")]
    Recipient(#[source] lettre::address::AddressError),
    #[error("building the message failed")]
    Build(#[source] lettre::error::Error),
    #[error("the SMTP server refused the message with status {0}")]
    Refused(lettre::transport::smtp::response::Code),
    #[error("the SMTP server did not accept the message")]
    Smtp(#[source] lettre::transport::smtp::Error),
    #[error("writing the message to the outbox failed")]
    Outbox(#[source] lettre::transport::file::Error),
}

/// Why the configured mail settings cannot send mail; each says what to change.
#[derive(Debug, thiserror::Error)]
pub enum MailSetupError {
    #[error("MASTHEAD_MAIL_FROM {0:?} is not an email address")]
    From(String, #[source] lettre::address::AddressError),
    #[error("MASTHEAD_SMTP_URL must look like smtp://host:port")]
    SmtpUrl(#[source] lettre::transport::smtp::Error),
    #[error("cannot create the outbox {}", .0.display())]
    Outbox(PathBuf, #[source] std::io::Error),
}

pub struct Mail {
    /// The display name of the sender (the site's title).
    pub from_name: String,
    pub to: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Outbox(AsyncFileTransport<Tokio1Executor>),
}

pub struct Mailer {
    transport: Transport,
    from: lettre::Address,
    /// The outbox folder (used only without SMTP).
    outbox: PathBuf,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailSetupError> {
        let from = config
            .mail_from
            .parse()
            .map_err(|e| MailSetupError::From(config.mail_from.clone(), e))?;
        let outbox = config.outbox_dir();
        let transport = if let Some(url) = &config.smtp_url {
            Transport::Smtp(
                AsyncSmtpTransport::<Tokio1Executor>::from_url(url.expose())
                    .map_err(MailSetupError::SmtpUrl)?
                    .build(),
            )
        } else {
            std::fs::create_dir_all(&outbox)
                .map_err(|e| MailSetupError::Outbox(outbox.clone(), e))?;
            Transport::Outbox(AsyncFileTransport::new(&outbox))
        };
        Ok(Mailer {
            transport,
            from,
            outbox,
        })
    }

    /// Sends one message with plain-text and HTML parts.
    pub async fn send(&self, mail: Mail) -> Result<(), MailError> {
        let to: Mailbox = mail.to.parse().map_err(MailError::Recipient)?;
        let message = lettre::Message::builder()
            .from(Mailbox::new(Some(mail.from_name), self.from.clone()))
            .to(to)
            .subject(mail.subject)
            .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))
            .map_err(MailError::Build)?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(message).await.map_err(smtp_error)?;
            }
            Transport::Outbox(files) => {
                let id = files.send(message).await.map_err(MailError::Outbox)?;
                // Where to find it, never what it says: messages carry sign-in links and codes.
                let file = self.outbox.join(format!("{id}.eml"));
                tracing::info!(
                    file = %file.display(),
                    "message written to the outbox (no MASTHEAD_SMTP_URL)"
                );
            }
        }
        Ok(())
    }

    pub fn is_outbox(&self) -> bool {
        matches!(self.transport, Transport::Outbox(_))
    }
}

/// An SMTP failure as it may be logged: a refusal by its status code alone.
fn smtp_error(err: lettre::transport::smtp::Error) -> MailError {
    match err.status() {
        Some(code) => MailError::Refused(code),
        None => MailError::Smtp(err),
    }
}
