//! Hostile and broken requests get STS-style errors and never stop the lab:
//! after each, a good request still succeeds.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

use std::io::{Read, Write};
use std::time::Duration;

use irsa_core::emulate::Account;
use irsa_core::jwt;
use irsa_lab::client::Client;
use irsa_lab::keys::{KeyRing, SigningKey};
use irsa_lab::mint::{mint, Mint};
use irsa_lab::server::now;

const ROLE: &str = "arn:aws:iam::123456789012:role/S3WriterRole";

async fn lab() -> irsa_lab::Started {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/s3-writer.yaml"
    ))
    .unwrap();
    let spec = irsa_core::load_spec(&text, None);
    let account = Account::from_spec(spec.spec.as_ref().unwrap()).unwrap();
    let keys = KeyRing {
        cluster: SigningKey::generate(),
        other: SigningKey::generate(),
    };
    irsa_lab::start(account, keys, 0, false).await.unwrap()
}

fn own(lab: &irsa_lab::Started) -> Mint {
    Mint {
        issuer: lab.lab.issuers.lab_issuer(&lab.lab.account.issuers[0]),
        namespace: "production".into(),
        service_account: "s3-writer".into(),
        audience: "sts.amazonaws.com".into(),
        expiration_seconds: 3_600,
        age: 0,
        pod: None,
    }
}

async fn still_serves(lab: &irsa_lab::Started) {
    let token = mint(&own(lab), &lab.lab.keys.cluster, now()).unwrap();
    let (creds, arn) = Client::new(lab.addr)
        .assume_role(ROLE, "after", &token)
        .await
        .unwrap();
    assert!(arn.ends_with("assumed-role/S3WriterRole/after"));
    let who = Client::new(lab.addr)
        .caller_identity(&creds, "ap-south-1", now())
        .await
        .unwrap();
    assert_eq!(who, arn);
}

#[tokio::test]
async fn malformed_tokens() {
    let lab = lab().await;
    let m = own(&lab);
    let good = mint(&m, &lab.lab.keys.cluster, now()).unwrap();
    let claims = jwt::decode(&good).unwrap().claims;
    let none = jwt::compact(
        &jwt::signing_input(
            &serde_json::json!({"alg": "none"}),
            &serde_json::Value::Object(claims.clone()),
        ),
        b"",
    );
    let hs256 = jwt::compact(
        &jwt::signing_input(
            &serde_json::json!({"alg": "HS256", "kid": lab.lab.keys.cluster.kid()}),
            &serde_json::Value::Object(claims.clone()),
        ),
        b"mac",
    );
    let wrong_key = {
        let other = SigningKey::generate();
        let input = jwt::signing_input(
            &serde_json::json!({"alg": "RS256", "kid": lab.lab.keys.cluster.kid()}),
            &serde_json::Value::Object(claims),
        );
        jwt::compact(&input, &other.sign(&input).unwrap())
    };
    // Cut inside the signature so that what is left cannot be base64url
    // (a length of 1 mod 4): a cut that happens to decode would be a
    // signature failure instead, one time in sixteen.
    let signature_len = good.rsplit_once('.').unwrap().1.len();
    let cut = (signature_len - 1) % 4 + 8;
    let truncated = good[..good.len() - cut].to_string();
    assert_eq!((signature_len - cut) % 4, 1);
    let no_signature = good.rsplit_once('.').unwrap().0.to_string();
    let huge = format!("{good}{}", "A".repeat(25_000));
    let cases: Vec<(&str, String, &str, &str)> = vec![
        ("alg none", none, "InvalidIdentityToken", "Signature validation failed: algorithm none"),
        ("HS256", hs256, "InvalidIdentityToken", "Signature validation failed: algorithm HS256"),
        ("wrong key", wrong_key, "InvalidIdentityToken", "Signature validation failed"),
        ("truncated", truncated, "InvalidIdentityToken", "The ID Token provided is not a valid JWT"),
        ("two parts", no_signature, "InvalidIdentityToken", "The ID Token provided is not a valid JWT"),
        ("huge", huge, "ValidationError", "1 validation error detected: Value at 'webIdentityToken' failed to satisfy constraint: Member must have length less than or equal to 20000"),
        ("garbage", "%%%%".into(), "InvalidIdentityToken", "The ID Token provided is not a valid JWT"),
    ];
    let mut client = Client::new(lab.addr);
    for (name, token, code, message) in cases {
        let (c, msg) = client.assume_role(ROLE, "probe", &token).await.unwrap_err();
        assert_eq!(c, code, "{name}: {msg}");
        assert!(msg.starts_with(message), "{name}: {msg}");
    }
    still_serves(&lab).await;
    lab.stop().await;
}

#[tokio::test]
async fn bad_requests() {
    let lab = lab().await;
    let mut client = Client::new(lab.addr);
    let form = "application/x-www-form-urlencoded".to_string();
    let headers = vec![("content-type".to_string(), form)];
    let (status, body) = client
        .send(
            "POST",
            "/",
            &headers,
            "Action=AssumeRole&Version=2011-06-15".into(),
        )
        .await
        .unwrap();
    assert_eq!(status, 400);
    assert_eq!(
        irsa_core::sts::read::error(&body).unwrap(),
        (
            "InvalidAction".into(),
            "Could not find operation AssumeRole for version 2011-06-15".into()
        )
    );
    let (status, body) = client
        .send("POST", "/", &headers, "Version=2011-06-15".into())
        .await
        .unwrap();
    assert_eq!(
        (
            status,
            irsa_core::sts::read::error(&body).unwrap().0.as_str()
        ),
        (400, "MissingAction")
    );
    let (status, body) = client
        .send(
            "POST",
            "/",
            &headers,
            "Action=GetCallerIdentity&Version=2011-06-15".into(),
        )
        .await
        .unwrap();
    assert_eq!(
        (
            status,
            irsa_core::sts::read::error(&body).unwrap().0.as_str()
        ),
        (403, "MissingAuthenticationToken")
    );
    let mut fresh = Client::new(lab.addr);
    let (status, body) = fresh
        .send("POST", "/", &headers, "x".repeat(200_000))
        .await
        .unwrap();
    assert_eq!(
        (
            status,
            irsa_core::sts::read::error(&body).unwrap().0.as_str()
        ),
        (413, "RequestEntityTooLarge")
    );
    // Forged credentials: an access key the lab never issued.
    let forged = irsa_core::sts::response::Credentials {
        access_key_id: "ASIAFORGED".into(),
        secret_access_key: "x".into(),
        session_token: "y".into(),
        expiration: 0,
    };
    let (code, _) = Client::new(lab.addr)
        .caller_identity(&forged, "ap-south-1", now())
        .await
        .unwrap_err();
    assert_eq!(code, "InvalidClientTokenId");
    let (status, _) = Client::new(lab.addr)
        .send("GET", "/nowhere", &[], String::new())
        .await
        .unwrap();
    assert_eq!(status, 404);
    still_serves(&lab).await;
    lab.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_do_not_block_others() {
    let lab = lab().await;
    let addr = lab.addr;
    // Ten clients that send half a request and then nothing.
    let slow: Vec<std::net::TcpStream> = (0..10)
        .map(|_| {
            let mut s = std::net::TcpStream::connect(addr).unwrap();
            s.write_all(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=")
                .unwrap();
            s
        })
        .collect();
    still_serves(&lab).await;
    // Each slow client gets STS's timeout error once its time is up, and its connection ends.
    let answer = tokio::task::spawn_blocking(move || {
        let mut s = slow.into_iter().next().unwrap();
        s.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
        let mut answer = String::new();
        let _ = s.read_to_string(&mut answer);
        answer
    })
    .await
    .unwrap();
    assert!(answer.contains("<Code>RequestTimeout</Code>"), "{answer}");
    still_serves(&lab).await;
    lab.stop().await;
}
