//! Messages to staff: an invitation to join the newsroom and the code that verifies a new
//! device at sign-in.

use super::EmailBody;
use handlebars::html_escape;

/// The invitation: who invites, with what role, and the link (valid seven days).
pub fn staff_invitation(site_title: &str, inviter: &str, role: &str, link: &str) -> EmailBody {
    let subject = format!("{inviter} invited you to join {site_title}");
    let lead = format!("{inviter} invited you to join the newsroom of {site_title} as {role}.");
    let footer = "The link works once and expires in 7 days. If you did not expect this, ignore this message.";
    let text = format!("{lead}\n\nAccept the invitation: {link}\n\n{footer}\n");
    let e = html_escape;
    let html = format!(
        "<!doctype html><html><body style=\"font-family:Georgia,serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px\">\
         <h1 style=\"font-size:22px;color:#0f1f3d\">{title}</h1><p>{lead}</p>\
         <p><a href=\"{link}\" style=\"display:inline-block;background:#a51c30;color:#fff;padding:12px 20px;text-decoration:none;border-radius:4px\">Accept the invitation</a></p>\
         <p style=\"font-size:13px;color:#555\">{footer}</p>\
         <p style=\"font-size:12px;color:#777;word-break:break-all\">{link}</p></body></html>",
        title = e(site_title),
        lead = e(&lead),
        link = e(link),
        footer = e(footer),
    );
    EmailBody {
        subject,
        text,
        html,
    }
}

/// The code that lets a staff user in on a device not seen before.
pub fn staff_device_code(site_title: &str, code: &str) -> EmailBody {
    let subject = format!("Your {site_title} verification code: {code}");
    let lead = format!(
        "Someone signed in to the {site_title} newsroom with your password on a device we have not seen before. Enter this code to finish signing in:"
    );
    let footer = "The code works once and expires in 15 minutes. If this was not you, change your password at once.";
    let text = format!("{lead}\n\n{code}\n\n{footer}\n");
    let e = html_escape;
    let html = format!(
        "<!doctype html><html><body style=\"font-family:Georgia,serif;color:#1a1a1a;max-width:560px;margin:0 auto;padding:24px\">\
         <h1 style=\"font-size:22px;color:#0f1f3d\">{title}</h1><p>{lead}</p>\
         <p><strong style=\"font-size:24px;letter-spacing:4px\">{code}</strong></p>\
         <p style=\"font-size:13px;color:#555\">{footer}</p></body></html>",
        title = e(site_title),
        lead = e(&lead),
        code = e(code),
        footer = e(footer),
    );
    EmailBody {
        subject,
        text,
        html,
    }
}
