//! Reading responses: JSON bodies and error statuses. What a provider sends
//! back can hold tokens, so errors name the endpoint, the status and the
//! OAuth error code, never a body or a quoted value.

use serde::de::DeserializeOwned;

use super::{Endpoint, HttpError, HttpResponse};

/// Parses a JSON body, naming the endpoint on failure.
pub fn parse_json<T: DeserializeOwned>(endpoint: Endpoint, body: &[u8]) -> Result<T, HttpError> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(de).map_err(|e| HttpError::InvalidJson {
        endpoint,
        reason: describe_json_error(&e),
    })
}

fn describe_json_error(e: &serde_path_to_error::Error<serde_json::Error>) -> String {
    let path = e.path().to_string();
    let inner = e.inner();
    // serde_json messages quote unexpected *values* ("invalid type: string \"...\"");
    // keep only the category and the location so no token can leak through.
    let category = match inner.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => {
            format!(
                "syntax error at line {} column {}",
                inner.line(),
                inner.column()
            )
        }
        serde_json::error::Category::Data => {
            let msg = inner.to_string();
            if msg.starts_with("missing field") {
                msg.split(" at line")
                    .next()
                    .unwrap_or("missing field")
                    .to_string()
            } else {
                "unexpected type or value".to_string()
            }
        }
        serde_json::error::Category::Io => "read error".to_string(),
    };
    // `?` is where the parser stopped inside an unknown member: no place to name.
    if path == "." || path == "?" || path.is_empty() {
        category
    } else {
        format!("{category} at `{path}`")
    }
}

/// Builds the error for a non-2xx response, with the OAuth error code and
/// description when the body carries them (RFC 6749 §5.2).
pub fn status_error(endpoint: Endpoint, response: &HttpResponse) -> HttpError {
    #[derive(serde::Deserialize)]
    struct OAuthError {
        error: String,
        error_description: Option<String>,
    }
    let parsed: Option<OAuthError> = is_json_object(&response.body)
        .then(|| serde_json::from_slice(&response.body).ok())
        .flatten();
    let (detail, oauth_error) = match parsed {
        Some(e) => {
            let code = sanitize_text(&e.error, 64);
            let detail = match e.error_description {
                Some(d) if !d.is_empty() => format!(": {code} ({})", sanitize_text(&d, 200)),
                _ => format!(": {code}"),
            };
            (detail, Some(code))
        }
        None if (300..400).contains(&response.status) => (
            " (a redirect; Tessera does not follow redirects from providers)".to_string(),
            None,
        ),
        None => (String::new(), None),
    };
    HttpError::Status {
        endpoint,
        status: response.status,
        detail,
        oauth_error,
    }
}

/// Parses a body that must be a JSON object: every OAuth and OpenID
/// answer is one (RFC 6749 §5.1, §5.2; RFC 8414 §3.2; RFC 9126 §2.2; RFC
/// 8628 §3.2), and a struct read from an array by position is nonsense.
pub fn parse_json_object<T: DeserializeOwned>(
    endpoint: Endpoint,
    body: &[u8],
) -> Result<T, HttpError> {
    let value = parse_json(endpoint, body)?;
    if is_json_object(body) {
        Ok(value)
    } else {
        Err(HttpError::InvalidJson {
            endpoint,
            reason: "not a JSON object".into(),
        })
    }
}

/// Whether a body is a JSON object, as OAuth's answers are (RFC 6749 §5.1,
/// §5.2). serde reads a struct from a JSON array too, by position, so a
/// struct that parses does not tell.
pub(crate) fn is_json_object(body: &[u8]) -> bool {
    body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{')
}

/// Keeps provider-supplied text printable, single-line and short.
pub fn sanitize_text(text: &str, max: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cleaned.chars().count() > max {
        let cut: String = cleaned.chars().take(max).collect();
        format!("{cut}…")
    } else {
        cleaned
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> HttpResponse {
        HttpResponse {
            status,
            headers: vec![],
            body: body.as_bytes().to_vec(),
        }
    }

    #[test]
    fn status_error_names_the_endpoint_and_oauth_error() {
        let e = status_error(
            Endpoint::Token,
            &response(
                400,
                r#"{"error":"invalid_grant","error_description":"grant request is invalid"}"#,
            ),
        );
        assert_eq!(
            e.to_string(),
            "token endpoint returned HTTP 400: invalid_grant (grant request is invalid)",
            "the message should say which endpoint failed and why"
        );
        assert_eq!(e.oauth_error(), Some("invalid_grant"));
    }

    #[test]
    fn status_error_without_oauth_body_is_just_the_status() {
        let e = status_error(Endpoint::Token, &response(500, "<html>oops</html>"));
        assert_eq!(e.to_string(), "token endpoint returned HTTP 500");
    }

    /// Found by the token_response fuzz target: serde reads a struct from a
    /// JSON array by position, so a 400 answering `["…", "…"]` showed the
    /// array's strings as the OAuth error and its description.
    #[test]
    fn an_error_body_that_is_not_an_object_is_no_oauth_error() {
        let e = status_error(
            Endpoint::Token,
            &response(400, r#"["eUdh`JfcyMhF6uJdhfZa%JL69og", "re3u8IHZ5leq"]"#),
        );
        assert_eq!(e.oauth_error(), None);
        assert_eq!(e.to_string(), "token endpoint returned HTTP 400");
    }

    #[test]
    fn an_answer_that_is_an_array_is_refused_even_when_a_struct_would_read_it() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Pushed {
            request_uri: String,
            expires_in: u64,
        }
        let array = parse_json_object::<Pushed>(Endpoint::PushedAuthorization, br#"["urn:x", 60]"#);
        assert!(
            matches!(array, Err(HttpError::InvalidJson { .. })),
            "serde alone reads the array by position: {array:?}"
        );
        let object = parse_json_object::<Pushed>(
            Endpoint::PushedAuthorization,
            br#" {"request_uri": "urn:x", "expires_in": 60}"#,
        );
        assert!(object.is_ok(), "an object still parses: {object:?}");
    }

    #[test]
    fn invalid_json_error_does_not_quote_the_body() {
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct T {
            access_token: u32,
        }
        let e =
            parse_json::<T>(Endpoint::Token, br#"{"access_token":"SECRET-VALUE"}"#).unwrap_err();
        let msg = e.to_string();
        assert!(
            !msg.contains("SECRET-VALUE"),
            "the body value leaked into: {msg}"
        );
        assert!(
            msg.contains("access_token"),
            "the field should be named: {msg}"
        );
        let e = parse_json::<T>(Endpoint::Token, b"garbage SECRET").unwrap_err();
        assert!(e
            .to_string()
            .starts_with("token endpoint returned a response that is not valid JSON"));
        assert!(!e.to_string().contains("SECRET"));
    }
}
