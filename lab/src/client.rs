//! The lab's own STS and container-credentials client, for `lab test` and the
//! load test: one kept-alive HTTP/1.1 connection, the Query protocol, SigV4.

use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::Request;
use hyper_util::rt::TokioIo;
use irsa_core::sts::read;
use irsa_core::sts::response::{timestamp, Credentials};
use tokio::net::TcpStream;

use crate::sigv4::{self, Signed};

/// An answer that is not a success: the error code (empty when none) and message.
pub type Failure = (String, String);

/// One connection to the lab.
pub struct Client {
    addr: SocketAddr,
    sender: Option<SendRequest<Full<Bytes>>>,
}

fn failure(message: impl Into<String>) -> Failure {
    (String::new(), message.into())
}

impl Client {
    /// A client of the lab at `addr` (it connects on first use).
    pub fn new(addr: SocketAddr) -> Client {
        Client { addr, sender: None }
    }

    async fn sender(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, Failure> {
        if self.sender.as_ref().is_none_or(|s| s.is_closed()) {
            let stream = TcpStream::connect(self.addr)
                .await
                .map_err(|e| failure(e.to_string()))?;
            let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
                .await
                .map_err(|e| failure(e.to_string()))?;
            tokio::spawn(async move {
                let _ = conn.await;
            });
            self.sender = Some(sender);
        }
        self.sender.as_mut().ok_or_else(|| failure("no connection"))
    }

    /// Sends a request; the status and body text.
    pub async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(String, String)],
        body: String,
    ) -> Result<(u16, String), Failure> {
        let host = self.addr.to_string();
        let mut builder = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host);
        for (k, v) in headers {
            builder = builder.header(k.as_str(), v.as_str());
        }
        let req = builder
            .body(Full::new(Bytes::from(body)))
            .map_err(|e| failure(e.to_string()))?;
        let sender = self.sender().await?;
        sender.ready().await.map_err(|e| failure(e.to_string()))?;
        let res = sender
            .send_request(req)
            .await
            .map_err(|e| failure(e.to_string()))?;
        let status = res.status().as_u16();
        let bytes = res
            .into_body()
            .collect()
            .await
            .map_err(|e| failure(e.to_string()))?
            .to_bytes();
        Ok((status, String::from_utf8_lossy(&bytes).into_owned()))
    }

    /// `AssumeRoleWithWebIdentity`: the credentials and the assumed-role ARN.
    pub async fn assume_role(
        &mut self,
        role_arn: &str,
        session: &str,
        token: &str,
    ) -> Result<(Credentials, String), Failure> {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .append_pair("Action", "AssumeRoleWithWebIdentity")
            .append_pair("Version", "2011-06-15")
            .append_pair("RoleArn", role_arn)
            .append_pair("RoleSessionName", session)
            .append_pair("WebIdentityToken", token)
            .finish();
        let headers = vec![(
            "content-type".to_string(),
            "application/x-www-form-urlencoded; charset=utf-8".to_string(),
        )];
        let (status, text) = self.send("POST", "/", &headers, body).await?;
        if status == 200 {
            read::assumed(&text).ok_or_else(|| failure(format!("unreadable response: {text}")))
        } else {
            Err(read::error(&text).unwrap_or_else(|| failure(text)))
        }
    }

    /// `GetCallerIdentity` signed with `creds`: the caller's ARN.
    pub async fn caller_identity(
        &mut self,
        creds: &Credentials,
        region: &str,
        now: i64,
    ) -> Result<String, Failure> {
        let body = "Action=GetCallerIdentity&Version=2011-06-15".to_string();
        let amz_date: String = timestamp(now)
            .chars()
            .filter(|c| *c != '-' && *c != ':')
            .collect();
        let mut headers = vec![
            (
                "content-type".to_string(),
                "application/x-www-form-urlencoded; charset=utf-8".to_string(),
            ),
            ("host".to_string(), self.addr.to_string()),
            ("x-amz-date".to_string(), amz_date.clone()),
            (
                "x-amz-security-token".to_string(),
                creds.session_token.clone(),
            ),
        ];
        let signed = Signed {
            method: "POST",
            path: "/",
            query: "",
            headers: &headers,
            body: body.as_bytes(),
        };
        let auth = sigv4::authorization(
            &signed,
            &creds.access_key_id,
            &creds.secret_access_key,
            &amz_date,
            region,
            "sts",
        );
        headers.retain(|(k, _)| k != "host");
        headers.push(("authorization".to_string(), auth));
        let (status, text) = self.send("POST", "/", &headers, body).await?;
        if status == 200 {
            read::caller_arn(&text).ok_or_else(|| failure(format!("unreadable response: {text}")))
        } else {
            Err(read::error(&text).unwrap_or_else(|| failure(text)))
        }
    }

    /// The container credentials endpoint with a token as `Authorization`.
    pub async fn container_credentials(&mut self, token: &str) -> Result<Credentials, Failure> {
        let headers = vec![("authorization".to_string(), token.to_string())];
        let (status, text) = self
            .send(
                "GET",
                irsa_core::emulate::env::CREDENTIALS_PATH,
                &headers,
                String::new(),
            )
            .await?;
        if status == 200 {
            return read::container_credentials(&text)
                .ok_or_else(|| failure(format!("unreadable response: {text}")));
        }
        // `[REQUEST_ID]: (CODE): MESSAGE, fault: client`, or the agent's own message.
        let text = text.trim_end();
        let parsed = text
            .split_once("]: (")
            .and_then(|(_, rest)| rest.split_once("): "))
            .map(|(code, msg)| {
                (
                    code.to_string(),
                    msg.trim_end_matches(", fault: client").to_string(),
                )
            });
        Err(parsed.unwrap_or_else(|| failure(text)))
    }
}
