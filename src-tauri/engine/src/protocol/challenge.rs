//! `WWW-Authenticate` challenges (RFC 9110 §11.6.1, RFC 6750 §3): what an API
//! says when it refuses a token, parsed so a host can show the error code,
//! the scope asked for and whether a refresh could help.

/// A `WWW-Authenticate` challenge (RFC 9110 §11.6.1, RFC 6750 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BearerChallenge {
    /// `Bearer`, `DPoP`, `Basic`…
    pub scheme: String,
    /// Its auth-params, names lower-cased.
    pub params: Vec<(String, String)>,
}

impl BearerChallenge {
    /// The named auth-param's value, e.g. `error`; pass the name in lower case, as stored.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// What an RFC 6750 error means and what to do.
    pub fn advice(&self) -> Option<&'static str> {
        Some(match self.param("error")? {
            "invalid_token" => "the API refused the access token (expired, revoked or for another audience); refresh the session and retry",
            "insufficient_scope" => "the token lacks a scope or permission this API needs; sign in again asking for the scope the challenge names",
            "invalid_request" => "the API could not read the request or its credentials; check the Authorization header and parameters",
            "invalid_dpop_proof" | "use_dpop_nonce" => "the API wants a DPoP-bound token, which this profile does not use",
            _ => return None,
        })
    }

    /// Whether a refresh could fix this: `invalid_token`, or a 401 Bearer
    /// challenge with no error code.
    pub fn fixable_by_refresh(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("bearer")
            && matches!(self.param("error"), None | Some("invalid_token"))
    }
}

/// Parses a `WWW-Authenticate` value into its challenges. Lenient: a
/// provider's odd spacing or unquoted values still parse.
pub fn parse_www_authenticate(header: &str) -> Vec<BearerChallenge> {
    let mut challenges: Vec<BearerChallenge> = Vec::new();
    let chars: Vec<char> = header.chars().collect();
    let mut i = 0;
    let skip_ws = |i: &mut usize| {
        while *i < chars.len() && (chars[*i].is_whitespace() || chars[*i] == ',') {
            *i += 1;
        }
    };
    let is_token = |c: char| !c.is_whitespace() && c != ',' && c != '=' && c != '"';
    while i < chars.len() {
        skip_ws(&mut i);
        let start = i;
        while i < chars.len() && is_token(chars[i]) {
            i += 1;
        }
        let word: String = chars[start..i].iter().collect();
        if word.is_empty() {
            i += 1;
            continue;
        }
        // After a word: '=' makes it a parameter of the current challenge,
        // anything else starts a new challenge.
        let mut j = i;
        while j < chars.len() && chars[j] == ' ' {
            j += 1;
        }
        if j < chars.len() && chars[j] == '=' && !challenges.is_empty() {
            i = j + 1;
            while i < chars.len() && chars[i] == ' ' {
                i += 1;
            }
            let mut value = String::new();
            if i < chars.len() && chars[i] == '"' {
                i += 1;
                while i < chars.len() && chars[i] != '"' {
                    if chars[i] == '\\' && i + 1 < chars.len() {
                        i += 1;
                    }
                    value.push(chars[i]);
                    i += 1;
                }
                i += 1;
            } else {
                while i < chars.len() && chars[i] != ',' && !chars[i].is_whitespace() {
                    value.push(chars[i]);
                    i += 1;
                }
            }
            if let Some(c) = challenges.last_mut() {
                c.params.push((word.to_ascii_lowercase(), value));
            }
        } else {
            challenges.push(BearerChallenge {
                scheme: word,
                params: Vec::new(),
            });
        }
    }
    challenges
}
