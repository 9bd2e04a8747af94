//! The one HTTP client every provider shares (rustls, proxy variables including `NO_PROXY`,
//! a connect timeout) and the request loop around it: one deadline on the monotonic clock
//! that covers connecting, the first byte and the whole body, and retries with jittered
//! backoff that never outlive that deadline.

use std::time::{Duration, SystemTime};

use reqwest::header::HeaderMap;
use tokio::time::Instant;

use super::failure::Failure;

/// The most of an answer that is read: a model's answer is a few kilobytes, and a server
/// sending hundreds of megabytes must not cost as much memory.
pub(crate) const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;
/// How long connecting may take: a dead network fails fast, other models go on.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// Retries after the first attempt, at most.
const MAX_RETRIES: u32 = 2;
/// First backoff; doubled for each further retry, with ±25 % jitter.
const BASE_BACKOFF: Duration = Duration::from_millis(500);

/// Builds the shared client. Proxies come from `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` and
/// `NO_PROXY` (reqwest reads them). Redirects are never followed: reqwest drops only the
/// `Authorization` header on a cross-host redirect, and Anthropic's `x-api-key` or Gemini's
/// `x-goog-api-key` would go to the new host.
pub(crate) fn client() -> Result<reqwest::Client, Failure> {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(CONNECT_TIMEOUT)
        .user_agent(concat!("changes/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|error| Failure::Connection(format!("cannot set up HTTP: {error}")))
}

/// A finished HTTP exchange: status, headers and the whole body.
#[derive(Debug)]
pub(crate) struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Vec<u8>,
}

/// Posts a JSON body and reads the whole answer, all before `deadline`.
pub(crate) async fn post_json(
    client: &reqwest::Client,
    url: &str,
    headers: &[(&str, String)],
    body: &serde_json::Value,
    deadline: Instant,
) -> Result<Response, Failure> {
    let exchange = async {
        let mut request = client.post(url).json(body);
        for (name, value) in headers {
            request = request.header(*name, value);
        }
        let mut response = request.send().await.map_err(transport_failure)?;
        let status = response.status().as_u16();
        if response.status().is_redirection() {
            let location = response
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|value| value.to_str().ok())
                .map_or_else(
                    || "an address it did not give".to_string(),
                    |location| crate::text::one_line(&crate::text::without_credentials(location)),
                );
            return Err(Failure::Redirected { status, location });
        }
        let headers = response.headers().clone();
        // Read piece by piece, so that a huge body stops at the cap, not in memory.
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(transport_failure)? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(Failure::InvalidResponse(format!(
                    "an answer larger than {} MB; stopped reading",
                    MAX_RESPONSE_BYTES / (1024 * 1024)
                )));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Response { status, headers, body })
    };
    match tokio::time::timeout_at(deadline, exchange).await {
        Ok(result) => result,
        Err(_) => Err(Failure::Timeout),
    }
}

/// A transport error in words that never include the URL's query (where no key is, but a
/// proxy's credentials might be).
fn transport_failure(error: reqwest::Error) -> Failure {
    let error = error.without_url();
    if error.is_timeout() {
        return Failure::Timeout;
    }
    let mut detail = error.to_string();
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        detail = format!("{detail}: {cause}");
        source = cause.source();
    }
    if error.is_decode() || error.is_body() {
        return Failure::InvalidResponse(detail);
    }
    Failure::Connection(detail)
}

/// The wait a response asks for: `retry-after-ms` (OpenAI), else `Retry-After` in seconds or
/// as an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let text = |name: &str| headers.get(name).and_then(|value| value.to_str().ok()).map(str::trim);
    if let Some(millis) = text("retry-after-ms").and_then(|value| value.parse::<f64>().ok()) {
        return (millis.is_finite() && millis >= 0.0)
            .then(|| Duration::from_secs_f64(millis / 1000.0));
    }
    let value = text("retry-after")?;
    if let Ok(seconds) = value.parse::<f64>() {
        return (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds));
    }
    let date = httpdate_seconds(value)?;
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    Some(Duration::from_secs(date.saturating_sub(now)))
}

/// Parses an HTTP date (`Sun, 06 Nov 1994 08:49:37 GMT`: RFC 9110's IMF-fixdate, a form of
/// RFC 2822 dates) to seconds since the epoch.
fn httpdate_seconds(text: &str) -> Option<u64> {
    static PARSER: jiff::fmt::rfc2822::DateTimeParser = jiff::fmt::rfc2822::DateTimeParser::new();
    let timestamp = PARSER.parse_timestamp(text).ok()?;
    u64::try_from(timestamp.as_second()).ok()
}

/// How long to wait before retry number `retry` (0-based): the provider's wish when it gave
/// one, else exponential backoff with jitter. `None` when the wait would not end before the
/// deadline, or the retries are used up.
pub(crate) fn next_wait(
    retry: u32,
    asked: Option<Duration>,
    deadline: Instant,
) -> Option<Duration> {
    if retry >= MAX_RETRIES {
        return None;
    }
    let wait = asked.unwrap_or_else(|| {
        let base = BASE_BACKOFF * 2u32.pow(retry);
        // Jitter from the clock's nanoseconds: enough to spread simultaneous retries.
        let nanos = SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |time| time.subsec_nanos());
        let factor = 0.75 + f64::from(nanos % 1000) / 2000.0;
        base.mul_f64(factor)
    });
    let now = Instant::now();
    // Leave room for the retried request itself: a wait that ends at the deadline is useless.
    (now + wait + Duration::from_millis(100) < deadline).then_some(wait)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_milliseconds_seconds_and_dates() {
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(2)));
        headers.insert("retry-after-ms", HeaderValue::from_static("1500"));
        assert_eq!(retry_after(&headers), Some(Duration::from_millis(1500)));
        let mut dated = HeaderMap::new();
        dated.insert("retry-after", HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT"));
        assert_eq!(retry_after(&dated), Some(Duration::ZERO), "a date in the past means now");
        assert_eq!(httpdate_seconds("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777));
        assert_eq!(httpdate_seconds("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(httpdate_seconds("not a date"), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }

    #[tokio::test]
    async fn waits_never_outlive_the_deadline() {
        let deadline = Instant::now() + Duration::from_secs(3);
        assert_eq!(
            next_wait(0, Some(Duration::from_secs(1)), deadline),
            Some(Duration::from_secs(1))
        );
        assert_eq!(next_wait(0, Some(Duration::from_secs(5)), deadline), None);
        let backoff = next_wait(1, None, deadline).expect("fits");
        assert!(backoff >= Duration::from_millis(750) && backoff <= Duration::from_millis(1250));
        assert_eq!(next_wait(2, None, deadline), None, "two retries at most");
    }
}

/// Property tests: short runs in `cargo test`, long ones with `PROPTEST_CASES=100000`.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use std::time::Duration;

    use super::next_wait;

    proptest! {
        #[test]
        fn retry_waits_never_outlive_the_deadline(
            retry in 0u32..4,
            asked_ms in proptest::option::of(0u64..120_000),
            remaining_ms in 0u64..60_000,
        ) {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_time().build().expect("runtime");
            runtime.block_on(async {
                let deadline = tokio::time::Instant::now() + Duration::from_millis(remaining_ms);
                if let Some(wait) = next_wait(retry, asked_ms.map(Duration::from_millis), deadline) {
                    prop_assert!(tokio::time::Instant::now() + wait < deadline);
                    prop_assert!(retry < 2);
                }
                Ok(())
            })?;
        }
    }
}
