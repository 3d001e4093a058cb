//! Prints how long `derive` takes for the guide's form (a figure, not a test).
use irsa_core::ArtefactKind;
use irsa_web::state::{derive, Action, Field, State};
fn main() {
    let mut s = State::default();
    for (f, v) in [
        (Field::AccountId, "123456789012"),
        (Field::Region, "ap-south-1"),
        (Field::Cluster, "EXAMPLED539D4633E53DE1B716D3041E"),
        (Field::Namespace, "production"),
        (Field::ServiceAccount, "s3-writer"),
        (Field::S3Bucket, "my-app-uploads"),
        (Field::WorkloadName, "my-app"),
        (Field::WorkloadImage, "my-app:latest"),
    ] {
        s = s.reduce(Action::Set(f, v.into()));
    }
    let n = 2000;
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(derive(std::hint::black_box(&s.form), None));
    }
    println!(
        "derive (the five core artefacts): {:?} per call",
        t.elapsed() / n
    );
    let t = std::time::Instant::now();
    for _ in 0..n {
        let alt = Some(ArtefactKind::Terraform);
        std::hint::black_box(derive(std::hint::black_box(&s.form), alt));
    }
    println!("derive (and Terraform): {:?} per call", t.elapsed() / n);
    let t = std::time::Instant::now();
    for _ in 0..n {
        std::hint::black_box(s.form.to_spec().validate());
    }
    println!("validate: {:?} per call", t.elapsed() / n);
}
