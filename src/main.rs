//! Trunk's entry point: starts the web app (see `kubelab_web::start`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    kubelab_web::start();
}
