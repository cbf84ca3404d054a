//! The media pipeline end to end: uploads through the Admin API checked by content, cleaned of
//! EXIF (GPS included) and turned upright, hostile files refused with a clear message, variants
//! made no wider than the original and served immutable, the public page's `<picture>`, and
//! the library's rules (in-use items stay, replaced URLs keep working).

use crate::helpers::TestApp;
use crate::helpers::admin::{admin_auth, call, error_type};
use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use image::{DynamicImage, ImageBuffer, ImageFormat, Rgb, Rgba};
use masthead::ops::media::{MediaError, Upload};
use serde_json::{Value, json};
use std::io::Cursor;
use store::{Media, VariantsState};

const SITE: &str = "https://news.example";
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// A photo-like picture: gradients and a few shapes, left half reddish, right half bluish.
fn picture(width: u32, height: u32) -> ImageBuffer<Rgb<u8>, Vec<u8>> {
    ImageBuffer::from_fn(width, height, |x, y| {
        let shade = ((x + y) * 255 / (width + height)) as u8;
        if x < width / 2 {
            Rgb([230, shade / 4, 20])
        } else {
            Rgb([20, shade / 4, 230])
        }
    })
}

fn encoded(image: DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, format).unwrap();
    out.into_inner()
}

pub fn jpeg(width: u32, height: u32) -> Vec<u8> {
    encoded(
        DynamicImage::ImageRgb8(picture(width, height)),
        ImageFormat::Jpeg,
    )
}

/// An EXIF block (APP1 payload) with an orientation and a GPS position: 48°51'24" N.
fn exif(orientation: u16) -> Vec<u8> {
    let mut t = b"Exif\0\0II*\0\x08\0\0\0".to_vec();
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend_from_slice(&tag.to_le_bytes());
        t.extend_from_slice(&kind.to_le_bytes());
        t.extend_from_slice(&count.to_le_bytes());
        t.extend_from_slice(&value);
    };
    // IFD0 at 8: orientation, and the GPS IFD's offset (38).
    t.extend_from_slice(&2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 38u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    // GPS IFD at 38: latitude reference and latitude (three rationals at 68).
    t.extend_from_slice(&2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 68u32.to_le_bytes());
    t.extend_from_slice(&0u32.to_le_bytes());
    for (num, den) in [(48u32, 1u32), (51, 1), (2400, 100)] {
        t.extend_from_slice(&num.to_le_bytes());
        t.extend_from_slice(&den.to_le_bytes());
    }
    t
}

/// `jpeg` with an APP1 EXIF segment right after its start marker.
fn with_exif(jpeg: &[u8], exif: &[u8]) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&u16::try_from(exif.len() + 2).unwrap().to_be_bytes());
    out.extend_from_slice(exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

async fn upload(
    app: &TestApp,
    auth: &str,
    name: &str,
    bytes: &[u8],
) -> crate::helpers::TestResponse {
    let boundary = "media-test-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::builder()
        .method(Method::POST)
        .uri("/ghost/api/admin/images/upload/")
        .header("authorization", auth)
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// The site path of an uploaded image's URL.
fn uploaded_path(res: &crate::helpers::TestResponse) -> String {
    assert_eq!(res.status, StatusCode::CREATED, "{}", res.body);
    let v: Value = serde_json::from_str(&res.body).unwrap();
    let url = v["images"][0]["url"].as_str().unwrap();
    url.strip_prefix(SITE).unwrap().to_owned()
}

/// The library row of a site path.
async fn row(app: &TestApp, path: &str) -> Media {
    let stored = path.strip_prefix("/content/images/").unwrap();
    app.state
        .store
        .media_by_path(stored)
        .await
        .unwrap()
        .unwrap()
}

/// Waits for the background variants job of `path` to finish (no time is asserted).
async fn variants_done(app: &TestApp, path: &str) -> Media {
    for _ in 0..1200 {
        let m = row(app, path).await;
        if m.variants != VariantsState::Pending {
            return m;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the variants of {path} were never made");
}

async fn fetch(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    app.request_bytes(Method::GET, path, &[]).await
}

#[tokio::test]
async fn each_format_is_recognised_by_content_stored_and_served_immutable() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let rgba = DynamicImage::ImageRgba8(ImageBuffer::from_fn(48, 32, |x, _| {
        Rgba([x as u8 * 5, 90, 160, 200])
    }));
    let files = [
        ("photo.png", jpeg(64, 48), "image/jpeg", ".jpg"),
        (
            "chart.jpg",
            encoded(rgba.clone(), ImageFormat::Png),
            "image/png",
            ".png",
        ),
        (
            "loop.gif",
            encoded(DynamicImage::ImageRgba8(rgba.to_rgba8()), ImageFormat::Gif),
            "image/gif",
            ".gif",
        ),
        (
            "pic.webp",
            encoded(rgba, ImageFormat::WebP),
            "image/webp",
            ".webp",
        ),
    ];
    for (name, bytes, mime, ext) in files {
        let path = uploaded_path(&upload(&app, &auth, name, &bytes).await);
        assert!(
            path.ends_with(ext),
            "named by content, not by {name}: {path}"
        );
        let (status, headers, _) = fetch(&app, &path).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers["content-type"], mime);
        assert_eq!(headers["cache-control"], IMMUTABLE);
        assert_eq!(row(&app, &path).await.mime, mime);
    }
}

#[tokio::test]
async fn gps_exif_never_reaches_the_stored_bytes_and_photos_stay_upright() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    // Stored sideways (40 × 20, red left) with "rotate 90° clockwise" in its EXIF.
    let sideways = with_exif(&jpeg(40, 20), &exif(6));
    assert!(sideways.windows(6).any(|w| w == b"Exif\0\0"));
    let path = uploaded_path(&upload(&app, &auth, "harbour.jpg", &sideways).await);
    let (_, _, stored) = fetch(&app, &path).await;
    assert!(!stored.windows(4).any(|w| w == b"Exif"), "EXIF removed");
    assert!(
        !stored
            .windows(8)
            .any(|w| w == [0x60, 0x09, 0, 0, 0x64, 0, 0, 0]),
        "the GPS seconds (2400/100) are gone"
    );
    let upright = image::load_from_memory(&stored).unwrap().to_rgb8();
    assert_eq!(upright.dimensions(), (20, 40), "turned as the EXIF said");
    let top = upright.get_pixel(10, 3);
    assert!(
        top[0] > 150 && top[2] < 100,
        "the left (red) side is now on top: {top:?}"
    );
    let m = row(&app, &path).await;
    assert_eq!((m.width, m.height), (20, 40));

    // Upright photos keep their exact pixels: only the metadata goes.
    let plain = jpeg(40, 20);
    let path = uploaded_path(&upload(&app, &auth, "plain.jpg", &with_exif(&plain, &exif(1))).await);
    let (_, _, stored) = fetch(&app, &path).await;
    assert_eq!(stored, plain, "lossless removal");
}

#[tokio::test]
async fn bombs_garbage_and_damaged_files_are_refused_with_a_clear_message() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    // A PNG header declaring 100,000 × 100,000 pixels: 40 GB once decoded.
    let mut bomb = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&100_000u32.to_be_bytes());
    bomb.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let res = upload(&app, &auth, "bomb.png", &bomb).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    assert!(res.body.contains("50 megapixels"), "{}", res.body);

    let res = upload(&app, &auth, "notes.jpg", b"just some text, not an image").await;
    assert_eq!(res.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(error_type(&res), "UnsupportedMediaTypeError");
    assert!(
        res.body.contains("JPEG, PNG, GIF, WebP or AVIF"),
        "{}",
        res.body
    );

    let whole = jpeg(200, 100);
    let res = upload(&app, &auth, "cut.jpg", &whole[..whole.len() / 2]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.body.contains("damaged or incomplete"), "{}", res.body);
    let mut noise = whole.clone();
    for (i, b) in noise.iter_mut().enumerate().skip(100) {
        *b = (i * 131 % 251) as u8;
    }
    let res = upload(&app, &auth, "noise.jpg", &noise).await;
    assert!(res.status.is_client_error(), "{}: {}", res.status, res.body);

    let mut huge = whole;
    huge.resize(21_000_000, 0);
    let res = upload(&app, &auth, "huge.jpg", &huge).await;
    assert_eq!(res.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(
        app.state.store.list_media(None, 10, 0).await.unwrap().total,
        0
    );
}

#[tokio::test]
async fn variants_are_made_no_wider_than_the_original_and_every_listed_width_answers() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let path = uploaded_path(&upload(&app, &auth, "summit.jpg", &jpeg(1000, 600)).await);
    let m = variants_done(&app, &path).await;
    assert_eq!(m.variants, VariantsState::Ready);
    assert_eq!(m.variant_widths, vec![320, 640, 960], "never upscaled");
    let stored = path.strip_prefix("/content/images/").unwrap();

    let webp = format!("/content/images/size/w640/format/webp/{stored}");
    let (status, headers, bytes) = fetch(&app, &webp).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/webp");
    assert_eq!(headers["cache-control"], IMMUTABLE);
    let decoded = image::load_from_memory_with_format(&bytes, ImageFormat::WebP).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (640, 384));
    let (_, headers, bytes) = fetch(&app, &format!("/content/images/size/w960/{stored}")).await;
    assert_eq!(headers["content-type"], "image/jpeg");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 960);

    // A width the original lacks: the largest smaller variant, never a 404.
    let (status, headers, bytes) = fetch(
        &app,
        &format!("/content/images/size/w1920/format/webp/{stored}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers["content-type"], "image/webp");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 960);
    let (status, _, _) = fetch(&app, "/content/images/size/w640/2026/01/nothing-here.jpg").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = fetch(&app, "/content/images/../masthead.db").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_page_offers_webp_and_original_srcsets_with_the_size() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let path = uploaded_path(&upload(&app, &auth, "lead.jpg", &jpeg(1400, 700)).await);
    variants_done(&app, &path).await;
    let made = call(
        &app,
        Method::POST,
        "posts/?source=html",
        &auth,
        Some(
            json!({ "posts": [{ "title": "With a lead image", "status": "published",
            "html": "<p>Words.</p>", "feature_image": format!("{SITE}{path}"),
            "feature_image_alt": "The harbour at dawn" }] }),
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let page = app.get("/with-a-lead-image/").await;
    assert_eq!(page.status, StatusCode::OK);
    let webp = page.attrs(
        ".article-figure picture source[type='image/webp']",
        "srcset",
    );
    assert_eq!(webp.len(), 1, "{}", page.body);
    assert!(
        webp[0].contains("/size/w640/format/webp/") && webp[0].contains(" 1280w"),
        "{}",
        webp[0]
    );
    assert!(
        !webp[0].contains("1920w"),
        "no width beyond the original: {}",
        webp[0]
    );
    let img = ".article-figure picture img";
    let own = page.attrs(img, "srcset");
    assert!(
        own[0].contains("/size/w320/") && own[0].ends_with(" 1400w"),
        "{}",
        own[0]
    );
    assert_eq!(page.attrs(img, "width"), ["1400"]);
    assert_eq!(page.attrs(img, "height"), ["700"]);
    assert_eq!(page.attrs(img, "alt"), ["The harbour at dawn"]);
    assert_eq!(page.attrs(img, "sizes").len(), 1);
}

#[tokio::test]
async fn media_in_use_is_not_deleted_and_replaced_urls_keep_working() {
    let app = TestApp::empty().await;
    let auth = admin_auth(&app).await;
    let library = app.state.media_library();
    let used = uploaded_path(&upload(&app, &auth, "used.jpg", &jpeg(400, 300)).await);
    let spare = uploaded_path(&upload(&app, &auth, "spare.jpg", &jpeg(400, 300)).await);
    let made = call(
        &app,
        Method::POST,
        "posts/?source=html",
        &auth,
        Some(
            json!({ "posts": [{ "title": "Uses one", "status": "published",
            "html": format!("<p>See <img src=\"{SITE}{used}\" alt=\"x\"></p>") }] }),
        ),
    )
    .await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);

    let used_row = variants_done(&app, &used).await;
    let refused = library.delete(&used_row.id).await;
    assert!(matches!(refused, Err(MediaError::InUse(_))), "{refused:?}");
    assert!(
        refused
            .unwrap_err()
            .to_string()
            .contains("used in “Uses one”"),
        "the refusal names the post"
    );
    assert_eq!(fetch(&app, &used).await.0, StatusCode::OK);

    // Replacing keeps the old URL serving the old bytes; the library shows the new item.
    let (_, _, old_bytes) = fetch(&app, &used).await;
    let replacement = jpeg(500, 250);
    let upload = Upload {
        file_name: "used-v2.jpg",
        bytes: &replacement,
        alt: "",
        uploaded_by: None,
    };
    library.set_alt(&used_row.id, "Harbour").await.unwrap();
    let new = library
        .replace(&used_row.id, upload, chrono::Utc::now())
        .await
        .unwrap();
    assert_ne!(new.path, used_row.path);
    assert_eq!(new.alt, "Harbour", "alt text carried over");
    assert_eq!(fetch(&app, &used).await.2, old_bytes);
    let listed = library.list(Some("used"), 10, 0).await.unwrap();
    assert_eq!(
        listed.items.iter().map(|m| &m.id).collect::<Vec<_>>(),
        [&new.id]
    );
    assert!(
        matches!(library.delete(&new.id).await, Err(MediaError::InUse(_))),
        "its predecessor is in use"
    );

    let spare_row = variants_done(&app, &spare).await;
    library.delete(&spare_row.id).await.unwrap();
    assert_eq!(fetch(&app, &spare).await.0, StatusCode::NOT_FOUND);
    let stored = spare.strip_prefix("/content/images/").unwrap();
    let variant = format!("/content/images/size/w320/format/webp/{stored}");
    assert_eq!(
        fetch(&app, &variant).await.0,
        StatusCode::NOT_FOUND,
        "variants deleted too"
    );
}
