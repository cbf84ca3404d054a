//! Email bodies: every message has a plain-text and an HTML part, with all values escaped.

use handlebars::html_escape;

mod staff;
pub use staff::{staff_device_code, staff_invitation};

/// Subject, text and HTML of a message.
pub struct EmailBody {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why a sign-in link was sent; decides the wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkPurpose {
    SignUp,
    SignIn,
    EmailChange,
}

/// The magic-link message: a button, the raw link, and the six-digit code.
pub fn magic_link(site_title: &str, purpose: LinkPurpose, link: &str, code: &str) -> EmailBody {
    let (subject, action, lead) = match purpose {
        LinkPurpose::SignUp => (
            format!("Confirm your {site_title} account"),
            "Confirm my account",
            format!(
                "Welcome to {site_title}. Confirm your email address to finish creating your account."
            ),
        ),
        LinkPurpose::SignIn => (
            format!("Your sign-in link for {site_title}"),
            "Sign in",
            format!("Use this link to sign in to {site_title}."),
        ),
        LinkPurpose::EmailChange => (
            format!("Confirm your new email address for {site_title}"),
            "Confirm new address",
            format!("Confirm that you want to use this address for your {site_title} account."),
        ),
    };
    let footer = "The link and the code work once and expire in 15 minutes. If you did not ask for this, ignore this message.";
    let text = format!("{lead}\n\n{action}: {link}\n\nOr enter this code: {code}\n\n{footer}\n");
    let e = html_escape;
    let html = format!(
        "<!doctype html><html><body style=\"font-family:Georgia,serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px\">\
         <h1 style=\"font-size:22px;color:#0f1f3d\">{title}</h1><p>{lead}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#a51c30;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px\">{action}</a></p>\
         <p>Or enter this code: <strong style=\"font-size:20px;letter-spacing:4px\">{code}</strong></p>\
         <p style=\"font-size:13px;color:#555\">{footer}</p>\
         <p style=\"font-size:12px;color:#777;word-break:break-all\">{link}</p></body></html>",
        title = e(site_title),
        lead = e(&lead),
        link = e(link),
        action = e(action),
        code = e(code),
        footer = e(footer),
    );
    EmailBody {
        subject,
        text,
        html,
    }
}

/// A credential of a member's account that changed: what a security notice reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CredentialChange<'a> {
    PasswordSet,
    EmailChanged { new_email: &'a str },
}

/// The notice sent to an account's address (the old one, for an email change) after a
/// credential changed, so a member whose account was taken over hears of it.
pub fn credential_notice(site_title: &str, change: CredentialChange<'_>) -> EmailBody {
    let (subject, lead, advice) = match change {
        CredentialChange::PasswordSet => (
            format!("Your {site_title} password was set"),
            format!(
                "A password was just set for your {site_title} account. Every other browser signed in to it has been signed out."
            ),
            "If this was not you, sign in with an email link at once and set a new password."
                .to_owned(),
        ),
        CredentialChange::EmailChanged { new_email } => (
            format!("Your {site_title} email address was changed"),
            format!(
                "The email address of your {site_title} account was changed to {new_email}. Every browser signed in to it has been signed out, and sign-in links now go to the new address."
            ),
            format!(
                "If this was not you, contact {site_title} at once: someone else may be using your account."
            ),
        ),
    };
    let text = format!("{lead}\n\n{advice}\n");
    let e = html_escape;
    let html = format!(
        "<!doctype html><html><body style=\"font-family:Georgia,serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px\">\
         <h1 style=\"font-size:22px;color:#0f1f3d\">{title}</h1><p>{lead}</p><p>{advice}</p></body></html>",
        title = e(site_title),
        lead = e(&lead),
        advice = e(&advice),
    );
    EmailBody {
        subject,
        text,
        html,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_parts_carry_the_link_and_code_escaped() {
        let body = magic_link(
            "A <b> Review",
            LinkPurpose::SignIn,
            "https://x.example/m?token=a&b",
            "123456",
        );
        assert!(
            body.text.contains("https://x.example/m?token=a&b") && body.text.contains("123456")
        );
        assert!(body.html.contains("a&amp;b") && !body.html.contains("a&b"));
        assert!(body.html.contains("A &lt;b&gt; Review") && !body.html.contains("<b> Review"));
        assert_eq!(body.subject, "Your sign-in link for A <b> Review");
    }

    #[test]
    fn credential_notices_say_what_changed_escaped() {
        let set = credential_notice("A <b> Review", CredentialChange::PasswordSet);
        assert_eq!(set.subject, "Your A <b> Review password was set");
        assert!(set.text.contains("password was just set") && set.text.contains("signed out"));
        assert!(set.html.contains("A &lt;b&gt; Review") && !set.html.contains("<b> Review"));
        let moved = credential_notice(
            "Review",
            CredentialChange::EmailChanged {
                new_email: "new<x>@example.com",
            },
        );
        assert_eq!(moved.subject, "Your Review email address was changed");
        assert!(moved.text.contains("changed to new<x>@example.com"));
        assert!(moved.html.contains("new&lt;x&gt;@example.com"));
    }
}
