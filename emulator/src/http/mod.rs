//! The HTTP surface: routes, the outer frame (request ids, CORS, JSON errors, logging) and the
//! authentication layer.

mod auth;
mod body;
mod directory;
mod frame;
mod links;
mod query;
mod state;
mod tokens;
mod version;

use axum::middleware;
use axum::routing::{get, post};
use axum::Router;
use std::path::PathBuf;
use std::sync::Arc;
use tower_http::services::ServeDir;

pub use auth::CallerId;
pub use state::AppState;
pub use version::ApiVersion;

/// The application: the API routes, and `static_dir` served at `/` when given.
pub fn router(state: Arc<AppState>, static_dir: Option<PathBuf>) -> Router {
    let api = Router::new()
        .route("/api/v2/tokens", get(tokens::list).post(tokens::create))
        .route(
            "/api/v2/tokens/{id}",
            get(tokens::get_one)
                .patch(tokens::patch)
                .delete(tokens::delete),
        )
        .route("/api/v2/tokens/{id}/reset", post(tokens::reset))
        .route("/api/v2/caller-identity", get(directory::caller_identity))
        .route("/api/v2/roles", get(directory::list_roles))
        .route("/api/v2/roles/{key}", get(directory::get_role))
        .route("/api/v2/members/{id}", get(directory::get_member))
        .route("/api/v2/teams/{key}", get(directory::get_team))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));
    let app = match static_dir {
        Some(dir) => api.fallback_service(ServeDir::new(dir)),
        None => api.fallback(frame::not_found),
    };
    app.layer(middleware::from_fn_with_state(state.clone(), frame::frame))
        .with_state(state)
}
