//! The HTTP server on 127.0.0.1: hyper's HTTP/1.1 connections on tokio, one
//! task per connection, a header read timeout and a body limit and timeout,
//! so a slow or hostile client costs one task and never stops the server.
//! Routes: each issuer's discovery document and key set, STS (`POST /`), and
//! the Pod Identity Agent's `GET /v1/credentials`. Every decision is core's.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use irsa_core::emulate::{env, pod_identity, web_identity, Account, IssuerMap};
use irsa_core::oidc::{self, Jwks};
use irsa_core::sts::{self, response, Request as StsRequest, StsError};
use tokio::net::TcpListener;
use tokio::sync::{watch, Semaphore};

use crate::keys::KeyRing;
use crate::sessions::{self, Sessions};
use crate::sigv4::{self, Signed};

/// Largest request body read (a 20,000-character token and its parameters fit many times).
pub const MAX_BODY: usize = 64 * 1024;
/// Time a client has to send its headers, then its body.
pub const READ_TIMEOUT: Duration = Duration::from_secs(10);
/// Most connections served at once; more wait for a place.
pub const MAX_CONNECTIONS: usize = 512;

/// Everything a request needs.
#[derive(Debug)]
pub struct Lab {
    /// The AWS side.
    pub account: Account,
    /// The lab's issuers.
    pub issuers: IssuerMap,
    /// Their keys.
    pub keys: KeyRing,
    /// Issued credentials.
    pub sessions: Sessions,
    /// Print one line per request to stderr.
    pub verbose: bool,
}

/// Seconds since the epoch.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `http://ADDR` of a bound listener.
pub fn base_url(addr: SocketAddr) -> String {
    format!("http://{addr}")
}

/// Serves until `stop` turns true; then stops accepting and lets open
/// connections finish their request.
pub async fn serve(listener: TcpListener, lab: Arc<Lab>, mut stop: watch::Receiver<bool>) {
    let places = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    loop {
        let accepted = tokio::select! {
            a = listener.accept() => a,
            _ = stop.changed() => break,
        };
        let Ok((stream, _)) = accepted else { continue };
        let Ok(place) = places.clone().acquire_owned().await else {
            break;
        };
        let lab = lab.clone();
        let service = hyper::service::service_fn(move |req| {
            let lab = lab.clone();
            async move { Ok::<_, std::convert::Infallible>(handle(&lab, req).await) }
        });
        let mut http = hyper::server::conn::http1::Builder::new();
        http.timer(TokioTimer::new())
            .header_read_timeout(READ_TIMEOUT);
        let conn = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            // A broken or timed-out connection ends here, alone.
            let _ = conn.await;
            drop(place);
        });
    }
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(Duration::from_secs(5)) => {}
    }
}

fn reply(status: u16, content_type: &'static str, body: String) -> Response<Full<Bytes>> {
    let mut r = Response::new(Full::new(Bytes::from(body)));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::BAD_REQUEST);
    r.headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    r
}

fn sts_reply(result: Result<String, StsError>, request_id: &str) -> Response<Full<Bytes>> {
    let mut r = match result {
        Ok(xml) => reply(200, "text/xml", xml),
        Err(e) => reply(e.status, "text/xml", response::error(&e, request_id)),
    };
    if let Ok(v) = HeaderValue::from_str(request_id) {
        r.headers_mut().insert("x-amzn-requestid", v);
    }
    r
}

async fn handle(lab: &Lab, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let response = match (method.clone(), path.as_str()) {
        (Method::POST | Method::GET, "/") => sts_endpoint(lab, req).await,
        (Method::GET, env::CREDENTIALS_PATH) => container_credentials(lab, &req),
        (Method::GET, p) => issuer_document(lab, p),
        _ => reply(404, "text/plain", "not found\n".into()),
    };
    if lab.verbose {
        eprintln!("{method} {path} -> {}", response.status().as_u16());
    }
    response
}

fn issuer_document(lab: &Lab, path: &str) -> Response<Full<Bytes>> {
    let trimmed = path.trim_start_matches('/');
    if let Some(issuer) = trimmed.strip_suffix(oidc::DISCOVERY_PATH) {
        if lab.keys.for_path(&lab.issuers, issuer).is_some() {
            return json(&oidc::discovery(&format!("{}/{issuer}", lab.issuers.base)));
        }
    }
    if let Some(issuer) = trimmed.strip_suffix(oidc::JWKS_PATH) {
        if let Some(key) = lab.keys.for_path(&lab.issuers, issuer) {
            return json(&Jwks {
                keys: vec![key.jwk()],
            });
        }
    }
    reply(404, "text/plain", "not found\n".into())
}

fn json<T: serde::Serialize>(doc: &T) -> Response<Full<Bytes>> {
    reply(
        200,
        "application/json",
        serde_json::to_string_pretty(doc).unwrap_or_default(),
    )
}

/// The body, within the limit and the timeout.
async fn read_body(
    req: Request<Incoming>,
) -> Result<(hyper::http::request::Parts, Bytes), StsError> {
    let (parts, body) = req.into_parts();
    let collected = tokio::time::timeout(READ_TIMEOUT, Limited::new(body, MAX_BODY).collect())
        .await
        .map_err(|_| StsError::timeout())?
        .map_err(|_| StsError::too_large(MAX_BODY))?;
    Ok((parts, collected.to_bytes()))
}

async fn sts_endpoint(lab: &Lab, req: Request<Incoming>) -> Response<Full<Bytes>> {
    let request_id = sessions::request_id();
    let (parts, body) = match read_body(req).await {
        Ok(x) => x,
        Err(e) => return sts_reply(Err(e), &request_id),
    };
    let query = parts.uri.query().unwrap_or("");
    let form = format!("{}&{query}", String::from_utf8_lossy(&body));
    let now = now();
    let result = sts::parse(&form).and_then(|request| match request {
        StsRequest::AssumeRoleWithWebIdentity(w) => {
            let verify = |t: &irsa_core::jwt::Jwt| lab.keys.verify(&lab.issuers, t);
            web_identity::assume(&lab.account, &lab.issuers, &w, &verify, now).map(|g| {
                let creds = lab
                    .sessions
                    .issue(g.grant.identity.clone(), g.expiration, now);
                response::assume_role_with_web_identity(&g.grant, &creds, &request_id)
            })
        }
        StsRequest::GetCallerIdentity => caller_identity(lab, &parts, query, &body, now)
            .map(|who| response::get_caller_identity(&who, &request_id)),
    });
    sts_reply(result, &request_id)
}

fn headers_of(parts: &hyper::http::request::Parts) -> Vec<(String, String)> {
    parts
        .headers
        .iter()
        .map(|(k, v)| {
            (
                k.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

fn caller_identity(
    lab: &Lab,
    parts: &hyper::http::request::Parts,
    query: &str,
    body: &[u8],
    now: i64,
) -> Result<response::Identity, StsError> {
    let auth = parts
        .headers
        .get(hyper::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok());
    let auth = sigv4::parse_authorization(auth)?;
    let session = lab
        .sessions
        .get(&auth.access_key)
        .ok_or_else(StsError::invalid_client_token)?;
    let token = parts
        .headers
        .get("x-amz-security-token")
        .and_then(|v| v.to_str().ok());
    if token != Some(session.credentials.session_token.as_str()) {
        return Err(StsError::invalid_client_token());
    }
    let headers = headers_of(parts);
    let signed = Signed {
        method: parts.method.as_str(),
        path: parts.uri.path(),
        query,
        headers: &headers,
        body,
    };
    sigv4::verify(&signed, &auth, &session.credentials.secret_access_key)?;
    if now >= session.credentials.expiration {
        return Err(StsError::credentials_expired());
    }
    Ok(session.identity)
}

fn container_credentials(lab: &Lab, req: &Request<Incoming>) -> Response<Full<Bytes>> {
    let request_id = sessions::request_id();
    let authorization = req
        .headers()
        .get(hyper::header::AUTHORIZATION)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let now = now();
    let verify = |t: &irsa_core::jwt::Jwt| lab.keys.verify(&lab.issuers, t);
    match pod_identity::assume(
        &lab.account,
        &lab.issuers,
        &authorization,
        &verify,
        &sessions::short_id(),
        now,
    ) {
        Ok(g) => {
            let account = g.identity.account.clone();
            let creds = lab.sessions.issue(g.identity, g.expiration, now);
            reply(
                200,
                "application/json",
                response::container_credentials(&creds, &account),
            )
        }
        Err(refusal) => reply(
            refusal.status,
            "text/plain; charset=utf-8",
            refusal.body(&request_id),
        ),
    }
}
