//! A response as a host shows it: the status's reason phrase and the body,
//! pretty-printed when it is JSON and cut at [`MAX_VIEW_BYTES`] (the whole
//! body stays available for saving).

use crate::seams::http::HttpResponse;

/// A body ready to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BodyView {
    /// Pretty JSON or the text, cut at [`MAX_VIEW_BYTES`].
    pub text: String,
    /// The body parsed as JSON, so `text` is it pretty-printed.
    pub is_json: bool,
    /// `text` stops at [`MAX_VIEW_BYTES`]; the whole body is still in the response.
    pub truncated: bool,
}

/// The most body text a response view shows; the whole body can be saved.
pub const MAX_VIEW_BYTES: usize = 256 * 1024;

impl HttpResponse {
    /// The reason phrase for the status.
    pub fn status_text(&self) -> &'static str {
        reqwest::StatusCode::from_u16(self.status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("")
    }

    /// The body as shown: pretty-printed when JSON, cut when large.
    pub fn body_view(&self) -> BodyView {
        let ct = self
            .header("content-type")
            .unwrap_or("")
            .to_ascii_lowercase();
        let json_type = ct.contains("json");
        let parsed = if json_type || self.body.first().is_some_and(|b| *b == b'{' || *b == b'[') {
            serde_json::from_slice::<serde_json::Value>(&self.body).ok()
        } else {
            None
        };
        let (text, is_json) = match parsed {
            Some(v) => (serde_json::to_string_pretty(&v).unwrap_or_default(), true),
            None => match std::str::from_utf8(&self.body) {
                Ok(t) => (t.to_string(), false),
                Err(_) => (
                    format!(
                        "({} bytes of binary data; save the body to see it)",
                        self.body.len()
                    ),
                    false,
                ),
            },
        };
        if text.len() > MAX_VIEW_BYTES {
            let mut cut = MAX_VIEW_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            BodyView {
                text: text[..cut].to_string(),
                is_json,
                truncated: true,
            }
        } else {
            BodyView {
                text,
                is_json,
                truncated: false,
            }
        }
    }
}
