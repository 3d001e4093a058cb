//! irsa-gen playground entry point (built by trunk for wasm32).

#[cfg(target_arch = "wasm32")]
fn main() {
    irsa_web::app::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("irsa-web runs in the browser: build it with `trunk build` (see scripts/serve)");
}
