//! The time budget of one operation: a per-call timeout, bounded by the
//! operation's overall deadline (`tessera login --timeout`, for instance), so
//! a hanging provider can never hold a sign-in past its limit.

use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::de::DeserializeOwned;

use super::{
    parse_json, redact_url, status_error, HttpClient, HttpError, HttpRequest, HttpResponse,
};

/// The end of an operation's time budget (e.g. `tessera login --timeout`).
#[derive(Debug, Clone, Copy)]
pub struct Deadline(Option<Instant>);

impl Deadline {
    /// No overall limit (each call still has its own timeout).
    pub fn none() -> Self {
        Self(None)
    }

    /// A limit `budget` from now.
    pub fn after(budget: Duration) -> Self {
        Self(Some(Instant::now() + budget))
    }

    /// Time left, if there is a limit.
    pub fn remaining(&self) -> Option<Duration> {
        self.0
            .map(|at| at.saturating_duration_since(Instant::now()))
    }

    /// The smaller of `per_call` and the time left.
    pub fn bound(&self, per_call: Duration) -> Duration {
        match self.remaining() {
            Some(left) => left.min(per_call),
            None => per_call,
        }
    }
}

/// The default timeout for one call to a provider.
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A client plus the budget of the operation it serves.
#[derive(Clone)]
pub struct Http {
    client: Arc<dyn HttpClient>,
    deadline: Deadline,
    per_call: Duration,
}

impl Http {
    /// Wraps a transport with the default per-call timeout and no deadline.
    pub fn new(client: Arc<dyn HttpClient>) -> Self {
        Self {
            client,
            deadline: Deadline::none(),
            per_call: DEFAULT_CALL_TIMEOUT,
        }
    }

    /// The same transport bounded by `deadline`.
    pub fn with_deadline(&self, deadline: Deadline) -> Self {
        Self {
            deadline,
            ..self.clone()
        }
    }

    /// The same transport with another per-call timeout.
    pub fn with_call_timeout(&self, per_call: Duration) -> Self {
        Self {
            per_call,
            ..self.clone()
        }
    }

    /// Sends a request; any status is returned as a response.
    pub async fn send_raw(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let endpoint = request.endpoint;
        let started = Instant::now();
        let url = redact_url(&request.url);
        let limit = self.deadline.bound(self.per_call);
        let result = match tokio::time::timeout(limit, self.client.send(request)).await {
            Ok(result) => result,
            Err(_) => Err(HttpError::Timeout { endpoint }),
        };
        let ms = started.elapsed().as_millis();
        match &result {
            Ok(r) => tracing::debug!(%endpoint, %url, status = r.status, ms, "http"),
            Err(e) => tracing::debug!(%endpoint, %url, error = %e, ms, "http failed"),
        }
        result
    }

    /// Sends a request and fails on any status other than 2xx.
    pub async fn send(&self, request: HttpRequest) -> Result<HttpResponse, HttpError> {
        let endpoint = request.endpoint;
        let response = self.send_raw(request).await?;
        if (200..300).contains(&response.status) {
            Ok(response)
        } else {
            Err(status_error(endpoint, &response))
        }
    }

    /// Sends a request and parses a 2xx JSON body.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        request: HttpRequest,
    ) -> Result<(T, HttpResponse), HttpError> {
        let endpoint = request.endpoint;
        let response = self.send(request).await?;
        let value = parse_json(endpoint, &response.body)?;
        Ok((value, response))
    }
}
