//! The theme's error page for every 404 a handler marks (`AppError::NotFound`): middleware
//! around the whole site, so a missing page looks like the site and greets a signed-in member.

use super::error::ThemedNotFound;
use super::reader::Reader;
use super::{pages, session};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Replaces marked 404s with the theme's error page (search form and latest stories).
pub async fn themed_not_found(State(state): State<AppState>, req: Request, next: Next) -> Response {
    // Only the cookies are needed, and only for a 404.
    let mut headers = axum::http::HeaderMap::new();
    for c in req.headers().get_all(header::COOKIE) {
        headers.append(header::COOKIE, c.clone());
    }
    let res = next.run(req).await;
    if res.extensions().get::<ThemedNotFound>().is_none() {
        return res;
    }
    // The page greets a signed-in member as every other page does.
    let jar = axum_extra::extract::CookieJar::from_headers(&headers);
    let member = session::current(&state, &jar).await.ok().flatten();
    let reader = match Reader::new(&state, jar, member, String::new()).await {
        Ok(reader) => reader,
        Err(err) => return err.into_response(),
    };
    match pages::not_found_page(&state, &reader).await {
        Ok(page) => page,
        Err(err) => err.into_response(),
    }
}
