//! The device authorization grant (RFC 8628): the request that gets a user
//! code, and the rules of polling, as a state machine the caller drives with
//! its own clock. Sans-IO apart from the one request.
//!
//! Polling, decided by [`DevicePolling::after`]:
//!
//! | token endpoint answer    | decision                                          |
//! |--------------------------|---------------------------------------------------|
//! | `authorization_pending`  | poll again after `interval`                       |
//! | `slow_down`              | `interval` grows by 5 s for this and every later poll (§3.5) |
//! | `access_denied`          | stop: the user declined                           |
//! | `expired_token`          | stop: the code expired                            |
//! | next poll past `expires_in` | stop: expired, without another request        |
//! | tokens                   | done (the caller validates them)                  |
//! | anything else            | stop with the provider's error (the caller's)     |

use serde::Deserialize;
use serde_json::Value;
use url::Url;

use crate::protocol::token::ClientCredentials;
use crate::seams::http::{parse_json_object, Endpoint, Http, HttpError};
use crate::secret::SecretString;

/// RFC 8628 §3.2: the interval when the provider names none.
pub const DEFAULT_INTERVAL_SECS: i64 = 5;

/// RFC 8628 §3.5: what `slow_down` adds to the interval.
pub const SLOW_DOWN_SECS: i64 = 5;

/// The provider's answer to a device authorization request.
#[derive(Debug, Clone)]
pub struct DeviceAuthorization {
    /// The device code, sent only to the token endpoint.
    pub device_code: SecretString,
    /// The code the user types at the verification URI.
    pub user_code: String,
    /// Where the user goes to type the code.
    pub verification_uri: String,
    /// The same with the code filled in, for a link or a QR code.
    pub verification_uri_complete: Option<String>,
    /// Seconds until the codes expire.
    pub expires_in: i64,
    /// Seconds to wait between polls, when the provider says.
    pub interval: Option<i64>,
}

#[derive(Deserialize)]
struct RawDeviceAuthorization {
    device_code: String,
    user_code: String,
    // Google still sends `verification_url`.
    #[serde(alias = "verification_url")]
    verification_uri: String,
    #[serde(default)]
    verification_uri_complete: Option<String>,
    expires_in: Value,
    #[serde(default)]
    interval: Option<Value>,
}

fn seconds(v: &Value) -> Option<i64> {
    v.as_i64()
        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
}

/// Asks for a device code and a user code (RFC 8628 §3.1).
pub async fn request(
    http: &Http,
    url: Url,
    client: &ClientCredentials,
    form: &[(&str, &str)],
) -> Result<DeviceAuthorization, HttpError> {
    let request = client.post(Endpoint::DeviceAuthorization, url, form)?;
    let response = http.send(request).await?;
    let raw: RawDeviceAuthorization =
        parse_json_object(Endpoint::DeviceAuthorization, &response.body)?;
    let invalid = |reason: &str| HttpError::InvalidJson {
        endpoint: Endpoint::DeviceAuthorization,
        reason: reason.to_string(),
    };
    if raw.device_code.is_empty() || raw.user_code.is_empty() {
        return Err(invalid("empty device_code or user_code"));
    }
    let expires_in = seconds(&raw.expires_in)
        .filter(|s| *s > 0)
        .ok_or_else(|| invalid("expires_in is not a positive number"))?;
    Ok(DeviceAuthorization {
        device_code: SecretString::new(raw.device_code),
        user_code: raw.user_code,
        verification_uri: raw.verification_uri,
        verification_uri_complete: raw.verification_uri_complete.filter(|u| !u.is_empty()),
        expires_in,
        interval: raw.interval.as_ref().and_then(seconds).filter(|s| *s > 0),
    })
}

/// The user code grouped for reading aloud and typing: `WDJBMJHT` becomes
/// `WDJB-MJHT`. A code the provider already grouped is kept as it is.
pub fn group_user_code(code: &str) -> String {
    if code.contains(['-', ' ']) || code.chars().count() < 6 {
        return code.to_string();
    }
    let chars: Vec<char> = code.chars().collect();
    let size = if chars.len().is_multiple_of(4) { 4 } else { 3 };
    chars
        .chunks(size)
        .map(|c| c.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

/// What one poll of the token endpoint came back with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollAnswer {
    /// `authorization_pending`: the user has not finished yet.
    Pending,
    /// `slow_down`: poll less often.
    SlowDown,
    /// `access_denied`: the user declined.
    Denied,
    /// `expired_token`: the device code expired.
    Expired,
}

impl PollAnswer {
    /// The answer an error from the token endpoint stands for; `None` for
    /// an error that ends polling as a failure of its own.
    pub fn from_error(e: &HttpError) -> Option<Self> {
        match e.oauth_error()? {
            "authorization_pending" => Some(PollAnswer::Pending),
            "slow_down" => Some(PollAnswer::SlowDown),
            "access_denied" => Some(PollAnswer::Denied),
            "expired_token" => Some(PollAnswer::Expired),
            _ => None,
        }
    }
}

/// Why polling stopped without tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStop {
    /// The user declined at the provider.
    Denied,
    /// The code expired (the provider said so, or its lifetime ran out).
    Expired,
}

/// What to do after an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PollDecision {
    /// Poll again at this Unix time.
    PollAt(i64),
    /// Stop.
    Stop(DeviceStop),
}

/// The polling rules of one device authorization.
#[derive(Debug, Clone)]
pub struct DevicePolling {
    interval: i64,
    expires_at: i64,
}

impl DevicePolling {
    /// Starts polling for `authorization`, issued at `now`.
    pub fn new(authorization: &DeviceAuthorization, now: i64) -> Self {
        Self {
            interval: authorization.interval.unwrap_or(DEFAULT_INTERVAL_SECS),
            expires_at: now + authorization.expires_in,
        }
    }

    /// The current interval in seconds.
    pub fn interval(&self) -> i64 {
        self.interval
    }

    /// When the codes expire (Unix seconds).
    pub fn expires_at(&self) -> i64 {
        self.expires_at
    }

    /// When to poll first: one interval after the request (§3.4).
    pub fn first_poll(&self, now: i64) -> PollDecision {
        self.schedule(now)
    }

    /// The decision after `answer`, received at `now`.
    pub fn after(&mut self, answer: PollAnswer, now: i64) -> PollDecision {
        match answer {
            PollAnswer::Pending => self.schedule(now),
            PollAnswer::SlowDown => {
                self.interval += SLOW_DOWN_SECS;
                self.schedule(now)
            }
            PollAnswer::Denied => PollDecision::Stop(DeviceStop::Denied),
            PollAnswer::Expired => PollDecision::Stop(DeviceStop::Expired),
        }
    }

    fn schedule(&self, now: i64) -> PollDecision {
        let at = now + self.interval;
        if at > self.expires_at {
            PollDecision::Stop(DeviceStop::Expired)
        } else {
            PollDecision::PollAt(at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn authorization(interval: Option<i64>, expires_in: i64) -> DeviceAuthorization {
        DeviceAuthorization {
            device_code: SecretString::new("dc"),
            user_code: "WDJBMJHT".into(),
            verification_uri: "https://idp/device".into(),
            verification_uri_complete: None,
            expires_in,
            interval,
        }
    }

    #[test]
    fn polling_waits_the_interval_and_grows_it_by_five_seconds_on_slow_down() {
        let mut p = DevicePolling::new(&authorization(Some(2), 600), 1_000);
        assert_eq!(
            p.first_poll(1_000),
            PollDecision::PollAt(1_002),
            "one interval after the request"
        );
        assert_eq!(
            p.after(PollAnswer::Pending, 1_002),
            PollDecision::PollAt(1_004)
        );
        assert_eq!(
            p.after(PollAnswer::SlowDown, 1_004),
            PollDecision::PollAt(1_011),
            "slow_down adds 5 s to the interval"
        );
        assert_eq!(
            p.after(PollAnswer::Pending, 1_011),
            PollDecision::PollAt(1_018),
            "and the larger interval stays for later polls"
        );
        assert_eq!(p.interval(), 7);
    }

    #[test]
    fn without_an_interval_polling_uses_five_seconds() {
        let p = DevicePolling::new(&authorization(None, 600), 0);
        assert_eq!(p.first_poll(0), PollDecision::PollAt(DEFAULT_INTERVAL_SECS));
    }

    #[test]
    fn polling_stops_on_denial_expiry_and_the_codes_lifetime() {
        let mut p = DevicePolling::new(&authorization(Some(5), 12), 0);
        assert_eq!(
            p.after(PollAnswer::Denied, 5),
            PollDecision::Stop(DeviceStop::Denied)
        );
        assert_eq!(
            p.after(PollAnswer::Expired, 5),
            PollDecision::Stop(DeviceStop::Expired)
        );
        assert_eq!(p.after(PollAnswer::Pending, 5), PollDecision::PollAt(10));
        assert_eq!(
            p.after(PollAnswer::Pending, 10),
            PollDecision::Stop(DeviceStop::Expired),
            "a poll past expires_in is not sent"
        );
    }

    #[test]
    fn user_codes_are_grouped_for_reading_unless_already_grouped() {
        assert_eq!(group_user_code("WDJBMJHT"), "WDJB-MJHT");
        assert_eq!(group_user_code("ABCDEFGHI"), "ABC-DEF-GHI");
        assert_eq!(group_user_code("BDWP-HQPK"), "BDWP-HQPK");
    }
}
