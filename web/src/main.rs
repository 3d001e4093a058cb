//! irsa-gen playground: the generator and checker in the browser.

use yew::prelude::*;

#[function_component(App)]
fn app() -> Html {
    html! { <main><h1>{ "irsa-gen" }</h1><p>{ format!("version {}", irsa_core::VERSION) }</p></main> }
}

fn main() {
    yew::Renderer::<App>::new().render();
}
